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
WITH e AS (
    SELECT dg_as_of(CAST($cur_to AS DATE)) AS as_of, CAST($cur_from AS DATE) AS d0
),
o AS (
    SELECT f.user_id, a.channel, f.t0, f.t_end, coalesce(f.t1 < e.as_of, false) AS contacted,
           CAST(f.t0 AS DATE) >= e.d0 AS in_period, e.as_of
    FROM fct_funnel($window_days) AS f
    JOIN sel_articles(NULL, NULL, CAST($channels AS VARCHAR[])) AS a ON a.article_id = f.article_id
    CROSS JOIN e
    WHERE f.t0 < e.as_of AND f.t_end >= e.as_of
      AND NOT EXISTS (
          SELECT 1 FROM stg_payments AS p
          WHERE p.user_id = f.user_id AND p.paid_at >= f.t0 AND p.paid_at < e.as_of)
),
u AS (
    SELECT CASE WHEN grouping(channel) = 1 THEN 'total' ELSE 'channel' END AS level, channel, user_id,
           bool_or(contacted) AS c, bool_or(in_period) AS ip,
           max(t_end) < any_value(as_of) + INTERVAL 7 DAY AS soon
    FROM o
    GROUP BY GROUPING SETS ((channel, user_id), (user_id))
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
