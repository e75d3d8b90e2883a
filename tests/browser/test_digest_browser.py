"""Open a digest link in a real browser on the planted store and read the planted alert."""
from __future__ import annotations

import pytest

from ..test_digest import ALERT_EN, ALERT_ZH_SHOWN, planted_world
from ..worlds import make_store
from .conftest import Server, shot, wait_ready

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def digest_server(tmp_path_factory):
    db = tmp_path_factory.mktemp("digest-srv") / "planted.duckdb"
    store = make_store(*planted_world(), path=db)
    store.set_meta("initialized", "yes")
    store.close()
    srv = Server(db)
    yield srv
    srv.stop()


def test_digest_link_shows_the_planted_alert(digest_server, page):
    page.goto(digest_server.url + "/digest?period=week&date=2026-03-15")
    wait_ready(page)
    alert = page.locator("[data-testid='stAlertContentError']").filter(has_text=ALERT_EN)
    alert.first.wait_for()
    assert alert.count() == 1
    page.get_by_text("Weekly digest · 2026-03-09 → 2026-03-15").first.wait_for()
    assert "period=week" in page.url and "date=2026-03-15" in page.url  # the link stays the view
    wait_ready(page)
    shot(page, "digest-week")


def test_digest_link_in_chinese(digest_server, page):
    page.goto(digest_server.url + "/digest?period=week&date=2026-03-15&lang=zh")
    wait_ready(page)
    page.locator("[data-testid='stAlertContentError']").filter(has_text=ALERT_ZH_SHOWN).first.wait_for()
    wait_ready(page)
    shot(page, "digest-week-zh")


@pytest.fixture(scope="module")
def busy_server(tmp_path_factory):
    """A generated world with ~75 new articles a week: more than the digest page lists."""
    from contentroi import ingest, sample
    from contentroi.store import Store

    d = tmp_path_factory.mktemp("busy")
    files = sample.generate_world(d / "logs", n_articles=2000, n_joins=20000, n_sales=6000)
    db = d / "busy.duckdb"
    store = Store(db)
    for log in ("articles", "joins", "sales"):
        r = ingest.load_file(store, files[log], log, file_name=files[log].name, source_kind="cli")
        assert r.status == "loaded", r.message
    store.set_meta("initialized", "yes")
    store.close()
    srv = Server(db)
    yield srv, db
    srv.stop()


def test_digest_lists_a_page_of_new_articles_and_links_to_all_of_them(busy_server, page):
    """In Chinese: the weekly digest lists dg.PAGE_NEW_LIMIT new articles, counts the rest
    and links to them; the link opens the Articles page on what was published that week,
    whose article count is the link's (and the report's for that period)."""
    import datetime as dt
    import re

    from contentroi import digest, engine, fmt
    from contentroi.store import Workspace

    srv, db = busy_server
    page.goto(srv.url + "/digest?period=week&lang=zh")
    wait_ready(page)
    link = page.locator("[data-testid='stPageLink-NavLink']").filter(has_text="在「文章」页查看本期全部")
    link.first.wait_for()
    n = int(re.search(r"全部 ([\d,]+) 篇", link.first.inner_text()).group(1).replace(",", ""))
    assert n > digest.PAGE_NEW_LIMIT
    page.get_by_text(f"……另有 {fmt.count(n - digest.PAGE_NEW_LIMIT)} 篇。").first.wait_for()
    shot(page, "digest-new-articles-zh")
    link.first.click()
    page.wait_for_url(re.compile(r"/articles\?"))
    wait_ready(page)
    q = dict(x.split("=", 1) for x in page.url.split("?", 1)[1].split("&"))
    assert q.get("lang") == "zh" and "from" in q and "to" in q
    tile = page.locator("[data-testid='stMetric']").filter(has_text="文章数")
    tile.first.wait_for()
    assert tile.first.locator("[data-testid='stMetricValue']").inner_text().strip() == fmt.count(n)
    reader = Workspace(db).reader()
    try:
        p = engine.Params(date_from=dt.date.fromisoformat(q["from"]),
                          date_to=dt.date.fromisoformat(q["to"]))
        assert engine.totals(reader, p)["articles"] == n  # what `report --from --to` counts
    finally:
        reader.close()
    shot(page, "digest-new-articles-link-zh")
