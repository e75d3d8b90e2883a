-- The /sales page's weekly trend per rep, in the scope and with the
-- definitions of sales_reps.sql; week = the Monday (date) of the ISO week:
--   contacted  the rep's users whose first contact by the rep fell in the week
--   paid       the rep's paid users whose first payment at or after that
--              contact fell in the week
--   revenue    net amounts of payments recorded with the rep dated in the week
-- Summed over weeks these equal sales_reps' contacted, paid and revenue.
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
    SELECT uw.user_id, p.payment_id, p.rep, p.paid_at, p.net_amount
    FROM uw JOIN stg_payments AS p ON p.user_id = uw.user_id AND p.paid_at BETWEEN uw.t0 AND uw.t_end
),
ru AS (
    SELECT rep, user_id, min(contacted_at) AS first_contact FROM con GROUP BY rep, user_id
),
rup AS (
    SELECT ru.rep, ru.user_id, ru.first_contact, min(pay.paid_at) AS paid_at
    FROM ru LEFT JOIN pay ON pay.user_id = ru.user_id AND pay.paid_at >= ru.first_contact
    GROUP BY ALL
),
ev AS (
    SELECT rep, first_contact AS ts, 1 AS c, 0 AS p, 0.0 AS r FROM rup
    UNION ALL SELECT rep, paid_at, 0, 1, 0.0 FROM rup WHERE paid_at IS NOT NULL
    UNION ALL SELECT rep, paid_at, 0, 0, net_amount FROM pay
)
SELECT
    rep,
    CAST(date_trunc('week', ts) AS DATE) AS week,
    CAST(sum(c) AS BIGINT) AS contacted,
    CAST(sum(p) AS BIGINT) AS paid,
    money(sum(r)) AS revenue
FROM ev
GROUP BY ALL
ORDER BY week, rep NULLS LAST;
