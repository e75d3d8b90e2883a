"""One journey in a real browser: post the digest to the team's chat from the Digest page
(behind the edit password) to a local, signature-checking Feishu webhook, then open the
Cohorts page from a link and change its grain."""
from __future__ import annotations

import shutil

import pytest

from ..chat_server import SECRET, ChatServer
from .conftest import Server, shot, wait_ready

pytestmark = pytest.mark.browser
PASSWORD = "post-it"


@pytest.fixture(scope="module")
def chat():
    with ChatServer() as srv:
        yield srv


@pytest.fixture(scope="module")
def app_server(sample_db, tmp_path_factory, chat):
    db = tmp_path_factory.mktemp("chat-srv") / "store.duckdb"
    shutil.copy(sample_db, db)
    srv = Server(db, env={"CONTENTROI_WEBHOOK": chat.base + "/feishu/hook-browser",
                          "CONTENTROI_WEBHOOK_PLATFORM": "feishu", "CONTENTROI_WEBHOOK_SECRET": SECRET,
                          "CONTENTROI_EDIT_PASSWORD": PASSWORD})
    yield srv
    srv.stop()


def test_post_digest_to_chat_then_cohorts(app_server, chat, page):
    page.goto(app_server.url + "/digest?period=week&date=2026-10-25&lang=zh")
    wait_ready(page)
    page.get_by_text("入群用户降至 135").first.wait_for()  # the volume alert of that week
    page.locator("input[type=password][aria-label='编辑密码']").fill(PASSWORD)
    page.keyboard.press("Enter")
    wait_ready(page)
    page.get_by_role("button", name="发送到群聊").click()
    page.get_by_text("已发送到飞书群聊。").wait_for(timeout=60_000)
    rec = chat.last("feishu")
    assert rec["verdict"] == "ok"  # payload and signature as Feishu checks them
    card = rec["body"]["card"]
    assert card["header"]["title"]["content"] == "内容周报 · 2026-10-19 → 2026-10-25"
    text = card["elements"][0]["content"]
    assert "🟠 入群用户降至 135" in text
    assert text.endswith(f"({app_server.url}/digest?period=week&date=2026-10-25&lang=zh)")  # back to this view
    wait_ready(page)
    shot(page, "digest-post-to-chat-zh")

    page.goto(app_server.url + "/cohorts?grain=week&channel=wechat")
    wait_ready(page)
    page.get_by_text("Cumulative revenue per user by days since the first join").wait_for()
    page.locator("[data-testid='stVegaLiteChart']").first.wait_for()
    shot(page, "cohorts-week-en")
    page.get_by_role("radio", name="中文").or_(page.get_by_text("中文", exact=True)).first.click()
    wait_ready(page)
    page.get_by_text("首次入群后累计人均收入").wait_for()
    page.get_by_role("button", name="按月").or_(page.get_by_text("按月", exact=True)).first.click()
    wait_ready(page)
    page.wait_for_function("() => location.search.includes('grain=month') && location.search.includes('lang=zh')")
    assert "channel=wechat" in page.url
    shot(page, "cohorts-month-zh")
