"""The overview page (/) under AppTest on the bundled sample store: it renders in
both languages and with filters in the link, and shows the engine's numbers."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.conftest import assert_clean, table_values

from contentroi import engine, fmt, i18n
from contentroi.engine import Params

# (metric, format) in the order of the tiles
TILES = [("reads", fmt.count), ("joins", fmt.count), ("contacted", fmt.count), ("paid", fmt.count),
         ("revenue", fmt.money), ("cost", fmt.money), ("roi", fmt.ratio), ("overall_rate", fmt.pct)]


@pytest.fixture(scope="module")
def store(sample_store):
    return sample_store  # read-only, the way the app opens the published snapshot


def tiles(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def expected_tiles(store, params, lang="en"):
    tot = engine.totals(store, params)
    with fmt.using(lang):  # the page formats in the reader's language (万 / 亿 in Chinese)
        return {i18n.t(f"m_{m}", lang): f(tot[m]) for m, f in TILES}


def test_renders_en(app, store):
    at = app.run()
    assert_clean(at)
    assert at.title[0].value == "Overview"
    assert tiles(at) == expected_tiles(store, Params())
    assert not any(m.delta for m in at.metric)  # no period: no deltas ...
    assert any("Pick a full period" in c.value for c in at.caption)  # ... and a caption saying so
    assert len(at.get("vega_lite_chart")) == 7  # funnel + six weekly panels


def test_renders_zh(app, store):
    app.query_params["lang"] = "zh"
    at = app.run()
    assert_clean(at)
    assert at.title[0].value == "总览"
    assert tiles(at) == expected_tiles(store, Params(), "zh")
    assert "万" in tiles(at)[i18n.t("m_revenue", "zh")]  # ¥32.64万, not ¥326,392.40
    assert any(i18n.t("ov_no_period", "zh") in c.value for c in at.caption)
    assert any(i18n.t("ov_funnel_title", "zh") == s.value for s in at.subheader)


def test_period_in_url_shows_deltas_against_previous_period(app, store):
    app.query_params["from"] = "2026-09-01"
    app.query_params["to"] = "2026-09-30"
    at = app.run()
    assert_clean(at)
    p = Params(date_from=dt.date(2026, 9, 1), date_to=dt.date(2026, 9, 30))
    assert tiles(at) == expected_tiles(store, p)
    cur, prev = engine.totals(store, p), engine.totals(store, p.previous())
    deltas = {m.label: m.delta for m in at.metric}
    for m in ("reads", "joins", "paid", "revenue", "cost"):
        assert deltas[i18n.t(f"m_{m}")] == f"{fmt.delta_pct(cur[m], prev[m]):+.1%}"
    # ROI and the overall rate move in percentage points
    assert deltas["ROI"] == f"{100 * (cur['roi'] - prev['roi']):+.1f} pp"  # a rate: change in points
    assert any("2026-08-02 → 2026-08-31" in c.value for c in at.caption)


def test_channel_filter_in_url(app, store):
    app.query_params["channel"] = ["wechat", "zhihu"]
    at = app.run()
    assert_clean(at)
    assert tiles(at) == expected_tiles(store, Params(channels=("wechat", "zhihu")))


def test_sidebar_filter_changes_the_numbers(app, store):
    at = app.run()
    before = tiles(at)
    at.sidebar.multiselect[0].set_value(["wechat"]).run()
    assert_clean(at)
    after = tiles(at)
    assert after != before
    assert after == expected_tiles(store, Params(channels=("wechat",)))
    at.sidebar.number_input[0].set_value(7).run()
    assert_clean(at)
    assert tiles(at) == expected_tiles(store, Params(channels=("wechat",), window_days=7))


def test_drops_match_the_query(app, store):
    at = app.run()
    cur = store.cursor()
    cmp = engine.records(engine.query(cur, "overview_compare", Params()))[0]
    assert cmp["basis"] == "weeks_mature"
    d = lambda s: dt.date.fromisoformat(s[:10])  # noqa: E731
    drops = engine.query(cur, "overview_drops", Params(), cur_from=d(cmp["cur_from"]), cur_to=d(cmp["cur_to"]),
                         prev_from=d(cmp["prev_from"]), prev_to=d(cmp["prev_to"]), min_n=30).head(3)
    assert len(drops) == 3
    assert (drops["n_cur"] >= 30).all() and (drops["n_prev"] >= 30).all()
    shown = [m.value for m in at.markdown if " · " in m.value and "▼" in m.value]
    assert len(shown) == 3
    for line, row in zip(shown, drops.itertuples()):
        assert f"{i18n.t(f'm_{row.stage}')} · {row.channel}" in line
        assert fmt.pct(-row.change, 0) in line
    assert any("4 latest complete weeks" in c.value for c in at.caption)
    n_lines = [c.value for c in at.caption if c.value.startswith("n = ")]
    assert len(n_lines) == 3 and fmt.count(drops.iloc[0]["n_cur"]) in n_lines[0]


def test_weekly_table_adds_up(app, store):
    at = app.run()
    weekly = table_values(at.dataframe[0])
    tot = engine.totals(store, Params())
    for m in ("reads", "joins", "contacted", "paid"):
        assert weekly[m].sum() == tot[m]


def test_bad_link_values_are_notices_not_tracebacks(app):
    app.query_params["from"] = "yesterday"
    app.query_params["window"] = "-3"
    at = app.run()
    assert not at.exception and not at.error
    assert at.warning  # the shared notice


def test_filters_that_leave_nothing(app):
    app.query_params["from"] = "2030-01-01"
    app.query_params["to"] = "2030-01-31"
    at = app.run()
    assert not at.exception and not at.error
    assert not at.metric and at.info


@pytest.fixture
def tiny_app(tmp_path, monkeypatch):
    """An AppTest on the 3-article world of test_queries_overview (three weeks of data)."""
    from streamlit.testing.v1 import AppTest

    from .conftest import APP
    from .test_queries_overview import ARTICLES, JOINS, SALES
    from .worlds import make_store

    path = tmp_path / "tiny.duckdb"
    make_store(ARTICLES, JOINS, SALES, path=str(path)).close()
    monkeypatch.setenv("CONTENTROI_DB", str(path))
    return AppTest.from_file(APP, default_timeout=60)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_short_history_says_there_is_nothing_to_compare(tiny_app, lang):
    tiny_app.query_params["lang"] = lang
    at = tiny_app.run()
    assert_clean(at)
    assert tiles(at)[i18n.t("m_joins", lang)] == "5"
    assert [i.value for i in at.info if i18n.t("ov_basis_none", lang) in i.value]
    tiny_app.switch_page("pages/channels.py")
    at = tiny_app.run()
    assert_clean(at)
    assert [i.value for i in at.info if i18n.t("ch_race_none", lang) in i.value]
    assert table_values(at.dataframe[0])["channel"].tolist() == ["wechat", "zhihu"]


def test_texts_have_both_languages_and_the_same_placeholders():
    from contentroi.i18n import channels, overview

    ph = re.compile(r"{(\w+)}")
    for mod, prefix in ((overview, "ov_"), (channels, "ch_")):
        for key, (en, zh) in mod.TEXT.items():
            assert key.startswith(prefix), key
            assert en.strip() and zh.strip(), key
            assert set(ph.findall(en)) == set(ph.findall(zh)), key
