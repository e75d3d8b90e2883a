-- The data-driven model `markov` (CONTRACT §2 "Data-driven model markov";
-- docs/METRICS.md "The markov model"): the transition counts of its order-1
-- absorbing chain, for every window W = 1..365 at once, refreshed on load.
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
-- For the bootstrap of the removal effects (which resamples users), each user's
-- transitions for a window as "patterns" (mk_patterns, below): users no payment is
-- ever eligible for have the same null path for every W, so their patterns are
-- counted here once (mk_static_patterns); the others' depend on W and come from
-- mk_pairs (the eligible pairs with their windows w_in / w_first_hi and the next
-- newer touch's channel) and mk_null_touch (the touches of those users' null
-- paths, for W <= w_hi), read for the view's window (queries/markov_user_paths.sql).
-- mk_removal(window_days, channel, removal_effect, ...) is created here empty
-- and filled by contentroi/markov.py right after the models are rebuilt.
CREATE OR REPLACE TABLE mk_pairs AS
SELECT
    payment_id, user_id, channel, rk_desc,
    CAST(greatest(1, ceil(age_days)) AS INTEGER) AS w_in,
    CASE WHEN age_next IS NULL THEN 365
         ELSE CAST(least(365, ceil(age_next) - 1) AS INTEGER) END AS w_first_hi,
    lag(channel) OVER (PARTITION BY payment_id ORDER BY rk_desc) AS newer_channel
FROM fct_payment_touch;

CREATE OR REPLACE TEMP TABLE _mk_null AS  -- users' null-path windows: 1 .. w_hi
SELECT t.user_id, coalesce(CAST(least(365, ceil(min(p.min_age)) - 1) AS INTEGER), 365) AS w_hi
FROM (SELECT DISTINCT user_id FROM stg_touches) AS t
LEFT JOIN (SELECT user_id, min(age_days) AS min_age FROM fct_payment_touch GROUP BY user_id) AS p
  ON p.user_id = t.user_id
GROUP BY t.user_id
HAVING coalesce(CAST(least(365, ceil(min(p.min_age)) - 1) AS INTEGER), 365) >= 1;

CREATE OR REPLACE TABLE mk_null_touch AS  -- the null paths' touches, in order
SELECT t.user_id, n.w_hi, a.channel,
       lag(a.channel) OVER w AS prev_channel,
       lead(a.channel) OVER w IS NULL AS is_last
FROM stg_touches AS t
JOIN _mk_null AS n ON n.user_id = t.user_id
JOIN articles AS a ON a.article_id = t.article_id
WINDOW w AS (PARTITION BY t.user_id ORDER BY t.touched_at, t.article_id, t.touch_id);

CREATE OR REPLACE TEMP TABLE _mk_events AS
WITH ev AS (
    SELECT CAST(NULL AS VARCHAR) AS from_channel, channel AS to_channel, 'channel' AS to_state,
           w_in AS w_lo, w_first_hi AS w_hi
    FROM mk_pairs WHERE w_in <= w_first_hi
    UNION ALL
    SELECT channel, newer_channel, 'channel', w_in, 365
    FROM mk_pairs WHERE newer_channel IS NOT NULL AND newer_channel <> channel
    UNION ALL
    SELECT channel, NULL, 'conversion', w_in, 365
    FROM mk_pairs WHERE rk_desc = 1
    UNION ALL
    SELECT prev_channel, channel, 'channel', 1, w_hi
    FROM mk_null_touch WHERE prev_channel IS NULL OR prev_channel <> channel
    UNION ALL
    SELECT channel, NULL, 'null', 1, w_hi
    FROM mk_null_touch WHERE is_last
)
SELECT from_channel, to_channel, to_state, w_lo, w_hi, count(*) AS n
FROM ev
GROUP BY ALL;

CREATE OR REPLACE TABLE mk_transitions AS
SELECT w.window_days, e.from_channel, e.to_channel, e.to_state, CAST(sum(e.n) AS BIGINT) AS n
FROM range(1, 366) AS w(window_days)
JOIN _mk_events AS e ON w.window_days BETWEEN e.w_lo AND e.w_hi
GROUP BY ALL
ORDER BY ALL;

-- Paths through each channel: a payment's converting path passes through c for
-- W >= w_in of its newest touch on c; a null path through its channels for 1 .. w_hi.
CREATE OR REPLACE TABLE mk_channel_paths AS
WITH ev AS (
    SELECT channel, min(w_in) AS w_lo, 365 AS w_hi, true AS conv
    FROM mk_pairs GROUP BY payment_id, channel
    UNION ALL
    SELECT channel, 1, any_value(w_hi), false
    FROM mk_null_touch GROUP BY user_id, channel
),
g AS (SELECT channel, w_lo, w_hi, conv, count(*) AS n FROM ev GROUP BY ALL)
SELECT w.window_days, g.channel,
       CAST(sum(g.n) AS BIGINT) AS paths,
       CAST(coalesce(sum(g.n) FILTER (WHERE g.conv), 0) AS BIGINT) AS conv_paths
FROM range(1, 366) AS w(window_days)
JOIN g ON w.window_days BETWEEN g.w_lo AND g.w_hi
GROUP BY ALL
ORDER BY ALL;

CREATE OR REPLACE TABLE mk_removal (
    window_days INTEGER NOT NULL,
    channel VARCHAR NOT NULL,
    removal_effect DOUBLE NOT NULL,   -- RE_c = 1 - P_c / P (0 when P = 0)
    p_conv DOUBLE NOT NULL,           -- P: (start) -> (conversion)
    p_without DOUBLE NOT NULL         -- P_c: the same with every transition into c sent to (null)
);

-- mk_patterns(window_days, static): every distinct per-user set of transitions for the
-- window, with its number of users, in long form: pattern_id, users, from_channel
-- (NULL = (start)), to_channel, to_state, n (times in the pattern). static = true:
-- the users no payment is ever eligible for (null path for every W, w_hi = 365);
-- false: the others (their converting paths from mk_pairs, and their null path
-- while W <= w_hi). A transition is coded as an integer, from * (k + 3) + to (states:
-- 0 (start), 1..k the channels in name order, k + 1 (conversion), k + 2 (null)); a
-- user's pattern is the sorted list of their codes.
CREATE OR REPLACE MACRO mk_patterns(window_days, static) AS TABLE
WITH ch AS (
    SELECT channel, CAST(row_number() OVER (ORDER BY channel) AS BIGINT) AS id
    FROM (SELECT DISTINCT channel FROM articles)
),
k AS (SELECT count(*) + 3 AS base FROM ch),
t AS (
    SELECT user_id, CAST(NULL AS VARCHAR) AS f, channel AS c, 1 AS s
    FROM mk_pairs WHERE NOT static AND w_in <= window_days AND window_days <= w_first_hi
    UNION ALL
    SELECT user_id, channel, newer_channel, 1
    FROM mk_pairs WHERE NOT static AND w_in <= window_days
                    AND newer_channel IS NOT NULL AND newer_channel <> channel
    UNION ALL
    SELECT user_id, channel, NULL, 2
    FROM mk_pairs WHERE NOT static AND rk_desc = 1 AND w_in <= window_days
    UNION ALL
    SELECT user_id, prev_channel, channel, 1
    FROM mk_null_touch WHERE (w_hi = 365) = static AND window_days <= w_hi
                         AND (prev_channel IS NULL OR prev_channel <> channel)
    UNION ALL
    SELECT user_id, channel, NULL, 3
    FROM mk_null_touch WHERE (w_hi = 365) = static AND window_days <= w_hi AND is_last
),
coded AS (
    SELECT t.user_id,
           coalesce(fc.id, 0) * k.base
             + CASE t.s WHEN 1 THEN tc.id WHEN 2 THEN k.base - 2 ELSE k.base - 1 END AS code
    FROM t
    CROSS JOIN k
    LEFT JOIN ch AS fc ON fc.channel = t.f
    LEFT JOIN ch AS tc ON tc.channel = t.c
),
u AS (SELECT user_id, list_sort(list(code)) AS pattern FROM coded GROUP BY user_id),
p AS (SELECT pattern, count(*) AS users FROM u GROUP BY pattern),
pid AS (SELECT pattern, users, row_number() OVER (ORDER BY pattern) AS pattern_id FROM p),
x AS (
    SELECT pattern_id, users, code, count(*) AS n
    FROM (SELECT pattern_id, users, unnest(pattern) AS code FROM pid)
    GROUP BY ALL
)
SELECT x.pattern_id, x.users,
       fc.channel AS from_channel,
       tc.channel AS to_channel,
       CASE x.code % k.base WHEN k.base - 2 THEN 'conversion' WHEN k.base - 1 THEN 'null'
            ELSE 'channel' END AS to_state,
       x.n
FROM x
CROSS JOIN k
LEFT JOIN ch AS fc ON fc.id = x.code // k.base
LEFT JOIN ch AS tc ON tc.id = x.code % k.base;

CREATE OR REPLACE TABLE mk_static_patterns AS
SELECT * FROM mk_patterns(365, true)
ORDER BY pattern_id, from_channel NULLS FIRST, to_channel NULLS FIRST, to_state;
-- only the window-dependent null paths are read again
DELETE FROM mk_null_touch WHERE w_hi = 365;

DROP TABLE _mk_events;
DROP TABLE _mk_null;
