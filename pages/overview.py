"""/ — the overview: KPI tiles against the previous period, the funnel, the
biggest drops per channel and step, and the weekly trend."""
import streamlit as st

from contentroi import fmt, limits
from contentroi import st_app as ui
from contentroi.charts import STAGE_COLORS
from contentroi.charts import overview as charts
from contentroi.charts.notes import with_notes

view = ui.start_page("overview", "ov_caption")
params = view.params
if not ui.require_data(params):
    ui.stop()
t = ui.t
W = params.window_days
MIN_N = limits.MIN_N


def span(a, b) -> str:
    return f"{a:%Y-%m-%d} → {b:%Y-%m-%d}"


with ui.guard():
    prev_params = params.previous()
    # the page's lookups at once (a filter change costs the slowest, not the sum)
    ui.prefetch(lambda: ui.totals(params), *([lambda: ui.totals(prev_params)] if prev_params else []),
                *(lambda n=n: ui.q(n, params) for n in ("overview_compare", "trend_weekly")))
    cur = ui.totals(params)
    prev = ui.totals(prev_params) if prev_params else None
    st.caption(t("ov_scope", n=fmt.count(cur["articles"]), filters=ui.describe_filters(params)))

    # ---- KPI tiles ------------------------------------------------------------
    money0 = lambda x: fmt.money(x)  # noqa: E731
    tiles = [  # metric, format, help key, delta in points, lower is better
        [("reads", fmt.count, "mh_reads", False, False),
         ("joins", fmt.count, "mh_joins", False, False),
         ("contacted", fmt.count, "mh_contacted", False, False),
         ("paid", fmt.count, "mh_paid", False, False)],
        [("revenue", money0, "mh_revenue", False, False),
         ("cost", money0, "mh_cost", False, True),
         ("roi", fmt.ratio, "mh_roi", True, False),
         ("overall_rate", fmt.pct, "mh_overall_rate", True, False)],
    ]
    for row in tiles:
        cols = st.columns(len(row))
        for col, (m, f, help_key, points, inverse) in zip(cols, row):
            help_text = t(help_key, w=W, model=t(f"model_{params.model}"))
            delta = None
            if prev is not None:
                if points:
                    if cur[m] is not None and prev[m] is not None:
                        delta = cur[m] - prev[m]
                    help_text += " " + t("ov_help_pp")
                else:
                    delta = fmt.delta_pct(cur[m], prev[m])
                help_text += " " + t("ov_help_prev", value=f(prev[m]))
            ui.kpi(col, t(f"m_{m}"), f(cur[m]), delta=delta, help=help_text, inverse=inverse,
                   points=points)
    if prev_params is not None:
        st.caption(t("ov_compare_caption", days=(params.date_to - params.date_from).days + 1,
                     prev=span(prev_params.date_from, prev_params.date_to)))
    else:
        st.caption(":material/info: " + t("ov_no_period"))
    if cur.get("unattributed_revenue"):
        st.caption(t("ov_unattributed", value=fmt.money(cur["unattributed_revenue"]), w=W))
    ui.numbers_first()  # a fresh link: the tiles reach the browser before the charts

    # ---- funnel and biggest drops ----------------------------------------------
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.subheader(t("ov_funnel_title"))
        labels = {f"stage_{s}": t(f"ov_stage_{s}") for s in charts.STAGES}
        labels |= {f"text_{s}": t(f"ov_text_{s}") for s in charts.STAGES}
        labels |= {"unit_reads": t("ov_unit_reads"), "continued": t("ov_continued"),
                   "dropped": t("ov_dropped")}
        labels |= {f"unit_{s}": t("ov_unit_users") for s in ("joins", "contacted", "paid")}
        frame = charts.funnel_frame(cur, labels)
        ui.chart(charts.funnel(frame, {"stage": t("ov_tt_stage"), "unit": t("ov_tt_unit"),
                                       "step_rate": t("ov_tt_step_rate"), "drop_off": t("ov_tt_drop")}),
                 width="stretch")
        st.caption(t("ov_funnel_caption"))

    with right:
        st.subheader(t("ov_drops_title"))
        cmp = ui.q("overview_compare", params).iloc[0]
        if cmp["basis"] == "none":
            st.info(t("ov_basis_none"), icon=":material/history_toggle_off:")
        else:
            c0, c1, p0, p1 = (cmp[k].date() for k in ("cur_from", "cur_to", "prev_from", "prev_to"))
            st.caption(t(f"ov_basis_{cmp['basis']}", cur=span(c0, c1), prev=span(p0, p1), w=W,
                         days=(c1 - c0).days + 1))
            drops = ui.q("overview_drops", params, cur_from=c0, cur_to=c1, prev_from=p0, prev_to=p1,
                         min_n=MIN_N).head(3)
            if drops.empty:
                st.success(t("ov_drops_empty"), icon=":material/check_circle:")
            for d in drops.itertuples():
                with st.container(border=True):
                    st.markdown(f"**{t('ov_drop_head', stage=t(f'm_{d.stage}'), channel=ui.md(ui.channel_label(d.channel)))}**"
                                f" &nbsp; :red[▼ {fmt.pct(-d.change, 0)}]")
                    st.markdown(t("ov_drop_rates", prev=fmt.pct(d.rate_prev, 2), cur=fmt.pct(d.rate_cur, 2)))
                    small = f" · :orange[{t('ov_small_n')}]" if min(d.n_cur, d.n_prev) < 100 else ""
                    st.caption(t(f"ov_drop_n_{d.stage}", n_cur=fmt.count(d.n_cur), n_prev=fmt.count(d.n_prev),
                                 short=fmt.count(d.shortfall)) + small)
            st.caption(t("ov_drops_rule", n=MIN_N))

    # ---- weekly trend -------------------------------------------------------------
    st.subheader(t("ov_trend_title"))
    st.caption(t("ov_trend_caption", w=W, n=MIN_N))
    weekly = ui.q("trend_weekly", params)
    tips = {"week": t("ov_trend_week"), "n": t("ov_trend_n"), "maturing": t("ov_trend_maturing")}
    panels = [("reads", "count", STAGE_COLORS[0], None), ("joins", "count", STAGE_COLORS[1], None),
              ("contacted", "count", STAGE_COLORS[2], None), ("paid", "count", STAGE_COLORS[3], None),
              ("revenue", "money", "#2BA471", None), ("overall_rate", "rate", "#7D5BA6", "joins")]
    notes = ui.notes(*charts.week_span(weekly), params.channels)
    for i in range(0, len(panels), 3):
        cols = st.columns(3)
        for col, (m, kind, color, n_field) in zip(cols, panels[i:i + 3]):
            ui.chart(with_notes(charts.trend_panel(weekly, m, t(f"m_{m}"), kind, color, tips, n_field=n_field,
                                                   min_n=MIN_N), notes), where=col, width="stretch")
    with st.expander(t("ov_trend_table"), icon=":material/table:"):
        weekly["week"] = weekly["week"].dt.strftime("%Y-%m-%d")
        ui.table(weekly, "weekly", labels={"week": t("ov_c_week"), "maturing": t("ov_c_maturing")},
                 placeholder=fmt.NULL)

ui.end_page()
