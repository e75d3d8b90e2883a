-- Attributed revenue of each selected article under every model side by side,
-- in long form (one row per article and model; engine.by_model turns it into
-- rev_<model> columns): the sum over its (payment, eligible touch) pairs of the
-- model's weight x the payment's net amount (after refunds of its order),
-- from fct_attribution. Credit is split over touches on any article of the
-- store (CONTRACT §2); the period / channel filters only choose which articles
-- are listed, so an article's revenue under a model equals
-- report_articles.revenue under that model.
-- payments: distinct payments that credit the article under any model (an
-- eligible touch). An article no payment credits has one row, model NULL.
WITH a AS (
    SELECT * FROM sel_articles(CAST($date_from AS DATE), CAST($date_to AS DATE), CAST($channels AS VARCHAR[]))
),
p AS (  -- payments with an eligible touch on the article (one scan of the pairs)
    SELECT article_id, count(DISTINCT payment_id) AS payments
    FROM fct_payment_touch
    WHERE age_days <= $window_days
      AND in_sel(pub_day, channel, $date_from, $date_to, CAST($channels AS VARCHAR[]))
    GROUP BY article_id
),
r AS (
    SELECT article_id, model, sum(net_amount * weight) AS revenue
    FROM fct_attribution($window_days)
    WHERE in_sel(pub_day, channel, $date_from, $date_to, CAST($channels AS VARCHAR[]))
    GROUP BY article_id, model
)
SELECT
    a.article_id, a.title, a.channel,
    coalesce(p.payments, 0) AS payments,
    r.model,
    money(coalesce(r.revenue, 0)) AS revenue
FROM a
LEFT JOIN p ON p.article_id = a.article_id
LEFT JOIN r ON r.article_id = a.article_id;
