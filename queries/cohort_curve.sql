-- The cohort curves: for every acquisition cohort (as in cohort_revenue.sql) and
-- every age d = 0 … 180 days at which the cohort is mature, the cumulative revenue
-- per user at d days after each user's first join (payments with age_day <= d: the
-- same numbers as rev_7 … rev_180 of cohort_revenue at those ages).
WITH u AS (
    SELECT cohort_of(CAST($grain AS VARCHAR), week0, month0) AS cohort, sum(users) AS users
    FROM agg_cohort_users
    WHERE cohort_in(channel, article_id, CAST($channels AS VARCHAR[]), CAST($article AS VARCHAR))
    GROUP BY ALL
),
d AS (
    SELECT cohort_of(CAST($grain AS VARCHAR), week0, month0) AS cohort, age_day AS age, sum(amount) AS amount
    FROM agg_cohort_payments
    WHERE age_day <= 180
      AND cohort_in(channel, article_id, CAST($channels AS VARCHAR[]), CAST($article AS VARCHAR))
    GROUP BY ALL
),
grid AS (
    SELECT u.cohort, u.users, CAST(r.age AS INTEGER) AS age
    FROM u, range(0, 181) AS r(age)
    WHERE cohort_mature(cohort_last_day(CAST($grain AS VARCHAR), u.cohort), r.age)
)
SELECT cohort, age, users, revenue_per_user(revenue, users) AS revenue_per_user
FROM (
    SELECT g.cohort, g.age, CAST(g.users AS BIGINT) AS users,
           sum(coalesce(d.amount, 0)) OVER (PARTITION BY g.cohort ORDER BY g.age) AS revenue
    FROM grid AS g LEFT JOIN d ON d.cohort = g.cohort AND d.age = g.age
)
ORDER BY cohort, age;
