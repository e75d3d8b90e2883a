-- The markov chain's transitions per user for a window of $window_days days, as
-- distinct patterns (the bootstrap of the removal effects resamples users; users
-- with the same transitions are interchangeable). The transitions are those of
-- queries/models/17_mk_chain.sql for this window: mk_pairs gives each converting
-- path's (start) -> oldest eligible touch, touch -> next newer touch (not to the
-- same channel) and newest touch -> (conversion); mk_null_touch each null path's.
-- One row per (pattern, transition): pattern_id, users (of the pattern),
-- from_channel (NULL = (start)), to_channel, to_state, n (times in the pattern).
WITH t AS (
    SELECT user_id, CAST(NULL AS VARCHAR) AS f, channel AS c, 'channel' AS s
    FROM mk_pairs WHERE w_in <= $window_days AND $window_days <= w_first_hi
    UNION ALL
    SELECT user_id, channel, newer_channel, 'channel'
    FROM mk_pairs WHERE w_in <= $window_days AND newer_channel IS NOT NULL AND newer_channel <> channel
    UNION ALL
    SELECT user_id, channel, NULL, 'conversion'
    FROM mk_pairs WHERE rk_desc = 1 AND w_in <= $window_days
    UNION ALL
    SELECT user_id, prev_channel, channel, 'channel'
    FROM mk_null_touch WHERE $window_days <= w_hi AND (prev_channel IS NULL OR prev_channel <> channel)
    UNION ALL
    SELECT user_id, channel, NULL, 'null'
    FROM mk_null_touch WHERE $window_days <= w_hi AND is_last
),
ut AS (SELECT user_id, f, c, s, count(*) AS n FROM t GROUP BY ALL),
u AS (
    SELECT user_id, list({'f': f, 'c': c, 's': s, 'n': n} ORDER BY f NULLS FIRST, c NULLS FIRST, s) AS pattern
    FROM ut GROUP BY user_id
),
p AS (
    SELECT pattern, count(*) AS users FROM u GROUP BY pattern
),
pid AS (
    SELECT pattern, users, row_number() OVER (ORDER BY pattern) AS pattern_id FROM p
)
SELECT pattern_id, users, x.f AS from_channel, x.c AS to_channel, x.s AS to_state, x.n AS n
FROM (SELECT pattern_id, users, unnest(pattern) AS x FROM pid)
ORDER BY pattern_id, from_channel NULLS FIRST, to_channel NULLS FIRST, to_state;
