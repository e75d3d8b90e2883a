-- How much of the selected articles' cost is known, per channel and in total
-- (level 'total', channel NULL): articles, cost_known (a cost is given), cost_free
-- (the cost given is 0). Sums of cost (report_*) add the known costs only; a page
-- says so where cost_known < articles ("unknown" is not "free").
SELECT
    CASE WHEN grouping(channel) = 1 THEN 'total' ELSE 'channel' END AS level,
    channel,
    count(*) AS articles,
    count(cost) AS cost_known,
    count(*) FILTER (WHERE cost = 0) AS cost_free
FROM sel_articles(CAST($date_from AS DATE), CAST($date_to AS DATE), CAST($channels AS VARCHAR[]))
GROUP BY GROUPING SETS ((channel), ())
ORDER BY level DESC, channel;
