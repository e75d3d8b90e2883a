-- Totals over the selected articles: distinct users across all of them;
-- unattributed revenue = payments with no eligible touch (net of refunds)
-- dated in [from, to + W], whatever the channel filter.
WITH a AS (
    SELECT * FROM sel_articles(CAST($date_from AS DATE), CAST($date_to AS DATE), CAST($channels AS VARCHAR[]))
),
u AS (
    SELECT user_id, bool_or(contacted) AS c, bool_or(paid) AS p, bool_or(paid_without_contact) AS w
    FROM sel_funnel($window_days, CAST($date_from AS DATE), CAST($date_to AS DATE), CAST($channels AS VARCHAR[]))
    GROUP BY user_id
),
uf AS (
    SELECT count(*) AS joins,
           count(*) FILTER (WHERE c) AS contacted,
           count(*) FILTER (WHERE p) AS paid,
           count(*) FILTER (WHERE w AND NOT p) AS paid_without_contact
    FROM u
),
ta AS (SELECT count(*) AS articles, CAST(sum(reads) AS BIGINT) AS reads, sum(cost) AS cost FROM a),
rev AS (
    SELECT sum(r.revenue) AS revenue
    FROM fct_revenue($window_days, CAST($model AS VARCHAR)) AS r
    WHERE r.article_id IN (SELECT article_id FROM a)
),
un AS (
    SELECT sum(net_amount) AS unattributed
    FROM fct_unattributed($window_days)
    WHERE (CAST($date_from AS DATE) IS NULL OR CAST(paid_at AS DATE) >= CAST($date_from AS DATE))
      AND (CAST($date_to AS DATE) IS NULL
           OR CAST(paid_at AS DATE) <= CAST($date_to AS DATE) + to_days(CAST($window_days AS INTEGER)))
),
m AS (
    SELECT ta.articles, ta.reads, uf.joins, uf.contacted, uf.paid, uf.paid_without_contact,
           coalesce(rev.revenue, 0) AS revenue, coalesce(un.unattributed, 0) AS unattributed, ta.cost
    FROM ta, uf, rev, un
)
SELECT
    articles, reads, joins, contacted, paid, paid_without_contact,
    money(revenue) AS revenue,
    money(unattributed) AS unattributed_revenue,
    money(cost) AS cost,
    rate(revenue - cost, cost) AS roi,
    money(cost / nullif(paid, 0)) AS cost_per_paid,
    rate(joins, reads) AS join_rate,
    rate(contacted, joins) AS contact_rate,
    rate(paid, contacted) AS pay_rate,
    rate(paid, joins) AS overall_rate,
    money(1000 * revenue / nullif(reads, 0)) AS revenue_per_1k_reads
FROM m;
