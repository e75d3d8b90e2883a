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
