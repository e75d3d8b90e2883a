-- The data-driven model `markov` (CONTRACT §2 "Data-driven model markov";
-- docs/METRICS.md "The markov model"): the transition counts of its order-1
-- absorbing chain, for every window W = 1..365 (max_window_days()) at once, refreshed on load.
-- contentroi/markov.py then solves the chain of every window exactly and
-- writes mk_removal (one removal effect per window and channel), which
-- fct_attribution joins to. A page view reads both tables; nothing is solved then.
--
-- Paths, for a window W:
--   converting  one per payment with an eligible touch (age_days <= W): the
--               channels of its eligible touches, oldest first (time, then
--               article_id, then touch_id: fct_payment_touch's order), then
--               (conversion);
--   null        one per user with a touch and no (payment, touch) pair of age
--               <= W: the channels of all the user's touches, then (null).
-- A path contributes (start) -> c1 -> ... -> ck -> (conversion | null), every
-- occurrence counted, a transition from a channel to itself dropped.
--
-- Every transition exists for a range [w_lo, w_hi] of windows. A pair is
-- eligible for W >= w_in = max(1, ceil(age_days)), and then so are all newer
-- touches of its payment (smaller ages), so the eligible touches are the newest
-- ones and
--   (start) -> c          for the oldest eligible touch:  w_in .. ceil(age_next) - 1
--                         (age_next: the next older touch's age; none: .. 365)
--   c -> next newer c'    w_in .. 365   (dropped when c' = c)
--   c -> (conversion)     for the newest touch (rk_desc = 1): w_in .. 365
-- and a user's null path exists for W < the user's smallest pair age:
-- 1 .. ceil(min age) - 1 (no pair: 1 .. 365).
--
-- mk_transitions(window_days, from_channel, to_channel, to_state, n):
--   from_channel NULL = (start); to_state 'channel' (to_channel set),
--   'conversion' or 'null'; n = the number of such transitions over all paths.
-- mk_channel_paths(window_days, channel, paths, conv_paths): how many paths
--   (all / converting) pass through the channel: its sample size.
-- For the bootstrap of the removal effects (which resamples users): every user's
-- transitions for any window, as "patterns" (the sorted list of the user's
-- transitions), counted per range of windows in which they hold:
-- mk_pattern_windows(pattern_id, lo, hi, users) and the patterns' transitions
-- mk_pattern_defs(pattern_id, from_channel, to_channel, to_state, n). A user's
-- transitions change only at the ends of their transitions' ranges, so a window's
-- patterns are a range lookup (queries/markov_user_paths.sql), which
-- markov.bootstrap resamples when a page asks for a window's interval (not on load).
-- mk_removal(window_days, channel, removal_effect, ...) is created here empty
-- and filled by contentroi/markov.py right after the models are rebuilt.
--
-- What a user contributes depends on that user's rows only, so it is kept per user
-- (refresh.KEYED: an upload re-derives the users it touches, like the other facts):
--   mk_user_events  the user's transitions with their ranges of windows;
--   mk_user_cpaths  the user's paths through each channel (one row per converting
--                   payment and channel, one per channel of the null path).
-- The tables above are sums over those: counts per range of windows (mk_event_counts,
-- mk_cpath_counts) and the pattern counts are updated by the re-derived users'
-- rows (below), and the per-window tables made from them.
-- The patterns. A transition is coded as an integer, from * (k + 3) + to (states:
-- 0 (start), 1..k the channels in name order, k + 1 (conversion), k + 2 (null); a
-- new channel changes the codes, so refresh.py rebuilds everything then).
-- A user's windows are cut at every end of a transition's range (w_lo, w_hi + 1);
-- in each piece [lo, hi] the user's pattern is the sorted list of the codes of the
-- transitions whose range covers it. mk_pattern_users(pattern, lo, hi, users) counts
-- the users per pattern and piece; an upload updates it by the re-derived users'
-- pieces: minus theirs before (_mk_old_pw), plus theirs after.
CREATE OR REPLACE TEMP TABLE _mk_ch AS
SELECT channel, CAST(row_number() OVER (ORDER BY channel) AS BIGINT) AS id
FROM (SELECT DISTINCT channel FROM articles);

-- mk_user_events' user_id is stored uncompressed: an upload reads its users' rows by uh and
-- then their user_id, and a dictionary-compressed column would decode a whole segment's
-- dictionary for each segment holding one (10x: 302 -> 135 ms; docs/ARCHITECTURE.md,
-- "Strings read by uh"). Declared here, so its rows are inserted below, not CREATE ... AS.
CREATE TABLE IF NOT EXISTS mk_user_events (
    user_id VARCHAR USING COMPRESSION uncompressed, from_channel VARCHAR, to_channel VARCHAR, to_state VARCHAR, w_lo INTEGER, w_hi INTEGER,
    uh UINTEGER);
CREATE TABLE IF NOT EXISTS mk_pattern_users (pattern BIGINT[], lo INTEGER, hi INTEGER, users BIGINT);
CREATE TABLE IF NOT EXISTS mk_user_cpaths (
    user_id VARCHAR, channel VARCHAR, w_lo INTEGER, w_hi INTEGER, conv BOOLEAN, uh UINTEGER);
CREATE TABLE IF NOT EXISTS mk_event_counts (
    from_channel VARCHAR, to_channel VARCHAR, to_state VARCHAR, w_lo INTEGER, w_hi INTEGER, n BIGINT);
CREATE TABLE IF NOT EXISTS mk_cpath_counts (channel VARCHAR, w_lo INTEGER, w_hi INTEGER, conv BOOLEAN, n BIGINT);

-- the pieces of the users in `src` (rows of mk_user_events) with their patterns, counted
CREATE OR REPLACE TEMP MACRO mk_scope_pieces(src) AS TABLE
WITH k AS (SELECT count(*) + 3 AS base FROM _mk_ch),
c AS (
    SELECT e.user_id, e.w_lo, e.w_hi,
           coalesce(fc.id, 0) * k.base
             + CASE e.to_state WHEN 'channel' THEN tc.id WHEN 'conversion' THEN k.base - 2
                    ELSE k.base - 1 END AS code
    FROM query_table(src) AS e
    CROSS JOIN k
    LEFT JOIN _mk_ch AS fc ON fc.channel = e.from_channel
    LEFT JOIN _mk_ch AS tc ON tc.channel = e.to_channel
),
u AS (  -- a user whose transitions all hold for one range of windows has one piece
    SELECT user_id, min(w_lo) AS lo, max(w_hi) AS hi,
           min(w_lo) = max(w_lo) AND min(w_hi) = max(w_hi) AS one, list_sort(list(code)) AS pattern
    FROM c GROUP BY user_id
),
mc AS (SELECT c.* FROM c SEMI JOIN (SELECT user_id FROM u WHERE NOT one) AS m ON m.user_id = c.user_id),
cut AS (
    SELECT DISTINCT user_id, b FROM (
        SELECT user_id, w_lo AS b FROM mc
        UNION ALL
        SELECT user_id, w_hi + 1 FROM mc WHERE w_hi < max_window_days()
    )
),
piece AS (
    SELECT user_id, b AS lo, coalesce(lead(b) OVER (PARTITION BY user_id ORDER BY b) - 1, max_window_days()) AS hi
    FROM cut
),
up AS (
    SELECT p.lo, p.hi, list_sort(list(mc.code)) AS pattern
    FROM piece AS p
    JOIN mc ON mc.user_id = p.user_id AND mc.w_lo <= p.lo AND p.lo <= mc.w_hi
    GROUP BY p.user_id, p.lo, p.hi
    UNION ALL
    SELECT lo, hi, pattern FROM u WHERE one
)
SELECT pattern, lo, hi, count(*) AS users FROM up GROUP BY ALL;

-- The re-derived users' rows before this refresh (a full rebuild starts from nothing):
-- their pieces and their transitions and paths, counted, are subtracted from the sums below.
-- Found by uh (10_stg_touches.sql).
CREATE OR REPLACE TEMP TABLE _mk_old_ue AS
SELECT * EXCLUDE (uh) FROM mk_user_events WHERE inc_user_hash(uh) AND NOT inc_full();
CREATE OR REPLACE TEMP TABLE _mk_old_uc AS
SELECT * EXCLUDE (uh) FROM mk_user_cpaths WHERE inc_user_hash(uh) AND NOT inc_full();
CREATE OR REPLACE TEMP TABLE _mk_old_pw AS SELECT * FROM mk_scope_pieces('_mk_old_ue');

CREATE OR REPLACE TEMP TABLE _mk_pairs AS  -- the re-derived users' pairs
SELECT
    payment_id, user_id, channel, rk_desc,
    CAST(greatest(1, ceil(age_days)) AS INTEGER) AS w_in,
    CASE WHEN age_next IS NULL THEN max_window_days()
         ELSE CAST(least(max_window_days(), ceil(age_next) - 1) AS INTEGER) END AS w_first_hi,
    lag(channel) OVER (PARTITION BY payment_id ORDER BY rk_desc) AS newer_channel
FROM inc_rows('fct_payment_touch');

CREATE OR REPLACE TEMP TABLE _mk_null AS  -- users' null-path windows: 1 .. w_hi
SELECT t.user_id, coalesce(CAST(least(max_window_days(), ceil(min(p.min_age)) - 1) AS INTEGER), max_window_days()) AS w_hi
FROM (SELECT DISTINCT user_id FROM inc_rows('stg_touches')) AS t
LEFT JOIN (SELECT user_id, min(age_days) AS min_age FROM inc_rows('fct_payment_touch')
           GROUP BY user_id) AS p
  ON p.user_id = t.user_id
GROUP BY t.user_id
HAVING coalesce(CAST(least(max_window_days(), ceil(min(p.min_age)) - 1) AS INTEGER), max_window_days()) >= 1;

CREATE OR REPLACE TEMP TABLE _mk_null_touch AS  -- the null paths' touches, in order
SELECT t.user_id, n.w_hi, a.channel,
       lag(a.channel) OVER w AS prev_channel,
       lead(a.channel) OVER w IS NULL AS is_last
FROM inc_rows('stg_touches') AS t
JOIN _mk_null AS n ON n.user_id = t.user_id
JOIN articles AS a ON a.article_id = t.article_id
WINDOW w AS (PARTITION BY t.user_id ORDER BY t.touched_at, t.article_id, t.touch_id);

-- Every (re-derived) user's transitions with their ranges of windows.
CREATE OR REPLACE TEMP TABLE _mk_new_ue AS
SELECT user_id, CAST(NULL AS VARCHAR) AS from_channel, channel AS to_channel, 'channel' AS to_state,
       w_in AS w_lo, w_first_hi AS w_hi
FROM _mk_pairs WHERE w_in <= w_first_hi
UNION ALL
SELECT user_id, channel, newer_channel, 'channel', w_in, max_window_days()
FROM _mk_pairs WHERE newer_channel IS NOT NULL AND newer_channel <> channel
UNION ALL
SELECT user_id, channel, NULL, 'conversion', w_in, max_window_days()
FROM _mk_pairs WHERE rk_desc = 1
UNION ALL
SELECT user_id, prev_channel, channel, 'channel', 1, w_hi
FROM _mk_null_touch WHERE prev_channel IS NULL OR prev_channel <> channel
UNION ALL
SELECT user_id, channel, NULL, 'null', 1, w_hi
FROM _mk_null_touch WHERE is_last;
INSERT INTO mk_user_events SELECT *, user_hash(user_id) AS uh FROM _mk_new_ue;

-- Paths through each channel: a payment's converting path passes through c for
-- W >= w_in of its newest touch on c; a null path through its channels for 1 .. w_hi.
CREATE OR REPLACE TEMP TABLE _mk_new_uc AS
SELECT user_id, channel, min(w_in) AS w_lo, max_window_days() AS w_hi, true AS conv
FROM _mk_pairs GROUP BY user_id, payment_id, channel
UNION ALL
SELECT user_id, channel, 1, any_value(w_hi), false
FROM _mk_null_touch GROUP BY user_id, channel;
CREATE OR REPLACE TABLE mk_user_cpaths AS SELECT *, user_hash(user_id) AS uh FROM _mk_new_uc;

CREATE OR REPLACE TEMP TABLE _mk_pu AS
SELECT pattern, lo, hi, CAST(sum(users) AS BIGINT) AS users FROM (
    SELECT * FROM mk_pattern_users WHERE NOT inc_full()
    UNION ALL
    SELECT pattern, lo, hi, -users FROM _mk_old_pw
    UNION ALL
    SELECT * FROM mk_scope_pieces('_mk_new_ue')
)
GROUP BY ALL
HAVING sum(users) <> 0;

CREATE OR REPLACE TABLE mk_pattern_users AS SELECT * FROM _mk_pu;
DROP TABLE _mk_pu;

DROP TABLE _mk_null_touch;
DROP TABLE _mk_null;
DROP TABLE _mk_pairs;

-- The sums over every user: the number of users' transitions and paths per range of
-- windows, updated like the pattern counts (minus the re-derived users' before, plus
-- theirs after; a full rebuild counts everyone's): mk_recount(stored, old, new) is the
-- stored counts with the rows of `old` (a user's rows of a keyed table) taken out and
-- those of `new` added ...
CREATE OR REPLACE TEMP MACRO mk_recount(stored, old, new) AS TABLE
SELECT * EXCLUDE (n), CAST(sum(n) AS BIGINT) AS n FROM (
    SELECT * FROM query_table(stored) WHERE NOT inc_full()
    UNION ALL
    SELECT * EXCLUDE (user_id), -count(*) AS n FROM query_table(old) GROUP BY ALL
    UNION ALL
    SELECT * EXCLUDE (user_id), count(*) AS n FROM query_table(new) GROUP BY ALL
)
GROUP BY ALL
HAVING sum(n) <> 0;
CREATE OR REPLACE TEMP TABLE _mk_ec AS SELECT * FROM mk_recount('mk_event_counts', '_mk_old_ue', '_mk_new_ue');
CREATE OR REPLACE TABLE mk_event_counts AS SELECT * FROM _mk_ec;
CREATE OR REPLACE TEMP TABLE _mk_cc AS SELECT * FROM mk_recount('mk_cpath_counts', '_mk_old_uc', '_mk_new_uc');
CREATE OR REPLACE TABLE mk_cpath_counts AS SELECT * FROM _mk_cc;
DROP TABLE _mk_ec;
DROP TABLE _mk_cc;
DROP TABLE _mk_old_ue;
DROP TABLE _mk_old_uc;
DROP TABLE _mk_new_ue;
DROP TABLE _mk_new_uc;

-- ... and per window: a count over [w_lo, w_hi] is +n at w_lo and -n after w_hi, so a
-- window's total is the running sum of those steps up to it (kept where it is not 0).
CREATE OR REPLACE TABLE mk_transitions AS
WITH d AS (
    SELECT from_channel, to_channel, to_state, w, CAST(sum(dn) AS BIGINT) AS dn FROM (
        SELECT from_channel, to_channel, to_state, w_lo AS w, n AS dn FROM mk_event_counts
        UNION ALL
        SELECT from_channel, to_channel, to_state, w_hi + 1, -n FROM mk_event_counts
        WHERE w_hi < max_window_days()
    ) GROUP BY ALL
),
k AS (SELECT DISTINCT from_channel, to_channel, to_state FROM d),
s AS (
    SELECT w.window_days, k.from_channel, k.to_channel, k.to_state,
           sum(coalesce(d.dn, 0)) OVER (PARTITION BY k.from_channel, k.to_channel, k.to_state
                                        ORDER BY w.window_days) AS n
    FROM range(1, max_window_days() + 1) AS w(window_days)
    CROSS JOIN k
    LEFT JOIN d ON d.w = w.window_days AND d.from_channel IS NOT DISTINCT FROM k.from_channel
               AND d.to_channel IS NOT DISTINCT FROM k.to_channel AND d.to_state = k.to_state
)
SELECT window_days, from_channel, to_channel, to_state, CAST(n AS BIGINT) AS n
FROM s WHERE n <> 0
ORDER BY ALL;

CREATE OR REPLACE TABLE mk_channel_paths AS
WITH d AS (
    SELECT channel, w, CAST(sum(dn) AS BIGINT) AS dn, CAST(sum(dn) FILTER (WHERE conv) AS BIGINT) AS dc FROM (
        SELECT channel, conv, w_lo AS w, n AS dn FROM mk_cpath_counts
        UNION ALL
        SELECT channel, conv, w_hi + 1, -n FROM mk_cpath_counts WHERE w_hi < max_window_days()
    ) GROUP BY ALL
),
k AS (SELECT DISTINCT channel FROM d),
s AS (
    SELECT w.window_days, k.channel,
           sum(coalesce(d.dn, 0)) OVER c AS paths, sum(coalesce(d.dc, 0)) OVER c AS conv_paths
    FROM range(1, max_window_days() + 1) AS w(window_days)
    CROSS JOIN k
    LEFT JOIN d ON d.w = w.window_days AND d.channel = k.channel
    WINDOW c AS (PARTITION BY k.channel ORDER BY w.window_days)
)
SELECT window_days, channel, CAST(paths AS BIGINT) AS paths, CAST(conv_paths AS BIGINT) AS conv_paths
FROM s WHERE paths <> 0
ORDER BY ALL;

CREATE OR REPLACE TABLE mk_removal (
    window_days INTEGER NOT NULL,
    channel VARCHAR NOT NULL,
    removal_effect DOUBLE NOT NULL,   -- RE_c = 1 - P_c / P (0 when P = 0)
    p_conv DOUBLE NOT NULL,           -- P: (start) -> (conversion)
    p_without DOUBLE NOT NULL         -- P_c: the same with every transition into c sent to (null)
);

CREATE OR REPLACE TEMP TABLE _mk_pk AS
SELECT pattern, row_number() OVER (ORDER BY pattern) AS pattern_id
FROM (SELECT DISTINCT pattern FROM mk_pattern_users);

CREATE OR REPLACE TABLE mk_pattern_windows AS
SELECT k.pattern_id, w.lo, w.hi, w.users
FROM mk_pattern_users AS w JOIN _mk_pk AS k ON k.pattern = w.pattern
ORDER BY w.lo, w.hi, k.pattern_id;

CREATE OR REPLACE TABLE mk_pattern_defs AS
WITH k AS (SELECT count(*) + 3 AS base FROM _mk_ch),
x AS (
    SELECT pattern_id, code, count(*) AS n
    FROM (SELECT pattern_id, unnest(pattern) AS code FROM _mk_pk)
    GROUP BY ALL
)
SELECT x.pattern_id,
       fc.channel AS from_channel,
       tc.channel AS to_channel,
       CASE x.code % k.base WHEN k.base - 2 THEN 'conversion' WHEN k.base - 1 THEN 'null'
            ELSE 'channel' END AS to_state,
       x.n
FROM x
CROSS JOIN k
LEFT JOIN _mk_ch AS fc ON fc.id = x.code // k.base
LEFT JOIN _mk_ch AS tc ON tc.id = x.code % k.base
ORDER BY x.pattern_id, x.code;

DROP TABLE _mk_pk;
DROP TABLE _mk_old_pw;
DROP TABLE _mk_ch;
