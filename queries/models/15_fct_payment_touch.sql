-- Every (payment, touch) pair that is eligible for the longest window the app
-- allows (365 days), with the touch's age at payment. A window W keeps the
-- pairs with age_days <= W. Refreshed on load.
CREATE OR REPLACE TABLE fct_payment_touch AS
SELECT
    p.payment_id, p.user_id, p.paid_at, p.order_id, p.amount, p.refunded, p.net_amount, p.rep,
    t.touch_id, t.article_id, t.touched_at,
    epoch(p.paid_at - t.touched_at) / 86400.0 AS age_days
FROM stg_payments AS p
JOIN stg_touches AS t
  ON t.user_id = p.user_id
 AND p.paid_at BETWEEN t.touched_at AND t.touched_at + INTERVAL 365 DAY;
