"""The channels page (/channels) under AppTest on the bundled sample store."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from tests.conftest import table_values

from contentroi import engine, fmt, i18n, race
from contentroi.engine import Params

from tests.conftest import APP, assert_clean
from streamlit.testing.v1 import AppTest

COLS = ["channel", "reads", "joins", "contacted", "paid", "revenue", "cost", "roi",
        "cost_per_paid", "revenue_per_1k_reads", "join_rate", "contact_rate", "pay_rate", "overall_rate"]


@pytest.fixture(scope="module")
def store(sample_store):
    return sample_store  # read-only, the way the app opens the published snapshot


@pytest.fixture
def page(app):
    app.switch_page("pages/channels.py")
    return app


def scorecard(at) -> pd.DataFrame:
    df = table_values(at.dataframe[0]).reset_index(drop=True)
    assert "cost_known" in df.columns  # "67/69": how many articles' cost is known
    return df.drop(columns="cost_known")


def expected(store, params) -> pd.DataFrame:
    return engine.channels(store, params)[COLS].reset_index(drop=True)


def windows(store, params):
    cmp = engine.records(engine.query(store, "overview_compare", params))[0]
    d = lambda s: dt.date.fromisoformat(s[:10])  # noqa: E731
    return dict(cur_from=d(cmp["cur_from"]), cur_to=d(cmp["cur_to"]), prev_from=d(cmp["prev_from"]),
                prev_to=d(cmp["prev_to"]))


def test_renders_en(page, store):
    at = page.run()
    assert_clean(at)
    assert at.title[0].value == "Channels"
    pd.testing.assert_frame_equal(scorecard(at), expected(store, Params()), check_dtype=False)
    # ROI, cost per paid, the weekly trend and the open tab's bump chart: only the open
    # tab of the race runs (the channels'; the articles' when the link says level=article)
    assert len(at.get("vega_lite_chart")) == 4
    assert len(at.dataframe) == 2  # scorecard, channel race
    assert "title" not in table_values(at.dataframe[1]).columns
    at.query_params["level"] = "article"
    at.run()
    assert_clean(at)
    assert len(at.get("vega_lite_chart")) == 4 and len(at.dataframe) == 2  # scorecard, article race
    assert "title" in table_values(at.dataframe[1]).columns


def test_renders_zh(page, store):
    page.query_params["lang"] = "zh"
    at = page.run()
    assert_clean(at)
    assert at.title[0].value == "渠道"
    assert any(s.value == i18n.t("ch_race_title", "zh") for s in at.subheader)
    assert [t.label for t in at.tabs] == [i18n.t("ch_tab_channels", "zh"), i18n.t("ch_tab_articles", "zh")]
    pd.testing.assert_frame_equal(scorecard(at), expected(store, Params()), check_dtype=False)
    assert "渠道数：5 · 30 天窗口 · 首次触达" in [c.value for c in at.caption]  # the filters, in Chinese
    assert any("（公众号、知乎）" in c.value for c in at.caption)  # unknown cost: names, as Chinese lists them


def test_filters_in_url(page, store):
    page.query_params["channel"] = ["wechat"]
    page.query_params["from"] = "2026-07-01"
    page.query_params["to"] = "2026-09-30"
    at = page.run()
    assert_clean(at)
    p = Params(date_from=dt.date(2026, 7, 1), date_to=dt.date(2026, 9, 30), channels=("wechat",))
    pd.testing.assert_frame_equal(scorecard(at), expected(store, p), check_dtype=False)
    assert scorecard(at)["channel"].tolist() == ["wechat"]
    assert any("2026-03-31 → 2026-06-30" in c.value for c in at.caption)  # the race's previous window


def test_sidebar_filter_changes_the_table(page, store):
    at = page.run()
    assert len(scorecard(at)) == 5
    at.sidebar.multiselect[0].set_value(["wechat", "douyin"]).run()
    assert_clean(at)
    pd.testing.assert_frame_equal(scorecard(at), expected(store, Params(channels=("wechat", "douyin"))),
                                  check_dtype=False)
    at.sidebar.selectbox[0].set_value("linear").run()
    assert_clean(at)
    pd.testing.assert_frame_equal(
        scorecard(at), expected(store, Params(channels=("wechat", "douyin"), model="linear")), check_dtype=False)


def test_trend_metric_selector(page):
    at = page.run()
    for m in ("joins", "paid", "overall_rate", "revenue"):
        at.segmented_control(key="ch_trend_metric").set_value(m).run()
        assert_clean(at)
        assert at.segmented_control(key="ch_trend_metric").value == m


def test_race_tables_match_the_query(page, store):
    at = page.run()
    p = Params()
    win = windows(store, p)
    res = engine.query(store, "channel_race", p, level="channel", metric="revenue", min_joins=30, top=None, **win)
    shown = table_values(at.dataframe[1]).reset_index(drop=True)
    picked = race.pick(res, "value")
    assert shown["channel"].tolist() == picked["entity"].tolist()
    assert shown["rank"].tolist() == picked["rank"].astype("Int64").tolist()
    assert shown["revenue"].tolist() == picked["value"].tolist()
    assert all(m == "=" or m[0] in "▲▼" or m in ("new", "out") for m in shown["move"])
    at.query_params["level"] = "article"  # the articles' tab, opened by its link
    at.run()
    arts = table_values(at.dataframe[1])
    assert 0 < len(arts) <= 10
    ares = engine.query(store, "channel_race", p, level="article", metric="revenue", min_joins=30, top=None, **win)
    assert arts["title"].tolist() == race.pick(ares, "value", top=10)["title"].tolist()


@pytest.mark.parametrize("metric", ["revenue", "joins", "overall_rate"])
def test_the_race_query_keeps_the_rows_the_page_picks(store, metric):
    """channel_race's $top returns only the entities in the top by rank or by growth
    rank: what race.pick shows from them is what it shows from every row, in either order."""
    p = Params()
    win = {**windows(store, p), "metric": metric}
    every = engine.query(store, "channel_race", p, level="article", min_joins=30, top=None, **win)
    assert len(every) > 20  # more articles than the top
    for top in (1, 3, 10):
        some = engine.query(store, "channel_race", p, level="article", min_joins=30, top=top, **win)
        assert len(some) < len(every)
        for order in ("value", "growth"):
            pd.testing.assert_frame_equal(race.pick(some, order, top=top), race.pick(every, order, top=top),
                                          check_dtype=False)  # no unranked rows: integer ranks


def test_race_metric_and_order(page, store):
    at = page.run()
    at.segmented_control(key="ch_race_metric").set_value("overall_rate").run()
    assert_clean(at)
    at.segmented_control(key="ch_race_order").set_value("growth").run()
    assert_clean(at)
    shown = table_values(at.dataframe[1])
    assert "growth_rank" in shown.columns and "overall_rate" in shown.columns
    ranked = shown[shown["growth_rank"].notna()]
    assert ranked["growth_rank"].tolist() == sorted(ranked["growth_rank"].tolist())
    for m in ("paid", "joins"):
        at.segmented_control(key="ch_race_metric").set_value(m).run()
        assert_clean(at)
        assert str(table_values(at.dataframe[1])[m].dtype) == "Int64"


def test_tables_format_money_rates_and_nulls(page):
    import json

    at = page.run()
    for df in at.dataframe:
        assert df.proto.placeholder == fmt.NULL  # a null rate / ROI / growth shows as —
    cfg = json.loads(at.dataframe[0].proto.columns)
    assert cfg["revenue"]["type_config"]["format"] == "¥%,.2f"
    assert cfg["roi"]["type_config"]["format"] == "%+,.0f%%"
    assert cfg["overall_rate"]["type_config"]["format"] == "%.1f%%"
    race_cfg = json.loads(at.dataframe[1].proto.columns)
    assert race_cfg["revenue_prev"]["type_config"]["format"] == "¥%,.2f"
    assert race_cfg["growth"]["type_config"]["format"] == "%.1f%%"


def test_the_display_choices_are_in_the_url(page):
    """The trend's metric, the race's metric and order: a click puts them in the link, a
    link opens with them, the default leaves the link, a wrong value gets a notice."""
    at = page.run()
    at.segmented_control(key="ch_race_metric").set_value("joins").run()
    at.segmented_control(key="ch_race_order").set_value("growth").run()
    at.segmented_control(key="ch_trend_metric").set_value("paid").run()
    assert_clean(at)
    assert (at.query_params.get("race"), at.query_params.get("order"), at.query_params.get("trend")) == (
        "joins", "growth", "paid")
    at.segmented_control(key="ch_race_order").set_value("value").run()
    assert "order" not in at.query_params

    link = {"race": "overall_rate", "order": "growth", "trend": "joins", "lang": "zh"}
    at2 = AppTest.from_file(APP, default_timeout=60)  # a new session opening the link
    at2.switch_page("pages/channels.py")
    for k, v in link.items():
        at2.query_params[k] = v
    at2.run()
    assert_clean(at2)
    assert (at2.segmented_control(key="ch_race_metric").value, at2.segmented_control(key="ch_race_order").value,
            at2.segmented_control(key="ch_trend_metric").value) == ("overall_rate", "growth", "joins")
    assert "growth_rank" in table_values(at2.dataframe[1]).columns

    at3 = AppTest.from_file(APP, default_timeout=60)
    at3.switch_page("pages/channels.py")
    at3.query_params["race"] = "nope"
    at3.query_params["lang"] = "zh"
    at3.run()
    assert at3.segmented_control(key="ch_race_metric").value == "revenue"
    assert any("race=nope" in w.value and "不是本页的可选项" in w.value for w in at3.warning)
    assert "race" not in at3.query_params


def test_the_race_tab_is_in_the_url(page):
    """The race's open tab (level): a link opens on it, a wrong value gets a notice and
    the channels' tab (switching tabs with a click: tests/browser/test_journeys.py)."""
    at = page.run()
    assert "level" not in at.query_params  # the default tab leaves the link
    for level, title in (("article", True), ("channel", False)):
        at2 = AppTest.from_file(APP, default_timeout=60)
        at2.switch_page("pages/channels.py")
        at2.query_params["level"] = level
        at2.run()
        assert_clean(at2)
        assert ("title" in table_values(at2.dataframe[1]).columns) is title
    at3 = AppTest.from_file(APP, default_timeout=60)
    at3.switch_page("pages/channels.py")
    at3.query_params["level"] = "posts"
    at3.query_params["lang"] = "zh"
    at3.run()
    assert any("level=posts" in w.value and "不是本页的可选项" in w.value for w in at3.warning)
    assert "level" not in at3.query_params
    assert "title" not in table_values(at3.dataframe[1]).columns
