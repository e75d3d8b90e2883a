-- The attribution models, as data: every (payment, eligible touch, model) with the
-- model's weight, the share of the payment's net amount the touch earns. A model
-- is one branch below, answering to `model_name = '<name>'` (engine.MODELS is read
-- from those, in this order; its texts are in contentroi/i18n/attribution.py);
-- queries filter or group by `model` (tests/test_markov.py checks they agree).
-- A touch at t is eligible for a payment at p when t <= p <= t + W, on any
-- article of the store. Touches are ordered by time, then article_id (then
-- touch_id). The rule models' weights depend on the window only through which
-- touches are eligible, so they are stored for every eligible set a payment can
-- have (fct_touch_weights, 15_fct_payment_touch.sql: w_<model>, and the window range
-- lo <= W < hi of each set); a window reads each payment's one set for it. The
-- markov weights need the window's removal effects (mk_removal), so they are
-- computed here: w_markov in fct_weights_wide.
-- (channel, pub_day, touch_week: the touch's article's channel and publish date,
-- and the Monday of the touch's week, from fct_payment_touch.)
--
-- fct_weights_wide(window_days): one row per (payment, eligible touch), every
--   model's weight a column w_<model>: the payments with one eligible touch (n = 1),
--   which every model gives all of the payment (a weight of 1 in each column), and
--   fct_weights_multi(window_days), the payments with more.
-- fct_weights(window_days, model_name): the long form, one model's rows (the other
--   branches produce nothing; NULL: every model).
-- fct_attribution(window_days): the long form, every model.
CREATE OR REPLACE MACRO fct_eligible(window_days) AS TABLE
SELECT * EXCLUDE (lo, hi, uh) FROM fct_touch_weights
WHERE lo <= CAST(window_days AS INTEGER) AND (hi IS NULL OR hi > CAST(window_days AS INTEGER));

CREATE OR REPLACE MACRO fct_weights_multi(window_days) AS TABLE
WITH m AS (  -- the payments with more than one eligible touch: each touch's removal effect
    SELECT v.*, coalesce(r.removal_effect, 0.0) AS re
    FROM fct_eligible(window_days) AS v
    LEFT JOIN mk_removal AS r
      ON r.window_days = CAST(window_days AS INTEGER) AND r.channel = v.channel
    WHERE v.n > 1
),
ms AS (SELECT payment_id, sum(re) AS re_sum FROM m GROUP BY payment_id)
-- markov: in proportion to the removal effect of the touch's channel (mk_removal,
-- for this window), equally where the payment's touches' removal effects sum to 0
SELECT m.* EXCLUDE (re), CASE WHEN ms.re_sum > 0 THEN m.re / ms.re_sum ELSE 1.0 / m.n END AS w_markov
FROM m JOIN ms ON ms.payment_id = m.payment_id;

CREATE OR REPLACE MACRO fct_weights_wide(window_days) AS TABLE
-- a single eligible touch gets all of the payment, under every model
SELECT *, CAST(1 AS DOUBLE) AS w_markov FROM fct_eligible(window_days) WHERE n = 1
UNION ALL
SELECT * FROM fct_weights_multi(window_days);

CREATE OR REPLACE MACRO fct_weights(window_days, model_name) AS TABLE
WITH v AS (
    SELECT payment_id, user_id, paid_at, order_id, amount, refunded, net_amount, rep,
           touch_id, article_id, touched_at, channel, pub_day, touch_week,
           w_first_touch, w_last_touch, w_linear, w_position, w_time_decay
    FROM fct_eligible(window_days)
)
-- first_touch: all to the earliest eligible touch
SELECT * EXCLUDE (w_first_touch, w_last_touch, w_linear, w_position, w_time_decay),
       'first_touch' AS model, w_first_touch AS weight
FROM v WHERE (model_name IS NULL OR model_name = 'first_touch')
UNION ALL
-- last_touch: all to the latest eligible touch
SELECT * EXCLUDE (w_first_touch, w_last_touch, w_linear, w_position, w_time_decay), 'last_touch', w_last_touch
FROM v WHERE (model_name IS NULL OR model_name = 'last_touch')
UNION ALL
-- linear: equally over the eligible touches
SELECT * EXCLUDE (w_first_touch, w_last_touch, w_linear, w_position, w_time_decay), 'linear', w_linear
FROM v WHERE (model_name IS NULL OR model_name = 'linear')
UNION ALL
-- position: 40% first, 40% last, 20% over the middle ones (one touch: 100%; two: 50/50)
SELECT * EXCLUDE (w_first_touch, w_last_touch, w_linear, w_position, w_time_decay), 'position', w_position
FROM v WHERE (model_name IS NULL OR model_name = 'position')
UNION ALL
-- time_decay: weights 2^(-(p - t) / 7 days), normalised
SELECT * EXCLUDE (w_first_touch, w_last_touch, w_linear, w_position, w_time_decay), 'time_decay', w_time_decay
FROM v WHERE (model_name IS NULL OR model_name = 'time_decay')
UNION ALL
-- markov: in proportion to the removal effects of the touches' channels (fct_weights_wide)
SELECT payment_id, user_id, paid_at, order_id, amount, refunded, net_amount, rep,
       touch_id, article_id, touched_at, channel, pub_day, touch_week, 'markov', w_markov
FROM fct_weights_wide(window_days) WHERE (model_name IS NULL OR model_name = 'markov');

CREATE OR REPLACE MACRO fct_attribution(window_days) AS TABLE
SELECT * FROM fct_weights(window_days, CAST(NULL AS VARCHAR));
