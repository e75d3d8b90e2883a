-- Per-channel report. joins / contacted / paid count distinct users across the
-- channel's selected articles; reads, cost and revenue are sums.
-- paid_without_contact: users who paid inside the window of a touch on one of
-- the channel's articles but are not among the channel's paid users.
WITH a AS (
    SELECT * FROM sel_articles(CAST($date_from AS DATE), CAST($date_to AS DATE), CAST($channels AS VARCHAR[]))
),
cu AS (
    SELECT channel, user_id,
           bool_or(contacted) AS c, bool_or(paid) AS p, bool_or(paid_without_contact) AS w
    FROM sel_funnel($window_days, CAST($date_from AS DATE), CAST($date_to AS DATE), CAST($channels AS VARCHAR[]))
    GROUP BY channel, user_id
),
cf AS (
    SELECT channel,
           count(*) AS joins,
           count(*) FILTER (WHERE c) AS contacted,
           count(*) FILTER (WHERE p) AS paid,
           count(*) FILTER (WHERE w AND NOT p) AS paid_without_contact
    FROM cu GROUP BY channel
),
ca AS (
    SELECT channel, count(*) AS articles, CAST(sum(reads) AS BIGINT) AS reads, sum(cost) AS cost
    FROM a GROUP BY channel
),
rev AS (
    SELECT a.channel, sum(r.revenue) AS revenue
    FROM fct_revenue($window_days, CAST($model AS VARCHAR)) AS r
    JOIN a ON a.article_id = r.article_id
    GROUP BY a.channel
),
m AS (
    SELECT ca.channel, ca.articles, ca.reads,
           coalesce(cf.joins, 0) AS joins,
           coalesce(cf.contacted, 0) AS contacted,
           coalesce(cf.paid, 0) AS paid,
           coalesce(cf.paid_without_contact, 0) AS paid_without_contact,
           coalesce(rev.revenue, 0) AS revenue,
           ca.cost
    FROM ca
    LEFT JOIN cf ON cf.channel = ca.channel
    LEFT JOIN rev ON rev.channel = ca.channel
)
SELECT
    channel, articles, reads, joins, contacted, paid, paid_without_contact,
    money(revenue) AS revenue,
    CAST(NULL AS DOUBLE) AS unattributed_revenue,
    money(cost) AS cost,
    rate(revenue - cost, cost) AS roi,
    money(cost / nullif(paid, 0)) AS cost_per_paid,
    rate(joins, reads) AS join_rate,
    rate(contacted, joins) AS contact_rate,
    rate(paid, contacted) AS pay_rate,
    rate(paid, joins) AS overall_rate,
    money(1000 * revenue / nullif(reads, 0)) AS revenue_per_1k_reads
FROM m
ORDER BY revenue DESC, channel;
