-- One article's row of the table `board` (report_articles for the view's filters,
-- registered by contentroi/sql.py run_on): the /articles detail.
SELECT * FROM board WHERE article_id = CAST($article_id AS VARCHAR);
