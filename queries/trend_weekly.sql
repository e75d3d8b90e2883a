-- The weekly trend of the selected articles' funnel (ISO weeks, Monday first).
--   joins / contacted / paid: distinct users, each in the week of their FIRST
--     touch on any selected article (the earliest t0 of fct_funnel), counted
--     contacted / paid as in report_totals. Summed over weeks they equal the totals.
--   reads, cost: summed by the article's publish week.
--   revenue: attributed revenue of the selected articles by the week of the
--     touch it is credited to.
--   maturing: the week's last users have not yet had the full W-day window
--     by the last moment in the data (week start + 7 days + W > last event),
--     so its contacted / paid / revenue may still grow.
-- Every week from the first to the last is present (zeros in gaps).
WITH a AS (
    SELECT * FROM sel_articles(CAST($date_from AS DATE), CAST($date_to AS DATE), CAST($channels AS VARCHAR[]))
),
uw AS (  -- users with one row: that row (by day sums); others: sel_multi (first selected t0, any row)
    SELECT week, CAST(sum(joins) AS BIGINT) AS joins, CAST(sum(contacted) AS BIGINT) AS contacted,
           CAST(sum(paid) AS BIGINT) AS paid
    FROM (
        SELECT CAST(date_trunc('week', t0_day) AS DATE) AS week, sum(n_single) AS joins, 0 AS contacted,
               0 AS paid
        FROM agg_user_days
        WHERE in_sel(pub_day, channel, $date_from, $date_to, CAST($channels AS VARCHAR[]))
        GROUP BY 1
        HAVING sum(n_single) > 0
        UNION ALL
        SELECT CAST(date_trunc('week', t0_day) AS DATE), 0, sum(contacted), sum(paid)
        FROM sel_single($window_days, $date_from, $date_to, CAST($channels AS VARCHAR[]))
        GROUP BY 1
        UNION ALL
        SELECT CAST(date_trunc('week', t0) AS DATE), count(*), count(*) FILTER (WHERE contacted),
               count(*) FILTER (WHERE paid)
        FROM sel_multi($window_days, $date_from, $date_to, CAST($channels AS VARCHAR[]))
        GROUP BY 1
    )
    GROUP BY week
),
aw AS (
    SELECT CAST(date_trunc('week', published_at) AS DATE) AS week,
           CAST(sum(reads) AS BIGINT) AS reads, sum(cost) AS cost
    FROM a GROUP BY 1
),
rw AS (
    SELECT r.touch_week AS week, sum(r.revenue) AS revenue
    FROM fct_revenue($window_days, CAST($model AS VARCHAR)) AS r
    WHERE in_sel(r.pub_day, r.channel, $date_from, $date_to, CAST($channels AS VARCHAR[]))
    GROUP BY 1
),
span AS (
    SELECT min(week) AS w0, max(week) AS w1
    FROM (SELECT week FROM uw UNION ALL SELECT week FROM aw UNION ALL SELECT week FROM rw)
),
weeks AS (
    SELECT CAST(unnest(generate_series(w0, w1, INTERVAL 7 DAY)) AS DATE) AS week
    FROM span WHERE w0 IS NOT NULL
),
last_at AS (
    SELECT data_now() AS t  -- the latest event in the store (models/05_now.sql)
)
SELECT
    weeks.week,
    coalesce(aw.reads, 0) AS reads,
    coalesce(uw.joins, 0) AS joins,
    coalesce(uw.contacted, 0) AS contacted,
    coalesce(uw.paid, 0) AS paid,
    money(coalesce(rw.revenue, 0)) AS revenue,
    -- unknown cost stays unknown: 0 only when nothing was published that week
    money(CASE WHEN aw.week IS NULL THEN 0 ELSE aw.cost END) AS cost,
    contact_rate(uw.contacted, uw.joins) AS contact_rate,
    pay_rate(uw.paid, uw.contacted) AS pay_rate,
    overall_rate(uw.paid, uw.joins) AS overall_rate,
    (weeks.week + to_days(7 + CAST($window_days AS INTEGER))) > (SELECT t FROM last_at) AS maturing
FROM weeks
LEFT JOIN uw ON uw.week = weeks.week
LEFT JOIN aw ON aw.week = weeks.week
LEFT JOIN rw ON rw.week = weeks.week
ORDER BY weeks.week;
