"""Store operations in any order, from several processes (issue 10).

A randomized sequence of what the Data page and the CLI do to the store -- upload
(one Load click, several files), undo, clear, reset to the sample, remove the
sample, ``python -m contentroi load`` -- is checked against a simple model of what
the store should hold: a stack of versions, the last ``Workspace.KEEP`` kept. After
every step a reader in ANOTHER process (tests/store_reader.py, reading the way an
app process does) must see exactly the model's top version, and so must this
process's own cached reader.
"""
from __future__ import annotations

import io
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from contentroi import cli, st_app
from contentroi.store import Workspace, base_of

ROOT = Path(__file__).resolve().parent.parent

# A tiny "sample" (the reset target), disjoint from the uploads' rows.
SAMPLE_ARTICLES = [(f"S{i}", "2026-01-0{}".format(i)) for i in range(1, 4)]
SAMPLE_JOINS = [(f"su{i}", f"2026-01-0{i} 10:00:00", f"S{i}") for i in range(1, 4)]
# The pool uploads draw from.
POOL_ARTICLES = [(f"P{i:02d}", f"2026-02-{1 + i % 27:02d}") for i in range(30)]
POOL_JOINS = [(f"u{i:02d}", f"2026-02-{1 + i % 27:02d} 12:00:00", f"P{i % 35:02d}") for i in range(40)]


class Upload(io.BytesIO):
    def __init__(self, name: str, data: bytes):
        super().__init__(data)
        self.name = name


def articles_csv(rows) -> bytes:
    return ("article_id,title,channel,published_at\n"
            + "".join(f"{a},t {a},wechat,{d}\n" for a, d in rows)).encode()


def joins_csv(rows) -> bytes:
    return ("user_id,joined_at,article_id\n" + "".join(f"{u},{t},{a}\n" for u, t, a in rows)).encode()


class Model:
    """The versions the store should hold: (article ids, join keys), newest last."""

    def __init__(self, top):
        self.stack = [top]

    @property
    def top(self):
        return self.stack[-1]

    def push(self, version) -> None:
        self.stack = (self.stack + [version])[-Workspace.KEEP:]

    def undo(self) -> bool:
        if len(self.stack) < 2:
            return False
        self.stack.pop()
        return True

    def expected(self) -> dict:
        arts, joins = self.top
        facts = {(u, a) for u, _, a in joins if a in arts}
        return {"articles": sorted(arts), "joins": len(joins), "facts": len(facts)}


SAMPLE = (frozenset(a for a, _ in SAMPLE_ARTICLES), frozenset(SAMPLE_JOINS))
EMPTY = (frozenset(), frozenset())


@pytest.fixture
def world(tmp_path, monkeypatch):
    sample_dir = tmp_path / "sample"
    sample_dir.mkdir()
    (sample_dir / "articles.csv").write_bytes(articles_csv(SAMPLE_ARTICLES))
    (sample_dir / "joins.csv").write_bytes(joins_csv(SAMPLE_JOINS))
    monkeypatch.setattr(st_app.data, "SAMPLE_DIR", sample_dir)
    db = tmp_path / "store" / "contentroi.duckdb"
    monkeypatch.setenv("CONTENTROI_DB", str(db))
    st_app.read_view()  # creates the store with the (tiny) sample, as the app's first visit does
    reader = subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "store_reader.py")], cwd=ROOT, text=True,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        env=dict(os.environ, CONTENTROI_DB=str(db)))
    yield db, reader
    reader.stdin.close()
    reader.wait(30)


def seen_by_reader(reader) -> dict:
    reader.stdin.write("check\n")
    reader.stdin.flush()
    return json.loads(reader.stdout.readline())


def seen_here() -> dict:
    v = st_app.read_view()
    cur = v.store.cursor()
    return {"articles": sorted(r[0] for r in cur.execute("SELECT article_id FROM articles").fetchall()),
            "joins": cur.execute("SELECT count(*) FROM joins").fetchone()[0],
            "facts": cur.execute("SELECT count(*) FROM fct_user_article").fetchone()[0]}


def step(rng: random.Random, model: Model, db: Path, tmp: Path) -> str:
    arts, joins = model.top
    mix = st_app.data_mix()
    ops = ["upload", "upload", "undo", "undo", "clear", "reset", "load", "load"]
    if mix == "mixed":
        ops.append("unsample")
    op = rng.choice(ops)
    if op == "upload":  # one Load click on the Data page (maybe several files, maybe a refused one)
        items, new_a, new_j = [], set(), set()
        for _ in range(rng.randint(1, 2)):
            if rng.random() < 0.15:
                items.append((Upload("empty.csv", b""), None))
                continue
            a = rng.sample(POOL_ARTICLES, rng.randint(1, 5))
            items.append((Upload("a.csv", articles_csv(a)), "articles"))
            new_a |= {x for x, _ in a}
        replace = mix == "sample" and rng.random() < 0.5
        results = st_app.load_uploads([(f, None, False) for f, _ in items], "articles",
                                      lambda *a: None, replace_sample=replace)
        assert [r.status for r in results] == ["refused" if k is None else "loaded" for _, k in items]
        if new_a:
            base_a, base_j = arts, joins
            if replace:
                base_a, base_j = base_a - SAMPLE[0], base_j - SAMPLE[1]
            model.push((base_a | new_a, base_j))
        op += f"({len(items)} files{', replace' if replace else ''})"
    elif op == "undo":
        assert st_app.can_undo() == (len(model.stack) > 1)
        assert st_app.undo_last() == model.undo()
    elif op == "clear":
        st_app.clear_store()
        model.push(EMPTY)
    elif op == "reset":
        st_app.clear_store(reset_to_sample=True)
        model.push(SAMPLE)
    elif op == "unsample":
        st_app.remove_sample()
        model.push((arts - SAMPLE[0], joins - SAMPLE[1]))
    elif op == "load":  # python -m contentroi load, in this process (as cron would, elsewhere)
        j = rng.sample(POOL_JOINS, rng.randint(1, 6))
        a = rng.sample(POOL_ARTICLES, rng.randint(0, 3))
        args = ["load", "--db", str(db), "--joins", str(write(tmp, "j.csv", joins_csv(j)))]
        if a:
            args += ["--articles", str(write(tmp, "a.csv", articles_csv(a)))]
        if rng.random() < 0.15:  # a missing file: nothing is loaded at all
            args += ["--sales", str(tmp / "missing.csv")]
            assert cli.main(args) == 2
        else:
            assert cli.main(args) == 0
            model.push((arts | {x for x, _ in a}, joins | set(j)))
    return op


def write(tmp: Path, name: str, data: bytes) -> Path:
    p = tmp / name
    p.write_bytes(data)
    return p


# Two walks of 50 steps (each step refreshes the models: about a second of the suite).
# Seeds 1 and 6 together reach everything that seeds 1-4 at 50 steps each did, counted
# as: every operation from every kind of store (empty, sample, mixed, own), a stack of
# every depth 1..KEEP, an eviction past KEEP by every operation that publishes, undo
# with nothing to undo, an upload of one and of two files, partly and wholly refused,
# "replace the sample", and a CLI load refused for a missing file.
STEPS = 50
SEEDS = [1, 6]


@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS)
def test_random_store_operations_match_the_model(world, seed, tmp_path, capsys):
    db, reader = world
    rng = random.Random(seed)
    model = Model(SAMPLE)  # the first visit creates the store with the sample, in one snapshot
    ws = Workspace(db)
    names_seen = {p.name for p in ws.snapshots()}
    trail = []
    for i in range(STEPS):
        depth = len(model.stack)
        before = ws.current()
        op = step(rng, model, db, tmp_path)
        trail.append(op)
        expected = model.expected()
        got = seen_by_reader(reader)
        assert "error" not in got, (trail, got)
        assert {k: got[k] for k in expected} == expected, (seed, i, trail)
        assert not got["fallback"] and got["snapshot"] == ws.current().name
        assert seen_here() == expected, (seed, i, trail)
        cur = ws.current()
        if cur != before and not op.startswith("undo"):  # published: a name never used before
            assert cur.name not in names_seen, (seed, i, trail)
        names_seen |= {p.name for p in ws.snapshots()}
        # the last KEEP snapshots, and the base the oldest of them reads if it is a delta
        kept = ws.snapshots()
        assert len(kept) <= Workspace.KEEP + 1 and depth >= 1
        assert all(base_of(p) is None or base_of(p) in kept for p in kept), kept
        if len(kept) > Workspace.KEEP:
            assert kept[0] == base_of(kept[1]), kept
    capsys.readouterr()
    kinds = {op.split("(")[0] for op in trail}
    assert {"upload", "undo", "clear", "reset", "load"} <= kinds  # the sequence exercised them all
