"""Shared fixtures: a store loaded with the bundled sample, and the app under AppTest."""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory) -> Path:
    """A store file holding data/sample, built once per test session (read it, don't write)."""
    from contentroi import ingest
    from contentroi.store import Store, Workspace

    path = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    store = Store(path)
    for log in ("articles", "joins", "sales"):
        f = ROOT / "data" / "sample" / f"{log}.csv"
        r = ingest.load_file(store, f, log, file_name=f.name, source_kind="sample")
        assert r.status == "loaded", r.message
    store.set_meta("initialized", "yes")
    store.close()
    # Publish it as the app does (path -> snapshots/000001.duckdb), so that the app and
    # the tests both open it read-only from here on (DuckDB refuses to open one file
    # read-only and read-write in the same process).
    Workspace(path).reader().close()
    return path


@pytest.fixture(scope="session")
def sample_store(sample_db):
    """The sample store, read-only (the way the app opens it): for expected values."""
    from contentroi.store import Store

    store = Store(sample_db, read_only=True)
    yield store
    store.close()


@pytest.fixture
def sample_db_copy(sample_db, tmp_path) -> Path:
    """A private copy of the sample store, for tests that change data."""
    from contentroi.store import Workspace

    dst = tmp_path / "store.duckdb"
    shutil.copy(sample_db, dst)
    Workspace(dst).reader().close()  # published, as the app would
    return dst


@pytest.fixture
def app(sample_db, monkeypatch):
    """An AppTest of app.py on the sample store (not run yet)."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("CONTENTROI_DB", str(sample_db))
    return AppTest.from_file(APP, default_timeout=60)


@pytest.fixture
def app_rw(sample_db_copy, monkeypatch):
    """An AppTest on a private, writable copy of the sample store."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("CONTENTROI_DB", str(sample_db_copy))
    return AppTest.from_file(APP, default_timeout=60)


def table_values(element):
    """A table's values as computed: st_app.display_frame shows rate and ROI columns
    x 100 (their table format is a percent number); this undoes it for comparisons."""
    import pandas as pd

    from contentroi import fmt, metrics

    df = element.value
    for c in df.columns:
        if (pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])
                and metrics.kind_of(str(c)) in fmt.SCALED_KINDS):
            df[c] = (df[c] / 100).round(10)
    return df


# A visible text holding a bare translation key means the key is missing (i18n.t shows it).
KEY_RE = re.compile(r"\b(?:ov|ch|m|c|ar|at|sa|co|dg|tg|an|model|notice|nav|f)_[a-z0-9_]+\b")


def page_texts(at) -> list[str]:
    """The labels and texts a user sees on a page run by AppTest."""
    out: list[str] = []
    for kind in ("title", "subheader", "markdown", "caption", "info", "success", "warning", "error"):
        out += [str(e.value) for e in getattr(at, kind)]
    out += [m.label for m in at.metric] + [str(m.value) for m in at.metric]
    out += [b.label for b in at.button] + [t.label for t in at.tabs]
    for kind in ("selectbox", "multiselect", "text_input", "number_input"):
        out += [w.label for w in getattr(at, kind)]
    return out


def assert_clean(at) -> None:
    """No exception, no error box (ui.guard turns exceptions into one), no missing key."""
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    leaked = [s for s in page_texts(at) if KEY_RE.search(s)]
    assert not leaked, leaked
