"""Charts of the Cohorts page (/cohorts): cumulative revenue per user by age."""
from __future__ import annotations

import altair as alt
import pandas as pd

from .. import fmt
from . import series_colors, style, value_axis


def curves(df: pd.DataFrame, titles: dict[str, str], lang: str | None = None) -> alt.Chart:
    """One line per cohort. ``df``: cohort (label), age (days), revenue_per_user, users."""
    cohorts = list(dict.fromkeys(df["cohort"]))
    colors = series_colors(len(cohorts))
    chart = (
        alt.Chart(df)
        .mark_line(strokeWidth=2, interpolate="step-after")
        .encode(
            x=alt.X("age:Q", title=titles["days"], scale=alt.Scale(domain=[0, 180]),
                    axis=alt.Axis(values=[0, 7, 30, 60, 90, 120, 150, 180])),
            y=alt.Y("revenue_per_user:Q", title=titles["rev"], axis=value_axis("money", fmt.current_lang(lang))),
            color=alt.Color("cohort:N", sort=cohorts, title=titles["cohort"],
                            scale=alt.Scale(domain=cohorts, range=colors),
                            legend=alt.Legend(orient="right", labelLimit=220)),
            tooltip=[alt.Tooltip("cohort:N", title=titles["cohort"]),
                     alt.Tooltip("age:Q", title=titles["days"]),
                     alt.Tooltip("revenue_per_user:Q", title=titles["rev"], format=",.2f"),
                     alt.Tooltip("users:Q", title=titles["users"], format=",d")],
        )
    )
    return style(chart, height=340)
