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

The package, one module per step:

    result.py   RefusedFile, RejectedRow, FilePreview, LoadResult, format_summary
    source.py   step 1: the source on disk, its kind, its encoding, transcoding
    head.py     a file's head (_Head), shared by the two readers
    csvfile.py  step 2, CSV: header and sample, then the whole file checked and prepared
    xlsx.py     step 2, Excel: bomb guards, the sheet written out as a UTF-8 CSV
    mapping.py  step 2: any file's head, headers -> columns, inspect_file
    typed.py    step 3: the SQL macros and the typing SELECT (reject reasons)
    load.py     step 4: load_file, load_files (the store transaction), publish_files (a snapshot)
    bounds.py   every size limit (read as bounds.NAME)

The names below are its interface (``from contentroi import ingest``). Setting a bound or
the ``_FAULT`` test hook on the package sets it where it is read (see ``_Package``).
"""
from __future__ import annotations

import sys
import types

from ..columns import COLUMNS, LOGS, ColumnSpec, guess_log
from . import bounds, load
from .bounds import (CHUNK_BYTES, HEAD_BYTES, MAX_EXTRA_COLUMNS, MAX_FIELDS, MAX_LINE_CHARS,
                     MAX_REJECTS_KEPT, MAX_VALUE_CHARS, SAMPLE_ROWS, XLSX_MAX_CELL_CHARS,
                     XLSX_MAX_COLUMNS, XLSX_MAX_PART, XLSX_MAX_ROWS, XLSX_MAX_SHARED_BYTES,
                     XLSX_MAX_SHARED_STRINGS, XLSX_MAX_UNPACKED)
from .csvfile import _count_fields, _csv_head, _prepare_csv
from .head import _Head
from .load import _FAULT, load_file, load_files, publish_files
from .mapping import _read_head, _refusal_for_missing, _resolve_mapping, inspect_file
from .result import FilePreview, LoadResult, Progress, RefusedFile, RejectedRow, Source, format_summary
from .source import _detect_encoding, _Encoding, _Workspace
from .typed import _NULL_SENTINEL, _typed_sql

__all__ = [
    "LOGS", "COLUMNS", "ColumnSpec", "RefusedFile", "RejectedRow", "FilePreview",
    "LoadResult", "inspect_file", "load_file", "load_files", "publish_files", "guess_log",
    "format_summary",
]

# Names whose value the loader reads at run time from their own module: setting one on the
# package (``monkeypatch.setattr(ingest, "MAX_REJECTS_KEPT", 3)``, ``ingest._FAULT = f``)
# sets it there too, so it still takes effect. (Patch the home module in new code.)
_HOMES = {name: bounds for name in dir(bounds) if name.isupper()} | {"_FAULT": load}


class _Package(types.ModuleType):
    def __setattr__(self, name: str, value: object) -> None:
        if name in _HOMES:
            setattr(_HOMES[name], name, value)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
