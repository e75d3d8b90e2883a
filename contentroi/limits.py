"""The app's limits, defined once (pure Python). Python reads them from here; the SQL
gets them as macros (``sql_macros()``, created before the models on every refresh and
part of the models' hash), or as bound parameters where a query takes them."""
from __future__ import annotations

import datetime as _dt

WINDOW_MIN, WINDOW_MAX = 1, 365  # the conversion window W, in days
DEFAULT_WINDOW = 30
MIN_N = 30  # fewer than this many in a rate's denominator: "too few to judge"
PERIODS = ("day", "week")  # the digest's periods
LOGS = ("articles", "joins", "sales")  # the three logs, in load order
PAGE_ROWS = 100  # rows of a long table (a leaderboard) sent to the browser at a time
# The dates a period, a link or a command may name: an earlier or later one is refused
# with a message (date arithmetic around it would leave Python's range).
DATE_MIN, DATE_MAX = _dt.date(1900, 1, 1), _dt.date(2999, 12, 31)


def date_in_range(d: _dt.date) -> bool:
    return DATE_MIN <= d <= DATE_MAX


def sql_macros() -> str:
    """``max_window_days()`` (the longest window the fact tables cover) and ``min_n()``."""
    return (f"CREATE OR REPLACE MACRO max_window_days() AS {int(WINDOW_MAX)};\n"
            f"CREATE OR REPLACE MACRO min_window_days() AS {int(WINDOW_MIN)};\n"
            f"CREATE OR REPLACE MACRO min_n() AS {int(MIN_N)};\n")
