"""The query runner: the only way pages and the CLI reach the data.

A query is a file ``queries/NAME.sql``. Its parameters are written ``$name``
and always bound, never formatted into the text. Only the parameters a query
mentions are passed to DuckDB (DuckDB refuses unused ones), and a parameter
the query needs but the caller did not give is an error, not a silent NULL.
"""
from __future__ import annotations

import re
from functools import lru_cache
from collections.abc import Collection
from typing import TYPE_CHECKING, Any

import duckdb

if TYPE_CHECKING:
    import pandas as pd

from .paths import QUERIES_DIR

_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_PARAM_RE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_COMMENT_RE = re.compile(r"--[^\n]*")


class QueryError(RuntimeError):
    pass


def ident(name: str, allowed: Collection[str]) -> str:
    """``name`` as a quoted SQL identifier, for the few statements that must write a table
    or column name into their text (DuckDB binds values, never names). The name must be
    one of ``allowed`` -- the caller's allow-list (a fixed list of tables, the columns a
    DESCRIBE of our own query returned) -- and is double-quoted ("" inside), so even an
    allowed name is only ever a name. Anything else is a QueryError, never SQL."""
    if not isinstance(name, str) or name not in allowed or "\x00" in name:
        raise QueryError(f"identifier not allowed here: {name!r}")
    return '"' + name.replace('"', '""') + '"'


@lru_cache(maxsize=None)
def load_sql(name: str) -> tuple[str, frozenset[str]]:
    """The text of queries/NAME.sql and the names of its parameters."""
    if not _NAME_RE.match(name):
        raise QueryError(f"bad query name {name!r}")
    path = QUERIES_DIR / f"{name}.sql"
    if not path.is_file():
        raise QueryError(f"no query named {name!r}")
    text = path.read_text(encoding="utf-8")
    params = frozenset(_PARAM_RE.findall(_COMMENT_RE.sub("", text)))
    return text, params


def bind(name: str, params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    text, needed = load_sql(name)
    missing = needed - params.keys()
    if missing:
        raise QueryError(f"query {name!r} needs parameters {sorted(missing)}")
    return text, {k: params[k] for k in needed}


def run(cur: duckdb.DuckDBPyConnection, name: str, **params: Any) -> pd.DataFrame:
    """Run queries/NAME.sql on a cursor with bound parameters; a small DataFrame."""
    text, bound = bind(name, params)
    return cur.execute(text, bound).df()


def run_rows(cur: duckdb.DuckDBPyConnection, name: str, **params: Any) -> list[dict[str, Any]]:
    """Like :func:`run`, as a list of plain dicts (for JSON output)."""
    text, bound = bind(name, params)
    rel = cur.execute(text, bound)
    cols = [d[0] for d in rel.description]
    return [dict(zip(cols, row)) for row in rel.fetchall()]


def run_on(cur: duckdb.DuckDBPyConnection, name: str, tables: dict[str, Any], arrow: bool = False,
           **params: Any) -> Any:
    """Run queries/NAME.sql over in-memory results (Arrow tables or frames), each
    registered on the cursor under the table name the query reads (e.g. ``board``:
    one query's cached rows that a leaderboard pages through). A DataFrame, or with
    ``arrow=True`` an Arrow table."""
    text, bound = bind(name, params)
    for key, value in tables.items():
        cur.register(key, value)
    try:
        if arrow:
            return cur.sql(text, params=bound).to_arrow_table()
        return cur.execute(text, bound).df()
    finally:
        for key in tables:
            cur.unregister(key)


def run_arrow(cur: duckdb.DuckDBPyConnection, name: str, **params: Any) -> Any:
    """Like :func:`run`, as an Arrow table (immutable: safe to share from a cache)."""
    text, bound = bind(name, params)
    return cur.sql(text, params=bound).to_arrow_table()
