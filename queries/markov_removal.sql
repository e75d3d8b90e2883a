-- The markov model for a window of $window_days days, per channel of the chain:
-- its removal effect (mk_removal; docs/METRICS.md "The markov model"), its
-- sample size: the paths through it (paths, all; conv_paths, converting), from
-- mk_channel_paths. Whole-store figures: the chain is built from every path,
-- whatever the period or channel filter. The bootstrap interval is computed on
-- demand from the users' patterns (markov.removal_table, markov_user_paths.sql).
SELECT
    r.channel,
    r.removal_effect,
    r.p_conv, r.p_without,
    coalesce(cp.paths, 0) AS paths,
    coalesce(cp.conv_paths, 0) AS conv_paths
FROM mk_removal AS r
LEFT JOIN mk_channel_paths AS cp ON cp.window_days = r.window_days AND cp.channel = r.channel
WHERE r.window_days = $window_days
ORDER BY r.removal_effect DESC, r.channel;
