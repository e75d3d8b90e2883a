-- Window-independent facts of every (article, user), refreshed on load, from
-- which the windowed funnel follows by comparisons only:
--   t0  the user's earliest touch on the article
--   c1  the first contact at or after t0
--   p1  the first payment at or after c1
--   q1  the first payment at or after t0
-- For a window W:  contacted <=> c1 <= t0 + W;  paid <=> p1 <= t0 + W (then
-- c1 <= p1 <= t0 + W, an ordered contact -> payment inside the window, and p1
-- is the first such payment);  paid_without_contact <=> q1 <= t0 + W and not paid.
CREATE OR REPLACE TABLE fct_user_article AS
WITH c AS (
    SELECT ft.article_id, ft.user_id, ft.t0, c.contacted_at AS c1
    FROM stg_first_touch AS ft
    ASOF LEFT JOIN stg_contacts AS c
      ON c.user_id = ft.user_id AND c.contacted_at >= ft.t0
),
p AS (
    SELECT c.*, p.paid_at AS p1
    FROM c
    ASOF LEFT JOIN stg_payments AS p
      ON p.user_id = c.user_id AND p.paid_at >= c.c1
)
SELECT p.article_id, p.user_id, p.t0, p.c1, p.p1, q.paid_at AS q1
FROM p
ASOF LEFT JOIN stg_payments AS q
  ON q.user_id = p.user_id AND q.paid_at >= p.t0;
