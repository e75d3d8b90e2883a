"""Altair charts (no Streamlit here): one module per page area, shared look below."""
from __future__ import annotations

import functools
import json
import re
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import altair as alt
import pandas as pd

# One colour per channel, the same on every chart.
CHANNEL_COLORS = {
    "wechat": "#2BA471",
    "zhihu": "#1772F6",
    "weibo": "#F59A23",
    "douyin": "#161823",
    "xiaohongshu": "#FF2442",
}
PALETTE = ["#E4572E", "#17BEBB", "#FFC914", "#2E282A", "#76B041", "#7D5BA6", "#F49D37", "#3F88C5"]
# The colours of a chart's series that are not channels (the Sales page's reps, the Cohorts
# page's cohorts): the palette, then twelve more (Tableau 20's that the palette's do not
# resemble), so that up to 20 series never share a colour -- a team of ten reps did with
# the palette's 8 (seen in a browser: two pairs of reps in one colour).
SERIES_COLORS = PALETTE + ["#A0CBE8", "#8CD17D", "#B6992D", "#499894", "#FF9D9A", "#79706E",
                           "#D37295", "#B07AA1", "#9D7660", "#FFBE7D", "#86BCB6", "#D4A6C8"]


def series_colors(n: int) -> list[str]:
    """Colours for ``n`` series, in order: distinct up to len(SERIES_COLORS), then repeated."""
    return [SERIES_COLORS[i % len(SERIES_COLORS)] for i in range(n)]
STAGE_COLORS = ["#3F88C5", "#17BEBB", "#F49D37", "#E4572E"]
FONT = "Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif"


def channel_color(channel: str) -> str:
    """A channel's one colour, on every chart, page and digest: its brand colour, else a
    palette colour chosen by a stable hash of its name (not by its rank or by which
    channels a filter shows, so it never changes between pages)."""
    known = CHANNEL_COLORS.get(channel)
    if known:
        return known
    return PALETTE[zlib.crc32(str(channel).encode("utf-8")) % len(PALETTE)]


def channel_labels(codes: Iterable[Any], names: Mapping[str, str] | None = None) -> dict[str, str]:
    """Each channel code's label on a chart: its display name in the page's language (the
    store's channel_names, st_app.channel_names), else the code. A label names one colour,
    so codes sharing a name are told apart as ``name (code)``."""
    names = {c: n for c, n in (names or {}).items() if isinstance(n, str) and n.strip()}
    codes = [c for c in dict.fromkeys(codes) if isinstance(c, str)]
    raw = {c: names.get(c, c) for c in dict.fromkeys([*codes, *names])}
    seen = Counter(raw.values())
    return {c: f"{raw[c]} ({c})" if seen[raw[c]] > 1 else raw[c] for c in codes}


def relabel(df: pd.DataFrame, labels: Mapping[str, str], col: str = "channel") -> pd.DataFrame:
    """``df`` (a copy) with the channel codes of ``col`` replaced by their chart labels."""
    return df.assign(**{col: [labels.get(c, c) if isinstance(c, str) else c for c in df[col]]})


def channel_scale(channels: list[str], names: Mapping[str, str] | None = None) -> alt.Scale:
    """A colour scale over ``channels`` (codes) with each channel's fixed colour
    (channel_color, by code); its domain is their labels (channel_labels)."""
    labels = channel_labels(channels, names)
    return alt.Scale(domain=[labels.get(c, c) for c in channels], range=[channel_color(c) for c in channels])


def axis_labels(kind: str, lang: str) -> str:
    """THE Vega expression for a money or count axis label, in the page's language — the
    charts' counterpart of fmt.money / fmt.count on the tiles: in English ¥20k, 1.5k, 800;
    in Chinese ¥2万, 1.5万, 3亿, 800 (万 from 10,000, 亿 from 100,000,000)."""
    cur = "'¥' + " if kind == "money" else ""
    whole = "datum.value % 1 != 0 ? '' : " if kind == "count" else ""  # no "0.5 users" tick
    if lang == "zh":
        return (f"{whole}abs(datum.value) >= 1e8 ? {cur}format(datum.value / 1e8, '~g') + '亿' : "
                f"abs(datum.value) >= 1e4 ? {cur}format(datum.value / 1e4, '~g') + '万' : "
                f"{cur}format(datum.value, ',~g')")
    return (f"{whole}abs(datum.value) >= 1000 ? {cur}format(datum.value, '~s') : "
            f"{cur}format(datum.value, ',~g')")


def value_axis(kind: str, lang: str, **kw: Any) -> alt.Axis:
    """An axis for a value of ``kind`` (money | count | rate) in ``lang``; ``kw``: other
    alt.Axis options (title, tickCount, ...)."""
    if kind == "rate":
        return alt.Axis(format=".0%", **kw)
    if kind == "count":
        kw.setdefault("tickMinStep", 1)  # people are whole (Vega may still place a 0.5 tick: unlabelled)
    return alt.Axis(labelExpr=axis_labels(kind, lang), **kw)


def style(chart: alt.Chart, height: int = 320) -> alt.Chart:
    return (
        chart.properties(height=height)
        .configure_axis(labelFont=FONT, titleFont=FONT, grid=True, gridOpacity=0.4)
        .configure_legend(labelFont=FONT, titleFont=FONT, orient="bottom")
        .configure_title(font=FONT, anchor="start")
        .configure_view(strokeWidth=0)
    )


# ---------------------------------------------------------------------------
# Cached chart specs
#
# Building an Altair chart and converting it to Vega-Lite (with schema
# validation) costs tens of milliseconds per chart, on every rerun. The pages'
# charts are therefore built once per *structure* (labels, colours, sort
# orders: hashable arguments) with their data referenced by name, kept as JSON
# text, and combined with the current data on every rerun (a Spec). The page
# draws a Spec with st_app.chart(), which names each dataset by its content
# hash as st.altair_chart does.
# ---------------------------------------------------------------------------

_DATA = "__crdata__"  # named-data prefix in a template
_HOLE_NUM = "9.87654321e-3{:02d}"  # number placeholder i (see hole)
_HOLE_TEXT = "__crhole{}__"  # text / list placeholder i
_TOKEN_RE = re.compile(r'"__crdata__(?P<data>[A-Za-z0-9_]+)"|\["__crhole(?P<i>[0-7])__"\]'
                       r'|"__crhole(?P<j>[0-7])__"|9\.87654321e-30(?P<k>[0-7])')


def named(name: str) -> alt.NamedData:
    """The data source ``name`` of a template (the frame comes with the Spec)."""
    return alt.NamedData(name=_DATA + name)


def hole(i: int, kind: str = "number") -> Any:
    """Placeholder ``i`` (0-7) in a template for a value that changes with the data (a
    scale's domain, a sort order): ``kind`` number, text or list (of texts). The
    Spec carries the values, ``Spec.holes[i]``."""
    if not 0 <= i < 8:
        raise ValueError("a template has at most 8 placeholders")
    if kind == "number":
        return float(_HOLE_NUM.format(i))
    return [_HOLE_TEXT.format(i)] if kind == "list" else _HOLE_TEXT.format(i)


def frozen(d: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    """A labels / tooltips dict as a cache key."""
    return tuple(sorted(d.items()))


def template(build: Callable[..., Any]) -> Callable[..., str]:
    """Cache ``build(*args) -> Altair chart`` as Vega-Lite JSON text, per (hashable) args.

    The chart is converted without a theme (as st.altair_chart does) and
    validated, once; its data must be ``named`` sources or inline values.
    """

    @functools.lru_cache(maxsize=512)
    def cached(*args: Any) -> str:
        spec = build(*args).to_dict(context={"top_level": False})
        spec["$schema"] = alt.SCHEMA_URL
        return json.dumps(spec)

    functools.update_wrapper(cached, build)
    return cached


@dataclass(frozen=True)
class Spec:
    """A cached template (JSON text) with this rerun's data frames and placeholder values."""

    text: str
    datasets: Mapping[str, pd.DataFrame]
    holes: tuple[Any, ...] = ()

    def to_dict(self, names: Mapping[str, str]) -> dict[str, Any]:
        """The Vega-Lite spec with dataset ``k`` referenced as ``names[k]`` (no datasets)."""
        values = [json.dumps(v.tolist() if hasattr(v, "tolist") else v) for v in self.holes]

        def fill(m: re.Match[str]) -> str:
            if m.group("data") is not None:
                return json.dumps(names[m.group("data")])
            return values[int(m.group("i") or m.group("j") or m.group("k"))]

        # one pass over the template: inserted values are never read again
        return json.loads(_TOKEN_RE.sub(fill, self.text))

    def to_json(self) -> str:
        """The whole Vega-Lite spec with its data inline (for vl-convert or a file)."""
        spec = self.to_dict({k: k for k in self.datasets})
        spec["datasets"] = {k: alt.data.to_values(df)["values"] for k, df in self.datasets.items()}
        return json.dumps(spec)
