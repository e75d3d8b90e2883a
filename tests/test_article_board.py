"""The /articles leaderboard sorted, searched and cut into pages in SQL
(queries/article_search.sql, article_board.sql) equals the pandas version the page
used before (issue 12), kept here as an independent implementation: every sort key
in both directions, rate keys with small samples after the judged rows, nulls last,
ties by article_id; the search in title and author, case-insensitive, as plain text."""
from __future__ import annotations

import pandas as pd
import pytest

from contentroi import engine, sql
from contentroi.engine import Params
from contentroi.viewstate import SORTABLE

MIN_N = 30
DENOM = {"join_rate": "reads", "contact_rate": "joins", "pay_rate": "contacted", "overall_rate": "joins"}
# (the page takes these from contentroi/metrics.py; written out here as the reference)


def legacy_sort(df: pd.DataFrame, sort: str) -> pd.DataFrame:
    key, asc = sort.lstrip("-"), not sort.startswith("-")
    rate = key in DENOM
    small = (df[DENOM[key]].fillna(0) < MIN_N) if rate else df["small_sample"].astype(bool)
    df = df.assign(small=small, _small=small & rate)
    df = df.sort_values(["_small", key, "article_id"], ascending=[True, asc, True],
                        na_position="last", kind="mergesort")
    return df.drop(columns="_small").reset_index(drop=True)


def legacy_search(df: pd.DataFrame, q: str) -> pd.DataFrame:
    needle = q.lower()
    hit = (df["title"].fillna("").str.lower().str.contains(needle, regex=False)
           | df["author"].fillna("").str.lower().str.contains(needle, regex=False))
    return df[hit]


def page(cur, board, q: str, sort: str, limit: int, offset: int) -> pd.DataFrame:
    hit = sql.run_on(cur, "article_search", {"board": board}, arrow=True, q=q) if q else board
    return sql.run_on(cur, "article_board", {"hit": hit}, sort_key=sort.lstrip("-"),
                      sort_desc=sort.startswith("-"), denom=DENOM.get(sort.lstrip("-")), min_n=MIN_N,
                      limit=limit, offset=offset)


@pytest.mark.parametrize("params", [Params(), Params(model="linear", window_days=7)])
def test_every_sort_equals_pandas(sample_store, params):
    cur = sample_store.cursor()
    board = sql.run_arrow(cur, "article_rows", **params.bind())
    df = engine.articles(sample_store, params)
    assert board.num_rows == len(df) == 200
    for key in SORTABLE:
        for sort in (key, "-" + key):
            want = legacy_sort(df, sort)
            got = page(cur, board, "", sort, 1000, 0)
            assert got["article_id"].tolist() == want["article_id"].tolist(), sort
            assert got["small"].tolist() == want["small"].tolist(), sort
            # pages are slices of the same order
            parts = [page(cur, board, "", sort, 64, o)["article_id"].tolist() for o in (0, 64, 128, 192)]
            assert sum(parts, []) == want["article_id"].tolist(), sort


def test_search_equals_pandas(sample_store):
    cur = sample_store.cursor()
    board = sql.run_arrow(cur, "article_rows", **Params().bind())
    df = engine.articles(sample_store, Params())
    authors = df["author"].dropna().unique().tolist()
    for q in ["基金", "林晓", authors[0][:1], "A", "a", "2026", "%", "_", "no such thing", "(", "指南"]:
        want = legacy_sort(legacy_search(df, q), "-revenue")
        got = page(cur, board, q, "-revenue", 1000, 0)
        assert got["article_id"].tolist() == want["article_id"].tolist(), q
    assert page(cur, board, "%_%", "-revenue", 1000, 0).empty  # plain text, not a LIKE pattern


def test_row_lookup(sample_store):
    cur = sample_store.cursor()
    board = sql.run_arrow(cur, "article_rows", **Params().bind())
    one = sql.run_on(cur, "article_row", {"board": board}, article_id="A0019")
    assert one["article_id"].tolist() == ["A0019"]
    assert sql.run_on(cur, "article_row", {"board": board}, article_id="nope").empty


@pytest.mark.parametrize("params", [Params(), Params(model="linear", window_days=7, channels=("wechat", "zhihu"))])
def test_the_page_rows_are_the_reports_rows(sample_store, params):
    """What the page sends (a page of article_board, the article_row it opens) is
    report_articles' row for the article, column for column, intervals included: the
    page reads the rows without the intervals and article_board / article_row add them."""
    cur = sample_store.cursor()
    report = engine.articles(sample_store, params).set_index("article_id")
    board = sql.run_arrow(cur, "article_rows", **params.bind())
    assert "overall_rate_lo" not in board.column_names and board.num_rows == len(report)
    for sort in ("-revenue", "overall_rate", "-title"):
        got = page(cur, board, "", sort, 25, 10).set_index("article_id")
        assert len(got) == 25
        want = report.loc[got.index]
        assert list(got.columns) == list(want.columns) + ["small"], sort
        pd.testing.assert_frame_equal(got[want.columns], want, check_dtype=False)
    aid = report.index[3]
    one = sql.run_on(cur, "article_row", {"board": board}, article_id=aid).set_index("article_id")
    pd.testing.assert_frame_equal(one, report.loc[[aid]], check_dtype=False)
