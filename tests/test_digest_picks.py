"""The digest's article lists are picked in SQL (queries/digest_articles.sql ranks every
article of the period and returns only the listed ones). Checked here against the
picking the digest did in Python before, on every article of the period (the query with
``new_rows`` NULL): the four top / bottom lists, the first new articles, the count of new
articles and whether any article can be ranked by rate; on the sample and a generated
world, days and weeks, filters, and thresholds that leave nothing, little or everything
to rank."""
from __future__ import annotations

import datetime as dt
import importlib
from functools import partial

import pytest

from contentroi import digest, engine
from contentroi.digest.build import NEW_ROWS, TOP_N, Digest
from contentroi.engine import Params, records
from contentroi.store import Store


def python_picks(rows: list[dict], min_n: int, top_n: int) -> dict[str, list[str]]:
    """The digest's former picking (Digest.rankings / new_articles before the SQL did it),
    over every article of the period."""
    top_rev = sorted([a for a in rows if (a["revenue"] or 0) > 0],
                     key=lambda a: (-a["revenue"], -a["joins"], a["article_id"]))[:top_n]
    sized = [a for a in rows if a["joins"] >= min_n]
    shown = {a["article_id"] for a in top_rev}
    bottom_rev = sorted([a for a in sized if a["article_id"] not in shown],
                        key=lambda a: (a["revenue"] or 0, -a["joins"], a["article_id"]))[:top_n]
    top_rate = sorted(sized, key=lambda a: (-(a["overall_rate"] or 0), -(a["overall_lo"] or 0),
                                            a["article_id"]))[:top_n]
    shown = {a["article_id"] for a in top_rate}
    bottom_rate = sorted([a for a in sized if a["article_id"] not in shown],
                         key=lambda a: (a["overall_rate"] or 0, a["overall_hi"] or 0, a["article_id"]))[:top_n]
    # query order (revenue, joins, article_id), then a stable sort by publication
    new = sorted(sorted([a for a in rows if a["is_new"]], key=lambda a: a["article_id"]),
                 key=lambda a: (-(a["revenue"] or 0), -a["joins"], a["published_at"] or ""))
    ids = lambda xs: [a["article_id"] for a in xs]  # noqa: E731
    return {"top_revenue": ids(top_rev), "bottom_revenue": ids(bottom_rev), "top_rate": ids(top_rate),
            "bottom_rate": ids(bottom_rate), "new": ids(new), "sized": bool(sized)}


def check(store: Store, p: Params, period: digest.Period, min_n: int, new_rows: int = NEW_ROWS,
          top_n: int = TOP_N) -> int:
    """``top_n`` beyond the period's articles: the top lists are whole orders (every tie-break)."""
    every = records(engine.query(store, "digest_articles", p, **period.bind(), min_n=min_n, top_n=top_n,
                                 new_rows=None))
    exp = python_picks(every, min_n, top_n)
    picked = records(engine.query(store, "digest_articles", p, **period.bind(), min_n=min_n, top_n=top_n,
                                  new_rows=new_rows))
    d = Digest(period=period, params=p, first_at=None, last_at=None, total={}, channels=[],
                   articles=picked, pipeline=[], min_n=min_n)
    got = {k: [a["article_id"] for a in sorted((a for a in picked if a[f"rk_{k}"] is not None),
                                                key=lambda a: a[f"rk_{k}"])][:top_n]
           for k in ("top_revenue", "bottom_revenue", "top_rate", "bottom_rate")}
    if top_n == TOP_N:  # what the digest shows
        assert got == {k: [a["article_id"] for a in v] for k, v in d.rankings().items()}
    got.update(new=[a["article_id"] for a in d.new_articles], sized=d.any_sized)
    assert got == {**exp, "new": exp["new"][:new_rows]}, (p, period, min_n)
    assert d.n_new == len(exp["new"])
    # the listed rows are the full rows of those articles, and nothing else is returned
    by_id = {a["article_id"]: a for a in every}
    listed = {i for k in ("top_revenue", "bottom_revenue", "top_rate", "bottom_rate", "new") for i in got[k]}
    assert {a["article_id"] for a in picked} == listed
    assert all(a == by_id[a["article_id"]] for a in picked)
    return len(every)


def periods(store: Store, p: Params) -> list[digest.Period]:
    end = digest.default_date(partial(engine.query, store), p, "week")
    return [digest.Period("week", end), digest.Period("day", end),
            digest.Period("week", end - dt.timedelta(days=21)), digest.Period("day", end - dt.timedelta(days=3))]


def filters() -> list[Params]:
    return [Params(), Params(window_days=7, model="first_touch"), Params(channels=("wechat", "zhihu")),
            Params(window_days=60, model="markov", channels=("weibo",))]


def test_sample_picks_match_the_python_picking(sample_store):
    sizes = []
    for p in filters():
        for period in periods(sample_store, p):
            for min_n in (0, 5, 30, 10**6):
                sizes.append(check(sample_store, p, period, min_n))
            check(sample_store, p, period, 0, top_n=10**6)
    assert max(sizes) > 2 * TOP_N  # lists that leave articles out are exercised
    # a page that lists fewer new articles than the period has
    p, period = Params(), periods(sample_store, Params())[0]
    assert check(sample_store, p, period, 30, new_rows=1) > 1


@pytest.mark.slow
def test_generated_world_picks_match_the_python_picking(tmp_path):
    from tests.worlds import generated_store

    store = generated_store(tmp_path / "w", n_articles=400, n_joins=12000, seed=29)
    sizes = [check(store, p, period, min_n) for p in filters()[:2] for period in periods(store, p)
             for min_n in (0, 30)]
    assert max(sizes) > NEW_ROWS  # more new articles than a digest keeps




def test_a_hand_checked_week_of_ties():
    """Every tie-break, on a week built so that each one disagrees with the article_id
    order (min_n 2, top_n 2; every payment 100 on the join's day):
        joins paid  revenue  published (new: in 03-09 .. 03-15)
      A   1    1    100      02-01       rate 1.0 but not sized (1 join)
      B   2    2    200      03-10 new   rate 1.0
      C   2    1    100      03-10 new   rate 0.5, Wilson lo 0.09
      D   4    2    200      03-11 new   rate 0.5, lo 0.15
      E   2    0      0      03-12 new   rate 0, hi 0.66
      F   3    0      0      02-01       rate 0, hi 0.56
      G   2    0      0      03-09 new   rate 0, hi 0.66"""
    from tests.worlds import make_store

    plan = {"A": (1, 1, "02-01"), "B": (2, 2, "03-10"), "C": (2, 1, "03-10"), "D": (4, 2, "03-11"),
            "E": (2, 0, "03-12"), "F": (3, 0, "02-01"), "G": (2, 0, "03-09")}
    arts, joins, sales = [], [], []
    for art, (n, paid, day) in plan.items():
        arts.append((art, art.lower(), "wechat", f"2026-{day} 08:00", None, 10, 1))
        for i in range(n):
            user = f"{art}{i}"
            joins.append((user, "2026-03-12 12:00", art, "g"))
            if i < paid:
                sales.append((user, "contact", "2026-03-12 13:00", "R", None, None))
                sales.append((user, "payment", "2026-03-12 15:00", "R", 100, f"O-{user}"))
    store = make_store(arts, joins, sales)
    period = digest.Period("week", dt.date(2026, 3, 15))

    def ranks(new_rows):
        rows = records(engine.query(store, "digest_articles", Params(), **period.bind(), min_n=2, top_n=2,
                                    new_rows=new_rows))
        keys = ("rk_top_revenue", "rk_bottom_revenue", "rk_top_rate", "rk_bottom_rate", "rk_new")
        return {a["article_id"]: tuple(a[k] for k in keys) for a in rows}, rows

    every, _ = ranks(None)
    assert every == {
        # revenue: D, B (200; D more joins), C, A (100; C more joins)
        # bottom revenue, sized without D, B: F (0, 3 joins), E, G (0, 2 joins: by id), C
        # rate, sized: B (1.0), D, C (0.5: D's interval higher), E, F, G (0: lo 0, by id)
        # bottom rate, sized without B, D: F (0, the lowest upper bound), E, G (by id), C
        # new, by revenue, joins, publication: D, B, C, G (03-09), E (03-12)
        "A": (4, None, None, None, None),
        "B": (2, None, 1, None, 2),
        "C": (3, 4, 3, 4, 3),
        "D": (1, None, 2, None, 1),
        "E": (None, 2, 4, 2, 5),
        "F": (None, 1, 5, 1, None),
        "G": (None, 3, 6, 3, 4),
    }
    listed, rows = ranks(2)
    assert sorted(listed) == ["B", "D", "E", "F"]  # within 2 of some list; A, C, G left in DuckDB
    assert {(a["n_new"], a["any_sized"]) for a in rows} == {(5, True)}


@pytest.mark.parametrize("lang, n, more", [("en", "12,345", "12,344"), ("zh", "1.23万", "1.23万")])
def test_the_count_of_new_articles_reads_as_a_number(lang, n, more):
    """A week of the 10x world has 6,601 new articles: the heading and the "more" line
    read 6,601 (1.23万 in Chinese above 10,000), not 6601, in Markdown and HTML alike."""
    from contentroi import i18n

    row = {"article_id": "A1", "title": "t", "channel": "wechat", "published_at": "2026-03-10T09:00:00",
           "reads": 1, "joins": 1, "join_rate": 1.0, "contacted": 0, "paid": 0, "revenue": 0.0, "cost": 0.0,
           "rk_new": 1, "n_new": 12345, "any_sized": False}
    period = digest.Period("week", dt.date(2026, 3, 15))
    d = Digest(period=period, params=Params(), first_at=None, last_at=None, total={}, channels=[],
               articles=[row], pipeline=[])
    assert digest.heading(d, "new", lang) == i18n.t("dg_h_new", lang, n=n)
    table, left = digest.new_articles_table(d, lang, 1)
    assert left == 12344 and len(table.rows) == 1
    render = importlib.import_module("contentroi.digest.render")  # (the package exports a function of that name)
    md = "\n".join(render._md_new(d, lang))
    assert i18n.t("dg_more", lang, n=more) in md
    html = "\n".join(render._html_new(d, lang, {}))
    assert i18n.t("dg_more", lang, n=more) in html
