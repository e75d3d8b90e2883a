-- Payments with no eligible touch in a window of W days (net of refunds).
CREATE OR REPLACE MACRO fct_unattributed(window_days) AS TABLE
SELECT p.*
FROM stg_payments AS p
WHERE NOT EXISTS (
    SELECT 1 FROM stg_touches AS t
    WHERE t.user_id = p.user_id
      AND p.paid_at BETWEEN t.touched_at AND t.touched_at + to_days(CAST(window_days AS INTEGER))
);
