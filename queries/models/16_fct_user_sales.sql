-- The sales log seen from every active (article, user) row of fct_user_article,
-- for the /sales page (queries/sales_figures.sql). Refreshed on load.
--
-- Those queries take, per user in scope, T0 = the user's earliest touch on a
-- selected article and count the user's events in [T0, T0 + W]. T0 is the t0
-- of one of the user's rows, so everything about "events after T0" is fixed
-- per row; only the window's end depends on W. Two tables:
--   fct_sales_payment  one row per payment of the user in [t0, t0 + 365 days]
--   fct_sales_contact  one row per rep (NULL rep included) with a contact of the
--                      user in [t0, t0 + 365 days]: the rep's first such contact,
--                      with c_n = the number of the rep's contacts in that range,
--                      c_last = the offset of the last one and c_lags = all their
--                      days of lag, ceil(offset / 1 day), sorted (NULL when c_n = 1;
--                      the contact is in a window of W days <=> its lag <= W)
-- with
--   off_us        event time - t0, microseconds: the event is in the window
--                 <=> off_us <= win_us(W) (and so is a contact's rep's first one)
--   first_any     the row's earliest event (contact or payment, any rep): exactly
--                 one row of the two tables per (article, user) row
--   first_contact the row's earliest contact (any rep)
--   first_rep     the earliest event (contact or payment) with this rep
--   resp_h        contacts: (contact - t0) in hours
--   pay_at, pay_us  contacts: the first payment (any rep) at or after the contact,
--                 and its offset from t0 (the contact -> paid step is in the
--                 window <=> pay_us <= win_us(W))
--   ev_week, pay_week  the Mondays of those weeks
-- Rows carry the row's keys (user_id, article_id), the article's channel / pub_day,
-- the user's multi flag and
--   t0_before     multi-row users: the (pub_day, channel) of the user's rows before
--                 this one in (t0, article_id) order (t0_rank), NULL when there are none
-- so that a query selects every user's events by filters alone: the row gives the
-- user's T0 for a selection when it is selected and none of t0_before is
-- (sales_t0_first, 27_sales_scope.sql), where each query grouped the multi-row users'
-- selected rows to find that row and joined their events to it.
CREATE OR REPLACE TEMP TABLE _sales_events AS
WITH m AS (  -- multi-row users' rows
    SELECT user_id, article_id, channel, pub_day, active, t0_rank FROM inc_rows('fct_user_article')
    WHERE multi
),
b AS (  -- ... each active one with the rows before it (every row, active or not)
    SELECT a.user_id, a.article_id,
           list({'pub_day': o.pub_day, 'channel': o.channel} ORDER BY o.t0_rank) AS t0_before
    FROM m AS a JOIN m AS o ON o.user_id = a.user_id AND o.t0_rank < a.t0_rank
    WHERE a.active
    GROUP BY a.user_id, a.article_id
),
r AS (
    SELECT user_id, article_id, channel, pub_day, multi, t0 FROM inc_rows('fct_user_article')
    WHERE active
),
c AS (
    SELECT r.user_id, r.article_id, c.rep, min(c.contacted_at) AS ev_at,
           count(*) AS c_n, max(epoch_us(c.contacted_at) - epoch_us(r.t0)) AS c_last,
           -- in order, so the stored list does not depend on the order the rows arrive in:
           -- sorted after the aggregate, where an ordered aggregate sorted within every
           -- group (1x: the statement 2.0-2.2 -> 1.5 s). Whole days (2 bytes each), where
           -- the offsets in microseconds (8) were: a window counts whole days, and an upload
           -- reads its users' lists out of every row group (agg_sales_lags below)
           list_sort(list(CAST(lag_days(epoch_us(c.contacted_at) - epoch_us(r.t0)) AS SMALLINT))) AS c_lags
    FROM r
    JOIN inc_rows('stg_contacts') AS c
      ON c.user_id = r.user_id AND c.contacted_at BETWEEN r.t0 AND r.t0 + to_days(max_window_days())
    GROUP BY r.user_id, r.article_id, c.rep
),
e AS (
    SELECT user_id, article_id, false AS is_payment, rep, ev_at, CAST(NULL AS BIGINT) AS payment_id,
           c_n, c_last, CASE WHEN c_n > 1 THEN c_lags END AS c_lags,
           CAST(NULL AS DECIMAL(18, 2)) AS amount, CAST(NULL AS DECIMAL(38, 2)) AS refunded,
           CAST(NULL AS DECIMAL(38, 2)) AS net_amount
    FROM c
    UNION ALL
    SELECT r.user_id, r.article_id, true, p.rep, p.paid_at, p.payment_id, NULL, NULL, NULL,
           p.amount, p.refunded, p.net_amount
    FROM r
    JOIN inc_rows('stg_payments') AS p
      ON p.user_id = r.user_id AND p.paid_at BETWEEN r.t0 AND r.t0 + to_days(max_window_days())
)
SELECT e.*, r.channel, r.pub_day, r.multi, r.t0, b.t0_before,
       epoch_us(e.ev_at) - epoch_us(r.t0) AS off_us,
       CAST(date_trunc('week', e.ev_at) AS DATE) AS ev_week,
       row_number() OVER () AS eid
FROM e
JOIN r ON r.user_id = e.user_id AND r.article_id = e.article_id
LEFT JOIN b ON b.user_id = e.user_id AND b.article_id = e.article_id;

-- The first-event marks (computed on the few columns they need).
CREATE OR REPLACE TEMP TABLE _sales_marks AS
SELECT
    eid,
    row_number() OVER (PARTITION BY user_id, article_id
                       ORDER BY ev_at, is_payment, rep NULLS FIRST, payment_id) = 1 AS first_any,
    NOT is_payment AND row_number() OVER (PARTITION BY user_id, article_id, is_payment
                                          ORDER BY ev_at, rep NULLS FIRST) = 1 AS first_contact,
    row_number() OVER (PARTITION BY user_id, article_id, rep
                       ORDER BY ev_at, is_payment, payment_id) = 1 AS first_rep
FROM _sales_events;

-- (pay: the first payment at or after each contact, found by an ASOF join of the
-- contacts of paying users only, on the few columns it needs.)
CREATE OR REPLACE TABLE fct_sales_contact AS
WITH pp AS (SELECT user_id, paid_at FROM inc_rows('stg_payments')),
pay AS (
    SELECT f.eid, pa.paid_at
    FROM (SELECT eid, user_id, ev_at FROM _sales_events
          WHERE NOT is_payment AND user_id IN (SELECT user_id FROM pp)) AS f
    ASOF JOIN pp AS pa ON pa.user_id = f.user_id AND pa.paid_at >= f.ev_at
)
SELECT
    f.user_id, f.article_id, f.channel, f.pub_day, f.multi, f.t0, f.t0_before, f.rep, f.ev_at, f.ev_week,
    f.off_us,
    g.first_any, g.first_contact, g.first_rep,
    epoch(f.ev_at - f.t0) / 3600.0 AS resp_h,
    pay.paid_at AS pay_at,
    CAST(date_trunc('week', pay.paid_at) AS DATE) AS pay_week,
    epoch_us(pay.paid_at) - epoch_us(f.t0) AS pay_us,
    f.c_n, f.c_last, f.c_lags,
    user_hash(f.user_id) AS uh  -- an upload finds its users' rows by it (10_stg_touches.sql)
FROM _sales_events AS f
JOIN _sales_marks AS g ON g.eid = f.eid
LEFT JOIN pay ON pay.eid = f.eid
WHERE NOT f.is_payment
-- in order of the offset (the multi-row users' rows together, at the end): the Sales page
-- reads this table only for the multi-row users and, for its medians, the rows of a
-- few hours of offset, which the order keeps in a few row groups (queries/sales_figures.sql)
ORDER BY f.multi, f.off_us;

CREATE OR REPLACE TABLE fct_sales_payment AS
SELECT
    f.user_id, f.article_id, f.channel, f.pub_day, f.multi, f.t0, f.t0_before, f.rep, f.ev_at, f.ev_week,
    f.off_us,
    g.first_any, g.first_rep, f.payment_id, f.amount, f.refunded, f.net_amount,
    user_hash(f.user_id) AS uh
FROM _sales_events AS f
JOIN _sales_marks AS g ON g.eid = f.eid
WHERE f.is_payment
ORDER BY f.multi, f.channel, f.t0;

DROP TABLE _sales_marks;
DROP TABLE _sales_events;

-- The Sales page's counts of the users with one row (NOT multi: their row's t0 is their T0
-- for any selection that selects the row), per (rep, channel, publish day) and
--   k     0  contact rows:   lag = of off_us,  week = ev_week   n, n_any, n_fc, n_rep
--         1  contact rows paid after the contact (pay_us):
--                            lag = of pay_us,  week = pay_week  n, n_fc
--         2  contact events (each of c_lags, or off_us's when the row has one contact):
--                            lag = the event's, week NULL       n
--         3  payment rows:   lag = of off_us,  week = ev_week   n, n_any, n_rep, amount,
--                                                                refunded, net
-- (n rows; n_any / n_fc / n_rep of them first_any / first_contact / first_rep) and whole
-- days of lag L = ceil(offset / 1 day): for a window of W whole days, offset <= win_us(W)
-- <=> L <= W exactly, as agg_user_lags (14_fct_user_article.sql). A window's figures of
-- those users are sums over L <= W (queries/sales_figures.sql), where they were counts over
-- their 6.4 M contact rows at 10x. A contact row paid within the window has its contact in
-- it (pay_us >= off_us). Offsets past the longest window never count and are left out.
-- Kept up to date on load: minus the re-derived users' rows before this refresh
-- (inc_before: contentroi/refresh.py reads them by uh before the two tables change), plus
-- theirs now (inc_rows). A load appends those changes as rows of their own: a group may
-- have several rows, and every reader sums them (sales_lags_summed: one row per group,
-- none for a group that sums to nothing). Where a MERGE updated the groups in place, the
-- commit rewrote the table's blocks, as a load's groups are everywhere (10x: a load's
-- MERGE and commit 270-330 -> 175-210 ms). The refresh folds the rows into one per group
-- once the table has grown by a quarter (refresh.compact_sales_lags).
CREATE TABLE IF NOT EXISTS agg_sales_lags (
    rep VARCHAR, channel VARCHAR, pub_day DATE, k TINYINT, lag SMALLINT, week DATE,
    n INTEGER, n_any INTEGER, n_fc INTEGER, n_rep INTEGER,
    amount DECIMAL(38, 2), refunded DECIMAL(38, 2), net DECIMAL(38, 2));
CREATE OR REPLACE MACRO sales_lags_summed() AS TABLE
SELECT rep, channel, pub_day, k, lag, week,
       CAST(sum(n) AS INTEGER) AS n, CAST(sum(n_any) AS INTEGER) AS n_any,
       CAST(sum(n_fc) AS INTEGER) AS n_fc, CAST(sum(n_rep) AS INTEGER) AS n_rep,
       CAST(sum(amount) AS DECIMAL(38, 2)) AS amount, CAST(sum(refunded) AS DECIMAL(38, 2)) AS refunded,
       CAST(sum(net) AS DECIMAL(38, 2)) AS net
FROM agg_sales_lags
GROUP BY ALL
HAVING sum(n) <> 0 OR sum(n_any) <> 0 OR sum(n_fc) <> 0 OR sum(n_rep) <> 0
    OR sum(amount) <> 0 OR sum(refunded) <> 0 OR sum(net) <> 0;
CREATE OR REPLACE TEMP MACRO _sales_lag_rows(cs, ps, s) AS TABLE
SELECT rep, channel, pub_day, 0 AS k, lag_days(off_us) AS lag, ev_week AS week, s AS n, s * first_any::INT AS n_any,
       s * first_contact::INT AS n_fc, s * first_rep::INT AS n_rep,
       NULL::DECIMAL(38, 2) AS amount, NULL::DECIMAL(38, 2) AS refunded, NULL::DECIMAL(38, 2) AS net
FROM query_table(cs)
UNION ALL
SELECT rep, channel, pub_day, 1, lag_days(pay_us), pay_week, s, 0, s * first_contact::INT, 0, NULL, NULL, NULL
FROM query_table(cs) WHERE pay_us IS NOT NULL
UNION ALL
SELECT rep, channel, pub_day, 2, unnest(coalesce(CAST(c_lags AS BIGINT[]), [lag_days(off_us)])), NULL, s, 0, 0, 0,
       NULL, NULL, NULL
FROM query_table(cs)
UNION ALL
SELECT rep, channel, pub_day, 3, lag_days(off_us), ev_week, s, s * first_any::INT, 0, s * first_rep::INT,
       s * coalesce(amount, 0), s * coalesce(refunded, 0), s * coalesce(net_amount, 0)
FROM query_table(ps);
CREATE OR REPLACE TEMP TABLE _sales_old_c AS
SELECT rep, channel, pub_day, off_us, ev_week, first_any, first_contact, first_rep, pay_us, pay_week, c_lags FROM inc_before('fct_sales_contact') WHERE NOT multi;
CREATE OR REPLACE TEMP TABLE _sales_old_p AS
SELECT rep, channel, pub_day, off_us, ev_week, first_any, first_rep, amount, refunded, net_amount FROM inc_before('fct_sales_payment') WHERE NOT multi;
CREATE OR REPLACE TEMP TABLE _sales_new_c AS
SELECT rep, channel, pub_day, off_us, ev_week, first_any, first_contact, first_rep, pay_us, pay_week, c_lags FROM inc_rows('fct_sales_contact') WHERE NOT multi;
CREATE OR REPLACE TEMP TABLE _sales_new_p AS
SELECT rep, channel, pub_day, off_us, ev_week, first_any, first_rep, amount, refunded, net_amount FROM inc_rows('fct_sales_payment') WHERE NOT multi;
CREATE OR REPLACE TEMP TABLE _sl AS
SELECT rep, channel, pub_day, CAST(k AS TINYINT) AS k,
       CAST(lag AS SMALLINT) AS lag,
       week,
       CAST(sum(n) AS INTEGER) AS n, CAST(sum(n_any) AS INTEGER) AS n_any,
       CAST(sum(n_fc) AS INTEGER) AS n_fc, CAST(sum(n_rep) AS INTEGER) AS n_rep,
       CAST(sum(amount) AS DECIMAL(38, 2)) AS amount, CAST(sum(refunded) AS DECIMAL(38, 2)) AS refunded,
       CAST(sum(net) AS DECIMAL(38, 2)) AS net
FROM (SELECT * FROM _sales_lag_rows('_sales_old_c', '_sales_old_p', -1)
      UNION ALL
      SELECT * FROM _sales_lag_rows('_sales_new_c', '_sales_new_p', 1))
WHERE lag <= max_window_days()
GROUP BY ALL
HAVING sum(n) <> 0 OR sum(n_any) <> 0 OR sum(n_fc) <> 0 OR sum(n_rep) <> 0
    OR sum(amount) <> 0 OR sum(refunded) <> 0 OR sum(net) <> 0;
INSERT INTO agg_sales_lags SELECT * FROM _sl ORDER BY channel, pub_day, k, lag;
DROP TABLE _sl;
DROP TABLE _sales_new_c;
DROP TABLE _sales_new_p;
DROP TABLE _sales_old_c;
DROP TABLE _sales_old_p;
