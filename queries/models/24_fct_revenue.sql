-- Attributed revenue per (payment, touch) under one model: the payment's net
-- amount (after refunds of its order) times the model's share.
CREATE OR REPLACE MACRO fct_revenue(window_days, model) AS TABLE
SELECT
    payment_id, user_id, paid_at, article_id, touch_id, touched_at, rep, n,
    net_amount * CASE model
        WHEN 'first_touch' THEN w_first_touch
        WHEN 'last_touch' THEN w_last_touch
        WHEN 'linear' THEN w_linear
        WHEN 'position' THEN w_position
        WHEN 'time_decay' THEN w_time_decay
    END AS revenue
FROM fct_attribution(window_days);
