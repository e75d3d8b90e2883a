-- The articles' attributes the derived tables take from the articles log: a
-- touch needs a known article_id; facts carry its channel and publish day. An
-- incremental refresh (contentroi/refresh.py) compares the log with this copy
-- to find the articles whose rows changed (_inc_changed), and a load re-copies only those
-- (inc_article_changed; a full rebuild: all of them), where it copied every article
-- (10x: 200k, ~65 ms).
CREATE TABLE IF NOT EXISTS stg_articles (article_id VARCHAR, channel VARCHAR, published_at TIMESTAMP);
DELETE FROM stg_articles WHERE inc_article_changed(article_id);
INSERT INTO stg_articles
SELECT DISTINCT article_id, channel, published_at FROM articles WHERE inc_article_changed(article_id);
