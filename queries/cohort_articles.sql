-- The articles the Cohorts page offers as acquisition article: those of the
-- channel list (empty: all) that are the first join of at least one user,
-- with how many users they acquired, most first.
SELECT c.article_id, any_value(a.title) AS title, any_value(a.channel) AS channel, sum(c.users) AS users
FROM agg_cohort_users AS c
JOIN articles AS a USING (article_id)
WHERE cohort_in(c.channel, c.article_id, CAST($channels AS VARCHAR[]), NULL)
GROUP BY c.article_id
ORDER BY users DESC, c.article_id;
