"""Altair charts (no Streamlit here): one module per page area, shared look below."""
from __future__ import annotations

import altair as alt

# One colour per channel, the same on every chart.
CHANNEL_COLORS = {
    "wechat": "#2BA471",
    "zhihu": "#1772F6",
    "weibo": "#F59A23",
    "douyin": "#161823",
    "xiaohongshu": "#FF2442",
}
PALETTE = ["#E4572E", "#17BEBB", "#FFC914", "#2E282A", "#76B041", "#7D5BA6", "#F49D37", "#3F88C5"]
STAGE_COLORS = ["#3F88C5", "#17BEBB", "#F49D37", "#E4572E"]
FONT = "Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif"


def channel_scale(channels: list[str]) -> alt.Scale:
    """A colour scale that gives known channels their brand colour."""
    rng, extra = [], iter(PALETTE)
    for c in channels:
        rng.append(CHANNEL_COLORS.get(c) or next(extra, "#888888"))
    return alt.Scale(domain=list(channels), range=rng)


def style(chart: alt.Chart, height: int = 320) -> alt.Chart:
    return (
        chart.properties(height=height)
        .configure_axis(labelFont=FONT, titleFont=FONT, grid=True, gridOpacity=0.4)
        .configure_legend(labelFont=FONT, titleFont=FONT, orient="bottom")
        .configure_title(font=FONT, anchor="start")
        .configure_view(strokeWidth=0)
    )
