"""Volume and freshness alerts of the digest (docs/DIGEST.md "Volume alerts").

Pure Python, no Streamlit. The counts come from ``queries/digest_volumes.sql``
(the period and the same period of each of the ``N_BACK`` previous weeks) and
``queries/log_freshness.sql`` (how far each log reaches); here are only the
bound, the rule and the phrasing.

The bound (a robust z on the log scale, with a Poisson floor)
    For a volume x of the period and its history b_1 … b_K (the same period
    1 … K weeks earlier, only weeks that start on or after the first join in
    the store; K >= ``MIN_HISTORY`` or nothing is tested). Volumes move by
    multiples (a campaign doubles a week), so they are compared as ratios, on
    l(v) = ln(1 + v):
        m = median(b), M = median(l(b)), MAD = median(|l(b) − M|),
        s = max(1.4826 · MAD, 1 / sqrt(1 + m)),  z = (l(x) − M) / s.
    1 / sqrt(1 + m) is the Poisson noise of a count of about m on that scale
    (so a perfectly regular history does not make every wobble an alert).
    Revenue is counted in units of the history's average payment a (v / a,
    at least 0). An alert when |z| >= ``Z_ALERT`` and |x − m| >= ``MIN_REL`` · m;
    a drop is red when z <= −``Z_STRONG`` or x = 0.
An empty period
    A period with no joins is an alert (red) whatever the history: never a
    green "nothing to test".
Freshness
    A log is behind when its last event is more than ``LAG_DAYS[log]`` days
    before ref = min(the latest event of the other logs, the digest's end);
    an empty log while the others have rows is behind too.
"""
from __future__ import annotations

import datetime as dt
import math
import statistics
from dataclasses import dataclass
from typing import Any

import pandas as pd

from . import fmt, i18n

VOLUMES = ("joins", "contacted", "paid", "revenue", "reads")
COHORT = ("joins", "contacted", "paid")  # follow the joins: not tested when there are none
N_BACK = 8
MIN_HISTORY = 4
Z_ALERT = 3.0
Z_STRONG = 5.0  # a drop this far is red
MIN_REL = 0.10
MAD_SCALE = 1.4826
from .limits import LOGS  # noqa: E402  (defined once: contentroi/limits.py)
LAG_DAYS = {"articles": 7, "joins": 1, "sales": 1}  # articles are published less often


@dataclass(frozen=True)
class VolumeCheck:
    metric: str
    value: float
    median: float | None = None
    scale: float | None = None
    z: float | None = None
    n_history: int = 0
    kind: str = "untested"  # ok | drop | rise | empty | untested

    @property
    def rel(self) -> float | None:
        if self.median is None or self.median == 0:
            return None
        return (self.value - self.median) / self.median

    @property
    def severity(self) -> str:
        if self.kind == "empty":
            return "error"
        if self.kind == "drop":
            return "error" if (self.z is not None and self.z <= -Z_STRONG) or self.value == 0 else "warning"
        return "good"


@dataclass(frozen=True)
class LogLag:
    log: str
    last_at: dt.datetime | None  # None: the log is empty
    ref_log: str  # the other log that reaches furthest
    ref_last: dt.datetime  # its last event
    ref_at: dt.datetime  # min(ref_last, the digest's end): what the log is measured against

    @property
    def days(self) -> int | None:
        return None if self.last_at is None else (self.ref_at - self.last_at).days

    @property
    def capped(self) -> bool:
        """The other log goes on past the digest's end: the gap is counted to the end."""
        return self.ref_at < self.ref_last

    severity = "warning"


def robust_z(value: float, history: list[float]) -> tuple[float, float, float]:
    """(median of the history, scale, z) of ``value`` on the log scale (see the module doc)."""
    logs = [math.log1p(max(b, 0.0)) for b in history]
    big_m = statistics.median(logs)
    mad = statistics.median([abs(v - big_m) for v in logs])
    m = statistics.median(history)
    s = max(MAD_SCALE * mad, 1.0 / math.sqrt(1.0 + max(m, 0.0)))
    return m, s, (math.log1p(max(value, 0.0)) - big_m) / s


def check(rows: list[dict[str, Any]], first_join: Any) -> tuple[list[VolumeCheck], int]:
    """Every volume's check, and the number of history periods used.

    ``rows``: digest_volumes (k = 0 the period, k >= 1 the earlier ones);
    ``first_join``: the first join in the store (None: no joins at all)."""
    cur = next(r for r in rows if r["k"] == 0)
    start = None if first_join is None or pd.isna(first_join) else pd.Timestamp(first_join).date()
    hist = [r for r in rows if r["k"] >= 1 and start is not None and pd.Timestamp(r["period_from"]).date() >= start]
    n = len(hist)
    paid_sum = sum(float(r["payments"] or 0) for r in hist)
    avg_payment = (sum(float(r["revenue"] or 0) for r in hist) / paid_sum) if paid_sum else None
    out = []
    no_joins = not cur["joins"]
    for metric in VOLUMES:
        x = float(cur[metric] or 0)
        if metric == "joins" and no_joins:
            med = statistics.median([float(r["joins"]) for r in hist]) if hist else None
            out.append(VolumeCheck(metric, x, med, None, None, n, "empty"))
            continue
        if n < MIN_HISTORY or (metric in COHORT and no_joins):
            out.append(VolumeCheck(metric, x, None, None, None, n, "untested"))
            continue
        b = [float(r[metric] or 0) for r in hist]
        unit = 1.0
        if metric == "revenue":  # in units of the average payment
            if not avg_payment or avg_payment <= 0:
                out.append(VolumeCheck(metric, x, statistics.median(b), None, None, n, "untested"))
                continue
            unit = avg_payment
        m, s, z = robust_z(x / unit, [v / unit for v in b])
        m *= unit
        kind = "ok"
        if z is not None and abs(z) >= Z_ALERT and abs(x - m) >= MIN_REL * abs(m):
            kind = "drop" if z < 0 else "rise"
        out.append(VolumeCheck(metric, x, m, s, z, n, kind))
    return out, n


def lags(fresh: list[dict[str, Any]], as_of: dt.datetime) -> list[LogLag]:
    """The logs that stop before the others (see the module doc)."""
    last = {r["log"]: (None if r["last_at"] is None or pd.isna(r["last_at"])
                       else pd.Timestamp(r["last_at"]).to_pydatetime()) for r in fresh}
    out = []
    for log in LOGS:
        others = [(t, lg) for lg, t in last.items() if lg != log and t is not None]
        if not others:
            continue
        ref_last, ref_log = max(others)
        ref_at = min(ref_last, as_of)
        mine = last.get(log)
        if mine is None or mine < ref_at - dt.timedelta(days=LAG_DAYS[log]):
            out.append(LogLag(log, mine, ref_log, ref_last, ref_at))
    return out


# ---------------------------------------------------------------------------
# phrasing
# ---------------------------------------------------------------------------


def _value(metric: str, v: float | None) -> str:
    if v is None:
        return fmt.NULL
    return fmt.money(v, 0) if metric == "revenue" else fmt.count(v)


def baseline_text(kind: str, n: int, lang: str) -> str:
    """'the previous 8 weeks' / 'the same weekday of the previous 8 weeks'."""
    return i18n.t(f"vol_base_{kind}_1" if n == 1 else f"vol_base_{kind}", lang, n=n)


def check_line(c: VolumeCheck, period_kind: str, lang: str = "en") -> str:
    tr = lambda k, **kw: i18n.t(k, lang, **kw)  # noqa: E731
    name = tr(f"vol_metric_{c.metric}")
    base = baseline_text(period_kind, c.n_history, lang)
    if c.kind == "empty":
        if c.median:
            return tr("vol_empty_was", metric=name, base=base, median=_value(c.metric, c.median))
        return tr("vol_empty", metric=name)
    rel = c.rel
    pct = fmt.pct(abs(rel), 0) if rel is not None else ""
    z = f"{c.z:+.1f}".replace("-", "−") if c.z is not None else fmt.NULL
    key = f"vol_{c.kind}" if rel is not None else f"vol_{c.kind}_from_zero"
    return tr(key, metric=name, value=_value(c.metric, c.value), pct=pct,
              median=_value(c.metric, c.median), base=base, z=z)


def gap_text(gap: dt.timedelta, lang: str = "en") -> str:
    """How far a log lags, as read: hours under two days (46 hours, not "1 days"), else
    whole days, rounded."""
    hours = gap.total_seconds() / 3600
    if hours < 48:
        n = max(1, round(hours))
        return i18n.t("fresh_gap_hour", lang) if n == 1 else i18n.t("fresh_gap_hours", lang, n=n)
    return i18n.t("fresh_gap_days", lang, n=round(hours / 24))


def lag_line(g: LogLag, lang: str = "en") -> str:
    tr = lambda k, **kw: i18n.t(k, lang, **kw)  # noqa: E731
    if g.last_at is None:
        return tr("fresh_empty", log=tr(f"fresh_log_{g.log}"), ref=tr(f"fresh_log_{g.ref_log}"))
    return tr("fresh_behind_end" if g.capped else "fresh_behind", log=tr(f"fresh_log_{g.log}"),
              last=f"{g.last_at:%Y-%m-%d %H:%M}", gap=gap_text(g.ref_at - g.last_at, lang),
              ref=tr(f"fresh_log_{g.ref_log}"),
              ref_last=f"{g.ref_last:%Y-%m-%d %H:%M}")


def note(checks: list[VolumeCheck], n_history: int, period_kind: str, lang: str = "en") -> str:
    """The volume rule in one line (or why nothing was tested)."""
    if n_history < MIN_HISTORY:
        return i18n.t(f"vol_note_short_{period_kind}", lang, n=n_history, need=MIN_HISTORY)
    return i18n.t("vol_note", lang, base=baseline_text(period_kind, n_history, lang), z=f"{Z_ALERT:g}",
                  rel=fmt.pct(MIN_REL, 0))


SEVERITY_ORDER = {"error": 0, "warning": 1, "good": 2}


def alert_items(checks: list[VolumeCheck], lagging: list[LogLag], period_kind: str,
                lang: str = "en") -> list[tuple[str, str]]:
    """(severity, text) of every volume and freshness alert: empty and drops first."""
    items = [(g.severity, lag_line(g, lang), 1) for g in lagging]
    items += [(c.severity, check_line(c, period_kind, lang), 0 if c.kind == "empty" else 2)
              for c in checks if c.kind in ("empty", "drop", "rise")]
    items.sort(key=lambda x: (SEVERITY_ORDER[x[0]], x[2]))
    return [(s, t) for s, t, _ in items]

