-- Totals over the selected articles: distinct users across all of them;
-- unattributed revenue = payments with no eligible touch (net of refunds)
-- dated in [from, to + W], whatever the channel filter.
-- A user with one row in fct_user_article is one row here, counted by agg_user_days
-- (joins) and agg_user_lags (contacted / paid, through sel_single); users with
-- several rows (multi) are one row each of sel_multi.
WITH a AS (
    SELECT * FROM sel_articles(CAST($date_from AS DATE), CAST($date_to AS DATE), CAST($channels AS VARCHAR[]))
),
one AS (
    SELECT CAST(coalesce(sum(n_single), 0) AS BIGINT) AS joins
    FROM agg_user_days
    WHERE in_sel(pub_day, channel, $date_from, $date_to, CAST($channels AS VARCHAR[]))
),
one_act AS (  -- their window counts (sel_single: the lag histograms of their active rows)
    SELECT CAST(coalesce(sum(contacted), 0) AS BIGINT) AS contacted,
           CAST(coalesce(sum(paid), 0) AS BIGINT) AS paid,
           CAST(coalesce(sum(paid_without_contact), 0) AS BIGINT) AS paid_without_contact
    FROM sel_single($window_days, $date_from, $date_to, CAST($channels AS VARCHAR[]))
),
many AS (  -- the others, one row each (sel_multi, 26_sel_facts.sql)
    SELECT count(*) AS joins,
           count(*) FILTER (WHERE contacted) AS contacted,
           count(*) FILTER (WHERE paid) AS paid,
           count(*) FILTER (WHERE paid_without_contact) AS paid_without_contact
    FROM sel_multi($window_days, $date_from, $date_to, CAST($channels AS VARCHAR[]))
),
uf AS (
    SELECT one.joins + many.joins AS joins,
           one_act.contacted + many.contacted AS contacted,
           one_act.paid + many.paid AS paid,
           one_act.paid_without_contact + many.paid_without_contact AS paid_without_contact
    FROM one, one_act, many
),
ta AS (SELECT count(*) AS articles, CAST(sum(reads) AS BIGINT) AS reads, sum(cost) AS cost FROM a),
mo AS (  -- attributed and unattributed revenue (26_sel_facts.sql)
    SELECT * FROM sel_money($window_days, CAST($model AS VARCHAR), $date_from, $date_to, CAST($channels AS VARCHAR[]))
),
m AS (
    SELECT ta.articles, ta.reads, uf.joins, uf.contacted, uf.paid, uf.paid_without_contact,
           coalesce(mo.revenue, 0) AS revenue, coalesce(mo.unattributed, 0) AS unattributed, ta.cost
    FROM ta, uf, mo
)
SELECT
    articles, reads, joins, contacted, paid, paid_without_contact,
    money(revenue) AS revenue,
    money(unattributed) AS unattributed_revenue,
    money(cost) AS cost,
    roi(revenue, cost) AS roi,
    cost_per_paid(cost, paid) AS cost_per_paid,
    join_rate(joins, reads) AS join_rate,
    contact_rate(contacted, joins) AS contact_rate,
    pay_rate(paid, contacted) AS pay_rate,
    overall_rate(paid, joins) AS overall_rate,
    revenue_per_1k_reads(revenue, reads) AS revenue_per_1k_reads
FROM m;
