"""Cohort revenue (/cohorts): exact values on a hand-built world, and the page under AppTest.

The world (first joins; revenue net of refunds; the data ends at the last sales event,
2026-09-01 12:00):
  u1  first join Mon 2026-03-02 10:00 via W1 (wechat); pays 100 on 03-05 (3 d), 50 on 03-30
      (28 d), 40 on 06-20 (110 d, refunded 10 -> 30). Joins Z1 later (not their cohort).
  u2  first join Wed 2026-03-04 09:00 via Z1 (zhihu); pays 200 on 03-01 (BEFORE the join: not
      counted) and 80 on 04-02 09:00 (exactly 29 d).
  u3  first join Sun 2026-03-08 23:00 via W1; never pays.
  u4  first join Mon 2026-03-09 08:00 via W1 (next week, still March); pays 60 at exactly
      7 d (03-16 08:00) and 60 at 7 d + 1 s.
  u5  first join Mon 2026-08-31 via Z1: a cohort younger than 7 days at the data's end.
  u6  a join through an unknown article: no touch, in no cohort.

Weekly cohorts: 03-02 (u1, u2, u3), 03-09 (u4), 08-31 (u5).
  03-02, 3 users, last day 03-08: mature at d when 03-09 + d <= 09-01 12:00 -> 7, 30, 60, 90
    (06-07), 180 d is 09-05: NOT mature -> blank.
    rev_7  = 100 / 3 = 33.33;  rev_30 = (100 + 50 + 80) / 3 = 76.67;  rev_60 = rev_90 = 76.67
    repeat (90 d): payers in 90 d u1 (100, 50), u2 (80) -> 1 of 2 = 0.5
  03-09, u4: rev_7 = 60 (the payment at 7 d + 1 s is day 8), rev_30 = 120; repeat 1 of 1.
  08-31, u5: nothing mature.
Monthly: March (u1..u4): last day 03-31 -> mature at 7 … 90 (06-30 + ... 04-01 + 90 = 06-30), not 180.
    rev_7 = (100 + 60) / 4 = 40, rev_30 = (100 + 50 + 80 + 120) / 4 = 87.5
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from contentroi import cohorts, engine
from contentroi.engine import Params

from tests.conftest import assert_clean

from .test_page_articles import has_chinese, open_page, qp
from .worlds import make_store

ARTICLES = [
    ("W1", "Wechat one", "wechat", "2026-03-01 08:00", None, 1000, 10),
    ("Z1", "Zhihu one", "zhihu", "2026-03-01 08:00", None, 1000, 10),
]
JOINS = [
    ("u1", "2026-03-02 10:00", "W1"), ("u1", "2026-03-20 10:00", "Z1"),
    ("u2", "2026-03-04 09:00", "Z1"),
    ("u3", "2026-03-08 23:00", "W1"),
    ("u4", "2026-03-09 08:00", "W1"),
    ("u5", "2026-08-31 10:00", "Z1"),
    ("u6", "2026-03-03 10:00", "NOPE"),
]
SALES = [
    ("u1", "payment", "2026-03-05 10:00", "R", 100, "O1"),
    ("u1", "payment", "2026-03-30 10:00", "R", 50, "O2"),
    ("u1", "payment", "2026-06-20 10:00", "R", 40, "O3"),
    ("u1", "refund", "2026-06-25 10:00", "R", 10, "O3"),
    ("u2", "payment", "2026-03-01 09:00", "R", 200, "O4"),
    ("u2", "payment", "2026-04-02 09:00", "R", 80, "O5"),
    ("u4", "payment", "2026-03-16 08:00:00", "R", 60, "O6"),
    ("u4", "payment", "2026-03-16 08:00:01", "R", 60, "O7"),
    ("x", "contact", "2026-09-01 12:00", "R", None, None),  # the data's end
]


@pytest.fixture(scope="module")
def store():
    s = make_store(ARTICLES, [j + ("g",) for j in JOINS], SALES)
    yield s
    s.close()


def rows(store, grain, channels=(), article=None) -> dict:
    df = engine.query(store, "cohort_revenue", Params(channels=tuple(channels)), grain=grain, article=article)
    return {("total" if r["level"] == "total" else pd.Timestamp(r["cohort"]).date()): r
            for r in engine.records(df)}


def test_weekly_cohorts_by_hand(store):
    r = rows(store, "week")
    assert list(r) == ["total", dt.date(2026, 8, 31), dt.date(2026, 3, 9), dt.date(2026, 3, 2)]
    a = r[dt.date(2026, 3, 2)]
    assert (a["users"], a["payers"], a["revenue"]) == (3, 2, 260.0)
    assert (a["rev_7"], a["rev_30"], a["rev_60"], a["rev_90"]) == (33.33, 76.67, 76.67, 76.67)
    assert a["rev_180"] is None  # not mature: blank, never 0
    assert a["repeat_rate"] == 0.5
    b = r[dt.date(2026, 3, 9)]
    assert (b["users"], b["rev_7"], b["rev_30"], b["repeat_rate"]) == (1, 60.0, 120.0, 1.0)
    c = r[dt.date(2026, 8, 31)]
    assert c["users"] == 1 and all(c[f"rev_{d}"] is None for d in cohorts.HORIZONS) and c["repeat_rate"] is None
    t = r["total"]
    assert t["users"] == 5
    assert t["rev_7"] == round((100 + 60) / 4, 2) and t["rev_30"] == round((230 + 120) / 4, 2)
    assert t["rev_180"] is None


def test_monthly_cohorts_and_filters(store):
    r = rows(store, "month")
    m = r[dt.date(2026, 3, 1)]
    assert (m["users"], m["rev_7"], m["rev_30"], m["rev_90"], m["rev_180"]) == (4, 40.0, 87.5, 87.5, None)
    assert m["repeat_rate"] == round(2 / 3, 4)
    # by the acquisition channel: u2 is zhihu's, u1/u3/u4 wechat's (u1's later zhihu join does not move them)
    z = rows(store, "month", channels=["zhihu"])[dt.date(2026, 3, 1)]
    assert (z["users"], z["rev_30"]) == (1, 80.0)
    w = rows(store, "month", article="W1")[dt.date(2026, 3, 1)]
    assert (w["users"], w["rev_7"], w["rev_30"]) == (3, 53.33, 90.0)
    assert rows(store, "month", article="nope") == {}


def test_curve_matches_the_table(store):
    cur = engine.query(store, "cohort_curve", Params(), grain="week", article=None)
    a = cur[cur["cohort"] == pd.Timestamp("2026-03-02")].set_index("age")["revenue_per_user"]
    assert a.index.min() == 0 and a.index.max() == 176  # 03-09 + 176 d = 09-01 00:00 <= 09-01 12:00
    assert (a[2], a[3], a[7], a[27], a[28], a[30]) == (0.0, 33.33, 33.33, 33.33, 50.0, 76.67)
    b = cur[cur["cohort"] == pd.Timestamp("2026-03-09")].set_index("age")["revenue_per_user"]
    assert (b[7], b[8]) == (60.0, 120.0)
    tab = rows(store, "week")
    for d in (7, 30, 60, 90):
        assert a[d] == tab[dt.date(2026, 3, 2)][f"rev_{d}"]
    assert cur[cur["cohort"] == pd.Timestamp("2026-08-31")].empty


# ---- the page ----------------------------------------------------------------------


def test_translations_complete():
    from contentroi.i18n import cohorts as texts

    for key, (en, zh) in texts.TEXT.items():
        assert en and zh, key


def test_page_en_with_state_in_the_url(app, sample_db):
    at = open_page(app, "cohorts", grain="week", channel="wechat")
    assert_clean(at)
    assert at.title[0].value == "Cohorts"
    assert at.segmented_control(key="co_w_grain").value == "week"
    tab = at.dataframe[0].value
    assert tab.iloc[0]["cohort"] == "All cohorts old enough"
    assert tab.iloc[1]["cohort"].endswith(")")  # "2026-10-26 (week 44)"
    # the total row's label and the last two headers whole, not cut at the numbers' width
    import json
    widths = {c: v.get("width") for c, v in json.loads(at.dataframe[0].proto.columns).items()}
    assert (widths["cohort"], widths["revenue"], widths["age_days"]) == (170, 130, 120), widths
    # the same numbers as the query
    from contentroi.store import Store
    import shutil, tempfile, pathlib
    tmp = pathlib.Path(tempfile.mkdtemp()) / "s.duckdb"
    shutil.copy(sample_db, tmp)
    with Store(tmp, read_only=True) as s:
        exp = engine.query(s, "cohort_revenue", Params(channels=("wechat",)), grain="week", article=None)
    assert list(tab["users"]) == list(exp["users"])
    assert tab["rev_30"].isna().sum() == exp["rev_30"].isna().sum() > 0  # immature: blank
    # the grain and the article go to the URL
    at.segmented_control(key="co_w_grain").set_value("month").run()
    assert qp(at, "grain") == ["month"]
    box = at.selectbox(key="co_w_article")
    assert box.value == "" and box.options[0] == "All articles"
    box.select_index(1).run()
    assert_clean(at)
    art = at.selectbox(key="co_w_article").value
    assert qp(at, "article") == [art] and qp(at, "channel") == ["wechat"] and qp(at, "grain") == ["month"]
    # the article filters the cohorts: fewer users than the channel
    assert at.dataframe[0].value.iloc[0]["users"] < tab.iloc[0]["users"]


def test_page_zh_and_bad_values(app):
    at = open_page(app, "cohorts", lang="zh", grain="fortnight", article="NOPE")
    assert_clean(at)
    assert has_chinese(at) and at.title[0].value == "用户群组"
    assert at.segmented_control(key="co_w_grain").value == "month"
    warn = " ".join(str(w.value) for w in at.warning)
    assert "grain=fortnight" in warn and "NOPE" in warn
    assert at.dataframe[0].value.iloc[0]["cohort"] == "所有已满期群组"


def test_the_page_looks_the_channel_names_up_once_not_per_article(app, sample_store, monkeypatch):
    """The acquisition-article picker names every article with its channel. A lookup of the
    display names per article (a cached query each, ~1.7 ms) cost the page 35 s of CPU a
    run at 20,000 articles; the names are read once per store version and language."""
    from contentroi.st_app import data as ui_data

    calls = []
    real = ui_data.engine.channel_names
    monkeypatch.setattr(ui_data.engine, "channel_names", lambda *a, **k: calls.append(1) or real(*a, **k))
    getattr(ui_data, "_channel_names", None) and ui_data._channel_names.cache_clear()
    n_articles = len(sample_store.cursor().execute("SELECT DISTINCT article_id FROM agg_cohort_users").fetchall())
    assert n_articles > 50
    app.switch_page("pages/cohorts.py")
    at = app.run()
    assert not at.exception
    assert len(at.selectbox[0].options) == n_articles + 1  # every article, named with its channel
    at.run()  # a rerun
    assert 1 <= len(calls) <= 3, len(calls)  # (per language and store version), not per article


def test_article_choices_keep_the_query_order_and_name_the_channel():
    """The picker's options are cohort_articles' ids in its order (most users first); each
    label is "title · channel display name (id)", the code when the channel has no name."""
    arts = pd.DataFrame({"article_id": ["A9", "A1", "B2"], "title": ["九", "One", None],
                         "channel": ["wechat", "zhihu", "wechat"], "users": [9.0, 5.0, 1.0]})
    ids, names = cohorts.article_choices(arts, {"wechat": "微信"})
    assert ids == ["A9", "A1", "B2"]
    assert names == {"A9": "九 · 微信 (A9)", "A1": "One · zhihu (A1)", "B2": " · 微信 (B2)"}
    assert cohorts.article_choices(arts.iloc[0:0], {}) == ([], {})
