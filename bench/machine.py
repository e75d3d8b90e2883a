"""How fast this machine is right now: a fixed workload, timed, printed beside every bench table.

    python bench/machine.py

The same 2-core machine has run the same code twice as slow on one day as on the next
(every page's filter change, the whole test suite's CPU seconds), so a figure alone does
not say whether the code or the machine changed. The benches print this reference with
their tables; compare figures from different runs relative to it.

The workload is the kind the app spends its time on: a DuckDB aggregation (hash
group-by over 3 M generated rows, on the machine's threads) and a Python loop (the
interpreter: Streamlit's script runs, the pages' glue). Each is the best of 5 runs.
"""
from __future__ import annotations

import time

REFERENCE = "DuckDB group-by of 3 M rows / Python loop of 2 M steps"


def speed() -> tuple[float, float]:
    """(DuckDB ms, Python ms), best of 5 each."""
    import duckdb

    con = duckdb.connect()
    sql = ("SELECT i % 100003 AS k, sum(i * 0.5) AS s, count(*) AS n "
           "FROM range(3000000) AS t(i) GROUP BY k ORDER BY s DESC LIMIT 1")
    db = []
    for _ in range(5):
        t = time.perf_counter()
        con.sql(sql).fetchall()
        db.append(time.perf_counter() - t)
    con.close()
    py = []
    for _ in range(5):
        t = time.perf_counter()
        acc = 0
        for i in range(2_000_000):
            acc += i % 7
        py.append(time.perf_counter() - t)
    return 1000 * min(db), 1000 * min(py)


def line() -> str:
    db, py = speed()
    return f"machine speed now ({REFERENCE}): {db:.0f} ms / {py:.0f} ms (lower is faster)"


if __name__ == "__main__":
    print(line())
