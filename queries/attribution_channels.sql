-- Attributed revenue of each channel (its selected articles) under all five
-- models side by side: sum of fct_attribution weight x net amount over the
-- (payment, touch) pairs whose touch is on one of the channel's selected
-- articles. rev_<model> equals report_channels.revenue under that model.
-- articles: the channel's selected articles; payments: distinct payments that
-- credit at least one of them.
WITH a AS (
    SELECT * FROM sel_articles(CAST($date_from AS DATE), CAST($date_to AS DATE), CAST($channels AS VARCHAR[]))
),
ca AS (SELECT channel, count(*) AS articles FROM a GROUP BY channel),
r AS (
    SELECT
        f.channel,
        count(DISTINCT f.payment_id) AS payments,
        sum(f.net_amount * f.w_first_touch) AS first_touch,
        sum(f.net_amount * f.w_last_touch) AS last_touch,
        sum(f.net_amount * f.w_linear) AS linear,
        sum(f.net_amount * f.w_position) AS position,
        sum(f.net_amount * f.w_time_decay) AS time_decay
    FROM fct_attribution($window_days) AS f
    WHERE in_sel(f.pub_day, f.channel, $date_from, $date_to, CAST($channels AS VARCHAR[]))
    GROUP BY f.channel
)
SELECT
    ca.channel, ca.articles,
    coalesce(r.payments, 0) AS payments,
    money(coalesce(r.first_touch, 0)) AS rev_first_touch,
    money(coalesce(r.last_touch, 0)) AS rev_last_touch,
    money(coalesce(r.linear, 0)) AS rev_linear,
    money(coalesce(r.position, 0)) AS rev_position,
    money(coalesce(r.time_decay, 0)) AS rev_time_decay
FROM ca LEFT JOIN r ON r.channel = ca.channel
ORDER BY rev_first_touch DESC, ca.channel;
