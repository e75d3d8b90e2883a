"""The view: the URL is the state. The view (filters, language, page state) in the session,
its two-way sync with the query string and the sidebar widgets' keys, and the translation of
this run (``t``, ``lang``)."""
from __future__ import annotations

from typing import Any, Callable, Sequence

import streamlit as st

from .. import engine, i18n, pagelist, viewstate
from ..fmt import md_escape
from ..engine import Params
from ..viewstate import ViewState


# The pages: one list, contentroi/pagelist.py (nav, labels, filters, i18n sections).
PAGES = pagelist.PAGES


PageDef = pagelist.PageDef


# Query parameters that follow the user from page to page.
GLOBAL_KEYS = ("from", "to", "channel", "window", "model", "lang")


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


def url_lang() -> str:
    """The page's language before its view is read from the URL (the store's first open
    happens earlier in a run): the URL's ``lang`` if it is one, else the default."""
    if "_view" in st.session_state:
        return lang()
    v = st.query_params.get("lang")
    return v if v in viewstate.LANGS else viewstate.DEFAULT_LANG


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


def link_notices(lines: Sequence[str], lg: str | None = None) -> None:
    """The notice that some link parameters were ignored: one translated line each (the
    frame's filters, the Targets page's parameters, a page's display choices)."""
    if lines:
        st.warning("**" + i18n.t("notice_title", lg or lang()) + "**\n\n" + "\n".join(f"- {x}" for x in lines),
                   icon=":material/link_off:")


def url_param_choice(param: str, options: Sequence[str], default: str) -> str:
    """The value of a page's display choice in the URL (a key of viewstate.PAGE_PARAMS for
    the page), or ``default`` when the link has none or one not among ``options``."""
    raw = view().page_param(param)
    return raw if raw in options else default


def url_choice(param: str, key: str, options: Sequence[str], default: str,
               labels: dict[str, str] | None = None) -> Callable[[], None]:
    """A page's display choice kept in the URL, like the filters: seeds the widget under
    ``key`` from the link (a value not among ``options``: the default, a notice, and the
    URL without it) and returns the widget's ``on_change``, which writes its value back (the
    default leaves the URL). Create the widget without a default: this sets its value.
    ``labels``: a widget whose value is an option's label (st.tabs: the open tab's), not
    the option; the link still holds the option."""
    raw = view().page_param(param)
    if raw is not None and raw not in options:
        link_notices([t("notice_bad_choice", param=md_escape(param), value=md_escape(raw))])
        set_page_params(**{param: None})
    value = url_param_choice(param, options, default)
    st.session_state[key] = labels[value] if labels else value

    def changed() -> None:
        v = st.session_state.get(key)
        if labels:
            v = next((o for o in options if labels[o] == v), None)
        v = v or default
        set_page_params(**{param: None if v == default else v})
    return changed


def url_tabs(param: str, key: str, labels: dict[str, str]) -> dict[str, Any]:
    """Tabs whose open one is a display choice in the URL (``param``: one of ``labels``'
    keys, the first by default; url_choice with the tabs' labels): option -> its tab. Only
    the open tab's content need run (``tab.open``); switching tabs reruns the page (or the
    fragment) with the new choice in the link."""
    options = tuple(labels)
    tabs = st.tabs([labels[o] for o in options], key=key,
                   on_change=url_choice(param, key, options, options[0], labels=labels))
    return dict(zip(options, tabs))


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


def _global_query(state: ViewState) -> dict[str, str | list[str]]:
    return {k: v for k, v in viewstate.to_query(state).items() if k in GLOBAL_KEYS}
