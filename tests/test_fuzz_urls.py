"""Fuzzed links (CONTRACT §4): hostile query parameters into
``viewstate.parse`` and into the running app (AppTest).

``viewstate.parse`` properties, for any dict of parameters: it never raises;
every value it keeps is valid (window 1..365, a known model, real dates in
order, known channels, a language, a sortable column ...) and UTF-8 text; every
value it does not keep yields a notice; its notices are safe inside the
``code`` spans the translations put them in; and the state it returns
round-trips through ``to_query``.

The app, on the bundled sample store, on every page: no exception, no
traceback text, injected HTML/markdown never active, and the store's row
counts unchanged (nothing reached SQL as text). Run with ``-s`` to see the
case counts.
"""
from __future__ import annotations

import collections
import datetime as dt
import re

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from contentroi import i18n, pagelist, viewstate
from contentroi.engine import MODELS, WINDOW_MAX, WINDOW_MIN
from contentroi.viewstate import LANGS, PERIODS, SORTABLE

CASES: collections.Counter = collections.Counter()
FUZZ = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                   HealthCheck.function_scoped_fixture,
                                                   HealthCheck.large_base_example])
CONTRACT_KEYS = ["from", "to", "channel", "window", "model", "article", "lang"]
OTHER_KEYS = ["sort", "q", "period", "date", "page"]
SCALAR_KEYS = ["from", "to", "window", "model", "article", "lang", "sort", "q", "period", "date", "page"]
CHANNELS = ["wechat", "weibo", "zhihu", "xiaohongshu", "douyin"]

HOSTILE = [
    "'; DROP TABLE articles; --", "1; DELETE FROM joins", "' OR '1'='1", "$date_from", "?",
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "**x**", "[a](javascript:alert(1))",
    "![t](https://example.invalid/pixel.png)", "`code`", "``", "` [a](https://evil.invalid) `", "{value}",
    "{0.__class__}", "%s", "\x00", "\x1b[31mred", "a\u202eb", "\u2028", "\ufeff30", "\u200b30",
    "-3", "0", "366", "999", "30.5", "1e2", "٣٠", "３０", "+30", " 30 ", "030", "0030",
    "2024-02-30", "2024-13-01", "yesterday", "0000-01-01", "2024-1-1", "２０２４-０１-０１",
    "2024-01-01\n", "9999-12-31", "first_touch ", "FIRST_TOUCH", "x", "", " ", "--revenue", "-",
    "-revenue", "revenue", "title", "zh", "ZH", "en\x00", "day", "week", "weibo", " weibo ",
]
VALID = {
    "from": ["2026-05-01", "2026-05-20", "2024-02-29"], "to": ["2026-06-30", "2026-05-10"],
    "window": ["1", "7", "30", "365"], "model": list(MODELS), "lang": list(LANGS),
    "channel": CHANNELS, "article": ["A0001", "A0042", "A9999"], "sort": ["-roi", "title", "-paid"],
    "q": ["健身", "x"], "period": list(PERIODS), "date": ["2026-05-15"], "page": ["1", "2", "40"],
}


def _surrogate_text():
    """Text decoded from arbitrary bytes with surrogateescape (non-UTF-8 input)."""
    return st.binary(min_size=1, max_size=12).map(lambda b: b.decode("utf-8", "surrogateescape"))


def _value(key: str | None = None):
    options = [st.sampled_from(HOSTILE), st.text(max_size=20), _surrogate_text(),
               st.sampled_from(["x" * 100_000, "2024-01-01" * 30, "a" * 201, "b" * 200])]
    if key in VALID:
        options.append(st.sampled_from(VALID[key]))
    return st.one_of(*options)


def _values(key: str | None = None):
    many = st.integers(51, 400).map(lambda n: [f"c{i}" for i in range(n)] + ["weibo"])
    return st.one_of(
        _value(key),
        st.lists(_value(key), min_size=1, max_size=5),
        many if key == "channel" else st.lists(_value(key), min_size=1, max_size=3),
    )


@st.composite
def raw_params(draw):
    raw: dict = {}
    for key in draw(st.lists(st.sampled_from(CONTRACT_KEYS + OTHER_KEYS), max_size=8, unique=True)):
        raw[key] = draw(_values(key))
    for key in draw(st.lists(st.one_of(st.text(max_size=10), _surrogate_text()), max_size=2)):
        raw.setdefault(key, draw(_values()))
    return raw


# -- an independent reading of the rules -------------------------------------
def _clean(v: str) -> str:
    return re.sub(r"[\ud800-\udfff]", "\ufffd", re.sub(r"[\x00-\x1f\x7f]", "", v)).strip()


def _last(v, key=None):
    """The value a link means: its last, past the marks a chat app appends (for `from`:
    WeChat's `singlemessage` ...: viewstate.SHARE_MARKS; they are noticed)."""
    vs = [v] if isinstance(v, str) else list(v or [])
    vs = [x for x in vs if str(x).strip().lower() not in viewstate.SHARE_MARKS.get(key, ())]
    return vs[-1] if vs else None


def _utf8(s: str) -> bool:
    try:
        s.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def _shown(v: str) -> str:
    return v if len(v) <= 60 else v[:57] + "…"


def _int(v: str) -> int | None:
    try:
        return int(v)
    except ValueError:
        return None


def _ok_text(s: str | None) -> bool:
    return s is None or (isinstance(s, str) and s == s.strip() and 0 < len(s) <= viewstate.MAX_VALUE_LEN
                         and not re.search(r"[\x00-\x1f\x7f]", s) and _utf8(s))


def check_parse(raw: dict, known: list[str] | None) -> tuple:
    try:
        state, notices = viewstate.parse(raw, known)
    except Exception as exc:  # noqa: BLE001
        raise AssertionError(f"parse raised {type(exc).__name__}: {exc}") from exc
    p = state.params
    # every kept value is valid
    assert isinstance(p.window_days, int) and WINDOW_MIN <= p.window_days <= WINDOW_MAX
    assert p.model in MODELS
    for d in (p.date_from, p.date_to, state.date):
        assert d is None or type(d) is dt.date
    if p.date_from and p.date_to:
        assert p.date_from <= p.date_to
    assert len(set(p.channels)) == len(p.channels) <= viewstate.MAX_CHANNELS
    assert all(_ok_text(c) for c in p.channels), p.channels
    if known is not None:
        assert set(p.channels) <= set(known)
    assert state.lang in LANGS
    assert state.sort in SORTABLE or (state.sort[:1] == "-" and state.sort[1:] in SORTABLE), state.sort
    assert state.period is None or state.period in PERIODS
    assert _ok_text(state.article), state.article
    assert state.q == "" or _ok_text(state.q), state.q
    # notices: for a parameter of the link, a known reason, safe inside `code`
    for n in notices:
        assert n.param in raw, n
        assert n.reason in i18n.TEXT, n
        assert len(n.value) <= 60 and _utf8(n.value), n
        i18n.t(n.reason, "en", param=n.param, value=n.value, lo="1900-01-01", hi="2999-12-31")
    noticed = {n.param for n in notices}
    # every value that was not kept is noticed
    kept = {
        "from": lambda v: p.date_from is not None,
        "to": lambda v: p.date_to is not None,
        "date": lambda v: state.date is not None,
        "window": lambda v: _int(v) == p.window_days,
        "model": lambda v: p.model == v,
        "lang": lambda v: state.lang == v,
        "sort": lambda v: state.sort == v,
        "period": lambda v: state.period == v,
        "article": lambda v: state.article == v,
        "q": lambda v: state.q == v,
        "page": lambda v: _int(v) == state.page,
    }
    for key in SCALAR_KEYS:
        if key not in raw or _last(raw[key], key) is None:
            continue
        v = _clean(str(_last(raw[key], key)))
        if v and not kept[key](v):
            assert key in noticed or (key == "from" and "to" in noticed), (key, v[:80], notices)
    if "channel" in raw:
        values = [raw["channel"]] if isinstance(raw["channel"], str) else list(raw["channel"])
        dropped = [c for c in (_clean(str(x)) for x in values) if c and c not in p.channels]
        said = {n.value for n in notices if n.param == "channel"}
        overflow = any(n.param == "channel" and n.reason == "notice_too_long" for n in notices)
        for c in dropped:
            assert overflow or _shown(c) in said, (c[:80], notices)
    # the state is a link again, and that link reads back as the same state
    q = viewstate.to_query(state)
    viewstate.query_string(state)
    again, more = viewstate.parse(q, known)
    assert (again, more) == (state, []), (q, again, more)
    return state, notices


@settings(max_examples=1000, **FUZZ)
@given(raw_params(), st.one_of(st.none(), st.just(CHANNELS), st.lists(st.text(max_size=6), max_size=4)))
@example({"channel": ["x"] * 50 + ["weibo"]}, CHANNELS)
@example({"article": "a\udcff", "q": "\ud800"}, None)
@example({"sort": "--revenue"}, None)
@example({"model": "` [a](https://evil.invalid) `"}, None)
@example({"from": "2024-05-02", "to": "2024-05-01"}, None)
def test_fuzz_parse(raw, known):
    CASES["viewstate.parse"] += 1
    check_parse(raw, known)


@pytest.mark.parametrize("raw, date_from, date_to, noticed", [
    # WeChat appends from=singlemessage / groupmessage / timeline (and isappinstalled=0)
    # to a link shared from its browser: the link's own period stands (the mark is
    # noticed, as any bad value)
    ({"from": ["2026-06-01", "groupmessage"], "isappinstalled": ["0"]}, dt.date(2026, 6, 1), None, ["from"]),
    ({"from": ["2026-06-01", "singlemessage"], "to": ["2026-06-30"]}, dt.date(2026, 6, 1),
     dt.date(2026, 6, 30), ["from"]),
    ({"from": "timeline", "to": "2026-06-30"}, None, dt.date(2026, 6, 30), ["from"]),
    ({"from": ["SingleMessage"]}, None, None, ["from"]),
    ({"from": ["2026-06-01"]}, dt.date(2026, 6, 1), None, []),
    # anything else that is not a date is noticed too
    ({"from": ["yesterday", "groupmessage"]}, None, None, ["from", "from"]),
    ({"to": ["groupmessage"]}, None, None, ["to"]),
])
def test_a_chat_apps_share_marks_are_passed_over(raw, date_from, date_to, noticed):
    state, notices = viewstate.parse(raw, None)
    assert (state.params.date_from, state.params.date_to) == (date_from, date_to)
    assert [n.param for n in notices] == noticed
    check_parse(raw, None)


# ---------------------------------------------------------------------------
# the app under AppTest
# ---------------------------------------------------------------------------
PAGES = list(pagelist.KEYS)  # every page (contentroi/pagelist.py)
PAYLOADS = [h for h in HOSTILE if _utf8(h)] + ["x" * 100_000]
# what the payloads would become if their markdown / HTML were live
LIVE = re.compile(r"<script|<img|\]\(javascript:|\]\(https://evil|!\[t\]\(|\*\*x\*\*", re.I)


def _app_value(key):
    return st.one_of(st.sampled_from(PAYLOADS), st.sampled_from(VALID.get(key, ["x"])),
                     st.text(max_size=8).filter(_utf8))


@st.composite
def app_params(draw):
    out = {}
    for key in draw(st.lists(st.sampled_from(CONTRACT_KEYS + OTHER_KEYS + ["zz"]), max_size=6, unique=True)):
        if draw(st.integers(0, 3)) == 0:
            out[key] = draw(st.lists(_app_value(key), min_size=2, max_size=4))
        else:
            out[key] = draw(_app_value(key))
    return out


def _live_text(md: str) -> str:
    """Markdown with what renders as literal text taken out: inline code spans
    (a run of n backticks is closed by the next run of exactly n) and
    backslash-escaped punctuation (replaced by a placeholder)."""
    out, i = [], 0
    while i < len(md):
        if md[i] == "\\" and i + 1 < len(md) and md[i + 1] in _PUNCT:
            out.append("\u2022")
            i += 2
            continue
        if md[i] == "`":
            j = i
            while j < len(md) and md[j] == "`":
                j += 1
            run = md[i:j]
            m = re.compile(r"(?<!`)" + re.escape(run) + r"(?!`)").search(md, j)
            if m:
                i = m.end()
                continue
            out.append(run)
            i = j
            continue
        out.append(md[i])
        i += 1
    return "".join(out)


_PUNCT = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def _counts(path) -> dict:
    """Row counts of the published store, read the way the app reads it."""
    from contentroi.store import Workspace

    with Workspace(path).reader() as s:
        cur = s.cursor()
        return {t: cur.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("articles", "joins", "sales", "uploads")}


def check_app(at, where: str) -> None:
    assert not at.exception, f"{where}: {[e.value for e in at.exception]}"
    for node in at._tree:
        proto = getattr(node, "proto", None)
        if proto is None:
            continue
        text = str(proto)
        assert "Traceback (most recent call last)" not in text, f"{where}: a traceback on the page"
        kind = getattr(node, "type", "")
        body = getattr(proto, "body", None)
        if not isinstance(body, str):
            continue
        if kind == "html" or getattr(proto, "allow_html", False):
            low = body.lower()
            assert not any(m in low for m in ("<script", "onerror", "javascript:")), f"{where}: {body[:200]}"
        if kind == "markdown":
            assert "<script" not in body.lower(), f"{where}: raw <script in st.markdown: {body[:200]}"
        live = LIVE.search(_live_text(body))
        assert not live, f"{where}: injected markup is live in a {kind}: {body[:300]}"
    generic = tuple(i18n.t("error_generic", lg, error="").split(":")[0].split("：")[0] for lg in LANGS)
    for e in at.error:
        assert not any(g in e.value for g in generic), f"{where}: an error box: {e.value}"


@pytest.fixture
def app_env(sample_db, monkeypatch):
    monkeypatch.setenv("CONTENTROI_DB", str(sample_db))
    return sample_db


@pytest.mark.slow
@settings(max_examples=28, **FUZZ)
@given(st.sampled_from(PAGES), app_params(), app_params())
@example("articles", {"article": "` [a](https://evil.invalid) `", "q": "**x**"},
         {"article": "<script>alert(1)</script>", "q": "![t](https://example.invalid/pixel.png)"})
@example("overview", {"window": "'; DROP TABLE articles; --"}, {"from": "2026-06-30", "to": "2026-05-01"})
@example("channels", {"channel": ["weibo", "<img src=x onerror=alert(1)>"]}, {"model": "[a](javascript:alert(1))"})
@example("attribution", {"model": "x" * 100_000}, {"model": "time_decay", "window": "366"})
@example("sales", {"lang": "zh", "window": "0"}, {"lang": "**x**", "channel": ["zhihu"] * 60})
@example("data", {"lang": "zh"}, {"q": "<script>alert(1)</script>", "article": "`**x**`"})
@example("digest", {"period": "**x**", "date": "2026-02-30"}, {"period": "day", "date": "<script>"})
def test_fuzz_app_links(app_env, page, first, second):
    """Open / with hostile parameters, then another page with others."""
    from streamlit.testing.v1 import AppTest

    from tests.conftest import APP

    CASES["AppTest: / then a page (2 runs)"] += 1
    CASES[f"  page {page}"] += 1
    before = _counts(app_env)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params = dict(first)
    at.run()
    check_app(at, f"/ with {first!r:.200}")
    at.switch_page(f"pages/{page}.py")
    at.query_params = dict(second)
    at.run()
    check_app(at, f"/{page} with {second!r:.200}")
    assert _counts(app_env) == before, "the store changed"


def test_zz_report_case_counts():
    """Prints how many cases each property ran (use -s)."""
    print("\n[fuzz urls] cases run per property:")
    for k, v in CASES.items():
        print(f"  {k:<45} {v}")
