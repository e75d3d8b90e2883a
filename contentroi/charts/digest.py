"""Digest charts: the funnel's step rates this period vs the previous one, and the
channel race by revenue (no Streamlit here; also drawn to SVG for the HTML digest).

Builders take the small frames of :mod:`contentroi.digest` with translated labels and
return cached templates with their data (Spec: drawn by st_app.chart, and
``to_json()`` gives the whole Vega-Lite spec for vl-convert).
"""
from __future__ import annotations

from collections.abc import Mapping

import altair as alt
import pandas as pd

from .. import fmt
from . import FONT, Spec, channel_labels, channel_scale, hole, named, relabel, style, template, value_axis

CUR_COLOR = "#3F88C5"
PREV_COLOR = "#C9D3DD"
TEXT_COLOR = "#1F2937"


def stage_rates(frame: pd.DataFrame, width: int = 560) -> Spec:
    """A bullet chart per stage rate: this period (narrow blue bar, labelled) over the
    previous one (wide grey bar)."""
    order = frame.drop_duplicates("order").sort_values("order")["stage"].tolist()
    periods = frame.sort_values("which")["period"].drop_duplicates().tolist()  # cur, prev
    top = max(0.05, float(frame["rate"].fillna(0).max()) * 1.25 + 0.04)  # room for the label
    cur_rows = frame[frame["which"] == "cur"]
    return Spec(_stage_rates(width), {"prev": frame[frame["which"] == "prev"], "cur": cur_rows},
                (order, top, periods))


@template
def _stage_rates(width: int) -> alt.LayerChart:
    y = alt.Y("stage:N", sort=hole(0, "list"), title=None,
              axis=alt.Axis(labelFontSize=12, labelFontWeight="bold", labelLimit=220, ticks=False,
                            domain=False, labelPadding=8))
    x = alt.X("rate:Q", title=None, scale=alt.Scale(domain=[0, hole(1)]),
              axis=alt.Axis(format="%", grid=True, tickCount=5,
                            labelExpr="datum.value <= 1 ? format(datum.value, '.0%') : ''"))
    color = alt.Color("period:N", sort=hole(2, "list"), title=None,
                      scale=alt.Scale(domain=hole(2, "list"), range=[CUR_COLOR, PREV_COLOR]))
    tip = [alt.Tooltip("stage:N"), alt.Tooltip("period:N"), alt.Tooltip("text:N")]
    prev = alt.Chart(named("prev")).mark_bar(height=24, cornerRadius=2).encode(
        y=y, x=x, color=color, tooltip=tip)
    cur = alt.Chart(named("cur")).mark_bar(height=10, cornerRadius=2).encode(y=y, x=x, color=color, tooltip=tip)
    text = alt.Chart(named("cur")).mark_text(align="left", dx=6, fontSize=11, color=TEXT_COLOR, font=FONT).encode(
        y=y, x=alt.X("label_x:Q", scale=alt.Scale(domain=[0, hole(1)])), text="label:N")
    return style(alt.layer(prev, cur, text).properties(width=width), height=alt.Step(40))  # type: ignore[arg-type]


def race(frame: pd.DataFrame, labels: dict[str, str], width: int = 560,
         names: Mapping[str, str] | None = None, lang: str | None = None) -> Spec:
    """Revenue by channel this period (bars, brand colours) with the previous period as a tick.
    ``names``: the channels' display names in the digest's language (``lang``; default: the
    current one), which also sets the axis's units (¥2万 / ¥20k)."""
    codes = frame.sort_values("revenue", ascending=False)["channel"].tolist()
    scale = channel_scale(codes, names)
    data = relabel(frame.sort_values("revenue", ascending=False), channel_labels(codes, names))
    order = data["channel"].tolist()
    top = max(1.0, float(max(data["revenue"].max(), data["revenue_prev"].max())) * 1.3)
    return Spec(_race(width, fmt.current_lang(lang)), {"bars": data, "prev": data.assign(label=labels["prev"])},
                (order, top, scale.domain, scale.range))


@template
def _race(width: int, lang: str) -> alt.LayerChart:
    y = alt.Y("channel:N", sort=hole(0, "list"), title=None,
              axis=alt.Axis(labelFontSize=12, labelFontWeight="bold", ticks=False, domain=False))
    x_scale = alt.Scale(domain=[0, hole(1)])
    bars = alt.Chart(named("bars")).mark_bar(height=18, cornerRadius=2).encode(
        y=y, x=alt.X("revenue:Q", title=None, scale=x_scale,
                     axis=value_axis("money", lang, tickCount=4)),
        color=alt.Color("channel:N", scale=alt.Scale(domain=hole(2, "list"), range=hole(3, "list")), legend=None),
        tooltip=[alt.Tooltip("channel:N"), alt.Tooltip("text:N")],
    )
    prev = alt.Chart(named("prev")).mark_tick(
        thickness=2.5, size=26, color=TEXT_COLOR).encode(
        y=y, x=alt.X("revenue_prev:Q", scale=x_scale),
        tooltip=[alt.Tooltip("label:N", title=""), alt.Tooltip("revenue_prev:Q", format=",.0f", title="¥")])
    text = alt.Chart(named("bars")).mark_text(align="left", dx=6, fontSize=11, color=TEXT_COLOR, font=FONT).encode(
        y=y, x=alt.X("revenue:Q", scale=x_scale), text="text:N")
    return style(alt.layer(bars, prev, text).properties(width=width), height=alt.Step(32))  # type: ignore[arg-type]
