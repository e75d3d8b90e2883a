"""Step 2, CSV: the header and sample read in Python (delimiter sniffed outside quotes),
then the whole file checked and prepared for DuckDB's reader: transcoded to UTF-8, blank
records, ragged widths (counted in C by the csv module), over-long lines, an unclosed quote."""
from __future__ import annotations

import codecs
import csv
import io
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import bounds
from .head import _display_headers, _Head
from .result import RefusedFile
from .source import _BlankTracker, _detect_encoding, _Encoding, _transcode, _Workspace

_DELIMS = (",", "\t", ";")


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



def _csv_head(path: Path) -> _Head:
    size = path.stat().st_size
    with open(path, "rb") as f:
        head = f.read(bounds.HEAD_BYTES)
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
            raise RefusedFile.said("ingest_header_too_long", mb=bounds.HEAD_BYTES >> 20)
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
            if len(records) > bounds.SAMPLE_ROWS:
                break
    except csv.Error:
        pass
    if not records or not any(h.strip() for h in records[0]):
        raise RefusedFile("the file has no header row")
    headers = _display_headers(records[0])
    return _Head("csv", enc, delim, None, headers, records[1:], head_ascii=head.isascii())



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
            chunk = f.read(bounds.CHUNK_BYTES)
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
                chunk = f.read(bounds.CHUNK_BYTES)
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
    scan = _scan_lines(head.csv_path, delim)
    if scan.longest > bounds.MAX_LINE_CHARS:
        _refuse_long_line(head.csv_path)
    if scan.counts is not None:  # no quote character: a record is a line, its fields the delimiters + 1
        _settle_width(head, scan.counts, scan.loose, n)
        return
    odd_quotes = bool(scan.quotes % 2)
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
    if span[1] > span[0]:
        _check_unclosed_tail(head.csv_path, span[0])
    _settle_width(head, counts, scan.loose, n)


def _settle_width(head: _Head, counts: Counter, loose: int, n: int) -> None:
    """head.field_counts / records / width from the records' field counts and the most
    delimiters on any one line (+ 1: ``loose``); a row far wider than any log refuses the file."""
    head.field_counts = counts
    head.records = max(0, sum(counts.values()) - 1)
    widest = max(max(counts, default=0), n)
    if widest > max(n, bounds.MAX_FIELDS):
        raise RefusedFile(f"a row has {widest:,} fields but the header has {n:,}: "
                          "this does not look like a log export (is the delimiter right?)")
    if widest > n or loose > n or any(k not in (0, n) for k in counts):
        head.width = min(max(widest, loose), max(n, bounds.MAX_FIELDS))


@dataclass
class _LineScan:
    longest: int                 # bytes of the longest line, its LF included
    quotes: int                  # quote characters in the file
    loose: int                   # the most delimiters on one line, + 1
    counts: Counter | None       # fields per record (as csv.reader splits them) when quotes == 0


def _scan_lines(path: Path, delim: str) -> _LineScan:
    """One pass over the bytes (numpy, chunk by chunk): the longest line, the quote
    characters, the most delimiters on a line and -- for a file without any quote
    character, where each line is one record and no CR stands alone -- every record's
    field count, exactly as csv.reader counts them: 0 for an empty line (or a lone
    CRLF), else the line's delimiters + 1. (The CSV module's pass over every record
    took ~1 s per million rows; this ~0.05 s.) A file with a quote, or a CR that does
    not end a line, gets ``counts=None``: csv.reader then counts its records."""
    d = ord(delim)
    longest = quotes = 0
    most = 0                          # delimiters on one line
    counts: Counter | None = Counter()
    cr = crlf = 0
    carry_len = carry_d = carry_cr = 0   # the line the previous chunk ended in
    prev_cr = False
    with open(path, "rb") as f:
        while chunk := f.read(bounds.CHUNK_BYTES):
            b = np.frombuffer(chunk, dtype=np.uint8)
            quotes += chunk.count(b'"')
            n_cr = chunk.count(b"\r")
            cr += n_cr
            crlf += chunk.count(b"\r\n") + (1 if prev_cr and chunk[:1] == b"\n" else 0)
            prev_cr = chunk[-1:] == b"\r"
            nl = np.flatnonzero(b == 10)
            dpos = np.flatnonzero(b == d)
            crpos = np.flatnonzero(b == 13) if n_cr else None
            starts = np.empty(len(nl) + 1, dtype=np.int64)
            starts[0] = 0
            starts[1:] = nl + 1
            ends = np.empty(len(nl) + 1, dtype=np.int64)
            ends[:-1] = nl
            ends[-1] = len(b)
            lens = ends - starts                     # bytes before the LF (the last: the tail)
            dels = np.searchsorted(dpos, ends) - np.searchsorted(dpos, starts)
            crs = (np.searchsorted(crpos, ends) - np.searchsorted(crpos, starts)) if crpos is not None \
                else np.zeros_like(lens)
            lens[0] += carry_len
            dels[0] += carry_d
            crs[0] += carry_cr
            carry_len, carry_d, carry_cr = int(lens[-1]), int(dels[-1]), int(crs[-1])
            if len(nl):
                full_lens, full_dels, full_crs = lens[:-1], dels[:-1], crs[:-1]
                longest = max(longest, int(full_lens.max()) + 1)
                most = max(most, int(full_dels.max()))
                if counts is not None and not quotes:
                    fields = np.where(full_lens - full_crs == 0, 0, full_dels + 1)
                    vals, k = np.unique(fields, return_counts=True)
                    counts.update(dict(zip(vals.tolist(), k.tolist())))
            if quotes:
                counts = None
    if carry_len:  # a last line without a line end
        longest = max(longest, carry_len)
        most = max(most, carry_d)
        if counts is not None:
            counts[0 if carry_len - carry_cr == 0 else carry_d + 1] += 1
    if quotes or cr != crlf:
        counts = None
    return _LineScan(longest, quotes, most + 1, counts)


def _refuse_long_line(path: Path) -> None:
    """Refuse a file with a line over bounds.MAX_LINE_CHARS bytes: DuckDB's reader dropped an
    unquoted 33 MB line without a trace, and reported a quoted 50 MB one with the
    line before it. No log row is that long."""
    with open(path, "rb") as f:
        line, text = next((i, ln) for i, ln in enumerate(f, 1) if len(ln) > bounds.MAX_LINE_CHARS)
    mb = len(text) / (1 << 20)
    raise RefusedFile.said("ingest_line_too_long", line=f"{line:,}", mb=f"{mb:,.0f}", limit=bounds.MAX_LINE_CHARS >> 20)


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

