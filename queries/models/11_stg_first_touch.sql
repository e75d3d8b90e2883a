-- Each user's earliest touch on each article: t0 of the article funnel.
CREATE OR REPLACE TABLE stg_first_touch AS
SELECT article_id, user_id, min(touched_at) AS t0
FROM stg_touches
GROUP BY article_id, user_id;
