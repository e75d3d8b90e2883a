-- The /articles leaderboard's search: the rows of the table `board` (article_rows,
-- report_articles' rows for the view's filters, registered by contentroi/sql.py run_on) whose title or
-- author contains $q, case-insensitively, as plain text (no pattern); '' finds all.
SELECT *
FROM board
WHERE CAST($q AS VARCHAR) = ''
   OR strpos(lower(coalesce(title, '')), lower(CAST($q AS VARCHAR))) > 0
   OR strpos(lower(coalesce(author, '')), lower(CAST($q AS VARCHAR))) > 0;
