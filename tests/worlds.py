"""Small hand-built worlds for the engine tests, written straight into a store."""
from __future__ import annotations

import datetime as dt

from contentroi.store import Store


def ts(s: str) -> dt.datetime:
    return dt.datetime.fromisoformat(s)


def make_store(articles=(), joins=(), sales=(), path=":memory:") -> Store:
    """articles: (id, title, channel, published_at, author, reads, cost)
    joins: (user_id, joined_at, article_id, group_id)
    sales: (user_id, event, occurred_at, rep, amount, order_id)"""
    store = Store(path)
    with store.transaction() as cur:
        for a in articles:
            cur.execute(
                "INSERT INTO articles (article_id, title, channel, published_at, author, reads, cost) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [a[0], a[1], a[2], ts(a[3]), a[4], a[5], a[6]],
            )
        for j in joins:
            cur.execute(
                "INSERT INTO joins (user_id, joined_at, article_id, group_id) VALUES (?, ?, ?, ?)",
                [j[0], ts(j[1]), j[2], j[3] if len(j) > 3 else None],
            )
        for s in sales:
            cur.execute(
                "INSERT INTO sales (user_id, event, occurred_at, rep, amount, order_id) VALUES (?, ?, ?, ?, ?, ?)",
                [s[0], s[1], ts(s[2]), s[3], s[4], s[5]],
            )
        store.refresh_models(cur)
    return store


# The hand-checked world of tests/test_engine.py (see the comments there).
BASIC_ARTICLES = [
    ("A1", "Article one", "wechat", "2026-01-01 08:00", "Li", 1000, 100),
    ("A2", "Article two", "wechat", "2026-01-05 08:00", "Wang", 0, 0),
    ("A3", "Article three", "zhihu", "2026-02-01 08:00", None, None, None),
]
BASIC_JOINS = [
    ("u1", "2026-01-02 10:00", "A1", "g1"),
    ("u1", "2026-01-06 10:00", "A2", "g1"),
    ("u2", "2026-01-03 00:00", "A1", "g1"),
    ("u3", "2026-01-03 00:00", "A1", "g2"),
    ("u3", "2026-01-04 00:00", "A1", "g2"),
    ("u4", "2026-02-02 00:00", "A3", "g3"),
    ("u5", "2026-01-10 00:00", None, "g1"),   # organic: no article
    ("u6", "2026-01-10 00:00", "ZZ", "g1"),   # unknown article: not a touch
]
BASIC_SALES = [
    ("u1", "contact", "2026-01-03 10:00", "R1", None, None),
    ("u1", "payment", "2026-01-10 10:00", "R1", 100, "O1"),
    ("u1", "refund", "2026-01-15 10:00", "R1", 50, "O1"),
    ("u2", "payment", "2026-01-04 00:00", "R2", 200, "O2"),
    ("u2", "contact", "2026-01-05 00:00", "R2", None, None),
    ("u3", "contact", "2026-01-04 09:00", "R1", None, None),
    ("u3", "payment", "2026-02-02 23:00", "R1", 150, "O3"),
    ("u4", "contact", "2026-02-02 00:00", "R2", None, None),
    ("u4", "payment", "2026-03-04 00:00", "R2", 300, "O4"),
    ("u7", "payment", "2026-01-20 00:00", "R2", 70, "O7"),
    ("u1", "refund", "2026-01-20 00:00", "R1", 10, "O9"),  # unknown order
]


def basic_store(path=":memory:") -> Store:
    return make_store(BASIC_ARTICLES, BASIC_JOINS, BASIC_SALES, path=path)


def generated_store(folder, n_articles: int, n_joins: int, seed: int) -> Store:
    """An in-memory store of a generated world (``sample.generate``), its three logs loaded
    the way the ``load`` command loads a file."""
    from contentroi import ingest, sample

    files = sample.generate(folder, n_articles=n_articles, n_joins=n_joins, seed=seed)
    store = Store(":memory:")
    for log, path in files.items():
        assert ingest.load_file(store, path, log).status == "loaded"
    return store
