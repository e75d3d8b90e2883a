"""Charts of the Attribution page (/attribution): revenue per channel under every model."""
from __future__ import annotations

from collections.abc import Mapping

import altair as alt
import pandas as pd

from .. import fmt
from . import FONT, Spec, channel_labels, channel_scale, frozen, hole, named, relabel, style, template, value_axis

# One colour per model, the same wherever models are compared.
MODEL_COLORS = {
    "first_touch": "#3F88C5",
    "last_touch": "#E4572E",
    "linear": "#17BEBB",
    "position": "#F49D37",
    "time_decay": "#7D5BA6",
    "markov": "#2E282A",
}



def by_model(df: pd.DataFrame, titles: dict[str, str], group: str = "channel",
             names: Mapping[str, str] | None = None) -> Spec:
    """Grouped bars: one group per ``group`` value, one bar per model.

    ``df`` (long): <group>, model (key), model_label, revenue, selected (bool).
    The selected model's bars are solid with a dark outline; the others fade.
    Groups are ordered by the selected model's revenue. ``names``: the channels' display
    names (a ``channel`` group shows them).
    """
    if group == "channel":
        df = relabel(df, channel_labels(df["channel"], names))
    models = df.drop_duplicates("model")
    labels = tuple(models["model_label"].tolist())
    colors = tuple(MODEL_COLORS.get(m, "#888888") for m in models["model"])
    sel = df[df["selected"]].sort_values("revenue", ascending=False)
    order = sel[group].tolist() or sorted(df[group].unique().tolist())
    return Spec(_by_model(frozen(titles), group, labels, colors, fmt.current_lang()), {"bars": df}, (order,))


@template
def _by_model(titles: tuple, group: str, labels: tuple, colors: tuple, lang: str) -> alt.Chart:
    titles = dict(titles)
    labels, colors = list(labels), list(colors)
    chart = (
        alt.Chart(named("bars"))
        .mark_bar(cornerRadiusTopLeft=3, cornerRadiusTopRight=3)
        .encode(
            x=alt.X(f"{group}:N", sort=hole(0, "list"), title=None,
                    axis=alt.Axis(labelAngle=0, labelFont=FONT, labelLimit=160)),
            xOffset=alt.XOffset("model_label:N", sort=labels),
            y=alt.Y("revenue:Q", title=titles["revenue"],
                    axis=value_axis("money", lang)),
            color=alt.Color("model_label:N", title=titles["model"], sort=labels,
                            scale=alt.Scale(domain=labels, range=colors),
                            legend=alt.Legend(orient="bottom", columns=5, labelLimit=260)),
            opacity=alt.condition("datum.selected", alt.value(1.0), alt.value(0.38)),
            stroke=alt.condition("datum.selected", alt.value("#1f1f1f"), alt.value(None)),
            strokeWidth=alt.condition("datum.selected", alt.value(1.5), alt.value(0)),
            tooltip=[
                alt.Tooltip(f"{group}:N", title=titles[group]),
                alt.Tooltip("model_label:N", title=titles["model"]),
                alt.Tooltip("revenue:Q", title=titles["revenue"], format=",.2f"),
            ],
        )
    )
    return style(chart, height=360)


def removal_effects(df: pd.DataFrame, titles: dict[str, str], names: Mapping[str, str] | None = None) -> Spec:
    """The markov model's removal effect per channel with its 95% interval.

    ``df``: channel, removal_effect, lo, hi (fractions), small (bool: too few paths;
    drawn faded). Channels ordered by removal effect; shown by their display ``names``,
    coloured by code."""
    codes = df.sort_values(["removal_effect", "channel"], ascending=[False, True])["channel"].tolist()
    scale = channel_scale(codes, names)
    return Spec(_removal_effects(frozen(titles), len(codes)), {"re": relabel(df, channel_labels(codes, names))},
                (scale.domain, scale.domain, scale.range))


@template
def _removal_effects(titles: tuple, n: int) -> alt.Chart:
    titles = dict(titles)
    y = alt.Y("channel:N", sort=hole(0, "list"), title=None,
              axis=alt.Axis(labelFont=FONT, labelLimit=160))
    base = alt.Chart(named("re"))
    bars = base.mark_bar(cornerRadiusTopRight=3, cornerRadiusBottomRight=3).encode(
        y=y,
        x=alt.X("removal_effect:Q", title=titles["removal_effect"], axis=alt.Axis(format="%")),
        color=alt.Color("channel:N", scale=alt.Scale(domain=hole(1, "list"), range=hole(2, "list")), legend=None),
        opacity=alt.condition("datum.small", alt.value(0.35), alt.value(0.9)),
        tooltip=[
            alt.Tooltip("channel:N", title=titles["channel"]),
            alt.Tooltip("removal_effect:Q", title=titles["removal_effect"], format=".1%"),
            alt.Tooltip("lo:Q", title=titles["lo"], format=".1%"),
            alt.Tooltip("hi:Q", title=titles["hi"], format=".1%"),
            alt.Tooltip("paths:Q", title=titles["paths"], format=",d"),
        ],
    )
    ci = base.mark_rule(strokeWidth=2, color="#1f1f1f").encode(y=y, x="lo:Q", x2="hi:Q")
    return style(alt.layer(bars, ci), height=max(120, 40 * n))


def transitions(df: pd.DataFrame, titles: dict[str, str], rows: list[str], cols: list[str]) -> Spec:
    """The markov chain's transition probabilities as a heat map.

    ``df``: from_label, to_label, probability, n. ``rows`` / ``cols``: the order of
    the from- and to-states (start first; paid and no payment last)."""
    return Spec(_transitions(frozen(titles), len(rows)), {"tm": df}, (rows, cols))


@template
def _transitions(titles: tuple, n_rows: int) -> alt.Chart:
    titles = dict(titles)
    base = alt.Chart(named("tm")).encode(
        # every column keeps its label: the browser's Vega hid every other slanted label as
        # overlapping at the page's width (a Chinese reader saw 公众号, 知乎, 微博 and 未付费
        # over seven columns); at -45 degrees neighbours do not touch
        x=alt.X("to_label:N", sort=hole(1, "list"), title=titles["to"],
                axis=alt.Axis(labelAngle=-45, labelOverlap=False, labelFont=FONT, labelLimit=140,
                              orient="top")),
        y=alt.Y("from_label:N", sort=hole(0, "list"), title=titles["from"],
                axis=alt.Axis(labelFont=FONT, labelLimit=140)),
    )
    cells = base.mark_rect().encode(
        color=alt.Color("probability:Q", title=titles["probability"],
                        scale=alt.Scale(scheme="blues", domain=[0, 1]),
                        legend=alt.Legend(format="%", orient="right", gradientLength=120)),
        tooltip=[
            alt.Tooltip("from_label:N", title=titles["from"]),
            alt.Tooltip("to_label:N", title=titles["to"]),
            alt.Tooltip("probability:Q", title=titles["probability"], format=".1%"),
            alt.Tooltip("n:Q", title=titles["n"], format=",d"),
        ],
    )
    text = base.mark_text(fontSize=11).encode(
        text=alt.Text("probability:Q", format=".0%"),
        color=alt.condition("datum.probability > 0.5", alt.value("white"), alt.value("#1f1f1f")),
    )
    # the page draws it to the container's width (autosize "fit"), which fits the whole chart,
    # axes and legend included, into this height: room for the top axis's slanted labels
    # and title on top of a row's 34 px (the legend sits right, out of the height's way)
    return style(alt.layer(cells, text), height=max(160, 34 * n_rows) + 90)
