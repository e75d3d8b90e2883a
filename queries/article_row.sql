-- One article's row of the table `board` (article_rows for the view's filters,
-- registered by contentroi/sql.py run_on), with the rates' 95% Wilson intervals
-- (funnel_intervals, as report_articles has them): the /articles detail.
SELECT * EXCLUDE (small_sample), unnest(funnel_intervals(reads, joins, contacted, paid)), small_sample
FROM board WHERE article_id = CAST($article_id AS VARCHAR);
