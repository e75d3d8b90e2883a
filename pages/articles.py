"""/articles — the article leaderboard and, with ?article=ID, one article's detail."""
import pandas as pd
import streamlit as st

from contentroi import fmt, i18n, limits, metrics
from contentroi import st_app as ui
from contentroi.charts import articles as charts
from contentroi.viewstate import SORTABLE

view = ui.start_page("articles", "ar_caption")
params = view.params
t = ui.t
MIN_N = limits.MIN_N  # a rate over fewer than this many is "too few to judge"
DENOM = {r: metrics.denominator(r) for r in metrics.RATES}  # each rate's denominator column
SHOWN = ["title", "channel", "revenue", "roi", "paid", "overall_rate_ci", "sample", "joins",
         "contacted", "contact_rate_ci", "pay_rate_ci", "paid_without_contact", "reads",
         "join_rate_ci", "revenue_per_1k_reads", "cost", "cost_note", "cost_per_paid", "median_days_to_pay",
         "author", "published_at", "article_id"]


def label(col: str) -> str:
    return t(f"m_{col}") if f"m_{col}" in i18n.TEXT else t(f"c_{col}")


def ci_text(rate, lo, hi) -> str:
    if pd.isna(rate):
        return fmt.NULL
    return f"{fmt.pct(rate)} ({100 * lo:.1f}–{fmt.pct(hi)})"


def ci_texts(rate: pd.Series, lo: pd.Series, hi: pd.Series) -> list[str]:
    """ci_text of every row (20,000 on a large store: kept to plain float formatting)."""
    nul = fmt.NULL
    return [nul if r is None or r != r else
            f"{100 * r:.1f}% ({100 * lo_:.1f}–{nul if hi_ is None or hi_ != hi_ else f'{100 * hi_:.1f}%'})"
            for r, lo_, hi_ in zip(rate.tolist(), lo.tolist(), hi.tolist())]


PAGE_SIZE = limits.PAGE_ROWS  # rows of the leaderboard sent to the browser at a time


def on_sort() -> None:
    key, direction = st.session_state["ar_sort"], st.session_state.get("ar_dir") or "desc"
    ui.set_view(sort=("-" if direction == "desc" else "") + key, page=1)


# the words board_page writes into rows, in the page's language: fixed now, as the CSV
# download calls board_page on another thread, outside this run (no session, no language)
WORDS = {k: t(k) for k in ("small_sample", "cost_unknown", "cost_free")}


def board_page(hit, offset: int, limit: int) -> pd.DataFrame:
    """Rows [offset, offset + limit) of the found articles in the view's order, with the
    display columns (sorted and cut in SQL: queries/article_board.sql)."""
    key = view.sort.lstrip("-")
    rows = ui.q_on("article_board", {"hit": hit}, sort_key=key, sort_desc=view.sort.startswith("-"),
                   denom=DENOM.get(key), min_n=MIN_N, limit=limit, offset=offset)
    mark = WORDS["small_sample"]
    rows["sample"] = [mark if s else "" for s in rows.pop("small").tolist()]
    for r in DENOM:
        rows[f"{r}_ci"] = ci_texts(rows[r], rows[f"{r}_lo"], rows[f"{r}_hi"])
    # "free" (cost 0) and "unknown" (blank) told apart next to the cost
    rows["cost_note"] = [WORDS["cost_unknown"] if c is None or c != c else (WORDS["cost_free"] if c == 0 else "")
                         for c in rows["cost"].tolist()]
    return rows


def pager(page: int, pages: int) -> None:
    st.session_state["ar_page"] = page
    p1, p2, p3 = st.columns([1, 1.4, 1], vertical_alignment="bottom")
    p1.button(t("ar_prev"), icon=":material/chevron_left:", key="ar_prev", disabled=page <= 1,
              on_click=ui.set_view, kwargs={"page": page - 1}, width="stretch")
    p2.number_input(t("ar_page", pages=ui.count(pages)), min_value=1, max_value=pages, step=1,
                    key="ar_page", on_change=lambda: ui.set_view(page=int(st.session_state["ar_page"] or 1)))
    p3.button(t("ar_next"), icon=":material/chevron_right:", key="ar_next", disabled=page >= pages,
              on_click=ui.set_view, kwargs={"page": page + 1}, width="stretch")


def leaderboard(board) -> None:
    hit = board if not view.q else ui.q_on("article_search", {"board": board}, arrow=True, q=view.q)
    n, total = hit.num_rows, board.num_rows
    # the tiles follow the search (without one: the totals of every article shown)
    tot = ui.totals(params) if not view.q else ui.q_on("article_board_totals", {"hit": hit}, params).iloc[0]
    k = st.columns(4)
    ui.kpi(k[0], t("m_articles"), ui.count(tot["articles"]))
    ui.kpi(k[1], t("m_revenue"), fmt.money_short(tot["revenue"]), help=t(f"model_{params.model}"))
    ui.kpi(k[2], t("m_paid"), ui.count(tot["paid"]), help=t("ar_distinct_help"))
    ui.kpi(k[3], t("m_revenue_per_1k_reads"), ui.money(tot["revenue_per_1k_reads"]))
    ui.numbers_first()

    c1, c2, c3 = st.columns([3, 2, 1.4], vertical_alignment="bottom")
    st.session_state["ar_q"] = view.q
    c1.text_input(t("ar_search"), key="ar_q", placeholder=t("ar_search_ph"), icon=":material/search:",
                  on_change=lambda: ui.set_view(q=st.session_state["ar_q"].strip(), page=1))
    st.session_state["ar_sort"] = view.sort.lstrip("-")
    st.session_state["ar_dir"] = "desc" if view.sort.startswith("-") else "asc"
    c2.selectbox(t("ar_sort_by"), SORTABLE, key="ar_sort", format_func=label, on_change=on_sort)
    c3.segmented_control(t("ar_order"), ["desc", "asc"], key="ar_dir", on_change=on_sort,
                         format_func=lambda d: t(f"ar_{d}"))

    if n == 0:
        st.caption(t("ar_shown", n=0, total=ui.count(total)))
        st.info(t("ar_no_match", q=ui.md(view.q)), icon=":material/search_off:")
        return
    pages = -(-n // PAGE_SIZE)
    page = min(view.page, pages)
    first = (page - 1) * PAGE_SIZE
    rows = board_page(hit, first, PAGE_SIZE)
    key = view.sort.lstrip("-")
    note = t("ar_small_note_rate", metric=label(key), n=MIN_N) if key in DENOM else t(
        "ar_small_note", n=MIN_N)
    span = dict(first=ui.count(first + 1), last=ui.count(first + len(rows)), n=ui.count(n))
    shown = t("ar_rows_of", total=ui.count(total), **span) if view.q else t("ar_rows", **span)
    st.caption(shown + " · " + note)
    tab_list, tab_map = st.tabs([t("ar_tab_table"), t("ar_tab_map")])
    with tab_list:
        labels = {f"{r}_ci": t("ar_ci_label", metric=label(r)) for r in DENOM}
        labels |= {f"{r}_{b}": t(f"ar_ci_{b}", metric=label(r)) for r in DENOM for b in ("lo", "hi")}
        labels |= {"sample": t("ar_c_sample"), "small_sample": t("ar_c_small_sample", n=MIN_N)}
        # a row's box or any of its cells opens the article (people click the title)
        event = ui.table(rows, "articles", labels=labels, column_order=SHOWN, key=ui.pick_key("ar", "table"),
                         on_select="rerun", selection_mode=["single-row", "single-cell"], height=560,
                         placeholder=fmt.NULL, all_rows=lambda: board_page(hit, 0, n))
        if pages > 1:
            pager(page, pages)
        st.caption(t("ar_click_row"))
    with tab_map:
        st.caption(t("ar_map_caption") + (" " + t("ar_map_page") if pages > 1 else ""))
        titles = {c: label(c) for c in ("joins", "revenue", "paid", "channel", "title", "overall_rate")}
        map_event = ui.chart(charts.article_map(rows, titles, ui.channel_names()), key=ui.pick_key("ar", "map"),
                          on_select="rerun", selection_mode=charts.PICK, width="stretch")
    i = ui.selected_row(event)
    chosen = rows.iloc[i]["article_id"] if i is not None else None
    points = (map_event or {}).get("selection", {}).get(charts.PICK) if map_event else None
    if points and points[0].get("article_id"):
        chosen = points[0]["article_id"]
    if chosen:
        ui.picked("ar")  # the list shown again (Back) starts without a selection
        ui.set_view(article=str(chosen), extra=())  # a new article: all its users (no `stage`)
        st.rerun()


STEP_KEYS = ("joins", "contacted", "paid", "paid_without_contact")
STEP_RATE = {"contacted": "contact_rate", "paid": "overall_rate"}  # the step's share of joins
STAGES = ("paid", "paid_without_contact", "contacted_open", "joined_open", "contacted_dropped",
          "joined_dropped")


def detail(row: pd.Series) -> None:
    aid = row["article_id"]
    st.button(t("ar_back"), icon=":material/arrow_back:", key="ar_back",
              on_click=ui.set_view, kwargs={"article": None, "extra": ()})
    st.subheader(ui.md(row["title"]), anchor=False)
    author = ui.md(row["author"]) if pd.notna(row["author"]) else fmt.NULL
    st.caption(" · ".join([ui.md(aid), ui.md(ui.channel_label(row["channel"])), author,
                           t("ar_published", date=f"{row['published_at']:%Y-%m-%d %H:%M}"),
                           t("ar_reads", n=ui.count(row["reads"])), t("ar_cost", c=ui.money(row["cost"]))]))
    k = st.columns([1, 1, 1.7, 1, 1.2])  # the revenue tile: ¥23,622.00 whole at 1400 px (was cut)
    ui.kpi(k[0], t("m_joins"), ui.count(row["joins"]))
    ui.kpi(k[1], t("m_paid"), ui.count(row["paid"]))
    ui.kpi(k[2], t("m_revenue"), fmt.money_short(row["revenue"]),
           help=f"{ui.money(row['revenue'])} · {t(f'model_{params.model}')}")
    ui.kpi(k[3], t("m_roi"), ui.ratio(row["roi"]), help=t("null_help"))
    ui.kpi(k[4], t("m_median_days_to_pay"), ui.days(row["median_days_to_pay"]))

    s = ui.q("article_summary", params, article_id=aid).iloc[0]
    users = ui.q("article_users", params, article_id=aid)
    c1, c2 = st.columns([3, 2], gap="large")
    with c1, st.container(border=True):
        st.markdown(f"**{t('ar_funnel')}**")
        steps = pd.DataFrame({
            "step": [label(x) for x in STEP_KEYS], "users": [int(s[x]) for x in STEP_KEYS],
            "order": range(4),
            "share": [fmt.pct(row[STEP_RATE[x]]) if x in STEP_RATE else "" for x in STEP_KEYS]})
        steps["label"] = [f"{ui.count(u)} · {sh}" if sh else ui.count(u)
                          for u, sh in zip(steps["users"], steps["share"])]
        st.altair_chart(charts.funnel(steps, {"users": t("ar_users"), "step": t("ar_step"),
                                              "share": t("ar_share_of_joins")}), width="stretch")
        rates = " · ".join(f"{label(r)} {ci_text(row[r], row[f'{r}_lo'], row[f'{r}_hi'])}"
                           for r in ("contact_rate", "pay_rate", "overall_rate"))
        st.caption(rates + " — " + t("ar_ci_note"))
    with c2, st.container(border=True):
        st.markdown(f"**{t('ar_where_now')}**")
        m1, m2 = st.columns(2)
        m1.metric(t("ar_open"), ui.count(s["open_users"]), help=t("ar_open_help"))
        m2.metric(t("ar_dropped"), ui.count(s["dropped_users"]), help=t("ar_dropped_help"))
        out = pd.DataFrame({"key": ["paid", "paid_without_contact", "open", "dropped"],
                            "users": [int(s["paid"]), int(s["paid_without_contact"]),
                                      int(s["open_users"]), int(s["dropped_users"])]})
        out["label"] = [t(f"ar_out_{x}") for x in out["key"]]
        out["order"] = range(4)
        st.altair_chart(charts.outcome(out, {"stage": t("ar_c_stage"), "users": t("ar_users")}),
                        width="stretch")
        st.caption(t("ar_now_caption", now=f"{s['now_at']:%Y-%m-%d %H:%M}", w=params.window_days,
                     contacted=ui.count(s["open_contacted"])))

    c3, c4 = st.columns(2, gap="large")
    with c3, st.container(border=True):
        st.markdown(f"**{t('ar_timeline')}**")
        tl = ui.q("article_timeline", params, article_id=aid)
        if tl.empty:
            st.caption(t("ar_no_events"))
        else:
            order = {"joins": 0, "contacts": 1, "payments": 2}
            tl["order"] = tl["step"].map(order)
            tl["step"] = [t(f"ar_tl_{x}") for x in tl["step"]]
            st.altair_chart(charts.timeline(tl, {
                "day": t("ar_day"), "cumulative": t("ar_cumulative"), "users": t("ar_that_day"),
                "step": t("ar_step")}), width="stretch")
            st.caption(t("ar_timeline_caption"))
    with c4, st.container(border=True):
        st.markdown(f"**{t('ar_days_to_pay')}**")
        paid = users[users["stage"] == "paid"]
        if paid.empty:
            st.caption(t("ar_no_paid"))
        else:
            st.altair_chart(charts.days_to_pay(paid[["days_to_pay"]], row["median_days_to_pay"], {
                "days": t("ar_days"), "users": t("ar_users"),
                "median": t("ar_median_d", d=fmt.days(row["median_days_to_pay"]))}), width="stretch")
            st.caption(t("ar_days_caption"))

    st.markdown(f"#### {t('ar_users_title')}")
    stages = ["all"] + [x for x in STAGES if x in set(users["stage"])]
    pick = st.segmented_control(t("ar_c_stage"), stages, key="ar_stage",
                                format_func=lambda x: t("ar_all") if x == "all" else t(f"ar_stage_{x}"),
                                on_change=ui.url_choice("stage", "ar_stage", stages, "all"))
    shown = users if pick in (None, "all") else users[users["stage"] == pick]
    shown = shown.drop(columns=["in_window"]).assign(
        stage=lambda d: [t(f"ar_stage_{x}") for x in d["stage"]])
    ui.table(shown, f"article-{aid}-users", labels={c: t(f"ar_c_{c}") for c in shown.columns},
             placeholder=fmt.NULL)


if not ui.require_data(params):
    ui.stop()
with ui.guard():
    if not view.article and not view.q:  # the list and its tiles (report_totals) at once
        ui.prefetch(lambda: ui.rows("article_rows", params), lambda: ui.totals(params))
    board = ui.rows("article_rows", params)
    one = ui.q_on("article_row", {"board": board}, article_id=view.article) if view.article else None
    if one is not None and not one.empty:
        detail(one.iloc[0])
    else:
        if view.article:
            st.warning(t("notice_unknown_article", value=ui.md(view.article)), icon=":material/link_off:")
        leaderboard(board)

ui.end_page()
