-- One article's funnel over time (the /articles detail): for each whole day
-- since the article was published (floor((ts - published_at) / 1 day)), how
-- many of its users reached each step that day, by the timestamps of the
-- ordered funnel (fct_funnel, window $window_days):
--   joins     users whose earliest touch on the article (t0) fell that day
--   contacts  users whose first contact in the window (t1) fell that day
--   payments  paid users whose first payment after that contact fell that day
-- Summed over days these are exactly joins, contacted and paid of the article.
-- Days without any event are left out. A touch before publishing (clock skew
-- in an export) gives a negative day.
WITH a AS (
    SELECT published_at FROM articles WHERE article_id = CAST($article_id AS VARCHAR)
),
f AS (
    SELECT * FROM fct_funnel($window_days) WHERE article_id = CAST($article_id AS VARCHAR)
),
ev AS (
    SELECT 1 AS k, 'joins' AS step, t0 AS ts FROM f
    UNION ALL SELECT 2, 'contacts', t1 FROM f WHERE t1 IS NOT NULL
    UNION ALL SELECT 3, 'payments', first_paid FROM f WHERE paid
),
d AS (
    SELECT CAST(floor(epoch(ev.ts - a.published_at) / 86400.0) AS INTEGER) AS day, ev.k, ev.step
    FROM ev CROSS JOIN a
)
SELECT day, step, count(*) AS users
FROM d
GROUP BY day, k, step
ORDER BY day, k;
