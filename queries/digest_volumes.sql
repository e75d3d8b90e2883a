-- Volume alerts (docs/DIGEST.md "Volume alerts"): the digest's volumes of the
-- current period [$cur_from, $cur_to] (k = 0) and of the same period k weeks
-- earlier, k = 1 .. $n_back ([cur_from - 7k, cur_to - 7k]: the previous weeks
-- of a weekly digest, the same weekday of the previous weeks of a daily one).
-- All channels together (the channel list filters, as everywhere). Every
-- period is measured as of ITS OWN end (dg_as_of of its last day), so a
-- period and its baselines are compared at the same age, exactly as
-- digest_segments does (for k = 0 these are its total row's numbers):
--   joins, contacted, paid   distinct users of the period's cohort (dg_cohort)
--   articles, reads          articles PUBLISHED in the period, their reads
--   revenue                  attributed revenue ($model, W) of the payments
--                            dated in the period (dg_revenue)
--   payments                 how many payments that revenue comes from
-- One row per k, also for a period without any activity (zeros).
WITH prm AS (
    SELECT CAST($cur_from AS DATE) AS d0, CAST($cur_to AS DATE) AS d1,
           date_diff('day', CAST($cur_from AS DATE), CAST($cur_to AS DATE)) + 1 AS len,
           CAST($n_back AS INTEGER) AS nb
),
ks AS (
    SELECT CAST(k AS INTEGER) AS k, prm.d0 - CAST(7 * k AS INTEGER) AS d0, prm.d1 - CAST(7 * k AS INTEGER) AS d1
    FROM prm, range(0, prm.nb + 1) AS r(k)
),
rows_ AS MATERIALIZED (  -- the (article, user) rows of multi-row users in every period's cohort, with
                         -- their period k (read once for both uses below; the parameters written
                         -- out, where a join with prm cost ~30 ms a read at 10x)
    SELECT k, mkey,
           dg_alone(prev_day, next_day,
                    d1k - CAST(date_diff('day', CAST($cur_from AS DATE), CAST($cur_to AS DATE)) AS INTEGER), d1k)
               AS alone,
           coalesce(dc_us <= win_us($window_days) AND c1 < dg_as_of(d1k), false) AS contacted,
           coalesce(dp_us <= win_us($window_days) AND p1 < dg_as_of(d1k), false) AS paid
    FROM (
        SELECT f.mkey, f.prev_day, f.next_day, f.dc_us, f.dp_us, f.c1, f.p1,
               CAST($cur_to AS DATE)
                   - CAST(7 * (date_diff('day', CAST(f.t0 AS DATE), CAST($cur_to AS DATE)) // 7) AS INTEGER) AS d1k,
               CAST(date_diff('day', CAST(f.t0 AS DATE), CAST($cur_to AS DATE)) // 7 AS INTEGER) AS k,
               date_diff('day', CAST(f.t0 AS DATE), CAST($cur_to AS DATE)) % 7
                   <= date_diff('day', CAST($cur_from AS DATE), CAST($cur_to AS DATE)) AS in_period
        FROM fct_user_article AS f
        WHERE f.multi
          AND f.t0 >= CAST(CAST($cur_from AS DATE) - CAST(7 * $n_back AS INTEGER) AS TIMESTAMP)
          AND f.t0 < dg_as_of(CAST($cur_to AS DATE))
          AND (len(CAST($channels AS VARCHAR[])) = 0 OR list_contains(CAST($channels AS VARCHAR[]), f.channel))
    )
    WHERE in_period
),
fun AS (  -- distinct users: a user with one row at all is that row (counted by
          -- agg_user_days, and contacted / paid by agg_user_cuts); the others are grouped
    SELECT k, sum(joins) AS joins, sum(contacted) AS contacted, sum(paid) AS paid
    FROM (
        SELECT k, sum(n_single) AS joins, 0 AS contacted, 0 AS paid
        FROM (
            SELECT g.n_single, CAST(date_diff('day', g.t0_day, prm.d1) // 7 AS INTEGER) AS k,
                   date_diff('day', g.t0_day, prm.d1) % 7 < prm.len AS in_period
            FROM agg_user_days AS g, prm
            WHERE g.t0_day >= prm.d0 - CAST(7 * prm.nb AS INTEGER) AND g.t0_day <= prm.d1
              AND in_sel(g.pub_day, g.channel, NULL, NULL, CAST($channels AS VARCHAR[]))
        )
        WHERE in_period
        GROUP BY k
        UNION ALL
        -- their active rows, counted per day of t0 and day of each event (agg_user_cuts): contacted
        -- within W and before the period's end, paid so
        SELECT k, 0, coalesce(sum(n) FILTER (WHERE lc <= CAST($window_days AS INTEGER) AND t0_day + co <= d1k), 0),
               coalesce(sum(n) FILTER (WHERE lp <= CAST($window_days AS INTEGER) AND t0_day + po <= d1k), 0)
        FROM (
            SELECT g.*, CAST(date_diff('day', g.t0_day, prm.d1) // 7 AS INTEGER) AS k,
                   prm.d1 - CAST(7 * (date_diff('day', g.t0_day, prm.d1) // 7) AS INTEGER) AS d1k,
                   date_diff('day', g.t0_day, prm.d1) % 7 < prm.len AS in_period
            FROM agg_user_cuts AS g, prm
            WHERE g.t0_day >= prm.d0 - CAST(7 * prm.nb AS INTEGER) AND g.t0_day <= prm.d1
              AND (len(CAST($channels AS VARCHAR[])) = 0 OR list_contains(CAST($channels AS VARCHAR[]), g.channel))
        )
        WHERE in_period
        GROUP BY k
        UNION ALL
        -- multi-row users with one row in the period: that row (dg_alone); the others grouped
        SELECT k, count(*), count(*) FILTER (WHERE contacted), count(*) FILTER (WHERE paid)
        FROM rows_ WHERE alone GROUP BY k
        UNION ALL
        SELECT k, count(*), count(*) FILTER (WHERE c), count(*) FILTER (WHERE p)
        FROM (SELECT k, mkey, bool_or(contacted) AS c, bool_or(paid) AS p FROM rows_ WHERE NOT alone GROUP BY k, mkey)
        GROUP BY k
    )
    GROUP BY k
),
pub AS (
    SELECT ks.k, count(*) AS articles, sum(a.reads) AS reads
    FROM sel_articles(NULL, NULL, CAST($channels AS VARCHAR[])) AS a
    JOIN ks ON CAST(a.published_at AS DATE) BETWEEN ks.d0 AND ks.d1
    GROUP BY ks.k
),
rv AS (  -- (a payment's period k from its day, as the cohorts' rows: no join of every payment with ks)
    SELECT k, sum(revenue) AS revenue, count(DISTINCT payment_id) AS payments
    FROM (
        SELECT r.revenue, r.payment_id,
               CAST(date_diff('day', CAST(r.paid_at AS DATE), prm.d1) // 7 AS INTEGER) AS k,
               date_diff('day', CAST(r.paid_at AS DATE), prm.d1) % 7 < prm.len AS in_period
        FROM dg_revenue($window_days, CAST($model AS VARCHAR),
                        -- ks's first and last days, as constants: the scan skips the payments outside
                        CAST($cur_from AS DATE) - CAST(7 * $n_back AS INTEGER), CAST($cur_to AS DATE),
                        CAST($channels AS VARCHAR[])) AS r, prm
    )
    WHERE in_period
    GROUP BY k
)
SELECT ks.k, ks.d0 AS period_from, ks.d1 AS period_to,
       CAST(coalesce(fun.joins, 0) AS BIGINT) AS joins,
       CAST(coalesce(fun.contacted, 0) AS BIGINT) AS contacted,
       CAST(coalesce(fun.paid, 0) AS BIGINT) AS paid,
       CAST(coalesce(pub.articles, 0) AS BIGINT) AS articles,
       CAST(coalesce(pub.reads, 0) AS BIGINT) AS reads,
       money(coalesce(rv.revenue, 0)) AS revenue,
       CAST(coalesce(rv.payments, 0) AS BIGINT) AS payments
FROM ks
LEFT JOIN fun USING (k)
LEFT JOIN pub USING (k)
LEFT JOIN rv USING (k)
ORDER BY ks.k;
