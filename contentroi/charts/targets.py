"""Charts of the Targets page: the month's pacing (cumulative actual vs the target
line, the projection and its interval) and the coverage of each funnel stage
(no Streamlit here)."""
from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from .. import fmt
from . import FONT, Spec, frozen, hole, named, style, template
from .overview import TEXT_COLOR, _axis

TARGET_COLOR = "#6B7280"
ACTUAL_COLOR = "#3F88C5"
PROJ_COLOR = "#F49D37"
GOOD, BAD = "#2BA471", "#E4572E"


def pacing(frame: pd.DataFrame, labels: dict[str, str], kind: str, height: int = 320) -> Spec:
    """``frame``: targets.pacing_frame rows. ``labels``: target, actual, projection,
    interval, day, value (translated). ``kind``: money or count."""
    fmt_v = fmt.money if kind == "money" else fmt.count
    series = [("target", labels["target"]), ("actual", labels["actual"]), ("projection", labels["projection"])]
    rows = []
    for r in frame.to_dict(orient="records"):
        for key, name in series:
            v = r.get(key)
            if v is None or pd.isna(v):
                continue
            rows.append({"day": r["day"], "series": name, "value": float(v), "value_text": fmt_v(v),
                         "day_label": f"{pd.Timestamp(r['day']):%Y-%m-%d}"})
    lines = pd.DataFrame(rows, columns=["day", "series", "value", "value_text", "day_label"])
    band = frame[frame["lo"].notna() & frame["hi"].notna()][["day", "lo", "hi"]].copy()
    band["text"] = [f"{fmt_v(a)} – {fmt_v(b)}" for a, b in zip(band["lo"], band["hi"])]
    present = [name for key, name in series if (lines["series"] == name).any()]
    colors = {labels["target"]: TARGET_COLOR, labels["actual"]: ACTUAL_COLOR,
              labels["projection"]: PROJ_COLOR}
    dashes = {labels["target"]: [5, 4], labels["actual"]: [1, 0], labels["projection"]: [2, 3]}
    return Spec(_pacing(frozen(labels), kind, height, fmt.current_lang()), {"lines": lines, "band": band},
                (present, [colors[p] for p in present], [dashes[p] for p in present]))


@template
def _pacing(labels: tuple, kind: str, height: int, lang: str) -> alt.LayerChart:
    labels = dict(labels)
    x = alt.X("day:T", title=None, axis=alt.Axis(format="%m-%d", labelAngle=0, grid=False))
    band = alt.Chart(named("band")).mark_area(color=PROJ_COLOR, opacity=0.18).encode(
        x=x, y=alt.Y("lo:Q", axis=_axis(kind, lang)), y2="hi:Q",
        tooltip=[alt.Tooltip("text:N", title=labels["interval"])])
    color = alt.Color("series:N", title=None, scale=alt.Scale(domain=hole(0, "list"), range=hole(1, "list")),
                      legend=alt.Legend(orient="bottom"))
    dash = alt.StrokeDash("series:N", legend=None,
                          scale=alt.Scale(domain=hole(0, "list"), range=hole(2, "list")))
    tip = [alt.Tooltip("day_label:N", title=labels["day"]), alt.Tooltip("series:N", title=""),
           alt.Tooltip("value_text:N", title=labels["value"])]
    lines = alt.Chart(named("lines")).mark_line(strokeWidth=2.2).encode(
        x=x, y=alt.Y("value:Q", axis=_axis(kind, lang)), color=color, strokeDash=dash, detail="series:N")
    pts = alt.Chart(named("lines")).mark_circle(size=22, opacity=0.0).encode(
        x=x, y="value:Q", tooltip=tip)
    return style(alt.layer(band, lines, pts), height=height)


def coverage(rows: list[dict[str, Any]], labels: dict[str, str], height: int = 220) -> Spec:
    """Projected / required per stage, with the 100 % line. ``rows``: stage (label),
    coverage, text."""
    data = pd.DataFrame(rows, columns=["order", "stage", "coverage", "text", "limit"])
    data = data[data["coverage"].notna()].copy()
    data["ok"] = ["ok" if c >= 1 else "short" for c in data["coverage"]]
    order = data.sort_values("order")["stage"].tolist()
    top = max(1.2, float(data["coverage"].max()) * 1.25 if len(data) else 1.2)
    return Spec(_coverage(frozen(labels), height), {"bars": data, "one": pd.DataFrame({"x": [1.0]})},
                (order, top))


@template
def _coverage(labels: tuple, height: int) -> alt.LayerChart:
    labels = dict(labels)
    y = alt.Y("stage:N", sort=hole(0, "list"), title=None,
              axis=alt.Axis(ticks=False, domain=False, labelFontSize=12, labelLimit=200))
    x = alt.X("coverage:Q", title=labels["x"], scale=alt.Scale(domain=[0, hole(1)]),
              axis=alt.Axis(format="%", tickCount=5))
    bars = alt.Chart(named("bars")).mark_bar(height=20, cornerRadius=3).encode(
        y=y, x=x, color=alt.Color("ok:N", legend=None, scale=alt.Scale(domain=["ok", "short"], range=[GOOD, BAD])),
        tooltip=[alt.Tooltip("stage:N", title=""), alt.Tooltip("text:N", title=labels["x"])])
    text = alt.Chart(named("bars")).mark_text(align="left", dx=5, fontSize=12, color=TEXT_COLOR, font=FONT).encode(
        y=y, x="coverage:Q", text="text:N")
    one = alt.Chart(named("one")).mark_rule(color=TEXT_COLOR, strokeDash=[4, 3]).encode(x="x:Q")
    return style(alt.layer(bars, one, text), height=height)
