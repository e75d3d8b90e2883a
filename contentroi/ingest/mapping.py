"""Step 2, headers -> columns: read the head of any kind of file, match its headers to the
log's columns (contentroi/columns.py), a saved mapping or one given by hand; :func:`inspect_file`."""
from __future__ import annotations

import json

from ..columns import COLUMNS, LOGS, header_shape, match_headers, normalise_header, required_columns
from . import bounds
from .csvfile import _csv_head, _prepare_csv
from .head import _Head
from .result import FilePreview, RefusedFile, Source
from .source import _kind, _Workspace
from .xlsx import _xlsx_read

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
                  for r in head.sample[:bounds.SAMPLE_ROWS]]
        return FilePreview(
            log=log, file_name=ws.name,
            encoding=head.encoding.label if head.encoding else None,
            delimiter=head.delimiter, sheet=head.sheet, headers=head.headers,
            mapping=mapping, missing=_missing(log, mapping),
            extra=[h for h in head.headers if h not in used],
            sample_rows=sample, mapping_source=src,
        )
