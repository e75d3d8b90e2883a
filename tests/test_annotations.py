"""Annotations: validation and CSV import, storage, the view filter, the chart layer on
every kind of trend chart, and the digest's section with the note kept inert."""
from __future__ import annotations

import datetime as dt
import io
import json

import pandas as pd
import pytest

from contentroi import annotations as an
from contentroi import digest as dg
from contentroi import engine, ingest, sql
from contentroi import targets as tg
from contentroi.charts import notes as cn
from contentroi.engine import Params
from contentroi.store import Store
from tests.test_targets import ARTICLES, JOINS, SALES

EVIL = "<script>alert(1)</script> **bold** | [x](http://e.vil) =1+1"


def test_csv_import_validates_every_row():
    text = ("开始日期,结束日期,渠道,类型,说明\n"
            "2026-03-02,,wechat,活动,Spring sale\n"          # ok: one day
            "2026/03/05,2026/03/09,,holiday,Qingming\n"      # ok: all channels, a range
            "2026-03-40,,,,bad day\n"                        # bad date
            "2026-03-09,2026-03-05,,,reversed\n"             # reversed
            "2026-03-09,,,party,what\n"                      # bad kind
            "2026-03-09,,,,\n"                               # empty note
            "2026-03-09,,,," + "x" * 201 + "\n")             # too long
    p = an.parse_csv(text.encode("utf-8-sig"), channels=tg.channel_lookup(["wechat"]))
    assert p.refused is None
    assert p.rows == [an.Annotation(dt.date(2026, 3, 2), dt.date(2026, 3, 2), "wechat", "campaign", "Spring sale"),
                      an.Annotation(dt.date(2026, 3, 5), dt.date(2026, 3, 9), None, "holiday", "Qingming")]
    assert [(e.line, e.column, e.reason) for e in p.errors] == [
        (4, "date_from", "an_err_date"), (5, "date_to", "an_err_reversed"), (6, "kind", "an_err_kind"),
        (7, "note", "an_err_note_empty"), (8, "note", "an_err_note_long")]
    assert an.parse_csv(b"date,text\n2026-01-01,x\n", channels={}).rows[0].note == "x"  # English aliases
    assert an.parse_csv(b"when,what\n2026-01-01,x\n", channels={}).refused == "tg_err_columns"


def test_csv_import_maps_channel_names_to_codes_and_rejects_unknown():
    known = tg.channel_lookup(["wechat", "zhihu"], {"wechat": "WeChat OA", "zhihu": "Zhihu"},
                              {"wechat": "公众号", "zhihu": "知乎"})
    text = ("日期,渠道,说明\n"
            "2026-10-01,公众号,a\n"      # zh name
            "2026-10-02,Zhihu,b\n"       # en name
            "2026-10-03,wechat,c\n"      # code
            "2026-10-04,全部,d\n"        # all channels
            "2026-10-05,抖音,e\n")       # unknown
    p = an.parse_csv(text.encode(), channels=known)
    assert [(a.date_from.day, a.channel, a.note) for a in p.rows] == [
        (1, "wechat", "a"), (2, "zhihu", "b"), (3, "wechat", "c"), (4, None, "d")]
    assert [(e.line, e.column, e.reason, e.value) for e in p.errors] == [(6, "channel", "tg_err_channel_unknown", "抖音")]


def test_store_and_view_filter():
    store = Store(":memory:")
    an.add(store, [an.Annotation(dt.date(2026, 3, 2), dt.date(2026, 3, 2), "wechat", "campaign", "A"),
                   an.Annotation(dt.date(2026, 3, 5), dt.date(2026, 3, 9), None, "holiday", "B"),
                   an.Annotation(dt.date(2026, 4, 1), dt.date(2026, 4, 1), "zhihu", "price", "C")])
    with pytest.raises(ValueError):
        an.add(store, [an.Annotation(dt.date(2026, 3, 2), dt.date(2026, 3, 1), None, "other", "x")])
    df = sql.run(store.cursor(), "annotations_list")
    assert df["note"].tolist() == ["A", "B", "C"]
    notes = lambda lo, hi, ch=(): an.in_view(df, lo, hi, ch)["note"].tolist()  # noqa: E731
    assert notes(dt.date(2026, 3, 1), dt.date(2026, 3, 31)) == ["A", "B"]
    assert notes(dt.date(2026, 3, 9), dt.date(2026, 4, 30)) == ["B", "C"]  # a range overlapping counts
    assert notes(dt.date(2026, 3, 1), dt.date(2026, 4, 30), ["zhihu"]) == ["B", "C"]  # all + its own
    an.delete(store, df["annotation_id"].tolist()[:1])
    assert sql.run(store.cursor(), "annotations_list")["note"].tolist() == ["B", "C"]
    store.close()


def test_export_is_formula_safe():
    from contentroi import fmt

    df = pd.DataFrame({"annotation_id": [1], "date_from": [pd.Timestamp("2026-03-02")],
                       "date_to": [pd.Timestamp("2026-03-02")], "channel": [None], "kind": ["other"],
                       "note": ["=1+1"]})
    out = fmt.safe_csv(an.export_frame(df)).decode("utf-8-sig")
    assert "'=1+1" in out


NOTES = pd.DataFrame({
    "annotation_id": [1, 2], "date_from": pd.to_datetime(["2026-10-08", "2026-10-13"]),
    "date_to": pd.to_datetime(["2026-10-08", "2026-10-16"]), "channel": [None, "wechat"],
    "kind": ["campaign", "price"], "note": [EVIL, "price +10%"]})


def test_notes_frame_and_layers_on_every_trend_chart():
    import vl_convert as vlc

    from contentroi.charts import channels as chs
    from contentroi.charts import overview as ov
    from contentroi.charts import sales as sa

    f = cn.notes_frame(NOTES, dt.date(2026, 10, 5), dt.date(2026, 10, 25), (), "all")
    assert f["start"].dt.date.tolist() == [dt.date(2026, 10, 8), dt.date(2026, 10, 13)]
    assert f["end"].dt.date.tolist() == [dt.date(2026, 10, 9), dt.date(2026, 10, 17)]
    assert f["is_range"].tolist() == [False, True]
    assert f["label"].iloc[0] == "[all] <script>alert(1)<…" and f["tip"].iloc[1] == "2026-10-13 → 2026-10-16 · [wechat] price +10%"
    assert cn.notes_frame(NOTES, dt.date(2026, 10, 5), dt.date(2026, 10, 25), ("zhihu",), "all")["label"].tolist() \
        == ["[all] <script>alert(1)<…"]
    week = cn.notes_frame(NOTES, dt.date(2026, 10, 5), dt.date(2026, 10, 25), (), "all", week=True)
    assert week["start"].dt.date.tolist() == [dt.date(2026, 10, 5), dt.date(2026, 10, 12)]  # Mondays

    weeks = pd.DataFrame({"week": pd.to_datetime(["2026-10-05", "2026-10-12", "2026-10-19"]),
                          "reads": [1, 2, 3], "joins": [3, 4, 5], "maturing": [False, False, True],
                          "channel": ["wechat"] * 3})
    tips = {"week": "w", "n": "n", "maturing": "m", "channel": "c"}
    sales = pd.DataFrame({"rep": ["x", "y"], "week": pd.to_datetime(["2026-10-05", "2026-10-12"]),
                          "revenue": [1.0, 2.0], "rep_order": [0, 1]})
    charts = [(ov.trend_panel(weeks, "reads", "Reads", "count", "#f00", tips), f, "temporal"),
              (chs.channel_trend(weeks, "reads", "count", "Reads", ["wechat"], tips), f, "temporal"),
              (sa.weekly(sales, "revenue", {"week": "w", "value": "v", "rep": "r"}, ["x", "y"]), week, "week")]
    for spec, frame, x in charts:
        before = json.loads(spec.text)
        out = cn.with_notes(spec, frame, x=x)
        layers = json.loads(out.text)["layer"]
        assert len(layers) == len(before.get("layer", [before])) + (3 if x == "temporal" else 2)
        assert any(lyr.get("mark", {}).get("type") == "rule" and lyr["mark"]["color"] == cn.NOTE_COLOR
                   for lyr in layers)
        svg = vlc.vegalite_to_svg(out.to_json())
        assert "&lt;script&gt;aler" in svg and "<script>" not in svg  # drawn as text, never markup
    assert cn.with_notes(charts[0][0], cn.notes_frame(NOTES.iloc[:0], None, None)) is charts[0][0]


@pytest.fixture(scope="module")
def world():
    store = Store(":memory:")
    for log, text in (("articles", ARTICLES), ("joins", JOINS), ("sales", SALES)):
        r = ingest.load_file(store, io.BytesIO(text.encode()), log, file_name=f"{log}.csv")
        assert r.status == "loaded"
    an.add(store, [an.Annotation(dt.date(2026, 3, 3), dt.date(2026, 3, 4), None, "campaign", EVIL),
                   an.Annotation(dt.date(2026, 3, 20), dt.date(2026, 3, 20), "wechat", "other", "later")])
    yield store
    store.close()


def test_digest_lists_the_periods_annotations_inert(world):
    def query(name, params, **extra):
        return engine.query(world, name, params, **extra)

    d = dg.build(query, Params(), "week", dt.date(2026, 3, 8))
    assert [n["note"] for n in d.notes] == [EVIL]  # 03-20 is outside 03-02..03-08
    md = dg.render_md(d, "zh")
    assert "## 注释" in md
    line = next(x for x in md.splitlines() if x.startswith("- 📌"))
    assert line.startswith("- 📌 2026-03-03 → 2026-03-04 · 活动 · 全部: ")
    assert "<script>" not in line and "\\<script\\>" in line and "\\*\\*bold\\*\\*" in line
    assert "\\[x\\]\\(http" in line and "\\|" in line
    html = dg.render_html(d, "en", with_charts=False)
    assert "<h2>Annotations</h2>" in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>" not in html
    quiet = dg.build(query, Params(), "week", dt.date(2026, 3, 15))
    assert quiet.notes == [] and "## Annotations" not in dg.render_md(quiet, "en")
