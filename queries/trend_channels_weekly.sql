-- The weekly trend per channel, with the definitions of trend_weekly.sql
-- applied within each channel: a user counts once per channel, in the week of
-- their first touch on one of the channel's selected articles (so a channel's
-- weeks sum to its row of report_channels). reads by publish week; revenue by
-- the week of the credited touch; overall_rate = paid / joins of the week's users.
-- Every (channel, week) from the first week to the last is present.
WITH a AS (
    SELECT * FROM sel_articles(CAST($date_from AS DATE), CAST($date_to AS DATE), CAST($channels AS VARCHAR[]))
),
uw AS (  -- users with one row in the channel's selection: that row; others: sel_multi_ch
    SELECT channel, week, CAST(sum(joins) AS BIGINT) AS joins, CAST(sum(contacted) AS BIGINT) AS contacted,
           CAST(sum(paid) AS BIGINT) AS paid
    FROM (
        SELECT channel, CAST(date_trunc('week', t0_day) AS DATE) AS week, sum(n_single_ch) AS joins,
               0 AS contacted, 0 AS paid
        FROM agg_user_days
        WHERE in_sel(pub_day, channel, $date_from, $date_to, CAST($channels AS VARCHAR[]))
        GROUP BY 1, 2
        HAVING sum(n_single_ch) > 0
        UNION ALL
        SELECT channel, CAST(date_trunc('week', t0_day) AS DATE), 0, sum(contacted_ch), sum(paid_ch)
        FROM sel_single($window_days, $date_from, $date_to, CAST($channels AS VARCHAR[]))
        GROUP BY 1, 2
        UNION ALL
        SELECT channel, CAST(date_trunc('week', t0) AS DATE), count(*), count(*) FILTER (WHERE contacted),
               count(*) FILTER (WHERE paid)
        FROM sel_multi_ch($window_days, $date_from, $date_to, CAST($channels AS VARCHAR[]))
        GROUP BY 1, 2
    )
    GROUP BY channel, week
),
aw AS (
    SELECT channel, CAST(date_trunc('week', published_at) AS DATE) AS week,
           CAST(sum(reads) AS BIGINT) AS reads, sum(cost) AS cost
    FROM a GROUP BY ALL
),
rw AS (
    SELECT r.channel, r.touch_week AS week, sum(r.revenue) AS revenue
    FROM fct_revenue($window_days, CAST($model AS VARCHAR)) AS r
    WHERE in_sel(r.pub_day, r.channel, $date_from, $date_to, CAST($channels AS VARCHAR[]))
    GROUP BY ALL
),
span AS (
    SELECT min(week) AS w0, max(week) AS w1
    FROM (SELECT week FROM uw UNION ALL SELECT week FROM aw UNION ALL SELECT week FROM rw)
),
weeks AS (
    SELECT CAST(unnest(generate_series(w0, w1, INTERVAL 7 DAY)) AS DATE) AS week
    FROM span WHERE w0 IS NOT NULL
),
grid AS (
    SELECT c.channel, weeks.week FROM (SELECT DISTINCT channel FROM a) AS c, weeks
),
last_at AS (
    SELECT data_now() AS t  -- the latest event in the store (models/05_now.sql)
)
SELECT
    g.channel, g.week,
    coalesce(aw.reads, 0) AS reads,
    coalesce(uw.joins, 0) AS joins,
    coalesce(uw.contacted, 0) AS contacted,
    coalesce(uw.paid, 0) AS paid,
    money(coalesce(rw.revenue, 0)) AS revenue,
    -- unknown cost stays unknown: 0 only when nothing was published that week
    money(CASE WHEN aw.week IS NULL THEN 0 ELSE aw.cost END) AS cost,
    overall_rate(uw.paid, uw.joins) AS overall_rate,
    (g.week + to_days(7 + CAST($window_days AS INTEGER))) > (SELECT t FROM last_at) AS maturing
FROM grid AS g
LEFT JOIN uw ON uw.channel = g.channel AND uw.week = g.week
LEFT JOIN aw ON aw.channel = g.channel AND aw.week = g.week
LEFT JOIN rw ON rw.channel = g.channel AND rw.week = g.week
ORDER BY g.channel, g.week;
