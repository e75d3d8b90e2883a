-- How far each log reaches: its first and last event and its row count.
-- One row per log, always three rows (first_at/last_at NULL for an empty log).
-- articles: published_at; joins: joined_at; sales: occurred_at.
SELECT CAST('articles' AS VARCHAR) AS log, CAST(min(published_at) AS TIMESTAMP) AS first_at,
       CAST(max(published_at) AS TIMESTAMP) AS last_at, CAST(count(*) AS BIGINT) AS n
FROM articles
UNION ALL
SELECT 'joins', min(joined_at), max(joined_at), count(*) FROM joins
UNION ALL
SELECT 'sales', min(occurred_at), max(occurred_at), count(*) FROM sales
ORDER BY CASE log WHEN 'articles' THEN 1 WHEN 'joins' THEN 2 ELSE 3 END;
