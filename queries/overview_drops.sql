-- Where the funnel narrowed: every (channel, stage) whose step rate fell from
-- the previous window to the current one, worst first. A window selects
-- articles by published_at (inclusive dates, like the period filter); users
-- are distinct per channel, as in report_channels.
--   stage join_rate    joins / reads       (n = reads, views)
--   stage contact_rate contacted / joins   (n = joins, users)
--   stage pay_rate     paid / contacted    (n = contacted, users)
-- change    = (rate_cur - rate_prev) / rate_prev   (relative; ranks the drops)
-- change_pp = rate_cur - rate_prev                 (absolute)
-- shortfall = (rate_prev - rate_cur) * n_cur: how many fewer reached the next
--             stage than the previous rate would have brought.
-- Only segments with n >= $min_n in BOTH windows are compared.
WITH win AS (
    SELECT 'cur' AS w, CAST($cur_from AS DATE) AS d0, CAST($cur_to AS DATE) AS d1
    UNION ALL
    SELECT 'prev', CAST($prev_from AS DATE), CAST($prev_to AS DATE)
),
a AS (
    SELECT win.w, a.article_id, a.channel, a.reads
    FROM sel_articles(NULL, NULL, CAST($channels AS VARCHAR[])) AS a
    JOIN win ON CAST(a.published_at AS DATE) BETWEEN win.d0 AND win.d1
),
fu AS (  -- each window's users with several rows in a channel, one row per channel
    SELECT 'cur' AS w, * FROM sel_multi_ch($window_days, $cur_from, $cur_to, CAST($channels AS VARCHAR[]))
    UNION ALL
    SELECT 'prev' AS w, * FROM sel_multi_ch($window_days, $prev_from, $prev_to, CAST($channels AS VARCHAR[]))
),
cf AS (  -- distinct users per channel: a user with one row in the channel is that row
         -- (counted by agg_user_days, and contacted / paid by agg_user_lags: sel_single)
    SELECT w, channel, CAST(sum(joins) AS BIGINT) AS joins, CAST(sum(contacted) AS BIGINT) AS contacted,
           CAST(sum(paid) AS BIGINT) AS paid
    FROM (
        SELECT win.w, g.channel, sum(g.n_single_ch) AS joins, 0 AS contacted, 0 AS paid
        FROM agg_user_days AS g
        JOIN win ON g.pub_day BETWEEN win.d0 AND win.d1
        WHERE in_sel(g.pub_day, g.channel, NULL, NULL, CAST($channels AS VARCHAR[]))
        GROUP BY win.w, g.channel
        UNION ALL
        SELECT win.w, s.channel, 0, sum(s.contacted_ch), sum(s.paid_ch)
        FROM sel_single($window_days, NULL, NULL, CAST($channels AS VARCHAR[])) AS s
        JOIN win ON s.pub_day BETWEEN win.d0 AND win.d1
        GROUP BY win.w, s.channel
        UNION ALL
        SELECT w, channel, count(*), count(*) FILTER (WHERE contacted), count(*) FILTER (WHERE paid)
        FROM fu
        GROUP BY w, channel
    )
    GROUP BY w, channel
),
ca AS (
    SELECT w, channel, sum(reads) AS reads FROM a GROUP BY ALL
),
m AS (
    SELECT ca.w, ca.channel, ca.reads,
           coalesce(cf.joins, 0) AS joins, coalesce(cf.contacted, 0) AS contacted,
           coalesce(cf.paid, 0) AS paid
    FROM ca LEFT JOIN cf ON cf.w = ca.w AND cf.channel = ca.channel
),
st AS (  -- one row per step: stage, num, den, r (the metrics layer's funnel_steps)
    SELECT w, channel, unnest(funnel_steps(reads, joins, contacted, paid), recursive := true) FROM m
),
cmp AS (
    SELECT c.channel, c.stage,
           c.num AS num_cur, c.den AS n_cur, p.num AS num_prev, p.den AS n_prev,
           c.r AS r_cur, p.r AS r_prev
    FROM st AS c
    JOIN st AS p ON p.channel = c.channel AND p.stage = c.stage AND p.w = 'prev'
    WHERE c.w = 'cur'
)
SELECT
    channel, stage,
    round(r_cur, 4) AS rate_cur,
    round(r_prev, 4) AS rate_prev,
    CAST(n_cur AS BIGINT) AS n_cur,
    CAST(n_prev AS BIGINT) AS n_prev,
    CAST(num_cur AS BIGINT) AS num_cur,
    CAST(num_prev AS BIGINT) AS num_prev,
    growth(r_cur, r_prev) AS change,
    round(r_cur - r_prev, 4) AS change_pp,
    CAST(round((r_prev - r_cur) * n_cur) AS BIGINT) AS shortfall
FROM cmp
WHERE n_cur >= $min_n AND n_prev >= $min_n AND r_prev > 0 AND r_cur < r_prev
ORDER BY (r_cur - r_prev) / r_prev, channel, stage;
