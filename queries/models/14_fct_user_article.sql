-- Window-independent facts of every (article, user), refreshed on load, from
-- which the windowed funnel follows by comparisons only:
--   t0  the user's earliest touch on the article
--   c1  the first contact at or after t0
--   p1  the first payment at or after c1
--   q1  the first payment at or after t0
-- For a window W:  contacted <=> c1 <= t0 + W;  paid <=> p1 <= t0 + W (then
-- c1 <= p1 <= t0 + W, an ordered contact -> payment inside the window, and p1
-- is the first such payment);  paid_without_contact <=> q1 <= t0 + W and not paid.
--
-- The same facts in the form the filtered queries read fastest:
--   channel, pub_day             the article's channel and publish date
--   week0                        the Monday of t0's ISO week
--   dc_us, dp_us, dq_us          c1 - t0, p1 - t0, q1 - t0 in microseconds, so that
--                                c1 <= t0 + W  <=>  dc_us <= W * 86400000000 (exactly)
--   active                       c1 or q1 within 365 days of t0 (the longest window):
--                                only active rows can be contacted / paid / paid
--                                without contact, or have sales events, for any W
--   multi                        the user has more than one row (several articles)
--   multi_ch                     ... more than one row within the article's channel
--   mkey                         multi-row users: an integer key, the user's smallest
--                                touch_id (NULL for the others)
--   u_active                     the user has an active row
--   t0_rank                      multi-row users: the row's place in the user's rows by
--                                (t0, article_id), 1 first (NULL for the others): the
--                                Sales page's T0 row of a selection is its smallest
--                                (27_sales_scope.sql), an integer where a (t0, article_id)
--                                key cost 40 % more (10x: 91 vs 65 ms, twice per query)
--   u_lo, u_hi, u_ch             multi-row users: the smallest and largest pub_day of the
--                                user's rows, and their channel when they all share one
--                                (NULL when they do not; all three NULL for the others)
--   u_dc, u_dp, u_dq             multi-row users: the smallest dc_us / dp_us / dq_us of the
--                                user's rows. A selection that takes all of a user's rows
--                                (u_inside, 26_sel_facts.sql) has the user contacted when
--                                u_dc <= W, and so on: sel_multi reads those users' t0_rank 1
--                                row where the queries grouped every row by user (10x: the
--                                Overview's two GROUP BYs of 1.8 M rows, ~300 ms of CPU)
--   uc_lo, uc_hi, uc_dc,         the same within the row's channel: the smallest and largest
--   uc_dp, uc_dq                 pub_day and offsets of the user's rows in the channel
--                                (multi-row users; sel_multi_ch reads them for the
--                                multi_ch users whose rows in the channel are all selected)
--   ch_first                     multi-row users: the row is the user's first in the
--                                channel by (t0, article_id)
--   prev_day, next_day           multi-row users: the day of t0 of the user's row before and
--                                after this one by (t0, article_id) (NULL: none). A row with
--                                prev_day < d0 (or none) and next_day > d1 (or none) is the
--                                user's only row with t0 in the days [d0, d1], and a user
--                                with several there has none such: the digest counts those
--                                rows as it counts single-row users' and groups only the
--                                others (40_digest.sql, dg_alone)
-- A user with a single row (in the group counted) is counted by counting rows;
-- only multi-row users need a DISTINCT / GROUP BY user.
-- Stored ordered by (active, multi, channel, t0), so filters on them (and on pub_day, which
-- follows t0 closely) skip row groups.
-- (Built in two steps, the ASOF joins first, so that their memory is freed before the sort.)
-- Only the rows of users with a contact or a payment go through the ASOF joins (a
-- quarter of them at the 1x world); the others have no c1, p1, q1.
CREATE OR REPLACE TEMP TABLE _user_article AS
WITH ft AS (FROM inc_rows('stg_first_touch')),
ct AS (FROM inc_rows('stg_contacts')),
py AS (FROM inc_rows('stg_payments')),
sold AS (SELECT user_id FROM ct UNION SELECT user_id FROM py),
c AS (
    SELECT ft.article_id, ft.user_id, ft.t0, c.contacted_at AS c1
    FROM (SELECT * FROM ft SEMI JOIN sold ON sold.user_id = ft.user_id) AS ft
    ASOF LEFT JOIN ct AS c
      ON c.user_id = ft.user_id AND c.contacted_at >= ft.t0
),
p AS (
    SELECT c.*, p.paid_at AS p1
    FROM c
    ASOF LEFT JOIN py AS p
      ON p.user_id = c.user_id AND p.paid_at >= c.c1
),
q AS (
    SELECT p.article_id, p.user_id, p.t0, p.c1, p.p1, q.paid_at AS q1
    FROM p
    ASOF LEFT JOIN py AS q
      ON q.user_id = p.user_id AND q.paid_at >= p.t0
    UNION ALL
    SELECT ft.article_id, ft.user_id, ft.t0, NULL::TIMESTAMP, NULL::TIMESTAMP, NULL::TIMESTAMP
    FROM ft ANTI JOIN sold ON sold.user_id = ft.user_id
),
k AS (
    SELECT q.*, a.channel, CAST(a.published_at AS DATE) AS pub_day,
           CAST(date_trunc('week', q.t0) AS DATE) AS week0,
           epoch_us(q.c1) - epoch_us(q.t0) AS dc_us,
           epoch_us(q.p1) - epoch_us(q.t0) AS dp_us,
           epoch_us(q.q1) - epoch_us(q.t0) AS dq_us,
           coalesce(q.c1 <= q.t0 + to_days(max_window_days()), false)
               OR coalesce(q.q1 <= q.t0 + to_days(max_window_days()), false) AS active
    FROM q
    JOIN articles AS a ON a.article_id = q.article_id
)
SELECT * FROM k;

CREATE OR REPLACE TABLE fct_user_article AS
WITH mu AS (  -- users with more than one row
    SELECT user_id, min(min_touch_id) AS mkey
    FROM inc_rows('stg_first_touch') GROUP BY user_id HAVING count(*) > 1
),
m AS (  -- their rows per channel
    SELECT k.user_id, k.channel, any_value(mu.mkey) AS mkey, count(*) > 1 AS multi_ch,
           bool_or(bool_or(k.active)) OVER u AS u_active,
           min(min(k.pub_day)) OVER u AS u_lo, max(max(k.pub_day)) OVER u AS u_hi,
           CASE WHEN count(*) OVER u = 1 THEN k.channel END AS u_ch,  -- one (user, channel) group
           min(min(k.dc_us)) OVER u AS u_dc, min(min(k.dp_us)) OVER u AS u_dp,
           min(min(k.dq_us)) OVER u AS u_dq,
           min(k.pub_day) AS uc_lo, max(k.pub_day) AS uc_hi,
           min(k.dc_us) AS uc_dc, min(k.dp_us) AS uc_dp, min(k.dq_us) AS uc_dq
    FROM _user_article AS k JOIN mu ON mu.user_id = k.user_id
    GROUP BY k.user_id, k.channel
    WINDOW u AS (PARTITION BY k.user_id)
),
r AS (  -- their rows in (t0, article_id) order (one row per (article, user))
    SELECT k.user_id, k.article_id,
           row_number() OVER (PARTITION BY k.user_id ORDER BY k.t0, k.article_id) AS t0_rank,
           row_number() OVER (PARTITION BY k.user_id, k.channel ORDER BY k.t0, k.article_id) = 1 AS ch_first,
           CAST(lag(k.t0) OVER w AS DATE) AS prev_day, CAST(lead(k.t0) OVER w AS DATE) AS next_day
    FROM _user_article AS k SEMI JOIN mu ON mu.user_id = k.user_id
    WINDOW w AS (PARTITION BY k.user_id ORDER BY k.t0, k.article_id)
)
SELECT k.article_id, k.user_id, k.t0, k.c1, k.p1, k.q1,
       k.channel, k.pub_day, k.week0, k.dc_us, k.dp_us, k.dq_us, k.active,
       m.user_id IS NOT NULL AS multi, m.mkey,
       coalesce(m.multi_ch, false) AS multi_ch,
       coalesce(m.u_active, k.active) AS u_active,
       r.t0_rank, m.u_lo, m.u_hi, m.u_ch, m.u_dc, m.u_dp, m.u_dq,
       m.uc_lo, m.uc_hi, m.uc_dc, m.uc_dp, m.uc_dq, r.ch_first, r.prev_day, r.next_day,
       user_hash(k.user_id) AS uh
FROM _user_article AS k
LEFT JOIN m ON m.user_id = k.user_id AND m.channel = k.channel
LEFT JOIN r ON r.user_id = k.user_id AND r.article_id = k.article_id
ORDER BY k.active DESC, multi, k.channel, k.t0;

DROP TABLE _user_article;

-- The window-independent user counts, per (channel, publish day, day of t0): how
-- many (article, user) rows there are of users with one row (n_single, not
-- multi) and of users with one row in the channel (n_single_ch, not multi_ch),
-- and of all users (n_rows: a group without rows goes).
-- Summed over the selected articles / periods they are the distinct users of
-- those users; the others (multi / multi_ch) are counted from fct_user_article.
-- Kept up to date on load: the re-derived users' rows now (inc_rows, +1) and before the
-- refresh (inc_before, -1) are summed per group and added to the groups' counts, where
-- re-counting the groups they touch read a third of fct_user_article at 10x (the 1,000
-- users of a daily upload fall in ~970 groups holding 6.5 M of its 18.5 M rows). A full
-- rebuild sums every row (inc_rows: all; inc_before: none) into the empty table.
CREATE TABLE IF NOT EXISTS agg_user_days (
    channel VARCHAR, pub_day DATE, t0_day DATE, n_rows BIGINT, n_single BIGINT, n_single_ch BIGINT);
CREATE OR REPLACE TEMP TABLE _ud AS
SELECT channel, pub_day, CAST(t0 AS DATE) AS t0_day,
       CAST(sum(s) AS BIGINT) AS n_rows,
       CAST(coalesce(sum(s) FILTER (WHERE NOT multi), 0) AS BIGINT) AS n_single,
       CAST(coalesce(sum(s) FILTER (WHERE NOT multi_ch), 0) AS BIGINT) AS n_single_ch
FROM (SELECT channel, pub_day, t0, multi, multi_ch, 1 AS s FROM inc_rows('fct_user_article')
      UNION ALL
      SELECT channel, pub_day, t0, multi, multi_ch, -1 AS s FROM inc_before('fct_user_article'))
GROUP BY ALL;
INSERT INTO agg_user_days SELECT * FROM _ud WHERE inc_full() ORDER BY channel, pub_day, t0_day;
MERGE INTO agg_user_days AS a
USING (SELECT * FROM _ud WHERE NOT inc_full()) AS d
ON a.channel = d.channel AND a.pub_day = d.pub_day AND a.t0_day = d.t0_day
WHEN MATCHED AND a.n_rows + d.n_rows = 0 THEN DELETE
WHEN MATCHED THEN UPDATE SET n_rows = a.n_rows + d.n_rows, n_single = a.n_single + d.n_single,
                             n_single_ch = a.n_single_ch + d.n_single_ch
WHEN NOT MATCHED THEN INSERT VALUES (d.channel, d.pub_day, d.t0_day, d.n_rows, d.n_single, d.n_single_ch);
DROP TABLE _ud;

-- The funnel facts of every article, window-independent: its users (one row
-- each in fct_user_article) and, ascending, the offsets dc_us / dp_us / dq_us of
-- its rows that have them, with p_days = (p1 - t0) in days in dp_us order. For a
-- window W (w = win_us(W)): contacted = #(c_offs <= w), paid = k = #(p_offs <= w),
-- paid_without_contact = #(q_offs <= w) - k (q1 <= p1 on every row), and
-- median_days_to_pay = the median of p_days[1:k] (the paid rows' days).
-- A full rebuild lists every article's rows; a load merges into the lists of the articles
-- the re-derived users had or now have rows in the offsets of their rows now (inc_rows) and
-- takes out those of their rows before (inc_before), where it re-listed all those articles'
-- rows (10x: ~1,000 articles, a scan of fct_user_article's 18.5 M article_ids, ~250 ms).
-- p_days is a function of dp_us (p1 - t0 = dp_us microseconds), so an offset taken out
-- takes its day with it.
CREATE TABLE IF NOT EXISTS fct_article_funnel (
    article_id VARCHAR, users BIGINT, c_offs BIGINT[], p_offs BIGINT[], p_days DOUBLE[], q_offs BIGINT[]);
INSERT INTO fct_article_funnel
SELECT
    article_id,
    count(*) AS users,
    coalesce(list(dc_us ORDER BY dc_us) FILTER (WHERE dc_us IS NOT NULL), []) AS c_offs,
    coalesce(list(dp_us ORDER BY dp_us) FILTER (WHERE dp_us IS NOT NULL), []) AS p_offs,
    coalesce(list(epoch(p1 - t0) / 86400.0 ORDER BY dp_us) FILTER (WHERE dp_us IS NOT NULL), []) AS p_days,
    coalesce(list(dq_us ORDER BY dq_us) FILTER (WHERE dq_us IS NOT NULL), []) AS q_offs
FROM fct_user_article
WHERE inc_full()
GROUP BY article_id;
CREATE OR REPLACE TEMP TABLE _af_rows AS  -- the re-derived users' rows now (+1) and before (-1)
SELECT article_id, 1 AS s, dc_us, dp_us, epoch(p1 - t0) / 86400.0 AS p_day, dq_us
FROM inc_rows('fct_user_article') WHERE NOT inc_full()
UNION ALL
SELECT article_id, -1 AS s, dc_us, dp_us, CAST(NULL AS DOUBLE) AS p_day, dq_us FROM inc_before('fct_user_article');
CREATE OR REPLACE TEMP TABLE _af_new AS
WITH a AS (SELECT article_id, sum(s) AS du FROM _af_rows GROUP BY article_id),
old AS (SELECT f.* FROM fct_article_funnel AS f SEMI JOIN a USING (article_id)),
v AS (  -- each offset of those articles with its count: the old lists' and the rows' +1 / -1
    SELECT article_id, k, v, max(pd) AS pd, CAST(sum(n) AS BIGINT) AS n FROM (
        SELECT article_id, 'c' AS k, unnest(c_offs) AS v, CAST(NULL AS DOUBLE) AS pd, 1 AS n FROM old
        UNION ALL SELECT article_id, 'p', unnest(p_offs), unnest(p_days), 1 FROM old
        UNION ALL SELECT article_id, 'q', unnest(q_offs), NULL, 1 FROM old
        UNION ALL SELECT article_id, 'c', dc_us, NULL, s FROM _af_rows WHERE dc_us IS NOT NULL
        UNION ALL SELECT article_id, 'p', dp_us, p_day, s FROM _af_rows WHERE dp_us IS NOT NULL
        UNION ALL SELECT article_id, 'q', dq_us, NULL, s FROM _af_rows WHERE dq_us IS NOT NULL)
    GROUP BY article_id, k, v
    HAVING sum(n) > 0
),
e AS (SELECT article_id, k, v, pd, unnest(range(n)) AS i FROM v),  -- each as often as it counts
l AS (
    SELECT article_id,
           list(v ORDER BY v) FILTER (WHERE k = 'c') AS c_offs,
           list(v ORDER BY v) FILTER (WHERE k = 'p') AS p_offs,
           list(pd ORDER BY v) FILTER (WHERE k = 'p') AS p_days,
           list(v ORDER BY v) FILTER (WHERE k = 'q') AS q_offs
    FROM e GROUP BY article_id
)
SELECT a.article_id, CAST(coalesce(old.users, 0) + a.du AS BIGINT) AS users,
       coalesce(l.c_offs, []) AS c_offs, coalesce(l.p_offs, []) AS p_offs,
       coalesce(l.p_days, []) AS p_days, coalesce(l.q_offs, []) AS q_offs
FROM a LEFT JOIN old USING (article_id) LEFT JOIN l USING (article_id);
DELETE FROM fct_article_funnel WHERE article_id IN (SELECT article_id FROM _af_new);
INSERT INTO fct_article_funnel SELECT * FROM _af_new WHERE users > 0;
DROP TABLE _af_rows;
DROP TABLE _af_new;

-- A window of W days in microseconds (the unit of dc_us / dp_us / dq_us / off_us).
CREATE OR REPLACE MACRO win_us(window_days) AS CAST(window_days AS BIGINT) * 86400000000;
-- An offset's whole days (hours) of lag, rounded up, us >= 0: us <= win_us(W) <=> lag_days(us) <= W,
-- the lag histograms' key (agg_user_lags below, agg_sales_lags and queries/sales_figures.sql).
CREATE OR REPLACE MACRO lag_days(us) AS (us + 86399999999) // 86400000000;
CREATE OR REPLACE MACRO lag_hours(us) AS (us + 3599999999) // 3600000000;
-- The window counts of the users agg_user_days counts by rows (one row at all / in the
-- channel), as lag histograms: per (channel, publish day, day of t0) and whole days of
-- lag L, how many active rows of users with one row (nc, np, nq: not multi) and of users
-- with one row in the channel (nc_ch, np_ch, nq_ch: not multi_ch) have c1 / p1 / q1
-- L days after t0, rounded up: L = ceil(d_us / 1 day) of dc_us / dp_us / dq_us. For a
-- window of W whole days, d_us <= win_us(W) <=> L <= W exactly, so a window's counts of
-- those users are sums over L <= W (sel_single, 26_sel_facts.sql) where they were
-- counts over the active rows of fct_user_article (10x: ~60 ms -> ~5 ms each). Lags past
-- the longest window (max_window_days) never count and are left out. (multi_ch implies
-- multi, so the rows of users with one row are among those with one in the channel.)
-- Kept up to date on load as agg_user_days is (a group whose _ch counts are all 0 has no
-- rows and goes).
CREATE TABLE IF NOT EXISTS agg_user_lags (
    channel VARCHAR, pub_day DATE, t0_day DATE, lag SMALLINT,
    nc INTEGER, np INTEGER, nq INTEGER, nc_ch INTEGER, np_ch INTEGER, nq_ch INTEGER);
CREATE OR REPLACE TEMP TABLE _ul AS
WITH r AS (
    SELECT channel, pub_day, CAST(t0 AS DATE) AS t0_day, multi, s,
           unnest([{'k': 'c', 'd': dc_us}, {'k': 'p', 'd': dp_us}, {'k': 'q', 'd': dq_us}],
                  recursive := true)
    FROM (SELECT channel, pub_day, t0, multi, multi_ch, active, dc_us, dp_us, dq_us, 1 AS s
          FROM inc_rows('fct_user_article')
          UNION ALL
          SELECT channel, pub_day, t0, multi, multi_ch, active, dc_us, dp_us, dq_us, -1 AS s
          FROM inc_before('fct_user_article'))
    WHERE active AND NOT multi_ch
)
SELECT channel, pub_day, t0_day,
       CAST(lag_days(d) AS SMALLINT) AS lag,
       CAST(coalesce(sum(s) FILTER (WHERE k = 'c' AND NOT multi), 0) AS INTEGER) AS nc,
       CAST(coalesce(sum(s) FILTER (WHERE k = 'p' AND NOT multi), 0) AS INTEGER) AS np,
       CAST(coalesce(sum(s) FILTER (WHERE k = 'q' AND NOT multi), 0) AS INTEGER) AS nq,
       CAST(coalesce(sum(s) FILTER (WHERE k = 'c'), 0) AS INTEGER) AS nc_ch,
       CAST(coalesce(sum(s) FILTER (WHERE k = 'p'), 0) AS INTEGER) AS np_ch,
       CAST(coalesce(sum(s) FILTER (WHERE k = 'q'), 0) AS INTEGER) AS nq_ch
FROM r
WHERE d <= win_us(max_window_days())
GROUP BY ALL;
INSERT INTO agg_user_lags SELECT * FROM _ul WHERE inc_full() ORDER BY channel, pub_day, t0_day, lag;
MERGE INTO agg_user_lags AS a
USING (SELECT * FROM _ul WHERE NOT inc_full()) AS d
ON a.channel = d.channel AND a.pub_day = d.pub_day AND a.t0_day = d.t0_day AND a.lag = d.lag
WHEN MATCHED AND a.nc_ch + d.nc_ch = 0 AND a.np_ch + d.np_ch = 0 AND a.nq_ch + d.nq_ch = 0 THEN DELETE
WHEN MATCHED THEN UPDATE SET nc = a.nc + d.nc, np = a.np + d.np, nq = a.nq + d.nq,
                             nc_ch = a.nc_ch + d.nc_ch, np_ch = a.np_ch + d.np_ch, nq_ch = a.nq_ch + d.nq_ch
WHEN NOT MATCHED THEN INSERT VALUES (d.channel, d.pub_day, d.t0_day, d.lag, d.nc, d.np, d.nq, d.nc_ch, d.np_ch, d.nq_ch);
DROP TABLE _ul;

-- The digest's cuts (40_digest.sql): a digest measures a cohort as of its period's end, the
-- midnight after day A, so a row there is contacted in a window W when dc_us <= win_us(W)
-- and c1 < that midnight: lag_days(dc_us) <= W and c1's day <= A; paid and q1 the same.
-- agg_user_cuts counts the active rows of users with one row in the channel (n_ch: NOT
-- multi_ch) and of users with one row at all (n: NOT multi), per (channel, day of t0) and
-- the rows' whole days of lag and days from t0's day to the event's day:
--   lc, co   c1 (lag_days(dc_us), c1's day - t0's day)
--   lp, po   p1
--   qo       q1's day - t0's day (the digest's pipeline: paid since t0, before the end)
-- (NULL where the offset is past the longest window, max_window_days: no window counts it).
-- So the digest's counts of those users are sums over its periods' days (digest_segments,
-- digest_volumes, digest_pipeline), where they were counts over fct_user_article's rows
-- (10x: a weekly digest read ~1.7 M single-row users' rows with its baselines, its pipeline
-- ~3 M). A row's cut days are co in (lc - 1, lc] (and po, qo so), so the table is about as
-- long as agg_user_lags without its publish days.
-- Kept like agg_sales_lags: a load appends the re-derived users' rows now (+1) less theirs
-- before (-1) as rows of their own; a reader's conditional sum over the rows is the same
-- over those appended rows, and a reader that asks whether a group has rows asks whether
-- its sum is above 0; refresh.compact_journals folds the rows into one per group
-- (user_cuts_summed) once the table has grown by a quarter.
CREATE TABLE IF NOT EXISTS agg_user_cuts (
    channel VARCHAR, t0_day DATE, lc SMALLINT, co SMALLINT, lp SMALLINT, po SMALLINT, qo SMALLINT,
    n INTEGER, n_ch INTEGER);
CREATE OR REPLACE MACRO user_cuts_summed() AS TABLE
SELECT channel, t0_day, lc, co, lp, po, qo, CAST(sum(n) AS INTEGER) AS n, CAST(sum(n_ch) AS INTEGER) AS n_ch
FROM agg_user_cuts
GROUP BY ALL
HAVING sum(n) <> 0 OR sum(n_ch) <> 0;
-- (an offset's whole days of lag, and the whole days from t0's day to the day of t0 + d_us;
-- NULL past the longest window)
CREATE OR REPLACE TEMP MACRO _cut_lag(d_us) AS
    CASE WHEN d_us <= win_us(max_window_days()) THEN CAST(lag_days(d_us) AS SMALLINT) END;
CREATE OR REPLACE TEMP MACRO _cut_day(t0, d_us) AS
    CASE WHEN d_us <= win_us(max_window_days())
         THEN CAST(CAST(t0 + to_microseconds(d_us) AS DATE) - CAST(t0 AS DATE) AS SMALLINT) END;
INSERT INTO agg_user_cuts
SELECT channel, CAST(t0 AS DATE) AS t0_day,
       _cut_lag(dc_us) AS lc,
       _cut_day(t0, dc_us) AS co,
       _cut_lag(dp_us) AS lp,
       _cut_day(t0, dp_us) AS po,
       _cut_day(t0, dq_us) AS qo,
       CAST(coalesce(sum(s) FILTER (WHERE NOT multi), 0) AS INTEGER) AS n,
       CAST(sum(s) AS INTEGER) AS n_ch
FROM (SELECT channel, t0, multi, multi_ch, active, dc_us, dp_us, dq_us, 1 AS s FROM inc_rows('fct_user_article')
      UNION ALL
      SELECT channel, t0, multi, multi_ch, active, dc_us, dp_us, dq_us, -1 AS s FROM inc_before('fct_user_article'))
WHERE active AND NOT multi_ch
GROUP BY channel, t0_day, lc, co, lp, po, qo
HAVING sum(s) FILTER (WHERE NOT multi) <> 0 OR sum(s) <> 0
ORDER BY channel, t0_day;
