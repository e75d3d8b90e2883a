-- Touches: join rows whose article_id names a known article (CONTRACT §2).
-- Two joins through one article are two touches. touch_id is the join row's
-- row_id (assigned once, when the row was stored: stable, unique). Order within
-- a user: touched_at, then article_id, then touch_id (a stable tie-break).
-- inc_user(...) and the other inc_* macros are the incremental refresh's scope
-- (contentroi/refresh.py): true in a full rebuild. inc_rows('t') reads the scope's rows
-- of a user-keyed table the same refresh has already re-derived (the whole table in a
-- full rebuild), and inc_log('joins') / inc_log('sales') the scope's rows of a log (the
-- whole log in a full rebuild).
-- inc_user_hash(uh) selects the rows of the scope's users, and perhaps a few others, of
-- a large table that carries uh = user_hash(user_id): a 32-bit hash of the user, stored
-- beside user_id so that the refresh finds such rows by an integer without reading every
-- row's user_id (reading and hashing those was most of an upload's cost at 10x). Two
-- users may share a uh: the refresh then re-derives both (it widens its scope to every
-- user who shares a uh with one of its users: refresh._SCOPE_LOGS), so inc_user_hash(uh)
-- selects exactly the scope's rows and results never depend on the hash.
CREATE OR REPLACE MACRO user_hash(u) AS CAST(hash(u) >> 32 AS UINTEGER);

CREATE OR REPLACE TABLE stg_touches AS
SELECT
    j.row_id AS touch_id,
    j.user_id,
    j.article_id,
    j.joined_at AS touched_at,
    j.group_id
FROM inc_log('joins') AS j
SEMI JOIN articles AS a ON a.article_id = j.article_id;
