"""Fuzzed ingestion (CONTRACT §1, "Bad input"): random and mutated CSV / xlsx
bytes into ``ingest.load_file`` and ``ingest.inspect_file``.

Properties, for every input:

- no unexpected exception: a file is either ``refused`` (with a message,
  nothing stored) or ``loaded`` with ``accepted + rejected + duplicates ==
  rows_read``;
- never a partial load: after a refused file, or a fault injected at any load
  stage (``ingest.load._FAULT``), every table of the store is the same, row for row
  (``SELECT * ... ORDER BY ALL``), and no scratch database or temp table is
  left behind;
- a loaded file adds exactly ``accepted`` rows (articles: ``accepted -
  updated``) and one ``uploads`` row with the same counts;
- every rejected row has ``line >= 2``, a column and a reason, and the rejected
  count is the number of distinct rejected lines;
- idempotence: loading the same bytes again accepts and updates nothing.

Run with ``-s`` to see how many cases each property ran (the last test prints
the tally).
"""
from __future__ import annotations

import codecs
import collections
import contextlib
import csv
import datetime as dt
import io
import os
import shutil
import tempfile
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from contentroi import ingest
from contentroi.columns import COLUMNS, required_columns
from contentroi.store import Store

ROOT = Path(__file__).resolve().parent.parent
CASES: collections.Counter = collections.Counter()
LOGS = ("articles", "joins", "sales")
STAGES = ("read", "typed", "insert", "record", "refresh")
# CONTENTROI_FUZZ_SCALE=10 runs ten times the examples (a longer campaign)
SCALE = float(os.environ.get("CONTENTROI_FUZZ_SCALE", "1"))


def _n(examples: int) -> int:
    return max(1, round(examples * SCALE))


FUZZ = dict(deadline=None, derandomize=False,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                   HealthCheck.function_scoped_fixture, HealthCheck.large_base_example])


@pytest.fixture(autouse=True)
def _no_fault_shanghai(monkeypatch):
    monkeypatch.delenv("CONTENTROI_TZ", raising=False)
    monkeypatch.setattr(ingest.load, "_FAULT", None)


class Boom(Exception):
    """The injected fault."""


# ---------------------------------------------------------------------------
# the store: a small baseline whose keys the fuzzed rows often hit
# ---------------------------------------------------------------------------
_BASELINE = [
    """INSERT INTO uploads VALUES (nextval('upload_seq'), 'articles', 'base.csv', TIMESTAMP '2024-03-01',
        'test', 'utf-8', ',', NULL, 2, 2, 0, 0, 0, '{}')""",
    """INSERT INTO articles (article_id, title, channel, published_at, author, reads, cost, extra, upload_id) VALUES
        ('A1', 'Base title', 'wechat', TIMESTAMP '2024-03-01 09:00', NULL, 100, 1.50, NULL, 1),
        ('1001', '标题', 'zhihu', TIMESTAMP '2024-03-02 00:00', '小王', NULL, NULL, '{"x": "1"}', 1)""",
    """INSERT INTO uploads VALUES (nextval('upload_seq'), 'joins', 'base.csv', TIMESTAMP '2024-03-01',
        'test', 'utf-8', ',', NULL, 2, 2, 0, 0, 0, '{}')""",
    """INSERT INTO joins (user_id, joined_at, article_id, group_id, extra, upload_id) VALUES
        ('u1', TIMESTAMP '2024-03-01 09:00', 'A1', NULL, NULL, 2),
        ('1001', TIMESTAMP '2024-03-02 00:00', NULL, 'g', NULL, 2)""",
    """INSERT INTO uploads VALUES (nextval('upload_seq'), 'sales', 'base.csv', TIMESTAMP '2024-03-01',
        'test', 'utf-8', ',', NULL, 2, 2, 0, 0, 0, '{}')""",
    """INSERT INTO sales (user_id, event, occurred_at, rep, amount, order_id, extra, upload_id) VALUES
        ('u1', 'payment', TIMESTAMP '2024-03-02 10:00', NULL, 99.00, 'o1', NULL, 3),
        ('u2', 'contact', TIMESTAMP '2024-03-01 10:00', 'rep', NULL, NULL, NULL, 3)""",
]


_TMP = tempfile.TemporaryDirectory(prefix="contentroi-fuzz-")
_TEMPLATE: list[Path] = []


@contextlib.contextmanager
def fresh_store():
    """A file store holding the baseline: a copy of a template built once
    (copying is four times faster than migrating a new store)."""
    if not _TEMPLATE:
        tpl = Path(_TMP.name) / "template.duckdb"
        with Store(tpl) as s:
            with s.transaction() as cur:
                for sql in _BASELINE:
                    cur.execute(sql)
                s.refresh_models(cur)
            s.cursor().execute("CHECKPOINT")
        _TEMPLATE.append(tpl)
    path = Path(_TMP.name) / f"{uuid.uuid4().hex}.duckdb"
    shutil.copyfile(_TEMPLATE[0], path)
    s = Store(path)
    try:
        yield s
    finally:
        s.close()
        for f in (path, path.with_name(path.name + ".wal")):
            f.unlink(missing_ok=True)


def snapshot(store: Store) -> dict:
    """Every base table of the store, row for row, and what is attached."""
    cur = store.cursor()
    names = [r[0] for r in cur.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
        "AND NOT temporary ORDER BY 1").fetchall()]
    out = {t: cur.execute(f'SELECT * FROM "{t}" ORDER BY ALL').fetchall() for t in names}
    out["(databases)"] = cur.execute(
        "SELECT database_name FROM duckdb_databases() ORDER BY 1").fetchall()
    out["(temp tables)"] = cur.execute(
        "SELECT database_name, table_name FROM duckdb_tables() WHERE temporary ORDER BY ALL").fetchall()
    cur.close()
    return out


def count(store: Store, table: str) -> int:
    return store.cursor().execute(f"SELECT count(*) FROM {table}").fetchone()[0]


# ---------------------------------------------------------------------------
# the checks
# ---------------------------------------------------------------------------
COLUMN_NAMES = {log: {s.name for s in COLUMNS[log]} for log in LOGS}


def check_load(store: Store, data: bytes, log: str, name: str = "fuzz.csv") -> ingest.LoadResult:
    """Load ``data`` and assert every per-load property; returns the result."""
    before = snapshot(store)
    n_before = count(store, log)
    try:
        r = ingest.load_file(store, data, log, file_name=name)
    except Exception as exc:  # noqa: BLE001
        raise AssertionError(f"load_file raised {type(exc).__name__}: {exc}") from exc
    after = snapshot(store)
    assert r.status in ("loaded", "refused"), r.status
    if r.status == "refused":
        assert isinstance(r.message, str) and r.message.strip(), "a refusal without a message"
        assert after == before, "a refused file changed the store"
        return r
    assert r.rows_read >= 0 and min(r.accepted, r.rejected, r.duplicates, r.updated) >= 0
    assert r.accepted + r.rejected + r.duplicates == r.rows_read, r
    assert r.updated <= r.accepted
    for x in r.rejects:
        assert isinstance(x.line, int) and x.line >= 2, x
        assert x.column == "(row)" or x.column in COLUMN_NAMES[log], x
        assert isinstance(x.reason, str) and x.reason.strip(), x
        assert x.value is None or (isinstance(x.value, str) and len(x.value) <= ingest.MAX_VALUE_CHARS), x
    if r.rejected < ingest.MAX_REJECTS_KEPT:
        assert len({x.line for x in r.rejects}) == r.rejected, (r.rejected, r.rejects[:10])
    added = count(store, log) - n_before
    assert added == (r.accepted - r.updated if log == "articles" else r.accepted), (added, r)
    up = store.cursor().execute(
        "SELECT log, rows_read, accepted, rejected, duplicates, updated FROM uploads WHERE upload_id = $u",
        {"u": r.upload_id}).fetchall()
    assert up == [(log, r.rows_read, r.accepted, r.rejected, r.duplicates, r.updated)], up
    assert len(after["uploads"]) == len(before["uploads"]) + 1
    for t in LOGS:
        if t != log:
            assert after[t] == before[t], f"loading {log} changed {t}"
    for k in ("(databases)", "(temp tables)"):
        assert after[k] == before[k], f"{k} left behind: {after[k]}"
    return r


def check_reload(store: Store, data: bytes, log: str, first: ingest.LoadResult) -> None:
    """The same bytes again add nothing (and read the same)."""
    rows = snapshot(store)[log]
    r2 = check_load(store, data, log)
    assert r2.status == first.status == "loaded"
    assert (r2.rows_read, r2.rejected) == (first.rows_read, first.rejected)
    assert (r2.accepted, r2.updated) == (0, 0), r2
    assert r2.duplicates == first.rows_read - first.rejected
    assert snapshot(store)[log] == rows


def load_and_reload(data: bytes, log: str, name: str = "fuzz.csv") -> ingest.LoadResult:
    with fresh_store() as s:
        r = check_load(s, data, log, name)
        if r.status == "loaded":
            check_reload(s, data, log, r)
        return r


# ---------------------------------------------------------------------------
# strategies: valid-ish files, then bytes mutated
# ---------------------------------------------------------------------------
_VALUES = {
    "id": ["A1", "A2", "A3", " A1 ", "1001", "1001.0", "a'1", '"q"', "文章1", "", " ",
           "x'); DROP TABLE articles; --"],
    "user": ["u1", "u2", " u3 ", "1001.0", "1001", "用户甲", "", "\u3000u1\u3000", "u'; DROP TABLE joins; --"],
    "datetime": ["2024-03-01 09:00", "2024-03-01T08:00:00", "2024/3/2", "2024年3月2日 10:30",
                 "2024-03-01 08:00:00+08:00", "2024-03-01T00:00:00Z", "45000", "2024-03-02",
                 "yesterday", "2024-13-45", "2024-02-30", "", "0000-00-00", "9999-99-99 99:99",
                 "2024-03-01 25:00", "1e309"],
    "int": ["100", "1,200", "-5", "abc", "1.5", "3万", "1.0", "", "99999999999999999999999", "１２"],
    "decimal": ["¥1,280.00", "99", "-1", "x", "1e5", "", "12元", "RMB 5", "0.005", "1" * 30, "NaN", "-0"],
    "event": ["contact", "payment", "refund", "付费", "联系", "退款", "bogus", "", "PAYMENT", " refund "],
    "text": ["wechat", "zhihu", "公众号", "", "=cmd|' /C calc'!A0", "<script>alert(1)</script>",
             "multi\nline", 'quote "inside"', "a,b;c\td"],
}


def _kind(spec) -> str:
    if spec.type in ("datetime", "int", "decimal", "event"):
        return spec.type
    if spec.name == "user_id":
        return "user"
    if spec.is_id:
        return "id"
    return "text"


def _value(kind: str):
    return st.one_of(st.sampled_from(_VALUES[kind]), st.text(max_size=12))


_SEPARATORS = st.sampled_from([",", ";", "\t"])
_LINE_ENDS = st.sampled_from(["\n", "\r\n"])
_ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16", "utf-16-le", "utf-16-be"])


def _encode(text: str, enc: str) -> bytes:
    if enc == "utf-16-be":  # with a BOM, as Excel would
        return codecs.BOM_UTF16_BE + text.encode("utf-16-be", "replace")
    return text.encode(enc, "replace")


@st.composite
def tables(draw, log: str | None = None, max_rows: int = 8, drop_required: bool = True):
    """(log, header, rows): a header (canonical names or aliases, some columns
    left out, some extra) and rows of plausible, bad and random values."""
    log = log or draw(st.sampled_from(LOGS))
    specs = COLUMNS[log]
    chosen = []
    for s in specs:
        keep = True if s.required else draw(st.booleans())
        if s.required and drop_required and draw(st.integers(0, 12)) == 0:
            keep = False                          # a required column missing: refused
        if keep:
            name = draw(st.sampled_from((s.name,) + s.aliases[:4]))
            if draw(st.integers(0, 4)) == 0:
                name = f" {name.upper()} "
            chosen.append((name, _kind(s)))
    for _ in range(draw(st.integers(0, 3))):
        chosen.append((draw(st.text(max_size=8)), "text"))
    chosen = draw(st.permutations(chosen))
    rows = []
    for _ in range(draw(st.integers(0, max_rows))):
        row = [draw(_value(k)) for _, k in chosen]
        shape = draw(st.integers(0, 9))
        if shape == 0 and row:
            row = row[:draw(st.integers(0, len(row) - 1))]     # too few fields
        elif shape == 1:
            row = row + [draw(st.text(max_size=5))]           # too many fields
        rows.append(row)
    return log, [h for h, _ in chosen], rows


@st.composite
def csv_texts(draw, log: str | None = None, max_rows: int = 8, with_delim: bool = False,
              drop_required: bool = True):
    """(log, text): a table written as CSV with a random separator and line end."""
    log, header, rows = draw(tables(log, max_rows, drop_required))
    delim, end = draw(_SEPARATORS), draw(_LINE_ENDS)
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delim, lineterminator=end)
    w.writerow(header)
    for row in rows:
        w.writerow(row)
        if draw(st.integers(0, 15)) == 0:
            buf.write(end)                                      # a blank line
    if with_delim:
        return log, buf.getvalue(), delim
    return log, buf.getvalue()


_SPECIAL = [b"\x00", b"\r", b"\n", b"\r\n", b'"', b",", b";", b"\t", codecs.BOM_UTF8,
            codecs.BOM_UTF16_LE, b"\xff", b"\xfe\xff", b"\xe4\xb8", b'""', b'"\n', "群".encode("gbk"),
            "群".encode("utf-8"), b"\\", b"'", b" ", b"\x1a", b"\x85", b"\xc0\x80"]
_OP = st.one_of(
    st.tuples(st.just("flip"), st.floats(0, 1), st.integers(0, 255)),
    st.tuples(st.just("insert"), st.floats(0, 1),
              st.one_of(st.sampled_from(_SPECIAL), st.binary(min_size=1, max_size=8))),
    st.tuples(st.just("delete"), st.floats(0, 1), st.integers(1, 16)),
    st.tuples(st.just("dup"), st.floats(0, 1), st.integers(1, 64)),
    st.tuples(st.just("truncate"), st.floats(0, 1), st.just(0)),
)


def mutate(data: bytes, ops) -> bytes:
    b = bytearray(data)
    for op, where, arg in ops:
        pos = min(len(b), int(where * len(b)))
        if op == "flip" and b:
            b[min(pos, len(b) - 1)] = arg
        elif op == "insert":
            b[pos:pos] = arg
        elif op == "delete":
            del b[pos:pos + arg]
        elif op == "dup":
            b[pos:pos] = b[pos:pos + arg]
        elif op == "truncate":
            del b[pos:]
    return bytes(b)


def _sample_seed(log: str, lines: int = 12) -> bytes:
    with open(ROOT / "data" / "sample" / f"{log}.csv", "rb") as f:
        return b"".join(f.readline() for _ in range(lines))


SEEDS = {log: _sample_seed(log) for log in LOGS}


@st.composite
def mutated_files(draw):
    """A valid-ish file (generated, or the head of the bundled sample), in a
    random encoding, with a few byte-level mutations."""
    if draw(st.booleans()):
        log = draw(st.sampled_from(LOGS))
        text = SEEDS[log].decode("utf-8")
    else:
        log, text = draw(csv_texts())
    data = _encode(text, draw(_ENCODINGS))
    data = mutate(data, draw(st.lists(_OP, max_size=4)))
    return log, data


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


SHAPES = ("empty", "header only", "bom only", "huge cell", "wide", "unclosed quote", "lone cr",
          "nul bytes", "bom in the middle", "random bytes", "mixed encodings", "ragged",
          "only blank lines", "mixed line ends")


@st.composite
def special_files(draw, shape: str | None = None):
    """The shapes the issue lists, each built from a generated file."""
    log, text, delim = draw(csv_texts(max_rows=5, with_delim=True, drop_required=False))
    shape = shape or draw(st.sampled_from(SHAPES))
    lines = _lines(text)
    header = lines[0] if lines else ""
    if shape == "empty":
        data = b""
    elif shape == "header only":
        data = header.rstrip("\r\n").encode() if draw(st.booleans()) else header.encode()
    elif shape == "bom only":
        data = draw(st.sampled_from([codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE,
                                     codecs.BOM_UTF8 + b"\n\n"]))
    elif shape == "huge cell":   # a 1 MB value in a random field of a random row
        body = lines[1:] or ["x\n"]
        i = draw(st.integers(0, len(body) - 1))
        cell = draw(st.sampled_from(["x", "群", "2024-01-01 ", '"'])) * ((1 << 20) // 3)
        row = body[i].rstrip("\r\n")
        j = draw(st.integers(0, len(row)))
        body[i] = row[:j] + cell + row[j:] + "\n"
        data = (header + "".join(body)).encode("utf-8")
    elif shape == "wide":        # hundreds of columns (10,000: see test_ten_thousand_columns)
        extra = draw(st.integers(100, 400))
        hdr = header.rstrip("\r\n") + "".join(f"{delim}x{k}" for k in range(extra)) + "\n"
        body = "".join(ln.rstrip("\r\n") + delim * draw(st.integers(0, extra + 1)) + "\n" for ln in lines[1:])
        data = (hdr + body).encode("utf-8")
    elif shape == "unclosed quote":
        i = draw(st.integers(0, len(text)))
        data = (text[:i] + '"' + text[i:]).encode("utf-8")
    elif shape == "lone cr":
        data = text.replace("\r\n", "\n").replace("\n", "\r").encode("utf-8")
        if draw(st.booleans()):
            data = data.rstrip(b"\r")
    elif shape == "nul bytes":
        data = mutate(text.encode("utf-8"), [("insert", draw(st.floats(0, 1)), b"\x00" * draw(st.integers(1, 3)))
                                             for _ in range(draw(st.integers(1, 5)))])
    elif shape == "bom in the middle":
        bom = draw(st.sampled_from([codecs.BOM_UTF8, codecs.BOM_UTF16_LE]))
        enc = draw(st.sampled_from(["utf-8", "gb18030"]))
        parts = [ln.encode(enc, "replace") for ln in lines]
        for _ in range(draw(st.integers(1, 3))):
            parts.insert(draw(st.integers(1, max(1, len(parts)))), bom)
        data = b"".join(parts)
    elif shape == "random bytes":
        data = draw(st.binary(max_size=3000))
    elif shape == "mixed encodings":
        encs = draw(st.lists(_ENCODINGS, min_size=2, max_size=2))
        data = b"".join(_encode(ln, encs[k % 2]) for k, ln in enumerate(lines))
    elif shape == "ragged":
        out = [header]
        for ln in lines[1:]:
            row = ln.rstrip("\r\n")
            cut = draw(st.integers(0, len(row)))
            out.append(row[:cut] + (",,,,,,,,"[:draw(st.integers(0, 8))]) + "\n")
        data = "".join(out).encode("utf-8")
    elif shape == "only blank lines":
        data = (header + draw(st.sampled_from(["\n\n\n", " \n\t\n", ",,,\n,,\n", "\r\n\r\n"]))).encode()
    else:  # mixed line ends
        ends = ["\n", "\r\n", "\r"]
        data = "".join(ln.rstrip("\r\n") + draw(st.sampled_from(ends)) for ln in lines).encode("utf-8")
    return log, shape, data


# ---------------------------------------------------------------------------
# the properties
# ---------------------------------------------------------------------------
@settings(max_examples=_n(30), **FUZZ)
@given(mutated_files())
@example(("joins", b"user_id,joined_at\nu1,2024-01-01\r\nu2,2024-01-02\ru3,2024-01-03\n"))
@example(("joins", b"user_id,joined_at\nu1\r,2024-01-01\n"))
def test_fuzz_mutated_files_load_whole_or_not_at_all(case):
    CASES["mutated files: load + reload"] += 1
    log, data = case
    load_and_reload(data, log)


@pytest.mark.parametrize("shape", SHAPES)
@settings(max_examples=_n(4), **FUZZ)
@given(data=st.data())
def test_fuzz_special_shapes(shape, data):
    log, shape, data = data.draw(special_files(shape), label="file")
    CASES["special shapes: load + reload"] += 1
    CASES[f"  shape: {shape}"] += 1
    r = load_and_reload(data, log)
    if shape in ("empty", "bom only"):
        assert r.status == "refused"
    if shape == "header only" and r.status == "loaded":
        assert r.rows_read == 0


@pytest.mark.parametrize("stage", STAGES)
@settings(max_examples=_n(5), **FUZZ)
@given(csv_texts(drop_required=False), _ENCODINGS,
       st.one_of(st.just([]), st.lists(_OP, max_size=2)))
def test_fuzz_fault_at_any_stage_leaves_store_unchanged(stage, case, enc, ops):
    """A fault mid-load (any stage) rolls the file back; the file then loads normally."""
    CASES["fault injection"] += 1
    log, text = case
    data = mutate(_encode(text, enc), ops)
    reached = []

    def fault(name):
        reached.append(name)
        if name == stage:
            raise Boom(name)

    with fresh_store() as s:
        before = snapshot(s)
        ingest.load._FAULT = fault
        try:
            try:
                r = ingest.load_file(s, data, log, file_name="f.csv", save_mapping=True)
            except Boom:
                CASES[f"  fault raised at {stage}"] += 1
            else:
                # only a refused file (or one whose stage list is shorter) gets here
                assert r.status == "refused", (stage, reached, r)
                CASES["  refused before the fault"] += 1
        finally:
            ingest.load._FAULT = None
        assert snapshot(s) == before, f"a fault at {stage} left a partial load"
        r = check_load(s, data, log)
        if r.status == "loaded":
            assert reached == list(STAGES[:STAGES.index(stage) + 1])
            check_reload(s, data, log, r)


# -- Excel ------------------------------------------------------------------
def _xlsx_cell():
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return st.one_of(
        st.none(),
        st.integers(-10**12, 10**12),
        st.floats(allow_nan=False, allow_infinity=False, width=32),
        st.booleans(),
        st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2100, 1, 1)),
        st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 1, 1)),
        st.sampled_from(sum(_VALUES.values(), [])),
        st.text(max_size=10).map(lambda t: ILLEGAL_CHARACTERS_RE.sub("", t)),
    )


@st.composite
def xlsx_files(draw):
    import openpyxl

    log, header, rows = draw(tables(max_rows=4))
    wb = openpyxl.Workbook()
    ws = wb.active
    for _ in range(draw(st.integers(0, 2))):
        ws.append([])                                  # blank rows above the header
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    header = [ILLEGAL_CHARACTERS_RE.sub("", h) for h in header]
    ws.append(header if draw(st.integers(0, 5)) else [c if c.strip() else None for c in header])
    for row in rows:          # the generated text values, some replaced by typed cells
        ws.append([draw(_xlsx_cell()) if draw(st.integers(0, 3)) == 0 else ILLEGAL_CHARACTERS_RE.sub("", v)
                   for v in row])
    for _ in range(draw(st.integers(0, 3))):
        ws.append(draw(st.lists(_xlsx_cell(), max_size=len(header) + 2)))
    if draw(st.booleans()):
        wb.create_sheet("second").append(["x"])
    buf = io.BytesIO()
    wb.save(buf)
    data = buf.getvalue()
    ops = draw(st.lists(_OP, max_size=3)) if draw(st.integers(0, 3)) == 0 else []
    return log, mutate(data, ops), bool(ops)


@settings(max_examples=_n(20), **FUZZ)
@given(xlsx_files())
def test_fuzz_xlsx(case):
    log, data, mutated = case
    CASES["xlsx: load + reload"] += 1
    load_and_reload(data, log, name="fuzz.xlsx")


# -- inspect_file -------------------------------------------------------------
@settings(max_examples=_n(40), **FUZZ)
@given(st.one_of(mutated_files(), special_files().map(lambda c: (c[0], c[2])),
                 xlsx_files().map(lambda c: (c[0], c[1]))),
       st.sampled_from(["fuzz.csv", "fuzz.xlsx", "fuzz.txt"]))
def test_fuzz_inspect_file(case, name):
    """inspect_file describes or refuses, never crashes; load_file agrees with it."""
    CASES["inspect_file (+ load cross-check)"] += 1
    log, data = case
    try:
        p = ingest.inspect_file(data, log, file_name=name)
    except ingest.RefusedFile as exc:
        assert exc.message.strip()
        p = None
    except Exception as exc:  # noqa: BLE001
        raise AssertionError(f"inspect_file raised {type(exc).__name__}: {exc}") from exc
    if p is not None:
        assert p.log == log and p.file_name == name
        assert p.headers and all(isinstance(h, str) and h for h in p.headers)
        assert len(set(p.headers)) == len(p.headers), p.headers
        assert set(p.mapping) <= COLUMN_NAMES[log]
        assert set(p.mapping.values()) <= set(p.headers)
        assert len(set(p.mapping.values())) == len(p.mapping), p.mapping
        assert p.missing == [c for c in required_columns(log) if c not in p.mapping]
        assert p.extra == [h for h in p.headers if h not in p.mapping.values()]
        assert len(p.sample_rows) <= ingest.SAMPLE_ROWS
        assert all(list(row) == p.headers for row in p.sample_rows)
    with fresh_store() as s:
        r = check_load(s, data, log, name)
    if p is None:
        assert r.status == "refused"
    elif p.missing:
        assert r.status == "refused"
        for c in p.missing:
            assert c in r.message
    elif p.delimiter is not None:      # CSV: the full read sees the same header
        # ... and loads, unless reading the whole file (inspection reads its head) finds a
        # row it cannot account for: then the file is refused whole (issue 11)
        whole_file = {"ingest_unclosed_quote", "ingest_rows_lost", "ingest_line_too_long"}
        assert r.status == "loaded" or r.message_key in whole_file, r.message


# -- exact line numbers against an oracle -------------------------------------
_U_OK, _U_MISSING = ["u1", "u2", " u3 ", '"u,4"'], ["", " ", '" "']
_T_OK, _T_BAD = ["2024-03-01 08:00", "2024/3/2", '"2024-03-01 09:00:00"'], ["yesterday", "2024-13-01"]


@st.composite
def oracle_files(draw):
    """A joins file of known rows and the (line, column) pairs it must reject."""
    end = draw(_LINE_ENDS)
    lines = ["user_id,joined_at,article_id,group_id"]
    expected, counted = set(), 0
    for _ in range(draw(st.integers(0, 25))):
        kind = draw(st.sampled_from(["good", "good", "good", "no user", "bad time", "both", "short",
                                     "long", "blank", "spaces", "commas"]))
        line_no = len(lines) + 1
        u = draw(st.sampled_from(_U_MISSING if kind in ("no user", "both") else _U_OK))
        t = draw(st.sampled_from(_T_BAD if kind in ("bad time", "both") else _T_OK))
        a, g = draw(st.sampled_from(["", "A1"])), draw(st.sampled_from(["", "g"]))
        if kind == "blank":
            lines.append("")
            continue
        if kind == "spaces":
            lines.append("   ")
            continue
        if kind == "commas":
            lines.append(", ,,")
            continue
        counted += 1
        if kind == "short":
            lines.append(f"{u},{t}")
            expected.add((line_no, "(row)"))
        elif kind == "long":
            lines.append(f"{u},{t},{a},{g},extra")
            expected.add((line_no, "(row)"))
        else:
            lines.append(f"{u},{t},{a},{g}")
            if kind in ("no user", "both"):
                expected.add((line_no, "user_id"))
            if kind in ("bad time", "both"):
                expected.add((line_no, "joined_at"))
    return end.join(lines) + end, expected, counted


@settings(max_examples=_n(20), **FUZZ)
@given(oracle_files())
def test_fuzz_reject_lines_match_an_oracle(case):
    CASES["reject lines vs oracle"] += 1
    text, expected, counted = case
    with fresh_store() as s:
        r = check_load(s, text.encode("utf-8"), "joins")
    assert r.status == "loaded", r.message
    assert {(x.line, x.column) for x in r.rejects} == expected, (text, r.rejects)
    assert r.rows_read == counted
    assert r.rejected == len({line for line, _ in expected})


@settings(max_examples=_n(60), **FUZZ)
@given(st.text(alphabet=["a", "b", ",", '"', "\n", " ", "\t"], max_size=120))
@example(' ","\n' + "a," * 50 + 'a\n"\n')   # a quote after a space: DuckDB opens it, plain csv does not
def test_fuzz_field_counts_split_like_duckdb(body):
    """ingest._count_fields (Python's csv module) must never see a record
    narrower than DuckDB does: a ragged file is read with as many columns as
    the widest record Python counted, and a record DuckDB found wider would
    bring back the per-field reject entries that cost gigabytes. (The two
    parsers differ on some malformed quoting -- e.g. DuckDB opens a quote
    after leading spaces only sometimes -- so over-counting is allowed.)"""
    CASES["field counts vs DuckDB's reader"] += 1
    import duckdb
    d = Path(tempfile.mkdtemp())
    try:
        path = d / "f.csv"
        path.write_text("h0,h1\n" + body, encoding="utf-8", newline="")
        head = ingest._Head("csv", None, ",", None, ["h0", "h1"], [])
        head.csv_path = path
        try:
            ingest._count_fields(head)
        except ingest.RefusedFile:  # refused whole (a quote never closed): DuckDB never reads it
            return
        counts = head.field_counts
        width = max(head.width, 2)
        cols = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width)) + "}"
        con = duckdb.connect()
        # SELECT *, not count(*): DuckDB does not split the fields count(*) does not use
        con.execute(
            f"""SELECT * FROM read_csv($p, header = false, skip = 1, all_varchar = true,
                auto_detect = false, columns = {cols}, delim = ',', quote = '"', escape = '"',
                null_padding = true, nullstr = $ns, parallel = false, ignore_errors = true,
                store_rejects = true, rejects_table = 'rej', rejects_scan = 'scan')""",
            {"p": str(path), "ns": ingest._NULL_SENTINEL}).fetchall()
        kinds = set()
        if con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'rej'").fetchone()[0]:
            kinds = {k for (k,) in con.execute("SELECT DISTINCT error_type::VARCHAR FROM rej").fetchall()}
        con.close()
        assert "TOO MANY COLUMNS" not in kinds, (body, counts)
    finally:
        shutil.rmtree(d, ignore_errors=True)


# -- the big shapes, once each --------------------------------------------------
@pytest.mark.parametrize("rows", [["u1,2024-01-01"], ["u1,2024-01-01,A1,g" + ",x" * 9996, "u2,2024-01-02"]])
def test_ten_thousand_columns(rows):
    """10,000 columns: loads (extra columns capped), short rows rejected -- and
    no crash (DuckDB used to die with SIGSEGV / SIGFPE on such files)."""
    CASES["10,000 columns"] += 1
    header = "user_id,joined_at,article_id,group_id," + ",".join(f"c{i}" for i in range(9996))
    data = (header + "\n" + "\n".join(rows) + "\n").encode()
    with fresh_store() as s:
        r = check_load(s, data, "joins")
        assert r.status == "loaded"
        assert r.rows_read == len(rows)
        assert "extra columns were kept" in r.message
        check_reload(s, data, "joins", r)


# -- hostile workbooks (issue 11): refused or read in bounded memory and time --------
_HOSTILE_LOAD = """
import sys, time
from pathlib import Path
from contentroi.ingest import load_file
from contentroi.store import Store
t0 = time.monotonic()
r = load_file(Store(":memory:"), Path(sys.argv[1]), "joins")
hwm = next(int(x.split()[1]) for x in open("/proc/self/status") if x.startswith("VmHWM:"))
print(r.status, r.accepted, hwm // 1024, round(time.monotonic() - t0, 1))
print(r.message)
"""


@pytest.mark.parametrize("shape, kwargs, status, needle", [
    # 1.7 KB declaring A1:XFD1048576 with rows 1, 2 and 1048576: ~65 minutes per pass before
    ("dimension", {}, "loaded", "2 accepted"),
    # one 40 MB cell (the 500 MB one of the report peaked at 1.88 GB)
    ("huge_cell", {"cell_mb": 40}, "refused", "longer than 32,767 characters"),
    # 200 MB of shared strings in a ~300 KB file (1 GB: 1.23 GB of memory)
    ("shared_strings", {"strings_mb": 200}, "refused", "sharedStrings.xml unpacks to 200 MB"),
    # one shared string of 1 MB: small part, but no cell can be that long
    ("shared_strings", {"strings_mb": 1, "string_kb": 1024}, "refused", "longer than 32,767"),
    # every row reaches column XFD: 16,384 cells a row
    ("wide_rows", {"n_rows": 5_000}, "refused", "column 16,384"),
    ("styles_bomb", {"styles_mb": 40}, "refused", "styles.xml unpacks to 40 MB"),
])
def test_hostile_xlsx_refused_or_read_in_bounded_memory(tmp_path, shape, kwargs, status, needle):
    import subprocess
    import sys

    from tests import hostile_xlsx

    CASES["hostile xlsx shapes"] += 1
    path = hostile_xlsx.SHAPES[shape](tmp_path / f"{shape}.xlsx", **kwargs)
    assert path.stat().st_size < 2_000_000
    # The time bound is generous (a loaded 2-core machine); it catches the hour-long pass.
    out = subprocess.run([sys.executable, "-c", _HOSTILE_LOAD, str(path)], capture_output=True, text=True,
                         timeout=240, cwd=ROOT, check=True)
    first, message = out.stdout.splitlines()[:2]
    got, accepted, peak_mb, _secs = first.split()
    assert got == status and needle in message, (first, message)
    assert int(peak_mb) < 400, f"peak memory {peak_mb} MB"


def test_zz_report_case_counts():
    """Prints how many cases each property ran (use -s)."""
    total = sum(v for k, v in CASES.items() if not k.startswith("  "))
    print("\n[fuzz ingest] cases run per property:")
    for k, v in CASES.items():
        print(f"  {k:<45} {v}")
    print(f"  {'total':<45} {total}")
    if not any(k.startswith("mutated") for k in CASES):
        pytest.skip("run with the whole file to count cases")


def _csv_module_counts(path: Path, delim: str) -> tuple[collections.Counter, int, int]:
    """What _count_fields counted with Python's csv module before the byte scan: the
    records' field counts, the most delimiters on a line + 1, the longest line."""
    import operator

    csv.field_size_limit(2**31 - 1)
    with open(path, encoding="utf-8", errors="replace", newline="") as f:
        counts = collections.Counter(map(len, csv.reader(f, delimiter=delim, quotechar='"', doublequote=True,
                                                           skipinitialspace=True, strict=False)))
    with open(path, encoding="utf-8", errors="replace", newline="") as f:
        loose = max(map(operator.methodcaller("count", delim), f), default=0) + 1
    with open(path, "rb") as f:
        longest = max(map(len, f), default=0)
    return counts, loose, longest


@settings(max_examples=_n(300), **FUZZ)
@given(st.lists(st.sampled_from(["a", "é", ",", ";", "\t", " ", "\n", "\r\n", "\r", '"']), max_size=80).map("".join),
       st.sampled_from([",", ";", "\t"]), st.sampled_from([1, 2, 3, 7, 4096]))
def test_fuzz_line_scan_counts_fields_like_the_csv_module(body, delim, chunk):
    """csvfile._scan_lines (numpy over the bytes, chunk by chunk) gives a quote-free file
    the field counts the csv module gives it, the same most-delimiters-per-line and the
    same longest line; a file with a quote or a lone CR is left to the csv module."""
    CASES["line scan vs csv module"] += 1
    from contentroi.ingest import bounds, csvfile

    d = Path(tempfile.mkdtemp())
    try:
        path = d / "f.csv"
        path.write_bytes(body.encode("utf-8"))
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(bounds, "CHUNK_BYTES", chunk)
            scan = csvfile._scan_lines(path, delim)
        counts, loose, longest = _csv_module_counts(path, delim)
        assert scan.longest == longest
        lone_cr = "\r" in body.replace("\r\n", "")
        if not lone_cr:
            assert scan.loose == loose
        if '"' in body or lone_cr:
            assert scan.counts is None
        else:
            assert scan.counts == counts
    finally:
        shutil.rmtree(d, ignore_errors=True)
