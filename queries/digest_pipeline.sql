-- The pipeline at the digest's end (dg_as_of($cur_to), midnight after the
-- period): users who may still convert. A (article, user) is open when
--   t0 < end <= t0 + W            (its window is still running at the end), and
--   no payment in [t0, end)        (the user has not paid since that touch).
-- Per channel (and 'total'), distinct users with an open touch:
--   open            all of them
--   contacted       of them, contacted since t0 (a contact in [t0, end) within W)
--   not_contacted   open - contacted
--   closing_soon    not contacted and every open window of theirs (in the
--                   segment) closes within 7 days of the end: call them first
--   from_period     of the open users, those whose t0 is in the period
-- (No payment in [t0, end) <=> q1, the first payment at or after t0, is not
-- before the end. A user with one row (in the channel / at all) is that row, counted by
-- day (agg_user_days) and by cut (agg_user_cuts); the others are grouped. With the end
-- the midnight after day A: t0 in the range <=> t0's day in [A + 1 - W, A]; closing
-- soon, t0 + W < end + 7 days <=> t0's day <= A + 7 - W.)
WITH o AS NOT MATERIALIZED (
    SELECT mkey, multi, multi_ch, channel, t0 + to_days(CAST($window_days AS INTEGER)) AS t_end,
           coalesce(dc_us <= win_us($window_days) AND c1 < dg_as_of(CAST($cur_to AS DATE)), false) AS contacted,
           CAST(t0 AS DATE) >= CAST($cur_from AS DATE) AS in_period,
           dg_as_of(CAST($cur_to AS DATE)) AS as_of,
           -- the user's only row in the range (dg_alone): its own open row
           dg_alone(prev_day, next_day, CAST($cur_to AS DATE) + 1 - CAST($window_days AS INTEGER),
                    CAST($cur_to AS DATE)) AS alone
    FROM fct_user_article
    WHERE t0 < dg_as_of(CAST($cur_to AS DATE))
      AND t0 >= dg_as_of(CAST($cur_to AS DATE)) - to_days(CAST($window_days AS INTEGER))
      AND NOT coalesce(q1 < dg_as_of(CAST($cur_to AS DATE)), false)
      AND (len(CAST($channels AS VARCHAR[])) = 0 OR list_contains(CAST($channels AS VARCHAR[]), channel))
      AND multi  -- (the others: sc)
),
cut AS (  -- the active rows of users with one row in the channel whose t0 is in the range, per cut
    SELECT g.channel, sum(g.n_ch) AS n_ch, sum(g.n) AS n,
           g.t0_day >= CAST($cur_from AS DATE) AS ip,
           g.t0_day <= CAST($cur_to AS DATE) + 7 - CAST($window_days AS INTEGER) AS soon,
           coalesce(g.t0_day + g.qo <= CAST($cur_to AS DATE), false) AS gone,
           coalesce(g.lc <= CAST($window_days AS INTEGER) AND g.t0_day + g.co <= CAST($cur_to AS DATE), false) AS c
    FROM agg_user_cuts AS g
    WHERE g.t0_day BETWEEN CAST($cur_to AS DATE) + 1 - CAST($window_days AS INTEGER) AND CAST($cur_to AS DATE)
      AND (len(CAST($channels AS VARCHAR[])) = 0 OR list_contains(CAST($channels AS VARCHAR[]), g.channel))
    GROUP BY ALL
),
u AS (  -- users with several rows (at all / in the channel), one row each: their only row in the
         -- range (alone), or their open rows grouped
    SELECT 'total' AS level, CAST(NULL AS VARCHAR) AS channel,
           contacted AS c, in_period AS ip, t_end < as_of + INTERVAL 7 DAY AS soon
    FROM o WHERE multi AND alone
    UNION ALL
    SELECT 'total' AS level, CAST(NULL AS VARCHAR) AS channel,
           bool_or(contacted) AS c, bool_or(in_period) AS ip, max(t_end) < any_value(as_of) + INTERVAL 7 DAY AS soon
    FROM o WHERE multi AND NOT alone GROUP BY mkey
    UNION ALL
    SELECT 'channel', channel, contacted, in_period, t_end < as_of + INTERVAL 7 DAY
    FROM o WHERE multi_ch AND alone
    UNION ALL
    SELECT 'channel', channel, bool_or(contacted), bool_or(in_period), max(t_end) < any_value(as_of) + INTERVAL 7 DAY
    FROM o WHERE multi_ch AND NOT alone GROUP BY channel, mkey
),
sc AS (  -- the users with one row in the channel, counted per channel in one pass: all of them
         -- for the channel (n_ch), those with one row at all (n) for the total. Every row whose t0
         -- is in the range (agg_user_days) counts as open and not contacted, less the active rows
         -- paid before the end (agg_user_cuts: q1's day <= the period's last day), and the open
         -- ones contacted before the end (c1's too, within W) counted as contacted instead
    SELECT channel,
           sum(n_ch) AS open,
           coalesce(sum(n_ch) FILTER (WHERE c), 0) AS contacted,
           coalesce(sum(n_ch) FILTER (WHERE NOT c), 0) AS not_contacted,
           coalesce(sum(n_ch) FILTER (WHERE NOT c AND soon), 0) AS closing_soon,
           coalesce(sum(n_ch) FILTER (WHERE ip), 0) AS from_period,
           sum(n) AS open1,
           coalesce(sum(n) FILTER (WHERE c), 0) AS contacted1,
           coalesce(sum(n) FILTER (WHERE NOT c), 0) AS not_contacted1,
           coalesce(sum(n) FILTER (WHERE NOT c AND soon), 0) AS closing_soon1,
           coalesce(sum(n) FILTER (WHERE ip), 0) AS from_period1
    FROM (
        SELECT channel, n_ch, n, false AS c, ip, soon FROM (
            SELECT g.channel, sum(g.n_single_ch) AS n_ch, sum(g.n_single) AS n,
                   g.t0_day >= CAST($cur_from AS DATE) AS ip,
                   g.t0_day <= CAST($cur_to AS DATE) + 7 - CAST($window_days AS INTEGER) AS soon
            FROM agg_user_days AS g
            WHERE g.t0_day BETWEEN CAST($cur_to AS DATE) + 1 - CAST($window_days AS INTEGER) AND CAST($cur_to AS DATE)
              AND in_sel(g.pub_day, g.channel, NULL, NULL, CAST($channels AS VARCHAR[]))
            GROUP BY ALL)
        UNION ALL
        SELECT channel, -n_ch, -n, false, ip, soon FROM cut WHERE gone OR c
        UNION ALL
        SELECT channel, n_ch, n, true, ip, soon FROM cut WHERE NOT gone AND c
    )
    GROUP BY channel
    HAVING sum(n_ch) > 0
),
s AS (
    SELECT level, channel,
           count(*) AS open,
           count(*) FILTER (WHERE c) AS contacted,
           count(*) FILTER (WHERE NOT c) AS not_contacted,
           count(*) FILTER (WHERE NOT c AND soon) AS closing_soon,
           count(*) FILTER (WHERE ip) AS from_period
    FROM u GROUP BY ALL
    UNION ALL BY NAME
    SELECT 'channel' AS level, channel, open, contacted, not_contacted, closing_soon, from_period FROM sc
    UNION ALL BY NAME
    SELECT 'total' AS level, CAST(NULL AS VARCHAR) AS channel, sum(open1) AS open, sum(contacted1) AS contacted,
           sum(not_contacted1) AS not_contacted, sum(closing_soon1) AS closing_soon, sum(from_period1) AS from_period
    FROM sc
    UNION ALL BY NAME
    SELECT 'total' AS level, CAST(NULL AS VARCHAR) AS channel, 0 AS open, 0 AS contacted, 0 AS not_contacted,
           0 AS closing_soon, 0 AS from_period
)
SELECT level, channel,
       CAST(sum(open) AS BIGINT) AS open,
       CAST(sum(contacted) AS BIGINT) AS contacted,
       CAST(sum(not_contacted) AS BIGINT) AS not_contacted,
       CAST(sum(closing_soon) AS BIGINT) AS closing_soon,
       CAST(sum(from_period) AS BIGINT) AS from_period
FROM s
GROUP BY level, channel
ORDER BY level DESC, open DESC, channel;
