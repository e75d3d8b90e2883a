"""The derived models: a full rebuild, or an incremental refresh keyed by user.

``queries/models/*.sql`` are the one definition of every derived table: each is
a ``CREATE OR REPLACE TABLE name AS SELECT ...`` (or ``INSERT INTO name SELECT ...``
after the file's own ``CREATE TABLE IF NOT EXISTS name``) whose inputs are filtered by
three scope macros,

    inc_user(user_id)                   the users being re-derived
    inc_user_hash(uh)                   their rows, by uh = user_hash(user_id): every user
                                        who shares a uh with one of them is one of them
                                        (the scope is widened so: _SCOPE_LOGS)
    inc_article_changed(article_id)     the articles whose channel or publish time changed

and table macros, for reading a user-keyed table of :data:`KEYED` that an earlier
statement of the same refresh has already re-derived,

    inc_rows('table')                   that table's rows of the users being re-derived
    inc_before('table')                 ... and as they were before this refresh (for a table
                                        of :data:`BEFORE`; a full rebuild: no rows), so that
                                        a sum over the table is updated by subtracting them
                                        and adding theirs now, not summed again

and, for the two logs, the rows of the users being re-derived (read from the logs once per
refresh, where four statements scanned the logs for them: 10x, 2.9 s -> 1.5 s)

    inc_log('joins'), inc_log('sales')

A **full rebuild** defines the scope macros as ``true`` (``inc_rows`` and ``inc_log`` as the
whole table) and runs the files as written.

An **incremental refresh** finds what changed since the last refresh:

* joins and sales rows of the uploads after the last one the models cover
  (meta ``models_upload``; every row carries its ``upload_id``);
* articles whose (article_id, channel, published_at) -- all the derived tables
  take from the articles log -- differ from ``stg_articles``, the copy the last
  refresh saw: a new, changed or removed article changes which join rows are
  touches, and with them the payments' eligible touches;

and re-derives only the users those rows concern: the users of the new join
and sales rows, the users with a join row on a changed article, and the owners
of the payments a new refund nets (refunds match payments by ``order_id``,
whoever's row the refund is). Every table of :data:`KEYED` is then updated by
deleting the rows of its scope and inserting the same SELECT restricted to it:
the user-keyed facts (each user's rows depend on that user's rows of the logs
and on the articles only). The aggregates over them -- the articles' funnel lists
and the day counts (fct_article_funnel, agg_user_days, agg_user_lags), the Sales page's
lag counts (agg_sales_lags), the digest's cut counts (agg_user_cuts), the markov counts and
the cohorts' sums -- are kept by their models themselves: minus the re-derived users' rows
before (for the first five inc_before), plus theirs now (inc_rows); agg_sales_lags and
agg_user_cuts append that difference as rows of their own (:data:`JOURNALS`), which
:func:`compact_journals` folds now and then. Anything else the files create (temp tables,
macros, tables not in :data:`KEYED`) runs as written, so a table nobody registered here is still
correct, only rebuilt whole. The result is the same as a full rebuild's, table
by table (tests/test_refresh.py checks that on random worlds and uploads).

Ids that other rows refer to are stable under such partial updates: a touch's
``touch_id`` is its join row's ``row_id`` and a payment's ``payment_id`` its
sales row's ``row_id`` (assigned once, when the row is stored); a multi-article
user's ``mkey`` is the user's smallest touch_id.

A refresh is full when the models were never built (or their SQL changed), and
when the change is large (more than :data:`FULL_SHARE` of the rows), where
rebuilding is cheaper than deleting and re-inserting.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Iterable

import duckdb

from . import overlay
from .paths import MODELS_DIR
from .sql import ident  # table names written into SQL: allow-listed and quoted

# Derived tables keyed by user, updated in place: the re-derived users' rows deleted and
# theirs inserted again.
KEYED = (
    "stg_touches",
    "stg_first_touch",
    "stg_contacts",
    "stg_payments",
    "fct_user_article",
    "fct_payment_touch",
    "fct_touch_weights",
    "fct_sales_contact",
    "fct_sales_payment",
    "dq_user",  # the Data page's per-user findings (45_data_quality.sql)
    "mk_user_events",  # the markov chain's per-user parts (17_mk_chain.sql)
    "mk_user_cpaths",
    "fct_cohort_pay",  # the cohorts' per-user payments (50_cohorts.sql)
)
_DELETE = "DELETE FROM {t} WHERE user_id IN (SELECT user_id FROM _inc_users)"
# A change touching more than this share of the logs' rows is rebuilt in full.
FULL_SHARE = 0.2

_FULL_MACROS = (
    "CREATE OR REPLACE TEMP MACRO inc_full() AS true",
    "CREATE OR REPLACE TEMP MACRO inc_user(u_) AS true",
    "CREATE OR REPLACE TEMP MACRO inc_user_hash(h_) AS true",
    "CREATE OR REPLACE TEMP MACRO inc_article_changed(a_) AS true",
    "CREATE OR REPLACE TEMP MACRO inc_rows(t_) AS TABLE SELECT * FROM query_table(t_)",
    "CREATE OR REPLACE TEMP MACRO inc_before(t_) AS TABLE SELECT * FROM query_table(t_) LIMIT 0",
    "CREATE OR REPLACE TEMP MACRO inc_log(t_) AS TABLE SELECT * EXCLUDE (extra, upload_id, uh) FROM query_table(t_)",
)
_SCOPED_MACROS = (
    "CREATE OR REPLACE TEMP MACRO inc_full() AS false",
    "CREATE OR REPLACE TEMP MACRO inc_user(u_) AS u_ IN (SELECT user_id FROM _inc_users)",
    # the users' rows, and perhaps a few others', of a table with uh = user_hash(user_id):
    # by an integer, not by reading every row's user_id (10_stg_touches.sql)
    "CREATE OR REPLACE TEMP MACRO inc_user_hash(h_) AS h_ IN (SELECT uh FROM _inc_users)",
    # the articles whose (article_id, channel, published_at) differ from stg_articles'
    "CREATE OR REPLACE TEMP MACRO inc_article_changed(a_) AS a_ IN (SELECT article_id FROM _inc_changed)",
    "CREATE OR REPLACE TEMP MACRO inc_before(t_) AS TABLE SELECT * FROM query_table('_inc_before_' || t_)",
    "CREATE OR REPLACE TEMP MACRO inc_log(t_) AS TABLE SELECT * FROM query_table('_inc_' || t_)",
)
# inc_log's tables: the scope's rows of the two logs, each log scanned once, first of all
# the scope's reads; without the columns no model reads (the file's other columns, the
# upload): 10x, 1.24 -> 1.11 s. Found by uh (as inc_user_hash: 10_stg_touches.sql) -- and
# then, rather than narrowed to the scope's users, they widen the scope: a user who shares a
# uh with one of its users joins it (re-deriving any user is exact; at 10x a scope of 1,500
# users drawn at random gained 4-7). Every user with rows in a derived
# table has rows in the logs (or is in the scope already: extra_users), so from here on the
# scope's uh select exactly the scope's rows of any table that carries uh, and the replaced
# rows of a delta's tables are found by uh alone, without reading a string
# (overlay.replace_users, by_hash).
_SCOPE_LOGS = (
    "CREATE OR REPLACE TEMP TABLE _inc_joins AS "
    "SELECT * EXCLUDE (extra, upload_id, uh) FROM joins WHERE uh IN (SELECT uh FROM _inc_users)",
    "CREATE OR REPLACE TEMP TABLE _inc_sales AS "
    "SELECT * EXCLUDE (extra, upload_id, uh) FROM sales WHERE uh IN (SELECT uh FROM _inc_users)",
    "INSERT INTO _inc_users SELECT user_id, user_hash(user_id) FROM "
    "(SELECT user_id FROM _inc_joins UNION SELECT user_id FROM _inc_sales) "
    "WHERE user_id NOT IN (SELECT user_id FROM _inc_users)",
)
# inc_rows: the re-derived users' rows of a table this refresh has re-derived already. In
# a delta those are all among the delta's own rows (ov.<table>: their base rows hidden,
# theirs inserted there), so the statement reads that small table and not the base's
# millions of rows (tests/test_refresh.py checks the models use it only so).
_ROWS_MACRO = {
    False: "CREATE OR REPLACE TEMP MACRO inc_rows(t_) AS TABLE "
           "SELECT * FROM query_table(t_) WHERE user_id IN (SELECT user_id FROM _inc_users)",
    True: "CREATE OR REPLACE TEMP MACRO inc_rows(t_) AS TABLE "
          f"SELECT * FROM query_table('{overlay.SCHEMA}.' || t_) "
          "WHERE user_id IN (SELECT user_id FROM _inc_users)",
}
# statements naming tables: built from these fixed lists (names allow-listed, quoted)
_ROW_ID_SQL = {t: "UPDATE {target} SET row_id = nextval('" + t + "_row_seq') WHERE row_id IS NULL"
               for t in ("joins", "sales")}
_USER_HASH_SQL = {t: "UPDATE {target} SET uh = user_hash(user_id) WHERE uh IS NULL" for t in ("joins", "sales")}
_MACRO_RE = re.compile(r"^\s*CREATE\s+(OR\s+REPLACE\s+)?MACRO\s", re.I)
_SCOPE_TABLES = ("_inc_users", "_inc_changed", "_inc_before_fct_user_article",
                 "_inc_before_fct_sales_contact", "_inc_before_fct_sales_payment",
                 "_inc_joins", "_inc_sales", overlay.BASE_ROWS)
# A model writes a table's rows as "CREATE OR REPLACE TABLE t AS <select>", or, for a table
# it declares itself first ("CREATE TABLE IF NOT EXISTS t (...)": a column's storage, such
# as USING COMPRESSION, which a CREATE TABLE AS cannot say), as "INSERT INTO t <select>".
# For a table of KEYED the refresh then inserts <select>'s rows of the re-derived users.
_CREATE_RE = re.compile(r"^\s*(?:CREATE\s+OR\s+REPLACE\s+TABLE\s+(\w+)\s+AS|INSERT\s+INTO\s+(\w+))\s", re.I)


def written_table(sql: str) -> tuple[str, str] | None:
    """(table, select) of a statement that writes a table's rows in either form above."""
    m = _CREATE_RE.match(sql)
    return ((m.group(1) or m.group(2)).lower(), sql[m.end():]) if m else None


_COMMENT_RE = re.compile(r"--[^\n]*")


def model_files() -> list[Path]:
    return sorted(MODELS_DIR.glob("*.sql"))


def statements(path: Path) -> list[str]:
    """The file's statements, split by DuckDB's parser (kept while the file is unchanged:
    splitting all model files costs ~65 ms, paid on every refresh otherwise)."""
    st = path.stat()
    return list(_split(str(path), st.st_mtime_ns, st.st_size))


@functools.lru_cache(maxsize=128)
def _split(path: str, _mtime_ns: int, _size: int) -> tuple[str, ...]:
    text = _COMMENT_RE.sub("", Path(path).read_text(encoding="utf-8"))
    return tuple(s.query for s in duckdb.extract_statements(text))


def _one(cur, sql: str, params: dict | None = None):
    return cur.execute(sql, params or {}).fetchone()[0]


def macro_statements() -> list[str]:
    """The models' persistent macros (CREATE MACRO statements of queries/models/*.sql,
    in file order): what a new delta snapshot defines again (contentroi/overlay.py)."""
    return [sql for p in model_files() for sql in statements(p) if _MACRO_RE.match(sql)]


_TABLE_RE = re.compile(r"^\s*CREATE\s+(?:OR\s+REPLACE\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)", re.I)


def derived_tables(cur) -> list[str]:
    """The derived tables (those queries/models/*.sql create, not TEMP) the cursor's
    database holds: what a full rebuild makes again from the logs."""
    names = {m.group(1) for p in model_files() for sql in statements(p) if (m := _TABLE_RE.match(sql))}
    have = {r[0] for r in cur.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
        "AND schema_name = 'main' AND NOT temporary").fetchall()}
    return sorted(names & have)


def drop_derived_tables(cur) -> None:
    """Drop the derived tables the cursor's database holds (before a full rebuild)."""
    names = derived_tables(cur)
    for t in names:
        cur.execute(f"DROP TABLE IF EXISTS {ident(t, names)}")


def _has_models(cur) -> bool:
    # a delta's fct_user_article is a view over its base (contentroi/overlay.py)
    return _one(cur, "SELECT count(*) FROM (SELECT table_name FROM duckdb_tables() "
                     "WHERE database_name = current_database() AND schema_name = 'main' "
                     "UNION ALL SELECT view_name FROM duckdb_views() "
                     "WHERE database_name = current_database() AND schema_name = 'main') "
                     "WHERE table_name IN ('stg_articles', 'fct_user_article')") == 2


def assign_row_ids(cur) -> None:
    """Give join and sales rows stored without a row_id one (rows the ingestion
    stores have one; rows written straight into the logs, as tests do, may not)."""
    for t, sql in _ROW_ID_SQL.items():
        cur.execute(sql.format(target=overlay.target(cur, t)))


def assign_user_hashes(cur) -> None:
    """Give join and sales rows without a uh theirs: rows written straight into the logs
    (the ingestion stores each row's uh as it inserts it; tests write some without), and
    every row of a store that has just gained the column (schema 6)."""
    for t, sql in _USER_HASH_SQL.items():
        cur.execute(sql.format(target=overlay.target(cur, t)))


def _last_upload(cur) -> int | None:
    row = cur.execute("SELECT value FROM meta WHERE key = 'models_upload'").fetchone()
    return int(row[0]) if row and row[0] is not None else None


def _mark_done(cur) -> None:
    cur.execute("""INSERT OR REPLACE INTO meta
                   SELECT 'models_upload', CAST(coalesce(max(upload_id), 0) AS VARCHAR) FROM uploads""")


def full(cur) -> None:
    """Rebuild every derived model from the logs (a delta snapshot is flattened first:
    contentroi/overlay.py)."""
    overlay.flatten(cur, derived=False)
    assign_row_ids(cur)
    # from nothing: a table the models declare (CREATE TABLE IF NOT EXISTS) and keep summing
    # takes the shape the models give it now, not the one an older release left
    drop_derived_tables(cur)
    for m in _FULL_MACROS:
        cur.execute(m)
    for p in model_files():
        for sql in statements(p):
            cur.execute(sql)
    assign_user_hashes(cur)  # user_hash is the models' (10_stg_touches.sql), defined above
    _set_journal_rows(cur)  # (one row per group: the rebuild summed every row once)
    _mark_done(cur)


# The aggregates a load appends its changes to as rows of their own (agg_sales_lags,
# 16_fct_user_sales.sql; agg_user_cuts, 14_fct_user_article.sql): their readers sum them.
# Once one holds JOURNAL_SLACK more rows than when it last had one per group (meta
# "<table>_rows"), a load folds it back (its macro: one row per group): at 10x a load adds
# ~7k rows to agg_sales_lags' ~1.1 M, so about one load in forty spends ~0.5 s more, where
# every load's MERGE and commit spent ~100 ms more than the append. Table -> (the macro that
# sums it, the columns it is stored in order of).
JOURNALS = {"agg_sales_lags": ("sales_lags_summed", ("channel", "pub_day", "k", "lag")),
            "agg_user_cuts": ("user_cuts_summed", ("channel", "t0_day"))}
JOURNAL_SLACK = 0.25
_JOURNAL_NAMES = frozenset(JOURNALS) | {m for m, _ in JOURNALS.values()} | {c for _, o in JOURNALS.values() for c in o}


def journal_meta(table: str) -> str:
    """The meta key of a journal table's row count when it last had one row per group."""
    if table not in JOURNALS:
        raise KeyError(table)
    return table + "_rows"


def _set_journal_rows(cur, tables: Iterable[str] = tuple(JOURNALS)) -> None:
    for t in tables:
        cur.execute(f"INSERT OR REPLACE INTO meta SELECT $k, CAST(count(*) AS VARCHAR) FROM {ident(t, JOURNALS)}",
                    {"k": journal_meta(t)})


def compact_journals(cur, force: bool = False) -> list[str]:
    """Fold each table of JOURNALS into one row per group when it has grown by JOURNAL_SLACK
    since it last was (or ``force``); returns the tables it folded."""
    folded = []
    for t, (summed, order) in JOURNALS.items():
        table = ident(t, JOURNALS)
        n, base = cur.execute(f"SELECT (SELECT count(*) FROM {table}), "
                              "(SELECT CAST(value AS BIGINT) FROM meta WHERE key = $k)",
                              {"k": journal_meta(t)}).fetchone()
        if not force and base is not None and n <= (1 + JOURNAL_SLACK) * max(base, 1):
            continue
        cur.execute(f"CREATE OR REPLACE TEMP TABLE _journal_summed AS SELECT * FROM {ident(summed, _JOURNAL_NAMES)}()")
        cur.execute(f"DELETE FROM {table}")
        cur.execute(f"INSERT INTO {table} SELECT * FROM _journal_summed ORDER BY "
                    + ", ".join(ident(c, _JOURNAL_NAMES) for c in order))
        cur.execute("DROP TABLE _journal_summed")
        _set_journal_rows(cur, (t,))
        folded.append(t)
    return folded


def _scope_users(cur, last: int, extra_users: Iterable[str]) -> int:
    """Fill _inc_users (and _inc_changed, the changed articles); returns the number
    of log rows the change concerns."""
    p = {"last": last}
    # An article row is stored (new, or changed: deleted and stored again) with its upload's
    # id, and is deleted only by clear / remove sample, which rebuild in full. With no article
    # row after the last refresh's uploads and as many articles as stg_articles holds, none
    # changed, and the two 200k-row sides (10x) are not compared (~35 ms).
    if _one(cur, "SELECT count(*) FILTER (WHERE upload_id IS NULL OR upload_id > $last) = 0 "
                 "AND count(*) = (SELECT count(*) FROM stg_articles) FROM articles", p):
        cur.execute("CREATE OR REPLACE TEMP TABLE _inc_changed (article_id VARCHAR)")
    else:
        cur.execute("""CREATE OR REPLACE TEMP TABLE _inc_changed AS
            SELECT DISTINCT article_id FROM (
                (SELECT article_id, channel, published_at FROM articles
                 EXCEPT SELECT article_id, channel, published_at FROM stg_articles)
                UNION ALL
                (SELECT article_id, channel, published_at FROM stg_articles
                 EXCEPT SELECT article_id, channel, published_at FROM articles))""")
    cur.execute("CREATE OR REPLACE TEMP TABLE _inc_new_sales AS "
                "SELECT user_id, event, order_id FROM sales WHERE upload_id > $last", p)
    cur.execute("CREATE OR REPLACE TEMP TABLE _inc_u (user_id VARCHAR)")
    cur.execute("INSERT INTO _inc_u SELECT user_id FROM joins WHERE upload_id > $last", p)
    n_rows = _one(cur, "SELECT count(*) FROM _inc_u")
    cur.execute("INSERT INTO _inc_u SELECT user_id FROM _inc_new_sales")
    cur.execute("""INSERT INTO _inc_u SELECT user_id FROM sales
                   WHERE event = 'payment' AND order_id IN (
                       SELECT order_id FROM _inc_new_sales WHERE event = 'refund' AND order_id IS NOT NULL)""")
    n_rows += _one(cur, "SELECT count(*) FROM _inc_new_sales")
    if _one(cur, "SELECT count(*) FROM _inc_changed"):
        n0 = _one(cur, "SELECT count(*) FROM _inc_u")
        cur.execute("INSERT INTO _inc_u SELECT user_id FROM joins "
                    "WHERE article_id IN (SELECT article_id FROM _inc_changed)")
        n_rows += _one(cur, "SELECT count(*) FROM _inc_u") - n0
    extra = sorted(set(extra_users))
    if extra:
        cur.execute("INSERT INTO _inc_u SELECT unnest($u)", {"u": extra})
        n_rows += len(extra)
    cur.execute("CREATE OR REPLACE TEMP TABLE _inc_users AS "
                "SELECT user_id, user_hash(user_id) AS uh FROM (SELECT DISTINCT user_id FROM _inc_u)")
    cur.execute("DROP TABLE _inc_u")
    cur.execute("DROP TABLE _inc_new_sales")
    return int(n_rows)


# The re-derived users' rows before this refresh (inc_before), with the columns the models
# subtract: of fct_user_article (14_fct_user_article.sql: the funnel lists, the day counts) --
# found by uh (in a delta: overlay.base_rows, then overlay.shown_rows) -- and of the Sales
# page's two tables, the single-row (NOT multi) ones agg_sales_lags counts
# (16_fct_user_sales.sql), found by uh.
BEFORE = {
    "fct_user_article": overlay.BASE_ROWS_COLS["fct_user_article"],
    "fct_sales_contact": ("rep", "channel", "pub_day", "multi", "off_us", "ev_week", "first_any",
                          "first_contact", "first_rep", "pay_us", "pay_week", "c_lags"),
    "fct_sales_payment": ("rep", "channel", "pub_day", "multi", "off_us", "ev_week", "first_any",
                          "first_rep", "amount", "refunded", "net_amount"),
}
_USERS = "SELECT user_id FROM _inc_users"
_BEFORE_UA = "_inc_before_fct_user_article"
_BEFORE_SCAN = (
    f"CREATE OR REPLACE TEMP TABLE {_BEFORE_UA} AS SELECT "
    + ", ".join(ident(c, BEFORE["fct_user_article"]) for c in BEFORE["fct_user_article"])
    + " FROM fct_user_article WHERE uh IN (SELECT uh FROM _inc_users)",
)
_BEFORE_SALES_SCAN = tuple(
    f"CREATE OR REPLACE TEMP TABLE {ident('_inc_before_' + t, _SCOPE_TABLES)} AS SELECT "
    + ", ".join(ident(c, BEFORE[t]) for c in BEFORE[t])
    + f" FROM {ident(t, BEFORE)} WHERE uh IN (SELECT uh FROM _inc_users) AND NOT multi"
    for t in ("fct_sales_contact", "fct_sales_payment"))


def _channels_changed(cur) -> bool:
    """Whether the articles' set of channels differs from the last refresh's: the markov
    chain's transition codes (17_mk_chain.sql) number the channels, so a new channel
    re-codes every kept pattern count and the models are rebuilt in full."""
    return not _one(cur, """SELECT (SELECT list(DISTINCT channel ORDER BY channel) FROM articles)
                                   IS NOT DISTINCT FROM
                                   (SELECT list(DISTINCT channel ORDER BY channel) FROM stg_articles)""")


# A scoped refresh's DuckDB memory_limit: SCOPED_MEMORY_MB, plus SCOPED_BYTES_PER_USER for
# each re-derived user, at most the process's limit (store.resource_settings). The refresh
# reads its users' rows out of nearly every block of the large tables (the users of a day
# fall in every block); under a limit of 3 GB DuckDB keeps every block it has read, so an
# upload at 10x faulted in ~2.7 GB of fresh memory (~1.7 s of system CPU) and freed it when
# the writer closed. Under a small limit it reads the same blocks through a pool it reuses:
# 10x, one upload 3.2 -> 2.8 s, peak RSS 2.75 -> 0.65 GB (docs/ARCHITECTURE.md, "Memory").
# What the scope itself needs grows with its users (a full rebuild of the 1x world, 1.7 M
# users, peaks near 2 GB: ~1.2 KB a user); at 10x a 1,000-row upload ran within 128 MB.
SCOPED_MEMORY_MB = 512
SCOPED_BYTES_PER_USER = 2048


def scoped_memory(n_users: int, limit: int) -> int:
    """The memory_limit (bytes) of a scoped refresh of ``n_users`` users, under the
    process's ``limit`` (bytes)."""
    return min(limit, (SCOPED_MEMORY_MB << 20) + SCOPED_BYTES_PER_USER * n_users)


def _set_memory(cur, limit: int) -> bool:
    try:
        cur.execute("SET memory_limit = $m", {"m": f"{int(limit)}B"})
        return True
    except duckdb.Error:  # e.g. more than the new limit pinned: the refresh runs as it is
        return False


def incremental(cur, extra_users: Iterable[str] = (), memory_limit: int | None = None) -> str:
    """Bring the derived models up to date with the logs; returns what it did:
    'full', 'incremental' or 'none' (nothing the models depend on changed).
    ``memory_limit``: the process's memory_limit in bytes; a scoped refresh runs under
    :func:`scoped_memory` of it, and sets it back afterwards."""
    last = _last_upload(cur)
    if last is None or not _has_models(cur):
        full(cur)
        return "full"
    total = sum(overlay.row_count(cur, t) for t in overlay.APPEND)
    # The new rows alone (a first load: all of them) already call for a full rebuild:
    # then the scope tables are not built at all.
    new_rows = _one(cur, "SELECT (SELECT count(*) FROM joins WHERE upload_id > $last) + "
                         "(SELECT count(*) FROM sales WHERE upload_id > $last)", {"last": last})
    if new_rows > FULL_SHARE * max(total, 1):
        full(cur)
        return "full"
    n_rows = _scope_users(cur, last, extra_users)
    lowered = False
    try:
        changed = _one(cur, "SELECT count(*) FROM _inc_changed")  # (no changed article: no new channel)
        if n_rows > FULL_SHARE * max(total, 1) or (changed and _channels_changed(cur)):
            full(cur)
            return "full"
        assign_row_ids(cur)
        n_users = _one(cur, "SELECT count(*) FROM _inc_users")
        if not n_users and not changed:
            _mark_done(cur)  # (stg_articles is the articles' copy already: none changed)
            return "none"
        if memory_limit:
            lowered = _set_memory(cur, scoped_memory(n_users, memory_limit))
        assign_user_hashes(cur)
        for sql in _SCOPE_LOGS:
            cur.execute(sql)
        ua_base = overlay.base_rows(cur, "fct_user_article", _USERS)
        before = ((f"CREATE OR REPLACE TEMP TABLE {_BEFORE_UA} AS "
                   + overlay.shown_rows("fct_user_article", _USERS),) if ua_base else _BEFORE_SCAN)
        for sql in (*before, *_BEFORE_SALES_SCAN):
            cur.execute(sql)
        delta = overlay.is_delta(cur)
        hashed = overlay.base_tables_with_uh(cur) if delta else frozenset()
        for m in (*_SCOPED_MACROS, _ROWS_MACRO[delta]):
            cur.execute(m)
        for p in model_files():
            for sql in statements(p):
                w = written_table(sql)
                if w is None or w[0] not in KEYED:
                    cur.execute(sql)
                    continue
                name, select = w
                if delta:  # its users' base rows hidden, its delta rows replaced
                    overlay.replace_users(cur, name, "SELECT user_id FROM _inc_users",
                                          from_base_rows=ua_base and name == "fct_user_article",
                                          by_hash=name in hashed)
                table = overlay.target(cur, name, delta)  # a registered model table, quoted
                cur.execute(_DELETE.format(t=table))
                cur.execute(f"INSERT INTO {table} " + select)
        compact_journals(cur)
        _mark_done(cur)
        return "incremental"
    finally:
        if lowered:
            _set_memory(cur, memory_limit)
        for m in _FULL_MACROS:
            cur.execute(m)
        for t in _SCOPE_TABLES:
            cur.execute(f"DROP TABLE IF EXISTS {ident(t, _SCOPE_TABLES)}")
