-- The articles' attributes the derived tables take from the articles log: a
-- touch needs a known article_id; facts carry its channel and publish day. An
-- incremental refresh (contentroi/refresh.py) compares the log with this copy
-- to find the articles whose rows changed. Always rebuilt whole (it is small).
CREATE OR REPLACE TABLE stg_articles AS
SELECT DISTINCT article_id, channel, published_at FROM articles;
