"""/cohorts — revenue of acquisition cohorts: users grouped by the week or month of their first
join, cumulative revenue per user at 7/30/60/90/180 days and the repeat-payment rate, as a
table and curves (definitions: docs/METRICS.md "Cohort revenue")."""
import streamlit as st

from contentroi import cohorts as co
from contentroi import st_app as ui
from contentroi.charts import cohorts as charts

view = ui.start_page("cohorts", "co_caption")
if not ui.require_data():
    ui.stop()
t, lang = ui.t, ui.lang()
params = view.params.with_(date_from=None, date_to=None)  # cohorts come from first joins, not publish dates
grain = view.grain or co.DEFAULT_GRAIN


def _on_grain() -> None:
    ui.set_view(grain=st.session_state.get("co_w_grain") or co.DEFAULT_GRAIN)


def _on_article() -> None:
    ui.set_view(article=st.session_state.get("co_w_article") or None)


with ui.guard():
    ids, names = ui.cohort_choices(params)
    article = view.article
    if article and article not in names:
        st.warning(t("co_unknown_article", value=ui.md(article)), icon=":material/link_off:")
        article = None
    st.session_state["co_w_grain"] = grain
    st.session_state["co_w_article"] = article or ""  # "": all articles (None would show a placeholder)
    c1, c2 = st.columns([1, 3], vertical_alignment="bottom")
    c1.segmented_control(t("co_grain"), options=list(co.GRAINS), key="co_w_grain",
                         format_func=lambda g: t(f"co_grain_{g}"), on_change=_on_grain)
    c2.selectbox(t("co_article"), options=[""] + ids, key="co_w_article", help=t("co_article_help"),
                 format_func=lambda a: names.get(a, a) if a else t("co_article_all"),
                 on_change=_on_article)
    st.caption(":material/info: " + t("co_filter_note"))

    df = ui.q("cohort_revenue", params, grain=grain, article=article)
    if df.empty:
        st.info(t("co_none"), icon=":material/filter_alt_off:")
        ui.stop()
    tot = co.total(df)
    k = st.columns(4)
    ui.kpi(k[0], t("co_kpi_users"), ui.count(tot.get("users")), help=t("co_kpi_users_help"))
    ui.kpi(k[1], t("co_kpi_rev30"), ui.money(tot.get("rev_30")), help=t("co_kpi_rev_help"))
    ui.kpi(k[2], t("co_kpi_rev90"), ui.money(tot.get("rev_90")), help=t("co_kpi_rev_help"))
    ui.kpi(k[3], t("co_kpi_repeat"), ui.pct(tot.get("repeat_rate")), help=t("co_kpi_repeat_help"))
    ui.numbers_first()

    curve = ui.q("cohort_curve", params, grain=grain, article=article)
    st.markdown(f"#### {t('co_curves')}")
    shown = sorted(curve["cohort"].unique())[-co.MAX_CURVES:]
    if len(shown) < curve["cohort"].nunique():
        st.caption(t("co_curves_latest", n=co.MAX_CURVES))
        curve = curve[curve["cohort"].isin(shown)]
    if not curve.empty:
        ui.chart(charts.curves(co.curve_frame(curve, grain, lang),
                               {"days": t("co_axis_days"), "rev": t("co_axis_rev"), "cohort": t("co_c_cohort"),
                                "users": t("co_c_users")}), width="stretch")

    st.markdown(f"#### {t('co_table')}")
    end = ui.q("cohort_data_end", params).iloc[0]["data_end"]
    # the total row's label, the revenue (¥ and 万 / thousands) and the days: the grid sized
    # them to their numbers, which cut "All cohorts old enough", "Revenue so far", "Days observed"
    ui.table(co.table(df, grain, lang), f"cohorts-{grain}", labels=co.labels(lang), placeholder="",
             widths={"cohort": 170, "revenue": 130, "age_days": 120})
    st.caption(t("co_blank_note", end=co.data_end_text(end)))
    st.markdown(t("co_definition"))

ui.end_page()
