"""The digest as Markdown (chat apps) and as one self-contained HTML file (inline CSS,
inline SVG charts, no external URL). Both follow :data:`content.SECTIONS`."""
from __future__ import annotations

import html
import re
from typing import Any

from .. import annotations, fmt
from . import content
from .build import NEW_ROWS, Digest
from .content import (Table, _tr, alert_line, alert_note, alert_summary, charts, definitions,
                      funnel_table, heading, new_articles_table, pipeline_summary, pipeline_table,
                      race_table, ranking_tables, reach, status_notes, subtitle, tiles, title,
                      unattributed_note, volume_alerts, volume_note)

FORMATS = ("md", "html")
NEW_LIMIT = 10  # new articles listed in md/html
PAGE_NEW_LIMIT = NEW_ROWS  # ... on the page, by revenue (what a digest keeps); all of them: a link to the Articles page

# ---------------------------------------------------------------------------
# Markdown
# ---------------------------------------------------------------------------


def _md_cell(v: str) -> str:
    return str(v).replace("|", "\\|").replace("\n", " ")


def md_table(tb: Table) -> str:
    tb = tb.escaped()
    lines = ["| " + " | ".join(_md_cell(h) for h in tb.headers) + " |",
             "|" + "|".join("---:" if i in tb.right else "---" for i in range(len(tb.headers))) + "|"]
    lines += ["| " + " | ".join(_md_cell(c) for c in r) + " |" for r in tb.rows]
    return "\n".join(lines)


ICONS = {"error": "🔴", "warning": "🟠", "good": "🟢", "info": "ℹ️"}  # Markdown (chat apps draw emoji)
HTML_ICONS = {"error": "▼", "warning": "▼", "good": "▲"}  # HTML: plain glyphs every font has


def _md_alerts(d: Digest, lang: str) -> list[str]:
    out = [f"- {ICONS[sev]} {text}" for sev, text in volume_alerts(d, lang)]  # volumes, freshness
    out += [f"- {ICONS[a.severity]} {alert_line(a, lang, fmt.md_escape, d.channel_names(lang))}" for a in d.alerts]
    if summary := alert_summary(d, lang):
        out.append(f"- {ICONS['good']} {summary}")
    if note := alert_note(d, lang):
        out += ["", f"_{note}_"]
    if vnote := volume_note(d, lang):
        out += ["", f"_{vnote}_"]
    if notes_md := annotations.digest_md(d.notes, lang, d.channel_names(lang)):  # annotations (user text: escaped there)
        out += [""] + notes_md[:-1]
    return out


def _md_kpis(d: Digest, lang: str) -> list[str]:
    tr, kind = _tr(lang), d.period.kind
    kt = Table([tr("dg_col_metric"), tr(f"dg_cur_{kind}"), tr(f"dg_prev_{kind}"), tr("dg_col_change")],
               [[x.label, x.value, x.prev, x.delta or fmt.NULL] for x in tiles(d, lang)], right={1, 2, 3})
    out = [md_table(kt)]
    if note := unattributed_note(d, lang):
        out += ["", f"_{note}_"]
    return out


def _md_new(d: Digest, lang: str) -> list[str]:
    if not d.new_articles:
        return [_tr(lang)("dg_new_none")]
    tb, more = new_articles_table(d, lang, NEW_LIMIT)
    return [md_table(tb)] + (["", _tr(lang)("dg_more", n=fmt.count(more, lang))] if more else [])


def _md_articles(d: Digest, lang: str) -> list[str]:
    out: list[str] = []
    for head, tb, empty in ranking_tables(d, lang):
        out += ["", f"### {head}", "", md_table(tb) if tb else f"_{empty}_"]
    return out[1:]


_MD = {  # section -> its body (lines); the heading is written by render_md
    "alerts": _md_alerts,
    "kpis": _md_kpis,
    "funnel": lambda d, lang: [md_table(funnel_table(d, lang))],
    "new": _md_new,
    "articles": _md_articles,
    "race": lambda d, lang: [md_table(race_table(d, lang)) if d.channels else _tr(lang)("dg_race_none")],
    "pipeline": lambda d, lang: [pipeline_summary(d, lang), "", md_table(pipeline_table(d, lang))],
    "how": lambda d, lang: [f"- {x}" for x in definitions(d, lang)],
}


def render_md(d: Digest, lang: str = "en") -> str:
    with fmt.using(lang):  # every number in the reader's language, whatever thread renders it
        return _render_md(d, lang)


def _render_md(d: Digest, lang: str) -> str:
    out = [f"# {title(d, lang)}", "", f"_{subtitle(d, lang, fmt.md_escape)}_", ""]
    if line := reach(d, lang):
        out += [f"_{line}_", ""]
    for _kind, text in status_notes(d, lang):
        out += [f"> ⚠️ {text}", ""]
    for section in content.sections(d):
        out += [f"## {heading(d, section, lang)}", ""] + _MD[section](d, lang) + [""]
    return "\n".join(out)


# ---------------------------------------------------------------------------
# HTML (self-contained: inline CSS, inline SVG charts, no external URL)
# ---------------------------------------------------------------------------

_CSS = """
body{margin:0;background:#f4f5f7;color:#1f2937;font:14px/1.5 -apple-system,"Segoe UI","PingFang SC",
"Microsoft YaHei","Noto Sans CJK SC",sans-serif}
main{max-width:960px;margin:0 auto;padding:24px 28px 40px;background:#fff}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 10px;padding-bottom:4px;
border-bottom:2px solid #e5e7eb}h3{font-size:15px;margin:18px 0 6px;color:#374151}
.sub{color:#6b7280;margin:0 0 16px}.note{color:#6b7280;font-size:12.5px;margin:6px 0}
.banner{padding:10px 14px;border-radius:6px;margin:10px 0;background:#fff7ed;border-left:4px solid #f59e0b}
.alert{padding:9px 14px;border-radius:6px;margin:6px 0;font-weight:600}
.alert.error{background:#fef2f2;border-left:4px solid #dc2626;color:#991b1b}
.alert.warning{background:#fffbeb;border-left:4px solid #f59e0b;color:#92400e}
.alert.good{background:#f0fdf4;border-left:4px solid #16a34a;color:#166534}
.alert.calm{background:#f0fdf4;border-left:4px solid #16a34a;color:#166534;font-weight:400}
.tiles{display:grid;grid-template-columns:repeat(4,1fr);gap:10px}
.tile{border:1px solid #e5e7eb;border-radius:8px;padding:10px 12px}
.tile .l{color:#6b7280;font-size:12.5px}.tile .v{font-size:22px;font-weight:700;margin:2px 0}
.tile .d{font-size:12.5px;color:#6b7280}.up{color:#15803d}.down{color:#b91c1c}
table{border-collapse:collapse;width:100%;margin:6px 0 4px;font-size:13px}
th,td{padding:5px 8px;border-bottom:1px solid #e5e7eb;text-align:left;vertical-align:top}
th{background:#f9fafb;font-weight:600;color:#374151}td.r,th.r{text-align:right;white-space:nowrap}
.chart{margin:8px 0}.chart svg{max-width:100%;height:auto}
.grid2{display:grid;grid-template-columns:1fr 1fr;gap:0 20px}
ul.how{color:#4b5563;font-size:13px;padding-left:18px}
"""


def _e(x: Any) -> str:
    return html.escape(str(x))


def html_table(tb: Table) -> str:
    def cls(i: int) -> str:
        return ' class="r"' if i in tb.right else ""

    head = "".join(f"<th{cls(i)}>{_e(h)}</th>" for i, h in enumerate(tb.headers))
    body = "".join("<tr>" + "".join(f"<td{cls(i)}>{_e(c)}</td>" for i, c in enumerate(r)) + "</tr>"
                   for r in tb.rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


_XMLNS_RE = re.compile(r"""\sxmlns(?::\w+)?\s*=\s*(["']).*?\1""")
_URL_ATTR_RE = re.compile(r"""\s(?:xlink:)?href\s*=\s*(["'])(?!#|data:).*?\1""", re.I)


def chart_svg(chart: Any) -> str:
    """An Altair chart as inline SVG (vl-convert); '' when it cannot be drawn."""
    try:
        import vl_convert as vlc

        svg = vlc.vegalite_to_svg(chart.to_json())
    except Exception:  # noqa: BLE001  (a digest without a chart is still a digest)
        return ""
    svg = re.sub(r"^<\?xml[^>]*>\s*", "", svg)
    svg = _XMLNS_RE.sub("", svg)  # inline SVG in HTML needs no namespace declarations
    return _URL_ATTR_RE.sub("", svg)  # no link may leave the file


def _html_alerts(d: Digest, lang: str, ch: dict[str, Any]) -> list[str]:
    body = [f'<div class="alert {sev}">{HTML_ICONS[sev]}&nbsp; {_e(text)}</div>'
            for sev, text in volume_alerts(d, lang)]  # volumes, freshness
    body += [f'<div class="alert {a.severity}">{HTML_ICONS[a.severity]}&nbsp; {_e(alert_line(a, lang, names=d.channel_names(lang)))}</div>'
             for a in d.alerts]
    if summary := alert_summary(d, lang):
        body.append(f'<div class="alert calm">{_e(summary)}</div>')
    if note := alert_note(d, lang):
        body.append(f'<p class="note">{_e(note)}</p>')
    if vnote := volume_note(d, lang):
        body.append(f'<p class="note">{_e(vnote)}</p>')
    return body + annotations.digest_html(d.notes, lang, d.channel_names(lang))  # annotations (escaped there)


def _html_kpis(d: Digest, lang: str, ch: dict[str, Any]) -> list[str]:
    tr = _tr(lang)
    body = ['<div class="tiles">']
    for x in tiles(d, lang):
        good = (x.direction == "up") == x.good_when_up
        cls = "" if x.direction == "flat" else (" up" if good else " down")
        delta = f'<span class="{cls.strip()}">{_e(x.delta)}</span> · ' if x.delta else ""
        body.append(f'<div class="tile" title="{_e(x.help)}"><div class="l">{_e(x.label)}</div>'
                    f'<div class="v">{_e(x.value)}</div><div class="d">{delta}'
                    f'{_e(tr("dg_tile_prev", value=x.prev))}</div></div>')
    body.append("</div>")
    if note := unattributed_note(d, lang):
        body.append(f'<p class="note">{_e(note)}</p>')
    return body


def _html_funnel(d: Digest, lang: str, ch: dict[str, Any]) -> list[str]:
    svg = [f'<div class="chart">{chart_svg(ch["funnel"])}</div>'] if "funnel" in ch else []
    return svg + [html_table(funnel_table(d, lang))]


def _html_new(d: Digest, lang: str, ch: dict[str, Any]) -> list[str]:
    tr = _tr(lang)
    if not d.new_articles:
        return [f'<p class="note">{_e(tr("dg_new_none"))}</p>']
    tb, more = new_articles_table(d, lang, NEW_LIMIT)
    return [html_table(tb)] + ([f'<p class="note">{_e(tr("dg_more", n=fmt.count(more, lang)))}</p>'] if more else [])


def _html_articles(d: Digest, lang: str, ch: dict[str, Any]) -> list[str]:
    body = []
    for head, tb, empty in ranking_tables(d, lang):
        body.append(f"<h3>{_e(head)}</h3>")
        body.append(html_table(tb) if tb else f'<p class="note">{_e(empty)}</p>')
    return body


def _html_race(d: Digest, lang: str, ch: dict[str, Any]) -> list[str]:
    tr = _tr(lang)
    body = []
    if "race" in ch:
        body.append(f'<div class="chart">{chart_svg(ch["race"])}</div>'
                    f'<p class="note">{_e(tr(f"dg_race_legend_{d.period.kind}"))}</p>')
    body.append(html_table(race_table(d, lang)) if d.channels
                else f'<p class="note">{_e(tr("dg_race_none"))}</p>')
    return body


_HTML = {  # section -> its body (HTML fragments); the heading is written by render_html
    "alerts": _html_alerts,
    "kpis": _html_kpis,
    "funnel": _html_funnel,
    "new": _html_new,
    "articles": _html_articles,
    "race": _html_race,
    "pipeline": lambda d, lang, ch: [f"<p>{_e(pipeline_summary(d, lang))}</p>",
                                     html_table(pipeline_table(d, lang))],
    "how": lambda d, lang, ch: ['<ul class="how">' + "".join(f"<li>{_e(x)}</li>" for x in definitions(d, lang))
                                + "</ul>"],
}


def render_html(d: Digest, lang: str = "en", with_charts: bool = True) -> str:
    with fmt.using(lang):  # every number in the reader's language, whatever thread renders it
        return _render_html(d, lang, with_charts)


def _render_html(d: Digest, lang: str, with_charts: bool) -> str:
    body = [f"<h1>{_e(title(d, lang))}</h1>", f'<p class="sub">{_e(subtitle(d, lang))}</p>']
    if line := reach(d, lang):
        body.append(f'<p class="sub">{_e(line)}</p>')
    body += [f'<div class="banner">{_e(text)}</div>' for _k, text in status_notes(d, lang)]
    order = content.sections(d)
    ch = charts(d, lang) if with_charts and order else {}
    for section in order:
        body.append(f"<h2>{_e(heading(d, section, lang))}</h2>")
        body += _HTML[section](d, lang, ch)
    html_lang = "zh-CN" if lang == "zh" else "en"
    return (f'<!DOCTYPE html>\n<html lang="{html_lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{_e(title(d, lang))}</title><style>{_CSS}</style></head>"
            f"<body><main>{''.join(body)}</main></body></html>\n")


def render(d: Digest, fmt_: str = "md", lang: str = "en") -> str:
    if fmt_ not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    with fmt.using(lang):  # every number in the reader's language
        return render_html(d, lang) if fmt_ == "html" else render_md(d, lang)


def file_name(d: Digest, ext: str) -> str:
    p = d.period
    return f"content-roi_digest_{p.kind}_{p.start.isoformat()}_{p.end.isoformat()}.{ext}"