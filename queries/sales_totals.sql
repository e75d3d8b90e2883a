-- The /sales page's team totals, in the scope of sales_reps.sql (users with a
-- touch on a selected article, events in [T0, T0 + W] of their earliest touch
-- on a selected article), counting each user once whoever handled them:
--   users_handled          users with a contact or payment (any rep or none)
--   contacted              users with a contact
--   median_response_hours  median over contacted users of (first contact - T0)
--   paid                   contacted users with a payment at or after their
--                          first contact
--   payments, gross_revenue, refunds, revenue: all payments in the windows,
--                          whether or not a rep is recorded on them
-- How: T0 is the t0 of one (article, user) row of fct_user_article -- the
-- user's only row, or for a user with several rows the selected one with the
-- earliest t0 -- and fct_sales_contact / fct_sales_payment hold that row's
-- events with their offset from t0 and first-event marks, so the window is
-- "off_us <= W" (see queries/models/16_fct_user_sales.sql).
WITH c AS (  -- contact rows of the scope's users inside [T0, T0 + W] (27_sales_scope.sql)
    SELECT * FROM sales_scope_contacts($date_from, $date_to, CAST($channels AS VARCHAR[]), $window_days)
),
p AS (  -- payment rows of the scope's users inside [T0, T0 + W]
    SELECT * FROM sales_scope_payments($date_from, $date_to, CAST($channels AS VARCHAR[]), $window_days)
),
ct AS (
    SELECT count(*) FILTER (WHERE first_any) AS handled,
           count(*) FILTER (WHERE first_contact) AS contacted,
           median(resp_h) FILTER (WHERE first_contact) AS median_response_hours,
           count(*) FILTER (WHERE first_contact AND pay_us <= win_us($window_days)) AS paid
    FROM c
),
pt AS (
    SELECT count(*) FILTER (WHERE first_any) AS handled,
           count(*) AS payments,
           sum(amount) AS gross_revenue, sum(refunded) AS refunds, sum(net_amount) AS revenue
    FROM p
)
SELECT
    ct.handled + pt.handled AS users_handled,
    ct.contacted,
    round(ct.median_response_hours, 2) AS median_response_hours,
    ct.paid,
    pay_rate(ct.paid, ct.contacted) AS pay_rate,
    pt.payments,
    money(coalesce(pt.gross_revenue, 0)) AS gross_revenue,
    money(coalesce(pt.refunds, 0)) AS refunds,
    money(coalesce(pt.revenue, 0)) AS revenue
FROM ct, pt;
