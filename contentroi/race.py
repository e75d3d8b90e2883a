"""The ranking race's display helpers (pure Python, no Streamlit).

The ranks themselves come from ``queries/channel_race.sql``; here they are
only turned into the arrows people read and picked for display.
"""
from __future__ import annotations

from typing import Any

import pandas as pd

UP, DOWN, SAME = "▲", "▼", "="


def _null(x: Any) -> bool:
    return x is None or (not isinstance(x, str) and pd.isna(x))


def periods(cmp: Any, metric: str, min_joins: int) -> dict[str, Any] | None:
    """queries/channel_race.sql's parameters: the current and previous periods of
    overview_compare's row, the metric and the sample-size floor; None when there is
    no period to compare (basis 'none')."""
    if cmp["basis"] == "none":
        return None
    c0, c1, p0, p1 = (cmp[k].date() for k in ("cur_from", "cur_to", "prev_from", "prev_to"))
    return dict(cur_from=c0, cur_to=c1, prev_from=p0, prev_to=p1, metric=metric, min_joins=min_joins)


def movement(rank: Any, rank_prev: Any, new: str = "new", out: str = "out") -> str:
    """▲2 (up two places), ▼1, = (unchanged), new (not ranked before), out (not ranked now)."""
    if _null(rank):
        return out
    if _null(rank_prev):
        return new
    change = int(rank_prev) - int(rank)
    if change > 0:
        return f"{UP}{change}"
    if change < 0:
        return f"{DOWN}{-change}"
    return SAME


def pick(race: pd.DataFrame, order: str = "value", top: int | None = None) -> pd.DataFrame:
    """The rows to show: ranked now, ordered by value rank or growth rank; those
    that fell out of the ranking follow (channels only: pass top=None)."""
    key = "growth_rank" if order == "growth" else "rank"
    now = race[race["rank"].notna()].sort_values([key, "entity"])
    if top is not None:
        return now.head(top).reset_index(drop=True)
    gone = race[race["rank"].isna()].sort_values(["rank_prev", "entity"])
    return pd.concat([now, gone], ignore_index=True)


def prev_column(metric: str) -> str:
    """The previous window's value column: ``<metric>_prev`` (formatted as the metric by
    the metrics layer, contentroi/metrics.py kind_of)."""
    return f"{metric}_prev"


def table_frame(rows: pd.DataFrame, metric: str, level: str, new: str = "new", out: str = "out",
                order: str = "value") -> pd.DataFrame:
    """The race as a table: rank, move, name (+ channel), value now and before, growth
    (and the growth rank first when ordered by growth)."""
    out_df = pd.DataFrame({
        "rank": rows["rank"].astype("Int64"),
        "move": [movement(r, p, new, out) for r, p in zip(rows["rank"], rows["rank_prev"])],
    })
    if level == "article":
        out_df["title"] = rows["title"].values
    out_df["channel"] = rows["channel"].values
    counts = metric in ("paid", "joins")
    out_df[metric] = rows["value"].round().astype("Int64").values if counts else rows["value"].values
    prev = rows["value_prev"]
    out_df[prev_column(metric)] = prev.round().astype("Int64").values if counts else prev.values
    out_df["growth"] = rows["growth"].values
    out_df["n"] = rows["n"].astype("Int64").values
    if order == "growth":
        out_df.insert(0, "growth_rank", rows["growth_rank"].astype("Int64").values)
    return out_df
