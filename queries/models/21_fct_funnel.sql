-- The ordered funnel of every (article, user) for a window of W days
-- (CONTRACT §2), derived from fct_user_article (see its comment):
--   contacted             a contact in [t0, t0 + W]
--   paid                  a contact t1 in [t0, t0 + W] and a payment in [t1, t0 + W]
--   paid_without_contact  a payment in [t0, t0 + W] but not paid
--   days_to_pay           first such payment - t0, in days
CREATE OR REPLACE MACRO fct_funnel(window_days) AS TABLE
WITH f AS (
    SELECT *, t0 + to_days(CAST(window_days AS INTEGER)) AS t_end
    FROM fct_user_article
)
SELECT
    article_id, user_id, t0, t_end,
    CASE WHEN c1 <= t_end THEN c1 END AS t1,
    CASE WHEN p1 <= t_end THEN p1 END AS first_paid,
    coalesce(c1 <= t_end, false) AS contacted,
    coalesce(p1 <= t_end, false) AS paid,
    coalesce(q1 <= t_end, false) AND NOT coalesce(p1 <= t_end, false) AS paid_without_contact,
    CASE WHEN p1 <= t_end THEN epoch(p1 - t0) / 86400.0 END AS days_to_pay
FROM f;
