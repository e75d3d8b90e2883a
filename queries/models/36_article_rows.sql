-- Every selected article's row (CONTRACT §2): the funnel, attributed revenue under
-- the model, cost, ROI and rates, in no order and without the rates' intervals. One
-- definition for report_articles (sorted, with the intervals: the report) and
-- article_rows (the /articles page's cached list, which it sorts, searches and cuts
-- into pages itself: article_board adds the intervals to the rows it sends).
-- The funnel counts come from the article's window-independent offsets
-- (fct_article_funnel): each is a count of offsets <= W.
CREATE OR REPLACE MACRO sel_article_rows(window_days, model_name, date_from, date_to, channels) AS TABLE
WITH a AS (
    SELECT * FROM sel_articles(date_from, date_to, channels)
),
fa AS (  -- the window's funnel from the article's offsets (fct_article_funnel)
    SELECT article_id, users AS joins, contacted, paid, qn - paid AS paid_without_contact,
           CASE WHEN paid > 0 THEN list_aggregate(p_days[1:paid], 'median') END AS median_days_to_pay
    FROM (
        SELECT article_id, users, p_days,
               len(list_filter(c_offs, lambda x: x <= win_us(window_days))) AS contacted,
               len(list_filter(p_offs, lambda x: x <= win_us(window_days))) AS paid,
               len(list_filter(q_offs, lambda x: x <= win_us(window_days))) AS qn
        FROM fct_article_funnel
        WHERE article_id IN (SELECT article_id FROM a)
    )
),
rev AS (
    SELECT article_id, sum(revenue) AS revenue
    FROM fct_revenue(window_days, model_name)
    WHERE in_sel(pub_day, channel, date_from, date_to, channels)
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
    -- Too few joins (< min_n(), contentroi/limits.py) to judge the article's contact / overall rate.
    joins < min_n() AS small_sample
FROM m;
