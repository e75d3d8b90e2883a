"""A new store starts as a copy of the process's empty store (contentroi/store.py,
``_template_file``): it must be the store the migrations and models would have built in
place, for a file and for ``:memory:``, and a change to the models must not reuse a
template made before it."""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from contentroi import ingest, refresh
from contentroi import store as store_mod
from contentroi.store import Store

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample"


def _catalog(cur) -> dict[str, list]:
    """Everything a store defines, as text: tables (with their SQL), constraints,
    sequences (with their last value), macros (name, kind, parameters), views, indexes."""
    db = cur.execute("SELECT current_database()").fetchone()[0]
    q = {
        "tables": "SELECT table_name, sql FROM duckdb_tables() WHERE database_name = $db AND NOT temporary",
        "constraints": "SELECT table_name, constraint_type, constraint_text FROM duckdb_constraints() "
                       "WHERE database_name = $db",
        "sequences": "SELECT sequence_name, start_value, last_value, increment_by FROM duckdb_sequences() "
                     "WHERE database_name = $db AND NOT temporary",
        # (a macro's text is printed back from its parsed form, which lists an EXCLUDE's
        # columns in another order after a round trip through a file: names and parameters)
        "macros": "SELECT function_name, function_type, parameters FROM duckdb_functions() "
                  "WHERE database_name = $db AND NOT internal AND schema_name = 'main'",
        "views": "SELECT view_name, sql FROM duckdb_views() WHERE database_name = $db AND NOT internal "
                 "AND NOT temporary",
        "indexes": "SELECT index_name, table_name, sql FROM duckdb_indexes() WHERE database_name = $db",
    }
    return {k: sorted(map(str, cur.execute(sql, {"db": db}).fetchall())) for k, sql in q.items()}


def _rows(cur) -> dict[str, list]:
    names = [r[0] for r in cur.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
        "AND NOT temporary ORDER BY 1").fetchall()]
    return {n: sorted(map(str, cur.execute(f'SELECT * FROM "{n}"').fetchall()))
            for n in names if n != "uploads"}  # (uploads: when each file was loaded)


def _load_sample(s: Store) -> None:
    for log in ("articles", "joins", "sales"):
        r = ingest.load_file(s, SAMPLE / f"{log}.csv", log, file_name=f"{log}.csv", source_kind="sample")
        assert r.status == "loaded", r.message


@pytest.mark.parametrize("kind", ["file", "memory"])
def test_a_new_store_is_the_store_built_in_place(kind, tmp_path, monkeypatch):
    built = Store(tmp_path / "built.duckdb", _template=False)
    store_mod._template_file()  # (made now, if this process has none yet)
    rebuilds = []
    full = refresh.full
    monkeypatch.setattr(refresh, "full", lambda cur: (rebuilds.append(1), full(cur)))
    path = tmp_path / "copied.duckdb" if kind == "file" else ":memory:"
    copied = Store(path)
    monkeypatch.setattr(refresh, "full", full)
    try:
        assert rebuilds == [], "the new store was built in place, not copied"
        assert _catalog(copied.cursor()) == _catalog(built.cursor())
        assert _rows(copied.cursor()) == _rows(built.cursor())
        # and it stays the same store once data arrives: every table, row by row
        _load_sample(built)
        _load_sample(copied)
        assert _rows(copied.cursor()) == _rows(built.cursor())
    finally:
        built.close()
        copied.close()


def test_changed_models_make_a_new_template(tmp_path, monkeypatch):
    Store(tmp_path / "before.duckdb").close()  # a template for the shipped models
    models = tmp_path / "models"
    shutil.copytree(refresh.MODELS_DIR, models)
    (models / "99_zz_probe.sql").write_text("CREATE OR REPLACE TABLE zz_probe AS SELECT 42 AS answer;\n")
    monkeypatch.setattr(store_mod, "MODELS_DIR", models)
    monkeypatch.setattr(refresh, "MODELS_DIR", models)
    for path in (tmp_path / "after.duckdb", ":memory:"):
        s = Store(path)
        try:
            assert s.cursor().execute("SELECT answer FROM zz_probe").fetchall() == [(42,)]
        finally:
            s.close()


def test_a_store_that_exists_is_opened_not_replaced(tmp_path):
    path = tmp_path / "kept.duckdb"
    with Store(path) as s:
        s.cursor().execute("INSERT INTO meta VALUES ('probe', 'kept')")
    with Store(path) as s:
        assert s.get_meta("probe") == "kept"
    with duckdb.connect(str(path), read_only=True) as con:
        assert con.execute("SELECT value FROM meta WHERE key = 'probe'").fetchone() == ("kept",)
