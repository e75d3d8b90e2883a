"""`report` output written by DuckDB equals the reference Python rendering.

The reference below is the renderer `report` used before its output moved into
DuckDB (issue 12): pandas frames -> records -> ``json.dumps`` / ``csv``. It is
kept here as an independent implementation, and the new output must equal it
byte for byte (JSON: same keys in the same order, money to the cent, rates to 4
places, nulls), on the sample, a generated world, and a hand-made world of
hostile text (quotes, new lines, control characters, formula-like cells,
Chinese, nulls). CSV cells are formula-safe (fmt.neutralise_formula).
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from contentroi import cli, engine, fmt, ingest, sample
from contentroi.engine import Params
from contentroi.store import Store
from tests.worlds import BASIC_JOINS, BASIC_SALES, make_store

ROOT = Path(__file__).resolve().parent.parent


# ---- the reference: the renderer before issue 12 -----------------------------------------

def legacy_obj(store, params: Params) -> dict:
    rep = engine.report(store, params)
    return {
        "params": params.as_dict(),
        "totals": {k: rep.totals.get(k) for k in engine.TOTAL_FIELDS},
        "channels": [{"channel": r["channel"], **{k: r.get(k) for k in engine.TOTAL_FIELDS}}
                     for r in engine.records(rep.channels)],
        "articles": [{k: r.get(k) for k in engine.ARTICLE_FIELDS} for r in engine.records(rep.articles)],
        "ingest": {},
    }


def legacy_json(obj: dict) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2) + "\n"


def legacy_csv(obj: dict) -> str:
    fields = ("level", "channel", "article_id", "title", "author", "published_at") + tuple(
        f for f in engine.ARTICLE_FIELDS
        if f not in ("article_id", "title", "channel", "author", "published_at")
    ) + ("unattributed_revenue",)
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    safe = lambda r: {k: fmt.neutralise_formula(v) for k, v in r.items()}  # noqa: E731
    w.writerow(safe({"level": "total", **obj["totals"]}))
    for r in obj["channels"]:
        w.writerow(safe({"level": "channel", **r}))
    for r in obj["articles"]:
        w.writerow(safe({"level": "article", **r}))
    return buf.getvalue()


def new_text(store, params: Params, form: str) -> str:
    with store.cursor() as cur:
        return cli.render_report(cur, params, form, {})


def _pairs(text: str):
    """Parsed JSON with key order kept (objects as lists of pairs)."""
    return json.loads(text, object_pairs_hook=list)


PARAMS = [
    Params(),
    Params(model="linear", window_days=14),
    Params(model="time_decay", window_days=7),
    Params(model="position"),
    Params(model="last_touch", window_days=60),
]


# ---- worlds -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def world_store(tmp_path_factory):
    """A generated world (a few hundred articles) loaded through the upload's ingestion."""
    tmp = tmp_path_factory.mktemp("world")
    files = sample.generate_world(tmp / "csv", n_articles=300, n_joins=20_000, n_sales=20_000, seed=3)
    store = Store(tmp / "w.duckdb")
    for log in ("articles", "joins", "sales"):
        assert ingest.load_file(store, files[log], log, source_kind="cli").status == "loaded"
    yield store
    store.close()


HOSTILE = [
    ("A1", '=HYPERLINK("http://x","click")', "wechat", "2026-01-01 08:00", "Li, \"the\" editor", 1000, 100),
    ("A2", "two\nlines\r\nand\ttab", "+cmd|' /C calc'!A0", "2026-01-05 08:00", "@SUM(1,2)", 5, 0),
    ("A3", "控制\x01字符\x1f和\x0b", "知乎", "2026-02-01 08:00", None, 7, None),
    ("A4", "-2+3", "wechat", "2026-01-01 08:00:00.250000", "", 3, 12.5),
    ("A5", "back\\slash \\u000B \"q\" |pipe|", "zhihu", "2026-01-02 08:00", "王", 0, 3),
]


@pytest.fixture(scope="module")
def hostile_store():
    joins = [j for j in BASIC_JOINS] + [("u1", "2026-01-05 09:00", "A4", "g1"),
                                        ("u2", "2026-01-02 09:00", "A5", "g1")]
    s = make_store(HOSTILE, joins, BASIC_SALES)
    yield s
    s.close()


# ---- the comparisons --------------------------------------------------------------------

@pytest.mark.parametrize("params", PARAMS, ids=lambda p: f"{p.model}-{p.window_days}")
def test_json_and_csv_identical_on_the_sample(sample_store, params):
    obj = legacy_obj(sample_store, params)
    assert new_text(sample_store, params, "json") == legacy_json(obj)
    assert new_text(sample_store, params, "csv") == legacy_csv(obj)


def test_json_and_csv_identical_on_a_generated_world(world_store):
    chans = sorted(r[0] for r in world_store.cursor().execute("SELECT DISTINCT channel FROM articles").fetchall())
    for params in PARAMS + [Params(channels=tuple(chans[:2]), window_days=10, model="linear"),
                            Params(date_from=engine.dt.date(2026, 6, 1), date_to=engine.dt.date(2026, 7, 15))]:
        obj = legacy_obj(world_store, params)
        assert len(obj["articles"]) > 10
        assert new_text(world_store, params, "json") == legacy_json(obj), params
        assert new_text(world_store, params, "csv") == legacy_csv(obj), params


def test_hostile_text_round_trips(hostile_store):
    for params in (Params(), Params(channels=("知乎",), model="linear")):
        obj = legacy_obj(hostile_store, params)
        new = new_text(hostile_store, params, "json")
        # the legacy renderer printed an integer column holding a null as floats (1000.0);
        # the values and the key order are the same.
        assert _pairs(new) == _pairs(legacy_json(obj))
        for row in json.loads(new)["articles"]:
            assert row["reads"] is None or type(row["reads"]) is int
        got = new_text(hostile_store, params, "csv")
        want = legacy_csv(obj)
        ints = {"reads", "joins", "contacted", "paid", "paid_without_contact"}
        want_rows = list(csv.reader(io.StringIO(want)))
        assert list(csv.reader(io.StringIO(got))) == [want_rows[0]] + [
            [c.removesuffix(".0") if h in ints else c for h, c in zip(want_rows[0], row)]
            for row in want_rows[1:]]
    text = new_text(hostile_store, Params(), "csv")
    for row in csv.DictReader(io.StringIO(text)):
        for v in row.values():
            assert not v or v[0] not in "=+-@\t\r" or v.lstrip("-").replace(".", "").isdigit(), v
    obj = json.loads(new_text(hostile_store, Params(), "json"))
    titles = {a["article_id"]: a["title"] for a in obj["articles"]}
    assert titles["A3"] == "控制\x01字符\x1f和\x0b"
    assert titles["A5"] == "back\\slash \\u000B \"q\" |pipe|"


def test_an_empty_selection(sample_store):
    p = Params(channels=("no-such-channel",))
    obj = legacy_obj(sample_store, p)
    assert obj["articles"] == [] and obj["channels"] == []
    assert new_text(sample_store, p, "json") == legacy_json(obj)
    assert new_text(sample_store, p, "csv") == legacy_csv(obj)


def test_the_command_writes_the_same_file(sample_db, tmp_path, capsys):
    out = tmp_path / "r.json"
    assert cli.main(["report", "--db", str(sample_db), "--model", "linear", "--out", str(out)]) == 0
    with Store(sample_db, read_only=True) as s:
        want = legacy_json(legacy_obj(s, Params(model="linear")))
    assert out.read_text(encoding="utf-8") == want
    assert cli.main(["report", "--db", str(sample_db), "--format", "csv"]) == 0
    with Store(sample_db, read_only=True) as s:
        assert capsys.readouterr().out == legacy_csv(legacy_obj(s, Params()))


# ---- one route into the store -------------------------------------------------------------

@pytest.mark.parametrize("command", ["report", "digest"])
def test_report_and_digest_rebuild_models_an_older_release_built(command, tmp_path, capsys):
    """`report` and `digest` read a store by the pages' route (Workspace.open_read): the
    derived tables of a store whose models another release built (another models hash) are
    rebuilt before a number is read, so its figures are this release's; a store of this
    release is read where it is (not turned into snapshots)."""
    from tests.worlds import basic_store

    fresh, stale = tmp_path / "fresh.duckdb", tmp_path / "stale.duckdb"
    for path in (fresh, stale):
        basic_store(path).close()
    with Store(stale) as s, s.transaction() as cur:
        cur.execute("UPDATE meta SET value = 'older' WHERE key = 'models_hash'")
        derived = [r[0] for r in cur.execute(
            "SELECT table_name FROM duckdb_tables() WHERE regexp_matches(table_name, '^(stg|fct|agg)_')").fetchall()]
        assert "fct_article_funnel" in derived
        for t in derived:  # what the older release built differs from what this one builds
            cur.execute(f"DELETE FROM {t}")
    out = {}
    for path in (fresh, stale):
        assert cli.main([command, "--db", str(path)]) == 0
        out[path] = capsys.readouterr().out
    assert out[stale] == out[fresh] and '"joins": 0' not in out[fresh]
    assert not fresh.is_symlink() and stale.is_symlink()  # the stale one: refreshed in a published snapshot
