-- Attributed revenue per (payment, eligible touch) under one model: the
-- payment's net amount (after refunds of its order) times the model's share.
-- The shares are fct_attribution's; first and last touch need no window
-- functions: with fct_payment_touch's rk_desc / age_next the window's first
-- touch is "age_days <= W < age_next" and its last touch is "rk_desc = 1"
-- (see 15_fct_payment_touch.sql), so those two models are a scan with
-- comparisons. Only the branch of the requested model produces rows.
-- channel, pub_day: the touch's article; touch_week: the Monday of its week.
CREATE OR REPLACE MACRO fct_revenue(window_days, model) AS TABLE
SELECT
    payment_id, user_id, paid_at, article_id, channel, pub_day, touch_id, touched_at, touch_week, rep,
    CAST(net_amount AS DOUBLE)
        * CASE WHEN age_next IS NULL OR age_next > CAST(window_days AS INTEGER) THEN 1.0 ELSE 0.0 END AS revenue
FROM fct_payment_touch
WHERE model = 'first_touch' AND age_days <= CAST(window_days AS INTEGER)
UNION ALL
SELECT
    payment_id, user_id, paid_at, article_id, channel, pub_day, touch_id, touched_at, touch_week, rep,
    CAST(net_amount AS DOUBLE) * CASE WHEN rk_desc = 1 THEN 1.0 ELSE 0.0 END
FROM fct_payment_touch
WHERE model = 'last_touch' AND age_days <= CAST(window_days AS INTEGER)
UNION ALL
SELECT
    payment_id, user_id, paid_at, article_id, channel, pub_day, touch_id, touched_at, touch_week, rep,
    net_amount * CASE model
        WHEN 'linear' THEN w_linear
        WHEN 'position' THEN w_position
        WHEN 'time_decay' THEN w_time_decay
    END
FROM fct_attribution(window_days)
WHERE model NOT IN ('first_touch', 'last_touch');
