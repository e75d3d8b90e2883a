-- Payments with their refunds netted by order_id. A refund reduces its order's
-- revenue; a refund whose order is unknown (or has no order_id) is only a
-- data-quality finding (see data_quality.sql). payment_id is the payment's
-- sales row_id (assigned once, when the row was stored: stable, unique).
-- A refund may be another user's row: it counts for the payment of its order.
CREATE OR REPLACE TABLE stg_payments AS
WITH p AS (
    SELECT
        row_id AS payment_id,
        user_id, occurred_at AS paid_at, rep, order_id, coalesce(amount, 0) AS amount
    FROM inc_log('sales')
    WHERE event = 'payment'
),
r AS (
    SELECT order_id, sum(amount) AS refunded
    FROM sales
    WHERE event = 'refund' AND order_id IS NOT NULL
      AND order_id IN (SELECT order_id FROM p)
    GROUP BY order_id
)
SELECT p.*, coalesce(r.refunded, 0) AS refunded, p.amount - coalesce(r.refunded, 0) AS net_amount,
       user_hash(p.user_id) AS uh  -- an upload finds its users' rows by it (10_stg_touches.sql)
FROM p LEFT JOIN r USING (order_id);
