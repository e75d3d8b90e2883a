"""/sales under AppTest on the bundled sample: the per-rep funnel and its trend.

The rep definitions themselves are hand-checked in tests/test_queries_articles.py.
"""
from __future__ import annotations

import datetime as dt
import shutil

import pandas as pd
import pytest

from tests.conftest import table_values

from contentroi import engine, fmt, i18n
from contentroi.engine import Params
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


def reps_table(at) -> pd.DataFrame:
    return table_values(at.dataframe[0])


def test_translations_complete():
    from contentroi.i18n import sales

    for key, (en, zh) in sales.TEXT.items():
        assert key.startswith("sa_") and en and zh, key
    cols = ["rep", "users_handled", "contacted", "contacts", "median_response_hours", "paid",
            "pay_rate", "pay_rate_lo", "pay_rate_hi", "pay_rate_ci", "payments", "gross_revenue",
            "refunds", "revenue", "week"]
    assert all(f"sa_c_{c}" in sales.TEXT for c in cols)


@pytest.mark.parametrize("query", [
    {},
    {"lang": "zh"},
    {"channel": "wechat", "model": "linear", "window": "14", "from": "2026-06-01", "to": "2026-09-30"},
    {"channel": ["zhihu", "weibo"], "window": "365", "lang": "zh"},
    {"from": "2026-13-01", "window": "abc"},
])
def test_renders(app, query):
    at = open_page(app, "sales", **query)
    assert_clean(at)
    assert len(reps_table(at)) > 0
    if query.get("lang") == "zh":
        assert has_chinese(at) and at.title[0].value == "销售"
        assert (reps_table(at)["rep"] == "（未记录销售）").sum() <= 1


@pytest.mark.parametrize("query, params", [
    ({}, Params()),
    ({"channel": "xiaohongshu", "window": "7"}, Params(channels=("xiaohongshu",), window_days=7)),
    ({"from": "2026-09-01", "to": "2026-10-31"},
     Params(date_from=dt.date(2026, 9, 1), date_to=dt.date(2026, 10, 31))),
])
def test_numbers_equal_the_queries(app, store, query, params):
    at = open_page(app, "sales", **query)
    got = reps_table(at)
    exp = engine.sales_figures(store, params)["rep"]
    exp["rep"] = exp["rep"].fillna(i18n.t("sa_unassigned", "en"))
    cols = ["rep", "users_handled", "contacted", "paid", "median_response_hours", "pay_rate",
            "revenue", "refunds", "gross_revenue"]
    pd.testing.assert_frame_equal(got[cols].reset_index(drop=True), exp[cols].reset_index(drop=True))
    tot = engine.records(engine.sales_figures(store, params)["total"])[0]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Users handled"] == fmt.count(tot["users_handled"])
    assert metrics["Contacted (sales scope)"] == fmt.count(tot["contacted"])
    assert metrics["Contact → paid"] == fmt.pct(tot["pay_rate"])
    assert metrics["Revenue (net, sales scope)"] == fmt.money_short(tot["revenue"])
    assert metrics["Median response"] == f"{tot['median_response_hours']:,.1f} h"
    # the weekly trend adds up to the reps' totals
    weekly = table_values(at.dataframe[1]).groupby("rep")[["contacted", "paid", "revenue"]].sum()
    for r in got.itertuples():
        w = weekly.loc[r.rep]
        assert (w["contacted"], w["paid"], round(w["revenue"], 2)) == (r.contacted, r.paid, r.revenue)


def test_rep_revenue_is_net_of_refunds(app):
    got = reps_table(open_page(app, "sales"))
    assert (got["gross_revenue"] - got["refunds"]).round(2).tolist() == got["revenue"].tolist()
    assert got["revenue"].is_monotonic_decreasing
    assert (got["paid"] <= got["contacted"]).all() and (got["contacted"] <= got["users_handled"]).all()


def test_filter_change_changes_the_numbers(app):
    at = open_page(app, "sales")
    before = reps_table(at)
    at.sidebar.multiselect[0].set_value(["wechat"]).run()
    assert_clean(at)
    after = reps_table(at)
    assert after["users_handled"].sum() < before["users_handled"].sum()
    assert after["revenue"].sum() < before["revenue"].sum()


def test_trend_metric_switch(app):
    at = open_page(app, "sales")
    at.segmented_control(key="sa_trend").set_value("paid").run()
    assert_clean(at)
    assert at.segmented_control(key="sa_trend").value == "paid"
    assert at.query_params.get("trend") == "paid"  # in the link, as the filters are


def test_a_link_opens_with_its_trend_metric(app):
    at = open_page(app, "sales", trend="contacted")
    assert_clean(at)
    assert at.segmented_control(key="sa_trend").value == "contacted"


def test_empty_store(app_rw, sample_db_copy):
    with Store(sample_db_copy) as s:  # closed before the app opens it
        s.clear()
    at = open_page(app_rw, "sales")
    assert not at.exception and not at.error
    assert any(i18n.t("empty_store", "en")[:20] in i.value for i in at.info)


def test_up_to_twenty_reps_or_cohorts_never_share_a_colour():
    """A team of ten reps shared colours on the weekly trend (8 colours; seen in a browser):
    the reps' and the cohorts' series take their colours from 20 distinct ones, none of
    them a channel's brand colour (a rep is not a channel)."""
    from contentroi import charts
    from contentroi.charts import cohorts as cohort_charts
    from contentroi.charts import sales as sales_charts

    reps = [f"rep{i}" for i in range(20)]
    colours = sales_charts.rep_scale(reps).range
    assert len(set(c.lower() for c in colours)) == 20
    assert not set(c.lower() for c in colours) & {c.lower() for c in charts.CHANNEL_COLORS.values()}
    assert sales_charts.rep_scale(reps + ["rep20"]).range[20] == colours[0]  # then repeated
    df = pd.DataFrame([(f"c{i}", a, 1.0, 10) for i in range(12) for a in (0, 30)],
                      columns=["cohort", "age", "revenue_per_user", "users"])
    spec = cohort_charts.curves(df, {"days": "d", "rev": "r", "cohort": "c", "users": "u"}, "en").to_dict()
    assert len(set(spec["encoding"]["color"]["scale"]["range"])) == 12


@pytest.mark.parametrize("n_reps", [1, 3, 12])
def test_rep_charts_are_sized_by_their_bars(n_reps):
    """The two rep charts take their height from their bars (a step per bar), not a fixed
    height: the page draws a chart to fit its column, and a fixed height then held the
    legend and the axis as well, so three reps' bars were squeezed into ~40 px and one rep's
    label dropped (seen in a browser with a team of three)."""
    from contentroi.charts import sales as sales_charts

    reps = [f"rep{i}" for i in range(n_reps)]
    fun = pd.DataFrame([(r, s, k, 3) for r in reps for k, s in enumerate(("a", "b", "c"))],
                       columns=["rep", "step", "order", "users"])
    rev = pd.DataFrame([(r, p, k, 10.0) for r in reps for k, p in enumerate(("net", "refunds"))],
                       columns=["rep", "part", "order", "amount"])
    funnel = sales_charts.rep_funnel(fun, {"users": "u", "rep": "r", "step": "s"}, reps).to_dict({"bars": "b"})
    revenue = sales_charts.rep_revenue(rev, {"amount": "a", "rep": "r", "part": "p"}, reps).to_dict({"bars": "b"})
    assert funnel["height"] == {"step": 14, "for": "offset"}
    assert revenue["height"] == {"step": 30}
