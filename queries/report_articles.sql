-- Per-article report (CONTRACT §2): the funnel, attributed revenue under
-- $model, cost, ROI and rates, for the articles the period/channels select
-- (sel_article_rows, models/36_article_rows.sql), with the 95% Wilson intervals
-- of the four rates (funnel_intervals, models/35_metrics.sql; null wherever the
-- rate is null), by revenue.
SELECT * EXCLUDE (small_sample), unnest(funnel_intervals(reads, joins, contacted, paid)), small_sample
FROM sel_article_rows($window_days, CAST($model AS VARCHAR), CAST($date_from AS DATE), CAST($date_to AS DATE),
                      CAST($channels AS VARCHAR[]))
ORDER BY revenue DESC, article_id;
