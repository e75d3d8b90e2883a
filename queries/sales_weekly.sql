-- The /sales page's weekly trend per rep, in the scope and with the
-- definitions of sales_reps.sql; week = the Monday (date) of the ISO week:
--   contacted  the rep's users whose first contact by the rep fell in the week
--   paid       the rep's paid users whose first payment at or after that
--              contact fell in the week
--   revenue    net amounts of payments recorded with the rep dated in the week
-- Summed over weeks these equal sales_reps' contacted, paid and revenue.
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
e AS (
    SELECT rep, ev_week AS week, 1 AS c, 0 AS p, 0.0 AS r FROM c
    UNION ALL SELECT rep, pay_week, 0, 1, 0.0 FROM c WHERE pay_us <= win_us($window_days)
    UNION ALL SELECT rep, ev_week, 0, 0, net_amount FROM p
)
SELECT
    rep,
    week,
    CAST(sum(c) AS BIGINT) AS contacted,
    CAST(sum(p) AS BIGINT) AS paid,
    money(sum(r)) AS revenue
FROM e
GROUP BY ALL
ORDER BY week, rep NULLS LAST;
