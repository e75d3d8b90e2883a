"""The daily / weekly digest (日报 / 周报): numbers, alerts, Markdown and HTML.

Pure Python, no Streamlit: the ``digest`` command and the /digest page both
call :func:`build` with a query function and render the same texts. Every
count comes from ``queries/digest_*.sql`` (see docs/DIGEST.md for the
definitions); here are only the two-proportion z-test, the picking of top and
bottom articles, the phrasing and the rendering.

The period
    ``day``: the calendar day D. ``week``: the 7 days ending on D (D − 6 … D).
    It is compared with the period of the same length just before it.
    Default D: the last complete period before the latest event in the store
    (day: the day before the latest event's date; week: the last Sunday
    before it, i.e. the last complete Monday–Sunday week), so a digest of the
    same data is the same whenever it is run.
The cohort
    The period selects ACTIVITY: users whose first touch on an article (t0)
    falls in it, measured as of the end of their own period, so both periods
    are compared at the same age.
The alert rule
    For every stage rate (joined → contacted, contacted → paid, joined →
    paid), for all channels together and for each channel: when both periods
    have at least ``MIN_N`` users in the rate's denominator, a two-sided,
    pooled two-proportion z-test; an alert when p < ``ALPHA``.
"""
from __future__ import annotations

import datetime as dt
import html
import math
import re
from dataclasses import dataclass, field
from typing import Any, Callable

import pandas as pd

from . import annotations, fmt, i18n, metrics
from . import volumes as vol
from .engine import DATE_MAX, DATE_MIN, Params, records

from .limits import MIN_N, PERIODS  # noqa: E402  (defined once: contentroi/limits.py)
FORMATS = ("md", "html")
ALPHA = 0.05
# MIN_N: both denominators of a tested rate; joins of a ranked article
TOP_N = 5
NEW_LIMIT = 10  # new articles listed in md/html (the page shows all)
SOON_DAYS = 7  # pipeline: windows closing within this many days
STAGES = ("contact_rate", "pay_rate", "overall_rate")
STAGE_COUNTS = {s: metrics.counts(s) for s in STAGES}  # (numerator, denominator): the metrics layer

Query = Callable[..., pd.DataFrame]  # query(name, params, **extra) -> DataFrame


# ---------------------------------------------------------------------------
# the period
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    kind: str  # day | week
    end: dt.date

    def __post_init__(self) -> None:
        if self.kind not in PERIODS:
            raise ValueError(f"period must be one of {', '.join(PERIODS)}")
        if not DATE_MIN <= self.end <= DATE_MAX:
            raise ValueError(f"the date must be from {DATE_MIN} to {DATE_MAX}")

    @property
    def days(self) -> int:
        return 7 if self.kind == "week" else 1

    @property
    def start(self) -> dt.date:
        return self.end - dt.timedelta(days=self.days - 1)

    @property
    def prev_end(self) -> dt.date:
        return self.start - dt.timedelta(days=1)

    @property
    def prev_start(self) -> dt.date:
        return self.start - dt.timedelta(days=self.days)

    @property
    def as_of(self) -> dt.datetime:
        """The digest's end timestamp: midnight after the last day (exclusive)."""
        return dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time())

    def bind(self) -> dict[str, dt.date]:
        return {"cur_from": self.start, "cur_to": self.end,
                "prev_from": self.prev_start, "prev_to": self.prev_end}


def default_end(kind: str, last_at: Any, today: dt.date | None = None) -> dt.date:
    """The last complete period before the latest event (``last_at``).

    Without data (``last_at`` None) the same rule runs from ``today``."""
    if last_at is None or (not isinstance(last_at, (dt.date, str)) and pd.isna(last_at)):
        ref = today or dt.date.today()
    else:
        ref = pd.Timestamp(last_at).date()
    ref = min(max(ref, DATE_MIN + dt.timedelta(days=8)), DATE_MAX)  # data dated year 1 or 9999
    end = ref - dt.timedelta(days=1)
    if kind == "week":
        end -= dt.timedelta(days=end.isoweekday() % 7)  # back to a Sunday
    return end


# ---------------------------------------------------------------------------
# the test
# ---------------------------------------------------------------------------


def two_proportion_z(k1: int, n1: int, k2: int, n2: int) -> tuple[float | None, float | None]:
    """Pooled two-proportion z-test of k1/n1 (before) vs k2/n2 (now): (z, two-sided p).

    z > 0 when the rate rose. (None, None) when a sample is empty; (0, 1) when
    the pooled rate is 0 or 1 (no variation: nothing to test)."""
    if not n1 or not n2:
        return None, None
    pooled = (k1 + k2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0:
        return 0.0, 1.0
    z = (k2 / n2 - k1 / n1) / se
    return z, math.erfc(abs(z) / math.sqrt(2))


@dataclass(frozen=True)
class Alert:
    channel: str | None  # None: all channels
    stage: str  # contact_rate | pay_rate | overall_rate
    k_prev: int
    n_prev: int
    k_cur: int
    n_cur: int
    z: float
    p: float

    @property
    def rate_prev(self) -> float:
        return metrics.ratio(self.k_prev, self.n_prev)

    @property
    def rate_cur(self) -> float:
        return metrics.ratio(self.k_cur, self.n_cur)

    @property
    def direction(self) -> str:
        return "down" if self.rate_cur < self.rate_prev else "up"

    @property
    def severity(self) -> str:
        """error (a drop at p < 0.01), warning (another drop), good (a rise)."""
        if self.direction == "up":
            return "good"
        return "error" if self.p < 0.01 else "warning"


def find_alerts(segments: list[dict[str, Any]], alpha: float = ALPHA,
                min_n: int = MIN_N) -> tuple[list[Alert], int]:
    """Significant stage-rate changes of every segment, and how many were tested.

    Order: drops before rises, then the smallest p first; all channels first."""
    out, tested = [], 0
    for row in segments:
        channel = row["channel"] if row["level"] == "channel" else None
        for stage in STAGES:
            num, den = STAGE_COUNTS[stage]
            k1, n1, k2, n2 = (int(row[f"{num}_prev"]), int(row[f"{den}_prev"]),
                              int(row[num]), int(row[den]))
            if n1 < min_n or n2 < min_n:
                continue
            tested += 1
            z, p = two_proportion_z(k1, n1, k2, n2)
            if p is not None and p < alpha:
                out.append(Alert(channel, stage, k1, n1, k2, n2, z, p))
    out.sort(key=lambda a: (a.direction != "down", a.p, a.channel is not None, a.channel or "",
                            STAGES.index(a.stage)))
    return out, tested


# ---------------------------------------------------------------------------
# the digest
# ---------------------------------------------------------------------------


@dataclass
class Digest:
    period: Period
    params: Params
    first_at: dt.datetime | None
    last_at: dt.datetime | None
    total: dict[str, Any]
    channels: list[dict[str, Any]]
    articles: list[dict[str, Any]]
    pipeline: list[dict[str, Any]]
    alerts: list[Alert] = field(default_factory=list)
    tested: int = 0
    alpha: float = ALPHA
    min_n: int = MIN_N
    volumes: list[vol.VolumeCheck] = field(default_factory=list)  # volume checks (contentroi/volumes.py)
    n_history: int = 0  # earlier periods the volumes were checked against
    lagging: list[vol.LogLag] = field(default_factory=list)  # logs that stop before the others
    fresh: list[dict[str, Any]] = field(default_factory=list)  # queries/log_freshness.sql rows
    notes: list[dict[str, Any]] = field(default_factory=list)  # annotations of the period

    @property
    def empty(self) -> bool:
        """Nothing happened in the period: no joins, no payments, no new articles."""
        t = self.total
        return not (t["joins"] or t["articles"] or t["revenue"] or t["unattributed"])

    @property
    def store_empty(self) -> bool:
        return self.last_at is None

    @property
    def incomplete(self) -> bool:
        """The data stops before the end of the period: its numbers are not final."""
        return self.last_at is not None and self.last_at < self.period.as_of

    @property
    def new_articles(self) -> list[dict[str, Any]]:
        rows = [a for a in self.articles if a["is_new"]]
        return sorted(rows, key=lambda a: (-(a["revenue"] or 0), -a["joins"], a["published_at"] or ""))

    def rankings(self) -> dict[str, list[dict[str, Any]]]:
        """Top and bottom articles of the period by revenue and by overall rate.

        top_revenue: revenue > 0. The other three need at least ``min_n`` joins
        in the period's cohort (no ranking on tiny samples); a bottom list
        leaves out what its top list shows."""
        arts = self.articles
        top_rev = sorted([a for a in arts if (a["revenue"] or 0) > 0],
                         key=lambda a: (-a["revenue"], -a["joins"], a["article_id"]))[:TOP_N]
        sized = [a for a in arts if a["joins"] >= self.min_n]
        shown = {a["article_id"] for a in top_rev}
        bottom_rev = sorted([a for a in sized if a["article_id"] not in shown],
                            key=lambda a: (a["revenue"] or 0, -a["joins"], a["article_id"]))[:TOP_N]
        top_rate = sorted(sized, key=lambda a: (-(a["overall_rate"] or 0), -(a["overall_lo"] or 0),
                                                a["article_id"]))[:TOP_N]
        shown = {a["article_id"] for a in top_rate}
        bottom_rate = sorted([a for a in sized if a["article_id"] not in shown],
                             key=lambda a: (a["overall_rate"] or 0, a["overall_hi"] or 0,
                                            a["article_id"]))[:TOP_N]
        return {"top_revenue": top_rev, "bottom_revenue": bottom_rev,
                "top_rate": top_rate, "bottom_rate": bottom_rate}


def bounds(query: Query, params: Params) -> tuple[Any, Any]:
    b = records(query("digest_bounds", params))[0]
    return _ts(b["first_at"]), _ts(b["last_at"])


def _ts(v: Any) -> dt.datetime | None:
    return None if v is None else pd.Timestamp(v).to_pydatetime()


def _log_at(fresh: list[dict[str, Any]], log: str, col: str = "last_at") -> dt.datetime | None:
    v = next((r[col] for r in fresh if r["log"] == log), None)
    return None if v is None or pd.isna(v) else pd.Timestamp(v).to_pydatetime()


def default_anchor(last_at: Any, last_join_at: Any) -> Any:
    """What the default period is counted back from: the latest event, but no later than
    midnight after the latest join's day — so a late payment months after the last join
    does not make the default period an empty one (docs/DIGEST.md "The default date")."""
    if last_join_at is None or last_at is None:
        return last_at
    after_join = dt.datetime.combine(pd.Timestamp(last_join_at).date() + dt.timedelta(days=1), dt.time())
    return min(pd.Timestamp(last_at).to_pydatetime(), after_join)


def default_date(query: Query, params: Params, kind: str) -> dt.date:
    """The default end date of a ``kind`` digest on the data (what ``build`` uses without one)."""
    _first, last_at = bounds(query, params)
    return default_end(kind, default_anchor(last_at, _log_at(records(query("log_freshness", params)), "joins")))


def build(query: Query, params: Params, kind: str = "week", end: dt.date | None = None,
          alpha: float = ALPHA, min_n: int = MIN_N) -> Digest:
    """Compute a digest. ``query(name, params, **extra)`` runs queries/NAME.sql
    (``engine.query`` bound to a store, or the page's cached ``ui.q``)."""
    first_at, last_at = bounds(query, params)
    fresh = records(query("log_freshness", params))
    period = Period(kind, end or default_end(kind, default_anchor(last_at, _log_at(fresh, "joins"))))
    extra = period.bind()
    segments = records(query("digest_segments", params, **extra))
    alerts, tested = find_alerts(segments, alpha, min_n)
    checks, n_history = vol.check(records(query("digest_volumes", params, **extra, n_back=vol.N_BACK)),
                                  _log_at(fresh, "joins", "first_at"))
    return Digest(
        volumes=checks, n_history=n_history, lagging=vol.lags(fresh, period.as_of), fresh=fresh,
        period=period, params=params, first_at=first_at, last_at=last_at,
        total=next(s for s in segments if s["level"] == "total"),
        channels=[s for s in segments if s["level"] == "channel"],
        articles=records(query("digest_articles", params, **extra)),
        pipeline=records(query("digest_pipeline", params, **extra)),
        alerts=alerts, tested=tested, alpha=alpha, min_n=min_n,
        notes=annotations.for_period(query, params, period.start, period.end),
    )


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


def segment_name(channel: str | None, lang: str) -> str:
    return channel if channel else i18n.t("dg_all_channels", lang)


def _plain(text: str) -> str:
    return text


def alert_line(a: Alert, lang: str = "en", esc: Callable[[str], str] = _plain) -> str:
    """``wechat: contacted → paid fell from 40% to 10% (n=100, before 100), p<0.001``.

    ``esc`` makes the channel (user text) inert for the output (fmt.md_escape for Markdown)."""
    before, now = _pct_pair(a.rate_prev, a.rate_cur)
    return i18n.t(f"dg_alert_{a.direction}", lang, seg=esc(segment_name(a.channel, lang)),
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
    chans = ", ".join(map(esc, prm.channels)) if prm.channels else i18n.t("dg_all_channels", lang)
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
    """The articles published in the period with their early results; (table, rows left out)."""
    tr = _tr(lang)
    arts = d.new_articles
    shown = arts if limit is None else arts[:limit]
    rows = [[_title_cell(a), a["channel"], pd.Timestamp(a["published_at"]).strftime("%m-%d %H:%M"),
             fmt.count(a["reads"]), fmt.count(a["joins"]), fmt.pct(a["join_rate"], 2),
             fmt.count(a["contacted"]), fmt.count(a["paid"]), money0(a["revenue"]), money0(a["cost"])]
            for a in shown]
    headers = [tr("dg_col_article"), tr("dg_col_channel"), tr("dg_col_published"), tr("dg_kpi_reads"),
               tr("dg_col_joins"), tr("dg_col_join_rate"), tr("dg_col_contacted"), tr("dg_col_paid"),
               tr("dg_col_revenue"), tr("dg_col_cost")]
    return Table(headers, rows, right=set(range(3, 10))), len(arts) - len(shown)


def ranking_tables(d: Digest, lang: str = "en") -> list[tuple[str, Table | None, str]]:
    """(heading, table or None, note when empty) for top/bottom by revenue and by rate."""
    tr = _tr(lang)
    headers = [tr("dg_col_article"), tr("dg_col_channel"), tr("dg_col_revenue"), tr("dg_col_joins"),
               tr("dg_col_paid"), tr("dg_col_overall_ci")]
    out = []
    sized = any(a["joins"] >= d.min_n for a in d.articles)
    for key, items in d.rankings().items():
        rows = [[_title_cell(a), a["channel"], money0(a["revenue"]), fmt.count(a["joins"]),
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
    for c in d.channels:
        delta, _ = count_change(c["revenue"], c["revenue_prev"], lang)
        rows.append([fmt.count(c["rank"]) if c["rank"] else fmt.NULL, movement(c["rank"], c["rank_prev"], lang),
                     c["channel"], money0(c["revenue"]), money0(c["revenue_prev"]), delta or fmt.NULL,
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
    rows = [[segment_name(r["channel"] if r["level"] == "channel" else None, lang), fmt.count(r["open"]),
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
    from .charts import digest as dch

    out: dict[str, Any] = {}
    if d.total["joins"] or d.total["joins_prev"]:
        out["funnel"] = dch.stage_rates(funnel_frame(d, lang))
    race = race_frame(d, lang)
    if not race.empty:
        out["race"] = dch.race(race, {"prev": i18n.t(f"dg_prev_{d.period.kind}", lang)})
    return out


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


def reach(d: Digest, lang: str = "en") -> str:
    """How far each log reaches (contentroi/freshness.py), or '' for an empty store."""
    from . import freshness

    return freshness.reach_line(d.fresh, lang) if any(r.get("n") for r in d.fresh) else ""


def render_md(d: Digest, lang: str = "en") -> str:
    tr = _tr(lang)
    out = [f"# {title(d, lang)}", "", f"_{subtitle(d, lang, fmt.md_escape)}_", ""]
    if line := reach(d, lang):
        out += [f"_{line}_", ""]
    for _kind, text in status_notes(d, lang):
        out += [f"> ⚠️ {text}", ""]
    if d.store_empty:
        return "\n".join(out)
    out += [f"## {tr('dg_h_alerts')}", ""]
    out += [f"- {ICONS[sev]} {text}" for sev, text in volume_alerts(d, lang)]  # volumes, freshness
    out += [f"- {ICONS[a.severity]} {alert_line(a, lang, fmt.md_escape)}" for a in d.alerts]
    if summary := alert_summary(d, lang):
        out.append(f"- {ICONS['good']} {summary}")
    if note := alert_note(d, lang):
        out += ["", f"_{note}_"]
    if vnote := volume_note(d, lang):
        out += ["", f"_{vnote}_"]
    if notes_md := annotations.digest_md(d.notes, lang):  # annotations (user text: escaped there)
        out += [""] + notes_md[:-1]
    out += ["", f"## {tr('dg_h_kpis')}", ""]
    kind = d.period.kind
    kt = Table([tr("dg_col_metric"), tr(f"dg_cur_{kind}"), tr(f"dg_prev_{kind}"), tr("dg_col_change")],
               [[x.label, x.value, x.prev, x.delta or fmt.NULL] for x in tiles(d, lang)], right={1, 2, 3})
    out += [md_table(kt), ""]
    if note := unattributed_note(d, lang):
        out += [f"_{note}_", ""]
    out += [f"## {tr('dg_h_funnel')}", "", md_table(funnel_table(d, lang)), ""]
    out += [f"## {tr('dg_h_new', n=len(d.new_articles))}", ""]
    if d.new_articles:
        tb, more = new_articles_table(d, lang, NEW_LIMIT)
        out.append(md_table(tb))
        if more:
            out += ["", tr("dg_more", n=more)]
    else:
        out.append(tr("dg_new_none"))
    out += ["", f"## {tr('dg_h_articles')}", ""]
    for head, tb, empty in ranking_tables(d, lang):
        out += [f"### {head}", "", md_table(tb) if tb else f"_{empty}_", ""]
    out += [f"## {tr('dg_h_race')}", ""]
    out += [md_table(race_table(d, lang)) if d.channels else tr("dg_race_none"), ""]
    out += [f"## {tr('dg_h_pipeline')}", "", pipeline_summary(d, lang), "", md_table(pipeline_table(d, lang)), ""]
    out += [f"## {tr('dg_h_how')}", ""] + [f"- {x}" for x in definitions(d, lang)] + [""]
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


def render_html(d: Digest, lang: str = "en", with_charts: bool = True) -> str:
    tr = _tr(lang)
    body = [f"<h1>{_e(title(d, lang))}</h1>", f'<p class="sub">{_e(subtitle(d, lang))}</p>']
    if line := reach(d, lang):
        body.append(f'<p class="sub">{_e(line)}</p>')
    body += [f'<div class="banner">{_e(text)}</div>' for _k, text in status_notes(d, lang)]
    if not d.store_empty:
        ch = charts(d, lang) if with_charts else {}
        body.append(f"<h2>{_e(tr('dg_h_alerts'))}</h2>")
        body += [f'<div class="alert {sev}">{HTML_ICONS[sev]}&nbsp; {_e(text)}</div>'
                 for sev, text in volume_alerts(d, lang)]  # volumes, freshness
        body += [f'<div class="alert {a.severity}">{HTML_ICONS[a.severity]}&nbsp; {_e(alert_line(a, lang))}</div>'
                 for a in d.alerts]
        if summary := alert_summary(d, lang):
            body.append(f'<div class="alert calm">{_e(summary)}</div>')
        if note := alert_note(d, lang):
            body.append(f'<p class="note">{_e(note)}</p>')
        if vnote := volume_note(d, lang):
            body.append(f'<p class="note">{_e(vnote)}</p>')
        body += annotations.digest_html(d.notes, lang)  # annotations (escaped there)
        body.append(f"<h2>{_e(tr('dg_h_kpis'))}</h2><div class=\"tiles\">")
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
        body.append(f"<h2>{_e(tr('dg_h_funnel'))}</h2>")
        if "funnel" in ch:
            body.append(f'<div class="chart">{chart_svg(ch["funnel"])}</div>')
        body.append(html_table(funnel_table(d, lang)))
        body.append(f"<h2>{_e(tr('dg_h_new', n=len(d.new_articles)))}</h2>")
        if d.new_articles:
            tb, more = new_articles_table(d, lang, NEW_LIMIT)
            body.append(html_table(tb))
            if more:
                body.append(f'<p class="note">{_e(tr("dg_more", n=more))}</p>')
        else:
            body.append(f'<p class="note">{_e(tr("dg_new_none"))}</p>')
        body.append(f"<h2>{_e(tr('dg_h_articles'))}</h2>")
        for head, tb, empty in ranking_tables(d, lang):
            body.append(f"<h3>{_e(head)}</h3>")
            body.append(html_table(tb) if tb else f'<p class="note">{_e(empty)}</p>')
        body.append(f"<h2>{_e(tr('dg_h_race'))}</h2>")
        if "race" in ch:
            body.append(f'<div class="chart">{chart_svg(ch["race"])}</div>'
                        f'<p class="note">{_e(tr(f"dg_race_legend_{d.period.kind}"))}</p>')
        body.append(html_table(race_table(d, lang)) if d.channels
                    else f'<p class="note">{_e(tr("dg_race_none"))}</p>')
        body.append(f"<h2>{_e(tr('dg_h_pipeline'))}</h2><p>{_e(pipeline_summary(d, lang))}</p>")
        body.append(html_table(pipeline_table(d, lang)))
        body.append(f"<h2>{_e(tr('dg_h_how'))}</h2><ul class=\"how\">"
                    + "".join(f"<li>{_e(x)}</li>" for x in definitions(d, lang)) + "</ul>")
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
