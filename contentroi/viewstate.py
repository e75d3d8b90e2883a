"""The view in the URL (CONTRACT §4): parse, validate, and write back.

Pure Python, no Streamlit: ``parse`` turns raw query parameters into a
:class:`ViewState` plus a notice for every value it ignored; ``to_query``
turns a state back into the canonical query string (defaults left out), so a
copied link reproduces the view. Nothing here ever reaches SQL as text: the
values become typed :class:`~contentroi.engine.Params` that are bound.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Mapping, Sequence
from urllib.parse import urlencode

from .engine import DEFAULT_MODEL, DEFAULT_WINDOW, MODELS, WINDOW_MAX, WINDOW_MIN, Params, date_in_range

LANGS = ("en", "zh")
DEFAULT_LANG = "en"
MAX_VALUE_LEN = 200
MAX_CHANNELS = 50
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# What a chat app appends to a link shared from its own browser: WeChat adds
# `from=singlemessage` / `groupmessage` / `timeline` (and `isappinstalled=0`, an unknown
# parameter, ignored anyway). Our `from` is the period's start, and a link read its LAST
# value: a shared link lost its period. These values are passed over when the link's own
# value is read, and noticed like any bad value (CONTRACT §4: a bad value is ignored with
# a visible notice).
SHARE_MARKS = {"from": frozenset({"singlemessage", "groupmessage", "timeline"})}
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
_SURROGATE_RE = re.compile(r"[\ud800-\udfff]")
# Sort keys a view may carry in `sort`: a column name, "-" prefix = descending.
SORTABLE = (
    "revenue", "paid", "joins", "contacted", "reads", "cost", "roi", "cost_per_paid",
    "overall_rate", "join_rate", "contact_rate", "pay_rate", "published_at",
    "revenue_per_1k_reads", "median_days_to_pay", "title", "channel", "author",
)
DEFAULT_SORT = "-revenue"
# Parameters a page owns (kept in the view as cleaned text; the page validates them):
# page key -> parameter names. Other pages drop them.
PAGE_PARAMS = {
    "targets": ("month", "metric", "ch", "rfrom", "rto"),
    # display choices (st_app.url_choice): the trend's metric, the race's metric, order and
    # level (the open tab: channels or articles)
    "channels": ("trend", "race", "order", "level"),
    "sales": ("trend",),
    "attribution": ("level",),  # the open tab of the tables: channels or articles
    "articles": ("stage",),  # the article's users by stage
}
MAX_PAGE = 1_000_000  # a leaderboard page number (`page`, 1-based; clamped to the last page when shown)
from .limits import PERIODS  # noqa: E402  (defined once)
GRAINS = ("week", "month")  # the cohorts page's cohort size


@dataclass(frozen=True)
class Notice:
    """A query parameter that was ignored, and why (a key of the i18n table)."""

    param: str
    value: str
    reason: str


@dataclass(frozen=True)
class ViewState:
    params: Params = field(default_factory=Params)
    lang: str = DEFAULT_LANG
    article: str | None = None
    sort: str = DEFAULT_SORT
    q: str = ""
    period: str | None = None  # the digest page's day | week
    date: dt.date | None = None  # the digest page's end date
    extra: tuple[tuple[str, str], ...] = ()  # page-owned parameters (PAGE_PARAMS), sorted

    def page_param(self, key: str) -> str | None:
        return dict(self.extra).get(key)
    grain: str | None = None  # the cohorts page's week | month
    page: int = 1  # the articles leaderboard's page

    def with_(self, **changes: Any) -> "ViewState":
        return replace(self, **changes)


def _clean(value: str) -> str:
    # A lone surrogate (bytes that were not UTF-8, decoded with surrogateescape)
    # cannot be encoded again -- not into a link, not into SQL: read it as the
    # replacement character, as a browser's URL decoding would.
    return _SURROGATE_RE.sub("\ufffd", _CONTROL_RE.sub("", value)).strip()


def _values(raw: Mapping[str, Sequence[str] | str], key: str) -> list:
    """Every value the link gives ``key`` (one string or several), in order."""
    values = raw.get(key) or []
    return [values] if isinstance(values, str) else list(values)


def _is_mark(key: str, value) -> bool:
    """A value a chat app appended to the link (SHARE_MARKS), not the link's own."""
    return str(value).strip().lower() in SHARE_MARKS.get(key, ())


def _last(raw: Mapping[str, Sequence[str]], key: str) -> str | None:
    values = [v for v in _values(raw, key) if not _is_mark(key, v)]
    return values[-1] if values else None


def _date(value: str) -> dt.date | None:
    if not _DATE_RE.match(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def parse(
    raw: Mapping[str, Sequence[str] | str],
    known_channels: Iterable[str] | None = None,
) -> tuple[ViewState, list[Notice]]:
    """Read a view from query parameters; every bad value is ignored with a notice."""
    notices: list[Notice] = []

    def bad(param: str, value: str, reason: str) -> None:
        shown = value if len(value) <= 60 else value[:57] + "…"
        notices.append(Notice(param, shown, reason))

    def get(key: str) -> str | None:
        v = _last(raw, key)
        if v is None:
            return None
        v = _clean(str(v))
        if len(v) > MAX_VALUE_LEN:
            bad(key, v, "notice_too_long")
            return None
        return v or None

    def get_date(key: str) -> dt.date | None:
        v = get(key)
        if v is None:
            return None
        d = _date(v)
        if d is None:
            bad(key, v, "notice_bad_date")
        elif not date_in_range(d):  # 0001-01-01, 9999-12-31: no period arithmetic overflows
            bad(key, v, "notice_date_range")
            d = None
        return d

    date_from, date_to = get_date("from"), get_date("to")
    for key in SHARE_MARKS:  # (passed over by _last)
        for v in _values(raw, key):
            if _is_mark(key, v):
                bad(key, _clean(str(v)), "notice_share_mark")
    if date_from and date_to and date_from > date_to:
        bad("to", date_to.isoformat(), "notice_period_reversed")
        date_from = date_to = None

    window = DEFAULT_WINDOW
    if (v := get("window")) is not None:
        if re.fullmatch(r"\d{1,3}", v) and WINDOW_MIN <= int(v) <= WINDOW_MAX:
            window = int(v)
        else:
            bad("window", v, "notice_bad_window")

    model = DEFAULT_MODEL
    if (v := get("model")) is not None:
        if v in MODELS:
            model = v
        else:
            bad("model", v, "notice_bad_model")

    channels: list[str] = []
    known = set(known_channels) if known_channels is not None else None
    raw_channels = _values(raw, "channel")
    if len(raw_channels) > MAX_CHANNELS:
        bad("channel", f"{len(raw_channels)} values", "notice_too_long")
    for c in raw_channels[:MAX_CHANNELS]:
        c = _clean(str(c))
        if not c:
            continue
        if len(c) > MAX_VALUE_LEN:
            bad("channel", c, "notice_too_long")
        elif known is not None and c not in known:
            bad("channel", c, "notice_unknown_channel")
        elif c not in channels:
            channels.append(c)

    lang = DEFAULT_LANG
    if (v := get("lang")) is not None:
        if v in LANGS:
            lang = v
        else:
            bad("lang", v, "notice_bad_lang")

    sort = DEFAULT_SORT
    if (v := get("sort")) is not None:
        if v.removeprefix("-") in SORTABLE:
            sort = v
        else:
            bad("sort", v, "notice_bad_sort")

    page = 1
    if (v := get("page")) is not None:
        if re.fullmatch(r"[0-9]{1,7}", v) and 1 <= int(v) <= MAX_PAGE:
            page = int(v)
        else:
            bad("page", v, "notice_bad_page")

    period = None
    if (v := get("period")) is not None:
        if v in PERIODS:
            period = v
        else:
            bad("period", v, "notice_bad_period")
    date = get_date("date")

    extra = []
    for key in sorted({k for keys in PAGE_PARAMS.values() for k in keys}):
        if (v := get(key)) is not None:
            extra.append((key, v))
    grain = None
    if (v := get("grain")) is not None:
        if v in GRAINS:
            grain = v
        else:
            bad("grain", v, "notice_bad_grain")

    state = ViewState(
        grain=grain,
        params=Params(date_from=date_from, date_to=date_to, channels=tuple(channels),
                      window_days=window, model=model),
        lang=lang,
        article=get("article"),
        sort=sort,
        q=get("q") or "",
        period=period,
        date=date,
        extra=tuple(extra),
        page=page,
    )
    return state, notices


def to_query(state: ViewState) -> dict[str, str | list[str]]:
    """The canonical query parameters of a view; defaults are left out."""
    p = state.params
    out: dict[str, str | list[str]] = {}
    if p.date_from:
        out["from"] = p.date_from.isoformat()
    if p.date_to:
        out["to"] = p.date_to.isoformat()
    if p.channels:
        out["channel"] = list(p.channels)
    if p.window_days != DEFAULT_WINDOW:
        out["window"] = str(p.window_days)
    if p.model != DEFAULT_MODEL:
        out["model"] = p.model
    if state.article:
        out["article"] = state.article
    if state.sort != DEFAULT_SORT:
        out["sort"] = state.sort
    if state.q:
        out["q"] = state.q
    if state.page != 1:
        out["page"] = str(state.page)
    if state.period:
        out["period"] = state.period
    if state.date:
        out["date"] = state.date.isoformat()
    for k, v in state.extra:
        out[k] = v
    if state.grain:
        out["grain"] = state.grain
    if state.lang != DEFAULT_LANG:
        out["lang"] = state.lang
    return out


def query_string(state: ViewState) -> str:
    """``?from=...&channel=a&channel=b`` (empty when every value is a default)."""
    q = to_query(state)
    return ("?" + urlencode(q, doseq=True)) if q else ""


def canonical(raw: Mapping[str, Sequence[str] | str]) -> tuple:
    """A comparable form of raw query parameters (order of keys ignored)."""
    items = []
    for k in sorted(raw):
        v = raw[k]
        items.append((k, (v,) if isinstance(v, str) else tuple(v)))
    return tuple(items)
