"""Posting the digest to chat: each platform's payload and signature, checked by a local
webhook server (tests/chat_server.py, 127.0.0.1 only), retries, refusals, size limits and
inert user text. The digest is the planted world of tests/test_digest.py with the wechat
channel renamed to markup (EVIL) and its evergreen article titled with markup too."""
from __future__ import annotations

import datetime as dt
import json
import urllib.parse
from functools import partial

import pytest

from contentroi import cli, digest, engine, webhooks
from contentroi.engine import Params

from .chat_server import SECRET, ChatServer
from .test_digest import planted_world
from .worlds import make_store

EVIL = "**wx**[click](https://evil.invalid)<at id=all></at>"
EVIL_TITLE = "<font color=\"warning\">Free</font> ![x](https://evil.invalid/p.png) `code` # h"


def evil_world():
    articles, joins, sales = planted_world()
    articles = [(a[0], EVIL_TITLE if a[0] == "W1" else a[1], EVIL if a[2] == "wechat" else a[2], *a[3:])
                for a in articles]
    return articles, joins, sales


@pytest.fixture(scope="module")
def store():
    s = make_store(*evil_world())
    yield s
    s.close()


@pytest.fixture(scope="module")
def week(store) -> digest.Digest:
    return digest.build(partial(engine.query, store), Params(), "week")


@pytest.fixture(scope="module")
def server():
    with ChatServer() as srv:
        yield srv


def no_live_markup(text: str) -> None:
    text = text.rsplit("\n", 1)[0]  # (the last line is the app's own link)
    for bad in ("**wx**", "[click]", "](https://", "<at", "<font", "![x]", "`code`", "https://evil"):
        assert bad not in text, (bad, text)


# ---- signatures against openssl's (an independent implementation) --------------------


@pytest.mark.parametrize("ts, b64", [
    (1700000000000, "STZjqF56Ve0IamG28HBpIjsF8uzIOBbQTUfpCJl5NNU="),
    (1700000000004, "SuGEruDb8/19RgmRDt5H7/14Ouxx0rcc+HT/CU3K+FU="),  # '+' and '/' must be URL-encoded
])
def test_dingtalk_signature(ts, b64):
    # printf '%s\n%s' TS SECRET | openssl dgst -sha256 -hmac SECRET -binary | base64
    assert webhooks.sign_dingtalk(SECRET, ts) == urllib.parse.quote_plus(b64)
    assert "+" not in webhooks.sign_dingtalk(SECRET, ts) and "/" not in webhooks.sign_dingtalk(SECRET, ts)


def test_feishu_signature():
    # printf '' | openssl dgst -sha256 -mac HMAC -macopt "key:TS<newline>SECRET" -binary | base64
    assert webhooks.sign_feishu(SECRET, 1700000000) == "UI5sg2Pas8iqas5XAAfJs1sC7QQpJTmeCJQBLGtPqt4="


def test_platform_by_host():
    assert webhooks.detect("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k") == "wecom"
    assert webhooks.detect("https://oapi.dingtalk.com/robot/send?access_token=t") == "dingtalk"
    assert webhooks.detect("https://open.feishu.cn/open-apis/bot/v2/hook/h") == "feishu"
    assert webhooks.detect("https://open.larksuite.com/open-apis/bot/v2/hook/h") == "feishu"
    assert webhooks.detect("https://hooks.example.com/x") == "generic"
    assert webhooks.redact("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRETKEY") == \
        "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?…"


# ---- every platform through the local server --------------------------------------------


@pytest.mark.parametrize("platform, path", [
    ("wecom", "/wecom/key1"), ("dingtalk", "/dingtalk/send?access_token=tok"), ("feishu", "/feishu/hook1"),
    ("generic", "/generic/x"),
])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_post_every_platform(server, week, platform, path, lang):
    target = webhooks.Target(server.base + path, platform, SECRET if platform in ("dingtalk", "feishu") else None,
                             app_url="https://roi.example.com/")
    webhooks.post_digest(target, week, lang)
    rec = server.last(platform)
    assert rec["verdict"] == "ok" and rec["ctype"].startswith("application/json")
    body = rec["body"]
    link = ("https://roi.example.com/digest?period=week&date=2026-03-15" + ("&lang=zh" if lang == "zh" else ""))
    if platform == "generic":
        assert body["url"] == link and body["period"] == {"kind": "week", "from": "2026-03-09", "to": "2026-03-15"}
        assert body["text"] == digest.render_md(week, lang)
        assert body["kpis"]["joins"] == {"value": 245, "previous": 245}
        return
    text = {"wecom": lambda b: b["markdown"]["content"], "dingtalk": lambda b: b["markdown"]["text"],
            "feishu": lambda b: b["card"]["elements"][0]["content"]}[platform](body)
    assert len(text.encode()) <= webhooks.CARD_LIMIT
    assert text.endswith(f"({link})")  # the link back to the app's view closes the card
    title = "Weekly digest · 2026-03-09 → 2026-03-15" if lang == "en" else "内容周报 · 2026-03-09 → 2026-03-15"
    if platform == "feishu":
        assert body["card"]["header"]["title"] == {"tag": "plain_text", "content": title}
        assert body["card"]["header"]["template"] == "red"  # the worst alert: a red drop
    else:
        assert text.startswith(f"### {title}")
    if platform == "dingtalk":
        assert body["markdown"]["title"] == title and set(rec["query"]) == {"access_token", "timestamp", "sign"}
    no_live_markup(text)
    if lang == "en":
        assert "🔴 ＊＊wx＊＊［click］（https：//evil.invalid）＜at id=all＞＜/at＞: contacted → paid fell from 40% to 10%" in text
        assert ": **245** (±0%)" in text  # joins, both periods
        assert "1. zhihu ¥2,000" in text
    else:
        assert "入群" in text and "付费" in text


def test_a_bad_signature_is_refused_with_one_line(server, week):
    for platform, path in (("dingtalk", "/dingtalk/send?access_token=t"), ("feishu", "/feishu/h")):
        target = webhooks.Target(server.base + path, platform, "WRONG-secret")
        with pytest.raises(webhooks.PostError) as e:
            webhooks.post_digest(target, week, "en", sleep=lambda s: None)
        msg = str(e.value)
        assert "\n" not in msg and "refused" in msg
        assert ("sign not match" in msg) if platform == "dingtalk" else ("sign match fail" in msg)


def test_retries_with_backoff_then_success(server, week):
    waits: list[float] = []
    target = webhooks.Target(server.base + "/flaky/2", "wecom")
    webhooks.post_digest(target, week, "en", sleep=waits.append)
    assert waits == [1.0, 2.0] and server.counts["/flaky/2"] == 3


def test_retries_are_bounded_and_errors_are_one_line(server, week):
    waits: list[float] = []
    with pytest.raises(webhooks.PostError) as e:
        webhooks.post_digest(webhooks.Target(server.base + "/status/500", "wecom"), week, sleep=waits.append)
    assert waits == [1.0, 2.0, 4.0] and server.counts["/status/500"] == 4
    assert "after 4 attempts (HTTP 500" in str(e.value)
    with pytest.raises(webhooks.PostError) as e:  # a client error is not retried
        webhooks.post_digest(webhooks.Target(server.base + "/status/403", "wecom"), week, sleep=waits.append)
    assert server.counts["/status/403"] == 1 and "HTTP 403" in str(e.value)


def test_card_fits_the_limit_and_keeps_the_link(week):
    url = "https://roi.example.com/digest?period=week&date=2026-03-15"
    full = webhooks.card(week, "en", url)
    for limit in (300, 700, len(full.encode()) - 1):
        text = webhooks.card(week, "en", url, limit=limit)
        assert len(text.encode()) <= limit
        assert text.endswith(f"[Full report]({url})") and "shortened to fit" in text
    assert "shortened" not in full


def test_the_wecom_limit_is_bytes(week):
    # Chinese is 3 bytes a character in UTF-8: the zh card is cut by bytes, not characters
    text = webhooks.card(week, "zh", "https://x.example/d", limit=500)
    assert len(text.encode("utf-8")) <= 500 < 3 * len(text)


def test_inert():
    assert webhooks.inert("a\nb<font>[x](http://y)") == "a b＜font＞［x］（http：//y）"
    assert len(webhooks.inert("x" * 500)) == 60


# ---- the command and the config ---------------------------------------------------------


@pytest.fixture
def planted_file(tmp_path):
    path = tmp_path / "p.duckdb"
    s = make_store(*evil_world(), path=path)
    s.set_meta("initialized", "yes")
    s.close()
    return path


def test_cli_post_and_config(server, planted_file, tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("CONTENTROI_WEBHOOK", raising=False)
    monkeypatch.setenv("CONTENTROI_WEBHOOK_SECRET", SECRET)
    rc = cli.main(["digest", "--db", str(planted_file), "--post", server.base + "/feishu/cli", "--platform", "feishu",
                   "--lang", "zh"])
    out = capsys.readouterr()
    assert rc == 0 and out.out.startswith("posted Weekly digest · 2026-03-09 → 2026-03-15 to the feishu webhook")
    assert server.last("feishu")["verdict"] == "ok"
    assert server.last("feishu")["body"]["card"]["header"]["title"]["content"].startswith("内容周报")
    # [digest] in a config file: the webhook, its platform, the secret, the app's URL and the language
    monkeypatch.delenv("CONTENTROI_WEBHOOK_SECRET")
    cfg = tmp_path / "secrets.toml"
    cfg.write_text(f'[digest]\nwebhook = "{server.base}/dingtalk/send?access_token=cfg"\nplatform = "dingtalk"\n'
                   f'secret = "{SECRET}"\napp_url = "https://roi.example.com"\nlang = "zh"\n', encoding="utf-8")
    rc = cli.main(["digest", "--db", str(planted_file), "--period", "day", "--config", str(cfg), "--post"])
    assert rc == 0
    rec = server.last("dingtalk")
    assert rec["verdict"] == "ok" and rec["query"]["access_token"] == "cfg"
    assert rec["body"]["markdown"]["text"].endswith("(https://roi.example.com/digest?period=day&date=2026-03-15&lang=zh)")
    # refused: exit 2 with one line
    rc = cli.main(["digest", "--db", str(planted_file), "--post", server.base + "/dingtalk/x", "--platform",
                   "dingtalk"])
    err = capsys.readouterr().err
    assert rc == 2 and err.count("\n") == 1 and err.startswith("error: the dingtalk webhook refused the message")
    rc = cli.main(["digest", "--db", str(planted_file), "--post", "not a url"])
    assert rc == 2 and "not a webhook URL" in capsys.readouterr().err
    rc = cli.main(["digest", "--db", str(planted_file), "--post"])  # nothing configured
    assert rc == 2 and "--post needs a webhook" in capsys.readouterr().err


def test_payload_json_is_plain_utf8(week):
    body = webhooks.payload("wecom", week, "zh", "https://x.example/d")
    raw = json.dumps(body, ensure_ascii=False).encode()
    assert "内容周报".encode() in raw
    assert dt.date(2026, 3, 15).isoformat() in body["markdown"]["content"]
