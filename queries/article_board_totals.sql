-- The tiles of the /articles leaderboard for the articles its search finds (the
-- table `hit`, article_search.sql): how many, their attributed revenue and reads
-- (sums of report_articles' rows), and their paid users counted once across them
-- (CONTRACT §2, as report_totals counts them).
WITH p AS (
    SELECT count(DISTINCT s.user_id) AS paid
    FROM sel_ua($window_days, $date_from, $date_to, CAST($channels AS VARCHAR[])) AS s
    SEMI JOIN hit ON hit.article_id = s.article_id
    WHERE s.paid
)
SELECT
    (SELECT count(*) FROM hit) AS articles,
    (SELECT money(sum(revenue)) FROM hit) AS revenue,
    p.paid,
    (SELECT revenue_per_1k_reads(sum(revenue), sum(reads)) FROM hit) AS revenue_per_1k_reads
FROM p;
