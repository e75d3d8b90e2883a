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
WITH sa AS (
    SELECT article_id FROM sel_articles(CAST($date_from AS DATE), CAST($date_to AS DATE), CAST($channels AS VARCHAR[]))
),
uw AS (
    SELECT ft.user_id, min(ft.t0) AS t0, min(ft.t0) + to_days(CAST($window_days AS INTEGER)) AS t_end
    FROM stg_first_touch AS ft JOIN sa ON sa.article_id = ft.article_id
    GROUP BY ft.user_id
),
con AS (
    SELECT uw.user_id, uw.t0, c.rep, c.contacted_at
    FROM uw JOIN stg_contacts AS c ON c.user_id = uw.user_id AND c.contacted_at BETWEEN uw.t0 AND uw.t_end
),
pay AS (
    SELECT uw.user_id, p.payment_id, p.rep, p.paid_at, p.amount, p.refunded, p.net_amount
    FROM uw JOIN stg_payments AS p ON p.user_id = uw.user_id AND p.paid_at BETWEEN uw.t0 AND uw.t_end
),
u AS (
    SELECT user_id, min(t0) AS t0, min(contacted_at) AS first_contact FROM con GROUP BY user_id
),
up AS (
    SELECT u.user_id, u.t0, u.first_contact, min(pay.paid_at) AS paid_at
    FROM u LEFT JOIN pay ON pay.user_id = u.user_id AND pay.paid_at >= u.first_contact
    GROUP BY ALL
),
ut AS (
    SELECT count(*) AS contacted,
           count(*) FILTER (WHERE paid_at IS NOT NULL) AS paid,
           median(epoch(first_contact - t0) / 3600.0) AS median_response_hours
    FROM up
),
mt AS (
    SELECT count(*) AS payments, sum(amount) AS gross_revenue, sum(refunded) AS refunds,
           sum(net_amount) AS revenue
    FROM pay
)
SELECT
    (SELECT count(DISTINCT user_id) FROM (SELECT user_id FROM con UNION ALL SELECT user_id FROM pay))
        AS users_handled,
    ut.contacted,
    round(ut.median_response_hours, 2) AS median_response_hours,
    ut.paid,
    rate(ut.paid, ut.contacted) AS pay_rate,
    mt.payments,
    money(coalesce(mt.gross_revenue, 0)) AS gross_revenue,
    money(coalesce(mt.refunds, 0)) AS refunds,
    money(coalesce(mt.revenue, 0)) AS revenue
FROM ut, mt;
