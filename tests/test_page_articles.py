"""/articles under AppTest on the bundled sample: the leaderboard, its URL state, the detail.

Expected numbers come from the engine on the same store file, opened
read-write like the app opens it (one DuckDB instance per process).
"""
from __future__ import annotations

import datetime as dt
import re
import shutil

import pytest

from tests.conftest import assert_clean, page_texts, table_values

from contentroi import engine, fmt, i18n
from contentroi.engine import Params
from contentroi.store import Store

DETAIL_ID = "A0019"  # the sample's top article by revenue: 336 joins, 29 paid


def open_page(app, page_name: str, **query):
    """Set the URL's query parameters, then run the app on pages/<page_name>.py."""
    for k, v in query.items():
        app.query_params[k] = v
    return app.switch_page(f"pages/{page_name}.py").run()


def has_chinese(at) -> bool:
    return any(re.search(r"[\u4e00-\u9fff]", s) for s in page_texts(at))


def qp(at, key: str) -> list[str]:
    """A query parameter of the app's URL, as a list of values."""
    v = at.query_params.get(key)
    return [v] if isinstance(v, str) else list(v or [])


def board(at):
    return table_values(at.dataframe[0])


def every_page(app, **query):
    """The leaderboard's rows over all its pages (100 a page; the sample has 200 articles)."""
    import pandas as pd

    first = open_page(app, "articles", **query)
    frames = [board(first)]
    for page in range(2, 10):
        nxt = [b for b in first.button if b.key == "ar_next"]
        if not nxt or nxt[0].disabled:  # (one page: no pager)
            break
        at = open_page(app, "articles", page=str(page), **query)
        frames.append(board(at))
        first = at
    return pd.concat(frames, ignore_index=True)


@pytest.fixture(scope="module")
def store(sample_db, tmp_path_factory):
    """The sample store for expected values: a private copy (the app holds the original open
    read-only, and DuckDB refuses a second open of one file with other settings)."""
    path = tmp_path_factory.mktemp("expected") / "sample.duckdb"
    shutil.copy(sample_db, path)
    s = Store(path)
    yield s
    s.close()


def test_translations_complete():
    from contentroi.i18n import articles

    for key, (en, zh) in articles.TEXT.items():
        assert key.startswith("ar_") and en and zh, key
    assert all(k in i18n.TEXT for k in ("small_sample", "notice_unknown_article"))


@pytest.mark.parametrize("query", [
    {},
    {"lang": "zh"},
    {"channel": "wechat", "model": "linear", "window": "14", "from": "2026-06-01", "to": "2026-09-30"},
    {"channel": ["zhihu", "weibo"], "model": "time_decay", "lang": "zh", "sort": "-overall_rate"},
    {"window": "-3", "model": "x", "from": "yesterday", "sort": "nope"},
])
def test_list_renders(app, query):
    at = open_page(app, "articles", **query)
    assert_clean(at)
    assert len(board(at)) > 0
    if query.get("lang") == "zh":
        assert has_chinese(at) and at.title[0].value == "文章"
        assert at.selectbox(key="ar_sort").label == "排序依据"


def test_bad_link_values_show_a_notice(app):
    at = open_page(app, "articles", window="-3", model="x")
    assert any("window=" in w.value and "model=x" in w.value for w in at.warning)
    assert len(board(at)) == 100  # the defaults are used: page 1 of 2
    assert any("Articles 1–100 of 200" in c.value for c in at.caption)


@pytest.mark.parametrize("query", [
    {"channel": "wechat", "model": "linear"},
    {"from": "2026-07-01", "to": "2026-08-31", "window": "10", "model": "position"},
])
def test_leaderboard_equals_engine(app, store, query):
    df = every_page(app, **query)
    p = Params(
        date_from=dt.date.fromisoformat(query["from"]) if "from" in query else None,
        date_to=dt.date.fromisoformat(query["to"]) if "to" in query else None,
        channels=(query["channel"],) if "channel" in query else (),
        window_days=int(query.get("window", 30)), model=query["model"])
    expected = engine.articles(store, p).set_index("article_id")
    got = df.set_index("article_id")
    assert set(got.index) == set(expected.index)
    for col in ("revenue", "paid", "joins", "contacted", "overall_rate", "overall_rate_lo",
                "overall_rate_hi"):
        assert got[col].fillna(-1).to_dict() == expected[col].fillna(-1).to_dict(), col


def test_sort_in_url_changes_order(app, store):
    by_revenue = board(open_page(app, "articles"))
    assert by_revenue["revenue"].is_monotonic_decreasing
    at = open_page(app, "articles", sort="-reads")
    by_reads = board(at)
    assert by_reads["article_id"].tolist() != by_revenue["article_id"].tolist()
    assert by_reads["reads"].is_monotonic_decreasing
    up = board(open_page(app, "articles", sort="title"))
    assert up["title"].tolist() == sorted(up["title"].tolist())


def test_rate_sort_puts_small_samples_last(app):
    df = every_page(app, sort="-overall_rate")
    small = df["joins"] < 30
    n_judged = int((~small).sum())
    assert 0 < n_judged < len(df)
    assert not small.iloc[:n_judged].any() and small.iloc[n_judged:].all()
    assert df["overall_rate"].iloc[:n_judged].is_monotonic_decreasing
    too_few = i18n.t("small_sample", "en")
    assert (df["sample"].iloc[n_judged:] == too_few).all()
    assert (df["sample"].iloc[:n_judged] == "").all()
    # the interval text: "12.5% (8.1–18.0%)"
    assert re.fullmatch(r"\d+\.\d% \(\d+\.\d–\d+\.\d%\)", df["overall_rate_ci"].iloc[0])
    # pay_rate's denominator is contacted
    df = every_page(app, sort="pay_rate")
    small = df["contacted"] < 30
    k = int((~small).sum())
    assert not small.iloc[:k].any() and df["pay_rate"].iloc[:k].is_monotonic_increasing


def test_sort_widget_writes_the_url(app):
    at = open_page(app, "articles")
    at.selectbox(key="ar_sort").set_value("reads").run()
    assert qp(at, "sort") == ["-reads"]
    assert board(at)["reads"].is_monotonic_decreasing
    at.segmented_control(key="ar_dir").set_value("asc").run()
    assert qp(at, "sort") == ["reads"]
    assert board(at)["reads"].is_monotonic_increasing
    assert_clean(at)


def test_search_by_title_and_author(app):
    at = open_page(app, "articles", q="基金")
    df = board(at)
    assert 0 < len(df) < 200
    assert all("基金" in t for t in df["title"])
    at = open_page(app, "articles")
    at.text_input(key="ar_q").input("林晓").run()
    df = board(at)
    assert qp(at, "q") == ["林晓"]
    assert len(df) > 0 and (df["author"] == "林晓").all()
    at.text_input(key="ar_q").input("no such thing").run()
    assert not at.dataframe and any("no such thing" in i.value for i in at.info)
    assert_clean(at)


def test_filter_change_changes_the_numbers(app, store):
    at = open_page(app, "articles")
    before = {m.label: m.value for m in at.metric}
    at.sidebar.multiselect[0].set_value(["wechat"]).run()
    assert_clean(at)
    df = board(at)
    assert set(df["channel"]) == {"wechat"}
    after = {m.label: m.value for m in at.metric}
    assert after["Articles"] != before["Articles"] and after["Revenue"] != before["Revenue"]
    assert qp(at, "channel") == ["wechat"]
    exp = engine.articles(store, Params(channels=("wechat",)))
    assert sorted(df["article_id"]) == sorted(exp["article_id"])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_detail(app, store, lang):
    at = open_page(app, "articles", article=DETAIL_ID, lang=lang)
    assert_clean(at)
    row = engine.articles(store, Params()).set_index("article_id").loc[DETAIL_ID]
    assert at.subheader[0].value == row["title"]
    assert at.button(key="ar_back").label == i18n.t("ar_back", lang)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[i18n.t("m_joins", lang)] == f"{row['joins']:,}"
    assert metrics[i18n.t("m_paid", lang)] == f"{row['paid']:,}"
    users = table_values(at.dataframe[0])
    assert len(users) == row["joins"]
    assert list(users.columns[:2]) == ["user_id", "joined_at"]
    summary = engine.query(store, "article_summary", Params(), article_id=DETAIL_ID).iloc[0]
    assert metrics[i18n.t("ar_open", lang)] == f"{summary['open_users']:,}"
    assert metrics[i18n.t("ar_dropped", lang)] == f"{summary['dropped_users']:,}"
    assert summary["paid"] == row["paid"] and summary["contacted"] == row["contacted"]
    # the caption says what "now" is
    assert any(f"{summary['now_at']:%Y-%m-%d %H:%M}" in c.value for c in at.caption)
    if lang == "zh":
        assert has_chinese(at)
        assert (users["stage"] == i18n.t("ar_stage_paid", "zh")).sum() == row["paid"]


def test_detail_stage_filter(app, store):
    at = open_page(app, "articles", article=DETAIL_ID)
    at.segmented_control(key="ar_stage").set_value("paid").run()
    users = table_values(at.dataframe[0])
    row = engine.articles(store, Params()).set_index("article_id").loc[DETAIL_ID]
    assert len(users) == row["paid"] and (users["stage"] == "Paid").all()
    assert users["days_to_pay"].notna().all()
    assert qp(at, "stage") == ["paid"]  # in the link: it opens the same list
    from streamlit.testing.v1 import AppTest

    from tests.conftest import APP
    again = open_page(AppTest.from_file(APP, default_timeout=60), "articles", article=DETAIL_ID, stage="paid")
    assert again.segmented_control(key="ar_stage").value == "paid"
    assert len(table_values(again.dataframe[0])) == row["paid"]
    again.button(key="ar_back").click().run()  # back to the list: the stage goes with the article
    assert "stage" not in again.query_params and "article" not in again.query_params


def test_back_to_the_list(app):
    at = open_page(app, "articles", article=DETAIL_ID, sort="-joins")
    at.button(key="ar_back").click().run()
    assert_clean(at)
    assert qp(at, "article") == []
    assert qp(at, "sort") == ["-joins"]
    assert len(board(at)) == 100


def test_unknown_article_shows_notice_and_list(app):
    at = open_page(app, "articles", article="NOPE")
    assert_clean(at)
    assert any(i18n.t("notice_unknown_article", "en", value="NOPE") in w.value for w in at.warning)
    assert len(board(at)) == 100


def test_article_filtered_out_shows_notice(app, store):
    arts = engine.articles(store, Params())
    zhihu = arts[arts["channel"] == "zhihu"]["article_id"].iloc[0]
    at = open_page(app, "articles", article=zhihu)  # opens without a channel filter
    assert not at.warning and at.button(key="ar_back")
    # (zh last: AppTest re-serialises the previous run's widgets with English format_funcs)
    at = open_page(app, "articles", article=zhihu, channel="wechat", lang="zh")
    assert_clean(at)
    assert any(zhihu in w.value and "当前筛选下没有文章" in w.value for w in at.warning)
    assert set(board(at)["channel"]) == {"wechat"}


def test_empty_store(app_rw, sample_db_copy):
    with Store(sample_db_copy) as s:  # closed before the app opens it
        s.clear()
    at = open_page(app_rw, "articles")
    assert not at.exception and not at.error
    assert any(i18n.t("empty_store", "en")[:20] in i.value for i in at.info)


def test_empty_filter(app):
    at = open_page(app, "articles", **{"from": "2030-01-01"})
    assert_clean(at)
    assert not at.dataframe and at.info


def test_pages_of_the_leaderboard(app, store):
    """100 rows a page; the page is in the URL; a bad or too large page is handled; the
    pager writes the URL; a new sort or search starts at page 1; the download has every row."""
    at = open_page(app, "articles", sort="-joins")
    one = board(at)
    assert len(one) == 100 and at.button(key="ar_prev").disabled
    at.button(key="ar_next").click().run()
    assert_clean(at)
    assert qp(at, "page") == ["2"]
    two = board(at)
    assert any("Articles 101–200 of 200" in c.value for c in at.caption)
    exp = engine.articles(store, Params()).sort_values(["joins", "article_id"], ascending=[False, True])
    assert one["article_id"].tolist() + two["article_id"].tolist() == exp["article_id"].tolist()
    assert at.button(key="ar_next").disabled
    at = open_page(app, "articles", page="2")
    at.selectbox(key="ar_sort").set_value("reads").run()  # a new order starts at page 1
    assert qp(at, "page") == [] and qp(at, "sort") == ["-reads"]
    at = open_page(app, "articles", page="99")  # past the end: the last page
    assert_clean(at)
    assert len(board(at)) == 100 and any("101–200" in c.value for c in at.caption)
    at = open_page(app, "articles", page="1")
    at.number_input(key="ar_page").set_value(2).run()
    assert qp(at, "page") == ["2"] and any("101–200" in c.value for c in at.caption)
    # (zh last: AppTest re-serialises the previous run's widgets with English format_funcs)
    at = open_page(app, "articles", page="0", lang="zh")
    assert any("page=0" in w.value for w in at.warning) and has_chinese(at)
    assert len(board(at)) == 100 and any("第 1–100 篇，共 200 篇" in c.value for c in at.caption)


def test_tiles_follow_the_search(app, store):
    at = open_page(app, "articles", q="基金")
    df = board(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Articles"] == str(len(df))
    paid = set()  # the distinct paid users of the articles found, from each one's user list
    for aid in df["article_id"]:
        users = engine.query(store, "article_users", Params(), article_id=aid)
        paid |= set(users.loc[users["stage"] == "paid", "user_id"])
    assert metrics["Paid"] == f"{len(paid):,}"
    assert len(paid) <= df["paid"].sum()
    rev = df["revenue"].sum()
    assert metrics["Revenue"] == fmt.money_short(rev)
