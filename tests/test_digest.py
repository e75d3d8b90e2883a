"""The daily / weekly digest pinned on a planted world whose answer is known.

Weeks: previous = Mon 2026-03-02 … Sun 03-08, current = Mon 03-09 … Sun 03-15; the
latest event is Mon 03-16 09:00, so the default week is the current one and the
default day is Sun 03-15. Every user joins at 12:00, is contacted at 13:00 and pays
(¥100) at 15:00 the same day, so both cohorts are complete at their period's end.

              previous week                 current week
  wechat   125 joins, 100 contacted, 40 paid   125 joins, 100 contacted, 10 paid   <- planted drop
  zhihu    100 joins,  50 contacted, 20 paid   100 joins,  50 contacted, 20 paid   (no change)
  weibo     20 joins,  20 contacted,  8 paid    20 joins,  20 contacted,  2 paid   (tiny: n < 30)

contacted -> paid: wechat 40% -> 10% (n = 100 both): z = 0.3 / sqrt(.25 * .75 * 2/100) = 4.899,
p = erfc(4.899 / sqrt 2) = 9.6e-7. All channels: 68/170 = 40% -> 32/170 = 18.8%.
weibo 8/20 -> 2/20 is "significant" (p = 0.028) but n = 20 < 30: no alert.
Revenue (first touch, one touch per user): previous 6,800 (wechat 4,000, zhihu 2,000,
weibo 800), current 3,200 (zhihu 2,000, wechat 1,000, weibo 200).
"""
from __future__ import annotations

import datetime as dt
import html as htmllib
import math
import re
import shutil
import subprocess
import sys
from functools import partial
from pathlib import Path

import pytest

from contentroi import cli, digest, engine, i18n
from contentroi.engine import Params
from contentroi.store import Store

from .worlds import make_store

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
PREV_MON = dt.date(2026, 3, 2)
CUR_MON = dt.date(2026, 3, 9)
# channel -> (article of the previous week, article(s) of the current week, joins, contacted, paid prev, paid cur)
PLAN = {
    "wechat": ("W1", ("W1", "W2"), 125, 100, 40, 10),
    "zhihu": ("Z1", ("Z1",), 100, 50, 20, 20),
    "weibo": ("B1", ("B1",), 20, 20, 8, 2),
}
ALERT_EN = "wechat: contacted → paid fell from 40% to 10% (n=100, before 100), p<0.001"
ALERT_ZH = "wechat：联系 → 付费 从 40% 降至 10%（n=100，上期 100），p<0.001"
# as the digest shows it: the channel by its display name in the store (wechat -> 公众号)
ALERT_ZH_SHOWN = ALERT_ZH.replace("wechat：", "公众号：")


def planted_world():
    articles = [
        ("W1", "Wechat evergreen", "wechat", "2026-02-20 08:00", "Li", 5000, 500),
        ("W2", "Wechat new this week", "wechat", "2026-03-10 08:00", "Li", 3000, 300),
        ("Z1", "Zhihu evergreen", "zhihu", "2026-02-20 08:00", "Wang", 4000, 400),
        ("Z2", "Zhihu new last week", "zhihu", "2026-03-03 08:00", "Wang", 1000, 100),
        ("B1", "Weibo evergreen", "weibo", "2026-02-20 08:00", None, 2000, 200),
        ("X1", "Published on Monday", "wechat", "2026-03-16 09:00", None, 10, 0),  # the latest event
    ]
    joins, sales = [], []
    for ch, (a_prev, a_cur, n_join, n_contact, paid_prev, paid_cur) in PLAN.items():
        for week, monday, paid in (("p", PREV_MON, paid_prev), ("c", CUR_MON, paid_cur)):
            for i in range(n_join):
                user = f"{ch}-{week}{i:03d}"
                day = monday + dt.timedelta(days=i % 7)
                if week == "p":
                    art = a_prev
                else:
                    art = a_cur[-1] if day >= dt.date(2026, 3, 10) else a_cur[0]
                joins.append((user, f"{day} 12:00", art, "g1"))
                if i < n_contact:
                    sales.append((user, "contact", f"{day} 13:00", "R1", None, None))
                if i < paid:
                    sales.append((user, "payment", f"{day} 15:00", "R1", 100, f"O-{user}"))
    return articles, joins, sales


@pytest.fixture(scope="module")
def planted_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("digest") / "planted.duckdb"
    store = make_store(*planted_world(), path=path)
    store.set_meta("initialized", "yes")
    store.close()
    return path


@pytest.fixture
def planted_copy(planted_db, tmp_path) -> Path:
    """A private copy: a process opens one file once (a second read-only Store of a file
    this process already reads is refused), so the command and the app get their own."""
    dst = tmp_path / "planted.duckdb"
    shutil.copy(planted_db, dst)
    return dst


@pytest.fixture(scope="module")
def store(planted_db):
    path = planted_db.with_name("engine.duckdb")
    shutil.copy(planted_db, path)
    s = Store(path, read_only=True)
    yield s
    s.close()


@pytest.fixture(scope="module")
def week(store) -> digest.Digest:
    return digest.build(partial(engine.query, store), Params(), "week")


# ---- the period ----------------------------------------------------------------


def test_periods_and_default_dates():
    p = digest.Period("week", dt.date(2026, 3, 15))
    assert (p.start, p.end, p.prev_start, p.prev_end) == (CUR_MON, dt.date(2026, 3, 15), PREV_MON,
                                                          dt.date(2026, 3, 8))
    assert p.as_of == dt.datetime(2026, 3, 16)
    d = digest.Period("day", dt.date(2026, 3, 15))
    assert (d.start, d.prev_start, d.prev_end) == (dt.date(2026, 3, 15), dt.date(2026, 3, 14), dt.date(2026, 3, 14))
    last = dt.datetime(2026, 3, 16, 9, 0)  # a Monday: the week before it is complete
    assert digest.default_end("week", last) == dt.date(2026, 3, 15)
    assert digest.default_end("day", last) == dt.date(2026, 3, 15)
    sunday = dt.datetime(2026, 3, 15, 23, 0)  # data still arriving on Sunday: that week is not complete
    assert digest.default_end("week", sunday) == dt.date(2026, 3, 8)
    assert digest.default_end("day", sunday) == dt.date(2026, 3, 14)
    # less than one complete week of data (first event Monday 9 March): the week that holds
    # the data, in progress, rather than the empty week before it
    assert digest.default_end("week", sunday, first_at=dt.datetime(2026, 3, 9, 8)) == dt.date(2026, 3, 15)
    assert digest.default_end("week", dt.datetime(2026, 3, 12, 9), first_at="2026-03-09 08:00") == dt.date(2026, 3, 15)
    assert digest.default_end("week", sunday, first_at=dt.datetime(2026, 3, 8, 8)) == dt.date(2026, 3, 8)
    assert digest.default_end("day", sunday, first_at=dt.datetime(2026, 3, 14, 8)) == dt.date(2026, 3, 14)
    with pytest.raises(ValueError):
        digest.Period("month", dt.date(2026, 3, 15))


def test_two_proportion_z_by_hand():
    z, p = digest.two_proportion_z(40, 100, 10, 100)
    assert z == pytest.approx(-0.3 / math.sqrt(0.25 * 0.75 * 0.02))
    assert z == pytest.approx(-4.8990, abs=1e-4)
    assert p == pytest.approx(math.erfc(4.898979 / math.sqrt(2)), rel=1e-4)
    assert 1e-7 < p < 1e-6
    assert digest.two_proportion_z(0, 50, 0, 50) == (0.0, 1.0)  # nothing varies: nothing to test
    assert digest.two_proportion_z(1, 0, 1, 10) == (None, None)
    assert digest.p_text(9.6e-7) == "p<0.001"
    assert digest.p_text(0.004) == "p<0.01"
    assert digest.p_text(0.0312) == "p=0.03"


# ---- the planted answer ----------------------------------------------------------


def test_default_week_and_cohort_counts(week):
    assert week.period.start == CUR_MON and week.period.end == dt.date(2026, 3, 15)
    t = week.total
    assert (t["joins"], t["contacted"], t["paid"]) == (245, 170, 32)
    assert (t["joins_prev"], t["contacted_prev"], t["paid_prev"]) == (245, 170, 68)
    assert (t["revenue"], t["revenue_prev"]) == (3200.0, 6800.0)
    assert (t["articles"], t["reads"], t["cost"]) == (1, 3000, 300.0)  # W2 published this week
    assert (t["articles_prev"], t["reads_prev"], t["cost_prev"]) == (1, 1000, 100.0)  # Z2
    by = {c["channel"]: c for c in week.channels}
    assert (by["wechat"]["contacted"], by["wechat"]["paid"], by["wechat"]["paid_prev"]) == (100, 10, 40)
    assert not week.empty and not week.incomplete


def test_planted_drop_is_alerted_with_its_numbers(week):
    a = next(x for x in week.alerts if x.channel == "wechat" and x.stage == "pay_rate")
    assert (a.k_prev, a.n_prev, a.k_cur, a.n_cur) == (40, 100, 10, 100)
    assert a.rate_prev == 0.4 and a.rate_cur == 0.1
    assert a.z == pytest.approx(-4.899, abs=1e-3)
    assert a.p < 0.001
    assert a.direction == "down" and a.severity == "error"
    assert digest.alert_line(a, "en") == ALERT_EN
    assert digest.alert_line(a, "zh") == ALERT_ZH


def test_only_the_planted_changes_alert(week):
    got = {(a.channel, a.stage) for a in week.alerts}
    # the wechat drop shows in its pay and overall rates, and in all channels' ones; nothing else
    assert got == {("wechat", "pay_rate"), ("wechat", "overall_rate"), (None, "pay_rate"), (None, "overall_rate")}
    total = next(a for a in week.alerts if a.channel is None and a.stage == "pay_rate")
    assert digest.alert_line(total) == ("All channels: contacted → paid fell from 40% to 19% "
                                        "(n=170, before 170), p<0.001")
    assert week.tested == 9  # all, wechat, zhihu x 3 stages; weibo (n = 20) is not tested


def test_tiny_sample_is_not_alerted(week):
    # the same change on 20 users would pass the test at 5% on its own ...
    assert digest.two_proportion_z(8, 20, 2, 20)[1] < 0.05
    # ... but needs n >= 30 in both periods
    assert not [a for a in week.alerts if a.channel == "weibo"]
    by = {c["channel"]: c for c in week.channels}
    assert (by["weibo"]["paid_prev"], by["weibo"]["contacted_prev"], by["weibo"]["paid"]) == (8, 20, 2)


def test_race_new_articles_and_pipeline(week):
    race = {c["channel"]: (c["rank"], c["rank_prev"], c["rank_change"], c["revenue"]) for c in week.channels}
    assert race == {"zhihu": (1, 2, 1, 2000.0), "wechat": (2, 1, -1, 1000.0), "weibo": (3, 3, 0, 200.0)}
    rows = digest.race_table(week).rows
    assert [r[:3] for r in rows] == [["1", "▲1", "zhihu"], ["2", "▼1", "wechat"], ["3", "=", "weibo"]]
    new = week.new_articles
    assert [a["article_id"] for a in new] == ["W2"]
    # W2's early results: the current wechat users who joined from 03-10 (6 of 7 days)
    n_w2 = sum(1 for i in range(125) if i % 7 >= 1)
    assert new[0]["joins"] == n_w2
    assert new[0]["paid"] == sum(1 for i in range(10) if i % 7 >= 1)
    pipe = digest.pipeline_total(week)
    # unpaid, still inside 30 days at 03-16 00:00: both weeks' users who did not pay
    assert pipe["open"] == (245 - 68) + (245 - 32)
    assert pipe["contacted"] == (170 - 68) + (170 - 32)
    assert pipe["not_contacted"] == 75 + 75
    assert pipe["from_period"] == 245 - 32
    assert pipe["closing_soon"] == 0


def test_rankings_need_min_n(week):
    r = week.rankings()
    # Z1 2,000; W2 800 (8 payers); B1 and W1 200 each, B1 first on more joins (20 vs 18)
    assert [a["article_id"] for a in r["top_revenue"]] == ["Z1", "W2", "B1", "W1"]
    assert [a["revenue"] for a in r["top_revenue"]] == [2000.0, 800.0, 200.0, 200.0]
    sized = {a["article_id"] for a in week.articles if a["joins"] >= 30}
    assert {a["article_id"] for a in r["top_rate"]} | {a["article_id"] for a in r["bottom_rate"]} <= sized
    assert "B1" not in sized  # 20 joins: never ranked by rate
    top = r["top_rate"][0]
    assert top["article_id"] == "Z1" and top["overall_rate"] == 0.2
    assert top["overall_lo"] < 0.2 < top["overall_hi"]  # the Wilson interval


def test_empty_period_says_so(store):
    d = digest.build(partial(engine.query, store), Params(), "week", dt.date(2025, 1, 5))
    assert d.empty and not d.alerts and d.tested == 0
    md = digest.render_md(d)
    assert "No activity in this period" in md
    assert "No activity" not in digest.render_md(digest.build(partial(engine.query, store), Params(), "week"))
    assert "本周期内没有任何活动" in digest.render_md(d, "zh")


def test_a_first_week_of_data_gets_that_week_not_an_empty_one():
    """An editor's first upload: five days of data, Monday 2 to Sunday 8 November, the last
    join on Friday. The weekly digest opens on that week (not final), not the empty week before."""
    s = make_store(
        [("A1", "t", "wechat", "2026-11-02 09:00", None, 100, 10)],
        [("u1", "2026-11-02 10:00", "A1", None), ("u2", "2026-11-06 09:00", "A1", None)],
        [("u1", "payment", "2026-11-08 09:00", "R", 99, "O1")])
    try:
        q = partial(engine.query, s)
        d = digest.build(q, Params(), "week")
        assert (d.period.start, d.period.end) == (dt.date(2026, 11, 2), dt.date(2026, 11, 8))
        assert digest.default_date(q, Params(), "week") == dt.date(2026, 11, 8)
        assert not d.empty and d.total["joins"] == 2
        assert "No activity" not in digest.render_md(d)
    finally:
        s.close()


def test_day_digest_defaults_to_the_last_complete_day(store):
    d = digest.build(partial(engine.query, store), Params(), "day")
    assert d.period.start == d.period.end == dt.date(2026, 3, 15)
    # the users of the seventh day of the week (i % 7 == 6) of each channel
    assert d.total["joins"] == sum(sum(1 for i in range(v[2]) if i % 7 == 6) for v in PLAN.values()) == 33
    assert d.period.prev_start == dt.date(2026, 3, 14)
    assert d.total["joins_prev"] == sum(sum(1 for i in range(v[2]) if i % 7 == 5) for v in PLAN.values())


# ---- rendering -----------------------------------------------------------------


def test_markdown_and_html_carry_the_alert(week):
    md = digest.render_md(week)
    assert f"🔴 {ALERT_EN}" in md
    assert "The period selects activity" in md
    html = digest.render_html(week)
    assert htmllib.escape(ALERT_EN) in html  # "p&lt;0.001": the page shows "p<0.001"
    assert html.startswith("<!DOCTYPE html>") and "<svg" in html  # charts are inline SVG
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*https?:""", html, re.I)
    assert "http" not in html  # nothing external at all
    assert "<link" not in html and "<script" not in html
    zh = digest.render_html(week, "zh")
    assert htmllib.escape(ALERT_ZH_SHOWN) in zh and 'lang="zh-CN"' in zh


def test_every_digest_text_is_translated(week):
    keys = [k for k in i18n.TEXT if k.startswith("dg_")]
    assert len(keys) > 50
    for lang in ("en", "zh"):
        for text in (digest.render_md(week, lang), digest.render_html(week, lang, with_charts=False)):
            assert not re.search(r"\bdg_[a-z_]+", text), lang
    assert all(re.search(r"[\u4e00-\u9fff]", i18n.TEXT[k][1]) for k in keys)  # every key has its Chinese



def test_a_chinese_download_is_chinese_whatever_language_the_thread_formats_in(week):
    """The page's downloads are rendered on another thread (English formatting by default):
    the Chinese file still says 个百分点 and 万, never "pp"."""
    from contentroi import fmt

    with fmt.using("en"):
        md, html = digest.render_md(week, "zh"), digest.render_html(week, "zh", with_charts=False)
    for text in (md, html):
        assert "个百分点" in text and not re.search(r"\d pp\b", text)
    with fmt.using("zh"):
        en = digest.render_md(week, "en")
    assert " pp" in en and "个百分点" not in en and "万" not in en


# ---- the command ------------------------------------------------------------------


def run_cli(capsys, *args):
    code = cli.main(["digest", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_markdown_and_html(planted_copy, capsys, tmp_path):
    code, out, err = run_cli(capsys, "--db", str(planted_copy), "--period", "week")
    assert code == 0, err
    assert out.startswith("# Weekly digest · 2026-03-09 → 2026-03-15")
    assert ALERT_EN in out
    target = tmp_path / "digest.html"
    code, out, err = run_cli(capsys, "--db", str(planted_copy), "--period", "week", "--date", "2026-03-15",
                             "--format", "html", "--out", str(target), "--lang", "zh")
    assert code == 0 and out == ""
    html = target.read_text(encoding="utf-8")
    assert htmllib.escape(ALERT_ZH_SHOWN) in html and "http" not in html


def test_cli_empty_period(planted_copy, capsys):
    code, out, _ = run_cli(capsys, "--db", str(planted_copy), "--period", "day", "--date", "2024-06-01")
    assert code == 0
    assert "No activity in this period" in out


@pytest.mark.parametrize("args, needle", [
    (["--period", "month"], "--period"),
    (["--date", "yesterday"], "--date"),
    (["--format", "pdf"], "--format"),
    (["--lang", "fr"], "--lang"),
    (["--db", "/nonexistent/store.duckdb"], "no store"),
])
def test_cli_bad_arguments_exit_2_with_one_line(planted_copy, capsys, args, needle):
    base = [] if "--db" in args else ["--db", str(planted_copy)]
    code, out, err = run_cli(capsys, *base, *args)
    assert code == 2
    assert out == ""
    assert err.startswith("error:") and needle in err
    assert err.count("\n") == 1


def test_cli_exit_codes_as_a_process(planted_copy):
    py = [sys.executable, "-m", "contentroi", "digest", "--db", str(planted_copy)]
    ok = subprocess.run(py + ["--period", "week"], capture_output=True, text=True, cwd=ROOT)
    assert ok.returncode == 0 and ALERT_EN in ok.stdout
    bad = subprocess.run(py + ["--period", "month"], capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode == 2 and bad.stdout == "" and len(bad.stderr.strip().splitlines()) == 1


# ---- the page (AppTest) ----------------------------------------------------------------


@pytest.fixture
def digest_app(planted_copy, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("CONTENTROI_DB", str(planted_copy))
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("pages/digest.py")
    at.query_params["period"] = "week"
    return at


def qp(at, key: str) -> str | None:
    v = at.query_params.get(key)
    return v[-1] if isinstance(v, list) else v


def _texts(at) -> list[str]:
    out = []
    for kind in ("title", "subheader", "caption", "markdown", "info", "success", "warning", "error"):
        out += [str(e.value) for e in getattr(at, kind)]
    return out


@pytest.mark.parametrize("lang, alert, title", [("en", ALERT_EN, "Digest"), ("zh", ALERT_ZH_SHOWN, "日报/周报")])
def test_page_renders_and_shows_the_planted_alert(digest_app, lang, alert, title):
    if lang == "zh":
        digest_app.query_params["lang"] = "zh"
    at = digest_app.run()
    assert not at.exception, at.exception
    assert at.title[0].value == title
    errors = [e.value for e in at.error]
    assert alert in errors  # at the top, in red
    assert not [x for x in _texts(at) if re.search(r"\bdg_[a-z_]+", x)]  # no raw key
    heading = i18n.t("dg_title_week", lang, span="2026-03-09 → 2026-03-15")
    assert heading in [s.value for s in at.subheader]
    assert len(at.metric) == 8
    labels = [m.label for m in at.metric]
    assert i18n.t("dg_kpi_joins", lang) in labels
    assert len(at.get("vega_lite_chart")) == 2


@pytest.mark.parametrize("order", ["as defined", "reversed"])
def test_markdown_html_and_page_follow_the_one_section_list(week, digest_app, monkeypatch, order):
    """digest.content.SECTIONS is the order of all three renderers: reorder it, and the
    Markdown's, the HTML's and the page's section headings follow."""
    from contentroi.digest import content

    sections = content.SECTIONS if order == "as defined" else tuple(reversed(content.SECTIONS))
    monkeypatch.setattr(content, "SECTIONS", sections)
    head = {s: digest.heading(week, s, "en") for s in sections}
    assert len(set(head.values())) == len(sections) == 8

    def order_of(texts):
        return [s for x in texts for s in sections if x == head[s]]

    md = order_of(line.removeprefix("## ") for line in digest.render_md(week).splitlines()
                  if line.startswith("## "))
    html = order_of(htmllib.unescape(h) for h in
                    re.findall(r"<h2>(.*?)</h2>", digest.render_html(week, with_charts=False)))
    at = digest_app.run()
    assert not at.exception, at.exception
    page = order_of(n.value.removeprefix("#### ") if n.type == "markdown" else n.label
                    for n in at.main if n.type in ("markdown", "expander"))
    assert md == html == page == list(sections)


def test_page_day_and_date_from_the_link(digest_app):
    digest_app.query_params["period"] = "day"
    digest_app.query_params["date"] = "2026-03-15"
    at = digest_app.run()
    assert not at.exception
    assert i18n.t("dg_title_day", "en", span="2026-03-15") in [s.value for s in at.subheader]
    assert not at.error  # 33 vs 35 users, no significant change
    assert qp(at, "period") == "day"


def test_page_empty_period(digest_app):
    digest_app.query_params["date"] = "2025-01-05"
    at = digest_app.run()
    assert not at.exception
    assert any("No activity in this period" in w.value for w in at.warning)


def test_page_selector_writes_the_link(digest_app):
    at = digest_app.run()
    at.segmented_control(key="dg_w_period").set_value("day").run()
    assert not at.exception
    assert qp(at, "period") == "day"
    assert i18n.t("dg_title_day", "en", span="2026-03-15") in [s.value for s in at.subheader]
    at.date_input(key="dg_w_date").set_value(dt.date(2026, 3, 14)).run()
    assert qp(at, "date") == "2026-03-14"
    assert i18n.t("dg_title_day", "en", span="2026-03-14") in [s.value for s in at.subheader]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_page_lists_a_page_of_new_articles_and_links_to_all(digest_app, monkeypatch, lang):
    """The page shows at most dg.PAGE_NEW_LIMIT new articles (a week of the 3x world has
    2,241); the rest are counted and linked: the Articles page, published in the period."""
    digest_app.query_params["lang"] = lang
    at = digest_app.run()  # the planted week has one new article (W2): listed, nothing left over
    assert not at.exception, at.exception
    label = i18n.t("dg_new_all", lang, n="1")
    assert not [e for e in at.get("page_link") if e.proto.label == label]
    assert i18n.t("dg_more", lang, n="1") not in [c.value for c in at.caption]
    tables = len(at.table)

    monkeypatch.setattr(digest, "PAGE_NEW_LIMIT", 0)
    at = digest_app.run()
    assert not at.exception, at.exception
    assert len(at.table) == tables - 1  # no rows to show: no table
    assert i18n.t("dg_more", lang, n="1") in [c.value for c in at.caption]
    links = [e.proto for e in at.get("page_link") if e.proto.label == label]
    assert len(links) == 1
    assert links[0].page == "articles"
    q = dict(x.split("=", 1) for x in links[0].query_string.split("&"))
    assert (q["from"], q["to"]) == ("2026-03-09", "2026-03-15")  # the week: what was published in it
    assert q.get("lang", "en") == lang
