"""The Data page's building blocks: an uploaded file inspected once, its column mapping,
the load's result with its rejects, the upload's limits and the sample question."""
from __future__ import annotations

import traceback
from typing import Any

import pandas as pd
import streamlit as st

from .. import i18n
from .data import data_mix, data_version, get_store
from .view import lang, t
from .widgets import count, md, safe_csv


def sample_choice() -> str | None:
    """Before the first upload onto the bundled sample: ask whether the files replace it or
    join it. None when there is nothing to ask; '' until the user has chosen."""
    if data_mix() != "sample":
        return None
    pick = st.radio(t("data_sample_choice"), options=["replace", "keep"], index=None,
                    format_func=lambda v: t(f"data_sample_{v}"), key="up_sample_choice",
                    help=t("data_sample_choice_help"))
    if pick is None:
        st.caption(t("data_sample_choose_first"))
    return pick or ""


def load_text(text: str | None) -> str:
    """A loader message (refusal, reject reason, progress step, note) in the reader's language."""
    from ..loadtext import translate

    return translate(text, lang())


def col_label(name: str) -> str:
    """A log column's name for people: ``article_id`` in English, ``文章ID（article_id）`` in Chinese."""
    if lang() != "zh":
        return str(name)
    zh = i18n.TEXT.get(f"c_{name}", i18n.TEXT.get(f"m_{name}", i18n.TEXT.get(f"col_{name}")))
    return f"{zh[1]}（{name}）" if zh else str(name)


def column_spec_rows(log: str) -> list[dict[str, str]]:
    from .. import ingest

    rows = []
    for spec in ingest.COLUMNS[log]:
        rows.append({
            t("data_col_column"): col_label(spec.name),
            t("data_col_required"): "✓" if spec.required else "",
            t("data_col_type"): t(f"type_{spec.type}") if f"type_{spec.type}" in i18n.TEXT else spec.type,
            t("data_col_aliases"): ", ".join(spec.aliases),
        })
    return rows


def missing_required(mapping: dict[str, str], log: str) -> list[str]:
    from .. import ingest

    return [s.name for s in ingest.COLUMNS[log] if s.required and not mapping.get(s.name)]


def _inspect(f: Any, log: str) -> tuple[Any, str | None]:
    """(preview, None) or (None, error text) for an uploaded file: inspected once per
    upload (keyed by Streamlit's file_id, the log and the data version), not on every
    rerun -- each inspection copies the file to disk and parses its head."""
    from .. import ingest

    file_id = getattr(f, "file_id", None)
    cache = st.session_state.setdefault("_previews", {})
    key = (file_id, log, data_version())
    if file_id is not None and key in cache:
        return cache[key]
    try:
        f.seek(0)
        out = (ingest.inspect_file(f, log, file_name=f.name, store=get_store()), None)
    except ingest.RefusedFile as exc:
        out = (None, said(exc.key, exc.params, exc.message))
    except Exception as exc:  # noqa: BLE001
        traceback.print_exc()
        out = (None, t("data_unreadable", error=md(exc)))
    finally:
        f.seek(0)
    if file_id is not None:
        while len(cache) >= 3 * MAX_UPLOAD_FILES:  # the oldest first: files no longer uploaded
            del cache[next(iter(cache))]
        cache[key] = out
    return out


def preview_file(f: Any, log: str) -> Any:
    """Inspect an uploaded file; show its encoding/delimiter and a sample. None if unreadable."""
    from .. import ingest

    preview, error = _inspect(f, log)
    if preview is None:
        st.error(f"**{md(f.name)}** — {error}", icon=":material/block:")
        return None
    guess = ingest.guess_log(preview.headers)
    if guess and guess != log:
        st.warning(t("data_wrong_log", name=md(f.name), guess=t(f"log_{guess}"), log=t(f"log_{log}")),
                   icon=":material/swap_horiz:")
    return preview


def mapping_editor(preview: Any, log: str, key: str | None = None) -> tuple[dict[str, str], bool]:
    """Show which header became which column; let the user map what is missing."""
    from .. import ingest

    mapping = dict(preview.mapping)
    with st.container(border=True):
        delim = {",": ",", ";": ";", "\t": "Tab"}.get(preview.delimiter or "", preview.delimiter or "-")
        st.markdown(f"**{md(preview.file_name)}**"
                    + (f" · {md(preview.encoding)} · {t('data_delim')} {md(delim)}" if not preview.sheet else "")
                    + (f" · {t('data_sheet')} {md(preview.sheet)}" if preview.sheet else ""))
        if preview.mapping_source == "saved":
            st.caption(t("data_mapping_saved"))
        save = False
        if preview.missing:
            st.warning(t("data_missing_cols", cols=", ".join(col_label(c) for c in preview.missing),
                         headers=md(", ".join(preview.headers), 1000)), icon=":material/rule:")
            options = [""] + list(preview.headers)
            cols = st.columns(max(1, len(preview.missing)))
            for col, name in zip(cols, preview.missing):
                pick = col.selectbox(t("data_map_to", col=col_label(name)), options=options,
                                     format_func=lambda h: h or t("data_map_pick"),  # not Streamlit's English
                                     placeholder=t("data_map_pick"),
                                     key=f"map_{key or preview.file_name}_{name}")
                if pick:
                    mapping[name] = pick
            save = st.checkbox(t("data_save_mapping"), value=True, key=f"save_{key or preview.file_name}")
        rows = [{t("data_col_header"): h,
                 t("data_col_column"): next((col_label(c) for c, hh in mapping.items() if hh == h), t("data_extra"))}
                for h in preview.headers]
        st.dataframe(pd.DataFrame(rows), hide_index=True)
        if preview.sample_rows:
            with st.expander(t("data_sample_rows")):
                st.dataframe(pd.DataFrame(preview.sample_rows), hide_index=True)
        missing = missing_required(mapping, log)
        if missing:
            st.caption(t("data_still_missing", cols=", ".join(col_label(c) for c in missing)))
    return mapping, save


def said(key: str | None, params: dict[str, Any], message: str) -> str:
    """A loader's message in the reader's language (the i18n table's when it has a key), inert."""
    return md(t(key, **params) if key else load_text(message), 1000)


def show_load_result(r: Any) -> None:
    if r.status == "refused":
        st.error(f"**{md(r.file_name)}** — {said(r.message_key, r.message_params, r.message)}",
                 icon=":material/block:")
        return
    with st.container(border=True):
        st.markdown(f"**{md(r.file_name)}** · {t('log_' + r.log)}")
        c = st.columns(4)
        c[0].metric(t("data_accepted"), count(r.accepted))
        c[1].metric(t("data_rejected"), count(r.rejected))
        c[2].metric(t("data_duplicates"), count(r.duplicates))
        c[3].metric(t("data_updated"), count(r.updated))
        if r.rejected:
            from ..loadtext import REJECT_COLUMNS

            cols = ["line", "column", "reason", "value"]
            all_rej = pd.DataFrame([vars(x) for x in r.rejects], columns=cols)
            all_rej["reason"] = [load_text(x) for x in all_rej["reason"]]  # in the reader's language
            all_rej["column"] = [col_label(x) for x in all_rej["column"]]
            all_rej.columns = [REJECT_COLUMNS[c][1 if lang() == "zh" else 0] for c in cols]
            st.dataframe(all_rej.head(200), hide_index=True)
            # the download: the original rows (all their columns) + line, column and reason,
            # so the editor can fix them and upload the file again
            # (made when clicked, outside this run: so the language is fixed now)
            from ..loadtext import translate

            lg = lang()
            labels = {c: col_label(c) for c in {x.column for x in r.rejects}}
            names = tuple(t(f"data_rej_{k}") for k in ("line", "column", "reason"))
            st.download_button(t("data_download_rejects"),
                               data=lambda r=r, lg=lg, labels=labels, names=names: safe_csv(r.rejects_frame(
                                   reason_text=lambda x: translate(x, lg), column_text=labels.get, names=names)),
                               file_name=r.rejects_file_name(), mime="text/csv",
                               help=t("data_download_rejects_help"), on_click="ignore",  # (widgets.download)
                               icon=":material/download:", key=f"rej_{r.upload_id}_{r.file_name}")


def upload_history_shown(hist: pd.DataFrame) -> pd.DataFrame:
    """The upload history as read: the log and the source in the page's language (the
    CSV keeps the codes)."""
    return hist.assign(log=[t(f"log_{v}") for v in hist["log"]],
                       source=[t(f"data_src_{v}") if f"data_src_{v}" in i18n.TEXT else v for v in hist["source"]])


def upload_labels() -> dict[str, str]:
    return {k: t(f"data_h_{k}") for k in (
        "upload_id", "log", "file_name", "uploaded_at", "source", "encoding", "delimiter",
        "sheet", "rows_read", "accepted", "rejected", "duplicates", "updated")}


MAX_UPLOAD_FILES = 10  # files one upload may hold (each is inspected, then loaded)


def upload_keys(files: list[Any]) -> list[str]:
    """A widget key per uploaded file: its name, ``name#2`` for a second file of that name."""
    seen: dict[str, int] = {}
    out = []
    for f in files:
        n = seen[f.name] = seen.get(f.name, 0) + 1
        out.append(f.name if n == 1 else f"{f.name}#{n}")
    return out


def limit_files(files: list[Any] | None) -> list[Any]:
    files = list(files or [])
    if len(files) > MAX_UPLOAD_FILES:
        st.error(t("data_too_many_files", n=MAX_UPLOAD_FILES, m=len(files)), icon=":material/block:")
        return []
    return files
