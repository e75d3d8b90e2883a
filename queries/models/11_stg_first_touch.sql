-- Each user's earliest touch on each article: t0 of the article funnel
-- (min_touch_id: the smallest touch_id of the user's touches on the article).
CREATE OR REPLACE TABLE stg_first_touch AS
SELECT article_id, user_id, min(touched_at) AS t0, min(touch_id) AS min_touch_id
FROM inc_rows('stg_touches')
GROUP BY article_id, user_id;
