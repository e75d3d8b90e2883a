"""/digest — the daily / weekly digest (日报 / 周报): one section per name of
``dg.SECTIONS``, in its order (alerts first, then the key numbers, the funnel's changes,
new articles, top and bottom articles, the channel race, the pipeline, the definitions).
The same content as `python -m contentroi digest` (contentroi/digest/), with HTML and
Markdown downloads."""
import streamlit as st

from contentroi import annotations as an
from contentroi import digest as dg
from contentroi import fmt
from contentroi import webhooks
from contentroi import st_app as ui

view = ui.start_page("digest", "dg_caption")
if not ui.require_data():
    ui.stop()
t, lang = ui.t, ui.lang()
params = view.params.with_(date_from=None, date_to=None)  # the period comes from period/date
kind = view.period or "week"
ALERT_BOX = {"error": (st.error, ":material/trending_down:"),
             "warning": (st.warning, ":material/trending_down:"),
             "good": (st.success, ":material/trending_up:")}


def _on_period() -> None:
    ui.set_view(period=st.session_state.get("dg_w_period") or "week")


def _on_date() -> None:
    ui.set_view(date=st.session_state.get("dg_w_date"))


def show(table: dg.Table) -> None:
    st.table(table.escaped(ui.md).frame(), hide_index=True, border="horizontal")  # cells are Markdown


def _alerts() -> None:
    for sev, text in dg.volume_alerts(d, lang):  # volumes, freshness, an empty period
        box, icon = ALERT_BOX[sev]
        box(text, icon=icon)  # no user text: metric and log names, numbers
    for a in d.alerts:
        box, icon = ALERT_BOX[a.severity]
        box(dg.alert_line(a, lang, ui.md, d.channel_names(lang)), icon=icon)
    if summary := dg.alert_summary(d, lang):
        st.success(summary, icon=":material/check_circle:")
    if note := dg.alert_note(d, lang):
        st.caption(note)
    if vnote := dg.volume_note(d, lang):
        st.caption(vnote)
    if d.notes:  # ---- annotations of the period (user text: escaped)
        st.markdown(f"#### {t('an_digest_title')}")
        st.markdown("\n".join(f"- :material/push_pin: {ui.md(an.span_text(r))} · "
                              f"{ui.md(t('an_kind_' + r['kind']) + ' · ' + (d.channel(r['channel'], lang) or t('an_all')))}: "
                              f"{ui.md(r['note'], an.MAX_NOTE)}" for r in d.notes))


def _kpis() -> None:
    tiles = dg.tiles(d, lang)
    for row in (tiles[:4], tiles[4:]):
        for col, x in zip(st.columns(len(row)), row):
            color = "off" if x.direction == "flat" else ("normal" if x.good_when_up else "inverse")
            col.metric(x.label, x.value, delta=x.delta.replace("−", "-") if x.delta else None,
                       delta_color=color, delta_arrow="off" if x.direction == "flat" else "auto",
                       delta_description=t("dg_tile_prev", value=x.prev), border=True, help=x.help)
    if note := dg.unattributed_note(d, lang):
        st.caption(note)
    ui.numbers_first()


def _funnel() -> None:  # chart beside its table
    left, right = st.columns([2, 3], gap="medium")
    if "funnel" in charts:
        ui.chart(charts["funnel"], where=left, width="stretch")
    with right:
        show(dg.funnel_table(d, lang))


def _new() -> None:
    if not d.new_articles:
        st.caption(t("dg_new_none"))
        return
    table, more = dg.new_articles_table(d, lang, dg.PAGE_NEW_LIMIT)  # a page of rows, by revenue
    if table.rows:
        show(table)
    if more:  # the rest: the Articles page, filtered to what was published in the period
        st.caption(t("dg_more", n=fmt.count(more)))
        ui.link_to_page("articles", t("dg_new_all", n=fmt.count(d.n_new)), ":material/article:",
                        view.with_(params=params.with_(date_from=d.period.start, date_to=d.period.end)))


def _articles() -> None:
    ranks = dg.ranking_tables(d, lang)
    for tab, (_head, table, empty) in zip(st.tabs([r[0] for r in ranks]), ranks):
        with tab:
            if table is not None:
                show(table)
            else:
                st.caption(empty)


def _race() -> None:
    if "race" in charts:
        ui.chart(charts["race"], width="content")
        st.caption(t(f"dg_race_legend_{kind}"))
    if d.channels:
        show(dg.race_table(d, lang))
    else:
        st.info(t("dg_race_none"))


def _pipeline() -> None:
    st.markdown(dg.pipeline_summary(d, lang))
    show(dg.pipeline_table(d, lang))


def _how() -> None:
    st.markdown("\n".join(f"- {x}" for x in dg.definitions(d, lang)))


SECTION = {"alerts": _alerts, "kpis": _kpis, "funnel": _funnel, "new": _new, "articles": _articles,
           "race": _race, "pipeline": _pipeline, "how": _how}  # drawn in dg.SECTIONS' order

with ui.guard():
    st.session_state["dg_w_period"] = kind
    st.session_state["dg_w_date"] = view.date or dg.default_date(ui.q, params, kind)
    d = dg.build(ui.q, params, kind, view.date, prefetch=ui.prefetch)

    c1, c2, c3, c4 = st.columns([1.1, 1.1, 1.2, 1.2], vertical_alignment="bottom")
    c1.segmented_control(t("dg_period"), options=list(dg.PERIODS), key="dg_w_period",
                         format_func=lambda k: t(f"dg_period_{k}"), on_change=_on_period)
    c2.date_input(t("dg_date"), key="dg_w_date", format="YYYY-MM-DD", help=t("dg_date_help"),
                  on_change=_on_date)
    c3.download_button(t("dg_download_html"), data=lambda: dg.render_html(d, lang),
                       file_name=dg.file_name(d, "html"), mime="text/html", on_click="ignore",
                       icon=":material/mail:", key="dg_dl_html")
    c4.download_button(t("dg_download_md"), data=lambda: dg.render_md(d, lang),
                       file_name=dg.file_name(d, "md"), mime="text/markdown", on_click="ignore",
                       icon=":material/chat:", key="dg_dl_md")
    if view.params.date_from or view.params.date_to:
        st.caption(":material/info: " + t("dg_sidebar_note"))

    # ---- post to the team's chat (behind the edit password; docs/DIGEST.md) --------------
    try:
        chat = ui.chat_target()
    except webhooks.PostError as exc:  # a bad [digest] section: say so, keep the page
        chat = None
        st.warning(t("chat_failed", error=ui.md(str(exc), 400)), icon=":material/settings_alert:")
    pc1, pc2 = st.columns([1.1, 3.5], vertical_alignment="bottom")
    with pc2:
        ui.edit_gate(key="edit_pw_store")
    if pc1.button(t("chat_post"), icon=":material/send:", key="dg_post", disabled=chat is None,
                  help=t("chat_post_help") if chat else t("chat_not_configured")) and ui.edit_allowed():
        try:
            webhooks.post_digest(chat, d, lang)
            st.success(t("chat_posted", platform=t(f"chat_platform_{chat.platform}")), icon=":material/send:")
        except webhooks.PostError as exc:
            st.error(t("chat_failed", error=ui.md(str(exc), 400)), icon=":material/error:")

    st.subheader(dg.title(d, lang))
    st.caption(dg.subtitle(d, lang, ui.md))
    if reach := dg.reach(d, lang):
        st.caption(reach)
    for _kind, text in dg.status_notes(d, lang):
        st.warning(text, icon=":material/event_busy:")

    charts = dg.charts(d, lang) if not d.store_empty else {}
    for section in dg.sections(d):  # THE order of the Markdown, the HTML and this page
        if section == "how":  # the definitions: folded away
            with st.expander(dg.heading(d, section, lang), icon=":material/help:"):
                _how()
        else:
            st.markdown(f"#### {dg.heading(d, section, lang)}")
            SECTION[section]()

ui.end_page()
