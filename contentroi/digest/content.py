"""The digest's texts, tables, tiles and chart frames, shared by the Markdown, HTML and
page renderers (every text through the translation table), and THE order of its sections."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

import pandas as pd

from .. import fmt, i18n, metrics
from .. import volumes as vol
from .alerts import STAGE_COUNTS, STAGES, Alert, two_proportion_z
from .build import Digest

SOON_DAYS = 7  # pipeline: windows closing within this many days

# THE order of the digest's sections after its title and status: the Markdown and HTML
# renderers (render.py) and the /digest page (pages/digest.py) each draw one section per
# name, in this order (each heading is i18n "dg_h_<name>"; "how" is the definitions).
SECTIONS = ("alerts", "kpis", "funnel", "new", "articles", "race", "pipeline", "how")


def sections(d: Digest) -> tuple[str, ...]:
    """The sections of ``d`` to draw, in order: none for an empty store (only the status)."""
    return () if d.store_empty else SECTIONS


def heading(d: Digest, section: str, lang: str = "en") -> str:
    """A section's heading (the same words in every renderer)."""
    return i18n.t(f"dg_h_{section}", lang, n=fmt.count(d.n_new, lang))  # 6,601 / 1.2万

# ---------------------------------------------------------------------------
# phrasing (every text through the translation table)
# ---------------------------------------------------------------------------


def _tr(lang: str) -> Callable[..., str]:
    """The translation function of one language: tr(key, **placeholders)."""
    def tr(key_: str, **kw: Any) -> str:
        return i18n.t(key_, lang, **kw)
    return tr


def p_text(p: float | None) -> str:
    if p is None:
        return fmt.NULL
    if p < 0.001:
        return "p<0.001"
    if p < 0.01:
        return "p<0.01"
    return f"p={p:.2f}"


def _pct_pair(a: float, b: float) -> tuple[str, str]:
    """Two rates at a precision that tells them apart (18% / 9%, 2.4% / 1.1%)."""
    dec = 0 if min(a, b) >= 0.1 and round(a * 100) != round(b * 100) else 1
    if dec == 1 and round(a * 1000) == round(b * 1000):
        dec = 2
    return fmt.pct(a, dec), fmt.pct(b, dec)


def segment_name(channel: str | None, lang: str, names: Mapping[str, str] | None = None) -> str:
    """A channel by its display name in ``names`` (Digest.channel_names), else its code; None:
    all channels."""
    return (names or {}).get(channel) or channel if channel else i18n.t("dg_all_channels", lang)


def _plain(text: str) -> str:
    return text


def alert_line(a: Alert, lang: str = "en", esc: Callable[[str], str] = _plain,
               names: Mapping[str, str] | None = None) -> str:
    """``wechat: contacted → paid fell from 40% to 10% (n=100, before 100), p<0.001``.

    ``esc`` makes the channel (user text) inert for the output (fmt.md_escape for Markdown);
    ``names``: the channels' display names (Digest.channel_names(lang))."""
    before, now = _pct_pair(a.rate_prev, a.rate_cur)
    return i18n.t(f"dg_alert_{a.direction}", lang, seg=esc(segment_name(a.channel, lang, names)),
                  stage=i18n.t(f"dg_stage_{a.stage}", lang), a=before, b=now,
                  n=fmt.count(a.n_cur), n_prev=fmt.count(a.n_prev), p=p_text(a.p))


def _fmt_date(d: dt.date) -> str:
    return d.isoformat()


def span(a: dt.date, b: dt.date) -> str:
    return _fmt_date(a) if a == b else f"{_fmt_date(a)} → {_fmt_date(b)}"


def title(d: Digest, lang: str = "en") -> str:
    p = d.period
    return i18n.t(f"dg_title_{p.kind}", lang, span=span(p.start, p.end))


def subtitle(d: Digest, lang: str = "en", esc: Callable[[str], str] = _plain) -> str:
    p, prm = d.period, d.params
    names = d.channel_names(lang)
    chans = (", ".join(esc(names.get(c, c)) for c in prm.channels) if prm.channels
             else i18n.t("dg_all_channels", lang))
    return i18n.t("dg_subtitle", lang, prev=span(p.prev_start, p.prev_end), channels=chans,
                  w=prm.window_days, model=i18n.t(f"model_{prm.model}", lang))


def status_notes(d: Digest, lang: str = "en") -> list[tuple[str, str]]:
    """(kind, text): what the reader must know before the numbers (info | warning)."""
    tr = _tr(lang)
    p = d.period
    if d.store_empty:
        return [("warning", tr("dg_store_empty"))]
    out = []
    if d.empty:
        out.append(("warning", tr("dg_no_activity", span=span(p.start, p.end),
                                  first=f"{d.first_at:%Y-%m-%d}", last=f"{d.last_at:%Y-%m-%d}")))
    elif d.incomplete:
        out.append(("warning", tr("dg_incomplete", last=f"{d.last_at:%Y-%m-%d %H:%M}")))
    return out


def quiet(d: Digest) -> bool:
    """No volume, freshness or empty-period alert that calls for a look (rises are fine)."""
    return not any(s != "good" for s, _t in volume_alerts(d))


def volume_alerts(d: Digest, lang: str = "en") -> list[tuple[str, str]]:
    """(severity, text) of the volume and freshness alerts (shown before the rate alerts)."""
    return vol.alert_items(d.volumes, d.lagging, d.period.kind, lang)


def volume_note(d: Digest, lang: str = "en") -> str:
    return vol.note(d.volumes, d.n_history, d.period.kind, lang) if d.volumes else ""


def alert_summary(d: Digest, lang: str = "en") -> str:
    """The green all-clear line, or '' (never green beside a volume, freshness or empty alert)."""
    tr = _tr(lang)
    if not quiet(d):
        return ""
    if d.tested == 0:
        return tr("dg_alerts_none_tested", n=d.min_n)
    if not d.alerts:
        return tr("dg_alerts_none", k=d.tested)
    return ""


def alert_note(d: Digest, lang: str = "en") -> str:
    """The rule in one short line (under the alerts; the full rule is in the definitions)."""
    if d.tested == 0:
        return "" if quiet(d) else i18n.t("dg_alerts_none_tested", lang, n=d.min_n)
    return i18n.t("dg_alert_note", lang, alpha=f"{d.alpha:g}", n=d.min_n, k=d.tested,
                  chance=f"{d.tested * d.alpha:.1f}")


def alert_rule(d: Digest, lang: str = "en") -> str:
    return i18n.t("dg_alert_rule", lang, alpha=f"{d.alpha:g}", n=d.min_n, k=d.tested,
                  chance=f"{d.tested * d.alpha:.1f}")


# ---------------------------------------------------------------------------
# display pieces shared by Markdown, HTML and the page
# ---------------------------------------------------------------------------


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    right: set[int] = field(default_factory=set)  # right-aligned (numeric) columns

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=self.headers)

    def escaped(self, esc: Callable[[str], str] = fmt.md_escape) -> "Table":
        """The table for a Markdown renderer: every text cell (titles, channels: user
        text) and header made inert by ``esc``; the numeric columns are generated."""
        return Table([esc(h) for h in self.headers],
                     [[c if i in self.right else esc(c) for i, c in enumerate(r)] for r in self.rows],
                     set(self.right))


@dataclass
class Tile:
    key: str
    label: str
    value: str
    prev: str
    delta: str | None  # "+12%", "−3.1 pp", "new" or None
    direction: str  # up | down | flat (for the colour)
    good_when_up: bool = True
    help: str = ""


def count_change(cur: Any, prev: Any, lang: str = "en") -> tuple[str | None, str]:
    """Relative change of a count or an amount: ('+12%', 'up'), ('new', 'up'), (None, 'flat')."""
    cur, prev = float(cur or 0), float(prev or 0)
    if prev == 0:
        return (i18n.t("dg_new", lang), "up") if cur > 0 else (None, "flat")
    ch = (cur - prev) / abs(prev)
    if round(ch, 3) == 0:
        return "±0%", "flat"
    return f"{ch:+.0%}".replace("-", "−"), ("up" if ch > 0 else "down")


def pp_change(cur: Any, prev: Any) -> tuple[str | None, str]:
    if cur is None or prev is None:
        return None, "flat"
    ch = 100 * (float(cur) - float(prev))
    unit = "个百分点" if fmt.current_lang() == "zh" else "pp"
    if round(ch, 1) == 0:
        return f"±0.0 {unit}", "flat"
    return f"{ch:+.1f} {unit}".replace("-", "−"), ("up" if ch > 0 else "down")


def money0(x: Any) -> str:
    """Money in the digest: the one money format (fmt.money, 万 / 亿 in Chinese)."""
    return fmt.money(x)


def tiles(d: Digest, lang: str = "en") -> list[Tile]:
    """The KPI tiles: counts and money with their change against the previous period."""
    t = d.total
    tr = _tr(lang)
    specs = [  # key, format, good when up
        ("joins", fmt.count, True), ("contacted", fmt.count, True), ("paid", fmt.count, True),
        ("overall_rate", fmt.pct, True), ("revenue", money0, True), ("articles", fmt.count, True),
        ("reads", fmt.count, True), ("cost", money0, False),
    ]
    out = []
    for key, f, good_up in specs:
        cur, prev = t.get(key), t.get(f"{key}_prev")
        delta, direction = pp_change(cur, prev) if key.endswith("_rate") else count_change(cur, prev, lang)
        out.append(Tile(key, tr(f"dg_kpi_{key}"), f(cur), f(prev), delta, direction, good_up,
                        tr(f"dg_kpi_help_{key}", w=d.params.window_days,
                           model=tr(f"model_{d.params.model}"))))
    return out


def unattributed_note(d: Digest, lang: str = "en") -> str:
    """Payments of the period that no article gets (not in revenue), or ''."""
    v = d.total.get("unattributed") or 0
    if not v:
        return ""
    return i18n.t("dg_unattributed", lang, value=money0(v), w=d.params.window_days)


def funnel_table(d: Digest, lang: str = "en") -> Table:
    """Each step: this period, the previous one, the change and the test's p."""
    tr = _tr(lang)
    t, kind = d.total, d.period.kind
    rows = []
    delta, _ = count_change(t["joins"], t["joins_prev"], lang)
    rows.append([tr("dg_step_joins"), fmt.count(t["joins"]), fmt.count(t["joins_prev"]), delta or fmt.NULL,
                 ""])
    for stage in STAGES:
        num, den = STAGE_COUNTS[stage]
        k2, n2, k1, n1 = t[num], t[den], t[f"{num}_prev"], t[f"{den}_prev"]
        r2, r1 = metrics.ratio(k2, n2), metrics.ratio(k1, n1)
        delta, _ = pp_change(r2, r1)
        if min(n1, n2) < d.min_n:
            ptxt = tr("dg_small_n", n=d.min_n)
        else:
            ptxt = p_text(two_proportion_z(k1, n1, k2, n2)[1])
        rows.append([tr(f"dg_step_{stage}"),
                     f"{fmt.pct(r2)} ({fmt.count(k2)}/{fmt.count(n2)})",
                     f"{fmt.pct(r1)} ({fmt.count(k1)}/{fmt.count(n1)})", delta or fmt.NULL, ptxt])
    return Table([tr("dg_col_step"), tr(f"dg_cur_{kind}"), tr(f"dg_prev_{kind}"), tr("dg_col_change"),
                  tr("dg_col_p")], rows, right={1, 2, 3, 4})


def _title_cell(a: dict[str, Any], width: int = 40) -> str:
    text = str(a["title"] or a["article_id"])
    return text if len(text) <= width else text[: width - 1] + "…"


def _rate_ci(a: dict[str, Any]) -> str:
    if a["overall_rate"] is None:
        return fmt.NULL
    return f"{fmt.pct(a['overall_rate'])} ({fmt.pct(a['overall_lo'], 1)}–{fmt.pct(a['overall_hi'], 1)})"


def new_articles_table(d: Digest, lang: str = "en", limit: int | None = None) -> tuple[Table, int]:
    """The articles published in the period with their early results, the first ``limit``
    of ``d.new_articles`` (None: all it holds); (table, articles of the period left out)."""
    tr = _tr(lang)
    arts = d.new_articles
    shown = arts if limit is None else arts[:limit]
    names = d.channel_names(lang)
    rows = [[_title_cell(a), names.get(a["channel"], a["channel"]), pd.Timestamp(a["published_at"]).strftime("%m-%d %H:%M"),
             fmt.count(a["reads"]), fmt.count(a["joins"]), fmt.pct(a["join_rate"], 2),
             fmt.count(a["contacted"]), fmt.count(a["paid"]), money0(a["revenue"]), money0(a["cost"])]
            for a in shown]
    headers = [tr("dg_col_article"), tr("dg_col_channel"), tr("dg_col_published"), tr("dg_kpi_reads"),
               tr("dg_col_joins"), tr("dg_col_join_rate"), tr("dg_col_contacted"), tr("dg_col_paid"),
               tr("dg_col_revenue"), tr("dg_col_cost")]
    return Table(headers, rows, right=set(range(3, 10))), d.n_new - len(shown)


def ranking_tables(d: Digest, lang: str = "en") -> list[tuple[str, Table | None, str]]:
    """(heading, table or None, note when empty) for top/bottom by revenue and by rate."""
    tr = _tr(lang)
    headers = [tr("dg_col_article"), tr("dg_col_channel"), tr("dg_col_revenue"), tr("dg_col_joins"),
               tr("dg_col_paid"), tr("dg_col_overall_ci")]
    out = []
    sized = d.any_sized
    names = d.channel_names(lang)
    for key, items in d.rankings().items():
        rows = [[_title_cell(a), names.get(a["channel"], a["channel"]), money0(a["revenue"]), fmt.count(a["joins"]),
                 fmt.count(a["paid"]), _rate_ci(a)] for a in items]
        if key == "top_revenue":
            empty = tr("dg_rank_empty_revenue")
        else:
            empty = tr("dg_rank_all_above") if sized else tr("dg_rank_empty_n", n=d.min_n)
        out.append((tr(f"dg_rank_{key}", n=d.min_n), Table(headers, rows, right={2, 3, 4, 5}) if rows else None,
                    empty))
    return out


def movement(rank: Any, rank_prev: Any, lang: str = "en") -> str:
    if rank is None:
        return i18n.t("dg_move_out", lang) if rank_prev is not None else fmt.NULL
    if rank_prev is None:
        return i18n.t("dg_new", lang)
    ch = int(rank_prev) - int(rank)
    return f"▲{ch}" if ch > 0 else (f"▼{-ch}" if ch < 0 else "=")


def race_table(d: Digest, lang: str = "en") -> Table:
    tr = _tr(lang)
    rows = []
    names = d.channel_names(lang)
    for c in d.channels:
        delta, _ = count_change(c["revenue"], c["revenue_prev"], lang)
        rows.append([fmt.count(c["rank"]) if c["rank"] else fmt.NULL, movement(c["rank"], c["rank_prev"], lang),
                     names.get(c["channel"], c["channel"]), money0(c["revenue"]), money0(c["revenue_prev"]),
                     delta or fmt.NULL,
                     fmt.count(c["joins"]), fmt.count(c["paid"]), fmt.pct(c["overall_rate"])])
    headers = [tr("dg_col_rank"), tr("dg_col_move"), tr("dg_col_channel"), tr("dg_col_revenue"),
               tr(f"dg_col_revenue_prev_{d.period.kind}"), tr("dg_col_change"),
               tr("dg_col_joins"), tr("dg_col_paid"), tr("dg_col_overall")]
    return Table(headers, rows, right={0, 3, 4, 5, 6, 7, 8})


def pipeline_total(d: Digest) -> dict[str, Any]:
    return next(r for r in d.pipeline if r["level"] == "total")


def pipeline_summary(d: Digest, lang: str = "en") -> str:
    t = pipeline_total(d)
    return i18n.t("dg_pipeline_summary", lang, end=f"{d.period.as_of:%Y-%m-%d %H:%M}",
                  open=fmt.count(t["open"]), w=d.params.window_days, contacted=fmt.count(t["contacted"]),
                  not_contacted=fmt.count(t["not_contacted"]), soon=fmt.count(t["closing_soon"]),
                  days=SOON_DAYS, from_period=fmt.count(t["from_period"]))


def pipeline_table(d: Digest, lang: str = "en") -> Table:
    tr = _tr(lang)
    names = d.channel_names(lang)
    rows = [[segment_name(r["channel"] if r["level"] == "channel" else None, lang, names), fmt.count(r["open"]),
             fmt.count(r["contacted"]), fmt.count(r["not_contacted"]), fmt.count(r["closing_soon"]),
             fmt.count(r["from_period"])] for r in d.pipeline if r["open"] or r["level"] == "total"]
    headers = [tr("dg_col_channel"), tr("dg_col_open"), tr("dg_col_waiting"), tr("dg_col_not_contacted"),
               tr("dg_col_closing", days=SOON_DAYS), tr(f"dg_col_from_{d.period.kind}")]
    return Table(headers, rows, right={1, 2, 3, 4, 5})


def definitions(d: Digest, lang: str = "en") -> list[str]:
    tr = _tr(lang)
    prm = d.params
    return [
        tr("dg_def_cohort"),
        tr("dg_def_kpis", model=tr(f"model_{prm.model}"), w=prm.window_days),
        alert_rule(d, lang),
        tr("dg_def_rank", n=d.min_n),
        tr("dg_def_default", last=f"{d.last_at:%Y-%m-%d %H:%M}" if d.last_at else fmt.NULL),
    ]


# ---------------------------------------------------------------------------
# chart frames (the charts themselves: contentroi/charts/digest.py)
# ---------------------------------------------------------------------------


def funnel_frame(d: Digest, lang: str = "en") -> pd.DataFrame:
    """One row per (stage, period): the stage rates of all channels, this period and the last.

    ``label`` (on the current rows): this period's rate, placed after the longer bar."""
    t, kind = d.total, d.period.kind
    rows = []
    for i, stage in enumerate(STAGES):
        num, den = STAGE_COUNTS[stage]
        rates = {}
        for which, suffix in (("cur", ""), ("prev", "_prev")):
            k, n = t[num + suffix], t[den + suffix]
            rates[which] = metrics.ratio(k, n)
            rows.append({"order": i, "stage": i18n.t(f"dg_step_{stage}", lang),
                         "period": i18n.t(f"dg_{which}_{kind}", lang), "which": which, "rate": rates[which],
                         "text": f"{fmt.pct(rates[which])} ({fmt.count(k)}/{fmt.count(n)})" if n else fmt.NULL})
        rows[-2].update(label=fmt.pct(rates["cur"]), label_x=max(rates["cur"] or 0, rates["prev"] or 0))
    return pd.DataFrame(rows)


def race_frame(d: Digest, lang: str = "en") -> pd.DataFrame:
    rows = [{"channel": c["channel"], "revenue": c["revenue"] or 0.0, "revenue_prev": c["revenue_prev"] or 0.0,
             "text": f"{money0(c['revenue'])}  {movement(c['rank'], c['rank_prev'], lang)}"}
            for c in d.channels if (c["revenue"] or 0) > 0 or (c["revenue_prev"] or 0) > 0]
    return pd.DataFrame(rows, columns=["channel", "revenue", "revenue_prev", "text"])


def charts(d: Digest, lang: str = "en") -> dict[str, Any]:
    """The Altair charts of a digest (funnel step rates, channel race); missing when empty."""
    from ..charts import digest as dch

    out: dict[str, Any] = {}
    if d.total["joins"] or d.total["joins_prev"]:
        out["funnel"] = dch.stage_rates(funnel_frame(d, lang))
    race = race_frame(d, lang)
    if not race.empty:
        out["race"] = dch.race(race, {"prev": i18n.t(f"dg_prev_{d.period.kind}", lang)},
                               names=d.channel_names(lang), lang=lang)
    return out



def reach(d: Digest, lang: str = "en") -> str:
    """How far each log reaches (contentroi/freshness.py), or '' for an empty store."""
    from .. import freshness

    return freshness.reach_line(d.fresh, lang) if any(r.get("n") for r in d.fresh) else ""

