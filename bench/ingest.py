"""Ingestion benchmark: joins CSVs of 1 M and 5 M rows, and a GBK 1 M file.

    .venv/bin/python bench/ingest.py [--rows 1000000 5000000] [--no-gbk] [--keep DIR]

Each file is generated with DuckDB (fast), then loaded into a fresh temporary
store through ``contentroi.ingest.load_file``; prints rows/s, seconds and the
process's peak RSS so far. A few rows are malformed, a few have bad values and
a few repeat, so the reject and dedup paths are exercised too.
"""
from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from contentroi.ingest import load_file  # noqa: E402
from contentroi.store import Store  # noqa: E402


def make_joins_csv(path: Path, n: int) -> None:
    """user_id, joined_at, article_id, group_id; row 12345 of every 100,000 has a bad
    date, every 250,000th is ragged, every 50,000th repeats its predecessor."""
    con = duckdb.connect()
    con.execute(f"""
        COPY (
            SELECT
                'u' || (i % 200000) AS "用户ID",
                CASE WHEN i % 100000 = 12345 THEN 'not a date'
                     ELSE strftime(TIMESTAMP '2024-01-01' + to_seconds(i * 3), '%Y-%m-%d %H:%M:%S')
                END AS "入群时间",
                CASE WHEN i % 7 = 0 THEN NULL ELSE 'A' || (i % 500) END AS "文章ID",
                '群' || (i % 40) AS "群名称"
            FROM (SELECT CASE WHEN r % 50000 = 49999 THEN r - 1 ELSE r END AS i FROM range({int(n)}) t(r))
        ) TO '{path}' (HEADER, DELIMITER ',')""")
    con.close()
    if n >= 250000:  # a few ragged rows, appended (no rewrite of the big file)
        with open(path, "a", encoding="utf-8") as f:
            for k in range(n // 250000):
                f.write(f"ragged{k},2024-01-01 00:00:00,A1,g,extra-field\n")


def to_gbk(src: Path, dst: Path) -> None:
    with open(src, "r", encoding="utf-8", newline="") as fi, open(dst, "w", encoding="gbk", newline="") as fo:
        while True:
            chunk = fi.read(1 << 22)
            if not chunk:
                break
            fo.write(chunk)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench(path: Path, label: str) -> None:
    with tempfile.TemporaryDirectory() as d:
        store = Store(Path(d) / "bench.duckdb")
        t0 = time.perf_counter()
        r = load_file(store, path, "joins", source_kind="cli")
        dt = time.perf_counter() - t0
        store.close()
    print(f"{label:<14} {r.rows_read:>10,} rows  {dt:7.2f} s  {r.rows_read / dt:>12,.0f} rows/s  "
          f"peak RSS {peak_rss_mb():7.0f} MB  [{r.encoding}; {r.message}]", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, nargs="*", default=[1_000_000, 5_000_000])
    ap.add_argument("--no-gbk", action="store_true")
    ap.add_argument("--keep", type=Path, default=None, help="write the CSVs here and keep them")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        out = args.keep or Path(d)
        out.mkdir(parents=True, exist_ok=True)
        for n in args.rows:
            p = out / f"joins_{n}.csv"
            t0 = time.perf_counter()
            make_joins_csv(p, n)
            print(f"generated {p.name} ({p.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t0:.1f} s",
                  flush=True)
            bench(p, f"utf-8 {n // 1000}k")
            if n == args.rows[0] and not args.no_gbk:
                g = out / f"joins_{n}_gbk.csv"
                to_gbk(p, g)
                bench(g, f"gbk {n // 1000}k")


if __name__ == "__main__":
    main()
