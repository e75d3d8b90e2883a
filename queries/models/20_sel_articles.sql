-- The articles a view shows: the period selects by published_at (inclusive
-- dates), the channel list by channel (empty or NULL: every channel).
CREATE OR REPLACE MACRO sel_articles(date_from, date_to, channels) AS TABLE
SELECT *
FROM articles
WHERE (date_from IS NULL OR CAST(published_at AS DATE) >= date_from)
  AND (date_to IS NULL OR CAST(published_at AS DATE) <= date_to)
  AND (channels IS NULL OR len(channels) = 0 OR list_contains(channels, channel));
