"""Step 2, Excel: an .xlsx guarded against zip and XML bombs before openpyxl reads it,
then its sheet written out as an all-text UTF-8 CSV (dates as ISO text, ``1001.0`` as
``1001``), so both kinds share everything after."""
from __future__ import annotations

import csv
import datetime as _dt
from pathlib import Path
from typing import Any, Callable

from . import bounds
from .head import _display_headers, _Head
from .result import RefusedFile
from .source import _Workspace

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
    bounds.XLSX_MAX_CELL_CHARS."""
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
        if n > bounds.XLSX_MAX_CELL_CHARS:
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
        if total > bounds.XLSX_MAX_UNPACKED:
            raise _XlsxBomb.said("ingest_xlsx_unpacked", size=_mb(total), limit=_mb(bounds.XLSX_MAX_UNPACKED))
        shared = None
        for i in infos:
            lower = i.filename.lower()
            if lower.endswith("sharedstrings.xml"):
                shared, limit = i, bounds.XLSX_MAX_SHARED_BYTES
            elif "worksheets/" in lower:
                continue  # streamed; checked cell by cell (_xlsx_guard_sheet)
            else:
                limit = bounds.XLSX_MAX_PART
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
                if count > bounds.XLSX_MAX_SHARED_STRINGS:
                    raise _XlsxBomb.said("ingest_xlsx_strings", n=f"{bounds.XLSX_MAX_SHARED_STRINGS:,}")

        def too_long() -> None:
            raise _XlsxBomb.said("ingest_xlsx_cell", n=f"{bounds.XLSX_MAX_CELL_CHARS:,}")

        try:
            _scan_xml(zf, shared.filename, start, "si", too_long)
        except _XlsxBomb:
            raise
        except Exception as exc:  # noqa: BLE001  (malformed XML)
            raise RefusedFile(f"cannot read the workbook's shared strings: {exc}") from None


def _xlsx_guard_sheet(path: Path, part: str) -> None:
    """Refuse a sheet with a cell past Excel's sheet size or beyond bounds.MAX_FIELDS columns,
    or a cell longer than an Excel cell can be, before its rows are read."""
    import zipfile

    def start(tag: str, attrs: dict) -> None:
        if tag == "c":
            ref = attrs.get("r", "")
            col = _col_number(ref)
            if col > bounds.MAX_FIELDS:
                raise _XlsxBomb.said("ingest_xlsx_column", col=f"{col:,}", ref=ref[:20], n=f"{bounds.MAX_FIELDS:,}")
        elif tag == "row":
            r = attrs.get("r", "")
            if r.isdigit() and int(r) > bounds.XLSX_MAX_ROWS:
                raise _XlsxBomb.said("ingest_xlsx_row", row=f"{int(r):,}", n=f"{bounds.XLSX_MAX_ROWS:,}")
        elif tag == "dimension":
            ref = attrs.get("ref", "")
            last = ref.rpartition(":")[2]
            if _col_number(last) > bounds.XLSX_MAX_COLUMNS or _row_number(last) > bounds.XLSX_MAX_ROWS:
                raise _XlsxBomb.said("ingest_xlsx_range", ref=ref[:40])

    def too_long() -> None:
        raise _XlsxBomb.said("ingest_xlsx_cell", n=f"{bounds.XLSX_MAX_CELL_CHARS:,}")

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
                    if len(sample) >= bounds.SAMPLE_ROWS:
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
                if len(sample) < bounds.SAMPLE_ROWS:
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
