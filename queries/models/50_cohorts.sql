-- Acquisition cohorts (docs/METRICS.md "Cohort revenue"): users grouped by the
-- week or month of their FIRST join through an article, and what they paid after it.
--
-- cohort_users(grain, channels, article)
--   Every user with a touch, at their first touch overall (t0; equal times: the
--   smaller article_id), with that touch's article and channel (the user's
--   acquisition channel). cohort = the Monday of t0's ISO week (grain 'week') or
--   the first day of its month ('month'); cohort_to = the cohort's last day.
--   channels / article filter by the ACQUISITION article (empty / NULL: all).
-- cohort_payments(grain, channels, article)
--   Those users' payments at or after t0, net of refunds of their order
--   (stg_payments.net_amount, dated at the payment, as everywhere in the app),
--   with their age at payment in microseconds (age_us = paid_at - t0).
-- cohort_data_end()
--   How far the revenue is known: the latest sales event (else the latest join).
--   A cohort is MATURE at d days when cohort_to + 1 day + d days <= data end
--   (every one of its users has been observed for d days).
CREATE OR REPLACE MACRO cohort_users(grain, channels, article) AS TABLE
WITH f AS (
    SELECT user_id, min(t0) AS t0, first(article_id ORDER BY t0, article_id) AS article_id
    FROM stg_first_touch
    GROUP BY user_id
),
c AS (
    SELECT f.user_id, f.t0, f.article_id, a.channel,
           CAST(CASE WHEN grain = 'month' THEN date_trunc('month', f.t0) ELSE date_trunc('week', f.t0) END AS DATE)
               AS cohort
    FROM f JOIN articles AS a USING (article_id)
    WHERE (channels IS NULL OR len(channels) = 0 OR list_contains(channels, a.channel))
      AND (article IS NULL OR f.article_id = article)
)
SELECT *, CAST(CASE WHEN grain = 'month' THEN cohort + INTERVAL 1 MONTH - INTERVAL 1 DAY
                    ELSE cohort + INTERVAL 6 DAY END AS DATE) AS cohort_to
FROM c;

CREATE OR REPLACE MACRO cohort_payments(grain, channels, article) AS TABLE
SELECT c.cohort, c.user_id, p.payment_id, p.net_amount,
       epoch_us(p.paid_at) - epoch_us(c.t0) AS age_us
FROM cohort_users(grain, channels, article) AS c
JOIN stg_payments AS p ON p.user_id = c.user_id AND p.paid_at >= c.t0;

CREATE OR REPLACE MACRO cohort_data_end() AS
    coalesce((SELECT max(occurred_at) FROM sales), (SELECT max(joined_at) FROM joins));

CREATE OR REPLACE MACRO cohort_mature(cohort_to, days) AS
    CAST(cohort_to AS TIMESTAMP) + INTERVAL 1 DAY + to_days(CAST(days AS INTEGER)) <= cohort_data_end();
