"""Many viewers while someone uploads: several app processes, one store.

    python bench/serve.py [--apps 2] [--browsers 8] [--threads 24] [--uploads 3] [--seconds 40]

Starts APPS `streamlit run` processes on different ports over one store
(a copy of the bundled sample), then at the same time:

* THREADS reader threads, each repeatedly opening the published snapshot
  read-only (as an app process does) and computing the report, checking that
  every state it sees is consistent (channel revenues add up to the total, the
  article count is one the uploads can produce);
* BROWSERS real Chromium sessions spread over the app processes, each
  re-running its page again and again (stepping the window filter) and timing
  every rerun;
* a separate process running `python -m contentroi load` UPLOADS times, each
  adding 10 articles.

Then checks that every browser session sees the final article count after the
uploads (caches refresh) and prints sessions held, errors, and p50/p95 rerun
latency. Exit status 1 on any error.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from contentroi import engine  # noqa: E402
from contentroi.engine import Params  # noqa: E402
from contentroi.store import Store, Workspace  # noqa: E402

CHROMIUM = os.environ.get("CONTENTROI_CHROMIUM", "/usr/bin/chromium")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def spawn_app(db: Path, log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = dict(os.environ, CONTENTROI_DB=str(db), PYTHONUNBUFFERED="1")  # its log, line by line
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=open(log, "w"), stderr=subprocess.STDOUT)
    return proc, f"http://127.0.0.1:{port}"


def wait_app(proc: subprocess.Popen, url: str, log: Path, timeout: float = 60) -> bool:
    """Until this process serves ``url``: its own log names the URL (so the health check
    below is not answered by another process that took the free port first) and the
    health check answers. False when the process ended (the port was taken: start again)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        if f"URL: {url}" in log.read_text(errors="replace"):
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return True
            except OSError:
                pass
        time.sleep(0.2)
    raise RuntimeError("app did not start: " + log.read_text()[-2000:])


def start_apps(db: Path, work: Path, n: int) -> list[tuple[subprocess.Popen, str]]:
    """N app processes over the store at ``db``, started together."""
    procs = [spawn_app(db, work / f"app{i}.log") for i in range(n)]
    for i in range(n):
        for _attempt in range(3):
            if wait_app(*procs[i], work / f"app{i}.log"):
                break
            procs[i] = spawn_app(db, work / f"app{i}.log")
        else:
            raise RuntimeError("app did not start: " + (work / f"app{i}.log").read_text()[-2000:])
    return procs


def new_articles(path: Path, k: int) -> None:
    rows = ["article_id,title,channel,published_at,reads,cost"]
    rows += [f"U{k:02d}{i:02d},Upload {k} article {i},wechat,2026-10-{10 + i:02d} 09:00,100,10"
             for i in range(10)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def reader_thread(db: Path, stop: threading.Event, valid_counts: set[int], out: dict) -> None:
    ws = Workspace(db)
    while not stop.is_set():
        try:
            snap = ws.current()
            with Store(snap, read_only=True) as store:
                rep = engine.report(store, Params())
                n = len(rep.articles)
                ch_sum = round(float(rep.channels["revenue"].sum()), 2)
                if n not in valid_counts:
                    out["errors"].append(f"reader saw {n} articles")
                if abs(ch_sum - rep.totals["revenue"]) > 0.05:
                    out["errors"].append(f"channels {ch_sum} != total {rep.totals['revenue']}")
                out["reads"] += 1
                out["counts"].add(n)
            stop.wait(0.5)  # a viewer reads what it was shown before asking again
        except Exception as exc:  # noqa: BLE001
            out["errors"].append(f"reader: {exc!r}")


def _ready(page) -> None:
    page.wait_for_function(
        """() => { const a = document.querySelector('[data-testid="stApp"]');
                   return a && a.getAttribute('data-test-script-state') === 'notRunning'
                     && !document.querySelector('[data-testid="stSkeleton"]'); }""", timeout=60_000)


def run(apps: int = 2, browsers: int = 8, threads: int = 24, uploads: int = 3,
        seconds: float = 40.0, sample_db: Path | None = None, workdir: Path | None = None) -> dict:
    from playwright.sync_api import sync_playwright

    work = Path(workdir or tempfile.mkdtemp(prefix="cr-serve-"))
    db = work / "store.duckdb"
    if sample_db is None:
        from contentroi import ingest

        with Workspace(db).writer() as store:
            for log in ("articles", "joins", "sales"):
                ingest.load_file(store, ROOT / "data" / "sample" / f"{log}.csv", log, source_kind="sample")
            store.set_meta("initialized", "yes")
    else:
        shutil.copy(sample_db, db)
        Workspace(db).reader().close()
    base = len(engine.articles(Workspace(db).reader(), Params()))
    valid = {base + 10 * k for k in range(uploads + 1)}
    out: dict = {"errors": [], "reads": 0, "counts": set(), "latencies": [], "sessions": 0,
                 "pages": [], "contexts": []}
    procs = start_apps(db, work, apps)
    stop = threading.Event()
    lock = threading.Lock()
    t0 = time.perf_counter()
    try:
        readers = [threading.Thread(target=reader_thread, args=(db, stop, valid, out), daemon=True)
                   for _ in range(threads)]
        for t in readers:
            t.start()
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=CHROMIUM, headless=True,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                      "--disable-component-update", "--no-first-run"])
            # Playwright's sync API is single-threaded: drive the sessions round-robin
            sessions = []
            for i in range(browsers):
                url = procs[i % apps][1]
                ctx = browser.new_context(viewport={"width": 1280, "height": 900})
                page = ctx.new_page()
                page.set_default_timeout(60_000)
                page.goto(url + "/channels")
                sessions.append((url, ctx, page))
            for url, ctx, page in sessions:
                _ready(page)
                out["sessions"] += 1
            uploader = threading.Thread(target=_uploads, args=(db, work, uploads, seconds, out), daemon=True)
            uploader.start()
            deadline = time.perf_counter() + seconds
            while time.perf_counter() < deadline:
                for url, ctx, page in sessions:
                    t = time.perf_counter()
                    # start the rerun on this session, then collect it
                    page.locator("[data-testid='stSidebar'] [data-testid='stNumberInputStepUp']").click()
                    page.wait_for_timeout(30)
                    _ready(page)
                    out["latencies"].append(time.perf_counter() - t)
                    if page.locator("[data-testid='stException']").count() or \
                            "Traceback" in page.locator("[data-testid='stApp']").inner_text():
                        out["errors"].append(f"{url}: exception on page")
            uploader.join()
            # the reader threads see the last upload before they stop (a condition, not a
            # fixed time: on a busy machine the last load may land just before this point)
            wait_until = time.perf_counter() + 60
            while max(valid) not in out["counts"] and not out["errors"] and time.perf_counter() < wait_until:
                time.sleep(0.1)
            stop.set()
            for t in readers:
                t.join()
            # after the uploads every session, on any process, shows the new data on its next rerun
            final = max(valid)
            for url, ctx, page in sessions:
                page.locator("[data-testid='stSidebar'] a", has_text="Data").click()
                page.wait_for_url("**/data**")
                _ready(page)
                shown = page.locator("[data-testid='stMetric']").filter(has_text="Article rows").first \
                    .locator("[data-testid='stMetricValue']").inner_text()
                if int(shown.replace(",", "")) != final:
                    out["errors"].append(f"{url}: shows {shown} articles, expected {final}")
                ctx.close()
            browser.close()
    finally:
        stop.set()
        for p, _ in procs:
            p.terminate()
        for p, _ in procs:
            p.wait(10)
    for i in range(apps):
        log = (work / f"app{i}.log").read_text()
        if "Traceback" in log:
            out["errors"].append(f"app{i} log has a traceback: " + log[log.index("Traceback"):][:500])
    out["elapsed"] = time.perf_counter() - t0
    out["final_count"] = len(engine.articles(Workspace(db).reader(), Params()))
    out["expected_final"] = max(valid)
    out.pop("pages"), out.pop("contexts")
    return out


def _uploads(db: Path, work: Path, uploads: int, seconds: float, out: dict) -> None:
    gap = seconds / (uploads + 1)
    for k in range(uploads):
        time.sleep(gap)
        f = work / f"upload{k}.csv"
        new_articles(f, k)
        r = subprocess.run([sys.executable, "-m", "contentroi", "load", "--db", str(db), "--articles", str(f)],
                           cwd=ROOT, capture_output=True, text=True)
        if r.returncode != 0:
            out["errors"].append(f"upload {k}: {r.stdout} {r.stderr}")
        out.setdefault("upload_lines", []).append(r.stdout.strip())


def summary(out: dict, apps: int, threads: int) -> str:
    lat = sorted(out["latencies"])
    p50 = statistics.median(lat) if lat else float("nan")
    p95 = lat[int(0.95 * (len(lat) - 1))] if lat else float("nan")
    return (f"app processes: {apps}; sessions held: {out['sessions']} browser + {threads} reader threads "
            f"= {out['sessions'] + threads}\n"
            f"browser reruns: {len(lat)}; rerun latency p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms "
            f"(click to script finished, seen from the browser)\n"
            f"reader-thread reports: {out['reads']}; article counts seen: {sorted(out['counts'])}\n"
            f"uploads: {len(out.get('upload_lines', []))}; final articles {out['final_count']} "
            f"(expected {out['expected_final']})\n"
            f"errors: {len(out['errors'])}" + "".join(f"\n  - {e}" for e in out["errors"][:10]))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--apps", type=int, default=2)
    ap.add_argument("--browsers", type=int, default=8)
    ap.add_argument("--threads", type=int, default=24)
    ap.add_argument("--uploads", type=int, default=3)
    ap.add_argument("--seconds", type=float, default=40)
    a = ap.parse_args()
    out = run(a.apps, a.browsers, a.threads, a.uploads, a.seconds)
    print(summary(out, a.apps, a.threads))
    sys.exit(1 if out["errors"] else 0)


if __name__ == "__main__":
    main()
