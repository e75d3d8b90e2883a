"""Annotations on time charts: one helper layers dashed rules (a day), shaded spans (a
range) and short labels onto any trend chart (no Streamlit here).

    spec = with_notes(spec, notes_frame(annotations, lo, hi, channels, all_label))

works on a cached chart (:class:`~contentroi.charts.Spec`) or a Vega-Lite dict whose
x axis is a time (``x="temporal"``) or the weekly ordinal axis of the Sales page
(``x="week"``: each note drawn at the Monday of its week). The note is data, never
markup: Vega draws it as text.
"""
from __future__ import annotations

import datetime as dt
import json
from typing import Any, Mapping, Sequence

import pandas as pd

from . import FONT, Spec, _DATA

NOTE_COLOR = "#9333EA"
LABEL_LEN = 24
LABEL_ROWS, ROW_PX = 3, 12  # labels cycle over 3 lines at the top, so that close ones do not overlap
COLUMNS = ["start", "end", "label", "tip", "is_range", "label_y"]


def _short(text: str, n: int = LABEL_LEN) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def notes_frame(df: pd.DataFrame, lo: dt.date | None, hi: dt.date | None, channels: Sequence[str] = (),
                all_label: str = "all", week: bool = False, names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The annotations (``annotations_list`` rows) to draw on a chart spanning [lo, hi]
    for the view's channels: start / end (end = the day after the last day), a short
    label, the full tooltip, and whether it is a range. ``week``: starts moved to the
    Monday of their week (for a chart whose x is the week). ``names``: channel display names."""
    from ..annotations import in_view, label, span_text

    if df is None or df.empty or lo is None or hi is None:
        return pd.DataFrame(columns=COLUMNS)
    rows = []
    for r in in_view(df, lo, hi, channels).to_dict(orient="records"):
        f = pd.Timestamp(r["date_from"]).date()
        t = pd.Timestamp(r["date_to"]).date()
        start = max(f, lo)
        if week:
            start = start - dt.timedelta(days=start.weekday())
        full = label(r, all_label, names)
        rows.append({"start": pd.Timestamp(start), "end": pd.Timestamp(min(t, hi) + dt.timedelta(days=1)),
                     "label": _short(full), "tip": f"{span_text(r)} · {full}", "is_range": t > f})
    rows.sort(key=lambda r: r["start"])
    for i, r in enumerate(rows):
        r["label_y"] = 2 + ROW_PX * (i % LABEL_ROWS)
    return pd.DataFrame(rows, columns=COLUMNS)


def _layers(x: str) -> list[dict[str, Any]]:
    if x == "week":
        xenc = {"field": "start", "timeUnit": "yearmonthdate", "type": "ordinal", "bandPosition": 0.5}
    else:
        xenc = {"field": "start", "type": "temporal"}
    tip = [{"field": "tip", "type": "nominal", "title": "📌"}]
    layers: list[dict[str, Any]] = []
    if x != "week":
        layers.append({
            "data": {"name": _DATA + "noteranges"},
            "mark": {"type": "rect", "color": NOTE_COLOR, "opacity": 0.08},
            "encoding": {"x": xenc, "x2": {"field": "end"}, "tooltip": tip},
        })
    layers.append({
        "data": {"name": _DATA + "notes"},
        "mark": {"type": "rule", "color": NOTE_COLOR, "strokeDash": [4, 3], "strokeWidth": 1.5},
        "encoding": {"x": xenc, "tooltip": tip},
    })
    layers.append({
        "data": {"name": _DATA + "notes"},
        "mark": {"type": "text", "color": NOTE_COLOR, "align": "left", "baseline": "top", "dx": 3,
                 "fontSize": 10, "font": FONT},
        "encoding": {"x": xenc, "y": {"field": "label_y", "type": "quantitative", "scale": None},
                     "text": {"field": "label", "type": "nominal"}, "tooltip": tip},
    })
    return layers


_VIEW_KEYS = ("data", "mark", "encoding", "params", "transform", "name")


def add_layers(spec: dict[str, Any], x: str = "temporal") -> dict[str, Any]:
    """A Vega-Lite dict with the note layers added (a single view becomes a layer)."""
    spec = dict(spec)
    if "layer" in spec:
        spec["layer"] = list(spec["layer"]) + _layers(x)
    elif "mark" in spec:
        view = {k: spec.pop(k) for k in _VIEW_KEYS if k in spec}
        spec["layer"] = [view] + _layers(x)
    else:  # concat / facet: not a single time chart
        return spec
    return spec


def with_notes(chart: Any, notes: pd.DataFrame | None, x: str = "temporal") -> Any:
    """``chart`` (a Spec or a Vega-Lite dict) with the annotations of ``notes``
    (from :func:`notes_frame`) drawn on it; unchanged when there is none."""
    if notes is None or notes.empty:
        return chart
    ranges = notes[notes["is_range"].astype(bool)]
    if isinstance(chart, Spec):
        spec = add_layers(json.loads(chart.text), x)
        return Spec(json.dumps(spec), {**chart.datasets, "notes": notes, "noteranges": ranges}, chart.holes)
    spec = add_layers(chart, x)
    datasets = dict(spec.get("datasets") or {})
    datasets[_DATA + "notes"] = json.loads(notes.to_json(orient="records", date_format="iso"))
    datasets[_DATA + "noteranges"] = json.loads(ranges.to_json(orient="records", date_format="iso"))
    spec["datasets"] = datasets
    return spec
