"""The store: the one module that opens the DuckDB database.

Everything that reads or writes data goes through a :class:`Store`. Pages and
the CLI never call ``duckdb.connect`` themselves, so the way the store is
opened (a single file today; published read-only snapshots later) can change
here without touching pages or queries.

Schema changes are numbered migrations: ``MIGRATIONS[i]`` moves a store from
version ``i`` to ``i + 1``. A store written by an older release is migrated
when it is opened for writing.
"""
from __future__ import annotations

import hashlib
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import duckdb

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
]
SCHEMA_VERSION = len(MIGRATIONS)
LOGS = ("articles", "joins", "sales")
# Table names are identifiers, so they come from this fixed list, never from input.
_COUNT_SQL = {t: "SELECT count(*) FROM " + t for t in LOGS}
_DELETE_SQL = {t: "DELETE FROM " + t for t in (*LOGS, "uploads")}


class StoreError(RuntimeError):
    """The store cannot be opened or is of a newer, unknown version."""


def _models() -> list[Path]:
    return sorted(MODELS_DIR.glob("*.sql"))


def models_hash() -> str:
    h = hashlib.sha256()
    for p in _models():
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


class Store:
    """One DuckDB database file (or ``:memory:``) and its schema."""

    def __init__(self, path: str | Path | None = None, read_only: bool = False):
        self.path = str(path) if path is not None else str(default_db_path())
        self.read_only = read_only
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self._con = duckdb.connect(self.path, read_only=read_only)
        except duckdb.Error as exc:  # locked, corrupt, not a database
            raise StoreError(f"cannot open the store {self.path}: {exc}") from exc
        self._write_lock = threading.Lock()
        if not read_only:
            self._migrate()

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
            "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'meta' AND schema_name = 'main'"
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
        with self.transaction() as cur:
            for version in range(current, SCHEMA_VERSION):
                for ddl in MIGRATIONS[version]:
                    cur.execute(ddl)
            cur.execute(
                "INSERT OR REPLACE INTO meta VALUES ('schema_version', $v)",
                {"v": str(SCHEMA_VERSION)},
            )
            row = cur.execute("SELECT value FROM meta WHERE key = 'models_hash'").fetchone()
            if row is None or row[0] != models_hash():
                self.refresh_models(cur)

    def refresh_models(self, cur: duckdb.DuckDBPyConnection) -> None:
        """(Re)build the derived models from queries/models/*.sql, in name order.

        Call inside the same transaction as any change to the raw logs, so the
        derived tables never disagree with the logs.
        """
        for p in _models():
            cur.execute(p.read_text(encoding="utf-8"))
        cur.execute("INSERT OR REPLACE INTO meta VALUES ('models_hash', $h)", {"h": models_hash()})
        self.bump_data_version(cur)

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

    def clear(self) -> None:
        """Delete every row of the three logs and the upload history."""
        with self.transaction() as cur:
            for sql in _DELETE_SQL.values():
                cur.execute(sql)
            cur.execute("INSERT OR REPLACE INTO meta VALUES ('initialized', 'cleared')")
            self.refresh_models(cur)


def open_store(path: str | Path | None = None, read_only: bool = False) -> Store:
    return Store(path, read_only=read_only)
