"""The incremental model refresh gives exactly what a full rebuild gives.

Random small worlds are built by random sequences of uploads through the real
ingestion (articles -- new ones, and new versions that move an article to
another channel or day --, joins on known, unknown and no articles, sales with
contacts, payments and refunds, some of other users' orders, repeats), one file
or a batch of files at a time, and undos. After every step the derived tables are compared,
table by table and row by row, with a full rebuild of the same logs. The size
threshold that turns large changes into full rebuilds is switched off, so every
step takes the incremental path.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from contentroi import ingest, overlay, refresh
from contentroi import store as store_module
from contentroi.store import Store, Workspace, base_of

# the keyed tables, and the sums kept from them on every load (funnel lists, day counts, markov chain,
# cohorts)
TABLES = ("stg_articles", *refresh.KEYED, "fct_article_funnel", "agg_user_days", "agg_user_lags", "agg_sales_lags",
          "agg_user_cuts", "mk_transitions",
          "mk_channel_paths", "mk_pattern_windows", "mk_pattern_users", "mk_pattern_defs", "mk_removal",
          "agg_cohort_users", "agg_cohort_payments", "mk_event_counts", "mk_cpath_counts", "data_now_at",
          "fct_cohort_end")
USERS = [f"u{i}" for i in range(7)]
ARTICLES = [f"A{i}" for i in range(5)]
CHANNELS = ["wechat", "zhihu", "douyin"]
T0 = dt.datetime(2026, 3, 1)


def _at(k: int) -> str:
    return (T0 + dt.timedelta(hours=12 * k)).strftime("%Y-%m-%d %H:%M:%S")


articles_rows = st.lists(
    st.tuples(st.sampled_from(ARTICLES), st.sampled_from(CHANNELS), st.integers(0, 6),
              st.integers(0, 5000)),
    min_size=1, max_size=4)
joins_rows = st.lists(
    st.tuples(st.sampled_from(USERS), st.integers(0, 30),
              st.sampled_from(ARTICLES + ["ZZ", ""]), st.sampled_from(["g1", "g2", ""])),
    min_size=1, max_size=8)
sales_rows = st.lists(
    st.tuples(st.sampled_from(USERS), st.sampled_from(["contact", "payment", "refund"]),
              st.integers(0, 40), st.sampled_from(["R1", "R2", ""]), st.integers(1, 50),
              st.sampled_from(["O1", "O2", "O3", "O4", ""])),
    min_size=1, max_size=8)
step = st.one_of(
    st.tuples(st.just("articles"), articles_rows),
    st.tuples(st.just("joins"), joins_rows),
    st.tuples(st.just("sales"), sales_rows),
)


def _csv(log: str, rows) -> bytes:
    if log == "articles":
        lines = ["article_id,title,channel,published_at,reads,cost"]
        lines += [f"{a},T {a},{c},{_at(d * 2)},{r},{r % 7}" for a, c, d, r in rows]
    elif log == "joins":
        lines = ["user_id,joined_at,article_id,group_id"]
        lines += [f"{u},{_at(k)},{a},{g}" for u, k, a, g in rows]
    else:
        lines = ["user_id,event,occurred_at,rep,amount,order_id"]
        lines += [f"{u},{e},{_at(k)},{r},{'' if e == 'contact' else m},{o}" for u, e, k, r, m, o in rows]
    return ("\n".join(lines) + "\n").encode()


# the tables whose rows a reader sums (a load appends its changes as rows of their own),
# compared as the readers see them
SUMMED = {t: summed + "()" for t, (summed, _) in refresh.JOURNALS.items()}


def _tables(cur) -> dict[str, list]:
    return {t: cur.execute(f"SELECT * FROM {SUMMED.get(t, t)} ORDER BY ALL").fetchall() for t in TABLES}


def _assert_same_as_full(store: Store, where: str) -> None:
    cur = store.cursor()
    incremental = _tables(cur)
    cur.execute("BEGIN TRANSACTION")
    try:
        store.refresh_models(cur, full=True)
        rebuilt = _tables(cur)
    finally:
        cur.execute("ROLLBACK")
    for t in TABLES:
        assert incremental[t] == rebuilt[t], f"{where}: {t} differs from a full rebuild"


@pytest.fixture(autouse=True)
def _always_incremental(monkeypatch):
    monkeypatch.setattr(refresh, "FULL_SHARE", float("inf"))


# a user with a payment, then more of that user's rows: the sums updated by the re-derived
# users (cohorts, markov counts) must take that user's old rows out (drawn only sometimes)
_PAYER = [("articles", [("A0", "wechat", 0, 100), ("A1", "zhihu", 1, 50)]),
          ("joins", [("u0", 1, "A0", "g1"), ("u1", 2, "A1", "g1")]),
          ("sales", [("u0", "payment", 5, "R1", 30, "O1"), ("u1", "contact", 3, "R2", 1, "")])]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example(first=_PAYER, steps=[[("sales", [("u0", "payment", 9, "R1", 20, "O2"), ("u0", "refund", 12, "R1", 30, "O1")])],
                              [("joins", [("u0", 3, "A1", "g2"), ("u1", 4, "A0", "")])], "undo"],
         compact=float("inf"))
@example(first=_PAYER, steps=[[("joins", [("u0", 0, "A1", "g2")])], [("sales", [("u1", "payment", 20, "R2", 7, "O3")])]],
         compact=0.0)
# an article published a day earlier: its rows leave their (channel, publish day, day of t0)
# groups, which the day aggregates must then drop, not keep with counts of 0
@example(first=_PAYER, steps=[[("articles", [("A1", "zhihu", 0, 50)])], [("joins", [("u1", 6, "A1", "g1")])]],
         compact=float("inf"))
@given(first=st.lists(step, min_size=1, max_size=3),
       steps=st.lists(st.one_of(st.just("undo"), st.lists(step, min_size=1, max_size=2)), min_size=1, max_size=5),
       compact=st.sampled_from([0.0, 1.0, float("inf")]))
def test_incremental_equals_full_rebuild(first, steps, compact):
    """Through a Workspace, as the app and the CLI load: every step publishes a
    snapshot whose incrementally refreshed tables equal a full rebuild's; an undo
    republishes the one before, and the loads after it refresh from there. Loads
    write delta snapshots (contentroi/overlay.py), compacted before every load
    (``compact`` 0), when the delta outgrows its base (1) or never (inf)."""
    _walk(first, steps, compact)


_USER_HASH = "CAST(hash(u) >> 32 AS UINTEGER)"  # user_hash (10_stg_touches.sql)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example(first=_PAYER, steps=[[("sales", [("u0", "payment", 9, "R1", 20, "O2"), ("u0", "refund", 12, "R1", 30, "O1")])],
                              [("joins", [("u0", 3, "A1", "g2"), ("u1", 4, "A0", "")])], "undo"],
         compact=float("inf"))
# u0 replaced in a delta, then u0 and u1 together: the base rows found by u1's uh hold u0's
# hidden base rows too, which the rows before the refresh must leave out (overlay.shown_rows)
@example(first=_PAYER, steps=[[("joins", [("u0", 3, "A1", "g2")])],
                              [("joins", [("u0", 4, "A0", ""), ("u1", 5, "A0", "g1")])]],
         compact=float("inf"))
# u0 and u1 (one uh) replaced in a delta, then a new user u5 with that uh: the base rows of
# the sales tables found by u5's uh are u0's and u1's, hidden already, and not listed again
@example(first=_PAYER, steps=[[("joins", [("u0", 3, "A1", "g2")])],
                              [("joins", [("u5", 4, "A0", "g1")])]],
         compact=float("inf"))
@given(first=st.lists(step, min_size=1, max_size=3),
       steps=st.lists(st.one_of(st.just("undo"), st.lists(step, min_size=1, max_size=2)), min_size=1, max_size=5),
       compact=st.sampled_from([0.0, float("inf")]))
def test_incremental_equals_full_rebuild_when_users_share_a_hash(first, steps, compact):
    """The refresh finds a table's rows of the re-derived users by uh = user_hash(user_id),
    a 32-bit hash (at 10x 35,120 of the 17.3 M users' hashes are shared). With every user given
    the same uh, it still gives what a full rebuild gives: what uh selects of a log widens the
    scope to every user who shares a uh with it (refresh._SCOPE_LOGS), so that what it selects
    of a derived table is exactly the scope's rows."""
    with _one_user_hash():
        _walk(first, steps, compact)


def test_a_flat_store_refreshes_the_same_when_users_share_a_hash():
    """The same on a store that is not a delta (its own path for the rows before the
    refresh, refresh._BEFORE_SCAN), one file at a time."""
    with _one_user_hash(), Store(":memory:") as store:
        ingest.load_files(store, [{"source": _csv(log, rows), "log": log, "file_name": f"{log}.csv"}
                                  for log, rows in _PAYER])
        assert store.cursor().execute("SELECT count(DISTINCT uh) FROM fct_user_article").fetchone()[0] == 1
        # (an earlier join moves a row's t0 to another day: its old group loses it)
        for k, (u, t, a) in enumerate([("u0", 10, "A1"), ("u1", 0, "A1"), ("u2", 11, "A1"), ("u0", 0, "A0")]):
            ingest.load_file(store, _csv("joins", [(u, t, a, "g1")]), "joins", file_name="j.csv")
            ingest.load_file(store, _csv("sales", [(u, "payment", 12 + k, "R1", 5 + k, f"X{k}")]), "sales",
                             file_name="s.csv")
            _assert_same_as_full(store, f"step {k}")
        # A1 published a day earlier: its rows leave their day groups, which must go
        ingest.load_file(store, _csv("articles", [("A1", "zhihu", 0, 50)]), "articles", file_name="a.csv")
        _assert_same_as_full(store, "A1 moved")


def test_the_sales_lag_counts_are_appended_summed_and_folded(monkeypatch):
    """agg_sales_lags takes each load's changes as rows of their own (16_fct_user_sales.sql):
    a group's rows, some negative, sum to its counts, and the Sales page's figures read them
    summed -- the same figures as after folding them into one row per group, which a load
    does once the table has grown by refresh.JOURNAL_SLACK (and never before)."""
    from contentroi import engine
    from contentroi.engine import Params

    monkeypatch.setattr(refresh, "JOURNAL_SLACK", float("inf"))
    with Store(":memory:") as store:
        ingest.load_files(store, [{"source": _csv(log, rows), "log": log, "file_name": f"{log}.csv"}
                                  for log, rows in _PAYER])
        cur = store.cursor()
        rows = lambda: cur.execute("SELECT (SELECT count(*) FROM agg_sales_lags), "  # noqa: E731
                                   "(SELECT count(*) FROM sales_lags_summed())").fetchone()
        n0 = rows()
        assert n0[0] == n0[1]  # a full build: one row per group
        # contacts, a payment, and earlier joins that move the users' T0 (their rows before: -1)
        for k, (u, t) in enumerate([("u1", 0), ("u2", 4), ("u0", 0), ("u2", 1)]):
            ingest.load_file(store, _csv("sales", [(u, "contact", 5 + k, f"R{k % 2}", "", ""),
                                                   (u, "contact", 9 + k, "R1", "", ""),
                                                   (u, "payment", 10 + k, "R1", 3 + k, f"Q{k}")]),
                             "sales", file_name="s.csv")
            ingest.load_file(store, _csv("joins", [(u, t, "A1", "g1")]), "joins", file_name="j.csv")
        n, groups = rows()
        assert n > groups and cur.execute("SELECT count(*) FROM agg_sales_lags WHERE n < 0").fetchone()[0] > 0
        ps = [Params(window_days=w) for w in (1, 2, 7, 30)] + [Params(window_days=7, channels=("zhihu",))]
        before = [engine.sales_figures(store, p) for p in ps]
        with store.transaction() as tcur:
            assert refresh.compact_journals(tcur) == []  # (no slack: never folded)
            assert refresh.compact_journals(tcur, force=True) == list(refresh.JOURNALS)
        assert rows() == (groups, groups)
        for p, b in zip(ps, before):
            a = engine.sales_figures(store, p)
            for level in b:
                assert b[level].equals(a[level]), (p, level)
        assert before[2]["total"]["contacted"].iloc[0] > 0 and before[2]["total"]["paid"].iloc[0] > 0
        # grown by more than the slack: the next load folds it
        monkeypatch.setattr(refresh, "JOURNAL_SLACK", 0.0)
        ingest.load_file(store, _csv("sales", [("u3", "contact", 7, "R2", "", "")]), "sales", file_name="s.csv")
        ingest.load_file(store, _csv("joins", [("u3", 6, "A0", "g1")]), "joins", file_name="j.csv")
        n, groups = rows()
        assert n == groups
        assert refresh.journal_meta("agg_sales_lags") == "agg_sales_lags_rows"  # (the key stores already have)
        assert cur.execute("SELECT CAST(value AS BIGINT) FROM meta WHERE key = $k",
                           {"k": refresh.journal_meta("agg_sales_lags")}).fetchone()[0] == groups
        _assert_same_as_full(store, "folded")


@contextlib.contextmanager
def _one_user_hash():
    """Every user's uh the same: the models' user_hash replaced by a constant."""
    orig = refresh.statements

    def one_hash(path):
        return [sql.replace(_USER_HASH, "CAST(7 AS UINTEGER)") for sql in orig(path)]

    assert any(_USER_HASH in sql for p in refresh.model_files() for sql in orig(p))
    store_module._models_hash_of.cache_clear()  # kept per file stamps, which the patch leaves alone
    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(refresh, "statements", one_hash)
            yield
    finally:
        store_module._models_hash_of.cache_clear()


def _walk(first, steps, compact) -> None:
    with pytest.MonkeyPatch.context() as mp, tempfile.TemporaryDirectory() as tmp:
        mp.setattr(overlay, "COMPACT_MIN_ROWS", 0)
        mp.setattr(overlay, "COMPACT_SHARE", compact)
        ws = Workspace(Path(tmp) / "data" / "store.duckdb")
        # The first batch builds the models in full (an empty store); later steps are
        # incremental: one file (refreshed in its transaction) or a batch (refreshed once).
        with ws.writer() as store:
            ingest.load_files(store, [{"source": _csv(log, rows), "log": log, "file_name": f"{log}.csv"}
                                      for log, rows in first])
        _assert_published_same_as_full(ws, Path(tmp), "first batch")
        for i, batch in enumerate(steps):
            if batch == "undo":
                ws.undo()
            elif len(batch) == 1:
                log, rows = batch[0]
                with ws.writer() as store:
                    r = ingest.load_file(store, _csv(log, rows), log, file_name=f"{log}.csv")
                assert r.status == "loaded", r.message
            else:
                with ws.writer() as store:
                    ingest.load_files(store, [{"source": _csv(log, rows), "log": log, "file_name": f"{log}.csv"}
                                              for log, rows in batch])
            if batch != "undo" and all(log != "articles" for log, _ in batch):
                # (no new channel: no full rebuild) the load wrote a delta, on the delta
                # before it compacted when that had outgrown its base
                assert base_of(ws.current()) is not None, ws.current().name
            _assert_published_same_as_full(ws, Path(tmp), f"step {i}: {batch}")


def _assert_published_same_as_full(ws, tmp: Path, where: str) -> None:
    copy = ws.snap_dir / "check.duckdb"  # beside it: a delta snapshot reads its base from there
    shutil.copyfile(ws.current(), copy)
    with Store(copy) as s:
        cur = s.cursor()
        if overlay.is_delta(cur):  # a base row is hidden once (replace_users by uh: not again)
            for t in overlay.ROWS_GONE:
                n, d = cur.execute(f"SELECT count(*), count(DISTINCT rid) FROM ov.{t}__gone_rows").fetchone()
                assert n == d, f"{where}: ov.{t}__gone_rows lists a row twice"
        _assert_same_as_full(s, where)
    copy.unlink()


def test_inc_rows_reads_only_tables_already_re_derived():
    """``inc_rows('t')`` reads, in a delta, only the delta's own rows of ``t``: right only
    once the same refresh has re-derived t's users, so t must be a user-keyed table of
    KEYED whose CREATE comes earlier in the models' order."""
    import re

    made, uses = set(), 0
    for path in refresh.model_files():
        for sql in refresh.statements(path):
            for name in re.findall(r"inc_rows\('(\w+)'\)", sql):
                assert name in refresh.KEYED, (path.name, name)
                assert name in made, f"{path.name} reads inc_rows('{name}') before {name} is re-derived"
                uses += 1
            for name in re.findall(r"inc_before\('(\w+)'\)", sql):  # a table the refresh saved before
                assert name in refresh.BEFORE and name in made, (path.name, name)
            for name in re.findall(r"inc_log\('(\w+)'\)", sql):
                assert name in overlay.APPEND, (path.name, name)  # the scope's rows of a log
            if w := refresh.written_table(sql):
                made.add(w[0])
    assert uses >= 10


def test_refresh_reports_its_path(monkeypatch):
    """The first load of a store builds in full; a later small upload is incremental;
    an upload that adds nothing leaves the models alone."""
    monkeypatch.setattr(refresh, "FULL_SHARE", 0.2)
    with Store(":memory:") as store:
        arts = _csv("articles", [("A1", "wechat", 0, 10), ("A2", "zhihu", 1, 20)])
        joins = _csv("joins", [(u, k, "A1" if k % 2 else "A2", "g1") for k, u in enumerate(USERS * 3)])
        ingest.load_files(store, [{"source": arts, "log": "articles", "file_name": "a.csv"},
                                  {"source": joins, "log": "joins", "file_name": "j.csv"}])
        seen = []
        orig = refresh.incremental
        monkeypatch.setattr(refresh, "incremental",
                            lambda cur, users=(), **kw: seen.append(orig(cur, users, **kw)) or seen[-1])
        r = ingest.load_file(store, _csv("joins", [("u1", 33, "A1", "g2")]), "joins", file_name="one.csv")
        assert r.accepted == 1
        r = ingest.load_file(store, _csv("joins", [("u1", 33, "A1", "g2")]), "joins", file_name="again.csv")
        assert r.duplicates == 1
        r = ingest.load_file(store, _csv("articles", [("A1", "wechat", 0, 99)]), "articles", file_name="reads.csv")
        assert r.updated == 1  # only reads changed: nothing derived depends on them
        assert seen == ["incremental", "none", "none"]
        _assert_same_as_full(store, "after the small uploads")


def test_a_scoped_refresh_runs_under_a_small_memory_limit(monkeypatch):
    """A scoped refresh lowers DuckDB's memory_limit to refresh.scoped_memory (its reads of
    the large tables then reuse a small pool of blocks instead of faulting in memory for
    every block read) and sets the process's limit back afterwards, also when it fails; a
    full rebuild keeps the process's limit."""
    monkeypatch.setenv("CONTENTROI_MEMORY_LIMIT", "3GB")
    assert store_module.memory_limit_bytes() == 3 * 1000 ** 3
    monkeypatch.setenv("CONTENTROI_MEMORY_LIMIT", "1.5GiB")
    assert store_module.memory_limit_bytes() == 3 << 29
    mib = 1 << 20
    assert refresh.scoped_memory(0, 3 << 30) == refresh.SCOPED_MEMORY_MB * mib
    assert refresh.scoped_memory(1000, 3 << 30) == refresh.SCOPED_MEMORY_MB * mib + 1000 * refresh.SCOPED_BYTES_PER_USER
    assert refresh.scoped_memory(10 ** 7, 3 << 30) == 3 << 30  # never above the process's limit
    assert refresh.scoped_memory(0, 100 * mib) == 100 * mib

    def limit(cur) -> str:
        return cur.execute("SELECT current_setting('memory_limit')").fetchone()[0]

    monkeypatch.setattr(refresh, "FULL_SHARE", 0.2)
    seen = []
    orig = overlay.base_rows  # the scoped refresh's first read, right after the limit is set
    monkeypatch.setattr(overlay, "base_rows", lambda cur, *a: seen.append(limit(cur)) or orig(cur, *a))
    with Store(":memory:") as store:
        joins = [(u, k, "A0" if k % 2 else "A1", "g1") for k, u in enumerate(USERS * 3)]
        ingest.load_files(store, [{"source": _csv(*_PAYER[0]), "log": "articles", "file_name": "a.csv"},
                                  {"source": _csv("joins", joins), "log": "joins", "file_name": "j.csv"}])
        process = limit(store.cursor())
        assert process == "1.5 GiB" and seen == []  # the first load: a full rebuild
        ingest.load_file(store, _csv("joins", [("u5", 3, "A0", "g1"), ("u0", 4, "A1", "g1")]), "joins",
                         file_name="day.csv")
        assert seen == ["512.0 MiB"] and refresh.SCOPED_MEMORY_MB == 512  # 2 users: the floor
        assert limit(store.cursor()) == process
        _assert_same_as_full(store, "after an upload under the scoped limit")

        def boom(cur, *a, **k):
            raise RuntimeError("a model failed")
        monkeypatch.setattr(refresh, "written_table", boom)
        with pytest.raises(RuntimeError, match="a model failed"), store.transaction() as cur:
            store.refresh_models(cur, full=False, users=["u1"])  # u1 re-derived: a scoped refresh
        assert seen[-1] == "512.0 MiB" and limit(store.cursor()) == process


def test_the_data_now_follows_every_change_of_the_logs():
    """data_now() (the latest event, kept in data_now_at by each refresh) after a first
    load, an incremental upload, an upload of a later article, one that changes only
    reads, a removal of the sample, and a clear."""
    def now(store):
        return store.cursor().execute("SELECT data_now()").fetchone()[0]

    with Store(":memory:") as store:
        ingest.load_files(store, [
            {"source": _csv("articles", [("A1", "wechat", 0, 10)]), "log": "articles", "file_name": "a.csv"},
            {"source": _csv("joins", [("u1", 3, "A1", "g1"), ("u2", 4, "A1", "g1")]), "log": "joins",
             "file_name": "j.csv"}])
        assert now(store) == T0 + dt.timedelta(hours=12 * 4)
        ingest.load_file(store, _csv("sales", [("u1", "payment", 9, "R1", 5, "O1")]), "sales", file_name="s.csv")
        assert now(store) == T0 + dt.timedelta(hours=12 * 9)
        ingest.load_file(store, _csv("articles", [("A2", "zhihu", 6, 1)]), "articles", file_name="b.csv")
        assert now(store) == T0 + dt.timedelta(hours=12 * 12)  # published at day 12 (d * 2)
        ingest.load_file(store, _csv("articles", [("A2", "zhihu", 6, 99)]), "articles", file_name="c.csv")
        assert now(store) == T0 + dt.timedelta(hours=12 * 12)
        _assert_same_as_full(store, "after the uploads")
        store.clear()
        assert now(store) is None


def test_cli_load_refreshes_once_and_rebuild_agrees(tmp_path, monkeypatch, capsys):
    """`load` with three files (one refused) refreshes the models once; `rebuild`
    rebuilds them in full to the same tables."""
    from contentroi import cli
    from contentroi.store import Workspace

    monkeypatch.setattr(refresh, "FULL_SHARE", 0.2)
    files = {}
    for log, rows in (("articles", [("A1", "wechat", 0, 10), ("A2", "zhihu", 1, 20)]),
                      ("joins", [(u, k, "A1" if k % 3 else "A2", "g1") for k, u in enumerate(USERS * 2)]),
                      ("sales", [(u, "payment", k + 3, "R1", 10 + k, f"O{k}") for k, u in enumerate(USERS)])):
        files[log] = tmp_path / f"{log}.csv"
        files[log].write_bytes(_csv(log, rows))
    bad = tmp_path / "bad.csv"
    bad.write_text("user_id,when\nu1,2026-03-01\n", encoding="utf-8")
    db = tmp_path / "data" / "store.duckdb"
    Workspace(db).reader().close()  # an empty published store

    calls = []
    orig = Store.refresh_models

    def counting(self, cur, full=True, users=()):
        calls.append(full)
        return orig(self, cur, full, users)

    monkeypatch.setattr(Store, "refresh_models", counting)
    rc = cli.main(["load", "--db", str(db), "--articles", str(files["articles"]), "--joins", str(files["joins"]),
                   str(bad), "--sales", str(files["sales"])])
    assert rc == 1  # one file refused, the others loaded
    assert calls == [False]
    with Workspace(db).reader() as s:
        before = _tables(s.cursor())
        assert s.cursor().execute("SELECT count(*) FROM joins").fetchone()[0] == 2 * len(USERS)
        assert len(before["fct_payment_touch"]) > 0
    assert cli.main(["rebuild", "--db", str(db)]) == 0
    assert calls == [False, True]
    with Workspace(db).reader() as s:
        assert _tables(s.cursor()) == before
    assert cli.main(["rebuild", "--db", str(tmp_path / "nothing.duckdb")]) == 2
    assert "no store" in capsys.readouterr().err


def test_memory_settings_from_the_machine_and_the_environment(monkeypatch, tmp_path):
    """Every store gets a memory_limit (a quarter of the machine, 512 MB - 3 GB, or
    $CONTENTROI_MEMORY_LIMIT) and a per-process temp_directory ($CONTENTROI_TEMP_DIR);
    a bad value is a clear StoreError, and the CLI says it in one line."""
    import os
    import subprocess
    import sys

    from contentroi.store import StoreError, _machine_mb, resource_settings

    monkeypatch.delenv("CONTENTROI_MEMORY_LIMIT", raising=False)
    monkeypatch.delenv("CONTENTROI_TEMP_DIR", raising=False)
    mb = int(resource_settings()["memory_limit"].removesuffix("MB"))
    assert mb == max(512, min(3072, _machine_mb() // 4))
    monkeypatch.setenv("CONTENTROI_MEMORY_LIMIT", "700MB")
    monkeypatch.setenv("CONTENTROI_TEMP_DIR", str(tmp_path / "spill"))
    with Store(":memory:") as s:
        limit, tmp = s.cursor().execute(
            "SELECT current_setting('memory_limit'), current_setting('temp_directory')").fetchone()
    assert limit == "667.5 MiB"  # 700 MB as DuckDB prints it
    assert tmp == str(tmp_path / "spill" / str(os.getpid()))
    Store(tmp_path / "x.duckdb").close()
    monkeypatch.setenv("CONTENTROI_MEMORY_LIMIT", "a lot")
    with pytest.raises(StoreError, match="CONTENTROI_MEMORY_LIMIT"):
        Store(":memory:")
    r = subprocess.run([sys.executable, "-m", "contentroi", "rebuild", "--db", str(tmp_path / "x.duckdb")],
                       capture_output=True, text=True, env={**os.environ, "CONTENTROI_MEMORY_LIMIT": "a lot"},
                       cwd=Path(__file__).resolve().parent.parent)
    assert r.returncode == 2 and "CONTENTROI_MEMORY_LIMIT" in r.stderr and "Traceback" not in r.stderr, r.stderr
