"""Widgets: tables (labels and formats from the metrics layer, 万 in Chinese), charts, the two
CSV downloads and KPI tiles; the formats pages use (``ui.money``, ``ui.md``, ...)."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, Callable

import pandas as pd
import streamlit as st

from .. import fmt, i18n
from ..engine import Params
from .data import channel_names
from .view import lang, t, view


def column_config(df: pd.DataFrame, labels: dict[str, str] | None,
                  text: dict[str, Callable[[Any], str]]) -> dict[str, Any]:
    """Each column's label and format from the metrics layer (contentroi/metrics.py: a
    registered metric's label and kind; fmt.TABLE_FORMAT: the kind's one format). Rates and
    ROI are shown from display_frame's x 100 values. Other columns by their type.
    ``text``: the table's styled_text (those columns show the Styler's text)."""
    from .. import metrics

    cc: dict[str, Any] = {}
    labels = labels or {}
    lg = lang()
    names = channel_names(lg) if "channel" in df.columns else {}  # wechat -> 公众号
    wan = text  # these columns' text comes from fmt (the table's Styler): 1.23万, 0.0067%
    types = df.dtypes  # (a column's dtype, without taking the column out of the frame)
    for col in df.columns:
        label = labels.get(col) or i18n.TEXT.get(f"m_{col}", i18n.TEXT.get(f"c_{col}", (col, col)))[
            1 if lg == "zh" else 0]
        dtype = types[col]
        kind = metrics.kind_of(str(col)) if pd.api.types.is_numeric_dtype(dtype) else None
        if col in wan:
            cc[col] = st.column_config.NumberColumn(  # no printf: the Styler's text shows
                label, help=t("null_help") if kind in ("rate", "roi") else None)
        elif kind in ("rate", "roi"):
            cc[col] = st.column_config.NumberColumn(label, format=fmt.TABLE_FORMAT[kind], help=t("null_help"))
        elif kind in ("days", "hours"):
            unit = {"days": ("d", "天"), "hours": ("h", "小时")}[kind][1 if lg == "zh" else 0]
            cc[col] = st.column_config.NumberColumn(label, format=f"{fmt.TABLE_FORMAT[kind]} {unit}")
        elif kind in fmt.TABLE_FORMAT:
            cc[col] = st.column_config.NumberColumn(label, format=fmt.TABLE_FORMAT[kind])
        elif col == "channel" and names and not pd.api.types.is_numeric_dtype(dtype):
            # the code stays the value (sorting, selection, CSV); people read its display name
            opts = [c for c in pd.unique(df[col]) if isinstance(c, str)]
            cc[col] = st.column_config.SelectboxColumn(label, options=opts, format_func=lambda c: names.get(c, c))
        elif col == "published_at" or str(col).endswith("_at"):
            cc[col] = st.column_config.DatetimeColumn(label, format="YYYY-MM-DD HH:mm")
        elif pd.api.types.is_datetime64_any_dtype(dtype):  # a day or a week (its Monday): a date
            days = df[col].dropna()                          # (as text it read in epoch milliseconds)
            cc[col] = (st.column_config.DateColumn(label, format="YYYY-MM-DD")
                       if (days == days.dt.normalize()).all() else
                       st.column_config.DatetimeColumn(label, format="YYYY-MM-DD HH:mm"))
        elif pd.api.types.is_bool_dtype(dtype):
            cc[col] = st.column_config.CheckboxColumn(label)
        elif pd.api.types.is_integer_dtype(dtype):
            cc[col] = st.column_config.NumberColumn(label, format="%,d")
        elif pd.api.types.is_float_dtype(dtype):
            cc[col] = st.column_config.NumberColumn(label, format="%,.2f")
        else:
            cc[col] = st.column_config.TextColumn(label)
    return cc


def _number_kinds(df: pd.DataFrame) -> dict[str, str | None]:
    """Each number column's format kind: its metric's (contentroi/metrics.py), else 'count'
    for a column of integers that is not an id."""
    from .. import metrics

    out: dict[str, str | None] = {}
    for c, dtype in df.dtypes.items():
        if not pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype):
            continue
        kind = metrics.kind_of(str(c))
        if kind is None and pd.api.types.is_integer_dtype(dtype) and not re.search(r"(^|_)(id|rank)$", str(c)):
            kind = "count"
        out[str(c)] = kind
    return out


def wan_text(df: pd.DataFrame) -> dict[str, Callable[[Any], str]]:
    """In Chinese: the count and money columns shown in 万 / 亿, each with its cells' text
    function (fmt.table_text); {} in English, when no value reaches 1万, and for a table too
    large for a Styler (it renders every cell's text; such a table keeps its printf formats)."""
    if lang() != "zh" or df.size > 100_000:
        return {}
    kinds = _number_kinds(df)
    tops = {c: df[c].abs().max() for c in kinds}
    maxima = {c: float(v) for c, v in tops.items() if pd.notna(v)}  # (an all-null column: none)
    return fmt.table_text(kinds, maxima, "zh")


def small_rate_text(df: pd.DataFrame) -> dict[str, Callable[[Any], str]]:
    """The rate columns with a value too small for the table's one decimal (below 0.05%,
    which would read 0.0%), each with fmt.pct for its cells (which keeps two significant
    digits); display_frame has multiplied them by 100."""
    if df.size > 100_000:
        return {}
    out: dict[str, Callable[[Any], str]] = {}
    for c, kind in _number_kinds(df).items():
        if kind != "rate":
            continue
        v = df[c].abs()
        if ((v > 0) & (v < 0.0005)).any():
            out[c] = lambda x: fmt.pct(x / 100)
    return out


def styled_text(df: pd.DataFrame, exact: bool = False) -> dict[str, Callable[[Any], str]]:
    """The columns a table shows through its Styler, each with its cells' text function.
    ``exact``: an audit table (row counts of uploads): counts stay exact, never in 万."""
    return {**({} if exact else wan_text(df)), **small_rate_text(df)}


def styled(df: pd.DataFrame, text: dict[str, Callable[[Any], str]]) -> Any:
    """The frame st.dataframe gets: display_frame's, through a Styler when some column
    reads in 万 (wan_text) or holds a rate too small for one decimal (small_rate_text): the
    cell shows the Styler's text, the value (sorting) stays. ``text``: the table's
    styled_text."""
    shown = display_frame(df)
    if not text:
        return shown
    return shown.reset_index(drop=True).style.format(text, na_rep=fmt.NULL)


def display_frame(df: pd.DataFrame) -> pd.DataFrame:
    """The frame a table shows: rate and ROI columns x 100 (their table formats are
    percent numbers), a missing text as "—" (not Streamlit's "None"); the CSV download
    keeps the values as computed."""
    from .. import metrics

    types = df.dtypes
    scaled = [c for c in df.columns if pd.api.types.is_numeric_dtype(types[c])
              and not pd.api.types.is_bool_dtype(types[c]) and metrics.kind_of(str(c)) in fmt.SCALED_KINDS]
    blank = [c for c in df.columns if (pd.api.types.is_object_dtype(types[c]) or pd.api.types.is_string_dtype(types[c]))
             and df[c].isna().any()]
    if not scaled and not blank:
        return df
    out = df.copy(deep=False)
    for c in scaled:
        out[c] = df[c] * 100
    for c in blank:
        out[c] = df[c].astype(object).where(df[c].notna(), fmt.NULL)
    return out


def chart(c: Any, where: Any = None, **kw: Any) -> Any:
    """Draw a chart (in ``where``, a container; default: here): a cached template with
    its data (charts.Spec) or an Altair chart.

    A Spec's frames go to the browser as Arrow, each named by its content hash
    (as st.altair_chart names them), without rebuilding the Altair chart.
    """
    from streamlit import dataframe_util
    from streamlit.util import calc_hash

    from ..charts import Spec

    dg = where if where is not None else st
    if not isinstance(c, Spec):
        return dg.altair_chart(c, **kw)
    blobs = {k: dataframe_util.convert_anything_to_arrow_bytes(df) for k, df in c.datasets.items()}
    names = {k: calc_hash(b) for k, b in blobs.items()}
    spec = c.to_dict(names)
    spec["datasets"] = {names[k]: b for k, b in blobs.items()}
    return dg.vega_lite_chart(spec, **kw)


def pick_key(group: str, widget: str) -> str:
    """The key of a table or chart of ``group`` whose selection opens something (an
    article): new ones after each opening (:func:`picked`), so the list shown again
    afterwards starts without a selection. With fixed keys, a slow server could receive
    the old click again after "Back" and open the same thing once more."""
    return f"{group}_{widget}_{st.session_state.setdefault(f'_pick_gen_{group}', 0)}"


def picked(group: str) -> None:
    """Something was opened from ``group``'s widgets: new keys for them (:func:`pick_key`)."""
    st.session_state[f"_pick_gen_{group}"] = st.session_state.get(f"_pick_gen_{group}", 0) + 1


def selected_row(event: Any) -> int | None:
    """The row a table's selection points at (a selected cell's row, else a selected
    row; selection modes single-cell and single-row), or None."""
    if not event:
        return None
    rows = [c[0] for c in event.selection.get("cells", [])] + list(event.selection.rows)
    return rows[0] if rows else None


def table(df: pd.DataFrame, name: str, labels: dict[str, str] | None = None,
          all_rows: Callable[[], pd.DataFrame] | None = None, exact: bool = False,
          widths: dict[str, str | int] | None = None, **kw: Any) -> Any:
    """A formatted table with its CSV download below it. ``all_rows``: a table that
    shows one page gets the rows of every page in its download (made on click).
    ``exact``: counts exact in every language (an audit: rows read, accepted, ...).
    ``widths``: column -> st.column_config width ("small", "medium", "large" or pixels)
    for a column the grid would size too narrow for its text."""
    text = styled_text(df, exact)  # (once: the Styler's cells and the column formats both need it)
    cc = column_config(df, labels, text)
    for col, w in (widths or {}).items():
        if col in cc:
            cc[col]["width"] = w
    event = st.dataframe(styled(df, text), column_config=cc, hide_index=True, **kw)
    download(df, name, all_rows=all_rows, labels=labels)
    return event


def safe_csv(df: pd.DataFrame) -> bytes:
    return fmt.safe_csv(df)


def download_name(name: str, params: Params | None = None) -> str:
    p = params or view().params
    parts = ["content-roi", name]
    if p.date_from or p.date_to:
        parts.append(f"{p.date_from or 'start'}_{p.date_to or 'end'}")
    if p.channels:
        parts.append("+".join(p.channels))
    parts += [p.model, f"{p.window_days}d"]
    raw = "_".join(str(x) for x in parts)
    return re.sub(r"[^\w.+\-]+", "-", raw)[:150] + ".csv"


def csv_labels(df: pd.DataFrame, labels: dict[str, str] | None = None) -> list[str]:
    """Column headers for people, in the reader's language: the table's labels, else the
    metrics layer's / the column's translated name, else the code."""
    labels = labels or {}
    zh = lang() == "zh"
    out = []
    for c in df.columns:
        pair = i18n.TEXT.get(f"m_{c}") or i18n.TEXT.get(f"c_{c}") or i18n.TEXT.get(f"col_{c}")
        out.append(labels.get(c) or (pair[1 if zh else 0] if pair else str(c)))
    return out


def for_people(df: pd.DataFrame, heads: dict[str, str], names: dict[str, str]) -> pd.DataFrame:
    """A table as people read it, for the CSV with column names: headers as ``heads`` says
    (column -> label; others keep their code), channel codes as their display ``names``;
    every other value as computed."""
    out = df.copy(deep=False)
    if names and "channel" in out.columns:
        out["channel"] = [names.get(c, c) if isinstance(c, str) else c for c in out["channel"]]
    out.columns = [heads.get(str(c), str(c)) for c in out.columns]
    return out


def download(df: pd.DataFrame, name: str, params: Params | None = None,
             all_rows: Callable[[], pd.DataFrame] | None = None, labels: dict[str, str] | None = None) -> None:
    """Two CSV buttons: headers as column codes (stable, for scripts: channels as codes) or
    as the labels people read, in the page's language (channels by their display names).
    Both are UTF-8 with BOM, formulas neutralised, numbers as computed."""
    # The CSV is made when the button is clicked (a callable), not on every rerun:
    # for the 20,000-article leaderboard that is most of a rerun's time. A shallow
    # copy (copy-on-write) keeps what is shown now if the page changes df later.
    shown = df.copy(deep=False)
    rows = all_rows if all_rows else (lambda: shown)
    # the callable runs on another thread, outside this run (no session, no language):
    # its headers and names are fixed now
    heads = dict(zip(map(str, shown.columns), csv_labels(shown, labels)))
    names = channel_names() if "channel" in shown.columns else {}

    def with_labels() -> bytes:
        return safe_csv(for_people(rows(), heads, names))

    # on_click="ignore": a download changes nothing on the page, so it does not rerun it. A
    # rerun would also register new files for both buttons and drop this run's: the other
    # button, clicked while that rerun ran, then fetched a dropped file and nothing came.
    c1, c2, _ = st.columns([1, 1, 2], gap="small")
    c1.download_button(
        t("download_csv"), data=lambda: safe_csv(rows()), file_name=download_name(name, params),
        mime="text/csv", icon=":material/download:", key=f"dl_{name}", help=t("download_csv_codes"),
        on_click="ignore",
    )
    c2.download_button(
        t("download_csv_labels"), data=with_labels, file_name=download_name(name, params).replace(".csv", "_labels.csv"),
        mime="text/csv", icon=":material/translate:", key=f"dl_{name}_labels", help=t("download_csv_labels_help"),
        on_click="ignore",
    )


def kpi(col: Any, label: str, value: str, delta: float | None = None, help: str | None = None,
        inverse: bool = False, points: bool = False) -> None:
    """A KPI tile. ``delta`` is a relative change (+12.0%), or with ``points=True`` a
    change of a rate in percentage points (+1.2 pp)."""
    text = None
    if delta is not None:
        text = fmt.pp(delta) if points else f"{delta:+.1%}"
    col.metric(label, value, delta=text, delta_color="inverse" if inverse else "normal",
               help=help, border=True)


# re-exports pages use
money, count, pct, ratio, days, md = fmt.money, fmt.count, fmt.pct, fmt.ratio, fmt.days, fmt.md_escape


today = dt.date.today


# ---------------------------------------------------------------------------
# pages that change data (Targets: targets and annotations)
# ---------------------------------------------------------------------------


def remember(key: str, value: Any) -> None:
    """Keep a change's result to show until the data changes again (a rerun cut short by
    the next one does not lose it)."""
    from .data import data_version

    st.session_state[key] = (data_version(), value)


def recall(key: str) -> Any:
    """What :func:`remember` kept, while the data is still the version it was kept at."""
    from .data import data_version

    v = st.session_state.get(key)
    return v[1] if v and v[0] == data_version() else None


def write_and_tell(slot: str, write: Callable[[Any], Any], text_key: str, **kw: Any) -> None:
    """Make one change -- ``write(store)`` in one new snapshot -- keep its message
    (``text_key`` with ``kw``) for :func:`told` in ``slot``, and rerun."""
    from .data import workspace

    with workspace().writer() as store:
        write(store)
    remember(slot, (text_key, kw))
    st.rerun()


def told(slot: str) -> None:
    """The message of the last change made by :func:`write_and_tell` in ``slot``, as a
    success box, until the data changes again."""
    if msg := recall(slot):
        st.success(t(msg[0], **msg[1]), icon=":material/check_circle:")


def csv_import_export(prefix: str, name: str, frame: pd.DataFrame, parse: Callable[[bytes], Any],
                      save: Callable[[Any, list], Any]) -> None:
    """An expander to download a table as CSV and import one back: ``parse(bytes)`` gives
    the rows, the row errors and whether the file is refused whole (targets.Parsed);
    ``save(store, rows)`` writes the good rows in one new snapshot, behind the edit password.
    The result (rows imported, each rejected line with its reason) opens the expander until
    the data changes. Texts ``<prefix>_csv_title`` / ``_help`` / ``_import``; widget keys
    ``<prefix>_csv_up`` / ``_go``."""
    from ..targets import errors_frame
    from .access import edit_allowed
    from .data import workspace

    lg = lang()
    done = recall(f"_{prefix}_import")
    with st.expander(t(f"{prefix}_csv_title"), icon=":material/csv:", expanded=done is not None):
        st.caption(t(f"{prefix}_csv_help"))
        download(frame, name)
        # no type= filter: a wrong file is refused by parse, in the page's language (not Streamlit's English)
        up = st.file_uploader(t(f"{prefix}_csv_import"), key=f"{prefix}_csv_up")
        if up is not None and st.button(t("tg_csv_import_go"), key=f"{prefix}_csv_go") and edit_allowed():
            parsed = parse(up.getvalue())
            if parsed.refused:
                st.error(t(parsed.refused, detail=md(parsed.refused_detail, 400)), icon=":material/block:")
            else:
                if parsed.rows:
                    with workspace().writer() as store:
                        save(store, parsed.rows)
                remember(f"_{prefix}_import",
                         (len(parsed.rows), errors_frame(parsed.errors, lambda k, **kw: i18n.t(k, lg, **kw))))
                st.rerun()
        if done is not None:
            n_ok, errs = done
            (st.success if errs.empty else st.warning)(t("tg_csv_done", n=n_ok, bad=len(errs)))
            if not errs.empty:
                st.dataframe(errs, hide_index=True, width="stretch")



def annotations_editor(channels: list[str], notes_df: pd.DataFrame, known: Any) -> None:
    """The annotations section (the Targets page): the list, adding one, deleting some and
    the CSV import / export, behind the edit password. ``notes_df``: annotations_list;
    ``known``: the channels an imported row may name (targets.channel_lookup)."""
    from .. import annotations as an
    from .access import edit_allowed, edit_gate
    from .data import channel_label

    lg = lang()

    def t(key: str, **kw: Any) -> str:  # bound to this run's language (format_funcs run later, too)
        return i18n.t(key, lg, **kw)

    st.divider()
    st.markdown(f"#### {t('an_title')}")
    st.caption(t("an_caption"))
    edit_gate(key="edit_pw_notes")
    if notes_df.empty:
        st.info(t("an_none"), icon=":material/sticky_note_2:")
    else:
        shown = an.export_frame(notes_df)
        shown.insert(0, "id", notes_df["annotation_id"].tolist())
        shown["kind"] = [t(f"an_kind_{k}") for k in shown["kind"]]
        shown["channel"] = [channel_label(c) if c else t("an_all") for c in shown["channel"]]
        st.dataframe(shown, hide_index=True, width="stretch", column_config={
            "id": st.column_config.NumberColumn("#", format="%d"),
            "date_from": t("an_from"), "date_to": t("an_to"), "channel": t("tg_channel"),
            "kind": t("an_kind"), "note": t("an_note")})
    with st.form("an_add", clear_on_submit=True, border=True):
        a1, a2, a3 = st.columns([1.4, 1, 1])
        span = a1.date_input(t("an_dates"), value=(), format="YYYY-MM-DD", help=t("an_dates_help"),
                             key="an_w_dates")
        ach_ = a2.selectbox(t("tg_channel"), [""] + channels, format_func=lambda c: channel_label(c) if c else t("an_all"),
                            key="an_w_ch")
        akind = a3.selectbox(t("an_kind"), list(an.KINDS), format_func=lambda k: t(f"an_kind_{k}"),
                             key="an_w_kind")
        note = st.text_input(t("an_note"), max_chars=an.MAX_NOTE, key="an_w_note")
        if st.form_submit_button(t("an_add"), type="primary", icon=":material/add:") and edit_allowed():
            span = tuple(x for x in (span or ()) if x)
            if not span:
                st.error(t("an_err_date_missing"), icon=":material/rule:")
            else:
                a = an.Annotation(span[0], span[-1], ach_ or None, akind, an.clean_note(note))
                if (bad := an.check(a)) is not None:
                    st.error(t(bad[1]), icon=":material/rule:")
                else:
                    write_and_tell("_an_msg", lambda s: an.add(s, [a]), "an_added")
    told("_an_msg")
    if not notes_df.empty:
        d1, d2 = st.columns([3, 1], vertical_alignment="bottom")
        labels = {int(r.annotation_id): f"#{r.annotation_id} {an.span_text(r)} {an.label(r, t('an_all'), channel_names(lg))}"
                  for r in notes_df.itertuples()}
        pick = d1.multiselect(t("an_delete_pick"), list(labels), format_func=lambda i: labels[i],
                              placeholder=t("an_delete_placeholder"), key="an_w_del",
                              select_all=lg != "zh")  # Streamlit writes "Select all" in English only
        if d2.button(t("an_delete"), icon=":material/delete:", disabled=not pick, key="an_del") \
                and edit_allowed():
            write_and_tell("_an_msg", lambda s: an.delete(s, pick), "an_deleted", n=len(pick))
    csv_import_export("an", "annotations", an.export_frame(notes_df),
                      lambda data: an.parse_csv(data, channels=known), an.add)


def popover(where: Any, label: str, key: str, **kw: Any) -> Any:
    """A popover (in ``where``: a column, ``st``) that a confirmed action inside it can
    close: call ``close_popover(key)`` before ``st.rerun()``. Left to itself the browser
    keeps it open across the rerun, its "Yes" ready to act a second time; a new identity
    makes the next one a new, closed popover."""
    return where.popover(label, key=f"{key}_{st.session_state.get(f'_gen_{key}', 0)}", **kw)


def close_popover(key: str) -> None:
    """Close ``popover(…, key)``: the next run draws a new one."""
    st.session_state[f"_gen_{key}"] = st.session_state.get(f"_gen_{key}", 0) + 1
