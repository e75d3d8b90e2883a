-- Attributed revenue under every model side by side, in long form (one row per key
-- and model; engine.by_model turns a level into rev_<model> columns), for the
-- selected articles (level 'article') and for each channel (level 'channel': its
-- selected articles), from one pass over fct_attribution: the sum of weight x net
-- amount over the (payment, touch) pairs whose touch is on the article / on one of
-- the channel's selected articles. An article's revenue under a model equals
-- report_articles.revenue, a channel's report_channels.revenue (both sums over the
-- pairs). Credit is split over touches on any article of the store (CONTRACT §2);
-- the period / channel filters only choose which rows are listed.
-- payments: distinct payments with an eligible touch on the article / on one of the
-- channel's selected articles; articles: the channel's selected articles.
-- A key no payment credits has one row, model NULL.
WITH a AS (
    SELECT * FROM sel_articles(CAST($date_from AS DATE), CAST($date_to AS DATE), CAST($channels AS VARCHAR[]))
),
ca AS (SELECT channel, count(*) AS articles FROM a GROUP BY channel),
p AS (  -- one scan of the pairs, counted per article and per channel
    SELECT article_id, channel, count(DISTINCT payment_id) AS payments, grouping(article_id) AS by_channel
    FROM fct_payment_touch
    WHERE age_days <= $window_days
      AND in_sel(pub_day, channel, $date_from, $date_to, CAST($channels AS VARCHAR[]))
    GROUP BY GROUPING SETS ((article_id, channel), (channel))
),
r AS (  -- one pass over every model's weights, summed per article and per channel
    SELECT article_id, channel, model, sum(net_amount * weight) AS revenue, grouping(article_id) AS by_channel
    FROM fct_attribution($window_days)
    WHERE in_sel(pub_day, channel, $date_from, $date_to, CAST($channels AS VARCHAR[]))
    GROUP BY GROUPING SETS ((article_id, channel, model), (channel, model))
)
SELECT
    'article' AS level, a.article_id, a.title, a.channel, CAST(NULL AS BIGINT) AS articles,
    coalesce(p.payments, 0) AS payments,
    r.model,
    money(coalesce(r.revenue, 0)) AS revenue
FROM a
LEFT JOIN p ON p.by_channel = 0 AND p.article_id = a.article_id
LEFT JOIN r ON r.by_channel = 0 AND r.article_id = a.article_id
UNION ALL
SELECT
    'channel', NULL, NULL, ca.channel, ca.articles,
    coalesce(p.payments, 0),
    r.model,
    money(coalesce(r.revenue, 0))
FROM ca
LEFT JOIN p ON p.by_channel = 1 AND p.channel = ca.channel
LEFT JOIN r ON r.by_channel = 1 AND r.channel = ca.channel;
