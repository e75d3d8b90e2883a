-- The data's "now", defined once: the latest event in the store (an article
-- published, a group join, a sales event). "Now" is a property of the data, not of
-- the clock, so a link shows the same numbers tomorrow. NULL for an empty store.
-- Every query that needs it calls data_now() (article_summary, article_users,
-- trend_weekly, trend_channels_weekly, overview_compare, digest_bounds).
CREATE OR REPLACE MACRO data_now() AS (
    SELECT greatest((SELECT max(published_at) FROM articles), (SELECT max(joined_at) FROM joins),
                    (SELECT max(occurred_at) FROM sales))
);
