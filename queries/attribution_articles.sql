-- Attributed revenue of each selected article under all five models side by
-- side: sum over its (payment, eligible touch) pairs of fct_attribution's
-- model weight x the payment's net amount (after refunds of its order).
-- Credit is split over touches on any article of the store (CONTRACT §2);
-- the period / channel filters only choose which articles are listed, so
-- rev_<model> here equals report_articles.revenue under that model.
-- payments: distinct payments that credit the article under any model (an
-- eligible touch); touches: its eligible (payment, touch) pairs.
WITH a AS (
    SELECT * FROM sel_articles(CAST($date_from AS DATE), CAST($date_to AS DATE), CAST($channels AS VARCHAR[]))
),
r AS (
    SELECT
        article_id,
        count(DISTINCT payment_id) AS payments,
        sum(net_amount * w_first_touch) AS first_touch,
        sum(net_amount * w_last_touch) AS last_touch,
        sum(net_amount * w_linear) AS linear,
        sum(net_amount * w_position) AS position,
        sum(net_amount * w_time_decay) AS time_decay
    FROM fct_attribution($window_days)
    WHERE in_sel(pub_day, channel, $date_from, $date_to, CAST($channels AS VARCHAR[]))
    GROUP BY article_id
)
SELECT
    a.article_id, a.title, a.channel,
    coalesce(r.payments, 0) AS payments,
    money(coalesce(r.first_touch, 0)) AS rev_first_touch,
    money(coalesce(r.last_touch, 0)) AS rev_last_touch,
    money(coalesce(r.linear, 0)) AS rev_linear,
    money(coalesce(r.position, 0)) AS rev_position,
    money(coalesce(r.time_decay, 0)) AS rev_time_decay
FROM a LEFT JOIN r ON r.article_id = a.article_id
ORDER BY rev_first_touch DESC, a.article_id;
