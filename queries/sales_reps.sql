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
ru AS (
    SELECT rep, user_id, min(t0) AS t0, min(contacted_at) AS first_contact, count(*) AS contacts
    FROM con GROUP BY rep, user_id
),
rup AS (
    SELECT ru.rep, ru.user_id, ru.t0, ru.first_contact, ru.contacts, min(pay.paid_at) AS paid_at
    FROM ru LEFT JOIN pay ON pay.user_id = ru.user_id AND pay.paid_at >= ru.first_contact
    GROUP BY ALL
),
h AS (
    SELECT rep, count(DISTINCT user_id) AS users_handled
    FROM (SELECT rep, user_id FROM con UNION ALL SELECT rep, user_id FROM pay)
    GROUP BY rep
),
rs AS (
    SELECT rep,
           count(*) AS contacted,
           sum(contacts) AS contacts,
           count(*) FILTER (WHERE paid_at IS NOT NULL) AS paid,
           median(epoch(first_contact - t0) / 3600.0) AS median_response_hours
    FROM rup GROUP BY rep
),
m AS (
    SELECT rep, count(*) AS payments, sum(amount) AS gross_revenue, sum(refunded) AS refunds,
           sum(net_amount) AS revenue
    FROM pay GROUP BY rep
)
SELECT
    h.rep,
    h.users_handled,
    coalesce(rs.contacted, 0) AS contacted,
    CAST(coalesce(rs.contacts, 0) AS BIGINT) AS contacts,
    round(rs.median_response_hours, 2) AS median_response_hours,
    coalesce(rs.paid, 0) AS paid,
    rate(coalesce(rs.paid, 0), coalesce(rs.contacted, 0)) AS pay_rate,
    wilson_lo(coalesce(rs.paid, 0), coalesce(rs.contacted, 0)) AS pay_rate_lo,
    wilson_hi(coalesce(rs.paid, 0), coalesce(rs.contacted, 0)) AS pay_rate_hi,
    coalesce(m.payments, 0) AS payments,
    money(coalesce(m.gross_revenue, 0)) AS gross_revenue,
    money(coalesce(m.refunds, 0)) AS refunds,
    money(coalesce(m.revenue, 0)) AS revenue
FROM h
LEFT JOIN rs ON rs.rep IS NOT DISTINCT FROM h.rep
LEFT JOIN m ON m.rep IS NOT DISTINCT FROM h.rep
ORDER BY revenue DESC, h.rep NULLS LAST;
