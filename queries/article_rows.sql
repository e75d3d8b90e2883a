-- The /articles page's list: every selected article's row of report_articles
-- (sel_article_rows, models/36_article_rows.sql), in no order and without the rates'
-- intervals. The page caches it per view; article_search finds in it, article_board
-- sorts it and adds the intervals to the page of rows it returns, article_row to the
-- article opened (10x, 200k articles: 363-390 -> ~210 ms per window change).
SELECT *
FROM sel_article_rows($window_days, CAST($model AS VARCHAR), CAST($date_from AS DATE), CAST($date_to AS DATE),
                      CAST($channels AS VARCHAR[]));
