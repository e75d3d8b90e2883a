-- Acquisition cohorts (docs/METRICS.md "Cohort revenue"): users grouped by the
-- week or month of their FIRST join through an article, and what they paid after it.
-- Built on load (window-independent), so the Cohorts page only sums small tables.
--
-- A user's cohort (cohort_users, below: made from the user's rows of fct_user_article and
--   fct_cohort_pay): the user's first touch overall (t0; equal times: the smaller
--   article_id), with that touch's article and channel (the user's acquisition article /
--   channel), week0 = the Monday of t0's ISO week, month0 = the first day of t0's month;
--   payer (a payment with net > 0 after t0, so far), n90 (payments with net > 0 within
--   90 days).
-- fct_cohort_pay: every user's payments at or after t0, net of the refunds
--   of their order (stg_payments.net_amount, dated at the payment, as everywhere in
--   the app), with age_day = the whole days after t0 it counts from:
--   ceil((paid_at - t0) / 1 day), so "age_day <= d" is exactly "paid_at - t0 <= d days";
--   ages beyond 180 days are kept as 181 (counted in "revenue so far" only).
--   Per user (refresh.KEYED: an upload re-derives the users it touches).
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
    net_amount DECIMAL(38, 2), age_day INTEGER, uh UINTEGER);
CREATE TABLE IF NOT EXISTS agg_cohort_users (
    week0 DATE, month0 DATE, channel VARCHAR, article_id VARCHAR,
    users BIGINT, payers BIGINT, payers_90 BIGINT, repeat_payers_90 BIGINT);
CREATE TABLE IF NOT EXISTS agg_cohort_payments (
    week0 DATE, month0 DATE, channel VARCHAR, article_id VARCHAR, age_day INTEGER,
    amount DECIMAL(38, 2), payments BIGINT);
-- A user's cohort: the first touch overall, from the user's rows of fct_user_article (one
-- per article: t0 the first touch on it, channel the article's): the earliest (equal times:
-- the smaller article_id), its article, channel, week and month.
CREATE OR REPLACE TEMP MACRO cohort_first(src) AS TABLE
SELECT user_id, t0, article_id, channel,
       CAST(date_trunc('week', t0) AS DATE) AS week0, CAST(date_trunc('month', t0) AS DATE) AS month0
FROM (SELECT user_id, min(t0) AS t0, arg_min(article_id, {'t': t0, 'a': article_id}) AS article_id,
             arg_min(channel, {'t': t0, 'a': article_id}) AS channel
      FROM query_table(src) GROUP BY user_id);
-- ... whether the user paid (net > 0) after t0, and how often within 90 days, from the
-- user's rows of fct_cohort_pay
CREATE OR REPLACE TEMP MACRO cohort_payer(src) AS TABLE
SELECT user_id, bool_or(net_amount > 0) AS payer,
       count(*) FILTER (WHERE net_amount > 0 AND age_day <= 90) AS n90
FROM query_table(src) GROUP BY user_id;
CREATE OR REPLACE TEMP MACRO cohort_users(firsts, pays) AS TABLE
SELECT c.*, coalesce(pu.payer, false) AS payer, coalesce(pu.n90, 0) AS n90
FROM query_table(firsts) AS c LEFT JOIN cohort_payer(pays) AS pu USING (user_id);

-- the re-derived users before this refresh (a full rebuild starts from nothing), subtracted
-- from the sums below: their payments and, made from their rows of fct_user_article before
-- it (inc_before, which the refresh has read already), their cohorts. (These were kept in
-- a table of their own, fct_cohort_user, read again by uh on every load: 10x ~0.23 s.)
CREATE OR REPLACE TEMP TABLE _cohort_old_p AS  -- found by uh (10_stg_touches.sql): 10x 48 -> ~10 ms
SELECT * EXCLUDE (uh) FROM fct_cohort_pay WHERE inc_user_hash(uh) AND NOT inc_full();
CREATE OR REPLACE TEMP TABLE _cohort_ua AS
SELECT user_id, t0, article_id, channel FROM inc_before('fct_user_article');
CREATE OR REPLACE TEMP TABLE _cohort_old_first AS SELECT * FROM cohort_first('_cohort_ua');
CREATE OR REPLACE TEMP TABLE _cohort_old_u AS SELECT * FROM cohort_users('_cohort_old_first', '_cohort_old_p');
-- ... and now
CREATE OR REPLACE TEMP TABLE _cohort_ua AS
SELECT user_id, t0, article_id, channel FROM inc_rows('fct_user_article');
CREATE OR REPLACE TEMP TABLE _cohort_first AS SELECT * FROM cohort_first('_cohort_ua');
DROP TABLE _cohort_ua;
DROP TABLE _cohort_old_first;

CREATE OR REPLACE TEMP TABLE _cohort_new_p AS
SELECT c.user_id, c.week0, c.month0, c.channel, c.article_id, p.net_amount,
       CAST(least(greatest(ceil((epoch_us(p.paid_at) - epoch_us(c.t0)) / 86400000000.0), 0), 181) AS INTEGER)
           AS age_day
FROM _cohort_first AS c
JOIN inc_rows('stg_payments') AS p ON p.user_id = c.user_id AND p.paid_at >= c.t0;
CREATE OR REPLACE TABLE fct_cohort_pay AS SELECT *, user_hash(user_id) AS uh FROM _cohort_new_p;

CREATE OR REPLACE TEMP TABLE _cohort_new_u AS SELECT * FROM cohort_users('_cohort_first', '_cohort_new_p');

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
