"""The same figure everywhere (issue 13): every page rendered for a set of filters, in
both languages; every figure shown with the same label (a KPI tile) has the same value
on every page, and where a channel table's counts add up to more than the total (a user
reached through two channels counts in each), the page says so."""
from __future__ import annotations

import collections

import pytest

from contentroi import engine, fmt, i18n, pagelist
from contentroi.engine import Params

FILTERS = [
    ({}, Params()),
    ({"from": "2026-06-01", "to": "2026-08-31", "channel": ["wechat", "zhihu"], "window": "14",
      "model": "linear"}, None),
]  # (the sample's articles are published 2026-05 .. 2026-10)


def _tiles(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.mark.slow
@pytest.mark.parametrize("query,lang", [(FILTERS[0][0], "en"), (FILTERS[1][0], "en"), (FILTERS[1][0], "zh")],
                         ids=["all-en", "filtered-en", "filtered-zh"])
def test_one_label_one_number(sample_db, monkeypatch, query, lang):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import APP

    monkeypatch.setenv("CONTENTROI_DB", str(sample_db))
    seen: dict[str, dict[str, str]] = collections.defaultdict(dict)
    for page in pagelist.PAGES:  # a fresh session per page: a link opened on that page
        at = AppTest.from_file(APP, default_timeout=120)
        at.query_params = dict(query, lang=lang)
        at.switch_page(page.path)
        at.run()
        assert not at.exception, (page.key, at.exception)
        for label, value in _tiles(at).items():
            seen[label][page.key] = value
    clash = {label: pages for label, pages in seen.items() if len(set(pages.values())) > 1}
    assert not clash, f"one label, different numbers across pages: {clash}"


def test_channel_sums_vs_total_are_explained(app, sample_store):
    p = Params()
    ch = engine.channels(sample_store, p)
    tot = engine.totals(sample_store, p)
    differs = [m for m in ("joins", "contacted", "paid") if int(ch[m].sum()) != int(tot[m])]
    assert differs, "the sample should have users reached through two channels"
    at = app
    at.switch_page("pages/channels.py").run()
    captions = " ".join(c.value for c in at.caption)
    for m in differs:
        assert fmt.count(ch[m].sum()) in captions and fmt.count(tot[m]) in captions, m
    assert i18n.t("ch_sum_note_tail") in captions
