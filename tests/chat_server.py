"""A local chat-webhook server (127.0.0.1 only) that checks what each platform checks.

Paths (the platform is the first path part; its answer follows the platform's API):
  /wecom/<key>        msgtype markdown, content <= 4096 bytes -> {"errcode": 0}; else errcode 40058
  /dingtalk/<token>   msgtype markdown with title and text; with SECRET: timestamp (ms, within
                      1 h) and sign (query) must be base64(HMAC-SHA256(SECRET, "ts\\nSECRET"))
                      -> {"errcode": 0}; else {"errcode": 310000, "errmsg": "sign not match"}
  /feishu/<hook>      msg_type interactive with a markdown element; with SECRET: body timestamp
                      (s, within 1 h) and sign = base64(HMAC-SHA256(key "ts\\nSECRET", b""))
                      -> {"code": 0}; else {"code": 19021, "msg": "sign match fail"}
  /generic/<x>        any JSON object with title and text -> 200 {}
  /flaky/<n>          the first <n> requests 503, then as /wecom
  /status/<code>      always that HTTP status
The signatures are recomputed here from the platforms' formulas, independently of
contentroi/webhooks.py. Every request is recorded (path, query, body, verdict).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SECRET = "SEC-test-secret-测试"


class ChatServer:
    def __init__(self, secret: str | None = SECRET) -> None:
        self.secret = secret
        self.requests: list[dict] = []
        self.counts: dict[str, int] = {}
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):  # quiet
                pass

            def do_POST(self):  # noqa: N802
                n = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(n)
                status, answer, verdict = server.handle(self.path, raw, self.headers.get("Content-Type", ""))
                body = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> "ChatServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    # ---- the checks --------------------------------------------------------------

    def handle(self, path: str, raw: bytes, ctype: str):
        parts = urllib.parse.urlsplit(path)
        query = dict(urllib.parse.parse_qsl(parts.query, keep_blank_values=True))
        kind, _, rest = parts.path.strip("/").partition("/")
        rec = {"path": parts.path, "query": query, "raw": raw, "ctype": ctype, "kind": kind}
        with self.lock:
            self.requests.append(rec)
            self.counts[parts.path] = self.counts.get(parts.path, 0) + 1
            count = self.counts[parts.path]
        try:
            body = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            rec["verdict"] = "not JSON"
            return 400, {"errcode": 40001, "errmsg": "invalid json"}, "bad"
        rec["body"] = body
        if kind == "flaky":
            if count <= int(rest or 0):
                rec["verdict"] = "503"
                return 503, {"error": "busy"}, "retry"
            kind = "wecom"
        if kind == "status":
            rec["verdict"] = rest
            return int(rest), {"error": rest}, "status"
        verdict = getattr(self, f"check_{kind}", self.check_unknown)(body, query)
        rec["verdict"] = verdict
        if kind in ("wecom", "dingtalk"):
            if verdict == "ok":
                return 200, {"errcode": 0, "errmsg": "ok"}, verdict
            code = 40058 if "4096" in verdict else 310000
            return 200, {"errcode": code, "errmsg": verdict}, verdict
        if kind == "feishu":
            if verdict == "ok":
                return 200, {"code": 0, "msg": "success", "data": {}}, verdict
            return 200, {"code": 19021, "msg": verdict, "data": {}}, verdict
        return (200, {}, verdict) if verdict == "ok" else (400, {"error": verdict}, verdict)

    def check_wecom(self, body: dict, query: dict) -> str:
        if body.get("msgtype") != "markdown" or not isinstance(body.get("markdown"), dict):
            return "msgtype must be markdown"
        content = body["markdown"].get("content")
        if not isinstance(content, str) or not content:
            return "markdown.content missing"
        if len(content.encode("utf-8")) > 4096:
            return "markdown.content exceed max length 4096"
        return "ok"

    def _fresh(self, ts: int, now: float) -> bool:
        return abs(now - ts) <= 3600

    def check_dingtalk(self, body: dict, query: dict) -> str:
        md = body.get("markdown")
        if body.get("msgtype") != "markdown" or not isinstance(md, dict) or not md.get("title") or not md.get("text"):
            return "msgtype markdown with title and text required"
        if self.secret:
            ts, sign = query.get("timestamp", ""), query.get("sign", "")
            if not ts.isdigit() or not self._fresh(int(ts) / 1000, time.time()):
                return "timestamp missing or stale"
            want = base64.b64encode(hmac.new(self.secret.encode(), f"{ts}\n{self.secret}".encode(),
                                             hashlib.sha256).digest()).decode()
            if sign != want:  # parse_qsl undid the URL encoding: a bare '+' would now be a space
                return "sign not match"
        return "ok"

    def check_feishu(self, body: dict, query: dict) -> str:
        card = body.get("card")
        if body.get("msg_type") != "interactive" or not isinstance(card, dict):
            return "msg_type interactive with a card required"
        els = card.get("elements") or []
        if not any(e.get("tag") == "markdown" and e.get("content") for e in els):
            return "card needs a markdown element"
        if self.secret:
            ts, sign = str(body.get("timestamp", "")), body.get("sign", "")
            if not ts.isdigit() or not self._fresh(int(ts), time.time()):
                return "timestamp is not within one hour from current time"
            want = base64.b64encode(hmac.new(f"{ts}\n{self.secret}".encode(), b"", hashlib.sha256).digest()).decode()
            if sign != want:
                return "sign match fail"
        return "ok"

    def check_generic(self, body: dict, query: dict) -> str:
        return "ok" if isinstance(body.get("title"), str) and isinstance(body.get("text"), str) else "title/text"

    def check_unknown(self, body: dict, query: dict) -> str:
        return "unknown path"

    def last(self, kind: str | None = None) -> dict:
        rows = [r for r in self.requests if kind is None or r["kind"] == kind]
        return rows[-1]
