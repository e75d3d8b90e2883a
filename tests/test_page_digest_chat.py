"""The Digest page on the sample: the volume alert of the default week, and "Post to chat"
behind the edit password, posting to the local webhook server (tests/chat_server.py)."""
from __future__ import annotations

import pytest

from .chat_server import SECRET, ChatServer
from tests.conftest import assert_clean

from .test_page_articles import has_chinese, open_page, qp

PASSWORD = "let-me-post"


@pytest.fixture(scope="module")
def server():
    with ChatServer() as srv:
        yield srv


@pytest.mark.parametrize("lang, alert", [
    ("en", "Joins fell to 135, 69% below the usual 438 (median of the previous 8 weeks; robust z = −3.9)."),
    ("zh", "入群用户降至 135，比通常的 438 低 69%（前 8 周中位数；稳健 z = −3.9）。"),
])
def test_default_week_shows_the_volume_drop_not_green(app, monkeypatch, lang, alert):
    monkeypatch.delenv("CONTENTROI_WEBHOOK", raising=False)
    at = open_page(app, "digest", **({"lang": lang} if lang == "zh" else {}))
    assert_clean(at)
    assert alert in [w.value for w in at.warning]
    assert not at.success  # no green all-clear beside it
    button = at.button(key="dg_post")
    assert button.disabled  # nothing configured: the button says how to configure it
    if lang == "zh":
        assert has_chinese(at) and "群机器人" in button.help


def test_post_to_chat_behind_the_password(app, server, monkeypatch):
    monkeypatch.setenv("CONTENTROI_WEBHOOK", server.base + "/dingtalk/send?access_token=page")
    monkeypatch.setenv("CONTENTROI_WEBHOOK_PLATFORM", "dingtalk")
    monkeypatch.setenv("CONTENTROI_WEBHOOK_SECRET", SECRET)
    monkeypatch.setenv("CONTENTROI_APP_URL", "https://roi.example.com")
    monkeypatch.setenv("CONTENTROI_EDIT_PASSWORD", PASSWORD)
    at = open_page(app, "digest", period="day", date="2026-10-30", lang="zh")
    assert_clean(at)
    n = len(server.requests)
    at.button(key="dg_post").click().run()
    assert len(server.requests) == n  # locked: nothing posted
    assert any("密码" in e.value for e in at.error)
    at.text_input(key="edit_pw_store").input(PASSWORD)
    at.button(key="dg_post").click().run()
    assert len(server.requests) == n + 1
    rec = server.last("dingtalk")
    assert rec["verdict"] == "ok" and rec["query"]["access_token"] == "page"
    assert rec["body"]["markdown"]["title"] == "内容日报 · 2026-10-30"
    assert rec["body"]["markdown"]["text"].endswith("(https://roi.example.com/digest?period=day&date=2026-10-30&lang=zh)")
    assert "已发送到钉钉群聊。" in [s.value for s in at.success]
    assert qp(at, "period") == ["day"] and qp(at, "date") == ["2026-10-30"]


def test_a_refusal_is_a_message_not_a_traceback(app, server, monkeypatch):
    monkeypatch.setenv("CONTENTROI_WEBHOOK", server.base + "/feishu/h")
    monkeypatch.setenv("CONTENTROI_WEBHOOK_PLATFORM", "feishu")
    monkeypatch.setenv("CONTENTROI_WEBHOOK_SECRET", "not-the-secret")
    monkeypatch.delenv("CONTENTROI_EDIT_PASSWORD", raising=False)
    at = open_page(app, "digest")
    at.button(key="dg_post").click().run()
    assert not at.exception
    errs = [e.value for e in at.error]
    assert errs and errs[-1].startswith("Not posted:") and "sign match fail" in errs[-1]
