"""Delta snapshots (contentroi/overlay.py): an upload writes what it adds, and a delta
reads exactly like the standalone store it stands for.

tests/test_refresh.py checks the derived tables of random upload sequences through
deltas and compactions against full rebuilds; here: every figure of ``report`` and the
digest on a delta equals the same on its flattened copy, the files an upload leaves
behind, undo across a compaction, and the lists that must agree.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from contentroi import cli, ingest, overlay, refresh
from contentroi.store import Store, Workspace, base_of, snap_number

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample"


def _upload(n: int, start: int = 0) -> bytes:
    """``n`` join rows of new users on the sample's first articles, and a payment each
    for every third of them (a sales upload needs them as joins first)."""
    arts = [line.split(",")[0] for line in (SAMPLE / "articles.csv").read_text(encoding="utf-8").splitlines()[1:6]]
    lines = ["user_id,joined_at,article_id,group_id"]
    lines += [f"new{start + i},2026-06-{1 + i % 27:02d} 10:00:00,{arts[i % len(arts)]},g1" for i in range(n)]
    return ("\n".join(lines) + "\n").encode()


def _sales(n: int, start: int = 0) -> bytes:
    lines = ["user_id,event,occurred_at,rep,amount,order_id"]
    lines += [f"new{start + i},payment,2026-06-{2 + i % 26:02d} 12:00:00,R1,{100 + i},NO{start + i}"
              for i in range(0, n, 3)]
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def ws(sample_db_copy) -> Workspace:
    return Workspace(sample_db_copy)


def _load(ws: Workspace, log: str, data: bytes) -> None:
    results = ingest.publish_files(ws, [{"source": data, "log": log, "file_name": f"{log}.csv"}], "cli")
    assert [r.status for r in results] == ["loaded"], results[0].message


def _report(db: Path, capsys, *args: str) -> dict:
    capsys.readouterr()
    assert cli.main(["report", "--db", str(db), *args]) == 0
    return json.loads(capsys.readouterr().out)


def _flat_copy(ws: Workspace, tmp_path: Path) -> Path:
    """The published delta flattened into a standalone store (a plain file elsewhere)."""
    copy = ws.snap_dir / "flat-check.duckdb"  # beside its base, which it reads
    shutil.copyfile(ws.current(), copy)
    with Store(copy) as s, s.transaction() as cur:
        assert overlay.flatten(cur)
    out = tmp_path / "flat.duckdb"
    shutil.move(copy, out)
    return out


def test_the_overlaid_tables_are_the_user_keyed_models():
    assert set(overlay.BY_USER) == set(refresh.KEYED)
    assert set(overlay.APPEND) == {"joins", "sales"}


def test_an_upload_publishes_a_small_delta_that_reports_like_its_flat_copy(ws, tmp_path, capsys):
    base = ws.current()
    assert base_of(base) is None
    _load(ws, "joins", _upload(60))
    _load(ws, "sales", _sales(60))
    cur = ws.current()
    assert base_of(cur) == base, cur.name  # a delta on the published store: nothing copied
    with Store(cur, read_only=True) as s:
        c = s.cursor()
        assert c.execute("SELECT count(*) FROM ov.joins").fetchone()[0] == 60
        assert c.execute("SELECT count(*) FROM ov.sales").fetchone()[0] == 20
        assert c.execute("SELECT count(*) FROM joins WHERE user_id LIKE 'new%'").fetchone()[0] == 60
        counts = {t: c.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in overlay.APPEND}
        assert {t: overlay.row_count(c, t) for t in overlay.APPEND} == counts  # base + delta, apart
    flat = _flat_copy(ws, tmp_path)
    with Store(flat, read_only=True) as s:
        assert {t: overlay.row_count(s.cursor(), t) for t in overlay.APPEND} == counts
    for model in ("linear", "last_touch", "markov"):
        for window in ("7", "30"):
            args = ("--model", model, "--window-days", window)
            delta_rep = _report(ws.path, capsys, *args)
            flat_rep = _report(flat, capsys, *args)
            assert delta_rep == flat_rep, (model, window)
    assert _report(ws.path, capsys)["totals"]["paid"] > 0
    capsys.readouterr()
    assert cli.main(["digest", "--db", str(ws.path), "--date", "2026-06-30"]) == 0
    delta_digest = capsys.readouterr().out
    assert cli.main(["digest", "--db", str(flat), "--date", "2026-06-30"]) == 0
    assert capsys.readouterr().out == delta_digest


def test_a_delta_defines_every_macro_and_sequence_of_its_base(ws):
    base = ws.current()
    _load(ws, "joins", _upload(5))
    with Store(ws.current(), read_only=True) as s:
        c = s.cursor()
        q = ("SELECT database_name, function_name FROM duckdb_functions() "
             "WHERE function_type IN ('macro', 'table_macro') AND NOT internal")
        rows = c.execute(q).fetchall()
        mine = {f for d, f in rows if d != overlay.ALIAS}
        theirs = {f for d, f in rows if d == overlay.ALIAS}
        assert theirs and mine == theirs
        seqs = dict(c.execute("SELECT sequence_name, database_name FROM duckdb_sequences() "
                              "WHERE database_name <> $a", {"a": overlay.ALIAS}).fetchall())
        assert set(seqs) == {"upload_seq", "joins_row_seq", "sales_row_seq", "annotation_seq"}
        # row ids continue the base's: no id is given twice
        assert c.execute("SELECT count(*) - count(DISTINCT row_id) FROM joins").fetchone()[0] == 0
    assert base_of(ws.current()) == base


def test_compaction_before_a_load_and_undo(ws, monkeypatch, capsys):
    """A delta past its share of the base is compacted before the next load: the store
    it shows is published whole (a copy of the base with the delta applied) in its
    place, the snapshots before it go, and the load is a delta on it. Undo goes back to
    the compacted state, not past it."""
    monkeypatch.setattr(overlay, "COMPACT_MIN_ROWS", 0)
    monkeypatch.setattr(overlay, "COMPACT_SHARE", 0.0)
    joins = [_report(ws.path, capsys)["totals"]["joins"]]
    first = ws.current()
    shown = None
    for k in range(3):
        _load(ws, "joins", _upload(10, start=100 * k))
        with ws.open_read().store as s:  # a delta: what the next load's compaction must keep
            shown, delta = _tables(s.cursor()), ws.current()
        assert base_of(delta) is not None
        _load(ws, "sales", _sales(10, start=100 * k))
        joins.append(_report(ws.path, capsys)["totals"]["joins"])
    assert joins == [joins[0] + 10 * k for k in range(4)]
    snaps = ws.snapshots()
    assert [base_of(p) is None for p in snaps] == [True, False], [p.name for p in snaps]
    assert snap_number(snaps[0]) > snap_number(delta) > snap_number(first)  # the chains before went
    with Store(snaps[0], read_only=True) as s:  # the compacted store shows what the delta showed
        assert _tables(s.cursor()) == shown
    assert _raw_columns(snaps[0]) == _raw_columns(snaps[1]) == _RAW
    revenue = _report(ws.path, capsys)["totals"]["revenue"]
    assert ws.undo()  # back to the compacted store: the last joins, not the last sales
    after = _report(ws.path, capsys)["totals"]
    assert after["joins"] == joins[3] and round(revenue - after["revenue"], 2) == 100 + 103 + 106 + 109
    assert not ws.undo()


# columns an upload reads by uh, stored uncompressed (store.MIGRATIONS[6], 17_mk_chain.sql):
# every way a store is written keeps those declarations
_RAW = {("joins", "user_id"), ("sales", "user_id"), ("mk_user_events", "user_id")}


def _raw_columns(path: Path) -> set[tuple[str, str]]:
    """The (table, column)s of ``path`` (a delta: of its base) declared and stored
    uncompressed: the declaration, and no persisted segment of another compression."""
    import re

    with Store(path, read_only=True) as s:
        c = s.cursor()
        db = "cr_base" if overlay.is_delta(c) else c.execute("SELECT current_database()").fetchone()[0]
        found = set()
        for t, ddl in c.execute("SELECT table_name, sql FROM duckdb_tables() WHERE database_name = $d "
                                "AND schema_name = 'main'", {"d": db}).fetchall():
            for col in re.findall(r"(\w+) VARCHAR USING COMPRESSION Uncompressed", ddl):
                comps = {r[0] for r in c.execute(
                    f"SELECT DISTINCT compression FROM pragma_storage_info('{db}.main.{t}') "
                    "WHERE column_name = $c AND segment_type = 'VARCHAR'", {"c": col}).fetchall()}
                assert comps <= {"Uncompressed"}, (path.name, t, col, comps)
                found.add((t, col))
        return found


def _tables(cur) -> dict:
    names = [t for (t,) in cur.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' "
        "UNION SELECT view_name FROM duckdb_views() WHERE database_name = current_database() "
        "AND schema_name = 'main' AND NOT internal").fetchall()]
    return {t: cur.execute(f'SELECT * FROM "{t}" ORDER BY ALL').fetchall() for t in names if t != "meta"}


def test_a_full_rebuild_in_a_delta_publishes_a_standalone_store(ws, capsys):
    """A load that rebuilds the models in full (here: a new channel) flattens its delta
    first; what is published is a standalone snapshot, and it reads the same."""
    _load(ws, "joins", _upload(5))
    arts = "article_id,title,channel,published_at\nNEWCH1,New channel,podcast,2026-06-01 09:00:00\n".encode()
    _load(ws, "articles", arts)
    cur = ws.current()
    assert base_of(cur) is None, cur.name
    with Store(cur, read_only=True) as s:
        c = s.cursor()
        assert c.execute("SELECT count(*) FROM duckdb_schemas() WHERE schema_name = 'ov'").fetchone()[0] == 0
        assert c.execute("SELECT count(*) FROM joins WHERE user_id LIKE 'new%'").fetchone()[0] == 5
    with Workspace(ws.path).open_read(adopt=False).store as s:
        assert s.cursor().execute("SELECT count(*) FROM articles WHERE channel = 'podcast'").fetchone()[0] == 1
    assert _raw_columns(cur) == _RAW  # flattened and rebuilt, the declarations kept


def _blocks(path: Path) -> tuple[int, int]:
    import duckdb

    with duckdb.connect(str(path), read_only=True) as c:
        return c.execute("SELECT used_blocks, free_blocks FROM pragma_database_size()").fetchone()


@pytest.mark.parametrize("how", ["models_change", "rebuild_command"])
def test_a_full_rebuild_reuses_the_space_of_the_tables_it_replaces(ws, capsys, how):
    """A models change (the next writer's copy rebuilds) and ``rebuild`` drop the derived
    tables before rebuilding them: the new snapshot holds no second copy's worth of free
    blocks (rebuilt beside the old tables, the sample's file had 29 free of 69), and it
    reports as before."""
    import duckdb

    before = _report(ws.path, capsys, "--model", "markov")
    if how == "models_change":
        with duckdb.connect(str(ws.current())) as c:
            c.execute("UPDATE meta SET value = 'stale' WHERE key = 'models_hash'")
        with ws.writer():
            pass
    else:
        assert cli.main(["rebuild", "--db", str(ws.path)]) == 0
    used, free = _blocks(ws.current())
    assert free <= 2, (used, free)
    assert _report(ws.path, capsys, "--model", "markov") == before


_WITH_UH = ("mk_user_events", "mk_user_cpaths", "fct_user_article", "joins", "sales")


def _logs_compressed(c) -> None:
    """The logs as a release before schema 7 stored them: user_id of the default storage."""
    for t in ("joins", "sales"):
        c.execute(f"CREATE TABLE {t}__old AS SELECT * FROM {t}")
        c.execute(f"DROP TABLE {t}")
        c.execute(f"ALTER TABLE {t}__old RENAME TO {t}")


@pytest.mark.parametrize("published", ["standalone", "delta"])
def test_a_store_of_an_older_release_upgrades_and_then_takes_an_upload(ws, capsys, published):
    """A store of an older release: schema 5 (logs without uh), derived tables of an older
    shape (without the uh that four of them gained), built by older models. The next
    writer migrates it and rebuilds it to the models' shapes, every log row with its uh,
    and the next upload refreshes it incrementally (which reads those tables and the logs
    by uh) to the numbers of a full rebuild."""
    import duckdb

    if published == "delta":
        _load(ws, "joins", _upload(3))
        assert base_of(ws.current()) is not None
        # fct_cohort_user, overlaid until schema 8: a table in the base, a view in the delta
        with duckdb.connect(str(base_of(ws.current()))) as c:
            c.execute("CREATE TABLE fct_cohort_user AS SELECT 'u1' AS user_id")
        with duckdb.connect(str(ws.current())) as c:
            c.execute(f"ATTACH '{base_of(ws.current())}' AS cr_base (READ_ONLY)")
            c.execute("CREATE TABLE ov.fct_cohort_user AS SELECT 'u2' AS user_id")
            c.execute("CREATE VIEW main.fct_cohort_user AS SELECT * FROM cr_base.main.fct_cohort_user "
                      "UNION ALL SELECT * FROM ov.fct_cohort_user")
    with duckdb.connect(str(ws.current())) as c:
        schema = "ov" if published == "delta" else "main"  # a delta's own rows of them
        for t in _WITH_UH:
            c.execute(f"ALTER TABLE {schema}.{t} DROP COLUMN uh")
        if published == "standalone":
            _logs_compressed(c)
            c.execute("CREATE TABLE fct_cohort_user AS SELECT 'u1' AS user_id")  # a model until schema 8
        c.execute("UPDATE meta SET value = 'older' WHERE key = 'models_hash'")
        c.execute("UPDATE meta SET value = '5' WHERE key = 'schema_version'")  # logs without uh
    if published == "delta":  # ... in the base too
        with duckdb.connect(str(base_of(ws.current()))) as c:
            for t in _WITH_UH:
                c.execute(f"ALTER TABLE {t} DROP COLUMN uh")
            _logs_compressed(c)
    with ws.writer():
        pass
    with duckdb.connect(str(ws.current()), read_only=True) as c:
        for t in _WITH_UH:
            assert "uh" in [r[0] for r in c.execute(f"DESCRIBE {t}").fetchall()], t
        assert not c.execute("SELECT (SELECT count(*) FROM duckdb_tables() WHERE table_name = 'fct_cohort_user') "
                             "+ (SELECT count(*) FROM duckdb_views() WHERE view_name = 'fct_cohort_user')").fetchone()[0]
        for t in ("joins", "sales"):  # every row's, by the rebuild after the migration
            assert c.execute(f"SELECT count(*) FROM {t} WHERE uh IS DISTINCT FROM user_hash(user_id)"
                             ).fetchone()[0] == 0, t
    assert _raw_columns(ws.current()) == _RAW  # the logs' by migration 7
    # the upgrade's copies (the delta flattened, the logs migrated) left no file of free blocks:
    # 3 of 45 (when the rebuild ran in the migrations' transaction: 36-39 of 42)
    used, free = _blocks(ws.current())
    assert free <= used // 8, (used, free)
    _load(ws, "joins", _upload(5))
    after = _report(ws.path, capsys, "--model", "markov")
    assert cli.main(["rebuild", "--db", str(ws.path)]) == 0
    assert _report(ws.path, capsys, "--model", "markov") == after


def test_opening_a_store_another_process_is_upgrading_waits_for_it(ws):
    """A store whose models an older release built is rebuilt by the first process that
    opens it (10x: minutes). A second process opening it meanwhile waits for that, with the
    page's note (st_app.data._preparing), rather than giving up after a load's wait
    (lock_timeout: 300 s, less than a 10x rebuild) with "another load is still running".
    Here another process holds the store's lock; a load gives up after lock_timeout, an
    open keeps waiting past it. Then both open it: one rebuilds it and the other finds it
    rebuilt, whichever gets the lock first (one new snapshot, not a second that changes
    nothing)."""
    import subprocess
    import sys
    import threading

    import duckdb

    from contentroi.store import StoreError, models_hash

    _load(ws, "joins", _upload(3))  # a published workspace
    with duckdb.connect(str(ws.current())) as c:
        c.execute("UPDATE meta SET value = 'older' WHERE key = 'models_hash'")
    holder = subprocess.Popen(
        [sys.executable, "-c", "import fcntl, sys; f = open(sys.argv[1], 'a+'); fcntl.flock(f, fcntl.LOCK_EX); "
         "print('held', flush=True); sys.stdin.readline(); fcntl.flock(f, fcntl.LOCK_UN); "
         "from contentroi.store import Workspace; v = Workspace(sys.argv[2]).open_read(); v.store.close(); "
         "print('opened', flush=True)", str(ws.lock_path), str(ws.path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parent.parent)
    try:
        assert holder.stdout.readline().strip() == "held"
        short = Workspace(ws.path, lock_timeout=0.2)
        with pytest.raises(StoreError, match="another load is still running"):
            with short.writer():
                pass
        got: dict = {}

        def open_it() -> None:
            try:
                got["view"] = short.open_read()
            except Exception as exc:  # noqa: BLE001  (the assertion below shows it)
                got["error"] = exc

        t = threading.Thread(target=open_it)
        t.start()
        t.join(timeout=10 * short.lock_timeout)
        assert t.is_alive(), got  # still waiting, past a load's lock_timeout
        before = set(ws.snapshots())
    finally:
        holder.stdin.write("\n")
        holder.stdin.flush()
        out = holder.stdout.read()
        holder.wait(timeout=300)
    assert out.strip() == "opened" and holder.returncode == 0, out
    t.join(timeout=300)
    assert not t.is_alive() and "error" not in got, got
    view = got["view"]
    try:
        assert view.store.get_meta("models_hash") == models_hash()  # rebuilt and published
    finally:
        view.store.close()
    assert len(set(ws.snapshots()) - before) == 1  # one rebuild, nothing more


def test_a_large_load_goes_into_a_copy_not_a_delta(ws):
    """Files as large as the store rebuild the models in full: loaded into a copy."""
    src = ws.current()
    big = _upload(20)
    with ws.writer(adds=src.stat().st_size + 1) as store:
        ingest.load_file(store, big, "joins", file_name="big.csv")
    assert base_of(ws.current()) is None


def test_clear_and_remove_sample_on_a_delta(ws, capsys):
    _load(ws, "joins", _upload(5))
    assert base_of(ws.current()) is not None
    with ws.writer() as store:
        store.remove_sample()
    assert base_of(ws.current()) is None  # flattened: it deletes rows of the logs
    assert _raw_columns(ws.current()) == _RAW

    def rows() -> tuple:
        with ws.open_read().store as s:
            return s.cursor().execute("SELECT (SELECT count(*) FROM joins), (SELECT count(*) FROM sales), "
                                      "(SELECT count(*) FROM fct_user_article)").fetchone()

    assert rows() == (5, 0, 0)  # the uploaded joins stay; their articles went with the sample
    _load(ws, "joins", _upload(5, start=50))
    assert rows() == (10, 0, 0)  # (half of a store this small: a full rebuild, no delta)
    with ws.writer() as store:
        store.clear()
    assert rows() == (0, 0, 0)
    assert _report(ws.path, capsys)["totals"]["joins"] == 0


def test_undo_history_within_the_disk_budget(ws, monkeypatch, capsys):
    """Snapshots kept for Undo stay within the disk budget: here nothing beyond the base
    fits, so the published delta and the one before it are kept, and the base they read
    -- which Undo must not take for the state before them (that went)."""
    monkeypatch.setattr(overlay, "DISK_FLOOR", 0)
    monkeypatch.setattr(overlay, "DISK_SHARE", 1.0)
    base = ws.current()
    joins = []
    for k in range(4):
        _load(ws, "joins", _upload(5, start=10 * k))
        joins.append(_report(ws.path, capsys)["totals"]["joins"])
    snaps = ws.snapshots()
    assert snaps[0] == base and len(snaps) == 3 and all(base_of(p) == base for p in snaps[1:]), snaps
    assert ws.undo()
    assert _report(ws.path, capsys)["totals"]["joins"] == joins[2]
    assert not ws.undo()  # the base is the state before the first upload, not the one before
    assert _report(ws.path, capsys)["totals"]["joins"] == joins[2]
    _load(ws, "joins", _upload(5, start=100))  # and loads go on from there
    assert _report(ws.path, capsys)["totals"]["joins"] == joins[2] + 5


def _returning(ws: Workspace, n: int, paying: bool = False) -> tuple[list[str], bytes]:
    """``n`` users the store already has rows of (``paying``: with a payment after a touch,
    so rows in the sales and attribution tables too), and a new join row for each."""
    table = "fct_touch_weights" if paying else "fct_user_article"  # a fixed name of two
    with Store(ws.current(), read_only=True) as s:
        users = [u for (u,) in s.cursor().execute(
            f"SELECT DISTINCT user_id FROM {table} ORDER BY user_id LIMIT $n", {"n": n}).fetchall()]
        art = s.cursor().execute("SELECT min(article_id) FROM articles").fetchone()[0]
    lines = ["user_id,joined_at,article_id,group_id"] + [f"{u},2026-06-20 10:00:00,{art},g9" for u in users]
    return users, ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize("uploads", [1, 2])
def test_the_replaced_users_base_rows_are_hidden_by_rowid(ws, uploads):
    """The views of overlay.ROWS_GONE hide the re-derived users' base rows by rowid:
    exactly the base rows of the users in ``__gone``, found once by the upload. A second
    upload on the delta re-derives 6 users it replaced already and 6 more (for
    fct_user_article the rowids come from the rows the refresh extracted of the users
    not yet replaced: overlay.base_rows)."""
    for n in (6, 12)[:uploads]:
        users, data = _returning(ws, n, paying=True)
        _load(ws, "joins", data)
    assert base_of(ws.current()) is not None
    with Store(ws.current(), read_only=True) as s:
        c = s.cursor()
        hidden = 0
        for t in overlay.ROWS_GONE:
            gone = {u for (u,) in c.execute(f"SELECT user_id FROM ov.{t}__gone").fetchall()}
            assert set(users) <= gone, t
            rids = sorted(r for (r,) in c.execute(f"SELECT rid FROM ov.{t}__gone_rows").fetchall())
            want = sorted(r for (r,) in c.execute(
                f"SELECT rowid FROM {overlay.ALIAS}.main.{t} "
                f"WHERE user_id IN (SELECT user_id FROM ov.{t}__gone)").fetchall())
            assert rids == want, t
            hidden += len(rids)
        assert c.execute("SELECT count(*) FROM ov.fct_user_article__gone_rows").fetchone()[0] >= len(users)
        assert hidden > len(users)  # the sales and payment tables' rows of these users too
        seen = c.execute("SELECT count(*) FROM fct_user_article WHERE user_id IN (SELECT unnest($u))",
                         {"u": users}).fetchone()[0]
        mine = c.execute("SELECT count(*) FROM ov.fct_user_article WHERE user_id IN (SELECT unnest($u))",
                         {"u": users}).fetchone()[0]
        assert seen == mine > 0  # their rows are the delta's only
        # the compaction's measure counts added rows and replaced users, not the rowids again
        own = [t for (t,) in c.execute("SELECT table_name FROM duckdb_tables() "
                                       "WHERE database_name = current_database() AND schema_name = 'ov'").fetchall()]
        assert overlay.share(c)[0] == sum(
            c.execute(f"SELECT count(*) FROM ov.{t}").fetchone()[0] for t in own if not t.endswith("__gone_rows"))


def test_a_delta_without_rowids_of_an_earlier_release_still_takes_uploads(ws, tmp_path, capsys):
    """A delta written before ROWS_GONE (its view hides by user, no ``__gone_rows``) is
    continued as it is: the next upload replaces users by user only, and reports as its flat copy."""
    _load(ws, "joins", _upload(12))
    cur_path = ws.current()
    with Store(cur_path) as s, s.transaction() as c:
        for t in overlay.ROWS_GONE:
            c.execute(f"DROP VIEW {t}")
            c.execute(f"DROP TABLE ov.{t}__gone_rows")
            c.execute(f"CREATE VIEW {t} AS SELECT * FROM {overlay.ALIAS}.main.{t} AS b "
                      f"WHERE NOT EXISTS (SELECT 1 FROM ov.{t}__gone AS g WHERE g.user_id = b.user_id) "
                      f"UNION ALL SELECT * FROM ov.{t}")
    users, data = _returning(ws, 5, paying=True)
    _load(ws, "joins", data)
    assert base_of(ws.current()) is not None
    flat = _flat_copy(ws, tmp_path)
    assert _report(ws.path, capsys, "--model", "linear") == _report(flat, capsys, "--model", "linear")


def test_load_file_refreshing_itself_in_a_delta_survives_a_full_rebuild(ws, tmp_path, capsys):
    """load_file(..., refresh=True) in a writer's delta, with more new rows than the
    incremental refresh takes (FULL_SHARE): the refresh turns full, which flattens the
    delta -- dropping the tables the file's own transaction had just written, which DuckDB
    refuses at commit. The models are then refreshed in a transaction of their own (the
    snapshot is unpublished: nobody reads it in between), as load_files does; the result
    reports like a plain load through the upload's route."""
    n = 12_000  # the sample's joins are ~10k rows: a full refresh
    with ws.writer() as store:
        assert overlay.is_delta(store.cursor())  # a writer's snapshot over the published one
        r = ingest.load_file(store, _upload(n), "joins", file_name="big.csv", source_kind="cli")
        assert r.status == "loaded" and r.accepted == n
        assert store.get_meta("models_upload") == str(store.cursor().execute(
            "SELECT max(upload_id) FROM uploads").fetchone()[0])
    got = _report(ws.path, capsys)
    other = Workspace(tmp_path / "other.duckdb")
    for log, src in (("articles", SAMPLE / "articles.csv"), ("joins", SAMPLE / "joins.csv"),
                     ("sales", SAMPLE / "sales.csv")):
        _load(other, log, src.read_bytes())
    _load(other, "joins", _upload(n))
    want = _report(other.path, capsys)
    assert got["totals"] == want["totals"] and got["channels"] == want["channels"]
