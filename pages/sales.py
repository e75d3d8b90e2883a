"""/sales — per-rep funnel: users handled, contacted, response time, contact -> paid, revenue."""
import pandas as pd
import streamlit as st

from contentroi import fmt
from contentroi import st_app as ui
from contentroi.charts import sales as charts
from contentroi.charts.notes import with_notes

view = ui.start_page("sales", "sa_caption")
params = view.params
t = ui.t
SHOWN = ["rep", "users_handled", "contacted", "contacts", "median_response_hours", "paid",
         "pay_rate_ci", "payments", "gross_revenue", "refunds", "revenue"]
TREND = ("revenue", "contacted", "paid")


def rep_name(x) -> str:
    return t("sa_unassigned") if pd.isna(x) else str(x)


def hours(x) -> str:
    return fmt.NULL if pd.isna(x) else t("sa_hours", h=f"{float(x):,.1f}")


def ci_text(rate, lo, hi) -> str:
    return fmt.NULL if pd.isna(rate) else f"{fmt.pct(rate)} ({100 * lo:.1f}–{fmt.pct(hi)})"


def kpis() -> None:
    tot = ui.sales(params)["total"].iloc[0]
    k = st.columns(3) + st.columns(3)  # two rows: a money figure and these labels need the width
    ui.kpi(k[0], t("sa_c_users_handled"), ui.count(tot["users_handled"]), help=t("sa_def_handled"))
    ui.kpi(k[1], t("sa_c_contacted"), ui.count(tot["contacted"]), help=t("sa_def_contacted"))
    ui.kpi(k[2], t("sa_kpi_response"), hours(tot["median_response_hours"]),
           help=t("sa_def_response_total"))
    ui.kpi(k[3], t("sa_c_pay_rate"), ui.pct(tot["pay_rate"]), help=t("sa_def_paid_total"))
    ui.kpi(k[4], t("sa_c_revenue"), fmt.money_short(tot["revenue"]),
           help=t("sa_kpi_revenue_help", net=ui.money(tot["revenue"]), refunds=ui.money(tot["refunds"]),
                  gross=ui.money(tot["gross_revenue"])) + " " + t("sa_def_revenue_total"))
    ov = ui.totals(params)  # the Overview's figures of the same names-but-other-scope
    st.caption(":material/info: " + t("sa_scope_note", w=params.window_days, contacted=ui.count(ov["contacted"]),
                                      revenue=ui.money(ov["revenue"]), model=t(f"model_{params.model}")))
    ui.numbers_first()


def charts_row(reps: pd.DataFrame, order: list[str]) -> None:
    c1, c2 = st.columns(2, gap="large")
    with c1, st.container(border=True):
        st.markdown(f"**{t('sa_funnel_title')}**")
        steps = ("users_handled", "contacted", "paid")
        fun = reps.melt(id_vars=["rep"], value_vars=list(steps), var_name="key", value_name="users")
        fun["order"] = fun["key"].map({k: i for i, k in enumerate(steps)})
        fun["step"] = [t(f"sa_c_{k}") for k in fun["key"]]
        ui.chart(charts.rep_funnel(fun, {"users": t("sa_users"), "rep": t("sa_c_rep"),
                                         "step": t("sa_step")}, order), width="stretch")
    with c2, st.container(border=True):
        st.markdown(f"**{t('sa_revenue_title')}**")
        rev = reps.melt(id_vars=["rep"], value_vars=["revenue", "refunds"], var_name="key",
                        value_name="amount")
        rev["order"] = (rev["key"] == "refunds").astype(int)
        rev["part"] = [t(f"sa_part_{k}") for k in rev["key"]]
        ui.chart(charts.rep_revenue(rev, {"amount": t("sa_amount"), "rep": t("sa_c_rep"),
                                          "part": t("sa_part")}, order), width="stretch")
        st.caption(t("sa_revenue_caption"))


@st.fragment
def trend(order: list[str]) -> None:
    """The weekly trend per rep (its metric selector reruns only this part)."""
    with ui.guard():
        st.markdown(f"#### {t('sa_trend_title')}")
        wk = ui.sales(params)["week"]
        metric = st.segmented_control(t("sa_trend_metric"), TREND, key="sa_trend",
                                      format_func=lambda m: t(f"sa_c_{m}"),
                                      on_change=ui.url_choice("trend", "sa_trend", TREND, TREND[0])) or TREND[0]
        if wk.empty:
            st.caption(t("sa_no_weeks"))
            return
        wk["rep"] = wk["rep"].map(rep_name)
        # weeks without any event of a rep are zeros, not gaps
        dense = (wk.pivot_table(index="week", columns="rep", values=metric, aggfunc="sum", fill_value=0)
                 .reset_index().melt(id_vars=["week"], var_name="rep", value_name=metric))
        dense["rep_order"] = dense["rep"].map({r: i for i, r in enumerate(order)})
        weeks = pd.to_datetime(dense["week"])
        notes = ui.notes(weeks.min().date(), (weeks.max() + pd.Timedelta(days=6)).date(), params.channels,
                         week=True)
        ui.chart(with_notes(charts.weekly(dense, metric, {
            "week": t("sa_week"), "value": t(f"sa_c_{metric}"), "rep": t("sa_c_rep")},
            [r for r in order if r in set(dense["rep"])], money=(metric == "revenue")), notes, x="week"),
            width="stretch")
        st.caption(t("sa_trend_caption"))
        with st.expander(t("sa_weekly_table"), icon=":material/table:"):
            ui.table(wk, "sales-weekly", labels={c: t(f"sa_c_{c}") for c in wk.columns} | {
                "week": t("sa_week")}, placeholder=fmt.NULL)


if not ui.require_data(params):
    ui.stop()
with ui.guard():
    # the page's lookups at once (a filter change costs the slowest, not the sum)
    ui.prefetch(lambda: ui.q("sales_figures", params), lambda: ui.totals(params))
    kpis()
    reps = ui.sales(params)["rep"]
    if reps.empty:
        st.info(t("sa_empty"), icon=":material/support_agent:")
        ui.stop()
    reps["rep"] = reps["rep"].map(rep_name)
    reps["pay_rate_ci"] = [ci_text(*x) for x in zip(reps["pay_rate"], reps["pay_rate_lo"],
                                                     reps["pay_rate_hi"])]
    order = reps["rep"].tolist()
    charts_row(reps, order)
    st.markdown(f"#### {t('sa_table_title')}")
    ui.table(reps, "sales-reps", labels={c: t(f"sa_c_{c}") for c in reps.columns},
             column_order=SHOWN, placeholder=fmt.NULL, widths={"rep": "medium"})  # （未记录销售） whole
    st.caption(t("sa_table_caption"))
    trend(order)
    with st.expander(t("sa_defs_title"), icon=":material/help:", expanded=False):
        st.markdown(t("sa_defs"))

ui.end_page()
