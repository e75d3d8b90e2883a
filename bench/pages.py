"""Page render and filter-change times at scale, through AppTest (server time only).

    python bench/pages.py [--articles 20000 --joins 2000000 --sales 3000000] [--db PATH]

Builds (or reuses, with --db) a large world, then for every page times the
first render (cold caches) and reruns after two kinds of filter change, each a
new value so that every query misses the cache: the conversion window (+1 day,
then +2, ...) and the channel filter (one channel: the first, second, ... of the
channel list). Prints the medians with the process's peak memory. Target
(issue 6): a filter change reruns in <= 300 ms, memory <= 2 GB.

A --db store built by other models (another checkout's) is refused: opening it would
rebuild it first, and the other checkout would rebuild it back (--upgrade: measure anyway).
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from contentroi.pagelist import KEYS as PAGES  # noqa: E402  (every page)

import machine  # noqa: E402  (bench/machine.py: this machine's speed now, printed with the table)


def build(db: Path, articles: int, joins: int, sales: int) -> None:
    """The world's three logs into a new store the way `python -m contentroi load` puts them
    (ingest.publish_files: one snapshot, one model build)."""
    from contentroi import ingest, sample
    from contentroi.store import Workspace

    with tempfile.TemporaryDirectory() as tmp:
        files = sample.generate_world(Path(tmp), n_articles=articles, n_joins=joins, n_sales=sales)
        ws = Workspace(db)
        results = ingest.publish_files(ws, [{"source": files[log], "log": log, "file_name": files[log].name}
                                            for log in ("articles", "joins", "sales")], "cli")
        bad = [r.message for r in results if r.status != "loaded"]
        if bad:
            sys.exit("could not build the world: " + "; ".join(bad))
        with ws.writer() as store:
            store.set_meta("initialized", "yes")


def other_models(db: Path) -> str | None:
    """The models hash of the store's published version when it is not this code's (None:
    the same, or nothing published). Opening such a store upgrades it -- a full rebuild,
    minutes at 10x -- and a later run of the other checkout rebuilds it back: a before /
    after comparison must give each checkout its own copy."""
    import duckdb

    from contentroi.store import Workspace, models_hash

    cur = Workspace(db).current()
    if cur is None or not cur.exists():
        return None
    con = duckdb.connect(str(cur), read_only=True)
    try:
        row = con.execute("SELECT value FROM meta WHERE key = 'models_hash'").fetchone()
    except duckdb.Error:
        return None
    finally:
        con.close()
    return row[0] if row and row[0] != models_hash() else None


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=20_000)
    ap.add_argument("--joins", type=int, default=2_000_000)
    ap.add_argument("--sales", type=int, default=3_000_000)
    ap.add_argument("--db", help="reuse (or create) this store")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--page", action="append", choices=PAGES, help="only this page (repeatable)")
    ap.add_argument("--upgrade", action="store_true",
                    help="measure a store built by other models anyway (it is rebuilt first)")
    a = ap.parse_args()
    db = Path(a.db) if a.db else Path(tempfile.mkdtemp()) / "big.duckdb"
    other = other_models(db) if db.exists() or db.is_symlink() else None
    if other and not a.upgrade:
        sys.exit(f"{db} was built by other models ({other}); opening it rebuilds it (minutes at 10x) "
                 "and the first render would time the rebuild. Use a copy for this checkout, or --upgrade.")
    if not db.exists():
        t = time.perf_counter()
        build(db, a.articles, a.joins, a.sales)
        print(f"built the world in {time.perf_counter() - t:.1f} s")
    os.environ["CONTENTROI_DB"] = str(db)
    from streamlit.testing.v1 import AppTest

    print(machine.line())
    print(f"{'page':<12} {'first render':>13} {'window change':>19} {'channel change':>19}   "
          f"(median (max) of {a.runs})")
    worst = 0.0
    for name in a.page or PAGES:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
        at.switch_page(f"pages/{name}.py")
        t = time.perf_counter()
        at.run()
        first = time.perf_counter() - t
        if at.exception:
            print(f"{name}: exception {at.exception[0].message}")
            continue
        window, channel = [], []
        for i in range(a.runs):
            ni = [w for w in at.sidebar.number_input if "window" in w.label.lower() or "窗口" in w.label]
            if not ni:
                break
            ni[0].set_value(30 + i + 1)
            window.append(timed(at))
        for i in range(a.runs):
            if not at.sidebar.multiselect:
                break
            ms = at.sidebar.multiselect[0]
            ms.set_value([ms.options[i % len(ms.options)]])
            channel.append(timed(at))
        meds = [statistics.median(x) if x else float("nan") for x in (window, channel)]
        worst = max([worst] + [m for m in meds if m == m])
        cells = [f"{1000 * statistics.median(x):.0f} ms ({1000 * max(x):.0f})" if x else "-"
                 for x in (window, channel)]
        print(f"{name:<12} {first * 1000:>10.0f} ms {cells[0]:>19} {cells[1]:>19}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"slowest filter change: {worst * 1000:.0f} ms (target <= 300 ms); peak RSS {rss:,.0f} MB (target <= 2,048 MB)")


def timed(at) -> float:
    """Seconds of one rerun (after a widget change)."""
    t = time.perf_counter()
    at.run()
    if at.exception:
        raise SystemExit(f"exception: {at.exception[0].message}")
    return time.perf_counter() - t


if __name__ == "__main__":
    main()
