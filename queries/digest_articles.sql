-- The digest's articles for the current period [$cur_from, $cur_to]: every
-- article of the channel list that was published in the period (is_new), has
-- users in the period's cohort, or was credited revenue of a payment dated in
-- the period.
--   joins, contacted, paid   distinct users of the period's cohort on the
--                            article (dg_cohort: t0 in the period, as of its
--                            end). For a new article these are its early
--                            results: everything from publication to the cut.
--   revenue                  attributed revenue ($model, W) of payments dated
--                            in the period (dg_revenue)
--   overall_lo, overall_hi   95% Wilson interval of overall_rate = paid / joins
WITH a AS (
    SELECT * FROM sel_articles(NULL, NULL, CAST($channels AS VARCHAR[]))
),
co AS (
    SELECT article_id, count(*) AS joins,
           count(*) FILTER (WHERE contacted) AS contacted, count(*) FILTER (WHERE paid) AS paid
    FROM dg_cohort($window_days, CAST($cur_from AS DATE), CAST($cur_to AS DATE), CAST($channels AS VARCHAR[]))
    GROUP BY article_id
),
rv AS (
    SELECT article_id, sum(revenue) AS revenue
    FROM dg_revenue($window_days, CAST($model AS VARCHAR), CAST($cur_from AS DATE), CAST($cur_to AS DATE),
                    CAST($channels AS VARCHAR[]))
    GROUP BY article_id
),
m AS (
    SELECT a.article_id, a.title, a.channel, a.author, a.published_at, a.reads, a.cost,
           CAST(a.published_at AS DATE) BETWEEN CAST($cur_from AS DATE) AND CAST($cur_to AS DATE) AS is_new,
           coalesce(co.joins, 0) AS joins, coalesce(co.contacted, 0) AS contacted,
           coalesce(co.paid, 0) AS paid, coalesce(rv.revenue, 0) AS revenue
    FROM a
    LEFT JOIN co ON co.article_id = a.article_id
    LEFT JOIN rv ON rv.article_id = a.article_id
)
SELECT
    article_id, title, channel, author, published_at, is_new,
    reads, money(cost) AS cost,
    CAST(joins AS BIGINT) AS joins, CAST(contacted AS BIGINT) AS contacted, CAST(paid AS BIGINT) AS paid,
    money(revenue) AS revenue,
    join_rate(joins, reads) AS join_rate,
    contact_rate(contacted, joins) AS contact_rate,
    pay_rate(paid, contacted) AS pay_rate,
    overall_rate(paid, joins) AS overall_rate,
    overall_rate_lo(paid, joins) AS overall_lo,
    overall_rate_hi(paid, joins) AS overall_hi
FROM m
WHERE is_new OR joins > 0 OR revenue <> 0
ORDER BY revenue DESC, joins DESC, article_id;
