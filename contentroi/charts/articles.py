"""Charts of the Articles page (/articles): the article map and one article's detail.

Builders take frames whose labels are already translated, plus a ``titles``
dict of axis / legend titles, so they stay free of i18n and Streamlit.
"""
from __future__ import annotations

from collections.abc import Mapping

import altair as alt
import pandas as pd

from .. import fmt
from . import (FONT, STAGE_COLORS, Spec, channel_labels, channel_scale, frozen, hole, named, relabel, style,
               template, value_axis)

PICK = "pick"  # the name of the scatter's click selection (event.selection[PICK])

# Outcome of an article's users, in funnel order, with their colours.
OUTCOME_COLORS = {
    "paid": "#2BA471",
    "paid_without_contact": "#8FD4B0",
    "open": "#3F88C5",
    "dropped": "#C9CED6",
}



MAP_COLUMNS = ["article_id", "title", "channel", "joins", "paid", "revenue", "overall_rate"]


def article_map(df: pd.DataFrame, titles: dict[str, str], names: Mapping[str, str] | None = None) -> Spec:
    """Joins (x) against attributed revenue (y), one point per article, sized by paid users.

    ``df`` needs article_id, title, channel, joins, paid, revenue, overall_rate.
    Clicking a point selects its article_id (selection ``PICK``). ``names``: the channels'
    display names (legend and tooltip; colours stay by code).
    """
    codes = sorted(df["channel"].dropna().unique().tolist())
    scale = channel_scale(codes, names)
    points = relabel(df[MAP_COLUMNS], channel_labels(codes, names))
    return Spec(_article_map(frozen(titles), fmt.current_lang()), {"points": points}, (scale.domain, scale.range))


@template
def _article_map(titles: tuple, lang: str) -> alt.Chart:
    titles = dict(titles)
    pick = alt.selection_point(name=PICK, fields=["article_id"], on="click", clear="dblclick")
    chart = (
        alt.Chart(named("points"))
        .mark_circle(stroke="white", strokeWidth=0.8)
        .encode(
            x=alt.X("joins:Q", title=titles["joins"], scale=alt.Scale(type="sqrt", zero=True)),
            y=alt.Y("revenue:Q", title=titles["revenue"], scale=alt.Scale(type="sqrt", zero=True),
                    axis=value_axis("money", lang)),
            size=alt.Size("paid:Q", title=titles["paid"], scale=alt.Scale(range=[30, 700])),
            color=alt.Color("channel:N", title=titles["channel"],
                            scale=alt.Scale(domain=hole(0, "list"), range=hole(1, "list"))),
            opacity=alt.condition(pick, alt.value(0.85), alt.value(0.35)),
            tooltip=[
                alt.Tooltip("title:N", title=titles["title"]),
                alt.Tooltip("channel:N", title=titles["channel"]),
                alt.Tooltip("joins:Q", title=titles["joins"], format=",d"),
                alt.Tooltip("paid:Q", title=titles["paid"], format=",d"),
                alt.Tooltip("revenue:Q", title=titles["revenue"], format=",.2f"),
                alt.Tooltip("overall_rate:Q", title=titles["overall_rate"], format=".1%"),
            ],
        )
        .add_params(pick)
    )
    return style(chart, height=360)


def funnel(df: pd.DataFrame, titles: dict[str, str]) -> alt.Chart:
    """Horizontal funnel bars. ``df``: step (label), users, share (of joins, text), order."""
    base = alt.Chart(df).encode(
        y=alt.Y("step:N", sort=alt.EncodingSortField("order", op="min"), title=None,
                axis=alt.Axis(labelLimit=220, labelFontSize=12, ticks=False, domain=False)),
        x=alt.X("users:Q", title=titles["users"], axis=alt.Axis(format=",d", tickMinStep=1)),
    )
    bars = base.mark_bar(cornerRadiusEnd=4, height=26).encode(
        color=alt.Color("order:O", scale=alt.Scale(range=STAGE_COLORS[:3] + ["#8FD4B0"]), legend=None),
        tooltip=[alt.Tooltip("step:N", title=titles["step"]),
                 alt.Tooltip("users:Q", title=titles["users"], format=",d"),
                 alt.Tooltip("share:N", title=titles["share"])],
    )
    text = base.mark_text(align="left", dx=6, font=FONT, fontSize=12, color="#333").encode(
        text=alt.Text("label:N"))
    return style(alt.layer(bars, text), height=max(140, 46 * len(df)))


def outcome(df: pd.DataFrame, titles: dict[str, str]) -> alt.Chart:
    """Where the article's users are now, one bar per outcome. ``df``: key, label, users, order."""
    keys = df["key"].tolist()
    base = alt.Chart(df).encode(
        y=alt.Y("label:N", sort=alt.EncodingSortField("order", op="min"), title=None,
                axis=alt.Axis(labelLimit=200, labelFontSize=12, ticks=False, domain=False)),
        x=alt.X("users:Q", title=titles["users"], axis=alt.Axis(format=",d", tickMinStep=1)),
    )
    bars = base.mark_bar(cornerRadiusEnd=4, height=22).encode(
        color=alt.Color("label:N", legend=None, scale=alt.Scale(
            domain=df["label"].tolist(), range=[OUTCOME_COLORS[k] for k in keys])),
        tooltip=[alt.Tooltip("label:N", title=titles["stage"]),
                 alt.Tooltip("users:Q", title=titles["users"], format=",d")],
    )
    text = base.mark_text(align="left", dx=6, font=FONT, fontSize=12, color="#333").encode(
        text=alt.Text("users:Q", format=",d"))
    return style(alt.layer(bars, text), height=max(140, 40 * len(df)))


def timeline(df: pd.DataFrame, titles: dict[str, str]) -> alt.Chart:
    """Cumulative users reaching each step by day since publishing.

    ``df``: day, step (label), users (that day), order (funnel order of the step).
    """
    steps = df.drop_duplicates("step").sort_values("order")["step"].tolist()
    chart = (
        alt.Chart(df)
        .transform_window(cumulative="sum(users)", groupby=["step"], sort=[{"field": "day"}],
                          frame=[None, 0])
        .mark_line(interpolate="step-after", strokeWidth=2.5, point=alt.OverlayMarkDef(size=28))
        .encode(
            x=alt.X("day:Q", title=titles["day"], axis=alt.Axis(tickMinStep=1)),
            y=alt.Y("cumulative:Q", title=titles["cumulative"], axis=alt.Axis(tickMinStep=1)),
            color=alt.Color("step:N", title=None, sort=steps,
                            scale=alt.Scale(domain=steps, range=STAGE_COLORS[: len(steps)])),
            tooltip=[alt.Tooltip("step:N", title=titles["step"]),
                     alt.Tooltip("day:Q", title=titles["day"]),
                     alt.Tooltip("users:Q", title=titles["users"], format=",d"),
                     alt.Tooltip("cumulative:Q", title=titles["cumulative"], format=",d")],
        )
    )
    return style(chart, height=280)


def days_to_pay(df: pd.DataFrame, median: float | None, titles: dict[str, str]) -> alt.Chart:
    """Histogram of days from first join to payment (paid users), with the median marked."""
    bars = (
        alt.Chart(df)
        .mark_bar(color=STAGE_COLORS[3], cornerRadiusTopLeft=3, cornerRadiusTopRight=3)
        .encode(
            x=alt.X("days_to_pay:Q", bin=alt.Bin(step=1), title=titles["days"],
                    axis=alt.Axis(format="d")),
            y=alt.Y("count():Q", title=titles["users"], axis=alt.Axis(tickMinStep=1)),
            tooltip=[alt.Tooltip("days_to_pay:Q", bin=alt.Bin(step=1), title=titles["days"]),
                     alt.Tooltip("count():Q", title=titles["users"])],
        )
    )
    layers = [bars]
    if median is not None and not pd.isna(median):
        m = pd.DataFrame({"median": [float(median)], "label": [titles["median"]]})
        layers.append(alt.Chart(m).mark_rule(color="#2E282A", strokeDash=[4, 3], size=1.5)
                      .encode(x="median:Q", tooltip=[alt.Tooltip("median:Q", title=titles["median"],
                                                                 format=".1f")]))
        layers.append(alt.Chart(m).mark_text(align="left", dx=4, dy=-6, font=FONT, fontSize=11)
                      .encode(x="median:Q", y=alt.value(8), text="label:N"))
    return style(alt.layer(*layers), height=280)
