-- The actuals of one month, per day, for a target's pacing (docs/METRICS.md "Targets").
-- Event-dated ("what happened in the month"), over the articles of the channel
-- list (empty: every channel), whatever their publish date:
--   reads      reads of the articles published that day (reads have no date of their own)
--   joins      distinct users with a touch whose t0 (first touch on an article,
--              fct_user_article) falls in the month, on the day of their earliest one
--   contacted  distinct users with a contacted (article, user) row (first contact
--              c1 within W days of t0, as in the funnel) whose c1 falls in the month,
--              on the day of their earliest one
--   paid       the same with the ordered payment p1 (contact, then payment, within W)
--   revenue    attributed revenue (model, W) of payments dated in the month, credited
--              to touches on the selected channels' articles, on the payment's day
-- Each user counts once in the month, so the days add up to the month.
WITH ua AS NOT MATERIALIZED (
    -- single: the user's only row among the selected channels' articles (no channel
    -- filter: not multi; one channel: not multi_ch), counted without a GROUP BY.
    -- Not materialized: each branch of ev reads it with its own filters (the month's t0,
    -- c1 or p1), where a materialized ua held every row of the month and its window
    -- before (10x, October: 266 -> 102 ms)
    SELECT u.user_id, u.t0, u.c1, u.p1, u.contacted, u.paid,
           CASE WHEN len(CAST($channels AS VARCHAR[])) = 0 THEN NOT u.multi
                WHEN len(CAST($channels AS VARCHAR[])) = 1 THEN NOT u.multi_ch
                ELSE false END AS single
    FROM sel_ua($window_days, NULL, NULL, CAST($channels AS VARCHAR[])) AS u
    WHERE u.t0 < CAST(CAST($month_to AS DATE) + 1 AS TIMESTAMP)
      -- a contact / payment in the month is within W days of its t0
      AND u.t0 >= CAST($month_from AS TIMESTAMP) - to_days(CAST($window_days AS INTEGER))
),
ev AS (  -- one row per (stage, user): the day of the user's earliest such event in the month
    SELECT 'j' AS s, CAST(t0 AS DATE) AS day FROM ua
    WHERE single AND t0 >= CAST($month_from AS TIMESTAMP)
    UNION ALL
    SELECT 'j', CAST(min(t0) AS DATE) FROM ua
    WHERE NOT single AND t0 >= CAST($month_from AS TIMESTAMP) GROUP BY user_id
    UNION ALL
    SELECT 'c', CAST(c1 AS DATE) FROM ua
    WHERE single AND contacted AND c1 >= CAST($month_from AS TIMESTAMP) AND c1 < CAST(CAST($month_to AS DATE) + 1 AS TIMESTAMP)
    UNION ALL
    SELECT 'c', CAST(min(c1) AS DATE) FROM ua
    WHERE NOT single AND contacted AND c1 >= CAST($month_from AS TIMESTAMP) AND c1 < CAST(CAST($month_to AS DATE) + 1 AS TIMESTAMP)
    GROUP BY user_id
    UNION ALL
    SELECT 'p', CAST(p1 AS DATE) FROM ua
    WHERE single AND paid AND p1 >= CAST($month_from AS TIMESTAMP) AND p1 < CAST(CAST($month_to AS DATE) + 1 AS TIMESTAMP)
    UNION ALL
    SELECT 'p', CAST(min(p1) AS DATE) FROM ua
    WHERE NOT single AND paid AND p1 >= CAST($month_from AS TIMESTAMP) AND p1 < CAST(CAST($month_to AS DATE) + 1 AS TIMESTAMP)
    GROUP BY user_id
),
n AS (
    SELECT day, count(*) FILTER (WHERE s = 'j') AS joins, count(*) FILTER (WHERE s = 'c') AS contacted,
           count(*) FILTER (WHERE s = 'p') AS paid
    FROM ev
    GROUP BY day
),
r AS (
    SELECT CAST(paid_at AS DATE) AS day, sum(revenue) AS revenue
    FROM fct_revenue($window_days, CAST($model AS VARCHAR))
    WHERE paid_at >= CAST($month_from AS TIMESTAMP) AND paid_at < CAST(CAST($month_to AS DATE) + 1 AS TIMESTAMP)
      AND (len(CAST($channels AS VARCHAR[])) = 0 OR list_contains(CAST($channels AS VARCHAR[]), channel))
    GROUP BY 1
),
a AS (
    SELECT CAST(published_at AS DATE) AS day, CAST(sum(reads) AS BIGINT) AS reads
    FROM sel_articles(CAST($month_from AS DATE), CAST($month_to AS DATE), CAST($channels AS VARCHAR[]))
    GROUP BY 1
),
days AS (
    SELECT CAST(unnest(generate_series(CAST($month_from AS DATE), CAST($month_to AS DATE),
                                       INTERVAL 1 DAY)) AS DATE) AS day
)
SELECT
    days.day,
    coalesce(a.reads, 0) AS reads,
    coalesce(n.joins, 0) AS joins,
    coalesce(n.contacted, 0) AS contacted,
    coalesce(n.paid, 0) AS paid,
    money(coalesce(r.revenue, 0)) AS revenue
FROM days
LEFT JOIN a ON a.day = days.day
LEFT JOIN n ON n.day = days.day
LEFT JOIN r ON r.day = days.day
ORDER BY days.day;
