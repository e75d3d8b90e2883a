"""The page frame: every page's first line (``start_page``: sign-in, navigation, the view
from the URL, the header and its notices: sample, snapshot, freshness) and last line
(``end_page``: the shared sidebar, filters <-> URL, links, copy link; ``stop`` ends a page
early with it), the empty states and the guard that turns an error into a message."""
from __future__ import annotations

import datetime as dt
import time
import traceback
from contextlib import contextmanager
from typing import Any, Iterator, NoReturn

import streamlit as st

from .. import engine, fmt, i18n, pagelist, viewstate
from ..engine import MODELS, Params
from ..fmt import count
from ..fmt import md_escape as md
from ..viewstate import ViewState
from .data import channel_list, channels_text, channel_names, data_mix, q, read_view, store_is_empty
from .view import (PAGES, PageDef, _W, _global_query, _on_filter_change, _raw_query, _seed_widgets, link_notices,
                   _write_url, lang, t, view)


def view_from_url(page: PageDef) -> ViewState:
    """Read the URL into the view and write the URL back; no widget is drawn (the sidebar
    comes at the end of the run: ``end_page``). Returns the view.

    The view in ``st.session_state['_view']`` is the truth. A URL that differs
    from the one this session last wrote (a link opened, history moved, a page
    link followed) replaces it; a widget change updates it through its
    callback. Widgets are seeded from it on every run, so their values survive
    page switches.
    """
    channels = _channels()
    raw = _raw_query()
    parsed, notices = viewstate.parse(raw, channels)
    if st.session_state.get("_qs") != viewstate.canonical(raw) or "_view" not in st.session_state:
        state = parsed  # the URL wins
    else:
        state = view()
    if st.session_state.pop("_reversed", False):
        notices.append(viewstate.Notice("to", "", "notice_period_reversed"))
    # a channel no longer in the data is dropped
    state = state.with_(params=state.params.with_(
        channels=tuple(c for c in state.params.channels if c in channels)))
    _seed_widgets(state)
    lg = state.lang
    if page.key != "articles":
        state = state.with_(sort=viewstate.DEFAULT_SORT, q="", page=1)
        if page.key != "cohorts":  # there: the acquisition article of the cohorts
            state = state.with_(article=None)
    if page.key != "cohorts":
        state = state.with_(grain=None)
    if page.key != "digest":
        state = state.with_(period=None, date=None)
    own = viewstate.PAGE_PARAMS.get(page.key, ())
    state = state.with_(extra=tuple((k, v) for k, v in state.extra if k in own))
    st.session_state["_view"] = state
    _write_url(state)
    link_notices([i18n.t(n.reason, lg, param=md(n.param), value=md(n.value), lo=md(engine.DATE_MIN),
                         hi=md(engine.DATE_MAX)) for n in notices], lg)
    return state


def _channels() -> list[str]:
    try:
        return channel_list()
    except Exception:  # an unreadable store still gets a page (with its error)
        return []


def draw_sidebar(page: PageDef) -> None:
    """The shared sidebar: language, page links, the filters (their values round-trip with
    the URL through ``_on_filter_change``), the copy-link box and how far the logs reach."""
    state = view()
    _seed_widgets(state)  # the view as the page left it (before any of these widgets exists)
    lg = state.lang
    tt = lambda k, **kw: i18n.t(k, lg, **kw)  # noqa: E731
    sb = st.sidebar
    sb.markdown(f"### {i18n.t('app_title', lg)}")
    sb.segmented_control(
        i18n.t("f_lang", lg), options=["en", "zh"],
        format_func=lambda v: {"en": "English", "zh": "中文"}[v],
        key=_W["lang"], selection_mode="single", on_change=_on_filter_change,
    )
    _nav(page, state, lg)
    if page.global_filters:
        sb.subheader(tt("filters"))
        if page.period_filter:
            sb.date_input(tt("f_from"), key=_W["from"], value=None, format="YYYY-MM-DD",
                          help=tt("f_period_help"), on_change=_on_filter_change)
            sb.date_input(tt("f_to"), key=_W["to"], value=None, format="YYYY-MM-DD",
                          on_change=_on_filter_change)
        if page.channel_filter:
            names = channel_names(lg)
            sb.multiselect(tt("f_channels"), options=_channels(), key=_W["channel"],
                           format_func=lambda c: names.get(c, c),
                           placeholder=tt("f_channels_all"), on_change=_on_filter_change,
                           select_all=False)  # none is all (the placeholder says so); its label is English only
        sb.number_input(tt("f_window"), min_value=engine.WINDOW_MIN, max_value=engine.WINDOW_MAX,
                        step=1, key=_W["window"], help=tt("f_window_help"),
                        on_change=_on_filter_change)
        sb.selectbox(tt("f_model"), options=list(MODELS), key=_W["model"],
                     format_func=lambda m: tt(f"model_{m}"), help=tt("f_model_help"),
                     on_change=_on_filter_change)
    _copy_link(page, state)
    _reach_caption(lg)


def end_page() -> None:
    """Every page's last line (and ``stop``'s): the shared sidebar of this run, drawn after
    the page's content so that a fresh browser shows the page's numbers first.

    Streamlit's frontend loads each element kind's code on first use; sent first, the
    sidebar's widgets (date pickers, multiselect, ...) made a fresh link's KPI tiles wait
    for their code (bench/freshlink.py). Their values are seeded from the view as before,
    so nothing but the order of sending changes. Drawn once per run: app.py calls it too
    (after a page that stopped or failed without it), and then it does nothing.
    """
    key = st.session_state.pop("_sidebar_todo", None)
    if key is not None:
        draw_sidebar(pagelist.get(key))


# A fresh browser session's first page: the head start its KPI tiles get before the rest
# of the page is sent (numbers_first). Measured on the 1x store (3 Dec 2026, navigation ->
# first tile): no pause 4.1-4.4 s, 0.5 s 1.7-2.0 s but up to 4.9 s when the browser was
# slower than the pause, 0.8 s 2.2-2.4 s (bench/freshlink.py: +0.55 s and +0.04 s over the
# one-metric page, against +1.7 and +1.9 s without it).
NUMBERS_FIRST_S = 0.8


def _has_browser() -> bool:
    """Whether this run serves a browser (a websocket session has request headers; AppTest
    and bare scripts have none)."""
    try:
        return bool(st.context.headers)
    except Exception:  # noqa: BLE001
        return False


def numbers_first() -> None:
    """A page's line right after its KPI tiles. In a browser session's first run it waits
    NUMBERS_FIRST_S before the rest of the page is sent, so a fresh link shows its numbers
    first: Streamlit's frontend loads each element kind's code on first use and shows the
    elements that arrived together once all their code is in, so sent with the charts,
    the tiles waited for the chart library (Vega, ~2 s on this machine). Later runs (a
    filter change, another page: the code is loaded) and runs without a browser do not
    wait."""
    if st.session_state.get("_numbers_shown"):
        return
    st.session_state["_numbers_shown"] = True
    if _has_browser():
        time.sleep(NUMBERS_FIRST_S)


def stop() -> NoReturn:
    """``st.stop()`` for pages: the sidebar is drawn first."""
    end_page()
    st.stop()
    raise AssertionError("unreachable")  # st.stop() raises


def _nav(current: PageDef, state: ViewState, lg: str) -> None:
    qp = _global_query(state.with_(lang=lg))
    pages = st.session_state.get("_pages", {})
    with st.sidebar:
        for p in PAGES:
            page_obj = pages.get(p.key)
            if page_obj is None:
                continue
            st.page_link(page_obj, label=i18n.t(f"nav_{p.key}", lg), icon=p.icon, query_params=qp)


def link_to_page(key: str, label: str, icon: str, state: ViewState) -> None:
    """A link to the page ``key`` that opens it with ``state``'s filters and language."""
    page_obj = st.session_state.get("_pages", {}).get(key)
    if page_obj is not None:
        st.page_link(page_obj, label=label, icon=icon, query_params=_global_query(state))


def _copy_link(page: PageDef, state: ViewState) -> None:
    base = ""
    try:
        base = st.context.url or ""
    except Exception:
        base = ""
    if not base:
        base = "/" + page.url_path
    link = base.split("?")[0] + viewstate.query_string(state)
    # Its content is sent only while it is open: st.code's highlighter is 1.5 MB of
    # JavaScript that a fresh browser would otherwise load before the page's numbers.
    box = st.sidebar.expander(i18n.t("copy_link", state.lang), icon=":material/link:",
                              key="copy_link", on_change="rerun")
    if box.open:
        with box:
            st.caption(i18n.t("copy_link_help", state.lang))
            st.code(link, language=None, wrap_lines=True)


def build_navigation() -> Any:
    """st.navigation over every page (hidden: each page's sidebar draws translated links)."""
    pages = {}
    for p in PAGES:
        pages[p.key] = st.Page(p.path, title=p.label[0], icon=p.icon,
                               url_path=p.url_path or None, default=(p.url_path == ""))
    st.session_state["_pages"] = pages
    nav = st.navigation(list(pages.values()), position="hidden")  # the page that will run
    current = next((p for p in PAGES if pages[p.key].url_path == nav.url_path), PAGES[0])
    return nav, current


def _ensure_app_navigation() -> None:
    """Make sure app.py's st.navigation is in charge (the one workaround for the
    ``pages/`` folder; tests/test_pagelist.py fails loudly if Streamlit changes it).

    Streamlit treats an app with a ``pages/`` folder as a legacy multipage app
    until the first ``st.navigation`` call in the process: if the very first
    visitor after a server start opens ``/data`` directly, Streamlit runs
    ``pages/data.py`` on its own, without app.py. Calling ``st.navigation``
    switches the whole app to Page-and-navigation ("If you call st.navigation in
    your app (in any session), Streamlit will switch to using the newer,
    Page-and-navigation multipage structure" — the 1.67 docs, pages-directory);
    then a rerun runs app.py, which finds the page again by its URL. Public API
    only: no Streamlit internals are patched.
    """
    if "_pages" in st.session_state:
        return
    build_navigation()
    st.rerun()


def _auth_configured() -> bool:
    try:
        return bool(st.secrets.get("auth"))
    except Exception:  # no secrets file
        return False


def _require_sign_in() -> None:
    """With an [auth] section in secrets (OIDC single sign-on), viewing needs a login."""
    if not _auth_configured() or st.user.get("is_logged_in", False):
        return
    lg = st.query_params.get("lang", "en")
    st.title(i18n.t("app_title", lg))
    st.info(i18n.t("sso_required", lg), icon=":material/lock:")
    st.button(i18n.t("sso_login", lg), on_click=st.login, type="primary", icon=":material/login:")
    st.stop()


def start_page(key: str, caption_key: str | None = None) -> ViewState:
    """Every page's first line: the view from the URL, then the header. The shared sidebar
    (filters <-> URL) is drawn by ``end_page()``, every page's last line.

    The sidebar is drawn from the page script rather than from app.py so that
    it is part of every rerun's output (AppTest drops entrypoint elements on
    reruns).
    """
    _ensure_app_navigation()
    _require_sign_in()
    page = pagelist.get(key)
    state = view_from_url(page)
    st.session_state["_sidebar_todo"] = key  # drawn by end_page(), after the content
    fmt.use_lang(state.lang)  # every number of this run in the reader's language (fmt.py)
    widget_texts(state.lang)
    page_header(key, caption_key)
    return state


def _css_text(s: str) -> str:
    """A CSS string literal of our own text."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def widget_texts(lg: str) -> None:
    """Streamlit's own texts that no parameter sets, in the page's language: the file
    uploader's button and size line ("Upload", "200MB per file • CSV, …") are drawn from our
    translations by CSS (the English text sized to nothing, ours shown in its place). English
    pages keep Streamlit's. tests/browser/test_upload.py checks a Chinese page shows none of
    Streamlit's English (a Streamlit upgrade that renames these test ids fails it). Chinese
    pages also give the KPI tiles' values one line height, whatever font draws them
    (tests/browser/test_journeys.py checks a row of Chinese tiles is level)."""
    if lg != "zh":
        return
    mb = st.get_option("server.maxUploadSize")
    drop = '[data-testid="stFileUploaderDropzone"]'
    st.html(
        "<style>"
        f'{drop} [data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"] p'
        "{font-size:0;line-height:0}"
        f'{drop} [data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"] p::after'
        f"{{content:{_css_text(i18n.t('uploader_button', lg))};font-size:0.875rem;line-height:1.6}}"
        f'{drop} [data-testid="stFileUploaderDropzoneInstructions"] span{{font-size:0}}'
        f'{drop} [data-testid="stFileUploaderDropzoneInstructions"] span::after'
        f"{{content:{_css_text(i18n.t('uploader_limit', lg, mb=mb))};font-size:0.875rem}}"
        # a tile's value with Chinese in it ("23.3 小时", "¥18.41万") took the CJK font's taller
        # line and sat ~6 px lower than its row's others: one line height for every value
        '[data-testid="stMetricValue"],[data-testid="stMetricValue"] *{line-height:1.25}'
        "</style>")


def page_header(key: str, caption_key: str | None = None) -> None:
    st.title(t(f"nav_{key}"))
    if caption_key:
        st.caption(t(caption_key))
    snapshot_notice()
    mix = data_mix()
    if mix == "sample":
        st.info(t("sample_note"), icon=":material/science:")
    elif mix == "mixed":
        df = q("data_mix")
        parts = ("，" if lang() == "zh" else ", ").join(
            f"{count(r.sample_rows)} / {count(r.rows)} {t('log_' + r.log)}"
            for r in df.itertuples() if r.sample_rows)
        st.warning(t("sample_mixed_note", parts=parts), icon=":material/science:")
    if key != "digest":  # the digest says it itself, for its own period
        freshness_notice(key)


def _fresh_rows() -> list[dict[str, Any]]:
    return engine.records(q("log_freshness"))


def _reach_caption(lg: str) -> None:
    """In the sidebar of every page: how far each log reaches."""
    from .. import freshness

    try:
        rows = _fresh_rows()
    except Exception:  # noqa: BLE001  an unreadable store: the page says so
        return
    sp = freshness.spans(rows)
    if not any(x.n for x in sp):
        return
    st.sidebar.caption(i18n.t("fresh_reach", lg, spans="")
                       + "  \n" + "  \n".join(freshness.span_text(x, lg) for x in sp))


def freshness_notice(key: str) -> None:
    """A warning when a log stops before the others or before the period in view ends."""
    from .. import freshness

    page = next(p for p in PAGES if p.key == key)
    date_to = view().params.date_to if page.global_filters and page.period_filter else None
    lines = freshness.warnings(_fresh_rows(), date_to, lang())
    if lines:
        st.warning("**" + t("fresh_title") + "**\n\n" + "\n".join(f"- {x}" for x in lines),
                   icon=":material/event_busy:")


def snapshot_notice() -> None:
    """On every page: the published snapshot could not be read, so an older one is shown."""
    v = read_view()
    if not v.fallback:
        return
    error = t("snap_missing") if v.error == "missing" else md(v.error or "", 300)
    if str(v.snapshot) == ":memory:":
        st.error(t("snap_unreadable", error=error), icon=":material/error:")
        return
    try:
        saved = dt.datetime.fromtimestamp(v.snapshot.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
    except OSError:
        saved = "?"
    # snapshot names are this app's own (NNNNNN.duckdb): nothing to escape
    st.warning(t("snap_fallback", broken=f"`{v.broken.name if v.broken else '?'}`", error=error,
                 shown=f"`{v.snapshot.name}`", saved=saved), icon=":material/history:")


def require_data(params: Params | None = None) -> bool:
    """Show the right empty state and return False when there is nothing to show
    (or when the data cannot be read: then a message, never a traceback)."""
    try:
        return _require_data(params)
    except Exception as exc:  # noqa: BLE001
        traceback.print_exc()
        st.error(t("error_generic", error=exc.__class__.__name__), icon=":material/error:")
        return False


def _require_data(params: Params | None) -> bool:
    if store_is_empty():
        st.info(t("empty_store"), icon=":material/upload_file:")
        pages = st.session_state.get("_pages", {})
        if "data" in pages:
            st.page_link(pages["data"], label=t("go_data"), icon=":material/database:",
                         query_params=_global_query(view()))
        return False
    if params is not None and int(q("selected_articles", params)["articles"].iloc[0]) == 0:
        st.info(t("empty_filtered", filters=describe_filters(params)), icon=":material/filter_alt_off:")
        return False
    return True


def describe_filters(p: Params) -> str:
    parts = []
    if p.date_from or p.date_to:
        parts.append(f"{p.date_from or '…'} → {p.date_to or '…'}")
    if p.channels:
        parts.append(md(channels_text(p.channels)))
    parts.append(t("f_window_short", w=p.window_days))
    parts.append(t(f"model_{p.model}"))
    return " · ".join(parts)


@contextmanager
def guard() -> Iterator[None]:
    """Errors become a message on the page, never a traceback."""
    try:
        yield
    except Exception as exc:  # noqa: BLE001  (st.rerun/st.stop are not Exceptions)
        traceback.print_exc()
        st.error(t("error_generic", error=exc.__class__.__name__), icon=":material/error:")
