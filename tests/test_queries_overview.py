"""The overview / channels queries pinned on tiny worlds worked out by hand.

The trend world (window 30 days, first touch):

  W1 wechat published Mon 03-02 (reads 100, cost 10)   Z1 zhihu Wed 03-04 (reads 50, cost 5)
  W2 wechat published Mon 03-09 (reads 200, cost 0)

  u1 joins W1 Tue 03-03 10:00 and W2 03-10 10:00; contact 03-04, payment O1 100 on 03-05
     -> W1: contacted, paid. W2: t0 03-10 is after the contact and the payment -> neither.
  u2 joins W1 Sun 03-08 23:00 (still ISO week 03-02); nothing else.
  u3 joins W1 Mon 03-09 00:00 (week 03-09); contact 03-10 -> contacted.
  u4 joins Z1 03-05; contact 03-06, payment O4 50 on 03-07 -> contacted, paid.
  u5 joins W2 03-20 (week 03-16); payment O5 80 on 03-21, no contact -> paid without contact.
  u9 never joins; a contact on 04-20 12:00 is the last moment of the data.

First-touch revenue: O1 -> W1 (touch 03-03; u1's W2 touch is after the payment),
O4 -> Z1 (03-05), O5 -> W2 (03-20).
"""
from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import pytest

from contentroi import engine, race, sql
from contentroi.engine import Params

from .worlds import make_store

D = dt.date

ARTICLES = [
    ("W1", "Wechat one", "wechat", "2026-03-02 08:00", "Li", 100, 10),
    ("W2", "Wechat two", "wechat", "2026-03-09 08:00", "Li", 200, 0),
    ("Z1", "Zhihu one", "zhihu", "2026-03-04 08:00", None, 50, 5),
]
JOINS = [
    ("u1", "2026-03-03 10:00", "W1", "g1"),
    ("u1", "2026-03-10 10:00", "W2", "g1"),
    ("u2", "2026-03-08 23:00", "W1", "g1"),
    ("u3", "2026-03-09 00:00", "W1", "g2"),
    ("u4", "2026-03-05 00:00", "Z1", "g3"),
    ("u5", "2026-03-20 00:00", "W2", "g1"),
]
SALES = [
    ("u1", "contact", "2026-03-04 09:00", "R1", None, None),
    ("u1", "payment", "2026-03-05 09:00", "R1", 100, "O1"),
    ("u3", "contact", "2026-03-10 09:00", "R1", None, None),
    ("u4", "contact", "2026-03-06 09:00", "R2", None, None),
    ("u4", "payment", "2026-03-07 09:00", "R2", 50, "O4"),
    ("u5", "payment", "2026-03-21 00:00", "R2", 80, "O5"),
    ("u9", "contact", "2026-04-20 12:00", "R2", None, None),
]


@pytest.fixture(scope="module")
def store():
    s = make_store(ARTICLES, JOINS, SALES)
    yield s
    s.close()


def run(store, name, params=Params(), **extra):
    return engine.query(store, name, params, **extra)


def _v(v):
    v = engine.clean_value(v)
    return v[:10] if isinstance(v, str) and v.endswith(" 00:00:00") else v


def rows(df, *cols):
    return [tuple(_v(v) for v in r) for r in df[list(cols)].itertuples(index=False)]


# ---------------------------------------------------------------------------
# weekly trend
# ---------------------------------------------------------------------------


def test_trend_weekly_by_first_touch_week(store):
    df = run(store, "trend_weekly")
    assert rows(df, "week", "reads", "joins", "contacted", "paid", "revenue", "cost") == [
        ("2026-03-02", 150, 3, 2, 2, 150.0, 15.0),   # u1, u2 (Sunday 23:00), u4; W1 + Z1 published
        ("2026-03-09", 200, 1, 1, 0, 0.0, 0.0),      # u3 (Monday 00:00); W2 published
        ("2026-03-16", 0, 1, 0, 0, 80.0, 0.0),       # u5; O5 credited to the 03-20 touch
    ]
    assert rows(df, "contact_rate", "pay_rate", "overall_rate") == [
        (0.6667, 1.0, 0.6667), (1.0, 0.0, 0.0), (0.0, None, 0.0)]  # pay rate of 0 contacted: null
    # week + 7 + 30 days against the last moment 04-20 12:00
    assert df["maturing"].tolist() == [False, False, True]


def test_trend_weeks_add_up_to_totals(store):
    for p in (Params(), Params(channels=("wechat",)), Params(window_days=2)):
        df = run(store, "trend_weekly", p)
        tot = engine.totals(store, p)
        for m in ("reads", "joins", "contacted", "paid"):
            assert df[m].sum() == tot[m], (p, m)
        assert round(df["revenue"].sum(), 2) == tot["revenue"]


def test_trend_weekly_period_counts_first_touch_on_a_selected_article(store):
    # only W2 is selected: u1's week is that of the W2 join (03-10), not of W1 (03-03)
    df = run(store, "trend_weekly", Params(date_from=D(2026, 3, 9), date_to=D(2026, 3, 15)))
    assert rows(df, "week", "reads", "joins", "contacted", "paid", "revenue") == [
        ("2026-03-09", 200, 1, 0, 0, 0.0),
        ("2026-03-16", 0, 1, 0, 0, 80.0),
    ]


def test_trend_weekly_empty_selection(store):
    assert run(store, "trend_weekly", Params(date_from=D(2025, 1, 1), date_to=D(2025, 1, 2))).empty


def test_trend_channels_weekly(store):
    df = run(store, "trend_channels_weekly")
    assert rows(df, "channel", "week", "reads", "joins", "contacted", "paid", "revenue", "overall_rate") == [
        ("wechat", "2026-03-02", 100, 2, 1, 1, 100.0, 0.5),
        ("wechat", "2026-03-09", 200, 1, 1, 0, 0.0, 0.0),
        ("wechat", "2026-03-16", 0, 1, 0, 0, 80.0, 0.0),
        ("zhihu", "2026-03-02", 50, 1, 1, 1, 50.0, 1.0),
        ("zhihu", "2026-03-09", 0, 0, 0, 0, 0.0, None),   # gaps filled; no users: rate null
        ("zhihu", "2026-03-16", 0, 0, 0, 0, 0.0, None),
    ]
    ch = engine.channels(store, Params()).set_index("channel")
    sums = df.groupby("channel")[["reads", "joins", "contacted", "paid", "revenue"]].sum()
    for c in ch.index:
        for m in ("reads", "joins", "contacted", "paid", "revenue"):
            assert sums.loc[c, m] == ch.loc[c, m], (c, m)


# ---------------------------------------------------------------------------
# comparison windows
# ---------------------------------------------------------------------------


def compare(store, **kw):
    p = Params(**kw)
    return rows(run(store, "overview_compare", p), "basis", "cur_from", "cur_to", "prev_from", "prev_to")[0]


def test_compare_with_a_period_is_params_previous(store):
    p = Params(date_from=D(2026, 3, 9), date_to=D(2026, 3, 15))
    prev = p.previous()
    assert compare(store, date_from=p.date_from, date_to=p.date_to) == (
        "period", "2026-03-09", "2026-03-15", prev.date_from.isoformat(), prev.date_to.isoformat())
    assert compare(store, date_from=D(2026, 10, 1), date_to=D(2026, 10, 31)) == (
        "period", "2026-10-01", "2026-10-31", "2026-08-31", "2026-09-30")


def test_compare_without_enough_history(store):
    # data from 03-02 to 04-20: not 8 complete weeks before the last Sunday
    assert compare(store) == ("none", None, None, None, None)
    assert compare(store, date_from=D(2026, 3, 2))[0] == "none"  # half a period is no period


def test_compare_last_complete_weeks():
    s = make_store(
        [("A", "a", "wechat", "2026-01-05 08:00", None, 10, 1)],
        [("u1", "2026-01-06 00:00", "A", None)],
        [("u1", "contact", "2026-04-01 12:00", None, None, None)],  # last moment: Wed 04-01 12:00
    )
    try:
        # W=30: a week is complete when Sunday + 1 day + 30 days <= 04-01 12:00 -> Sunday 03-01
        assert compare(s) == ("weeks_mature", "2026-02-02", "2026-03-01", "2026-01-05", "2026-02-01")
        # W=60: the matured 8 weeks would start before the first article -> calendar weeks:
        # the last Sunday before 04-01 is 03-29
        assert compare(s, window_days=60) == ("weeks", "2026-03-02", "2026-03-29", "2026-02-02", "2026-03-01")
    finally:
        s.close()


# ---------------------------------------------------------------------------
# biggest drops
# ---------------------------------------------------------------------------

WIN = dict(cur_from=D(2026, 3, 9), cur_to=D(2026, 3, 15), prev_from=D(2026, 3, 2), prev_to=D(2026, 3, 8))


def test_drops(store):
    # prev: W1 + Z1 published; wechat = W1: reads 100, joins u1 u2 u3 = 3, contacted u1 u3 = 2, paid u1 = 1
    # cur: W2; wechat reads 200, joins u1 u5 = 2, contacted 0, paid 0 (pay rate 0/0: null, not compared)
    # zhihu has no article in the current window: no comparison.
    df = run(store, "overview_drops", **WIN, min_n=2)
    assert rows(df, "channel", "stage", "rate_cur", "rate_prev", "n_cur", "n_prev", "num_cur", "num_prev",
                "change", "change_pp", "shortfall") == [
        ("wechat", "contact_rate", 0.0, 0.6667, 2, 3, 0, 2, -1.0, -0.6667, 1),      # 2/3 * 2 = 1.33
        ("wechat", "join_rate", 0.01, 0.03, 200, 100, 2, 3, -0.6667, -0.02, 4),    # 0.02 * 200
    ]


def test_drops_ignore_small_denominators(store):
    df = run(store, "overview_drops", **WIN, min_n=3)  # contact rate: 2 joins now < 3
    assert df["stage"].tolist() == ["join_rate"]
    assert run(store, "overview_drops", **WIN, min_n=150).empty  # 100 reads before


def test_drops_only_fall(store):
    # the other way round every rate rose: nothing narrowed
    swapped = dict(cur_from=WIN["prev_from"], cur_to=WIN["prev_to"], prev_from=WIN["cur_from"],
                   prev_to=WIN["cur_to"])
    assert run(store, "overview_drops", **swapped, min_n=2).empty


def test_drops_channel_filter(store):
    assert run(store, "overview_drops", Params(channels=("zhihu",)), **WIN, min_n=1).empty


# ---------------------------------------------------------------------------
# ranking race
# ---------------------------------------------------------------------------


def race_rows(store, level, metric, min_joins=1, params=Params()):
    df = run(store, "channel_race", params, **WIN, level=level, metric=metric, min_joins=min_joins, top=None)
    return rows(df, "entity", "value", "value_prev", "growth", "rank", "rank_prev", "rank_change", "is_new",
                "growth_rank", "n", "n_prev")


def test_race_articles_by_joins(store):
    # first touches dated in the window, whatever the publish date:
    #   prev 03-02..03-08: W1 {u1 03-03, u2 03-08}, Z1 {u4}.   cur 03-09..03-15: W1 {u3}, W2 {u1 03-10}
    # a tie (W1 = W2 = 1 now) is broken by id
    assert race_rows(store, "article", "joins") == [
        ("W1", 1.0, 2.0, -0.5, 1, 1, 0, False, 1, 1, 2),
        ("W2", 1.0, None, None, 2, None, None, True, 2, 1, 0),
        ("Z1", None, 1.0, None, None, 2, None, False, None, 0, 1),   # out of the ranking
    ]
    df = run(store, "channel_race", **WIN, level="article", metric="joins", min_joins=1, top=None)
    assert df.set_index("entity").loc["W2", "title"] == "Wechat two"


def test_race_channels_by_paid_and_revenue(store):
    # paid: prev wechat u1 (W1), zhihu u4; now nobody -> both out
    assert race_rows(store, "channel", "paid") == [
        ("wechat", None, 1.0, None, None, 1, None, False, None, 2, 2),
        ("zhihu", None, 1.0, None, None, 2, None, False, None, 0, 1),
    ]
    # revenue by the date of the credited touch: O1 (W1 03-03) 100 and O4 (Z1 03-05) 50 before,
    # O5's touch (03-20) is in neither window
    got = race_rows(store, "channel", "revenue")
    assert [(r[0], r[2], r[5]) for r in got] == [("wechat", 100.0, 1), ("zhihu", 50.0, 2)]


def test_race_overall_rate_needs_min_users(store):
    # wechat: 2 users now, 0 paid -> 0.0; before 2 users, 1 paid -> 0.5. zhihu: 1 user before only.
    assert race_rows(store, "channel", "overall_rate", min_joins=2) == [
        ("wechat", 0.0, 0.5, -1.0, 1, 1, 0, False, 1, 2, 2)]
    assert [r[0] for r in race_rows(store, "channel", "overall_rate", min_joins=1)] == ["wechat", "zhihu"]


def test_race_channel_filter(store):
    assert [r[0] for r in race_rows(store, "article", "joins", params=Params(channels=("zhihu",)))] == ["Z1"]


def test_movement_labels():
    assert race.movement(1, 3) == "▲2"
    assert race.movement(4, 3) == "▼1"
    assert race.movement(2, 2) == "="
    assert race.movement(2, None, new="new") == "new"
    assert race.movement(float("nan"), 1, out="out") == "out"
    assert race.movement(pd.NA, pd.NA) == "out"


def test_pick_orders_by_value_or_growth(store):
    df = run(store, "channel_race", **WIN, level="article", metric="joins", min_joins=1, top=None)
    assert race.pick(df, "value", top=10)["entity"].tolist() == ["W1", "W2"]
    assert race.pick(df, "growth", top=1)["entity"].tolist() == ["W1"]
    assert race.pick(df, "value")["entity"].tolist() == ["W1", "W2", "Z1"]  # channels: the fallen follow
    t = race.table_frame(race.pick(df, "value"), "joins", "article")
    assert t["move"].tolist() == ["=", "new", "out"]
    assert str(t["joins"].dtype) == "Int64" and "joins_prev" in t.columns


def test_queries_bind_only_params(store):
    # every new query runs from bound parameters only (no formatting into the text)
    for name in ("trend_weekly", "trend_channels_weekly", "overview_compare", "overview_drops", "channel_race"):
        text, needed = sql.load_sql(name)
        assert "{" not in text and "%s" not in text
        assert needed <= set(Params().bind()) | {"cur_from", "cur_to", "prev_from", "prev_to", "min_n",
                                                 "level", "metric", "min_joins", "top"}


def test_identifiers_only_from_an_allow_list_and_quoted():
    """sql.ident: the one way a table or column name enters SQL text (refresh, export)."""
    from contentroi import refresh

    assert sql.ident("joins", ("joins", "sales")) == '"joins"'
    assert sql.ident('a"b', {'a"b'}) == '"a""b"'  # allowed, and still only a name
    for bad in ("articles", "joins; DROP TABLE sales", "", None):
        with pytest.raises(sql.QueryError):
            sql.ident(bad, ("joins", "sales"))
    with pytest.raises(sql.QueryError):
        sql.ident("x\x00", {"x\x00"})
    from contentroi import overlay

    # where a statement writes a log's rows: the quoted table, or its delta's (overlay.py)
    assert all("{target}" in s for s in refresh._ROW_ID_SQL.values())
    assert overlay.target(duckdb.connect(), "joins") == '"joins"'
    assert overlay.target(duckdb.connect(), "sales", delta=True) == 'ov."sales"'
    with pytest.raises(sql.QueryError):
        overlay.target(duckdb.connect(), "joins; DROP TABLE sales")
    name = 'a"b'
    duck = duckdb.connect()
    duck.execute('CREATE TABLE "a""b" (x INT)')
    duck.execute("INSERT INTO " + sql.ident(name, {name}) + " VALUES (1)")
    assert duck.execute('SELECT x FROM "a""b"').fetchall() == [(1,)]


@pytest.mark.parametrize("model", ["linear", "first_touch"])
def test_race_revenue_is_the_touches_dated_in_each_window(sample_store, model):
    """The race's revenue per channel and window (channel_race: dated_in on touched_at)
    equals the attributed revenue of the touches whose day is in the window, summed here
    from fct_revenue's rows by their dates; windows of four weeks ending on the last and
    on a middle day of the sample, each day's touches in exactly one window."""
    cur = sample_store.cursor()
    rev = pd.DataFrame(cur.execute("SELECT channel, CAST(touched_at AS DATE) AS day, revenue "
                                   "FROM fct_revenue(30, $m)", {"m": model}).fetchall(),
                       columns=["channel", "day", "revenue"])
    days = sorted(rev["day"].unique())
    checked = 0
    for end in (days[-1], days[len(days) // 2]):
        win = {"cur_from": end - dt.timedelta(days=27), "cur_to": end,
               "prev_from": end - dt.timedelta(days=55), "prev_to": end - dt.timedelta(days=28)}
        df = run(sample_store, "channel_race", Params(model=model), **win, level="channel", metric="revenue",
                 min_joins=1, top=None)
        for w, col in (("cur", "value"), ("prev", "value_prev")):
            inside = rev[(rev["day"] >= win[f"{w}_from"]) & (rev["day"] <= win[f"{w}_to"])]
            want = inside.groupby("channel")["revenue"].sum().astype(float).round(2)
            got = df.set_index("entity")[col].dropna()
            assert got.to_dict() == pytest.approx(want[want > 0].to_dict(), abs=0.005), (end, w)
            checked += len(got)
    assert checked >= 8
