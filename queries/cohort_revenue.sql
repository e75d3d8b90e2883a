-- The cohort table (docs/METRICS.md "Cohort revenue"): one row per acquisition
-- cohort ($grain: week | month; $channels, $article filter by the acquisition
-- article), newest first, and a 'total' row over every cohort
-- (models/50_cohorts.sql: agg_cohort_users, agg_cohort_payments).
--   users              users whose first join falls in the cohort
--   payers             of them, users with a payment (net > 0) after their first join, so far
--   rev_7 ... rev_180  cumulative revenue per user at 7 / 30 / 60 / 90 / 180 days after
--                      each user's first join (net of refunds, every payment of the user,
--                      not only attributed ones), over ALL the cohort's users;
--                      NULL while the cohort is not mature at that age (never 0)
--   revenue            revenue so far (all ages)
--   repeat_rate        of the users who paid within 90 days, those who paid at least twice
--                      within 90 days (payments with net > 0); NULL while immature at 90 days
--                      or without payers
--   age_days           whole days every user of the cohort has been observed
-- The total row: each horizon over the cohorts mature at it (their users and revenue
-- summed), so it is a users-weighted average of the mature cohorts.
WITH u AS (
    SELECT cohort_of(CAST($grain AS VARCHAR), week0, month0) AS cohort,
           sum(users) AS users, sum(payers) AS payers, sum(payers_90) AS payers_90,
           sum(repeat_payers_90) AS repeat_payers_90
    FROM agg_cohort_users
    WHERE cohort_in(channel, article_id, CAST($channels AS VARCHAR[]), CAST($article AS VARCHAR))
    GROUP BY ALL
),
p AS (
    SELECT cohort_of(CAST($grain AS VARCHAR), week0, month0) AS cohort,
           sum(amount) AS revenue,
           sum(amount) FILTER (WHERE age_day <= 7) AS r7,
           sum(amount) FILTER (WHERE age_day <= 30) AS r30,
           sum(amount) FILTER (WHERE age_day <= 60) AS r60,
           sum(amount) FILTER (WHERE age_day <= 90) AS r90,
           sum(amount) FILTER (WHERE age_day <= 180) AS r180
    FROM agg_cohort_payments
    WHERE cohort_in(channel, article_id, CAST($channels AS VARCHAR[]), CAST($article AS VARCHAR))
    GROUP BY ALL
),
m AS (
    SELECT u.cohort, cohort_last_day(CAST($grain AS VARCHAR), u.cohort) AS cohort_to,
           u.users, u.payers, u.payers_90, u.repeat_payers_90, coalesce(p.revenue, 0) AS revenue,
           coalesce(p.r7, 0) AS r7, coalesce(p.r30, 0) AS r30, coalesce(p.r60, 0) AS r60,
           coalesce(p.r90, 0) AS r90, coalesce(p.r180, 0) AS r180
    FROM u LEFT JOIN p USING (cohort)
),
mm AS (
    SELECT *,
           cohort_mature(cohort_to, 7) AS m7, cohort_mature(cohort_to, 30) AS m30,
           cohort_mature(cohort_to, 60) AS m60, cohort_mature(cohort_to, 90) AS m90,
           cohort_mature(cohort_to, 180) AS m180,
           greatest(date_diff('day', CAST(cohort_to AS TIMESTAMP) + INTERVAL 1 DAY, cohort_data_end()), 0)
               AS age_days
    FROM m
)
SELECT 'cohort' AS level, cohort, cohort_to, CAST(users AS BIGINT) AS users, CAST(payers AS BIGINT) AS payers,
       money(revenue) AS revenue,
       CASE WHEN m7 THEN revenue_per_user(r7, users) END AS rev_7,
       CASE WHEN m30 THEN revenue_per_user(r30, users) END AS rev_30,
       CASE WHEN m60 THEN revenue_per_user(r60, users) END AS rev_60,
       CASE WHEN m90 THEN revenue_per_user(r90, users) END AS rev_90,
       CASE WHEN m180 THEN revenue_per_user(r180, users) END AS rev_180,
       CASE WHEN m90 THEN repeat_rate(repeat_payers_90, payers_90) END AS repeat_rate,
       CAST(age_days AS BIGINT) AS age_days
FROM mm
UNION ALL
SELECT 'total', NULL, NULL, CAST(sum(users) AS BIGINT), CAST(sum(payers) AS BIGINT), money(sum(revenue)),
       revenue_per_user(sum(r7) FILTER (WHERE m7), sum(users) FILTER (WHERE m7)),
       revenue_per_user(sum(r30) FILTER (WHERE m30), sum(users) FILTER (WHERE m30)),
       revenue_per_user(sum(r60) FILTER (WHERE m60), sum(users) FILTER (WHERE m60)),
       revenue_per_user(sum(r90) FILTER (WHERE m90), sum(users) FILTER (WHERE m90)),
       revenue_per_user(sum(r180) FILTER (WHERE m180), sum(users) FILTER (WHERE m180)),
       repeat_rate(sum(repeat_payers_90) FILTER (WHERE m90), sum(payers_90) FILTER (WHERE m90)),
       NULL
FROM mm
HAVING count(*) > 0
ORDER BY level DESC, cohort DESC;
