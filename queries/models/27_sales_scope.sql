-- The /sales page's scope, shared by sales_reps, sales_totals and sales_weekly:
-- the contact and payment rows (fct_sales_contact / fct_sales_payment) of users
-- with a touch on a selected article, inside [T0, T0 + W], T0 = the user's
-- earliest touch on a selected article. A user with one selected row keeps it;
-- for a user with several (multi), sales_t0_row picks the selected row with the
-- earliest t0, whose events carry their offset from that T0.
CREATE OR REPLACE MACRO sales_t0_row(date_from, date_to, channels) AS TABLE
-- (two selected rows with the same t0: the smaller article_id, as the cohorts break the tie,
-- so that a page and `report` never pick differently: t0_rank is that order,
-- 14_fct_user_article.sql)
SELECT user_id, arg_min(article_id, t0_rank) AS article_id
FROM fct_user_article
WHERE multi AND u_active
  AND in_sel(pub_day, channel, date_from, date_to, channels)
GROUP BY user_id;

CREATE OR REPLACE MACRO sales_scope_contacts(date_from, date_to, channels, window_days) AS TABLE
SELECT * FROM fct_sales_contact
WHERE NOT multi AND off_us <= win_us(window_days)
  AND in_sel(pub_day, channel, date_from, date_to, channels)
UNION ALL
SELECT e.* FROM fct_sales_contact AS e
SEMI JOIN sales_t0_row(date_from, date_to, channels) AS t0m
  ON t0m.user_id = e.user_id AND t0m.article_id = e.article_id
WHERE e.multi AND e.off_us <= win_us(window_days);

CREATE OR REPLACE MACRO sales_scope_payments(date_from, date_to, channels, window_days) AS TABLE
SELECT * FROM fct_sales_payment
WHERE NOT multi AND off_us <= win_us(window_days)
  AND in_sel(pub_day, channel, date_from, date_to, channels)
UNION ALL
SELECT e.* FROM fct_sales_payment AS e
SEMI JOIN sales_t0_row(date_from, date_to, channels) AS t0m
  ON t0m.user_id = e.user_id AND t0m.article_id = e.article_id
WHERE e.multi AND e.off_us <= win_us(window_days);
