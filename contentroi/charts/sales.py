"""Charts of the Sales page (/sales): per-rep funnel, revenue and the weekly trend."""
from __future__ import annotations

import altair as alt
import pandas as pd

from .. import fmt
from . import FONT, STAGE_COLORS, Spec, frozen, hole, named, series_colors, style, template, value_axis

REFUND_COLOR = "#E4572E"
NET_COLOR = "#2BA471"



def rep_scale(reps: list[str]) -> alt.Scale:
    return alt.Scale(domain=reps, range=series_colors(len(reps)))


def rep_funnel(df: pd.DataFrame, titles: dict[str, str], reps: list[str]) -> Spec:
    """Grouped horizontal bars per rep. ``df`` (long): rep, step (label), order, users."""
    steps = tuple(df.drop_duplicates("step").sort_values("order")["step"].tolist())
    return Spec(_rep_funnel(frozen(titles), steps, fmt.current_lang()), {"bars": df}, (list(reps),))


@template
def _rep_funnel(titles: tuple, steps: tuple, lang: str) -> alt.Chart:
    titles, steps = dict(titles), list(steps)
    chart = (
        alt.Chart(named("bars"))
        .mark_bar(cornerRadiusEnd=3)
        .encode(
            y=alt.Y("rep:N", sort=hole(0, "list"), title=None, axis=alt.Axis(labelFont=FONT, labelLimit=140)),
            yOffset=alt.YOffset("step:N", sort=steps),
            x=alt.X("users:Q", title=titles["users"], axis=value_axis("count", lang)),
            color=alt.Color("step:N", sort=steps, title=None,
                            scale=alt.Scale(domain=steps, range=STAGE_COLORS[: len(steps)]),
                            # one label a line: the chart sits in half the page, where three
                            # side by side were cut at its right edge (联系后付费 read 联…)
                            legend=alt.Legend(orient="bottom", columns=1, labelLimit=260)),
            tooltip=[alt.Tooltip("rep:N", title=titles["rep"]),
                     alt.Tooltip("step:N", title=titles["step"]),
                     alt.Tooltip("users:Q", title=titles["users"], format=",d")],
        )
    )
    # sized by its bars (each step's bar 14 px), not a fixed height: the page draws the chart
    # to fit its width, and a fixed height then held the legend and the axis too, which left
    # three reps' bars ~40 px (one rep's label dropped)
    return style(chart, height=alt.Step(14, **{"for": "offset"}))


def rep_revenue(df: pd.DataFrame, titles: dict[str, str], reps: list[str]) -> Spec:
    """Stacked horizontal bars: net revenue and refunds (= gross) per rep.

    ``df`` (long): rep, part (label), amount, order (0 = net, 1 = refunds).
    """
    parts = tuple(df.drop_duplicates("part").sort_values("order")["part"].tolist())
    return Spec(_rep_revenue(frozen(titles), parts, fmt.current_lang()), {"bars": df}, (list(reps),))


@template
def _rep_revenue(titles: tuple, parts: tuple, lang: str) -> alt.Chart:
    titles, parts = dict(titles), list(parts)
    chart = (
        alt.Chart(named("bars"))
        .mark_bar(height={"band": 0.7})
        .encode(
            y=alt.Y("rep:N", sort=hole(0, "list"), title=None, axis=alt.Axis(labelFont=FONT, labelLimit=140)),
            x=alt.X("amount:Q", title=titles["amount"], stack="zero",
                    axis=value_axis("money", lang)),
            color=alt.Color("part:N", sort=parts, title=None,
                            scale=alt.Scale(domain=parts, range=[NET_COLOR, REFUND_COLOR]),
                            legend=alt.Legend(orient="bottom", columns=2)),
            order=alt.Order("order:Q"),
            tooltip=[alt.Tooltip("rep:N", title=titles["rep"]),
                     alt.Tooltip("part:N", title=titles["part"]),
                     alt.Tooltip("amount:Q", title=titles["amount"], format=",.2f")],
        )
    )
    return style(chart, height=alt.Step(30))  # a bar of 21 px per rep (band 0.7), as rep_funnel


def weekly(df: pd.DataFrame, value: str, titles: dict[str, str], reps: list[str],
           money: bool = False) -> Spec:
    """Weekly bars stacked by rep (the height is the team's week); click a legend entry to
    highlight one rep. ``df``: rep (label), week (date), <value>."""
    scale = rep_scale(reps)
    return Spec(_weekly(value, frozen(titles), money, fmt.current_lang()), {"bars": df}, (list(reps), scale.domain, scale.range))


@template
def _weekly(value: str, titles: tuple, money: bool, lang: str) -> alt.Chart:
    titles = dict(titles)
    axis = (value_axis("money", lang) if money
            else alt.Axis(format=",d", tickMinStep=1))
    focus = alt.selection_point(fields=["rep"], bind="legend")
    chart = (
        alt.Chart(named("bars"))
        .mark_bar()
        .encode(
            x=alt.X("yearmonthdate(week):O", title=titles["week"],
                    axis=alt.Axis(format="%m-%d", labelAngle=-45, labelOverlap=True)),
            y=alt.Y(f"sum({value}):Q", title=titles["value"], axis=axis),
            color=alt.Color("rep:N", title=titles["rep"], sort=hole(0, "list"),
                            scale=alt.Scale(domain=hole(1, "list"), range=hole(2, "list")),
                            legend=alt.Legend(orient="bottom", columns=4, labelLimit=180)),
            order=alt.Order("rep_order:Q"),
            opacity=alt.condition(focus, alt.value(1.0), alt.value(0.2)),
            tooltip=[alt.Tooltip("rep:N", title=titles["rep"]),
                     alt.Tooltip("week:T", title=titles["week"], format="%Y-%m-%d"),
                     alt.Tooltip(f"{value}:Q", title=titles["value"],
                                 format=",.2f" if money else ",d")],
        )
        .add_params(focus)
    )
    return style(chart, height=400)
