-- Payments with no eligible touch in a window of W days (net of refunds).
CREATE OR REPLACE MACRO fct_unattributed(window_days) AS TABLE
SELECT p.*
FROM stg_payments AS p
WHERE NOT EXISTS (
    SELECT 1 FROM fct_payment_touch AS pt
    WHERE pt.payment_id = p.payment_id AND pt.age_days <= CAST(window_days AS INTEGER)
);
