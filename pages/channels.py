"""/channels — the channel scorecard, ROI and cost per paid user, the weekly
trend per channel and the ranking race (channels and top articles)."""
import streamlit as st

from contentroi import fmt, limits, metrics, race
from contentroi import st_app as ui
from contentroi.charts import channels as charts
from contentroi.charts import overview as overview_charts
from contentroi.charts.notes import with_notes

view = ui.start_page("channels", "ch_caption")
params = view.params
if not ui.require_data(params):
    ui.stop()
t = ui.t
W = params.window_days
MIN_N = limits.MIN_N
TOP = 10
# the rows the race query returns per level (None: all; the articles' table shows the top)
RACE_TOP = {"channel": None, "article": TOP}
LEVELS = tuple(RACE_TOP)  # the race's tabs, in order; the first is open by default
METRICS = ("revenue", "paid", "joins", "overall_rate")
DEFAULT_METRIC = METRICS[0]  # the trend's and the race's, until one is picked
ORDERS = ("value", "growth")  # the race's order (the first: the default)
KIND = {m: metrics.kind_of(m) for m in METRICS}  # the metrics layer's format kinds
COLS = ["channel", "reads", "joins", "contacted", "paid", "revenue", "cost", "roi",
        "cost_per_paid", "revenue_per_1k_reads", "join_rate", "contact_rate", "pay_rate", "overall_rate"]


def span(a, b) -> str:
    return f"{a:%Y-%m-%d} → {b:%Y-%m-%d}"


@st.fragment
def trend(all_channels: list[str]) -> None:
    """The weekly trend per channel (its metric selector reruns only this part)."""
    with ui.guard():
        st.subheader(t("ch_trend_title"))
        metric = st.segmented_control(t("ch_trend_metric"), options=list(METRICS),
                                      format_func=lambda m: t(f"m_{m}"), key="ch_trend_metric",
                                      on_change=ui.url_choice("trend", "ch_trend_metric", METRICS,
                                                              DEFAULT_METRIC)) or DEFAULT_METRIC
        weekly = ui.q("trend_channels_weekly", params)
        ttips = {"channel": t("c_channel"), "week": t("ov_trend_week"), "n": t("ov_trend_n"),
                 "maturing": t("ov_trend_maturing")}
        notes = ui.notes(*overview_charts.week_span(weekly), params.channels)
        ui.chart(with_notes(charts.channel_trend(weekly, metric, KIND[metric], t(f"m_{metric}"), all_channels,
                                                 ttips, names=ui.channel_names()), notes), width="stretch")
        st.caption(t("ch_trend_caption", w=W))


@st.fragment
def ranking(all_channels: list[str]) -> None:
    """The ranking race (its selectors rerun only this part)."""
    with ui.guard():
        st.subheader(t("ch_race_title"))
        c1, c2 = st.columns([3, 2])
        r_metric = c1.segmented_control(t("ch_race_metric"), options=list(METRICS),
                                        format_func=lambda m: t(f"m_{m}"), key="ch_race_metric",
                                        on_change=ui.url_choice("race", "ch_race_metric", METRICS,
                                                                DEFAULT_METRIC)) or DEFAULT_METRIC
        order = c2.segmented_control(t("ch_race_order"), options=list(ORDERS),
                                     format_func=lambda o: t(f"ch_order_{o}"), key="ch_race_order",
                                     on_change=ui.url_choice("order", "ch_race_order", ORDERS,
                                                             ORDERS[0])) or ORDERS[0]
        cmp = ui.q("overview_compare", params).iloc[0]
        win = race.periods(cmp, r_metric, MIN_N)
        if win is None:
            st.info(t("ch_race_none"), icon=":material/history_toggle_off:")
        else:
            c0, c1_, p0, p1 = (win[k] for k in ("cur_from", "cur_to", "prev_from", "prev_to"))
            st.caption(t(f"ch_race_basis_{cmp['basis']}", cur=span(c0, c1_), prev=span(p0, p1), w=W,
                         days=(c1_ - c0).days + 1))
            labels = {"rank": t("ch_col_rank"), "move": t("ch_col_move"),
                      "growth_rank": t("ch_col_growth_rank"), "growth": t("ch_col_growth"), "n": t("ch_col_n"),
                      race.prev_column(r_metric): t("ch_col_prev", metric=t(f"m_{r_metric}"))}
            blabels = {"prev": t("ch_prev"), "cur": t("ch_cur"), "name": t("c_title"),
                       "channel": t("c_channel"), "period": t("ch_bump_period"), "rank": t("ch_col_rank"),
                       "value": t(f"m_{r_metric}"), "move": t("ch_col_move")}
            # Only the open tab's race runs (the article race is most of the page's work at
            # 10x); switching tabs reruns this fragment and puts the tab in the link (level).
            tabs = ui.url_tabs("level", "ch_race_level", {lv: t(f"ch_tab_{lv}s") for lv in LEVELS})
            for level, tab in tabs.items():
                if not tab.open:
                    continue
                with tab:
                    res = ui.q("channel_race", params, level=level, top=RACE_TOP[level], **win)
                    rows = race.pick(res, order, top=RACE_TOP[level])
                    if rows.empty:
                        st.info(t("ch_race_empty"), icon=":material/leaderboard:")
                        continue
                    rows["move"] = [race.movement(r, p, t("ch_new"), t("ch_out"))
                                    for r, p in zip(rows["rank"], rows["rank_prev"])]
                    ui.table(race.table_frame(rows, r_metric, level, t("ch_new"), t("ch_out"), order),
                             f"race-{level}s-{r_metric}", labels=labels, placeholder=fmt.NULL)
                    top = TOP if level == "article" else max(len(rows), 1)
                    if level == "channel":  # a channel's row is named by the channel
                        rows["title"] = [ui.channel_label(c) for c in rows["channel"]]
                    ui.chart(charts.bump(rows, blabels, all_channels, top, KIND[r_metric],
                                         height=max(200, 30 * min(len(rows), top + 1)),
                                         names=ui.channel_names()), width="stretch")
            st.caption(t("ch_race_rule", n=MIN_N))


with ui.guard():
    # the page's lookups at once (a filter change costs the slowest, not the sum)
    # (the race of the open tab too: its periods come from overview_compare, a few ms)
    race_win = race.periods(ui.q("overview_compare", params).iloc[0],
                            ui.url_param_choice("race", METRICS, DEFAULT_METRIC), MIN_N)
    ui.prefetch(*(lambda n=n: ui.q(n, params) for n in ("report_channels", "trend_channels_weekly",
                                                        "cost_coverage")),
                lambda: ui.totals(params),
                *(lambda lv=lv: ui.q("channel_race", params, level=lv, top=RACE_TOP[lv], **race_win)
                  for lv in ((ui.url_param_choice("level", LEVELS, LEVELS[0]),) if race_win else ())))
    ch = ui.q("report_channels", params)
    names = ch["channel"].tolist()
    all_channels = ui.channel_list()  # colours stay the same whatever the filter
    st.caption(t("ch_scope", n=len(ch), filters=ui.describe_filters(params)))

    # ---- scorecard ---------------------------------------------------------------
    st.subheader(t("ch_table_title"))
    cov = ui.q("cost_coverage", params)
    known = {r.channel: r for r in cov.itertuples() if r.level == "channel"}
    table = ch[COLS].copy()
    table.insert(COLS.index("cost") + 1, "cost_known",
                 [f"{known[c].cost_known}/{known[c].articles}" if c in known else "" for c in table["channel"]])
    ui.table(table, "channels", placeholder=fmt.NULL)
    st.caption(t("ch_table_caption"))
    tot = ui.totals(params)  # channel sums vs the total (distinct users): say why they differ
    differ = [m for m in ("joins", "contacted", "paid") if int(ch[m].sum()) != int(tot[m] or 0)]
    if differ:
        st.caption(":material/functions: " + t(
            "ch_sum_note", parts=", ".join(f"{t('m_' + m)} {fmt.count(ch[m].sum())}" for m in differ),
            totals=", ".join(f"{t('m_' + m)} {fmt.count(tot[m])}" for m in differ)) + t("ch_sum_note_tail"))
    partial = [r for r in known.values() if r.cost_known < r.articles]
    if partial:
        st.caption(":material/info: " + t("cost_partial", n=fmt.count(sum(r.articles - r.cost_known for r in partial)),
                                          total=fmt.count(sum(r.articles for r in known.values())),
                                          names=ui.md(ui.channels_text(r.channel for r in partial))))

    tips = {k: t(f"m_{k}") for k in ("roi", "revenue", "cost", "cost_per_paid", "paid")}
    tips["channel"] = t("c_channel")
    left, right = st.columns(2, gap="large")
    shown = ui.channel_names()  # wechat -> 公众号 (colours stay by code)
    ui.chart(charts.roi_bars(ch, t("ch_roi_title"), tips, names=shown), where=left, width="stretch")
    if ch["roi"].isna().any():
        left.caption(t("ch_not_shown", names=ui.md(ui.channels_text(ch.loc[ch["roi"].isna(), "channel"]))))
    ui.chart(charts.cost_per_paid_bars(ch, t("ch_cpp_title"), tips, all_channels, names=shown), where=right,
             width="stretch")
    if ch["cost_per_paid"].isna().any():
        right.caption(t("ch_not_shown", names=ui.md(ui.channels_text(ch.loc[ch["cost_per_paid"].isna(), "channel"]))))

    # ---- weekly trend per channel, ranking race (fragments: their selectors rerun them alone)
    trend(all_channels)
    ranking(all_channels)

ui.end_page()
