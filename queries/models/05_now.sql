-- The data's "now", defined once: the latest event in the store (an article
-- published, a group join, a sales event). "Now" is a property of the data, not of
-- the clock, so a link shows the same numbers tomorrow. NULL for an empty store.
-- Every query that needs it calls data_now() (article_summary, article_users,
-- trend_weekly, trend_channels_weekly, overview_compare, digest_bounds).
-- Kept in a one-row table, found again by every refresh of the models (this file is
-- not keyed: it runs whole, in the transaction that changes the logs): after an upload
-- the logs are views over a base and a delta, where max() reads every row rather than
-- the stored statistics (10x: ~40 ms, paid by each of those queries).
-- joins_at / sales_at: the latest join / sales event. The logs only grow between full
-- rebuilds (a load appends; clear, remove-sample and undo rebuild or restore), so a load
-- takes the greater of the last refresh's and the latest of its users' rows (inc_log: the
-- rows of the users it re-derives, among them every new row), not the max of every row
-- (10x: two scans of 20 M and 30 M timestamps through a delta's views, ~80 ms with
-- fct_cohort_end, which reads them from here). The articles' latest is taken whole: an
-- article can be published again at an earlier time.
CREATE TABLE IF NOT EXISTS data_now_at (t TIMESTAMP, joins_at TIMESTAMP, sales_at TIMESTAMP);
CREATE OR REPLACE TEMP TABLE _now AS
SELECT greatest((SELECT max(joined_at) FROM inc_log('joins')),
                (SELECT max(joins_at) FROM data_now_at WHERE NOT inc_full())) AS joins_at,
       greatest((SELECT max(occurred_at) FROM inc_log('sales')),
                (SELECT max(sales_at) FROM data_now_at WHERE NOT inc_full())) AS sales_at;
DELETE FROM data_now_at;
INSERT INTO data_now_at
SELECT greatest((SELECT max(published_at) FROM articles), joins_at, sales_at), joins_at, sales_at FROM _now;
DROP TABLE _now;
CREATE OR REPLACE MACRO data_now() AS (SELECT t FROM data_now_at);
