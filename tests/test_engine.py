"""CONTRACT §2 pinned on small worlds whose every number was worked out by hand.

The basic world (tests/worlds.py), window 30 days:

A1 wechat (reads 1000, cost 100): touches u1 01-02 10:00, u2 01-03, u3 01-03 and 01-04.
  u1: contact 01-03, payment 01-10 (O1 100, refund 50)  -> contacted, paid, 8.0 days
  u2: payment 01-04 BEFORE contact 01-05                -> contacted, paid_without_contact
  u3: contact 01-04, payment 02-02 23:00 > t0 + 30 d     -> contacted only
A2 wechat (reads 0, cost 0): u1 touches 01-06 10:00; u1's contact (01-03) is before t0,
  so not contacted; the payment 01-10 is inside the window -> paid_without_contact.
A3 zhihu (no reads, no cost): u4 touch 02-02 00:00, contact at t0, payment exactly
  t0 + 30 days (03-04 00:00): both boundaries inclusive -> paid, 30.0 days.
u5 joins with no article (organic), u6 names an unknown article: neither is a touch.
u7 pays 70 and never joined: unattributed. A refund of 10 names the unknown order O9.

Revenue (per payment, net of its order's refunds):
  O1 net 50, u1's eligible touches A1 (8 d before) and A2 (4 d before)
  O2 200 -> A1 (one touch);  O3 150 -> only u3's 01-04 touch on A1 is within 30 d;
  O4 300 -> A3 (exactly 30 d: eligible);  O7 70 -> unattributed.
"""
from __future__ import annotations

import datetime as dt
import math

import pytest

from contentroi import engine
from contentroi.engine import Params

from .worlds import basic_store, make_store


@pytest.fixture(scope="module")
def store():
    s = basic_store()
    yield s
    s.close()


def by_id(df, key="article_id"):
    return {r[key]: r for r in engine.records(df)}


def test_article_funnel_counts(store):
    arts = by_id(engine.articles(store, Params()))
    a1, a2, a3 = arts["A1"], arts["A2"], arts["A3"]
    assert (a1["joins"], a1["contacted"], a1["paid"], a1["paid_without_contact"]) == (3, 3, 1, 1)
    assert (a2["joins"], a2["contacted"], a2["paid"], a2["paid_without_contact"]) == (1, 0, 0, 1)
    assert (a3["joins"], a3["contacted"], a3["paid"], a3["paid_without_contact"]) == (1, 1, 1, 0)
    assert a1["median_days_to_pay"] == 8.0
    assert a3["median_days_to_pay"] == 30.0  # the window's end is inclusive
    assert a2["median_days_to_pay"] is None


def test_rates_and_nulls(store):
    arts = by_id(engine.articles(store, Params()))
    a1, a2, a3 = arts["A1"], arts["A2"], arts["A3"]
    assert a1["join_rate"] == 0.003
    assert a1["contact_rate"] == 1.0
    assert a1["pay_rate"] == 0.3333
    assert a1["overall_rate"] == 0.3333
    assert a1["roi"] == 3.0 and a1["cost_per_paid"] == 100.0
    # reads 0 -> join_rate null; no contacts -> pay_rate null; cost 0 -> roi null
    assert a2["join_rate"] is None
    assert a2["contact_rate"] == 0.0
    assert a2["pay_rate"] is None
    assert a2["roi"] is None and a2["cost_per_paid"] is None
    # reads and cost unknown -> null, never 0
    assert a3["join_rate"] is None and a3["roi"] is None and a3["cost"] is None


@pytest.mark.parametrize(
    "model, expected",
    [
        ("first_touch", {"A1": 400.0, "A2": 0.0, "A3": 300.0}),
        ("last_touch", {"A1": 350.0, "A2": 50.0, "A3": 300.0}),
        ("linear", {"A1": 375.0, "A2": 25.0, "A3": 300.0}),
        ("position", {"A1": 375.0, "A2": 25.0, "A3": 300.0}),
        # O1's 50 split 2^(-8/7) : 2^(-4/7)
        ("time_decay", {"A1": round(350 + 50 / (1 + 2 ** (4 / 7)), 2),
                        "A2": round(50 - 50 / (1 + 2 ** (4 / 7)), 2), "A3": 300.0}),
    ],
)
def test_revenue_per_model(store, model, expected):
    arts = by_id(engine.articles(store, Params(model=model)))
    assert {k: arts[k]["revenue"] for k in expected} == expected


def test_channels_count_distinct_users(store):
    ch = by_id(engine.channels(store, Params()), "channel")
    wc = ch["wechat"]
    # u1 is reached by A1 and A2: once in the channel
    assert (wc["joins"], wc["contacted"], wc["paid"], wc["paid_without_contact"]) == (3, 3, 1, 1)
    assert (wc["reads"], wc["cost"], wc["revenue"], wc["roi"]) == (1000, 100.0, 400.0, 3.0)
    assert wc["join_rate"] == 0.003 and wc["pay_rate"] == 0.3333
    zh = ch["zhihu"]
    assert (zh["joins"], zh["paid"], zh["revenue"]) == (1, 1, 300.0)
    assert zh["reads"] is None and zh["join_rate"] is None and zh["roi"] is None


def test_totals(store):
    t = engine.totals(store, Params())
    assert (t["joins"], t["contacted"], t["paid"], t["paid_without_contact"]) == (4, 4, 2, 1)
    assert t["revenue"] == 700.0
    assert t["unattributed_revenue"] == 70.0
    assert (t["reads"], t["cost"], t["roi"]) == (1000, 100.0, 6.0)
    assert (t["join_rate"], t["contact_rate"], t["pay_rate"], t["overall_rate"]) == (0.004, 1.0, 0.5, 0.5)


def test_period_selects_articles_not_credit(store):
    p = Params(date_from=dt.date(2026, 1, 1), date_to=dt.date(2026, 1, 31), model="last_touch")
    arts = by_id(engine.articles(store, p))
    assert set(arts) == {"A1", "A2"}
    assert arts["A1"]["revenue"] == 350.0 and arts["A2"]["revenue"] == 50.0
    t = engine.totals(store, p)
    assert t["revenue"] == 400.0
    # unattributed: payments dated in [from, to + W] = [01-01, 03-02]: O7 (01-20)
    assert t["unattributed_revenue"] == 70.0
    feb = engine.totals(store, Params(date_from=dt.date(2026, 2, 1), date_to=dt.date(2026, 2, 28)))
    assert feb["revenue"] == 300.0 and feb["unattributed_revenue"] == 0.0


def test_channel_filter_shows_but_does_not_resplit(store):
    p = Params(channels=("wechat",), model="linear")
    arts = by_id(engine.articles(store, p))
    assert set(arts) == {"A1", "A2"}
    assert arts["A2"]["revenue"] == 25.0  # the same split as unfiltered
    t = engine.totals(store, Params(channels=("zhihu",)))
    assert t["revenue"] == 300.0
    assert t["unattributed_revenue"] == 70.0  # whatever the channel filter


def test_window_changes_funnel(store):
    # With 7 days, u1's payment (8 days after the A1 touch) is outside A1's window
    arts = by_id(engine.articles(store, Params(window_days=7)))
    assert arts["A1"]["paid"] == 0
    assert arts["A1"]["revenue"] == 200.0  # only O2 is within 7 days of an A1 touch
    assert arts["A2"]["revenue"] == 50.0  # O1 is 4 days after the A2 touch
    # O3 (150: u3's touches are 29 and 30 days before), O4 (300: 30 days) and O7 (70)
    assert engine.totals(store, Params(window_days=7))["unattributed_revenue"] == 520.0


@pytest.mark.parametrize("window", [0, 1, 2, 7, 30, 89, 365])
def test_unattributed_money_sums_fct_unattributed(sample_store, window):
    """unattributed_paid (every payment dated in [d0, d1] less those with an eligible
    touch; the digest's) and unattributed_money (the tiles': [from, to + W]) equal
    fct_unattributed's rows summed (its anti join over every payment's touches), for every
    period (NULL, no payment dated there, and 0, every one of them attributed, both read
    as 0; a bound on the day of a payment is inside)."""
    cur = sample_store.cursor()
    # (the sample's payments: May to October 2026)
    days = [r[0] for r in cur.execute("SELECT DISTINCT CAST(paid_at AS DATE) FROM stg_payments "
                                      "ORDER BY 1 LIMIT 3 OFFSET 40").fetchall()]
    periods = [(None, None), ("2026-07-01", None), (None, "2026-06-15"), ("2026-08-01", "2026-08-31"),
               (None, "2026-04-30"), ("2030-01-01", None), (str(days[0]), str(days[0])),
               (str(days[1]), str(days[2]))]
    checked = 0
    for lo, hi in periods:
        lo_d = dt.date.fromisoformat(lo) if lo else dt.date.min
        hi_d = dt.date.fromisoformat(hi) if hi else dt.date.max
        rows = cur.execute("SELECT CAST(paid_at AS DATE), net_amount FROM fct_unattributed($w)",
                           {"w": window}).fetchall()
        p = {"w": window, "lo": lo, "hi": hi}
        got = cur.execute("SELECT coalesce(unattributed_paid($w, $lo, $hi), 0)", p).fetchone()[0]
        assert got == sum((a for d, a in rows if lo_d <= d <= hi_d), 0), ("paid", window, lo, hi)
        hi_w = hi_d + dt.timedelta(days=window) if hi else dt.date.max
        got = cur.execute("SELECT coalesce(unattributed_money($w, $lo, $hi), 0)", p).fetchone()[0]
        want = sum((a for d, a in rows if lo_d <= d <= hi_w), 0)
        assert got == want, ("money", window, lo, hi)
        checked += bool(want)
    assert checked >= 3
    assert cur.execute("SELECT unattributed_money($w, NULL, NULL)", {"w": window}).fetchone()[0] > 0


def test_a_payment_is_dated_in_a_period_to_the_microsecond():
    """dated_in (a range of timestamps, so that DuckDB skips row groups) keeps a
    payment at 00:00:00 of the first day and at 23:59:59.999999 of the last, and leaves out
    the microsecond before and midnight after: for the digest's attributed revenue
    (dg_revenue, u1 joined before) and for the unattributed (u2 never joined)."""
    arts = [("A", "a", "wechat", "2026-03-01 08:00:00", None, 10, 1)]
    joins = [("u1", "2026-03-01 09:00:00", "A", "g")]
    times = {"2026-03-08 23:59:59.999999": 1, "2026-03-09 00:00:00": 10,
             "2026-03-15 23:59:59.999999": 100, "2026-03-16 00:00:00": 1000}
    sales = [(u, "payment", t, "R", amount * (1 if u == "u1" else 7), f"O-{u}-{amount}")
             for u in ("u1", "u2") for t, amount in times.items()]
    s = make_store(arts, joins, sales)
    cur = s.cursor()
    week = {"d0": dt.date(2026, 3, 9), "d1": dt.date(2026, 3, 15)}
    got = cur.execute("SELECT sum(revenue) FROM dg_revenue(30, 'linear', $d0, $d1, [])", week).fetchone()[0]
    assert got == 110
    assert cur.execute("SELECT unattributed_paid(30, $d0, $d1)", week).fetchone()[0] == 7 * 110
    assert cur.execute("SELECT unattributed_paid(30, $d0, NULL)", {"d0": week["d0"]}).fetchone()[0] == 7 * 1110
    assert cur.execute("SELECT unattributed_paid(30, NULL, $d1)", {"d1": week["d1"]}).fetchone()[0] == 7 * 111


def test_empty_store_is_zero_and_null():
    s = make_store()
    t = engine.totals(s, Params())
    assert t["joins"] == 0 and t["revenue"] == 0.0 and t["unattributed_revenue"] == 0.0
    assert t["join_rate"] is None and t["roi"] is None
    assert engine.articles(s, Params()).empty


# ---- multi-touch splits -----------------------------------------------------



def four_touch_store(n):
    arts = [(f"B{i}", f"B{i}", "weibo", "2026-03-01 00:00", None, 100, 10) for i in range(1, 5)]
    joins = [("v", f"2026-03-0{i + 1} 00:00", f"B{i}") for i in range(1, n + 1)]
    sales = [("v", "payment", "2026-03-11 00:00", "R", 1000, "P1")]
    return make_store(arts, joins, sales)


@pytest.mark.parametrize(
    "n, model, expected",
    [
        (1, "first_touch", [1000]), (1, "last_touch", [1000]), (1, "linear", [1000]),
        (1, "position", [1000]), (1, "time_decay", [1000]),
        (2, "first_touch", [1000, 0]), (2, "last_touch", [0, 1000]), (2, "linear", [500, 500]),
        (2, "position", [500, 500]),
        (4, "first_touch", [1000, 0, 0, 0]), (4, "last_touch", [0, 0, 0, 1000]),
        (4, "linear", [250, 250, 250, 250]), (4, "position", [400, 100, 100, 400]),
    ],
)
def test_model_splits(n, model, expected):
    s = four_touch_store(n)
    arts = by_id(engine.articles(s, Params(model=model)))
    assert [arts[f"B{i}"]["revenue"] for i in range(1, n + 1)] == expected


@pytest.mark.parametrize("n", [2, 4])
def test_time_decay_split(n):
    s = four_touch_store(n)
    arts = by_id(engine.articles(s, Params(model="time_decay")))
    # touch i is at day i+1 of March, payment at day 11: age 10 - i days
    w = [2 ** (-(10 - i) / 7) for i in range(1, n + 1)]
    expected = [round(1000 * x / sum(w), 2) for x in w]
    assert [arts[f"B{i}"]["revenue"] for i in range(1, n + 1)] == expected
    assert math.isclose(sum(expected), 1000, abs_tol=0.02)


def test_equal_times_ordered_by_article_id():
    arts = [("B2", "b2", "weibo", "2026-03-01 00:00", None, 1, 1),
            ("B1", "b1", "weibo", "2026-03-01 00:00", None, 1, 1)]
    joins = [("v", "2026-03-02 00:00", "B2"), ("v", "2026-03-02 00:00", "B1")]
    sales = [("v", "payment", "2026-03-03 00:00", "R", 90, "P")]
    s = make_store(arts, joins, sales)
    first = by_id(engine.articles(s, Params(model="first_touch")))
    last = by_id(engine.articles(s, Params(model="last_touch")))
    assert (first["B1"]["revenue"], first["B2"]["revenue"]) == (90.0, 0.0)
    assert (last["B1"]["revenue"], last["B2"]["revenue"]) == (0.0, 90.0)


def test_two_joins_through_one_article_are_two_touches():
    arts = [("C1", "c1", "douyin", "2026-03-01 00:00", None, 1, 1),
            ("C2", "c2", "douyin", "2026-03-01 00:00", None, 1, 1)]
    # C1 twice, then C2: linear gives C1 two thirds
    joins = [("v", "2026-03-02 00:00", "C1"), ("v", "2026-03-03 00:00", "C1"), ("v", "2026-03-04 00:00", "C2")]
    sales = [("v", "payment", "2026-03-05 00:00", "R", 300, "P")]
    s = make_store(arts, joins, sales)
    arts_ = by_id(engine.articles(s, Params(model="linear")))
    assert (arts_["C1"]["revenue"], arts_["C2"]["revenue"]) == (200.0, 100.0)
    assert arts_["C1"]["joins"] == 1  # but one user
    pos = by_id(engine.articles(s, Params(model="position")))
    assert (pos["C1"]["revenue"], pos["C2"]["revenue"]) == (180.0, 120.0)  # 40% + 20% / 40%


def test_refunds_with_and_without_known_order(store):
    # O1's refund of 50 is taken off in the same shares; O9's refund changes nothing
    t = engine.totals(store, Params(model="linear"))
    assert t["revenue"] == 700.0


def test_refund_reduces_each_share():
    arts = [("D1", "d1", "zhihu", "2026-03-01 00:00", None, 1, 1),
            ("D2", "d2", "zhihu", "2026-03-01 00:00", None, 1, 1)]
    joins = [("v", "2026-03-02 00:00", "D1"), ("v", "2026-03-03 00:00", "D2")]
    sales = [("v", "payment", "2026-03-05 00:00", "R", 1000, "P"),
             ("v", "refund", "2026-03-20 00:00", "R", 400, "P")]
    s = make_store(arts, joins, sales)
    lin = by_id(engine.articles(s, Params(model="linear")))
    assert (lin["D1"]["revenue"], lin["D2"]["revenue"]) == (300.0, 300.0)


def test_records_write_times_as_clean_value_does():
    """records() formats a datetime column with numpy (whole seconds) and the datetime
    (the rest): the same text as clean_value of each value, NaT as None."""
    import pandas as pd

    from contentroi.engine import clean_value, records

    vals = pd.Series(pd.to_datetime(["2026-05-01 10:00:00", None, "2026-05-01 10:00:00.123456",
                                     "1999-12-31 23:59:59", "2026-05-01 10:00:00.000001",
                                     "0999-01-02 03:04:05"], format="ISO8601"))
    for unit in ("s", "ms", "us", "ns"):
        col = vals.astype(f"datetime64[{unit}]") if unit != "ns" else vals.iloc[:5].astype("datetime64[ns]")
        got = [r["t"] for r in records(pd.DataFrame({"t": col}))]
        assert got == [clean_value(v) for v in col], unit
    assert got[:3] == ["2026-05-01 10:00:00", None, "2026-05-01 10:00:00.123456"]


def test_the_sales_t0_row_of_a_tie_is_the_smaller_article():
    """A multi-article user's T0 row on the Sales page (27_sales_scope.sql): of the
    selected rows, the one with the earliest t0; two with the same t0, the smaller
    article_id (as the cohorts break the tie), whatever order the rows were stored in:
    fct_user_article.t0_rank is that order."""
    s = make_store(
        articles=[("B9", "b", "wechat", "2026-01-01 08:00", None, 1, 1),
                  ("A5", "a", "weibo", "2026-01-01 08:00", None, 1, 1),
                  ("C1", "c", "zhihu", "2026-01-01 08:00", None, 1, 1)],
        joins=[("u1", "2026-01-02 10:00", "B9", "g"), ("u1", "2026-01-02 10:00", "A5", "g"),
               ("u1", "2026-01-03 10:00", "C1", "g")],
        sales=[("u1", "contact", "2026-01-04 10:00", "R1", None, None)])
    cur = s.cursor()
    assert cur.execute("SELECT article_id, t0_rank FROM fct_user_article ORDER BY t0_rank").fetchall() == [
        ("A5", 1), ("B9", 2), ("C1", 3)]

    def t0_row(channels):  # the row whose events the Sales page counts
        return cur.execute("SELECT user_id, article_id FROM sales_scope_contacts(CAST(NULL AS DATE), "
                           "CAST(NULL AS DATE), CAST($c AS VARCHAR[]), 30)", {"c": channels}).fetchall()

    assert t0_row(None) == [("u1", "A5")]
    assert t0_row(["wechat", "zhihu"]) == [("u1", "B9")]
    assert t0_row(["zhihu"]) == [("u1", "C1")]  # its only selected row


# Users with one row (at all / in a channel) are counted contacted / paid through the lag
# histograms of agg_user_lags (sel_single): the window's boundary, to the microsecond.
#   s1 single, A1 01-02 10:00: contact exactly 2 days later, payment 2 days + 1 us later
#   s2 single, A1 01-02 10:00: payment at t0 (no contact before it), contact exactly 3 days
#   s3 A1 (wechat) 01-03 10:00 and A3 (zhihu) 02-02 10:00, one contact 02-03 10:00: multi
#      at all; one row in each channel, contacted 1 day after the zhihu t0 and 31 days
#      after the wechat one
#   s4 single, A2: a contact 400 days later (past every window); s5 single, A2: a contact
#      exactly 365 days later (the longest window)
LAG_ARTICLES = [("A1", "a", "wechat", "2026-01-01 08:00", None, 10, 1),
                ("A2", "b", "wechat", "2026-01-01 09:00", None, 10, 1),
                ("A3", "c", "zhihu", "2026-02-01 08:00", None, 10, 1)]
LAG_JOINS = [("s1", "2026-01-02 10:00", "A1", "g"), ("s2", "2026-01-02 10:00", "A1", "g"),
             ("s3", "2026-01-03 10:00", "A1", "g"), ("s3", "2026-02-02 10:00", "A3", "g"),
             ("s4", "2026-01-02 10:00", "A2", "g"), ("s5", "2026-01-02 10:00", "A2", "g")]
LAG_SALES = [("s1", "contact", "2026-01-04 10:00", "R", None, None),
             ("s1", "payment", "2026-01-04 10:00:00.000001", "R", 10, "O1"),
             ("s2", "payment", "2026-01-02 10:00", "R", 20, "O2"),
             ("s2", "contact", "2026-01-05 10:00", "R", None, None),
             ("s3", "contact", "2026-02-03 10:00", "R", None, None),
             ("s4", "contact", "2027-02-06 10:00", "R", None, None),
             ("s5", "contact", "2027-01-02 10:00", "R", None, None)]


@pytest.mark.parametrize("window, totals, wechat, zhihu", [
    # (contacted, paid, paid_without_contact): all users; wechat's; zhihu's
    (1, (1, 0, 1), (0, 0, 1), (1, 0, 0)),
    (2, (2, 0, 1), (1, 0, 1), (1, 0, 0)),
    (3, (3, 1, 1), (2, 1, 1), (1, 0, 0)),
    (30, (3, 1, 1), (2, 1, 1), (1, 0, 0)),
    (31, (3, 1, 1), (3, 1, 1), (1, 0, 0)),
    (364, (3, 1, 1), (3, 1, 1), (1, 0, 0)),
    (365, (4, 1, 1), (4, 1, 1), (1, 0, 0)),
])
def test_single_users_are_counted_to_the_window_boundary(window, totals, wechat, zhihu):
    s = make_store(LAG_ARTICLES, LAG_JOINS, LAG_SALES)
    p = Params(window_days=window)
    t = engine.totals(s, p)
    assert (t["joins"], t["contacted"], t["paid"], t["paid_without_contact"]) == (5, *totals)
    ch = by_id(engine.channels(s, p), "channel")
    assert (ch["wechat"]["joins"], ch["wechat"]["contacted"], ch["wechat"]["paid"],
            ch["wechat"]["paid_without_contact"]) == (5, *wechat)
    assert (ch["zhihu"]["contacted"], ch["zhihu"]["paid"], ch["zhihu"]["paid_without_contact"]) == zhihu
    # the weeks add up to the totals, and per channel to the channel's row
    wk = engine.records(engine.query(s, "trend_weekly", p))
    assert (sum(r["contacted"] for r in wk), sum(r["paid"] for r in wk)) == totals[:2]
    cw = engine.records(engine.query(s, "trend_channels_weekly", p))
    for c, want in (("wechat", wechat), ("zhihu", zhihu)):
        assert (sum(r["contacted"] for r in cw if r["channel"] == c),
                sum(r["paid"] for r in cw if r["channel"] == c)) == want[:2]
    s.close()


def test_the_lag_histograms_count_what_the_active_rows_count(sample_store):
    """sel_single's sums equal the counts over fct_user_article's active rows of users
    with one row (at all, and in the channel) for every whole-day window, per group."""
    cur = sample_store.cursor()
    direct = """
        SELECT channel, pub_day, CAST(t0 AS DATE) AS t0_day,
               count(*) FILTER (WHERE contacted AND NOT multi), count(*) FILTER (WHERE paid AND NOT multi),
               count(*) FILTER (WHERE paid_without_contact AND NOT multi),
               count(*) FILTER (WHERE contacted), count(*) FILTER (WHERE paid),
               count(*) FILTER (WHERE paid_without_contact)
        FROM sel_ua($w, NULL, NULL, CAST(NULL AS VARCHAR[])) WHERE active AND NOT multi_ch
        GROUP BY ALL HAVING count(*) FILTER (WHERE contacted OR paid OR paid_without_contact) > 0
        ORDER BY ALL"""
    hist = """
        SELECT channel, pub_day, t0_day, sum(contacted), sum(paid), sum(paid_without_contact),
               sum(contacted_ch), sum(paid_ch), sum(paid_without_contact_ch)
        FROM sel_single($w, NULL, NULL, CAST(NULL AS VARCHAR[]))
        GROUP BY ALL HAVING sum(contacted_ch) + sum(paid_ch) + sum(paid_without_contact_ch) > 0
        ORDER BY ALL"""
    for w in (0, 1, 2, 3, 6, 7, 8, 13, 14, 29, 30, 31, 60, 89, 90, 180, 364, 365):
        want = cur.execute(direct, {"w": w}).fetchall()
        assert want or w < 7, w  # not vacuous
        assert cur.execute(hist, {"w": w}).fetchall() == want, w


def test_sel_multi_is_the_multi_row_users_grouped_from_their_selected_rows(sample_store):
    """sel_multi (one row per multi-row user with a selected row) equals grouping sel_ua's
    multi rows by user, for periods and channel filters that take all of some users'
    rows (read from their t0_rank 1 row) and part of others' (grouped), window by window;
    sel_multi_ch the same per channel (multi_ch rows grouped by channel and user)."""
    cur = sample_store.cursor()
    grouped = """
        SELECT mkey, min(t0), bool_or(contacted), bool_or(paid),
               bool_or(paid_without_contact) AND NOT bool_or(paid)
        FROM sel_ua($w, $f, $t, CAST($ch AS VARCHAR[])) WHERE multi GROUP BY mkey ORDER BY mkey"""
    fast = "SELECT * FROM sel_multi($w, $f, $t, CAST($ch AS VARCHAR[])) ORDER BY mkey"
    grouped_ch = """
        SELECT channel, mkey, min(t0), bool_or(contacted), bool_or(paid),
               bool_or(paid_without_contact) AND NOT bool_or(paid)
        FROM sel_ua($w, $f, $t, CAST($ch AS VARCHAR[])) WHERE multi_ch GROUP BY channel, mkey ORDER BY ALL"""
    fast_ch = "SELECT * FROM sel_multi_ch($w, $f, $t, CAST($ch AS VARCHAR[])) ORDER BY ALL"
    inside = """
        SELECT count(DISTINCT mkey) FILTER (WHERE u_inside(u_lo, u_hi, u_ch, $f, $t, CAST($ch AS VARCHAR[]))),
               count(DISTINCT mkey) FILTER (WHERE NOT u_inside(u_lo, u_hi, u_ch, $f, $t, CAST($ch AS VARCHAR[])))
        FROM sel_ua(30, $f, $t, CAST($ch AS VARCHAR[])) WHERE multi"""
    days = cur.execute("SELECT min(pub_day), max(pub_day) FROM fct_user_article").fetchone()
    mid = days[0] + (days[1] - days[0]) / 2
    chans = [r[0] for r in cur.execute("SELECT DISTINCT channel FROM fct_user_article ORDER BY 1").fetchall()]
    seen_inside = seen_partial = 0
    for f, t in ((None, None), (None, mid), (mid, None), (days[0], days[1])):
        for ch in ([], chans[:1], chans[:2], chans):
            b = {"f": f, "t": t, "ch": ch}
            n_in, n_part = cur.execute(inside, b).fetchone()
            seen_inside += n_in > 0
            seen_partial += n_part > 0
            for w in (0, 1, 3, 7, 30, 90, 365):
                want = cur.execute(grouped, {**b, "w": w}).fetchall()
                assert want, (b, w)  # not vacuous
                assert cur.execute(fast, {**b, "w": w}).fetchall() == want, (b, w)
                want = cur.execute(grouped_ch, {**b, "w": w}).fetchall()
                assert want, (b, w)
                assert cur.execute(fast_ch, {**b, "w": w}).fetchall() == want, (b, w)
    assert seen_inside and seen_partial  # both paths taken


def test_a_user_with_rows_in_two_channels_is_grouped_under_a_channel_filter():
    """s3 of the lag world has a wechat row (t0 01-03, contacted 31 days after it) and a
    zhihu row (t0 02-02, contacted 1 day after it). All channels: one user, t0 01-03,
    contacted from a 1-day window; wechat only: t0 01-03, contacted from 31 days on; zhihu
    only: t0 02-02, contacted from 1 day on. A period from February takes the zhihu row
    alone."""
    s = make_store(LAG_ARTICLES, LAG_JOINS, LAG_SALES)
    cur = s.cursor()
    q = ("SELECT CAST(t0 AS DATE), contacted FROM sel_multi($w, $f, NULL, CAST($ch AS VARCHAR[]))")
    for ch, f, w, want in (([], None, 1, (dt.date(2026, 1, 3), True)),
                           ([], None, 0, (dt.date(2026, 1, 3), False)),
                           (["wechat"], None, 30, (dt.date(2026, 1, 3), False)),
                           (["wechat"], None, 31, (dt.date(2026, 1, 3), True)),
                           (["zhihu"], None, 1, (dt.date(2026, 2, 2), True)),
                           (["wechat", "zhihu"], None, 1, (dt.date(2026, 1, 3), True)),
                           ([], "2026-02-01", 1, (dt.date(2026, 2, 2), True))):
        assert cur.execute(q, {"w": w, "f": f, "ch": ch}).fetchall() == [want], (ch, f, w)
    s.close()


def test_paid_without_contact_of_a_user_with_two_rows_in_a_channel():
    """p1 has two wechat rows, A1 (t0 01-05 10:00) and A2 (t0 01-06 10:00), and pays on
    01-07 10:00 with no contact: 2 days after the first t0, 1 day after the second. With a
    1-day window the A2 row is paid without contact, so the user is, at all and in wechat;
    with 0 days neither; the same under a filter of wechat alone."""
    s = make_store(LAG_ARTICLES, [("p1", "2026-01-05 10:00", "A1", "g"), ("p1", "2026-01-06 10:00", "A2", "g")],
                   [("p1", "payment", "2026-01-07 10:00", "R", 10, "O1")])
    cur = s.cursor()
    for w, ch, want in ((1, [], True), (0, [], False), (2, [], True), (1, ["wechat"], True),
                        (0, ["wechat"], False)):
        b = {"w": w, "ch": ch}
        assert cur.execute("SELECT paid_without_contact FROM sel_multi($w, NULL, NULL, CAST($ch AS VARCHAR[]))",
                           b).fetchall() == [(want,)]
        assert cur.execute("SELECT paid_without_contact FROM sel_multi_ch($w, NULL, NULL, CAST($ch AS VARCHAR[]))",
                           b).fetchall() == [(want,)]
    t = engine.totals(s, Params(window_days=1))
    assert (t["joins"], t["paid"], t["paid_without_contact"]) == (1, 0, 1)
    s.close()
