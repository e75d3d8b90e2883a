"""Benchmark the report at scale: DuckDB SQL vs a straightforward pandas version.

    python bench/report.py [--articles 20000 --joins 2000000 --sales 3000000]

Generates a world with contentroi.sample.generate_world, loads it through the
upload's ingestion, then times ``engine.report`` (totals + channels + articles)
for each attribution model, and the same per-article metrics computed with
pandas. Prints seconds per model, the speed-up over pandas, and peak memory.
Targets (issue 3): <= 1 s per model on the 2-core machine, >= 10x pandas.
"""
from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from contentroi import engine, ingest, sample  # noqa: E402
from contentroi.engine import MODELS, Params  # noqa: E402
from contentroi.store import Store  # noqa: E402


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pandas_report(arts: pd.DataFrame, joins: pd.DataFrame, sales: pd.DataFrame, window_days: int, model: str):
    """The contract's per-article metrics in plain pandas (the 'obvious' implementation)."""
    w = pd.Timedelta(days=window_days)
    touches = joins[joins.article_id.isin(arts.article_id)].copy()
    touches = touches.sort_values(["user_id", "joined_at", "article_id"]).reset_index(drop=True)
    touches["touch_id"] = np.arange(len(touches))
    ft = touches.groupby(["article_id", "user_id"], as_index=False)["joined_at"].min().rename(columns={"joined_at": "t0"})
    contacts = sales.loc[sales.event == "contact", ["user_id", "occurred_at"]]
    pays = sales.loc[sales.event == "payment", ["user_id", "occurred_at", "amount", "order_id"]].reset_index(drop=True)
    refunds = sales[(sales.event == "refund") & sales.order_id.notna()].groupby("order_id")["amount"].sum()
    pays["net"] = pays.amount.astype(float) - pays.order_id.map(refunds).fillna(0).astype(float)
    pays["pid"] = np.arange(len(pays))

    c = ft.merge(contacts, on="user_id")
    c = c[(c.occurred_at >= c.t0) & (c.occurred_at <= c.t0 + w)]
    t1 = c.groupby(["article_id", "user_id"], as_index=False)["occurred_at"].min().rename(columns={"occurred_at": "t1"})
    f = ft.merge(t1, on=["article_id", "user_id"], how="left")
    p = f.merge(pays[["user_id", "occurred_at"]], on="user_id")
    p = p[(p.occurred_at >= p.t0) & (p.occurred_at <= p.t0 + w)]
    p["after"] = p.occurred_at >= p.t1
    paid = p[p.after].groupby(["article_id", "user_id"])["occurred_at"].min().rename("first_paid")
    anyp = p.groupby(["article_id", "user_id"]).size().rename("any_pay")
    f = f.join(paid, on=["article_id", "user_id"]).join(anyp, on=["article_id", "user_id"])
    f["contacted"] = f.t1.notna()
    f["paid"] = f.first_paid.notna()
    f["pwc"] = f.any_pay.notna() & ~f.paid
    f["days"] = (f.first_paid - f.t0).dt.total_seconds() / 86400
    per = f.groupby("article_id").agg(joins=("user_id", "size"), contacted=("contacted", "sum"),
                                       paid=("paid", "sum"), pwc=("pwc", "sum"), median_days=("days", "median"))

    e = pays.merge(touches[["user_id", "joined_at", "article_id", "touch_id"]], on="user_id")
    e = e[(e.joined_at <= e.occurred_at) & (e.occurred_at <= e.joined_at + w)]
    e = e.sort_values(["pid", "joined_at", "article_id", "touch_id"])
    e["pos"] = e.groupby("pid").cumcount() + 1
    e["n"] = e.groupby("pid")["pid"].transform("size")
    if model == "first_touch":
        e["wt"] = (e.pos == 1).astype(float)
    elif model == "last_touch":
        e["wt"] = (e.pos == e.n).astype(float)
    elif model == "linear":
        e["wt"] = 1.0 / e.n
    elif model == "position":
        e["wt"] = np.where(e.n == 1, 1.0, np.where(e.n == 2, 0.5,
                           np.where((e.pos == 1) | (e.pos == e.n), 0.4, 0.2 / (e.n - 2).clip(lower=1))))
    else:
        d = np.power(2.0, -((e.occurred_at - e.joined_at).dt.total_seconds() / 86400) / 7)
        e["wt"] = d / d.groupby(e.pid).transform("sum")
    e["rev"] = e.net * e.wt
    rev = e.groupby("article_id")["rev"].sum()
    out = arts.set_index("article_id").join(per).join(rev.rename("revenue"))
    out["revenue"] = out.revenue.fillna(0)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=20_000)
    ap.add_argument("--joins", type=int, default=2_000_000)
    ap.add_argument("--sales", type=int, default=3_000_000)
    ap.add_argument("--no-pandas", action="store_true")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        files = sample.generate_world(Path(tmp) / "world", n_articles=args.articles,
                                      n_joins=args.joins, n_sales=args.sales)
        print(f"generated {args.articles:,} articles, {args.joins:,} joins, {args.sales:,} sales "
              f"in {time.perf_counter() - t:.1f} s")
        store = Store(Path(tmp) / "bench.duckdb")
        for log in ("articles", "joins", "sales"):
            t = time.perf_counter()
            r = ingest.load_file(store, files[log], log, source_kind="cli")
            dt_ = time.perf_counter() - t
            print(f"load {log:<8} {r.accepted:>10,} rows  {dt_:6.2f} s  {r.accepted / dt_:>12,.0f} rows/s")
        print(f"peak RSS after load: {peak_mb():,.0f} MB")

        print("\nreport (totals + channels + articles), window 30 d:")
        sql_times = {}
        for model in MODELS:
            p = Params(model=model)
            engine.report(store, p)  # warm
            runs = []
            for _ in range(3):
                t = time.perf_counter()
                rep = engine.report(store, p)
                runs.append(time.perf_counter() - t)
            sql_times[model] = min(runs)
            print(f"  {model:<12} {min(runs):6.3f} s (best of 3; median {sorted(runs)[1]:.3f} s)  "
                  f"revenue ¥{rep.totals['revenue']:,.2f}")
        p = Params(channels=("wechat",), window_days=14, model="linear")
        t = time.perf_counter()
        engine.report(store, p)
        print(f"  filtered (wechat, 14 d, linear): {time.perf_counter() - t:.3f} s")
        print(f"peak RSS after reports: {peak_mb():,.0f} MB")

        if args.no_pandas:
            return
        cur = store.cursor()
        arts = cur.execute("SELECT article_id, channel FROM articles").df()
        joins = cur.execute("SELECT user_id, joined_at, article_id FROM joins WHERE article_id IS NOT NULL").df()
        sales = cur.execute("SELECT user_id, event, occurred_at, amount, order_id FROM sales").df()
        print(f"\npandas (same metrics per article; data already in memory, {peak_mb():,.0f} MB peak):")
        for model in ("first_touch", "linear", "time_decay"):
            t = time.perf_counter()
            out = pandas_report(arts, joins, sales, 30, model)
            pt = time.perf_counter() - t
            ours = engine.articles(store, Params(model=model)).set_index("article_id")
            same = (abs(out.revenue.round(2) - ours.revenue.reindex(out.index)).max() < 0.02
                    and (out.paid.fillna(0).astype(int) == ours.paid.reindex(out.index)).all())
            print(f"  {model:<12} {pt:6.2f} s   SQL {sql_times[model]:.3f} s   "
                  f"SQL is {pt / sql_times[model]:5.1f}x faster   results agree: {same}")
        print(f"peak RSS at the end: {peak_mb():,.0f} MB")
        store.close()


if __name__ == "__main__":
    main()
