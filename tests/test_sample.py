"""The sample-data generator: shape, determinism and the quirks it promises."""
from __future__ import annotations

import csv
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path

import pytest

from contentroi.sample import CHANNELS, HEADERS, generate, generate_world

END = datetime(2026, 11, 1)
START = datetime(2026, 5, 1)


def _rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def _ts(value: str) -> datetime:
    return datetime.strptime(value, "%Y-%m-%d %H:%M:%S")


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample")
    paths = generate(out)
    return {name: _rows(p) for name, p in paths.items()} | {"paths": paths}


def test_returns_the_three_paths(sample):
    paths = sample["paths"]
    assert set(paths) == {"articles", "joins", "sales"}
    for name, p in paths.items():
        assert p.name == f"{name}.csv" and p.exists()


def test_headers_are_canonical(sample):
    for name, cols in HEADERS.items():
        assert sample[name][0] == cols
    raw = sample["paths"]["sales"].read_bytes()
    assert raw.startswith(b"user_id,event,occurred_at,rep,amount,order_id\n")
    assert not raw.startswith(b"\xef\xbb\xbf")   # plain UTF-8, no BOM


def test_same_seed_same_bytes_other_seed_differs(tmp_path):
    a = generate(tmp_path / "a", n_articles=60, n_joins=3_000)
    b = generate(tmp_path / "b", n_articles=60, n_joins=3_000)
    c = generate(tmp_path / "c", n_articles=60, n_joins=3_000, seed=8)
    for name in a:
        assert a[name].read_bytes() == b[name].read_bytes()
    assert any(a[n].read_bytes() != c[n].read_bytes() for n in a)


def test_world_is_deterministic(tmp_path):
    kw = dict(n_articles=300, n_joins=20_000, n_sales=30_000, seed=3)
    a = generate_world(tmp_path / "a", **kw)
    b = generate_world(tmp_path / "b", **kw)
    for name in a:
        assert a[name].read_bytes() == b[name].read_bytes()


def test_row_counts(sample):
    assert len(sample["articles"][1]) == 200
    assert len(sample["joins"][1]) == 10_000
    assert 2_000 <= len(sample["sales"][1]) <= 20_000


def test_articles_look_right(sample):
    rows = sample["articles"][1]
    ids = [r["article_id"] for r in rows]
    assert ids[0] == "A0001" and len(set(ids)) == len(ids)
    assert {r["channel"] for r in rows} == set(CHANNELS)
    assert sum(any("\u4e00" <= ch <= "\u9fff" for ch in r["title"]) for r in rows) > 150
    assert len({r["author"] for r in rows}) >= 6
    pubs = [_ts(r["published_at"]) for r in rows]
    assert min(pubs) >= START and max(pubs) < END
    assert max(pubs) >= datetime(2026, 10, 20)
    costs = [r["cost"] for r in rows]
    assert "" in costs and "0.00" in costs
    assert all(c == "" or (float(c) >= 0 and len(c.split(".")[1]) == 2) for c in costs)
    reads = [int(r["reads"]) for r in rows]
    assert min(reads) >= 0 and max(reads) > 4 * sorted(reads)[len(reads) // 2]   # long tail


def test_joins_follow_their_article(sample):
    pub = {r["article_id"]: _ts(r["published_at"]) for r in sample["articles"][1]}
    joins = sample["joins"][1]
    for r in joins:
        t = _ts(r["joined_at"])
        assert START <= t < END
        if r["article_id"] in pub:
            assert t >= pub[r["article_id"]], r
    organic = sum(r["article_id"] == "" for r in joins)
    unknown = sum(r["article_id"] not in ("",) and r["article_id"] not in pub for r in joins)
    assert 0.03 * len(joins) <= organic <= 0.07 * len(joins)
    assert 0.005 * len(joins) <= unknown <= 0.02 * len(joins)
    assert all(r["user_id"].startswith("u") and r["user_id"][1:].isdigit() for r in joins)
    assert any(r["group_id"].startswith("G-wechat-") for r in joins)


def test_returning_users_and_double_joins(sample):
    pub = {r["article_id"]: r["channel"] for r in sample["articles"][1]}
    touched = defaultdict(list)
    for r in sample["joins"][1]:
        if r["article_id"] in pub:
            touched[r["user_id"]].append(r["article_id"])
    multi = [set(a) for a in touched.values() if 2 <= len(set(a)) <= 4]
    assert 100 <= len(multi) <= 1_000
    assert any(len({pub[a] for a in arts}) < len(arts) for arts in multi)   # same channel twice
    assert any(len(a) > len(set(a)) for a in touched.values())              # twice via one article


def test_sales_events(sample):
    sales = sample["sales"][1]
    joined = {r["user_id"] for r in sample["joins"][1]}
    events = Counter(r["event"] for r in sales)
    assert set(events) == {"contact", "payment", "refund"}
    for r in sales:
        assert START <= _ts(r["occurred_at"]) < END
    pays = [r for r in sales if r["event"] == "payment"]
    refunds = [r for r in sales if r["event"] == "refund"]
    orders = {r["order_id"]: r for r in pays}
    assert len(orders) == len(pays) and all(o.startswith("O") for o in orders)
    assert {float(r["amount"]) for r in pays} <= {99.0, 199.0, 499.0, 1280.0, 2980.0}
    assert all(r["order_id"] == "" and r["amount"] == "" for r in sales if r["event"] == "contact")
    unknown = [r for r in refunds if r["order_id"] not in orders]
    assert 1 <= len(unknown) <= 2
    assert 0.02 * len(pays) <= len(refunds) - len(unknown) <= 0.09 * len(pays)
    for r in refunds:
        if r["order_id"] in orders:
            p = orders[r["order_id"]]
            assert 0 < float(r["amount"]) <= float(p["amount"])
            assert _ts(r["occurred_at"]) > _ts(p["occurred_at"])
            assert r["user_id"] == p["user_id"]
    assert any(r["user_id"] not in joined for r in sales)                    # never joined
    first_contact = {}
    for r in sales:
        if r["event"] == "contact":
            first_contact.setdefault(r["user_id"], _ts(r["occurred_at"]))
    assert any(r["user_id"] not in first_contact for r in pays)             # paid without contact
    assert len({r["rep"] for r in sales if r["rep"]}) == 6


def test_funnel_is_realistic(sample):
    sales = sample["sales"][1]
    payers = {r["user_id"] for r in sales if r["event"] == "payment"}
    contacted = {r["user_id"] for r in sales if r["event"] == "contact"}
    revenue = sum(float(r["amount"]) for r in sales if r["event"] == "payment")
    revenue -= sum(float(r["amount"]) for r in sales if r["event"] == "refund")
    assert 200 <= len(payers) <= 1_000
    assert 0.15 <= len(payers & contacted) / len(contacted) <= 0.4
    assert 100_000 <= revenue <= 1_000_000
    # wechat converts better than weibo
    channel = {r["article_id"]: r["channel"] for r in sample["articles"][1]}
    users = defaultdict(set)
    for r in sample["joins"][1]:
        if r["article_id"] in channel:
            users[channel[r["article_id"]]].add(r["user_id"])
    rate = {c: len(users[c] & payers) / len(users[c]) for c in ("wechat", "weibo")}
    assert rate["wechat"] > 1.5 * rate["weibo"]
    # something happened in the last week
    assert any(_ts(r["occurred_at"]) >= datetime(2026, 10, 25) for r in sales)


def test_english_variant(tmp_path):
    paths = generate(tmp_path, n_articles=40, n_joins=2_000, chinese=False)
    for name in paths:
        text = paths[name].read_text(encoding="utf-8")
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in text), name


def test_world_small_scale_exact_counts(tmp_path):
    paths = generate_world(tmp_path, n_articles=1_000, n_joins=50_000, n_sales=80_000)
    counts = {}
    for name, p in paths.items():
        header, rows = _rows(p)
        assert header == HEADERS[name]
        counts[name] = len(rows)
        if name == "sales":
            assert {r["event"] for r in rows} == {"contact", "payment", "refund"}
            assert max(_ts(r["occurred_at"]) for r in rows) < END
    assert counts == {"articles": 1_000, "joins": 50_000, "sales": 80_000}


def test_world_with_few_sales_still_exact(tmp_path):
    paths = generate_world(tmp_path, n_articles=100, n_joins=10_000, n_sales=2_500)
    assert len(_rows(paths["sales"])[1]) == 2_500
    with pytest.raises(ValueError):
        generate_world(tmp_path / "x", n_articles=100, n_joins=10_000, n_sales=10)
