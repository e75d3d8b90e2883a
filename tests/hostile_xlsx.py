"""Hostile .xlsx shapes (issue 11), written straight as zip parts so their size is exact.

- ``dimension``: 1.7 KB, declares A1:XFD1048576 and has rows 1, 2 and 1048576
  (openpyxl padded every row to the declared width: ~65 minutes per pass);
- ``huge_cell``: one inline-string cell of ``cell_mb`` MB (500 MB: a 511 KB file);
- ``shared_strings``: ``strings_mb`` MB of shared strings (1 GB: a 2.2 MB file);
- ``wide_rows``: every row has a cell in column XFD (16,384 columns);
- ``styles_bomb``: a 300 MB styles part (parsed whole by openpyxl).

``python -m tests.hostile_xlsx DIR`` writes them all at full size.
"""
from __future__ import annotations

import sys
import zipfile
from pathlib import Path

CT = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
</Types>"""
RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
WB = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"""
WB_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
</Relationships>"""
STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="1"><fill><patternFill patternType="none"/></fill></fills>
<borders count="1"><border/></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>
</styleSheet>"""
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
MB = 1 << 20


def _s(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


HEADER_ROW = f'<row r="1">{_s("A1", "user_id")}{_s("B1", "joined_at")}</row>'


def _write(path: Path, sheet_parts, shared=None, styles=None) -> Path:
    """sheet_parts / shared / styles: iterables of str chunks (streamed into the zip)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", CT)
        z.writestr("_rels/.rels", RELS)
        z.writestr("xl/workbook.xml", WB)
        z.writestr("xl/_rels/workbook.xml.rels", WB_RELS)
        for name, parts in (("xl/worksheets/sheet1.xml", sheet_parts),
                            ("xl/sharedStrings.xml", shared or [f'<sst {NS} count="0" uniqueCount="0"/>']),
                            ("xl/styles.xml", styles or [STYLES])):
            with z.open(name, "w", force_zip64=True) as f:
                for chunk in parts:
                    f.write(chunk.encode("utf-8"))
    return path


def _sheet(rows: str, dimension: str = "A1:B3"):
    yield f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {NS}>'
    yield f'<dimension ref="{dimension}"/><sheetData>'
    yield rows
    yield "</sheetData></worksheet>"


def dimension(path: Path) -> Path:
    rows = (HEADER_ROW + f'<row r="2">{_s("A2", "u1")}{_s("B2", "2024-01-01")}</row>'
            f'<row r="1048576">{_s("A1048576", "u2")}{_s("B1048576", "2024-01-02")}</row>')
    return _write(path, _sheet(rows, "A1:XFD1048576"))


def huge_cell(path: Path, cell_mb: int = 500) -> Path:
    def parts():
        yield f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {NS}>'
        yield f'<dimension ref="A1:B2"/><sheetData>{HEADER_ROW}<row r="2"><c r="A2" t="inlineStr"><is><t>'
        chunk = "x" * MB
        for _ in range(cell_mb):
            yield chunk
        yield f'</t></is></c>{_s("B2", "2024-01-01")}</row></sheetData></worksheet>'
    return _write(path, parts())


def shared_strings(path: Path, strings_mb: int = 1024, string_kb: int = 16) -> Path:
    n = strings_mb * 1024 // string_kb

    def sst():
        yield f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst {NS} count="{n}" uniqueCount="{n}">'
        for i in range(n):
            yield f"<si><t>{i:09d}{'y' * (string_kb * 1024 - 9)}</t></si>"
        yield "</sst>"
    rows = HEADER_ROW + '<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="s"><v>1</v></c></row>'
    return _write(path, _sheet(rows, "A1:B2"), shared=sst())


def wide_rows(path: Path, n_rows: int = 20_000) -> Path:
    def rows():
        yield HEADER_ROW
        for r in range(2, n_rows + 2):
            yield f'<row r="{r}">{_s(f"A{r}", f"u{r}")}{_s(f"B{r}", "2024-01-01")}<c r="XFD{r}"><v>1</v></c></row>'
    return _write(path, _sheet("".join(rows()), f"A1:XFD{n_rows + 1}"))


def styles_bomb(path: Path, styles_mb: int = 300) -> Path:
    def styles():
        yield f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet {NS}><numFmts count="1">'
        pad = "<!--" + "z" * (MB - 7) + "-->"
        for _ in range(styles_mb):
            yield pad
        yield '</numFmts></styleSheet>'
    rows = HEADER_ROW + f'<row r="2">{_s("A2", "u1")}{_s("B2", "2024-01-01")}</row>'
    return _write(path, _sheet(rows, "A1:B2"), styles=styles())


SHAPES = {"dimension": dimension, "huge_cell": huge_cell, "shared_strings": shared_strings,
          "wide_rows": wide_rows, "styles_bomb": styles_bomb}


if __name__ == "__main__":
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for name, make in SHAPES.items():
        p = make(out / f"{name}.xlsx")
        print(f"{name}: {p.stat().st_size:,} bytes")
