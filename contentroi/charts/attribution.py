"""Charts of the Attribution page (/attribution): revenue per channel under every model."""
from __future__ import annotations

import altair as alt
import pandas as pd

from . import FONT, Spec, frozen, hole, named, style, template

# One colour per model, the same wherever models are compared.
MODEL_COLORS = {
    "first_touch": "#3F88C5",
    "last_touch": "#E4572E",
    "linear": "#17BEBB",
    "position": "#F49D37",
    "time_decay": "#7D5BA6",
}

YUAN = "datum.value == 0 ? '¥0' : '¥' + datum.label"  # axis labels: ¥20k, ¥0


def by_model(df: pd.DataFrame, titles: dict[str, str], group: str = "channel") -> Spec:
    """Grouped bars: one group per ``group`` value, one bar per model.

    ``df`` (long): <group>, model (key), model_label, revenue, selected (bool).
    The selected model's bars are solid with a dark outline; the others fade.
    Groups are ordered by the selected model's revenue.
    """
    models = df.drop_duplicates("model")
    labels = tuple(models["model_label"].tolist())
    colors = tuple(MODEL_COLORS.get(m, "#888888") for m in models["model"])
    sel = df[df["selected"]].sort_values("revenue", ascending=False)
    order = sel[group].tolist() or sorted(df[group].unique().tolist())
    return Spec(_by_model(frozen(titles), group, labels, colors), {"bars": df}, (order,))


@template
def _by_model(titles: tuple, group: str, labels: tuple, colors: tuple) -> alt.Chart:
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
                    axis=alt.Axis(format="~s", labelExpr=YUAN)),
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
