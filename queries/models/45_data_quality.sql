-- The Data page's cross-log findings (queries/data_quality.sql), kept per user and
-- refreshed on load, so that a page render only sums a small table (issue 12: the
-- findings were recomputed per render, with anti-joins over every log row).
-- One row per user with a finding (users without one have no row):
--   unknown_joins   the user's join rows whose article_id names no known article
--   unknown_ex      the smallest such article_id (an example)
--   early_joins     the user's join rows dated before their article's published_at
--   early_ex        the smallest 'article_id / user_id' of those (an example)
--   never_joined    the user has sales events and no join row
--   payer           ... and one of them is a payment
-- Keyed by user (contentroi/refresh.py KEYED): an incremental refresh re-derives the rows
-- of the users it touches (inc_log: their rows of the logs). Plain hash joins (an anti join) on user_id / article_id, and GROUP BYs over the
-- rows with a finding only: linear in the logs.
CREATE OR REPLACE TABLE dq_user AS
WITH bad AS (  -- join rows with a finding: few, found by one hash join with the articles
    SELECT j.user_id, j.article_id, a.article_id IS NULL AS unknown,
           coalesce(j.joined_at < a.published_at, false) AS early
    FROM inc_log('joins') AS j
    LEFT JOIN (SELECT DISTINCT ON (article_id) article_id, published_at FROM articles) AS a
      ON a.article_id = j.article_id
    WHERE j.article_id IS NOT NULL
      AND (a.article_id IS NULL OR j.joined_at < a.published_at)
),
jf AS (
    SELECT user_id,
           count(*) FILTER (WHERE unknown) AS unknown_joins,
           min(article_id) FILTER (WHERE unknown) AS unknown_ex,
           count(*) FILTER (WHERE early) AS early_joins,
           min(article_id || ' / ' || user_id) FILTER (WHERE early) AS early_ex,
           false AS never_joined, false AS payer
    FROM bad
    GROUP BY user_id
),
nj AS (  -- users with sales events and no join row (disjoint from jf's users)
    SELECT s.user_id, 0 AS unknown_joins, NULL AS unknown_ex, 0 AS early_joins, NULL AS early_ex,
           true AS never_joined, bool_or(s.event = 'payment') AS payer
    FROM (SELECT user_id, event FROM inc_log('sales')) AS s
    ANTI JOIN inc_log('joins') AS j ON j.user_id = s.user_id
    GROUP BY s.user_id
)
SELECT * FROM jf
UNION ALL BY NAME
SELECT * FROM nj;
