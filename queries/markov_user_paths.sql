-- The markov chain's transitions per user for a window of $window_days days, as
-- distinct patterns with their numbers of users (the bootstrap of the removal
-- effects resamples users; users with the same transitions are interchangeable),
-- looked up in mk_pattern_windows / mk_pattern_defs (17_mk_chain.sql).
-- Long form: pattern_id, users, from_channel (NULL = (start)), to_channel,
-- to_state, n (times in the pattern).
WITH u AS (
    SELECT pattern_id, sum(users) AS users
    FROM mk_pattern_windows
    WHERE lo <= $window_days AND $window_days <= hi
    GROUP BY pattern_id
)
SELECT u.pattern_id, u.users, d.from_channel, d.to_channel, d.to_state, d.n
FROM u JOIN mk_pattern_defs AS d ON d.pattern_id = u.pattern_id
ORDER BY u.pattern_id, d.from_channel NULLS FIRST, d.to_channel NULLS FIRST, d.to_state;
