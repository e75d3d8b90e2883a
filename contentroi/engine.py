"""The funnel engine: contract metrics from queries/*.sql, for pages and CLI.

Every number a page or the ``report`` command shows comes from a function
here, so the two agree to the cent.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING, Any

import duckdb

from . import sql
from .store import Store

if TYPE_CHECKING:  # pandas is imported where it is used: `report --format json` never needs it
    import pandas as pd



def _models_of(sql_text: str) -> tuple[str, ...]:
    """The attribution models, in display order: the names of fct_weights's branches in
    queries/models/22_fct_attribution.sql, each of which answers to its own name with
    ``WHERE (model_name IS NULL OR model_name = '<name>')``. A model is defined there once;
    its texts (label, explanation, example) are in contentroi/i18n/attribution.py, and
    tests/test_markov.py checks the SQL produces exactly these names."""
    names = re.findall(r"model_name\s*=\s*'([a-z][a-z0-9_]*)'", sql_text)
    if not names or len(set(names)) != len(names):
        raise RuntimeError(f"22_fct_attribution.sql: model branches unreadable or repeated: {names}")
    return tuple(names)


from .paths import QUERIES_DIR  # noqa: E402

MODELS = _models_of((QUERIES_DIR / "models" / "22_fct_attribution.sql").read_text(encoding="utf-8"))
DEFAULT_MODEL = "first_touch"
from .limits import (  # noqa: E402  (defined once)
    DATE_MAX, DATE_MIN, DEFAULT_WINDOW, WINDOW_MAX, WINDOW_MIN, date_in_range)

TOTAL_FIELDS = (
    "reads", "joins", "contacted", "paid", "paid_without_contact", "revenue",
    "unattributed_revenue", "cost", "roi", "join_rate", "contact_rate", "pay_rate",
    "overall_rate",
)
ARTICLE_FIELDS = (
    "article_id", "title", "channel", "author", "published_at", "reads", "joins",
    "contacted", "paid", "paid_without_contact", "revenue", "cost", "roi",
    "cost_per_paid", "median_days_to_pay", "join_rate", "contact_rate", "pay_rate",
    "overall_rate",
)


@dataclass(frozen=True)
class Params:
    """The filters of a view (CONTRACT §2). Hashable: a cache key."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    channels: tuple[str, ...] = ()
    window_days: int = DEFAULT_WINDOW
    model: str = DEFAULT_MODEL

    def __post_init__(self) -> None:
        if self.model not in MODELS:
            raise ValueError(f"model must be one of {', '.join(MODELS)}")
        if not (WINDOW_MIN <= int(self.window_days) <= WINDOW_MAX):
            raise ValueError(f"window must be {WINDOW_MIN} to {WINDOW_MAX} days")
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError("the period starts after it ends")

    def bind(self) -> dict[str, Any]:
        """The SQL parameters: $date_from, $date_to, $channels, $window_days, $model."""
        return {
            "date_from": self.date_from,
            "date_to": self.date_to,
            "channels": list(self.channels),
            "window_days": int(self.window_days),
            "model": self.model,
        }

    def with_(self, **changes: Any) -> "Params":
        return replace(self, **changes)

    def previous(self) -> "Params | None":
        """The period of equal length just before this one (None without a full period)."""
        if not (self.date_from and self.date_to):
            return None
        days = (self.date_to - self.date_from).days + 1
        return replace(
            self,
            date_from=self.date_from - dt.timedelta(days=days),
            date_to=self.date_from - dt.timedelta(days=1),
        )

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["date_from"] = self.date_from.isoformat() if self.date_from else None
        d["date_to"] = self.date_to.isoformat() if self.date_to else None
        d["channels"] = list(self.channels)
        return d


def _cur(src: Store | duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    return src.cursor() if isinstance(src, Store) else src


def query(src: Store | duckdb.DuckDBPyConnection, name: str, params: Params, **extra: Any) -> pd.DataFrame:
    """Run a report query with the view's filters (and any extra parameters)."""
    return sql.run(_cur(src), name, **params.bind(), **extra)


def channel_names(rows: pd.DataFrame | list[dict[str, Any]], lang: str) -> dict[str, str]:
    """Channel code -> its display name in ``lang`` ('en' / 'zh') from the rows of
    queries/channel_names.sql (the store's channel_names, edited on the Data page).
    Channels without a name are left out: they show their code."""
    col = "name_zh" if lang == "zh" else "name_en"
    recs = rows if isinstance(rows, list) else rows.to_dict(orient="records")
    return {r["channel"]: r[col].strip() for r in recs if isinstance(r.get(col), str) and r[col].strip()}


def articles(src, params: Params) -> pd.DataFrame:
    return query(src, "report_articles", params)


def channels(src, params: Params) -> pd.DataFrame:
    return query(src, "report_channels", params)


def totals(src, params: Params) -> dict[str, Any]:
    return records(query(src, "report_totals", params))[0]


def by_model(long: Any, keys: list[str], value: str = "revenue") -> pd.DataFrame:
    """A long result (one row per key and ``model``; an Arrow table, as
    :func:`query_arrow` gives it, or a DataFrame) as one row per key with a
    ``rev_<model>`` column per model of MODELS (0 where the model credits nothing),
    ranked by the default model's column, then the first key.

    The long rows stay in Arrow: only the one row per key becomes Python objects
    (at the large world, 100k long rows -> 20k articles).
    A model name the SQL produced that MODELS does not list is an error, never a
    silently dropped column."""
    import numpy as np
    import pyarrow as pa

    if not isinstance(long, pa.Table):
        long = pa.Table.from_pandas(long, preserve_index=False)
    model = long.column("model").combine_chunks().dictionary_encode()  # null: nothing credited
    mnames = model.dictionary.to_pylist()
    unknown = set(mnames) - set(MODELS)
    if unknown:
        raise ValueError(f"the SQL produced unknown models {sorted(unknown)}")
    key = long.column(keys[0]).combine_chunks().dictionary_encode()  # codes in order of appearance
    codes = key.indices.to_numpy(zero_copy_only=False)
    first = np.zeros(len(key.dictionary), dtype=np.int64)
    first[codes[::-1]] = np.arange(len(codes))[::-1]  # each key's first row
    base = long.select(keys).take(pa.array(first)).to_pandas()
    lookup = np.array([MODELS.index(m) for m in mnames] + [-1])
    col = lookup[model.indices.fill_null(-1).to_numpy(zero_copy_only=False)]  # -1 -> the appended -1
    has = col >= 0
    vals = np.zeros((len(first), len(MODELS)))
    vals[codes[has], col[has]] = long.column(value).to_numpy()[has]
    for i, m in enumerate(MODELS):
        base[f"rev_{m}"] = vals[:, i]
    first_col = f"rev_{DEFAULT_MODEL}"
    return base.sort_values([first_col, keys[0]], ascending=[False, True], kind="stable").reset_index(drop=True)


def query_arrow(src: Store | duckdb.DuckDBPyConnection, name: str, params: Params, **extra: Any) -> Any:
    """:func:`query` as an Arrow table (for long results that :func:`by_model` folds)."""
    return sql.run_arrow(_cur(src), name, **params.bind(), **extra)


ARTICLE_KEYS = ["article_id", "title", "channel", "payments"]
CHANNEL_KEYS = ["channel", "articles", "payments"]


def attribution_frames(long: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    """queries/attribution_by_model.sql's long result (Arrow) as (by channel, by
    article), each with rev_<model> columns (:func:`by_model`)."""
    import pyarrow.compute as pc

    lv = long.column("level")
    return (by_model(long.filter(pc.equal(lv, "channel")), CHANNEL_KEYS),
            by_model(long.filter(pc.equal(lv, "article")), ARTICLE_KEYS))


def attribution_articles(src, params: Params, top: int | None = None) -> pd.DataFrame:
    """Revenue of each selected article under every model (rev_<model> columns); ``top``:
    only the ``top`` articles with the most under ``params.model`` (ties by article_id)."""
    return attribution_frames(query_arrow(src, "attribution_by_model", params, top=top))[1]


def attribution_channels(src, params: Params) -> pd.DataFrame:
    """Revenue of each channel under every model (rev_<model> columns)."""
    return attribution_frames(query_arrow(src, "attribution_by_model", params, top=0))[0]


# queries/sales_figures.sql's levels and each level's columns, in the query's order
SALES_COLUMNS = {
    "total": ["users_handled", "contacted", "median_response_hours", "paid", "pay_rate", "payments",
              "gross_revenue", "refunds", "revenue"],
    "rep": ["rep", "users_handled", "contacted", "contacts", "median_response_hours", "paid", "pay_rate",
            "pay_rate_lo", "pay_rate_hi", "payments", "gross_revenue", "refunds", "revenue"],
    "week": ["rep", "week", "contacted", "paid", "revenue"],
}


def sales_split(long: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """queries/sales_figures.sql's long result as its three tables: 'total' (one row),
    'rep' and 'week', each with its columns (:data:`SALES_COLUMNS`) and in the query's
    order. New frames: a caller may add columns. An integer column the long form made
    nullable (NULL on the other levels) is plain int64 again where its level has no NULL,
    as a query of that level alone gives it."""
    out = {}
    for lv, cols in SALES_COLUMNS.items():
        f = long.loc[long["level"] == lv, cols].reset_index(drop=True)
        for c in cols:
            if str(f[c].dtype) == "Int64" and not f[c].isna().any():
                f[c] = f[c].astype("int64")
        out[lv] = f
    return out


def sales_figures(src, params: Params) -> dict[str, pd.DataFrame]:
    """The Sales page's figures for the view: {'total', 'rep', 'week'} (:func:`sales_split`)."""
    return sales_split(query(src, "sales_figures", params))


def clean_value(v: Any) -> Any:
    """NaN/NaT/NA -> None; numpy scalars -> Python; timestamps -> ISO text."""
    import pandas as pd

    if v is None:
        return None
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime().isoformat(sep=" ")
    if isinstance(v, (dt.datetime, dt.date)):
        return v.isoformat(sep=" ") if isinstance(v, dt.datetime) else v.isoformat()
    if hasattr(v, "item"):
        v = v.item()
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


def clean_record(rec: dict[str, Any]) -> dict[str, Any]:
    return {k: clean_value(v) for k, v in rec.items()}


def _clean_column(col: pd.Series) -> list[Any]:
    """clean_value of every value of a column, by its dtype (the same values, but
    without a Python call per value for numbers and timestamps)."""
    import numpy as np
    import pandas as pd

    dtype = col.dtype
    if isinstance(dtype, np.dtype):
        if dtype.kind == "f":
            return [None if v != v else v for v in col.tolist()]
        if dtype.kind in "iub":
            return col.tolist()
        if dtype.kind == "M":
            return _iso_times(col.to_numpy())
    # text columns: str and None are already clean
    return [v if v is None or type(v) is str else clean_value(v) for v in col.tolist()]


def _iso_times(vals: Any) -> list[str | None]:
    """``datetime.isoformat(sep=" ")`` of naive datetime64 values (NaT: None), formatted
    by numpy: whole seconds as 'YYYY-MM-DD HH:MM:SS', others through the datetime (with
    their microseconds), as isoformat writes them. (Iterating a column of Timestamps cost
    ~0.1 s per 10k rows: the digest's articles at the 3x world.)"""
    import numpy as np
    import pandas as pd

    nat = np.isnat(vals)
    whole = vals.astype("datetime64[s]")
    out: list[str | None] = [None if n else t.replace("T", " ", 1) for t, n in
                             zip(np.datetime_as_string(whole, unit="s").tolist(), nat.tolist())]
    for i in np.flatnonzero((vals != whole) & ~nat).tolist():
        out[i] = pd.Timestamp(vals[i]).to_pydatetime().isoformat(sep=" ")
    return out


def records(df: pd.DataFrame) -> list[dict[str, Any]]:
    cols = list(df.columns)
    if not cols or df.columns.has_duplicates:
        return [clean_record(r) for r in df.to_dict(orient="records")]
    values = [_clean_column(df[c]) for c in cols]
    return [dict(zip(cols, row)) for row in zip(*values)]


@dataclass
class Report:
    params: Params
    totals: dict[str, Any]
    channels: pd.DataFrame
    articles: pd.DataFrame
    ingest: dict[str, Any] = field(default_factory=dict)

    def to_json_obj(self) -> dict[str, Any]:
        return {
            "params": self.params.as_dict(),
            "totals": {k: self.totals.get(k) for k in TOTAL_FIELDS},
            "channels": [
                {"channel": r["channel"], **{k: r.get(k) for k in TOTAL_FIELDS}}
                for r in records(self.channels)
            ],
            "articles": [{k: r.get(k) for k in ARTICLE_FIELDS} for r in records(self.articles)],
            "ingest": self.ingest,
        }


def report(src: Store | duckdb.DuckDBPyConnection, params: Params) -> Report:
    cur = _cur(src)
    return Report(
        params=params,
        totals=totals(cur, params),
        channels=channels(cur, params),
        articles=articles(cur, params),
    )
