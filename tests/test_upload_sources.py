"""Uploads arrive as file objects (Streamlit's UploadedFile) or bytes, under whatever name
the browser gives: every accepted format loads whatever that name is (issue 10)."""
from __future__ import annotations

import io

import openpyxl
import pytest

from contentroi import ingest
from contentroi.store import Store


class Upload(io.BytesIO):
    def __init__(self, name: str, data: bytes):
        super().__init__(data)
        self.name = name


def xlsx_bytes(rows) -> bytes:
    wb = openpyxl.Workbook()
    for r in rows:
        wb.active.append(r)
    b = io.BytesIO()
    wb.save(b)
    return b.getvalue()


ROWS = [["文章ID", "标题", "渠道", "发布时间", "阅读数"],
        ["A1", "春季", "公众号", "2026-03-01 10:00", 1200],
        ["A2", "夏季", "知乎", "2026/03/02", 800]]
CSV = "\n".join(",".join(str(c) for c in r) for r in ROWS).encode("gbk")


@pytest.mark.parametrize("name", ["导出.xlsx", "export.XLSX", "download", "x.bin", "a.csv"])
@pytest.mark.parametrize("as_bytes", [False, True])
def test_xlsx_upload_loads_whatever_its_name(name, as_bytes):
    data = xlsx_bytes(ROWS)
    src = data if as_bytes else Upload(name, data)
    with Store(":memory:") as s:
        prev = ingest.inspect_file(src if as_bytes else Upload(name, data), "articles", file_name=name)
        assert prev.sheet and not prev.missing
        r = ingest.load_file(s, src, "articles", file_name=name)
        assert (r.status, r.accepted, r.rejected) == ("loaded", 2, 0), r.message
        assert s.cursor().execute("SELECT sum(reads) FROM articles").fetchone()[0] == 2000


@pytest.mark.parametrize("name", ["导出.csv", "export.tsv", "export.txt", "download"])
def test_text_upload_loads_whatever_its_name(name):
    data = CSV.replace(b",", b"\t") if name.endswith(".tsv") else CSV
    with Store(":memory:") as s:
        r = ingest.load_file(s, Upload(name, data), "articles", file_name=name)
        assert (r.status, r.accepted, r.encoding) == ("loaded", 2, "gb18030"), r.message
