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
-- before the end. A user with one row (in the channel / at all) is that row;
-- the others are grouped.)
WITH o AS NOT MATERIALIZED (
    SELECT mkey, multi, multi_ch, channel, t0 + to_days(CAST($window_days AS INTEGER)) AS t_end,
           coalesce(dc_us <= win_us($window_days) AND c1 < dg_as_of(CAST($cur_to AS DATE)), false) AS contacted,
           CAST(t0 AS DATE) >= CAST($cur_from AS DATE) AS in_period,
           dg_as_of(CAST($cur_to AS DATE)) AS as_of
    FROM fct_user_article
    WHERE t0 < dg_as_of(CAST($cur_to AS DATE))
      AND t0 >= dg_as_of(CAST($cur_to AS DATE)) - to_days(CAST($window_days AS INTEGER))
      AND NOT coalesce(q1 < dg_as_of(CAST($cur_to AS DATE)), false)
      AND (len(CAST($channels AS VARCHAR[])) = 0 OR list_contains(CAST($channels AS VARCHAR[]), channel))
),
u AS (  -- users with several rows (at all / in the channel): grouped, one row each
    SELECT 'total' AS level, CAST(NULL AS VARCHAR) AS channel,
           bool_or(contacted) AS c, bool_or(in_period) AS ip, max(t_end) < any_value(as_of) + INTERVAL 7 DAY AS soon
    FROM o WHERE multi GROUP BY mkey
    UNION ALL
    SELECT 'channel', channel, bool_or(contacted), bool_or(in_period), max(t_end) < any_value(as_of) + INTERVAL 7 DAY
    FROM o WHERE multi_ch GROUP BY channel, mkey
),
sc AS (  -- the rows of users with one row in the channel, counted per channel in one pass:
         -- all of them for the channel, those of users with one row at all (one) for the total
    SELECT channel,
           count(*) AS open,
           count(*) FILTER (WHERE c) AS contacted,
           count(*) FILTER (WHERE NOT c) AS not_contacted,
           count(*) FILTER (WHERE NOT c AND soon) AS closing_soon,
           count(*) FILTER (WHERE ip) AS from_period,
           count(*) FILTER (WHERE one) AS open1,
           count(*) FILTER (WHERE one AND c) AS contacted1,
           count(*) FILTER (WHERE one AND NOT c) AS not_contacted1,
           count(*) FILTER (WHERE one AND NOT c AND soon) AS closing_soon1,
           count(*) FILTER (WHERE one AND ip) AS from_period1
    FROM (SELECT channel, NOT multi AS one, contacted AS c, in_period AS ip,
                 t_end < as_of + INTERVAL 7 DAY AS soon
          FROM o WHERE NOT multi_ch)
    GROUP BY channel
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
