"""/attribution — revenue by channel and by article under every model, side by side, and the
data-driven (markov) model's removal effects and transition map."""
import pandas as pd
import streamlit as st

from contentroi import fmt
from contentroi import st_app as ui
from contentroi.charts import attribution as charts
from contentroi.limits import MIN_N, PAGE_ROWS  # the small-sample threshold used elsewhere
from contentroi.engine import MODELS
from contentroi.markov import BOOTSTRAP_DRAWS

view = ui.start_page("attribution", "at_caption")
params = view.params
t = ui.t
REV = [f"rev_{m}" for m in MODELS]
LEVELS = ("channel", "article")  # the tables' tabs, in order; the first is open by default


def model_label(m: str) -> str:
    return ("★ " if m == params.model else "") + t(f"model_{m}")


def long(df: pd.DataFrame, group: str) -> pd.DataFrame:
    """Wide rev_<model> columns -> one row per (group, model), for the grouped bars."""
    out = df.melt(id_vars=[group], value_vars=REV, var_name="model", value_name="revenue")
    out["model"] = out["model"].str.removeprefix("rev_")
    out["model_label"] = out["model"].map(model_label)
    out["selected"] = out["model"] == params.model
    return out


def labels() -> dict[str, str]:
    out = {f"rev_{m}": model_label(m) for m in MODELS}
    out.update(payments=t("at_c_payments"), articles=t("m_articles"))
    return out


def explain() -> None:
    st.markdown(f"#### {t('at_how_title')}")
    st.caption(t("at_example"))
    cols = st.columns(len(MODELS))
    for col, m in zip(cols, MODELS):
        with col.container(border=True, height="stretch"):
            head = f"**{t(f'model_{m}')}**"
            if m == params.model:
                head = f"**:orange[★ {t(f'model_{m}')}]**  \n:orange-badge[{t('at_selected')}]"
            st.markdown(head)
            st.markdown(t(f"at_explain_{m}"))
            st.caption(t(f"at_example_{m}"))
    st.caption(t("at_rules"))


def state_label(channel, state: str, names: dict[str, str]) -> str:
    return names.get(channel, channel) if state == "channel" else t(f"at_mk_{state}")


def markov_section() -> None:
    """The data-driven model: removal effects with intervals, the transition map."""
    st.markdown(f"#### {t('at_mk_title')}")
    st.markdown(t("at_mk_intro", w=params.window_days, draws=BOOTSTRAP_DRAWS))
    eff = ui.markov_effects(params.window_days)
    if eff.empty:
        st.info(t("at_mk_empty"))
        return
    eff["small"] = eff["paths"] < MIN_N
    c1, c2 = st.columns(2)
    with c1.container(border=True):
        st.markdown(f"**{t('at_mk_chart_title')}**")
        ui.chart(charts.removal_effects(eff, {
            "removal_effect": t("at_mk_removal_effect_pct"), "channel": t("c_channel"),
            "lo": t("at_mk_lo_pct"), "hi": t("at_mk_hi_pct"), "paths": t("at_mk_paths")},
            names=ui.channel_names()), width="stretch")
    with c2.container(border=True):
        st.markdown(f"**{t('at_mk_heat_title')}**")
        tm = ui.q("markov_transitions", params)
        lab = ui.channel_labels(eff["channel"])  # wechat -> 公众号
        tm["from_label"] = [t("at_mk_start") if f is None or f != f else lab.get(f, f) for f in tm["from_channel"]]
        tm["to_label"] = [state_label(c, s, lab) for c, s in zip(tm["to_channel"], tm["to_state"])]
        chans = [lab[c] for c in eff["channel"]]
        ui.chart(charts.transitions(
            tm[["from_label", "to_label", "probability", "n"]],
            {"from": t("at_mk_from"), "to": t("at_mk_to"), "probability": t("at_mk_probability"),
             "n": t("at_mk_paths")},
            [t("at_mk_start"), *chans], [*chans, t("at_mk_conversion"), t("at_mk_null")]),
            width="stretch")
        st.caption(t("at_mk_heat_caption"))
    mark = t("small_sample")
    shown = pd.DataFrame({
        "channel": eff["channel"],
        "removal_effect_pct": eff["removal_effect"],
        "lo_pct": eff["lo"],
        "hi_pct": eff["hi"],
        "share_pct": eff["share"],
        "paths": eff["paths"],
        "conv_paths": eff["conv_paths"],
        "sample": [mark if x else "" for x in eff["small"]],
    })
    ui.table(shown, "attribution-markov", labels={
        "channel": t("c_channel"), "removal_effect_pct": t("at_mk_removal_effect_pct"),
        "lo_pct": t("at_mk_lo_pct"), "hi_pct": t("at_mk_hi_pct"),
        "share_pct": t("at_mk_share_pct"), "paths": t("at_mk_paths"),
        "conv_paths": t("at_mk_conv_paths"), "sample": t("small_sample")}, placeholder=fmt.NULL)
    if eff["small"].any():
        st.caption(t("at_mk_small_note", n=MIN_N))


if not ui.require_data(params):
    ui.stop()
with ui.guard():
    # the window-dependent lookups at once (a window change costs the slowest)
    # (the tiles' three figures, as report_totals gives them, without its funnel counts)
    # the top articles only when their tab is open (level=article): ranking every article
    # under the model is a quarter of the attribution query at 10x
    n_top = PAGE_ROWS if ui.url_param_choice("level", LEVELS, LEVELS[0]) == "article" else 0
    ui.prefetch(lambda: ui.totals(params, "attribution_totals"), lambda: ui.attribution(params, top=n_top),
                lambda: ui.markov_effects(params.window_days), lambda: ui.q("markov_transitions", params))
    tot = ui.totals(params, "attribution_totals")
    # channels and the top articles from one pass over every model's weights
    ch, top = ui.attribution(params, top=n_top)
    sel = f"rev_{params.model}"

    k = st.columns(3)
    ui.kpi(k[0], t("at_kpi_attributed", model=t(f"model_{params.model}")),
           fmt.money_short(tot["revenue"]),
           help=ui.money(tot["revenue"]) + " · " + t("at_kpi_attributed_help"))
    ui.kpi(k[1], t("m_unattributed_revenue"), fmt.money_short(tot["unattributed_revenue"]),
           help=ui.money(tot["unattributed_revenue"]) + " · " + t("at_unattributed_help"))
    ui.kpi(k[2], t("m_articles"), ui.count(tot["articles"]))
    ui.numbers_first()

    with st.container(border=True):
        st.markdown(f"**{t('at_chart_title')}**")
        ui.chart(charts.by_model(long(ch, "channel"), {
            "revenue": t("m_revenue"), "model": t("f_model"), "channel": t("c_channel")},
            names=ui.channel_names()), width="stretch")
        st.caption(t("at_chart_caption", model=t(f"model_{params.model}")))

    # only the open tab's table is drawn; switching tabs reruns the page and puts the tab in
    # the link (level)
    tab_ch, tab_ar = ui.url_tabs("level", "at_level", {lv: t(f"at_tab_{lv}s") for lv in LEVELS}).values()
    if tab_ch.open:
        with tab_ch:
            ui.table(ch.sort_values([sel, "channel"], ascending=[False, True]), "attribution-channels",
                     labels=labels(), placeholder=fmt.NULL)
    if tab_ar.open:
        with tab_ar:
            # the PAGE_ROWS articles with the most under the selected model (ranked in SQL) go to
            # the browser; the CSV has every article
            ui.table(top.sort_values([sel, "article_id"], ascending=[False, True]), "attribution-articles",
                     labels=labels(), placeholder=fmt.NULL, height=420,
                     column_order=["title", "channel", "payments", *REV, "article_id"],
                     all_rows=lambda: ui.attribution(params)[1].sort_values([sel, "article_id"],
                                                                            ascending=[False, True]))
            if tot["articles"] > len(top):
                st.caption(t("at_articles_top", n=ui.count(len(top)), total=ui.count(tot["articles"]),
                             model=t(f"model_{params.model}")))
            st.caption(t("at_articles_caption"))
    markov_section()
    explain()

ui.end_page()
