"""The loader's bounds: what it reads, keeps and accepts. Read as ``bounds.NAME`` (module
attribute) everywhere, so that a test may set one (``monkeypatch.setattr(bounds, ...)``)."""
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
