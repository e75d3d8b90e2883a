-- Payments with no eligible touch in a window of W days (net of refunds).
CREATE OR REPLACE MACRO fct_unattributed(window_days) AS TABLE
SELECT p.*
FROM stg_payments AS p
WHERE NOT EXISTS (
    SELECT 1 FROM fct_payment_touch AS pt
    WHERE pt.payment_id = p.payment_id AND pt.age_days <= CAST(window_days AS INTEGER)
);

-- A moment (a payment, a touch) dated in [d0, d1] (inclusive dates; a NULL bound is
-- open), as a range of timestamps: DuckDB skips the row groups outside it (payments
-- are stored about in date order), which it cannot do for CAST(ts AS DATE) BETWEEN (a
-- digest's week of attributed revenue at 10x: 30 -> 6 ms).
CREATE OR REPLACE MACRO dated_in(ts, d0, d1) AS
    (CAST(d0 AS DATE) IS NULL OR ts >= CAST(CAST(d0 AS DATE) AS TIMESTAMP))
    AND (CAST(d1 AS DATE) IS NULL OR ts < CAST(CAST(d1 AS DATE) AS TIMESTAMP) + INTERVAL 1 DAY);

-- The net amount of fct_unattributed's payments dated in [d0, d1] (NULL: no payment
-- dated there; 0: each has an eligible touch), summed as every payment dated there
-- less those with an eligible touch: fct_eligible(W) holds one set per such payment,
-- and the set's latest touch (w_last_touch = 1) stands for it. Two sums over stored
-- rows rather than fct_unattributed's anti join, which reads every payment's touches
-- whatever the dates (half the time for a selection's tiles; a digest's two periods at
-- 10x on a delta store: digest_segments 306-326 -> 187-189 ms).
CREATE OR REPLACE MACRO unattributed_paid(window_days, d0, d1) AS (
    (SELECT sum(p.net_amount) FROM stg_payments AS p WHERE dated_in(p.paid_at, d0, d1))
    - coalesce((SELECT sum(e.net_amount) FROM fct_eligible(window_days) AS e
                WHERE e.w_last_touch = 1 AND dated_in(e.paid_at, d0, d1)), 0)
);

-- A selection's unattributed revenue (the tiles of every page read it: sel_money):
-- the payments dated in [from, to + W] (NULL bounds: open; a payment up to W days
-- after the period can still come from it).
CREATE OR REPLACE MACRO unattributed_money(window_days, date_from, date_to) AS
    unattributed_paid(window_days, date_from,
                      CAST(date_to AS DATE) + to_days(CAST(window_days AS INTEGER)));
