"""Volume and freshness alerts of the digest, and its default period, on hand-built worlds.

The weekly world: 9 Monday–Sunday weeks, the current one Mon 2026-03-09 … Sun 03-15 and
8 before it (from Mon 01-12). Week k's joins are JOINS[k] users (one join each, at 12:00
on day i % 7 of the week, on that week's article); user i is contacted at 13:00 when
i is even and pays ¥100 at 15:00 when i % 4 == 0. Each week publishes one article on
its Monday with READS[k] reads.

History (k = 1 … 8) joins 100, 104, 96, 101, 99, 103, 97, 100: median m = 100; on the log
scale l = ln(1 + b) the median is ln 101 and 1.4826 · MAD = 0.029 < the Poisson floor
1 / sqrt(1 + 100), so z = ln((1 + x) / 101) · sqrt(101).
  A planted week of 32 joins: z = ln(33 / 101) · sqrt 101 = −11.2419, −68%: a red drop.
  A noisy week of 88 joins: z = ln(89 / 101) · sqrt 101 = −1.2711: nothing.
"""
from __future__ import annotations

import datetime as dt
import math
from functools import partial

import pytest

from contentroi import digest, engine, volumes
from contentroi.engine import Params

from .worlds import make_store

CUR_MON = dt.date(2026, 3, 9)
HIST = [100, 104, 96, 101, 99, 103, 97, 100]  # k = 1 … 8
READS = 1000


def weekly_world(cur_joins: int, cur_reads: int = READS, late_payment: str | None = None,
                 last_event: str | None = "2026-03-16 09:00"):
    articles, joins, sales = [], [], []
    for k, n in enumerate([cur_joins] + HIST):
        monday = CUR_MON - dt.timedelta(days=7 * k)
        art = f"A{k}"
        articles.append((art, f"Week -{k}", "wechat", f"{monday} 08:00", None,
                         cur_reads if k == 0 else READS, 10))
        for i in range(n):
            user, day = f"u{k}-{i:03d}", monday + dt.timedelta(days=i % 7)
            joins.append((user, f"{day} 12:00", art, "g"))
            if i % 2 == 0:
                sales.append((user, "contact", f"{day} 13:00", "R", None, None))
            if i % 4 == 0:
                sales.append((user, "payment", f"{day} 15:00", "R", 100, f"O-{user}"))
    if last_event:
        sales.append(("someone", "contact", last_event, "R", None, None))
    if late_payment:
        sales.append(("u1-000", "payment", late_payment, "R", 50, "O-late"))
    return articles, joins, sales


_STORES: dict = {}


def build(world, kind="week", end=None) -> digest.Digest:
    """A digest of a world (one store per world in this module: building one takes a while)."""
    key = repr(world)
    if key not in _STORES:
        _STORES[key] = make_store(*world)
    return digest.build(partial(engine.query, _STORES[key]), Params(), kind, end)


def by_metric(d: digest.Digest) -> dict[str, volumes.VolumeCheck]:
    return {c.metric: c for c in d.volumes}


def z_by_hand(x: float, m: float) -> float:
    """z when the Poisson floor is the scale and the history's log-median is ln(1 + m)."""
    return math.log((1 + x) / (1 + m)) * math.sqrt(1 + m)


def test_robust_z_by_hand():
    m, s, z = volumes.robust_z(32, [float(x) for x in HIST])
    assert m == 100 and s == pytest.approx(1 / math.sqrt(101)) and z == pytest.approx(-11.2419, abs=1e-4)
    # a noisy history: the MAD wins over the Poisson floor. l = ln(1 + b) of 99, 79, 119, 59, 139:
    # median ln 100, |l − ln 100| = 0, .2357, .1823, .5108, .3365 -> MAD .2357
    hist = [99, 79, 119, 59, 139]
    m, s, z = volumes.robust_z(49, hist)
    assert m == 99 and s == pytest.approx(1.4826 * math.log(100 / 80))
    assert z == pytest.approx(math.log(50 / 100) / (1.4826 * math.log(100 / 80)))


def test_planted_drop_is_a_red_alert():
    d = build(weekly_world(32, cur_reads=330))
    assert d.period.start == CUR_MON and d.n_history == 8
    c = by_metric(d)
    assert (c["joins"].value, c["joins"].median) == (32, 100)
    assert c["joins"].z == pytest.approx(z_by_hand(32, 100)) and c["joins"].kind == "drop"
    assert c["joins"].severity == "error"
    # contacted: history 50 52 48 51 50 52 49 50 -> median 50; now 16
    assert (c["contacted"].value, c["contacted"].median) == (16, 50)
    assert c["contacted"].z == pytest.approx(z_by_hand(16, 50)) and c["contacted"].kind == "drop"
    # paid: 25 26 24 26 25 26 25 25 -> median 25; now 8 (z = −5.41). Revenue: ¥100 a payment,
    # so in units of the average payment it is the paid count: the same z
    assert (c["paid"].value, c["paid"].median) == (8, 25)
    assert c["paid"].z == pytest.approx(z_by_hand(8, 25)) == pytest.approx(-5.4094, abs=1e-4)
    assert (c["revenue"].value, c["revenue"].median) == (800, 2500)
    assert c["revenue"].z == pytest.approx(z_by_hand(8, 25))
    assert c["reads"].z == pytest.approx(z_by_hand(330, 1000)) and c["reads"].kind == "drop"
    items = digest.volume_alerts(d, "en")
    assert items[0] == ("error", "Joins fell to 32, 68% below the usual 100 (median of the previous 8 weeks; "
                                 "robust z = −11.2).")
    assert [s for s, _ in items] == ["error"] * 5
    assert digest.alert_summary(d, "en") == ""  # never a green line beside a red drop
    md = digest.render_md(d, "en")
    assert "🔴 Joins fell to 32, 68% below the usual 100" in md
    assert "No stage rate changed significantly" not in md
    zh = digest.render_md(d, "zh")
    assert "入群用户降至 32，比通常的 100 低 68%（前 8 周中位数；稳健 z = −11.2）。" in zh


def test_noise_gives_no_volume_alert():
    d = build(weekly_world(88))
    c = by_metric(d)
    assert c["joins"].z == pytest.approx(z_by_hand(88, 100)) == pytest.approx(-1.2711, abs=1e-4)
    assert c["joins"].kind == "ok"
    assert all(x.kind == "ok" for x in d.volumes), [(x.metric, x.z) for x in d.volumes]
    assert digest.volume_alerts(d) == [] and digest.quiet(d)
    assert "compared with the previous 8 weeks" in digest.volume_note(d, "en")


def test_empty_period_is_an_alert_never_green():
    d = build(weekly_world(0), end=dt.date(2026, 3, 15))  # (the default would be the week before)
    assert d.total["joins"] == 0 and d.tested == 0
    c = by_metric(d)
    assert c["joins"].kind == "empty" and c["joins"].severity == "error"
    assert c["contacted"].kind == c["paid"].kind == "untested"  # they follow the joins
    items = digest.volume_alerts(d, "en")
    assert ("error", "Joins: none in this period (median of the previous 8 weeks: 100).") in items
    assert digest.alert_summary(d, "en") == ""
    md, html = digest.render_md(d, "en"), digest.render_html(d, "en", with_charts=False)
    assert "🟢" not in md and 'class="alert calm"' not in html
    assert "Too few users to test" in md  # said, but not as an all-clear
    assert "入群用户：本期为零（前 8 周中位数：100）。" in digest.render_md(d, "zh")


def test_empty_period_without_history_is_still_an_alert():
    world = weekly_world(0)
    articles, joins, sales = world
    joins = [j for j in joins if j[1] >= "2026-03-02"]  # only the week before: no history to test
    d = build((articles, joins, sales), end=dt.date(2026, 3, 15))
    assert d.n_history == 1
    assert digest.volume_alerts(d, "en")[0] == ("error", "Joins: none in this period (median of the previous "
                                                         "week: 100).")
    assert "1 earlier week(s) of data, 4 needed" in digest.volume_note(d, "en")


def test_daily_digest_compares_the_same_weekday():
    d = build(weekly_world(100), kind="day", end=dt.date(2026, 3, 10))  # a Tuesday
    rows = {c.metric: c for c in d.volumes}
    # Tuesdays are day 1 of each week: users i with i % 7 == 1 -> 14 or 15 of each week
    assert d.n_history == 8 and rows["joins"].value == 15
    assert "same weekday of the previous 8 weeks" in digest.volume_note(d, "en")


def test_default_period_is_one_with_data_despite_a_late_payment():
    # the joins stop on Wed 03-11 (user i of the current week joins on day i % 7: with 3 users,
    # Mon-Wed); a late payment on 06-20 is the latest event of the store
    world = weekly_world(3, late_payment="2026-06-20 10:00", last_event=None)
    d = build(world)
    assert d.last_at == dt.datetime(2026, 6, 20, 10, 0)
    # the last complete week up to the latest join's day (Wed 03-11): Mon 03-02 … Sun 03-08
    assert (d.period.start, d.period.end) == (dt.date(2026, 3, 2), dt.date(2026, 3, 8))
    assert d.total["joins"] == 100 and not d.empty
    assert not any(c.kind == "empty" for c in d.volumes) and d.lagging == []
    day = build(world, kind="day")
    assert day.period.end == dt.date(2026, 3, 11) and day.total["joins"] > 0
    store = _STORES[repr(world)]
    assert digest.default_date(partial(engine.query, store), Params(), "week") == dt.date(2026, 3, 8)


def test_freshness_alert_when_a_log_stops_before_the_others():
    world = weekly_world(3, late_payment="2026-06-20 10:00", last_event=None)
    d = build(world, end=dt.date(2026, 3, 22))  # a week after the joins stopped
    assert [(g.log, g.ref_log, g.days) for g in d.lagging] == [("articles", "sales", 13), ("joins", "sales", 11)]
    items = digest.volume_alerts(d, "en")
    assert items[0][0] == "error" and items[0][1].startswith("Joins: none in this period")
    assert ("warning", "The joins log stops at 2026-03-11 12:00, 12 days before this period ends, while the "
                       "sales log goes on to 2026-06-20 10:00: what came after is missing, not zero.") in items
    zh = dict((t, s) for s, t in digest.volume_alerts(d, "zh"))
    assert any(t.startswith("入群日志截至 2026-03-11 12:00，比本期结束早 12 天") for t in zh)  # 11.5 days, rounded


def test_current_period_volumes_match_the_digest_totals():
    d = build(weekly_world(32, cur_reads=330))
    c = by_metric(d)
    for metric in ("joins", "contacted", "paid", "revenue", "reads"):
        assert c[metric].value == pytest.approx(float(d.total[metric])), metric


def test_a_lag_reads_in_hours_under_two_days_and_rounded_days_after():
    h = dt.timedelta(hours=1)
    assert volumes.gap_text(46 * h) == "46 hours" and volumes.gap_text(46 * h, "zh") == "46 小时"
    assert volumes.gap_text(0.6 * h) == "1 hour" and volumes.gap_text(47.6 * h) == "48 hours"
    assert volumes.gap_text(60 * h) == "2 days" and volumes.gap_text(11.4 * 24 * h, "zh") == "11 天"


@pytest.mark.parametrize("kind", ["week", "day"])
def test_every_baseline_is_the_digest_of_its_own_period(sample_store, kind):
    """Row k of digest_volumes is what digest_segments gives (its total row) for the
    period 7k days earlier, measured as of that period's own end: joins, contacted,
    paid (single-row users from agg_user_days and their active rows, the others grouped),
    articles, reads and revenue; on the sample, every k, two windows, a channel list."""
    end = digest.default_date(partial(engine.query, sample_store), Params(), kind)
    period = digest.Period(kind, end)
    checked, paid = 0, 0
    for p in (Params(), Params(window_days=7, channels=("wechat", "zhihu"))):
        vols = engine.query(sample_store, "digest_volumes", p, **period.bind(), n_back=volumes.N_BACK)
        assert list(vols["k"]) == list(range(volumes.N_BACK + 1))
        for row in vols.to_dict("records"):
            shift = dt.timedelta(days=7 * row["k"])
            back = digest.Period(kind, end - shift)
            seg = engine.query(sample_store, "digest_segments", p, **back.bind())
            total = seg[seg["level"] == "total"].iloc[0]
            assert (row["period_from"].date(), row["period_to"].date()) == (back.start, back.end)
            for m in ("joins", "contacted", "paid", "articles", "revenue"):
                assert row[m] == total[m], (p, row["k"], m)
            assert row["reads"] == (total["reads"] if row["articles"] else 0), (p, row["k"])
            checked, paid = checked + (row["joins"] > 0), paid + (row["paid"] > 0)
    assert checked >= 10 and paid >= (2 if kind == "week" else 0)  # (nobody pays on the day they join)
