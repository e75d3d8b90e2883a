"""Annotations: a date or a range marked with a note (a campaign, a price change, a
holiday), for one channel or for all. Stored in the store; drawn on every trend
chart (contentroi/charts/notes.py) and listed in the digest.

Pure Python and SQL, no Streamlit. The note is user text: every output escapes it
(Markdown: fmt.md_escape, HTML: html.escape, CSV: fmt.safe_csv, charts: data, never
markup).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

import pandas as pd

from .targets import (MAX_CHANNEL_LEN, MAX_IMPORT_ROWS, Parsed, RowError, map_headers, read_table,
                      resolve_channel)

KINDS = ("campaign", "price", "holiday", "other")
MAX_NOTE = 200
MAX_SPAN_DAYS = 366
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_DATE_RES = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
)


@dataclass(frozen=True)
class Annotation:
    date_from: dt.date
    date_to: dt.date
    channel: str | None  # None = every channel
    kind: str
    note: str


def parse_date(text: Any) -> dt.date | None:
    if isinstance(text, dt.datetime):
        return text.date()
    if isinstance(text, dt.date):
        return text
    s = str(text or "").strip()
    s = s.split(" ")[0].split("T")[0] if re.match(r"^\d{4}-\d{2}-\d{2}[ T]", s) else s
    for rx in _DATE_RES:
        m = rx.match(s)
        if m:
            try:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                return None
    return None


def clean_note(text: Any) -> str:
    """One line, no control characters, at most MAX_NOTE characters (not escaped:
    escaping is each output's job)."""
    s = _CONTROL_RE.sub("", str(text or "")).replace("\r", " ").replace("\n", " ").replace("\t", " ")
    return s.strip()


def check(a: Annotation) -> tuple[str, str] | None:
    """None when valid, else (column, i18n key of the reason)."""
    if a.date_to < a.date_from:
        return "date_to", "an_err_reversed"
    if (a.date_to - a.date_from).days >= MAX_SPAN_DAYS:
        return "date_to", "an_err_span"
    if a.kind not in KINDS:
        return "kind", "an_err_kind"
    if not a.note:
        return "note", "an_err_note_empty"
    if len(a.note) > MAX_NOTE:
        return "note", "an_err_note_long"
    if a.channel is not None and (not a.channel or len(a.channel) > MAX_CHANNEL_LEN
                                  or _CONTROL_RE.search(a.channel)):
        return "channel", "an_err_channel"
    return None


def add(store: Any, items: Iterable[Annotation]) -> int:
    """Insert annotations in one transaction (each must pass :func:`check`)."""
    items = list(items)
    for a in items:
        if (bad := check(a)) is not None:
            raise ValueError(f"invalid annotation: {bad[0]}: {bad[1]}")
    with store.transaction() as cur:
        for a in items:
            cur.execute(
                "INSERT INTO annotations VALUES (nextval('annotation_seq'), $f, $t, $c, $k, $n, "
                "now()::TIMESTAMP)",
                {"f": a.date_from, "t": a.date_to, "c": a.channel, "k": a.kind, "n": a.note})
        store.bump_data_version(cur)
    return len(items)


def delete(store: Any, ids: Iterable[int]) -> int:
    ids = [int(i) for i in ids]
    if not ids:
        return 0
    with store.transaction() as cur:
        cur.execute("DELETE FROM annotations WHERE list_contains($ids, annotation_id)", {"ids": ids})
        store.bump_data_version(cur)
    return len(ids)


def in_view(df: pd.DataFrame, lo: dt.date | None, hi: dt.date | None,
            channels: Sequence[str] = ()) -> pd.DataFrame:
    """The annotations (annotations_list rows) that overlap [lo, hi] and apply to the
    view's channels: every-channel ones always; a channel's own when no channel is
    selected (the view shows every channel) or when its channel is selected."""
    if df.empty:
        return df.copy()
    f = pd.to_datetime(df["date_from"]).dt.date
    t = pd.to_datetime(df["date_to"]).dt.date
    keep = pd.Series(True, index=df.index)
    if lo is not None:
        keep &= t >= lo
    if hi is not None:
        keep &= f <= hi
    if channels:
        keep &= df["channel"].isna() | df["channel"].isin(list(channels))
    return df[keep].copy()


def label(row: Any, all_label: str, names: Mapping[str, str] | None = None) -> str:
    """``[公众号] Double 11 sale`` (plain text: escaped by the output that shows it); the
    channel by its display name in ``names`` (the store's channel_names), else its code."""
    ch = row["channel"] if isinstance(row, dict) else row.channel
    note = row["note"] if isinstance(row, dict) else row.note
    return f"[{(names or {}).get(ch) or ch if isinstance(ch, str) and ch else all_label}] {note}"


def span_text(row: Any) -> str:
    f = pd.Timestamp(row["date_from"] if isinstance(row, dict) else row.date_from).date()
    t = pd.Timestamp(row["date_to"] if isinstance(row, dict) else row.date_to).date()
    return f.isoformat() if f == t else f"{f.isoformat()} → {t.isoformat()}"


# ---------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------

CSV_COLUMNS = ("date_from", "date_to", "channel", "kind", "note")
_HEADER_ALIASES = {
    "date_from": ("date_from", "from", "date", "start", "开始日期", "日期", "开始"),
    "date_to": ("date_to", "to", "end", "结束日期", "结束"),
    "channel": ("channel", "渠道", "平台"),
    "kind": ("kind", "type", "类型"),
    "note": ("note", "text", "备注", "说明", "注释"),
}
_KIND_ALIASES = {
    "campaign": ("campaign", "活动", "推广"),
    "price": ("price", "price change", "调价", "价格", "价格调整"),
    "holiday": ("holiday", "假期", "节假日", "节日"),
    "other": ("other", "", "其他"),
}
_ALL_ALIASES = ("", "all", "total", "全部", "全渠道", "合计")


def export_frame(df: pd.DataFrame) -> pd.DataFrame:
    if df.empty:
        return pd.DataFrame(columns=list(CSV_COLUMNS))
    return pd.DataFrame({
        "date_from": [pd.Timestamp(x).date().isoformat() for x in df["date_from"]],
        "date_to": [pd.Timestamp(x).date().isoformat() for x in df["date_to"]],
        "channel": [c if isinstance(c, str) else "" for c in df["channel"]],
        "kind": df["kind"].tolist(),
        "note": df["note"].tolist(),
    })


def parse_csv(data: bytes, *, channels: Mapping[str, str]) -> Parsed:
    """Validate an annotations CSV: date_from, date_to (empty: one day), channel (empty:
    all), kind (empty: other), note. Valid rows returned, the others listed. ``channels``
    is targets.channel_lookup's map: a channel written as its code or its display name
    (either language) is stored as its code; any other channel is rejected."""
    out = Parsed()
    try:
        df = read_table(data)
    except Exception as exc:  # noqa: BLE001
        out.refused, out.refused_detail = "tg_err_unreadable", exc.__class__.__name__
        return out
    cols = map_headers(list(df.columns), _HEADER_ALIASES)
    missing = [c for c in ("date_from", "note") if c not in cols]
    if missing:
        out.refused = "tg_err_columns"
        out.refused_detail = ", ".join(missing) + " | " + ", ".join(str(c) for c in df.columns)[:300]
        return out
    if len(df) > MAX_IMPORT_ROWS:
        out.refused, out.refused_detail = "tg_err_too_many", str(MAX_IMPORT_ROWS)
        return out
    kind_of = {a.lower(): k for k, names in _KIND_ALIASES.items() for a in names}
    for i, rec in enumerate(df.to_dict(orient="records")):
        line = i + 2
        raw_from = str(rec[cols["date_from"]]).strip()
        raw_to = str(rec[cols["date_to"]]).strip() if "date_to" in cols else ""
        raw_ch = str(rec[cols["channel"]]).strip() if "channel" in cols else ""
        raw_kind = str(rec[cols["kind"]]).strip() if "kind" in cols else ""
        d0 = parse_date(raw_from)
        if d0 is None:
            out.errors.append(RowError(line, "date_from", "an_err_date", raw_from[:60]))
            continue
        d1 = parse_date(raw_to) if raw_to else d0
        if d1 is None:
            out.errors.append(RowError(line, "date_to", "an_err_date", raw_to[:60]))
            continue
        kind = kind_of.get(raw_kind.lower())
        if kind is None:
            out.errors.append(RowError(line, "kind", "an_err_kind", raw_kind[:60]))
            continue
        raw_note = str(rec[cols["note"]])
        a = Annotation(d0, d1, None if raw_ch.lower() in _ALL_ALIASES else raw_ch, kind,
                       clean_note(raw_note))
        if (bad := check(a)) is not None:
            shown = {"note": raw_note, "channel": raw_ch, "date_to": raw_to, "kind": raw_kind}.get(bad[0], "")
            out.errors.append(RowError(line, bad[0], bad[1], str(shown)[:60]))
            continue
        if a.channel is not None:
            code, why = resolve_channel(a.channel, channels)
            if code is None:
                out.errors.append(RowError(line, "channel", why, raw_ch[:60]))
                continue
            a = Annotation(a.date_from, a.date_to, code, a.kind, a.note)
        out.rows.append(a)
    return out


# ---------------------------------------------------------------------------
# the digest's section (contentroi/digest/render.py calls these)
# ---------------------------------------------------------------------------


def for_period(query: Any, params: Any, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """The annotations overlapping [start, end] for the digest's channels, as records."""
    import duckdb

    from .engine import records

    try:
        df = query("annotations_list", params)
    except duckdb.CatalogException:  # a store of schema v1 opened read-only: no annotations yet
        return []
    return records(in_view(df, start, end, params.channels))


def _line(r: dict[str, Any], lang: str, names: Mapping[str, str] | None = None) -> tuple[str, str, str]:
    from . import i18n

    ch = (names or {}).get(r["channel"]) or r["channel"] or i18n.t("an_all", lang)
    return span_text(r), f"{i18n.t('an_kind_' + r['kind'], lang)} · {ch}", r["note"]


def digest_md(notes: list[dict[str, Any]], lang: str, names: Mapping[str, str] | None = None) -> list[str]:
    """Markdown lines of the digest's annotations section (none: no lines). User text
    (note, channel: by its display name in ``names``) is escaped with fmt.md_escape."""
    from . import fmt, i18n

    if not notes:
        return []
    out = [f"## {i18n.t('an_digest_title', lang)}", ""]
    for r in notes:
        when, what, note = _line(r, lang, names)
        out.append(f"- 📌 {when} · {fmt.md_escape(what)}: {fmt.md_escape(note, MAX_NOTE)}")
    return out + [""]


def digest_html(notes: list[dict[str, Any]], lang: str, names: Mapping[str, str] | None = None) -> list[str]:
    """HTML parts of the digest's annotations section; every text html-escaped."""
    import html

    from . import i18n

    if not notes:
        return []
    items = "".join(f"<li>{html.escape(w)} · {html.escape(k)}: {html.escape(n)}</li>"
                    for w, k, n in (_line(r, lang, names) for r in notes))
    return [f"<h2>{html.escape(i18n.t('an_digest_title', lang))}</h2><ul class=\"how\">{items}</ul>"]
