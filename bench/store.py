"""Issue 12's table in one run: what a store of a given size costs, from new data to a number.

    python bench/store.py [--scales 1,3] [--with-10x] [--no-browser] [--runs 3]

For each scale (1x = 20k articles, 2 M joins, 3 M sales; 3x and 10x multiply all three)
it prints, through the public paths (``python -m contentroi ...`` processes, AppTest,
a real browser):

* upload of 1,000 new joins rows into that store (``load --joins``, wall time of the
  process, on a copy of the store), and again with the page cache emptied first when this
  process may (root): a store left idle is read from disk (docs/ARCHITECTURE.md);
* the first ``load`` of the three logs into an empty store, measured on every run: wall time
  of the process, its CPU seconds (all threads; steadier on a shared machine), the model
  rebuilds over the loaded rows (one per command), and its peak RSS;
* ``data/`` on disk: the store's file and its snapshots;
* ``report`` as a process (best of ``--runs``, JSON written to a file);
* the Data page's findings (``data_quality``, one query);
* the slowest filter change over every page (bench/pages.py, AppTest server time);
* a fresh link's time to its first number next to a one-metric Streamlit page
  (bench/freshlink.py, Playwright + Chromium).

Worlds are generated and loaded once and kept under artifacts/worlds/ (not committed).
The upload and first-load rows come from bench/upload.py (``first_load``, ``upload_cost``)
when it is there; otherwise this file loads the world itself (again when the model SQL
changed) and times the upload of 1,000 new joins rows on a copy. Run it with ``nice -n 10`` on a shared machine.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import machine  # noqa: E402  (bench/machine.py: this machine's speed now, printed with the table)
CACHE = ROOT / "artifacts" / "worlds"
BASE = (20_000, 2_000_000, 3_000_000)  # 1x: articles, joins, sales
PY = sys.executable
TIME = "/usr/bin/time"


def _run(args: list[str], env: dict | None = None) -> tuple[float, int, str]:
    """Wall seconds, peak RSS (KB, from /usr/bin/time when present) and stdout of a process."""
    use_time = Path(TIME).exists()
    fmt_file = tempfile.NamedTemporaryFile(delete=False, suffix=".time")
    fmt_file.close()
    cmd = ([TIME, "-f", "%M", "-o", fmt_file.name] if use_time else []) + args
    t = time.perf_counter()
    p = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t
    rss = 0
    if use_time:
        try:
            rss = int(Path(fmt_file.name).read_text().strip().splitlines()[-1])
        except (ValueError, IndexError):
            pass
    os.unlink(fmt_file.name)
    if p.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(args)}: rc {p.returncode}\n{p.stderr[-2000:]}")
    return wall, rss, p.stdout


def du(path: Path) -> int:
    total = 0
    for p in [path] + list(path.rglob("*")):
        if p.is_file() and not p.is_symlink():
            total += p.stat().st_size
    return total


def world(scale: int) -> tuple[Path, dict]:
    """The scale's store (loaded once, cached) and what loading it cost."""
    from contentroi import sample
    from contentroi.store import models_hash

    d = CACHE / f"{scale}x"
    csv = d / "csv"
    if not (csv / "sales.csv").exists():
        a, j, s = (n * scale for n in BASE)
        t = time.perf_counter()
        sample.generate_world(csv, n_articles=a, n_joins=j, n_sales=s)
        print(f"  ({scale}x: generated the logs in {time.perf_counter() - t:.0f} s)", flush=True)
    info_path = d / "load.json"
    info = json.loads(info_path.read_text()) if info_path.exists() else {}
    store_dir = d / "store"
    db = store_dir / "contentroi.duckdb"
    if info.get("models_hash") != models_hash() or not db.exists():
        shutil.rmtree(store_dir, ignore_errors=True)
        store_dir.mkdir(parents=True)
        wall, rss, _ = _run([PY, "-m", "contentroi", "load", "--db", str(db),
                             "--articles", str(csv / "articles.csv"), "--joins", str(csv / "joins.csv"),
                             "--sales", str(csv / "sales.csv")])
        info = {"models_hash": models_hash(), "load_s": wall, "load_rss_kb": rss, "disk": du(store_dir)}
        info_path.write_text(json.dumps(info))
    return db, info


def new_joins(db: Path, out: Path, n: int = 1000) -> Path:
    """n join rows of new users on existing articles, dated after the store's last join."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    arts = [r[0] for r in con.execute("SELECT article_id FROM articles ORDER BY published_at DESC LIMIT 200").fetchall()]
    last = con.execute("SELECT max(joined_at) FROM joins").fetchone()[0]
    con.close()
    rows = ["user_id,joined_at,article_id,group_id"]
    for i in range(n):
        rows.append(f"bench-new-{i},{(last).strftime('%Y-%m-%d')} 23:{i % 60:02d}:00,{arts[i % len(arts)]},g1")
    out.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return out


def _upload_module():
    """bench/upload.py's first_load / upload_cost when present (else this file times
    the upload itself through the public load path)."""
    try:
        sys.path.insert(0, str(ROOT / "bench"))
        import upload  # type: ignore
    except ImportError:
        return None
    ok = all(callable(getattr(upload, f, None)) for f in ("first_load", "upload_cost", "_tag"))
    return upload if ok else None


def upload_cost(db: Path) -> float:
    """Wall seconds of ``load --joins`` with 1,000 new rows, on a copy of the store."""
    with tempfile.TemporaryDirectory(dir=db.parent.parent) as tmp:
        copy = Path(tmp) / "contentroi.duckdb"
        shutil.copy(db.resolve(), copy)
        csv = new_joins(copy, Path(tmp) / "new_joins.csv")
        wall, _, _ = _run([PY, "-m", "contentroi", "load", "--db", str(copy), "--joins", str(csv)])
        return wall


def report_process(db: Path, runs: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        times = [_run([PY, "-m", "contentroi", "report", "--db", str(db), "--out", f"{tmp}/r.json"])[0]
                 for _ in range(runs)]
    return min(times)


def data_quality_s(db: Path) -> float:
    from contentroi import sql
    from contentroi.store import Store

    with Store(db, read_only=True) as s:
        t = time.perf_counter()
        sql.run(s.cursor(), "data_quality")
        return time.perf_counter() - t


def slowest_filter_change(db: Path) -> tuple[float, str]:
    _, _, out = _run([PY, str(ROOT / "bench" / "pages.py"), "--db", str(db), "--runs", "2"])
    print("\n".join("    " + line for line in out.splitlines() if "ScriptRunContext" not in line), flush=True)
    m = re.search(r"slowest filter change: (\d+) ms", out)
    worst_page = ""
    worst = -1.0
    for line in out.splitlines():  # "articles   939 ms   381 ms (381)   398 ms (398)"
        cells = re.findall(r"(\d+) ms \(", line)
        if cells and max(map(float, cells)) > worst:
            worst, worst_page = max(map(float, cells)), line.split()[0]
    return (float(m.group(1)) / 1000 if m else float("nan")), worst_page


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scales", default="1,3", help="comma-separated multiples of 1x")
    ap.add_argument("--with-10x", action="store_true", help="add the 10x world (needs ~25 GB disk, an hour)")
    ap.add_argument("--no-browser", action="store_true")
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    scales = [int(x) for x in a.scales.split(",") if x.strip()] + ([10] if a.with_10x else [])
    rows: dict[str, list[str]] = {}

    def put(key: str, value: str) -> None:
        rows.setdefault(key, []).append(value)

    up = _upload_module()
    for scale in scales:
        print(f"{scale}x ...", flush=True)
        if up is not None:  # bench/upload.py (the store/load half of issue 12): one world, one load
            fl = up.first_load(scale, work=CACHE)  # measured on every run (the cached store may be older code's)
            u = up.upload_cost(scale, 1000, work=CACHE)
            tag = up._tag(scale)
            db = CACHE / f"store-{tag}" / "data" / "contentroi.duckdb"
            put("upload of 1,000 new joins rows (process)",
                f"{u['seconds']:.1f} s (rebuild {u['rebuild_seconds']:.1f} s)")
            if getattr(up, "drop_page_cache", None) and os.access("/proc/sys/vm/drop_caches", os.W_OK):
                # a store left idle is read from disk (docs/ARCHITECTURE.md)
                c = up.upload_cost(scale, 1000, work=CACHE, cold=True)
                put("… the page cache emptied first (a store left idle)",
                    f"{c['seconds']:.1f} s (rebuild {c['rebuild_seconds']:.1f} s)")
            put("first `load` of the three logs (process)",
                f"{fl.get('process_seconds', fl['seconds']):.0f} s, {fl['cpu_seconds']:.0f} s CPU "
                f"({fl['refreshes']} rebuild)")
            put("peak memory of that load", f"{fl['peak_rss_mb'] / 1024:.2f} GiB")
            put("`data/` on disk after it", f"{fl['data_bytes'] / 1e9:.2f} GB")
        else:
            db, info = world(scale)
            put("upload of 1,000 new joins rows (process)", f"{upload_cost(db):.1f} s")
            put("first `load` of the three logs", f"{info['load_s']:.0f} s")
            put("peak memory of that load", f"{info['load_rss_kb'] / 1024 ** 2:.2f} GiB")
            put("`data/` on disk after it", f"{info['disk'] / 1e9:.2f} GB")
        put("`report` as a process (JSON)", f"{report_process(db, a.runs):.2f} s")
        put("`data_quality` (Data page)", f"{data_quality_s(db) * 1000:.0f} ms")
        worst, page = slowest_filter_change(db)
        put("slowest filter change (server time)", f"{worst * 1000:.0f} ms ({page})")
        if not a.no_browser:
            sys.path.insert(0, str(ROOT / "bench"))
            import freshlink

            r = freshlink.measure(db, runs=a.runs)
            put("fresh link: first metric, app vs one-metric page",
                f"{r['app']:.1f} s vs {r['one_metric']:.1f} s")
        print(f"  {scale}x done", flush=True)

    width = max(len(k) for k in rows) + 2
    print("\n| | " + " | ".join(f"{s}×" for s in scales) + " |")
    print("|---|" + "---|" * len(scales))
    for k, vals in rows.items():
        print(f"| {k:<{width}}| " + " | ".join(vals) + " |")
    load = os.getloadavg()
    print(f"\n(load average at the end: {load[0]:.1f}, {load[1]:.1f}, {load[2]:.1f} on {os.cpu_count()} cores)")
    print(machine.line())


if __name__ == "__main__":
    main()
