"""Monthly targets: storage, CSV in/out, the funnel decomposition and the pacing.

Pure Python and SQL (no Streamlit). Every figure comes from the engine's queries:
the rates from ``report_totals`` (the rate period's articles), the month's daily
actuals from ``targets_daily``. The definitions and the choices are written down
in docs/METRICS.md ("Targets and pacing").

* A target is (month, metric, channel, value): metric ``revenue`` / ``paid`` /
  ``joins``; channel ``""`` is the total.
* :func:`decompose` walks a target up the funnel with the rates:
  revenue -> paid (÷ revenue per paid user) -> contacted (÷ pay_rate) ->
  joins (÷ contact_rate) -> reads (÷ join_rate).
* :func:`pace` projects the month to its end from its days so far, with a 95 %
  interval from the day-to-day variation.
* :func:`limiting_stage` names the step whose rate (or, at the top, volume) would
  need the largest relative improvement for the month to make its target.
"""
from __future__ import annotations

import calendar
import datetime as dt
import io
import math
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping, Sequence

import pandas as pd

from . import fmt, metrics

METRICS = ("revenue", "paid", "joins")
STAGES = ("reads", "joins", "contacted", "paid", "revenue")
# the rate that leads from the stage above to this stage (revenue: ¥ per paid user)
STEP_RATE = {"joins": "join_rate", "contacted": "contact_rate", "paid": "pay_rate",
             "revenue": "revenue_per_paid"}
COUNT_STAGES = ("reads", "joins", "contacted", "paid")
PROFILES = ("even", "days", "custom")
Z95 = 1.959963984540054
RATE_WEEKS = 4
MAX_VALUE = 1e13
MAX_CHANNEL_LEN = 100
_MONTH_RE = re.compile(r"^\s*(\d{4})\s*(?:-|/|年)\s*(\d{1,2})\s*月?\s*(?:(?:-|/)\s*\d{1,2}\s*日?)?\s*$")


# ---------------------------------------------------------------------------
# months and periods
# ---------------------------------------------------------------------------


def month_start(d: dt.date) -> dt.date:
    return d.replace(day=1)


def month_end(d: dt.date) -> dt.date:
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def days_in_month(d: dt.date) -> int:
    return calendar.monthrange(d.year, d.month)[1]


def parse_month(text: Any) -> dt.date | None:
    """``2026-10``, ``2026/10``, ``2026年10月``, or a date of the month -> its first day."""
    if isinstance(text, (dt.date, pd.Timestamp)):
        return month_start(pd.Timestamp(text).date())
    m = _MONTH_RE.match(str(text or ""))
    if not m:
        return None
    year, month = int(m.group(1)), int(m.group(2))
    if not (1 <= month <= 12 and 1900 <= year <= 2999):
        return None
    return dt.date(year, month, 1)


def month_text(d: dt.date) -> str:
    return f"{d:%Y-%m}"


def default_rate_period(last_at: Any) -> tuple[dt.date, dt.date] | None:
    """The trailing 4 complete weeks before the data's latest event (Monday to Sunday,
    the weeks of the weekly digest's default), or None without data."""
    from .digest import default_end

    if last_at is None or pd.isna(last_at):
        return None
    end = default_end("week", last_at)
    return end - dt.timedelta(days=7 * RATE_WEEKS - 1), end


def elapsed_days(month: dt.date, last_at: Any) -> int:
    """Days of ``month`` the data has seen: all of a past month, none of a future one,
    and up to the day of the latest event (that day included) in the data's month."""
    if last_at is None or pd.isna(last_at):
        return 0
    now = pd.Timestamp(last_at).date()
    if now >= month_end(month):
        return days_in_month(month)
    if now < month:
        return 0
    return now.day


# ---------------------------------------------------------------------------
# the decomposition
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Rates:
    """The step rates of the rate period, as the engine computes them (report_totals)."""

    join_rate: float | None
    contact_rate: float | None
    pay_rate: float | None
    revenue_per_paid: float | None
    # the period's volumes the rates come from (shown next to them)
    reads: int = 0
    joins: int = 0
    contacted: int = 0
    paid: int = 0
    revenue: float = 0.0

    def get(self, name: str) -> float | None:
        return getattr(self, name)


def rates_from_totals(t: dict[str, Any]) -> Rates:
    """Rates from a ``report_totals`` row. Revenue per paid user = attributed revenue /
    paid users of the same articles (null when nobody paid)."""
    paid = int(t.get("paid") or 0)
    revenue = float(t.get("revenue") or 0.0)
    return Rates(
        join_rate=t.get("join_rate"), contact_rate=t.get("contact_rate"), pay_rate=t.get("pay_rate"),
        revenue_per_paid=metrics.ratio(revenue, paid),
        reads=int(t.get("reads") or 0), joins=int(t.get("joins") or 0),
        contacted=int(t.get("contacted") or 0), paid=paid, revenue=revenue,
    )


def chain(metric: str) -> tuple[str, ...]:
    """The stages from the top of the funnel down to the target's metric."""
    if metric not in METRICS:
        raise ValueError(f"metric must be one of {', '.join(METRICS)}")
    return STAGES[: STAGES.index(metric) + 1]


def decompose(metric: str, target: float, rates: Rates) -> dict[str, float | None]:
    """What the target needs at each stage, at the rates: exact values (not rounded),
    None from the first stage whose rate is unknown or 0 upwards."""
    stages = chain(metric)
    out: dict[str, float | None] = {metric: float(target)}
    need: float | None = float(target)
    for below, above in zip(reversed(stages), reversed(stages[:-1])):
        r = rates.get(STEP_RATE[below])
        need = None if need is None or r is None or r <= 0 else need / r
        out[above] = need
    return {s: out[s] for s in stages}


def whole(x: float | None) -> int | None:
    """A required count in whole users / reads: rounded up (a tolerance for float noise)."""
    if x is None:
        return None
    return int(math.ceil(x - 1e-9))


# ---------------------------------------------------------------------------
# the pacing
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Pace:
    """A month's actual so far and its projection to the month's end."""

    days: int  # days in the month
    elapsed: int  # days seen so far
    actual: float  # sum over the elapsed days
    projection: float | None  # None: no day seen yet
    lo: float | None  # 95 % interval of the projection (None: fewer than 2 days seen)
    hi: float | None

    @property
    def remaining(self) -> int:
        return self.days - self.elapsed


def pace(daily: Sequence[float], elapsed: int) -> Pace:
    """Project a month from its first ``elapsed`` days (``daily`` holds every day of it).

    d = elapsed days, A = their sum, m = A / d, s = the sample standard deviation of
    the d daily values, R = the days left. Projection = A + m R. The rest of the
    month is R more days like these: its sum has variance R s² (the days' spread)
    + R² s² / d (the uncertainty of m), so the 95 % interval is
    projection ± 1.96 s √(R + R² / d). The lower bound is never below A: the days
    left cannot take back what is there (a day's revenue is net of its refunds, >= 0).
    """
    n = len(daily)
    d = max(0, min(int(elapsed), n))
    seen = [float(x) for x in daily[:d]]
    actual = float(sum(seen))
    if d == 0:
        return Pace(n, 0, 0.0, None, None, None)
    r = n - d
    mean = actual / d
    proj = actual + mean * r
    if r == 0:
        return Pace(n, d, actual, actual, actual, actual)
    if d < 2:
        return Pace(n, d, actual, proj, None, None)
    var = sum((x - mean) ** 2 for x in seen) / (d - 1)
    half = Z95 * math.sqrt(var) * math.sqrt(r + r * r / d)
    return Pace(n, d, actual, proj, max(proj - half, actual), proj + half)


def pacing_frame(month: dt.date, daily: Sequence[float], target: float | None, p: Pace) -> pd.DataFrame:
    """One row per day of the month: the target line (target × day / days), the
    cumulative actual (elapsed days only) and the projection (from the last elapsed
    day to the month's end, straight, with its interval widening to the end)."""
    n = days_in_month(month)
    rows = []
    cum = 0.0
    mean = (p.actual / p.elapsed) if p.elapsed else None
    for i in range(n):
        day = month + dt.timedelta(days=i)
        k = i + 1
        row: dict[str, Any] = {"day": pd.Timestamp(day), "target": (target * k / n) if target else None,
                               "actual": None, "projection": None, "lo": None, "hi": None}
        if k <= p.elapsed:
            cum += float(daily[i])
            row["actual"] = cum
        if p.projection is not None and mean is not None and k >= p.elapsed and p.remaining > 0:
            j = k - p.elapsed  # days past the last seen one
            row["projection"] = p.actual + mean * j
            if p.lo is not None and p.hi is not None:
                frac = (j / p.remaining) if p.remaining else 0.0
                row["lo"] = row["projection"] - (p.projection - p.lo) * frac
                row["hi"] = row["projection"] + (p.hi - p.projection) * frac
        rows.append(row)
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------
# the limiting stage
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Stage:
    stage: str
    required: float | None  # exact (whole counts: whole())
    actual: float  # so far this month
    projected: float | None  # at the month's end
    coverage: float | None  # projected / required
    factor: float | None  # this step's share of the shortfall (see limiting_stage)


def stages(metric: str, target: float, rates: Rates, paces: dict[str, Pace]) -> list[Stage]:
    """The decomposition with each stage's actual, projection, coverage and step factor."""
    req = decompose(metric, target, rates)
    out: list[Stage] = []
    prev_cov: float | None = None
    for i, s in enumerate(chain(metric)):
        p = paces[s]
        r = req[s]
        cov = (p.projection / r) if (p.projection is not None and r) else None
        if i == 0:
            factor = cov
        elif cov is None or prev_cov is None or prev_cov == 0:
            factor = None
        else:
            factor = cov / prev_cov
        out.append(Stage(s, r, p.actual, p.projection, cov, factor))
        prev_cov = cov
    return out


def limiting_stage(rows: list[Stage]) -> Stage | None:
    """The stage that most limits the target (docs/METRICS.md).

    coverage(s) = projected(s) / required(s). The top stage's factor is its coverage
    (reads: volume); every other stage's factor is coverage(s) / coverage(stage above)
    = this month's step ratio relative to the planning rate. The factors multiply to
    the target's coverage. The limiting stage is the one with the smallest factor: the
    step whose rate (at the top: volume) would need the largest relative improvement,
    1 / factor - 1, holding the others at this month's pace. Where a stage above has
    a projection of 0, the first such stage is the limit. Ties go to the upper stage.
    None without a projection or a complete decomposition.
    """
    if not rows or any(r.coverage is None for r in rows):
        return None
    for r in rows:
        if r.coverage == 0:
            return r
    best = None
    for r in rows:
        if r.factor is None:
            return None
        if best is None or r.factor < best.factor - 1e-12:
            best = r
    return best


# ---------------------------------------------------------------------------
# a yearly target split into months
# ---------------------------------------------------------------------------


def split_year(total: float, year: int, profile: str = "even", weights: Sequence[float] | None = None,
               unit: float = 1.0) -> list[float]:
    """Twelve monthly targets summing to ``total`` exactly (in steps of ``unit``: 1 for
    users, 0.01 for money): ``even`` (equal shares), ``days`` (by days in the month),
    ``custom`` (by the 12 given weights). Largest remainder: the rounding's leftover
    units go to the months with the largest remainders (earlier months on ties)."""
    if profile == "even":
        w = [1.0] * 12
    elif profile == "days":
        w = [float(calendar.monthrange(year, m)[1]) for m in range(1, 13)]
    elif profile == "custom":
        w = [float(x) for x in (weights or [])]
        if len(w) != 12 or any(not math.isfinite(x) or x < 0 for x in w) or sum(w) <= 0:
            raise ValueError("custom weights: 12 numbers >= 0, not all 0")
    else:
        raise ValueError(f"profile must be one of {', '.join(PROFILES)}")
    units = int(round(total / unit))
    raw = [units * x / sum(w) for x in w]
    base = [int(math.floor(x)) for x in raw]
    left = units - sum(base)
    order = sorted(range(12), key=lambda i: (-(raw[i] - base[i]), i))
    for i in order[:left]:
        base[i] += 1
    return [round(b * unit, 2) for b in base]


def parse_weights(text: str) -> list[float] | None:
    """``1, 1, 1.2, ...`` (comma, space, 、 or ， separated) -> 12 weights, or None."""
    parts = [p for p in re.split(r"[\s,，、;；]+", str(text or "").strip()) if p]
    try:
        w = [float(p) for p in parts]
    except ValueError:
        return None
    if len(w) != 12 or any(not math.isfinite(x) or x < 0 for x in w) or sum(w) <= 0:
        return None
    return w


# ---------------------------------------------------------------------------
# storage (Store: contentroi/store.py; write inside a Workspace writer)
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    month: dt.date
    metric: str
    channel: str  # "" = total
    value: float


def save(store: Any, rows: Iterable[Target], delete: Iterable[tuple[dt.date, str, str]] = ()) -> int:
    """Insert or replace targets (and delete (month, metric, channel) keys) in one transaction."""
    rows = list(rows)
    n = 0
    with store.transaction() as cur:
        for month, metric, channel in delete:
            cur.execute("DELETE FROM targets WHERE month = $m AND metric = $k AND channel = $c",
                        {"m": month, "k": metric, "c": channel})
        for t in rows:
            cur.execute("INSERT OR REPLACE INTO targets VALUES ($m, $k, $c, $v, now()::TIMESTAMP)",
                        {"m": t.month, "k": t.metric, "c": t.channel, "v": float(t.value)})
            n += 1
        store.bump_data_version(cur)
    return n


def value_unit(metric: str) -> float:
    return 0.01 if metric == "revenue" else 1.0


def check_value(metric: str, v: float) -> str | None:
    """None when ``v`` is a valid target of ``metric``, else the i18n key of the reason."""
    if not math.isfinite(v) or v < 0 or v > MAX_VALUE:
        return "tg_err_value_range"
    if metric != "revenue" and v != int(v):
        return "tg_err_value_whole"
    return None


# ---------------------------------------------------------------------------
# CSV: export and a validated import
# ---------------------------------------------------------------------------

CSV_COLUMNS = ("month", "metric", "channel", "value")
_HEADER_ALIASES = {
    "month": ("month", "月份", "月"),
    "metric": ("metric", "指标"),
    "channel": ("channel", "渠道", "平台"),
    "value": ("value", "target", "目标", "目标值"),
}
_METRIC_ALIASES = {
    "revenue": ("revenue", "收入", "营收", "销售额"),
    "paid": ("paid", "paid users", "付费", "付费用户", "付费人数"),
    "joins": ("joins", "入群", "入群用户", "入群人数"),
}
_TOTAL_ALIASES = ("", "total", "all", "合计", "全部", "总计", "全渠道")


def export_frame(df: pd.DataFrame) -> pd.DataFrame:
    """The targets_list result as the CSV's rows (month as YYYY-MM, total as an empty channel)."""
    out = pd.DataFrame(columns=list(CSV_COLUMNS))
    if df.empty:
        return out
    return pd.DataFrame({
        "month": [month_text(pd.Timestamp(m).date()) for m in df["month"]],
        "metric": df["metric"].tolist(),
        "channel": df["channel"].tolist(),
        "value": [round(float(v), 2) for v in df["value"]],
    })


@dataclass
class RowError:
    line: int  # the file's line (the header is line 1)
    column: str
    reason: str  # an i18n key
    value: str = ""


@dataclass
class Parsed:
    """A parsed import: the valid rows and every rejected row's reason."""

    rows: list[Any] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    refused: str | None = None  # an i18n key: the whole file is refused
    refused_detail: str = ""


def read_table(data: bytes) -> pd.DataFrame:
    """A small CSV (UTF-8 with or without BOM, GB18030, UTF-16 with BOM) as text cells."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        text = data.decode("utf-16")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("gb18030")
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, sep=None, engine="python")


def map_headers(headers: Sequence[str], aliases: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """canonical column -> the file's header (case- and space-insensitive aliases)."""
    norm = {re.sub(r"\s+", "", str(h)).lower(): h for h in headers}
    out = {}
    for col, names in aliases.items():
        for n in names:
            h = norm.get(re.sub(r"\s+", "", n).lower())
            if h is not None:
                out[col] = h
                break
    return out


def parse_number(text: str) -> float | None:
    s = re.sub(r"[\s,，¥￥]", "", str(text or ""))
    if not s:
        return None
    try:
        v = float(s)
    except ValueError:
        return None
    return v if math.isfinite(v) else None


MAX_IMPORT_ROWS = 10_000


AMBIGUOUS = ""  # channel_lookup's value for a name several channels share


def channel_lookup(codes: Iterable[str], *names: Mapping[str, str]) -> dict[str, str]:
    """How an imported channel cell is read: its text (case-folded) -> the channel's code.
    ``codes`` are the store's channel codes; each of ``names`` is a code -> display name
    map (engine.channel_names in English, in Chinese). A code is itself; a display name in
    either language is its channel's code; a name two channels share maps to AMBIGUOUS."""
    codes = [c for c in dict.fromkeys(codes) if isinstance(c, str) and c]
    out: dict[str, str] = {}
    for m in names:
        for code, name in m.items():
            if not (isinstance(name, str) and name.strip() and isinstance(code, str) and code):
                continue
            k = name.strip().casefold()
            out[k] = code if out.get(k, code) == code else AMBIGUOUS
    for c in codes:  # a code is itself, even where another channel is named like it (export writes codes)
        out[c.casefold()] = c
    for c in codes:
        out[c] = c
    return out


def resolve_channel(text: str, lookup: Mapping[str, str]) -> tuple[str | None, str | None]:
    """(code, None) for a known code or name; (None, reason) otherwise (an i18n key)."""
    code = lookup.get(text, lookup.get(text.casefold()))
    if code is None:
        return None, "tg_err_channel_unknown"
    if code == AMBIGUOUS:
        return None, "tg_err_channel_ambiguous"
    return code, None


def parse_csv(data: bytes, *, channels: Mapping[str, str]) -> Parsed:
    """Validate a targets CSV: month, metric, channel (empty = total), value. Every
    row is checked; the valid ones are returned, the others listed with their line,
    column and reason. A file without the required columns is refused whole.
    ``channels`` is channel_lookup's map: a channel is written as its code or its display
    name (either language) and stored as its code; any other channel is rejected."""
    out = Parsed()
    try:
        df = read_table(data)
    except Exception as exc:  # noqa: BLE001  (any unreadable file is one clear message)
        out.refused, out.refused_detail = "tg_err_unreadable", exc.__class__.__name__
        return out
    cols = map_headers(list(df.columns), _HEADER_ALIASES)
    missing = [c for c in ("month", "metric", "value") if c not in cols]
    if missing:
        out.refused = "tg_err_columns"
        out.refused_detail = ", ".join(missing) + " | " + ", ".join(str(c) for c in df.columns)[:300]
        return out
    if len(df) > MAX_IMPORT_ROWS:
        out.refused, out.refused_detail = "tg_err_too_many", str(MAX_IMPORT_ROWS)
        return out
    metric_of = {a.lower(): m for m, names in _METRIC_ALIASES.items() for a in names}
    seen: dict[tuple[dt.date, str, str], int] = {}
    for i, rec in enumerate(df.to_dict(orient="records")):
        line = i + 2
        raw_month = str(rec[cols["month"]]).strip()
        raw_metric = str(rec[cols["metric"]]).strip()
        raw_channel = str(rec[cols["channel"]]).strip() if "channel" in cols else ""
        raw_value = str(rec[cols["value"]]).strip()
        month = parse_month(raw_month)
        if month is None:
            out.errors.append(RowError(line, "month", "tg_err_month", raw_month))
            continue
        metric = metric_of.get(raw_metric.lower())
        if metric is None:
            out.errors.append(RowError(line, "metric", "tg_err_metric", raw_metric))
            continue
        channel = "" if raw_channel.lower() in _TOTAL_ALIASES else raw_channel
        if len(channel) > MAX_CHANNEL_LEN or re.search(r"[\x00-\x1f\x7f]", channel):
            out.errors.append(RowError(line, "channel", "tg_err_channel", raw_channel[:60]))
            continue
        if channel:
            code, why = resolve_channel(channel, channels)
            if code is None:
                out.errors.append(RowError(line, "channel", why, raw_channel[:60]))
                continue
            channel = code
        value = parse_number(raw_value)
        if value is None:
            out.errors.append(RowError(line, "value", "tg_err_value", raw_value[:60]))
            continue
        if (reason := check_value(metric, value)) is not None:
            out.errors.append(RowError(line, "value", reason, raw_value[:60]))
            continue
        key = (month, metric, channel)
        if key in seen:
            out.errors.append(RowError(line, "month", "tg_err_duplicate", str(seen[key])))
            continue
        seen[key] = line
        out.rows.append(Target(month, metric, channel, value))
    return out


def errors_frame(errors: list[RowError], tr: Callable[..., str]) -> pd.DataFrame:
    """Rejected rows for people: line, column, reason (translated), value."""
    return pd.DataFrame([{"line": e.line, "column": e.column, "reason": tr(e.reason, value=e.value),
                          "value": e.value} for e in errors],
                        columns=["line", "column", "reason", "value"])


def lookup(df: pd.DataFrame, month: dt.date, metric: str, channel: str) -> float | None:
    """A target's value from the targets_list result (None when not set)."""
    if df.empty:
        return None
    m = pd.to_datetime(df["month"]).dt.date
    hit = df[(m == month) & (df["metric"] == metric) & (df["channel"] == channel)]
    return None if hit.empty else float(hit["value"].iloc[0])


def fmt_value(metric: str, v: Any, lang: str = "en") -> str:
    """A target metric's value for people: ¥ money (whole yuan) or a count; 万 / 亿 in Chinese."""
    return big_money(v, lang) if metric == "revenue" else big_count(v, lang)


def big_count(v: Any, lang: str = "en") -> str:
    return fmt.count(v, lang=lang)


def big_money(v: Any, lang: str = "en") -> str:
    return fmt.money(v, 0, lang=lang)


# ---------------------------------------------------------------------------
# the page's URL parameters (viewstate.PAGE_PARAMS["targets"])
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetsView:
    month: dt.date | None = None  # None: the month of the data's latest event
    metric: str = "revenue"
    channel: str = ""  # "" = total
    rate_from: dt.date | None = None  # both None: the trailing 4 complete weeks
    rate_to: dt.date | None = None


def parse_view(extra: dict[str, str], channels: Iterable[str]) -> tuple[TargetsView, list[tuple[str, str, str]]]:
    """Validate the page's parameters; every bad one is dropped with a notice
    (param, value, i18n key)."""
    from .viewstate import _date

    notices: list[tuple[str, str, str]] = []
    month = None
    if (v := extra.get("month")) is not None:
        month = parse_month(v) if re.fullmatch(r"\d{4}-\d{2}", v) else None
        if month is None:
            notices.append(("month", v, "tg_notice_month"))
    metric = "revenue"
    if (v := extra.get("metric")) is not None:
        if v in METRICS:
            metric = v
        else:
            notices.append(("metric", v, "tg_notice_metric"))
    channel = ""
    if (v := extra.get("ch")) is not None:
        if v in set(channels):
            channel = v
        else:
            notices.append(("ch", v, "notice_unknown_channel"))
    r0 = r1 = None
    for key in ("rfrom", "rto"):
        if (v := extra.get(key)) is not None:
            d = _date(v)
            if d is None:
                notices.append((key, v, "notice_bad_date"))
            elif key == "rfrom":
                r0 = d
            else:
                r1 = d
    if (r0 is None) != (r1 is None):
        if extra.get("rfrom") and extra.get("rto"):
            pass  # one of them was bad: already noticed
        else:
            notices.append(("rto" if r1 is None else "rfrom", "", "tg_notice_rates_both"))
        r0 = r1 = None
    if r0 and r1 and r0 > r1:
        notices.append(("rto", r1.isoformat(), "notice_period_reversed"))
        r0 = r1 = None
    return TargetsView(month, metric, channel, r0, r1), notices


def clean_extra(v: TargetsView) -> dict[str, str | None]:
    """The page's parameters as the URL keeps them (defaults left out)."""
    return {
        "month": month_text(v.month) if v.month else None,
        "metric": v.metric if v.metric != "revenue" else None,
        "ch": v.channel or None,
        "rfrom": v.rate_from.isoformat() if v.rate_from else None,
        "rto": v.rate_to.isoformat() if v.rate_to else None,
    }


# ---------------------------------------------------------------------------
# one month's view: everything the page (and a test) shows
# ---------------------------------------------------------------------------


@dataclass
class MonthView:
    month: dt.date
    metric: str
    channel: str
    target: float | None
    rate_from: dt.date | None
    rate_to: dt.date | None
    rate_default: bool  # the trailing 4 complete weeks
    rates_maturing: bool  # the rate period's users are not all past their window yet
    rates: Rates | None
    daily: pd.DataFrame
    elapsed: int
    paces: dict[str, Pace]
    rows: list[Stage]
    limit: Stage | None


def compute(query: Callable[..., pd.DataFrame], params: Any, view: TargetsView, last_at: Any,
            targets_df: pd.DataFrame) -> MonthView:
    """A month's target, its decomposition at the rate period's rates, the daily
    actuals and their pacing. ``query(name, params, **extra)`` runs queries/NAME.sql;
    ``params`` holds the window and the model (its period and channels are replaced)."""
    now_month = month_start(pd.Timestamp(last_at).date()) if last_at is not None and not pd.isna(last_at) \
        else month_start(dt.date.today())
    month = view.month or now_month
    channels = (view.channel,) if view.channel else ()
    if view.rate_from and view.rate_to:
        r0, r1, default = view.rate_from, view.rate_to, False
    else:
        dp = default_rate_period(last_at)
        r0, r1 = dp if dp else (None, None)
        default = True
    rates = None
    maturing = False
    if r0 is not None:
        tot = query("report_totals", params.with_(date_from=r0, date_to=r1, channels=channels)).iloc[0].to_dict()
        from .engine import clean_record

        rates = rates_from_totals(clean_record(tot))
        if last_at is not None and not pd.isna(last_at):
            maturing = pd.Timestamp(r1) + pd.Timedelta(days=1 + params.window_days) > pd.Timestamp(last_at)
    daily = query("targets_daily", params.with_(date_from=None, date_to=None, channels=channels),
                  month_from=month, month_to=month_end(month))
    elapsed = elapsed_days(month, last_at)
    paces = {s: pace(daily[s].tolist(), elapsed) for s in STAGES}
    target = lookup(targets_df, month, view.metric, view.channel)
    rows: list[Stage] = []
    limit = None
    if target is not None and rates is not None:
        rows = stages(view.metric, target, rates, paces)
        limit = limiting_stage(rows)
    return MonthView(month, view.metric, view.channel, target, r0, r1, default, maturing, rates, daily,
                     elapsed, paces, rows, limit)


# ---------------------------------------------------------------------------
# what the page shows, as data (pages/targets.py lays it out; ``tr(key, **kw)`` is the
# page's translation function, ``lang`` its language)
# ---------------------------------------------------------------------------


def stage_value(stage: str, v: Any, lang: str = "en") -> str:
    """A stage's figure: money for revenue, a count for the others (万 / 亿 in Chinese)."""
    return big_money(v, lang) if stage == "revenue" else big_count(v, lang)


def decomposition_table(mv: MonthView, tr: Callable[..., str], lang: str = "en") -> pd.DataFrame:
    """The target walked down the funnel, one row a stage: the step's planning rate, what
    the target requires, the month's actual, its projection, the gap and the coverage."""
    rows = []
    assert mv.rates is not None
    for s in mv.rows:
        rate_name = STEP_RATE.get(s.stage) if s.stage != chain(mv.metric)[0] else None
        rate_val = mv.rates.get(rate_name) if rate_name else None
        rate_text = (big_money(rate_val, lang) if rate_name == "revenue_per_paid"
                     else fmt.pct(rate_val, 2)) if rate_name else ""
        req = s.required if s.stage == "revenue" else whole(s.required)
        gap = None if (req is None or s.projected is None) else req - s.projected
        rows.append({
            tr("tg_c_stage"): tr(f"m_{s.stage}"),
            tr("tg_c_rate"): (f"{tr('tg_rate_' + rate_name)} {rate_text}" if rate_name else ""),
            tr("tg_c_required"): stage_value(s.stage, req, lang),
            tr("tg_c_actual"): stage_value(s.stage, s.actual, lang),
            tr("tg_c_projected"): stage_value(s.stage, s.projected, lang),
            tr("tg_c_gap"): (stage_value(s.stage, max(0.0, gap), lang) if gap is not None else fmt.NULL),
            tr("tg_c_coverage"): fmt.pct(s.coverage, 0),
        })
    return pd.DataFrame(rows)


def needs_text(mv: MonthView, tr: Callable[..., str], lang: str = "en") -> str:
    """'To make ¥120,000 we need 163 paid · 959 contacted · …' (the stages above the target's)."""
    needs = " · ".join(tr("tg_need_stage", n=stage_value(s.stage, whole(s.required), lang),
                          stage=tr(f"m_{s.stage}")) for s in reversed(mv.rows[:-1]))
    return tr("tg_need_" + mv.metric, target=fmt_value(mv.metric, mv.target, lang)) + " " + needs


def limit_text(mv: MonthView, tr: Callable[..., str]) -> tuple[str, bool] | None:
    """The limiting stage said for people, and whether the month is on track (then it is
    the weakest step, not a limit); None without one."""
    lim = mv.limit
    if lim is None:
        return None
    improve = (1 / lim.factor - 1) if lim.factor else None
    top = lim.stage == chain(mv.metric)[0]
    on_track = mv.rows[-1].coverage is not None and mv.rows[-1].coverage >= 1
    key = ("tg_weakest_top" if top else "tg_weakest_step") if on_track else (
        "tg_limit_top" if top else "tg_limit_step")
    msg = tr(key, stage=tr(f"m_{lim.stage}"), rate=tr("tg_rate_" + STEP_RATE[lim.stage]) if not top else "",
             factor=fmt.pct(lim.factor, 0), improve=fmt.pct(improve, 0) if improve else fmt.NULL)
    return (tr("tg_on_track") + " " + msg if on_track else msg), on_track


def coverage_rows(mv: MonthView, tr: Callable[..., str]) -> list[dict[str, Any]]:
    """The coverage chart's bars (charts.targets.coverage), the limiting stage marked."""
    lim = mv.limit.stage if mv.limit is not None else None
    return [{"order": i, "stage": tr(f"m_{s.stage}"), "coverage": s.coverage,
             "text": fmt.pct(s.coverage, 0), "limit": s.stage == lim} for i, s in enumerate(mv.rows)]


def grid(targets_df: pd.DataFrame, month: dt.date, channels: Sequence[str],
         label: Callable[[str], str]) -> tuple[pd.DataFrame, dict[tuple[str, str], float | None]]:
    """The month's targets as the editable grid (a row a channel, the total first, labelled
    by ``label``; a column a metric) and the values it starts from, by (channel, metric)."""
    current = {(c, m): lookup(targets_df, month, m, c) for c in ["", *channels] for m in METRICS}
    frame = pd.DataFrame([{"channel": label(c), **{m: current[(c, m)] for m in METRICS}}
                          for c in ["", *channels]])
    return frame, current


@dataclass(frozen=True)
class GridChange:
    upsert: list[Target]
    delete: list[tuple[dt.date, str, str]]
    bad: list[tuple[str, str, str, float]]  # (channel, metric, i18n key of the reason, value)


def grid_changes(current: dict[tuple[str, str], float | None], edited: Sequence[dict[str, Any]],
                 channels: Sequence[str], month: dt.date) -> GridChange:
    """What saving the edited grid does: the targets set or changed, the ones cleared, and
    the values refused (nothing is saved while one is)."""
    upsert: list[Target] = []
    delete: list[tuple[dt.date, str, str]] = []
    bad: list[tuple[str, str, str, float]] = []
    for c, row in zip(["", *channels], edited):
        for m in METRICS:
            v = row.get(m)
            if v is None or pd.isna(v):
                if current[(c, m)] is not None:
                    delete.append((month, m, c))
                continue
            v = float(v)
            if (reason := check_value(m, v)) is not None:
                bad.append((c, m, reason, v))
            elif current[(c, m)] != v:
                upsert.append(Target(month, m, c, v))
    return GridChange(upsert, delete, bad)


def year_targets(year: int, metric: str, channel: str, split: Sequence[float]) -> list[Target]:
    """A yearly split (split_year) as the twelve monthly targets it saves."""
    return [Target(dt.date(int(year), m, 1), metric, channel, v) for m, v in zip(range(1, 13), split)]


def year_preview(year: int, metric: str, split: Sequence[float], tr: Callable[..., str],
                 lang: str = "en") -> pd.DataFrame:
    """The split's twelve months as the page previews them (a row, months as columns)."""
    return pd.DataFrame({tr("tg_month"): [f"{int(year)}-{m:02d}" for m in range(1, 13)],
                         tr(f"m_{metric}"): [fmt_value(metric, v, lang) for v in split]}).T
