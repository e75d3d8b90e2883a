-- One article's users (the /articles detail), one row per user with a touch
-- on $article_id, for a window of $window_days:
--   joined_at          t0, the user's earliest touch on the article
--   first_contact_at   first contact in [t0, t0 + W]; first_contact_rep its rep
--   first_paid_at  paid users: first payment at or after first_contact, within
--                  the window (the ordered funnel of fct_funnel); users who paid
--                  without a contact first: their first payment in the window
--   days_to_pay    paid users: first_paid_at - t0, in days (as fct_funnel)
--   stage          paid | paid_without_contact | contacted_open | contacted_dropped
--                  | joined_open | joined_dropped
--   window_end_at  t0 + W (inclusive)
--   in_window      the stage is contacted_open or joined_open
-- "open" (still inside the window, may yet convert): not paid, not paid
-- without contact, and t0 + W is after "now" = the latest event in the store
-- (data_now(), models/05_now.sql), so a link shows the same numbers tomorrow.
-- "dropped": the same but the window closed at or before "now".
WITH now_ AS (
    SELECT data_now() AS now_at
),
f AS (
    SELECT * FROM fct_funnel($window_days) WHERE article_id = CAST($article_id AS VARCHAR)
),
pay_any AS (
    SELECT f.user_id, min(p.paid_at) AS first_pay_any
    FROM f JOIN stg_payments AS p ON p.user_id = f.user_id AND p.paid_at BETWEEN f.t0 AND f.t_end
    GROUP BY f.user_id
),
rep1 AS (
    SELECT f.user_id, min(c.rep) AS first_contact_rep
    FROM f JOIN stg_contacts AS c ON c.user_id = f.user_id AND c.contacted_at = f.t1
    GROUP BY f.user_id
)
SELECT
    f.user_id,
    f.t0 AS joined_at,
    f.t1 AS first_contact_at,
    rep1.first_contact_rep,
    CASE WHEN f.paid THEN f.first_paid WHEN f.paid_without_contact THEN pay_any.first_pay_any END
        AS first_paid_at,
    round(f.days_to_pay, 4) AS days_to_pay,
    CASE
        WHEN f.paid THEN 'paid'
        WHEN f.paid_without_contact THEN 'paid_without_contact'
        WHEN f.contacted AND f.t_end > now_.now_at THEN 'contacted_open'
        WHEN f.contacted THEN 'contacted_dropped'
        WHEN f.t_end > now_.now_at THEN 'joined_open'
        ELSE 'joined_dropped'
    END AS stage,
    f.t_end AS window_end_at,
    (NOT f.paid AND NOT f.paid_without_contact AND f.t_end > now_.now_at) AS in_window
FROM f
CROSS JOIN now_
LEFT JOIN pay_any ON pay_any.user_id = f.user_id
LEFT JOIN rep1 ON rep1.user_id = f.user_id
ORDER BY f.t0, f.user_id;
