-- The markov chain's transition probabilities for a window of $window_days days
-- (mk_transitions, counts over every path, normalised per from-state): from
-- (from_channel; NULL = (start)) to (to_channel with to_state 'channel', or
-- to_state 'conversion' / 'null'), with the count n.
SELECT from_channel, to_channel, to_state, n,
       CAST(n AS DOUBLE) / sum(n) OVER (PARTITION BY from_channel) AS probability
FROM mk_transitions
WHERE window_days = $window_days
ORDER BY from_channel NULLS FIRST, to_state, to_channel;
