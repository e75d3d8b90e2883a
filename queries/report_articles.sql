-- Per-article report (CONTRACT §2): the funnel, attributed revenue under
-- $model, cost, ROI and rates, for the articles the period/channels select.
-- The funnel counts come from the article's window-independent offsets
-- (fct_article_funnel): each is a count of offsets <= W.
WITH a AS (
    SELECT * FROM sel_articles(CAST($date_from AS DATE), CAST($date_to AS DATE), CAST($channels AS VARCHAR[]))
),
fa AS (  -- the window's funnel from the article's offsets (fct_article_funnel)
    SELECT article_id, users AS joins, contacted, paid, qn - paid AS paid_without_contact,
           CASE WHEN paid > 0 THEN list_aggregate(p_days[1:paid], 'median') END AS median_days_to_pay
    FROM (
        SELECT article_id, users, p_days,
               len(list_filter(c_offs, lambda x: x <= win_us($window_days))) AS contacted,
               len(list_filter(p_offs, lambda x: x <= win_us($window_days))) AS paid,
               len(list_filter(q_offs, lambda x: x <= win_us($window_days))) AS qn
        FROM fct_article_funnel
        WHERE article_id IN (SELECT article_id FROM a)
    )
),
rev AS (
    SELECT article_id, sum(revenue) AS revenue
    FROM fct_revenue($window_days, CAST($model AS VARCHAR))
    WHERE in_sel(pub_day, channel, $date_from, $date_to, CAST($channels AS VARCHAR[]))
    GROUP BY article_id
),
m AS (
    SELECT
        a.article_id, a.title, a.channel, a.author, a.published_at, a.reads,
        coalesce(fa.joins, 0) AS joins,
        coalesce(fa.contacted, 0) AS contacted,
        coalesce(fa.paid, 0) AS paid,
        coalesce(fa.paid_without_contact, 0) AS paid_without_contact,
        coalesce(rev.revenue, 0) AS revenue,
        a.cost,
        fa.median_days_to_pay
    FROM a
    LEFT JOIN fa ON fa.article_id = a.article_id
    LEFT JOIN rev ON rev.article_id = a.article_id
)
SELECT
    article_id, title, channel, author, published_at, reads,
    joins, contacted, paid, paid_without_contact,
    money(revenue) AS revenue,
    money(cost) AS cost,
    roi(revenue, cost) AS roi,
    cost_per_paid(cost, paid) AS cost_per_paid,
    round(median_days_to_pay, 4) AS median_days_to_pay,
    join_rate(joins, reads) AS join_rate,
    contact_rate(contacted, joins) AS contact_rate,
    pay_rate(paid, contacted) AS pay_rate,
    overall_rate(paid, joins) AS overall_rate,
    revenue_per_1k_reads(revenue, reads) AS revenue_per_1k_reads,
    -- 95% Wilson intervals of the four rates (queries/models/30_wilson.sql);
    -- null wherever the rate is null.
    join_rate_lo(joins, reads) AS join_rate_lo,
    join_rate_hi(joins, reads) AS join_rate_hi,
    contact_rate_lo(contacted, joins) AS contact_rate_lo,
    contact_rate_hi(contacted, joins) AS contact_rate_hi,
    pay_rate_lo(paid, contacted) AS pay_rate_lo,
    pay_rate_hi(paid, contacted) AS pay_rate_hi,
    overall_rate_lo(paid, joins) AS overall_rate_lo,
    overall_rate_hi(paid, joins) AS overall_rate_hi,
    -- Too few joins (< min_n(), contentroi/limits.py) to judge the article's contact / overall rate.
    joins < min_n() AS small_sample
FROM m
ORDER BY revenue DESC, article_id;
