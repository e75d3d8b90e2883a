"""The `report` command's JSON, pinned to the cent on three worlds (issue 13's invariant).

Worlds: the bundled sample (data/sample), the Olist lead funnel (../shared/data/olist,
mapped as in tests/test_olist.py) and a generated world (contentroi.sample.generate_world,
fixed seed). For each world and a set of filters the report is rendered exactly as
`python -m contentroi report --format json` renders it (cli.render) and hashed per part
(totals / channels / articles), so a failure names the world, the filters and the part.

    .venv/bin/python -m tests.report_golden        # (re)write tests/data/report_golden.json

Only rewrite the file when a change of figures is intended (and say so in the commit).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "data" / "report_golden.json"
OLIST = ROOT.parent / "shared" / "data" / "olist"
if not OLIST.is_dir():
    OLIST = Path("/work/shared/data/olist")

GENERATED = dict(n_articles=400, n_joins=30_000, n_sales=14_000, seed=13)


def build_olist(d: Path) -> None:
    """The Olist files as three logs (the mapping of tests/test_olist.py)."""
    import pandas as pd

    mql = pd.read_csv(OLIST / "olist_marketing_qualified_leads_dataset.csv", dtype=str)
    deals = pd.read_csv(OLIST / "olist_closed_deals_dataset.csv", dtype=str)
    mql["origin"] = mql["origin"].fillna("empty")
    mql["article_id"] = mql["landing_page_id"].str[:8] + ":" + mql["origin"]
    arts = (mql.groupby("article_id")
            .agg(channel=("origin", "first"), published_at=("first_contact_date", "min"))
            .reset_index())
    arts["title"] = "Landing page " + arts["article_id"]
    arts[["article_id", "title", "channel", "published_at"]].to_csv(d / "articles.csv", index=False)
    mql.rename(columns={"mql_id": "user_id", "first_contact_date": "joined_at"})[
        ["user_id", "joined_at", "article_id"]].to_csv(d / "joins.csv", index=False)
    won = deals.rename(columns={"mql_id": "user_id", "won_date": "occurred_at", "sr_id": "rep"})
    contacts = won.assign(event="contact", amount=None, order_id=None)
    pays = won.assign(event="payment", amount=won["declared_monthly_revenue"].astype(float),
                      order_id="D-" + won["seller_id"])
    cols = ["user_id", "event", "occurred_at", "rep", "amount", "order_id"]
    pd.concat([contacts[cols], pays[cols]]).to_csv(d / "sales.csv", index=False)


def world_dir(name: str, tmp: Path) -> Path | None:
    if name == "sample":
        return ROOT / "data" / "sample"
    d = tmp / name
    d.mkdir(parents=True, exist_ok=True)
    if name == "olist":
        if not (OLIST / "olist_closed_deals_dataset.csv").exists():
            return None
        build_olist(d)
    else:
        from contentroi import sample

        sample.generate_world(d, **GENERATED)
    return d


def load(d: Path):
    from contentroi import ingest
    from contentroi.store import Store

    store = Store(":memory:")
    for log in ("articles", "joins", "sales"):
        r = ingest.load_file(store, d / f"{log}.csv", log, file_name=f"{log}.csv", source_kind="report")
        assert r.status != "refused", r.message
    return store


def param_sets(store) -> list[dict]:
    """Defaults, every model, short and long windows, a period and a channel filter."""
    from contentroi import engine

    chans = [r[0] for r in store.cursor().execute(
        "SELECT channel FROM articles GROUP BY channel ORDER BY count(*) DESC, channel").fetchall()]
    lo, hi = store.cursor().execute(
        "SELECT min(CAST(published_at AS DATE)), max(CAST(published_at AS DATE)) FROM articles").fetchone()
    mid = lo + (hi - lo) / 3
    end = lo + 2 * (hi - lo) / 3
    out: list[dict] = [{}]
    out += [{"model": m} for m in engine.MODELS if m != engine.DEFAULT_MODEL]
    out += [{"window_days": 7}, {"window_days": 365, "model": "linear"}]
    out += [{"date_from": mid, "date_to": end, "model": "position"},
            {"channels": tuple(chans[:2]), "window_days": 14, "model": "time_decay"},
            {"date_from": mid, "channels": tuple(chans[1:2]), "model": "last_touch"}]
    return out


def key(p: dict) -> str:
    return json.dumps({k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in p.items()},
                      sort_keys=True)


def _h(obj) -> str:
    return hashlib.sha256(json.dumps(obj, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:20]


def fingerprints(store) -> dict[str, dict[str, str]]:
    from contentroi import cli, engine

    out = {}
    for p in param_sets(store):
        if "model" in p and p["model"] not in engine.MODELS:
            continue
        rep = engine.report(store, engine.Params(**p))
        obj = json.loads(cli.render(rep, "json"))
        out[key(p)] = {part: _h(obj[part]) for part in ("params", "totals", "channels", "articles")}
    return out


def compute(worlds=("sample", "olist", "generated")) -> dict:
    res = {}
    with tempfile.TemporaryDirectory() as tmp:
        for w in worlds:
            d = world_dir(w, Path(tmp))
            if d is None:
                continue
            store = load(d)
            try:
                res[w] = fingerprints(store)
            finally:
                store.close()
    return res


if __name__ == "__main__":
    worlds = tuple(sys.argv[1:]) or ("sample", "olist", "generated")
    res = compute(worlds)
    GOLDEN.parent.mkdir(exist_ok=True)
    old = json.loads(GOLDEN.read_text()) if GOLDEN.exists() else {}
    old.update(res)
    GOLDEN.write_text(json.dumps(old, indent=1, sort_keys=True) + "\n")
    print({w: len(v) for w, v in res.items()})
