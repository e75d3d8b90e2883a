"""Number formats shown to people: ¥ money, % rates, counts with separators.

``None`` (a null metric) is shown as an em dash; pages explain why next to it.
"""
from __future__ import annotations

import io
import math
import re
from typing import Any

NULL = "—"


def _is_null(x: Any) -> bool:
    if x is None:
        return True
    try:
        return math.isnan(float(x))
    except (TypeError, ValueError):
        return False


def money(x: Any, decimals: int = 2) -> str:
    if _is_null(x):
        return NULL
    v = float(x)
    sign = "-" if v < 0 else ""
    return f"{sign}¥{abs(v):,.{decimals}f}"


def money_short(x: Any) -> str:
    """¥12.3k / ¥1.2M for tiles and chart labels."""
    if _is_null(x):
        return NULL
    v = float(x)
    sign = "-" if v < 0 else ""
    v = abs(v)
    for div, suf in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if v >= div:
            return f"{sign}¥{v / div:.1f}{suf}"
    return f"{sign}¥{v:,.0f}"


def count(x: Any) -> str:
    if _is_null(x):
        return NULL
    return f"{int(round(float(x))):,}"


def pct(x: Any, decimals: int = 1) -> str:
    if _is_null(x):
        return NULL
    return f"{100 * float(x):.{decimals}f}%"


def ratio(x: Any, decimals: int = 2) -> str:
    """ROI as a multiple: 1.50 -> '+150%'."""
    if _is_null(x):
        return NULL
    v = 100 * float(x)
    return f"{v:+,.0f}%"


def days(x: Any) -> str:
    if _is_null(x):
        return NULL
    return f"{float(x):.1f} d"


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


def safe_csv(df: Any) -> bytes:
    """CSV for people: UTF-8 with BOM (Excel shows Chinese right), formula-like
    text cells neutralised, numbers untouched."""
    import pandas as pd

    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise_formula)
    buf = io.StringIO()
    out.to_csv(buf, index=False)
    return buf.getvalue().encode("utf-8-sig")
