-- The ranking race: channels ($level = 'channel') or articles ($level = 'article')
-- ranked by a core metric ($metric: revenue | paid | joins | overall_rate) in the
-- current window [$cur_from, $cur_to] and the previous one [$prev_from, $prev_to].
--
-- The windows are of ACTIVITY, not of publishing (an article published long
-- ago that still brings users is in the race):
--   joins   distinct users with a first touch (t0 of fct_funnel) on the
--           entity's articles dated in the window (per entity: once per user);
--   paid    those of them who are paid (the contract's ordered funnel, W days);
--   overall_rate  paid / joins of those users;
--   revenue attributed revenue ($model) credited to touches dated in the window.
-- The channel filter applies; the period filter does not (it defines the windows).
-- An entity is ranked in a window when its value is > 0 (for overall_rate: when
-- it has >= $min_joins users there). Ranks are 1, 2, 3... by value, ties by
-- entity id. rank_change = rank_prev - rank (positive: moved up); an entity
-- ranked now but not before is new; one ranked before but not now has rank NULL.
-- growth = (value - value_prev) / |value_prev|, NULL when there is no previous value;
-- growth_rank ranks the entities ranked now by growth (NULL growth last).
-- n / n_prev: the entity's users (joins) in each window, whether ranked or not.
WITH win AS (
    SELECT 'cur' AS w, CAST($cur_from AS DATE) AS d0, CAST($cur_to AS DATE) AS d1
    UNION ALL
    SELECT 'prev', CAST($prev_from AS DATE), CAST($prev_to AS DATE)
),
a AS (
    SELECT article_id, title, channel,
           CASE CAST($level AS VARCHAR) WHEN 'channel' THEN channel ELSE article_id END AS entity
    FROM sel_articles(NULL, NULL, CAST($channels AS VARCHAR[]))
),
fr AS NOT MATERIALIZED (  -- the (article, user) rows whose t0 falls in each window (the channel level's)
    SELECT 'cur' AS w, *, CASE CAST($level AS VARCHAR) WHEN 'channel' THEN channel ELSE article_id END AS entity
    FROM sel_ua($window_days, NULL, NULL, CAST($channels AS VARCHAR[]))
    WHERE t0 >= CAST(CAST($cur_from AS DATE) AS TIMESTAMP)
      AND t0 < CAST(CAST($cur_to AS DATE) AS TIMESTAMP) + INTERVAL 1 DAY
    UNION ALL
    SELECT 'prev' AS w, *, CASE CAST($level AS VARCHAR) WHEN 'channel' THEN channel ELSE article_id END
    FROM sel_ua($window_days, NULL, NULL, CAST($channels AS VARCHAR[]))
    WHERE t0 >= CAST(CAST($prev_from AS DATE) AS TIMESTAMP)
      AND t0 < CAST(CAST($prev_to AS DATE) AS TIMESTAMP) + INTERVAL 1 DAY
),
fs AS (  -- users per entity: an (article, user) row is one user of the article; a user
         -- with one row in the channel is that row (counted by agg_user_days, and paid
         -- by agg_user_lags: sel_single); the others are grouped per channel
    SELECT w, entity, CAST(sum(joins) AS BIGINT) AS joins, CAST(sum(paid) AS BIGINT) AS paid
    FROM (
        -- (articles: one GROUP BY article_id per window, where one grouped fr by (w, entity):
        -- 10x, the article race 240 -> 211-222 ms)
        SELECT 'cur' AS w, article_id AS entity, count(*) AS joins, count(*) FILTER (WHERE paid) AS paid
        FROM sel_ua($window_days, NULL, NULL, CAST($channels AS VARCHAR[]))
        WHERE CAST($level AS VARCHAR) <> 'channel'
          AND t0 >= CAST(CAST($cur_from AS DATE) AS TIMESTAMP)
          AND t0 < CAST(CAST($cur_to AS DATE) AS TIMESTAMP) + INTERVAL 1 DAY
        GROUP BY article_id
        UNION ALL
        SELECT 'prev', article_id, count(*), count(*) FILTER (WHERE paid)
        FROM sel_ua($window_days, NULL, NULL, CAST($channels AS VARCHAR[]))
        WHERE CAST($level AS VARCHAR) <> 'channel'
          AND t0 >= CAST(CAST($prev_from AS DATE) AS TIMESTAMP)
          AND t0 < CAST(CAST($prev_to AS DATE) AS TIMESTAMP) + INTERVAL 1 DAY
        GROUP BY article_id
        UNION ALL
        SELECT win.w, g.channel, sum(g.n_single_ch), 0
        FROM agg_user_days AS g
        JOIN win ON g.t0_day BETWEEN win.d0 AND win.d1
        WHERE CAST($level AS VARCHAR) = 'channel'
          AND in_sel(g.pub_day, g.channel, NULL, NULL, CAST($channels AS VARCHAR[]))
        GROUP BY win.w, g.channel
        HAVING sum(g.n_single_ch) > 0
        UNION ALL
        SELECT win.w, s.channel, 0, sum(s.paid_ch)
        FROM sel_single($window_days, NULL, NULL, CAST($channels AS VARCHAR[])) AS s
        JOIN win ON s.t0_day BETWEEN win.d0 AND win.d1
        WHERE CAST($level AS VARCHAR) = 'channel'
        GROUP BY win.w, s.channel
        UNION ALL
        SELECT w, entity, count(*), count(*) FILTER (WHERE p)
        FROM (SELECT w, entity, mkey, bool_or(paid) AS p FROM fr
              WHERE CAST($level AS VARCHAR) = 'channel' AND multi_ch GROUP BY w, entity, mkey)
        GROUP BY w, entity
    )
    GROUP BY w, entity
),
rv AS (
    SELECT win.w, a.entity, sum(r.revenue) AS revenue
    FROM fct_revenue($window_days, CAST($model AS VARCHAR)) AS r
    JOIN a ON a.article_id = r.article_id
    JOIN win ON dated_in(r.touched_at, win.d0, win.d1)
    WHERE dated_in(r.touched_at, least(CAST($cur_from AS DATE), CAST($prev_from AS DATE)),
                   greatest(CAST($cur_to AS DATE), CAST($prev_to AS DATE)))  -- (skips row groups)
    GROUP BY ALL
),
v AS (
    SELECT coalesce(fs.w, rv.w) AS w, coalesce(fs.entity, rv.entity) AS entity,
           coalesce(fs.joins, 0) AS joins, coalesce(fs.paid, 0) AS paid,
           coalesce(rv.revenue, 0) AS revenue
    FROM fs FULL JOIN rv ON rv.w = fs.w AND rv.entity = fs.entity
),
val AS (
    SELECT w, entity, joins,
           CASE CAST($metric AS VARCHAR)
               WHEN 'revenue' THEN round(revenue, 2)
               WHEN 'paid' THEN CAST(paid AS DOUBLE)
               WHEN 'joins' THEN CAST(joins AS DOUBLE)
               WHEN 'overall_rate' THEN overall_rate(paid, joins)
           END AS value,
           CASE CAST($metric AS VARCHAR)
               WHEN 'overall_rate' THEN joins >= $min_joins
               ELSE coalesce(CASE CAST($metric AS VARCHAR)
                                 WHEN 'revenue' THEN round(revenue, 2)
                                 WHEN 'paid' THEN paid
                                 WHEN 'joins' THEN joins END, 0) > 0
           END AS ranked
    FROM v
),
rk AS (  -- val's (window, entity) rows, the ranked ones with their rank
    SELECT w, entity, joins, value, ranked,
           CASE WHEN ranked THEN row_number() OVER (PARTITION BY w, ranked ORDER BY value DESC, entity) END AS rank
    FROM val
),
m AS (  -- one row per entity ranked in either window (one pass: no self joins)
    SELECT entity,
           any_value(value) FILTER (WHERE w = 'cur' AND ranked) AS value,
           any_value(value) FILTER (WHERE w = 'prev' AND ranked) AS value_prev,
           any_value(rank) FILTER (WHERE w = 'cur') AS rank,
           any_value(rank) FILTER (WHERE w = 'prev') AS rank_prev,
           coalesce(any_value(joins) FILTER (WHERE w = 'cur'), 0) AS n,
           coalesce(any_value(joins) FILTER (WHERE w = 'prev'), 0) AS n_prev
    FROM rk
    GROUP BY entity
    HAVING bool_or(ranked)
),
g AS (
    SELECT *, growth(value, value_prev) AS growth FROM m
),
shown AS (  -- $top (NULL: every row): only the entities in the top $top by rank or by growth
            -- rank, the rows a page shows (at 10x the article race has ~50k ranked articles)
    SELECT g.*,
           CAST(CASE WHEN g.rank IS NOT NULL THEN
               row_number() OVER (PARTITION BY g.rank IS NOT NULL
                                  ORDER BY g.growth DESC NULLS LAST, g.value DESC, g.entity) END AS BIGINT)
               AS growth_rank
    FROM g
    QUALIFY CAST($top AS BIGINT) IS NULL OR rank <= CAST($top AS BIGINT) OR growth_rank <= CAST($top AS BIGINT)
),
t AS (  -- the shown articles' titles (after the cut: 10x, not 200k articles' DISTINCT ON)
    SELECT DISTINCT ON (article_id) article_id, title, channel
    FROM a
    WHERE CAST($level AS VARCHAR) = 'article' AND article_id IN (SELECT entity FROM shown)
)
SELECT
    s.entity,
    CASE CAST($level AS VARCHAR) WHEN 'channel' THEN s.entity ELSE t.title END AS title,
    CASE CAST($level AS VARCHAR) WHEN 'channel' THEN s.entity ELSE t.channel END AS channel,
    s.value, s.value_prev, s.growth,
    CAST(s.rank AS BIGINT) AS rank,
    CAST(s.rank_prev AS BIGINT) AS rank_prev,
    CAST(s.rank_prev - s.rank AS BIGINT) AS rank_change,
    s.rank IS NOT NULL AND s.rank_prev IS NULL AS is_new,
    s.growth_rank,
    CAST(s.n AS BIGINT) AS n,
    CAST(s.n_prev AS BIGINT) AS n_prev
FROM shown AS s
LEFT JOIN t ON t.article_id = s.entity
ORDER BY s.rank NULLS LAST, s.rank_prev, s.entity;
