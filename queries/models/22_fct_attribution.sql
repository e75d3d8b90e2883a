-- Every (payment, eligible touch) pair with each model's share of the payment.
-- A touch at t is eligible for a payment at p when t <= p <= t + W, on any
-- article of the store. Touches are ordered by time, then article_id.
CREATE OR REPLACE MACRO fct_attribution(window_days) AS TABLE
WITH e AS (
    SELECT
        *,
        row_number() OVER (PARTITION BY payment_id ORDER BY touched_at, article_id, touch_id) AS pos,
        count(*) OVER (PARTITION BY payment_id) AS n,
        pow(2.0, -age_days / 7.0) AS decay
    FROM fct_payment_touch
    WHERE age_days <= CAST(window_days AS INTEGER)
)
SELECT
    payment_id, user_id, paid_at, order_id, amount, refunded, net_amount, rep,
    touch_id, article_id, touched_at, pos, n,
    CASE WHEN pos = 1 THEN 1.0 ELSE 0.0 END AS w_first_touch,
    CASE WHEN pos = n THEN 1.0 ELSE 0.0 END AS w_last_touch,
    1.0 / n AS w_linear,
    CASE WHEN n = 1 THEN 1.0
         WHEN n = 2 THEN 0.5
         WHEN pos = 1 OR pos = n THEN 0.4
         ELSE 0.2 / (n - 2) END AS w_position,
    decay / sum(decay) OVER (PARTITION BY payment_id) AS w_time_decay
FROM e;
