-- The markov chain's transitions per user for a window of $window_days days, as
-- distinct patterns with their numbers of users (the bootstrap of the removal
-- effects resamples users; users with the same transitions are interchangeable):
-- the users whose paths depend on the window (mk_patterns, 17_mk_chain.sql), then
-- those whose null path is the same for every window (mk_static_patterns, counted
-- on load), numbered after them. Long form: pattern_id, users, from_channel
-- (NULL = (start)), to_channel, to_state, n.
WITH d AS (
    SELECT * FROM mk_patterns(CAST($window_days AS INTEGER), false)
),
off AS (SELECT coalesce(max(pattern_id), 0) AS o FROM d)
SELECT pattern_id, users, from_channel, to_channel, to_state, n FROM d
UNION ALL
SELECT s.pattern_id + off.o, s.users, s.from_channel, s.to_channel, s.to_state, s.n
FROM mk_static_patterns AS s, off
ORDER BY pattern_id, from_channel NULLS FIRST, to_channel NULLS FIRST, to_state;
