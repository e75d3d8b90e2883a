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
    FROM inc_rows('stg_payments') AS p
    JOIN inc_rows('stg_touches') AS t
      ON t.user_id = p.user_id
     AND p.paid_at BETWEEN t.touched_at AND t.touched_at + to_days(max_window_days())
)
SELECT
    pt.*,
    row_number() OVER w AS rk_desc,
    lead(pt.age_days) OVER w AS age_next,
    a.channel, CAST(a.published_at AS DATE) AS pub_day,
    CAST(date_trunc('week', pt.touched_at) AS DATE) AS touch_week,
    user_hash(pt.user_id) AS uh  -- an upload finds its users' rows by it (10_stg_touches.sql)
FROM pt
JOIN articles AS a ON a.article_id = pt.article_id
WINDOW w AS (PARTITION BY pt.payment_id ORDER BY pt.touched_at DESC, pt.article_id DESC, pt.touch_id DESC)
ORDER BY pt.payment_id, pt.touched_at, pt.article_id, pt.touch_id;

-- The rule models' weights, for every window at once. A window W keeps a payment's
-- touches with age_days <= W, the n latest (rk_desc <= n), so a payment has at most as
-- many eligible sets as touches: the n latest are the eligible set for the windows
-- lo <= W < hi, with lo = ceil(age of the n-th latest) and hi = ceil(age of the one
-- before it, age_next; NULL: none, every longer window), W being whole days (an empty
-- range, lo = hi, is left out). One row per (payment, set, touch of the set), with the
-- touch's weight in the set under each rule model (w_<model>; the markov weights need
-- the window's removal effects: 22_fct_attribution.sql). pos is the touch's place in
-- the set from the earliest (= n - rk_desc + 1).
--   first_touch  all to the earliest touch of the set
--   last_touch   all to the latest
--   linear       equally
--   position     40 % first, 40 % last, 20 % over the middle ones (one touch: 100 %,
--                two: 50 / 50)
--   time_decay   in proportion to 2^(-age / 7 days)
CREATE OR REPLACE TABLE fct_touch_weights AS
WITH t AS (
    SELECT *, pow(2.0, -age_days / 7.0) AS decay
    FROM inc_rows('fct_payment_touch')
),
s AS (  -- each payment's eligible sets: the n latest touches, for lo <= W < hi
    SELECT payment_id, rk_desc AS n,
           CAST(ceil(age_days) AS INTEGER) AS lo, CAST(ceil(age_next) AS INTEGER) AS hi
    FROM t
),
j AS (
    SELECT t.*, s.n, s.lo, s.hi, n - t.rk_desc + 1 AS pos,
           -- summed in a fixed order (rk_desc), so that a set's weights do not depend on the
           -- order the rows arrive in (a full rebuild and an incremental refresh read them in
           -- different orders; unordered, the last bit of w_time_decay could differ)
           sum(t.decay) OVER (PARTITION BY t.payment_id, s.n ORDER BY t.rk_desc
                              ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS decay_sum
    FROM s JOIN t ON t.payment_id = s.payment_id AND t.rk_desc <= s.n
    WHERE s.hi IS NULL OR s.hi > s.lo
)
SELECT
    payment_id, user_id, paid_at, order_id, amount, refunded, net_amount, rep,
    touch_id, article_id, touched_at, channel, pub_day, touch_week,
    n, lo, hi,
    CAST(CASE WHEN pos = 1 THEN 1 ELSE 0 END AS DOUBLE) AS w_first_touch,
    CAST(CASE WHEN pos = n THEN 1 ELSE 0 END AS DOUBLE) AS w_last_touch,
    1.0 / n AS w_linear,
    CAST(CASE WHEN n = 1 THEN 1.0
              WHEN n = 2 THEN 0.5
              WHEN pos = 1 OR pos = n THEN 0.4
              ELSE 0.2 / (n - 2) END AS DOUBLE) AS w_position,
    decay / decay_sum AS w_time_decay,
    uh
FROM j
ORDER BY payment_id, n, pos;
