-- Cross-log data-quality findings: one row per kind, with a count and examples.
WITH
unknown_article_joins AS (
    SELECT j.article_id AS example FROM joins AS j
    WHERE j.article_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM articles AS a WHERE a.article_id = j.article_id)
),
unknown_order_refunds AS (
    SELECT coalesce(s.order_id, '(' || s.user_id || ', no order id)') AS example FROM sales AS s
    WHERE s.event = 'refund'
      AND (s.order_id IS NULL OR NOT EXISTS (
            SELECT 1 FROM sales AS p WHERE p.event = 'payment' AND p.order_id = s.order_id))
),
payers_never_joined AS (
    SELECT DISTINCT s.user_id AS example FROM sales AS s
    WHERE s.event = 'payment' AND NOT EXISTS (SELECT 1 FROM joins AS j WHERE j.user_id = s.user_id)
),
sales_users_never_joined AS (
    SELECT DISTINCT s.user_id AS example FROM sales AS s
    WHERE NOT EXISTS (SELECT 1 FROM joins AS j WHERE j.user_id = s.user_id)
),
joins_before_publish AS (
    SELECT j.article_id || ' / ' || j.user_id AS example FROM joins AS j
    JOIN articles AS a ON a.article_id = j.article_id
    WHERE j.joined_at < a.published_at
),
findings AS (
    SELECT 'unknown_article_joins' AS finding, count(*) AS n, list(DISTINCT example)[1:5] AS examples FROM unknown_article_joins
    UNION ALL SELECT 'unknown_order_refunds', count(*), list(DISTINCT example)[1:5] FROM unknown_order_refunds
    UNION ALL SELECT 'payers_never_joined', count(*), list(DISTINCT example)[1:5] FROM payers_never_joined
    UNION ALL SELECT 'sales_users_never_joined', count(*), list(DISTINCT example)[1:5] FROM sales_users_never_joined
    UNION ALL SELECT 'joins_before_publish', count(*), list(DISTINCT example)[1:5] FROM joins_before_publish
)
SELECT finding, n, array_to_string(examples, ', ') AS examples FROM findings;
