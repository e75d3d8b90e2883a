"""Data access: the store (the Workspace, one read-only view per published snapshot), loads
and undo, and the cached query results (``st.cache_data`` keyed by query, the parameters it
reads and the store's data version) the pages draw from."""
from __future__ import annotations

import functools

import threading
from pathlib import Path
from typing import Any, Callable

import pandas as pd
import streamlit as st

from .. import engine, i18n
from ..engine import Params
from ..paths import SAMPLE_DIR, default_db_path
from ..store import Abort, ReadView, Store, StoreError, Workspace, file_key
from .view import lang, t, url_lang


_WORKSPACES: dict[str, Workspace] = {}
_WORKSPACES_LOCK = threading.Lock()


def _workspace(path: str) -> Workspace:
    """The process's Workspace of ``path``, made once (migrating the published snapshot
    and loading the sample into a new store; other callers wait for it). A plain dict
    rather than st.cache_resource: a page asks for it ~30 times a run (every cached
    lookup), and the cache's hashing and bookkeeping cost ~0.25 ms a call."""
    ws = _WORKSPACES.get(path)
    if ws is not None:
        return ws
    with _preparing(), _WORKSPACES_LOCK:
        ws = _WORKSPACES.get(path)
        if ws is None:
            ws = Workspace(path)
            try:
                if ws.current() is not None:
                    ws.reader().close()  # migrates the published snapshot if needed
                ensure_sample(ws)  # a new store: created and given the sample in ONE snapshot
            except StoreError:
                pass  # nothing readable: read_view() shows an empty store and says so
            _WORKSPACES[path] = ws
        return ws


def _preparing():
    """What a page shows while its process first opens the store: a spinner saying why
    (Streamlit shows it only after half a second, so a quick open shows nothing). The
    first open after an update migrates the store and rebuilds its models: seconds for
    the sample, minutes for a large store (10x: ~7 min), when the page was blank."""
    from contextlib import nullcontext

    from streamlit.runtime.scriptrunner import get_script_run_ctx

    if get_script_run_ctx() is None:
        return nullcontext()
    return st.spinner(i18n.t("store_preparing", url_lang()))


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
    from .. import ingest

    paths = [(log, SAMPLE_DIR / f"{log}.csv") for log in ("articles", "joins", "sales")]
    ingest.load_files(store, [{"source": p, "log": log, "file_name": p.name} for log, p in paths if p.is_file()],
                      source_kind="sample")


def load_uploads(items: list[tuple[Any, dict[str, str], bool]], log: str, progress: Any,
                 replace_sample: bool = False) -> list[Any]:
    """Load the files of one click into ONE new snapshot and publish it once (one Undo
    takes the whole click back). Each file is all-or-nothing on its own; when every file
    is refused nothing is published. ``replace_sample`` first removes the sample's rows
    (in the same snapshot: Undo brings the sample back)."""
    from .. import ingest

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
    with workspace().writer(whole=True) as store:
        store.clear()
        if reset_to_sample:
            load_sample(store)


def remove_sample() -> None:
    with workspace().writer(whole=True) as store:
        store.remove_sample()


def undo_last() -> bool:
    return workspace().undo()


def undo_steps() -> int:
    """How many changes Undo can take back now, one at a time (store.Workspace.undo_states)."""
    return len(workspace().undo_states(read_view().snapshot))


def can_undo() -> bool:
    return undo_steps() > 0


def data_version() -> int:
    return get_store().data_version()


@st.cache_data(max_entries=1024, show_spinner=False)
def _cached_query(name: str, params: Params, extra: tuple, version: int, db: str) -> pd.DataFrame:
    return engine.query(get_store(), name, params, **dict(extra))


@st.cache_data(max_entries=256, show_spinner=False)
def _cached_plain(name: str, extra: tuple, version: int, db: str) -> pd.DataFrame:
    from .. import sql

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
    from .. import sql

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
    from .. import markov

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
    from ..charts.notes import notes_frame

    return notes_frame(q("annotations_list"), lo, hi, tuple(channels), t("an_all"), week=week,
                       names=channel_names())


@st.cache_resource(max_entries=8, show_spinner=False)
def _cached_rows(name: str, params: Params, extra: tuple, version: int, db: str) -> Any:
    from .. import sql

    return sql.run_arrow(get_store().cursor(), name, **params.bind(), **dict(extra))


def rows(name: str, params: Params, **extra: Any) -> Any:
    """A named query's result as an Arrow table, cached (shared, never copied: Arrow
    is immutable) until the data changes: the rows a leaderboard pages through in SQL
    (:func:`q_on`) instead of sending them all to the browser."""
    store = get_store()
    return _cached_rows(name, _used_params(name, params), tuple(sorted(extra.items())),
                        _version(store), store.path)


@st.cache_resource(max_entries=8, show_spinner=False)
def _cached_attribution(params: Params, top: int | None, version: int, db: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    return engine.attribution_frames(_cached_rows("attribution_by_model", params, (("top", top),), version, db))


def attribution(params: Params, top: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(by channel, by article) revenue under every model side by side
    (queries/attribution_by_model.sql folded by engine.attribution_frames) for the view;
    ``top``: only the ``top`` articles with the most revenue under the view's model (what a
    page shows; None: every article, for a download). Kept per view until the data
    changes. Shared and not copied: callers derive new frames, never modify these."""
    store = get_store()
    return _cached_attribution(_used_params("attribution_by_model", params), top, _version(store), store.path)


def prefetch(*jobs: Callable[[], Any]) -> None:
    """Run a page's independent cached lookups (``lambda: totals(params)``, ...) at the same
    time, then return; the page then draws from the caches as usual. DuckDB releases the
    GIL and one small query keeps barely more than one core busy, so a filter change costs
    the slowest lookup rather than their sum. A job that fails is left for the page's own
    call to raise again, inside its guard (the message the user sees)."""
    from concurrent.futures import ThreadPoolExecutor

    from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

    if len(jobs) < 2:
        for job in jobs:
            _quietly(job)
        return
    ctx = get_script_run_ctx()

    def attach() -> None:  # the run's context, so the caches and session work in the worker
        if ctx is not None:
            add_script_run_ctx(threading.current_thread(), ctx)

    with ThreadPoolExecutor(max_workers=len(jobs), initializer=attach) as ex:
        list(ex.map(_quietly, jobs))


def _quietly(job: Callable[[], Any]) -> None:
    try:
        job()
    except Exception:  # noqa: BLE001  (the page's own call raises it again, in its guard)
        pass


def q_on(name: str, tables: dict[str, Any], params: Params | None = None, arrow: bool = False,
         **extra: Any) -> Any:
    """A query over cached rows (:func:`rows`), registered as the tables it reads: a page,
    a search, a count. Not cached (each is a few milliseconds over in-memory rows)."""
    from .. import sql

    bound = {**(params.bind() if params is not None else {}), **extra}
    return sql.run_on(get_store().cursor(), name, tables, arrow=arrow, **bound)


def sales(params: Params) -> dict[str, pd.DataFrame]:
    """The Sales page's figures for the view, from one cached query: {'total', 'rep',
    'week'} (engine.sales_split of queries/sales_figures.sql), new frames each call."""
    return engine.sales_split(q("sales_figures", params))


def totals(params: Params, query: str = "report_totals") -> dict[str, Any]:
    """The view's totals (queries/report_totals.sql); ``query``: a one-row query giving
    some of them the same way at less cost (attribution_totals: the Attribution page's
    tiles, without the funnel counts)."""
    return engine.records(q(query, params))[0]


@st.cache_resource(max_entries=16, show_spinner=False)
def _cached_cohort_choices(params: Params, names: tuple, version: int, db: str) -> tuple[list, dict]:
    from .. import cohorts

    arts = engine.query(get_store(), "cohort_articles", params)
    return cohorts.article_choices(arts, dict(names))


def cohort_choices(params: Params) -> tuple[list[str], dict[str, str]]:
    """The Cohorts page's acquisition-article options and labels (cohorts.article_choices),
    kept per (channel filter, language's channel names, data version): a rerun that changes
    nothing they depend on (the window, the grain, the article) rebuilt them for every
    article (10x: 0.7 s a rerun). Shared, not copied: callers only read them."""
    store = get_store()
    names = tuple(sorted(channel_names().items()))
    return _cached_cohort_choices(_used_params("cohort_articles", params), names, _version(store), store.path)


def channel_names(lg: str | None = None) -> dict[str, str]:
    """Channel code -> display name in the language (the store's channel_names; edited on
    the Data page). Channels without a name are left out (they show their code).

    Kept per (store, data version, language): pages call this (or channel_label) once per
    row, and a cached query's lookup (~1.7 ms) per row of 20,000 articles cost the Cohorts
    page 35 s a run."""
    lg = lg or lang()
    try:
        store = get_store()
        return dict(_channel_names(store.path, _version(store), lg))
    except Exception:  # noqa: BLE001  (an older store: codes)
        return {}


@functools.lru_cache(maxsize=64)
def _channel_names(db: str, version: int, lg: str) -> tuple[tuple[str, str], ...]:
    return tuple(engine.channel_names(q("channel_names"), lg).items())


def channel_label(channel: Any, lg: str | None = None) -> str:
    return channel_names(lg).get(channel, channel) if isinstance(channel, str) else channel


def channel_labels(codes: Any, lg: str | None = None) -> dict[str, str]:
    """Code -> the label charts show (charts.channel_labels: display name, told apart when shared)."""
    from ..charts import channel_labels as labels

    return labels(codes, channel_names(lg))


def channels_text(codes: Any, lg: str | None = None) -> str:
    """Channels for a sentence: their display names, joined as the language writes a list
    (公众号、知乎 / wechat, zhihu). Plain text: escape it (md) for Markdown."""
    lg = lg or lang()
    return ("、" if lg == "zh" else ", ").join(channel_label(c, lg) for c in codes)


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
