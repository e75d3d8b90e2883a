"""Texts of the daily / weekly digest (/digest page and the `digest` command)."""

TEXT = {
    # page
    "dg_caption": ("The day's or the week's report: what came in, which articles converted, which "
                   "channel won, and which funnel step suddenly narrowed — against the period before.",
                   "日报 / 周报：新增了什么、哪些文章带来转化、哪个渠道领先，以及漏斗哪一步突然变窄——与上一周期对比。"),
    "dg_period": ("Period", "周期"),
    "dg_period_day": ("Day", "日报"),
    "dg_period_week": ("Week", "周报"),
    "dg_date": ("Period ends on", "截止日期"),
    "dg_date_help": ("A day digest covers this day; a week digest the 7 days ending on it. Empty: the "
                     "last complete period before the latest event in the data.",
                     "日报统计这一天；周报统计截至这一天的 7 天。留空：数据中最新事件之前的最后一个完整周期。"),
    "dg_sidebar_note": ("The publish period chosen on the other pages does not apply here: the digest "
                        "takes its period from the selector above (channels, window and model do apply).",
                        "其他页面选择的发布时间段不适用于本页：日报/周报的周期由上方选择器决定（渠道、转化窗口和归因模型适用）。"),
    "dg_download_html": ("Download HTML (for mail)", "下载 HTML（可邮件发送）"),
    "dg_download_md": ("Download Markdown (for chat)", "下载 Markdown（可发群聊）"),
    # headings
    "dg_title_day": ("Daily digest · {span}", "内容日报 · {span}"),
    "dg_title_week": ("Weekly digest · {span}", "内容周报 · {span}"),
    "dg_subtitle": ("Compared with {prev} · {channels} · window {w} days · {model}",
                    "对比 {prev} · {channels} · 转化窗口 {w} 天 · {model}"),
    "dg_h_alerts": ("Alerts", "预警"),
    "dg_h_kpis": ("Key numbers", "核心指标"),
    "dg_h_funnel": ("Funnel of the period's joins", "本期入群用户的转化漏斗"),
    "dg_h_new": ("New articles ({n})", "新发布文章（{n}）"),
    "dg_h_articles": ("Articles: top and bottom", "文章：最好与最差"),
    "dg_h_race": ("Channel race (by revenue)", "渠道排名（按收入）"),
    "dg_h_pipeline": ("Pipeline: users who may still convert", "待转化：仍可能付费的用户"),
    "dg_h_how": ("How to read this digest", "口径说明"),
    "dg_all_channels": ("All channels", "全部渠道"),
    "dg_cur_day": ("This day", "当日"),
    "dg_prev_day": ("Day before", "前一日"),
    "dg_cur_week": ("This week", "本周"),
    "dg_prev_week": ("Week before", "上周"),
    # status
    "dg_store_empty": ("The store holds no data yet: load the three logs first.",
                       "数据库中还没有数据：请先载入三份日志。"),
    "dg_no_activity": ("No activity in this period: no group joins, no payments and no new articles "
                       "between {span}. The data runs from {first} to {last}.",
                       "本周期内没有任何活动：{span} 期间没有入群、没有付费，也没有新发布文章。数据时间范围为 {first} 至 {last}。"),
    "dg_incomplete": ("The data ends at {last}, before the end of this period: its numbers are not final.",
                      "数据截至 {last}，早于本周期结束时间：数字尚未最终确定。"),
    # alerts
    "dg_stage_contact_rate": ("joined → contacted", "入群 → 联系"),
    "dg_stage_pay_rate": ("contacted → paid", "联系 → 付费"),
    "dg_stage_overall_rate": ("joined → paid", "入群 → 付费"),
    "dg_alert_down": ("{seg}: {stage} fell from {a} to {b} (n={n}, before {n_prev}), {p}",
                      "{seg}：{stage} 从 {a} 降至 {b}（n={n}，上期 {n_prev}），{p}"),
    "dg_alert_up": ("{seg}: {stage} rose from {a} to {b} (n={n}, before {n_prev}), {p}",
                    "{seg}：{stage} 从 {a} 升至 {b}（n={n}，上期 {n_prev}），{p}"),
    "dg_alerts_none": ("No stage rate changed significantly ({k} compared).",
                       "各环节转化率均无显著变化（共比较 {k} 项）。"),
    "dg_alerts_none_tested": ("Too few users to test any change: every rate needs at least {n} users in "
                              "both periods.",
                              "用户太少，无法检验变化：每个转化率在两个周期都至少需要 {n} 个用户。"),
    "dg_alert_rule": ("An alert is a stage rate (joined → contacted, contacted → paid, joined → paid; all "
                      "channels and each channel) whose change is significant in a two-sided two-proportion "
                      "z-test at α = {alpha}, tested only when both periods have n ≥ {n} (n = the rate's "
                      "denominator, this period; \"before\" = the previous period). {k} rates were tested: "
                      "about {chance} could flag by chance alone.",
                      "预警：某环节转化率（入群 → 联系、联系 → 付费、入群 → 付费；全部渠道及各渠道）的变化在双侧双比例 "
                      "z 检验中显著（α = {alpha}），且仅在两个周期的样本量都 n ≥ {n} 时检验（n 为该转化率本期的分母，"
                      "“上期”为上一周期的分母）。本次共检验 {k} 项，其中约 {chance} 项可能纯属偶然。"),
    "dg_alert_note": ("Two-proportion z-test, α = {alpha}, n ≥ {n} in both periods: {k} rates tested, so "
                      "about {chance} false alarms are expected by chance.",
                      "双比例 z 检验，α = {alpha}，两个周期 n ≥ {n}：共检验 {k} 项，约 {chance} 项可能是偶然误报。"),
    "dg_small_n": ("n < {n}: not tested", "n < {n}：不检验"),
    # KPIs
    "dg_kpi_joins": ("Joins in the period", "本期入群"),
    "dg_kpi_contacted": ("Contacted in the period", "本期已联系"),
    "dg_kpi_paid": ("Paid in the period", "本期付费"),
    "dg_kpi_overall_rate": ("Joined → paid", "入群 → 付费"),
    "dg_kpi_revenue": ("Revenue in the period", "本期收入"),
    "dg_kpi_articles": ("New articles", "新发布文章"),
    "dg_kpi_reads": ("Reads of new articles", "新文章阅读"),
    "dg_kpi_cost": ("Cost of new articles", "新文章成本"),
    "dg_kpi_help_joins": ("Distinct users whose first join through an article falls in the period (the "
                          "period's cohort).",
                          "通过某篇文章首次入群时间落在本周期内的去重用户（本期入群用户）。"),
    "dg_kpi_help_contacted": ("Of the cohort: contacted within {w} days of the join and before the period ended.",
                              "本期入群用户中，入群后 {w} 天内且在周期结束前被联系的人数。"),
    "dg_kpi_help_paid": ("Of the cohort: paid after a contact, within {w} days of the join and before the "
                         "period ended.",
                         "本期入群用户中，在联系之后、入群 {w} 天内且在周期结束前付费的人数。"),
    "dg_kpi_help_overall_rate": ("Paid / joins of the cohort.", "本期入群用户的付费人数 / 入群人数。"),
    "dg_kpi_help_revenue": ("Payments dated in the period (net of refunds), credited to articles by the "
                            "{model} model.",
                            "本周期内发生的付费（扣除退款），按“{model}”模型归因到文章。"),
    "dg_kpi_help_articles": ("Articles published in the period.", "本周期内发布的文章数。"),
    "dg_kpi_help_reads": ("Reads of the articles published in the period (as last uploaded).",
                          "本周期内发布的文章的阅读数（以最近一次上传为准）。"),
    "dg_kpi_help_cost": ("Cost of the articles published in the period.", "本周期内发布的文章的成本。"),
    "dg_unattributed": ("Not in revenue: {value} of payments in the period with no group join in the {w} "
                        "days before them (unattributed).",
                        "收入不含：本周期内 {value} 的付费在付费前 {w} 天内没有入群记录（未归因）。"),
    "dg_tile_prev": ("before: {value}", "上期：{value}"),
    "dg_new": ("new", "新"),
    "dg_more": ("… and {n} more.", "……另有 {n} 篇。"),
    "dg_new_all": ("All {n} new articles of the period, on the Articles page",
                   "在「文章」页查看本期全部 {n} 篇新文章"),
    # tables
    "dg_col_metric": ("Metric", "指标"),
    "dg_col_step": ("Step", "环节"),
    "dg_col_change": ("Change", "变化"),
    "dg_col_p": ("Test", "检验"),
    "dg_step_joins": ("Joined (the period's cohort)", "入群（本期入群用户）"),
    "dg_step_contact_rate": ("Joined → contacted", "入群 → 联系"),
    "dg_step_pay_rate": ("Contacted → paid", "联系 → 付费"),
    "dg_step_overall_rate": ("Joined → paid", "入群 → 付费"),
    "dg_col_article": ("Article", "文章"),
    "dg_col_channel": ("Channel", "渠道"),
    "dg_col_published": ("Published", "发布时间"),
    "dg_col_joins": ("Joins", "入群"),
    "dg_col_join_rate": ("Join rate", "入群率"),
    "dg_col_contacted": ("Contacted", "已联系"),
    "dg_col_paid": ("Paid", "付费"),
    "dg_col_revenue": ("Revenue", "收入"),
    "dg_col_cost": ("Cost", "成本"),
    "dg_col_overall": ("Joined → paid", "入群 → 付费"),
    "dg_col_overall_ci": ("Joined → paid (95% CI)", "入群 → 付费（95% 置信区间）"),
    "dg_col_rank": ("Rank", "排名"),
    "dg_col_move": ("Move", "变动"),
    "dg_col_revenue_prev_day": ("Revenue, day before", "前一日收入"),
    "dg_col_revenue_prev_week": ("Revenue, week before", "上周收入"),
    "dg_move_out": ("out", "跌出"),
    "dg_new_none": ("No article was published in this period.", "本周期没有发布新文章。"),
    "dg_race_legend_day": ("Bars: revenue this day · black line: the day before · ▲▼ rank change.",
                           "柱：当日收入 · 黑线：前一日 · ▲▼ 排名变化。"),
    "dg_race_legend_week": ("Bars: revenue this week · black line: the week before · ▲▼ rank change.",
                            "柱：本周收入 · 黑线：上周 · ▲▼ 排名变化。"),
    "dg_race_none": ("No channel had joins or revenue in these two periods.",
                     "这两个周期内没有渠道产生入群或收入。"),
    "dg_rank_top_revenue": ("Top by revenue", "收入最高"),
    "dg_rank_bottom_revenue": ("Bottom by revenue (articles with ≥ {n} joins)", "收入最低（入群 ≥ {n} 的文章）"),
    "dg_rank_top_rate": ("Highest joined → paid (≥ {n} joins)", "入群 → 付费最高（入群 ≥ {n}）"),
    "dg_rank_bottom_rate": ("Lowest joined → paid (≥ {n} joins)", "入群 → 付费最低（入群 ≥ {n}）"),
    "dg_rank_empty_revenue": ("No article was credited revenue in this period.", "本周期没有文章获得归因收入。"),
    "dg_rank_all_above": ("Every article with enough joins to rank is already in the list above.",
                          "入群人数足以排名的文章都已列在上表中。"),
    "dg_rank_empty_n": ("No article reached {n} joins in this period: too few to rank.",
                        "本周期没有文章达到 {n} 个入群用户：样本太少，不做排名。"),
    # pipeline
    "dg_pipeline_summary": ("At {end}, {open} users are still inside their {w}-day window and have not paid "
                            "({from_period} of them joined in this period): {contacted} were contacted and "
                            "have yet to pay; {not_contacted} were never contacted — {soon} of those leave "
                            "their window within {days} days.",
                            "截至 {end}，有 {open} 位用户仍在 {w} 天转化窗口内且尚未付费（其中 {from_period} 位在本周期入群）："
                            "{contacted} 位已联系、尚未付费；{not_contacted} 位从未被联系——其中 {soon} 位将在 {days} 天内离开窗口。"),
    "dg_col_open": ("Open", "待转化"),
    "dg_col_waiting": ("Contacted, not paid", "已联系未付费"),
    "dg_col_not_contacted": ("Not contacted", "未联系"),
    "dg_col_closing": ("Not contacted, window ends ≤ {days} d", "未联系且 {days} 天内到期"),
    "dg_col_from_day": ("Joined this day", "当日入群"),
    "dg_col_from_week": ("Joined this week", "本周入群"),
    # definitions
    "dg_def_cohort": ("The period selects activity, not articles by publish date: its cohort is the users "
                      "whose first join through an article (t0) falls in the period. Joins, contacted, paid "
                      "and the stage rates are of that cohort, measured at the end of its own period, so the "
                      "two periods are compared at the same age.",
                      "本报告按“活动”而不是按文章发布日期选取数据：本期入群用户是通过某篇文章首次入群（t0）落在本周期内的用户。"
                      "入群、已联系、付费和各环节转化率都针对这批用户，并在各自周期结束时统计，因此两个周期在相同时长下比较。"),
    "dg_def_kpis": ("Reads, cost and new articles: the articles published in the period. Revenue: payments "
                    "dated in the period, net of refunds, credited by the {model} model (window {w} days).",
                    "阅读、成本和新文章：本周期内发布的文章。收入：本周期内发生的付费（扣除退款），按“{model}”模型归因"
                    "（转化窗口 {w} 天）。"),
    "dg_def_rank": ("Articles are ranked by rate only with at least {n} joins in the period; the interval is "
                    "the 95% Wilson interval.",
                    "只有本周期入群至少 {n} 人的文章才按转化率排名；区间为 95% Wilson 置信区间。"),
    "dg_def_default": ("Without a date the digest covers the last complete period before the latest event "
                       "in the data ({last}), so the same data always gives the same digest.",
                       "未指定日期时，报告覆盖数据中最新事件（{last}）之前的最后一个完整周期，因此相同数据总是得到相同报告。"),
}
