"""The first open of a store after an update: the page says what it is doing."""
from __future__ import annotations

import shutil

import duckdb
import pytest

from contentroi.store import Workspace

from .conftest import Server, shot, wait_ready

pytestmark = pytest.mark.browser


def test_the_first_open_of_an_older_store_says_it_is_preparing_it(sample_db, tmp_path, page):
    """A store built by an older release's models is rebuilt on its first open: minutes
    for a large store (10x: ~7 min), during which the page was blank. It now says why, in
    the page's language. (The test holds the store's lock, as a load in another process
    would, so the wait lasts until it lets go: no race with a fast machine.) Afterwards
    the page shows the store's numbers."""
    db = tmp_path / "store.duckdb"
    shutil.copy(sample_db, db)
    with duckdb.connect(str(db)) as c:
        c.execute("UPDATE meta SET value = 'older' WHERE key = 'models_hash'")
    srv = Server(db)
    try:
        with Workspace(db)._lock():
            page.goto(srv.url + "/?lang=zh")
            note = page.get_by_text("正在准备数据库")
            note.wait_for(timeout=60_000)
            shot(page, "upgrade-preparing-zh")
        note.wait_for(state="detached", timeout=120_000)
        page.locator("[data-testid='stMetric']").first.wait_for(timeout=120_000)
        wait_ready(page)
        assert page.locator("[data-testid='stException']").count() == 0
        tiles = page.locator("[data-testid='stMetric']").filter(has_text="入群")
        assert tiles.first.locator("[data-testid='stMetricValue']").inner_text().strip() != ""
        with Workspace(db).reader() as s:
            assert s.get_meta("models_hash") != "older"  # rebuilt and published
    finally:
        srv.stop()
