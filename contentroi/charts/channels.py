"""Channel charts: ROI and cost-per-paid bars, the weekly trend per channel, the
ranking race's bump chart (no Streamlit here)."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import altair as alt
import pandas as pd

from .. import fmt
from . import FONT, Spec, channel_labels, channel_scale, frozen, hole, named, relabel, style, template, value_axis
from .overview import MUTED_COLOR, TEXT_COLOR, _axis, _fmt_value, _weeks, maturing_frame, maturing_layer

POSITIVE, NEGATIVE = "#2BA471", "#E4572E"


def _colors(present: list[str], channels: list[str],
            names: Mapping[str, str] | None = None) -> tuple[list[str], list[str]]:
    """The shared channel colours (fixed by code), for the channels drawn only: (domain,
    range) of the colour scale; the domain is the channels' labels (channel_labels)."""
    full = channel_scale(list(channels) + [c for c in present if c not in channels])
    colors = dict(zip(full.domain, full.range))
    present = [c for c in dict.fromkeys(present)]
    labels = channel_labels(list(channels) + present, names)
    return [labels[c] for c in present], [colors[c] for c in present]


def _title(text: str) -> alt.TitleParams:
    return alt.TitleParams(text, fontSize=14, font=FONT, color=TEXT_COLOR)


def roi_bars(df: pd.DataFrame, title: str, tooltips: dict[str, str], height: int = 240,
             names: Mapping[str, str] | None = None) -> Spec:
    """ROI per channel, sorted, green above break-even and red below; null ROI left out.
    ``names``: the channels' display names (codes without one show as they are)."""
    data = relabel(df[df["roi"].notna()], channel_labels(df["channel"], names))
    data["roi_text"] = [fmt.ratio(v) for v in data["roi"]]
    data["revenue_text"] = [fmt.money(v) for v in data["revenue"]]
    data["cost_text"] = [fmt.money(v) for v in data["cost"]]
    data["sign"] = ["pos" if v >= 0 else "neg" for v in data["roi"]]
    data["align_dx"] = [6 if v >= 0 else -6 for v in data["roi"]]
    order = data.sort_values("roi", ascending=False)["channel"].tolist()
    lo = min(0.0, float(data["roi"].min()) if len(data) else 0.0)
    hi = max(0.0, float(data["roi"].max()) if len(data) else 0.0)
    pad = 0.25 * max(hi - lo, 0.5)
    datasets = {"bars": data, "zero": pd.DataFrame({"x": [0]}),
                "pos": data[data["roi"] >= 0], "neg": data[data["roi"] < 0]}
    return Spec(_roi_bars(title, frozen(tooltips), height), datasets,
                (order, lo - (pad if lo < 0 else 0), hi + pad))


@template
def _roi_bars(title: str, tooltips: tuple, height: int) -> alt.LayerChart:
    tooltips = dict(tooltips)
    y = alt.Y("channel:N", sort=hole(0, "list"), title=None,
              axis=alt.Axis(ticks=False, domain=False, labelFontSize=12))
    tip = [alt.Tooltip("channel:N", title=tooltips["channel"]),
           alt.Tooltip("roi_text:N", title=tooltips["roi"]),
           alt.Tooltip("revenue_text:N", title=tooltips["revenue"]),
           alt.Tooltip("cost_text:N", title=tooltips["cost"])]
    x = alt.X("roi:Q", title=None, scale=alt.Scale(domain=[hole(1), hole(2)]),
              axis=alt.Axis(format="+.0%", tickCount=5))
    bars = alt.Chart(named("bars")).mark_bar(cornerRadius=3, height=22).encode(
        y=y, x=x, tooltip=tip,
        color=alt.Color("sign:N", legend=None, scale=alt.Scale(domain=["pos", "neg"], range=[POSITIVE, NEGATIVE])))
    pos = alt.Chart(named("pos")).mark_text(align="left", dx=5, fontSize=12, color=TEXT_COLOR,
                                           font=FONT).encode(y=y, x="roi:Q", text="roi_text:N")
    neg = alt.Chart(named("neg")).mark_text(align="right", dx=-5, fontSize=12, color=TEXT_COLOR,
                                           font=FONT).encode(y=y, x="roi:Q", text="roi_text:N")
    zero = alt.Chart(named("zero")).mark_rule(color=MUTED_COLOR, strokeWidth=1).encode(x="x:Q")
    return style(alt.layer(bars, zero, pos, neg).properties(title=_title(title)), height=height)


def cost_per_paid_bars(df: pd.DataFrame, title: str, tooltips: dict[str, str], channels: list[str],
                       height: int = 240, names: Mapping[str, str] | None = None) -> Spec:
    """Cost per paid user per channel (lower is better); channels with no paid user left out."""
    data = df[df["cost_per_paid"].notna()].copy()
    domain, colors = _colors(data["channel"].tolist(), channels, names)
    data = relabel(data, channel_labels(list(channels) + data["channel"].tolist(), names))
    data["cpp_text"] = [fmt.money(v, 0) for v in data["cost_per_paid"]]
    data["paid_text"] = [fmt.count(v) for v in data["paid"]]
    data["cost_text"] = [fmt.money(v) for v in data["cost"]]
    order = data.sort_values("cost_per_paid")["channel"].tolist()
    hi = float(data["cost_per_paid"].max()) if len(data) else 1.0
    return Spec(_cost_per_paid_bars(title, frozen(tooltips), height, fmt.current_lang()), {"bars": data},
                (order, hi * 1.25, domain, colors))


@template
def _cost_per_paid_bars(title: str, tooltips: tuple, height: int, lang: str) -> alt.LayerChart:
    tooltips = dict(tooltips)
    y = alt.Y("channel:N", sort=hole(0, "list"), title=None,
              axis=alt.Axis(ticks=False, domain=False, labelFontSize=12))
    tip = [alt.Tooltip("channel:N", title=tooltips["channel"]),
           alt.Tooltip("cpp_text:N", title=tooltips["cost_per_paid"]),
           alt.Tooltip("cost_text:N", title=tooltips["cost"]),
           alt.Tooltip("paid_text:N", title=tooltips["paid"])]
    x = alt.X("cost_per_paid:Q", title=None, scale=alt.Scale(domain=[0, hole(1)]),
              axis=value_axis("money", lang, tickCount=5))
    base = alt.Chart(named("bars"))
    bars = base.mark_bar(cornerRadius=3, height=22).encode(
        y=y, x=x, tooltip=tip,
        color=alt.Color("channel:N", legend=None, scale=alt.Scale(domain=hole(2, "list"), range=hole(3, "list"))))
    text = base.mark_text(align="left", dx=5, fontSize=12, color=TEXT_COLOR, font=FONT).encode(
        y=y, x="cost_per_paid:Q", text="cpp_text:N")
    return style(alt.layer(bars, text).properties(title=_title(title)), height=height)


def channel_trend(df: pd.DataFrame, field: str, kind: str, title: str, channels: list[str],
                  tooltips: dict[str, str], height: int = 320, names: Mapping[str, str] | None = None) -> Spec:
    """One line per channel over the weeks; maturing weeks shaded."""
    data = _weeks(df)
    data["value_text"] = [_fmt_value(kind, v) for v in data[field]]
    data["n_text"] = [fmt.count(v) for v in data["joins"]]
    domain, colors = _colors(sorted(data["channel"].unique()), channels, names)
    data = relabel(data, channel_labels(list(channels) + data["channel"].tolist(), names))
    datasets = {"main": data}
    band = maturing_frame(data, tooltips["maturing"])
    if band is not None:
        datasets["band"] = band
    return Spec(_channel_trend(field, kind, title, frozen(tooltips), height, band is not None, fmt.current_lang()), datasets,
                (domain, colors))


@template
def _channel_trend(field: str, kind: str, title: str, tooltips: tuple, height: int,
                   band: bool, lang: str) -> alt.LayerChart:
    tooltips = dict(tooltips)
    tip = [alt.Tooltip("channel:N", title=tooltips["channel"]),
           alt.Tooltip("week_label:N", title=tooltips["week"]),
           alt.Tooltip("value_text:N", title=title),
           alt.Tooltip("n_text:N", title=tooltips["n"])]
    x = alt.X("week:T", title=None, axis=alt.Axis(format="%m-%d", labelAngle=0, grid=False))
    color = alt.Color("channel:N", scale=alt.Scale(domain=hole(0, "list"), range=hole(1, "list")),
                      title=tooltips["channel"])
    hover = alt.selection_point(fields=["channel"], bind="legend", on="mouseover")
    base = alt.Chart(named("main")).encode(x=x, color=color)
    line = base.mark_line(strokeWidth=2.2).encode(
        y=alt.Y(f"{field}:Q", axis=_axis(kind, lang)),
        opacity=alt.condition(hover, alt.value(1.0), alt.value(0.25))).add_params(hover)
    pts = base.mark_circle(size=30).encode(
        y=f"{field}:Q", tooltip=tip, opacity=alt.condition(hover, alt.value(1.0), alt.value(0.25)))
    layers = [line, pts]
    if band:
        layers.insert(0, maturing_layer())
    return style(alt.layer(*layers).properties(title=_title(title)), height=height)


def bump(df: pd.DataFrame, labels: dict[str, str], channels: list[str], top: int,
         value_kind: str, height: int = 360, names: Mapping[str, str] | None = None) -> Spec:
    """Slope/bump chart: each entity's rank in the previous window (left) and now (right).

    ``df`` holds the picked rows of the race (entity, title, channel, rank,
    rank_prev, value, value_prev, move). Ranks below ``top`` are drawn at
    ``top + 1`` (labelled "top+"); an entity new to the ranking has only its
    current point, one that dropped out only its previous point. Names are
    written right of the last point, inside the plot (so the chart keeps its
    width whatever the names' length).
    """
    rows: list[dict[str, Any]] = []
    shown = channel_labels(list(channels) + df["channel"].tolist(), names)
    for r in df.itertuples():
        name = str(r.title)
        short = name if len(name) <= 14 else name[:13] + "…"
        points = [(0, labels["prev"], r.rank_prev, r.value_prev), (1, labels["cur"], r.rank, r.value)]
        points = [p for p in points if not pd.isna(p[2])]
        for i, (xpos, period, rank, value) in enumerate(points):
            rows.append({
                "entity": r.entity, "name": name, "channel": shown.get(r.channel, r.channel),
                "period": period, "xpos": xpos,
                "rank": int(rank), "rank_plot": min(int(rank), top + 1), "rank_text": f"#{int(rank)}",
                "value_text": _fmt_value(value_kind, value), "move": r.move,
                "label": f"{short}  {r.move}" if i == len(points) - 1 else "",
            })
    cols = ["entity", "name", "channel", "period", "xpos", "rank", "rank_plot", "rank_text", "value_text",
            "move", "label"]
    data = pd.DataFrame(rows, columns=cols)
    max_rank = int(data["rank_plot"].max()) if len(data) else top
    domain, colors = _colors(df["channel"].tolist(), channels, names)
    holes = (domain, colors, [max_rank + 0.5, 0.5], list(range(1, max_rank + 1)),
             f"datum.value > {top} ? '{top}+' : '#' + datum.value", height)
    return Spec(_bump(frozen(labels)), {"points": data, "labels": data[data["label"] != ""]}, holes)


@template
def _bump(labels: tuple) -> alt.LayerChart:
    labels = dict(labels)
    x = alt.X("xpos:Q", title=None, scale=alt.Scale(domain=[-0.15, 2.0], nice=False, zero=False),
              axis=alt.Axis(values=[0, 1], orient="top", grid=False, ticks=False, domain=False,
                            labelFontSize=12, labelFontWeight="bold", labelColor=TEXT_COLOR,
                            labelExpr=f"datum.value == 0 ? '{labels['prev']}' : '{labels['cur']}'"))
    y = alt.Y("rank_plot:Q", title=None, scale=alt.Scale(domain=hole(2, "list"), nice=False, zero=False),
              axis=alt.Axis(values=hole(3, "list"), grid=False, ticks=False, domain=False,
                            labelExpr=hole(4, "text")))
    color = alt.Color("channel:N", scale=alt.Scale(domain=hole(0, "list"), range=hole(1, "list")), legend=None)
    tip = [alt.Tooltip("name:N", title=labels["name"]), alt.Tooltip("channel:N", title=labels["channel"]),
           alt.Tooltip("period:N", title=labels["period"]), alt.Tooltip("rank_text:N", title=labels["rank"]),
           alt.Tooltip("value_text:N", title=labels["value"]), alt.Tooltip("move:N", title=labels["move"])]
    base = alt.Chart(named("points")).encode(x=x, y=y, color=color)
    lines = base.mark_line(strokeWidth=3, opacity=0.7).encode(detail="entity:N")
    pts = base.mark_circle(size=130, opacity=1).encode(tooltip=tip)
    text = alt.Chart(named("labels")).mark_text(
        align="left", dx=10, fontSize=12, font=FONT, color=TEXT_COLOR).encode(x=x, y=y, text="label:N",
                                                                              tooltip=tip)
    return style(alt.layer(lines, pts, text), height=hole(5))
