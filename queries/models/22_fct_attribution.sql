-- The attribution models, as data: every (payment, eligible touch, model) with the
-- model's weight, the share of the payment's net amount the touch earns. A model
-- is one branch below, answering to `model_name = '<name>'` (engine.MODELS is read
-- from those, in this order; its texts are in contentroi/i18n/attribution.py);
-- queries filter or group by `model` (tests/test_markov.py checks they agree).
-- A touch at t is eligible for a payment at p when t <= p <= t + W, on any
-- article of the store. Touches are ordered by time, then article_id (then
-- touch_id): pos is the touch's place in that order among the eligible ones,
-- n their number. The eligible pairs are the first n in fct_payment_touch's
-- rk_desc order (latest first), so pos = n - rk_desc + 1, and the window's first
-- touch is the pair with age_days <= W < age_next (see 15_fct_payment_touch.sql):
-- first and last touch are comparisons on a scan, the other models use
-- per-payment aggregates (no window functions).
-- (channel, pub_day, touch_week: the touch's article's channel and publish date,
-- and the Monday of the touch's week, from fct_payment_touch.)
--
-- fct_attribution(window_days): the long form, every model.
-- fct_weights(window_days, model_name): one model's rows (the other branches
--   produce nothing; NULL: every model). The guards on e and s only skip work.
CREATE OR REPLACE MACRO fct_weights(window_days, model_name) AS TABLE
WITH e AS (
    SELECT pt.*, pow(2.0, -pt.age_days / 7.0) AS decay,
           coalesce(r.removal_effect, 0.0) AS removal_effect
    FROM fct_payment_touch AS pt
    LEFT JOIN mk_removal AS r
      ON r.window_days = CAST(window_days AS INTEGER) AND r.channel = pt.channel
    WHERE pt.age_days <= CAST(window_days AS INTEGER)
      AND (model_name IS NULL OR model_name NOT IN ('first_touch', 'last_touch'))
),
g AS (
    SELECT payment_id, count(*) AS n, sum(decay) AS decay_sum, sum(removal_effect) AS re_sum
    FROM e GROUP BY payment_id
),
o AS (
    SELECT e.*, g.n, g.n - e.rk_desc + 1 AS pos, g.decay_sum, g.re_sum
    FROM e JOIN g ON g.payment_id = e.payment_id
),
s AS (  -- the scan the first- and last-touch branches read
    SELECT * FROM fct_payment_touch
    WHERE age_days <= CAST(window_days AS INTEGER)
      AND (model_name IS NULL OR model_name IN ('first_touch', 'last_touch'))
)
-- first_touch: all to the earliest eligible touch
SELECT payment_id, user_id, paid_at, order_id, amount, refunded, net_amount, rep,
       touch_id, article_id, touched_at, channel, pub_day, touch_week,
       'first_touch' AS model,
       CASE WHEN age_next IS NULL OR age_next > CAST(window_days AS INTEGER) THEN 1.0 ELSE 0.0 END AS weight
FROM s WHERE (model_name IS NULL OR model_name = 'first_touch')
UNION ALL
-- last_touch: all to the latest eligible touch
SELECT payment_id, user_id, paid_at, order_id, amount, refunded, net_amount, rep,
       touch_id, article_id, touched_at, channel, pub_day, touch_week,
       'last_touch', CASE WHEN rk_desc = 1 THEN 1.0 ELSE 0.0 END
FROM s WHERE (model_name IS NULL OR model_name = 'last_touch')
UNION ALL
-- linear: equally over the eligible touches
SELECT payment_id, user_id, paid_at, order_id, amount, refunded, net_amount, rep,
       touch_id, article_id, touched_at, channel, pub_day, touch_week,
       'linear', 1.0 / n
FROM o WHERE (model_name IS NULL OR model_name = 'linear')
UNION ALL
-- position: 40% first, 40% last, 20% over the middle ones (one touch: 100%; two: 50/50)
SELECT payment_id, user_id, paid_at, order_id, amount, refunded, net_amount, rep,
       touch_id, article_id, touched_at, channel, pub_day, touch_week,
       'position',
       CASE WHEN n = 1 THEN 1.0
            WHEN n = 2 THEN 0.5
            WHEN pos = 1 OR pos = n THEN 0.4
            ELSE 0.2 / (n - 2) END
FROM o WHERE (model_name IS NULL OR model_name = 'position')
UNION ALL
-- time_decay: weights 2^(-(p - t) / 7 days), normalised
SELECT payment_id, user_id, paid_at, order_id, amount, refunded, net_amount, rep,
       touch_id, article_id, touched_at, channel, pub_day, touch_week,
       'time_decay', decay / decay_sum
FROM o WHERE (model_name IS NULL OR model_name = 'time_decay')
UNION ALL
-- markov: in proportion to the removal effect of the touch's channel (mk_removal,
-- for this window), equally where the payment's touches' removal effects sum to 0
SELECT payment_id, user_id, paid_at, order_id, amount, refunded, net_amount, rep,
       touch_id, article_id, touched_at, channel, pub_day, touch_week,
       'markov', CASE WHEN re_sum > 0 THEN removal_effect / re_sum ELSE 1.0 / n END
FROM o WHERE (model_name IS NULL OR model_name = 'markov');

CREATE OR REPLACE MACRO fct_attribution(window_days) AS TABLE
SELECT * FROM fct_weights(window_days, CAST(NULL AS VARCHAR));
