"""A shared link's time to its first number, in a real browser (issue 12).

    python bench/freshlink.py [--db PATH] [--runs 5] [--query "?from=2026-06-01"]

Starts ``streamlit run app.py`` on the store and ``streamlit run bench/one_metric.py``
(a page that only shows one st.metric) on free ports, opens each once to warm the
server, then opens the link ``runs`` times, each in a fresh browser context (no cache,
no cookies: a colleague clicking the link), and times navigation start -> the first
KPI tile (``[data-testid=stMetric]``) visible. Prints the medians and the difference.
Target: the app within 0.5 s of the one-metric page on the same machine.
"""
from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CONTENTROI_CHROMIUM", "/usr/bin/chromium")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``streamlit run SCRIPT`` on a free port (stopped by :meth:`stop`)."""

    def __init__(self, script: Path, db: Path | None = None):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ)
        if db is not None:
            env["CONTENTROI_DB"] = str(db)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(self.port),
             "--server.address", "127.0.0.1", "--server.headless", "true",
             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"streamlit did not start: {script}")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def first_metric_s(browser, url: str, timeout_ms: int = 120_000) -> float:
    """Seconds from navigation start to the first st.metric visible, in a fresh context."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
    try:
        page = ctx.new_page()
        t = time.perf_counter()
        page.goto(url, wait_until="commit", timeout=timeout_ms)
        page.locator("[data-testid='stMetric']").first.wait_for(state="visible", timeout=timeout_ms)
        return time.perf_counter() - t
    finally:
        ctx.close()


def measure(db: Path, query: str = "?from=2026-06-01", runs: int = 5) -> dict[str, float]:
    """Median seconds to the first metric: the app's link and the one-metric page."""
    from playwright.sync_api import sync_playwright

    servers = {"app": Server(ROOT / "app.py", db), "one_metric": Server(ROOT / "bench" / "one_metric.py")}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"])
            try:
                out = {}
                for name, srv in servers.items():
                    url = srv.url + "/" + (query if name == "app" else "")
                    first_metric_s(browser, url)  # the server's first visitor (imports, caches)
                    times = []
                    for _ in range(runs):  # alternate? no: each on its own fresh context
                        times.append(first_metric_s(browser, url))
                    out[name] = statistics.median(times)
                    out[name + "_max"] = max(times)
                return out
            finally:
                browser.close()
    finally:
        for srv in servers.values():
            srv.stop()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default=str(ROOT / "data" / "contentroi.duckdb"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--query", default="?from=2026-06-01")
    a = ap.parse_args()
    r = measure(Path(a.db), a.query, a.runs)
    print(f"fresh link to the first metric (median of {a.runs}): app {r['app']:.2f} s "
          f"(max {r['app_max']:.2f}), one-metric page {r['one_metric']:.2f} s "
          f"(max {r['one_metric_max']:.2f}); difference {r['app'] - r['one_metric']:+.2f} s (target <= 0.5 s)")


if __name__ == "__main__":
    main()
