-- The ordered funnel of every (article, user) for a window of W days:
--   t0  earliest touch of the user on the article
--   t1  first contact in [t0, t0 + W]
--   paid when a payment lies in [t1, t0 + W]; paid_without_contact when a
--   payment lies in [t0, t0 + W] but the user is not paid.
CREATE OR REPLACE MACRO fct_funnel(window_days) AS TABLE
WITH ft AS (
    SELECT article_id, user_id, t0, t0 + to_days(CAST(window_days AS INTEGER)) AS t_end
    FROM stg_first_touch
),
c AS (
    SELECT ft.article_id, ft.user_id, min(c.contacted_at) AS t1
    FROM ft
    JOIN stg_contacts AS c
      ON c.user_id = ft.user_id AND c.contacted_at BETWEEN ft.t0 AND ft.t_end
    GROUP BY ft.article_id, ft.user_id
),
p AS (
    SELECT ft.article_id, ft.user_id,
           min(p.paid_at) AS first_pay_any,
           min(p.paid_at) FILTER (WHERE p.paid_at >= c.t1) AS first_paid
    FROM ft
    JOIN stg_payments AS p
      ON p.user_id = ft.user_id AND p.paid_at BETWEEN ft.t0 AND ft.t_end
    LEFT JOIN c ON c.article_id = ft.article_id AND c.user_id = ft.user_id
    GROUP BY ft.article_id, ft.user_id
)
SELECT
    ft.article_id, ft.user_id, ft.t0, ft.t_end, c.t1, p.first_paid,
    c.t1 IS NOT NULL AS contacted,
    p.first_paid IS NOT NULL AS paid,
    (p.first_pay_any IS NOT NULL AND p.first_paid IS NULL) AS paid_without_contact,
    epoch(p.first_paid - ft.t0) / 86400.0 AS days_to_pay
FROM ft
LEFT JOIN c ON c.article_id = ft.article_id AND c.user_id = ft.user_id
LEFT JOIN p ON p.article_id = ft.article_id AND p.user_id = ft.user_id;
