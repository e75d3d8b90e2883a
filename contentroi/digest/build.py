"""The daily / weekly digest (日报 / 周报): the period and the numbers (:func:`build`).

Pure Python, no Streamlit: the ``digest`` command and the /digest page both
call :func:`build` with a query function and render the same texts. Every
count comes from ``queries/digest_*.sql`` (see docs/DIGEST.md for the
definitions), and so does the picking of the top and bottom articles and of the
new ones listed (queries/digest_articles.sql returns only those); here are only
the two-proportion z-test, the phrasing and the rendering.

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
from dataclasses import dataclass, field
from typing import Any, Callable

import pandas as pd

from .. import annotations
from .. import volumes as vol
from ..engine import DATE_MAX, DATE_MIN, Params, channel_names, records
from ..limits import MIN_N, PERIODS  # defined once: contentroi/limits.py
from .alerts import ALPHA, Alert, find_alerts

# MIN_N: both denominators of a tested rate; joins of a ranked article
TOP_N = 5  # articles in each top / bottom list
NEW_ROWS = 50  # the new articles a digest keeps, by revenue: the most any view lists (the page)

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


def default_end(kind: str, last_at: Any, today: dt.date | None = None, first_at: Any = None) -> dt.date:
    """The last complete period before the latest event (``last_at``).

    Without data (``last_at`` None) the same rule runs from ``today``. When that period
    ends before the data's first event (``first_at``: a store holding less than one
    complete week), the period that holds the latest data instead — still in progress,
    which the digest says — rather than an empty one."""
    if last_at is None or (not isinstance(last_at, (dt.date, str)) and pd.isna(last_at)):
        ref = today or dt.date.today()
    else:
        ref = pd.Timestamp(last_at).date()
    ref = min(max(ref, DATE_MIN + dt.timedelta(days=8)), DATE_MAX)  # data dated year 1 or 9999
    end = ref - dt.timedelta(days=1)
    if kind == "week":
        last_day = end
        end -= dt.timedelta(days=end.isoweekday() % 7)  # back to a Sunday
        if first_at is not None and not pd.isna(first_at) and end < pd.Timestamp(first_at).date():
            end = last_day + dt.timedelta(days=(7 - last_day.isoweekday()) % 7)  # on to its Sunday
    return end


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
    articles: list[dict[str, Any]]  # the listed ones, with their ranks (queries/digest_articles.sql)
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
    names: list[dict[str, Any]] = field(default_factory=list)  # queries/channel_names.sql rows

    def channel_names(self, lang: str = "en") -> dict[str, str]:
        """Channel code -> display name in ``lang`` (wechat -> 公众号); unnamed: the code."""
        return channel_names(self.names, lang)

    def channel(self, code: str | None, lang: str = "en") -> str | None:
        """A channel's display name in ``lang`` (None stays None: all channels)."""
        return self.channel_names(lang).get(code, code) if code else code

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
        """The first ``NEW_ROWS`` articles published in the period, by revenue, then joins
        (more first), then publication (``n_new``: all of them)."""
        return _ranked(self.articles, "rk_new")

    @property
    def n_new(self) -> int:
        """How many articles were published in the period (the digest lists ``new_articles``)."""
        return int(self.articles[0]["n_new"]) if self.articles else 0

    @property
    def any_sized(self) -> bool:
        """Some article of the period has at least ``min_n`` joins (can be ranked by rate)."""
        return bool(self.articles and self.articles[0]["any_sized"])

    def rankings(self) -> dict[str, list[dict[str, Any]]]:
        """Top and bottom articles of the period by revenue and by overall rate
        (``TOP_N`` each, ranked in queries/digest_articles.sql).

        top_revenue: revenue > 0. The other three need at least ``min_n`` joins
        in the period's cohort (no ranking on tiny samples); a bottom list
        leaves out what its top list shows."""
        return {key: _ranked(self.articles, f"rk_{key}")[:TOP_N]
                for key in ("top_revenue", "bottom_revenue", "top_rate", "bottom_rate")}


def _ranked(rows: list[dict[str, Any]], rank: str) -> list[dict[str, Any]]:
    return sorted((a for a in rows if a.get(rank) is not None), key=lambda a: a[rank])


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
    first_at, last_at = bounds(query, params)
    return default_end(kind, default_anchor(last_at, _log_at(records(query("log_freshness", params)), "joins")),
                       first_at=first_at)


def build(query: Query, params: Params, kind: str = "week", end: dt.date | None = None,
          alpha: float = ALPHA, min_n: int = MIN_N,
          prefetch: Callable[..., None] | None = None) -> Digest:
    """Compute a digest. ``query(name, params, **extra)`` runs queries/NAME.sql
    (``engine.query`` bound to a store, or the page's cached ``ui.q``). ``prefetch(*jobs)``
    (the page's ``ui.prefetch``): runs the period's independent queries at once first, so
    that the calls below find them in the cache."""
    first_at, last_at = bounds(query, params)
    fresh = records(query("log_freshness", params))
    period = Period(kind, end or default_end(kind, default_anchor(last_at, _log_at(fresh, "joins")),
                                             first_at=first_at))
    extra = period.bind()
    picks = {"min_n": min_n, "top_n": TOP_N, "new_rows": NEW_ROWS}
    if prefetch is not None:
        prefetch(lambda: query("digest_segments", params, **extra),
                 lambda: query("digest_volumes", params, **extra, n_back=vol.N_BACK),
                 lambda: query("digest_articles", params, **extra, **picks),
                 lambda: query("digest_pipeline", params, **extra))
    segments = records(query("digest_segments", params, **extra))
    alerts, tested = find_alerts(segments, alpha, min_n)
    checks, n_history = vol.check(records(query("digest_volumes", params, **extra, n_back=vol.N_BACK)),
                                  _log_at(fresh, "joins", "first_at"))
    return Digest(
        volumes=checks, n_history=n_history, lagging=vol.lags(fresh, period.as_of), fresh=fresh,
        period=period, params=params, first_at=first_at, last_at=last_at,
        total=next(s for s in segments if s["level"] == "total"),
        channels=[s for s in segments if s["level"] == "channel"],
        articles=records(query("digest_articles", params, **extra, **picks)),
        pipeline=records(query("digest_pipeline", params, **extra)),
        alerts=alerts, tested=tested, alpha=alpha, min_n=min_n,
        notes=annotations.for_period(query, params, period.start, period.end),
        names=_names(query, params),
    )


def _names(query: Query, params: Params) -> list[dict[str, Any]]:
    """The store's channel display names (none in a store older than them: codes)."""
    import duckdb

    try:
        return records(query("channel_names", params))
    except duckdb.CatalogException:  # schema < 4 opened read-only: no channel_names table
        return []
