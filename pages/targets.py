"""/targets — monthly targets decomposed down the funnel at the current rates, the
month's pacing toward the target, setting targets (and a yearly one split into
months), CSV import / export, and annotations. The numbers: contentroi/targets.py."""

import pandas as pd
import streamlit as st

from contentroi import fmt, i18n
from contentroi import st_app as ui
from contentroi import targets as tg
from contentroi.charts import notes as ach
from contentroi.charts import targets as charts

view = ui.start_page("targets", "tg_caption")
if not ui.require_data():
    ui.stop()
lang = ui.lang()


def t(key: str, **kw) -> str:  # bound to this run's language (format_funcs are called later, too)
    return i18n.t(key, lang, **kw)


params = view.params
KIND = {"revenue": "money", "paid": "count", "joins": "count"}


def tv(metric: str, v) -> str:
    return tg.fmt_value(metric, v, lang)


def channel_label(c: str) -> str:
    return ui.channel_label(c) if c else t("tg_total")


with ui.guard():
    channels = ui.channel_list()
    tview, notices = tg.parse_view(dict(view.extra), channels)
    if notices:
        ui.link_notices([t(r, param=ui.md(p), value=ui.md(v)) for p, v, r in notices])
        ui.set_page_params(**tg.clean_extra(tview))
    first_at, last_at = (ui.q("digest_bounds").iloc[0][k] for k in ("first_at", "last_at"))
    targets_df = ui.q("targets_list")
    notes_df = ui.q("annotations_list")
    mv = tg.compute(ui.q, params, tview, last_at, targets_df)
    now_month = tg.month_start(pd.Timestamp(last_at).date())

    # ---- what to look at: month, metric, channel, rate period (all in the URL) ------------
    months = pd.period_range(pd.Timestamp(first_at).to_period("M"),
                             (pd.Timestamp(last_at) + pd.DateOffset(months=12)).to_period("M"), freq="M")
    month_opts = sorted({p.start_time.date() for p in months} | {mv.month})
    st.session_state["tg_w_month"] = mv.month
    st.session_state["tg_w_metric"] = mv.metric
    st.session_state["tg_w_ch"] = mv.channel
    c1, c2, c3 = st.columns([1, 1.6, 1.2], vertical_alignment="bottom")
    c1.selectbox(t("tg_month"), month_opts, key="tg_w_month", format_func=tg.month_text,
                 on_change=lambda: ui.set_page_params(month=tg.month_text(st.session_state["tg_w_month"])))
    c2.segmented_control(t("tg_metric"), list(tg.METRICS), key="tg_w_metric",
                         format_func=lambda m: t(f"m_{m}"),
                         on_change=lambda: ui.set_page_params(
                             metric=(st.session_state.get("tg_w_metric") or "revenue")))
    c3.selectbox(t("tg_channel"), [""] + channels, key="tg_w_ch", format_func=channel_label,
                 on_change=lambda: ui.set_page_params(ch=st.session_state.get("tg_w_ch") or None))

    scope = t("tg_scope", month=tg.month_text(mv.month), metric=t(f"m_{mv.metric}"),
              channel=ui.md(channel_label(mv.channel)))
    st.subheader(scope)

    # ---- the target and its pacing -----------------------------------------------------
    p = mv.paces[mv.metric]
    cols = st.columns(4)
    ui.kpi(cols[0], t("tg_k_target"), tv(mv.metric, mv.target))
    ui.kpi(cols[1], t("tg_k_actual", d=mv.elapsed, n=p.days), tv(mv.metric, p.actual),
           help=t("tg_k_actual_help"))
    proj_help = t("tg_k_proj_help")
    if p.lo is not None:
        proj_help += " " + t("tg_k_interval", lo=tv(mv.metric, p.lo), hi=tv(mv.metric, p.hi))
    ui.kpi(cols[2], t("tg_k_proj"), tv(mv.metric, p.projection), help=proj_help)
    cov = (p.projection / mv.target) if (mv.target and p.projection is not None) else None
    ui.kpi(cols[3], t("tg_k_coverage"), fmt.pct(cov, 0), help=t("tg_k_coverage_help"))
    if p.lo is not None and p.remaining > 0:
        st.caption(t("tg_interval_line", lo=tv(mv.metric, p.lo), hi=tv(mv.metric, p.hi),
                     d=mv.elapsed, r=p.remaining))
    if mv.elapsed == 0:
        st.info(t("tg_future_month"), icon=":material/event_upcoming:")
    elif p.remaining == 0:
        st.caption(":material/event_available: " + t("tg_month_complete"))
    if mv.target is None:
        st.info(t("tg_no_target", scope=scope), icon=":material/flag:")

    frame = tg.pacing_frame(mv.month, mv.daily[mv.metric].tolist(), mv.target, p)
    plabels = {"target": t("tg_s_target"), "actual": t("tg_s_actual"), "projection": t("tg_s_projection"),
               "interval": t("tg_s_interval"), "day": t("tg_s_day"), "value": t(f"m_{mv.metric}")}
    spec = charts.pacing(frame, plabels, KIND[mv.metric])
    notes = ach.notes_frame(notes_df, mv.month, tg.month_end(mv.month), (mv.channel,) if mv.channel else (),
                            t("an_all"), names=ui.channel_names())
    st.markdown(f"#### {t('tg_pacing_title')}")
    ui.chart(ach.with_notes(spec, notes), width="stretch")
    st.caption(t("tg_pacing_caption"))

    # ---- the decomposition down the funnel ---------------------------------------------
    st.markdown(f"#### {t('tg_dec_title')}")
    period_text = f"{mv.rate_from} → {mv.rate_to}" if mv.rate_from else fmt.NULL
    st.caption(t("tg_rates_default" if mv.rate_default else "tg_rates_custom", period=period_text,
                 w=params.window_days, model=t(f"model_{params.model}")))
    if mv.rates_maturing:
        st.caption(":material/hourglass_top: " + t("tg_rates_maturing", w=params.window_days))
    r1c, r2c, r3c = st.columns([1.2, 1, 2], vertical_alignment="bottom")
    if mv.rate_from:
        st.session_state["tg_w_rates"] = (mv.rate_from, mv.rate_to)

    def _on_rates() -> None:
        v = st.session_state.get("tg_w_rates") or ()
        if len(v) == 2 and v[0] and v[1]:
            ui.set_page_params(rfrom=v[0].isoformat(), rto=v[1].isoformat())

    r1c.date_input(t("tg_rate_period"), key="tg_w_rates", format="YYYY-MM-DD", on_change=_on_rates,
                   help=t("tg_rate_period_help"))
    if not mv.rate_default:
        r2c.button(t("tg_rates_reset"), on_click=lambda: ui.set_page_params(rfrom=None, rto=None),
                   icon=":material/restart_alt:")

    if mv.rates is None:
        st.info(t("tg_no_rates"), icon=":material/info:")
    elif mv.target is None:
        st.caption(t("tg_dec_needs_target"))
    else:
        dec = tg.decomposition_table(mv, t, lang)
        st.dataframe(dec, hide_index=True, width="stretch")
        ui.download(dec, "targets_decomposition")
        st.markdown(tg.needs_text(mv, t, lang))
        if (said := tg.limit_text(mv, t)) is not None:
            msg, on_track = said
            if on_track:
                st.success(msg, icon=":material/check_circle:")
            else:
                st.warning(msg, icon=":material/troubleshoot:")
            ui.chart(charts.coverage(tg.coverage_rows(mv, t), {"x": t("tg_c_coverage")}), width="stretch")
        elif mv.elapsed == 0:
            st.caption(t("tg_limit_none"))
        st.caption(t("tg_limit_rule"))

    # ---- setting targets (behind the edit password) -----------------------------------
    st.divider()
    st.markdown(f"#### {t('tg_set_title', month=tg.month_text(mv.month))}")
    ui.edit_gate(key="edit_pw_targets")
    grid, current = tg.grid(targets_df, mv.month, channels, channel_label)
    edited = st.data_editor(
        grid, hide_index=True, key=f"tg_editor_{tg.month_text(mv.month)}", width="stretch",
        disabled=["channel"], placeholder="",  # an empty cell is blank, not Streamlit's "None"
        column_config={
            "channel": st.column_config.TextColumn(t("tg_channel")),
            "revenue": st.column_config.NumberColumn(t("m_revenue"), min_value=0, max_value=tg.MAX_VALUE,
                                                     format="¥%,.2f"),
            "paid": st.column_config.NumberColumn(t("m_paid"), min_value=0, max_value=tg.MAX_VALUE, step=1,
                                                  format="%,d"),
            "joins": st.column_config.NumberColumn(t("m_joins"), min_value=0, max_value=tg.MAX_VALUE, step=1,
                                                   format="%,d"),
        })
    st.caption(t("tg_set_help"))
    if st.button(t("tg_save"), type="primary", icon=":material/save:", key="tg_save") and ui.edit_allowed():
        ch = tg.grid_changes(current, edited.to_dict(orient="records"), channels, mv.month)
        if ch.bad:
            bad = [f"{channel_label(c)} · {t('m_' + m)}: {t(reason, value=v)}" for c, m, reason, v in ch.bad]
            st.error(t("tg_save_bad") + "\n\n" + "\n".join(f"- {ui.md(x)}" for x in bad), icon=":material/block:")
        elif ch.upsert or ch.delete:
            ui.write_and_tell("_tg_msg", lambda s: tg.save(s, ch.upsert, ch.delete), "tg_saved",
                              n=len(ch.upsert), d=len(ch.delete))
        else:
            st.info(t("tg_nothing_changed"))
    ui.told("_tg_msg")

    with st.expander(t("tg_year_title"), icon=":material/calendar_month:"):
        y1, y2, y3 = st.columns(3)
        year = y1.number_input(t("tg_year"), min_value=1900, max_value=2999, value=mv.month.year, step=1,
                               key="tg_y_year")
        ymetric = y2.selectbox(t("tg_metric"), list(tg.METRICS), format_func=lambda m: t(f"m_{m}"),
                               key="tg_y_metric")
        ych = y3.selectbox(t("tg_channel"), [""] + channels, format_func=channel_label, key="tg_y_ch")
        y4, y5 = st.columns([1, 2])
        total = y4.number_input(t("tg_year_total"), min_value=0.0, max_value=tg.MAX_VALUE, value=None,
                                step=1000.0 if ymetric == "revenue" else 10.0, key="tg_y_total")
        profile = y5.radio(t("tg_profile"), list(tg.PROFILES), format_func=lambda x: t(f"tg_profile_{x}"),
                           horizontal=True, key="tg_y_profile")
        weights = None
        if profile == "custom":
            wtext = st.text_input(t("tg_weights"), key="tg_y_weights", help=t("tg_weights_help"),
                                  placeholder="1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1.2, 1.5")
            weights = tg.parse_weights(wtext)
            if wtext and weights is None:
                st.error(t("tg_weights_bad"), icon=":material/rule:")
        if total is not None and (profile != "custom" or weights):
            unit = tg.value_unit(ymetric)
            if tg.check_value(ymetric, float(total)) is not None:
                st.error(t(tg.check_value(ymetric, float(total)), value=total), icon=":material/rule:")
            else:
                split = tg.split_year(float(total), int(year), profile, weights, unit)
                st.dataframe(tg.year_preview(year, ymetric, split, t, lang), width="stretch")
                st.caption(t("tg_year_sum", total=tv(ymetric, sum(split)), channel=ui.md(channel_label(ych))))
                if st.button(t("tg_year_save"), icon=":material/save:", key="tg_y_save") and ui.edit_allowed():
                    ui.write_and_tell("_tg_msg", lambda s: tg.save(s, tg.year_targets(year, ymetric, ych, split)),
                                      "tg_saved", n=12, d=0)

    # an imported channel: its code or its display name in either language, stored as its code
    known = tg.channel_lookup([*channels, *ui.channel_names("en"), *ui.channel_names("zh")],
                              ui.channel_names("en"), ui.channel_names("zh"))
    ui.csv_import_export("tg", "targets", tg.export_frame(targets_df),
                         lambda data: tg.parse_csv(data, channels=known), tg.save)

    # ---- annotations (shown on every time chart) ---------------------------------------
    ui.annotations_editor(channels, notes_df, known)

ui.end_page()
