-- Rows per log, and how many of them came from the bundled sample (an upload whose
-- source is 'sample'; an article row updated by a later upload carries that upload).
WITH s AS (SELECT upload_id FROM uploads WHERE source = 'sample')
SELECT 'articles' AS log, count(*) AS rows,
       count(*) FILTER (WHERE upload_id IN (SELECT upload_id FROM s)) AS sample_rows
FROM articles
UNION ALL
SELECT 'joins', count(*), count(*) FILTER (WHERE upload_id IN (SELECT upload_id FROM s)) FROM joins
UNION ALL
SELECT 'sales', count(*), count(*) FILTER (WHERE upload_id IN (SELECT upload_id FROM s)) FROM sales;
