"""Real-browser fixtures: `streamlit run` on a free port, Debian's Chromium via Playwright.

Playwright cannot download its own browser here, so it drives /usr/bin/chromium
(installed by `make test`). Screenshots go to artifacts/screenshots/ (not committed).
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = os.environ.get("CONTENTROI_CHROMIUM", "/usr/bin/chromium")

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, db: Path, env: dict[str, str] | None = None):
        self.db = db
        e = dict(os.environ, CONTENTROI_DB=str(db), PYTHONUNBUFFERED="1", **(env or {}))  # its log, line by line
        for _attempt in range(3):  # a free port can be taken by another process before ours binds it
            self.port = _free_port()
            self.url = f"http://127.0.0.1:{self.port}"
            self.log_path = db.parent / f"streamlit-{self.port}.log"
            self.log = open(self.log_path, "w")
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
                 "--server.port", str(self.port), "--server.address", "127.0.0.1",
                 "--server.headless", "true", "--browser.gatherUsageStats", "false",
                 "--server.fileWatcherType", "none"],
                cwd=ROOT, env=e, stdout=self.log, stderr=subprocess.STDOUT,
            )
            if self._serving():
                return
            self.log.close()
        raise RuntimeError("streamlit did not start: " + self.log_path.read_text()[-2000:])

    def _serving(self, timeout: float = 60) -> bool:
        """Until this process serves its URL: its own log names the URL (so the health
        check is not answered by another process on that port) and the health check
        answers. False when the process ended (the port was taken)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            if f"URL: {self.url}" in self.log_path.read_text(errors="replace"):
                try:
                    with urllib.request.urlopen(self.url + "/_stcore/health", timeout=2) as r:
                        if r.status == 200:
                            return True
                except OSError:
                    pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("streamlit did not start: " + self.log_path.read_text()[-2000:])

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test` (installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield b
        b.close()


@pytest.fixture(scope="session")
def server(sample_db, tmp_path_factory):
    """One app server on a private copy of the sample store, shared by read-only tests."""
    d = tmp_path_factory.mktemp("srv")
    db = d / "store.duckdb"
    shutil.copy(sample_db, db)
    srv = Server(db)
    yield srv
    srv.stop()


@pytest.fixture
def fresh_server(sample_db, tmp_path):
    """A server of its own, for tests that change data."""
    db = tmp_path / "store.duckdb"
    shutil.copy(sample_db, db)
    srv = Server(db)
    yield srv
    srv.stop()


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
    p = ctx.new_page()
    p.set_default_timeout(30_000)
    yield p
    ctx.close()


def wait_ready(page) -> None:
    """Wait until Streamlit has finished running the script, and the page has drawn
    something. (The first visitor after a server start gets a run that draws nothing and
    reruns (st_app/frame.py `_ensure_app_navigation`): between the two the state is
    "notRunning" for ~0.1 s; a screenshot taken there was blank.)"""
    page.wait_for_selector("[data-testid='stApp']", timeout=30_000)
    page.wait_for_timeout(200)
    page.wait_for_function(
        """() => {
            const app = document.querySelector('[data-testid="stApp"]');
            return app && app.getAttribute('data-test-script-state') === 'notRunning'
                && document.querySelector('[data-testid="stMain"] [data-testid="stElementContainer"]')
                && !document.querySelector('[data-testid="stSkeleton"]')
                && !document.querySelector('[data-testid="stStatusWidget"]');
        }""", timeout=60_000)
    # A run that ends in st.rerun() (a confirmed Clear / Reset / Undo, the first visitor's
    # navigation) leaves the state "notRunning" for ~0.1 s before the next run starts, and
    # the page shows the earlier run's figures until then. Without this wait a check after
    # Reset read the tiles from before it (tried on 6 Dec: the suite failed once in one run).
    page.wait_for_timeout(500)


# Every chart on screen has drawn its marks (vega's `.marks` svg): what a screenshot waits for.
_CHARTS_DRAWN = """() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
    .filter((c) => c.getClientRects().length > 0)
    .every((c) => c.querySelector('.marks'))"""


def after_rerun(page, act) -> None:
    """Do ``act`` (a click that makes Streamlit run the script again) and wait until that
    run has started and finished. wait_ready alone can return before the run starts: the
    script state is still the last run's "notRunning" when the click's rerun has not
    reached the browser yet (on a busy machine a reset's Data page was read before it
    reran). A MutationObserver installed before the click records the "running" state:
    from each change's old value too, since its callback runs after the task that made
    the changes, and a short run can have gone "running" and back to "notRunning" in one
    task (then the attribute read in the callback never says "running": the wait timed
    out once, on an Undo)."""
    page.evaluate("""() => {
        window.__crRan = false;
        const app = document.querySelector('[data-testid="stApp"]');
        new MutationObserver((records) => {
            if (app.getAttribute('data-test-script-state') === 'running'
                || records.some((r) => r.oldValue === 'running')) window.__crRan = true;
        }).observe(app, {attributes: true, attributeOldValue: true,
                         attributeFilter: ['data-test-script-state']});
    }""")
    act()
    page.wait_for_function("() => window.__crRan === true", timeout=120_000)
    wait_ready(page)


def shot(page, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_function(_CHARTS_DRAWN, timeout=30_000)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
