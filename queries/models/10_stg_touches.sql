-- Touches: join rows whose article_id names a known article (CONTRACT §2).
-- Two joins through one article are two touches. Order within a user:
-- touched_at, then article_id, then touch_id (a stable tie-break).
CREATE OR REPLACE TABLE stg_touches AS
SELECT
    row_number() OVER (ORDER BY j.user_id, j.joined_at, j.article_id, j.group_id NULLS FIRST) AS touch_id,
    j.user_id,
    j.article_id,
    j.joined_at AS touched_at,
    j.group_id
FROM joins AS j
SEMI JOIN articles AS a ON a.article_id = j.article_id;
