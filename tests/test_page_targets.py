"""The Targets page (/targets) under AppTest on the sample store: both languages, the
view in the URL, bad links, a stored target's decomposition and pacing, the edit
password, and an annotation drawn on the overview's trend."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from contentroi import annotations as an
from contentroi import targets as tg
from contentroi.charts.notes import NOTE_COLOR
from contentroi.store import Workspace

from tests.conftest import assert_clean, page_texts



def open_page(app, **query):
    app.switch_page("pages/targets.py")
    for k, v in query.items():
        app.query_params[k] = v
    return app.run()


def test_renders_en_with_the_default_month(app):
    at = open_page(app)
    assert_clean(at)
    assert at.title[0].value == "Targets"
    assert at.subheader[0].value.startswith("2026-10 · Revenue · Total")  # the data's latest month
    labels = [m.label for m in at.metric]
    assert labels[:2] == ["Target", "Actual so far (day 31 of 31)"]
    assert any("No target is set" in i.value for i in at.info)
    assert any("2026-09-28 → 2026-10-25" in c.value for c in at.caption)  # trailing 4 complete weeks
    assert len(at.get("vega_lite_chart")) == 1  # the pacing chart (no target: no coverage chart)


def test_zh_and_the_view_in_the_url(app):
    at = open_page(app, month="2026-09", metric="paid", ch="wechat", rfrom="2026-08-03", rto="2026-08-30",
                   lang="zh")
    assert_clean(at)
    assert at.title[0].value == "目标"
    assert at.subheader[0].value == "2026-09 · 付费 · 公众号"  # the channel by its display name
    assert at.selectbox(key="tg_w_ch").value == "wechat"
    assert at.selectbox(key="tg_w_month").value == dt.date(2026, 9, 1)
    assert any("2026-08-03 → 2026-08-30 发布的文章（自选时间段）" in c.value for c in at.caption)
    joined = " ".join(page_texts(at))
    assert "Target" not in joined and "Revenue" not in joined  # a Chinese user meets no English
    # a widget change writes the URL
    at.selectbox(key="tg_w_ch").select_index(0).run()
    assert "ch" not in at.query_params and at.query_params["month"] == "2026-09"
    at.selectbox(key="tg_w_month").select_index(at.selectbox(key="tg_w_month").index - 1).run()
    assert at.query_params["month"] == "2026-08" and at.query_params["metric"] == "paid"


def test_bad_link_values_get_a_notice(app):
    at = open_page(app, month="2026-99", metric="clicks", ch="<b>x</b>", rfrom="yesterday", rto="2026-08-30")
    assert not at.exception and not at.error
    warn = " ".join(w.value for w in at.warning)
    assert "month=2026\\-99" in warn and "metric=clicks" in warn and "yesterday" in warn
    assert "<b>" not in warn  # the bad value is shown inert
    assert at.subheader[0].value.startswith("2026-10 · Revenue")
    assert "month" not in at.query_params and "ch" not in at.query_params


def _store_target_and_note(db, value=100_000.0):
    with Workspace(db).writer() as store:
        tg.save(store, [tg.Target(dt.date(2026, 10, 1), "revenue", "", value)])
        an.add(store, [an.Annotation(dt.date(2026, 10, 12), dt.date(2026, 10, 14), None, "campaign",
                                     "Double 11 warm-up **now**")])


def test_a_stored_target_is_decomposed_and_paced_zh(app_rw, sample_db_copy):
    _store_target_and_note(sample_db_copy)
    at = open_page(app_rw, lang="zh")
    assert_clean(at)
    tiles = {m.label: m.value for m in at.metric}
    assert tiles["目标"] == "¥10.00万"
    assert tiles["本月至今（第 31/31 天）"] == "¥6.83万"  # October's ¥68,285 (see the closing note)
    assert tiles["预计达成率"] == "68%"
    dec = at.dataframe[0].value
    assert dec.columns.tolist() == ["环节", "所用转化率", "需要", "至今", "预计月末", "预计缺口", "预计 / 需要"]
    assert dec["环节"].tolist() == ["阅读", "入群", "已联系", "付费", "收入"]
    assert dec["需要"].iloc[-1] == "¥10.00万"
    assert any("最受限" in w.value for w in at.warning)
    charts = at.get("vega_lite_chart")
    assert len(charts) == 2  # pacing + coverage
    pacing = json.loads(charts[0].proto.spec)
    assert any(lyr.get("mark", {}).get("color") == NOTE_COLOR for lyr in pacing["layer"])  # the annotation
    assert "an_none" not in " ".join(page_texts(at)) and not any("还没有注释" in i.value for i in at.info)


def test_the_overview_trend_shows_annotations(app_rw, sample_db_copy):
    _store_target_and_note(sample_db_copy)
    app_rw.switch_page("pages/overview.py")
    at = app_rw.run()
    assert not at.exception
    specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    marked = [s for s in specs if any(lyr.get("mark", {}).get("color") == NOTE_COLOR for lyr in s.get("layer", []))]
    assert len(marked) == 6  # every weekly panel


def test_saving_needs_the_edit_password(app_rw, sample_db_copy, monkeypatch):
    monkeypatch.setenv("CONTENTROI_EDIT_PASSWORD", "s3cret")
    at = open_page(app_rw)
    assert at.text_input(key="edit_pw_targets")
    at.button(key="tg_save").click().run()
    assert any("edit password" in e.value for e in at.error)
    at.text_input(key="edit_pw_targets").input("s3cret").run()
    at.button(key="tg_save").click().run()
    assert not at.error
    assert any("Nothing changed" in i.value for i in at.info)
