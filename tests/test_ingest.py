"""Ingestion (CONTRACT §1): encodings, delimiters, Excel, aliases, values,
bad input, dedup, all-or-nothing, saved mappings."""
from __future__ import annotations

import codecs
import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from contentroi import ingest
from contentroi.columns import COLUMNS, header_shape, match_headers, normalise_header
from contentroi.ingest import (
    FilePreview,
    LoadResult,
    format_summary,
    guess_log,
    inspect_file,
    load_file,
)
from contentroi.store import Store

D = dt.datetime


# ---------------------------------------------------------------------------
# fixtures and helpers (kept here: tests/conftest.py belongs to others)
# ---------------------------------------------------------------------------
@pytest.fixture
def store():
    s = Store(":memory:")
    yield s
    s.close()


@pytest.fixture(autouse=True)
def _shanghai(monkeypatch):
    monkeypatch.delenv("CONTENTROI_TZ", raising=False)
    monkeypatch.setattr(ingest.load, "_FAULT", None)


def q(store, sql, params=None):
    return store.cursor().execute(sql, params or {}).fetchall()


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def snapshot(store) -> dict:
    out = {}
    for t in ("articles", "joins", "sales", "uploads", "column_mappings"):
        out[t] = sorted(map(repr, q(store, f"SELECT * FROM {t}")))
    out["data_version"] = store.data_version()
    return out


def joins_rows(store):
    return q(store, "SELECT user_id, joined_at, article_id, group_id FROM joins "
                    "ORDER BY user_id, joined_at, article_id NULLS FIRST, group_id NULLS FIRST")


def sales_rows(store):
    return q(store, "SELECT user_id, event, occurred_at, rep, amount, order_id FROM sales "
                    "ORDER BY occurred_at, user_id, event")


def articles_rows(store):
    return q(store, "SELECT article_id, title, channel, published_at, author, reads, cost "
                    "FROM articles ORDER BY article_id")


def rej(result: LoadResult):
    return [(r.line, r.column, r.reason, r.value) for r in result.rejects]


ARTICLES_ZH = (
    "文章ID,标题,渠道,发布时间,作者,阅读数,成本\n"
    "A1,春季招生指南,公众号,2024-03-01 09:00:00,小王,\"1,200\",\"¥1,280.00\"\n"
    "A2,考研经验分享,知乎,2024年3月2日 10:30,李雷,300,￥99\n"
)
ARTICLES_ZH_EXPECTED = [
    ("A1", "春季招生指南", "公众号", D(2024, 3, 1, 9, 0), "小王", 1200, Decimal("1280.00")),
    ("A2", "考研经验分享", "知乎", D(2024, 3, 2, 10, 30), "李雷", 300, Decimal("99.00")),
]


# ---------------------------------------------------------------------------
# encodings and delimiters
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("encoding, label", [
    ("utf-8", "utf-8"),
    ("utf-8-sig", "utf-8-sig"),
    ("gbk", "gb18030"),
    ("gb18030", "gb18030"),
    ("utf-16", "utf-16-le"),        # Python writes a BOM, little-endian here
    ("utf-16-le-bom", "utf-16-le"),
    ("utf-16-be-bom", "utf-16-be"),
])
def test_encodings_with_chinese_headers_and_values(store, tmp_path, encoding, label):
    if encoding == "utf-16-le-bom":
        data = codecs.BOM_UTF16_LE + ARTICLES_ZH.encode("utf-16-le")
    elif encoding == "utf-16-be-bom":
        data = codecs.BOM_UTF16_BE + ARTICLES_ZH.encode("utf-16-be")
    elif encoding == "gbk":   # GBK has no ¥ (U+00A5); Chinese tools write the full-width ￥
        data = ARTICLES_ZH.replace("¥", "￥").encode(encoding)
    else:
        data = ARTICLES_ZH.encode(encoding)
    p = tmp_path / "文章.csv"
    p.write_bytes(data)
    r = load_file(store, p, "articles")
    assert r.status == "loaded", r.message
    assert r.encoding == label
    assert (r.rows_read, r.accepted, r.rejected, r.duplicates) == (2, 2, 0, 0)
    assert r.headers == ["文章ID", "标题", "渠道", "发布时间", "作者", "阅读数", "成本"]
    assert articles_rows(store) == ARTICLES_ZH_EXPECTED
    up = q(store, "SELECT file_name, encoding, delimiter, rows_read, accepted FROM uploads")
    assert up == [("文章.csv", label, ",", 2, 2)]


def test_gbk_file_whose_first_block_is_ascii(store, tmp_path, monkeypatch):
    # The head (first block) is pure ASCII; Chinese text comes later: the
    # full pass must notice the file is not UTF-8 and transcode it as GB18030.
    monkeypatch.setattr(ingest.bounds, "HEAD_BYTES", 64)
    monkeypatch.setattr(ingest.bounds, "CHUNK_BYTES", 32)
    text = "user_id,joined_at,article_id,group_id\n" + "".join(
        f"u{i},2024-03-01 08:00:{i:02d},A1,g1\n" for i in range(10)) + "u99,2024-03-01 09:00:00,A1,三年级家长群\n"
    p = write(tmp_path, "j.csv", text, "gbk")
    r = load_file(store, p, "joins")
    assert r.status == "loaded" and r.encoding == "gb18030"
    assert r.accepted == 11
    assert q(store, "SELECT group_id FROM joins WHERE user_id = 'u99'") == [("三年级家长群",)]


def test_utf16_without_bom_detected(store, tmp_path):
    p = tmp_path / "a.csv"
    p.write_bytes(ARTICLES_ZH.encode("utf-16-le"))
    r = load_file(store, p, "articles")
    assert r.encoding == "utf-16-le" and r.accepted == 2
    assert articles_rows(store) == ARTICLES_ZH_EXPECTED


@pytest.mark.parametrize("delim", [",", ";", "\t"])
def test_delimiters(store, tmp_path, delim):
    other = ";" if delim == "," else ","
    rows = [
        ["user_id", "joined_at", "article_id", "group_id"],
        ["u1", "2024-03-01 08:00:00", "A1", f'"group{other} one"'],
        ["u2", "2024-03-01 09:00:00", "A2", f'"quoted {delim} delim ""x"""'],
    ]
    text = "\r\n".join(delim.join(r) for r in rows) + "\r\n"
    r = load_file(store, write(tmp_path, "j.csv", text), "joins")
    assert r.delimiter == delim and r.status == "loaded", r.message
    assert joins_rows(store) == [
        ("u1", D(2024, 3, 1, 8), "A1", f"group{other} one"),
        ("u2", D(2024, 3, 1, 9), "A2", f'quoted {delim} delim "x"'),
    ]


def test_delimiter_detection_respects_quotes_in_header(tmp_path):
    text = '"user;id",joined_at,"a;b;c"\nu1,2024-03-01,x\n'
    prev = inspect_file(write(tmp_path, "j.csv", text), "joins")
    assert prev.delimiter == ","
    assert prev.headers == ["user;id", "joined_at", "a;b;c"]


# ---------------------------------------------------------------------------
# Excel
# ---------------------------------------------------------------------------
def _xlsx(tmp_path: Path, sheets: dict[str, list[list]], name="book.xlsx") -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for r in rows:
            ws.append(r)
    p = tmp_path / name
    wb.save(p)
    return p


def test_xlsx_first_sheet_date_cells_and_numeric_ids(store, tmp_path):
    p = _xlsx(tmp_path, {
        "文章": [
            ["文章ID", "标题", "渠道", "发布时间", "阅读数", "成本"],
            [1001.0, "标题一", "公众号", D(2024, 3, 1, 14, 30), 1234, 1280.5],
            [1002, "标题二", "知乎", dt.date(2024, 3, 2), 12.0, None],
            [None, None, None, None, None, None],
            ["1003", "标题三", "知乎", 45352.5, "abc", None],   # serial date; bad reads
        ],
        "其他": [["x"]],
    })
    r = load_file(store, p, "articles")
    assert r.status == "loaded", r.message
    assert (r.sheet, r.encoding, r.delimiter) == ("文章", None, None)
    assert (r.rows_read, r.accepted, r.rejected) == (3, 2, 1)
    # sheet row numbers: header 1, data 2, 3, blank 4, then 5
    assert rej(r) == [(5, "reads", "cannot read 'abc' as a whole number", "abc")]
    assert articles_rows(store) == [
        ("1001", "标题一", "公众号", D(2024, 3, 1, 14, 30), None, 1234, Decimal("1280.50")),
        ("1002", "标题二", "知乎", D(2024, 3, 2), None, 12, None),
    ]
    assert q(store, "SELECT sheet FROM uploads") == [("文章",)]


def test_xlsx_named_sheet_and_excel_serial_number(store, tmp_path):
    p = _xlsx(tmp_path, {
        "说明": [["这个表是说明"]],
        "入群": [
            ["用户ID", "入群时间", "来源文章", "群名称"],
            ["u1", 45352.5, 1001.0, "一群"],          # 2024-03-01 12:00 as a bare serial number
            ["u2", D(2024, 3, 1, 8, 0, 0), 1002, None],
        ],
    })
    prev = inspect_file(p, "joins", sheet="入群")
    assert prev.sheet == "入群" and prev.missing == []
    assert prev.sample_rows[0] == {"用户ID": "u1", "入群时间": "45352.5", "来源文章": "1001", "群名称": "一群"}
    r = load_file(store, p, "joins", sheet="入群")
    assert r.accepted == 2, r.message
    assert joins_rows(store) == [
        ("u1", D(2024, 3, 1, 12, 0), "1001", "一群"),
        ("u2", D(2024, 3, 1, 8, 0), "1002", None),
    ]


def test_xlsx_first_sheet_is_default_and_unknown_sheet_refused(store, tmp_path):
    p = _xlsx(tmp_path, {"说明": [["这个表是说明"]], "入群": [["user_id", "joined_at"], ["u1", "2024-03-01"]]})
    r = load_file(store, p, "joins")
    assert r.status == "refused" and "user_id" in r.message and "这个表是说明" in r.message
    r = load_file(store, p, "joins", sheet="没有")
    assert r.status == "refused"
    assert r.message == "the workbook has no sheet named '没有'; its sheets are: 说明, 入群"
    assert snapshot(store)["joins"] == []


def test_old_xls_refused(store):
    r = load_file(store, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "joins", file_name="x.xls")
    assert r.status == "refused" and ".xls" in r.message


# ---------------------------------------------------------------------------
# headers and aliases
# ---------------------------------------------------------------------------
CONTRACT_ALIASES = {
    "articles": {
        "article_id": ["id", "文章ID", "文章编号"],
        "title": ["标题", "文章标题"],
        "channel": ["渠道", "平台", "source"],
        "published_at": ["发布时间", "publish_time"],
        "author": ["作者", "editor"],
        "reads": ["阅读数", "阅读量", "views"],
        "cost": ["成本", "费用", "spend"],
    },
    "joins": {
        "user_id": ["用户ID", "unionid", "微信号"],
        "joined_at": ["入群时间", "join_time"],
        "article_id": ["文章ID", "来源文章", "source_article"],
        "group_id": ["群ID", "群名称", "group"],
    },
    "sales": {
        "user_id": ["用户ID", "unionid", "微信号"],
        "event": ["事件", "类型"],
        "occurred_at": ["时间", "发生时间"],
        "rep": ["销售", "顾问", "sales_rep"],
        "amount": ["金额"],
        "order_id": ["订单号"],
    },
}


@pytest.mark.parametrize("log, column, alias", [
    (log, col, a) for log, cols in CONTRACT_ALIASES.items() for col, al in cols.items() for a in [col, *al]
])
def test_every_contract_alias_matches(log, column, alias):
    assert match_headers(log, [alias]) == {column: alias}
    # case- and space-insensitive, with a BOM
    fuzzy = "\ufeff " + alias.upper().replace("_", " ") + " "
    assert match_headers(log, [fuzzy]) == {column: fuzzy}


@pytest.mark.parametrize("log, column, alias", [
    ("articles", "article_id", "文章id"), ("articles", "reads", "阅读"), ("articles", "reads", "浏览量"),
    ("articles", "cost", "花费"), ("articles", "cost", "投放成本"), ("joins", "joined_at", "加群时间"),
    ("joins", "group_id", "群"), ("joins", "group_id", "群名"), ("sales", "rep", "销售人员"),
    ("sales", "event", "事件类型"), ("sales", "order_id", "订单编号"), ("sales", "amount", "付款金额"),
    ("sales", "amount", "金额（元）"), ("articles", "published_at", "Publish-Time"),
    ("joins", "user_id", "User_ID"), ("sales", "occurred_at", "Occurred At"),
])
def test_extra_aliases_and_normalisation(log, column, alias):
    assert match_headers(log, [alias]) == {column: alias}


def test_alias_sets_do_not_overlap_within_a_log():
    for log, specs in COLUMNS.items():
        seen = {}
        for s in specs:
            for a in (s.name, *s.aliases):
                n = normalise_header(a)
                assert seen.setdefault(n, s.name) == s.name, (log, a)


def test_canonical_name_beats_alias():
    assert match_headers("articles", ["id", "article_id"]) == {"article_id": "article_id"}


@pytest.mark.parametrize("log, header_line, rows, expected", [
    ("articles", "id,文章标题,平台,publish_time,editor,views,spend",
     "7, T ,微博,2024-03-05,Ann,5,3.5",
     [("7", "T", "微博", D(2024, 3, 5), "Ann", 5, Decimal("3.50"))]),
    ("articles", "文章编号,标题,source,发布时间,作者,阅读量,费用",
     "8,U,B站,2024-03-06 10:00,Bob,6,0",
     [("8", "U", "B站", D(2024, 3, 6, 10), "Bob", 6, Decimal("0.00"))]),
    ("joins", "unionid,join_time,source_article,group", "o1,2024-03-01 08:00,A1,g",
     [("o1", D(2024, 3, 1, 8), "A1", "g")]),
    ("joins", "微信号,入群时间,来源文章,群ID", "wx1,2024-03-01 08:00,,",
     [("wx1", D(2024, 3, 1, 8), None, None)]),
    ("joins", "用户ID,入群时间,文章ID,群名称", "u1,2024-03-01 08:00,A1,家长群",
     [("u1", D(2024, 3, 1, 8), "A1", "家长群")]),
    ("sales", "用户ID,事件,时间,销售,金额,订单号", "u1,付费,2024-03-02 10:00,张三,¥1,280.00,O1",
     None),
    ("sales", "unionid,类型,发生时间,顾问,金额,订单号", "u1,联系,2024-03-02 10:00,李四,,",
     [("u1", "contact", D(2024, 3, 2, 10), "李四", None, None)]),
    ("sales", "微信号,event,occurred_at,sales_rep,amount,order_id", "u1,退款,2024-03-02 10:00,王五,-50,O9",
     [("u1", "refund", D(2024, 3, 2, 10), "王五", Decimal("50.00"), "O9")]),
])
def test_alias_sets_load(store, tmp_path, log, header_line, rows, expected):
    if expected is None:  # a quoted amount with a comma
        rows = 'u1,付费,2024-03-02 10:00,张三,"¥1,280.00",O1'
        expected = [("u1", "payment", D(2024, 3, 2, 10), "张三", Decimal("1280.00"), "O1")]
    r = load_file(store, write(tmp_path, "f.csv", header_line + "\n" + rows + "\n"), log)
    assert r.status == "loaded" and r.rejected == 0, (r.message, r.rejects)
    got = {"articles": articles_rows, "joins": joins_rows, "sales": sales_rows}[log](store)
    assert got == expected


@pytest.mark.parametrize("headers, log", [
    (["article_id", "title", "channel", "published_at", "reads"], "articles"),
    (["文章ID", "标题", "渠道", "发布时间", "阅读数", "成本"], "articles"),
    (["user_id", "joined_at", "article_id", "group_id"], "joins"),
    (["用户ID", "入群时间", "来源文章", "群名称"], "joins"),
    (["用户ID", "事件", "时间", "销售", "金额", "订单号"], "sales"),
    (["user_id", "event", "occurred_at", "amount"], "sales"),
    (["foo", "bar"], None),
])
def test_guess_log(headers, log):
    assert guess_log(headers) == log


def test_blank_and_repeated_headers_get_names(store, tmp_path):
    text = "user_id,joined_at,,note,note\nu1,2024-03-01,x,y,z\n"
    r = load_file(store, write(tmp_path, "j.csv", text), "joins")
    assert r.headers == ["user_id", "joined_at", "column 3", "note", "note (2)"]
    assert r.extra == ["column 3", "note", "note (2)"]
    assert json.loads(q(store, "SELECT extra FROM joins")[0][0]) == {"column 3": "x", "note": "y", "note (2)": "z"}


# ---------------------------------------------------------------------------
# values
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("2024-03-01 08:05", D(2024, 3, 1, 8, 5)),
    ("2024-03-01 08:05:09", D(2024, 3, 1, 8, 5, 9)),
    ("2024-03-01 08:05:09.250", D(2024, 3, 1, 8, 5, 9, 250000)),
    ("2024-03-01", D(2024, 3, 1)),
    ("2024-3-1 8:05", D(2024, 3, 1, 8, 5)),
    ("2024-03-01T08:05:09", D(2024, 3, 1, 8, 5, 9)),
    ("2024-03-01T00:00:00Z", D(2024, 3, 1, 8, 0)),
    ("2024-03-01T00:00:00.5Z", D(2024, 3, 1, 8, 0, 0, 500000)),
    ("2024-03-01T00:00:00+08:00", D(2024, 3, 1, 0, 0)),
    ("2024-03-01T00:00:00+0800", D(2024, 3, 1, 0, 0)),
    ("2024-03-01 00:00:00+00:00", D(2024, 3, 1, 8, 0)),
    ("2024-02-29T20:30:00-05:00", D(2024, 3, 1, 9, 30)),
    ("2024-03-01T01:00:00+09", D(2024, 3, 1, 0, 0)),
    ("2024/03/01", D(2024, 3, 1)),
    ("2024/3/1 8:05", D(2024, 3, 1, 8, 5)),
    ("2024/03/01 08:05:09", D(2024, 3, 1, 8, 5, 9)),
    ("2024年3月1日", D(2024, 3, 1)),
    ("2024年03月01日 14:30", D(2024, 3, 1, 14, 30)),
    ("2024年3月1日 14:30:15", D(2024, 3, 1, 14, 30, 15)),
    ("2024年3月1日14时30分", D(2024, 3, 1, 14, 30)),
    ("2024年3月1日 14时30分15秒", D(2024, 3, 1, 14, 30, 15)),
    ("2024.03.01 08:05", D(2024, 3, 1, 8, 5)),
    ("45352.5", D(2024, 3, 1, 12, 0)),
    ("45352", D(2024, 3, 1)),
    ("  2024-03-01 08:05  ", D(2024, 3, 1, 8, 5)),
])
def test_datetime_forms(store, tmp_path, text, expected):
    csv_text = f'user_id,joined_at\nu1,"{text}"\n'
    r = load_file(store, write(tmp_path, "j.csv", csv_text), "joins")
    assert r.rejected == 0, r.rejects
    assert q(store, "SELECT joined_at FROM joins") == [(expected,)]


@pytest.mark.parametrize("text", ["abc", "2024-02-30", "03/01/2024", "2024-13-01 00:00", "12345", "2024-03-01 8"])
def test_unreadable_datetimes(store, tmp_path, text):
    r = load_file(store, write(tmp_path, "j.csv", f"user_id,joined_at\nu1,{text}\n"), "joins")
    assert rej(r) == [(2, "joined_at", f"cannot read '{text}' as a date/time", text)]
    assert r.accepted == 0


def test_offset_converted_to_configured_time_zone(store, tmp_path, monkeypatch):
    monkeypatch.setenv("CONTENTROI_TZ", "UTC")
    text = "user_id,joined_at\nu1,2024-03-01T08:00:00+08:00\nu2,2024-03-01 08:00:00\n"
    load_file(store, write(tmp_path, "j.csv", text), "joins")
    assert q(store, "SELECT user_id, joined_at FROM joins ORDER BY 1") == [
        ("u1", D(2024, 3, 1, 0, 0)), ("u2", D(2024, 3, 1, 8, 0))]


@pytest.mark.parametrize("text, expected", [
    ("¥1,280.00", Decimal("1280.00")),
    ("￥99", Decimal("99.00")),
    ("1280元", Decimal("1280.00")),
    ("RMB 1,280.5", Decimal("1280.50")),
    ("CNY10", Decimal("10.00")),
    ("1 280", Decimal("1280.00")),
    ("0.5", Decimal("0.50")),
    (" 3 ", Decimal("3.00")),
])
def test_amounts(store, tmp_path, text, expected):
    csv_text = f'user_id,event,occurred_at,amount\nu1,payment,2024-03-01,"{text}"\n'
    r = load_file(store, write(tmp_path, "s.csv", csv_text), "sales")
    assert r.rejected == 0, r.rejects
    assert q(store, "SELECT amount FROM sales") == [(expected,)]


@pytest.mark.parametrize("text, expected", [
    ("1,234", 1234), ("1234.0", 1234), ("0", 0), ("1.2万", 12000), (" 56 ", 56), ("", None),
])
def test_reads(store, tmp_path, text, expected):
    csv_text = f'article_id,title,channel,published_at,reads\nA1,T,C,2024-03-01,"{text}"\n'
    r = load_file(store, write(tmp_path, "a.csv", csv_text), "articles")
    assert r.rejected == 0, r.rejects
    assert q(store, "SELECT reads FROM articles") == [(expected,)]


@pytest.mark.parametrize("text, expected", [
    ("联系", "contact"), ("付费", "payment"), ("退款", "refund"), ("CONTACT", "contact"),
    (" Payment ", "payment"), ("Refund", "refund"), ("沟通", "contact"), ("付款", "payment"),
    ("paid", "payment"), ("refunded", "refund"),
])
def test_events(store, tmp_path, text, expected):
    amount = "" if expected == "contact" else "10"
    csv_text = f"用户ID,事件,时间,金额\nu1,{text},2024-03-01,{amount}\n"
    r = load_file(store, write(tmp_path, "s.csv", csv_text), "sales")
    assert r.rejected == 0, r.rejects
    assert q(store, "SELECT event FROM sales") == [(expected,)]


def test_ids_and_text_trimmed(store, tmp_path):
    text = ("user_id,joined_at,article_id,group_id\n"
            " 1001.0 ,2024-03-01,1001.0,\u3000一群\u3000\n"
            "u2,2024-03-01,1001.5,  \n")
    r = load_file(store, write(tmp_path, "j.csv", text), "joins")
    assert r.accepted == 2
    assert joins_rows(store) == [("1001", D(2024, 3, 1), "1001", "一群"), ("u2", D(2024, 3, 1), "1001.5", None)]


# ---------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------
def test_bad_rows_exact_lines_columns_reasons(store, tmp_path):
    text = (
        "article_id,title,channel,published_at,author,reads,cost\n"   # 1
        "A1,ok,web,2024-03-01,,1,1\n"                                 # 2 good
        ",no id,web,2024-03-01,,1,1\n"                                # 3 missing id
        "A3,bad date,web,yesterday,,1,1\n"                            # 4
        "A4,bad reads,web,2024-03-01,,abc,1\n"                        # 5
        "A5,neg reads,web,2024-03-01,,-3,1\n"                         # 6
        "A6,neg cost,web,2024-03-01,,3,¥-5\n"                         # 7
        "A7,,,2024-03-01,,x,\n"                                       # 8 three problems
        "A8,too many,web,2024-03-01,,1,1,extra\n"                     # 9 ragged
        "A9,too few\n"                                                # 10 ragged
        "A10,bad cost,web,2024-03-01,,1,12元5\n"                      # 11
        "A11,ok,web,2024-03-01,,2,2\n"                                # 12 good
    )
    r = load_file(store, write(tmp_path, "a.csv", text), "articles")
    assert r.status == "loaded"
    assert (r.rows_read, r.accepted, r.rejected, r.duplicates) == (11, 2, 9, 0)
    assert rej(r) == [
        (3, "article_id", "missing value", None),
        (4, "published_at", "cannot read 'yesterday' as a date/time", "yesterday"),
        (5, "reads", "cannot read 'abc' as a whole number", "abc"),
        (6, "reads", "must not be negative", "-3"),
        (7, "cost", "must not be negative", "¥-5"),
        (8, "title", "missing value", None),
        (8, "channel", "missing value", None),
        (8, "reads", "cannot read 'x' as a whole number", "x"),
        (9, "(row)", "too many fields: the header has 7", "A8,too many,web,2024-03-01,,1,1,extra"),
        (10, "(row)", "too few fields: the header has 7", "A9,too few"),
        (11, "cost", "cannot read '12元5' as an amount", "12元5"),
    ]
    assert [a[0] for a in articles_rows(store)] == ["A1", "A11"]
    assert q(store, "SELECT rejected, accepted, rows_read FROM uploads") == [(9, 2, 11)]


def test_sales_amount_rules(store, tmp_path):
    text = (
        "user_id,event,occurred_at,amount,order_id\n"
        "u1,payment,2024-03-01,,O1\n"          # 2 payment without amount
        "u2,refund,2024-03-01,,O2\n"           # 3 refund without amount
        "u3,payment,2024-03-01,-10,O3\n"       # 4 negative payment
        "u4,refund,2024-03-01,-10,O4\n"        # 5 negative refund -> 10
        "u5,contact,2024-03-01,,\n"            # 6 contact needs none
        "u6,visit,2024-03-01,,\n"              # 7 unknown event
        "u7,payment,2024-03-01,0,O7\n"         # 8 zero payment is fine
    )
    r = load_file(store, write(tmp_path, "s.csv", text), "sales")
    assert rej(r) == [
        (2, "amount", "missing value (a payment needs an amount)", None),
        (3, "amount", "missing value (a refund needs an amount)", None),
        (4, "amount", "a payment amount must not be negative", "-10"),
        (7, "event", "unknown event 'visit' (expected contact, payment or refund)", "visit"),
    ]
    assert sales_rows(store) == [
        ("u4", "refund", D(2024, 3, 1), None, Decimal("10.00"), "O4"),
        ("u5", "contact", D(2024, 3, 1), None, None, None),
        ("u7", "payment", D(2024, 3, 1), None, Decimal("0.00"), "O7"),
    ]


def test_line_numbers_after_blank_lines_and_multiline_fields(store, tmp_path):
    text = (
        "user_id,joined_at,article_id,group_id\n"   # 1
        "u1,2024-03-01,A1,g\n"                     # 2
        "\n"                                       # 3 blank: skipped, still counted
        "u2,2024-03-01,A1,\"two\nlines\"\n"        # 4 (one record over two lines)
        ",,,\n"                                    # 5 all empty: skipped
        "u3,never,A1,g\n"                          # 6
        "\r\n"                                     # 7
        "u4,2024-03-01,A1\n"                       # 8 too few fields
        "   \n"                                    # 9 white space only: skipped
        ",2024-03-01,A1,g\n"                       # 10
        "\n\n"
    )
    r = load_file(store, write(tmp_path, "j.csv", text), "joins")
    assert rej(r) == [
        (6, "joined_at", "cannot read 'never' as a date/time", "never"),
        (8, "(row)", "too few fields: the header has 4", "u4,2024-03-01,A1"),
        (10, "user_id", "missing value", None),
    ]
    assert (r.rows_read, r.accepted, r.rejected) == (5, 2, 3)
    assert [x[0] for x in joins_rows(store)] == ["u1", "u2"]
    assert joins_rows(store)[1][3] == "two\nlines"


def test_ragged_rows_with_quotes_and_line_numbers(store, tmp_path):
    # Rows with too few / too many fields switch the reader to padded reading
    # (ingest._count_fields): every other row must read exactly as before.
    text = (
        "user_id,joined_at,article_id,group_id\n"   # 1
        "u1,2024-03-01,A1,\n"                      # 2 four fields, the last empty: fine
        "u2,2024-03-01\n"                          # 3 too few
        "u3,2024-03-01,A1,\"g\n3\"\n"              # 4 (one record over two lines)
        "u4,2024-03-01,A1,g,extra,more\n"          # 5 too many
        " , \n"                                     # 6 white space only, short: skipped
        "\n"                                        # 7 blank
        "u5,2024-03-01,\"A1\",\"\"\n"               # 8 quoted, last field quoted empty: fine
        "u6,2024-03-01,A1,g,\n"                    # 9 one field too many (trailing comma)
        "u7,never\n"                               # 10 too few: the shape is the one reason
    )
    r = load_file(store, write(tmp_path, "j.csv", text), "joins")
    assert rej(r) == [
        (3, "(row)", "too few fields: the header has 4", "u2,2024-03-01"),
        (5, "(row)", "too many fields: the header has 4", "u4,2024-03-01,A1,g,extra,more"),
        (9, "(row)", "too many fields: the header has 4", "u6,2024-03-01,A1,g,"),
        (10, "(row)", "too few fields: the header has 4", "u7,never"),
    ]
    assert (r.rows_read, r.accepted, r.rejected) == (7, 3, 4)
    assert [(x[0], x[3]) for x in joins_rows(store)] == [("u1", None), ("u3", "g\n3"), ("u5", None)]


def test_unclosed_quote_at_the_end_is_rejected_not_lost(store, tmp_path):
    text = ("user_id,joined_at,article_id,group_id\n"
            "u1,2024-03-01,A1,g\n"
            "\n"
            "\"u2,2024-03-01,A1,g\n")       # 4: the quote never closes
    r = load_file(store, write(tmp_path, "j.csv", text), "joins")
    assert r.status == "loaded"
    assert [(x.line, x.column) for x in r.rejects] == [(4, "(row)")]
    assert (r.rows_read, r.accepted, r.rejected, r.blank) == (2, 1, 1, 1)
    # ... but a quote that swallows the lines after it: those rows cannot be told
    # apart, so the file is refused (issue 11: they were silently left out)
    r = load_file(store, write(tmp_path, "k.csv", text + "u3,2024-03-01,A1,g\n"), "joins")
    assert r.status == "refused" and "line 4" in r.message and "never closed" in r.message


def test_row_far_wider_than_any_log_refuses_the_file(store, tmp_path):
    before = snapshot(store)
    text = "user_id,joined_at,article_id,group_id\nu1,2024-03-01,A1,g\n" + "x," * 20_000 + "x\n"
    r = load_file(store, write(tmp_path, "j.csv", text), "joins")
    assert r.status == "refused"
    assert "20,001 fields" in r.message and "header has 4" in r.message
    assert snapshot(store) == before


_RAGGED_LOAD = """
import sys
from pathlib import Path
from contentroi.ingest import load_file
from contentroi.store import Store
path, log = Path(sys.argv[1]), sys.argv[2]
r = load_file(Store(":memory:"), path, log)
# VmHWM, not getrusage's ru_maxrss: Linux carries ru_maxrss over from the
# forking parent (pytest, often larger than this whole load).
hwm = next(int(x.split()[1]) for x in open("/proc/self/status") if x.startswith("VmHWM:"))
print(r.status, r.rows_read, r.rejected, hwm // 1024)
"""


@pytest.mark.parametrize("shape", ["short", "long"])
def test_ragged_rows_load_in_bounded_memory(tmp_path, shape):
    # DuckDB's rejects table keeps one entry, with a copy of the line, per
    # missing or extra field. Before ingest._count_fields these files took
    # 2.7 GB (2,000 one-field rows under 3,000 columns) and 1.9 GB (5,000 rows
    # with 200 extra fields); each now loads in a few hundred MB.
    import subprocess
    import sys
    p = tmp_path / "ragged.csv"
    with open(p, "w") as f:
        if shape == "short":
            f.write(",".join(["user_id", "joined_at", "article_id", "group_id"]
                             + [f"x{i}" for i in range(2_996)]) + "\n")
            f.writelines(f"u{i}\n" for i in range(2_000))
        else:
            f.write("user_id,joined_at,article_id,group_id\n")
            f.writelines(f"u{i},2024-03-01,A1,g" + ",x" * 200 + "\n" for i in range(5_000))
    out = subprocess.run([sys.executable, "-c", _RAGGED_LOAD, str(p), "joins"], capture_output=True,
                         text=True, timeout=300, cwd=Path(__file__).resolve().parent.parent, check=True)
    status, rows, rejected, rss_mb = out.stdout.split()
    n = 2_000 if shape == "short" else 5_000
    assert (status, int(rows), int(rejected)) == ("loaded", n, n)
    assert int(rss_mb) < 800, f"peak RSS {rss_mb} MB"


def test_missing_required_column_refused_store_unchanged(store, tmp_path):
    load_file(store, write(tmp_path, "ok.csv", ARTICLES_ZH), "articles")
    before = snapshot(store)
    text = "文章ID,标题,阅读数\nA9,x,1\n"
    r = load_file(store, write(tmp_path, "bad.csv", text), "articles")
    assert r.status == "refused"
    assert r.accepted == 0 and r.upload_id is None
    for word in ("channel", "published_at", "文章ID", "标题", "阅读数"):
        assert word in r.message
    assert "Headers found: 文章ID, 标题, 阅读数" in r.message
    assert snapshot(store) == before
    exc = ingest._refusal_for_missing("articles", ["channel"], ["a", "b"])
    assert isinstance(exc, ingest.RefusedFile)
    assert (exc.missing, exc.headers) == (["channel"], ["a", "b"])
    assert exc.message == "the articles file lacks the required column channel (or 渠道, 平台, source). Headers found: a, b"


def test_inspect_reports_missing_and_extra(tmp_path):
    text = "文章ID,标题,阅读数,备注\nA9,x,1,hello\n"
    prev = inspect_file(write(tmp_path, "a.csv", text), "articles")
    assert isinstance(prev, FilePreview)
    assert prev.missing == ["channel", "published_at"]
    assert prev.mapping == {"article_id": "文章ID", "title": "标题", "reads": "阅读数"}
    assert prev.extra == ["备注"]
    assert prev.sample_rows == [{"文章ID": "A9", "标题": "x", "阅读数": "1", "备注": "hello"}]
    assert (prev.encoding, prev.delimiter, prev.mapping_source) == ("utf-8", ",", "aliases")


def test_empty_and_header_only_files(store, tmp_path):
    r = load_file(store, write(tmp_path, "e.csv", ""), "joins")
    assert (r.status, r.message) == ("refused", "the file is empty")
    r = load_file(store, b"\n\r\n  \n", "joins", file_name="blank.csv")
    assert (r.status, r.message) == ("refused", "the file is empty")
    assert q(store, "SELECT count(*) FROM uploads") == [(0,)]
    r = load_file(store, write(tmp_path, "h.csv", "user_id,joined_at\n"), "joins")
    assert r.status == "loaded"
    assert (r.rows_read, r.accepted, r.rejected, r.duplicates) == (0, 0, 0, 0)
    r = load_file(store, write(tmp_path, "h2.csv", "user_id,joined_at"), "joins")
    assert r.status == "loaded" and r.rows_read == 0
    assert q(store, "SELECT count(*) FROM uploads") == [(2,)]
    with pytest.raises(ingest.RefusedFile):
        inspect_file(b"", "joins")


def test_rejects_kept_bounded_counts_exact(store, tmp_path, monkeypatch):
    monkeypatch.setattr(ingest.bounds, "MAX_REJECTS_KEPT", 3)
    text = "user_id,joined_at\n" + "".join(f"u{i},bad{i}\n" for i in range(10)) + "ok,2024-03-01\n"
    r = load_file(store, write(tmp_path, "j.csv", text), "joins")
    assert r.rejected == 10 and r.accepted == 1
    assert [x.line for x in r.rejects] == [2, 3, 4]


def test_rejects_csv_download(store, tmp_path):
    text = 'user_id,joined_at\nu1,"bad, ""quoted"""\n'
    r = load_file(store, write(tmp_path, "j.csv", text), "joins")
    data = r.rejects_csv()
    assert data.startswith(codecs.BOM_UTF8)
    # the original row (all its columns), then its line, column and reason
    assert data.decode("utf-8-sig") == (
        'user_id,joined_at,rejected_line,rejected_column,rejected_reason\r\n'
        'u1,"bad, ""quoted""",2,joined_at,"cannot read \'bad, ""quoted""\' as a date/time"\r\n')


# ---------------------------------------------------------------------------
# extra columns, injection safety
# ---------------------------------------------------------------------------
def test_extra_columns_kept_in_extra(store, tmp_path):
    text = ("备注,user_id,joined_at,渠道来源\n"
            "老客户,u1,2024-03-01,朋友圈\n"
            ",u2,2024-03-01,\n")
    r = load_file(store, write(tmp_path, "j.csv", text), "joins")
    assert r.extra == ["备注", "渠道来源"]
    got = q(store, "SELECT user_id, extra FROM joins ORDER BY user_id")
    assert json.loads(got[0][1]) == {"备注": "老客户", "渠道来源": "朋友圈"}
    assert got[1][1] is None


def test_hostile_headers_and_values_are_data(store, tmp_path):
    evil = "x'); DROP TABLE joins; --"
    text = f'user_id,joined_at,"{evil}"\n"u\'1",2024-03-01,"\'); DELETE FROM joins; --"\n'
    r = load_file(store, write(tmp_path, "j.csv", text), "joins")
    assert r.accepted == 1
    got = q(store, "SELECT user_id, extra FROM joins")
    assert got[0][0] == "u'1"
    assert json.loads(got[0][1]) == {evil: "'); DELETE FROM joins; --"}


# ---------------------------------------------------------------------------
# dedup
# ---------------------------------------------------------------------------
def test_joins_reupload_adds_nothing_nulls_equal(store, tmp_path):
    text = ("user_id,joined_at,article_id,group_id\n"
            "u1,2024-03-01 08:00,A1,g1\n"
            "u1,2024-03-01 08:00,,\n"
            "u1,2024-03-01 08:00,,\n"           # repeat within the file (NULLs equal)
            "u2,2024-03-01 09:00,A1,\n")
    p = write(tmp_path, "j.csv", text)
    r1 = load_file(store, p, "joins")
    assert (r1.accepted, r1.duplicates, r1.rejected) == (3, 1, 0)
    first = joins_rows(store)
    r2 = load_file(store, p, "joins")
    assert (r2.rows_read, r2.accepted, r2.duplicates) == (4, 0, 4)
    assert joins_rows(store) == first
    assert q(store, "SELECT upload_id, accepted, duplicates FROM uploads ORDER BY 1") == [(1, 3, 1), (2, 0, 4)]
    assert q(store, "SELECT DISTINCT upload_id FROM joins") == [(1,)]


def test_sales_dedup_by_order_and_event_else_all_columns(store, tmp_path):
    text = ("user_id,event,occurred_at,rep,amount,order_id\n"
            "u1,payment,2024-03-01 10:00,张三,100,O1\n"
            "u1,refund,2024-03-05 10:00,张三,100,O1\n"
            "u1,payment,2024-03-02 10:00,张三,999,O1\n"     # same order+event: duplicate
            "u2,contact,2024-03-01 09:00,李四,,\n"
            "u2,contact,2024-03-01 09:00,李四,,\n"          # same every column: duplicate
            "u2,contact,2024-03-01 09:00,王五,,\n")         # other rep: new
    p = write(tmp_path, "s.csv", text)
    r = load_file(store, p, "sales")
    assert (r.accepted, r.duplicates) == (4, 2)
    r = load_file(store, p, "sales")
    assert (r.accepted, r.duplicates) == (0, 6)
    assert sales_rows(store) == [
        ("u2", "contact", D(2024, 3, 1, 9), "李四", None, None),
        ("u2", "contact", D(2024, 3, 1, 9), "王五", None, None),
        ("u1", "payment", D(2024, 3, 1, 10), "张三", Decimal("100.00"), "O1"),
        ("u1", "refund", D(2024, 3, 5, 10), "张三", Decimal("100.00"), "O1"),
    ]


def test_article_update_reads_grow(store, tmp_path):
    v1 = ("article_id,title,channel,published_at,reads\n"
          "A1,T1,web,2024-03-01,100\n"
          "A2,T2,web,2024-03-01,50\n")
    v2 = ("article_id,title,channel,published_at,reads\n"
          "A1,T1,web,2024-03-01,150\n"      # changed: update
          "A2,T2,web,2024-03-01,50\n"       # same: duplicate
          "A3,T3,web,2024-03-02,10\n"       # new
          "A3,T3,web,2024-03-02,12\n")      # last of an id wins; the earlier is a duplicate
    r1 = load_file(store, write(tmp_path, "a1.csv", v1), "articles")
    assert (r1.accepted, r1.updated, r1.duplicates) == (2, 0, 0)
    r2 = load_file(store, write(tmp_path, "a2.csv", v2), "articles")
    assert (r2.rows_read, r2.accepted, r2.updated, r2.duplicates) == (4, 2, 1, 2)
    assert r2.message == "2 accepted, 0 rejected, 2 duplicates, 1 updated"
    assert q(store, "SELECT article_id, reads, upload_id FROM articles ORDER BY 1") == [
        ("A1", 150, 2), ("A2", 50, 1), ("A3", 12, 2)]
    r3 = load_file(store, write(tmp_path, "a2.csv", v2), "articles")
    assert (r3.accepted, r3.updated, r3.duplicates) == (0, 0, 4)


# ---------------------------------------------------------------------------
# all-or-nothing
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("stage", ["read", "typed", "insert", "record", "refresh"])
def test_fault_mid_load_leaves_store_unchanged(store, tmp_path, monkeypatch, stage):
    load_file(store, write(tmp_path, "a.csv", ARTICLES_ZH), "articles")
    before = snapshot(store)

    def fault(s):
        if s == stage:
            raise RuntimeError(f"boom at {s}")

    monkeypatch.setattr(ingest.load, "_FAULT", fault)
    v2 = ARTICLES_ZH.replace('"1,200"', "5000") + "A3,新文章,公众号,2024-03-03,,1,1\n"
    with pytest.raises(RuntimeError, match=f"boom at {stage}"):
        load_file(store, write(tmp_path, "b.csv", v2), "articles", save_mapping=True)
    assert snapshot(store) == before
    monkeypatch.setattr(ingest.load, "_FAULT", None)
    r = load_file(store, write(tmp_path, "b.csv", v2), "articles")
    assert (r.accepted, r.updated, r.duplicates) == (2, 1, 1)


# ---------------------------------------------------------------------------
# mappings
# ---------------------------------------------------------------------------
ODD = "客户,动作时间,来自,Kanal\nu1,2024-03-01 08:00,A1,g1\n"


def test_manual_mapping_for_unmatched_headers(store, tmp_path):
    p = write(tmp_path, "odd.csv", ODD)
    prev = inspect_file(p, "joins")
    assert prev.missing == ["user_id", "joined_at"]
    r = load_file(store, p, "joins")
    assert r.status == "refused"
    mapping = {"user_id": "客户", "joined_at": "动作时间", "article_id": "来自"}
    r = load_file(store, p, "joins", mapping=mapping)
    assert r.status == "loaded" and r.accepted == 1
    assert r.mapping == mapping and r.extra == ["Kanal"]
    assert joins_rows(store) == [("u1", D(2024, 3, 1, 8), "A1", None)]
    r = load_file(store, p, "joins", mapping={"user_id": "客户", "joined_at": "nope"})
    assert r.status == "refused" and "'nope'" in r.message


def test_saved_mapping_reused_for_same_shape(store, tmp_path):
    mapping = {"user_id": "客户", "joined_at": "动作时间", "article_id": "来自", "group_id": "Kanal"}
    r = load_file(store, write(tmp_path, "odd.csv", ODD), "joins", mapping=mapping, save_mapping=True)
    assert r.status == "loaded"
    shape = header_shape(["客户", "动作时间", "来自", "Kanal"])
    saved = q(store, "SELECT log, shape, mapping FROM column_mappings")
    assert [(a, b, json.loads(c)) for a, b, c in saved] == [("joins", shape, mapping)]
    # another file of the same shape (header case/space differences do not matter)
    other = " 客户 ,动作时间,来自,KANAL\nu2,2024-03-02 08:00,A2,g2\n"
    p2 = write(tmp_path, "odd2.csv", other)
    prev = inspect_file(p2, "joins", store=store)
    assert prev.mapping_source == "saved" and prev.missing == []
    assert prev.mapping == {"user_id": "客户", "joined_at": "动作时间", "article_id": "来自", "group_id": "KANAL"}
    r2 = load_file(store, p2, "joins")
    assert r2.status == "loaded" and r2.accepted == 1
    assert joins_rows(store) == [("u1", D(2024, 3, 1, 8), "A1", "g1"), ("u2", D(2024, 3, 2, 8), "A2", "g2")]
    # a different shape gets no saved mapping
    assert inspect_file(write(tmp_path, "odd3.csv", "客户,动作时间\nu,2024-03-01\n"), "joins",
                        store=store).mapping_source == "aliases"


def test_mapping_not_saved_without_flag(store, tmp_path):
    mapping = {"user_id": "客户", "joined_at": "动作时间"}
    load_file(store, write(tmp_path, "odd.csv", ODD), "joins", mapping=mapping)
    assert q(store, "SELECT count(*) FROM column_mappings") == [(0,)]


# ---------------------------------------------------------------------------
# sources, progress, summary
# ---------------------------------------------------------------------------
def test_sources_path_bytes_and_filelike(store, tmp_path):
    text = "user_id,joined_at\nu1,2024-03-01\n"
    p = write(tmp_path, "j.csv", text)
    assert load_file(store, str(p), "joins").file_name == "j.csv"
    assert load_file(store, text.encode(), "joins", file_name="b.csv").file_name == "b.csv"
    f = io.BytesIO(text.replace("u1", "u2").encode())
    f.name = "uploaded.csv"
    f.read(3)  # a consumed stream is rewound
    r = load_file(store, f, "joins")
    assert (r.file_name, r.accepted) == ("uploaded.csv", 1)
    assert [x[0] for x in joins_rows(store)] == ["u1", "u2"]
    r = load_file(store, tmp_path / "missing.csv", "joins")
    assert r.status == "refused"


def test_progress_reported(store, tmp_path):
    seen = []
    load_file(store, write(tmp_path, "j.csv", "user_id,joined_at\nu1,2024-03-01\n"), "joins",
              progress=lambda f, m: seen.append((f, m)))
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[0] == 0.0 and fractions[-1] == 1.0
    assert all(isinstance(m, str) and m for _, m in seen)


def test_format_summary():
    ok = LoadResult("articles", "a.csv", "loaded", "200 accepted, 3 rejected, 5 duplicates, 2 updated")
    bad = LoadResult("joins", "j.csv", "refused", "the file is empty")
    assert format_summary([ok, bad]) == (
        "articles  a.csv  loaded: 200 accepted, 3 rejected, 5 duplicates, 2 updated\n"
        "joins     j.csv  refused: the file is empty")


def test_upload_record(store, tmp_path):
    text = "user_id;joined_at;extra\nu1;2024-03-01;x\nu2;bad;y\n"
    r = load_file(store, write(tmp_path, "j.csv", text), "joins", source_kind="cli")
    row = q(store, """SELECT upload_id, log, file_name, source, encoding, delimiter, sheet, rows_read,
                             accepted, rejected, duplicates, updated, mapping FROM uploads""")
    assert row == [(r.upload_id, "joins", "j.csv", "cli", "utf-8", ";", None, 2, 1, 1, 0, 0,
                    '{"user_id": "user_id", "joined_at": "joined_at"}')]
    assert q(store, "SELECT upload_id FROM joins") == [(r.upload_id,)]
    when = q(store, "SELECT uploaded_at FROM uploads")[0][0]
    assert abs((when - dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).replace(tzinfo=None))
               .total_seconds()) < 120


def test_models_refreshed_in_same_load(store, tmp_path):
    load_file(store, write(tmp_path, "a.csv", ARTICLES_ZH), "articles")
    v = store.data_version()
    load_file(store, write(tmp_path, "j.csv", "user_id,joined_at,article_id\nu1,2024-03-01,A1\n"), "joins")
    assert store.data_version() == v + 1
    assert q(store, "SELECT user_id, article_id FROM stg_touches") == [("u1", "A1")]


# ---------------------------------------------------------------------------
# line ends, odd bytes, big files, limits
# ---------------------------------------------------------------------------
def test_crlf_with_lf_inside_quotes_and_mixed_line_ends(store, tmp_path):
    # Excel writes CRLF rows and a bare LF inside a quoted cell.
    excel_style = ("user_id,joined_at,group_id\r\n"
                   "u1,2024-03-01,\"line one\nline two\"\r\n"
                   "u2,bad,g\r\n")
    r = load_file(store, write(tmp_path, "a.csv", excel_style), "joins")
    assert rej(r) == [(3, "joined_at", "cannot read 'bad' as a date/time", "bad")]
    assert q(store, "SELECT group_id FROM joins") == [("line one\nline two",)]
    # a file whose rows end sometimes CRLF, sometimes LF (two files pasted together)
    mixed = "user_id,joined_at\r\nu3,2024-03-01\r\nu4,2024-03-02\nu5,never\nu6,2024-03-03\r\n"
    r = load_file(store, write(tmp_path, "b.csv", mixed), "joins")
    assert (r.accepted, r.rejected) == (3, 1)
    assert rej(r) == [(4, "joined_at", "cannot read 'never' as a date/time", "never")]


def test_invalid_utf8_bytes_replaced_not_fatal(store, tmp_path):
    data = "user_id,joined_at,group_id\nu1,2024-03-01,一群\n".encode() + b"u2,2024-03-01,bad\xff\xfe\n"
    r = load_file(store, data, "joins", file_name="x.csv")
    assert r.status == "loaded" and r.accepted == 2
    assert "replaced" in r.message
    assert q(store, "SELECT group_id FROM joins ORDER BY user_id") == [("一群",), ("bad\ufffd\ufffd",)]


def test_extra_columns_capped(store, tmp_path, monkeypatch):
    monkeypatch.setattr(ingest.bounds, "MAX_EXTRA_COLUMNS", 2)
    text = "user_id,joined_at,e1,e2,e3\nu1,2024-03-01,a,b,c\n"
    r = load_file(store, write(tmp_path, "j.csv", text), "joins")
    assert r.extra == ["e1", "e2", "e3"]
    assert "only the first 2 of 3 extra columns were kept" in r.message
    assert json.loads(q(store, "SELECT extra FROM joins")[0][0]) == {"e1": "a", "e2": "b"}


def test_line_numbers_exact_in_a_large_file(store, tmp_path):
    """Tens of MB, so DuckDB reads it in parallel buffers: line numbers of
    rejected rows must still be exact, past blank lines and multi-line fields."""
    import random

    rnd = random.Random(7)
    records = ["user_id,joined_at,article_id,group_id"]
    expected = []
    pad = "x" * 60
    for k in range(400_000):
        r = rnd.random()
        if r < 0.0004:
            records.append(f"u{k},2024-01-01 00:00:00,a,g,TOO,MANY")
            expected.append((len(records), "(row)"))
        elif r < 0.0008:
            records.append(f"u{k},bad,a,g")
            expected.append((len(records), "joined_at"))
        elif r < 0.0010:
            records.append("")
        elif r < 0.0012:
            records.append(f'u{k},2024-01-01 00:00:00,a,"multi\nline {pad}"')
        else:
            records.append(f"u{k},2024-01-01 00:00:{k % 60:02d},a{k % 100},{pad}")
    p = tmp_path / "big.csv"
    p.write_text("\n".join(records) + "\n", encoding="utf-8")
    assert p.stat().st_size > 30_000_000
    r = load_file(store, p, "joins")
    assert [(x.line, x.column) for x in r.rejects] == expected
    assert r.rejected == len(expected)
    assert r.accepted == r.rows_read - len(expected)


def test_alias_headers_never_become_sql():
    # The SQL is built from positional names only; header text is bound.
    head = ingest._Head("csv", None, ",", None, ['a"b', "c'd"], [])
    head.ncols = 2
    sql = ingest._typed_sql("joins", head, {"user_id": 'a"b', "joined_at": "c'd"}, [], "src", "dst")
    assert 'a"b' not in sql and "c'd" not in sql


# ---------------------------------------------------------------------------
# property: loading is idempotent and keeps exactly the distinct rows
# ---------------------------------------------------------------------------
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_join_row = st.tuples(
    st.sampled_from(["u1", "u2", " u1 ", "1001.0", "1001"]),
    st.sampled_from(["2024-03-01 08:00", "2024-03-01T08:00:00", "2024/3/1 8:00", "2024-03-02"]),
    st.sampled_from(["", "A1", "A2"]),
    st.sampled_from(["", "g", "群"]),
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_join_row, max_size=12))
def test_property_joins_idempotent(tmp_path, rows):
    def norm(r):
        u, t, a, g = r
        u = u.strip()
        u = "1001" if u == "1001.0" else u
        when = D(2024, 3, 2) if t == "2024-03-02" else D(2024, 3, 1, 8)
        return (u, when, a or None, g or None)

    text = "user_id,joined_at,article_id,group_id\n" + "".join(",".join(r) + "\n" for r in rows)
    p = tmp_path / "prop.csv"
    p.write_text(text, encoding="gb18030")
    with Store(":memory:") as s:
        r1 = load_file(s, p, "joins")
        distinct = {norm(r) for r in rows}
        assert (r1.rows_read, r1.accepted, r1.duplicates, r1.rejected) == (
            len(rows), len(distinct), len(rows) - len(distinct), 0)
        got = q(s, "SELECT user_id, joined_at, article_id, group_id FROM joins")
        assert sorted(got, key=repr) == sorted(distinct, key=repr)
        r2 = load_file(s, p, "joins")
        assert (r2.accepted, r2.duplicates) == (0, len(rows))
        assert len(q(s, "SELECT * FROM joins")) == len(distinct)


def test_short_gbk_text_that_is_also_valid_utf8(store, tmp_path):
    # '群' in GBK is C8 BA, which is also valid UTF-8 ('Ⱥ'): still read as GB18030.
    text = "user_id,joined_at,group_id\nu1,2024-03-01,群\n"
    r = load_file(store, write(tmp_path, "j.csv", text, "gbk"), "joins")
    assert r.encoding == "gb18030"
    assert q(store, "SELECT group_id FROM joins") == [("群",)]
    # ... while real UTF-8 with accented Latin letters stays UTF-8
    r = load_file(store, write(tmp_path, "k.csv", "user_id,joined_at,group_id\nu2,2024-03-01,José\n"), "joins")
    assert r.encoding == "utf-8"
    assert q(store, "SELECT group_id FROM joins WHERE user_id = 'u2'") == [("José",)]


def test_public_names():
    assert ingest.LOGS == ("articles", "joins", "sales")
    assert set(ingest.COLUMNS) == set(ingest.LOGS)
    for specs in ingest.COLUMNS.values():
        for s in specs:
            assert s.type in ("text", "datetime", "int", "decimal", "event")
    assert [s.name for s in ingest.COLUMNS["sales"] if s.required] == ["user_id", "event", "occurred_at"]


def test_a_knob_set_on_the_package_is_set_where_the_loader_reads_it(monkeypatch):
    """contentroi.ingest is a package: its bounds live in ingest.bounds and the fault hook in
    ingest.load; setting one on the package (older tests, scripts) must still take effect."""
    monkeypatch.setattr(ingest, "MAX_REJECTS_KEPT", 3)
    assert ingest.bounds.MAX_REJECTS_KEPT == 3

    def fault(stage):
        raise RuntimeError(stage)

    monkeypatch.setattr(ingest, "_FAULT", fault)
    assert ingest.load._FAULT is fault
    monkeypatch.undo()
    assert ingest.bounds.MAX_REJECTS_KEPT == 100_000 and ingest.load._FAULT is None
