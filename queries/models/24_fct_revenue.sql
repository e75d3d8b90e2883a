-- Attributed revenue per (payment, eligible touch) under one model: the
-- payment's net amount (after refunds of its order) times the model's weight
-- (fct_weights, 22_fct_attribution.sql: only the requested model's branch
-- produces rows; first and last touch are a scan with comparisons).
-- channel, pub_day: the touch's article; touch_week: the Monday of its week.
-- revenue_share: THE attributed amount of one (payment, touch): the net amount times the
-- weight, held as an exact decimal (9 places) so that every sum of it is exact and the
-- same on every run (a sum of doubles in parallel threads depends on their order and
-- could move a half-cent total by a cent between two runs of the same query).
CREATE OR REPLACE MACRO revenue_share(net_amount, weight) AS
    CAST(CAST(net_amount AS DOUBLE) * weight AS DECIMAL(38, 9));
CREATE OR REPLACE MACRO fct_revenue(window_days, model_name) AS TABLE
SELECT
    payment_id, user_id, paid_at, article_id, channel, pub_day, touch_id, touched_at, touch_week, rep,
    revenue_share(net_amount, weight) AS revenue
FROM fct_weights(window_days, model_name);
