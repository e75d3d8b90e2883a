-- Touches: join rows whose article_id names a known article (CONTRACT §2).
-- Two joins through one article are two touches. touch_id is the join row's
-- row_id (assigned once, when the row was stored: stable, unique). Order within
-- a user: touched_at, then article_id, then touch_id (a stable tie-break).
-- inc_user(...) and the other inc_* macros are the incremental refresh's scope
-- (contentroi/refresh.py): true in a full rebuild. inc_rows('t') reads the scope's rows
-- of a user-keyed table the same refresh has already re-derived (the whole table in a
-- full rebuild), and inc_log('joins') / inc_log('sales') the scope's rows of a log (the
-- whole log in a full rebuild).
CREATE OR REPLACE TABLE stg_touches AS
SELECT
    j.row_id AS touch_id,
    j.user_id,
    j.article_id,
    j.joined_at AS touched_at,
    j.group_id
FROM inc_log('joins') AS j
SEMI JOIN articles AS a ON a.article_id = j.article_id;
