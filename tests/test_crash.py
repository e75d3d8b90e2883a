"""Crash safety (CONTRACT §1: "a crash ... mid-load leaves the store as it was
before that file").

A load of a large joins file (250,000 rows: a load of some seconds, long next to
the few milliseconds a kill needs to land) is killed with SIGKILL at seeded random
points spread over the load; each time the store must hold exactly the state before
the file (joins count and upload rows unchanged) or exactly the state after it
(all of the file's rows and one new upload row whose ``accepted`` is the
number of rows added) -- never anything in between; it must still open and
``python -m contentroi report`` must exit 0.

Two ways a load runs:

- ``python -m contentroi load --db`` (the published-snapshot Workspace: the
  load writes a copy and publishes it); a later load must still work (the
  lock goes with the killed process);
- ``tests/crash_loader.py``: ``ingest.load_file`` straight into one store file,
  so the store's own transaction (and DuckDB's recovery) is what keeps it whole.

Run with ``-s`` to see the kill points and where each landed.
"""
from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from contentroi import ingest
from contentroi.store import Store

ROOT = Path(__file__).resolve().parent.parent
LOADER = Path(__file__).resolve().parent / "crash_loader.py"
BIG_ROWS = 250_000
SMALL_ROWS = 100
SEED = 20261123
DB = "store.duckdb"

# Kill points are timed against a calibrated load: `make test` runs these alone, not beside
# the parallel workers, whose load would change the machine's speed under them.
pytestmark = pytest.mark.solo


def _env() -> dict:
    return {k: v for k, v in os.environ.items() if k != "CONTENTROI_DB"}


def _cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "contentroi", *args], cwd=ROOT, env=_env(),
                          capture_output=True, text=True, timeout=timeout)


def _write_joins(path: Path, n: int, prefix: str) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("user_id,joined_at,article_id,group_id\n")
        for i in range(n):
            f.write(f"{prefix}{i},2024-{1 + i % 12:02d}-{1 + i % 28:02d} {i % 24:02d}:{i % 60:02d}:"
                    f"{(i // 60) % 60:02d},A{i % 500:04d},g{i % 7}\n")


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("crash-files")
    out = {"big": d / "big.csv", "small": d / "small.csv", "later": d / "later.csv"}
    _write_joins(out["big"], BIG_ROWS, "u")
    _write_joins(out["small"], SMALL_ROWS, "s")
    _write_joins(out["later"], 3, "later")
    return out


def _state(db: Path, read_only: bool = True) -> tuple[int, list[tuple]]:
    """(joins rows, upload rows) of the store at ``db``."""
    with Store(db, read_only=read_only) as s:
        cur = s.cursor()
        n = cur.execute("SELECT count(*) FROM joins").fetchone()[0]
        ups = cur.execute("SELECT upload_id, log, file_name, rows_read, accepted, rejected, duplicates "
                          "FROM uploads ORDER BY upload_id").fetchall()
    return n, ups


def _classify(state, before, after_n: int, where: str) -> str:
    """'before' or 'after'; anything else fails."""
    n, ups = state
    n0, ups0 = before
    if (n, ups) == (n0, ups0):
        return "before"
    assert n == after_n, f"{where}: {n} joins rows -- neither {n0} (before) nor {after_n} (after)"
    assert len(ups) == len(ups0) + 1 and ups[:-1] == ups0, f"{where}: uploads {ups}"
    new = ups[-1]
    assert new[1:4] == ("joins", "big.csv", BIG_ROWS) and new[4] == n - n0, f"{where}: upload {new}"
    return "after"


def _kill_points(n: int, rng: random.Random) -> list[float]:
    """One point per slice of [0, 1.15] x the load's duration."""
    return [(i + rng.random()) / n * 1.15 for i in range(n)]


def _report(log: list, title: str, duration: float, t_test: float) -> None:
    landed = {o: sum(1 for e in log if e[-1] == o) for o in ("before", "after")}
    print(f"\n[crash] {title}: the load of {BIG_ROWS:,} joins rows takes {duration * 1000:.0f} ms; "
          f"{len(log)} SIGKILL points (seed {SEED}):")
    for k, frac, at_ms, what, outcome in log:
        print(f"  kill {k:2d}: {frac:4.2f} x load = {at_ms:5.0f} ms  {what:<17} -> store {outcome}")
    print(f"  landed before: {landed['before']}, after: {landed['after']}, in between: 0; "
          f"test took {time.monotonic() - t_test:.1f} s")
    assert sum(1 for e in log if e[3] == "killed") >= len(log) // 2, "too few kills hit a running load"


def _kill_at(proc: subprocess.Popen, t_start: float, seconds: float) -> tuple[bool, float | None]:
    """SIGKILL ``proc`` at ``seconds`` after ``t_start`` unless it ends before: (whether
    it was killed, how long it ran when it ended by itself)."""
    try:
        proc.wait(timeout=max(0.0, seconds - (time.monotonic() - t_start)))
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        return True, None
    return False, time.monotonic() - t_start


def _next_duration(duration: float, ran: float | None) -> float:
    """The load's duration that the next kill points are spread over: a load that ended
    before its kill point shows the machine is faster now than when calibrated (on a
    busy machine the speed changes), so the next points are spread over what it took."""
    return min(duration, ran) if ran is not None else duration


# ---------------------------------------------------------------------------
# python -m contentroi load (Workspace: copy, load, publish)
# ---------------------------------------------------------------------------
def _spawn_cli_load(db: Path, joins: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "contentroi", "load", "--db", str(db), "--joins", str(joins)],
                            cwd=ROOT, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _wait_for(path: Path, proc: subprocess.Popen, timeout: float = 60) -> bool:
    """Until the load's new snapshot file appears (the load has started): ``path`` names
    it as a standalone snapshot; a delta on the one before has a longer name (NNNNNN+BBBBBB)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if path.exists() or any(path.parent.glob(path.stem + "+*.duckdb")):
            return True
        if proc.poll() is not None:
            return False
        time.sleep(0.002)
    raise AssertionError("the load never started")


@pytest.mark.slow
def test_sigkill_during_cli_load(tmp_path, files):
    t_test = time.monotonic()
    rng = random.Random(SEED)
    base = tmp_path / "base"
    base.mkdir()
    r = _cli("load", "--db", str(base / DB), "--joins", str(files["small"]))
    assert r.returncode == 0, r.stderr
    before = _state(base / DB)
    assert before[0] == SMALL_ROWS and len(before[1]) == 1
    snaps = sorted(p.name for p in (base / (DB + ".snapshots")).iterdir() if p.suffix == ".duckdb")
    new_snap = f"{int(snaps[-1].split('.')[0][:6]) + 1:06d}.duckdb"   # the snapshot the big load writes

    cal = tmp_path / "calibration"                # one uninterrupted load: "after" and its duration
    shutil.copytree(base, cal, symlinks=True)
    proc = _spawn_cli_load(cal / DB, files["big"])
    assert _wait_for(cal / (DB + ".snapshots") / new_snap, proc)
    t0 = time.monotonic()
    assert proc.wait(timeout=120) == 0
    duration = time.monotonic() - t0
    after_n = _state(cal / DB)[0]
    assert after_n == SMALL_ROWS + BIG_ROWS
    assert _classify(_state(cal / DB), before, after_n, "calibration") == "after"

    log = []
    for k, frac in enumerate(_kill_points(10, rng)):
        trial = tmp_path / f"kill{k}"
        shutil.copytree(base, trial, symlinks=True)
        proc = _spawn_cli_load(trial / DB, files["big"])
        started = _wait_for(trial / (DB + ".snapshots") / new_snap, proc)
        t_start = time.monotonic()
        running, ran = _kill_at(proc, t_start, frac * duration)
        at_ms = (time.monotonic() - t_start) * 1000 if started else 0.0
        if started:
            duration = _next_duration(duration, ran)
        outcome = _classify(_state(trial / DB), before, after_n, f"kill {k} at {at_ms:.0f} ms")
        assert running or outcome == "after", "the load exited without publishing"
        rep = _cli("report", "--db", str(trial / DB))
        assert rep.returncode == 0, rep.stderr
        if k % 3 == 0:      # not stuck: the lock went with the process, leftovers are pruned
            more = _cli("load", "--db", str(trial / DB), "--joins", str(files["later"]))
            assert more.returncode == 0, more.stderr
            assert _state(trial / DB)[0] == (after_n if outcome == "after" else SMALL_ROWS) + 3
        log.append((k, frac, at_ms, "killed" if running else "had finished", outcome))
        shutil.rmtree(trial)
    _report(log, "python -m contentroi load", duration, t_test)


# ---------------------------------------------------------------------------
# ingest.load_file straight into one store file (its transaction, DuckDB's WAL)
# ---------------------------------------------------------------------------
def _spawn_direct_load(db: Path, joins: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(LOADER), str(db), "joins", str(joins)],
                            cwd=ROOT, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)


def _wait_loading(proc: subprocess.Popen) -> bool:
    line = proc.stdout.readline()
    assert line.strip() == "loading" or proc.poll() is not None, line
    return line.strip() == "loading"


@pytest.mark.slow
def test_sigkill_during_store_transaction(tmp_path, files):
    t_test = time.monotonic()
    rng = random.Random(SEED + 1)
    base = tmp_path / "base.duckdb"
    with Store(base) as s:
        assert ingest.load_file(s, files["small"], "joins", file_name="small.csv").status == "loaded"
    before = _state(base)

    cal = tmp_path / "calibration.duckdb"
    shutil.copyfile(base, cal)
    proc = _spawn_direct_load(cal, files["big"])
    assert _wait_loading(proc)
    t0 = time.monotonic()
    proc.stdout.read()
    assert proc.wait(timeout=120) == 0
    duration = time.monotonic() - t0
    after_n = _state(cal)[0]
    assert after_n == SMALL_ROWS + BIG_ROWS

    log = []
    for k, frac in enumerate(_kill_points(8, rng)):
        trial = tmp_path / f"kill{k}.duckdb"
        shutil.copyfile(base, trial)
        proc = _spawn_direct_load(trial, files["big"])
        started = _wait_loading(proc)
        t_start = time.monotonic()
        running, ran = _kill_at(proc, t_start, frac * duration)
        proc.stdout.close()
        at_ms = (time.monotonic() - t_start) * 1000 if started else 0.0
        if started:
            duration = _next_duration(duration, ran)
        # reopened for writing, as the app would: DuckDB replays its WAL here
        outcome = _classify(_state(trial, read_only=False), before, after_n, f"kill {k} at {at_ms:.0f} ms")
        assert running or outcome == "after"
        rep = _cli("report", "--db", str(trial))
        assert rep.returncode == 0, rep.stderr
        log.append((k, frac, at_ms, "killed" if running else "had finished", outcome))
        for f in (trial, trial.with_name(trial.name + ".wal")):
            f.unlink(missing_ok=True)
    _report(log, "ingest.load_file in one store transaction", duration, t_test)
