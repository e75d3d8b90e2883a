"""Post the digest to the team's chat: WeCom (企业微信), DingTalk (钉钉), Feishu/Lark (飞书)
group robots and a generic JSON webhook (docs/DIGEST.md "Posting to the team's chat").

Pure Python (urllib, no Streamlit). ``card(d, lang, platform, link)`` writes the
digest as the platform's markdown message within its size limit; ``payload`` wraps
it in the platform's JSON; ``sign_*`` compute the signatures; ``post`` sends it with
bounded retries and turns every refusal into one :class:`PostError` line.

The formats (each platform's group-robot documentation):
    wecom     POST {"msgtype": "markdown", "markdown": {"content": md}}; content at most
              4096 bytes (UTF-8); answer {"errcode": 0, "errmsg": "ok"}.
    dingtalk  POST {"msgtype": "markdown", "markdown": {"title": t, "text": md}}; with a
              signing secret the URL gets &timestamp=<ms>&sign=<s>, where
              s = urlencode(base64(HMAC-SHA256(key=secret, msg="<ms>\\n<secret>")));
              answer {"errcode": 0, ...}.
    feishu    POST {"msg_type": "interactive", "card": {header, elements: [markdown]}};
              with a signing secret the BODY gets "timestamp": "<s>" (seconds) and
              "sign": base64(HMAC-SHA256(key="<s>\\n<secret>", msg=b"")); answer
              {"code": 0, ...} (older: {"StatusCode": 0, ...}).
    generic   POST {"title", "text" (the full Markdown digest), "url", "period", "alerts",
              "kpis"}; any 2xx answer is success.
"""
from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
import json
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping

from . import i18n, viewstate
from .viewstate import ViewState

PLATFORMS = ("wecom", "dingtalk", "feishu", "generic")
CARD_LIMIT = 4096  # bytes of a card's markdown (WeCom's hard limit; the others get the same card)
RETRIES = 3  # attempts after the first one, for network errors, HTTP 429 and 5xx
BACKOFF = 1.0  # seconds before the first retry; doubled each time (1, 2, 4)
TIMEOUT = 15.0
HOSTS = {
    "qyapi.weixin.qq.com": "wecom",
    "oapi.dingtalk.com": "dingtalk",
    "open.feishu.cn": "feishu",
    "open.larksuite.com": "feishu",
}
ENV = {  # environment variables over the [digest] config section
    "webhook": "CONTENTROI_WEBHOOK", "platform": "CONTENTROI_WEBHOOK_PLATFORM",
    "secret": "CONTENTROI_WEBHOOK_SECRET", "app_url": "CONTENTROI_APP_URL",
}


class PostError(Exception):
    """The webhook refused the message (or could not be reached): one line for people."""


@dataclass(frozen=True)
class Target:
    url: str
    platform: str = "auto"
    secret: str | None = None
    app_url: str | None = None  # the app's base URL, for the link back to the digest

    def resolved(self) -> "Target":
        return dataclasses.replace(self, platform=detect(self.url) if self.platform == "auto" else self.platform)


def detect(url: str) -> str:
    """The platform of a webhook URL by its host; generic for any other host."""
    host = (urllib.parse.urlsplit(url).hostname or "").lower()
    return HOSTS.get(host, "generic")


def check_url(url: str) -> str:
    url = (url or "").strip()
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PostError(f"not a webhook URL (http:// or https://): {redact(url)!r}")
    return url


def redact(url: str) -> str:
    """A webhook URL for messages: its credentials (query string, last path part) hidden."""
    parts = urllib.parse.urlsplit(url)
    path = re.sub(r"/[^/]{8,}$", "/…", parts.path)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "…" if parts.query else "", ""))


# ---------------------------------------------------------------------------
# configuration: [digest] in .streamlit/secrets.toml (or $CONTENTROI_CONFIG), env over it
# ---------------------------------------------------------------------------


def config_path() -> Path:
    return Path(os.environ.get("CONTENTROI_CONFIG") or Path(".streamlit") / "secrets.toml")


def read_config(path: Path | None = None) -> dict[str, Any]:
    """The [digest] section of the config file ({} when there is none)."""
    import tomllib

    p = path or config_path()
    if not p.is_file():
        return {}
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise PostError(f"cannot read the config {p}: {exc}") from None
    sec = data.get("digest") or {}
    return dict(sec) if isinstance(sec, Mapping) else {}


def target_from(section: Mapping[str, Any], env: Mapping[str, str] | None = None,
                url: str | None = None, platform: str | None = None) -> Target | None:
    """The webhook to post to: ``url``/``platform`` given, else the environment, else the section."""
    env = os.environ if env is None else env

    def get(key: str) -> str | None:
        v = env.get(ENV[key]) or section.get(key)
        return str(v).strip() if v else None

    u = url or get("webhook")
    if not u:
        return None
    plat = platform or get("platform") or "auto"
    if plat not in PLATFORMS + ("auto",):
        raise PostError(f"platform must be one of auto, {', '.join(PLATFORMS)}: {plat!r}")
    return Target(check_url(u), plat, get("secret"), get("app_url")).resolved()


# ---------------------------------------------------------------------------
# signatures
# ---------------------------------------------------------------------------


def sign_dingtalk(secret: str, timestamp_ms: int) -> str:
    """DingTalk: urlencode(base64(HMAC-SHA256(secret, "<timestamp_ms>\\n<secret>")))."""
    msg = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), msg, hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest).decode())


def sign_feishu(secret: str, timestamp_s: int) -> str:
    """Feishu / Lark: base64(HMAC-SHA256(key="<timestamp_s>\\n<secret>", message=b""))."""
    key = f"{timestamp_s}\n{secret}".encode()
    return base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()


# ---------------------------------------------------------------------------
# user text inert in every platform's markdown
# ---------------------------------------------------------------------------

# Markdown / HTML-tag / mention characters -> their full-width forms: shown, never read
# as markup by any of the three (WeCom <font>/<@id>, DingTalk, Feishu <at>/<font>, links).
_INERT = str.maketrans({"<": "＜", ">": "＞", "[": "［", "]": "］", "(": "（", ")": "）", "*": "＊",
                        "_": "＿", "`": "｀", "#": "＃", "|": "｜", "~": "～", "@": "＠", "\\": "＼",
                        "!": "！", "$": "＄", "&": "＆"})
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def inert(text: Any, limit: int = 60) -> str:
    """User text (a channel, an article title) for a chat card: one line, bounded, no markup,
    no live link (``://`` loses its colon to a full-width one)."""
    s = _CONTROL.sub(" ", str(text)).strip()
    if len(s) > limit:
        s = s[: limit - 1] + "…"
    return s.translate(_INERT).replace("://", "：//")


# ---------------------------------------------------------------------------
# the card
# ---------------------------------------------------------------------------


def link(d: Any, lang: str, app_url: str | None) -> str | None:
    """The app's view of this digest: <app_url>/digest?period=…&date=…(&channel, window, model, lang)."""
    if not app_url:
        return None
    state = ViewState(params=d.params.with_(date_from=None, date_to=None), lang=lang,
                      period=d.period.kind, date=d.period.end)
    return app_url.rstrip("/") + "/digest" + viewstate.query_string(state)


ICONS = {"error": "🔴", "warning": "🟠", "good": "🟢"}


def card_sections(d: Any, lang: str = "en") -> list[tuple[str, list[str]]]:
    """(heading, lines) of the chat card, most important first; user text made inert."""
    from . import digest as dg

    tr = lambda k, **kw: i18n.t(k, lang, **kw)  # noqa: E731
    name = lambda c: d.channel(c, lang)  # noqa: E731  (wechat -> 公众号 in Chinese)
    out: list[tuple[str, list[str]]] = []
    notes = [f"> ⚠️ {text}" for _k, text in dg.status_notes(d, lang)]
    if d.store_empty:
        return [("", notes)]
    alerts = [f"{ICONS[s]} {text}" for s, text in dg.volume_alerts(d, lang)]
    alerts += [f"{ICONS[a.severity]} {dg.alert_line(dataclasses.replace(a, channel=inert(name(a.channel))) if a.channel else a, lang)}"
               for a in d.alerts]
    if summary := dg.alert_summary(d, lang):
        alerts.append(f"{ICONS['good']} {summary}")
    out.append(("", notes))
    out.append((tr("dg_h_alerts"), alerts))
    kpis = []
    for x in dg.tiles(d, lang):
        delta = f" ({x.delta})" if x.delta else ""
        kpis.append(f"{x.label}: **{x.value}**{delta}")
    out.append((tr("dg_h_kpis"), kpis))
    race = []
    for c in d.channels:
        if not c["rank"]:
            continue
        race.append(f"{c['rank']}. {inert(name(c['channel']))} {dg.money0(c['revenue'])} "
                    f"{dg.movement(c['rank'], c['rank_prev'], lang)}")
    if race:
        out.append((tr("dg_h_race"), race))
    top = d.rankings()["top_revenue"]
    if top:
        out.append((tr("dg_rank_top_revenue", n=d.min_n),
                    [f"{i}. {inert(a['title'] or a['article_id'])} · {inert(name(a['channel']))} "
                     f"{dg.money0(a['revenue'])}" for i, a in enumerate(top, 1)]))
    return out


def _bytes(s: str) -> int:
    return len(s.encode("utf-8"))


def card(d: Any, lang: str = "en", url: str | None = None, limit: int = CARD_LIMIT,
         heading: bool = True, sep: str = "\n") -> str:
    """The digest as chat markdown of at most ``limit`` bytes: the title (unless the platform
    shows it apart: ``heading=False``), the status, alerts, key numbers, channel race and top
    articles; what does not fit is cut at a line with a note, and the link to the full report
    always closes it. ``sep`` joins the lines (DingTalk's markdown needs a blank line between
    lines to keep them apart)."""
    from . import digest as dg

    tr = lambda k, **kw: i18n.t(k, lang, **kw)  # noqa: E731
    head = ([f"### {dg.title(d, lang)}"] if heading else []) + [dg.subtitle(d, lang).translate(_INERT_SUB)]
    foot = f"[{tr('chat_full_report')}]({url})" if url else ""
    lines = list(head)
    for title_, body in card_sections(d, lang):
        if not body:
            continue
        lines += ([""] if sep == "\n" else []) + ([f"**{title_}**"] if title_ else []) + body
    text = sep.join(lines)
    if _bytes(text) + _bytes(foot) + 2 <= limit:
        return text + ("\n\n" + foot if foot else "")
    cut = tr("chat_truncated")
    tail = "\n\n" + cut + (" " + foot if foot else "")
    kept: list[str] = []
    size = _bytes(tail)
    for ln in lines:
        if size + _bytes(ln) + _bytes(sep) > limit:
            break
        kept.append(ln)
        size += _bytes(ln) + _bytes(sep)
    return sep.join(kept).rstrip() + tail


# the subtitle carries the channel filter (user text): the same treatment, but keep its prose
_INERT_SUB = str.maketrans({"<": "＜", ">": "＞", "[": "［", "]": "］", "*": "＊", "_": "＿", "`": "｀",
                            "#": "＃", "|": "｜", "@": "＠", "\\": "＼"})


def payload(platform: str, d: Any, lang: str = "en", url: str | None = None,
            full_md: str | None = None) -> dict[str, Any]:
    """The JSON body of a post (without a signature)."""
    from . import digest as dg

    title = dg.title(d, lang)
    if platform == "wecom":
        return {"msgtype": "markdown", "markdown": {"content": card(d, lang, url)}}
    if platform == "dingtalk":
        return {"msgtype": "markdown", "markdown": {"title": title, "text": card(d, lang, url, sep="\n\n")}}
    if platform == "feishu":
        worst = min((dg_sev for dg_sev, _t in dg.volume_alerts(d)), key=_rank, default="good")
        if d.alerts and _rank(d.alerts[0].severity) < _rank(worst):
            worst = d.alerts[0].severity
        color = {"error": "red", "warning": "orange", "good": "green"}[worst]
        return {"msg_type": "interactive", "card": {
            "config": {"wide_screen_mode": True},
            "header": {"title": {"tag": "plain_text", "content": title}, "template": color},
            "elements": [{"tag": "markdown", "content": card(d, lang, url, heading=False)}],
        }}
    if platform == "generic":
        p = d.period
        return {"title": title, "text": full_md if full_md is not None else dg.render_md(d, lang), "url": url,
                "lang": lang, "period": {"kind": p.kind, "from": p.start.isoformat(), "to": p.end.isoformat()},
                "alerts": [{"severity": s, "text": t} for s, t in dg.volume_alerts(d, lang)]
                + [{"severity": a.severity, "text": dg.alert_line(a, lang, names=d.channel_names(lang))}
                   for a in d.alerts],
                "kpis": {x.key: {"value": d.total.get(x.key), "previous": d.total.get(f"{x.key}_prev")}
                         for x in dg.tiles(d, lang)}}
    raise PostError(f"platform must be one of {', '.join(PLATFORMS)}: {platform!r}")


def _rank(sev: str) -> int:
    return {"error": 0, "warning": 1, "good": 2}[sev]


# ---------------------------------------------------------------------------
# sending
# ---------------------------------------------------------------------------


def signed(target: Target, body: dict[str, Any], now: float | None = None) -> tuple[str, dict[str, Any]]:
    """(url, body) with the platform's signature when a secret is set."""
    now = time.time() if now is None else now
    if not target.secret:
        return target.url, body
    if target.platform == "dingtalk":
        ts = int(now * 1000)
        sep = "&" if urllib.parse.urlsplit(target.url).query else "?"
        return f"{target.url}{sep}timestamp={ts}&sign={sign_dingtalk(target.secret, ts)}", body
    if target.platform == "feishu":
        ts = int(now)
        return target.url, {"timestamp": str(ts), "sign": sign_feishu(target.secret, ts), **body}
    return target.url, body  # WeCom and generic webhooks have no signature


def _refusal(platform: str, answer: Any) -> str | None:
    """The platform's error in an HTTP 200 answer, or None when it accepted."""
    if not isinstance(answer, dict):
        return None
    if platform in ("wecom", "dingtalk"):
        code = answer.get("errcode", 0)
        return None if code in (0, "0") else f"errcode {code}: {answer.get('errmsg', '')}".strip()
    if platform == "feishu":
        code = answer.get("code", answer.get("StatusCode", 0))
        return None if code in (0, "0") else f"code {code}: {answer.get('msg', answer.get('StatusMessage', ''))}"
    return None


def post(target: Target, body: dict[str, Any], retries: int = RETRIES, backoff: float = BACKOFF,
         sleep: Callable[[float], None] = time.sleep, timeout: float = TIMEOUT) -> dict[str, Any] | None:
    """Send one message. Network errors, HTTP 429 and 5xx are retried ``retries`` times with
    exponential backoff (signed again each time: a signature's timestamp must be fresh);
    another HTTP error or a platform's refusal (errcode / code not 0) raises PostError at once."""
    last = ""
    for attempt in range(retries + 1):
        if attempt:
            sleep(backoff * 2 ** (attempt - 1))
        url, data = signed(target, body)
        req = urllib.request.Request(url, data=json.dumps(data, ensure_ascii=False).encode("utf-8"),
                                     headers={"Content-Type": "application/json; charset=utf-8"}, method="POST")
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 (http(s) only: check_url)
                raw = resp.read(1_000_000)
        except urllib.error.HTTPError as exc:
            last = f"HTTP {exc.code} {exc.reason}"
            if exc.code == 429 or exc.code >= 500:
                continue
            raise PostError(f"the webhook refused the message ({last}) at {redact(target.url)}") from None
        except (urllib.error.URLError, OSError, TimeoutError) as exc:
            last = str(getattr(exc, "reason", exc))
            continue
        try:
            answer = json.loads(raw.decode("utf-8")) if raw.strip() else None
        except (UnicodeDecodeError, json.JSONDecodeError):
            answer = None
        if (why := _refusal(target.platform, answer)) is not None:
            raise PostError(f"the {target.platform} webhook refused the message ({why})")
        return answer if isinstance(answer, dict) else None
    raise PostError(f"could not post to {redact(target.url)} after {retries + 1} attempts ({last})")


def post_digest(target: Target, d: Any, lang: str = "en", **kw: Any) -> dict[str, Any] | None:
    """Post a digest to a target: the card (or, generic, the JSON digest) with the link back."""
    t = target.resolved()
    body = payload(t.platform, d, lang, link(d, lang, t.app_url))
    return post(t, body, **kw)

