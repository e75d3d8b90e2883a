-- Every (payment, touch) pair that is eligible for the longest window the app
-- allows (365 days), with the touch's age at payment. A window W keeps the
-- pairs with age_days <= W. Refreshed on load.
--
-- Window-independent facts that make the first- and last-touch splits a
-- comparison (see fct_revenue):
--   rk_desc   the touch's place among the payment's pairs counted from the
--             latest (1 = latest; touches ordered by time, then article_id,
--             then touch_id, as fct_attribution orders them)
--   age_next  the age of the next older touch of the payment (NULL: none)
-- A window keeps the pairs with age_days <= W, which is a prefix in rk_desc
-- order (age grows with rk_desc); so the pair is the window's first touch
-- <=> age_days <= W AND (age_next IS NULL OR age_next > W), and its last
-- touch <=> rk_desc = 1 AND age_days <= W.
-- channel, pub_day, touch_week: the touch's article's channel and publish date, and
-- the Monday of the touch's week. Stored in payment order, a payment's touches in
-- time order (as fct_attribution orders them).
CREATE OR REPLACE TABLE fct_payment_touch AS
WITH pt AS (
    SELECT
        p.payment_id, p.user_id, p.paid_at, p.order_id, p.amount, p.refunded, p.net_amount, p.rep,
        t.touch_id, t.article_id, t.touched_at,
        epoch(p.paid_at - t.touched_at) / 86400.0 AS age_days
    FROM stg_payments AS p
    JOIN (SELECT * FROM stg_touches WHERE inc_user(user_id)) AS t
      ON t.user_id = p.user_id
     AND p.paid_at BETWEEN t.touched_at AND t.touched_at + to_days(max_window_days())
    WHERE inc_user(p.user_id)
)
SELECT
    pt.*,
    row_number() OVER w AS rk_desc,
    lead(pt.age_days) OVER w AS age_next,
    a.channel, CAST(a.published_at AS DATE) AS pub_day,
    CAST(date_trunc('week', pt.touched_at) AS DATE) AS touch_week
FROM pt
JOIN articles AS a ON a.article_id = pt.article_id
WINDOW w AS (PARTITION BY pt.payment_id ORDER BY pt.touched_at DESC, pt.article_id DESC, pt.touch_id DESC)
ORDER BY pt.payment_id, pt.touched_at, pt.article_id, pt.touch_id;
