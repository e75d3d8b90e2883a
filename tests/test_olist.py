"""The app on data nobody here made up: Olist's public lead-to-deal funnel.

../shared/data/olist (CC BY-NC-SA: test data only, never shipped) is mapped to
our three logs: a landing page + media origin is an "article" of channel
`origin`; a marketing-qualified lead is a user joining through it at
first_contact_date; a won deal is a contact and a payment by its sales rep at
won_date, worth declared_monthly_revenue. Then the real loader and the report
command run on it, and the numbers are checked against pandas on the raw files.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent
OLIST = ROOT.parent / "shared" / "data" / "olist"

pytestmark = pytest.mark.skipif(not (OLIST / "olist_closed_deals_dataset.csv").exists(),
                                reason="../shared/data/olist is not beside this checkout")


@pytest.fixture(scope="module")
def olist(tmp_path_factory):
    d = tmp_path_factory.mktemp("olist")
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
    return d, mql, deals


def report(d: Path, *args) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "contentroi", "report", "--articles", str(d / "articles.csv"),
         "--joins", str(d / "joins.csv"), "--sales", str(d / "sales.csv"), *args],
        cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_loads_completely(olist):
    d, mql, deals = olist
    rep = report(d)
    assert rep["ingest"]["joins.csv"] == {"log": "joins", "accepted": 8000, "rejected": 0, "duplicates": 0}
    assert rep["ingest"]["sales.csv"]["accepted"] == 2 * 842
    assert rep["totals"]["joins"] == 8000


def test_channels_are_the_lead_origins(olist):
    d, mql, deals = olist
    rep = report(d)
    joins = {c["channel"]: c["joins"] for c in rep["channels"]}
    assert joins == mql["origin"].value_counts().to_dict()  # e.g. organic_search 2296
    assert joins["organic_search"] == 2296 and joins["empty"] == 60


@pytest.mark.parametrize("window", [30, 365])
def test_paid_users_match_the_deals(olist, window):
    d, mql, deals = olist
    rep = report(d, "--window-days", str(window))
    m = deals.merge(mql, on="mql_id")
    lag = pd.to_datetime(m["won_date"]) - pd.to_datetime(m["first_contact_date"])
    inside = ((lag >= pd.Timedelta(0)) & (lag <= pd.Timedelta(days=window))).sum()
    assert rep["totals"]["paid"] == inside
    # one deal was won two days before the lead's first contact: outside any window
    assert (lag < pd.Timedelta(0)).sum() == 1


def test_single_touch_journeys_make_the_models_agree(olist):
    """Every lead has one origin: all five models must split revenue identically."""
    d, _, _ = olist
    revs = {m: {c["channel"]: c["revenue"]
                for c in report(d, "--model", m, "--window-days", "365")["channels"]}
            for m in ("first_touch", "last_touch", "linear", "position", "time_decay")}
    first = revs["first_touch"]
    assert sum(first.values()) > 0
    for m, r in revs.items():
        assert r == first, m
