"""The daily / weekly digest (日报 / 周报): numbers, alerts, Markdown and HTML.

Pure Python, no Streamlit: the ``digest`` command and the /digest page both call
:func:`build` with a query function and render the same texts (docs/DIGEST.md).

    build.py    the period, the default date, :class:`Digest` and :func:`build` (the queries)
    alerts.py   the alert rule: two-proportion z-test of each stage rate (numbers only)
    content.py  texts, tables, tiles and chart frames of every section; SECTIONS, THE order
                the Markdown, HTML and page renderers follow
    render.py   Markdown and self-contained HTML

The names below are the package's interface (``from contentroi import digest as dg``).
"""
from ..limits import MIN_N, PERIODS
from .alerts import ALPHA, STAGE_COUNTS, STAGES, Alert, find_alerts, two_proportion_z
from .build import (TOP_N, Digest, Period, Query, bounds, build, default_anchor, default_date,
                    default_end)
from .content import (SECTIONS, SOON_DAYS, Table, Tile, alert_line, alert_note, alert_rule,
                      alert_summary, charts, count_change, definitions, funnel_frame, funnel_table,
                      heading, money0, movement, new_articles_table, p_text, pipeline_summary,
                      pipeline_table, pipeline_total, pp_change, quiet, race_frame, race_table,
                      ranking_tables, reach, sections, segment_name, span, status_notes, subtitle,
                      tiles, title, unattributed_note, volume_alerts, volume_note)
from .render import (FORMATS, HTML_ICONS, ICONS, NEW_LIMIT, PAGE_NEW_LIMIT, chart_svg, file_name,
                     html_table, md_table, render, render_html, render_md)

__all__ = [
    "MIN_N", "PERIODS", "ALPHA", "STAGE_COUNTS", "STAGES", "Alert", "find_alerts", "two_proportion_z",
    "TOP_N", "Digest", "Period", "Query", "bounds", "build", "default_anchor", "default_date",
    "default_end", "SECTIONS", "SOON_DAYS", "Table", "Tile", "alert_line", "alert_note", "alert_rule",
    "alert_summary", "charts", "count_change", "definitions", "funnel_frame", "funnel_table", "heading",
    "money0", "movement", "new_articles_table", "p_text", "pipeline_summary", "pipeline_table",
    "pipeline_total", "pp_change", "quiet", "race_frame", "race_table", "ranking_tables", "reach",
    "sections", "segment_name", "span", "status_notes", "subtitle", "tiles", "title",
    "unattributed_note", "volume_alerts", "volume_note", "FORMATS", "HTML_ICONS", "ICONS", "NEW_LIMIT",
    "PAGE_NEW_LIMIT",
    "chart_svg", "file_name", "html_table", "md_table", "render", "render_html", "render_md",
]
