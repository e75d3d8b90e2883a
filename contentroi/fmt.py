"""Number formats shown to people: ¥ money, % rates, counts with separators.

``None`` (a null metric) is shown as an em dash; pages explain why next to it.
"""
from __future__ import annotations

import contextlib
import contextvars
import io
import math
import re
from typing import Any

NULL = "—"

# ---------------------------------------------------------------------------
# One format per kind (contentroi/metrics.py gives each figure its kind), in both
# languages. The language is the caller's (``lang=``) or, by default, the one set
# for this thread / context with ``use_lang`` (st_app sets it for each page run,
# the digest for each render), so every call site formats in the reader's language.
#   count  12,345            zh: 12,345 below 10,000; 1.23万; 4.56亿
#   money  ¥326,392.40       zh: ¥9,876.50 below 10,000; ¥32.64万; ¥3.26亿
#   rate   12.3%             (a share, 1 decimal)
#   roi    +215%             (signed, no decimals: a multiple of the cost)
#   days   3.5 d             zh: 3.5 天
#   pp     +1.2 pp           zh: +1.2 个百分点 (a change of a rate)
# ---------------------------------------------------------------------------
_LANG: contextvars.ContextVar[str] = contextvars.ContextVar("contentroi_lang", default="en")


def use_lang(lang: str) -> None:
    """Format in ``lang`` ('en' or 'zh') from here on, in this thread / context."""
    _LANG.set("zh" if lang == "zh" else "en")


@contextlib.contextmanager
def using(lang: str):
    token = _LANG.set("zh" if lang == "zh" else "en")
    try:
        yield
    finally:
        _LANG.reset(token)


def current_lang(lang: str | None = None) -> str:
    return lang if lang in ("en", "zh") else _LANG.get()


def _is_null(x: Any) -> bool:
    if x is None:
        return True
    try:
        return math.isnan(float(x))
    except (TypeError, ValueError):
        return False


def _wan(v: float, decimals: int = 2) -> str | None:
    """|v| >= 10,000 in 万 / 亿 (None below)."""
    a = abs(v)
    if a >= 1e8:
        return f"{v / 1e8:,.{decimals}f}亿"
    if a >= 1e4:
        return f"{v / 1e4:,.{decimals}f}万"
    return None


def money(x: Any, decimals: int = 2, lang: str | None = None) -> str:
    if _is_null(x):
        return NULL
    v = float(x)
    sign = "-" if v < 0 else ""
    if current_lang(lang) == "zh":
        big = _wan(abs(v))
        if big:
            return f"{sign}¥{big}"
    return f"{sign}¥{abs(v):,.{decimals}f}"


def money_short(x: Any, lang: str | None = None) -> str:
    """Money in tiles and labels: the one money format (kept as a name for callers)."""
    return money(x, lang=lang)


def count(x: Any, lang: str | None = None) -> str:
    if _is_null(x):
        return NULL
    n = int(round(float(x)))
    if current_lang(lang) == "zh":
        big = _wan(n)
        if big:
            return big
    return f"{n:,}"


def pct(x: Any, decimals: int = 1) -> str:
    """A rate: 0.123 -> '12.3%'. A rate too small for ``decimals`` keeps two significant
    digits (0.000067 -> '0.0067%', not '0.0%', which would read as none)."""
    if _is_null(x):
        return NULL
    v = 100 * float(x)
    if v != 0 and abs(v) < 0.5 * 10 ** -decimals:
        n = min(8, 1 - math.floor(math.log10(abs(v))))
        return f"{v:.{n}f}".rstrip("0").rstrip(".") + "%"
    return f"{v:.{decimals}f}%"


def ratio(x: Any, decimals: int = 2) -> str:
    """ROI as a signed multiple of the cost: 1.50 -> '+150%'."""
    if _is_null(x):
        return NULL
    v = 100 * float(x)
    return f"{v:+,.0f}%"


roi = ratio


def days(x: Any, lang: str | None = None) -> str:
    if _is_null(x):
        return NULL
    unit = "天" if current_lang(lang) == "zh" else "d"
    return f"{float(x):.1f} {unit}"


def pp(delta: Any, lang: str | None = None) -> str:
    """A change of a rate (0.012 -> '+1.2 pp' / '+1.2 个百分点')."""
    if _is_null(delta):
        return NULL
    unit = "个百分点" if current_lang(lang) == "zh" else "pp"
    return f"{100 * float(delta):+.1f} {unit}"


def hours(x: Any, lang: str | None = None) -> str:
    if _is_null(x):
        return NULL
    unit = "小时" if current_lang(lang) == "zh" else "h"
    return f"{float(x):.1f} {unit}"


def by_kind(x: Any, kind: str | None, lang: str | None = None) -> str:
    """The one format of a metric kind (contentroi/metrics.py KINDS)."""
    if kind == "money":
        return money(x, lang=lang)
    if kind == "rate":
        return pct(x)
    if kind == "roi":
        return ratio(x)
    if kind == "days":
        return days(x, lang=lang)
    if kind == "hours":
        return hours(x, lang=lang)
    if kind == "count":
        return count(x, lang=lang)
    return NULL if _is_null(x) else str(x)


def metric(x: Any, key: str, lang: str | None = None) -> str:
    """A registered metric's value in its kind's format."""
    from . import metrics

    return by_kind(x, metrics.kind_of(key), lang)


# st.column_config formats of each kind for tables (Streamlit's printf), applied to
# display_frame's values (rates and ROI shown x 100): the same text as the formats above.
TABLE_FORMAT = {"money": "¥%,.2f", "rate": "%.1f%%", "roi": "%+,.0f%%", "count": "%,d",
                "days": "%.1f", "hours": "%.1f"}
SCALED_KINDS = ("rate", "roi")
# In Chinese, a table's counts and money of 1万 or more read as the tiles do (¥32.64万). No
# printf does that, and Streamlit's "compact" follows the browser's locale, not the page's;
# so those columns are shown through a pandas Styler (table_text): the cell's text is the
# one format's, its value stays the number (the grid sorts by it; the CSV keeps it).
WAN_KINDS = ("count", "money")


def table_text(kinds: dict[str, str | None], maxima: dict[str, float], lang: str | None = None) -> dict[str, Any]:
    """Column -> the function giving its cells' text, for the columns a table must show
    in 万 / 亿: in Chinese, a count or money column (``kinds``) whose largest absolute
    value (``maxima``) is 10,000 or more (below that the table's printf reads the same)."""
    if current_lang(lang) != "zh":
        return {}
    fns = {"count": lambda v: count(v, lang="zh"), "money": lambda v: money(v, lang="zh")}
    return {c: fns[k] for c, k in kinds.items()
            if k in WAN_KINDS and not _is_null(maxima.get(c)) and abs(float(maxima[c])) >= 1e4}


def delta_pct(cur: Any, prev: Any) -> float | None:
    """Relative change cur vs prev, or None when there is no base."""
    if _is_null(cur) or _is_null(prev) or float(prev) == 0:
        return None
    return (float(cur) - float(prev)) / abs(float(prev))


_MD_SPECIAL = set("\\`*_{}[]()#+-.!|<>~$:&=\"'")


def md_escape(text: object, limit: int = 200) -> str:
    """User text (titles, names, file names, ids) made inert for st.markdown:
    every Markdown/HTML/LaTeX metacharacter backslash-escaped, one line, bounded."""
    s = str(text).replace("\r", " ").replace("\n", " ")
    if len(s) > limit:
        s = s[: limit - 1] + "…"
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in s)


FORMULA_PATTERN = r"^[=+\-@\t\r]"  # also bound into SQL (contentroi/export.py): one rule
_FORMULA_RE = re.compile(FORMULA_PATTERN)


def neutralise_formula(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and _FORMULA_RE.match(value):
        return "'" + value
    return value


def safe_csv(df: Any, bom: bool = True) -> bytes:
    """CSV for people: UTF-8 with BOM (Excel shows Chinese right), formula-like
    text cells neutralised, numbers untouched. The one writer of every CSV the
    project writes (page downloads, rejected rows, ``report --format csv``)."""
    import pandas as pd

    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise_formula)
    out.columns = [neutralise_formula(str(c)) for c in out.columns]
    buf = io.StringIO()
    # CRLF line ends (RFC 4180): then a CR inside a value is quoted too (with "\n" alone
    # it was not, and a spreadsheet started a new row at it: "x\r=1" ran =1).
    out.to_csv(buf, index=False, lineterminator="\r\n")
    return buf.getvalue().encode("utf-8-sig" if bom else "utf-8")


def safe_csv_rows(rows: Any, columns: Any, bom: bool = True) -> bytes:
    """:func:`safe_csv` of records (dicts or sequences), values kept as they are
    (an int stays an int: no column is widened to float by a missing value)."""
    import pandas as pd

    return safe_csv(pd.DataFrame(list(rows), columns=list(columns), dtype=object), bom=bom)
