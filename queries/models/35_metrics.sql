-- THE METRICS LAYER (SQL side): every rate and derived measure is defined here,
-- once, and every query computes it only through these macros (tests/test_metrics.py
-- fails on a rate computed anywhere else). Their labels, help, format kind, grain,
-- direction and denominators are in contentroi/metrics.py (the registry), which
-- names each macro below. Redefining a measure is an edit here (+ a line in
-- docs/METRICS.md); tests/test_metrics.py names what a change broke.
-- (Built after 30_wilson.sql: DuckDB binds a macro's callees when it is created.)

-- Building blocks ---------------------------------------------------------------
-- A rate: null, never 0 and never an error, when the denominator is 0 or unknown;
-- rounded to 4 decimals. ratio(): the same, unrounded (for changes between rates).
CREATE OR REPLACE MACRO ratio(n, d) AS CAST(n AS DOUBLE) / nullif(d, 0);
CREATE OR REPLACE MACRO rate(n, d) AS round(ratio(n, d), 4);
-- Money, rounded to the cent.
CREATE OR REPLACE MACRO money(x) AS CAST(round(x, 2) AS DOUBLE);

-- The funnel's step rates (CONTRACT §2) -------------------------------------------
CREATE OR REPLACE MACRO join_rate(joins, reads) AS rate(joins, reads);
CREATE OR REPLACE MACRO contact_rate(contacted, joins) AS rate(contacted, joins);
CREATE OR REPLACE MACRO pay_rate(paid, contacted) AS rate(paid, contacted);
CREATE OR REPLACE MACRO overall_rate(paid, joins) AS rate(paid, joins);

-- Their 95% Wilson intervals (30_wilson.sql) over the same denominators.
CREATE OR REPLACE MACRO join_rate_lo(joins, reads) AS wilson_lo(joins, reads);
CREATE OR REPLACE MACRO join_rate_hi(joins, reads) AS wilson_hi(joins, reads);
CREATE OR REPLACE MACRO contact_rate_lo(contacted, joins) AS wilson_lo(contacted, joins);
CREATE OR REPLACE MACRO contact_rate_hi(contacted, joins) AS wilson_hi(contacted, joins);
CREATE OR REPLACE MACRO pay_rate_lo(paid, contacted) AS wilson_lo(paid, contacted);
CREATE OR REPLACE MACRO pay_rate_hi(paid, contacted) AS wilson_hi(paid, contacted);
CREATE OR REPLACE MACRO overall_rate_lo(paid, joins) AS wilson_lo(paid, joins);
CREATE OR REPLACE MACRO overall_rate_hi(paid, joins) AS wilson_hi(paid, joins);
-- The four as one struct of eight columns (SELECT ..., unnest(funnel_intervals(...))), for
-- the rows that show them: report_articles, and of the /articles page only the rows it
-- sends (article_board, article_row), not every article of its cached list (10x: 200k
-- rows, ~130 ms of a window change).
CREATE OR REPLACE MACRO funnel_intervals(reads, joins, contacted, paid) AS {
    'join_rate_lo': join_rate_lo(joins, reads), 'join_rate_hi': join_rate_hi(joins, reads),
    'contact_rate_lo': contact_rate_lo(contacted, joins), 'contact_rate_hi': contact_rate_hi(contacted, joins),
    'pay_rate_lo': pay_rate_lo(paid, contacted), 'pay_rate_hi': pay_rate_hi(paid, contacted),
    'overall_rate_lo': overall_rate_lo(paid, joins), 'overall_rate_hi': overall_rate_hi(paid, joins)};

-- The step rates in long form, for queries that compare every step (overview_drops):
-- one struct per step with its numerator, denominator and unrounded rate (r), the same
-- pairs as above (tests/test_metrics.py checks that they agree).
CREATE OR REPLACE MACRO funnel_step(stage, num, den) AS
    {'stage': stage, 'num': CAST(num AS BIGINT), 'den': CAST(den AS BIGINT), 'r': ratio(num, den)};
CREATE OR REPLACE MACRO funnel_steps(reads, joins, contacted, paid) AS [
    funnel_step('join_rate', joins, reads),
    funnel_step('contact_rate', contacted, joins),
    funnel_step('pay_rate', paid, contacted)
];

-- Money measures ------------------------------------------------------------------
-- roi = (revenue - cost) / cost: null where cost is 0 or unknown.
CREATE OR REPLACE MACRO roi(revenue, cost) AS rate(revenue - cost, cost);
-- cost_per_paid = cost / paid: null where either is 0 or unknown.
CREATE OR REPLACE MACRO cost_per_paid(cost, paid) AS money(cost / nullif(paid, 0));
-- revenue_per_1k_reads = 1000 x revenue / reads.
CREATE OR REPLACE MACRO revenue_per_1k_reads(revenue, reads) AS money(1000 * revenue / nullif(reads, 0));

-- Change between two values --------------------------------------------------------
-- growth = (cur - prev) / |prev|: null without a previous value.
CREATE OR REPLACE MACRO growth(cur, prev) AS round((cur - prev) / nullif(abs(prev), 0), 4);

-- Cohort measures (the Cohorts page; docs/METRICS.md "Cohort revenue") ----------------
-- revenue_per_user = a cohort's revenue / its users (payers or not): null without users.
CREATE OR REPLACE MACRO revenue_per_user(revenue, users) AS money(revenue / nullif(users, 0));
-- repeat_rate = users who paid at least twice within 90 days / users who paid within 90 days.
CREATE OR REPLACE MACRO repeat_rate(repeat_payers_90, payers_90) AS rate(repeat_payers_90, payers_90);
CREATE OR REPLACE MACRO repeat_rate_lo(repeat_payers_90, payers_90) AS wilson_lo(repeat_payers_90, payers_90);
CREATE OR REPLACE MACRO repeat_rate_hi(repeat_payers_90, payers_90) AS wilson_hi(repeat_payers_90, payers_90);
