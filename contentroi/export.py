"""Report output written by DuckDB: JSON and CSV text without a Python row loop.

``report --format json|csv`` used to fetch pandas frames and build every row
as Python objects before ``json.dumps`` (about 5 s of a 10x report). Here the
report queries are wrapped in one more ``SELECT`` that turns each row into its
finished text, typed by the query's own result columns, and Python only joins
the lines. The text is exactly what ``json.dumps(obj, ensure_ascii=False,
indent=2)`` and ``csv`` wrote before (tests/test_report_output.py keeps that
renderer as the reference), except that an integer column holding a null stays
integer (``1000``, not ``1000.0``).

CSV cells are formula-safe with the rule of :func:`contentroi.fmt.neutralise_formula`
(its pattern is bound as a parameter: one definition). No pandas here.
"""
from __future__ import annotations

import json
from typing import Any, Sequence

import duckdb

from . import sql
from .engine import ARTICLE_FIELDS, TOTAL_FIELDS
from .fmt import FORMULA_PATTERN

CHANNEL_FIELDS = ("channel",) + TOTAL_FIELDS
# report sections: (key, query, the fields written, in order)
SECTIONS = (("totals", "report_totals", TOTAL_FIELDS),
            ("channels", "report_channels", CHANNEL_FIELDS),
            ("articles", "report_articles", ARTICLE_FIELDS))
CSV_FIELDS = ("level", "channel", "article_id", "title", "author", "published_at") + tuple(
    f for f in ARTICLE_FIELDS if f not in ("article_id", "title", "channel", "author", "published_at")
) + ("unattributed_revenue",)
CSV_LEVEL = {"totals": "total", "channels": "channel", "articles": "article"}

_INTS = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
         "UINTEGER", "UBIGINT", "UHUGEINT"}
_FLOATS = {"DOUBLE", "FLOAT", "REAL"}
# characters json.dumps writes as \u00xx (DuckDB's to_json writes them in upper case)
_CTRL_RE = "[\\x00-\\x08\\x0b\\x0e-\\x1f]"
_JSON_CHAR = ("CASE ch WHEN '\"' THEN '\\\"' WHEN '\\' THEN '\\\\' WHEN chr(8) THEN '\\b' "
              "WHEN chr(12) THEN '\\f' WHEN chr(10) THEN '\\n' WHEN chr(13) THEN '\\r' "
              "WHEN chr(9) THEN '\\t' ELSE CASE WHEN ord(ch) < 32 THEN printf('\\u%04x', ord(ch)) "
              "ELSE ch END END")


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _number(c: str, typ: str) -> str | None:
    """SQL text of a numeric cell as Python's repr would print it (None: not a number)."""
    base = typ.split("(")[0]
    if base in _INTS:
        return f"CAST({c} AS VARCHAR)"
    if base in _FLOATS or base == "DECIMAL":
        d = f"CAST({c} AS DOUBLE)"
        return (f"CASE WHEN isnan({d}) THEN NULL WHEN isinf({d}) THEN "
                f"CASE WHEN {d} > 0 THEN 'Infinity' ELSE '-Infinity' END ELSE CAST({d} AS VARCHAR) END")
    return None


def _timestamp(c: str) -> str:
    """datetime.isoformat(sep=' '): microseconds only when there are some."""
    return (f"CASE WHEN epoch_us({c}) % 1000000 <> 0 THEN strftime({c}, '%Y-%m-%d %H:%M:%S.%f') "
            f"ELSE strftime({c}, '%Y-%m-%d %H:%M:%S') END")


def _json_cell(c: str, typ: str) -> str:
    num = _number(c, typ)
    if num is not None:
        return f"coalesce({num}, 'null')"
    if typ == "VARCHAR":
        slow = f"'\"' || array_to_string(list_transform(string_split({c}, ''), lambda ch: {_JSON_CHAR}), '') || '\"'"
        return (f"CASE WHEN {c} IS NULL THEN 'null' WHEN regexp_matches({c}, '{_CTRL_RE}') THEN {slow} "
                f"ELSE CAST(to_json({c}) AS VARCHAR) END")
    if typ == "BOOLEAN":
        return f"CASE WHEN {c} THEN 'true' WHEN NOT {c} THEN 'false' ELSE 'null' END"
    if typ == "TIMESTAMP":
        return f"coalesce('\"' || {_timestamp(c)} || '\"', 'null')"
    return f"coalesce(CAST(to_json({c}) AS VARCHAR), 'null')"


def _csv_cell(c: str, typ: str) -> str:
    num = _number(c, typ)
    if num is not None:
        return f"coalesce({num}, '')"
    if typ == "TIMESTAMP":
        return f"coalesce({_timestamp(c)}, '')"
    if typ == "BOOLEAN":
        return f"CASE WHEN {c} THEN 'True' WHEN NOT {c} THEN 'False' ELSE '' END"
    v = f"CAST({c} AS VARCHAR)"
    safe = f"CASE WHEN regexp_matches({v}, $__formula) THEN '''' || {v} ELSE {v} END"
    # quoted where csv.writer quotes (and on a lone \r, which it does not quote but should)
    return (f"coalesce(CASE WHEN regexp_matches({v}, '[,\"\\r\\n]') "
            f"THEN '\"' || replace({safe}, '\"', '\"\"') || '\"' ELSE {safe} END, '')")


def _body(name: str, params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    text, bound = sql.bind(name, params)
    text = text.rstrip()
    if text.endswith(";"):
        text = text[:-1]
    return text, bound


def _types(cur: duckdb.DuckDBPyConnection, body: str, bound: dict[str, Any]) -> dict[str, str]:
    rows = cur.execute(f"DESCRIBE SELECT * FROM (\n{body}\n) AS r", bound).fetchall()
    return {r[0]: r[1] for r in rows}


def _lines(cur: duckdb.DuckDBPyConnection, body: str, bound: dict[str, Any], expr: str) -> list[str]:
    rows = cur.execute(f"SELECT {expr} AS line FROM (\n{body}\n) AS r", bound).fetchall()
    return [r[0] for r in rows]


def _json_rows(cur, name: str, fields: Sequence[str], params: dict[str, Any], pad: int) -> list[str]:
    """Each row of queries/NAME.sql as an indented JSON object (json.dumps, indent=2)."""
    body, bound = _body(name, params)
    types = _types(cur, body, bound)
    inner, outer = " " * (pad + 2), " " * pad
    parts = []
    for i, f in enumerate(fields):
        key = _lit(("{\n" if i == 0 else ",\n") + inner + json.dumps(f) + ": ")
        cell = _json_cell(f"r.{sql.ident(f, types)}", types[f]) if f in types else "'null'"
        parts += [key, cell]
    parts.append(_lit("\n" + outer + "}"))
    return _lines(cur, body, bound, f"concat({', '.join(parts)})")


def _csv_rows(cur, name: str, fields: Sequence[str], params: dict[str, Any], level: str) -> list[str]:
    body, bound = _body(name, params)
    types = _types(cur, body, bound)
    cells = []
    for f in CSV_FIELDS:
        if f == "level":
            cells.append(_lit(level))
        elif f in fields and f in types:
            cells.append(_csv_cell(f"r.{sql.ident(f, types)}", types[f]))
        else:
            cells.append("''")
    if any("$__formula" in c for c in cells):
        bound = {**bound, "__formula": FORMULA_PATTERN}
    return _lines(cur, body, bound, f"concat_ws(',', {', '.join(cells)})")


def _indent(text: str) -> str:
    return text.replace("\n", "\n  ")


def report_json(cur: duckdb.DuckDBPyConnection, bind: dict[str, Any], params_obj: dict[str, Any],
                ingest: dict[str, Any]) -> str:
    """The report as ``json.dumps(..., ensure_ascii=False, indent=2) + '\\n'`` would write it."""
    blocks = [("params", _indent(json.dumps(params_obj, ensure_ascii=False, indent=2)))]
    for key, name, fields in SECTIONS:
        if key == "totals":
            blocks.append((key, _json_rows(cur, name, fields, bind, 2)[0]))
            continue
        rows = _json_rows(cur, name, fields, bind, 4)
        blocks.append((key, "[\n    " + ",\n    ".join(rows) + "\n  ]" if rows else "[]"))
    blocks.append(("ingest", _indent(json.dumps(ingest, ensure_ascii=False, indent=2))))
    return "{\n" + ",\n".join(f"  {json.dumps(k)}: {v}" for k, v in blocks) + "\n}\n"


def report_csv(cur: duckdb.DuckDBPyConnection, bind: dict[str, Any]) -> str:
    """One CSV: the total, then each channel, then each article (a ``level`` column says which)."""
    lines = [",".join(CSV_FIELDS)]
    for key, name, fields in SECTIONS:
        lines += _csv_rows(cur, name, fields, bind, CSV_LEVEL[key])
    return "\n".join(lines) + "\n"
