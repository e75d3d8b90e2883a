-- The articles the Cohorts page offers as acquisition article: those of the
-- channel list (empty: all) that are the first join of at least one user,
-- with how many users they acquired, most first.
SELECT c.article_id, any_value(a.title) AS title, any_value(a.channel) AS channel, count(*) AS users
FROM cohort_users('month', CAST($channels AS VARCHAR[]), NULL) AS c
JOIN articles AS a USING (article_id)
GROUP BY c.article_id
ORDER BY users DESC, c.article_id;
