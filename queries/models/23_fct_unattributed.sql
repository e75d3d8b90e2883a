-- Payments with no eligible touch in a window of W days (net of refunds).
CREATE OR REPLACE MACRO fct_unattributed(window_days) AS TABLE
SELECT p.*
FROM stg_payments AS p
WHERE NOT EXISTS (
    SELECT 1 FROM fct_payment_touch AS pt
    WHERE pt.payment_id = p.payment_id AND pt.age_days <= CAST(window_days AS INTEGER)
);

-- A payment dated in [from, to + W] (NULL bounds: open), the period a selection's
-- unattributed revenue covers (a payment up to W days after the period can still
-- come from it).
CREATE OR REPLACE MACRO paid_in(paid_at, window_days, date_from, date_to) AS
    (CAST(date_from AS DATE) IS NULL OR CAST(paid_at AS DATE) >= CAST(date_from AS DATE))
    AND (CAST(date_to AS DATE) IS NULL
         OR CAST(paid_at AS DATE) <= CAST(date_to AS DATE) + to_days(CAST(window_days AS INTEGER)));

-- The net amount of fct_unattributed's payments dated in [from, to + W] (NULL: no
-- payment dated there; 0: each has an eligible touch), summed as every payment dated
-- there less those with an eligible touch: fct_eligible(W) holds one set per such
-- payment, and the set's latest touch (w_last_touch = 1) stands for it. Two sums over
-- stored rows rather than fct_unattributed's anti join: half the time, and the tiles
-- of every page read it (sel_money).
CREATE OR REPLACE MACRO unattributed_money(window_days, date_from, date_to) AS (
    (SELECT sum(p.net_amount) FROM stg_payments AS p
     WHERE paid_in(p.paid_at, window_days, date_from, date_to))
    - coalesce((SELECT sum(e.net_amount) FROM fct_eligible(window_days) AS e
                WHERE e.w_last_touch = 1 AND paid_in(e.paid_at, window_days, date_from, date_to)), 0)
);
