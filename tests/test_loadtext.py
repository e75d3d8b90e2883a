"""Load messages and reject reasons in Chinese: bad files go through the real loader, and
every refusal, reject reason and progress step it produced has a Chinese rendering that
keeps its values (contentroi/loadtext.py)."""
from __future__ import annotations

import re

import pytest

from contentroi import ingest, loadtext
from contentroi.store import Store

CJK = re.compile(r"[\u4e00-\u9fff]")

FILES = {
    "missing_col.csv": ("articles", "article_id,title\nA1,x\n"),
    "bad_rows.csv": ("sales", "user_id,event,occurred_at,amount,order_id\n"
                              "u1,payment,2024-03-01 10:00,,O1\nu2,hug,2024-03-01,5,O2\n"
                              "u3,payment,yesterday,5,O3\nu4,payment,2024-03-01,-5,O4\n,contact,2024-03-01,,\n"
                              "u5,refund,2024-03-02,,O1\n"),
    "bad_joins.csv": ("joins", "user_id,joined_at,article_id\nu1,not a date,A1\nu2,2024-03-01,A1,extra\n"),
    "empty.csv": ("articles", ""),
    "bad.xlsx": ("articles", "not a workbook"),
    "neg.csv": ("articles", "article_id,title,channel,published_at,reads,cost\nA1,t,wechat,2024-03-01,-3,1.5\n"
                            "A2,t,wechat,2024-03-01,x,1\n"),
}


@pytest.mark.parametrize("name", sorted(FILES))
def test_every_message_the_loader_gives_is_in_chinese(tmp_path, name):
    log, text = FILES[name]
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    steps: list[str] = []
    r = ingest.load_file(Store(":memory:"), f, log, file_name=name,
                         progress=lambda frac, msg: steps.append(msg))
    messages = ([r.message] if r.message else []) + [x.reason for x in r.rejects] + steps
    assert messages
    for m in messages:
        zh = loadtext.translate(m, "zh")
        assert loadtext.known(m), f"no Chinese for the loader's message {m!r}"
        assert CJK.search(zh), (m, zh)
        assert loadtext.translate(m, "en") == m
    for x in r.rejects:  # the offending value is kept as it was
        if "'" in x.reason:
            assert re.search(r"'(.*)'", x.reason).group(1) in loadtext.translate(x.reason, "zh")


def test_missing_columns_keep_the_names():
    m = "the sales file lacks the required columns user_id (or 用户ID, unionid); event (or 事件). Headers found: a, b"
    zh = loadtext.translate(m, "zh")
    assert zh == "销售文件缺少必需的列 user_id（或 用户ID, unionid）；event（或 事件）。找到的表头：a, b"
    assert loadtext.translate("something new", "zh") == "something new"


def test_csv_headers_as_codes_or_labels(app):
    """Every table has two downloads: column codes, or the names people read (in Chinese
    on a Chinese page)."""
    import pandas as pd

    from contentroi import st_app as ui
    from contentroi.viewstate import ViewState

    at = app
    at.query_params = {"lang": "zh"}
    at.switch_page("pages/channels.py").run()
    labels = [b.proto.label for b in at.get("download_button")]
    assert "CSV（中文列名）" in labels and "下载 CSV" in labels
    df = pd.DataFrame({"channel": ["wechat"], "overall_rate": [0.1], "user_id": ["u"], "custom": [1]})
    import streamlit as st

    st.session_state["_view"] = ViewState().with_(lang="zh")
    try:
        assert ui.csv_labels(df) == ["渠道", "整体转化率", "用户ID", "custom"]
        assert ui.csv_labels(df, {"custom": "自定义"})[-1] == "自定义"
    finally:
        del st.session_state["_view"]
