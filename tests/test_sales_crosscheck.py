"""Cross-check: the Sales page's figures (queries/sales_figures.sql: the totals, the reps,
the weekly trend) against an independent pandas implementation built straight from the raw logs.

The reference, from the Sales page's definitions (queries/sales_figures.sql):
touches are join rows on known articles; a user is in scope with a touch on a selected
article (publish date in the period, channel in the list); T0 is the user's earliest
touch on a selected article (two selected articles first touched at the same moment: the
smaller article_id); the user's contacts and payments count when they fall in
[T0, T0 + W]. A payment's refunds are every refund row of its order_id.

It uses none of the derived tables (fct_user_article, fct_sales_contact, ...), so it
checks the way the queries select a multi-article user's T0 row, the window on the
stored offsets, the first-event marks and the per-rep medians. Worlds: the bundled
sample and a generated one; filters: none, a channel subset, a period, both; windows
1, 7, 30, 365 days.
"""
from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contentroi import engine
from contentroi.engine import Params
from contentroi.store import Store


def logs(store: Store) -> dict[str, pd.DataFrame]:
    cur = store.cursor()
    arts = cur.execute("SELECT article_id, channel, CAST(published_at AS DATE) AS pub_day FROM articles").df()
    joins = cur.execute("SELECT user_id, joined_at, article_id FROM joins WHERE article_id IS NOT NULL").df()
    sales = cur.execute("SELECT user_id, event, occurred_at, rep, amount, order_id FROM sales").df()
    return {"arts": arts, "joins": joins, "sales": sales}


def scope(lg: dict, p: Params) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The (contacts, payments) in the users' windows, each with the user's T0."""
    arts = lg["arts"].copy()
    arts["pub_day"] = pd.to_datetime(arts["pub_day"]).dt.date
    sel = arts
    if p.date_from:
        sel = sel[sel.pub_day >= p.date_from]
    if p.date_to:
        sel = sel[sel.pub_day <= p.date_to]
    if p.channels:
        sel = sel[sel.channel.isin(p.channels)]
    t = lg["joins"].merge(sel[["article_id"]], on="article_id")
    t0 = t.groupby(["user_id", "article_id"], as_index=False)["joined_at"].min()
    t0 = t0.sort_values(["user_id", "joined_at", "article_id"]).drop_duplicates("user_id")
    t0 = t0.rename(columns={"joined_at": "T0"})[["user_id", "T0"]]
    s = lg["sales"].merge(t0, on="user_id")
    w = pd.Timedelta(days=p.window_days)
    s = s[(s.occurred_at >= s.T0) & (s.occurred_at <= s.T0 + w)]
    c = s[s.event == "contact"].copy()
    pay = s[s.event == "payment"].copy()
    sales = lg["sales"]
    ref = sales[(sales.event == "refund") & sales.order_id.notna()].groupby("order_id")["amount"].sum()
    pay["amount"] = pay["amount"].fillna(0).astype(float)
    pay["refunded"] = pay["order_id"].map(ref).fillna(0).astype(float)
    pay["net"] = pay["amount"] - pay["refunded"]
    return c, pay


def hours(d: pd.Series) -> pd.Series:
    return d.dt.total_seconds() / 3600.0


def paid_after(first: pd.DataFrame, pay: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``first`` (a first contact per user and key, column occurred_at), once
    per payment of the user in the window at or after it (column paid_at)."""
    m = first.merge(pay[["user_id", "occurred_at"]].rename(columns={"occurred_at": "paid_at"}), on="user_id")
    m = m[m.paid_at >= m.occurred_at]
    return m


def expected_totals(c: pd.DataFrame, pay: pd.DataFrame) -> dict:
    first = c.sort_values("occurred_at").drop_duplicates("user_id")
    paid = paid_after(first, pay)
    med = hours(first.occurred_at - first.T0).median() if len(first) else None
    return {
        "users_handled": len(set(c.user_id) | set(pay.user_id)),
        "contacted": len(first),
        "median_response_hours": med,
        "paid": paid.user_id.nunique(),
        "payments": len(pay),
        "gross_revenue": pay.amount.sum(),
        "refunds": pay.refunded.sum(),
        "revenue": pay.net.sum(),
    }


def rep_key(s: pd.Series) -> pd.Series:
    return s.fillna("\0none")  # NULL rep: one group of its own


def expected_reps(c: pd.DataFrame, pay: pd.DataFrame) -> dict:
    c = c.assign(rk=rep_key(c.rep))
    pay = pay.assign(rk=rep_key(pay.rep))
    first = c.sort_values("occurred_at").drop_duplicates(["user_id", "rk"])
    paid = paid_after(first, pay)
    out = {}
    for rk in set(c.rk) | set(pay.rk):
        fc, pp = first[first.rk == rk], pay[pay.rk == rk]
        out[rk] = {
            "users_handled": len(set(fc.user_id) | set(pp.user_id)),
            "contacted": len(fc),
            "contacts": int((c.rk == rk).sum()),
            "median_response_hours": hours(fc.occurred_at - fc.T0).median() if len(fc) else None,
            "paid": paid[paid.rk == rk].user_id.nunique(),
            "payments": len(pp),
            "gross_revenue": pp.amount.sum(),
            "refunds": pp.refunded.sum(),
            "revenue": pp.net.sum(),
        }
    return out


def week(ts: pd.Series) -> pd.Series:
    d = ts.dt.normalize()
    return (d - pd.to_timedelta(d.dt.weekday, unit="D")).dt.date


def expected_weekly(c: pd.DataFrame, pay: pd.DataFrame) -> dict:
    c = c.assign(rk=rep_key(c.rep))
    pay = pay.assign(rk=rep_key(pay.rep))
    first = c.sort_values("occurred_at").drop_duplicates(["user_id", "rk"])
    m = paid_after(first, pay).sort_values("paid_at").drop_duplicates(["user_id", "rk"])
    out: dict = {}
    for rk, wk in zip(first.rk, week(first.occurred_at)):
        out.setdefault((rk, wk), [0, 0, 0.0])[0] += 1
    for rk, wk in zip(m.rk, week(m.paid_at)):
        out.setdefault((rk, wk), [0, 0, 0.0])[1] += 1
    for rk, wk, net in zip(pay.rk, week(pay.occurred_at), pay.net):
        out.setdefault((rk, wk), [0, 0, 0.0])[2] += net
    return out


def same(got, want, what) -> None:
    if want is None or (isinstance(want, float) and math.isnan(want)):
        assert got is None, what
    elif isinstance(want, float):
        assert got is not None and abs(got - want) <= 0.005 + 1e-9, (what, got, want)
    else:
        assert got == want, (what, got, want)


def check(store: Store, p: Params, lg: dict) -> int:
    """Compares the three levels (totals, reps, weeks) with the reference; returns the number of reps seen."""
    c, pay = scope(lg, p)
    tot = engine.records(engine.sales_figures(store, p)["total"])[0]
    for k, v in expected_totals(c, pay).items():
        same(tot[k], v, (p, "totals", k))
    want = expected_reps(c, pay)
    got = {("\0none" if r["rep"] is None else r["rep"]): r for r in engine.records(engine.sales_figures(store, p)["rep"])}
    assert set(got) == set(want), p
    for rk, exp in want.items():
        for k, v in exp.items():
            same(got[rk][k], v, (p, rk, k))
    wk = engine.sales_figures(store, p)["week"]
    gw = {("\0none" if r.rep is None or r.rep != r.rep else r.rep, r.week.date() if hasattr(r.week, "date") else r.week):
          [r.contacted, r.paid, r.revenue] for r in wk.itertuples()}
    ww = expected_weekly(c, pay)
    assert set(gw) == set(ww), p
    for k, v in ww.items():
        assert gw[k][:2] == v[:2], (p, k, gw[k], v)
        assert abs(gw[k][2] - v[2]) <= 0.005 + 1e-9, (p, k, gw[k], v)
    return len(want)


def filters(arts: pd.DataFrame) -> list[Params]:
    chs = sorted(arts.channel.unique())
    days = sorted(pd.to_datetime(arts.pub_day).dt.date.unique())
    mid_from, mid_to = days[len(days) // 4], days[3 * len(days) // 4]
    out = []
    for w in (1, 7, 30, 365):
        out.append(Params(window_days=w))
    for w in (7, 30):
        out += [Params(window_days=w, channels=tuple(chs[:2])),
                Params(window_days=w, channels=(chs[-1],)),
                Params(window_days=w, date_from=mid_from, date_to=mid_to),
                Params(window_days=w, channels=tuple(chs[1:]), date_from=mid_from)]
    return out


def multi_users(store: Store, p: Params) -> int:
    """Users with several rows among the selected articles (the case T0 selection is about)."""
    return store.cursor().execute(
        "SELECT count(*) FROM (SELECT user_id FROM fct_user_article WHERE in_sel(pub_day, channel, $f, $t, "
        "CAST($c AS VARCHAR[])) GROUP BY user_id HAVING count(*) > 1)",
        {"f": p.date_from, "t": p.date_to, "c": list(p.channels) or None}).fetchone()[0]


def test_sample_sales_matches_pandas(sample_store):
    lg = logs(sample_store)
    ps = filters(lg["arts"])
    assert all(check(sample_store, p, lg) >= 2 for p in ps)
    assert min(multi_users(sample_store, p) for p in ps) > 10  # the T0 choice is exercised


@pytest.mark.slow
def test_generated_world_sales_matches_pandas(tmp_path):
    from tests.worlds import generated_store

    store = generated_store(tmp_path / "w", n_articles=150, n_joins=8000, seed=23)
    lg = logs(store)
    for p in filters(lg["arts"]):
        assert check(store, p, lg) >= 2


def test_a_tie_of_t0s_and_a_filtered_out_earlier_article():
    """A user first touching two selected articles at the same moment gets the smaller
    article_id's row; with the earlier article filtered out, T0 moves to the next one
    (and a contact before the new T0 no longer counts). u2 (two articles) has a contact
    exactly W days after T0 (in) and a payment 1 us later (out); u3 (one article) a
    contact exactly 7 days after T0; u4 a contact 367 days after its first article (a row
    with no event in the longest window) and 1 day after its second."""
    from .worlds import make_store

    s = make_store(
        articles=[("B9", "b", "wechat", "2026-01-01 08:00", None, 1, 1),
                  ("A5", "a", "weibo", "2026-01-01 08:00", None, 1, 1),
                  ("C1", "c", "zhihu", "2026-01-01 08:00", None, 1, 1),
                  ("D0", "d", "wechat", "2024-12-01 08:00", None, 1, 1)],
        joins=[("u1", "2026-01-02 10:00", "B9", "g"), ("u1", "2026-01-02 10:00", "A5", "g"),
               ("u1", "2026-01-03 10:00", "C1", "g"),
               ("u2", "2026-01-02 10:00", "A5", "g"), ("u2", "2026-01-05 10:00", "C1", "g"),
               ("u3", "2026-01-02 10:00", "C1", "g"),
               ("u4", "2025-01-01 10:00", "D0", "g"), ("u4", "2026-01-02 10:00", "C1", "g")],
        sales=[("u1", "contact", "2026-01-02 22:00", "R1", None, None),
               ("u1", "contact", "2026-01-04 10:00", "R2", None, None),
               ("u2", "contact", "2026-01-09 10:00", "R2", None, None),
               ("u2", "payment", "2026-01-09 10:00:00.000001", "R2", 10, "O1"),
               ("u3", "contact", "2026-01-09 10:00", "R1", None, None),
               ("u4", "contact", "2026-01-03 10:00", "R1", None, None)])
    lg = logs(s)
    for w in (7, 30):
        for chs in ((), ("wechat", "zhihu"), ("zhihu",), ("weibo",)):
            check(s, Params(window_days=w, channels=chs), lg)
    t = engine.records(engine.sales_figures(s, Params(channels=("wechat", "zhihu")))["total"])[0]
    # u1: T0 01-02 10:00 (B9), contacts 12 h and 48 h after; u2: T0 01-05 10:00 (C1), 96 h; u3 168 h
    assert (t["contacted"], t["median_response_hours"], t["payments"]) == (3, 96.0, 1)
    t = engine.records(engine.sales_figures(s, Params(channels=("zhihu",)))["total"])[0]
    assert (t["contacted"], t["median_response_hours"]) == (4, 60.0)  # u1: T0 01-03 10:00, R1's contact before it; 24, 96, 168, 24 h
    t = engine.records(engine.sales_figures(s, Params(window_days=7))["total"])[0]
    # u2's T0 01-02 10:00 (A5): its contact exactly 7 days after is in, the payment 1 us later out;
    # u3's contact exactly 7 days after is in
    assert (t["contacted"], t["median_response_hours"], t["payments"], t["paid"]) == (3, 168.0, 0, 0)  # 12, 168, 168 h


# -- the medians: found by day, hour and value (queries/sales_figures.sql) ----------------

def direct_medians(store: Store, p: Params) -> dict:
    """Each rep's and the total's median response, as DuckDB's median() over every scope row
    (how sales_figures.sql computed them before it found the middle values by day and hour)."""
    b = p.bind()
    args = {"f": b["date_from"], "t": b["date_to"], "c": b["channels"], "w": b["window_days"]}
    rows = store.cursor().execute(
        "SELECT rep, round(median(resp_h), 2) FROM sales_scope_contacts($f, $t, CAST($c AS VARCHAR[]), $w) "
        "GROUP BY rep", args).fetchall()
    out = {("\0none" if r is None else r): m for r, m in rows}
    out["\0total"] = store.cursor().execute(
        "SELECT round(median(resp_h), 2) FROM sales_scope_contacts($f, $t, CAST($c AS VARCHAR[]), $w) "
        "WHERE first_contact", args).fetchone()[0]
    return out


def page_medians(store: Store, p: Params) -> dict:
    f = engine.sales_figures(store, p)
    out = {("\0none" if r["rep"] is None else r["rep"]): r["median_response_hours"]
           for r in engine.records(f["rep"]) if r["contacted"]}
    out["\0total"] = engine.records(f["total"])[0]["median_response_hours"]
    return out


def test_the_medians_equal_a_median_over_every_row(sample_store):
    """Exactly (not within the rounding): every rep's and the total's median response of the
    sample, for every filter of the cross-check."""
    lg = logs(sample_store)
    for p in filters(lg["arts"]):
        assert page_medians(sample_store, p) == direct_medians(sample_store, p), p


# offsets (microseconds after the user's touch) at and around the hour and day boundaries the
# medians' buckets are cut at
_US_H = 3_600_000_000
_OFFSETS = [0, 1, _US_H - 1, _US_H, _US_H + 1, 24 * _US_H - 1, 24 * _US_H, 24 * _US_H + 1, 25 * _US_H,
            47 * _US_H + 1, 48 * _US_H, 7 * 24 * _US_H, 7 * 24 * _US_H + 1, 30 * 24 * _US_H]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 5), st.sampled_from(_OFFSETS), st.sampled_from(["R1", "R2", None]),
                          st.booleans()),
                min_size=1, max_size=14),
       st.sampled_from([1, 2, 7, 30]))
def test_the_medians_at_bucket_boundaries(contacts, window):
    """Random contacts of six users -- two of them with touches on two articles (multi-row),
    the others on one -- at offsets on and beside the hour and day boundaries, odd and even
    counts: the page's medians equal DuckDB's median over every row."""
    from .worlds import make_store

    t0 = dt.datetime(2026, 1, 2, 10)
    joins = [(f"u{u}", "2026-01-02 10:00", "A1", "g") for u in range(6)]
    joins += [("u0", "2026-01-01 10:00", "A2", "g"), ("u1", "2026-01-03 10:00", "A2", "g")]
    sales = []
    for u, off, rep, late in contacts:
        at = t0 + dt.timedelta(microseconds=off) + (dt.timedelta(hours=3) if late else dt.timedelta())
        sales.append((f"u{u}", "contact", at.isoformat(sep=" "), rep, None, None))
    s = make_store(articles=[("A1", "a", "wechat", "2026-01-01 08:00", None, 1, 1),
                             ("A2", "b", "zhihu", "2025-12-31 08:00", None, 1, 1)],
                   joins=joins, sales=sales)
    for p in (Params(window_days=window), Params(window_days=window, channels=("wechat",))):
        assert page_medians(s, p) == direct_medians(s, p), (p, contacts)
