-- Per-channel report. joins / contacted / paid count distinct users across the
-- channel's selected articles; reads, cost and revenue are sums.
-- paid_without_contact: users who paid inside the window of a touch on one of
-- the channel's articles but are not among the channel's paid users.
-- A user with one row of fct_user_article in the channel is one row here, counted
-- by agg_user_days (joins) and agg_user_lags (contacted / paid, through
-- sel_single); users with several rows in it (multi_ch) are one row each of
-- sel_multi_ch.
WITH a AS (
    SELECT * FROM sel_articles(CAST($date_from AS DATE), CAST($date_to AS DATE), CAST($channels AS VARCHAR[]))
),
one AS (
    SELECT channel, CAST(sum(n_single_ch) AS BIGINT) AS joins
    FROM agg_user_days
    WHERE in_sel(pub_day, channel, $date_from, $date_to, CAST($channels AS VARCHAR[]))
    GROUP BY channel
),
one_act AS (  -- their window counts (sel_single: the lag histograms of their active rows)
    SELECT channel,
           CAST(sum(contacted_ch) AS BIGINT) AS contacted,
           CAST(sum(paid_ch) AS BIGINT) AS paid,
           CAST(sum(paid_without_contact_ch) AS BIGINT) AS paid_without_contact
    FROM sel_single($window_days, $date_from, $date_to, CAST($channels AS VARCHAR[]))
    GROUP BY channel
),
many AS (  -- the others, one row each per channel (sel_multi_ch, 26_sel_facts.sql)
    SELECT channel, count(*) AS joins, count(*) FILTER (WHERE contacted) AS contacted,
           count(*) FILTER (WHERE paid) AS paid,
           count(*) FILTER (WHERE paid_without_contact) AS paid_without_contact
    FROM sel_multi_ch($window_days, $date_from, $date_to, CAST($channels AS VARCHAR[]))
    GROUP BY channel
),
ca AS (
    SELECT channel, count(*) AS articles, CAST(sum(reads) AS BIGINT) AS reads, sum(cost) AS cost
    FROM a GROUP BY channel
),
rev AS (
    SELECT r.channel, sum(r.revenue) AS revenue
    FROM fct_revenue($window_days, CAST($model AS VARCHAR)) AS r
    WHERE in_sel(r.pub_day, r.channel, $date_from, $date_to, CAST($channels AS VARCHAR[]))
    GROUP BY r.channel
),
m AS (
    SELECT ca.channel, ca.articles, ca.reads,
           coalesce(one.joins, 0) + coalesce(many.joins, 0) AS joins,
           coalesce(one_act.contacted, 0) + coalesce(many.contacted, 0) AS contacted,
           coalesce(one_act.paid, 0) + coalesce(many.paid, 0) AS paid,
           coalesce(one_act.paid_without_contact, 0) + coalesce(many.paid_without_contact, 0) AS paid_without_contact,
           coalesce(rev.revenue, 0) AS revenue,
           ca.cost
    FROM ca
    LEFT JOIN one ON one.channel = ca.channel
    LEFT JOIN one_act ON one_act.channel = ca.channel
    LEFT JOIN many ON many.channel = ca.channel
    LEFT JOIN rev ON rev.channel = ca.channel
)
SELECT
    channel, articles, reads, joins, contacted, paid, paid_without_contact,
    money(revenue) AS revenue,
    CAST(NULL AS DOUBLE) AS unattributed_revenue,
    money(cost) AS cost,
    roi(revenue, cost) AS roi,
    cost_per_paid(cost, paid) AS cost_per_paid,
    join_rate(joins, reads) AS join_rate,
    contact_rate(contacted, joins) AS contact_rate,
    pay_rate(paid, contacted) AS pay_rate,
    overall_rate(paid, joins) AS overall_rate,
    revenue_per_1k_reads(revenue, reads) AS revenue_per_1k_reads
FROM m
ORDER BY revenue DESC, channel;
