"""A missing or damaged published snapshot (issue 10): every page falls back to the
newest readable snapshot and says so, the Data page stays usable (undo, upload), and
the CLI says it in one line with exit status 2 -- never a traceback."""
from __future__ import annotations

import gc
import io
import os
import shutil
import subprocess
import sys
import weakref
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from contentroi import ingest, st_app
from contentroi.store import Store, Workspace

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")


def add_articles(ws: Workspace, *ids: str) -> Path:
    data = "article_id,title,channel,published_at\n" + "".join(f"{i},t,wechat,2026-03-01\n" for i in ids)
    with ws.writer() as s:
        ingest.load_file(s, data.encode(), "articles", file_name="x.csv")
    return ws.current()


@pytest.fixture(scope="module")
def three_template(sample_db, tmp_path_factory):
    """sample -> + X1 -> + Y1: three published snapshots, built once (two loads)."""
    d = tmp_path_factory.mktemp("three") / "store"
    d.mkdir()
    db = d / "store.duckdb"
    shutil.copy(sample_db, db)
    ws = Workspace(db)
    ws.reader().close()  # published, as the app would
    first = ws.current()
    return db, [first, add_articles(ws, "X1"), add_articles(ws, "Y1")]


@pytest.fixture
def three(three_template, tmp_path):
    """A private copy of the three snapshots (the store's folder: the published link is
    relative); returns (db, snapshots)."""
    db, snaps = three_template
    d = tmp_path / "store"
    shutil.copytree(db.parent, d, symlinks=True)
    copy = d / db.name
    assert Workspace(copy).current() == (d / snaps[2].relative_to(db.parent)).resolve()
    return copy, [d / p.relative_to(db.parent) for p in snaps]


def n_articles(db) -> int:
    with Workspace(db).reader() as s:
        return s.cursor().execute("SELECT count(*) FROM articles").fetchone()[0]


def cli(*args, env=None):
    return subprocess.run([sys.executable, "-m", "contentroi", *args], cwd=ROOT, capture_output=True,
                          text=True, env=dict(os.environ, **(env or {})))


def damage(path: Path, how: str) -> None:
    if how == "missing":
        path.unlink()
    elif how == "garbage":
        path.write_bytes(os.urandom(300_000))
    else:  # truncated
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 3])


def warning_text(at) -> str:
    return " ".join(w.value for w in at.warning)


@pytest.mark.parametrize("how", ["missing", "garbage", "truncated"])
def test_every_page_falls_back_and_says_so(three, how, monkeypatch):
    db, snaps = three
    damage(snaps[2], how)
    monkeypatch.setenv("CONTENTROI_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert "could not be read" in warning_text(at) and snaps[2].name in warning_text(at)
    assert snaps[1].name in warning_text(at)
    for page in ("articles", "channels", "attribution", "sales", "digest", "data"):
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, page
        assert "could not be read" in warning_text(at), page
    # the Data page shows what the fallback holds (the sample + X1) and can undo from it
    counts = {m.label: m.value for m in at.metric}
    assert counts["Article rows"] == "201"
    at.button(key="undo_yes").click().run()
    assert not at.exception
    assert "could not be read" not in warning_text(at)
    assert n_articles(db) == 200
    # the damaged file is gone with the undo: it can never be published again
    assert not snaps[2].exists()


def test_chinese_notice(three, monkeypatch):
    db, snaps = three
    damage(snaps[2], "missing")
    monkeypatch.setenv("CONTENTROI_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = "zh"
    at.run()
    assert "无法读取当前发布的数据" in warning_text(at) and "文件不存在" in warning_text(at)


def test_a_change_continues_from_the_fallback(three, monkeypatch):
    db, snaps = three
    damage(snaps[2], "garbage")
    monkeypatch.setenv("CONTENTROI_DB", str(db))
    with Workspace(db).writer() as s:  # what an upload does
        ingest.load_file(s, b"article_id,title,channel,published_at\nZ1,t,wechat,2026-03-01\n",
                         "articles", file_name="z.csv")
    with Workspace(db).reader() as s:
        ids = {r[0] for r in s.cursor().execute("SELECT article_id FROM articles").fetchall()}
    assert {"X1", "Z1"} <= ids and "Y1" not in ids and len(ids) == 202
    assert Workspace(db).current().name not in {p.name for p in snaps}  # a new name


def test_nothing_readable_still_lets_you_reset(three, monkeypatch):
    db, snaps = three
    for p in snaps:
        damage(p, "garbage")
    monkeypatch.setenv("CONTENTROI_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("pages/data.py").run()
    assert not at.exception
    assert any("No snapshot of the data can be read" in e.value for e in at.error)
    at.button(key="reset_yes").click().run()
    assert not at.exception
    assert n_articles(db) == 200
    assert not any("No snapshot" in e.value for e in at.error)


@pytest.mark.parametrize("how", ["missing", "garbage"])
def test_cli_says_it_in_one_line(three, how):
    db, snaps = three
    damage(snaps[2], how)
    for args in (["report", "--db", str(db)], ["digest", "--db", str(db)]):
        r = cli(*args)
        assert r.returncode == 2, r.stderr
        assert r.stdout == "" and len(r.stderr.strip().splitlines()) == 1, r.stderr
        assert "Traceback" not in r.stderr and "load files first" not in r.stderr
        assert snaps[2].name in r.stderr and str(snaps[1]) in r.stderr
    # the default store (CONTENTROI_DB) is the same
    r = cli("report", env={"CONTENTROI_DB": str(db)})
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and snaps[2].name in r.stderr
    # load still works: it continues from the newest readable snapshot, and says so
    f = db.parent / "more.csv"
    f.write_text("article_id,title,channel,published_at\nW1,t,wechat,2026-03-01\n")
    r = cli("load", "--db", str(db), "--articles", str(f))
    assert r.returncode == 0, r.stderr
    assert "warning:" in r.stderr and snaps[2].name in r.stderr
    assert "W1.csv" not in r.stdout and "loaded" in r.stdout
    assert cli("report", "--db", str(db)).returncode == 0
    assert n_articles(db) == 202


def test_cli_nothing_readable(three):
    db, snaps = three
    for p in snaps:
        damage(p, "missing")
    r = cli("report", "--db", str(db))
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1
    assert "cannot be read" in r.stderr and "Traceback" not in r.stderr


def test_reader_cache_follows_the_file_and_lets_retired_readers_go(sample_db_copy, monkeypatch):
    monkeypatch.setenv("CONTENTROI_DB", str(sample_db_copy))
    ws = st_app.workspace()
    v1 = st_app.read_view()
    assert st_app.read_view() is v1  # cached while the published file is the same
    old = weakref.ref(v1.store)
    del v1
    add_articles(ws, "R1")
    v2 = st_app.read_view()
    assert v2.store.cursor().execute("SELECT count(*) FROM articles").fetchone()[0] == 201
    gc.collect()
    assert old() is None  # the retired snapshot's reader was released (its connection closed)
    # a file replaced under the same name (by hand) is a new key: never the old reader
    key_before = st_app._READERS[str(ws.path)][0]
    cur = ws.current()
    del v2
    st_app._READERS.pop(str(ws.path))
    gc.collect()
    tmp = cur.with_name("replacement.tmp")
    with Store(tmp) as s:  # an empty store of the same schema
        pass
    os.replace(tmp, cur)
    v3 = st_app.read_view()
    assert st_app._READERS[str(ws.path)][0] != key_before
    assert v3.store.cursor().execute("SELECT count(*) FROM articles").fetchone()[0] == 0


@pytest.mark.parametrize("which", ["delta", "base"])
def test_a_file_missing_its_last_block_is_not_taken_for_readable(three, which):
    """Reading the logs does not reach every block (a delta's logs and its base's can lie
    before the cut), so the probe also checks each file's length against its blocks: the
    last block of the published delta, or of the base it reads, cut off. (The base's last
    block can hold what opening a store reads, depending on what the models wrote: DuckDB
    then refuses the file itself.)"""
    db, snaps = three
    ws = Workspace(db)
    assert ws.probe(snaps[2])[1] == "ok" and "+" in snaps[2].name
    path = snaps[2] if which == "delta" else snaps[0]
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 4096])
    store, why = ws.probe(snaps[2])
    by_duckdb = which == "base" and "Could not read enough bytes" in why
    assert store is None and (why.startswith("truncated: " + path.name) or by_duckdb), why


# -- the probe's verdict: the logs' blocks are read once per version of the files --------
def _no_scans(monkeypatch):
    """Make the probe's reads of the logs fail loudly, to see whether it makes them."""
    from contentroi import store as store_mod
    monkeypatch.setattr(store_mod, "_COUNT_SQL", {t: "SELECT error('scanned')" for t in store_mod.LOGS})


def test_a_published_snapshot_is_not_read_through_again(three, monkeypatch):
    """A writer publishes a snapshot with its verdict: the next probe (another process:
    the next upload, a page server, ``report``) skips reading the logs' blocks. Without
    the verdict it reads them, and writes the verdict once they read."""
    db, _ = three
    ws = Workspace(db)
    new = add_articles(ws, "Z1")
    assert "+" in new.name  # a delta: its verdict also covers its base
    _no_scans(monkeypatch)
    store, why = Workspace.probe(new)
    assert why == "ok"
    store.close()
    new.with_name(new.name + ".ok").unlink()
    store, why = Workspace.probe(new)
    assert store is None and "scanned" in why
    monkeypatch.undo()
    store, why = Workspace.probe(new)
    assert why == "ok" and new.with_name(new.name + ".ok").exists()
    store.close()


@pytest.mark.parametrize("which", ["delta", "base"])
def test_a_verdict_does_not_outlive_a_change_to_either_file(three, monkeypatch, which):
    db, snaps = three
    ws = Workspace(db)
    new = add_articles(ws, "Z1")
    path = new if which == "delta" else snaps[0]
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    _no_scans(monkeypatch)
    store, why = Workspace.probe(new)
    assert store is None and "scanned" in why


def test_verdicts_go_with_their_snapshots(three):
    """Undo deletes the undone snapshot's verdict, pruning the pruned ones'; a plain
    store file named by --db never gets one."""
    db, _ = three
    ws = Workspace(db)
    for i in range(7):
        add_articles(ws, f"V{i}")
    assert ws.undo()

    def orphans():
        return sorted(p.name for p in ws.snap_dir.glob("*.ok")
                      if not p.with_name(p.name[:-3]).exists())

    assert orphans() == []
    assert len(list(ws.snap_dir.glob("*.ok"))) >= 2
    # a reader's verdict of a snapshot a writer deleted meanwhile goes with the next prune
    (ws.snap_dir / "000000.duckdb.ok").write_text("x")
    assert orphans() == ["000000.duckdb.ok"]
    add_articles(ws, "V9")
    assert orphans() == []
    plain = db.parent / "plain.duckdb"
    with Store(plain):
        pass
    store, why = Workspace.probe(plain)
    assert why == "ok"
    store.close()
    assert not plain.with_name("plain.duckdb.ok").exists()
