-- Acquisition cohorts (docs/METRICS.md "Cohort revenue"): users grouped by the
-- week or month of their FIRST join through an article, and what they paid after it.
-- Built on load (window-independent), so the Cohorts page only sums small tables.
--
-- fct_cohort_user: every user with a touch, at their first touch overall
--   (t0; equal times: the smaller article_id), with that touch's article and channel
--   (the user's acquisition article / channel), week0 = the Monday of t0's ISO week,
--   month0 = the first day of t0's month; payer (a payment with net > 0 after t0, so
--   far), n90 (payments with net > 0 within 90 days).
-- fct_cohort_pay: those users' payments at or after t0, net of the refunds
--   of their order (stg_payments.net_amount, dated at the payment, as everywhere in
--   the app), with age_day = the whole days after t0 it counts from:
--   ceil((paid_at - t0) / 1 day), so "age_day <= d" is exactly "paid_at - t0 <= d days";
--   ages beyond 180 days are kept as 181 (counted in "revenue so far" only).
--   Both are per user (refresh.KEYED: an upload re-derives the users it touches).
-- agg_cohort_users: per (week0, month0, channel, article_id): users, payers,
--   payers_90 (one within 90 days), repeat_payers_90 (at least two within 90 days).
-- agg_cohort_revenue: per (week0, month0, channel, article_id, age_day): the net amount.
-- cohort_data_end(): how far the revenue is known: the latest sales event (else the
--   latest join). A cohort is MATURE at d days when its last day + 1 day + d days <= it
--   (every one of its users has been observed for d days): cohort_mature(cohort_to, d).
CREATE OR REPLACE TEMP TABLE _cohort_first AS
WITH f AS (
    SELECT user_id, min(t0) AS t0, arg_min(article_id, {'t': t0, 'a': article_id}) AS article_id
    FROM stg_first_touch
    WHERE inc_user(user_id)
    GROUP BY user_id
)
SELECT f.user_id, f.t0, f.article_id, a.channel,
       CAST(date_trunc('week', f.t0) AS DATE) AS week0, CAST(date_trunc('month', f.t0) AS DATE) AS month0
FROM f JOIN articles AS a USING (article_id);

CREATE OR REPLACE TABLE fct_cohort_pay AS
SELECT c.user_id, c.week0, c.month0, c.channel, c.article_id, p.net_amount,
       CAST(least(greatest(ceil((epoch_us(p.paid_at) - epoch_us(c.t0)) / 86400000000.0), 0), 181) AS INTEGER)
           AS age_day
FROM _cohort_first AS c
JOIN (SELECT * FROM stg_payments WHERE inc_user(user_id)) AS p ON p.user_id = c.user_id AND p.paid_at >= c.t0;

CREATE OR REPLACE TABLE fct_cohort_user AS
WITH pu AS (
    SELECT user_id, bool_or(net_amount > 0) AS payer,
           count(*) FILTER (WHERE net_amount > 0 AND age_day <= 90) AS n90
    FROM fct_cohort_pay
    WHERE inc_user(user_id)
    GROUP BY user_id
)
SELECT c.*, coalesce(pu.payer, false) AS payer, coalesce(pu.n90, 0) AS n90
FROM _cohort_first AS c
LEFT JOIN pu USING (user_id);

DROP TABLE _cohort_first;

CREATE OR REPLACE TABLE agg_cohort_users AS
SELECT week0, month0, channel, article_id,
       count(*) AS users,
       count(*) FILTER (WHERE payer) AS payers,
       count(*) FILTER (WHERE n90 >= 1) AS payers_90,
       count(*) FILTER (WHERE n90 >= 2) AS repeat_payers_90
FROM fct_cohort_user
GROUP BY ALL
ORDER BY week0, channel, article_id;

CREATE OR REPLACE TABLE agg_cohort_revenue AS
SELECT week0, month0, channel, article_id, age_day, sum(net_amount) AS amount
FROM fct_cohort_pay
GROUP BY ALL
ORDER BY week0, channel, article_id, age_day;

CREATE OR REPLACE TABLE fct_cohort_end AS
SELECT coalesce((SELECT max(occurred_at) FROM sales), (SELECT max(joined_at) FROM joins)) AS data_end;

CREATE OR REPLACE MACRO cohort_data_end() AS (SELECT data_end FROM fct_cohort_end);

CREATE OR REPLACE MACRO cohort_mature(cohort_to, days) AS
    CAST(cohort_to AS TIMESTAMP) + INTERVAL 1 DAY + to_days(CAST(days AS INTEGER)) <= cohort_data_end();

-- The cohort (its first day) of a row of the aggregates, by grain ('week' | 'month'),
-- and its last day.
CREATE OR REPLACE MACRO cohort_of(grain, week0, month0) AS CASE WHEN grain = 'month' THEN month0 ELSE week0 END;
CREATE OR REPLACE MACRO cohort_last_day(grain, cohort) AS
    CAST(CASE WHEN grain = 'month' THEN cohort + INTERVAL 1 MONTH - INTERVAL 1 DAY
              ELSE cohort + INTERVAL 6 DAY END AS DATE);
-- The rows of the channel list (empty / NULL: all) and the acquisition article (NULL: all).
CREATE OR REPLACE MACRO cohort_in(channel, article_id, channels, article) AS
    (channels IS NULL OR len(channels) = 0 OR list_contains(channels, channel))
    AND (article IS NULL OR article_id = article);
