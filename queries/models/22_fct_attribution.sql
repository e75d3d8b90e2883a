-- Every (payment, eligible touch) pair with each model's share of the payment.
-- A touch at t is eligible for a payment at p when t <= p <= t + W, on any
-- article of the store. Touches are ordered by time, then article_id.
CREATE OR REPLACE MACRO fct_attribution(window_days) AS TABLE
WITH e AS (
    SELECT
        p.payment_id, p.user_id, p.paid_at, p.order_id, p.amount, p.refunded, p.net_amount, p.rep,
        t.touch_id, t.article_id, t.touched_at,
        row_number() OVER (PARTITION BY p.payment_id ORDER BY t.touched_at, t.article_id, t.touch_id) AS pos,
        count(*) OVER (PARTITION BY p.payment_id) AS n,
        pow(2.0, -(epoch(p.paid_at - t.touched_at) / 86400.0) / 7.0) AS decay
    FROM stg_payments AS p
    JOIN stg_touches AS t
      ON t.user_id = p.user_id
     AND p.paid_at BETWEEN t.touched_at AND t.touched_at + to_days(CAST(window_days AS INTEGER))
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
