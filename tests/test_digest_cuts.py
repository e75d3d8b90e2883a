"""The digest's counts of the users with one row (in the channel / at all) are sums of day
counts -- agg_user_days for the rows, agg_user_cuts for when each row's contact, payment and
first payment fell (14_fct_user_article.sql) -- where they were counts of fct_user_article's
rows. Here they must equal a count of those rows in Python, by the definitions of
docs/DIGEST.md (a period's cohort measured as of its own end; the pipeline at the end), for
users whose touches, contacts and payments fall on and beside the day, window and period
boundaries the day counts are cut at."""
from __future__ import annotations

import datetime as dt
import importlib
from collections import defaultdict

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contentroi import engine
from contentroi.engine import Params

from .worlds import make_store

build = importlib.import_module("contentroi.digest.build")  # (contentroi.digest.build: the function)

US = dt.timedelta(microseconds=1)
DAY = dt.timedelta(days=1)
START = dt.datetime(2026, 3, 2)  # a Monday
# (article, channel) of each user's touches: u0 and u1 on two articles (multi-row; u1 in two
# channels), the others on one
ARTICLES = [("A1", "wechat"), ("A2", "wechat"), ("B1", "zhihu")]
USER_ARTICLES = {"u0": ["A1", "A2"], "u1": ["A1", "B1"], "u2": ["A1"], "u3": ["A2"], "u4": ["B1"],
                 "u5": ["B1"], "u6": ["A1"], "u7": ["B1"]}
# times of day of a touch, and offsets of an event after it, on and beside the boundaries
CLOCK = [dt.timedelta(0), US, dt.timedelta(hours=12), DAY - US]
OFFSETS = [dt.timedelta(0), US, DAY - US, DAY, DAY + US, 2 * DAY - US, 2 * DAY, 7 * DAY - US, 7 * DAY,
           7 * DAY + US, dt.timedelta(hours=30)]


def world(draw_users):
    """The logs of a drawn world: each user's touches (day, clock) and events (kind, touch, offset)."""
    joins, sales = [], []
    for u, (touches, events) in zip(USER_ARTICLES, draw_users):
        times = []
        for a, (day, clock) in zip(USER_ARTICLES[u], touches):
            t = START + day * DAY + CLOCK[clock]
            times.append(t)
            joins.append((u, t.isoformat(sep=" "), a, "g"))
        for k, (kind, which, off) in enumerate(events):
            at = times[which % len(times)] + OFFSETS[off]
            sales.append((u, kind, at.isoformat(sep=" "), "R1", 10 if kind == "payment" else None,
                          f"{u}-{k}" if kind == "payment" else None))
    return joins, sales


def facts(store):
    cols = ["user_id", "channel", "t0", "c1", "p1", "q1", "dc_us", "dp_us"]
    rows = store.cursor().execute(f"SELECT {', '.join(cols)} FROM fct_user_article").fetchall()
    return [dict(zip(cols, r)) for r in rows]


def _within(d_us, w):
    return d_us is not None and d_us <= w * 86_400_000_000


def cohort(rows, d0, d1, w):
    """{None: (joins, contacted, paid), channel: (...)}: distinct users of the rows whose t0 is
    in [d0, d1], contacted / paid within the window and before the midnight after d1."""
    end = dt.datetime.combine(d1 + DAY, dt.time())
    users = defaultdict(lambda: [False, False])
    for r in rows:
        if not d0 <= r["t0"].date() <= d1:
            continue
        c = _within(r["dc_us"], w) and r["c1"] < end
        p = _within(r["dp_us"], w) and r["p1"] < end
        for key in ((None, r["user_id"]), (r["channel"], r["user_id"])):
            users[key][0] |= c
            users[key][1] |= p
    out = defaultdict(lambda: [0, 0, 0])
    for (level, _), (c, p) in users.items():
        out[level][0] += 1
        out[level][1] += c
        out[level][2] += p
    return {k: tuple(v) for k, v in out.items()}


def pipeline(rows, d0, d1, w):
    """{None: (open, contacted, not_contacted, closing_soon, from_period), channel: (...)} at the
    midnight after d1: users with a touch whose window runs past it and no payment since."""
    end = dt.datetime.combine(d1 + DAY, dt.time())
    users = {}
    for r in rows:
        if not (end - w * DAY <= r["t0"] < end) or (r["q1"] is not None and r["q1"] < end):
            continue
        c = _within(r["dc_us"], w) and r["c1"] < end
        for key in ((None, r["user_id"]), (r["channel"], r["user_id"])):
            u = users.setdefault(key, [False, False, r["t0"] + w * DAY])
            u[0] |= c
            u[1] |= r["t0"].date() >= d0
            u[2] = max(u[2], r["t0"] + w * DAY)
    out = defaultdict(lambda: [0, 0, 0, 0, 0])
    for (level, _), (c, ip, t_end) in users.items():
        o = out[level]
        o[0] += 1
        o[1] += c
        o[2] += not c
        o[3] += (not c) and t_end < end + 7 * DAY
        o[4] += ip
    return {k: tuple(v) for k, v in out.items()}


touch = st.tuples(st.integers(0, 12), st.integers(0, len(CLOCK) - 1))
event = st.tuples(st.sampled_from(["contact", "payment"]), st.integers(0, 1), st.integers(0, len(OFFSETS) - 1))
user = st.tuples(st.tuples(touch, touch), st.lists(event, max_size=3))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(user, min_size=len(USER_ARTICLES), max_size=len(USER_ARTICLES)),
       st.sampled_from([1, 2, 7, 10, 30]), st.sampled_from(["day", "week"]), st.integers(0, 16),
       st.sampled_from([(), ("wechat",), ("zhihu",)]))
def test_the_digest_counts_equal_a_count_of_the_rows(users, w, kind, end_day, channels):
    joins, sales = world(users)
    s = make_store(articles=[(a, a, ch, "2026-02-01 08:00", None, 1, 1) for a, ch in ARTICLES],
                   joins=joins, sales=sales)
    try:
        rows = [r for r in facts(s) if not channels or r["channel"] in channels]
        period = build.Period(kind, (START + end_day * DAY).date())
        b = period.bind()
        p = Params(window_days=w, channels=channels)
        q = lambda name, **kw: engine.records(engine.query(s, name, p, **b, **kw))  # noqa: E731
        # the period and the one before it, per channel and in total
        seg = {(r["channel"] if r["level"] == "channel" else None): r for r in q("digest_segments")}
        for cur, (d0, d1) in ((True, (b["cur_from"], b["cur_to"])), (False, (b["prev_from"], b["prev_to"]))):
            want = cohort(rows, d0, d1, w)
            sfx = "" if cur else "_prev"
            got = {k: (r["joins" + sfx], r["contacted" + sfx], r["paid" + sfx]) for k, r in seg.items()
                   if r["joins" + sfx] or r["contacted" + sfx] or r["paid" + sfx]}
            assert got == want, (cur, users)
        # the volumes: each of the period's baselines measured as of its own end
        for r in q("digest_volumes", n_back=2):
            d0, d1 = (dt.date.fromisoformat(str(r[k])[:10]) for k in ("period_from", "period_to"))
            want = cohort(rows, d0, d1, w).get(None, (0, 0, 0))
            assert (r["joins"], r["contacted"], r["paid"]) == want, (r["k"], users)
        # the pipeline at the period's end
        cols = ("open", "contacted", "not_contacted", "closing_soon", "from_period")
        got = {(r["channel"] if r["level"] == "channel" else None): tuple(r[c] for c in cols)
               for r in q("digest_pipeline")}
        want = pipeline(rows, b["cur_from"], b["cur_to"], w)
        want.setdefault(None, (0, 0, 0, 0, 0))
        assert got == want, users
    finally:
        s.close()
