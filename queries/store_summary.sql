-- What the store holds: rows and date range per log.
SELECT 'articles' AS log, count(*) AS rows, min(published_at) AS first_at, max(published_at) AS last_at FROM articles
UNION ALL
SELECT 'joins', count(*), min(joined_at), max(joined_at) FROM joins
UNION ALL
SELECT 'sales', count(*), min(occurred_at), max(occurred_at) FROM sales;
