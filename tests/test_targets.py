"""Targets: decomposition arithmetic, pacing projection and interval, the limiting
stage, the yearly split, CSV in/out, storage, and one hand-built world end to end
(exact figures worked out by hand in the comments)."""
from __future__ import annotations

import datetime as dt
import io
import math

import pandas as pd
import pytest

from contentroi import engine, ingest, sql
from contentroi import targets as tg
from contentroi.engine import Params
from contentroi.store import MIGRATIONS, Store

Z = 1.959963984540054


# ---------------------------------------------------------------------------
# pure arithmetic
# ---------------------------------------------------------------------------


def test_decompose_revenue_down_the_funnel():
    rates = tg.Rates(join_rate=0.1, contact_rate=0.5, pay_rate=0.2, revenue_per_paid=500.0)
    d = tg.decompose("revenue", 100_000, rates)
    # ¥100,000 / ¥500 = 200 paid; / 0.2 = 1,000 contacted; / 0.5 = 2,000 joins; / 0.1 = 20,000 reads
    assert d == pytest.approx({"reads": 20_000, "joins": 2_000, "contacted": 1_000, "paid": 200,
                               "revenue": 100_000})
    assert list(d) == ["reads", "joins", "contacted", "paid", "revenue"]
    assert tg.decompose("paid", 30, rates) == pytest.approx(
        {"reads": 3_000, "joins": 300, "contacted": 150, "paid": 30})
    assert tg.decompose("joins", 40, rates) == pytest.approx({"reads": 400, "joins": 40})


def test_decompose_stops_at_an_unknown_or_zero_rate():
    rates = tg.Rates(join_rate=None, contact_rate=0.0, pay_rate=0.25, revenue_per_paid=100.0)
    d = tg.decompose("revenue", 1_000, rates)
    assert d["paid"] == 10 and d["contacted"] == 40
    assert d["joins"] is None and d["reads"] is None  # contact_rate 0: nothing above is known


def test_whole_rounds_up_but_not_float_noise():
    assert tg.whole(27_777.78) == 27_778
    assert tg.whole(3.0000000000001) == 3
    assert tg.whole(None) is None


def test_pace_projection_and_interval_by_hand():
    # 4 days seen of 10: 2, 4, 0, 6 -> A = 12, m = 3, R = 6, projection = 12 + 18 = 30
    # s² = (1 + 1 + 9 + 9) / 3 = 20/3; half = z · s · √(R + R²/d) = z · √(20/3 · 15) = 10 z
    daily = [2, 4, 0, 6, 0, 0, 0, 0, 0, 0]  # later days are not seen yet
    p = tg.pace(daily, 4)
    assert (p.days, p.elapsed, p.actual, p.remaining) == (10, 4, 12, 6)
    assert p.projection == pytest.approx(30)
    assert p.hi == pytest.approx(30 + 10 * Z)
    assert p.lo == 12  # 30 - 10 z = 10.4, but the lower bound is never below what is there
    steady = tg.pace([10, 14, 12, 12, 0, 0], 4)  # s² = 8/3; half = z · √(8/3 · (2 + 1)) = z √8
    assert steady.projection == 72 and steady.lo == pytest.approx(72 - Z * math.sqrt(8))
    assert steady.hi == pytest.approx(72 + Z * math.sqrt(8))


def test_pace_edges():
    assert tg.pace([5, 1, 2], 3).projection == 8 and tg.pace([5, 1, 2], 3).lo == 8  # month over
    one = tg.pace([5, 0, 0, 0], 1)
    assert one.projection == 20 and one.lo is None and one.hi is None  # one day: no spread yet
    none = tg.pace([0, 0], 0)
    assert none.projection is None and none.actual == 0
    flat = tg.pace([3, 3, 0, 0], 2)
    assert flat.projection == 12 and flat.lo == flat.hi == 12  # no variation, no width


def test_pacing_frame_lines():
    month = dt.date(2026, 2, 1)  # 28 days
    daily = [1.0] * 28
    p = tg.pace(daily, 14)
    f = tg.pacing_frame(month, daily, 56.0, p)
    assert len(f) == 28
    assert f["target"].iloc[0] == 2 and f["target"].iloc[-1] == 56
    assert f["actual"].iloc[13] == 14 and pd.isna(f["actual"].iloc[14])
    assert pd.isna(f["projection"].iloc[12]) and f["projection"].iloc[13] == 14
    assert f["projection"].iloc[-1] == 28


def _stage_rows(proj):
    rates = tg.Rates(join_rate=0.1, contact_rate=0.5, pay_rate=0.2, revenue_per_paid=500.0)
    paces = {s: tg.Pace(30, 15, v / 2, v, None, None) for s, v in proj.items()}
    return tg.stages("revenue", 100_000, rates, paces)


def test_limiting_stage_is_the_smallest_step_factor():
    # required: reads 20,000, joins 2,000, contacted 1,000, paid 200, revenue ¥100,000
    rows = _stage_rows({"reads": 20_000, "joins": 1_800, "contacted": 600, "paid": 120, "revenue": 60_000})
    cov = [r.coverage for r in rows]
    assert cov == pytest.approx([1.0, 0.9, 0.6, 0.6, 0.6])
    fac = [r.factor for r in rows]
    assert fac == pytest.approx([1.0, 0.9, 0.6 / 0.9, 1.0, 1.0])
    assert math.prod(fac) == pytest.approx(cov[-1])  # the factors multiply to the target's coverage
    lim = tg.limiting_stage(rows)
    assert lim.stage == "contacted"  # the contact rate: 0.667 of plan, needs +50 %
    assert 1 / lim.factor - 1 == pytest.approx(0.5)


def test_limiting_stage_top_volume_and_zero():
    rows = _stage_rows({"reads": 10_000, "joins": 1_000, "contacted": 500, "paid": 100, "revenue": 50_000})
    assert tg.limiting_stage(rows).stage == "reads"  # every rate on plan: the volume limits
    rows = _stage_rows({"reads": 10_000, "joins": 0, "contacted": 0, "paid": 0, "revenue": 0})
    assert tg.limiting_stage(rows).stage == "joins"  # the first stage with nothing projected
    rows = _stage_rows({"reads": 10_000, "joins": 1_000, "contacted": 500, "paid": 100, "revenue": 50_000})
    rows[2] = tg.Stage("contacted", 1000, 0, None, None, None)
    assert tg.limiting_stage(rows) is None  # no projection: no verdict


def test_split_year():
    even = tg.split_year(100, 2026, "even")
    assert even == [9, 9, 9, 9, 8, 8, 8, 8, 8, 8, 8, 8] and sum(even) == 100
    money = tg.split_year(1000, 2026, "even", unit=0.01)
    assert money[:4] == [83.34] * 4 and money[4:] == [83.33] * 8
    assert round(sum(money), 2) == 1000
    days = tg.split_year(365, 2026, "days")
    assert days == [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    custom = tg.split_year(1200, 2026, "custom", [1] * 10 + [2, 0])
    assert custom == [100] * 10 + [200, 0]
    with pytest.raises(ValueError):
        tg.split_year(10, 2026, "custom", [1, 2])
    assert tg.parse_weights("1, 1，1、1 1 1 1 1 1 1 1.2 1.5") == [1] * 10 + [1.2, 1.5]
    assert tg.parse_weights("1, 2") is None and tg.parse_weights("0 " * 12) is None


def test_periods():
    assert tg.default_rate_period(pd.Timestamp("2026-03-10 12:00")) == (dt.date(2026, 2, 9), dt.date(2026, 3, 8))
    # a Sunday's own week is not complete yet (the digest's rule)
    assert tg.default_rate_period(pd.Timestamp("2026-03-08 23:00"))[1] == dt.date(2026, 3, 1)
    assert tg.default_rate_period(None) is None
    m = dt.date(2026, 3, 1)
    assert tg.elapsed_days(m, pd.Timestamp("2026-03-10 12:00")) == 10
    assert tg.elapsed_days(m, pd.Timestamp("2026-04-02")) == 31
    assert tg.elapsed_days(m, pd.Timestamp("2026-02-27")) == 0
    assert tg.parse_month("2026年3月") == m and tg.parse_month("2026/03") == m and tg.parse_month("2026-13") is None


def test_parse_view():
    v, n = tg.parse_view({"month": "2026-03", "metric": "paid", "ch": "wechat", "rfrom": "2026-01-01",
                          "rto": "2026-01-31"}, ["wechat"])
    assert v == tg.TargetsView(dt.date(2026, 3, 1), "paid", "wechat", dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    assert n == []
    v, n = tg.parse_view({"month": "March", "metric": "x", "ch": "nope", "rfrom": "2026-02-01",
                          "rto": "2026-01-01"}, ["wechat"])
    assert v == tg.TargetsView()
    assert [x[2] for x in n] == ["tg_notice_month", "tg_notice_metric", "notice_unknown_channel",
                                 "notice_period_reversed"]
    v, n = tg.parse_view({"rfrom": "2026-02-01"}, [])
    assert v.rate_from is None and n[0][2] == "tg_notice_rates_both"
    assert tg.clean_extra(tg.TargetsView()) == {"month": None, "metric": None, "ch": None, "rfrom": None,
                                                "rto": None}


def test_big_numbers_in_chinese():
    assert tg.fmt_value("revenue", 1_234_567, "zh") == "¥123.46万"
    assert tg.fmt_value("revenue", 1_234_567, "en") == "¥1,234,567"
    assert tg.fmt_value("joins", 250_000_000, "zh") == "2.50亿"
    assert tg.fmt_value("paid", 9_999, "zh") == "9,999"


# ---------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------


def test_csv_import_validates_every_row():
    text = ("月份,指标,渠道,目标\n"
            "2026-03,revenue,,\"¥120,000\"\n"      # ok: total
            "2026年4月,付费用户,wechat,40\n"        # ok
            "2026-13,revenue,,1\n"                 # bad month
            "2026-03,clicks,,1\n"                  # bad metric
            "2026-03,paid,zhihu,2.5\n"             # paid must be whole
            "2026-03,joins,zhihu,-4\n"             # negative
            "2026-03,joins,zhihu,abc\n"            # not a number
            "2026-03,revenue,合计,5\n")             # the total again: duplicate of line 2
    p = tg.parse_csv(text.encode("gb18030"), channels=tg.channel_lookup(["wechat", "zhihu"]))
    assert p.refused is None
    assert p.rows == [tg.Target(dt.date(2026, 3, 1), "revenue", "", 120_000.0),
                      tg.Target(dt.date(2026, 4, 1), "paid", "wechat", 40.0)]
    assert [(e.line, e.column, e.reason) for e in p.errors] == [
        (4, "month", "tg_err_month"), (5, "metric", "tg_err_metric"), (6, "value", "tg_err_value_whole"),
        (7, "value", "tg_err_value_range"), (8, "value", "tg_err_value"), (9, "month", "tg_err_duplicate")]
    from contentroi import i18n

    frame = tg.errors_frame(p.errors, lambda k, **kw: i18n.t(k, "zh", **kw))
    assert frame["reason"].iloc[-1] == "与第 2 行的月份、指标和渠道重复"


def test_csv_import_refuses_a_file_without_columns():
    p = tg.parse_csv(b"when,what\n2026-03,1\n", channels={})
    assert p.refused == "tg_err_columns" and not p.rows
    assert "month" in p.refused_detail and "when" in p.refused_detail


def test_csv_export_round_trips_and_is_formula_safe():
    from contentroi import fmt

    evil = "=HYPERLINK(\"x\")"
    df = pd.DataFrame({"month": [pd.Timestamp("2026-03-01")] * 3, "metric": ["revenue", "joins", "paid"],
                       "channel": ["", "wechat", evil], "value": [1000.5, 30.0, 2.0]})
    out = fmt.safe_csv(tg.export_frame(df))
    assert out.startswith(b"\xef\xbb\xbf")
    assert b"'=HYPERLINK" in out
    back = tg.parse_csv(out, channels=tg.channel_lookup(["wechat", evil]))
    assert [(r.metric, r.channel, r.value) for r in back.rows] == [("revenue", "", 1000.5), ("joins", "wechat", 30.0)]
    # the neutralised text is not the channel's code: rejected, not stored as a new channel
    assert [(e.line, e.reason) for e in back.errors] == [(4, "tg_err_channel_unknown")]


# the store's channel names (engine.channel_names, en and zh) as the tester's store has them
NAMES_EN = {"wechat": "WeChat OA", "zhihu": "Zhihu"}
NAMES_ZH = {"wechat": "公众号", "zhihu": "知乎"}


def test_csv_import_maps_channel_names_in_either_language_to_codes():
    known = tg.channel_lookup(["wechat", "zhihu", "xhs"], NAMES_EN, NAMES_ZH)
    text = ("month,metric,channel,value\n"
            "2026-10,收入,公众号,60000\n"     # zh name
            "2026-10,付费,,40\n"              # total
            "2026-10,revenue,zhihu,5000\n"    # a code
            "2026-11,入群,知乎,300\n"         # zh name
            "2026-11,paid,WeChat OA,7\n"      # en name
            "2026-11,paid,zhihu ,8\n"         # en name / code, case and spaces aside
            "2026-11,joins,xhs,9\n")          # a code without a name
    p = tg.parse_csv(text.encode("utf-8"), channels=known)
    assert p.errors == []
    oct_, nov = dt.date(2026, 10, 1), dt.date(2026, 11, 1)
    assert p.rows == [tg.Target(oct_, "revenue", "wechat", 60000.0), tg.Target(oct_, "paid", "", 40.0),
                      tg.Target(oct_, "revenue", "zhihu", 5000.0), tg.Target(nov, "joins", "zhihu", 300.0),
                      tg.Target(nov, "paid", "wechat", 7.0), tg.Target(nov, "paid", "zhihu", 8.0),
                      tg.Target(nov, "joins", "xhs", 9.0)]
    # a name and the code of one channel are the same key: the second is a duplicate
    dup = tg.parse_csv("month,metric,channel,value\n2026-10,paid,公众号,1\n2026-10,paid,wechat,2\n".encode(),
                       channels=known)
    assert [(e.line, e.reason, e.value) for e in dup.errors] == [(3, "tg_err_duplicate", "2")]


def test_csv_import_rejects_an_unknown_channel_with_its_reason():
    from contentroi import i18n

    known = tg.channel_lookup(["wechat", "zhihu"], NAMES_EN, NAMES_ZH)
    text = ("月份,指标,渠道,目标\n"
            "2026-10,收入,公众号,60000\n"
            "2026-10,收入,抖音,100\n"          # neither a code nor a name
            "2026-10,paid,weixin,3\n")        # nor this
    p = tg.parse_csv(text.encode("utf-8"), channels=known)
    assert p.rows == [tg.Target(dt.date(2026, 10, 1), "revenue", "wechat", 60000.0)]
    assert [(e.line, e.column, e.reason, e.value) for e in p.errors] == [
        (3, "channel", "tg_err_channel_unknown", "抖音"), (4, "channel", "tg_err_channel_unknown", "weixin")]
    zh = tg.errors_frame(p.errors, lambda k, **kw: i18n.t(k, "zh", **kw))
    assert zh["reason"].tolist() == ["数据中没有这个渠道：请填写渠道代码或渠道名称（见数据页）"] * 2
    en = tg.errors_frame(p.errors, lambda k, **kw: i18n.t(k, "en", **kw))
    assert en["reason"].iloc[0] == "not a channel of the data: write its code or its name (Data page)"


def test_channel_lookup_codes_win_and_shared_names_are_ambiguous():
    # two channels named 公众号 in Chinese; a channel whose English name is another's code
    known = tg.channel_lookup(["wechat", "wechat2", "zhihu"], {"zhihu": "wechat"},
                              {"wechat": "公众号", "wechat2": "公众号"})
    assert tg.resolve_channel("公众号", known) == (None, "tg_err_channel_ambiguous")
    assert tg.resolve_channel("wechat", known) == ("wechat", None)  # the code, not zhihu's name
    assert tg.resolve_channel("wechat2", known) == ("wechat2", None)
    assert tg.resolve_channel("WECHAT", known) == ("wechat", None)
    assert tg.resolve_channel("douyin", known) == (None, "tg_err_channel_unknown")
    assert tg.channel_lookup([]) == {}


# ---------------------------------------------------------------------------
# storage and a hand-built world
# ---------------------------------------------------------------------------


def _load(store: Store, log: str, text: str) -> None:
    r = ingest.load_file(store, io.BytesIO(text.encode()), log, file_name=f"{log}.csv")
    assert r.status == "loaded" and r.rejected == 0, (r.message, r.rejects)


ARTICLES = """article_id,title,channel,published_at,reads,cost
A1,One,wechat,2026-03-01 10:00,1000,100
A2,Two,zhihu,2026-03-02 10:00,400,50
"""
JOINS = """user_id,joined_at,article_id
u1,2026-03-01 12:00,A1
u2,2026-03-02 12:00,A1
u3,2026-03-02 13:00,A1
u4,2026-03-03 09:00,A2
u5,2026-03-05 09:00,A2
u1,2026-03-06 09:00,A2
"""
SALES = """user_id,event,occurred_at,amount,order_id
u1,contact,2026-03-02 09:00,,
u1,payment,2026-03-03 09:00,300,o1
u2,contact,2026-03-04 09:00,,
u4,contact,2026-03-05 09:00,,
u4,payment,2026-03-07 09:00,200,o2
u5,contact,2026-03-10 12:00,,
"""


@pytest.fixture(scope="module")
def world():
    store = Store(":memory:")
    _load(store, "articles", ARTICLES)
    _load(store, "joins", JOINS)
    _load(store, "sales", SALES)
    yield store
    store.close()


def test_daily_actuals(world):
    df = sql.run(world.cursor(), "targets_daily", month_from=dt.date(2026, 3, 1), month_to=dt.date(2026, 3, 31),
                 channels=[], window_days=30, model="first_touch")
    assert len(df) == 31
    first10 = df.head(10)
    assert first10["reads"].tolist() == [1000, 400] + [0] * 8
    # u1 counts once (03-01), though they joined A2 on 03-06 too
    assert first10["joins"].tolist() == [1, 2, 1, 0, 1, 0, 0, 0, 0, 0]
    assert first10["contacted"].tolist() == [0, 1, 0, 1, 1, 0, 0, 0, 0, 1]
    assert first10["paid"].tolist() == [0, 0, 1, 0, 0, 0, 1, 0, 0, 0]
    assert first10["revenue"].tolist() == [0, 0, 300, 0, 0, 0, 200, 0, 0, 0]
    assert df.iloc[10:][["reads", "joins", "contacted", "paid", "revenue"]].to_numpy().sum() == 0
    wechat = sql.run(world.cursor(), "targets_daily", month_from=dt.date(2026, 3, 1),
                     month_to=dt.date(2026, 3, 31), channels=["wechat"], window_days=30, model="first_touch")
    assert wechat[["reads", "joins", "contacted", "paid", "revenue"]].sum().tolist() == [1000, 3, 2, 1, 300]


def test_compute_on_the_world(world):
    def query(name, params, **extra):
        return engine.query(world, name, params, **extra)

    targets_df = pd.DataFrame({"month": [pd.Timestamp("2026-03-01")], "metric": ["revenue"], "channel": [""],
                               "value": [10_000.0]})
    view = tg.TargetsView(None, "revenue", "", dt.date(2026, 3, 1), dt.date(2026, 3, 8))
    last_at = pd.Timestamp("2026-03-10 12:00")
    mv = tg.compute(query, Params(), view, last_at, targets_df)
    assert mv.month == dt.date(2026, 3, 1) and mv.elapsed == 10 and mv.target == 10_000
    # rates of the two articles: joins 5 / reads 1,400 = 0.0036 (4 decimals), contacted 4 / 5,
    # paid 2 / 4, revenue ¥500 / 2 paid = ¥250
    r = mv.rates
    assert (r.join_rate, r.contact_rate, r.pay_rate, r.revenue_per_paid) == (0.0036, 0.8, 0.5, 250.0)
    req = {s.stage: s.required for s in mv.rows}
    assert req == pytest.approx({"revenue": 10_000, "paid": 40, "contacted": 80, "joins": 100,
                                 "reads": 100 / 0.0036})
    assert tg.whole(req["reads"]) == 27_778
    # pacing: revenue 300 + 200 in 10 days, 21 left: 500 + 50 · 21 = 1,550;
    # deviations from 50: 250, 150 and eight -50s: s² = (250² + 150² + 8 · 50²) / 9 = 105,000 / 9;
    # half = z · s · √(21 + 21²/10) = 1,708.09; the lower bound stops at the ¥500 already there
    p = mv.paces["revenue"]
    assert (p.actual, p.projection) == (500, 1550)
    half = Z * math.sqrt(105_000 / 9) * math.sqrt(21 + 21 ** 2 / 10)
    assert half == pytest.approx(1708.09, abs=0.01)
    assert p.lo == 500 and p.hi == pytest.approx(1550 + half)
    proj = {s.stage: s.projected for s in mv.rows}
    assert proj == pytest.approx({"reads": 1400 + 140 * 21, "joins": 5 + 0.5 * 21, "contacted": 4 + 0.4 * 21,
                                  "paid": 2 + 0.2 * 21, "revenue": 1550})
    # coverage 0.155 everywhere below reads (4,340 / 27,777.8 = 0.15624): every step runs at
    # its planning rate or better, so the volume of reads limits
    assert [round(s.coverage, 4) for s in mv.rows] == [0.1562, 0.155, 0.155, 0.155, 0.155]
    assert mv.limit.stage == "reads"
    assert not mv.rate_default and mv.rates_maturing  # users of 03-01..03-08 are in their 30 days


def test_migration_adds_the_tables_and_clear_keeps_them(tmp_path):
    import duckdb

    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))  # a store of schema version 1 (before targets)
    for ddl in MIGRATIONS[0]:
        con.execute(ddl)
    con.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    con.close()
    store = Store(path)
    assert store.schema_version() == len(MIGRATIONS) >= 2
    tg.save(store, [tg.Target(dt.date(2026, 3, 1), "revenue", "", 5.0),
                    tg.Target(dt.date(2026, 3, 1), "joins", "wechat", 7.0)])
    tg.save(store, [tg.Target(dt.date(2026, 3, 1), "revenue", "", 6.0)],
            delete=[(dt.date(2026, 3, 1), "joins", "wechat")])
    store.clear()
    df = sql.run(store.cursor(), "targets_list")
    assert df[["metric", "channel", "value"]].values.tolist() == [["revenue", "", 6.0]]
    store.close()


# ---------------------------------------------------------------------------
# properties
# ---------------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as hs  # noqa: E402


@settings(max_examples=200, deadline=None)
@given(total=hs.integers(0, 10**9), profile=hs.sampled_from(["even", "days", "custom"]),
       weights=hs.lists(hs.integers(0, 50), min_size=12, max_size=12).filter(lambda w: sum(w) > 0),
       money=hs.booleans(), year=hs.integers(2000, 2100))
def test_split_year_adds_up_exactly(total, profile, weights, money, year):
    unit = 0.01 if money else 1.0
    value = total / 100 if money else total
    parts = tg.split_year(value, year, profile, weights if profile == "custom" else None, unit)
    assert len(parts) == 12 and min(parts) >= 0
    assert round(sum(round(p / unit) for p in parts)) == round(value / unit)  # exact, in units
    if profile == "custom":  # a month with weight 0 gets nothing
        assert all(p == 0 for p, w in zip(parts, weights) if w == 0)


@settings(max_examples=300, deadline=None)
@given(daily=hs.lists(hs.integers(0, 5000), min_size=28, max_size=31), data=hs.data())
def test_pace_interval_brackets_the_projection(daily, data):
    d = data.draw(hs.integers(0, len(daily)))
    p = tg.pace(daily, d)
    assert p.actual == sum(daily[:d])
    if d == 0:
        assert p.projection is None
        return
    assert p.projection == pytest.approx(p.actual * len(daily) / d)
    if p.lo is not None:
        assert p.actual <= p.lo <= p.projection + 1e-9 <= p.hi + 2e-9
    if len(daily) == 31 and d < 31:  # January: the drawn projection ends at the projection
        frame = tg.pacing_frame(dt.date(2026, 1, 1), daily, None, p)
        assert frame["projection"].iloc[-1] == pytest.approx(p.projection)
        assert frame["actual"].iloc[d - 1] == pytest.approx(p.actual)


def test_daily_actuals_cross_checked_with_pandas(sample_store):
    """October of the sample: joins / contacted / paid per day from the CSVs with pandas,
    straight from the contract's definitions, against targets_daily."""
    from .conftest import ROOT

    a = pd.read_csv(ROOT / "data/sample/articles.csv", dtype=str)
    j = pd.read_csv(ROOT / "data/sample/joins.csv", dtype=str, keep_default_na=False)
    s = pd.read_csv(ROOT / "data/sample/sales.csv", dtype=str, keep_default_na=False)
    j["joined_at"] = pd.to_datetime(j["joined_at"])
    s["occurred_at"] = pd.to_datetime(s["occurred_at"])
    j = j[j["article_id"].isin(set(a["article_id"]))]
    ua = j.groupby(["article_id", "user_id"], as_index=False)["joined_at"].min().rename(columns={"joined_at": "t0"})
    w = pd.Timedelta(days=30)
    contacts = s[s["event"] == "contact"].groupby("user_id")["occurred_at"].apply(sorted).to_dict()
    payments = s[s["event"] == "payment"].groupby("user_id")["occurred_at"].apply(sorted).to_dict()
    c_at, p_at = [], []
    for r in ua.itertuples():
        c = next((x for x in contacts.get(r.user_id, []) if x >= r.t0), None)
        c = c if c is not None and c <= r.t0 + w else None
        p = next((x for x in payments.get(r.user_id, []) if c is not None and x >= c), None)
        c_at.append(c)
        p_at.append(p if p is not None and p <= r.t0 + w else None)
    ua["c_at"], ua["p_at"] = c_at, p_at
    lo, hi = pd.Timestamp("2026-10-01"), pd.Timestamp("2026-11-01")

    def per_day(col):
        x = ua[(ua[col] >= lo) & (ua[col] < hi)].groupby("user_id")[col].min().dt.date
        return x.value_counts().to_dict()

    got = sql.run(sample_store.cursor(), "targets_daily", month_from=dt.date(2026, 10, 1),
                  month_to=dt.date(2026, 10, 31), channels=[], window_days=30, model="first_touch")
    got["day"] = got["day"].dt.date
    for col, stage in (("t0", "joins"), ("c_at", "contacted"), ("p_at", "paid")):
        want = per_day(col)
        assert {d: n for d, n in zip(got["day"], got[stage]) if n} == want, stage
    assert got[["joins", "contacted", "paid"]].sum().tolist() == [1551, 412, 86]


def test_grid_changes_set_clear_keep_and_refuse():
    """Saving the page's grid: a value set or changed is saved, a cleared one deleted, an
    unchanged one left alone, a bad one refused with its reason (by hand)."""
    month = dt.date(2026, 10, 1)
    df = pd.DataFrame({"month": [month, month, month], "metric": ["revenue", "paid", "joins"],
                       "channel": ["", "", "wechat"], "value": [1000.0, 5.0, 300.0]})
    frame, current = tg.grid(df, month, ["wechat", "zhihu"], lambda c: c or "Total")
    assert frame["channel"].tolist() == ["Total", "wechat", "zhihu"]
    assert current[("", "revenue")] == 1000.0 and current[("wechat", "joins")] == 300.0
    assert current[("zhihu", "paid")] is None
    edited = [{"channel": "Total", "revenue": 1000.0, "paid": None, "joins": 2.5},     # keep, clear, bad
              {"channel": "wechat", "revenue": 50.0, "paid": 3.0, "joins": 300.0},     # set, set, keep
              {"channel": "zhihu", "revenue": -1.0, "paid": float("nan"), "joins": None}]  # bad, -, -
    ch = tg.grid_changes(current, edited, ["wechat", "zhihu"], month)
    assert ch.delete == [(month, "paid", "")]
    assert ch.upsert == [tg.Target(month, "revenue", "wechat", 50.0), tg.Target(month, "paid", "wechat", 3.0)]
    assert ch.bad == [("", "joins", "tg_err_value_whole", 2.5), ("zhihu", "revenue", "tg_err_value_range", -1.0)]


def test_year_targets_and_preview():
    split = tg.split_year(1200.0, 2027, "even", unit=1.0)
    rows = tg.year_targets(2027, "paid", "zhihu", split)
    assert [r.month for r in rows] == [dt.date(2027, m, 1) for m in range(1, 13)]
    assert {r.value for r in rows} == {100.0} and {r.channel for r in rows} == {"zhihu"}
    prev = tg.year_preview(2027, "revenue", [123456.0] * 12, lambda k, **kw: k, "zh")
    assert prev.loc["tg_month"].tolist()[:2] == ["2027-01", "2027-02"]
    assert prev.loc["m_revenue"].tolist()[0] == "¥12.35万"
