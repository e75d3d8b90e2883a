"""Delta snapshots: an upload writes what it adds, not a copy of the store.

A published snapshot is either **standalone** (a whole store in one DuckDB file) or a
**delta** on a standalone *base* snapshot (docs/ARCHITECTURE.md, "Publishing"). A delta
file holds

* every small table whole (settings, the articles log, the aggregates, meta ...), as in a
  standalone store, with its constraints, macros and sequences;
* for each large table of :data:`OVERLAID` -- the joins and sales logs and the derived
  tables keyed by user -- only what changed since the base, in schema ``ov``: the rows it
  adds (``ov.<table>``) and, for the derived tables, the users whose base rows they
  replace (``ov.<table>__gone``; for the tables of :data:`ROWS_GONE` also those users' base
  rows' rowids, ``ov.<table>__gone_rows``); and in ``main`` a view of the same name,
  ``base rows of the other users UNION ALL ov.<table>``.

Its meta row ``overlay_base`` names the base file (in the same folder), which every open
of the delta ATTACHes read-only as :data:`ALIAS` (Store does that). So every query,
macro and model statement reads the table names it always read, and the few statements
that write a large table write :func:`target` (the ``ov`` table in a delta). A base is
never written after it is published; readers in other processes only ever open
published files read-only.

:func:`flatten` turns a delta into a standalone store in place (the views become
tables, ``ov`` goes): before a full model rebuild, clear / remove sample and a
migration. :func:`compact` writes the same store as a copy of the base with the delta
applied -- the Workspace's compaction, when a delta has grown past
:data:`COMPACT_SHARE` of its base.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb

from .sql import ident

ALIAS = "cr_base"
SCHEMA = "ov"
META_KEY = "overlay_base"
APPEND = ("joins", "sales")  # append-only between flattens: base rows + new rows
BY_USER = ("stg_touches", "stg_first_touch", "stg_contacts", "stg_payments", "fct_user_article",
           "fct_payment_touch", "fct_touch_weights", "fct_sales_contact", "fct_sales_payment", "dq_user",
           "mk_user_events", "mk_user_cpaths", "fct_cohort_pay")
OVERLAID = APPEND + BY_USER
# Tables an older release overlaid that no model makes now: a delta of that release still has
# their views, which flatten drops (store.MIGRATIONS drops the tables of a standalone store).
RETIRED = ("fct_cohort_user",)
# A delta whose own rows of the large tables pass this share of the base's (and
# COMPACT_MIN_ROWS) is compacted by the next writer (Workspace: the base copied and the
# delta applied to it), which keeps data/ near 1x the data and the views' cost bounded.
COMPACT_SHARE = 0.1
COMPACT_MIN_ROWS = 50_000
# ... or whose file passes this share of the base's file (and COMPACT_MIN_BYTES).
COMPACT_BYTES_SHARE = 0.25
COMPACT_MIN_BYTES = 64 << 20
# data/ budget: the snapshots kept for Undo (beyond the published one and the one before
# it) stay within this multiple of the published store's base, or the base + DISK_FLOOR.
DISK_SHARE = 1.5
DISK_FLOOR = 128 << 20
DELTA_ALIAS = "cr_delta"

_GONE = {t: t + "__gone" for t in BY_USER}
# The tables the pages read most, whose view hides the replaced users' base rows by their
# rowid (``ov.<table>__gone_rows``, found once, when the users are replaced) rather than by
# an anti join on user_id, which reads and hashes every base row's user_id on every read
# (10x, one upload: report_totals 346 -> 267 ms, the flat store's 183 ms; the upload's
# funnel and day sums 0.4 -> 0.2 s each; the Sales page's queries 60-200 ms and
# attribution_totals 40 ms faster with the other four). Each costs the upload one scan of
# its base (10x: 0.26 s for fct_user_article, 0.26 s for the other four together; now by uh,
# ~40 ms). stg_payments too (6 Dec): every tile's unattributed revenue and the Overview's
# money read it, ~30 ms of CPU in each report_totals at 10x; ~8 ms an upload.
ROWS_GONE = ("fct_user_article", "fct_sales_contact", "fct_sales_payment", "fct_touch_weights",
             "fct_payment_touch", "stg_payments")
_GONE_ROWS = {t: t + "__gone_rows" for t in ROWS_GONE}
_ALL_NAMES = (*OVERLAID, *_GONE.values(), *_GONE_ROWS.values(), *(t + "__flat" for t in OVERLAID))


def _q(name: str) -> str:
    return ident(name, _ALL_NAMES)


def _ov(name: str) -> str:
    return f"{SCHEMA}.{_q(name)}"


def _base(name: str) -> str:
    return f"{ALIAS}.main.{_q(name)}"


def is_delta(cur: duckdb.DuckDBPyConnection) -> bool:
    """Whether the cursor's database is a delta (has the ``ov`` schema)."""
    return bool(cur.execute(
        "SELECT count(*) FROM duckdb_schemas() WHERE database_name = current_database() "
        "AND schema_name = $s", {"s": SCHEMA}).fetchone()[0])


def base_name(cur: duckdb.DuckDBPyConnection) -> str | None:
    """The base file a delta reads (its name, in the delta's folder), or None."""
    has_meta = cur.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
        "AND schema_name = 'main' AND table_name = 'meta'").fetchone()[0]
    if not has_meta:
        return None
    row = cur.execute("SELECT value FROM meta WHERE key = $k", {"k": META_KEY}).fetchone()
    return row[0] if row else None


def attach(cur: duckdb.DuckDBPyConnection, folder: Path) -> Path | None:
    """ATTACH the base of the cursor's database read-only (once per database instance);
    returns its path, or None for a standalone store."""
    name = base_name(cur)
    if name is None:
        return None
    path = Path(folder) / name
    attached = cur.execute("SELECT count(*) FROM duckdb_databases() WHERE database_name = $a",
                           {"a": ALIAS}).fetchone()[0]
    if not attached:
        if not path.is_file():
            raise FileNotFoundError(f"the base {name} of this snapshot is missing")
        cur.execute(f"ATTACH $p AS {ALIAS} (READ_ONLY)", {"p": str(path)})
    return path


def target(cur: duckdb.DuckDBPyConnection, table: str, delta: bool | None = None) -> str:
    """The table a statement writing ``table``'s rows writes: ``ov.<table>`` in a delta
    (``table`` one of OVERLAID), else ``table`` itself (quoted)."""
    name = ident(table, OVERLAID)  # only these are written through here
    if is_delta(cur) if delta is None else delta:
        return f"{SCHEMA}.{name}"
    return name


def row_count(cur: duckdb.DuckDBPyConnection, table: str) -> int:
    """``count(*)`` of an appended log (one of APPEND). A table's count comes from its
    metadata, but a delta's view over base and delta rows is scanned (10x: 0.44 s for the
    two logs), so a delta counts the base table and its own rows apart."""
    name = ident(table, APPEND)  # only these (quoted)
    if is_delta(cur):
        sql = f"SELECT (SELECT count(*) FROM {_base(table)}) + (SELECT count(*) FROM {_ov(table)})"
    else:
        sql = f"SELECT count(*) FROM {name}"
    return int(cur.execute(sql).fetchone()[0])


def _has_rows_gone(cur: duckdb.DuckDBPyConnection, table: str) -> bool:
    # a delta written before ROWS_GONE hides by user only (its view says so)
    return table in _GONE_ROWS and bool(cur.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
        "AND schema_name = $s AND table_name = $t", {"s": SCHEMA, "t": _GONE_ROWS[table]}).fetchone()[0])


# What base_rows extracts (with the rowid, as rid): the columns the refresh reads of the
# scope's rows of a table before re-deriving them (refresh.BEFORE).
BASE_ROWS_COLS = {"fct_user_article": ("user_id", "article_id", "channel", "pub_day", "t0", "active", "multi",
                                         "multi_ch", "dc_us", "dp_us", "dq_us")}
BASE_ROWS = "_ov_base_rows"


def base_rows(cur: duckdb.DuckDBPyConnection, table: str, users_sql: str) -> bool:
    """In a delta whose ``table`` hides replaced users by rowid: copy the base rows the view
    still shows of the users ``users_sql`` selects (those not replaced yet; perhaps with a
    few other users' rows, see below), with their rowids, into the temp table
    :data:`BASE_ROWS` -- one scan of the base that serves both the refresh's read of those
    rows and :func:`replace_users`' rowids (10x: one scan of fct_user_article fewer per
    upload, ~0.3 s). False (nothing made) otherwise."""
    if table not in BASE_ROWS_COLS or not is_delta(cur) or not _has_rows_gone(cur, table):
        return False
    cols = ", ".join(f"b.{ident(c, BASE_ROWS_COLS[table])}" for c in BASE_ROWS_COLS[table])
    # found by the users' uh, an integer (10_stg_touches.sql), not by every row's user_id:
    # 10x 0.36 -> 0.20 s. Rows of other users who share a uh come along; they do no harm:
    # replace_users takes its rowids by user_id, and shown_rows keeps only the users' own
    cur.execute(f"CREATE OR REPLACE TEMP TABLE {BASE_ROWS} AS SELECT b.rowid AS rid, {cols} "
                f"FROM {_base(table)} AS b WHERE b.uh IN (SELECT user_hash(user_id) FROM "
                f"(SELECT user_id FROM ({users_sql}) EXCEPT SELECT user_id FROM {_ov(_GONE[table])}))")
    return True


def shown_rows(table: str, users_sql: str) -> str:
    """After :func:`base_rows` of the same users: a SELECT of the rows the delta's view of
    ``table`` shows of them, exactly (the columns of ``BASE_ROWS_COLS``): their base rows
    not hidden yet -- without the rows of other users who share a uh, nor those of users an
    earlier upload replaced, whose base rows the view hides -- and the delta's own."""
    cols = ", ".join(ident(c, BASE_ROWS_COLS[table]) for c in BASE_ROWS_COLS[table])
    return (f"SELECT {cols} FROM {BASE_ROWS} WHERE user_id IN ({users_sql}) "
            f"AND user_id NOT IN (SELECT user_id FROM {_ov(_GONE[table])}) "
            f"UNION ALL SELECT {cols} FROM {_ov(table)} WHERE user_id IN ({users_sql})")


def replace_users(cur: duckdb.DuckDBPyConnection, table: str, users_sql: str,
                  from_base_rows: bool = False, by_hash: bool = False) -> None:
    """In a delta, before ``table``'s rows of the users ``users_sql`` selects are
    re-derived: hide those users' base rows (add them to ``ov.<table>__gone``, and for a
    table of ROWS_GONE their base rows' rowids to ``ov.<table>__gone_rows``).
    ``from_base_rows``: :func:`base_rows` has extracted them for the same users (and the
    table's gone users have not changed since), so their rowids are taken from there.
    ``by_hash``: every user who shares a uh with one of those users is among them (the
    refresh's scope is closed so: refresh._SCOPE_LOGS) and the base table carries ``uh``
    (:func:`base_tables_with_uh`), so the rowids are found by uh alone -- an integer
    column, where user_id is a dictionary-compressed string decoded for every row (10x:
    ~210 -> ~40 ms for the four tables an upload does not read otherwise)."""
    gone = _ov(_GONE[table])
    cur.execute(f"CREATE OR REPLACE TEMP TABLE _ov_new_gone AS SELECT user_id FROM ({users_sql}) "
                f"EXCEPT SELECT user_id FROM {gone}")
    cur.execute(f"INSERT INTO {gone} SELECT user_id FROM _ov_new_gone")
    if _has_rows_gone(cur, table):
        rows = _ov(_GONE_ROWS[table])
        if from_base_rows:
            cur.execute(f"INSERT INTO {rows} SELECT b.rid FROM {BASE_ROWS} AS b "
                        "WHERE b.user_id IN (SELECT user_id FROM _ov_new_gone)")
        elif by_hash:
            # a user replaced by an earlier upload may share a uh with a new one: that user's
            # base rows are hidden already, and are not listed twice
            cur.execute(f"INSERT INTO {rows} WITH f AS MATERIALIZED ("
                        f"SELECT b.rowid AS rid FROM {_base(table)} AS b "
                        "WHERE b.uh IN (SELECT user_hash(user_id) FROM _ov_new_gone)) "
                        f"SELECT rid FROM f WHERE rid NOT IN (SELECT rid FROM {rows})")
        else:
            cur.execute(f"INSERT INTO {rows} SELECT b.rowid FROM {_base(table)} AS b "
                        "WHERE b.user_id IN (SELECT user_id FROM _ov_new_gone)")
    cur.execute("DROP TABLE _ov_new_gone")


def base_tables_with_uh(cur: duckdb.DuckDBPyConnection) -> frozenset[str]:
    """The base's tables that carry ``uh`` (a base written by an older release may not):
    read once per refresh, where each replace_users asked the catalog (~15 ms an upload)."""
    return frozenset(r[0] for r in cur.execute(
        "SELECT table_name FROM duckdb_columns() WHERE database_name = $a AND schema_name = 'main' "
        "AND column_name = 'uh'", {"a": ALIAS}).fetchall())


def _view_sql(table: str) -> str:
    if table in APPEND:
        return f"SELECT * FROM {_base(table)} UNION ALL SELECT * FROM {_ov(table)}"
    if table in ROWS_GONE:
        # NOT IN rather than NOT EXISTS (rid is never NULL: the same rows): at 10x the Sales
        # page's queries 5 % faster with it, the others the same
        return (f"SELECT * FROM {_base(table)} AS b WHERE b.rowid NOT IN "
                f"(SELECT rid FROM {_ov(_GONE_ROWS[table])}) "
                f"UNION ALL SELECT * FROM {_ov(table)}")
    return (f"SELECT * FROM {_base(table)} AS b WHERE NOT EXISTS "
            f"(SELECT 1 FROM {_ov(_GONE[table])} AS g WHERE g.user_id = b.user_id) "
            f"UNION ALL SELECT * FROM {_ov(table)}")


def _take_sequences(con: duckdb.DuckDBPyConnection, source: str) -> None:
    """(Re)define the connection's own sequences where the attached database ``source``'s
    stand: each continues with the value ``source`` would give next."""
    for name, start in con.execute(
            "SELECT sequence_name, coalesce(last_value + increment_by, start_value) "
            "FROM duckdb_sequences() WHERE database_name = $d", {"d": source}).fetchall():
        con.execute(f"CREATE OR REPLACE SEQUENCE main.{ident(name, (name,))} START {int(start)}")


def create(path: Path, base: Path, macros: list[str]) -> None:
    """Write a new, empty delta at ``path`` on the standalone store ``base``: the small
    tables copied whole, the large ones as views over the base and empty ``ov`` tables,
    the sequences where the base's stand, ``macros`` (the models' and limits' CREATE
    MACRO statements) run again."""
    con = duckdb.connect(str(path))
    try:
        con.execute(f"ATTACH $p AS {ALIAS} (READ_ONLY)", {"p": str(base)})
        con.execute("BEGIN TRANSACTION")
        con.execute(f"CREATE SCHEMA {SCHEMA}")
        _take_sequences(con, ALIAS)
        tables = con.execute("SELECT table_name, sql FROM duckdb_tables() WHERE database_name = $a "
                             "AND schema_name = 'main' ORDER BY table_name", {"a": ALIAS}).fetchall()
        for name, ddl in tables:
            if name in OVERLAID:
                con.execute(f"CREATE TABLE {_ov(name)} AS SELECT * FROM {_base(name)} LIMIT 0")
                if name in _GONE:
                    con.execute(f"CREATE TABLE {_ov(_GONE[name])} (user_id VARCHAR)")
                if name in _GONE_ROWS:
                    con.execute(f"CREATE TABLE {_ov(_GONE_ROWS[name])} (rid BIGINT)")
                con.execute(f"CREATE VIEW {_q(name)} AS {_view_sql(name)}")
            else:
                q = ident(name, (name,))
                con.execute(ddl)  # the base's own DDL (constraints included)
                con.execute(f"INSERT INTO {q} SELECT * FROM {ALIAS}.main.{q}")
        for sql in macros:
            con.execute(sql)
        con.execute("INSERT OR REPLACE INTO meta VALUES ($k, $v)", {"k": META_KEY, "v": base.name})
        con.execute("COMMIT")
        con.execute("CHECKPOINT")
    finally:
        con.close()


_DDL_HEAD = re.compile(r'^CREATE TABLE ("?)(\w+)\1\(')


def _create_like_base(cur: duckdb.DuckDBPyConnection, table: str, name: str) -> None:
    """Create the empty table ``name`` as the base declares ``table``: its columns with
    their types, constraints and storage (a column's ``USING COMPRESSION``, such as the
    logs' user_id: contentroi/store.py, migration 7), which a ``CREATE TABLE AS`` would
    drop. A declaration of another form falls back to the base's column types."""
    ddl = cur.execute("SELECT sql FROM duckdb_tables() WHERE database_name = $a AND schema_name = 'main' "
                      "AND table_name = $t", {"a": ALIAS, "t": table}).fetchone()
    m = _DDL_HEAD.match(ddl[0]) if ddl else None
    if m and m.group(2) == table:
        cur.execute(f"CREATE TABLE {_q(name)}(" + ddl[0][m.end():])
    else:
        cur.execute(f"CREATE TABLE {_q(name)} AS SELECT * FROM {_base(table)} LIMIT 0")


def flatten(cur: duckdb.DuckDBPyConnection, derived: bool = True) -> bool:
    """Make the cursor's delta a standalone store, in place (in the caller's transaction):
    every view becomes a table of its rows, ``ov`` and the base name go. ``derived=False``
    leaves the derived tables empty (a full rebuild follows). False: already standalone."""
    if not is_delta(cur):
        return False
    present = [t for (t,) in cur.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
        "AND schema_name = $s", {"s": SCHEMA}).fetchall() if t in OVERLAID]
    for t in present:
        _create_like_base(cur, t, t + "__flat")
        if derived or t in APPEND:
            cur.execute(f"INSERT INTO {_q(t + '__flat')} SELECT * FROM {_q(t)}")
    for t in present:
        cur.execute(f"DROP VIEW {_q(t)}")
        cur.execute(f"ALTER TABLE {_q(t + '__flat')} RENAME TO {_q(t)}")
    for t in RETIRED:
        cur.execute(f"DROP VIEW IF EXISTS {ident(t, RETIRED)}")
    cur.execute(f"DROP SCHEMA {SCHEMA} CASCADE")
    cur.execute("DELETE FROM meta WHERE key = $k", {"k": META_KEY})
    return True


def share(cur: duckdb.DuckDBPyConnection) -> tuple[int, float]:
    """A delta's own rows of the large tables (added rows and replaced users) and their
    share of the base's rows of the same tables (0, 0.0 for a standalone store). The
    replaced rows' rowids (``__gone_rows``) are not counted: they say again which users
    were replaced, and counting them would compact sooner than before them."""
    if not is_delta(cur):
        return 0, 0.0
    mine, theirs = cur.execute(
        "SELECT sum(estimated_size) FILTER (WHERE database_name = current_database()), "
        "       sum(estimated_size) FILTER (WHERE database_name = $a) "
        "FROM duckdb_tables() WHERE (database_name = current_database() AND schema_name = $s "
        "                            AND NOT list_contains($r, table_name)) "
        "   OR (database_name = $a AND schema_name = 'main' AND list_contains($t, table_name))",
        {"a": ALIAS, "s": SCHEMA, "t": list(OVERLAID), "r": list(_GONE_ROWS.values())}).fetchone()
    mine = int(mine or 0)
    return mine, mine / max(int(theirs or 0), 1)


def compact(delta: Path, base: Path, out: Path) -> None:
    """Write the standalone store ``out`` holding what the delta ``delta`` (on ``base``)
    shows: a copy of the base file with the delta applied (its users' rows replaced, its
    rows appended, its small tables, sequences and meta taken). Same content as
    :func:`flatten` of the delta, for the price of a file copy and the delta's rows."""
    shutil.copyfile(base, out)
    con = duckdb.connect(str(out))
    try:
        con.execute(f"ATTACH $p AS {DELTA_ALIAS} (READ_ONLY)", {"p": str(delta)})
        con.execute("BEGIN TRANSACTION")
        d = DELTA_ALIAS
        ov = {t for (t,) in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = $d AND schema_name = $s",
            {"d": d, "s": SCHEMA}).fetchall()}
        for t in OVERLAID:
            if t not in ov:
                continue
            q = _q(t)
            if t in _GONE:
                con.execute(f"DELETE FROM main.{q} WHERE user_id IN "
                            f"(SELECT user_id FROM {d}.{SCHEMA}.{_q(_GONE[t])})")
            con.execute(f"INSERT INTO main.{q} SELECT * FROM {d}.{SCHEMA}.{q}")
        mine = con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = $d "
                           "AND schema_name = 'main' ORDER BY table_name", {"d": d}).fetchall()
        have = {t for (t,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE "
                                          "database_name = current_database() AND schema_name = 'main'").fetchall()}
        for (t,) in mine:  # the small tables: the delta's whole
            q = ident(t, (t,))
            if t in have:
                con.execute(f"DELETE FROM main.{q}")
                con.execute(f"INSERT INTO main.{q} BY NAME SELECT * FROM {d}.main.{q}")
            else:
                con.execute(f"CREATE TABLE main.{q} AS SELECT * FROM {d}.main.{q}")
        _take_sequences(con, d)
        con.execute("DELETE FROM meta WHERE key = $k", {"k": META_KEY})
        con.execute("COMMIT")
        con.execute(f"DETACH {DELTA_ALIAS}")
        con.execute("CHECKPOINT")
    finally:
        con.close()
