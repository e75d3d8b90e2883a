-- The /sales page's figures, in one pass over the scope's rows: the team's totals
-- (level 'total', one row), the per-rep funnel (level 'rep') and the weekly trend per
-- rep (level 'week'), in long form; engine.sales_figures splits them into the page's
-- three tables (engine.SALES_COLUMNS: each level's columns, in this order).
--
-- Scope: users with a touch on a selected article (period / channels); each such
-- user's events count when they fall in [T0, T0 + W], T0 = the user's earliest touch
-- on a selected article, W = $window_days (both ends inclusive). Events with no rep
-- form one "unassigned" rep, rep NULL.
--
-- level 'total' (each user once, whoever handled them):
--   users_handled          users with a contact or payment (any rep or none)
--   contacted              users with a contact
--   median_response_hours  median over contacted users of (first contact - T0)
--   paid                   contacted users with a payment at or after their first
--                          contact
--   pay_rate               paid / contacted
--   payments, gross_revenue, refunds, revenue: all payments in the windows, whether
--                          or not a rep is recorded on them
-- level 'rep', per rep (ordered by revenue, most first; the unassigned row last of equals):
--   users_handled          distinct users with a contact or a payment recorded with
--                          the rep in their window
--   contacted              the rep's users: distinct users with a contact by the rep
--                          in their window
--   contacts               the rep's contact events in those windows
--   median_response_hours  median over the rep's users of (the rep's first contact
--                          with the user - T0), in hours
--   paid                   the rep's users who paid (a payment with any rep) at or
--                          after the rep's first contact with them, within their window
--   pay_rate               paid / contacted (contact -> paid), with its 95% Wilson
--                          interval pay_rate_lo / pay_rate_hi
--   payments               payments recorded with the rep in the windows
--   gross_revenue          their amounts
--   refunds                refund amounts of those payments' orders (whenever the
--                          refund happened, as stg_payments nets them)
--   revenue                gross_revenue - refunds (net amounts)
-- level 'week', per (rep, week), week = the Monday (date) of the ISO week (ordered by
-- week, then rep; the unassigned rep last):
--   contacted  the rep's users whose first contact by the rep fell in the week
--   paid       the rep's paid users whose first payment at or after that contact fell
--              in the week
--   revenue    net amounts of payments recorded with the rep dated in the week
--   Summed over weeks these equal the reps' contacted, paid and revenue.
--
-- How: T0 is the t0 of one (article, user) row of fct_user_article -- the user's only
-- row, or for a user with several rows the selected one with the earliest t0 -- and
-- fct_sales_contact / fct_sales_payment hold that row's events with their offset from
-- t0 and first-event marks, so the window is "off_us <= W" (see
-- queries/models/16_fct_user_sales.sql and 27_sales_scope.sql). The scope's rows are
-- read once, with only the columns the figures need, and every level is counted from
-- them (10x, where three queries each read them: 674 -> ~400 ms for the three levels).
WITH c AS MATERIALIZED (  -- contact rows of the scope's users inside [T0, T0 + W]
    SELECT rep, first_any, first_contact, first_rep, resp_h, ev_week, pay_week,
           coalesce(pay_us <= win_us($window_days), false) AS paid_w,
           CASE WHEN c_last <= win_us($window_days) THEN c_n
                ELSE len(list_filter(c_offs, lambda x: x <= win_us($window_days))) END AS n_contacts
    FROM sales_scope_contacts($date_from, $date_to, CAST($channels AS VARCHAR[]), $window_days)
),
p AS MATERIALIZED (  -- payment rows of the scope's users inside [T0, T0 + W]
    SELECT rep, first_any, first_rep, ev_week, amount, refunded, net_amount
    FROM sales_scope_payments($date_from, $date_to, CAST($channels AS VARCHAR[]), $window_days)
),
ct AS (
    SELECT count(*) FILTER (WHERE first_any) AS handled,
           count(*) FILTER (WHERE first_contact) AS contacted,
           median(resp_h) FILTER (WHERE first_contact) AS median_response_hours,
           count(*) FILTER (WHERE first_contact AND paid_w) AS paid
    FROM c
),
pt AS (
    SELECT count(*) FILTER (WHERE first_any) AS handled,
           count(*) AS payments,
           sum(amount) AS gross_revenue, sum(refunded) AS refunds, sum(net_amount) AS revenue
    FROM p
),
cr AS (
    SELECT rep,
           count(*) FILTER (WHERE first_rep) AS handled,
           count(*) AS contacted,
           sum(n_contacts) AS contacts,
           count(*) FILTER (WHERE paid_w) AS paid,
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
),
wk AS (
    SELECT rep, week, CAST(sum(c) AS BIGINT) AS contacted, CAST(sum(p) AS BIGINT) AS paid, sum(r) AS revenue
    FROM (
        SELECT rep, ev_week AS week, count(*) AS c, 0 AS p, 0.0 AS r FROM c GROUP BY ALL
        UNION ALL SELECT rep, pay_week, 0, count(*), 0.0 FROM c WHERE paid_w GROUP BY ALL
        UNION ALL SELECT rep, ev_week, 0, 0, sum(net_amount) FROM p GROUP BY ALL
    )
    GROUP BY ALL
),
long AS (  -- (the first branch names the columns)
    SELECT
        'rep' AS level, rep, CAST(NULL AS DATE) AS week,
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
    UNION ALL
    SELECT
        'total', NULL, NULL,
        ct.handled + pt.handled,
        ct.contacted,
        NULL,
        round(ct.median_response_hours, 2),
        ct.paid,
        pay_rate(ct.paid, ct.contacted),
        NULL, NULL,
        pt.payments,
        money(coalesce(pt.gross_revenue, 0)),
        money(coalesce(pt.refunds, 0)),
        money(coalesce(pt.revenue, 0))
    FROM ct, pt
    UNION ALL
    SELECT 'week', rep, week, NULL, contacted, NULL, NULL, paid, NULL, NULL, NULL, NULL, NULL, NULL,
           money(revenue)
    FROM wk
)
SELECT * FROM long
ORDER BY level, CASE WHEN level = 'rep' THEN revenue END DESC, week, rep NULLS LAST;
