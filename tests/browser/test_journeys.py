"""The journeys people make, in a real Chromium against `streamlit run`:
open a shared link, change a filter, switch pages, survive garbage, read Chinese."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from urllib.parse import parse_qs, urlparse

import pytest

from contentroi import fmt
from contentroi.pagelist import PAGES as PAGELIST

from .conftest import ROOT, shot, wait_ready

pytestmark = pytest.mark.browser

LINK = {"channel": ["wechat", "zhihu"], "model": "linear", "window": "14",
        "from": "2026-06-01", "to": "2026-09-30"}


def report(db, *args) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "contentroi", "report", "--db", str(db), *args],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )
    return json.loads(out.stdout)


def link_args() -> list[str]:
    return ["--channel", "wechat", "--channel", "zhihu", "--model", "linear", "--window-days", "14",
            "--from", "2026-06-01", "--to", "2026-09-30"]


def query(extra: dict | None = None) -> str:
    parts = [("channel", c) for c in LINK["channel"]]
    parts += [(k, v) for k, v in LINK.items() if k != "channel"]
    parts += list((extra or {}).items())
    return "?" + "&".join(f"{k}={v}" for k, v in parts)


def tile(page, label: str) -> str:
    m = page.locator("[data-testid='stMetric']").filter(
        has=page.locator("[data-testid='stMetricLabel']", has_text=re.compile(f"^{re.escape(label)}$")))
    return m.first.locator("[data-testid='stMetricValue']").inner_text().strip()


def test_shared_link_shows_the_report_figures(server, page):
    rep = report(server.db, *link_args())
    tot = rep["totals"]
    page.goto(server.url + "/" + query())
    wait_ready(page)
    assert tile(page, "Revenue") == fmt.money(tot["revenue"])
    assert tile(page, "Joins") == fmt.count(tot["joins"])
    assert tile(page, "Paid") == fmt.count(tot["paid"])
    assert tile(page, "Cost") == fmt.money(tot["cost"])
    # the sidebar shows the link's filters
    sidebar = page.locator("[data-testid='stSidebar']")
    assert sidebar.get_by_role("combobox", name="Attribution model").input_value() == "Linear"
    assert sidebar.locator("input[aria-label*='Conversion window']").input_value() == "14"
    shot(page, "overview-shared-link")

    # the same link with an article opens that article's detail
    best = max(rep["articles"], key=lambda a: (a["paid"], a["revenue"]))
    page.goto(server.url + "/articles" + query({"article": best["article_id"]}))
    wait_ready(page)
    page.get_by_text(best["title"]).first.wait_for()
    assert tile(page, "Joins") == fmt.count(best["joins"])
    assert tile(page, "Paid") == fmt.count(best["paid"])
    assert tile(page, "Revenue") == fmt.money_short(best["revenue"])
    shot(page, "article-detail")

    # the same link with model=markov on /attribution shows `report --model markov`
    mk = report(server.db, *["markov" if a == "linear" else a for a in link_args()])["totals"]
    page.goto(server.url + "/attribution" + query().replace("model=linear", "model=markov"))
    wait_ready(page)
    page.get_by_text("Data-driven model: which channels the journeys depend on").first.wait_for()
    assert tile(page, "Revenue credited · Data-driven (Markov)") == fmt.money_short(mk["revenue"])
    assert tile(page, "Unattributed revenue") == fmt.money_short(mk["unattributed_revenue"])
    assert mk["revenue"] != rep["totals"]["revenue"]  # a different split than linear's


def test_a_link_shared_from_wechat_keeps_its_period(server, page):
    """A link shared onward from WeChat's own browser comes back with
    `from=groupmessage&isappinstalled=0` appended. `from` is the period's start, and the
    last value was read: the colleague saw every date. The link's own period now stands
    (the mark is noticed, as any bad value)."""
    tot = report(server.db, *link_args())["totals"]
    assert tot["joins"] != report(server.db, *link_args()[:-4])["totals"]["joins"]  # the period matters
    page.goto(server.url + "/" + query() + "&from=groupmessage&isappinstalled=0")
    wait_ready(page)
    assert tile(page, "Joins") == fmt.count(tot["joins"])
    assert tile(page, "Revenue") == fmt.money(tot["revenue"])
    body = page.locator("[data-testid='stApp']").inner_text()
    assert "Some link parameters were ignored" in body and "from=groupmessage" in body
    assert "added by the chat app" in body
    shot(page, "overview-link-from-wechat")
    page.goto(server.url + "/" + query({"lang": "zh"}) + "&from=singlemessage&isappinstalled=0")
    wait_ready(page)
    assert tile(page, "入群") == fmt.count(tot["joins"])
    assert "是转发链接的聊天应用附加的" in page.locator("[data-testid='stApp']").inner_text()
    shot(page, "overview-link-from-wechat-zh")


def test_filter_change_updates_url_and_survives_page_switch(server, page):
    page.goto(server.url + "/")
    wait_ready(page)
    page.locator("[data-testid='stSidebar']").get_by_role("combobox", name="Attribution model").click()
    page.get_by_role("option", name="Last touch").click()
    page.wait_for_function("() => location.search.includes('model=last_touch')")
    wait_ready(page)
    assert parse_qs(urlparse(page.url).query)["model"] == ["last_touch"]
    # switch pages through the sidebar: the filter goes along
    page.locator("[data-testid='stSidebar'] a", has_text="Channels").click()
    page.wait_for_url(re.compile(r"/channels\?.*model=last_touch"))
    wait_ready(page)
    assert page.locator("[data-testid='stSidebar']").get_by_role(
        "combobox", name="Attribution model").input_value() == "Last touch"
    page.get_by_role("heading", name="Channels").first.wait_for()


def test_display_choices_go_into_the_link_and_come_back_from_it(server, page):
    """The Channels page's race metric, order and open tab (clicked in Chinese) are in the
    URL, and the URL, opened in a new tab, shows the same race."""
    page.goto(server.url + "/channels?lang=zh&window=60")
    wait_ready(page)
    race = page.get_by_role("heading", name="排名赛跑").first
    race.scroll_into_view_if_needed()
    page.get_by_role("radiogroup", name="排名指标").get_by_role("radio", name="入群").click()
    page.wait_for_function("() => location.search.includes('race=joins')")
    wait_ready(page)
    page.get_by_role("radiogroup", name="排序方式").get_by_role("radio", name="增长").click()
    page.wait_for_function("() => location.search.includes('order=growth')")
    wait_ready(page)
    # the articles' tab: only the open tab's race runs, so a click runs it and the link keeps it
    page.get_by_role("tab", name="文章前 10 名").click()
    page.wait_for_function("() => location.search.includes('level=article')")
    wait_ready(page)
    page.get_by_role("tabpanel").locator("[data-testid='stDataFrame']").first.wait_for()
    link = page.url
    assert parse_qs(urlparse(link).query)["race"] == ["joins"]
    other = page.context.new_page()
    other.goto(link)
    wait_ready(other)
    other.get_by_role("heading", name="排名赛跑").first.scroll_into_view_if_needed()
    for group, choice in (("排名指标", "入群"), ("排序方式", "增长")):
        radio = other.get_by_role("radiogroup", name=group).get_by_role("radio", name=choice)
        assert radio.get_attribute("aria-checked") == "true", group
    assert other.get_by_role("tab", name="文章前 10 名").get_attribute("aria-selected") == "true"
    other.get_by_role("tabpanel").locator("[data-testid='stDataFrame']").first.wait_for()
    q = parse_qs(urlparse(other.url).query)  # the app kept the link as it came
    assert (q["race"], q["order"], q["level"], q["lang"], q["window"]) == (
        ["joins"], ["growth"], ["article"], ["zh"], ["60"])
    shot(other, "channels-race-link-zh")
    other.close()


def test_attribution_tab_goes_into_the_link(server, page):
    """The Attribution page's articles tab (clicked in Chinese): its table is drawn when
    opened, and the link keeps the open tab."""
    page.goto(server.url + "/attribution?lang=zh")
    wait_ready(page)
    page.get_by_role("tab", name="按文章").click()
    page.wait_for_function("() => location.search.includes('level=article')")
    wait_ready(page)
    page.get_by_role("tabpanel").locator("[data-testid='stDataFrame']").first.wait_for()
    other = page.context.new_page()
    other.goto(page.url)
    wait_ready(other)
    assert other.get_by_role("tab", name="按文章").get_attribute("aria-selected") == "true"
    other.get_by_role("tabpanel").locator("[data-testid='stDataFrame']").first.wait_for()
    shot(other, "attribution-articles-tab-zh")
    other.close()


def test_garbage_link_shows_a_notice_not_a_traceback(server, page):
    page.goto(server.url + "/articles?window=-3&model=x&from=yesterday&channel=%3Cscript%3E"
              "&sort=drop%20table&article=%27%3B%20DROP%20TABLE%20articles%3B--")
    wait_ready(page)
    body = page.locator("[data-testid='stApp']").inner_text()
    assert "Some link parameters were ignored" in body
    assert "window=-3" in body and "model=x" in body
    assert "Traceback" not in body and "Error" not in body.replace("error", "")
    assert page.locator("script:text('<script>')").count() == 0
    shot(page, "garbage-link")
    # the data is still all there
    rep = report(server.db)
    assert len(rep["articles"]) == 200


def test_switch_to_chinese(server, page):
    page.goto(server.url + "/channels")
    wait_ready(page)
    page.locator("[data-testid='stSidebar']").get_by_text("中文", exact=True).click()
    page.wait_for_function("() => location.search.includes('lang=zh')")
    wait_ready(page)
    page.get_by_role("heading", name="渠道").first.wait_for()
    sidebar = page.locator("[data-testid='stSidebar']")
    assert "总览" in sidebar.inner_text()
    assert sidebar.get_by_role("combobox", name="归因模型").input_value() == "首次触达"
    shot(page, "channels-zh")


@pytest.mark.parametrize("path", [p.url_path for p in PAGELIST])
def test_screenshot_every_page(server, page, path):
    page.set_viewport_size({"width": 1440, "height": 1100})
    page.goto(f"{server.url}/{path}")
    wait_ready(page)
    body = page.locator("[data-testid='stApp']").inner_text()
    assert "Traceback" not in body
    assert page.locator("[data-testid='stException']").count() == 0
    shot(page, f"page-{path or 'overview'}")


def test_fresh_link_sends_its_numbers_before_the_filters(server, page, sample_store):
    """A colleague opens a shared link in a fresh browser: the KPI tiles are sent before
    the sidebar's widgets (whose code a fresh browser loads first, holding the tiles back:
    bench/freshlink.py), the widgets show the link's filters, the copy-link box sends its
    code only when opened, and a filter change still writes the URL."""
    from contentroi import engine, i18n
    from contentroi.engine import Params

    frames: list[bytes] = []
    page.on("websocket", lambda ws: ws.on(
        "framereceived", lambda p: frames.append(p if isinstance(p, bytes) else p.encode())))
    page.goto(server.url + "/" + query())
    wait_ready(page)
    tot = report(server.db, *link_args())["totals"]
    assert tile(page, "Revenue") == fmt.money(tot["revenue"])
    assert tile(page, "Paid") == fmt.count(tot["paid"])

    def first(text: str) -> int:  # the first websocket message that carries this text
        return next(i for i, f in enumerate(frames) if text.encode() in f)

    tile_help = i18n.t("mh_reads", "en", w=14, model="")[:40]  # the first tile
    assert first(tile_help) < first(i18n.t("f_period_help", "en")[:40])  # the "From" picker
    assert first(tile_help) < first(i18n.t("f_window_help", "en")[:40])

    # the sidebar shows the link's filters
    sb = page.locator("[data-testid='stSidebar']")
    dates = sb.locator("[data-testid='stDateInput'] input")
    assert [dates.nth(0).input_value(), dates.nth(1).input_value()] == ["2026-06-01", "2026-09-30"]
    names = engine.channel_names(engine.query(sample_store, "channel_names", Params()), "en")
    tags = sb.locator("[data-testid='stMultiSelect'] [data-tag]").all_inner_texts()
    assert sorted(t.strip() for t in tags) == sorted(names.get(c, c) for c in LINK["channel"])
    assert sb.locator("input[aria-label*='Conversion window']").input_value() == "14"
    assert sb.get_by_role("combobox", name="Attribution model").input_value() == "Linear"

    # the copy-link box: its code (1.5 MB of highlighter in a fresh browser) only when open
    assert sb.locator("[data-testid='stCode']").count() == 0
    sb.locator("[data-testid='stExpander'] summary", has_text="Link to this view").click()
    code = sb.locator("[data-testid='stCode']")
    code.wait_for()
    assert parse_qs(urlparse(code.inner_text().strip()).query) == parse_qs(urlparse(page.url).query)

    # one filter changed: the URL follows and keeps the others; the tiles follow it
    window = sb.locator("input[aria-label*='Conversion window']")
    window.fill("21")
    window.press("Enter")
    page.wait_for_function("() => location.search.includes('window=21')")
    wait_ready(page)
    qs = parse_qs(urlparse(page.url).query)
    assert qs["window"] == ["21"]
    assert {k: qs[k] for k in ("channel", "model", "from", "to")} == {
        "channel": LINK["channel"], "model": ["linear"], "from": ["2026-06-01"], "to": ["2026-09-30"]}
    tot21 = report(server.db, *[("21" if a == "14" else a) for a in link_args()])["totals"]
    assert tile(page, "Paid") == fmt.count(tot21["paid"])
    assert tile(page, "Revenue") == fmt.money(tot21["revenue"])
    assert "window=21" in sb.locator("[data-testid='stCode']").inner_text()  # the box follows


def test_the_sales_tiles_in_chinese_read_whole_in_a_narrow_window(server, page):
    """At 1100 px the Sales page's tile "已联系用户（销售口径）" was cut to "已联系用户（销售口…"
    (and the funnel's legend cut it too): it reads 已联系（销售口径）, as the Overview's 已联系.
    No tile label is cut."""
    page.set_viewport_size({"width": 1100, "height": 1000})
    page.goto(server.url + "/sales?lang=zh")
    wait_ready(page)
    labels = page.locator("[data-testid='stMetricLabel']")
    labels.first.wait_for(timeout=60_000)
    page.get_by_text("已联系（销售口径）").first.wait_for()
    cut = labels.evaluate_all(
        "els => els.filter(e => [e, ...e.querySelectorAll('*')].some(x => x.scrollWidth > x.clientWidth + 1))"
        ".map(e => e.innerText)")
    assert len(labels.all()) >= 5 and cut == [], cut
    # a value with Chinese in it ("23.3 小时", "¥…万") took the CJK font's taller line and its
    # tile sat ~6 px lower than its row's others: every tile of a row is as tall, values level
    boxes = page.locator("[data-testid='stMetric']").evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect();"
        " const v = e.querySelector('[data-testid=stMetricValue]').getBoundingClientRect();"
        " return [Math.round(r.top), Math.round(r.height), Math.round(v.top)]; })")
    rows: dict[int, set] = {}
    for top, height, value_top in boxes:
        rows.setdefault(top, set()).add((height, value_top))
    assert any("小时" in x or "万" in x for x in page.locator("[data-testid='stMetricValue']").all_inner_texts())
    assert all(len(v) == 1 for v in rows.values()), boxes
    shot(page, "sales-zh-1100")
