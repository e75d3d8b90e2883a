-- The span of the data, for the digest's default date: the first and the
-- latest moment of any event in the store (an article published, a group
-- join, a sales event). NULL when the store is empty.
SELECT
    least((SELECT min(published_at) FROM articles), (SELECT min(joined_at) FROM joins),
          (SELECT min(occurred_at) FROM sales)) AS first_at,
    data_now() AS last_at;
