"""A file's head (:class:`_Head`): its kind, encoding, delimiter or sheet, headers and
sample rows, and what preparing it for the SQL step found (shared by the CSV and xlsx readers)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .source import _Encoding

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

