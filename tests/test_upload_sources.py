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


BAD = ("文章ID,标题,渠道,发布时间,阅读数,备注\n"
       "A1,好,wechat,2026-03-01,10,ok\n"
       "A2,坏日期,wechat,昨天,10,\"=cmd|' /C calc'!A0\"\n"
       ",无编号,zhihu,2026-03-02,abc,\"多行\n备注\"\n"
       "A4,好,weibo,2026-03-03,5,x\n").encode("gbk")


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_rejected_rows_download_carries_the_original_row(kind):
    import csv as _csv

    if kind == "csv":
        data, name = BAD, "导出 (1).csv"
    else:
        rows = list(_csv.reader(io.StringIO(BAD.decode("gbk"))))
        data, name = xlsx_bytes(rows), "导出.xlsx"
    with Store(":memory:") as s:
        r = ingest.load_file(s, Upload(name, data), "articles", file_name=name)
    assert (r.accepted, r.rejected) == (2, 2)  # A2: its date; line 4: no id and bad reads
    assert r.rejects_file_name() in ("rejected_导出 (1).csv", "rejected_导出.csv")
    text = r.rejects_csv().decode("utf-8-sig")
    got = list(_csv.reader(io.StringIO(text)))
    assert got[0] == ["文章ID", "标题", "渠道", "发布时间", "阅读数", "备注",
                      "rejected_line", "rejected_column", "rejected_reason"]
    # a formula-like cell comes back inert (openpyxl writes it as a formula: no value in xlsx)
    note = "'=cmd|' /C calc'!A0" if kind == "csv" else ""
    assert got[1][:6] == ["A2", "坏日期", "wechat", "昨天", "10", note]
    assert got[1][6:8] == ["3", "published_at"]
    assert got[2][:6] == ["", "无编号", "zhihu", "2026-03-02", "abc", "多行\n备注"]
    assert got[2][6] == "4" and got[2][7] == "article_id; reads" and "reads:" in got[2][8]
    assert len(got) == 3
    # fixed and uploaded again, the same file loads: the added columns are extra columns
    fixed = text.replace("昨天", "2026-03-05").replace("\n,无编号", "\nA3,无编号").replace("abc", "7")
    with Store(":memory:") as s:
        again = ingest.load_file(s, fixed.encode("utf-8-sig"), "articles", file_name="fixed.csv")
    assert (again.accepted, again.rejected) == (2, 0), again.message


def test_rejects_file_name_has_one_csv():
    r = ingest.LoadResult(log="joins", file_name="a.CSV", status="loaded", message="")
    assert r.rejects_file_name() == "rejected_a.csv"
    r.file_name = "x.xlsx"
    assert r.rejects_file_name() == "rejected_x.csv"
    r.file_name = "noext"
    assert r.rejects_file_name() == "rejected_noext.csv"
