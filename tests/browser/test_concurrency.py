"""Two app processes, reader threads and real browser sessions while another process
uploads: zero errors, consistent states, caches refresh (bench/serve.py, smaller)."""
from __future__ import annotations

import importlib.util

import pytest

from .conftest import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def load_bench():
    spec = importlib.util.spec_from_file_location("bench_serve", ROOT / "bench" / "serve.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_many_viewers_while_uploading(sample_db, tmp_path):
    serve = load_bench()
    # Playwright's sync API refuses to start inside the asyncio loop that the session's
    # browser fixture keeps running in this thread: run the bench in a thread of its own.
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(1) as pool:
        out = pool.submit(serve.run, apps=2, browsers=4, threads=6, uploads=2, seconds=8,
                          sample_db=sample_db, workdir=tmp_path).result()
    print("\n" + serve.summary(out, 2, 6))
    assert out["errors"] == []
    assert out["sessions"] == 4 and out["reads"] > 20
    assert out["counts"] <= {200, 210, 220}
    assert max(out["counts"]) == 220  # readers saw the uploads land
    assert out["final_count"] == 220
    assert len(out["latencies"]) >= 4
