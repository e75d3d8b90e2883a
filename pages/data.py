"""/data — upload the three logs, map columns, see what the store holds."""
import pandas as pd
import streamlit as st

from contentroi import ingest
from contentroi import st_app as ui

ui.start_page("data", "data_caption")
t = ui.t

tab_up, tab_store, tab_dq = st.tabs([t("data_tab_upload"), t("data_tab_store"), t("data_tab_quality")],
                                 key="data_tab", on_change="rerun")  # a change keeps its tab

# ---- upload -----------------------------------------------------------------
with tab_up, ui.guard():
    st.markdown(t("data_upload_intro"))
    ui.edit_gate(key="edit_pw_upload")
    unlocked = ui.edit_unlocked()  # before any file is received or parsed
    log = st.segmented_control(
        t("data_which_log"), options=list(ingest.LOGS), default="articles", key="up_log",
        format_func=lambda v: t(f"log_{v}"),
    ) or "articles"
    with st.expander(t("data_columns_help", log=t(f"log_{log}")), icon=":material/help:"):
        st.dataframe(pd.DataFrame(ui.column_spec_rows(log)), hide_index=True)
    files = []
    if unlocked:
        files = ui.limit_files(st.file_uploader(
            # no type= filter: the content decides (ingest), and a refused file gets our message in
            # the page's language, not Streamlit's English "… files are not allowed"
            t("data_files"), accept_multiple_files=True,
            key=f"up_files_{log}_{st.session_state.get('up_gen', 0)}", help=t("data_files_help"),
        ))
    else:
        st.info(t("edit_unlock_to_upload"), icon=":material/lock:")
    plans = []
    for f, key in zip(files, ui.upload_keys(files)):
        preview = ui.preview_file(f, log)
        if preview is None:
            continue
        mapping, save = ui.mapping_editor(preview, log, key)
        plans.append((f, mapping, save, preview))
    ready = [p for p in plans if not ui.missing_required(p[1], log)]
    sample_choice = ui.sample_choice() if ready else None  # onto the sample: replace or keep?
    if plans and st.button(t("data_load", n=len(ready)), type="primary",
                           disabled=not ready or sample_choice == "", icon=":material/upload:"):
        if ui.edit_allowed():
            bar = st.progress(0.0, text=t("data_loading"))

            def progress(i, name, frac, msg):
                bar.progress(min(1.0, (i + frac) / len(ready)), text=f"{name}: {ui.load_text(msg)}")
            results = ui.load_uploads([(f, mapping, save) for f, mapping, save, _ in ready], log,
                                      progress, replace_sample=sample_choice == "replace")
            bar.progress(1.0, text=t("data_done"))
            st.session_state["up_results"] = results
            st.session_state["up_gen"] = st.session_state.get("up_gen", 0) + 1
            st.rerun()
    for r in st.session_state.get("up_results", []):
        ui.show_load_result(r)

# ---- what the store holds ---------------------------------------------------
with tab_store, ui.guard():
    summary = ui.q("store_summary")
    cols = st.columns(3)
    for col, row in zip(cols, summary.itertuples()):
        span = (f"{row.first_at:%Y-%m-%d} → {row.last_at:%Y-%m-%d}" if row.rows else t("data_none"))
        col.metric(t(f"data_rows_{row.log}"), f"{int(row.rows or 0):,}", help=span, border=True)  # exact, not 万
        col.caption(span)
    st.subheader(t("data_history"))
    hist = ui.q("upload_history")
    if hist.empty:
        st.caption(t("data_no_uploads"))
    else:
        ui.table(ui.upload_history_shown(hist), "uploads", labels=ui.upload_labels(), all_rows=lambda: hist,
                 exact=True)  # an audit: the rows read and accepted, exactly
    st.subheader(t("data_manage"))
    ui.edit_gate(key="edit_pw_store")
    st.caption(t("data_manage_help", keep=ui.Workspace.KEEP, undos=ui.Workspace.KEEP - 1))
    steps = ui.undo_steps()
    st.caption(t("data_undo_steps", n=steps) if steps else t("data_undo_none"))
    c1, c2, c3 = st.columns(3)
    with ui.popover(c1, t("data_undo"), "undo_pop", icon=":material/undo:", disabled=not ui.can_undo()):
        st.warning(t("data_undo_warn"))
        if st.button(t("data_undo_confirm"), type="primary", key="undo_yes") and ui.edit_allowed():
            ui.undo_last()
            st.session_state.pop("up_results", None)
            st.toast(t("data_undone"))
            ui.close_popover("undo_pop")
            st.rerun()
    with ui.popover(c2, t("data_clear"), "clear_pop", icon=":material/delete_forever:"):
        st.warning(t("data_clear_warn"))
        if st.button(t("data_clear_confirm"), type="primary", key="clear_yes") and ui.edit_allowed():
            ui.clear_store()
            st.session_state.pop("up_results", None)
            st.toast(t("data_cleared"))
            ui.close_popover("clear_pop")
            st.rerun()
    with ui.popover(c3, t("data_reset"), "reset_pop", icon=":material/restart_alt:"):
        st.warning(t("data_reset_warn"))
        if st.button(t("data_reset_confirm"), type="primary", key="reset_yes") and ui.edit_allowed():
            with st.spinner(t("loading_sample")):
                ui.clear_store(reset_to_sample=True)
            st.session_state.pop("up_results", None)
            st.toast(t("data_reset_done"))
            ui.close_popover("reset_pop")
            st.rerun()

    # ---- channel display names (wechat -> 公众号), behind the edit password ----------
    st.subheader(t("data_channel_names"))
    st.caption(t("data_channel_names_help"))
    names = ui.q("channel_names")
    edited = st.data_editor(
        names[["channel", "name_en", "name_zh"]], key="ch_names", hide_index=True, disabled=["channel"],
        placeholder="",  # no name yet: blank, not Streamlit's "None"
        column_config={"channel": st.column_config.TextColumn(t("data_channel_code")),
                       "name_en": st.column_config.TextColumn(t("data_channel_en"), max_chars=80),
                       "name_zh": st.column_config.TextColumn(t("data_channel_zh"), max_chars=80)})
    ui.edit_gate(key="edit_pw_names")
    if st.button(t("data_channel_save"), key="ch_names_save", icon=":material/save:") and ui.edit_allowed():
        ui.save_channel_names([(r.channel, r.name_en, r.name_zh) for r in edited.itertuples()])
        st.toast(t("data_channel_saved"))
        st.rerun()

    if ui.data_mix() == "mixed":
        with st.popover(t("data_remove_sample"), icon=":material/science:"):
            st.warning(t("data_remove_sample_warn"))
            if st.button(t("data_remove_sample_confirm"), type="primary", key="unsample_yes") \
                    and ui.edit_allowed():
                ui.remove_sample()
                st.session_state.pop("up_results", None)
                st.toast(t("data_sample_removed"))
                st.rerun()

# ---- data quality -------------------------------------------------------------
with tab_dq, ui.guard():
    st.markdown(t("dq_intro"))
    dq = ui.q("data_quality")
    for row in dq.itertuples():
        icon = ":material/check_circle:" if row.n == 0 else ":material/warning:"
        with st.container(border=True):
            c1, c2 = st.columns([1, 5])
            c1.metric(t(f"dq_{row.finding}"), ui.count(row.n), label_visibility="collapsed")
            c2.markdown(f"{icon} **{t(f'dq_{row.finding}')}**  \n{t(f'dq_{row.finding}_help')}")
            if row.n:
                c2.caption(t("dq_examples", examples=ui.md(row.examples, 400)))

ui.end_page()
