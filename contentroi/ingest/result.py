"""What a load returns and refuses: :class:`RefusedFile`, :class:`RejectedRow`,
:class:`FilePreview`, :class:`LoadResult`, and the one-line summaries."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

Source = Any  # str | os.PathLike | bytes | a binary file-like (e.g. Streamlit's UploadedFile)
Progress = Callable[[float, str], None]


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
        from .. import i18n

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
        from ..fmt import safe_csv

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

