"""Step 3, rows in SQL: the macros that clean and type the text columns DuckDB read, and
the SELECT that types a file's rows and writes every problem as a reject reason."""
from __future__ import annotations

import re

from ..columns import COLUMNS
from . import bounds
from .head import _Head

_TRIM = " \t\r\n\u00a0\u3000\ufeff\u200b"
# read_csv's nullstr while reading a CSV: no field of a real file is this, so
# only a field missing from a short row reads as NULL (see _parse_rows).
_NULL_SENTINEL = "\x01\x02contentroi:no-such-field\x02\x01"
_FAST_DT = r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([ T][0-9]{1,2}:[0-9]{1,2}(:[0-9]{1,2}(\.[0-9]{1,9})?)?)?"
_SPACE_DT = r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}( [0-9]{1,2}:[0-9]{1,2}(:[0-9]{1,2}(\.[0-9]{1,9})?)?)?"
_OFFSET = r" ?(Z|[+-][0-9]{2}(:?[0-9]{2})?)"

# Macros are created per load on the load's own connection (TEMP), so they
# are dropped with it. Only constants of this module appear in them.
_MACROS = [
    # trim(v, chars) is slow; only values that start or end with white space pay for it.
    # (Not `ascii(v) IN (codes)`: DuckDB's planner takes time superlinear in the
    # number of such IN lists in one SELECT -- a 100-column file took 80 s.)
    f"""CREATE OR REPLACE TEMP MACRO _cr_clean(v) AS NULLIF(
        CASE WHEN contains('{_TRIM}', left(v, 1)) OR contains('{_TRIM}', right(v, 1))
             THEN trim(v, '{_TRIM}') ELSE v END, '')""",
    r"""CREATE OR REPLACE TEMP MACRO _cr_id(t) AS
        CASE WHEN contains(t, '.') AND regexp_full_match(t, '[0-9]+\.0+') THEN split_part(t, '.', 1) ELSE t END""",
    # Chinese / slash / dotted forms -> 'YYYY-M-D H:M[:S]' (+ offset)
    r"""CREATE OR REPLACE TEMP MACRO _cr_dtnorm(t) AS
        trim(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
          replace(replace(replace(replace(replace(replace(replace(replace(replace(upper(t),
            '年', '-'), '月', '-'), '日', ' '), '号', ' '), '时', ':'), '点', ':'), '分', ':'), '秒', ''), '/', '-'),
          '^([0-9]{4})\.([0-9]{1,2})\.([0-9]{1,2})', '\1-\2-\3'),
          '([0-9])T([0-9])', '\1 \2'),
          ':+( |$|[+-]|Z)', '\1', 'g'),
          '\s+', ' ', 'g'),
          ' ?UTC$', 'Z'))""",
    r"""CREATE OR REPLACE TEMP MACRO _cr_offnorm(n) AS
        regexp_replace(regexp_replace(regexp_replace(n,
          ' ?Z$', '+00:00'),
          ' ?([+-][0-9]{2})$', '\1:00'),
          ' ?([+-][0-9]{2}):?([0-9]{2})$', '\1:\2')""",
    f"""CREATE OR REPLACE TEMP MACRO _cr_dt2(n, tz) AS
        CASE WHEN regexp_full_match(n, '{_SPACE_DT}') THEN TRY_CAST(n AS TIMESTAMP)
             WHEN regexp_full_match(n, '{_SPACE_DT}{_OFFSET}')
               THEN timezone(tz, TRY_CAST(_cr_offnorm(n) AS TIMESTAMPTZ))
        END""",
    # Excel serial day numbers (1899-12-30 based), ~1954..2119
    r"""CREATE OR REPLACE TEMP MACRO _cr_serial(t) AS
        CASE WHEN TRY_CAST(t AS DOUBLE) BETWEEN 20000 AND 80000
             THEN make_timestamp(CAST(round((TRY_CAST(t AS DOUBLE) - 25569) * 86400000) AS BIGINT) * 1000)
        END""",
    f"""CREATE OR REPLACE TEMP MACRO _cr_dt(t, tz) AS
        CASE WHEN t IS NULL THEN NULL
             WHEN regexp_full_match(t, '{_FAST_DT}') THEN TRY_CAST(t AS TIMESTAMP)
             WHEN regexp_full_match(t, '[0-9]{{5}}(\\.[0-9]+)?') THEN _cr_serial(t)
             ELSE _cr_dt2(_cr_dtnorm(t), tz)
        END""",
    r"""CREATE OR REPLACE TEMP MACRO _cr_numtext(t) AS
        regexp_replace(replace(replace(t, '−', '-'), '－', '-'), '[,，\s]', '', 'g')""",
    r"""CREATE OR REPLACE TEMP MACRO _cr_int2(s) AS
        CASE WHEN regexp_full_match(s, '[+-]?[0-9]+(\.0*)?') THEN TRY_CAST(split_part(s, '.', 1) AS BIGINT)
             WHEN regexp_full_match(s, '[+-]?[0-9]+(\.[0-9]{1,4})?万')
                  AND TRY_CAST(replace(s, '万', '') AS DECIMAL(18, 4)) * 10000 % 1 = 0
               THEN TRY_CAST(TRY_CAST(replace(s, '万', '') AS DECIMAL(18, 4)) * 10000 AS BIGINT)
        END""",
    "CREATE OR REPLACE TEMP MACRO _cr_int(t) AS _cr_int2(_cr_numtext(t))",
    r"""CREATE OR REPLACE TEMP MACRO _cr_dec2(s) AS
        CASE WHEN regexp_full_match(s, '[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)') THEN TRY_CAST(s AS DECIMAL(18, 2)) END""",
    # a currency sign or code before the number (after an optional sign), or 元/RMB/CNY after it
    r"""CREATE OR REPLACE TEMP MACRO _cr_dec(t) AS
        _cr_dec2(regexp_replace(regexp_replace(_cr_numtext(t),
            '^([+-]?)(¥|￥|RMB|CNY|人民币)', '\1', 'i'), '(元|RMB|CNY)$', '', 'i'))""",
    """CREATE OR REPLACE TEMP MACRO _cr_event(t) AS
        CASE WHEN lower(t) IN ('contact', 'contacted', '联系', '沟通', '跟进', '咨询') THEN 'contact'
             WHEN lower(t) IN ('payment', 'paid', 'pay', 'purchase', '付费', '付款', '支付', '成交', '购买')
               THEN 'payment'
             WHEN lower(t) IN ('refund', 'refunded', '退款', '退费') THEN 'refund'
        END""",
]

_TYPE_WORDS = {"datetime": "a date/time", "int": "a whole number", "decimal": "an amount"}


def _q(name: str) -> str:
    """Quote one of this module's own identifiers (canonical column names)."""
    assert re.fullmatch(r"[a-z_][a-z0-9_]*", name), name
    return '"' + name + '"'


def _reason_cannot(kind_words: str, v: str) -> str:
    return f"'cannot read ''' || left({v}, 80) || ''' as {kind_words}'"


def _err(k: int, col: str, reason_sql: str, v: str) -> str:
    return (f"struct_pack(k := {int(k)}, col := '{col}', reason := {reason_sql}, "
            f"val := left({v}, {bounds.MAX_VALUE_CHARS}))")


def _used_columns(head: _Head, mapping: dict[str, str], extra_idx: list[int]) -> list[int]:
    """The fields the load reads: the mapped columns and the kept extra ones.

    A file may have thousands of columns. Only these (at most 7 +
    bounds.MAX_EXTRA_COLUMNS) are carried past read_csv, plus ``_keep``: false for a
    blank row (see _keep_sql). (Carrying them all made DuckDB's planner take
    minutes for 100 columns, and crashed the process -- SIGSEGV, SIGFPE -- at
    about 9,000.)"""
    idx = {h: i for i, h in enumerate(head.headers)}
    return sorted({idx[h] for h in mapping.values()} | set(extra_idx))


def _keep_sql(n: int) -> str:
    """True when some field of the row is more than white space (every field
    run together has a character outside _TRIM)."""
    fields = "concat(" + ", ".join(f"c{i}" for i in range(n)) + ")" if n > 1 else "coalesce(c0, '')"
    return f"regexp_matches({fields}, '[^{_TRIM}]')"


def _typed_sql(log: str, head: _Head, mapping: dict[str, str], extra_idx: list[int],
               src: str, dst: str) -> str:
    """CREATE TEMP TABLE dst: one row per non-blank data row with typed
    canonical columns, `extra`, and `errs` (NULL when the row is good)."""
    idx = {h: i for i, h in enumerate(head.headers)}
    # src holds only the used columns and `_keep` (see _used_columns).
    tcols = "".join(f", _cr_clean(c{i}) AS t{i}" for i in _used_columns(head, mapping, extra_idx))
    vcols, pcols, errs, oks = [], [], [], []
    specs = COLUMNS[log]
    for s in specs:
        v = f"v_{s.name}"
        if s.name in mapping:
            vcols.append(f"t{idx[mapping[s.name]]} AS {v}")
        else:
            vcols.append(f"NULL::VARCHAR AS {v}")
    if extra_idx:
        items = ", ".join(f"struct_pack(k := $x{j}, v := t{i})" for j, i in enumerate(extra_idx))
        vcols.append(
            "NULLIF(to_json(map_from_entries(list_filter([" + items +
            "], lambda e: e.v IS NOT NULL))), '{}'::JSON) AS extra")
    else:
        vcols.append("NULL::JSON AS extra")

    def add(cond: str, col: str, reason_sql: str, v: str) -> None:
        errs.append(f"CASE WHEN {cond} THEN {_err(len(errs) + 1, col, reason_sql, v)} END")
        oks.append(f"NOT coalesce({cond}, false)")

    for s in specs:
        v, name = f"v_{s.name}", s.name
        if s.type == "datetime":
            p = f"_cr_dt({v}, $tz)"
        elif s.type == "int":
            p = f"_cr_int({v})"
        elif s.type == "decimal":
            p = f"_cr_dec({v})"
        elif s.type == "event":
            p = f"_cr_event({v})"
        elif s.is_id:
            p = f"_cr_id({v})"
        else:
            p = v
        pcols.append(f"{p} AS p_{name}")
        if s.required:
            add(f"{v} IS NULL", name, "'missing value'", v)
        if s.type in _TYPE_WORDS:
            add(f"{v} IS NOT NULL AND p_{name} IS NULL", name, _reason_cannot(_TYPE_WORDS[s.type], v), v)
        if s.type == "event":
            add(f"{v} IS NOT NULL AND p_{name} IS NULL", name,
                f"'unknown event ''' || left({v}, 80) || ''' (expected contact, payment or refund)'", v)
        if s.type in ("int", "decimal") and not (log == "sales" and name == "amount"):
            add(f"p_{name} < 0", name, "'must not be negative'", v)
    finals = [f"p_{s.name} AS {_q(s.name)}" for s in specs]
    if log == "sales":
        add("p_event IN ('payment', 'refund') AND v_amount IS NULL", "amount",
            "'missing value (a ' || p_event || ' needs an amount)'", "v_amount")
        add("p_event = 'payment' AND p_amount < 0", "amount",
            "'a payment amount must not be negative'", "v_amount")
        finals = [f for f in finals if not f.startswith("p_amount ")]
        finals.append("CASE WHEN p_event = 'refund' THEN abs(p_amount) ELSE p_amount END AS \"amount\"")
    ok = " AND ".join(oks) if oks else "true"
    errlist = "list_filter([" + ", ".join(errs) + "], lambda e: e IS NOT NULL)"
    # A row with too few or too many fields (`_shape`, see _parse_rows) gets
    # that one reason only, spelled out in Python like DuckDB's own.
    shaped = (f"[struct_pack(k := 0, col := '(row)', reason := _shape, "
              f"val := left(trim(_row, '{_TRIM}'), {bounds.MAX_VALUE_CHARS}))]")
    return f"""
        CREATE TABLE {dst} AS
        WITH s AS (SELECT line, _shape, _row{tcols} FROM {src} WHERE _keep),
             v AS (SELECT line, _shape, _row, {', '.join(vcols)} FROM s),
             p AS (SELECT *, {', '.join(pcols)} FROM v)
        SELECT line, {', '.join(finals)}, extra,
               CASE WHEN _shape IS NOT NULL THEN {shaped} WHEN {ok} THEN NULL ELSE {errlist} END AS errs
        FROM p
    """


def _malformed_reason(error_type: str, ncols: int) -> str:
    return {
        "MISSING COLUMNS": f"too few fields: the header has {ncols}",
        "TOO MANY COLUMNS": f"too many fields: the header has {ncols}",
        "UNQUOTED VALUE": "a quoted field is not closed, or has text after its closing quote",
        "INVALID UNICODE": "the row has invalid characters",
        "LINE SIZE OVER MAXIMUM": "the row is too long",
        "UNCLOSED TAIL": "a quoted field is not closed: this row and the rest of the file cannot be read",
    }.get(error_type, "the row cannot be read")
