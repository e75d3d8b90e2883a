"""The SQL behind /articles, /attribution and /sales, pinned on tiny hand-checked worlds.

BASIC is the world of tests/test_engine.py (tests/worlds.py); its "now" (the
latest event in the store) is u4's payment, 2026-03-04 00:00. Window 30 days
unless said otherwise.

Wilson 95% intervals (z = 1.959964) used below are the textbook values:
0/1 -> [0, 0.7935], 1/1 -> [0.2065, 1], 1/3 -> [0.0615, 0.7923],
3/3 -> [0.4385, 1], 0/10 -> [0, 0.2775], 5/10 -> [0.2366, 0.7634],
3/1000 -> [0.0010, 0.0088], 1/2 -> [0.0945, 0.9055].
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from contentroi import engine
from contentroi.engine import MODELS, Params

from .worlds import BASIC_ARTICLES, BASIC_JOINS, BASIC_SALES, basic_store, make_store


@pytest.fixture(scope="module")
def store():
    s = basic_store()
    yield s
    s.close()


def rows(df: pd.DataFrame, key: str) -> dict:
    return {r[key]: r for r in engine.records(df)}


# ---- the Wilson macro ---------------------------------------------------------


@pytest.mark.parametrize("k, n, lo, hi", [
    (0, 10, 0.0, 0.2775), (5, 10, 0.2366, 0.7634), (1, 3, 0.0615, 0.7923), (3, 3, 0.4385, 1.0),
    (0, 1, 0.0, 0.7935), (1, 1, 0.2065, 1.0), (3, 1000, 0.001, 0.0088), (1, 2, 0.0945, 0.9055),
    # more successes than trials (joins > reads in a messy export): clamped to p = 1
    (3, 2, 0.3424, 1.0),
])
def test_wilson_bounds(store, k, n, lo, hi):
    got = store.cursor().execute("SELECT wilson_lo($k, $n), wilson_hi($k, $n)", {"k": k, "n": n}).fetchone()
    assert got == (lo, hi)


@pytest.mark.parametrize("k, n", [(0, 0), (3, 0), (None, 5), (2, None)])
def test_wilson_is_null_without_a_denominator(store, k, n):
    got = store.cursor().execute("SELECT wilson_lo($k, $n), wilson_hi($k, $n)", {"k": k, "n": n}).fetchone()
    assert got == (None, None)


# ---- report_articles: the added interval columns --------------------------------


def test_report_articles_intervals(store):
    a = rows(engine.articles(store, Params()), "article_id")
    a1, a2, a3 = a["A1"], a["A2"], a["A3"]
    # A1: joins 3 / reads 1000, contacted 3 / 3, paid 1 / contacted 3, paid 1 / joins 3
    assert (a1["join_rate_lo"], a1["join_rate_hi"]) == (0.001, 0.0088)
    assert (a1["contact_rate_lo"], a1["contact_rate_hi"]) == (0.4385, 1.0)
    assert (a1["pay_rate_lo"], a1["pay_rate_hi"]) == (0.0615, 0.7923)
    assert (a1["overall_rate_lo"], a1["overall_rate_hi"]) == (0.0615, 0.7923)
    # A2: reads 0 and contacted 0 -> null intervals where the rate is null; contact 0/1
    assert a2["join_rate_lo"] is None and a2["join_rate_hi"] is None
    assert a2["pay_rate_lo"] is None and a2["pay_rate_hi"] is None
    assert (a2["contact_rate_lo"], a2["contact_rate_hi"]) == (0.0, 0.7935)
    # A3: reads unknown -> null; paid 1 / 1
    assert a3["join_rate_lo"] is None
    assert (a3["overall_rate_lo"], a3["overall_rate_hi"]) == (0.2065, 1.0)
    assert all(r["small_sample"] for r in a.values())  # every article has < 30 joins


def test_small_sample_flag_at_30_joins():
    arts = [("B", "b", "weibo", "2026-03-01 00:00", None, 100, 1),
            ("C", "c", "weibo", "2026-03-01 00:00", None, 100, 1)]
    joins = [(f"v{i}", "2026-03-02 00:00", "B") for i in range(30)]
    joins += [(f"w{i}", "2026-03-02 00:00", "C") for i in range(29)]
    s = make_store(arts, joins, [])
    a = rows(engine.articles(s, Params()), "article_id")
    assert a["B"]["small_sample"] is False and a["C"]["small_sample"] is True
    assert a["B"]["join_rate"] == 0.3 and a["B"]["overall_rate"] == 0.0
    assert a["B"]["overall_rate_lo"] == 0.0 and a["B"]["overall_rate_hi"] == 0.1135


# ---- the article detail -----------------------------------------------------------


def test_article_users_basic(store):
    u = rows(engine.query(store, "article_users", Params(), article_id="A1"), "user_id")
    assert list(u) == ["u1", "u2", "u3"]  # ordered by t0, then user_id
    assert u["u1"]["stage"] == "paid"
    assert u["u1"]["joined_at"] == "2026-01-02 10:00:00"
    assert u["u1"]["first_contact_at"] == "2026-01-03 10:00:00"
    assert u["u1"]["first_contact_rep"] == "R1"
    assert u["u1"]["first_paid_at"] == "2026-01-10 10:00:00"
    assert u["u1"]["days_to_pay"] == 8.0
    assert u["u1"]["window_end_at"] == "2026-02-01 10:00:00"
    # u2 paid (01-04) before the contact (01-05): paid without contact, payment shown
    assert u["u2"]["stage"] == "paid_without_contact"
    assert u["u2"]["first_paid_at"] == "2026-01-04 00:00:00" and u["u2"]["days_to_pay"] is None
    assert u["u2"]["first_contact_rep"] == "R2"
    # u3: contacted; the payment (02-02 23:00) is after the window end (02-02 00:00), which
    # is before now (03-04): dropped
    assert u["u3"]["stage"] == "contacted_dropped" and u["u3"]["in_window"] is False
    assert u["u3"]["first_paid_at"] is None


def test_article_summary_basic(store):
    s = engine.records(engine.query(store, "article_summary", Params(), article_id="A1"))[0]
    assert (s["joins"], s["contacted"], s["paid"], s["paid_without_contact"]) == (3, 3, 1, 1)
    assert (s["open_users"], s["open_contacted"], s["dropped_users"]) == (0, 0, 1)
    assert s["now_at"] == "2026-03-04 00:00:00"
    # an unknown article: zero users, never an error
    z = engine.records(engine.query(store, "article_summary", Params(), article_id="nope"))[0]
    assert (z["joins"], z["open_users"], z["dropped_users"]) == (0, 0, 0)


# A world with users still inside the window. Article X published 03-01 00:00.
#   v1 joins 03-01 12:00, contact 03-02            -> contacted; window ends 03-31 12:00
#   v4 joins 03-02, contact 03-03, pays 03-05      -> paid after 3.0 days
#   v2 joins 03-10, nothing else                   -> window ends 04-09
#   v3 joins 03-25, contact 04-05 (latest event)   -> window ends 04-24
# now = 04-05 00:00 (v3's contact, the latest event in the store).
OPEN_ARTICLES = [("X", "x", "wechat", "2026-03-01 00:00", "Li", 500, 50)]
OPEN_JOINS = [("v1", "2026-03-01 12:00", "X"), ("v4", "2026-03-02 00:00", "X"),
              ("v2", "2026-03-10 00:00", "X"), ("v3", "2026-03-25 00:00", "X")]
OPEN_SALES = [("v1", "contact", "2026-03-02 00:00", "R1", None, None),
              ("v4", "contact", "2026-03-03 00:00", "R2", None, None),
              ("v4", "payment", "2026-03-05 00:00", "R2", 100, "O1"),
              ("v3", "contact", "2026-04-05 00:00", "R1", None, None)]


@pytest.fixture(scope="module")
def open_store():
    s = make_store(OPEN_ARTICLES, OPEN_JOINS, OPEN_SALES)
    yield s
    s.close()


def test_still_inside_the_window(open_store):
    p = Params()
    s = engine.records(engine.query(open_store, "article_summary", p, article_id="X"))[0]
    assert s["now_at"] == "2026-04-05 00:00:00"
    assert (s["joins"], s["contacted"], s["paid"], s["paid_without_contact"]) == (4, 3, 1, 0)
    # v2 and v3 may yet convert; v3 has been contacted; v1's window closed
    assert (s["open_users"], s["open_contacted"], s["dropped_users"]) == (2, 1, 1)
    u = rows(engine.query(open_store, "article_users", p, article_id="X"), "user_id")
    assert {k: r["stage"] for k, r in u.items()} == {
        "v1": "contacted_dropped", "v4": "paid", "v2": "joined_open", "v3": "contacted_open"}
    assert [k for k, r in u.items() if r["in_window"]] == ["v2", "v3"]
    assert u["v4"]["days_to_pay"] == 3.0


def test_still_inside_depends_on_the_window(open_store):
    # W = 10: v2's window ends 03-20, v3's 04-04 (its contact on 04-05 is outside): all closed
    s = engine.records(engine.query(open_store, "article_summary", Params(window_days=10), article_id="X"))[0]
    assert (s["joins"], s["contacted"], s["paid"]) == (4, 2, 1)
    assert (s["open_users"], s["open_contacted"], s["dropped_users"]) == (0, 0, 3)
    u = rows(engine.query(open_store, "article_users", Params(window_days=10), article_id="X"), "user_id")
    assert u["v3"]["stage"] == "joined_dropped" and u["v3"]["first_contact_at"] is None


def test_article_timeline(open_store):
    tl = engine.query(open_store, "article_timeline", Params(), article_id="X")
    got = [tuple(r) for r in tl[["day", "step", "users"]].itertuples(index=False)]
    assert got == [(0, "joins", 1), (1, "joins", 1), (1, "contacts", 1), (2, "contacts", 1),
                   (4, "payments", 1), (9, "joins", 1), (24, "joins", 1), (35, "contacts", 1)]


def test_article_timeline_sums_to_the_funnel(store):
    arts = rows(engine.articles(store, Params()), "article_id")
    for aid, a in arts.items():
        tl = engine.query(store, "article_timeline", Params(), article_id=aid)
        totals = tl.groupby("step")["users"].sum().to_dict()
        assert totals.get("joins", 0) == a["joins"]
        assert totals.get("contacts", 0) == a["contacted"]
        assert totals.get("payments", 0) == a["paid"]
    tl = engine.query(store, "article_timeline", Params(), article_id="A1")
    # A1 published 01-01 08:00: joins at 26 h and 40 h (day 1), contacts at 50 h (day 2),
    # 73 h and 88 h (day 3), u1's payment at 218 h (day 9)
    got = [tuple(r) for r in tl[["day", "step", "users"]].itertuples(index=False)]
    assert got == [(1, "joins", 3), (2, "contacts", 1), (3, "contacts", 2), (9, "payments", 1)]


# ---- attribution: every model side by side -------------------------------------


def test_attribution_articles_basic(store):
    a = rows(engine.attribution_articles(store, Params()), "article_id")
    assert {k: (r["rev_first_touch"], r["rev_last_touch"], r["rev_linear"], r["rev_position"])
            for k, r in a.items()} == {
        "A1": (400.0, 350.0, 375.0, 375.0), "A2": (0.0, 50.0, 25.0, 25.0),
        "A3": (300.0, 300.0, 300.0, 300.0)}
    # O1's 50 split 2^(-8/7) : 2^(-4/7) between A1 (8 days before) and A2 (4 days before)
    share_a1 = 50 / (1 + 2 ** (4 / 7))
    assert a["A1"]["rev_time_decay"] == round(350 + share_a1, 2) == 370.11
    assert a["A2"]["rev_time_decay"] == round(50 - share_a1, 2) == 29.89
    # payments crediting the article: A1 O1, O2, O3; A2 O1; A3 O4
    assert (a["A1"]["payments"], a["A2"]["payments"], a["A3"]["payments"]) == (3, 1, 1)


def test_attribution_channels_basic(store):
    c = rows(engine.attribution_channels(store, Params()), "channel")
    assert set(c) == {"wechat", "zhihu"}
    for m in MODELS:  # O1 stays inside wechat whatever the model
        assert c["wechat"][f"rev_{m}"] == 400.0 and c["zhihu"][f"rev_{m}"] == 300.0
    assert (c["wechat"]["articles"], c["wechat"]["payments"]) == (2, 3)
    assert (c["zhihu"]["articles"], c["zhihu"]["payments"]) == (1, 1)


def test_attribution_filters_choose_rows_not_splits(store):
    p = Params(channels=("wechat",), date_from=dt.date(2026, 1, 1), date_to=dt.date(2026, 1, 31))
    a = rows(engine.attribution_articles(store, p), "article_id")
    assert set(a) == {"A1", "A2"} and a["A2"]["rev_last_touch"] == 50.0
    c = rows(engine.attribution_channels(store, Params(channels=("zhihu",))), "channel")
    assert set(c) == {"zhihu"} and c["zhihu"]["rev_first_touch"] == 300.0


@pytest.mark.parametrize("params", [Params(), Params(window_days=7), Params(channels=("wechat",)),
                                    Params(date_from=dt.date(2026, 2, 1))])
def test_attribution_equals_the_reports_for_every_model(store, params):
    a = rows(engine.attribution_articles(store, params), "article_id")
    c = rows(engine.attribution_channels(store, params), "channel")
    for m in MODELS:
        p = params.with_(model=m)
        assert {k: r["revenue"] for k, r in rows(engine.articles(store, p), "article_id").items()} == {
            k: r[f"rev_{m}"] for k, r in a.items()}
        assert {k: r["revenue"] for k, r in rows(engine.channels(store, p), "channel").items()} == {
            k: r[f"rev_{m}"] for k, r in c.items()}


# ---- sales: the per-rep funnel --------------------------------------------------------
# Scope: u1 (T0 01-02 10:00), u2 (01-03), u3 (01-03), u4 (02-02); u7 never joined.
# R1: contacts u1 (01-03 10:00, 24 h after T0) and u3 (01-04 09:00, 33 h);
#     u1 paid 01-10 >= R1's contact -> paid; u3's payment (02-02 23:00) is after T0 + 30 d.
#     Payments recorded with R1 in the windows: O1 100, refunded 50 -> revenue 50.
# R2: contacts u2 (01-05, 48 h) and u4 (02-02, 0 h); u2 paid 01-04, BEFORE R2's contact:
#     not paid; u4 paid 03-04 = T0 + 30 d exactly -> paid. Payments: O2 200 + O4 300.


def test_sales_reps_basic(store):
    r = rows(engine.sales_figures(store, Params())["rep"], "rep")
    assert list(r) == ["R2", "R1"]  # by revenue
    r1, r2 = r["R1"], r["R2"]
    assert (r1["users_handled"], r1["contacted"], r1["contacts"], r1["paid"]) == (2, 2, 2, 1)
    assert r1["median_response_hours"] == 28.5
    assert (r1["pay_rate"], r1["pay_rate_lo"], r1["pay_rate_hi"]) == (0.5, 0.0945, 0.9055)
    assert (r1["payments"], r1["gross_revenue"], r1["refunds"], r1["revenue"]) == (1, 100.0, 50.0, 50.0)
    assert (r2["users_handled"], r2["contacted"], r2["contacts"], r2["paid"]) == (2, 2, 2, 1)
    assert r2["median_response_hours"] == 24.0
    assert (r2["payments"], r2["gross_revenue"], r2["refunds"], r2["revenue"]) == (2, 500.0, 0.0, 500.0)


def test_sales_figures_split_into_the_pages_three_tables(store):
    # one query, three levels: each with its columns, counts as plain integers (the long
    # form makes them nullable: NULL on the other levels)
    f = engine.sales_figures(store, Params())
    assert {lv: list(df.columns) for lv, df in f.items()} == engine.SALES_COLUMNS
    assert len(f["total"]) == 1 and len(f["rep"]) == 2 and len(f["week"]) > 0
    for lv, col in (("total", "users_handled"), ("total", "payments"), ("rep", "contacts"),
                    ("rep", "users_handled"), ("week", "contacted")):
        assert str(f[lv][col].dtype) == "int64", (lv, col)


def test_sales_totals_basic(store):
    t = engine.records(engine.sales_figures(store, Params())["total"])[0]
    assert (t["users_handled"], t["contacted"], t["paid"], t["pay_rate"]) == (4, 4, 2, 0.5)
    # first contacts 24, 48, 33 and 0 h after T0: median (24 + 33) / 2
    assert t["median_response_hours"] == 28.5
    assert (t["payments"], t["gross_revenue"], t["refunds"], t["revenue"]) == (3, 600.0, 50.0, 550.0)


def test_sales_reps_channel_filter_and_window(store):
    z = rows(engine.sales_figures(store, Params(channels=("zhihu",)))["rep"], "rep")
    assert list(z) == ["R2"]
    assert (z["R2"]["contacted"], z["R2"]["paid"], z["R2"]["median_response_hours"],
            z["R2"]["revenue"]) == (1, 1, 0.0, 300.0)
    w = rows(engine.sales_figures(store, Params(channels=("wechat",)))["rep"], "rep")
    assert (w["R1"]["paid"], w["R1"]["revenue"]) == (1, 50.0)
    assert (w["R2"]["contacted"], w["R2"]["paid"], w["R2"]["revenue"]) == (1, 0, 200.0)
    # 7 days: u1's payment (8 days after T0) and u4's (30 days) fall outside
    s = rows(engine.sales_figures(store, Params(window_days=7))["rep"], "rep")
    assert (s["R1"]["paid"], s["R1"]["revenue"], s["R1"]["users_handled"]) == (0, 0.0, 2)
    assert (s["R2"]["paid"], s["R2"]["revenue"], s["R2"]["payments"]) == (0, 200.0, 1)
    t = engine.records(engine.sales_figures(store, Params(window_days=7))["total"])[0]
    assert (t["paid"], t["revenue"]) == (0, 200.0)


def test_sales_payment_without_rep():
    # u3 also pays 80 on 01-20 with no rep recorded: inside u3's window, after R1's contact
    sales = BASIC_SALES + [("u3", "payment", "2026-01-20 00:00", None, 80, "O8")]
    s = make_store(BASIC_ARTICLES, BASIC_JOINS, sales)
    r = rows(engine.sales_figures(s, Params())["rep"], "rep")
    assert r["R1"]["paid"] == 2 and r["R1"]["revenue"] == 50.0  # paid counts whoever recorded it
    none = r[None]
    assert (none["users_handled"], none["contacted"], none["paid"], none["revenue"]) == (1, 0, 0, 80.0)
    assert none["pay_rate"] is None and none["median_response_hours"] is None
    t = engine.records(engine.sales_figures(s, Params())["total"])[0]
    assert (t["paid"], t["revenue"], t["users_handled"]) == (3, 630.0, 4)


def test_sales_weekly_basic(store):
    wk = engine.sales_figures(store, Params())["week"]
    got = [(r.rep, f"{r.week:%Y-%m-%d}", r.contacted, r.paid, r.revenue) for r in wk.itertuples()]
    # weeks start on Monday: 2025-12-29, 2026-01-05, 2026-02-02, 2026-03-02
    assert got == [
        ("R1", "2025-12-29", 2, 0, 0.0), ("R2", "2025-12-29", 0, 0, 200.0),
        ("R1", "2026-01-05", 0, 1, 50.0), ("R2", "2026-01-05", 1, 0, 0.0),
        ("R2", "2026-02-02", 1, 0, 0.0), ("R2", "2026-03-02", 0, 1, 300.0),
    ]


def test_sales_weekly_sums_to_reps(sample_db, tmp_path):
    import shutil

    from contentroi.store import Store

    shutil.copy(sample_db, tmp_path / "s.duckdb")  # the app may hold sample_db open read-only
    s = Store(tmp_path / "s.duckdb")
    p = Params(channels=("wechat", "zhihu"))
    reps = engine.sales_figures(s, p)["rep"].fillna({"rep": "-"}).set_index("rep")
    wk = (engine.sales_figures(s, p)["week"].fillna({"rep": "-"})
          .groupby("rep")[["contacted", "paid", "revenue"]].sum())
    assert set(reps.index) == set(wk.index) and "-" in reps.index  # the sample has rep-less payments
    for rep, r in reps.iterrows():
        w = wk.loc[rep]
        assert (w["contacted"], w["paid"]) == (r["contacted"], r["paid"])
        assert round(w["revenue"], 2) == r["revenue"]

