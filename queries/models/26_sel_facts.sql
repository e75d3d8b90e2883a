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
