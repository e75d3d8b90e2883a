"""How far each log reaches, for every page and the digest (issue 10).

Pure Python, no Streamlit. The spans come from ``queries/log_freshness.sql``
(first and last event and row count per log). Two warnings, one line per log:

* **behind the others**: the rule of the digest's freshness alert
  (:func:`contentroi.volumes.lags`, ``LAG_DAYS`` per log), measured up to the
  end of the period in view (or, with no period end, up to the other logs'
  latest event);
* **ends before the period in view**: a log with rows whose last event falls
  before the period's last day (``to``): the days after it have no data yet in
  that log, so they read as zero.

A log that is behind the others is said once (the first warning wins).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd

from . import i18n
from . import volumes as vol

from .limits import LOGS  # noqa: E402  (defined once: contentroi/limits.py)


@dataclass(frozen=True)
class Span:
    log: str
    first_at: dt.datetime | None
    last_at: dt.datetime | None
    n: int


def _ts(v: Any) -> dt.datetime | None:
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return None
    return pd.Timestamp(v).to_pydatetime()


def spans(fresh: list[dict[str, Any]]) -> list[Span]:
    by = {r["log"]: r for r in fresh}
    return [Span(lg, _ts(by.get(lg, {}).get("first_at")), _ts(by.get(lg, {}).get("last_at")),
                 int(by.get(lg, {}).get("n") or 0)) for lg in LOGS]


def _day_end(d: dt.date) -> dt.datetime:
    return dt.datetime.combine(d, dt.time.max)


def warnings(fresh: list[dict[str, Any]], date_to: dt.date | None = None,
             lang: str = "en") -> list[str]:
    """The freshness warnings for a view whose period ends on ``date_to`` (None: no end)."""
    sp = spans(fresh)
    if not any(s.n for s in sp):
        return []
    as_of = _day_end(date_to) if date_to else dt.datetime.max
    out: list[str] = []
    said: set[str] = set()
    for g in vol.lags(fresh, as_of):
        out.append(vol.lag_line(g, lang))
        said.add(g.log)
    if date_to is not None:
        short = [s for s in sp if s.log not in said and s.last_at is not None
                 and s.last_at.date() < date_to]
        if short:
            sep = "、" if lang == "zh" else ", "
            logs = sep.join(i18n.t("fresh_log_until", lang, log=i18n.t(f"fresh_log_{s.log}", lang),
                                   last=f"{s.last_at:%Y-%m-%d}") for s in short)
            out.append(i18n.t("fresh_before_period", lang, logs=logs, to=f"{date_to:%Y-%m-%d}"))
    return out


def span_text(s: Span, lang: str = "en") -> str:
    name = i18n.t(f"log_{s.log}", lang)
    if s.first_at is None:
        return f"{name} {i18n.t('fresh_none', lang)}"
    return f"{name} {s.first_at:%Y-%m-%d} → {s.last_at:%Y-%m-%d}"


def reach_line(fresh: list[dict[str, Any]], lang: str = "en") -> str:
    """'Data reach: Articles 2026-05-03 → 2026-11-24 · Group joins … · Sales …'."""
    return i18n.t("fresh_reach", lang, spans=" · ".join(span_text(s, lang) for s in spans(fresh)))
