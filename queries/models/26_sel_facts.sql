-- The selection of sel_articles (period by published_at, channel list; empty or
-- NULL: all) as a condition on a fact row's article channel and publish date,
-- written as ranges so that DuckDB skips row groups by them.
CREATE OR REPLACE MACRO in_sel(pub_day, channel, date_from, date_to, channels) AS
    pub_day >= coalesce(CAST(date_from AS DATE), DATE '0001-01-01')
    AND pub_day <= coalesce(CAST(date_to AS DATE), DATE '9999-12-31')
    AND (channels IS NULL OR len(channels) = 0 OR list_contains(channels, channel));

-- fct_user_article rows of the selected articles with fct_funnel's flags for a
-- W-day window (the same comparisons, on the microsecond offsets).
CREATE OR REPLACE MACRO sel_ua(window_days, date_from, date_to, channels) AS TABLE
SELECT
    *,
    coalesce(dc_us <= win_us(window_days), false) AS contacted,
    coalesce(dp_us <= win_us(window_days), false) AS paid,
    coalesce(dq_us <= win_us(window_days), false)
        AND NOT coalesce(dp_us <= win_us(window_days), false) AS paid_without_contact
FROM fct_user_article
WHERE in_sel(pub_day, channel, date_from, date_to, channels);

-- Whether a selection takes every row of a multi-row user (u_lo, u_hi, u_ch of
-- fct_user_article): all the user's publish days in the period and, under a channel
-- filter, all the user's rows in one selected channel (a user with rows in several
-- channels counts as not inside under any channel filter, and is grouped by sel_multi).
CREATE OR REPLACE MACRO u_inside(u_lo, u_hi, u_ch, date_from, date_to, channels) AS
    u_lo >= coalesce(CAST(date_from AS DATE), DATE '0001-01-01')
    AND u_hi <= coalesce(CAST(date_to AS DATE), DATE '9999-12-31')
    AND (channels IS NULL OR len(channels) = 0 OR coalesce(list_contains(channels, u_ch), false));

-- The selected articles' multi-row users (multi), one row each: the earliest t0 of
-- their selected rows, and whether any of those rows is contacted / paid in the window;
-- paid_without_contact: a row is, and none is paid (the user-level flags of report_totals
-- and trend_weekly). A user whose rows are all selected (u_inside) is their t0_rank 1 row
-- (the earliest t0) with the smallest offsets of the user's rows (u_dc, u_dp, u_dq:
-- some row is contacted within W exactly when the smallest dc_us is); the others are
-- grouped from their selected rows (10x, every row selected: 62 -> 12 ms; under one
-- channel all multi-channel users are grouped, as before).
CREATE OR REPLACE MACRO sel_multi(window_days, date_from, date_to, channels) AS TABLE
SELECT mkey, t0,
       coalesce(u_dc <= win_us(window_days), false) AS contacted,
       coalesce(u_dp <= win_us(window_days), false) AS paid,
       coalesce(u_dq <= win_us(window_days), false)
           AND NOT coalesce(u_dp <= win_us(window_days), false) AS paid_without_contact
FROM fct_user_article
WHERE multi AND t0_rank = 1 AND u_inside(u_lo, u_hi, u_ch, date_from, date_to, channels)
UNION ALL
SELECT mkey, min(t0), bool_or(contacted), bool_or(paid),
       bool_or(paid_without_contact) AND NOT bool_or(paid)
FROM sel_ua(window_days, date_from, date_to, channels)
WHERE multi AND NOT u_inside(u_lo, u_hi, u_ch, date_from, date_to, channels)
GROUP BY mkey;

-- Whether a selection takes every row of a user in the row's channel (uc_lo, uc_hi: the
-- first and last publish day of those rows): the channel selected, both days in the period.
CREATE OR REPLACE MACRO uc_inside(uc_lo, uc_hi, channel, date_from, date_to, channels) AS
    in_sel(uc_lo, channel, date_from, date_to, channels) AND in_sel(uc_hi, channel, date_from, date_to, channels);

-- The same per channel: the selected articles' users with several rows in a channel
-- (multi_ch), one row per (channel, user) with a selected row there, as sel_multi's rows
-- are per user (their t0, contacted, paid, paid_without_contact within the channel). A
-- user whose rows in the channel are all selected (uc_inside) is their first row there
-- (ch_first) with the channel's smallest offsets (uc_dc, ...).
CREATE OR REPLACE MACRO sel_multi_ch(window_days, date_from, date_to, channels) AS TABLE
SELECT channel, mkey, t0,
       coalesce(uc_dc <= win_us(window_days), false) AS contacted,
       coalesce(uc_dp <= win_us(window_days), false) AS paid,
       coalesce(uc_dq <= win_us(window_days), false)
           AND NOT coalesce(uc_dp <= win_us(window_days), false) AS paid_without_contact
FROM fct_user_article
WHERE multi_ch AND ch_first AND uc_inside(uc_lo, uc_hi, channel, date_from, date_to, channels)
UNION ALL
SELECT channel, mkey, min(t0), bool_or(contacted), bool_or(paid),
       bool_or(paid_without_contact) AND NOT bool_or(paid)
FROM sel_ua(window_days, date_from, date_to, channels)
WHERE multi_ch AND NOT uc_inside(uc_lo, uc_hi, channel, date_from, date_to, channels)
GROUP BY channel, mkey;

-- The window counts of the selected articles' users that have one row (of
-- fct_user_article) at all / in the article's channel, per (channel, publish day, day of
-- t0) group and day of lag (agg_user_lags, 14_fct_user_article.sql): summed, the same as
-- counting sel_ua's active rows that are NOT multi / NOT multi_ch (paid_without_contact:
-- q1 <= p1 on every row, so the rows paid within the window are among those with q1 in
-- it). Read summed only (a row's paid_without_contact can be below 0).
CREATE OR REPLACE MACRO sel_single(window_days, date_from, date_to, channels) AS TABLE
SELECT channel, pub_day, t0_day,
       nc AS contacted, np AS paid, nq - np AS paid_without_contact,
       nc_ch AS contacted_ch, np_ch AS paid_ch, nq_ch - np_ch AS paid_without_contact_ch
FROM agg_user_lags
WHERE lag <= CAST(window_days AS INTEGER) AND in_sel(pub_day, channel, date_from, date_to, channels);

-- The selection's money, raw sums (NULL: nothing): revenue, the net amount attributed
-- under a model to touches on the selected articles (fct_revenue); unattributed, the
-- net amount of payments with no eligible touch (fct_unattributed) dated in
-- [from, to + W], whatever the channel filter (unattributed_money). report_totals and attribution_totals
-- (the Attribution page's tiles, without report_totals' funnel counts) read it.
CREATE OR REPLACE MACRO sel_money(window_days, model_name, date_from, date_to, channels) AS TABLE
SELECT
    (SELECT sum(r.revenue)
     FROM fct_revenue(window_days, model_name) AS r
     WHERE in_sel(r.pub_day, r.channel, date_from, date_to, channels)) AS revenue,
    unattributed_money(window_days, date_from, date_to) AS unattributed;
