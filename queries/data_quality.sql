-- Cross-log data-quality findings: one row per kind, with a count and up to five
-- examples (the smallest). The per-user findings are kept on load in dq_user
-- (queries/models/45_data_quality.sql); refunds, which are few, are checked here:
-- a refund without an order_id, or whose order_id no payment has.
WITH
unknown_order_refunds AS (
    SELECT coalesce(s.order_id, '(' || s.user_id || ', no order id)') AS example
    FROM sales AS s
    LEFT JOIN (SELECT DISTINCT order_id FROM sales WHERE event = 'payment' AND order_id IS NOT NULL) AS p
      ON p.order_id = s.order_id
    WHERE s.event = 'refund' AND p.order_id IS NULL
),
findings AS (
    SELECT 'unknown_article_joins' AS finding, CAST(coalesce(sum(unknown_joins), 0) AS BIGINT) AS n,
           list(DISTINCT unknown_ex ORDER BY unknown_ex) FILTER (WHERE unknown_ex IS NOT NULL)[1:5] AS examples
    FROM dq_user
    UNION ALL SELECT 'unknown_order_refunds', count(*), list(DISTINCT example ORDER BY example)[1:5]
    FROM unknown_order_refunds
    UNION ALL SELECT 'payers_never_joined', count(*) FILTER (WHERE payer),
           list(user_id ORDER BY user_id) FILTER (WHERE payer)[1:5] FROM dq_user
    UNION ALL SELECT 'sales_users_never_joined', count(*) FILTER (WHERE never_joined),
           list(user_id ORDER BY user_id) FILTER (WHERE never_joined)[1:5] FROM dq_user
    UNION ALL SELECT 'joins_before_publish', CAST(coalesce(sum(early_joins), 0) AS BIGINT),
           list(DISTINCT early_ex ORDER BY early_ex) FILTER (WHERE early_ex IS NOT NULL)[1:5]
    FROM dq_user
)
SELECT finding, n, array_to_string(examples, ', ') AS examples FROM findings;
