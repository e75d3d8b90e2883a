-- Attributed revenue under every model side by side, in long form (one row per key and
-- model; engine.by_model turns a level into rev_<model> columns): for each channel
-- (level 'channel': its selected articles) and for the selected articles (level
-- 'article'), from one pass over the window's eligible touches (fct_weights_wide's two
-- parts: a payment with one eligible touch gives it all of its amount under every
-- model, so its share is summed once, not once per model; the payments with more have a
-- weight column per model). An article's revenue under a model is
-- the sum of weight x net amount over the (payment, touch) pairs whose touch is on the
-- article; a channel's, the sum of its selected articles'. They equal
-- report_articles.revenue and report_channels.revenue. Credit is split over touches on
-- any article of the store (CONTRACT §2); the period / channel filters only choose which
-- rows are listed.
-- $top: only the $top articles with the most revenue under $model (ties by article_id;
-- what a page shows); NULL: every selected article (the CSV).
-- payments: distinct payments with an eligible touch on the article / on one of the
-- channel's selected articles; articles: the channel's selected articles.
-- A key no payment credits has one row, model NULL.
WITH a AS (
    SELECT article_id, title, channel
    FROM sel_articles(CAST($date_from AS DATE), CAST($date_to AS DATE), CAST($channels AS VARCHAR[]))
),
w1 AS (  -- the payments with one eligible touch: all of it to that touch, every model
    SELECT article_id, channel, count(*) AS payments, sum(revenue_share(net_amount, 1.0)) AS one
    FROM fct_eligible($window_days)
    WHERE n = 1 AND in_sel(pub_day, channel, $date_from, $date_to, CAST($channels AS VARCHAR[]))
    GROUP BY article_id, channel
),
mm AS NOT MATERIALIZED (  -- the payments with more: every model's weight (w_<model>)
    SELECT * FROM fct_weights_multi($window_days)
    WHERE in_sel(pub_day, channel, $date_from, $date_to, CAST($channels AS VARCHAR[]))
),
wm AS (
    SELECT article_id, channel, count(DISTINCT payment_id) AS payments,
           sum(revenue_share(net_amount, COLUMNS('^w_(.*)$'))) AS '\1'
    FROM mm GROUP BY article_id, channel
),
w AS (  -- per article: its payments (one with one eligible touch counts once, where it is), a column per model
    SELECT article_id, channel, coalesce(w1.payments, 0) + coalesce(wm.payments, 0) AS payments,
           coalesce(w1.one, 0) + coalesce(COLUMNS(wm.* EXCLUDE (article_id, channel, payments)), 0)
    FROM w1 FULL JOIN wm USING (article_id, channel)
),
top AS (  -- the articles listed, by their revenue under $model (w's column of that name)
    SELECT a.*
    FROM a LEFT JOIN w ON w.article_id = a.article_id
    ORDER BY money(coalesce(struct_extract(struct_pack(*COLUMNS(w.* EXCLUDE (article_id, channel, payments))),
                                           $model), 0)) DESC,
             a.article_id
    LIMIT CAST($top AS BIGINT)
),
r AS (  -- their revenue under every model, one row each
    UNPIVOT (SELECT * EXCLUDE (channel, payments) FROM w SEMI JOIN top USING (article_id))
    ON COLUMNS(* EXCLUDE article_id) INTO NAME model VALUE revenue
),
pc AS (
    SELECT channel, CAST(sum(payments) AS BIGINT) AS payments FROM (
        SELECT channel, sum(payments) AS payments FROM w1 GROUP BY channel
        UNION ALL
        SELECT channel, count(DISTINCT payment_id) FROM mm GROUP BY channel
    ) GROUP BY channel
),
ca AS (SELECT channel, count(*) AS articles FROM a GROUP BY channel),
cw AS (  -- per channel: the sums of its selected articles' (w lists only selected articles)
    SELECT channel, sum(COLUMNS(* EXCLUDE (article_id, channel, payments)))
    FROM w GROUP BY channel
),
c AS (UNPIVOT cw ON COLUMNS(* EXCLUDE channel) INTO NAME model VALUE revenue)
SELECT
    'channel' AS level, CAST(NULL AS VARCHAR) AS article_id, CAST(NULL AS VARCHAR) AS title, ca.channel,
    ca.articles, coalesce(pc.payments, 0) AS payments, c.model, money(coalesce(c.revenue, 0)) AS revenue
FROM ca
LEFT JOIN pc ON pc.channel = ca.channel
LEFT JOIN c ON c.channel = ca.channel
UNION ALL
SELECT
    'article', top.article_id, top.title, top.channel, CAST(NULL AS BIGINT),
    coalesce(pa.payments, 0), r.model, money(coalesce(r.revenue, 0))
FROM top
LEFT JOIN w AS pa ON pa.article_id = top.article_id
LEFT JOIN r ON r.article_id = top.article_id;
