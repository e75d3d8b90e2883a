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
CREATE OR REPLACE MACRO dg_as_of(d1) AS CAST(CAST(d1 AS DATE) AS TIMESTAMP) + INTERVAL 1 DAY;

CREATE OR REPLACE MACRO dg_cohort(window_days, d0, d1, channels) AS TABLE
SELECT
    f.article_id, a.channel, f.user_id, f.t0, f.t_end,
    coalesce(f.t1 < dg_as_of(d1), false) AS contacted,
    coalesce(f.first_paid < dg_as_of(d1), false) AS paid
FROM fct_funnel(window_days) AS f
JOIN sel_articles(NULL, NULL, channels) AS a ON a.article_id = f.article_id
WHERE CAST(f.t0 AS DATE) BETWEEN CAST(d0 AS DATE) AND CAST(d1 AS DATE);

-- dg_revenue(window_days, model, d0, d1, channels)
--   Attributed revenue (fct_revenue: net of refunds, the model's shares) of
--   the payments DATED in [d0, d1], credited to the articles of the channel
--   list, with the article's channel.
CREATE OR REPLACE MACRO dg_revenue(window_days, model, d0, d1, channels) AS TABLE
SELECT r.payment_id, r.user_id, r.paid_at, r.article_id, a.channel, r.revenue
FROM fct_revenue(window_days, model) AS r
JOIN sel_articles(NULL, NULL, channels) AS a ON a.article_id = r.article_id
WHERE CAST(r.paid_at AS DATE) BETWEEN CAST(d0 AS DATE) AND CAST(d1 AS DATE);
