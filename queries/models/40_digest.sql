-- The digest's building blocks (docs/DIGEST.md). A digest period [d0, d1]
-- (inclusive dates) selects ACTIVITY, not articles by publish date:
--
-- dg_as_of(d1)   the digest's end timestamp: midnight after d1 (exclusive).
--
-- dg_cohort(window_days, d0, d1, channels)
--   The period's cohort: every (article, user) whose t0 (the user's earliest
--   touch on the article, as in fct_funnel) falls in [d0, d1], on the
--   articles of the channel list (empty or NULL: all). It is measured AS OF
--   the end of its own period, so two periods are compared at the same age:
--     contacted  a contact in [t0, t0 + W] that happened before dg_as_of(d1)
--     paid       the contract's ordered contact -> payment in [t0, t0 + W],
--                the payment before dg_as_of(d1)
--   (fct_funnel's t1 / first_paid are the FIRST contact / first ordered
--   payment, so "first one before the cut" is "any one before the cut").
--   Read from fct_user_article (t1 = c1 when dc_us <= W, first_paid = p1 when
--   dp_us <= W; "t0 in [d0, d1]" as a range on t0), with its multi / multi_ch /
--   mkey / active, so that only users with several rows need grouping (and, with
--   agg_user_days counting the others, only active rows need reading), and alone
--   (dg_alone: a multi-row user's only row in the period, which needs no grouping).
CREATE OR REPLACE MACRO dg_as_of(d1) AS CAST(CAST(d1 AS DATE) AS TIMESTAMP) + INTERVAL 1 DAY;

-- dg_alone(prev_day, next_day, d0, d1): a multi-row user's row is the user's only row with
-- t0 in the days [d0, d1] (fct_user_article's prev_day / next_day: the days of the user's
-- rows before and after it). Of a user with several rows there, none is alone (the rows
-- are in t0 order, so one of them has a neighbour there). The digest counts a user whose
-- row is alone as that row, the way it counts a single-row user's, and groups the others'
-- rows by user: at 10x most multi-row users have one row in a week (a weekly digest's
-- volumes grouped ~640 k rows into ~575 k users).
CREATE OR REPLACE MACRO dg_alone(prev_day, next_day, d0, d1) AS
    coalesce(prev_day < CAST(d0 AS DATE), true) AND coalesce(next_day > CAST(d1 AS DATE), true);

CREATE OR REPLACE MACRO dg_cohort(window_days, d0, d1, channels) AS TABLE
SELECT
    article_id, channel, user_id, t0, t0 + to_days(CAST(window_days AS INTEGER)) AS t_end,
    coalesce(dc_us <= win_us(window_days) AND c1 < dg_as_of(d1), false) AS contacted,
    coalesce(dp_us <= win_us(window_days) AND p1 < dg_as_of(d1), false) AS paid,
    multi, multi_ch, mkey, active, dg_alone(prev_day, next_day, d0, d1) AS alone
FROM fct_user_article
WHERE t0 >= CAST(CAST(d0 AS DATE) AS TIMESTAMP) AND t0 < dg_as_of(d1)
  AND (channels IS NULL OR len(channels) = 0 OR list_contains(channels, channel));

-- dg_revenue(window_days, model, d0, d1, channels)
--   Attributed revenue (fct_revenue: net of refunds, the model's shares) of
--   the payments DATED in [d0, d1], credited to the articles of the channel
--   list, with the article's channel (dated_in: 23_fct_unattributed.sql).
CREATE OR REPLACE MACRO dg_revenue(window_days, model, d0, d1, channels) AS TABLE
SELECT payment_id, user_id, paid_at, article_id, channel, revenue
FROM fct_revenue(window_days, model)
WHERE dated_in(paid_at, d0, d1)
  AND (channels IS NULL OR len(channels) = 0 OR list_contains(channels, channel));
