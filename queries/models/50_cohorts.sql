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
-- agg_cohort_payments: per (week0, month0, channel, article_id, age_day): the net amount
--   and the number of payments (a group of payments netting to 0 stays).
-- Both are updated on load by the re-derived users' rows (minus theirs before, plus
--   theirs after), not re-summed over every user.
-- cohort_data_end(): how far the revenue is known: the latest sales event (else the
--   latest join). A cohort is MATURE at d days when its last day + 1 day + d days <= it
--   (every one of its users has been observed for d days): cohort_mature(cohort_to, d).
CREATE TABLE IF NOT EXISTS fct_cohort_pay (
    user_id VARCHAR, week0 DATE, month0 DATE, channel VARCHAR, article_id VARCHAR,
    net_amount DECIMAL(38, 2), age_day INTEGER);
-- fct_cohort_user's article_id is stored uncompressed: an upload reads its users' rows by
-- uh, and a dictionary-compressed column decodes a whole segment's dictionary (here, of
-- articles from every month) for each segment holding one of them (10x: ~2/3 of the read;
-- docs/ARCHITECTURE.md, "Strings read by uh"). Declared here, so its rows are inserted below.
CREATE TABLE IF NOT EXISTS fct_cohort_user (
    user_id VARCHAR, t0 TIMESTAMP, article_id VARCHAR USING COMPRESSION uncompressed, channel VARCHAR,
    week0 DATE, month0 DATE, payer BOOLEAN, n90 BIGINT, uh UINTEGER);
CREATE TABLE IF NOT EXISTS agg_cohort_users (
    week0 DATE, month0 DATE, channel VARCHAR, article_id VARCHAR,
    users BIGINT, payers BIGINT, payers_90 BIGINT, repeat_payers_90 BIGINT);
CREATE TABLE IF NOT EXISTS agg_cohort_payments (
    week0 DATE, month0 DATE, channel VARCHAR, article_id VARCHAR, age_day INTEGER,
    amount DECIMAL(38, 2), payments BIGINT);
-- the re-derived users' rows before this refresh (a full rebuild starts from nothing),
-- subtracted from the sums below
CREATE OR REPLACE TEMP TABLE _cohort_old_u AS
SELECT * EXCLUDE (uh) FROM fct_cohort_user WHERE inc_user_hash(uh) AND NOT inc_full();
DELETE FROM _cohort_old_u WHERE NOT coalesce(inc_user(user_id), false);  -- uh, then user_id
CREATE OR REPLACE TEMP TABLE _cohort_old_p AS
SELECT * FROM fct_cohort_pay WHERE inc_user(user_id) AND NOT inc_full();

CREATE OR REPLACE TEMP TABLE _cohort_first AS
WITH f AS (
    SELECT user_id, min(t0) AS t0, arg_min(article_id, {'t': t0, 'a': article_id}) AS article_id
    FROM inc_rows('stg_first_touch')
    GROUP BY user_id
)
SELECT f.user_id, f.t0, f.article_id, a.channel,
       CAST(date_trunc('week', f.t0) AS DATE) AS week0, CAST(date_trunc('month', f.t0) AS DATE) AS month0
FROM f JOIN articles AS a USING (article_id);

CREATE OR REPLACE TEMP TABLE _cohort_new_p AS
SELECT c.user_id, c.week0, c.month0, c.channel, c.article_id, p.net_amount,
       CAST(least(greatest(ceil((epoch_us(p.paid_at) - epoch_us(c.t0)) / 86400000000.0), 0), 181) AS INTEGER)
           AS age_day
FROM _cohort_first AS c
JOIN inc_rows('stg_payments') AS p ON p.user_id = c.user_id AND p.paid_at >= c.t0;
CREATE OR REPLACE TABLE fct_cohort_pay AS SELECT * FROM _cohort_new_p;

CREATE OR REPLACE TEMP TABLE _cohort_new_u AS
WITH pu AS (
    SELECT user_id, bool_or(net_amount > 0) AS payer,
           count(*) FILTER (WHERE net_amount > 0 AND age_day <= 90) AS n90
    FROM _cohort_new_p
    GROUP BY user_id
)
SELECT c.*, coalesce(pu.payer, false) AS payer, coalesce(pu.n90, 0) AS n90
FROM _cohort_first AS c
LEFT JOIN pu USING (user_id);
INSERT INTO fct_cohort_user SELECT *, user_hash(user_id) AS uh FROM _cohort_new_u;

DROP TABLE _cohort_first;

-- The sums, updated in place: per group, the re-derived users' counts after minus theirs
-- before (a full rebuild: the tables emptied, then everyone's); a group left with no
-- user (no payment) goes.
CREATE OR REPLACE TEMP MACRO _cohort_user_counts(src) AS TABLE
SELECT week0, month0, channel, article_id,
       count(*) AS users,
       count(*) FILTER (WHERE payer) AS payers,
       count(*) FILTER (WHERE n90 >= 1) AS payers_90,
       count(*) FILTER (WHERE n90 >= 2) AS repeat_payers_90
FROM query_table(src)
GROUP BY ALL;
CREATE OR REPLACE TEMP TABLE _cohort_du AS
SELECT week0, month0, channel, article_id,
       CAST(sum(users) AS BIGINT) AS users, CAST(sum(payers) AS BIGINT) AS payers,
       CAST(sum(payers_90) AS BIGINT) AS payers_90, CAST(sum(repeat_payers_90) AS BIGINT) AS repeat_payers_90
FROM (
    SELECT * REPLACE (-users AS users, -payers AS payers, -payers_90 AS payers_90,
                      -repeat_payers_90 AS repeat_payers_90)
    FROM _cohort_user_counts('_cohort_old_u')
    UNION ALL
    SELECT * FROM _cohort_user_counts('_cohort_new_u')
)
GROUP BY ALL
HAVING sum(users) <> 0 OR sum(payers) <> 0 OR sum(payers_90) <> 0 OR sum(repeat_payers_90) <> 0;
DELETE FROM agg_cohort_users WHERE inc_full();
UPDATE agg_cohort_users AS a
SET users = a.users + d.users, payers = a.payers + d.payers, payers_90 = a.payers_90 + d.payers_90,
    repeat_payers_90 = a.repeat_payers_90 + d.repeat_payers_90
FROM _cohort_du AS d
WHERE a.week0 = d.week0 AND a.month0 = d.month0 AND a.channel = d.channel AND a.article_id = d.article_id;
INSERT INTO agg_cohort_users
SELECT d.* FROM _cohort_du AS d
WHERE NOT EXISTS (SELECT 1 FROM agg_cohort_users AS a WHERE a.week0 = d.week0 AND a.month0 = d.month0
                  AND a.channel = d.channel AND a.article_id = d.article_id)
ORDER BY week0, channel, article_id;
DELETE FROM agg_cohort_users WHERE users = 0;

CREATE OR REPLACE TEMP TABLE _cohort_dp AS
SELECT week0, month0, channel, article_id, age_day,
       CAST(sum(amount) AS DECIMAL(38, 2)) AS amount, CAST(sum(payments) AS BIGINT) AS payments
FROM (
    SELECT week0, month0, channel, article_id, age_day, -sum(net_amount) AS amount, -count(*) AS payments
    FROM _cohort_old_p GROUP BY ALL
    UNION ALL
    SELECT week0, month0, channel, article_id, age_day, sum(net_amount), count(*)
    FROM _cohort_new_p GROUP BY ALL
)
GROUP BY ALL
HAVING sum(amount) <> 0 OR sum(payments) <> 0;
DELETE FROM agg_cohort_payments WHERE inc_full();
UPDATE agg_cohort_payments AS a
SET amount = a.amount + d.amount, payments = a.payments + d.payments
FROM _cohort_dp AS d
WHERE a.week0 = d.week0 AND a.month0 = d.month0 AND a.channel = d.channel AND a.article_id = d.article_id
  AND a.age_day = d.age_day;
INSERT INTO agg_cohort_payments
SELECT d.* FROM _cohort_dp AS d
WHERE NOT EXISTS (SELECT 1 FROM agg_cohort_payments AS a WHERE a.week0 = d.week0 AND a.month0 = d.month0
                  AND a.channel = d.channel AND a.article_id = d.article_id AND a.age_day = d.age_day)
ORDER BY week0, channel, article_id, age_day;
DELETE FROM agg_cohort_payments WHERE payments = 0;
DROP TABLE IF EXISTS agg_cohort_revenue;  -- (before: the amounts without their counts)

DROP TABLE _cohort_du;
DROP TABLE _cohort_dp;
DROP TABLE _cohort_old_u;
DROP TABLE _cohort_old_p;
DROP TABLE _cohort_new_u;
DROP TABLE _cohort_new_p;

CREATE OR REPLACE TABLE fct_cohort_end AS
SELECT coalesce(sales_at, joins_at) AS data_end FROM data_now_at;  -- the logs' latest (05_now.sql)

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
