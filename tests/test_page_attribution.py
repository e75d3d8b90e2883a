"""/attribution under AppTest on the bundled sample: five models side by side."""
from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest

from tests.conftest import table_values

from contentroi import engine, fmt, i18n
from contentroi.engine import MODELS, Params
from contentroi.limits import MIN_N, PAGE_ROWS
from contentroi.store import Store

from tests.conftest import assert_clean

from .test_page_articles import has_chinese, open_page


@pytest.fixture(scope="module")
def store(sample_db, tmp_path_factory):
    """The sample store for expected values: a private copy (the app holds the original open
    read-only, and DuckDB refuses a second open of one file with other settings)."""
    path = tmp_path_factory.mktemp("expected") / "sample.duckdb"
    shutil.copy(sample_db, path)
    s = Store(path)
    yield s
    s.close()


def tables(at):
    """(by channel, by article) as shown. Only the open tab's table is drawn: the channels'
    as the page opened, then the articles' (the same view with level=article, as a click on
    the tab links it; ``at`` is left on that tab)."""
    ch = table_values(at.dataframe[0])
    at.query_params["level"] = "article"
    at.run()
    assert_clean(at)
    return ch, table_values(at.dataframe[0])


def top_articles(store, p: Params) -> dict:
    """article_id -> revenue under p.model of the articles the page shows: the PAGE_ROWS
    with the most (ties by article_id), from the report's articles."""
    exp = engine.articles(store, p).sort_values(["revenue", "article_id"], ascending=[False, True])
    return exp.head(PAGE_ROWS).set_index("article_id")["revenue"].to_dict()


def test_articles_tab_shows_one_page(app, store):
    """The sample has 200 articles: the tab shows the 100 with the most revenue under the
    selected model, says so, and every other model's figure for those same articles."""
    assert len(engine.articles(store, Params())) > PAGE_ROWS
    at = open_page(app, "attribution", model="time_decay", level="article")
    assert_clean(at)
    arts = table_values(at.dataframe[0])
    assert len(arts) == PAGE_ROWS
    assert arts["article_id"].tolist() == list(top_articles(store, Params(model="time_decay")))
    assert any("The 100 articles with the most revenue under Time decay (7-day half-life), of 200;"
               in c.value for c in at.caption)
    zh = open_page(app, "attribution", model="time_decay", lang="zh", level="article")
    assert any("按时间衰减（7 天半衰期）收入最高的 100 篇（共 200 篇）" in c.value for c in zh.caption)


def test_the_tables_open_tab_is_in_the_link(app):
    """Only the open tab's table is drawn (the articles' ranking is a quarter of the page's
    query at 10x): the channels' by default, the articles' with level=article; a bad value
    gets a notice and the default (a click on the tab: tests/browser/test_journeys.py)."""
    at = open_page(app, "attribution")
    assert_clean(at)
    assert len(at.dataframe) == 2  # the channels' table and the markov table
    assert "article_id" not in table_values(at.dataframe[0]).columns
    ar = open_page(app, "attribution", level="article")
    assert_clean(ar)
    assert len(ar.dataframe) == 2 and "article_id" in table_values(ar.dataframe[0]).columns
    bad = open_page(app, "attribution", level="posts", lang="zh")
    assert any("level=posts" in w.value and "不是本页的可选项" in w.value for w in bad.warning)
    assert "article_id" not in table_values(bad.dataframe[0]).columns


def test_translations_complete():
    from contentroi.i18n import attribution

    for key, (en, zh) in attribution.TEXT.items():
        assert key.startswith(("at_", "model_")) and en and zh, key  # (each model's label sits here too)
    for m in MODELS:
        assert f"at_explain_{m}" in attribution.TEXT and f"at_example_{m}" in attribution.TEXT


@pytest.mark.parametrize("query", [
    {},
    {"lang": "zh"},
    {"channel": "wechat", "model": "linear", "window": "14", "from": "2026-06-01", "to": "2026-09-30"},
    {"channel": ["zhihu", "douyin"], "model": "time_decay", "lang": "zh"},
    {"model": "x", "window": "999"},
])
def test_renders(app, query):
    at = open_page(app, "attribution", **query)
    assert_clean(at)
    ch, arts = tables(at)
    assert len(ch) > 0 and len(arts) > 0
    if query.get("lang") == "zh":
        assert has_chinese(at) and at.title[0].value == "归因"


@pytest.mark.parametrize("query, params", [
    ({}, Params()),
    ({"channel": "wechat", "window": "14"}, Params(channels=("wechat",), window_days=14)),
    ({"from": "2026-08-01", "to": "2026-10-31", "model": "position"},
     Params(date_from=dt.date(2026, 8, 1), date_to=dt.date(2026, 10, 31), model="position")),
])
def test_numbers_equal_engine_for_every_model(app, store, query, params):
    at = open_page(app, "attribution", **query)
    metrics = {m.label: m.value for m in at.metric}
    ch, arts = tables(at)
    assert {m.label: m.value for m in at.metric} == metrics  # the tiles whichever tab is open
    assert arts["article_id"].tolist() == list(top_articles(store, params))
    for m in MODELS:
        p = params.with_(model=m)
        exp_a = engine.articles(store, p).set_index("article_id")["revenue"].to_dict()
        assert arts.set_index("article_id")[f"rev_{m}"].to_dict() == \
            {a: exp_a[a] for a in arts["article_id"]}, m
        exp_c = engine.channels(store, p).set_index("channel")["revenue"].to_dict()
        assert ch.set_index("channel")[f"rev_{m}"].to_dict() == exp_c, m
    # payments: the distinct payments with an eligible touch on the article / on one of the
    # channel's selected articles (pandas over every (payment, touch) pair)
    pt = store.cursor().execute("SELECT payment_id, article_id, channel, pub_day, age_days "
                                "FROM fct_payment_touch").df()
    pt = pt[pt.age_days <= params.window_days]
    sel = set(engine.articles(store, params)["article_id"])
    pt = pt[pt.article_id.isin(sel)]
    want_a = pt.groupby("article_id")["payment_id"].nunique()
    assert arts.set_index("article_id")["payments"].to_dict() == \
        {a: int(want_a.get(a, 0)) for a in arts["article_id"]}
    want_c = pt.groupby("channel")["payment_id"].nunique()
    assert ch.set_index("channel")["payments"].to_dict() == {c: int(want_c.get(c, 0)) for c in ch["channel"]}
    tot = engine.totals(store, params)
    assert metrics["Unattributed revenue"] == fmt.money_short(tot["unattributed_revenue"])
    key = i18n.t("at_kpi_attributed", "en", model=i18n.t(f"model_{params.model}", "en"))
    assert metrics[key] == fmt.money_short(tot["revenue"])


def test_selected_model_is_marked(app):
    at = open_page(app, "attribution", model="position")
    assert_clean(at)
    marked = [m.value for m in at.markdown if "★" in m.value]
    assert len(marked) == 1 and "Position" in marked[0]
    ch, arts = tables(at)
    # both tables ranked by the selected model
    assert ch["rev_position"].is_monotonic_decreasing
    assert arts["rev_position"].is_monotonic_decreasing


def test_filter_change_changes_the_numbers(app):
    at = open_page(app, "attribution")
    ch = table_values(at.dataframe[0])
    before = {m.label: m.value for m in at.metric}
    at.sidebar.multiselect[0].set_value(["wechat"]).run()
    assert_clean(at)
    after = {m.label: m.value for m in at.metric}
    ch2, arts2 = tables(at)
    assert set(ch2["channel"]) == {"wechat"} and len(ch) > 1
    assert set(arts2["channel"]) == {"wechat"}
    assert after != before
    # the channel's own numbers do not change with the filter (filters never re-split)
    assert ch2.iloc[0].to_dict() == ch.set_index("channel").loc["wechat"].to_dict() | {"channel": "wechat"}


def test_model_change_in_sidebar_moves_the_star(app):
    at = open_page(app, "attribution")
    at.sidebar.selectbox[0].set_value("last_touch").run()
    assert_clean(at)
    marked = [m.value for m in at.markdown if "★" in m.value]
    assert len(marked) == 1 and "Last touch" in marked[0]


def test_empty_filter(app):
    at = open_page(app, "attribution", **{"to": "2020-01-01"})
    assert_clean(at)
    assert not at.dataframe and at.info


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_markov_model_page(app, store, lang):
    """model=markov: the star on the data-driven model, its revenue equal to the report's,
    the removal effects with their bootstrap intervals as markov.removal_table gives them,
    the heat map and the explanation, in both languages."""
    from contentroi import markov

    at = open_page(app, "attribution", model="markov", window="14", lang=lang)
    assert_clean(at)
    marked = [m.value for m in at.markdown if "★" in m.value]
    assert len(marked) == 1 and i18n.t("model_markov", lang) in marked[0]
    p = Params(model="markov", window_days=14)
    metrics = {m.label: m.value for m in at.metric}
    key = i18n.t("at_kpi_attributed", lang, model=i18n.t("model_markov", lang))
    assert metrics[key] == fmt.money_short(engine.totals(store, p)["revenue"], lang)
    mk = table_values(at.dataframe[1]).set_index("channel")  # (shown as percentages: x 100 undone)
    exp = markov.removal_table(store.cursor(), 14).set_index("channel")
    assert mk.index.tolist() == exp.index.tolist()
    assert mk["removal_effect_pct"].to_dict() == pytest.approx(exp["removal_effect"].to_dict(), abs=1e-9)
    assert mk["lo_pct"].to_dict() == pytest.approx(exp["lo"].to_dict(), abs=1e-9)
    assert mk["hi_pct"].to_dict() == pytest.approx(exp["hi"].to_dict(), abs=1e-9)
    shown = json.loads(at.dataframe[1].proto.columns)
    assert shown["removal_effect_pct"]["type_config"]["format"] == fmt.TABLE_FORMAT["rate"]  # 66.0%, not 0.66
    assert (mk["lo_pct"] <= mk["removal_effect_pct"]).all() and (mk["removal_effect_pct"] <= mk["hi_pct"]).all()
    small = (exp["paths"] < MIN_N).to_dict()
    assert {c: bool(v) for c, v in mk["sample"].items()} == small
    md = " ".join(m.value for m in at.markdown)
    assert i18n.t("at_mk_title", lang) in md
    assert i18n.t("at_mk_intro", lang, w=14, draws=markov.BOOTSTRAP_DRAWS) in md
    specs = [c.proto.spec for c in at.get("vega_lite_chart")]
    assert sum('"rect"' in s for s in specs) == 1  # the transition heat map
    heat = json.dumps(json.loads(next(s for s in specs if '"rect"' in s)), ensure_ascii=False)
    assert i18n.t("at_mk_start", lang) in heat and i18n.t("at_mk_conversion", lang) in heat
    if lang == "zh":
        assert has_chinese(at)
    ch, arts = tables(at)
    assert ch.set_index("channel")["rev_markov"].to_dict() == \
        engine.channels(store, p).set_index("channel")["revenue"].to_dict()
    assert arts.set_index("article_id")["rev_markov"].to_dict() == top_articles(store, p)


def test_prefetch_runs_lookups_together_and_leaves_errors_to_the_page():
    """ui.prefetch runs a page's lookups at the same time (two jobs meet at a barrier,
    which sequential calls never would) and swallows a job's error: the page's own call
    raises it again inside its guard."""
    import threading

    from contentroi import st_app as ui

    meet = threading.Barrier(2, timeout=60)
    done = []

    def job(name):
        def run():
            meet.wait()
            done.append(name)
        return run

    def fails():
        raise RuntimeError("boom")

    ui.prefetch(job("a"), job("b"), fails)
    assert sorted(done) == ["a", "b"]
    ui.prefetch(fails)  # one job: run here, its error left for the page
