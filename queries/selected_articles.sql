-- How many articles the view's period and channel filters select (report_totals'
-- "articles"), for the pages' "nothing matches these filters" state.
SELECT count(*) AS articles
FROM sel_articles(CAST($date_from AS DATE), CAST($date_to AS DATE), CAST($channels AS VARCHAR[]));
