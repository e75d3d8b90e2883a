-- The digest's articles for the current period [$cur_from, $cur_to]: of every
-- article of the channel list that was published in the period (is_new), has
-- users in the period's cohort, or was credited revenue of a payment dated in
-- the period, the ones a digest lists (the rest stay in DuckDB; at the 10x world a
-- week has ~44,000 of them):
--   rk_top_revenue     revenue > 0, by revenue, then joins (more first), article_id
--   rk_bottom_revenue  sized (joins >= $min_n), not among the first $top_n by revenue:
--                      by revenue (least first), then joins (more first), article_id
--   rk_top_rate        sized: by overall_rate, then overall_lo (higher first), article_id
--   rk_bottom_rate     sized, not among the first $top_n by rate: by overall_rate, then
--                      overall_hi (lower first), article_id
--   rk_new             is_new: by revenue, then joins (more first), published_at, article_id
-- (NULL where the article is not in that list; rates NULL count as 0). Rows: those
-- ranked within $top_n in one of the four rankings or within $new_rows among the new
-- ones; $new_rows NULL: every row (a test's reference).
--   n_new              the period's new articles (all of them), on every row
--   any_sized          some article of the period has joins >= $min_n, on every row
--   joins, contacted, paid   distinct users of the period's cohort on the
--                            article (dg_cohort: t0 in the period, as of its
--                            end). For a new article these are its early
--                            results: everything from publication to the cut.
--   revenue                  attributed revenue ($model, W) of payments dated
--                            in the period (dg_revenue)
--   overall_lo, overall_hi   95% Wilson interval of overall_rate = paid / joins
WITH a AS (
    SELECT * FROM sel_articles(NULL, NULL, CAST($channels AS VARCHAR[]))
),
co AS (
    SELECT article_id, count(*) AS joins,
           count(*) FILTER (WHERE contacted) AS contacted, count(*) FILTER (WHERE paid) AS paid
    FROM dg_cohort($window_days, CAST($cur_from AS DATE), CAST($cur_to AS DATE), CAST($channels AS VARCHAR[]))
    GROUP BY article_id
),
rv AS (
    SELECT article_id, sum(revenue) AS revenue
    FROM dg_revenue($window_days, CAST($model AS VARCHAR), CAST($cur_from AS DATE), CAST($cur_to AS DATE),
                    CAST($channels AS VARCHAR[]))
    GROUP BY article_id
),
m AS (
    SELECT a.article_id, a.title, a.channel, a.author, a.published_at, a.reads, a.cost,
           CAST(a.published_at AS DATE) BETWEEN CAST($cur_from AS DATE) AND CAST($cur_to AS DATE) AS is_new,
           coalesce(co.joins, 0) AS joins, coalesce(co.contacted, 0) AS contacted,
           coalesce(co.paid, 0) AS paid, coalesce(rv.revenue, 0) AS revenue
    FROM a
    LEFT JOIN co ON co.article_id = a.article_id
    LEFT JOIN rv ON rv.article_id = a.article_id
),
o AS (
    SELECT
        article_id, title, channel, author, published_at, is_new,
        reads, money(cost) AS cost,
        CAST(joins AS BIGINT) AS joins, CAST(contacted AS BIGINT) AS contacted, CAST(paid AS BIGINT) AS paid,
        money(revenue) AS revenue,
        join_rate(joins, reads) AS join_rate,
        contact_rate(contacted, joins) AS contact_rate,
        pay_rate(paid, contacted) AS pay_rate,
        overall_rate(paid, joins) AS overall_rate,
        overall_rate_lo(paid, joins) AS overall_lo,
        overall_rate_hi(paid, joins) AS overall_hi,
        joins >= CAST($min_n AS BIGINT) AS sized
    FROM m
    WHERE is_new OR joins > 0 OR revenue <> 0
),
k AS (  -- the ranking keys alone: the window sorts carry these, not the titles and authors
    SELECT article_id, revenue, joins, overall_rate, overall_lo, overall_hi, is_new, published_at, sized FROM o
),
-- each ranking sorts only the rows it ranks (10x: ~17k with revenue, ~5k sized, ~8k new of a
-- week's ~44k), where a window PARTITION BY the condition sorted every row five times
t_rev AS (
    SELECT article_id, row_number() OVER (ORDER BY revenue DESC, joins DESC, article_id) AS rk_top_revenue
    FROM k WHERE revenue > 0
),
t_rate AS (
    SELECT article_id, revenue, joins, overall_rate, overall_hi,
           row_number() OVER (ORDER BY coalesce(overall_rate, 0) DESC, coalesce(overall_lo, 0) DESC, article_id)
               AS rk_top_rate
    FROM k WHERE sized
),
t_new AS (
    SELECT article_id,
           row_number() OVER (ORDER BY revenue DESC, joins DESC, published_at NULLS FIRST, article_id) AS rk_new
    FROM k WHERE is_new
),
s AS (  -- the sized rows with their top ranks: a bottom list leaves out what its top list shows
    SELECT t_rate.*, t_rev.rk_top_revenue FROM t_rate LEFT JOIN t_rev USING (article_id)
),
b_rev AS (
    SELECT article_id, row_number() OVER (ORDER BY revenue, joins DESC, article_id) AS rk_bottom_revenue
    FROM s WHERE rk_top_revenue IS NULL OR rk_top_revenue > CAST($top_n AS BIGINT)
),
b_rate AS (
    SELECT article_id,
           row_number() OVER (ORDER BY coalesce(overall_rate, 0), coalesce(overall_hi, 0), article_id) AS rk_bottom_rate
    FROM s WHERE rk_top_rate > CAST($top_n AS BIGINT)
),
n AS (  -- (not as window aggregates over the whole period: 0.6 s at 10x against ~1 ms)
    SELECT count(*) FILTER (WHERE is_new) AS n_new, coalesce(bool_or(sized), false) AS any_sized FROM o
),
ids AS (  -- the rows a digest lists: ranked within $top_n in a list or within $new_rows among the new
    SELECT article_id FROM k WHERE $new_rows IS NULL
    UNION SELECT article_id FROM t_rev WHERE rk_top_revenue <= CAST($top_n AS BIGINT)
    UNION SELECT article_id FROM t_rate WHERE rk_top_rate <= CAST($top_n AS BIGINT)
    UNION SELECT article_id FROM t_new WHERE rk_new <= CAST($new_rows AS BIGINT)
    UNION SELECT article_id FROM b_rev WHERE rk_bottom_revenue <= CAST($top_n AS BIGINT)
    UNION SELECT article_id FROM b_rate WHERE rk_bottom_rate <= CAST($top_n AS BIGINT)
),
picked AS (  -- with their place in every list
    SELECT ids.article_id, t_rev.rk_top_revenue, t_rate.rk_top_rate, t_new.rk_new,
           b_rev.rk_bottom_revenue, b_rate.rk_bottom_rate
    FROM ids
    LEFT JOIN t_rev USING (article_id)
    LEFT JOIN t_rate USING (article_id)
    LEFT JOIN t_new USING (article_id)
    LEFT JOIN b_rev USING (article_id)
    LEFT JOIN b_rate USING (article_id)
)
SELECT o.* EXCLUDE (sized), picked.rk_top_revenue, picked.rk_top_rate, picked.rk_new,
       picked.rk_bottom_revenue, picked.rk_bottom_rate, n.n_new, n.any_sized
FROM o JOIN picked USING (article_id), n
ORDER BY o.revenue DESC, o.joins DESC, o.article_id;
