-- Attributed revenue of each channel (its selected articles) under every model
-- side by side, in long form (one row per channel and model; engine.by_model
-- turns it into rev_<model> columns and ranks the rows): the sum of fct_attribution's weight x net
-- amount over the (payment, touch) pairs whose touch is on one of the channel's
-- selected articles; it equals report_channels.revenue under that model.
-- articles: the channel's selected articles; payments: distinct payments that
-- credit at least one of them. A channel no payment credits has one row, model NULL.
WITH a AS (
    SELECT * FROM sel_articles(CAST($date_from AS DATE), CAST($date_to AS DATE), CAST($channels AS VARCHAR[]))
),
ca AS (SELECT channel, count(*) AS articles FROM a GROUP BY channel),
p AS (  -- payments with an eligible touch on one of the channel's selected articles
    SELECT channel, count(DISTINCT payment_id) AS payments
    FROM fct_payment_touch
    WHERE age_days <= $window_days
      AND in_sel(pub_day, channel, $date_from, $date_to, CAST($channels AS VARCHAR[]))
    GROUP BY channel
),
r AS (
    SELECT channel, model, sum(net_amount * weight) AS revenue
    FROM fct_attribution($window_days)
    WHERE in_sel(pub_day, channel, $date_from, $date_to, CAST($channels AS VARCHAR[]))
    GROUP BY channel, model
)
SELECT
    ca.channel, ca.articles,
    coalesce(p.payments, 0) AS payments,
    r.model,
    money(coalesce(r.revenue, 0)) AS revenue
FROM ca
LEFT JOIN p ON p.channel = ca.channel
LEFT JOIN r ON r.channel = ca.channel;
