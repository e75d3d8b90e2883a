"""Loading the three logs (CONTRACT §1) into the store.

A file goes through four steps:

1. **Bytes.** The source (a path, ``bytes`` or a binary file-like such as an
   upload) is made a file on disk. Its kind is sniffed (``.xlsx`` by its zip
   signature, anything else is text). Text encoding is decided in Python —
   BOM first, then strict UTF-8, then GB18030, and charset-normalizer only as
   a last resort — and anything but UTF-8 is transcoded, streamed in chunks,
   to a temporary UTF-8 file. DuckDB is never asked to guess an encoding. An
   Excel sheet is written out as an all-text UTF-8 CSV (dates as ISO text,
   ``1001.0`` as ``1001``), so both kinds share everything below.
2. **Headers.** The header row is read in Python and matched to the log's
   columns (:mod:`contentroi.columns`), or to a mapping saved for files of the
   same shape, or to one given by hand. A file lacking a required column is
   refused whole.
3. **Rows, in SQL.** DuckDB reads the data rows as text into a temporary
   table whose columns are ``c0..cN`` (no header ever becomes an SQL
   identifier); malformed rows go to its rejects table, except rows with too
   few or too many fields: a ragged file (its records' widths are counted
   first, in C, by Python's csv module) is read padded to its widest record
   and those rows are flagged in SQL. Each row's line number is rebuilt
   set-based as the complement of the rejected (and blank) record numbers.
   Values are cleaned and typed by SQL macros; every problem becomes a
   reject reason. User text reaches SQL only as bound
   parameters.
4. **Store.** In one transaction: de-duplication against the file and the
   store by anti-joins, inserts, the ``uploads`` record, an optional saved
   mapping and ``store.refresh_models``. Any error rolls the whole file back.

Counting (per file): ``rows_read`` = non-blank data rows;
``rows_read = accepted + rejected + duplicates``, where ``accepted`` is the
rows the store took (new rows, and articles that replaced a stored version:
those are also counted in ``updated``), ``duplicates`` the valid rows that
added nothing (repeats within the file or of stored rows).
"""
from __future__ import annotations

import codecs
import csv
import datetime as _dt
import io
import json
import operator
import os
import re
import shutil
import tempfile
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .columns import (
    COLUMNS,
    LOGS,
    ColumnSpec,
    guess_log,
    header_shape,
    match_headers,
    normalise_header,
    required_columns,
)
from .paths import workspace_tz

__all__ = [
    "LOGS", "COLUMNS", "ColumnSpec", "RefusedFile", "RejectedRow", "FilePreview",
    "LoadResult", "inspect_file", "load_file", "guess_log", "format_summary",
]

MAX_REJECTS_KEPT = 100_000   # RejectedRow objects kept in memory; counts stay exact
MAX_EXTRA_COLUMNS = 100      # unmapped columns kept in `extra`; more are dropped (and said so)
SAMPLE_ROWS = 5
HEAD_BYTES = 1 << 20         # what inspection reads of a text file
CHUNK_BYTES = 4 << 20        # streaming chunk for validation / transcoding
MAX_VALUE_CHARS = 200        # of a rejected value, as reported
MAX_FIELDS = 10_000          # fields a CSV row may have beyond a narrower header
MAX_LINE_CHARS = 16 << 20    # a longer line refuses the file (DuckDB's reader can lose it)
# An .xlsx is a zip of XML parts: 2 KB can declare a billion cells or unpack to
# gigabytes. These bounds are checked before openpyxl reads anything (_xlsx_guard);
# a bigger export loads as CSV.
XLSX_MAX_UNPACKED = 1 << 30          # all parts together, uncompressed
XLSX_MAX_PART = 32 << 20             # any part but the sheets and the shared strings (styles, ...)
XLSX_MAX_SHARED_BYTES = 128 << 20    # the shared-strings part (openpyxl holds it in memory)
XLSX_MAX_SHARED_STRINGS = 3_000_000
XLSX_MAX_CELL_CHARS = 32_767         # Excel's own limit for one cell
XLSX_MAX_ROWS, XLSX_MAX_COLUMNS = 1_048_576, 16_384   # Excel's sheet size

# Test hook: called with each stage name in turn -- "read" and "typed" (rows
# parsed in the scratch database), then "insert", "record" and "refresh"
# (inside the store transaction). Raising from it must leave the store as it was.
_FAULT: Callable[[str], None] | None = None

Source = Any  # str | os.PathLike | bytes | a binary file-like (e.g. Streamlit's UploadedFile)
Progress = Callable[[float, str], None]


# ---------------------------------------------------------------------------
# Public result types
# ---------------------------------------------------------------------------
class RefusedFile(Exception):
    """The file cannot be loaded at all (nothing of it is loaded)."""

    def __init__(self, message: str, missing: list[str] | None = None,
                 headers: list[str] | None = None, key: str | None = None,
                 params: dict[str, Any] | None = None):
        super().__init__(message)
        self.message = message
        self.missing = list(missing or [])
        self.headers = list(headers or [])
        self.key, self.params = key, dict(params or {})  # the message in the i18n table

    @classmethod
    def said(cls, key: str, **params: Any) -> "RefusedFile":
        """A refusal whose text is the i18n table's ``key`` (English here; the page
        shows it in the reader's language)."""
        from . import i18n

        return cls(i18n.t(key, "en", **params), key=key, params=params)


@dataclass
class RejectedRow:
    line: int            # line of the file (header = 1); for .xlsx the sheet's row number
    column: str          # canonical column, or "(row)" for a malformed row
    reason: str
    value: str | None


@dataclass
class FilePreview:
    log: str
    file_name: str
    encoding: str | None
    delimiter: str | None
    sheet: str | None
    headers: list[str]
    mapping: dict[str, str]
    missing: list[str]
    extra: list[str]
    sample_rows: list[dict]
    mapping_source: str = "aliases"   # 'aliases' | 'saved'


@dataclass
class LoadResult:
    log: str
    file_name: str
    status: str                       # 'loaded' | 'refused'
    message: str
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    headers: list[str] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)
    extra: list[str] = field(default_factory=list)
    message_key: str | None = None    # the message in the i18n table (with message_params), if it is there
    message_params: dict[str, Any] = field(default_factory=dict)
    rows_read: int = 0
    blank: int = 0                    # blank rows of the file (not read): rows in the file = rows_read + blank
    accepted: int = 0
    rejected: int = 0
    duplicates: int = 0
    updated: int = 0
    rejects: list[RejectedRow] = field(default_factory=list)
    upload_id: int | None = None
    reject_rows: dict[int, list[str]] = field(default_factory=dict)  # line -> the original row

    REJECT_COLS = ("rejected_line", "rejected_column", "rejected_reason")

    def rejects_frame(self, reason_text=None, column_text=None, names=REJECT_COLS):
        """One row per rejected line: the original row, all its columns under the file's own
        headers (cells past the header in ``(more)``), then the line, the column(s) and the
        reason(s). Fix the cells and upload the file again: the three last columns are extra
        columns, kept aside."""
        import pandas as pd

        by_line: dict[int, list[RejectedRow]] = {}
        for r in self.rejects:
            by_line.setdefault(r.line, []).append(r)
        headers = list(self.headers)
        rt = reason_text or (lambda x: x)
        ct = column_text or (lambda x: x)
        cols = [h if h not in names else f"{h} (file)" for h in headers]
        more = any(len(v) > len(headers) for v in self.reject_rows.values())
        rows = []
        for line, rs in by_line.items():
            orig = self.reject_rows.get(line, [])
            cells = (orig + [""] * len(headers))[:len(headers)]
            if more:
                cells.append(",".join(orig[len(headers):]))
            rows.append(cells + [line, "; ".join(dict.fromkeys(ct(r.column) for r in rs)),
                                 "; ".join(f"{ct(r.column)}: {rt(r.reason)}" if len(rs) > 1 else rt(r.reason)
                                           for r in rs)])
        return pd.DataFrame(rows, columns=cols + (["(more)"] if more else []) + list(names))

    def rejects_csv(self) -> bytes:
        """The rejected rows as a CSV download (UTF-8 with BOM, for Excel; formula-like
        cells neutralised)."""
        from .fmt import safe_csv

        return safe_csv(self.rejects_frame())

    def rejects_file_name(self) -> str:
        """``rejected_<file name without its extension>.csv``: one ``.csv``."""
        stem = Path(self.file_name or "upload").name
        stem = re.sub(r"(\.(csv|tsv|txt|xlsx|xlsm))+$", "", stem, flags=re.IGNORECASE) or "upload"
        return f"rejected_{stem}.csv"


def format_summary(results: list[LoadResult]) -> str:
    """One line per file, e.g. ``articles  a.csv  loaded: 200 accepted, 3 rejected, ...``."""
    lines = []
    for r in results:
        lines.append(f"{r.log:<8}  {r.file_name}  {r.status}: {r.message}")
    return "\n".join(lines)


def _counts_message(r: LoadResult) -> str:
    msg = (f"{r.accepted} accepted, {r.rejected} rejected, "
           f"{r.duplicates} duplicates, {r.updated} updated")
    return msg


# ---------------------------------------------------------------------------
# Step 1: bytes on disk, kind, encoding
# ---------------------------------------------------------------------------
class _Workspace:
    """A temporary directory holding the materialised source and derived files."""

    def __init__(self, source: Source, file_name: str | None):
        self._tmp = tempfile.TemporaryDirectory(prefix="contentroi-ingest-")
        self.dir = Path(self._tmp.name)
        try:
            self.path, self.name = self._materialise(source, file_name)
        except BaseException:
            self._tmp.cleanup()
            raise

    def _materialise(self, source: Source, file_name: str | None) -> tuple[Path, str]:
        if isinstance(source, (str, os.PathLike)):
            p = Path(source)
            if not p.is_file():
                raise RefusedFile(f"cannot open the file {p}: it does not exist or is not a file")
            return p, file_name or p.name
        dest = self.dir / "source.bin"
        if isinstance(source, (bytes, bytearray, memoryview)):
            dest.write_bytes(bytes(source))
            return dest, file_name or "upload"
        if hasattr(source, "read"):
            if hasattr(source, "seek"):
                try:
                    source.seek(0)
                except (OSError, ValueError):
                    pass
            with open(dest, "wb") as out:
                shutil.copyfileobj(source, out, CHUNK_BYTES)
            name = file_name or os.path.basename(str(getattr(source, "name", "") or "")) or "upload"
            return dest, name
        raise TypeError(f"cannot read a file from {type(source).__name__}")

    def new_path(self, suffix: str) -> Path:
        return self.dir / f"{uuid.uuid4().hex}{suffix}"

    def close(self) -> None:
        self._tmp.cleanup()

    def __enter__(self) -> "_Workspace":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _kind(path: Path, name: str) -> str:
    with open(path, "rb") as f:
        magic = f.read(8)
    if magic.startswith(b"PK\x03\x04"):
        return "xlsx"
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        raise RefusedFile("this is an old binary Excel file (.xls); save it as .xlsx or CSV and upload that")
    if name.lower().endswith((".xlsx", ".xlsm")) and magic:
        raise RefusedFile("the file is named .xlsx but is not an Excel workbook")
    return "csv"


@dataclass
class _Encoding:
    label: str        # reported name
    codec: str        # Python codec used to decode
    errors: str = "strict"
    transcode: bool = True
    note: str | None = None   # said in the load message


def _detect_encoding(head: bytes, complete: bool) -> _Encoding:
    if head.startswith(codecs.BOM_UTF8):
        return _Encoding("utf-8-sig", "utf-8-sig", transcode=False)
    if head.startswith(codecs.BOM_UTF16_LE):
        return _Encoding("utf-16-le", "utf-16")
    if head.startswith(codecs.BOM_UTF16_BE):
        return _Encoding("utf-16-be", "utf-16")
    # BOM-less UTF-16: ASCII text shows as every other byte NUL.
    sample = head[:4096]
    if len(sample) >= 4 and sample.count(0) >= len(sample) // 4:
        odd, even = sample[1::2].count(0), sample[0::2].count(0)
        if odd > 3 * even:
            return _Encoding("utf-16-le", "utf-16-le")
        if even > 3 * odd:
            return _Encoding("utf-16-be", "utf-16-be")
    try:
        text = codecs.getincrementaldecoder("utf-8")("strict").decode(head, final=complete)
        if not _gbk_posing_as_utf8(text, head, complete):
            return _Encoding("utf-8", "utf-8", transcode=False)
    except UnicodeDecodeError:
        pass
    try:
        codecs.getincrementaldecoder("gb18030")("strict").decode(head, final=complete)
        return _Encoding("gb18030", "gb18030")
    except UnicodeDecodeError:
        pass
    # Mostly UTF-8 with a few bad bytes (a damaged export): keep the UTF-8 text.
    text = head.decode("utf-8", "replace")
    bad = text.count("\ufffd")
    if len(_NON_ASCII.findall(text)) - bad >= max(1, bad):
        return _Encoding("utf-8", "utf-8", errors="replace",
                         note="some bytes were not valid UTF-8 and were replaced by \ufffd")
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(head).best()
    except Exception:  # pragma: no cover - library trouble
        best = None
    if best is None or not best.encoding:
        raise RefusedFile("cannot tell the text encoding of the file; save it as UTF-8 CSV (or .xlsx) and try again")
    return _Encoding(best.encoding, best.encoding, errors="replace",
                     note=f"the text encoding was guessed as {best.encoding}")


def _gbk_posing_as_utf8(text: str, head: bytes, complete: bool) -> bool:
    """A short GBK text can be valid UTF-8 by chance ('群' = C8 BA = 'Ⱥ').

    Chinese in UTF-8 takes three bytes; GBK pairs read as UTF-8 give two-byte
    characters (Latin Extended-B, Hebrew, ...). So: no character of three
    bytes or more, some two-byte characters outside the common accented
    Latin letters, and the bytes read as GB18030 give Chinese -> GB18030."""
    odd = False
    for ch in set(_NON_ASCII.findall(text)):
        o = ord(ch)
        if o >= 0x800:
            return False
        if not 0xA0 <= o <= 0x17F:
            odd = True
    if not odd:
        return False
    try:
        g = codecs.getincrementaldecoder("gb18030")("strict").decode(head, final=complete)
    except UnicodeDecodeError:
        return False
    return any("\u4e00" <= ch <= "\u9fff" for ch in g)


_DELIMS = (",", "\t", ";")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _first_record_text(text: str) -> str:
    """The header record: text up to the first line break outside quotes."""
    inq = False
    for i, ch in enumerate(text):
        if ch == '"':
            inq = not inq
        elif ch in "\r\n" and not inq:
            return text[:i]
    return text


def _detect_delimiter(header_text: str) -> str:
    counts = {d: 0 for d in _DELIMS}
    inq = False
    for ch in header_text:
        if ch == '"':
            inq = not inq
        elif not inq and ch in counts:
            counts[ch] += 1
    best = max(_DELIMS, key=lambda d: (counts[d], -_DELIMS.index(d)))
    return best if counts[best] else ","


def _display_headers(raw: list[str]) -> list[str]:
    """Blank headers become "column N"; repeated ones get " (2)", " (3)"..."""
    out: list[str] = []
    seen: set[str] = set()
    for i, h in enumerate(raw):
        name = (h or "").replace("\ufeff", "").strip() or f"column {i + 1}"
        base, n = name, 2
        while name in seen:
            name = f"{base} ({n})"
            n += 1
        seen.add(name)
        out.append(name)
    return out


@dataclass
class _Head:
    kind: str
    encoding: _Encoding | None
    delimiter: str | None
    sheet: str | None
    headers: list[str]
    sample: list[list[str]]
    head_ascii: bool = True
    # filled by _prepare:
    csv_path: Path | None = None
    ncols: int = 0
    blank_records: list[int] | None = None
    line_offset: int = 0
    null_padding: bool = False
    field_counts: Counter | None = None   # CSV: records by number of fields (header included)
    width: int = 0                        # CSV: columns to read a ragged file with (0: not ragged)
    records: int | None = None            # data records in the file, blank ones included
    notes: list[str] = field(default_factory=list)


def _csv_head(path: Path) -> _Head:
    size = path.stat().st_size
    with open(path, "rb") as f:
        head = f.read(HEAD_BYTES)
    complete = len(head) >= size
    if not head.strip(b" \t\r\n\x00") or head in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        raise RefusedFile("the file is empty")
    enc = _detect_encoding(head, complete)
    text = codecs.getincrementaldecoder(enc.codec)("replace").decode(head, final=complete)
    text = text.lstrip("\ufeff")
    if not complete:  # drop a possibly cut last line
        cut = max(text.rfind("\n"), text.rfind("\r"))
        if cut > 0:
            text = text[:cut + 1]
        elif text.strip():
            raise RefusedFile.said("ingest_header_too_long", mb=HEAD_BYTES >> 20)
    if not text.strip():
        raise RefusedFile("the file is empty")
    first = _first_record_text(text)
    delim = _detect_delimiter(first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, quotechar='"', doublequote=True)
    records: list[list[str]] = []
    try:
        for rec in reader:
            if records and (not rec or all(not v.strip() for v in rec)):
                continue
            records.append(rec)
            if len(records) > SAMPLE_ROWS:
                break
    except csv.Error:
        pass
    if not records or not any(h.strip() for h in records[0]):
        raise RefusedFile("the file has no header row")
    headers = _display_headers(records[0])
    return _Head("csv", enc, delim, None, headers, records[1:], head_ascii=head.isascii())


# -- streaming validation / transcoding ------------------------------------
_BLANK_LINE = re.compile(rb"\n\r?\n")
_NOT_NEWLINE = re.compile(rb"[^\r\n]")


class _BlankTracker:
    """Notices an empty line that has content after it (DuckDB skips such a
    line but counts it in its record numbers)."""

    def __init__(self):
        self.tail = b""
        self.pending = False
        self.found = False
        self.lf = 0
        self.crlf = 0
        self.cr = 0

    @property
    def mixed_newlines(self) -> bool:
        """Some lines end CRLF and some LF, or a CR stands alone (old Mac line
        ends, or a stray CR in a field): DuckDB's strict parser raises on a
        lone CR in an LF file, and blank-line tracking only knows LF."""
        return 0 < self.crlf < self.lf or self.cr > self.crlf

    def feed(self, chunk: bytes) -> None:
        if not chunk:
            return
        buf = self.tail + chunk
        self.lf += chunk.count(b"\n")
        self.crlf += buf.count(b"\r\n") - self.tail.count(b"\r\n")
        self.cr += chunk.count(b"\r")
        if not self.found:
            if self.pending and _NOT_NEWLINE.search(chunk):
                self.found = True
            else:
                m = _BLANK_LINE.search(buf)
                if m:
                    if _NOT_NEWLINE.search(buf, m.end()):
                        self.found = True
                    else:
                        self.pending = True
        self.tail = buf[-2:]


def _blank_records(path: Path) -> list[int]:
    """Record numbers (header = 1) of empty lines outside quoted fields.

    Only run when the file has empty lines in the middle. A line starts a new
    record unless an odd number of quote characters precede it in the current
    record (RFC 4180 quoting, where "" escapes a quote, keeps parity exact)."""
    out: list[int] = []
    rec = 0
    inq = False
    carry = b""
    with open(path, "rb") as f:
        while True:
            chunk = f.read(CHUNK_BYTES)
            data = carry + chunk
            if not chunk:
                lines = [data] if data else []
                carry = b""
            else:
                lines = data.split(b"\n")
                carry = lines.pop()
            for ln in lines:
                if not inq:
                    rec += 1
                    if ln == b"" or ln == b"\r":
                        out.append(rec)
                if ln.count(b'"') & 1:
                    inq = not inq
            if not chunk:
                break
    return out


def _prepare_csv(ws: _Workspace, head: _Head) -> None:
    """Make head.csv_path a UTF-8 file DuckDB can read; settle the encoding.

    A UTF-8 file is read in place when its line ends are consistent; any other
    file (and one mixing CRLF and LF or with a lone CR, which DuckDB's strict
    parser rejects) is rewritten as UTF-8 with LF line ends, streamed chunk by
    chunk."""
    enc = head.encoding
    assert enc is not None
    if enc.note:
        head.notes.append(enc.note)
    if not enc.transcode:
        ok = True
        tracker = _BlankTracker()
        dec = codecs.getincrementaldecoder("utf-8")("strict")
        with open(ws.path, "rb") as f:
            while True:
                chunk = f.read(CHUNK_BYTES)
                if not chunk:
                    break
                tracker.feed(chunk)
                if not chunk.isascii():
                    try:
                        dec.decode(chunk)
                    except UnicodeDecodeError:
                        ok = False
                        break
            if ok:
                try:
                    dec.decode(b"", final=True)
                except UnicodeDecodeError:
                    ok = False
        if ok and not tracker.mixed_newlines:
            head.csv_path = ws.path
            head.blank_records = _blank_records(ws.path) if tracker.found else None
            _count_fields(head)
            return
        if not ok:
            # Not UTF-8 after all. An all-ASCII head says nothing: try GB18030.
            # A head with real UTF-8 text says the file is UTF-8 with a few bad bytes.
            if head.head_ascii and enc.codec != "utf-8-sig":
                enc = _Encoding("gb18030", "gb18030")
            else:
                enc = _Encoding(enc.label, enc.codec, errors="replace")
                head.notes.append("some bytes were not valid UTF-8 and were replaced by \ufffd")
            head.encoding = enc
    out_path = ws.new_path(".csv")
    try:
        tracker = _transcode(ws.path, out_path, enc)
    except UnicodeDecodeError:
        enc = _Encoding(enc.label, enc.codec, errors="replace")
        head.notes.append(f"some bytes were not valid {enc.label} and were replaced by \ufffd")
        head.encoding = enc
        tracker = _transcode(ws.path, out_path, enc)
    head.csv_path = out_path
    head.blank_records = _blank_records(out_path) if tracker.found else None
    if getattr(tracker, "utf8_line", None):
        head.notes.append(f"the file mixes text encodings: it starts as {enc.label}, but from line "
                          f"{tracker.utf8_line:,} on it is UTF-8, read as {enc.label}: that text is "
                          "likely garbled. Save the whole file as UTF-8 and upload it again")
    _count_fields(head)


def _count_fields(head: _Head) -> None:
    """Count the fields of every record, and refuse a file with a row far
    wider than any log.

    DuckDB's reader records one reject entry, with a copy of the line, per
    field a row has too many or too few: 1,000 one-field rows under a
    10,000-column header, or one 200 KB line of commas, took gigabytes (a 1 MB
    file of such lines killed the process). Knowing every record's width
    first lets _parse_rows read a ragged file with room for its widest row, so
    DuckDB finds no field-count errors at all. Python's csv module splits
    fields as DuckDB does (a quote opens a quoted field at the field's start,
    after any spaces; "" inside one is a quote) and runs in C: ~0.35 s per
    million rows. They differ on some malformed quoting (DuckDB opens a quote
    after exactly one space, and re-reads a quote left open at the end of the
    file line by line ignoring quotes), so the width also covers the most
    delimiters on any one line; tests/test_fuzz_ingest.py checks that DuckDB
    never finds a wider record. (Left open: a crafted record that DuckDB, but
    not Python, reads over many lines could still be wider.)"""
    assert head.csv_path is not None
    delim = head.delimiter or ","
    n = len(head.headers)
    odd_quotes = _check_line_lengths(head.csv_path)
    csv.field_size_limit(2**31 - 1)
    span = [0, 0]  # the first and last line of the latest record (tracked when a quote may be open)
    with open(head.csv_path, encoding="utf-8", errors="replace", newline="") as f:
        reader = csv.reader(f, delimiter=delim, quotechar='"', doublequote=True, skipinitialspace=True,
                            strict=False)

        def fields(rec: list[str]) -> int:
            span[0], span[1] = span[1] + 1, reader.line_num
            return len(rec)

        try:
            counts = Counter(map(fields if odd_quotes else len, reader))
        except csv.Error as exc:  # pragma: no cover - non-strict reading raises on nothing we know of
            raise RefusedFile(f"the file cannot be read as CSV: {exc}") from None
    head.field_counts = counts
    head.records = max(0, sum(counts.values()) - 1)
    if span[1] > span[0]:
        _check_unclosed_tail(head.csv_path, span[0])
    widest = max(max(counts, default=0), n)
    if widest > max(n, MAX_FIELDS):
        raise RefusedFile(f"a row has {widest:,} fields but the header has {n:,}: "
                          "this does not look like a log export (is the delimiter right?)")
    with open(head.csv_path, encoding="utf-8", errors="replace", newline="") as f:
        loose = max(map(operator.methodcaller("count", delim), f), default=0) + 1
    if widest > n or loose > n or any(k not in (0, n) for k in counts):
        head.width = min(max(widest, loose), max(n, MAX_FIELDS))


def _check_line_lengths(path: Path) -> bool:
    """Refuse a file with a line over MAX_LINE_CHARS bytes: DuckDB's reader dropped an
    unquoted 33 MB line without a trace, and reported a quoted 50 MB one with the
    line before it. No log row is that long. Returns whether the file has an odd
    number of quote characters (then some quote is never closed)."""
    with open(path, "rb") as f:
        longest = max(map(len, f), default=0)
    quotes = 0
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK_BYTES):
            quotes += chunk.count(b'"')
    if longest <= MAX_LINE_CHARS:
        return bool(quotes % 2)
    with open(path, "rb") as f:
        line, text = next((i, ln) for i, ln in enumerate(f, 1) if len(ln) > MAX_LINE_CHARS)
    mb = len(text) / (1 << 20)
    raise RefusedFile.said("ingest_line_too_long", line=f"{line:,}", mb=f"{mb:,.0f}", limit=MAX_LINE_CHARS >> 20)


def _check_unclosed_tail(path: Path, start: int) -> None:
    """The last record spans lines ``start``.. to the end of the file. When a quote opened
    in it is never closed (odd quote count, as in _blank_records), every line after it
    was swallowed into one field: the rows cannot be told apart, so the file is refused.
    (An unclosed quote on the last line alone rejects that row: see _parse_rows.)"""
    import itertools

    quotes = swallowed = 0
    with open(path, encoding="utf-8", errors="replace", newline="") as f:
        for i, ln in enumerate(itertools.islice(f, start - 1, None)):
            quotes += ln.count('"')
            if i and ln.strip():
                swallowed += 1
    if quotes % 2 and swallowed:
        raise RefusedFile.said("ingest_unclosed_quote", line=f"{start:,}", n=f"{swallowed:,}")


_UTF8_WIDE = re.compile(rb"[\xe0-\xef][\x80-\xbf]{2}")  # a 3-byte UTF-8 character (CJK)


def _utf8_start(data: bytes, block: int = 1 << 16) -> int | None:
    """Where ``data`` (read as GB18030) turns into UTF-8 text: the offset of the first
    line after which every line up to a block of UTF-8 Chinese decodes as UTF-8; None
    when no such block is found. GBK text is almost never valid UTF-8, while UTF-8
    Chinese often is valid GB18030 (read as other characters, without an error)."""
    for o in range(0, len(data), block):
        blk = data[o:o + block]
        start = blk.find(b"\n") + 1 if o else 0
        end = blk.rfind(b"\n") + 1 or len(blk)
        seg = blk[start:end]
        if seg.isascii() or not _UTF8_WIDE.search(seg):
            continue
        try:
            seg.decode("utf-8")
            pos = o + start
        except UnicodeDecodeError:  # a mixed block: is its last line UTF-8?
            last = seg.rfind(b"\n", 0, len(seg) - 1) + 1
            try:
                seg[last:].decode("utf-8")
            except UnicodeDecodeError:
                continue
            if not _UTF8_WIDE.search(seg, last):
                continue
            pos = o + start + last
        # walk back over the lines before it that are UTF-8 too
        while pos > 0:
            prev = data.rfind(b"\n", 0, pos - 1) + 1
            try:
                data[prev:pos].decode("utf-8")
            except UnicodeDecodeError:
                break
            pos = prev
        return pos
    return None


def _transcode(src: Path, dst: Path, enc: _Encoding) -> _BlankTracker:
    """Decode ``src`` with ``enc`` and write UTF-8 with LF line ends to ``dst``."""
    dec = codecs.getincrementaldecoder(enc.codec)(enc.errors)
    tracker = _BlankTracker()
    tracker.utf8_line = None  # type: ignore[attr-defined]
    first, held_cr = True, False
    lines = 0
    with open(src, "rb") as f, open(dst, "wb") as out:
        while True:
            chunk = f.read(CHUNK_BYTES)
            if enc.codec == "gb18030" and tracker.utf8_line is None and not chunk.isascii():  # type: ignore
                at = _utf8_start(chunk)
                if at is not None:
                    tracker.utf8_line = lines + chunk.count(b"\n", 0, at) + 1  # type: ignore
            lines += chunk.count(b"\n")
            text = dec.decode(chunk, final=not chunk)
            if held_cr:
                text, held_cr = "\r" + text, False
            if chunk and text.endswith("\r"):
                text, held_cr = text[:-1], True
            if first and text:
                text, first = text.lstrip("\ufeff"), False
            # every line end becomes LF; a lone CR (also one inside quotes) too
            data = text.replace("\r\n", "\n").replace("\r", "\n").encode("utf-8")
            tracker.feed(data)
            out.write(data)
            if not chunk:
                break
    return tracker


# -- Excel -------------------------------------------------------------------
def _cell_text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if v != v or v in (float("inf"), float("-inf")):
            return ""
        if v.is_integer() and abs(v) < 1e18:
            return str(int(v))
        return repr(v)
    if isinstance(v, _dt.datetime):
        fmt = "%Y-%m-%d %H:%M:%S.%f" if v.microsecond else "%Y-%m-%d %H:%M:%S"
        return v.strftime(fmt)
    if isinstance(v, _dt.date):
        return v.strftime("%Y-%m-%d")
    if isinstance(v, _dt.time):
        return v.strftime("%H:%M:%S")
    return str(v)


def _open_workbook(path: Path):
    """The workbook, read from an open file object: openpyxl judges a *path* by its
    suffix, and an upload is saved under a neutral name whatever the browser called it
    (the content decides, see _kind)."""
    import openpyxl

    fh = open(path, "rb")
    try:
        wb = openpyxl.load_workbook(fh, read_only=True, data_only=True)
        wb._contentroi_fh = fh  # closed with the workbook (_xlsx_read)
        return wb
    except Exception as exc:
        fh.close()
        raise RefusedFile(f"cannot open the file as an Excel workbook: {exc}") from exc


def _pick_sheet(wb, sheet: str | None):
    names = list(wb.sheetnames)
    if not names:
        raise RefusedFile("the workbook has no sheets")
    if sheet is None or sheet == "":
        return wb[names[0]], names[0]
    if sheet not in names:
        raise RefusedFile(f"the workbook has no sheet named {sheet!r}; its sheets are: {', '.join(names)}")
    return wb[sheet], sheet


def _xlsx_rows(ws_):
    for row in ws_.iter_rows(values_only=True):
        # a missing row (a gap in the sheet) comes as (): no work per cell
        yield [_cell_text(v) for v in row] if row else []


class _XlsxBomb(RefusedFile):
    """A workbook past one of the XLSX_MAX_* bounds (refused before it is read)."""


def _mb(n: int) -> str:
    return f"{n / (1 << 20):,.0f} MB"


def _col_number(ref: str) -> int:
    n = 0
    for ch in ref:
        if "A" <= ch <= "Z":
            n = n * 26 + ord(ch) - 64
        elif "a" <= ch <= "z":
            n = n * 26 + ord(ch) - 96
        else:
            break
    return n


def _row_number(ref: str) -> int:
    digits = ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz$")
    return int(digits) if digits.isdigit() else 0


def _scan_xml(zf, name: str, on_start: Callable[[str, dict], None], text_unit: str,
              on_text_over: Callable[[], None]) -> None:
    """Stream one XML part through expat (never holding more than a buffer of it):
    ``on_start`` sees every element (local name, attributes); the text inside each
    ``text_unit`` element is counted, and ``on_text_over`` called once it passes
    XLSX_MAX_CELL_CHARS."""
    from xml.parsers import expat

    p = expat.ParserCreate()
    p.buffer_text = True
    n = 0

    def start(tag: str, attrs: dict) -> None:
        nonlocal n
        local = tag.rpartition(":")[2]
        if local == text_unit:
            n = 0
        on_start(local, attrs)

    def chars(data: str) -> None:
        nonlocal n
        n += len(data)
        if n > XLSX_MAX_CELL_CHARS:
            on_text_over()

    p.StartElementHandler = start
    p.CharacterDataHandler = chars
    with zf.open(name) as f:
        p.ParseFile(f)


def _xlsx_guard(path: Path) -> None:
    """Refuse a workbook whose parts unpack too big or whose shared strings are too
    many or too long, before openpyxl loads it (it reads the shared strings whole)."""
    import zipfile

    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise RefusedFile(f"cannot open the file as an Excel workbook: {exc}") from None
    with zf:
        infos = zf.infolist()
        total = sum(i.file_size for i in infos)
        if total > XLSX_MAX_UNPACKED:
            raise _XlsxBomb.said("ingest_xlsx_unpacked", size=_mb(total), limit=_mb(XLSX_MAX_UNPACKED))
        shared = None
        for i in infos:
            lower = i.filename.lower()
            if lower.endswith("sharedstrings.xml"):
                shared, limit = i, XLSX_MAX_SHARED_BYTES
            elif "worksheets/" in lower:
                continue  # streamed; checked cell by cell (_xlsx_guard_sheet)
            else:
                limit = XLSX_MAX_PART
            if i.file_size > limit:
                raise _XlsxBomb.said("ingest_xlsx_part", part=i.filename[:80], size=_mb(i.file_size),
                                     limit=_mb(limit))
        if shared is None:
            return
        count = 0

        def start(tag: str, attrs: dict) -> None:
            nonlocal count
            if tag == "si":
                count += 1
                if count > XLSX_MAX_SHARED_STRINGS:
                    raise _XlsxBomb.said("ingest_xlsx_strings", n=f"{XLSX_MAX_SHARED_STRINGS:,}")

        def too_long() -> None:
            raise _XlsxBomb.said("ingest_xlsx_cell", n=f"{XLSX_MAX_CELL_CHARS:,}")

        try:
            _scan_xml(zf, shared.filename, start, "si", too_long)
        except _XlsxBomb:
            raise
        except Exception as exc:  # noqa: BLE001  (malformed XML)
            raise RefusedFile(f"cannot read the workbook's shared strings: {exc}") from None


def _xlsx_guard_sheet(path: Path, part: str) -> None:
    """Refuse a sheet with a cell past Excel's sheet size or beyond MAX_FIELDS columns,
    or a cell longer than an Excel cell can be, before its rows are read."""
    import zipfile

    def start(tag: str, attrs: dict) -> None:
        if tag == "c":
            ref = attrs.get("r", "")
            col = _col_number(ref)
            if col > MAX_FIELDS:
                raise _XlsxBomb.said("ingest_xlsx_column", col=f"{col:,}", ref=ref[:20], n=f"{MAX_FIELDS:,}")
        elif tag == "row":
            r = attrs.get("r", "")
            if r.isdigit() and int(r) > XLSX_MAX_ROWS:
                raise _XlsxBomb.said("ingest_xlsx_row", row=f"{int(r):,}", n=f"{XLSX_MAX_ROWS:,}")
        elif tag == "dimension":
            ref = attrs.get("ref", "")
            last = ref.rpartition(":")[2]
            if _col_number(last) > XLSX_MAX_COLUMNS or _row_number(last) > XLSX_MAX_ROWS:
                raise _XlsxBomb.said("ingest_xlsx_range", ref=ref[:40])

    def too_long() -> None:
        raise _XlsxBomb.said("ingest_xlsx_cell", n=f"{XLSX_MAX_CELL_CHARS:,}")

    with zipfile.ZipFile(path) as zf:
        try:
            _scan_xml(zf, part.lstrip("/"), start, "c", too_long)
        except _XlsxBomb:
            raise
        except Exception as exc:  # noqa: BLE001  (malformed XML, a missing part)
            raise RefusedFile(f"cannot read the sheet: {exc}") from None


def _xlsx_read(ws: _Workspace, sheet: str | None, full: bool) -> _Head:
    checked = ws.__dict__.setdefault("xlsx_checked", set())  # each guard once per file
    if "book" not in checked:
        _xlsx_guard(ws.path)
        checked.add("book")
    wb = _open_workbook(ws.path)
    try:
        sh, name = _pick_sheet(wb, sheet)
        part = getattr(sh, "_worksheet_path", None)
        if part and part not in checked:
            _xlsx_guard_sheet(ws.path, part)
            checked.add(part)
        # Rows are as wide as their own cells, not as the range the sheet declares
        # (a declared A1:XFD1048576 made every row 16,384 cells: an hour per pass).
        if hasattr(sh, "reset_dimensions"):
            sh.reset_dimensions()
        rows = _xlsx_rows(sh)
        offset = 0
        header: list[str] | None = None
        for r in rows:
            if any(v.strip() for v in r):
                header = r
                break
            offset += 1
        if header is None:
            raise RefusedFile(f"the sheet {name!r} is empty")
        # trailing blank header cells with no data are dropped later by width
        if not full:
            sample: list[list[str]] = []
            for i, r in enumerate(rows):
                if i >= 10_000:  # the sample comes from the rows under the header, not a sheet's end
                    break
                if any(v.strip() for v in r):
                    sample.append(r)
                    if len(sample) >= SAMPLE_ROWS:
                        break
            width = max([_last_filled(header)] + [_last_filled(r) for r in sample])
            headers = _display_headers((header + [""] * width)[:width])
            return _Head("xlsx", None, None, name, headers, [s[:width] for s in sample])
        out_path = ws.new_path(".csv")
        width = _last_filled(header)
        sample = []
        with open(out_path, "w", encoding="utf-8", newline="") as out:
            w = csv.writer(out, lineterminator="\n")
            w.writerow(header)
            blank = records = 0
            for r in rows:
                n = _last_filled(r)
                if n == 0:
                    blank += 1
                    continue
                if blank:  # keeps record numbers = sheet rows; each read as a blank row
                    out.write('""\n' * blank)
                    records += blank
                    blank = 0
                records += 1
                width = max(width, n)
                w.writerow(r[:n])
                if len(sample) < SAMPLE_ROWS:
                    sample.append(r)
        headers = _display_headers((header + [""] * width)[:width])
        head = _Head("xlsx", None, None, name, headers, [s[:width] for s in sample])
        head.csv_path = out_path
        head.records = records
        head.null_padding = True
        head.line_offset = offset
        head.blank_records = None
        return head
    finally:
        wb.close()
        wb._contentroi_fh.close()


def _last_filled(row: list[str]) -> int:
    n = len(row)
    while n and not row[n - 1].strip():
        n -= 1
    return n


def _read_head(ws: _Workspace, sheet: str | None, full: bool) -> _Head:
    if ws.path.stat().st_size == 0:
        raise RefusedFile("the file is empty")
    kind = _kind(ws.path, ws.name)
    if kind == "xlsx":
        head = _xlsx_read(ws, sheet, full)
    else:
        head = _csv_head(ws.path)
        if full:
            _prepare_csv(ws, head)
    head.ncols = len(head.headers)
    return head


# ---------------------------------------------------------------------------
# Step 2: headers -> columns
# ---------------------------------------------------------------------------
def _check_log(log: str) -> None:
    if log not in LOGS:
        raise ValueError(f"unknown log {log!r}; expected one of {', '.join(LOGS)}")


def _saved_mapping(store, log: str, headers: list[str]) -> dict[str, str] | None:
    if store is None:
        return None
    row = store.cursor().execute(
        "SELECT mapping::VARCHAR FROM column_mappings WHERE log = $log AND shape = $shape",
        {"log": log, "shape": header_shape(headers)},
    ).fetchone()
    if row is None:
        return None
    try:
        saved = json.loads(row[0])
    except (TypeError, ValueError):
        return None
    return saved if isinstance(saved, dict) else None


def _resolve_mapping(log: str, headers: list[str], store, mapping: dict[str, str] | None
                     ) -> tuple[dict[str, str], str]:
    names = [s.name for s in COLUMNS[log]]
    eff = match_headers(log, headers)
    source = "aliases"
    saved = _saved_mapping(store, log, headers)
    if saved:
        # Same shape = same normalised headers, so a saved header is found by
        # its normalised form (the new file may differ in case or spaces).
        by_norm = {}
        for h in headers:
            by_norm.setdefault(normalise_header(h), h)
        for c, h in saved.items():
            if c not in names:
                continue
            if h is None:
                eff.pop(c, None)
            elif normalise_header(h) in by_norm:
                eff[c] = by_norm[normalise_header(h)]
        source = "saved"
    for c, h in (mapping or {}).items():
        if c not in names:
            raise ValueError(f"{c!r} is not a column of {log}; columns: {', '.join(names)}")
        if h is None or h == "":
            eff.pop(c, None)
        elif h not in headers:
            raise RefusedFile(
                f"the column mapping names a header {h!r} (for {c}) that the file does not have; "
                f"headers found: {', '.join(headers)}", headers=headers)
        else:
            eff[c] = h
    ordered = {c: eff[c] for c in names if c in eff}
    return ordered, source


def _missing(log: str, mapping: dict[str, str]) -> list[str]:
    return [c for c in required_columns(log) if c not in mapping]


def _refusal_for_missing(log: str, missing: list[str], headers: list[str]) -> RefusedFile:
    specs = {s.name: s for s in COLUMNS[log]}
    parts = []
    for c in missing:
        alts = ", ".join(specs[c].aliases[:3])
        parts.append(f"{c} (or {alts})" if alts else c)
    word = "column" if len(missing) == 1 else "columns"
    msg = (f"the {log} file lacks the required {word} {'; '.join(parts)}. "
           f"Headers found: {', '.join(headers) if headers else '(none)'}")
    return RefusedFile(msg, missing=missing, headers=headers)


def inspect_file(source: Source, log: str, file_name: str | None = None,
                 sheet: str | None = None, store=None) -> FilePreview:
    """Read a file's headers and first rows and match them to ``log``'s columns.

    Loads nothing. Raises :class:`RefusedFile` for a file that cannot be
    read at all (empty, unknown encoding, missing sheet); a file lacking
    required columns is described (``missing``), not refused."""
    _check_log(log)
    with _Workspace(source, file_name) as ws:
        head = _read_head(ws, sheet, full=False)
        mapping, src = _resolve_mapping(log, head.headers, store, None)
        used = set(mapping.values())
        sample = [dict(zip(head.headers, (r + [""] * len(head.headers))[:len(head.headers)]))
                  for r in head.sample[:SAMPLE_ROWS]]
        return FilePreview(
            log=log, file_name=ws.name,
            encoding=head.encoding.label if head.encoding else None,
            delimiter=head.delimiter, sheet=head.sheet, headers=head.headers,
            mapping=mapping, missing=_missing(log, mapping),
            extra=[h for h in head.headers if h not in used],
            sample_rows=sample, mapping_source=src,
        )


# ---------------------------------------------------------------------------
# Step 3: SQL
# ---------------------------------------------------------------------------
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
            f"val := left({v}, {MAX_VALUE_CHARS}))")


def _used_columns(head: _Head, mapping: dict[str, str], extra_idx: list[int]) -> list[int]:
    """The fields the load reads: the mapped columns and the kept extra ones.

    A file may have thousands of columns. Only these (at most 7 +
    MAX_EXTRA_COLUMNS) are carried past read_csv, plus ``_keep``: false for a
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
              f"val := left(trim(_row, '{_TRIM}'), {MAX_VALUE_CHARS}))]")
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


# ---------------------------------------------------------------------------
# Step 4: load
# ---------------------------------------------------------------------------
def _stage(name: str) -> None:
    if _FAULT is not None:
        _FAULT(name)


def load_file(store, source: Source, log: str, file_name: str | None = None,
              mapping: dict[str, str] | None = None, sheet: str | None = None,
              source_kind: str = "page", save_mapping: bool = False,
              progress: Progress | None = None, refresh: bool = True) -> LoadResult:
    """Load one file of ``log`` into ``store``; all or nothing.

    The derived models are brought up to date in the file's transaction
    (incrementally); ``refresh=False`` leaves that to the caller, who loads
    several files and then calls ``store.refresh_models(cur, full=False)`` once
    before anyone reads the store (see :func:`load_files`).

    Returns ``status='refused'`` (loading nothing, recording nothing) for a
    file that cannot be loaded: empty, unreadable, or lacking a required
    column. Any other error rolls the file back and is raised."""
    _check_log(log)
    say = progress or (lambda fraction, message: None)
    try:
        ws = _Workspace(source, file_name)
    except RefusedFile as exc:
        name = file_name or (os.path.basename(str(source)) if isinstance(source, (str, os.PathLike)) else "upload")
        return LoadResult(log=log, file_name=name, status="refused", message=exc.message,
                          message_key=exc.key, message_params=exc.params)
    with ws:
        say(0.0, f"reading {ws.name}")
        result = LoadResult(log=log, file_name=ws.name, status="refused", message="")
        try:
            head = _read_head(ws, sheet, full=False)
            result.encoding = head.encoding.label if head.encoding else None
            result.delimiter, result.sheet, result.headers = head.delimiter, head.sheet, head.headers
            eff, _src = _resolve_mapping(log, head.headers, store, mapping)
            result.mapping = eff
            missing = _missing(log, eff)
            if missing:
                raise _refusal_for_missing(log, missing, head.headers)
            say(0.05, "checking the text encoding")
            full = _read_head(ws, sheet, full=True)
            if full.headers != head.headers:  # cannot happen for CSV; xlsx width may grow
                eff, _src = _resolve_mapping(log, full.headers, store, mapping)
                missing = _missing(log, eff)
                if missing:
                    raise _refusal_for_missing(log, missing, full.headers)
                result.mapping = eff
            head = full
        except RefusedFile as exc:
            result.message, result.message_key, result.message_params = exc.message, exc.key, exc.params
            return result
        result.encoding = head.encoding.label if head.encoding else None
        result.headers = head.headers
        used = set(eff.values())
        extra_names = [h for h in head.headers if h not in used]
        result.extra = extra_names
        if len(extra_names) > MAX_EXTRA_COLUMNS:
            head.notes.append(f"only the first {MAX_EXTRA_COLUMNS} of {len(extra_names)} extra columns were kept")
        kept_extra = extra_names[:MAX_EXTRA_COLUMNS]
        say(0.3, "reading rows")
        try:
            _load_sql(store, ws, head, log, eff, kept_extra, source_kind, save_mapping, result, say, refresh)
        except RefusedFile as exc:  # found while reading the rows: nothing was written
            return LoadResult(log=log, file_name=ws.name, status="refused", message=exc.message,
                              message_key=exc.key, message_params=exc.params,
                              encoding=result.encoding, delimiter=result.delimiter, headers=result.headers)
        if result.rejects:
            result.reject_rows = _original_rows(head, {r.line for r in result.rejects})
        result.status = "loaded"
        result.message = _counts_message(result)
        if len(result.rejects) >= MAX_REJECTS_KEPT:
            head.notes.append(f"only the first {MAX_REJECTS_KEPT} reject reasons are listed")
        if head.notes:
            result.message += " (" + "; ".join(head.notes) + ")"
        say(1.0, "done")
        return result


def _original_rows(head: _Head, lines: set[int]) -> dict[int, list[str]]:
    """The rejected records as the file has them (all columns), by line number: read
    again from the UTF-8 copy the load parsed (record 1 is the header)."""
    out: dict[int, list[str]] = {}
    if head.csv_path is None or not lines:
        return out
    last = max(lines)
    off = int(head.line_offset)
    csv.field_size_limit(1 << 30)
    with open(head.csv_path, encoding="utf-8-sig", errors="replace", newline="") as f:
        for k, rec in enumerate(csv.reader(f, delimiter=head.delimiter or ",", quotechar='"'), start=1):
            line = k + off
            if line in lines:
                out[line] = [v[:10_000] for v in rec[:MAX_FIELDS]]
            if line >= last:
                break
    return out


def _load_sql(store, ws: _Workspace, head: _Head, log: str, mapping: dict[str, str],
              extra_names: list[str], source_kind: str, save_mapping: bool,
              result: LoadResult, say: Progress, refresh: bool = True) -> None:
    """Parse and type the rows in a scratch in-memory database attached for
    this load (outside the store's transaction: nothing there touches the
    store), then de-duplicate and write in one store transaction."""
    tag = uuid.uuid4().hex[:12]
    scratch = f"_cr_scratch_{tag}"
    scur = store.cursor()
    scur.execute(f"ATTACH ':memory:' AS {scratch}")
    try:
        typed = _parse_rows(scur, scratch, tag, head, log, mapping, extra_names, result, say)
        with store.transaction() as cur:
            _write_rows(store, cur, typed, head, log, mapping, source_kind, save_mapping, result, say,
                        refresh)
    finally:
        try:
            scur.execute(f"DETACH {scratch}")
        finally:
            scur.close()


def _parse_rows(scur, scratch: str, tag: str, head: _Head, log: str, mapping: dict[str, str],
                extra_names: list[str], result: LoadResult, say: Progress) -> str:
    rej, scan = f"_cr_rej_{tag}", f"_cr_scan_{tag}"
    raw, excl, lined, typed = (f"{scratch}.main.{x}" for x in ("raw", "excluded", "lined", "typed"))
    n = head.ncols
    for m in _MACROS:
        scur.execute(m)
    idx = {h: i for i, h in enumerate(head.headers)}
    extra_idx = [idx[h] for h in extra_names]
    # A CSV whose records all have the header's width (a clean export) is read
    # strictly, in parallel. A ragged one (see _count_fields) is read with
    # room for its widest record (`width` columns) and padded, serially
    # (padding needs the serial reader when a quoted field spans lines; ~0.1 s
    # per million rows), so DuckDB rejects no row for its field count. Present
    # empty fields then read as '' (nullstr is a value no export contains) and
    # only missing ones as NULL: a NULL last header field marks a short row, a
    # value past the header a long one, and _typed_sql rejects both. An xlsx
    # sheet is padded without flagging: trailing empty cells are not written.
    counts = head.field_counts
    ragged = head.width > 0
    width = max(n, head.width)
    cols = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width)) + "}"
    used = _used_columns(head, mapping, extra_idx)
    params = {"path": str(head.csv_path), "delim": head.delimiter or ","}
    if ragged:
        shape = (f"CASE WHEN {'false' if n == 1 else f'c{n - 1} IS NULL'} THEN 'MISSING COLUMNS' "
                 f"WHEN {'false' if width == n else f'c{n} IS NOT NULL'} THEN 'TOO MANY COLUMNS' END")
        shown = ", ".join(f"c{i}" for i in range(min(width, MAX_VALUE_CHARS)))
        flags = [f"{shape} AS _shape", f"CASE WHEN _shape IS NOT NULL THEN concat_ws($delim, {shown}) END AS _row"]
        reader = "null_padding = true, nullstr = $nullstr, parallel = false"
        params["nullstr"] = _NULL_SENTINEL
    else:
        flags = ["NULL::VARCHAR AS _shape", "NULL::VARCHAR AS _row"]
        # (padding an xlsx sheet needs the serial reader too: a cell may hold a line break)
        reader = "null_padding = true, parallel = false" if head.null_padding else "null_padding = false"
    sel = ", ".join([f"c{i}" for i in used] + [f"{_keep_sql(width)} AS _keep"] + flags)
    scur.execute(
        f"""CREATE TABLE {raw} AS
            SELECT {sel} FROM read_csv($path, header = false, skip = 1, all_varchar = true,
                auto_detect = false, columns = {cols}, delim = $delim, quote = '"', escape = '"',
                {reader}, ignore_errors = true, store_rejects = true,
                rejects_table = '{rej}', rejects_scan = '{scan}')""",
        params,
    )
    # A quoted field left open at the end of the file: the padded reader drops
    # that record (and the rest of the file) without a reject, so compare the
    # records DuckDB returned with those Python counted.
    # Every record Python counted must come back, as a row or a reject: a record
    # DuckDB's reader lost (a line past its buffer, quoting it read differently)
    # refuses the file rather than going missing from the counts.
    lost_tail: int | None = None
    if counts:
        records = sum(v for k, v in counts.items() if k > 0) - 1
        seen = scur.execute(f"SELECT (SELECT count(*) FROM {raw}) + "
                            f"(SELECT count(DISTINCT line) FROM {rej})").fetchone()[0]
        if ragged and records == seen + 1:
            lost_tail = 2 + int(seen) + counts.get(0, 0) + int(head.line_offset)
        elif records > seen:
            raise RefusedFile.said("ingest_rows_lost", seen=f"{int(seen):,}", n=f"{records:,}")
    _stage("read")
    say(0.45, "checking rows")
    # -- line numbers: the complement of rejected and blank record numbers ----
    # rowid is the row's position among the good rows (file order).
    off = int(head.line_offset)
    scur.execute(f"CREATE TABLE {excl} AS SELECT DISTINCT line::BIGINT AS line FROM {rej}")
    if head.blank_records:
        scur.execute(f"INSERT INTO {excl} SELECT unnest($b)::BIGINT EXCEPT SELECT line FROM {excl}",
                     {"b": head.blank_records})
    n_excluded = scur.execute(f"SELECT count(*) FROM {excl}").fetchone()[0]
    if n_excluded == 0:
        scur.execute(f"CREATE TABLE {lined} AS SELECT rowid + 2 + {off} AS line, * FROM {raw}")
    else:
        # The i-th excluded record number e_i (in order) has e_i - 1 - i good
        # rows before it; good row k (0-based) therefore comes after exactly
        # the excluded records whose threshold is <= k.
        scur.execute(f"""
            CREATE TABLE {lined} AS
            WITH ex AS (SELECT line - 1 - row_number() OVER (ORDER BY line) AS t,
                               row_number() OVER (ORDER BY line) AS i FROM {excl}),
                 th AS (SELECT t, max(i) AS i FROM ex GROUP BY t),
                 r AS (SELECT rowid AS rid, * FROM {raw})
            SELECT r.rid + 2 + coalesce(th.i, 0) + {off} AS line, r.* EXCLUDE (rid)
            FROM r ASOF LEFT JOIN th ON r.rid >= th.t
        """)
    scur.execute(f"DROP TABLE {raw}")
    params: dict[str, Any] = {"tz": workspace_tz()}
    for j, h in enumerate(extra_names):
        params[f"x{j}"] = h
    scur.execute(_typed_sql(log, head, mapping, extra_idx, lined, typed), params)
    scur.execute(f"DROP TABLE {lined}")
    _stage("typed")
    say(0.6, "listing rejected rows")

    # -- rejects ----------------------------------------------------------------
    malformed = f"""
        SELECT line::BIGINT + {off} AS line, any_value(error_type::VARCHAR) AS et,
               left(trim(any_value(csv_line), '{_TRIM}'), {MAX_VALUE_CHARS}) AS val
        FROM {rej}
        GROUP BY line
        HAVING trim(any_value(csv_line), '{_TRIM}') <> ''"""
    n_bad_rows = scur.execute(f"SELECT count(*) FROM ({malformed})").fetchone()[0]
    n_bad_values, n_rows = scur.execute(
        f"SELECT count(*) FILTER (WHERE errs IS NOT NULL), count(*) FROM {typed}").fetchone()
    rejects_sql = f"""
        SELECT line, col, reason, val FROM (
            SELECT line, '(row)' AS col, et AS reason, val, 0 AS k FROM ({malformed})
            UNION ALL
            SELECT line, e.col, e.reason, e.val, e.k
            FROM (SELECT line, unnest(errs) AS e FROM {typed} WHERE errs IS NOT NULL)
        ) ORDER BY line, k LIMIT {MAX_REJECTS_KEPT}"""
    rejects = []
    for line, col, reason, val in scur.execute(rejects_sql).fetchall():
        if col == "(row)":
            if reason == "LINE SIZE OVER MAXIMUM":
                val = None  # DuckDB's copy of an over-long line can be another line's text
            reason = _malformed_reason(reason, n)
        rejects.append(RejectedRow(int(line), col, reason, val))
    if lost_tail is not None:
        n_bad_rows += 1
        if len(rejects) < MAX_REJECTS_KEPT:
            rejects.append(RejectedRow(lost_tail, "(row)", _malformed_reason("UNCLOSED TAIL", n), None))
    result.rejects = rejects
    result.rows_read = int(n_rows + n_bad_rows)
    result.rejected = int(n_bad_rows + n_bad_values)
    if head.records is not None:
        result.blank = max(0, head.records - result.rows_read)
    for t in (rej, scan):
        scur.execute(f"DROP TABLE IF EXISTS {t}")
    return typed


def _write_rows(store, cur, typed: str, head: _Head, log: str, mapping: dict[str, str],
                source_kind: str, save_mapping: bool, result: LoadResult, say: Progress,
                refresh: bool = True) -> None:
    say(0.7, "checking for duplicates")
    upload_id = cur.execute("SELECT nextval('upload_seq')").fetchone()[0]
    result.upload_id = int(upload_id)
    good = f"(SELECT * EXCLUDE (errs) FROM {typed} WHERE errs IS NULL)"
    n_good = result.rows_read - result.rejected
    p = {"uid": upload_id}
    if log == "joins":
        accepted = cur.execute(f"""
            INSERT INTO joins (user_id, joined_at, article_id, group_id, extra, upload_id, row_id)
            SELECT user_id, joined_at, article_id, group_id, extra, $uid,
                   nextval('joins_row_seq') FROM (
                SELECT user_id, joined_at, article_id, group_id,
                       arg_min(extra, line) AS extra, min(line) AS line
                FROM {good} GROUP BY user_id, joined_at, article_id, group_id) AS n
            WHERE NOT EXISTS (
                SELECT 1 FROM joins AS j
                WHERE j.user_id = n.user_id AND j.joined_at = n.joined_at
                  AND j.article_id IS NOT DISTINCT FROM n.article_id
                  AND j.group_id IS NOT DISTINCT FROM n.group_id)
            ORDER BY line""", p).fetchone()[0]
        updated = 0
    elif log == "sales":
        accepted = cur.execute(f"""
            INSERT INTO sales (user_id, event, occurred_at, rep, amount, order_id, extra, upload_id, row_id)
            SELECT user_id, event, occurred_at, rep, amount, order_id, extra, $uid,
                   nextval('sales_row_seq') FROM (
                SELECT * FROM {good} WHERE order_id IS NOT NULL
                QUALIFY row_number() OVER (PARTITION BY order_id, event ORDER BY line) = 1) AS n
            WHERE NOT EXISTS (
                SELECT 1 FROM sales AS s WHERE s.order_id = n.order_id AND s.event = n.event)
            ORDER BY line""", p).fetchone()[0]
        accepted += cur.execute(f"""
            INSERT INTO sales (user_id, event, occurred_at, rep, amount, order_id, extra, upload_id, row_id)
            SELECT user_id, event, occurred_at, rep, amount, NULL, extra, $uid,
                   nextval('sales_row_seq') FROM (
                SELECT * FROM {good} WHERE order_id IS NULL
                QUALIFY row_number() OVER (PARTITION BY user_id, event, occurred_at, rep, amount
                                           ORDER BY line) = 1) AS n
            WHERE NOT EXISTS (
                SELECT 1 FROM sales AS s
                WHERE s.order_id IS NULL AND s.user_id = n.user_id AND s.event = n.event
                  AND s.occurred_at = n.occurred_at
                  AND s.rep IS NOT DISTINCT FROM n.rep
                  AND s.amount IS NOT DISTINCT FROM n.amount)
            ORDER BY line""", p).fetchone()[0]
        updated = 0
    else:
        latest = f"_cr_latest_{uuid.uuid4().hex[:12]}"
        cur.execute(f"""CREATE TEMP TABLE {latest} AS SELECT * FROM {good}
                        QUALIFY row_number() OVER (PARTITION BY article_id ORDER BY line DESC) = 1""")
        same_cond = """a.title = n.title AND a.channel = n.channel AND a.published_at = n.published_at
              AND a.author IS NOT DISTINCT FROM n.author AND a.reads IS NOT DISTINCT FROM n.reads
              AND a.cost IS NOT DISTINCT FROM n.cost
              AND a.extra::VARCHAR IS NOT DISTINCT FROM n.extra::VARCHAR"""
        updated = cur.execute(f"""
            SELECT count(DISTINCT n.article_id) FROM {latest} AS n JOIN articles AS a USING (article_id)
            WHERE NOT ({same_cond})""").fetchone()[0]
        cur.execute(f"""
            DELETE FROM articles AS a USING {latest} AS n
            WHERE a.article_id = n.article_id AND NOT ({same_cond})""")
        accepted = cur.execute(f"""
            INSERT INTO articles (article_id, title, channel, published_at, author, reads, cost, extra, upload_id)
            SELECT article_id, title, channel, published_at, author, reads, cost, extra, $uid
            FROM {latest} AS n
            WHERE NOT EXISTS (SELECT 1 FROM articles AS a WHERE a.article_id = n.article_id)
            ORDER BY line""", p).fetchone()[0]
        cur.execute(f"DROP TABLE {latest}")
    result.accepted = int(accepted)
    result.updated = int(updated)
    result.duplicates = int(n_good - accepted)
    _stage("insert")
    say(0.8, "recording the upload")

    cur.execute(
        """INSERT INTO uploads (upload_id, log, file_name, uploaded_at, source, encoding, delimiter,
                                sheet, rows_read, accepted, rejected, duplicates, updated, mapping)
           VALUES ($uid, $log, $name, timezone($tz, now()), $src, $enc, $delim, $sheet,
                   $read, $acc, $rej, $dup, $upd, $mapping::JSON)""",
        {"uid": upload_id, "log": log, "name": result.file_name, "tz": workspace_tz(),
         "src": source_kind, "enc": result.encoding, "delim": result.delimiter,
         "sheet": result.sheet, "read": result.rows_read, "acc": result.accepted,
         "rej": result.rejected, "dup": result.duplicates, "upd": result.updated,
         "mapping": json.dumps(mapping, ensure_ascii=False)},
    )
    if save_mapping:
        cur.execute(
            """INSERT OR REPLACE INTO column_mappings (log, shape, mapping, saved_at)
               VALUES ($log, $shape, $mapping::JSON, timezone($tz, now()))""",
            {"log": log, "shape": header_shape(head.headers), "tz": workspace_tz(),
             "mapping": json.dumps(mapping, ensure_ascii=False)},
        )
    _stage("record")
    if refresh:
        say(0.9, "updating the models")
        store.refresh_models(cur, full=False)
    _stage("refresh")


def load_files(store, files: list[dict[str, Any]], source_kind: str = "page",
               progress: Progress | None = None) -> list[LoadResult]:
    """Load several files into ``store`` with one model refresh at the end.

    ``files``: dicts of ``load_file``'s arguments (``source``, ``log``, and any of
    ``file_name``, ``mapping``, ``sheet``, ``save_mapping``). Each file is still
    all or nothing (its own transaction; a refused file loads nothing and the
    others go on); the derived models are brought up to date once, after the last
    file, in their own transaction. Meant for a store nobody reads until this
    returns (a Workspace writer's unpublished snapshot, a fresh temporary store).
    If a file raises, the models are refreshed for the files before it, then the
    error is raised."""
    say = progress or (lambda fraction, message: None)
    results: list[LoadResult] = []
    n = max(len(files), 1)
    try:
        for i, spec in enumerate(files):
            spec = dict(spec)

            def part(frac: float, msg: str, i: int = i) -> None:
                say(min(0.9, (i + frac) / n * 0.9), msg)

            results.append(load_file(store, spec.pop("source"), spec.pop("log"), source_kind=source_kind,
                                     progress=part, refresh=False, **spec))
    finally:
        if any(r.status == "loaded" for r in results):
            say(0.9, "updating the models")
            with store.transaction() as cur:
                store.refresh_models(cur, full=False)
    say(1.0, "done")
    return results
