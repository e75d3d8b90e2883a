-- The data's "now", defined once: the latest event in the store (an article
-- published, a group join, a sales event). "Now" is a property of the data, not of
-- the clock, so a link shows the same numbers tomorrow. NULL for an empty store.
-- Every query that needs it calls data_now() (article_summary, article_users,
-- trend_weekly, trend_channels_weekly, overview_compare, digest_bounds).
-- Kept in a one-row table, found again by every refresh of the models (this file is
-- not keyed: it runs whole, in the transaction that changes the logs): after an upload
-- the logs are views over a base and a delta, where max() reads every row rather than
-- the stored statistics (10x: ~40 ms, paid by each of those queries).
CREATE OR REPLACE TABLE data_now_at AS
SELECT greatest((SELECT max(published_at) FROM articles), (SELECT max(joined_at) FROM joins),
                (SELECT max(occurred_at) FROM sales)) AS t;
CREATE OR REPLACE MACRO data_now() AS (SELECT t FROM data_now_at);
