"""The store: the one module that opens the DuckDB database.

Everything that reads or writes data goes through a :class:`Store` (one DuckDB
database). Pages and the CLI never call ``duckdb.connect`` themselves.

The app and the CLI reach the default store through a :class:`Workspace`, so
several processes can serve one store while a load runs (DuckDB lets one
process write a file and then locks out every other process, readers too):

* the path (``data/contentroi.duckdb``) is a symlink to the **published
  snapshot** ``data/contentroi.duckdb.snapshots/NNNNNN.duckdb``;
* readers open the published snapshot **read-only** (any number of processes);
* a writer takes an exclusive file lock, copies the published snapshot, loads
  into the copy, checkpoints and closes it, and publishes it by atomically
  replacing the symlink (``os.replace``). A crash at any point leaves the
  published snapshot untouched;
* the last few snapshots are kept, which gives "undo the last upload".

Schema changes are numbered migrations: ``MIGRATIONS[i]`` moves a store from
version ``i`` to ``i + 1``. A store written by an older release is migrated
when it is opened for writing.
"""
from __future__ import annotations

import atexit
import fcntl
import functools
import hashlib
import os
import re
import shutil
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

import duckdb

from . import overlay
from .paths import MODELS_DIR, default_db_path

MIGRATIONS: list[list[str]] = [
    # 0 -> 1: the three raw logs, the upload record, saved column mappings.
    [
        "CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)",
        "CREATE SEQUENCE IF NOT EXISTS upload_seq START 1",
        """CREATE TABLE IF NOT EXISTS uploads (
            upload_id BIGINT PRIMARY KEY,
            log VARCHAR NOT NULL,            -- articles | joins | sales
            file_name VARCHAR,
            uploaded_at TIMESTAMP NOT NULL,
            source VARCHAR,                  -- page | cli | sample | report
            encoding VARCHAR,
            delimiter VARCHAR,
            sheet VARCHAR,
            rows_read BIGINT,
            accepted BIGINT,
            rejected BIGINT,
            duplicates BIGINT,
            updated BIGINT,
            mapping JSON                     -- canonical column -> header used
        )""",
        """CREATE TABLE IF NOT EXISTS articles (
            article_id VARCHAR NOT NULL,
            title VARCHAR NOT NULL,
            channel VARCHAR NOT NULL,
            published_at TIMESTAMP NOT NULL,
            author VARCHAR,
            reads BIGINT,
            cost DECIMAL(18, 2),
            extra JSON,
            upload_id BIGINT
        )""",
        """CREATE TABLE IF NOT EXISTS joins (
            user_id VARCHAR NOT NULL,
            joined_at TIMESTAMP NOT NULL,
            article_id VARCHAR,
            group_id VARCHAR,
            extra JSON,
            upload_id BIGINT
        )""",
        """CREATE TABLE IF NOT EXISTS sales (
            user_id VARCHAR NOT NULL,
            event VARCHAR NOT NULL,          -- contact | payment | refund
            occurred_at TIMESTAMP NOT NULL,
            rep VARCHAR,
            amount DECIMAL(18, 2),
            order_id VARCHAR,
            extra JSON,
            upload_id BIGINT
        )""",
        """CREATE TABLE IF NOT EXISTS column_mappings (
            log VARCHAR NOT NULL,
            shape VARCHAR NOT NULL,          -- hash of the file's normalised headers
            mapping JSON NOT NULL,
            saved_at TIMESTAMP NOT NULL,
            PRIMARY KEY (log, shape)
        )""",
    ],
    # 1 -> 2: monthly targets and annotations (contentroi/targets.py, contentroi/annotations.py).
    # Settings, not logs: clearing the store keeps them.
    [
        """CREATE TABLE IF NOT EXISTS targets (
            month DATE NOT NULL,             -- the first day of the month
            metric VARCHAR NOT NULL,         -- revenue | paid | joins
            channel VARCHAR NOT NULL,        -- '' = the total (every channel)
            value DOUBLE NOT NULL,
            updated_at TIMESTAMP,
            PRIMARY KEY (month, metric, channel)
        )""",
        "CREATE SEQUENCE IF NOT EXISTS annotation_seq START 1",
        """CREATE TABLE IF NOT EXISTS annotations (
            annotation_id BIGINT PRIMARY KEY,
            date_from DATE NOT NULL,
            date_to DATE NOT NULL,           -- = date_from for a single day
            channel VARCHAR,                 -- NULL = every channel
            kind VARCHAR NOT NULL,           -- campaign | price | holiday | other
            note VARCHAR NOT NULL,
            created_at TIMESTAMP
        )""",
    ],
    # 2 -> 3: a stable id for every join and sales row (touch_id / payment_id of the
    # derived models, so that an incremental refresh can re-derive some users only).
    [
        "ALTER TABLE joins ADD COLUMN IF NOT EXISTS row_id BIGINT",
        "ALTER TABLE sales ADD COLUMN IF NOT EXISTS row_id BIGINT",
        "CREATE SEQUENCE IF NOT EXISTS joins_row_seq START 1",
        "CREATE SEQUENCE IF NOT EXISTS sales_row_seq START 1",
        "UPDATE joins SET row_id = nextval('joins_row_seq') WHERE row_id IS NULL",
        "UPDATE sales SET row_id = nextval('sales_row_seq') WHERE row_id IS NULL",
        "DELETE FROM meta WHERE key = 'models_upload'",
    ],
    # 3 -> 4: channel display names (wechat -> 公众号), edited on the Data page; a channel
    # without a row (or a blank name) shows its code. Kept by clear / reset.
    [
        """CREATE TABLE IF NOT EXISTS channel_names (
            channel VARCHAR PRIMARY KEY,
            name_en VARCHAR,
            name_zh VARCHAR
        )""",
        """INSERT INTO channel_names VALUES
            ('wechat', NULL, '公众号'), ('zhihu', NULL, '知乎'), ('weibo', NULL, '微博'),
            ('douyin', NULL, '抖音'), ('xiaohongshu', NULL, '小红书'), ('bilibili', NULL, 'B站')
        ON CONFLICT DO NOTHING""",
    ],
    # 4 -> 5: the markov bootstrap intervals are computed on demand (markov.removal_table),
    # no longer stored for every window on load.
    [
        "DROP TABLE IF EXISTS mk_bootstrap",
    ],
    # 5 -> 6: each join and sales row's uh = user_hash(user_id) (10_stg_touches.sql), by
    # which an upload finds the rows of the users it re-derives; filled by the next refresh
    # of the models (refresh.assign_user_hashes), a full one (models_upload forgotten).
    [
        "ALTER TABLE joins ADD COLUMN IF NOT EXISTS uh UINTEGER",
        "ALTER TABLE sales ADD COLUMN IF NOT EXISTS uh UINTEGER",
        "DELETE FROM meta WHERE key = 'models_upload'",
    ],
    # 6 -> 7: the logs' user_id stored uncompressed. An upload reads its users' rows of
    # the logs by uh (an integer) and then their user_id; a dictionary-compressed column
    # decodes a whole segment's dictionary for every segment holding one of them, so the
    # 1,000 users of a daily upload cost every row's string (10x: the sales log's read
    # 374 -> 134 ms, the joins log's 268 -> 103). The price is disk: ~13 bytes a row
    # (10x: +330 MB for the two logs). docs/ARCHITECTURE.md, "Strings read by uh".
    # The tables are copied, as a column's compression is set when it is created
    # (overlay.flatten keeps it: it copies a table's declaration).
    [
        """CREATE TABLE joins__v7 (
            user_id VARCHAR USING COMPRESSION uncompressed NOT NULL,
            joined_at TIMESTAMP NOT NULL,
            article_id VARCHAR,
            group_id VARCHAR,
            extra JSON,
            upload_id BIGINT,
            row_id BIGINT,
            uh UINTEGER
        )""",
        "INSERT INTO joins__v7 SELECT user_id, joined_at, article_id, group_id, extra, upload_id, row_id, uh "
        "FROM joins",
        "DROP TABLE joins",
        "ALTER TABLE joins__v7 RENAME TO joins",
        """CREATE TABLE sales__v7 (
            user_id VARCHAR USING COMPRESSION uncompressed NOT NULL,
            event VARCHAR NOT NULL,
            occurred_at TIMESTAMP NOT NULL,
            rep VARCHAR,
            amount DECIMAL(18, 2),
            order_id VARCHAR,
            extra JSON,
            upload_id BIGINT,
            row_id BIGINT,
            uh UINTEGER
        )""",
        "INSERT INTO sales__v7 SELECT user_id, event, occurred_at, rep, amount, order_id, extra, upload_id, "
        "row_id, uh FROM sales",
        "DROP TABLE sales",
        "ALTER TABLE sales__v7 RENAME TO sales",
    ],
    # 7 -> 8: fct_cohort_user is no longer a model (a user's cohort is made from the user's
    # rows of fct_user_article: 50_cohorts.sql); a table the models no longer make is not
    # dropped by their rebuild, and a delta would copy it whole as a small table
    [
        "DROP TABLE IF EXISTS fct_cohort_user",
    ],
]
SCHEMA_VERSION = len(MIGRATIONS)
from .limits import LOGS  # noqa: E402  (defined once: contentroi/limits.py)
# Table names are identifiers, so they come from this fixed list, never from input.
_COUNT_SQL = {t: "SELECT count(*) FROM " + t for t in LOGS}
_DELETE_SQL = {t: "DELETE FROM " + t for t in (*LOGS, "uploads")}


_LOCKDOWN_LOCK = threading.Lock()
_ATTACH_LOCK = threading.Lock()


class StoreError(RuntimeError):
    """The store cannot be opened or is of a newer, unknown version."""


# -- memory: every DuckDB database this process opens --------------------------
MEMORY_CAP_MB = 3072  # default memory_limit: a quarter of the machine's memory, at most this


def _machine_mb() -> int:
    """Physical memory, or the cgroup's limit when it is smaller (containers)."""
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    try:
        raw = Path("/sys/fs/cgroup/memory.max").read_text().strip()
        if raw.isdigit():
            total = min(total, int(raw))
    except OSError:
        pass
    return int(total // (1 << 20))


def resource_settings() -> dict[str, str]:
    """DuckDB's ``memory_limit`` and ``temp_directory`` for the stores of this process.

    Large loads then spill to disk instead of failing or growing without bound.
    ``memory_limit``: $CONTENTROI_MEMORY_LIMIT (a DuckDB size, e.g. ``2GB``), else
    a quarter of the machine's memory (or cgroup limit), between 512 MB and
    MEMORY_CAP_MB (several processes share a machine: the app's readers and a
    load). ``temp_directory``: $CONTENTROI_TEMP_DIR, else ``contentroi-spill`` in
    the system temporary directory; each process spills into its own
    subdirectory (named by its pid), which DuckDB empties when it closes."""
    limit = os.environ.get("CONTENTROI_MEMORY_LIMIT", "").strip()
    if not limit:
        limit = f"{max(512, min(MEMORY_CAP_MB, _machine_mb() // 4))}MB"
    base = os.environ.get("CONTENTROI_TEMP_DIR", "").strip() or os.path.join(tempfile.gettempdir(),
                                                                               "contentroi-spill")
    return {"memory_limit": limit, "temp_directory": os.path.join(base, str(os.getpid()))}


_UNIT_BYTES = {"b": 1, "kb": 1000, "mb": 1000 ** 2, "gb": 1000 ** 3, "tb": 1000 ** 4,
               "kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30, "tib": 1 << 40}


def memory_limit_bytes() -> int:
    """This process's ``memory_limit`` (resource_settings) in bytes, as DuckDB reads the
    size (KB, MB, GB: powers of 1000; KiB, MiB, GiB: of 1024; no unit: bytes). What a
    scoped refresh lowers the limit from, and restores it to (refresh.scoped_memory)."""
    m = _SIZE_RE.match(_size(resource_settings()["memory_limit"]))
    return int(float(m.group(1)) * _UNIT_BYTES[(m.group(2) or "b").lower()])


def _apply_resources(cur: duckdb.DuckDBPyConnection) -> None:
    res = resource_settings()
    try:
        Path(res["temp_directory"]).parent.mkdir(parents=True, exist_ok=True)
        cur.execute("SET memory_limit = $v", {"v": _size(res["memory_limit"])})
        cur.execute("SET temp_directory = $v", {"v": res["temp_directory"]})
    except (OSError, duckdb.Error) as exc:
        raise StoreError(f"cannot apply the memory settings {res}: {exc}") from exc


_SIZE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)?\s*$", re.I)


def _size(text: str) -> str:
    if not _SIZE_RE.match(text):
        raise StoreError(f"CONTENTROI_MEMORY_LIMIT must be a size such as 2GB or 1500MB, not {text!r}")
    return text.strip()


_MARKOV = Path(__file__).with_name("markov.py")  # refresh_markov's solver: part of the models


def _models() -> list[Path]:
    return sorted(MODELS_DIR.glob("*.sql"))


def models_hash() -> str:
    """What the derived models are: a store whose ``models_hash`` differs is rebuilt in
    full when it is opened for writing (3.5-7 min at 10x). It digests what *runs*, not
    how it is written: each model file's statements as the refresh runs them (comments
    removed: ``refresh.statements``), the limits' macros, and ``markov.py``'s syntax tree
    without its docstrings (``refresh_markov``'s solver). A comment or docstring edit
    therefore does not rebuild every store on upgrade; a change to any statement or to
    the solver's code does (tests/test_models_hash.py). Kept while no file changes (every
    store open asks; digesting the statements costs ~17 ms)."""
    from . import limits

    files = (*_models(), _MARKOV)
    return _models_hash_of(tuple((str(p), *_stamp(p)) for p in files), limits.sql_macros())


def _stamp(p: Path) -> tuple[int, int]:
    st = p.stat()
    return st.st_mtime_ns, st.st_size


@functools.lru_cache(maxsize=8)
def _models_hash_of(files: tuple, macros: str) -> str:
    """``files``: (path, mtime, size) of each model file, then of markov.py."""
    from . import refresh

    h = hashlib.sha256()
    h.update(macros.encode())
    for name, *_ in files[:-1]:
        h.update(Path(name).name.encode())
        for sql in refresh.statements(Path(name)):
            h.update(b"\0" + _SQL_SPACE.sub(_one_space, sql).strip().encode())
    h.update(b"\0markov.py\0" + _code_digest(Path(files[-1][0])).encode())
    return h.hexdigest()[:16]


# a statement's tokens: quoted strings and identifiers kept as they are, runs of white
# space outside them read as one space (a removed comment leaves an empty line behind)
_SQL_SPACE = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|\s+")


def _one_space(m: re.Match) -> str:
    return " " if m.group(0)[0].isspace() else m.group(0)


def _code_digest(path: Path) -> str:
    """A Python file's code: its syntax tree without docstrings (comments are not in it)."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                and body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)):
            node.body = body[1:] or [ast.Pass()]
    return hashlib.sha256(ast.dump(tree).encode()).hexdigest()


# -- new stores: a copy of this process's empty store --------------------------
# A new store's schema and empty models take ~160 statements (~0.2 s, most of it
# planning); a copy of the resulting 1.3 MB file takes ~1 ms, and copying it into an
# in-memory database (COPY FROM DATABASE) ~20 ms. The first new store a process opens
# is built in a private directory, closed and kept (per schema, models and DuckDB
# version) as this process's template; every new store (a file that did not exist, or
# ``:memory:``) starts as a copy of it, then opens as any store does (nothing left to
# migrate). A process that makes stores one after another (the test suite makes
# several hundred) pays the build once.
_TEMPLATES: dict[tuple[str, ...], Path] = {}
_TEMPLATE_LOCK = threading.Lock()


def _template_file() -> Path:
    """This process's empty store for the current schema and models (built on first use)."""
    key = (str(SCHEMA_VERSION), hashlib.sha256(repr(MIGRATIONS).encode()).hexdigest()[:16],
           models_hash(), duckdb.__version__)
    with _TEMPLATE_LOCK:
        tpl = _TEMPLATES.get(key)
        if tpl is None or not tpl.is_file():
            d = Path(tempfile.mkdtemp(prefix="contentroi-template-"))
            atexit.register(shutil.rmtree, d, ignore_errors=True)
            tpl = d / "empty.duckdb"
            Store(tpl, _template=False).close()
            _TEMPLATES[key] = tpl
        return tpl


def _fill_from_template(con: duckdb.DuckDBPyConnection) -> None:
    """An empty in-memory database gets the template's schema, models and meta."""
    cur = con.cursor()
    cur.execute("ATTACH $p AS _cr_template (READ_ONLY)", {"p": str(_template_file())})
    try:
        cur.execute("COPY FROM DATABASE _cr_template TO memory")
    finally:
        cur.execute("DETACH _cr_template")
        cur.close()


class Store:
    """One DuckDB database file (or ``:memory:``) and its schema."""

    def __init__(self, path: str | Path | None = None, read_only: bool = False, _template: bool = True):
        self.path = str(path) if path is not None else str(default_db_path())
        self.read_only = read_only
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            if _template and not read_only and not os.path.lexists(self.path):
                try:
                    shutil.copyfile(_template_file(), self.path)
                except (OSError, duckdb.Error, StoreError):  # then built in place, as before
                    Path(self.path).unlink(missing_ok=True)
        try:
            self._con = duckdb.connect(self.path, read_only=read_only)
        except duckdb.Error as exc:  # locked, corrupt, not a database
            raise StoreError(f"cannot open the store {self.path}: {exc}") from exc
        if self.path == ":memory:" and _template and not read_only:
            try:
                _fill_from_template(self._con)
            except (OSError, duckdb.Error, StoreError):  # then built in place, as before
                self._con.close()
                self._con = duckdb.connect(self.path)
        self._write_lock = threading.Lock()
        # a delta snapshot reads its base (contentroi/overlay.py): attached before the
        # reader is locked down (no file access after that) and before any migration
        self.base_path: Path | None = None
        if self.path != ":memory:":
            try:
                with _ATTACH_LOCK:  # threads opening one delta share its database instance
                    self.base_path = overlay.attach(self._con, Path(self.path).resolve().parent)
            except (duckdb.Error, OSError) as exc:
                self._con.close()
                raise StoreError(f"cannot open the store {self.path}: {exc}") from exc
        if not read_only:
            _apply_resources(self._con)
            self._migrate()
        else:
            self._lock_down()

    def _lock_down(self) -> None:
        """Readers (what pages and links reach) get no file or network access and a
        configuration nobody can change afterwards. Writers keep file access: the
        ingestion reads the uploaded file with read_csv."""
        cur = self._con.cursor()
        # A second read-only open of one file in a process shares its database
        # instance, already locked down: then there is nothing to set. The
        # check-then-set is atomic across this process's threads.
        with _LOCKDOWN_LOCK:
            locked = cur.execute("SELECT current_setting('lock_configuration')").fetchone()[0]
            if not locked:
                _apply_resources(cur)
                cur.execute("SET enable_external_access = false")
                cur.execute("SET lock_configuration = true")
        if cur.execute("SELECT current_setting('enable_external_access')").fetchone()[0]:
            raise StoreError("the store's reader could not be locked down")
        cur.close()

    # -- connections -----------------------------------------------------
    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A new cursor: use one per thread / per call, never share one."""
        return self._con.cursor()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """All-or-nothing: commit on success, roll back on any exception."""
        if self.read_only:
            raise StoreError("the store is open read-only")
        with self._write_lock:
            cur = self.cursor()
            cur.execute("BEGIN TRANSACTION")
            try:
                yield cur
            except BaseException:
                cur.execute("ROLLBACK")
                cur.close()
                raise
            cur.execute("COMMIT")
            cur.close()

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- schema ----------------------------------------------------------
    def schema_version(self) -> int:
        cur = self.cursor()
        has_meta = cur.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'meta' AND schema_name = 'main' "
            "AND database_name = current_database()"
        ).fetchone()[0]
        if not has_meta:
            return 0
        row = cur.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row else 0

    def _migrate(self) -> None:
        current = self.schema_version()
        if current > SCHEMA_VERSION:
            raise StoreError(
                f"the store {self.path} has schema version {current}; this release knows "
                f"up to {SCHEMA_VERSION}. Upgrade the app."
            )
        from . import refresh

        built = self.get_meta("models_hash") if current else None  # (version 0: no meta table yet)
        rebuild = built != models_hash()
        if rebuild and built is not None:
            self.drop_derived()  # the models changed: rebuilt below, into the space they leave
        if current < SCHEMA_VERSION:
            with self.transaction() as cur:
                # migrations alter the logs' tables themselves; the derived tables' rows are
                # not copied out of a delta when a rebuild follows, and go before it
                overlay.flatten(cur, derived=not rebuild)
                if rebuild:
                    refresh.drop_derived_tables(cur)
                for version in range(current, SCHEMA_VERSION):
                    for ddl in MIGRATIONS[version]:
                        cur.execute(ddl)
                cur.execute(
                    "INSERT OR REPLACE INTO meta VALUES ('schema_version', $v)",
                    {"v": str(SCHEMA_VERSION)},
                )
            # the blocks of what the migrations replaced (a copied log) and dropped are free
            # for the rebuild: an upgrade from schema 6 at 10x left an 8.3 GB file holding
            # 4.1 GB without this
            self.cursor().execute("CHECKPOINT")
        if rebuild:
            with self.transaction() as cur:
                self.refresh_models(cur)

    def drop_derived(self) -> None:
        """Drop the derived tables and checkpoint, before a full rebuild: their blocks are
        then free for the new ones. Rebuilt beside the old tables instead, the file kept
        both until compaction (1x: 576 MB after a rebuild against 320 MB; and in one run
        each, beside the test suite, the rebuild took 78 s against 99 s). Only where no
        reader can see it -- a writer's new snapshot (Workspace.writer), or a store a
        process opened for writing -- and only
        for a standalone file (a delta's tables are views over its base; refresh.full
        flattens it). A crash before the rebuild leaves a store whose models_hash is
        stale, which the next open rebuilds."""
        from . import refresh

        if self.read_only:
            return
        with self.transaction() as cur:
            if overlay.is_delta(cur):
                return
            refresh.drop_derived_tables(cur)
        self.cursor().execute("CHECKPOINT")

    def refresh_models(self, cur: duckdb.DuckDBPyConnection, full: bool = True,
                       users: Iterable[str] = ()) -> str:
        """Bring the derived models (queries/models/*.sql) up to date with the logs.

        ``full=True`` rebuilds them all; ``full=False`` re-derives only what the
        uploads since the last refresh changed (and ``users``, whose rows were
        deleted), and rebuilds all when the model SQL changed -- see
        contentroi/refresh.py. Call inside the same transaction as any change to
        the raw logs, so the derived tables never disagree with the logs.
        Returns 'full', 'incremental' or 'none'.
        """
        from . import limits, refresh

        cur.execute(limits.sql_macros())  # max_window_days(), min_n(): contentroi/limits.py

        if full or self.get_meta_cur(cur, "models_hash") != models_hash():
            refresh.full(cur)
            how = "full"
        else:
            how = refresh.incremental(cur, users, memory_limit=memory_limit_bytes())
        if how != "none":
            # the markov chain is solved over every path: its counts (17_mk_chain.sql,
            # refreshed above like the other models) are solved again here
            refresh_markov(cur)
        cur.execute("INSERT OR REPLACE INTO meta VALUES ('models_hash', $h)", {"h": models_hash()})
        self.bump_data_version(cur)
        return how

    @staticmethod
    def get_meta_cur(cur: duckdb.DuckDBPyConnection, key: str) -> str | None:
        row = cur.execute("SELECT value FROM meta WHERE key = $k", {"k": key}).fetchone()
        return row[0] if row else None

    @staticmethod
    def bump_data_version(cur: duckdb.DuckDBPyConnection) -> None:
        cur.execute(
            """INSERT OR REPLACE INTO meta
               SELECT 'data_version', CAST(coalesce(max(TRY_CAST(value AS BIGINT)), 0) + 1 AS VARCHAR)
               FROM meta WHERE key = 'data_version'"""
        )

    def data_version(self) -> int:
        """Changes whenever the data changes: a key for result caches."""
        row = self.cursor().execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone()
        return int(row[0]) if row else 0

    def get_meta(self, key: str) -> str | None:
        row = self.cursor().execute("SELECT value FROM meta WHERE key = $k", {"k": key}).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as cur:
            cur.execute("INSERT OR REPLACE INTO meta VALUES ($k, $v)", {"k": key, "v": value})

    # -- facts about the contents ---------------------------------------
    def is_empty(self) -> bool:
        cur = self.cursor()
        return all(cur.execute(_COUNT_SQL[t]).fetchone()[0] == 0 for t in LOGS)

    def set_channel_names(self, rows: list[tuple[str, str | None, str | None]]) -> None:
        """Set channel display names: (channel, English name, Chinese name); blank: the code."""
        with self.transaction() as cur:
            for ch, en, zh in rows:
                en = (en or "").strip()[:80] or None
                zh = (zh or "").strip()[:80] or None
                cur.execute("INSERT OR REPLACE INTO channel_names VALUES ($c, $e, $z)",
                            {"c": str(ch), "e": en, "z": zh})
            self.bump_data_version(cur)

    def clear(self) -> None:
        """Delete every row of the three logs and the upload history."""
        with self.transaction() as cur:
            overlay.flatten(cur, derived=False)  # deletes rows of the logs themselves
            for sql in _DELETE_SQL.values():
                cur.execute(sql)
            cur.execute("INSERT OR REPLACE INTO meta VALUES ('initialized', 'cleared')")
            self.refresh_models(cur)

    def remove_sample(self) -> None:
        """Delete the rows the bundled sample brought (uploads with source 'sample') and
        their upload records; everything else stays."""
        with self.transaction() as cur:
            overlay.flatten(cur, derived=False)  # deletes rows of the logs themselves
            for t in LOGS:
                cur.execute(_DELETE_SQL[t] + " WHERE upload_id IN "
                            "(SELECT upload_id FROM uploads WHERE source = 'sample')")
            cur.execute(_DELETE_SQL["uploads"] + " WHERE source = 'sample'")
            self.refresh_models(cur)


def refresh_markov(cur: duckdb.DuckDBPyConnection) -> None:
    """The markov model's global step, after the SQL models: solve the chain of
    every window (transition counts over all paths) into mk_removal."""
    from . import markov

    markov.refresh(cur)


def open_store(path: str | Path | None = None, read_only: bool = False) -> Store:
    return Store(path, read_only=read_only)


# NNNNNN.duckdb: a standalone snapshot; NNNNNN+BBBBBB.duckdb: a delta on snapshot BBBBBB
_SNAP_RE = re.compile(r"^(\d{6,})(?:\+(\d{6,}))?\.duckdb$")
_process_lock = threading.Lock()


def snap_number(p: Path) -> int:
    m = _SNAP_RE.match(p.name)
    return int(m.group(1)) if m else -1


def base_of(p: Path) -> Path | None:
    """The standalone snapshot a delta snapshot reads (by its name), or None."""
    m = _SNAP_RE.match(p.name)
    return p.with_name(f"{m.group(2)}.duckdb") if m and m.group(2) else None


def _base_only(p: Path) -> Path:
    """The marker of a snapshot kept only as the base of later deltas (not for Undo)."""
    return p.with_name(p.name + ".base-only")


def _verdict(p: Path) -> Path:
    """The marker that this snapshot file (and the base a delta reads), as they are now,
    were found readable: ``probe`` reads the logs' blocks once per version of the files
    (a 10x delta: 0.57 s), not in every process that opens them."""
    return p.with_name(p.name + ".ok")


def _verdict_text(p: Path) -> str:
    # the files' versions (device, inode, time, size): any change to either file voids it
    keys = [file_key(p)] + ([file_key(b)] if (b := base_of(p)) is not None else [])
    return "\n".join(" ".join(str(v) for v in k[1:]) for k in keys) + "\n"


def _is_verified(p: Path) -> bool:
    try:
        return _verdict(p).read_text(encoding="ascii") == _verdict_text(p)
    except (OSError, UnicodeDecodeError):
        return False


def _mark_verified(p: Path) -> None:
    """Write ``p``'s verdict (best effort: a read-only folder only costs the next probe its
    reads). Only published snapshots get one, never a plain file named by ``--db``."""
    if not _SNAP_RE.match(p.name):
        return
    tmp = p.with_name(f".{p.name}.{os.getpid()}.ok")
    try:
        tmp.write_text(_verdict_text(p), encoding="ascii")
        os.replace(tmp, _verdict(p))
    except OSError:
        try:
            tmp.unlink()
        except OSError:
            pass


def _snapshot_files(p: Path) -> tuple[Path, ...]:
    """A snapshot file and the files that go with it: its WAL, its base-only marker and its
    verdict (deleted together: pruned, dropped, undone)."""
    return (p, p.with_name(p.name + ".wal"), _base_only(p), _verdict(p))


def _size_of(p: Path) -> int:
    try:
        return os.stat(p).st_size
    except OSError:
        return 0


def _delta_macros() -> list[str]:
    from . import limits, refresh

    return [limits.sql_macros(), *refresh.macro_statements()]


def file_key(p: Path) -> tuple:
    """What identifies one version of a file: a cache of readers keyed by this can never
    hand out a connection to a file other than the one named (a replaced file changes
    inode, time or size)."""
    try:
        st = os.stat(p)
    except OSError:
        return (str(p), None)
    return (str(p), st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size)


class Abort(Exception):
    """Raise inside ``Workspace.writer()`` to leave without publishing (not an error)."""


@dataclass
class ReadView:
    """What a reader is shown: an open read-only Store of ``snapshot``.

    ``broken`` is set when the published snapshot could not be read (missing, corrupt):
    then ``snapshot`` is the newest readable one before it, and ``error`` says why.
    """

    store: Store
    snapshot: Path
    broken: Path | None = None
    error: str | None = None

    @property
    def fallback(self) -> bool:
        return self.broken is not None


# A DuckDB file is its headers (one file header and two database headers, 4 KiB each)
# followed by whole blocks; free blocks at its end are cut off, so total_blocks may pass
# the end, but the used ones never do.
_FILE_HEADERS = 3 * 4096


def _truncated(cur: duckdb.DuckDBPyConnection) -> str | None:
    """'truncated: ...' when a file of the open database (or of the base a delta reads) has
    lost its end: it does not end on a block, or is shorter than its used blocks. Reading
    the tables does not find every such file: a delta's logs and its base's can lie before
    the cut. (Checked on 386 stores the tests and benches left: only the ones they had
    cut on purpose are flagged.)"""
    rows = cur.execute(
        "SELECT d.path, s.block_size, s.used_blocks FROM pragma_database_size() AS s "
        "JOIN duckdb_databases() AS d ON d.database_name = s.database_name "
        "WHERE d.path IS NOT NULL AND NOT d.internal").fetchall()
    for path, block_size, used in rows:
        try:
            size = Path(path).stat().st_size
        except OSError:
            return "missing: " + Path(path).name
        body = size - _FILE_HEADERS
        if body < int(used) * int(block_size) or body % int(block_size):
            return f"truncated: {Path(path).name} has {size:,} bytes, short of its blocks"
    return None


def _short_error(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text[:300]


class Workspace:
    """A published store with snapshots: many readers, one writer at a time.

    Snapshot names are never reused: ``NNNNNN.duckdb`` numbers come from a counter
    kept in ``<store>.seq`` (and never below the highest file present), so a name an
    undo or a prune deleted is never given to a new snapshot. (DuckDB shares one
    database instance per path within a process: a reused name could serve a reader
    the deleted file's data, or clash with its configuration.)
    """

    KEEP = 5  # snapshots kept (the published one and the ones before it)
    # How long a process opening a store that another process is upgrading (migrating and
    # rebuilding its models: minutes at 10x) waits for it, where a load waits lock_timeout:
    # the page says what is happening meanwhile (st_app.data._preparing).
    UPGRADE_WAIT = 3600.0

    def __init__(self, path: str | Path | None = None, lock_timeout: float = 300.0):
        self.path = Path(path) if path is not None else default_db_path()
        self.snap_dir = self.path.parent / (self.path.name + ".snapshots")
        self.lock_path = self.path.parent / (self.path.name + ".lock")
        self.seq_path = self.path.parent / (self.path.name + ".seq")
        self.lock_timeout = lock_timeout
        self._good: set[tuple] = set()  # file keys of snapshots found readable

    # -- what is published -------------------------------------------------
    def current(self) -> Path | None:
        """The published database file, or None when nothing was published yet.

        A dangling link still names its (missing) target: see :meth:`open_read`."""
        if self.path.is_symlink():
            return (self.path.parent / os.readlink(self.path)).resolve()
        if self.path.exists():
            return self.path  # a plain database file, adopted by the first writer
        return None

    def snapshots(self) -> list[Path]:
        if not self.snap_dir.is_dir():
            return []
        return sorted((p for p in self.snap_dir.iterdir() if _SNAP_RE.match(p.name)), key=snap_number)

    def older_than(self, snap: Path | None) -> list[Path]:
        """Snapshots before ``snap`` (oldest first)."""
        if snap is None:
            return []
        n = snap_number(snap)
        return [p for p in self.snapshots() if snap_number(p) < n]

    @staticmethod
    def probe(path: Path) -> tuple[Store | None, str]:
        """Open ``path`` read-only and check it: (store, 'ok'), (None, 'old') for a store
        of an older schema or models, or (None, reason) when it cannot be read."""
        if not path.is_file():
            return None, "missing"
        try:
            s = Store(path, read_only=True)
        except (StoreError, duckdb.Error) as exc:
            return None, _short_error(exc)
        try:
            cur = s.cursor()
            verified = _is_verified(path)
            if not verified:
                for t in LOGS:  # reads the tables' blocks: a damaged file fails here
                    cur.execute(_COUNT_SQL[t]).fetchone()
            cut = _truncated(cur)
            old = s.schema_version() != SCHEMA_VERSION or s.get_meta("models_hash") != models_hash()
        except (StoreError, duckdb.Error) as exc:
            s.close()
            return None, _short_error(exc)
        if cut is not None:
            s.close()
            return None, cut
        if old:
            s.close()
            return None, "old"
        if not verified:
            _mark_verified(path)
        return s, "ok"

    def is_good(self, path: Path) -> bool:
        """Whether ``path`` can be read and is of this release's schema. Published
        snapshots never change, so a verdict is remembered per version of the file."""
        key = file_key(path)
        if key in self._good:
            return True
        store, _ = self.probe(path)
        if store is None:
            return False
        store.close()
        self._good.add(key)
        return True

    def _newest_good(self, before: Path | None) -> Path | None:
        """The newest readable snapshot before ``before`` (or of all, when None)."""
        cands = self.older_than(before) if before is not None else self.snapshots()
        return next((p for p in reversed(cands) if self.is_good(p)), None)

    def open_read(self, adopt: bool = True) -> ReadView:
        """THE way into a store for reading -- the pages (st_app.read_view) and the CLI's
        ``report`` and ``digest`` (cli._read_store) all come here.

        The published snapshot opened read-only; when it is missing or damaged, the
        newest readable snapshot before it (``ReadView.broken`` says so). Creates or
        migrates the store as needed: a store of an older schema, or whose derived models
        an older release built (models hash), is migrated / refreshed into a new snapshot
        and that is published. StoreError when no snapshot can be read.

        ``adopt=False`` (the CLI, a short-lived process): a plain database file (not yet a
        published workspace) that is of this release's schema and models is read where it
        is instead of being turned into snapshots; any other plain file is adopted."""
        if self.path.exists() and not self.path.is_symlink():
            if not adopt:
                store, _status = self.probe(self.path)
                if store is not None:
                    return ReadView(store, self.path)
            with self._lock():  # before anything in this process opens it read-only
                self._adopt_plain_file()
        cur = self.current()
        if cur is None:
            with self.writer():
                pass  # creates and publishes
            cur = self.current()
        store, status = self.probe(cur)
        if status == "old":
            # another process may be upgrading it already: wait for that (not a load's
            # time), then look again rather than publish a snapshot that changes nothing
            wait = max(self.lock_timeout, self.UPGRADE_WAIT)
            with self._lock(wait):
                pass
            cur = self.current()
            store, status = self.probe(cur)
            if status == "old":
                with self.writer(wait=wait):
                    pass  # migrates / rebuilds the models and publishes
                cur = self.current()
                store, status = self.probe(cur)
        if store is not None:
            self._good.add(file_key(cur))
            return ReadView(store, cur)
        good = self._newest_good(cur)
        if good is not None:
            store, _ = self.probe(good)
        if store is None:
            raise StoreError(f"the store {self.path} cannot be read: its published snapshot "
                             f"{cur.name} is {status if status == 'missing' else 'damaged'}"
                             f" and no earlier snapshot is readable")
        return ReadView(store, good, broken=cur, error=status)

    def reader(self) -> Store:
        """A read-only Store of the published snapshot (created empty if needed), or of
        the newest readable one when the published one is damaged."""
        return self.open_read().store

    def shown(self) -> Path | None:
        """The snapshot readers are shown: the published one, or its fallback."""
        cur = self.current()
        if cur is None or self.is_good(cur):
            return cur
        if self.probe(cur)[1] == "old":
            return cur
        return self._newest_good(cur)

    @staticmethod
    def _is_current_schema(path: Path) -> bool:
        s, status = Workspace.probe(path)
        if s is not None:
            s.close()
        return status == "ok"

    # -- writing -----------------------------------------------------------
    def _refuse_foreign_file(self) -> None:
        """A path holding something other than a store (``--db /etc/passwd``) is
        refused before anything is created beside it (not even the lock file)."""
        if self.path.is_symlink() or not self.path.exists():
            return
        if not self.path.is_file():
            raise StoreError(f"{self.path} is not a file")
        with open(self.path, "rb") as fh:
            magic = fh.read(12)
        if len(magic) < 12 or magic[8:12] != b"DUCK":
            what = "an empty file" if not magic else "not a DuckDB database"
            raise StoreError(f"{self.path} is {what}, not a Content ROI store; nothing was changed")

    @contextmanager
    def _lock(self, wait: float | None = None) -> Iterator[None]:
        """The store's write lock, across processes; StoreError after ``wait`` seconds
        (default: lock_timeout) while another process holds it."""
        self._refuse_foreign_file()
        self.lock_path.parent.mkdir(parents=True, exist_ok=True)
        with _process_lock, open(self.lock_path, "a+") as fh:
            deadline = time.monotonic() + (self.lock_timeout if wait is None else wait)
            while True:
                try:
                    fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise StoreError("another load is still running; try again in a moment")
                    time.sleep(0.05)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def _adopt_plain_file(self) -> None:
        """Turn a plain database file at self.path into the first snapshot + the symlink."""
        if self.path.is_symlink() or not self.path.exists():
            return
        Store(self.path).close()  # migrates and folds any WAL into the file
        self.snap_dir.mkdir(parents=True, exist_ok=True)
        first = self._next_path()
        # A second name for the same file, then an atomic swap of the plain name for
        # the symlink: the path never disappears, whenever a crash comes.
        os.link(self.path, first)
        self._publish(first)

    def _publish(self, snap: Path) -> None:
        tmp = self.path.parent / f".{self.path.name}.{os.getpid()}.link"
        if tmp.is_symlink() or tmp.exists():
            tmp.unlink()
        os.symlink(os.path.relpath(snap, self.path.parent), tmp)
        os.replace(tmp, self.path)  # atomic: readers see the old or the new snapshot
        dir_fd = os.open(self.path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)

    def _read_seq(self) -> int:
        try:
            return int(self.seq_path.read_text().strip() or 0)
        except (OSError, ValueError):
            return 0

    def _next_path(self, base: Path | None = None) -> Path:
        """A snapshot name never used before (call with the lock held); a delta's name
        also names its ``base``."""
        highest = max([self._read_seq()] + [snap_number(p) for p in self.snapshots()]
                      + ([snap_number(c)] if (c := self.current()) is not None else []))
        n = highest + 1
        tmp = self.seq_path.with_name(f".{self.seq_path.name}.{os.getpid()}")
        tmp.write_text(str(n))
        os.replace(tmp, self.seq_path)  # before the file exists: a crash skips a number
        on = f"+{snap_number(base):06d}" if base is not None else ""
        return self.snap_dir / f"{n:06d}{on}.duckdb"

    def _prune(self) -> None:
        cur = self.current()
        snaps = self.snapshots()
        states, keep = self._kept(snaps, cur)
        for p in snaps:
            if p not in keep or (cur and snap_number(p) > snap_number(cur)):  # unpublished leftovers of a crash
                for f in _snapshot_files(p):
                    try:
                        f.unlink()
                    except FileNotFoundError:
                        pass
            elif p not in states and not _base_only(p).exists():
                _base_only(p).touch()  # kept for the deltas that read it, no longer for Undo
        # a verdict a reader wrote while its snapshot was being deleted
        for v in self.snap_dir.glob("*.duckdb.ok"):
            if not v.with_name(v.name[:-3]).exists():
                try:
                    v.unlink()
                except FileNotFoundError:
                    pass

    def _kept(self, snaps: list[Path], cur: Path | None) -> tuple[set[Path], set[Path]]:
        """(the states Undo can go back to, the files to keep): the last KEEP snapshots and
        the bases they read, fewer when their files pass the disk budget
        (overlay.DISK_SHARE of the published store's base, or that base + DISK_FLOOR):
        then the oldest go first, but never the published one or the one before it (one
        Undo). A base kept only for its deltas is no state (it is marked so: a later
        prune must not count it back)."""
        states = [p for p in snaps if not _base_only(p).exists()]
        states = [p for p in states[-self.KEEP:] if cur is None or snap_number(p) <= snap_number(cur)]
        if cur is not None and cur not in states:
            states.append(cur)

        def files(ps: list[Path]) -> set[Path]:
            return set(ps) | {b for p in ps if (b := base_of(p)) is not None}

        if cur is not None:
            root = _size_of(base_of(cur) or cur)
            limit = max(overlay.DISK_SHARE * root, root + overlay.DISK_FLOOR)
            states.sort(key=snap_number)
            while len(states) > 2 and sum(_size_of(f) for f in files(states)) > limit:
                states.pop(0)
        return set(states), files(states)

    def _base(self) -> Path | None:
        """What a writer starts from: the published snapshot, or (when it cannot be read)
        the newest readable one before it, or nothing (an empty store)."""
        return self.shown()

    @contextmanager
    def writer(self, adds: int = 0, whole: bool = False, wait: float | None = None) -> Iterator[Store]:
        """Yield a writable Store of a new snapshot made from the published one
        (:meth:`_start`: a delta on it, nothing copied, or a copy of a small delta),
        publish it.

        ``adds``: the bytes of the files the block loads (0: unknown or none); files as
        large as the published snapshot are loaded into a copy (they rebuild the models
        in full, which a delta would first flatten). ``whole``: the block rewrites or
        deletes rows of the large tables (clear, remove sample, rebuild), so a standalone
        published snapshot is copied rather than given a delta to flatten. ``wait``: how
        long to wait for another process's write to end (default: lock_timeout).

        Nothing is published when the block raises: the new file is deleted. When the
        published snapshot cannot be read, the new one starts from the newest readable one.
        """
        with self._lock(wait):
            self._adopt_plain_file()
            self.snap_dir.mkdir(parents=True, exist_ok=True)
            self._prune()
            src = self._base()
            if src is not None and base_of(src) is not None and self._outgrown(src, adds):
                src = self._compact(src)
            new = self._start(src, adds, whole)
            try:
                store = Store(new)  # (migrates a store of an older release; a delta is flattened first)
            except BaseException:
                self._drop(new)
                raise
            try:
                yield store
                cur = store.cursor()
                delta = overlay.is_delta(cur)
                cur.execute("CHECKPOINT")
                store.close()
            except BaseException as exc:
                store.close()
                self._drop(new)
                if isinstance(exc, Abort):
                    return
                raise
            if not delta and base_of(new) is not None:  # flattened on the way (a full rebuild)
                flat = new.with_name(f"{snap_number(new):06d}.duckdb")
                os.replace(new, flat)
                new = flat
            with open(new, "rb+") as fh:
                os.fsync(fh.fileno())
            self._good.add(file_key(new))  # just written by this release
            _mark_verified(new)
            self._publish(new)
            self._prune()

    def _start(self, src: Path | None, adds: int = 0, whole: bool = False) -> Path:
        """The new snapshot a writer writes, made from ``src`` (the snapshot readers are
        shown): a delta on ``src`` when it is standalone (nothing copied), a copy of
        ``src`` when it is a delta (small), a copy of ``src`` when the files to load are
        as large as it (they rebuild the models in full). A delta of an older release is
        copied under a standalone name: opening it migrates it, which flattens it first
        (Store._migrate; a models change rebuilds in full, refresh.full flattens). A new
        store when there is nothing."""
        if src is None:
            return self._next_path()
        base = base_of(src)
        if base is None and (whole or not self.is_good(src) or adds > _size_of(src)):
            # a rewrite, a store of an older release (migrated in the copy), or a load as large as it
            new = self._next_path()
            shutil.copyfile(src, new)
            return new
        if base is None:
            new = self._next_path(src)
            try:
                overlay.create(new, src, _delta_macros())
            except BaseException:
                self._drop(new)
                raise
            return new
        new = self._next_path(base if self.is_good(src) else None)
        shutil.copyfile(src, new)
        return new

    def _outgrown(self, delta: Path, adds: int) -> bool:
        """Whether the published delta is to be compacted before the next write: its own
        rows have passed overlay.COMPACT_SHARE of its base's (and COMPACT_MIN_ROWS), or
        the files to load are as large as the store."""
        if not self.is_good(delta):
            return False  # of an older release: flattened and migrated by the writer
        base = _size_of(base_of(delta))
        if adds > base:
            return True
        if _size_of(delta) > max(overlay.COMPACT_BYTES_SHARE * base, overlay.COMPACT_MIN_BYTES):
            return True
        with Store(delta, read_only=True) as s:
            rows, part = overlay.share(s.cursor())
        return rows >= overlay.COMPACT_MIN_ROWS and part > overlay.COMPACT_SHARE

    def _compact(self, delta: Path) -> Path:
        """Publish the standalone store ``delta`` shows (overlay.compact: its base copied,
        the delta applied) in its place, and delete the snapshots before it: Undo does
        not reach past a compaction (the base they read is gone). Returns the new path."""
        new = self._next_path()
        try:
            overlay.compact(delta, base_of(delta), new)
            with open(new, "rb+") as fh:
                os.fsync(fh.fileno())
        except BaseException:
            self._drop(new)
            raise
        self._good.add(file_key(new))
        _mark_verified(new)
        self._publish(new)
        for p in self.snapshots():
            if snap_number(p) < snap_number(new):
                self._drop(p)
        return new

    @staticmethod
    def _drop(path: Path) -> None:
        for f in _snapshot_files(path):
            if f.exists():
                f.unlink()

    def undo_states(self, shown: Path | None) -> list[Path]:
        """The versions Undo can go back to from ``shown``, oldest first: the snapshots
        before it, except a base kept only for the deltas that read it."""
        return [p for p in self.older_than(shown) if not _base_only(p).exists()]

    def undo(self) -> bool:
        """Publish the snapshot before the one readers are shown. False when there is none.

        The undone snapshot is deleted (undo is not redoable); so is a damaged published
        snapshot that was being skipped."""
        with self._lock():
            cur = self.current()
            shown = self.shown()
            older = None
            if shown is not None:  # the newest readable state before it
                older = next((p for p in reversed(self.undo_states(shown)) if self.is_good(p)), None)
            if older is None:
                return False
            self._publish(older)
            for gone in {cur, shown} - {None}:
                for f in _snapshot_files(gone):
                    if f.exists():
                        f.unlink()
            return True
