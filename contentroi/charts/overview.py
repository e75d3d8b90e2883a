"""Overview charts: the step funnel and the weekly trend panels (no Streamlit here).

Builders take small result frames and already-translated labels; they only
reshape and format for display (every number comes from the queries).
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import altair as alt
import pandas as pd

from .. import fmt
from ..limits import MIN_N
from . import FONT, STAGE_COLORS, Spec, frozen, hole, named, style, template, value_axis

DROPPED_COLOR = "#E5E7EB"
MATURING_COLOR = "#F3F4F6"
TEXT_COLOR = "#1F2937"
MUTED_COLOR = "#6B7280"

STAGES = ("reads", "joins", "contacted", "paid")
STEP_RATES = {"joins": "join_rate", "contacted": "contact_rate", "paid": "pay_rate"}


def funnel_frame(totals: dict[str, Any], labels: dict[str, str]) -> pd.DataFrame:
    """The funnel as display rows: each step's bar is 100% of the step before it.

    ``labels`` holds translated texts: ``stage_<s>`` (row label, with its
    count), ``unit_<s>``, ``text_<s>`` (the bar's text, may use {rate} and
    {drop}), ``continued``, ``dropped``. Rates come from the totals (SQL).
    """
    rows = []
    for i, stage in enumerate(STAGES):
        value = totals.get(stage)
        rate_key = STEP_RATES.get(stage)
        rate = totals.get(rate_key) if rate_key else None
        cont = 1.0 if stage == "reads" else (rate if rate is not None else 0.0)
        drop = None if rate is None else 1.0 - rate
        row_label = labels[f"stage_{stage}"].format(n=fmt.count(value))
        text = labels[f"text_{stage}"].format(rate=fmt.pct(rate, 2 if (rate or 1) < 0.01 else 1),
                                              drop=fmt.pct(drop, 1))
        common = {
            "order": i, "stage": row_label, "count": fmt.count(value), "unit": labels[f"unit_{stage}"],
            "step_rate": fmt.pct(rate, 2) if rate_key else "", "drop_off": fmt.pct(drop, 2) if rate_key else "",
            "text": text, "text_x": cont, "inside": stage == "reads" or cont > 0.62,
        }
        rows.append({**common, "part": labels["continued"], "color_key": stage, "part_order": 0,
                     "share": cont})
        if stage != "reads":
            rows.append({**common, "part": labels["dropped"], "color_key": "dropped", "part_order": 1,
                         "share": 1.0 - cont})
    return pd.DataFrame(rows)


def funnel(frame: pd.DataFrame, tooltips: dict[str, str], height: int = 290) -> Spec:
    """Horizontal 100% step bars: coloured = went on to the next step, grey = dropped off."""
    labels = frame.drop_duplicates("order")
    order = labels.sort_values("order")["stage"].tolist()
    return Spec(_funnel(frozen(tooltips), height),
                {"bars": frame, "outside": labels[~labels["inside"]], "inside": labels[labels["inside"]]},
                (order,))


@template
def _funnel(tooltips: tuple, height: int) -> alt.LayerChart:
    tooltips = dict(tooltips)
    color = alt.Color("color_key:N", legend=None,
                      scale=alt.Scale(domain=list(STAGES) + ["dropped"],
                                      range=STAGE_COLORS[:4] + [DROPPED_COLOR]))
    y = alt.Y("stage:N", sort=hole(0, "list"), title=None,
              axis=alt.Axis(labelFontSize=13, labelFontWeight="bold", labelLimit=260, ticks=False,
                            domain=False, labelPadding=10))
    tip = [
        alt.Tooltip("stage:N", title=tooltips["stage"]),
        alt.Tooltip("unit:N", title=tooltips["unit"]),
        alt.Tooltip("step_rate:N", title=tooltips["step_rate"]),
        alt.Tooltip("drop_off:N", title=tooltips["drop_off"]),
    ]
    bars = alt.Chart(named("bars")).mark_bar(height=34, cornerRadius=3).encode(
        y=y,
        x=alt.X("share:Q", stack="zero", title=None, scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%", grid=False, labels=False, ticks=False, domain=False)),
        color=color,
        order=alt.Order("part_order:Q", sort="ascending"),
        tooltip=tip,
    )
    outside = alt.Chart(named("outside")).mark_text(
        align="left", dx=6, fontSize=12, color=TEXT_COLOR, font=FONT).encode(
        y=y, x="text_x:Q", text="text:N", tooltip=tip)
    inside = alt.Chart(named("inside")).mark_text(
        align="left", dx=8, fontSize=12, color="white", fontWeight="bold", font=FONT).encode(
        y=y, x=alt.datum(0), text="text:N", tooltip=tip)
    return style(alt.layer(bars, outside, inside), height=height)


def _weeks(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    out["week"] = pd.to_datetime(out["week"])
    out["week_end"] = out["week"] + pd.Timedelta(days=7)
    out["week_label"] = out["week"].dt.strftime("%Y-%m-%d")
    return out


def _fmt_value(kind: str, v: Any) -> str:
    return {"count": fmt.count, "money": fmt.money, "rate": fmt.pct}[kind](v)


def _axis(kind: str, lang: str) -> alt.Axis:
    return value_axis(kind, lang, title=None, tickCount=4)


def maturing_frame(df: pd.DataFrame, tip: str) -> pd.DataFrame | None:
    """The shaded span of the maturing weeks (None: no maturing week)."""
    m = df[df["maturing"].astype(bool)]
    if m.empty:
        return None
    return pd.DataFrame({"start": [m["week"].min()], "end": [m["week_end"].max()], "tip": [tip]})


def maturing_layer() -> alt.Chart:
    """The maturing span's layer (data source "band", from maturing_frame)."""
    return alt.Chart(named("band")).mark_rect(color=MATURING_COLOR, opacity=0.9).encode(
        x="start:T", x2="end:T", tooltip=alt.Tooltip("tip:N", title=""))


def trend_panel(df: pd.DataFrame, field: str, title: str, kind: str, color: str,
                tooltips: dict[str, str], n_field: str | None = None, min_n: int = MIN_N,
                height: int = 180) -> Spec:
    """One small line chart of the weekly trend (one metric), maturing weeks shaded.

    For a rate (``n_field`` given), weeks with fewer than ``min_n`` users are
    left off the line and the axis (their value is in the weekly table)."""
    data = _weeks(df)
    data["value_text"] = [_fmt_value(kind, v) for v in data[field]]
    if n_field:
        data["n_text"] = [fmt.count(v) for v in data[n_field]]
        # a rate of a handful of users is noise: kept off the chart
        small = data[n_field].fillna(0) < min_n
        data["line_value"] = data[field].where(~small)
        data["small"] = small
    else:
        data["line_value"] = data[field]
        data["small"] = False
    datasets = {"line": data, "points": data[~data["small"]]}
    band = maturing_frame(data, tooltips["maturing"])
    if band is not None:
        datasets["band"] = band
    return Spec(_trend_panel(field, title, kind, color, frozen(tooltips), n_field, height, band is not None,
                              fmt.current_lang()),
                datasets)


@template
def _trend_panel(field: str, title: str, kind: str, color: str, tooltips: tuple, n_field: str | None,
                 height: int, band: bool, lang: str) -> alt.LayerChart:
    tooltips = dict(tooltips)
    tip = [alt.Tooltip("week_label:N", title=tooltips["week"]),
           alt.Tooltip("value_text:N", title=title)]
    if n_field:
        tip.append(alt.Tooltip("n_text:N", title=tooltips["n"]))
    x = alt.X("week:T", title=None, axis=alt.Axis(format="%m-%d", labelAngle=0, tickCount=6, grid=False))
    y = alt.Y(f"{field}:Q", axis=_axis(kind, lang))
    line = alt.Chart(named("line")).mark_line(color=color, strokeWidth=2).encode(
        x=x, y=alt.Y("line_value:Q", axis=_axis(kind, lang)))
    pts = alt.Chart(named("points")).mark_circle(color=color, size=28).encode(x=x, y=y, tooltip=tip)
    layers = [line, pts]
    if band:
        layers.insert(0, maturing_layer())
    chart = alt.layer(*layers).properties(
        title=alt.TitleParams(title, fontSize=13, font=FONT, color=TEXT_COLOR))
    return style(chart, height=height)


def week_span(df: pd.DataFrame) -> tuple[dt.date | None, dt.date | None]:
    if df.empty:
        return None, None
    w = pd.to_datetime(df["week"])
    return w.min().date(), (w.max() + pd.Timedelta(days=6)).date()
