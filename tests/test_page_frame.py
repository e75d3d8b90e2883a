"""The page frame under AppTest: the shared sidebar is drawn at the end of every run
(``ui.end_page()``), also when a page stops early (``ui.stop()``), when a part of the page
fails (``ui.guard``), and on the reruns AppTest makes without app.py."""
from __future__ import annotations

import re

import pytest

from contentroi import pagelist
from contentroi import st_app as ui
from contentroi.st_app import frame

from .conftest import ROOT


def sidebar_filters(at) -> dict[str, object]:
    sb = at.sidebar
    return {"from": sb.date_input[0].value, "to": sb.date_input[1].value,
            "channel": list(sb.multiselect[0].value), "window": sb.number_input[0].value,
            "model": sb.selectbox[0].value}


def test_every_page_ends_with_end_page_and_stops_with_ui_stop():
    for p in pagelist.PAGES:
        src = (ROOT / p.path).read_text(encoding="utf-8")
        assert src.rstrip().endswith("ui.end_page()"), f"{p.path} must end with ui.end_page()"
        assert not re.search(r"\bst\.stop\(", src), f"{p.path}: ui.stop() draws the sidebar, st.stop() does not"


def test_a_page_that_stops_early_still_has_its_sidebar_on_reruns(app):
    # a period without any article: the overview stops after its empty state (ui.stop)
    app.query_params.update({"from": "2026-01-01", "to": "2026-01-02", "model": "linear"})
    at = app.run()
    assert at.info and not at.metric
    assert sidebar_filters(at)["model"] == "linear"
    at.sidebar.number_input[0].set_value(21).run()  # AppTest reruns pages/overview.py alone
    assert not at.exception
    assert sidebar_filters(at)["window"] == 21 and sidebar_filters(at)["model"] == "linear"
    assert at.query_params["window"] == "21"


def test_a_failing_part_of_a_page_leaves_the_sidebar(app, monkeypatch):
    def boom(*a, **k):
        raise RuntimeError("broken")

    monkeypatch.setattr(ui, "totals", boom)  # the overview's KPI tiles fail inside ui.guard
    at = app.run()
    assert at.error and not at.metric
    assert sidebar_filters(at)["window"] == 30
    at.sidebar.selectbox[0].set_value("linear").run()
    assert at.error and sidebar_filters(at)["model"] == "linear"
    assert at.query_params["model"] == "linear"


def test_language_switch_redraws_page_and_sidebar(app):
    from contentroi import i18n

    at = app.run()
    at.segmented_control(key="w_lang").set_value("zh").run()
    assert not at.exception
    assert at.title[0].value == i18n.t("nav_overview", "zh")
    assert at.sidebar.selectbox[0].label == i18n.t("f_model", "zh")
    assert at.query_params["lang"] == "zh"


def test_end_page_draws_once_per_run(app, monkeypatch):
    drawn = []
    real = frame.draw_sidebar
    monkeypatch.setattr(frame, "draw_sidebar", lambda page: (drawn.append(page.key), real(page)))
    at = app.run()  # the page's end_page, then app.py's (nothing left to draw)
    assert not at.exception
    assert drawn == ["overview"]
    assert len(at.sidebar.selectbox) == 1


def test_numbers_first_waits_once_per_browser_session(monkeypatch):
    """A fresh browser session's first page waits after its tiles (the browser shows them
    before the chart code loads: bench/freshlink.py); later runs, and runs with no browser
    (AppTest: no request headers), do not wait."""
    from contentroi.st_app import frame

    slept = []
    monkeypatch.setattr(frame.time, "sleep", slept.append)
    state = {}
    monkeypatch.setattr(frame.st, "session_state", state)
    monkeypatch.setattr(frame, "_has_browser", lambda: True)
    frame.numbers_first()
    frame.numbers_first()
    assert slept == [frame.NUMBERS_FIRST_S] and 0 < frame.NUMBERS_FIRST_S <= 1
    state.clear()
    monkeypatch.setattr(frame, "_has_browser", lambda: False)
    frame.numbers_first()
    assert slept == [frame.NUMBERS_FIRST_S] and state["_numbers_shown"]
    monkeypatch.undo()
    assert frame._has_browser() is False  # outside a browser session: no request headers


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_channel_filter_offers_no_english_select_all(app, lang):
    """Streamlit's multiselect offers "Select all" (in English, whatever the page's
    language); for the channel filter no channel chosen already means every channel (its
    placeholder says so), so the option is off in both languages."""
    app.query_params["lang"] = lang
    at = app.run()
    assert at.sidebar.multiselect[0].proto.select_all == 0
