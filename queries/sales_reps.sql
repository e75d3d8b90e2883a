-- Per-rep funnel (the /sales page).
-- Scope: users with a touch on a selected article (period / channels); each
-- such user's events count when they fall in [T0, T0 + W], T0 = the user's
-- earliest touch on a selected article, W = $window_days (both ends inclusive).
-- Per rep (events with no rep form one "unassigned" row, rep NULL):
--   users_handled          distinct users with a contact or a payment recorded
--                          with the rep in their window
--   contacted              the rep's users: distinct users with a contact by the
--                          rep in their window
--   contacts               the rep's contact events in those windows
--   median_response_hours  median over the rep's users of (the rep's first
--                          contact with the user - T0), in hours
--   paid                   the rep's users who paid (a payment with any rep) at
--                          or after the rep's first contact with them, within
--                          their window
--   pay_rate               paid / contacted (contact -> paid), with its 95%
--                          Wilson interval pay_rate_lo / pay_rate_hi
--   payments               payments recorded with the rep in the windows
--   gross_revenue          their amounts
--   refunds                refund amounts of those payments' orders (whenever
--                          the refund happened, as stg_payments nets them)
--   revenue                gross_revenue - refunds (net amounts)
-- The same scope CTEs are used by sales_totals.sql and sales_weekly.sql.
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
cr AS (
    SELECT rep,
           count(*) FILTER (WHERE first_rep) AS handled,
           count(*) AS contacted,
           sum(CASE WHEN c_last <= win_us($window_days) THEN c_n
                    ELSE len(list_filter(c_offs, lambda x: x <= win_us($window_days))) END) AS contacts,
           count(*) FILTER (WHERE pay_us <= win_us($window_days)) AS paid,
           median(resp_h) AS median_response_hours
    FROM c GROUP BY rep
),
pr AS (
    SELECT rep,
           count(*) FILTER (WHERE first_rep) AS handled,
           count(*) AS payments,
           sum(amount) AS gross_revenue, sum(refunded) AS refunds, sum(net_amount) AS revenue
    FROM p GROUP BY rep
),
r AS (
    SELECT coalesce(cr.rep, pr.rep) AS rep,
           coalesce(cr.handled, 0) + coalesce(pr.handled, 0) AS users_handled,
           coalesce(cr.contacted, 0) AS contacted,
           cr.contacts, coalesce(cr.paid, 0) AS paid, cr.median_response_hours,
           coalesce(pr.payments, 0) AS payments, pr.gross_revenue, pr.refunds, pr.revenue
    FROM cr FULL JOIN pr ON pr.rep IS NOT DISTINCT FROM cr.rep
)
SELECT
    rep,
    users_handled,
    contacted,
    CAST(coalesce(contacts, 0) AS BIGINT) AS contacts,
    round(median_response_hours, 2) AS median_response_hours,
    paid,
    pay_rate(paid, contacted) AS pay_rate,
    pay_rate_lo(paid, contacted) AS pay_rate_lo,
    pay_rate_hi(paid, contacted) AS pay_rate_hi,
    payments,
    money(coalesce(gross_revenue, 0)) AS gross_revenue,
    money(coalesce(refunds, 0)) AS refunds,
    money(coalesce(revenue, 0)) AS revenue
FROM r
ORDER BY revenue DESC, rep NULLS LAST;
