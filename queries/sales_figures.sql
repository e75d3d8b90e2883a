-- The /sales page's figures, in one pass over the scope's rows: the team's totals
-- (level 'total', one row), the per-rep funnel (level 'rep') and the weekly trend per
-- rep (level 'week'), in long form; engine.sales_figures splits them into the page's
-- three tables (engine.SALES_COLUMNS: each level's columns, in this order).
--
-- Scope: users with a touch on a selected article (period / channels); each such
-- user's events count when they fall in [T0, T0 + W], T0 = the user's earliest touch
-- on a selected article, W = $window_days (both ends inclusive). Events with no rep
-- form one "unassigned" rep, rep NULL.
--
-- level 'total' (each user once, whoever handled them):
--   users_handled          users with a contact or payment (any rep or none)
--   contacted              users with a contact
--   median_response_hours  median over contacted users of (first contact - T0)
--   paid                   contacted users with a payment at or after their first
--                          contact
--   pay_rate               paid / contacted
--   payments, gross_revenue, refunds, revenue: all payments in the windows, whether
--                          or not a rep is recorded on them
-- level 'rep', per rep (ordered by revenue, most first; the unassigned row last of equals):
--   users_handled          distinct users with a contact or a payment recorded with
--                          the rep in their window
--   contacted              the rep's users: distinct users with a contact by the rep
--                          in their window
--   contacts               the rep's contact events in those windows
--   median_response_hours  median over the rep's users of (the rep's first contact
--                          with the user - T0), in hours
--   paid                   the rep's users who paid (a payment with any rep) at or
--                          after the rep's first contact with them, within their window
--   pay_rate               paid / contacted (contact -> paid), with its 95% Wilson
--                          interval pay_rate_lo / pay_rate_hi
--   payments               payments recorded with the rep in the windows
--   gross_revenue          their amounts
--   refunds                refund amounts of those payments' orders (whenever the
--                          refund happened, as stg_payments nets them)
--   revenue                gross_revenue - refunds (net amounts)
-- level 'week', per (rep, week), week = the Monday (date) of the ISO week (ordered by
-- week, then rep; the unassigned rep last):
--   contacted  the rep's users whose first contact by the rep fell in the week
--   paid       the rep's paid users whose first payment at or after that contact fell
--              in the week
--   revenue    net amounts of payments recorded with the rep dated in the week
--   Summed over weeks these equal the reps' contacted, paid and revenue.
--
-- How: T0 is the t0 of one (article, user) row of fct_user_article -- the user's only
-- row, or for a user with several rows the selected one with the earliest t0 -- and
-- fct_sales_contact / fct_sales_payment hold that row's events with their offset from
-- t0 and first-event marks, so the window is "off_us <= W" (see
-- queries/models/16_fct_user_sales.sql and 27_sales_scope.sql). Every figure is a count or
-- a sum of those rows, so the users with one row (NOT multi, ~90% of the rows) are read as
-- agg_sales_lags' counts per whole day of lag (sums over lag <= W: their rows' T0 is the
-- same for every selection), and only the multi-row users' rows are read one by one.
-- A median needs the values: the middle one or two of each group (position (N-1)//2 + 1
-- and N//2 + 1 of its N sorted responses) are found by the day of lag holding them (from
-- the same counts), then the hour (the scope's rows of those days, counted), then the
-- value (the scope's rows of those hours, sorted): median() of the one or two values is
-- DuckDB's median of the whole group, as computed before. A response's day and hour of
-- lag are whole units rounded up, as agg_sales_lags', and order the responses as their
-- values do (resp_h grows with off_us). fct_sales_contact is kept in offset order, so the
-- rows of a few hours are in a few row groups. (10x, whole period: the contact rows read
-- and grouped one by one, ~450 ms -> ~190 ms; ~150 ms with sales_t0_first's shortcut.)
WITH a AS MATERIALIZED (  -- the single-row users' counts (agg_sales_lags: summed) inside the windows
    SELECT rep, k, lag, week, n, n_any, n_fc, n_rep, amount, refunded, net
    FROM agg_sales_lags
    WHERE lag <= CAST($window_days AS INTEGER)
      AND in_sel(pub_day, channel, $date_from, $date_to, CAST($channels AS VARCHAR[]))
),
mc AS MATERIALIZED (  -- the multi-row users' contact rows inside [T0, T0 + W]
    SELECT rep, first_any, first_contact, first_rep, ev_week, off_us,
           CASE WHEN pay_us <= win_us($window_days) THEN pay_week END AS pw,
           CASE WHEN c_last <= win_us($window_days) THEN c_n
                ELSE len(list_filter(c_lags, lambda x: x <= CAST($window_days AS INTEGER))) END AS n_contacts
    FROM sales_scope_contacts($date_from, $date_to, CAST($channels AS VARCHAR[]), $window_days)
    WHERE multi
),
mp AS (  -- ... and payment rows
    SELECT rep, first_any, first_rep, ev_week, amount, refunded, net_amount
    FROM sales_scope_payments($date_from, $date_to, CAST($channels AS VARCHAR[]), $window_days)
    WHERE multi
),
g AS MATERIALIZED (  -- every count per (rep, kind, week), both kinds of user
    SELECT rep, k, week, CAST(sum(n) AS BIGINT) AS n, CAST(sum(n_any) AS BIGINT) AS n_any,
           CAST(sum(n_fc) AS BIGINT) AS n_fc, CAST(sum(n_rep) AS BIGINT) AS n_rep,
           sum(amount) AS amount, sum(refunded) AS refunded, sum(net) AS net
    FROM (
        SELECT rep, k, week, n, n_any, n_fc, n_rep, amount, refunded, net FROM a
        UNION ALL
        SELECT rep, 0, ev_week, 1, first_any::INT, first_contact::INT, first_rep::INT, NULL, NULL, NULL FROM mc
        UNION ALL
        SELECT rep, 1, pw, 1, 0, first_contact::INT, 0, NULL, NULL, NULL FROM mc WHERE pw IS NOT NULL
        UNION ALL
        SELECT rep, 2, NULL, n_contacts, 0, 0, 0, NULL, NULL, NULL FROM mc
        UNION ALL
        SELECT rep, 3, ev_week, 1, first_any::INT, 0, first_rep::INT, amount, refunded, net_amount FROM mp
    )
    GROUP BY ALL
    HAVING sum(n) <> 0  -- (agg_sales_lags: a group whose rows, some negative, sum to nothing)
),
-- median response: the middle one or two (a group's count N: positions (N-1)//2 + 1 and
-- N//2 + 1) of each group's sorted responses, found by day, then hour, then value
hd AS (  -- per group (tot: the total's first contacts; else a rep's contacts) and day of lag
    SELECT tot, rep, lag, sum(n) AS n
    FROM (SELECT false AS tot, rep, lag, n FROM a WHERE k = 0
          UNION ALL SELECT true, NULL, lag, n_fc FROM a WHERE k = 0
          UNION ALL SELECT false, rep, lag_days(off_us), 1 FROM mc
          UNION ALL SELECT true, NULL, lag_days(off_us), 1 FROM mc WHERE first_contact)
    GROUP BY ALL
),
kd AS (  -- the day holding each middle position, and the position within it
    SELECT DISTINCT tot, rep, lag, pos - (cum - n) AS k
    FROM (SELECT *, unnest([(total - 1) // 2 + 1, total // 2 + 1]) AS pos
          FROM (SELECT *, sum(n) OVER (PARTITION BY tot, rep ORDER BY lag ROWS UNBOUNDED PRECEDING) AS cum,
                       sum(n) OVER (PARTITION BY tot, rep) AS total FROM hd))
    WHERE pos > cum - n AND pos <= cum
),
hh AS (  -- the scope's contacts in those days, counted by hour (ceil), per group
    SELECT tot, rep, lag, hr, n
    FROM (SELECT rep, first_contact, lag, hr, count(*) AS n
          FROM (SELECT rep, first_contact, lag_days(off_us) AS lag,
                       lag_hours(off_us) AS hr
                FROM sales_scope_contacts($date_from, $date_to, CAST($channels AS VARCHAR[]), $window_days)
                WHERE off_us BETWEEN win_us((SELECT min(lag) - 1 FROM kd)) + 1
                                 AND win_us((SELECT max(lag) FROM kd)))
          GROUP BY ALL) AS x,
         (SELECT DISTINCT tot FROM kd) AS t
    WHERE t.tot AND x.first_contact OR NOT t.tot
),
hg AS (SELECT tot, CASE WHEN NOT tot THEN rep END AS rep, lag, hr, sum(n) AS n FROM hh GROUP BY ALL),
kh AS (  -- the hour holding each middle position, and the position within it
    SELECT tot, rep, hr, k - (cum - n) AS k
    FROM (SELECT kd.k, hg.*,
                 sum(hg.n) OVER (PARTITION BY hg.tot, hg.rep, hg.lag, kd.k ORDER BY hg.hr ROWS UNBOUNDED PRECEDING) AS cum
          FROM kd JOIN hg ON hg.tot = kd.tot AND hg.rep IS NOT DISTINCT FROM kd.rep AND hg.lag = kd.lag)
    WHERE k > cum - n AND k <= cum
),
rh AS MATERIALIZED (  -- the scope's contacts in those hours
    SELECT rep, first_contact, resp_h, lag_hours(off_us) AS hr
    FROM sales_scope_contacts($date_from, $date_to, CAST($channels AS VARCHAR[]), $window_days)
    WHERE off_us BETWEEN (SELECT min(hr) - 1 FROM kh) * 3600000000 + 1 AND (SELECT max(hr) FROM kh) * 3600000000
),
mv AS (
    SELECT tot, rep, hr, resp_h, row_number() OVER (PARTITION BY tot, rep, hr ORDER BY resp_h) AS rn
    FROM (SELECT false AS tot, rh.rep, rh.hr, rh.resp_h FROM rh
          SEMI JOIN kh ON NOT kh.tot AND kh.rep IS NOT DISTINCT FROM rh.rep AND kh.hr = rh.hr
          UNION ALL
          SELECT true, NULL, hr, resp_h FROM rh
          WHERE first_contact AND hr IN (SELECT hr FROM kh WHERE tot))
),
med AS (
    SELECT mv.tot, mv.rep, median(mv.resp_h) AS median_response_hours
    FROM mv JOIN kh ON kh.tot = mv.tot AND kh.rep IS NOT DISTINCT FROM mv.rep AND kh.hr = mv.hr AND kh.k = mv.rn
    GROUP BY ALL
),
cr AS (
    SELECT rep,
           CAST(sum(n_rep) FILTER (WHERE k IN (0, 3)) AS BIGINT) AS handled,
           CAST(sum(n) FILTER (WHERE k = 0) AS BIGINT) AS contacted,
           CAST(sum(n) FILTER (WHERE k = 2) AS BIGINT) AS contacts,
           CAST(sum(n) FILTER (WHERE k = 1) AS BIGINT) AS paid,
           CAST(sum(n) FILTER (WHERE k = 3) AS BIGINT) AS payments,
           sum(amount) AS gross_revenue, sum(refunded) AS refunds, sum(net) AS revenue
    FROM g GROUP BY rep
),
r AS (
    SELECT cr.rep, coalesce(handled, 0) AS users_handled, coalesce(contacted, 0) AS contacted,
           contacts, coalesce(paid, 0) AS paid, m.median_response_hours,
           coalesce(payments, 0) AS payments, gross_revenue, refunds, revenue
    FROM cr LEFT JOIN med AS m ON NOT m.tot AND m.rep IS NOT DISTINCT FROM cr.rep
),
ct AS (
    SELECT CAST(coalesce(sum(n_any), 0) AS BIGINT) AS handled,
           CAST(coalesce(sum(n_fc) FILTER (WHERE k = 0), 0) AS BIGINT) AS contacted,
           (SELECT median_response_hours FROM med WHERE tot) AS median_response_hours,
           CAST(coalesce(sum(n_fc) FILTER (WHERE k = 1), 0) AS BIGINT) AS paid,
           CAST(coalesce(sum(n) FILTER (WHERE k = 3), 0) AS BIGINT) AS payments,
           sum(amount) AS gross_revenue, sum(refunded) AS refunds, sum(net) AS revenue
    FROM g
),
wk AS (
    SELECT rep, week, CAST(coalesce(sum(n) FILTER (WHERE k = 0), 0) AS BIGINT) AS contacted,
           CAST(coalesce(sum(n) FILTER (WHERE k = 1), 0) AS BIGINT) AS paid, coalesce(sum(net), 0) AS revenue
    FROM g WHERE k <> 2
    GROUP BY ALL
),
long AS (  -- (the first branch names the columns)
    SELECT
        'rep' AS level, rep, CAST(NULL AS DATE) AS week,
        users_handled,
        contacted,
        CAST(coalesce(contacts, 0) AS BIGINT) AS contacts,
        round(median_response_hours, 2) AS median_response_hours,
        paid,
        pay_rate(paid, contacted) AS pay_rate,
        pay_rate_lo(paid, contacted) AS pay_rate_lo,
        pay_rate_hi(paid, contacted) AS pay_rate_hi,
        payments,
        money(coalesce(gross_revenue, 0)) AS gross_revenue,
        money(coalesce(refunds, 0)) AS refunds,
        money(coalesce(revenue, 0)) AS revenue
    FROM r
    UNION ALL
    SELECT
        'total', NULL, NULL,
        ct.handled,
        ct.contacted,
        NULL,
        round(ct.median_response_hours, 2),
        ct.paid,
        pay_rate(ct.paid, ct.contacted),
        NULL, NULL,
        ct.payments,
        money(coalesce(ct.gross_revenue, 0)),
        money(coalesce(ct.refunds, 0)),
        money(coalesce(ct.revenue, 0))
    FROM ct
    UNION ALL
    SELECT 'week', rep, week, NULL, contacted, NULL, NULL, paid, NULL, NULL, NULL, NULL, NULL, NULL,
           money(revenue)
    FROM wk
)
SELECT * FROM long
ORDER BY level, CASE WHEN level = 'rep' THEN revenue END DESC, week, rep NULLS LAST;
