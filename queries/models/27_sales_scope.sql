-- The /sales page's scope, read by queries/sales_figures.sql:
-- the contact and payment rows (fct_sales_contact / fct_sales_payment) of users
-- with a touch on a selected article, inside [T0, T0 + W], T0 = the user's
-- earliest touch on a selected article. A user with one selected row keeps it;
-- for a user with several (multi), the selected row with the earliest t0 gives T0
-- and its events carry their offset from that T0.

-- Whether an event row's (article, user) row gives the user's T0 for the selection:
-- none of the user's rows before it in (t0, article_id) order (t0_before, NULL when
-- there are none; 16_fct_user_sales.sql) is selected. The row itself must be selected
-- too (in_sel). Two selected rows with the same t0: the smaller article_id, as the
-- cohorts break the tie, so that a page and `report` never pick differently (t0_rank,
-- 14_fct_user_article.sql, is that order). A filter on each event row where every
-- query grouped the multi-row users' selected rows (arg_min of t0_rank) and joined
-- their events to the result (10x: the three queries 1.14-1.16 -> 0.71-0.72 s).
-- With nothing filtered every row is selected, so only a row with none before it gives
-- T0: the lists are not read at all (10x, the Sales page's figures: 175-187 -> 150-152 ms).
CREATE OR REPLACE MACRO sales_t0_first(t0_before, date_from, date_to, channels) AS
    t0_before IS NULL
    OR ((CAST(date_from AS DATE) IS NOT NULL OR CAST(date_to AS DATE) IS NOT NULL
         OR len(coalesce(channels, [])) > 0)
        AND len(list_filter(t0_before, lambda b: in_sel(b.pub_day, b.channel, date_from, date_to, channels))) = 0);

CREATE OR REPLACE MACRO sales_scope_contacts(date_from, date_to, channels, window_days) AS TABLE
SELECT * FROM fct_sales_contact
WHERE off_us <= win_us(window_days)
  AND in_sel(pub_day, channel, date_from, date_to, channels)
  AND sales_t0_first(t0_before, date_from, date_to, channels);

CREATE OR REPLACE MACRO sales_scope_payments(date_from, date_to, channels, window_days) AS TABLE
SELECT * FROM fct_sales_payment
WHERE off_us <= win_us(window_days)
  AND in_sel(pub_day, channel, date_from, date_to, channels)
  AND sales_t0_first(t0_before, date_from, date_to, channels);
