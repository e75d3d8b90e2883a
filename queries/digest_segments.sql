-- The digest's numbers per segment: one 'total' row and one row per channel,
-- for the current period [$cur_from, $cur_to] and the previous one
-- [$prev_from, $prev_to] (inclusive dates; see models/40_digest.sql).
--   joins, contacted, paid   distinct users of the period's cohort (dg_cohort:
--                            t0 in the period, measured as of its end); a
--                            user counts once per channel and once in total
--   articles, reads, cost    of the articles PUBLISHED in the period
--   revenue                  attributed revenue ($model, W) of the payments
--                            dated in the period (dg_revenue)
--   unattributed             payments dated in the period with no eligible
--                            touch (total row only; NULL on channel rows)
-- Channel rows are ranked by revenue (rank 1 = most; only revenue > 0 is
-- ranked; ties by channel name); rank_change = rank_prev - rank (positive:
-- moved up). The total row is always there, even for an empty period.
WITH win AS (
    SELECT 'cur' AS w, CAST($cur_from AS DATE) AS d0, CAST($cur_to AS DATE) AS d1
    UNION ALL
    SELECT 'prev', CAST($prev_from AS DATE), CAST($prev_to AS DATE)
),
co AS NOT MATERIALIZED (
    SELECT 'cur' AS w, *
    FROM dg_cohort($window_days, CAST($cur_from AS DATE), CAST($cur_to AS DATE), CAST($channels AS VARCHAR[]))
    UNION ALL
    SELECT 'prev' AS w, *
    FROM dg_cohort($window_days, CAST($prev_from AS DATE), CAST($prev_to AS DATE), CAST($channels AS VARCHAR[]))
),
fun AS (  -- distinct users per (window, channel) and per window: a user with one row
          -- (in the channel / at all) is that row (counted by agg_user_days, and contacted /
          -- paid by agg_user_cuts); the others are grouped
    SELECT w, level, channel, CAST(sum(joins) AS BIGINT) AS joins,
           CAST(sum(contacted) AS BIGINT) AS contacted, CAST(sum(paid) AS BIGINT) AS paid
    FROM (
        SELECT win.w, 'total' AS level, CAST(NULL AS VARCHAR) AS channel, sum(g.n_single) AS joins,
               0 AS contacted, 0 AS paid
        FROM agg_user_days AS g
        JOIN win ON g.t0_day BETWEEN win.d0 AND win.d1
        WHERE in_sel(g.pub_day, g.channel, NULL, NULL, CAST($channels AS VARCHAR[]))
        GROUP BY win.w
        HAVING sum(g.n_single) > 0
        UNION ALL
        SELECT win.w, 'channel', g.channel, sum(g.n_single_ch), 0, 0
        FROM agg_user_days AS g
        JOIN win ON g.t0_day BETWEEN win.d0 AND win.d1
        WHERE in_sel(g.pub_day, g.channel, NULL, NULL, CAST($channels AS VARCHAR[]))
        GROUP BY win.w, g.channel
        HAVING sum(g.n_single_ch) > 0
        UNION ALL
        -- multi-row users: one with one row in the period is that row (alone), the others grouped
        SELECT w, 'total', NULL, count(*), count(*) FILTER (WHERE contacted), count(*) FILTER (WHERE paid)
        FROM co WHERE multi AND alone GROUP BY w
        UNION ALL
        SELECT w, 'total', NULL, count(*), count(*) FILTER (WHERE c), count(*) FILTER (WHERE p)
        FROM (SELECT w, mkey, bool_or(contacted) AS c, bool_or(paid) AS p FROM co WHERE multi AND NOT alone
              GROUP BY w, mkey)
        GROUP BY w
        UNION ALL
        -- the active rows of users with one row in the channel, counted per day of t0 and day of
        -- each event (agg_user_cuts: contacted within W and before the period's end, paid so),
        -- in one pass: each counts for its channel (n_ch), and for the total when the user has
        -- one row at all (n)
        SELECT w, unnest(['channel', 'total']), unnest([channel, NULL]), 0,
               unnest([n_c, n_c1]), unnest([n_p, n_p1])
        FROM (SELECT w, channel,
                     coalesce(sum(n_ch) FILTER (WHERE c), 0) AS n_c, coalesce(sum(n_ch) FILTER (WHERE p), 0) AS n_p,
                     coalesce(sum(n) FILTER (WHERE c), 0) AS n_c1, coalesce(sum(n) FILTER (WHERE p), 0) AS n_p1
              FROM (SELECT win.w, g.channel, g.n, g.n_ch,
                           g.lc <= CAST($window_days AS INTEGER) AND g.t0_day + g.co <= win.d1 AS c,
                           g.lp <= CAST($window_days AS INTEGER) AND g.t0_day + g.po <= win.d1 AS p
                    FROM agg_user_cuts AS g
                    JOIN win ON g.t0_day BETWEEN win.d0 AND win.d1
                    WHERE len(CAST($channels AS VARCHAR[])) = 0 OR list_contains(CAST($channels AS VARCHAR[]), g.channel))
              GROUP BY w, channel
              HAVING sum(n_ch) > 0)
        UNION ALL
        SELECT w, 'channel', channel, count(*), count(*) FILTER (WHERE contacted), count(*) FILTER (WHERE paid)
        FROM co WHERE multi_ch AND alone GROUP BY w, channel
        UNION ALL
        SELECT w, 'channel', channel, count(*), count(*) FILTER (WHERE c), count(*) FILTER (WHERE p)
        FROM (SELECT w, channel, mkey, bool_or(contacted) AS c, bool_or(paid) AS p
              FROM co WHERE multi_ch AND NOT alone GROUP BY w, channel, mkey)
        GROUP BY w, channel
    )
    GROUP BY w, level, channel
),
pub AS (
    SELECT win.w, CASE WHEN grouping(a.channel) = 1 THEN 'total' ELSE 'channel' END AS level,
           a.channel, count(*) AS articles, sum(a.reads) AS reads, sum(a.cost) AS cost
    FROM sel_articles(NULL, NULL, CAST($channels AS VARCHAR[])) AS a
    JOIN win ON CAST(a.published_at AS DATE) BETWEEN win.d0 AND win.d1
    GROUP BY GROUPING SETS ((win.w, a.channel), (win.w))
),
rv AS (
    SELECT 'cur' AS w, * FROM dg_revenue($window_days, CAST($model AS VARCHAR), CAST($cur_from AS DATE),
                                         CAST($cur_to AS DATE), CAST($channels AS VARCHAR[]))
    UNION ALL
    SELECT 'prev' AS w, * FROM dg_revenue($window_days, CAST($model AS VARCHAR), CAST($prev_from AS DATE),
                                          CAST($prev_to AS DATE), CAST($channels AS VARCHAR[]))
),
rev AS (
    SELECT w, CASE WHEN grouping(channel) = 1 THEN 'total' ELSE 'channel' END AS level,
           channel, sum(revenue) AS revenue
    FROM rv GROUP BY GROUPING SETS ((w, channel), (w))
),
un AS (  -- payments dated in the period with no eligible touch (unattributed_paid)
    SELECT 'cur' AS w, 'total' AS level, CAST(NULL AS VARCHAR) AS channel,
           unattributed_paid($window_days, CAST($cur_from AS DATE), CAST($cur_to AS DATE)) AS unattributed
    UNION ALL
    SELECT 'prev', 'total', NULL,
           unattributed_paid($window_days, CAST($prev_from AS DATE), CAST($prev_to AS DATE))
),
long AS (
    SELECT w, level, channel, joins, contacted, paid FROM fun
    UNION ALL BY NAME SELECT w, level, channel, articles, reads, cost FROM pub
    UNION ALL BY NAME SELECT w, level, channel, revenue FROM rev
    UNION ALL BY NAME SELECT w, level, channel, unattributed FROM un
    UNION ALL BY NAME SELECT w, 'total' AS level, CAST(NULL AS VARCHAR) AS channel FROM win
),
wide AS (
    SELECT
        level, channel,
        coalesce(sum(joins) FILTER (WHERE w = 'cur'), 0) AS joins,
        coalesce(sum(contacted) FILTER (WHERE w = 'cur'), 0) AS contacted,
        coalesce(sum(paid) FILTER (WHERE w = 'cur'), 0) AS paid,
        coalesce(sum(articles) FILTER (WHERE w = 'cur'), 0) AS articles,
        sum(reads) FILTER (WHERE w = 'cur') AS reads,
        sum(cost) FILTER (WHERE w = 'cur') AS cost,
        coalesce(sum(revenue) FILTER (WHERE w = 'cur'), 0) AS revenue,
        sum(unattributed) FILTER (WHERE w = 'cur') AS unattributed,
        coalesce(sum(joins) FILTER (WHERE w = 'prev'), 0) AS joins_prev,
        coalesce(sum(contacted) FILTER (WHERE w = 'prev'), 0) AS contacted_prev,
        coalesce(sum(paid) FILTER (WHERE w = 'prev'), 0) AS paid_prev,
        coalesce(sum(articles) FILTER (WHERE w = 'prev'), 0) AS articles_prev,
        sum(reads) FILTER (WHERE w = 'prev') AS reads_prev,
        sum(cost) FILTER (WHERE w = 'prev') AS cost_prev,
        coalesce(sum(revenue) FILTER (WHERE w = 'prev'), 0) AS revenue_prev,
        sum(unattributed) FILTER (WHERE w = 'prev') AS unattributed_prev
    FROM long
    GROUP BY level, channel
),
ranked AS (
    SELECT *,
        CASE WHEN level = 'channel' AND round(revenue, 2) > 0 THEN
            row_number() OVER (PARTITION BY level, round(revenue, 2) > 0 ORDER BY revenue DESC, channel) END AS rank,
        CASE WHEN level = 'channel' AND round(revenue_prev, 2) > 0 THEN
            row_number() OVER (PARTITION BY level, round(revenue_prev, 2) > 0 ORDER BY revenue_prev DESC, channel) END
            AS rank_prev
    FROM wide
)
SELECT
    level, channel,
    CAST(joins AS BIGINT) AS joins, CAST(contacted AS BIGINT) AS contacted, CAST(paid AS BIGINT) AS paid,
    contact_rate(contacted, joins) AS contact_rate, pay_rate(paid, contacted) AS pay_rate, overall_rate(paid, joins) AS overall_rate,
    CAST(articles AS BIGINT) AS articles,
    CAST(CASE WHEN articles = 0 THEN 0 ELSE reads END AS BIGINT) AS reads,
    money(CASE WHEN articles = 0 THEN 0 ELSE cost END) AS cost,
    money(revenue) AS revenue,
    CASE WHEN level = 'total' THEN money(coalesce(unattributed, 0)) END AS unattributed,
    CAST(joins_prev AS BIGINT) AS joins_prev, CAST(contacted_prev AS BIGINT) AS contacted_prev,
    CAST(paid_prev AS BIGINT) AS paid_prev,
    contact_rate(contacted_prev, joins_prev) AS contact_rate_prev, pay_rate(paid_prev, contacted_prev) AS pay_rate_prev,
    overall_rate(paid_prev, joins_prev) AS overall_rate_prev,
    CAST(articles_prev AS BIGINT) AS articles_prev,
    CAST(CASE WHEN articles_prev = 0 THEN 0 ELSE reads_prev END AS BIGINT) AS reads_prev,
    money(CASE WHEN articles_prev = 0 THEN 0 ELSE cost_prev END) AS cost_prev,
    money(revenue_prev) AS revenue_prev,
    CASE WHEN level = 'total' THEN money(coalesce(unattributed_prev, 0)) END AS unattributed_prev,
    CAST(rank AS BIGINT) AS rank,
    CAST(rank_prev AS BIGINT) AS rank_prev,
    CAST(rank_prev - rank AS BIGINT) AS rank_change
FROM ranked
ORDER BY level DESC, rank NULLS LAST, revenue DESC, joins DESC, channel;
