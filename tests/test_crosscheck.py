"""Cross-check: per-channel revenue under first_touch, last_touch and linear equals
the ChannelAttribution package's heuristic_models, to the cent.

The journeys fed to ChannelAttribution are built here in pandas straight from
the raw logs (not from our SQL): for each payment, the payer's touches (joins
on known articles) with t <= p <= t + W, ordered by (t, article_id), mapped to
their article's channel; the value is the payment net of its order's refunds.
"""
from __future__ import annotations

import pandas as pd
import pytest

from contentroi import engine
from contentroi.engine import Params
from contentroi.store import Store

ca = pytest.importorskip("ChannelAttribution")

WINDOW = 30


def journeys(store: Store, window_days: int) -> pd.DataFrame:
    cur = store.cursor()
    arts = cur.execute("SELECT article_id, channel FROM articles").df()
    joins = cur.execute("SELECT user_id, joined_at, article_id FROM joins WHERE article_id IS NOT NULL").df()
    sales = cur.execute("SELECT user_id, event, occurred_at, amount, order_id FROM sales").df()
    touches = joins.merge(arts, on="article_id")  # known articles only
    pays = sales[sales.event == "payment"].copy()
    refunds = sales[(sales.event == "refund") & sales.order_id.notna()].groupby("order_id")["amount"].sum()
    pays["net"] = pays["amount"].astype(float) - pays["order_id"].map(refunds).fillna(0).astype(float)
    pays = pays.reset_index(drop=True).reset_index(names="pid")
    m = pays.merge(touches, on="user_id")
    w = pd.Timedelta(days=window_days)
    m = m[(m.joined_at <= m.occurred_at) & (m.occurred_at <= m.joined_at + w)]
    m = m.sort_values(["pid", "joined_at", "article_id"])
    paths = m.groupby("pid").agg(path=("channel", ">".join), value=("net", "first")).reset_index()
    data = paths.groupby("path").agg(conv=("pid", "size"), value=("value", "sum")).reset_index()
    return data


def check(store: Store, window_days: int) -> int:
    data = journeys(store, window_days)
    assert len(data) > 1
    res = ca.heuristic_models(data, "path", "conv", var_value="value", flg_pro=False)
    ours = engine.channels(store, Params(window_days=window_days, model="first_touch"))
    checked = 0
    for model, col in (("first_touch", "first_touch_value"), ("last_touch", "last_touch_value"),
                       ("linear", "linear_touch_value")):
        mine = engine.channels(store, Params(window_days=window_days, model=model)).set_index("channel")["revenue"]
        theirs = res.set_index("channel_name")[col]
        for channel in ours["channel"]:
            expected = round(float(theirs.get(channel, 0.0)), 2)
            assert abs(float(mine[channel]) - expected) < 0.006, (model, channel, mine[channel], expected)
            checked += 1
    return checked


def test_sample_matches_channelattribution(sample_db):
    store = Store(sample_db, read_only=True)  # the app opens it read-only too
    try:
        assert check(store, WINDOW) >= 15
        assert check(store, 7) >= 15
    finally:
        store.close()


def test_generated_world_matches_channelattribution(tmp_path):
    from tests.worlds import generated_store

    store = generated_store(tmp_path / "w", n_articles=120, n_joins=6000, seed=11)
    assert check(store, WINDOW) >= 15
