-- Every monthly target (contentroi/targets.py): channel '' is the total.
SELECT month, metric, channel, value
FROM targets
ORDER BY month, channel, metric;
