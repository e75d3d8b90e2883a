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
WITH ch AS (SELECT CAST($channels AS VARCHAR[]) AS l),
ua AS (
    SELECT u.user_id, u.t0,
           CASE WHEN u.contacted THEN u.c1 END AS c_at,
           CASE WHEN u.paid THEN u.p1 END AS p_at
    FROM sel_ua($window_days, NULL, NULL, (SELECT l FROM ch)) AS u
    WHERE u.t0 < CAST($month_to AS DATE) + 1
      AND u.t0 >= CAST($month_from AS DATE) - INTERVAL 366 DAY
),
j AS (
    SELECT CAST(min(t0) AS DATE) AS day FROM ua
    WHERE CAST(t0 AS DATE) BETWEEN CAST($month_from AS DATE) AND CAST($month_to AS DATE)
    GROUP BY user_id
),
c AS (
    SELECT CAST(min(c_at) AS DATE) AS day FROM ua
    WHERE CAST(c_at AS DATE) BETWEEN CAST($month_from AS DATE) AND CAST($month_to AS DATE)
    GROUP BY user_id
),
p AS (
    SELECT CAST(min(p_at) AS DATE) AS day FROM ua
    WHERE CAST(p_at AS DATE) BETWEEN CAST($month_from AS DATE) AND CAST($month_to AS DATE)
    GROUP BY user_id
),
r AS (
    SELECT CAST(paid_at AS DATE) AS day, sum(revenue) AS revenue
    FROM fct_revenue($window_days, CAST($model AS VARCHAR))
    WHERE CAST(paid_at AS DATE) BETWEEN CAST($month_from AS DATE) AND CAST($month_to AS DATE)
      AND (len((SELECT l FROM ch)) = 0 OR list_contains((SELECT l FROM ch), channel))
    GROUP BY 1
),
a AS (
    SELECT CAST(published_at AS DATE) AS day, CAST(sum(reads) AS BIGINT) AS reads
    FROM sel_articles(CAST($month_from AS DATE), CAST($month_to AS DATE), (SELECT l FROM ch))
    GROUP BY 1
),
n AS (
    SELECT day, count(*) FILTER (WHERE s = 'j') AS joins, count(*) FILTER (WHERE s = 'c') AS contacted,
           count(*) FILTER (WHERE s = 'p') AS paid
    FROM (SELECT day, 'j' AS s FROM j UNION ALL SELECT day, 'c' FROM c UNION ALL SELECT day, 'p' FROM p)
    GROUP BY day
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
