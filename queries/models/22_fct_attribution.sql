-- Every (payment, eligible touch) pair with each model's share of the payment.
-- A touch at t is eligible for a payment at p when t <= p <= t + W, on any
-- article of the store. Touches are ordered by time, then article_id (then
-- touch_id): pos is the touch's place in that order among the eligible ones,
-- n their number. The eligible pairs are the first n in fct_payment_touch's
-- rk_desc order (latest first), so pos = n - rk_desc + 1; n and the time-decay
-- weights' sum are per-payment aggregates (no window functions).
-- (channel, pub_day, touch_week: the touch's article's channel and publish date,
-- and the Monday of the touch's week, from fct_payment_touch.)
CREATE OR REPLACE MACRO fct_attribution(window_days) AS TABLE
WITH e AS (
    SELECT *, pow(2.0, -age_days / 7.0) AS decay
    FROM fct_payment_touch
    WHERE age_days <= CAST(window_days AS INTEGER)
),
g AS (
    SELECT payment_id, count(*) AS n, sum(decay) AS decay_sum FROM e GROUP BY payment_id
),
o AS (
    SELECT e.*, g.n, g.n - e.rk_desc + 1 AS pos, g.decay_sum
    FROM e JOIN g ON g.payment_id = e.payment_id
)
SELECT
    payment_id, user_id, paid_at, order_id, amount, refunded, net_amount, rep,
    touch_id, article_id, touched_at, pos, n,
    channel, pub_day, touch_week,
    CASE WHEN pos = 1 THEN 1.0 ELSE 0.0 END AS w_first_touch,
    CASE WHEN pos = n THEN 1.0 ELSE 0.0 END AS w_last_touch,
    1.0 / n AS w_linear,
    CASE WHEN n = 1 THEN 1.0
         WHEN n = 2 THEN 0.5
         WHEN pos = 1 OR pos = n THEN 0.4
         ELSE 0.2 / (n - 2) END AS w_position,
    decay / decay_sum AS w_time_decay
FROM o;
