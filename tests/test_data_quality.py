"""The Data page's findings, kept per user on load (queries/models/45_data_quality.sql)
and summed per render (queries/data_quality.sql), equal the per-render query they
replace (kept below as the reference): the same counts on hand-made, random and
generated worlds; examples are findings of the same kind (the five smallest kept)."""
from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings, strategies as st

from contentroi import ingest, sample, sql
from contentroi.store import Store
from tests.worlds import basic_store, make_store

OLD = """
-- Cross-log data-quality findings: one row per kind, with a count and examples.
WITH
unknown_article_joins AS (
    SELECT j.article_id AS example FROM joins AS j
    WHERE j.article_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM articles AS a WHERE a.article_id = j.article_id)
),
unknown_order_refunds AS (
    SELECT coalesce(s.order_id, '(' || s.user_id || ', no order id)') AS example FROM sales AS s
    WHERE s.event = 'refund'
      AND (s.order_id IS NULL OR NOT EXISTS (
            SELECT 1 FROM sales AS p WHERE p.event = 'payment' AND p.order_id = s.order_id))
),
payers_never_joined AS (
    SELECT DISTINCT s.user_id AS example FROM sales AS s
    WHERE s.event = 'payment' AND NOT EXISTS (SELECT 1 FROM joins AS j WHERE j.user_id = s.user_id)
),
sales_users_never_joined AS (
    SELECT DISTINCT s.user_id AS example FROM sales AS s
    WHERE NOT EXISTS (SELECT 1 FROM joins AS j WHERE j.user_id = s.user_id)
),
joins_before_publish AS (
    SELECT j.article_id || ' / ' || j.user_id AS example FROM joins AS j
    JOIN articles AS a ON a.article_id = j.article_id
    WHERE j.joined_at < a.published_at
),
findings AS (
    SELECT 'unknown_article_joins' AS finding, count(*) AS n, list(DISTINCT example) AS examples FROM unknown_article_joins
    UNION ALL SELECT 'unknown_order_refunds', count(*), list(DISTINCT example) FROM unknown_order_refunds
    UNION ALL SELECT 'payers_never_joined', count(*), list(DISTINCT example) FROM payers_never_joined
    UNION ALL SELECT 'sales_users_never_joined', count(*), list(DISTINCT example) FROM sales_users_never_joined
    UNION ALL SELECT 'joins_before_publish', count(*), list(DISTINCT example) FROM joins_before_publish
)
SELECT finding, n, examples FROM findings;
"""


def old_findings(store):
    rows = store.cursor().execute(OLD).fetchall()
    return {r[0]: (r[1], sorted(r[2] or [])) for r in rows}


def check(store):
    want = old_findings(store)
    got = sql.run(store.cursor(), "data_quality")
    assert got["finding"].tolist() == list(want)  # same kinds, same order
    for r in got.itertuples():
        n, examples = want[r.finding]
        assert r.n == n, (r.finding, r.n, n)
        shown = r.examples.split(", ") if isinstance(r.examples, str) and r.examples else []
        assert (n > 0) == bool(shown), (r.finding, shown)
        if r.finding == "unknown_order_refunds":  # examples such as "(u1, no order id)"
            assert ", ".join(shown) == ", ".join(examples[:5])
        else:
            assert len(shown) <= 5
            assert set(shown) <= set(examples), (r.finding, shown)
            assert shown == sorted(shown)
    return got


def test_basic_world():
    with basic_store() as s:
        got = check(s).set_index("finding")
        assert got.loc["unknown_article_joins", "n"] == 1 and got.loc["unknown_article_joins", "examples"] == "ZZ"
        assert got.loc["unknown_order_refunds", "examples"] == "O9"
        assert got.loc["payers_never_joined", "examples"] == "u7"


T0 = dt.datetime(2026, 1, 1)
users = st.sampled_from([f"u{i}" for i in range(8)])
arts = st.sampled_from(["A1", "A2", "A3", "X1", "X2", None])  # X*: unknown articles
hours = st.integers(min_value=0, max_value=24 * 40)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    joins=st.lists(st.tuples(users, hours, arts), max_size=25),
    sales=st.lists(st.tuples(st.sampled_from([f"u{i}" for i in range(11)]),
                             st.sampled_from(["contact", "payment", "refund"]), hours,
                             st.sampled_from(["O1", "O2", "O3", None])), max_size=25),
)
def test_random_worlds(joins, sales):
    ts = lambda h: (T0 + dt.timedelta(hours=h)).isoformat(sep=" ")  # noqa: E731
    articles = [("A1", "t1", "wechat", "2026-01-05 00:00", None, 10, 1),
                ("A2", "t2", "zhihu", "2026-01-01 00:00", None, 10, 1),
                ("A3", "t3", "zhihu", "2026-02-01 00:00", None, 10, 1)]
    j = [(u, ts(h), a, None) for u, h, a in joins]
    s = [(u, e, ts(h), None, 10 if e != "contact" else None, o) for u, e, h, o in sales]
    with make_store(articles, j, s) as store:
        check(store)


def test_generated_world(tmp_path):
    files = sample.generate_world(tmp_path / "w", n_articles=120, n_joins=8_000, n_sales=6_000, seed=5)
    store = Store(tmp_path / "w.duckdb")
    for log in ("articles", "joins", "sales"):
        assert ingest.load_file(store, files[log], log, source_kind="cli").status == "loaded"
    with store:
        got = check(store).set_index("finding")
        assert got["n"].sum() > 0
