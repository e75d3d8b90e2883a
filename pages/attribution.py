"""/attribution — revenue by channel and by article under all five models, side by side."""
import pandas as pd
import streamlit as st

from contentroi import fmt
from contentroi import st_app as ui
from contentroi.charts import attribution as charts
from contentroi.engine import MODELS

view = ui.start_page("attribution", "at_caption")
params = view.params
t = ui.t
REV = [f"rev_{m}" for m in MODELS]


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


if not ui.require_data(params):
    st.stop()
with ui.guard():
    tot = ui.totals(params)
    ch = ui.q("attribution_channels", params)
    arts = ui.q("attribution_articles", params)
    sel = f"rev_{params.model}"

    k = st.columns(3)
    ui.kpi(k[0], t("at_kpi_attributed", model=t(f"model_{params.model}")),
           fmt.money_short(tot["revenue"]),
           help=ui.money(tot["revenue"]) + " · " + t("at_kpi_attributed_help"))
    ui.kpi(k[1], t("m_unattributed_revenue"), fmt.money_short(tot["unattributed_revenue"]),
           help=ui.money(tot["unattributed_revenue"]) + " · " + t("at_unattributed_help"))
    ui.kpi(k[2], t("m_articles"), ui.count(tot["articles"]))

    with st.container(border=True):
        st.markdown(f"**{t('at_chart_title')}**")
        ui.chart(charts.by_model(long(ch, "channel"), {
            "revenue": t("m_revenue"), "model": t("f_model"), "channel": t("c_channel")}),
            width="stretch")
        st.caption(t("at_chart_caption", model=t(f"model_{params.model}")))

    tab_ch, tab_ar = st.tabs([t("at_tab_channels"), t("at_tab_articles")])
    with tab_ch:
        ui.table(ch.sort_values([sel, "channel"], ascending=[False, True]), "attribution-channels",
                 labels=labels(), placeholder=fmt.NULL)
    with tab_ar:
        top = arts.sort_values([sel, "article_id"], ascending=[False, True])
        ui.table(top, "attribution-articles", labels=labels(), placeholder=fmt.NULL,
                 column_order=["title", "channel", "payments", *REV, "article_id"], height=420)
        st.caption(t("at_articles_caption"))
    explain()
