-- The cohort curves: for every acquisition cohort (as in cohort_revenue.sql) and
-- every age d = 0 … 180 days at which the cohort is mature, the cumulative revenue
-- per user at d days after each user's first join (payments with age <= d days:
-- the same numbers as rev_7 … rev_180 of cohort_revenue at those ages).
WITH u AS (
    SELECT cohort, any_value(cohort_to) AS cohort_to, count(*) AS users
    FROM cohort_users(CAST($grain AS VARCHAR), CAST($channels AS VARCHAR[]), CAST($article AS VARCHAR))
    GROUP BY cohort
),
d AS (  -- revenue by the whole day of age it is counted from: age in (d - 1, d] days -> d
    SELECT cohort, CAST(greatest(ceil(age_us / 86400000000.0), 0) AS INTEGER) AS age, sum(net_amount) AS amount
    FROM cohort_payments(CAST($grain AS VARCHAR), CAST($channels AS VARCHAR[]), CAST($article AS VARCHAR))
    WHERE age_us <= win_us(180)
    GROUP BY ALL
),
grid AS (
    SELECT u.cohort, u.cohort_to, u.users, CAST(r.age AS INTEGER) AS age
    FROM u, range(0, 181) AS r(age)
    WHERE cohort_mature(u.cohort_to, r.age)
)
SELECT cohort, age, users, revenue_per_user(revenue, users) AS revenue_per_user
FROM (
    SELECT g.cohort, g.age, CAST(g.users AS BIGINT) AS users,
           sum(coalesce(d.amount, 0)) OVER (PARTITION BY g.cohort ORDER BY g.age) AS revenue
    FROM grid AS g LEFT JOIN d ON d.cohort = g.cohort AND d.age = g.age
)
ORDER BY cohort, age;
