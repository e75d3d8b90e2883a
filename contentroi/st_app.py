"""The Streamlit adapter: the one module of contentroi/ that imports Streamlit.

It owns the store connection (``st.cache_resource``, a cursor per call),
cached query results (``st.cache_data`` keyed by query, parameters and the
store's data version), the sidebar filters and their two-way sync with the
URL, navigation, translations, formatted tables, downloads and empty states.
Pages import this module as ``ui`` and stay thin.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import threading
import traceback
from pathlib import Path
from contextlib import contextmanager
from typing import Any, Callable, Iterator

import pandas as pd
import streamlit as st

from . import engine, fmt, i18n, pagelist, viewstate
from .engine import MODELS, Params
from .paths import SAMPLE_DIR, default_db_path
from .store import Abort, ReadView, Store, StoreError, Workspace, file_key
from .viewstate import ViewState


# The pages: one list, contentroi/pagelist.py (nav, labels, filters, i18n sections).
PAGES = pagelist.PAGES
PageDef = pagelist.PageDef
# Query parameters that follow the user from page to page.
GLOBAL_KEYS = ("from", "to", "channel", "window", "model", "lang")

# ---------------------------------------------------------------------------
# store and cached results
# ---------------------------------------------------------------------------


@st.cache_resource(show_spinner=False)
def _workspace(path: str) -> Workspace:
    ws = Workspace(path)
    try:
        if ws.current() is not None:
            ws.reader().close()  # migrates the published snapshot if needed
        ensure_sample(ws)  # a new store: created and given the sample in ONE snapshot
    except StoreError:
        pass  # nothing readable: read_view() shows an empty store and says so
    return ws


def workspace() -> Workspace:
    return _workspace(str(default_db_path()))


_READERS_LOCK = threading.Lock()
_READERS: dict[str, tuple[tuple | None, ReadView]] = {}  # workspace path -> (file key, view)


def read_view() -> ReadView:
    """What this process's pages read: the published snapshot, opened read-only once per
    version of the file (keyed by name, inode, time and size, so a reader is never served
    a file other than the one published), or the newest readable snapshot when the
    published one is missing or damaged (``ReadView.broken``).

    The view of a retired snapshot is dropped from the cache when a new one is published;
    its connection closes as soon as the last query still using it returns.
    """
    ws = workspace()
    cur = ws.current()
    key = file_key(cur) if cur is not None else None
    with _READERS_LOCK:
        hit = _READERS.get(str(ws.path))
        if hit is not None and key is not None and hit[0] == key:
            return hit[1]
        try:
            v = ws.open_read()
        except StoreError as exc:  # nothing readable: an empty store, so Clear/Reset still work
            empty = Store(":memory:")
            empty._lock_down()
            v = ReadView(empty, Path(":memory:"), broken=cur, error=str(exc))
        cur = ws.current()
        _READERS[str(ws.path)] = (file_key(cur) if cur is not None else None, v)
        return v


def get_store() -> Store:
    """A read-only Store of the published snapshot (a new one after every change)."""
    return read_view().store


def ensure_sample(ws: Workspace) -> None:
    """Load the bundled sample into a store that was never initialised."""
    if ws.current() is not None:
        with ws.reader() as store:
            if store.get_meta("initialized") is not None:
                return
    with ws.writer() as store:
        if store.get_meta("initialized") is not None:
            raise Abort()  # another process initialised it meanwhile
        if store.is_empty():
            load_sample(store)
        store.set_meta("initialized", "yes")


def load_sample(store: Store) -> None:
    from . import ingest

    paths = [(log, SAMPLE_DIR / f"{log}.csv") for log in ("articles", "joins", "sales")]
    ingest.load_files(store, [{"source": p, "log": log, "file_name": p.name} for log, p in paths if p.is_file()],
                      source_kind="sample")


def load_uploads(items: list[tuple[Any, dict[str, str], bool]], log: str, progress: Any,
                 replace_sample: bool = False) -> list[Any]:
    """Load the files of one click into ONE new snapshot and publish it once (one Undo
    takes the whole click back). Each file is all-or-nothing on its own; when every file
    is refused nothing is published. ``replace_sample`` first removes the sample's rows
    (in the same snapshot: Undo brings the sample back)."""
    from . import ingest

    for f, _mapping, _save in items:
        f.seek(0)
    n = max(len(items), 1)

    def say(frac: float, msg: str) -> None:  # load_files' progress over all files
        i = min(int(frac * n), n - 1)
        progress(i, items[i][0].name if items else "", frac * n - i, msg)

    return ingest.publish_files(  # the `load` command's route too
        workspace(), [{"source": f, "log": log, "file_name": f.name, "mapping": m, "save_mapping": save}
                      for f, m, save in items],
        source_kind="page", progress=say, prepare=(lambda store: store.remove_sample()) if replace_sample else None)


def data_mix() -> str:
    """'empty', 'sample' (only the bundled sample), 'mixed' (sample rows beside the
    user's own) or 'own'."""
    df = q("data_mix")
    rows, sample_rows = int(df["rows"].sum()), int(df["sample_rows"].sum())
    if rows == 0:
        return "empty"
    if sample_rows == rows:
        return "sample"
    return "mixed" if sample_rows else "own"


def load_upload(f: Any, log: str, mapping: dict[str, str], save: bool, progress: Any) -> Any:
    """Load one uploaded file into a new snapshot and publish it (refused: nothing published)."""
    return load_uploads([(f, mapping, save)], log, lambda _i, _name, frac, msg: progress(frac, msg))[0]


def clear_store(reset_to_sample: bool = False) -> None:
    with workspace().writer() as store:
        store.clear()
        if reset_to_sample:
            load_sample(store)


def remove_sample() -> None:
    with workspace().writer() as store:
        store.remove_sample()


def sample_choice() -> str | None:
    """Before the first upload onto the bundled sample: ask whether the files replace it or
    join it. None when there is nothing to ask; '' until the user has chosen."""
    if data_mix() != "sample":
        return None
    pick = st.radio(t("data_sample_choice"), options=["replace", "keep"], index=None,
                    format_func=lambda v: t(f"data_sample_{v}"), key="up_sample_choice",
                    help=t("data_sample_choice_help"))
    if pick is None:
        st.caption(t("data_sample_choose_first"))
    return pick or ""


def undo_last() -> bool:
    return workspace().undo()


def can_undo() -> bool:
    return bool(workspace().older_than(read_view().snapshot))


def data_version() -> int:
    return get_store().data_version()


@st.cache_data(max_entries=1024, show_spinner=False)
def _cached_query(name: str, params: Params, extra: tuple, version: int, db: str) -> pd.DataFrame:
    return engine.query(get_store(), name, params, **dict(extra))


@st.cache_data(max_entries=256, show_spinner=False)
def _cached_plain(name: str, extra: tuple, version: int, db: str) -> pd.DataFrame:
    from . import sql

    return sql.run(get_store().cursor(), name, **dict(extra))


def _version(store: Store) -> int:
    """The store's data version, read once per Store: a reader is a published
    snapshot opened read-only, whose data never changes (a load publishes a new one)."""
    v = getattr(store, "_cr_data_version", None)
    if v is None or not store.read_only:
        v = store.data_version()
        store._cr_data_version = v  # type: ignore[attr-defined]
    return v


def _used_params(name: str, params: Params) -> Params:
    """The filters with those the query does not read set to their defaults, so that
    its cached result is shared by views differing only in filters it ignores."""
    from . import sql

    used = sql.load_sql(name)[1]
    keep = {"date_from", "date_to", "channels", "window_days", "model"} & used
    return Params(**{k: getattr(params, k) for k in keep})


def q(name: str, params: Params | None = None, **extra: Any) -> pd.DataFrame:
    """A named query's result for the view's filters; cached until the data changes.

    Returns a copy, so a page may add display columns without touching the cache.
    """
    store = get_store()
    key = tuple(sorted(extra.items()))
    if params is None:
        df = _cached_plain(name, key, _version(store), store.path)
    else:
        df = _cached_query(name, _used_params(name, params), key, _version(store), store.path)
    return df.copy()


@st.cache_data(max_entries=64, show_spinner=False)
def _cached_markov(window_days: int, version: int, db: str) -> pd.DataFrame:
    from . import markov

    return markov.removal_table(get_store().cursor(), window_days)


def markov_effects(window_days: int) -> pd.DataFrame:
    """The markov model's removal effects for a window with their bootstrap
    intervals (markov.removal_table: the interval is resampled here, on demand, seeded,
    ~0.1 s at the large world); cached per window until the data changes."""
    store = get_store()
    return _cached_markov(int(window_days), _version(store), store.path).copy()


def notes(lo: Any, hi: Any, channels: tuple[str, ...] | list[str] = (), week: bool = False) -> pd.DataFrame:
    """The annotations to draw on a time chart spanning [lo, hi] for the view's channels
    (layer them with charts.notes.with_notes)."""
    from .charts.notes import notes_frame

    return notes_frame(q("annotations_list"), lo, hi, tuple(channels), t("an_all"), week=week,
                       names=channel_names())


@st.cache_resource(max_entries=8, show_spinner=False)
def _cached_rows(name: str, params: Params, extra: tuple, version: int, db: str) -> Any:
    from . import sql

    return sql.run_arrow(get_store().cursor(), name, **params.bind(), **dict(extra))


def rows(name: str, params: Params, **extra: Any) -> Any:
    """A named query's result as an Arrow table, cached (shared, never copied: Arrow
    is immutable) until the data changes: the rows a leaderboard pages through in SQL
    (:func:`q_on`) instead of sending them all to the browser."""
    store = get_store()
    return _cached_rows(name, _used_params(name, params), tuple(sorted(extra.items())),
                        _version(store), store.path)


def q_on(name: str, tables: dict[str, Any], params: Params | None = None, arrow: bool = False,
         **extra: Any) -> Any:
    """A query over cached rows (:func:`rows`), registered as the tables it reads: a page,
    a search, a count. Not cached (each is a few milliseconds over in-memory rows)."""
    from . import sql

    bound = {**(params.bind() if params is not None else {}), **extra}
    return sql.run_on(get_store().cursor(), name, tables, arrow=arrow, **bound)


def totals(params: Params) -> dict[str, Any]:
    return engine.records(q("report_totals", params))[0]


def channel_names(lg: str | None = None) -> dict[str, str]:
    """Channel code -> display name in the language (the store's channel_names; edited on
    the Data page). Channels without a name are left out (they show their code)."""
    try:
        df = q("channel_names")
    except Exception:  # noqa: BLE001  (an older store: codes)
        return {}
    return engine.channel_names(df, lg or lang())


def channel_label(channel: Any, lg: str | None = None) -> str:
    return channel_names(lg).get(channel, channel) if isinstance(channel, str) else channel


def channel_labels(codes: Any, lg: str | None = None) -> dict[str, str]:
    """Code -> the label charts show (charts.channel_labels: display name, told apart when shared)."""
    from .charts import channel_labels as labels

    return labels(codes, channel_names(lg))


def save_channel_names(rows: list[tuple[str, str | None, str | None]]) -> None:
    with workspace().writer() as store:
        store.set_channel_names(rows)


def channel_list() -> list[str]:
    return q("channel_list")["channel"].tolist()


def store_is_empty() -> bool:
    df = q("store_summary")
    return int(df["rows"].sum()) == 0


def is_sample_only() -> bool:
    return data_mix() == "sample"


# ---------------------------------------------------------------------------
# the view: sidebar filters <-> URL
# ---------------------------------------------------------------------------

_W = {"from": "w_from", "to": "w_to", "channel": "w_channels", "window": "w_window",
      "model": "w_model", "lang": "w_lang"}


def _raw_query() -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in st.query_params.keys()}


def _seed_widgets(state: ViewState) -> None:
    p = state.params
    values = {
        _W["from"]: p.date_from, _W["to"]: p.date_to, _W["channel"]: list(p.channels),
        _W["window"]: p.window_days, _W["model"]: p.model, _W["lang"]: state.lang,
    }
    for key, value in values.items():
        st.session_state[key] = value


def view() -> ViewState:
    return st.session_state.get("_view") or ViewState()


def lang() -> str:
    return view().lang


def t(key: str, **kw: Any) -> str:
    return i18n.t(key, lang(), **kw)


def set_view(**changes: Any) -> None:
    """Change page-level state (article, sort, q, period, date) and the URL with it."""
    state = view().with_(**changes)
    st.session_state["_view"] = state
    _write_url(state)


def set_page_params(**changes: str | None) -> None:
    """Change page-owned URL parameters (viewstate.PAGE_PARAMS); None removes one."""
    extra = dict(view().extra)
    for k, v in changes.items():
        if v is None or v == "":
            extra.pop(k, None)
        else:
            extra[k] = str(v)
    set_view(extra=tuple(sorted(extra.items())))


def _write_url(state: ViewState) -> None:
    new = viewstate.to_query(state)
    if viewstate.canonical(new) != viewstate.canonical(_raw_query()):
        st.query_params.from_dict(new)
    st.session_state["_qs"] = viewstate.canonical(new)


def _state_from_widgets(base: ViewState) -> ViewState:
    ss = st.session_state
    d_from, d_to = ss.get(_W["from"]), ss.get(_W["to"])
    if d_from and d_to and d_from > d_to:
        d_from, d_to = base.params.date_from, base.params.date_to
    params = Params(
        date_from=d_from, date_to=d_to,
        channels=tuple(ss.get(_W["channel"]) or ()),
        window_days=int(ss.get(_W["window"]) or engine.DEFAULT_WINDOW),
        model=ss.get(_W["model"]) or engine.DEFAULT_MODEL,
    )
    return base.with_(params=params, lang=ss.get(_W["lang"]) or "en")


def _on_filter_change() -> None:
    """A sidebar widget changed: the view follows it (runs before the rerun)."""
    d_from, d_to = st.session_state.get(_W["from"]), st.session_state.get(_W["to"])
    if d_from and d_to and d_from > d_to:
        st.session_state["_reversed"] = True
    st.session_state["_view"] = _state_from_widgets(view())


def render_sidebar(page: PageDef) -> ViewState:
    """Read the URL, show the filters, write the URL back. Returns the view.

    The view in ``st.session_state['_view']`` is the truth. A URL that differs
    from the one this session last wrote (a link opened, history moved, a page
    link followed) replaces it; a widget change updates it through its
    callback. Widgets are seeded from it on every run, so their values survive
    page switches.
    """
    try:
        channels = channel_list()
    except Exception:  # an unreadable store still gets a page (with its error)
        channels = []
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
            sb.multiselect(tt("f_channels"), options=channels, key=_W["channel"],
                           format_func=lambda c: names.get(c, c),
                           placeholder=tt("f_channels_all"), on_change=_on_filter_change)
        sb.number_input(tt("f_window"), min_value=engine.WINDOW_MIN, max_value=engine.WINDOW_MAX,
                        step=1, key=_W["window"], help=tt("f_window_help"),
                        on_change=_on_filter_change)
        sb.selectbox(tt("f_model"), options=list(MODELS), key=_W["model"],
                     format_func=lambda m: tt(f"model_{m}"), help=tt("f_model_help"),
                     on_change=_on_filter_change)
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
    _copy_link(page, state)
    _reach_caption(lg)
    if notices:
        lines = [i18n.t(n.reason, lg, param=md(n.param), value=md(n.value), lo=md(engine.DATE_MIN),
                        hi=md(engine.DATE_MAX)) for n in notices]
        st.warning("**" + tt("notice_title") + "**\n\n" + "\n".join(f"- {x}" for x in lines),
                   icon=":material/link_off:")
    return state


def _global_query(state: ViewState) -> dict[str, str | list[str]]:
    return {k: v for k, v in viewstate.to_query(state).items() if k in GLOBAL_KEYS}


def _nav(current: PageDef, state: ViewState, lg: str) -> None:
    qp = _global_query(state.with_(lang=lg))
    pages = st.session_state.get("_pages", {})
    with st.sidebar:
        for p in PAGES:
            page_obj = pages.get(p.key)
            if page_obj is None:
                continue
            st.page_link(page_obj, label=i18n.t(f"nav_{p.key}", lg), icon=p.icon, query_params=qp)


def _copy_link(page: PageDef, state: ViewState) -> None:
    base = ""
    try:
        base = st.context.url or ""
    except Exception:
        base = ""
    if not base:
        base = "/" + page.url_path
    link = base.split("?")[0] + viewstate.query_string(state)
    with st.sidebar.expander(i18n.t("copy_link", state.lang), icon=":material/link:"):
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


# ---------------------------------------------------------------------------
# page furniture
# ---------------------------------------------------------------------------


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
    """Every page's first line: the shared sidebar (filters <-> URL), then the header.

    The sidebar is drawn from the page script rather than from app.py so that
    it is part of every rerun's output (AppTest drops entrypoint elements on
    reruns).
    """
    _ensure_app_navigation()
    _require_sign_in()
    page = pagelist.get(key)
    state = render_sidebar(page)
    fmt.use_lang(state.lang)  # every number of this run in the reader's language (fmt.py)
    page_header(key, caption_key)
    return state


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
    from . import freshness

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
    from . import freshness

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
        parts.append(md(", ".join(map(channel_label, p.channels))))
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


# ---------------------------------------------------------------------------
# tables and downloads
# ---------------------------------------------------------------------------

def column_config(df: pd.DataFrame, labels: dict[str, str] | None = None) -> dict[str, Any]:
    """Each column's label and format from the metrics layer (contentroi/metrics.py: a
    registered metric's label and kind; fmt.TABLE_FORMAT: the kind's one format). Rates and
    ROI are shown from display_frame's x 100 values. Other columns by their type."""
    from . import metrics

    cc: dict[str, Any] = {}
    labels = labels or {}
    lg = lang()
    names = channel_names(lg) if "channel" in df.columns else {}  # wechat -> 公众号
    wan = wan_text(df)  # zh: these columns' text comes from fmt (the table's Styler), 1.23万
    for col in df.columns:
        label = labels.get(col) or i18n.TEXT.get(f"m_{col}", i18n.TEXT.get(f"c_{col}", (col, col)))[
            1 if lg == "zh" else 0]
        kind = metrics.kind_of(str(col)) if pd.api.types.is_numeric_dtype(df[col]) else None
        if col in wan:
            cc[col] = st.column_config.NumberColumn(label)  # no printf: the Styler's text shows
        elif kind in ("rate", "roi"):
            cc[col] = st.column_config.NumberColumn(label, format=fmt.TABLE_FORMAT[kind], help=t("null_help"))
        elif kind in ("days", "hours"):
            unit = {"days": ("d", "天"), "hours": ("h", "小时")}[kind][1 if lg == "zh" else 0]
            cc[col] = st.column_config.NumberColumn(label, format=f"{fmt.TABLE_FORMAT[kind]} {unit}")
        elif kind in fmt.TABLE_FORMAT:
            cc[col] = st.column_config.NumberColumn(label, format=fmt.TABLE_FORMAT[kind])
        elif col == "channel" and names and not pd.api.types.is_numeric_dtype(df[col]):
            # the code stays the value (sorting, selection, CSV); people read its display name
            opts = [c for c in pd.unique(df[col]) if isinstance(c, str)]
            cc[col] = st.column_config.SelectboxColumn(label, options=opts, format_func=lambda c: names.get(c, c))
        elif col == "published_at" or str(col).endswith("_at"):
            cc[col] = st.column_config.DatetimeColumn(label, format="YYYY-MM-DD HH:mm")
        elif pd.api.types.is_bool_dtype(df[col]):
            cc[col] = st.column_config.CheckboxColumn(label)
        elif pd.api.types.is_integer_dtype(df[col]):
            cc[col] = st.column_config.NumberColumn(label, format="%,d")
        elif pd.api.types.is_float_dtype(df[col]):
            cc[col] = st.column_config.NumberColumn(label, format="%,.2f")
        else:
            cc[col] = st.column_config.TextColumn(label)
    return cc


def _number_kinds(df: pd.DataFrame) -> dict[str, str | None]:
    """Each number column's format kind: its metric's (contentroi/metrics.py), else 'count'
    for a column of integers that is not an id."""
    from . import metrics

    out: dict[str, str | None] = {}
    for c in df.columns:
        if not pd.api.types.is_numeric_dtype(df[c]) or pd.api.types.is_bool_dtype(df[c]):
            continue
        kind = metrics.kind_of(str(c))
        if kind is None and pd.api.types.is_integer_dtype(df[c]) and not re.search(r"(^|_)(id|rank)$", str(c)):
            kind = "count"
        out[str(c)] = kind
    return out


def wan_text(df: pd.DataFrame) -> dict[str, Callable[[Any], str]]:
    """In Chinese: the count and money columns shown in 万 / 亿, each with its cells' text
    function (fmt.table_text); {} in English, when no value reaches 1万, and for a table too
    large for a Styler (it renders every cell's text; such a table keeps its printf formats)."""
    if lang() != "zh" or df.size > 100_000:
        return {}
    kinds = _number_kinds(df)
    tops = {c: df[c].abs().max() for c in kinds}
    maxima = {c: float(v) for c, v in tops.items() if pd.notna(v)}  # (an all-null column: none)
    return fmt.table_text(kinds, maxima, "zh")


def styled(df: pd.DataFrame) -> Any:
    """The frame st.dataframe gets: display_frame's, through a Styler when some column
    reads in 万 (wan_text): the cell shows the Styler's text, the value (sorting) stays."""
    shown = display_frame(df)
    text = wan_text(df)
    if not text:
        return shown
    return shown.reset_index(drop=True).style.format(text, na_rep=fmt.NULL)


def display_frame(df: pd.DataFrame) -> pd.DataFrame:
    """The frame a table shows: rate and ROI columns x 100 (their table formats are
    percent numbers); the CSV download keeps the values as computed."""
    from . import metrics

    scaled = [c for c in df.columns if pd.api.types.is_numeric_dtype(df[c])
              and not pd.api.types.is_bool_dtype(df[c]) and metrics.kind_of(str(c)) in fmt.SCALED_KINDS]
    if not scaled:
        return df
    out = df.copy(deep=False)
    for c in scaled:
        out[c] = df[c] * 100
    return out


def chart(c: Any, where: Any = None, **kw: Any) -> Any:
    """Draw a chart (in ``where``, a container; default: here): a cached template with
    its data (charts.Spec) or an Altair chart.

    A Spec's frames go to the browser as Arrow, each named by its content hash
    (as st.altair_chart names them), without rebuilding the Altair chart.
    """
    from streamlit import dataframe_util
    from streamlit.util import calc_hash

    from .charts import Spec

    dg = where if where is not None else st
    if not isinstance(c, Spec):
        return dg.altair_chart(c, **kw)
    blobs = {k: dataframe_util.convert_anything_to_arrow_bytes(df) for k, df in c.datasets.items()}
    names = {k: calc_hash(b) for k, b in blobs.items()}
    spec = c.to_dict(names)
    spec["datasets"] = {names[k]: b for k, b in blobs.items()}
    return dg.vega_lite_chart(spec, **kw)


def table(df: pd.DataFrame, name: str, labels: dict[str, str] | None = None,
          all_rows: Callable[[], pd.DataFrame] | None = None, **kw: Any) -> Any:
    """A formatted table with its CSV download below it. ``all_rows``: a table that
    shows one page gets the rows of every page in its download (made on click)."""
    event = st.dataframe(styled(df), column_config=column_config(df, labels), hide_index=True, **kw)
    download(df, name, all_rows=all_rows, labels=labels)
    return event


def safe_csv(df: pd.DataFrame) -> bytes:
    return fmt.safe_csv(df)


def download_name(name: str, params: Params | None = None) -> str:
    p = params or view().params
    parts = ["content-roi", name]
    if p.date_from or p.date_to:
        parts.append(f"{p.date_from or 'start'}_{p.date_to or 'end'}")
    if p.channels:
        parts.append("+".join(p.channels))
    parts += [p.model, f"{p.window_days}d"]
    raw = "_".join(str(x) for x in parts)
    return re.sub(r"[^\w.+\-]+", "-", raw)[:150] + ".csv"


def csv_labels(df: pd.DataFrame, labels: dict[str, str] | None = None) -> list[str]:
    """Column headers for people, in the reader's language: the table's labels, else the
    metrics layer's / the column's translated name, else the code."""
    labels = labels or {}
    zh = lang() == "zh"
    out = []
    for c in df.columns:
        pair = i18n.TEXT.get(f"m_{c}") or i18n.TEXT.get(f"c_{c}") or i18n.TEXT.get(f"col_{c}")
        out.append(labels.get(c) or (pair[1 if zh else 0] if pair else str(c)))
    return out


def for_people(df: pd.DataFrame, heads: dict[str, str], names: dict[str, str]) -> pd.DataFrame:
    """A table as people read it, for the CSV with column names: headers as ``heads`` says
    (column -> label; others keep their code), channel codes as their display ``names``;
    every other value as computed."""
    out = df.copy(deep=False)
    if names and "channel" in out.columns:
        out["channel"] = [names.get(c, c) if isinstance(c, str) else c for c in out["channel"]]
    out.columns = [heads.get(str(c), str(c)) for c in out.columns]
    return out


def download(df: pd.DataFrame, name: str, params: Params | None = None,
             all_rows: Callable[[], pd.DataFrame] | None = None, labels: dict[str, str] | None = None) -> None:
    """Two CSV buttons: headers as column codes (stable, for scripts: channels as codes) or
    as the labels people read, in the page's language (channels by their display names).
    Both are UTF-8 with BOM, formulas neutralised, numbers as computed."""
    # The CSV is made when the button is clicked (a callable), not on every rerun:
    # for the 20,000-article leaderboard that is most of a rerun's time. A shallow
    # copy (copy-on-write) keeps what is shown now if the page changes df later.
    shown = df.copy(deep=False)
    rows = all_rows if all_rows else (lambda: shown)
    # the callable runs on another thread, outside this run (no session, no language):
    # its headers and names are fixed now
    heads = dict(zip(map(str, shown.columns), csv_labels(shown, labels)))
    names = channel_names() if "channel" in shown.columns else {}

    def with_labels() -> bytes:
        return safe_csv(for_people(rows(), heads, names))

    c1, c2, _ = st.columns([1, 1, 2], gap="small")
    c1.download_button(
        t("download_csv"), data=lambda: safe_csv(rows()), file_name=download_name(name, params),
        mime="text/csv", icon=":material/download:", key=f"dl_{name}", help=t("download_csv_codes"),
    )
    c2.download_button(
        t("download_csv_labels"), data=with_labels, file_name=download_name(name, params).replace(".csv", "_labels.csv"),
        mime="text/csv", icon=":material/translate:", key=f"dl_{name}_labels", help=t("download_csv_labels_help"),
    )


def kpi(col: Any, label: str, value: str, delta: float | None = None, help: str | None = None,
        inverse: bool = False, points: bool = False) -> None:
    """A KPI tile. ``delta`` is a relative change (+12.0%), or with ``points=True`` a
    change of a rate in percentage points (+1.2 pp)."""
    text = None
    if delta is not None:
        text = fmt.pp(delta) if points else f"{delta:+.1%}"
    col.metric(label, value, delta=text, delta_color="inverse" if inverse else "normal",
               help=help, border=True)


# re-exports pages use
money, count, pct, ratio, days, md = fmt.money, fmt.count, fmt.pct, fmt.ratio, fmt.days, fmt.md_escape
today = dt.date.today


# ---------------------------------------------------------------------------
# the Data page's building blocks
# ---------------------------------------------------------------------------


def load_text(text: str | None) -> str:
    """A loader message (refusal, reject reason, progress step, note) in the reader's language."""
    from .loadtext import translate

    return translate(text, lang())


def col_label(name: str) -> str:
    """A log column's name for people: ``article_id`` in English, ``文章ID（article_id）`` in Chinese."""
    if lang() != "zh":
        return str(name)
    zh = i18n.TEXT.get(f"c_{name}", i18n.TEXT.get(f"m_{name}", i18n.TEXT.get(f"col_{name}")))
    return f"{zh[1]}（{name}）" if zh else str(name)


def column_spec_rows(log: str) -> list[dict[str, str]]:
    from . import ingest

    rows = []
    for spec in ingest.COLUMNS[log]:
        rows.append({
            t("data_col_column"): col_label(spec.name),
            t("data_col_required"): "✓" if spec.required else "",
            t("data_col_type"): t(f"type_{spec.type}") if f"type_{spec.type}" in i18n.TEXT else spec.type,
            t("data_col_aliases"): ", ".join(spec.aliases),
        })
    return rows


def missing_required(mapping: dict[str, str], log: str) -> list[str]:
    from . import ingest

    return [s.name for s in ingest.COLUMNS[log] if s.required and not mapping.get(s.name)]


def _inspect(f: Any, log: str) -> tuple[Any, str | None]:
    """(preview, None) or (None, error text) for an uploaded file: inspected once per
    upload (keyed by Streamlit's file_id, the log and the data version), not on every
    rerun -- each inspection copies the file to disk and parses its head."""
    from . import ingest

    file_id = getattr(f, "file_id", None)
    cache = st.session_state.setdefault("_previews", {})
    key = (file_id, log, data_version())
    if file_id is not None and key in cache:
        return cache[key]
    try:
        f.seek(0)
        out = (ingest.inspect_file(f, log, file_name=f.name, store=get_store()), None)
    except ingest.RefusedFile as exc:
        out = (None, said(exc.key, exc.params, exc.message))
    except Exception as exc:  # noqa: BLE001
        traceback.print_exc()
        out = (None, t("data_unreadable", error=md(exc)))
    finally:
        f.seek(0)
    if file_id is not None:
        while len(cache) >= 3 * MAX_UPLOAD_FILES:  # the oldest first: files no longer uploaded
            del cache[next(iter(cache))]
        cache[key] = out
    return out


def preview_file(f: Any, log: str) -> Any:
    """Inspect an uploaded file; show its encoding/delimiter and a sample. None if unreadable."""
    from . import ingest

    preview, error = _inspect(f, log)
    if preview is None:
        st.error(f"**{md(f.name)}** — {error}", icon=":material/block:")
        return None
    guess = ingest.guess_log(preview.headers)
    if guess and guess != log:
        st.warning(t("data_wrong_log", name=md(f.name), guess=t(f"log_{guess}"), log=t(f"log_{log}")),
                   icon=":material/swap_horiz:")
    return preview


def mapping_editor(preview: Any, log: str, key: str | None = None) -> tuple[dict[str, str], bool]:
    """Show which header became which column; let the user map what is missing."""
    from . import ingest

    mapping = dict(preview.mapping)
    with st.container(border=True):
        delim = {",": ",", ";": ";", "\t": "Tab"}.get(preview.delimiter or "", preview.delimiter or "-")
        st.markdown(f"**{md(preview.file_name)}**"
                    + (f" · {md(preview.encoding)} · {t('data_delim')} {md(delim)}" if not preview.sheet else "")
                    + (f" · {t('data_sheet')} {md(preview.sheet)}" if preview.sheet else ""))
        if preview.mapping_source == "saved":
            st.caption(t("data_mapping_saved"))
        save = False
        if preview.missing:
            st.warning(t("data_missing_cols", cols=", ".join(col_label(c) for c in preview.missing),
                         headers=md(", ".join(preview.headers), 1000)), icon=":material/rule:")
            options = [""] + list(preview.headers)
            cols = st.columns(max(1, len(preview.missing)))
            for col, name in zip(cols, preview.missing):
                pick = col.selectbox(t("data_map_to", col=col_label(name)), options=options,
                                     key=f"map_{key or preview.file_name}_{name}")
                if pick:
                    mapping[name] = pick
            save = st.checkbox(t("data_save_mapping"), value=True, key=f"save_{key or preview.file_name}")
        rows = [{t("data_col_header"): h,
                 t("data_col_column"): next((col_label(c) for c, hh in mapping.items() if hh == h), t("data_extra"))}
                for h in preview.headers]
        st.dataframe(pd.DataFrame(rows), hide_index=True)
        if preview.sample_rows:
            with st.expander(t("data_sample_rows")):
                st.dataframe(pd.DataFrame(preview.sample_rows), hide_index=True)
        missing = missing_required(mapping, log)
        if missing:
            st.caption(t("data_still_missing", cols=", ".join(col_label(c) for c in missing)))
    return mapping, save


def said(key: str | None, params: dict[str, Any], message: str) -> str:
    """A loader's message in the reader's language (the i18n table's when it has a key), inert."""
    return md(t(key, **params) if key else load_text(message), 1000)


def show_load_result(r: Any) -> None:
    if r.status == "refused":
        st.error(f"**{md(r.file_name)}** — {said(r.message_key, r.message_params, r.message)}",
                 icon=":material/block:")
        return
    with st.container(border=True):
        st.markdown(f"**{md(r.file_name)}** · {t('log_' + r.log)}")
        c = st.columns(4)
        c[0].metric(t("data_accepted"), count(r.accepted))
        c[1].metric(t("data_rejected"), count(r.rejected))
        c[2].metric(t("data_duplicates"), count(r.duplicates))
        c[3].metric(t("data_updated"), count(r.updated))
        if r.rejected:
            from .loadtext import REJECT_COLUMNS

            cols = ["line", "column", "reason", "value"]
            all_rej = pd.DataFrame([vars(x) for x in r.rejects], columns=cols)
            all_rej["reason"] = [load_text(x) for x in all_rej["reason"]]  # in the reader's language
            all_rej["column"] = [col_label(x) for x in all_rej["column"]]
            all_rej.columns = [REJECT_COLUMNS[c][1 if lang() == "zh" else 0] for c in cols]
            st.dataframe(all_rej.head(200), hide_index=True)
            # the download: the original rows (all their columns) + line, column and reason,
            # so the editor can fix them and upload the file again
            # (made when clicked, outside this run: so the language is fixed now)
            from .loadtext import translate

            lg = lang()
            labels = {c: col_label(c) for c in {x.column for x in r.rejects}}
            names = tuple(t(f"data_rej_{k}") for k in ("line", "column", "reason"))
            st.download_button(t("data_download_rejects"),
                               data=lambda r=r, lg=lg, labels=labels, names=names: safe_csv(r.rejects_frame(
                                   reason_text=lambda x: translate(x, lg), column_text=labels.get, names=names)),
                               file_name=r.rejects_file_name(), mime="text/csv",
                               help=t("data_download_rejects_help"),
                               icon=":material/download:", key=f"rej_{r.upload_id}_{r.file_name}")


def upload_labels() -> dict[str, str]:
    return {k: t(f"data_h_{k}") for k in (
        "upload_id", "log", "file_name", "uploaded_at", "source", "encoding", "delimiter",
        "sheet", "rows_read", "accepted", "rejected", "duplicates", "updated")}


# ---------------------------------------------------------------------------
# access: changing data may need the edit password
# ---------------------------------------------------------------------------


def edit_password() -> str | None:
    """The deployment's edit password: $CONTENTROI_EDIT_PASSWORD or secrets 'edit_password'."""
    import os

    pw = os.environ.get("CONTENTROI_EDIT_PASSWORD")
    if pw:
        return pw
    try:
        return st.secrets.get("edit_password")  # type: ignore[no-any-return]
    except Exception:  # no secrets file
        return None


def edit_unlocked() -> bool:
    """True when no password is configured or this session has unlocked editing
    (shows nothing: the gate says why not)."""
    return not edit_password() or bool(st.session_state.get("_edit_ok"))


def edit_allowed() -> bool:
    """True when no password is configured or this session has unlocked editing."""
    if edit_unlocked():
        return True
    st.error(t("edit_locked"), icon=":material/lock:")
    return False


@st.cache_resource(show_spinner=False)
def _process_lockout() -> Any:
    from .lockout import PROCESS_FREE, Lockout

    return Lockout(PROCESS_FREE)


def _on_password(key: str) -> None:
    """A password was entered: checked once per entry, through the session's and the
    process's lockouts (contentroi/lockout.py); while locked nothing is compared."""
    from . import lockout

    entered = st.session_state.get(key) or ""
    pw = edit_password()
    if not entered or not pw:
        return
    session = st.session_state.setdefault("_pw_lockout", lockout.Lockout(lockout.SESSION_FREE))
    outcome, wait = lockout.check(entered, pw, [session, _process_lockout()])
    st.session_state["_pw_outcome"] = (outcome, wait)
    if outcome == "ok":
        st.session_state["_edit_ok"] = True
    else:
        st.session_state[key] = ""  # the same text entered again is a new try


def edit_gate(key: str) -> None:
    """The password box, shown where data can be changed when a password is configured."""
    import math

    if edit_password() and not st.session_state.get("_edit_ok"):
        st.text_input(t("edit_password"), type="password", key=key, help=t("edit_password_help"),
                      on_change=_on_password, args=(key,))
        outcome, wait = st.session_state.get("_pw_outcome") or ("", 0.0)
        if outcome == "wrong" and not wait:
            st.error(t("edit_wrong_password"), icon=":material/lock:")
        elif outcome in ("wrong", "locked"):
            st.error(t("edit_locked_out", s=max(1, math.ceil(wait))), icon=":material/lock_clock:")


MAX_UPLOAD_FILES = 10  # files one upload may hold (each is inspected, then loaded)


def upload_keys(files: list[Any]) -> list[str]:
    """A widget key per uploaded file: its name, ``name#2`` for a second file of that name."""
    seen: dict[str, int] = {}
    out = []
    for f in files:
        n = seen[f.name] = seen.get(f.name, 0) + 1
        out.append(f.name if n == 1 else f"{f.name}#{n}")
    return out


def limit_files(files: list[Any] | None) -> list[Any]:
    files = list(files or [])
    if len(files) > MAX_UPLOAD_FILES:
        st.error(t("data_too_many_files", n=MAX_UPLOAD_FILES, m=len(files)), icon=":material/block:")
        return []
    return files


# ---------------------------------------------------------------------------
# the team's chat: the [digest] webhook (contentroi/webhooks.py, docs/DIGEST.md)
# ---------------------------------------------------------------------------


def chat_target() -> Any:
    """The configured chat webhook ($CONTENTROI_WEBHOOK… over [digest] in secrets), or None.
    Without an ``app_url`` the link back is this app's own address (st.context.url)."""
    import dataclasses

    from . import webhooks

    try:
        section = dict(st.secrets.get("digest") or {})
    except Exception:  # no secrets file
        section = {}
    target = webhooks.target_from(section)
    if target is not None and not target.app_url:
        try:
            parts = re.match(r"^(https?://[^/?#]+(?:/[^?#]*)?)", st.context.url or "")
        except Exception:  # noqa: BLE001 (not in a browser session)
            parts = None
        if parts:
            base = re.sub(r"/digest/?$|/$", "", parts.group(1))  # (called on the Digest page)
            target = dataclasses.replace(target, app_url=base)
    return target
