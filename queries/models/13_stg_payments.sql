-- Payments with their refunds netted by order_id. A refund reduces its order's
-- revenue; a refund whose order is unknown (or has no order_id) is only a
-- data-quality finding (see data_quality.sql).
CREATE OR REPLACE TABLE stg_payments AS
WITH p AS (
    SELECT
        row_number() OVER (ORDER BY user_id, occurred_at, order_id NULLS FIRST, amount) AS payment_id,
        user_id, occurred_at AS paid_at, rep, order_id, coalesce(amount, 0) AS amount
    FROM sales
    WHERE event = 'payment'
),
r AS (
    SELECT order_id, sum(amount) AS refunded
    FROM sales
    WHERE event = 'refund' AND order_id IS NOT NULL
    GROUP BY order_id
)
SELECT p.*, coalesce(r.refunded, 0) AS refunded, p.amount - coalesce(r.refunded, 0) AS net_amount
FROM p LEFT JOIN r USING (order_id);
