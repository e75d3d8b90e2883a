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
