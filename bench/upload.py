"""What a daily upload costs: N new joins rows into a store of scale S.

    nice -n 10 .venv/bin/python bench/upload.py [--scales 0.05 1] [--rows 1000] [--work DIR]
        [--code DIR]        # time another checkout's contentroi (a "before" measurement)
        [--days K]          # instead: K uploads in a row into one store (time, snapshot, data/)
        [--cold]            # empty the page cache before each load (root): the store is read
                            # from disk, as after a day idle (a copy just made is in memory)

Scale 1 is the 1x world of bench/report.py (20k articles, 2 M joins, 3 M sales,
contentroi.sample.generate_world); scale S multiplies the three counts. For each
scale it

1. generates the world (cached under --work),
2. loads the three logs with ``python -m contentroi load`` into an empty
   workspace store, in one process: wall time, the part spent in
   ``Store.refresh_models`` (the model rebuild), peak RSS (VmHWM) and the size of
   ``data/`` afterwards,
3. uploads ``--rows`` new joins rows (half of them of users already in the store,
   all on known articles, the day after the world's last join) the same way, into
   a copy of that store, and measures the same.

Every load runs in a child process (so peak RSS is the load's own). The functions
are reusable: ``first_load(scale)`` and ``upload_cost(scale, rows)`` return dicts
with ``seconds`` / ``cpu_seconds`` (the whole command: wall / CPU of all threads),
``rebuild_seconds`` / ``rebuild_cpu_seconds`` (inside ``Store.refresh_models``),
``refreshes``, ``peak_rss_mb`` (VmHWM) and ``data_bytes`` (du of ``data/`` after).
On a shared machine the CPU seconds are the steadier comparison.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASE = {"articles": 20_000, "joins": 2_000_000, "sales": 3_000_000}
DEFAULT_WORK = Path(os.environ.get("CONTENTROI_BENCH_DIR", "/tmp/contentroi-bench"))


# ---------------------------------------------------------------------------
# helpers the parent uses
# ---------------------------------------------------------------------------
def _tag(scale: float) -> str:
    return f"{scale:g}x"


def disk_bytes(path: Path) -> int:
    """Bytes allocated on disk under ``path`` (du), symlinks not followed."""
    total = 0
    for dirpath, _dirs, names in os.walk(path):
        for n in names:
            p = os.path.join(dirpath, n)
            if not os.path.islink(p):
                total += os.lstat(p).st_blocks * 512
    return total


def world(scale: float, work: Path = DEFAULT_WORK) -> dict[str, Path]:
    """The three CSV logs of the world of ``scale`` (generated once, then cached)."""
    d = work / f"world-{_tag(scale)}"
    files = {log: d / f"{log}.csv" for log in BASE}
    if (d / "done").exists():
        return files
    sys.path.insert(0, str(ROOT))
    from contentroi import sample

    if d.exists():
        shutil.rmtree(d)
    sample.generate_world(d, n_articles=round(BASE["articles"] * scale),
                          n_joins=round(BASE["joins"] * scale), n_sales=round(BASE["sales"] * scale))
    (d / "done").touch()
    return files


def make_joins_upload(files: dict[str, Path], n: int, out: Path, seed: int = 12) -> Path:
    """``n`` new joins rows: half of them of users already in the world, half of new
    users, on known articles, during the day after the world's last join."""
    import duckdb

    con = duckdb.connect()
    users = [r[0] for r in con.execute(
        "SELECT DISTINCT user_id FROM read_csv($p, all_varchar = true) USING SAMPLE 20000 ROWS",
        {"p": str(files["joins"])}).fetchall()]
    arts = [r[0] for r in con.execute(
        "SELECT article_id FROM read_csv($p, all_varchar = true)", {"p": str(files["articles"])}).fetchall()]
    last = con.execute("SELECT max(CAST(joined_at AS TIMESTAMP)) FROM read_csv($p, all_varchar = true)",
                       {"p": str(files["joins"])}).fetchone()[0]
    con.close()
    rng = random.Random(seed)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8", newline="") as f:
        f.write("user_id,joined_at,article_id,group_id\n")
        for i in range(n):
            user = rng.choice(users) if i % 2 == 0 else f"new{seed}-{i}"
            at = last.timestamp() + 60 + rng.randrange(86_400)
            f.write(f"{user},{time.strftime('%Y-%m-%d %H:%M:%S', time.gmtime(at))},"
                    f"{rng.choice(arts)},g{rng.randrange(12)}\n")
    return out


def drop_page_cache() -> bool:
    """Empty the kernel's page cache (root only), so that the next process reads the store
    from disk, as an upload into a store left idle does: on this machine DAMON pages out
    what was not touched for about a minute (/sys/kernel/mm/damon: `pageout`, min age
    12 x 5 s). False where this process may not."""
    try:
        os.sync()
        with open("/proc/sys/vm/drop_caches", "w") as f:
            f.write("3\n")
        return True
    except OSError:
        return False


def _run_child(code: Path, db: Path, files: list[tuple[str, Path]], env: dict | None = None,
               cold: bool = False) -> dict:
    if cold and not drop_page_cache():
        raise SystemExit("--cold needs to write /proc/sys/vm/drop_caches (root)")
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", "--code", str(code), "--db", str(db)]
    for log, f in files:
        cmd += [f"--{log}", str(f)]
    t = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, **(env or {})})
    process_seconds = time.perf_counter() - t
    if r.returncode != 0:
        raise RuntimeError(f"load failed ({r.returncode}): {r.stderr[-2000:]}")
    out = json.loads(r.stdout.strip().splitlines()[-1])
    if out["rc"]:
        raise RuntimeError(f"load exited {out['rc']}: {r.stderr[-2000:]}")
    out["process_seconds"] = round(process_seconds, 3)  # the whole process: start-up and imports too
    out["data_bytes"] = disk_bytes(db.parent)
    return out


def first_load(scale: float, work: Path = DEFAULT_WORK, code: Path = ROOT, label: str = "",
               cold: bool = False) -> dict:
    """Load the world of ``scale`` into an empty store with one ``load`` command.
    Keeps the loaded store as the template for ``upload_cost``."""
    files = world(scale, work)
    store_dir = work / f"store-{_tag(scale)}{label}"
    if store_dir.exists():
        shutil.rmtree(store_dir)
    db = store_dir / "data" / "contentroi.duckdb"
    db.parent.mkdir(parents=True)
    out = _run_child(code, db, [(log, files[log]) for log in BASE], cold=cold)
    (store_dir / "first_load.json").write_text(json.dumps(out))
    return out


def upload_cost(scale: float, rows: int = 1000, work: Path = DEFAULT_WORK, code: Path = ROOT,
                label: str = "", repeat: int = 1, cold: bool = False) -> dict:
    """Upload ``rows`` new joins rows into (a copy of) the loaded store of ``scale``
    (loaded first if needed); the best of ``repeat`` runs, each on a fresh copy (``cold``:
    with the page cache emptied before each, as for a store left idle)."""
    store_dir = work / f"store-{_tag(scale)}{label}"
    if not (store_dir / "first_load.json").exists():
        first_load(scale, work, code, label)
    up = make_joins_upload(world(scale, work), rows, work / f"upload-{_tag(scale)}-{rows}.csv")
    best = None
    for _ in range(repeat):
        trial = work / f"trial-{_tag(scale)}{label}"
        if trial.exists():
            shutil.rmtree(trial)
        shutil.copytree(store_dir / "data", trial / "data", symlinks=True)
        out = _run_child(code, trial / "data" / "contentroi.duckdb", [("joins", up)], cold=cold)
        shutil.rmtree(trial)
        if best is None or out["seconds"] < best["seconds"]:
            best = out
    best["store_bytes"] = disk_bytes(store_dir / "data")
    return best


def upload_days(scale: float, rows: int, days: int, work: Path = DEFAULT_WORK, code: Path = ROOT,
                label: str = "", cold: bool = False) -> list[dict]:
    """``days`` uploads of ``rows`` new joins rows one after the other into one copy of
    the loaded store of ``scale`` (a different file each day): per upload its cost, the
    snapshot it published (a delta on the base, or standalone: a compaction) and the
    size of ``data/`` afterwards (the last five snapshots are kept)."""
    store_dir = work / f"store-{_tag(scale)}{label}"
    if not (store_dir / "first_load.json").exists():
        first_load(scale, work, code, label)
    trial = work / f"days-{_tag(scale)}{label}"
    if trial.exists():
        shutil.rmtree(trial)
    shutil.copytree(store_dir / "data", trial / "data", symlinks=True)
    db = trial / "data" / "contentroi.duckdb"
    out = []
    for day in range(days):
        up = make_joins_upload(world(scale, work), rows, work / f"day{day}-{_tag(scale)}-{rows}.csv", seed=100 + day)
        r = _run_child(code, db, [("joins", up)], cold=cold)
        r["published"] = os.readlink(db).rsplit("/", 1)[-1]
        out.append(r)
    shutil.rmtree(trial)
    return out


# ---------------------------------------------------------------------------
# the child: one `python -m contentroi load`, instrumented
# ---------------------------------------------------------------------------
def _vmhwm_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _child(args) -> int:
    sys.path.insert(0, str(Path(args.code).resolve()))
    from contentroi import cli
    from contentroi.store import Store

    spent = {"refresh": 0.0, "refresh_cpu": 0.0, "refreshes": 0, "empty_refreshes": 0}
    orig = Store.refresh_models

    def timed(self, cur, *a, **kw):
        # a new store builds its (empty) models when it is created: counted apart, so
        # "refreshes" is the number of model rebuilds over the loaded rows
        rows = cur.execute("SELECT (SELECT count(*) FROM joins) + (SELECT count(*) FROM sales)").fetchone()[0]
        t, c = time.perf_counter(), time.process_time()
        try:
            return orig(self, cur, *a, **kw)
        finally:
            spent["refresh"] += time.perf_counter() - t
            spent["refresh_cpu"] += time.process_time() - c
            spent["refreshes" if rows else "empty_refreshes"] += 1

    Store.refresh_models = timed
    argv = ["load", "--db", args.db]
    for log in BASE:
        for f in getattr(args, log) or []:
            argv += [f"--{log}", f]
    t, c = time.perf_counter(), time.process_time()
    import contextlib
    import io

    said = io.StringIO()
    with contextlib.redirect_stdout(said):
        rc = cli.main(argv)
    if rc:  # the load refused something: what it said goes to the parent (which stops)
        sys.stderr.write(said.getvalue())
    total, cpu = time.perf_counter() - t, time.process_time() - c
    # CPU seconds (all threads) are less disturbed than wall time by other processes on a shared machine.
    print(json.dumps({"rc": rc, "seconds": round(total, 3), "rebuild_seconds": round(spent["refresh"], 3),
                      "cpu_seconds": round(cpu, 3), "rebuild_cpu_seconds": round(spent["refresh_cpu"], 3),
                      "refreshes": spent["refreshes"], "empty_refreshes": spent["empty_refreshes"],
                      "peak_rss_mb": round(_vmhwm_mb())}))
    return 0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--db", help=argparse.SUPPRESS)
    for log in BASE:
        ap.add_argument(f"--{log}", action="append", help=argparse.SUPPRESS)
    ap.add_argument("--code", default=str(ROOT), help="the checkout whose contentroi is timed")
    ap.add_argument("--label", default="", help="suffix of the cached store directory")
    ap.add_argument("--scales", type=float, nargs="+", default=[0.05, 1.0])
    ap.add_argument("--rows", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--work", default=str(DEFAULT_WORK))
    ap.add_argument("--reuse", action="store_true", help="reuse a loaded store (skip the first load)")
    ap.add_argument("--days", type=int, default=0,
                    help="then this many uploads in a row into one store: time, snapshot, data/")
    ap.add_argument("--cold", action="store_true",
                    help="empty the page cache before each timed process (root): a store left idle "
                         "is read from disk; without it the store was just copied (in memory)")
    args = ap.parse_args()
    if args.child:
        sys.exit(_child(args))
    work = Path(args.work)
    code = Path(args.code)
    if args.days:
        for s in args.scales:
            print(f"{_tag(s)}: {args.days} uploads of {args.rows} joins rows in a row "
                  f"(the store after its first load: {disk_bytes(work / f'store-{_tag(s)}{args.label}' / 'data') / 1e6:.0f} MB)"
                  if (work / f"store-{_tag(s)}{args.label}").exists() else f"{_tag(s)}:")
            for day, r in enumerate(upload_days(s, args.rows, args.days, work, code, args.label, args.cold), 1):
                print(f"  day {day}: {r['seconds']:6.2f} s (rebuild {r['rebuild_seconds']:5.2f} s)  "
                      f"published {r['published']:<22} data/ {r['data_bytes'] / 1e6:5.0f} MB", flush=True)
        return
    print(f"{'scale':>6} {'first load s':>13} {'(rebuild s)':>11} {'peak MB':>8} {'data/ MB':>9} | "
          f"{'upload ' + str(args.rows) + ' s':>14} {'(rebuild s)':>11} {'peak MB':>8} {'data/ MB':>9}")
    for s in args.scales:
        fl_path = work / f"store-{_tag(s)}{args.label}" / "first_load.json"
        fl = (json.loads(fl_path.read_text()) if args.reuse and fl_path.exists()
              else first_load(s, work, code, args.label, args.cold))
        up = upload_cost(s, args.rows, work, code, args.label, args.repeat, args.cold)
        print(f"{_tag(s):>6} {fl['seconds']:>13.2f} {fl['rebuild_seconds']:>11.2f} {fl['peak_rss_mb']:>8.0f} "
              f"{fl['data_bytes'] / 1e6:>9.0f} | {up['seconds']:>14.2f} {up['rebuild_seconds']:>11.2f} "
              f"{up['peak_rss_mb']:>8.0f} {up['data_bytes'] / 1e6:>9.0f}", flush=True)


if __name__ == "__main__":
    main()
