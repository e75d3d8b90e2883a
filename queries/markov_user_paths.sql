-- The markov chain's transitions per user for a window of $window_days days, as
-- distinct patterns (the bootstrap of the removal effects resamples users; users
-- with the same transitions are interchangeable). The transitions are those of
-- queries/models/17_mk_chain.sql for this window: mk_pairs gives each converting
-- path's (start) -> oldest eligible touch, touch -> next newer touch (not to the
-- same channel) and newest touch -> (conversion); mk_null_touch each null path's.
-- A transition is coded as an integer (from * (k + 3) + to; states: 0 (start),
-- 1..k the channels in name order, k + 1 (conversion), k + 2 (null)), a user's
-- pattern is the sorted list of their codes.
-- One row per (pattern, transition): pattern_id, users (of the pattern),
-- from_channel (NULL = (start)), to_channel, to_state, n (times in the pattern).
WITH ch AS (
    SELECT channel, CAST(row_number() OVER (ORDER BY channel) AS BIGINT) AS id
    FROM (SELECT DISTINCT channel FROM articles)
),
k AS (SELECT count(*) + 3 AS base FROM ch),
t AS (
    SELECT user_id, CAST(NULL AS VARCHAR) AS f, channel AS c, 1 AS s
    FROM mk_pairs WHERE w_in <= $window_days AND $window_days <= w_first_hi
    UNION ALL
    SELECT user_id, channel, newer_channel, 1
    FROM mk_pairs WHERE w_in <= $window_days AND newer_channel IS NOT NULL AND newer_channel <> channel
    UNION ALL
    SELECT user_id, channel, NULL, 2
    FROM mk_pairs WHERE rk_desc = 1 AND w_in <= $window_days
    UNION ALL
    SELECT user_id, prev_channel, channel, 1
    FROM mk_null_touch WHERE $window_days <= w_hi AND (prev_channel IS NULL OR prev_channel <> channel)
    UNION ALL
    SELECT user_id, channel, NULL, 3
    FROM mk_null_touch WHERE $window_days <= w_hi AND is_last
),
coded AS (
    SELECT t.user_id,
           coalesce(fc.id, 0) * k.base
             + CASE t.s WHEN 1 THEN tc.id WHEN 2 THEN k.base - 2 ELSE k.base - 1 END AS code
    FROM t
    CROSS JOIN k
    LEFT JOIN ch AS fc ON fc.channel = t.f
    LEFT JOIN ch AS tc ON tc.channel = t.c
),
u AS (SELECT user_id, list_sort(list(code)) AS pattern FROM coded GROUP BY user_id),
p AS (SELECT pattern, count(*) AS users FROM u GROUP BY pattern),
pid AS (SELECT pattern, users, row_number() OVER (ORDER BY pattern) AS pattern_id FROM p),
x AS (
    SELECT pattern_id, users, code, count(*) AS n
    FROM (SELECT pattern_id, users, unnest(pattern) AS code FROM pid)
    GROUP BY ALL
)
SELECT x.pattern_id, x.users,
       fc.channel AS from_channel,
       tc.channel AS to_channel,
       CASE x.code % k.base WHEN k.base - 2 THEN 'conversion' WHEN k.base - 1 THEN 'null' ELSE 'channel' END AS to_state,
       x.n
FROM x
CROSS JOIN k
LEFT JOIN ch AS fc ON fc.id = x.code // k.base
LEFT JOIN ch AS tc ON tc.id = x.code % k.base
ORDER BY x.pattern_id, x.code;
