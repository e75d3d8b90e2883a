"""Texts of the overview page (/)."""

TEXT = {
    "ov_caption": ("Is the content paying off? Reads → group joins → sales contacts → paid users, "
                   "with attributed revenue, cost and ROI for the articles in view.",
                   "内容投入是否有回报？从阅读 → 入群 → 销售联系 → 付费用户，以及所选文章的归因收入、成本和 ROI。"),
    "ov_scope": ("Articles: {n} · {filters}", "文章数：{n} · {filters}"),
    "ov_compare_caption": ("Changes compare with the previous {days} days ({prev}): the articles "
                           "published then, same channels, window and model.",
                           "变化对比的是之前 {days} 天（{prev}）发布的文章，渠道、窗口和归因模型相同。"),
    "ov_no_period": ("Pick a full period (both From and To) in the sidebar to see the change against "
                     "the previous period of equal length.",
                     "在侧边栏选择完整的时间段（起始日和截止日），即可查看与上一个等长时间段相比的变化。"),
    "ov_help_prev": ("Previous period: {value}.", "上一时间段：{value}。"),
    "ov_help_pp": ("The change is in percentage points.", "变化以百分点表示。"),
    "ov_unattributed": ("Not in these numbers: {value} of unattributed revenue (payments dated "
                        "in the period or its window with no group join in the {w} days before them).",
                        "以上数字不含未归因收入 {value}（时间段及其窗口内、之前 {w} 天内没有入群记录的付费）。"),
    "ov_funnel_title": ("Where people drop off", "用户在哪一步流失"),
    "ov_funnel_caption": ("Each bar is 100% of the step above it: coloured went on to this step, grey "
                          "dropped off. Reads are views (not people); joins, contacted and paid are "
                          "distinct people.",
                          "每根条代表上一步的 100%：彩色为进入本步的部分，灰色为流失。阅读是浏览次数（不是人数）；"
                          "入群、已联系、付费都是去重人数。"),
    "ov_stage_reads": ("Reads · {n}", "阅读 · {n}"),
    "ov_stage_joins": ("Joins · {n}", "入群 · {n}"),
    "ov_stage_contacted": ("Contacted · {n}", "已联系 · {n}"),
    "ov_stage_paid": ("Paid · {n}", "付费 · {n}"),
    "ov_unit_reads": ("views", "浏览次数"),
    "ov_unit_users": ("people (distinct users)", "人（去重用户）"),
    "ov_text_reads": ("views of the articles — not people", "文章浏览次数，不是人数"),
    "ov_text_joins": ("{rate} of reads led to a join", "{rate} 的阅读带来入群"),
    "ov_text_contacted": ("{rate} of joined users were contacted", "{rate} 的入群用户被联系"),
    "ov_text_paid": ("{rate} of contacted users paid", "{rate} 的被联系用户付费"),
    "ov_continued": ("went on", "进入下一步"),
    "ov_dropped": ("dropped off", "流失"),
    "ov_tt_stage": ("Step", "步骤"),
    "ov_tt_unit": ("Counts", "计数单位"),
    "ov_tt_step_rate": ("Rate from the step above", "上一步转化率"),
    "ov_tt_drop": ("Drop-off", "流失率"),
    "ov_drops_title": ("Biggest drops", "降幅最大的环节"),
    "ov_basis_period": ("Articles published {cur} against the {days} days before ({prev}).",
                        "{cur} 发布的文章，对比之前 {days} 天（{prev}）。"),
    "ov_basis_weeks_mature": ("No period selected, so: articles published in the 4 latest complete "
                              "weeks ({cur}) against the 4 weeks before ({prev}). A week is complete "
                              "once its {w}-day conversion window has passed in the data.",
                              "未选择时间段，因此对比：最近 4 个完整周（{cur}）发布的文章 vs 之前 4 周（{prev}）。"
                              "一周的 {w} 天转化窗口在数据中全部结束后才算完整。"),
    "ov_basis_weeks": ("No period selected, so: articles published in the 4 latest complete weeks "
                       "({cur}) against the 4 weeks before ({prev}). Their {w}-day windows have not all "
                       "ended yet, so later stages may still grow.",
                       "未选择时间段，因此对比：最近 4 个完整周（{cur}）发布的文章 vs 之前 4 周（{prev}）。"
                       "其 {w} 天转化窗口尚未全部结束，后续环节可能还会增长。"),
    "ov_basis_none": ("Not enough history to compare: 8 weeks of articles are needed. Pick a period "
                      "in the sidebar.",
                      "历史数据不足，无法对比：需要 8 周的文章数据。请在侧边栏选择时间段。"),
    "ov_drops_rule": ("Per channel and step. Segments with fewer than {n} in a denominator (reads, "
                      "joins or contacted) in either window are left out.",
                      "按渠道和步骤计算。任一时间段中分母（阅读、入群或已联系）少于 {n} 的组合不参与比较。"),
    "ov_drops_empty": ("No step narrowed in any channel large enough to judge.",
                       "在样本量足够的渠道中，没有任何环节的转化率下降。"),
    "ov_drop_head": ("{stage} · {channel}", "{stage} · {channel}"),
    "ov_drop_rates": ("{prev} → {cur}", "{prev} → {cur}"),
    "ov_drop_n_join_rate": ("n = {n_cur} reads now, {n_prev} before · ≈{short} fewer joins than at the "
                            "earlier rate",
                            "n = 本期 {n_cur} 次阅读，上期 {n_prev} 次 · 按上期转化率约少 {short} 人入群"),
    "ov_drop_n_contact_rate": ("n = {n_cur} joined users now, {n_prev} before · ≈{short} fewer "
                               "contacted than at the earlier rate",
                               "n = 本期 {n_cur} 名入群用户，上期 {n_prev} 名 · 按上期转化率约少联系 {short} 人"),
    "ov_drop_n_pay_rate": ("n = {n_cur} contacted users now, {n_prev} before · ≈{short} fewer paid "
                           "than at the earlier rate",
                           "n = 本期 {n_cur} 名被联系用户，上期 {n_prev} 名 · 按上期转化率约少 {short} 人付费"),
    "ov_small_n": ("small sample", "样本较小"),
    "ov_trend_title": ("Weekly trend", "每周趋势"),
    "ov_trend_caption": ("Weeks run Monday to Sunday. A user belongs to the week of their first join "
                         "through a selected article (t0) and counts once, contacted and paid as in "
                         "the funnel, so the weeks add up to the tiles. Reads and cost fall in the "
                         "article's publish week; revenue in the week of the join it is credited to. "
                         "Shaded weeks are still maturing: their users have not had the full {w}-day "
                         "window yet. Overall rate is drawn for weeks with at least {n} users.",
                         "每周从周一到周日。用户归入其通过所选文章首次入群（t0）的那一周，只计一次，联系和付费"
                         "按漏斗口径计算，因此各周相加等于上方指标。阅读和成本按文章发布周计算；收入按其归因的"
                         "入群所在周计算。阴影中的周仍在转化中：这些用户尚未经历完整的 {w} 天窗口。整体转化率只画出用户数不少于 {n} 的周。"),
    "ov_trend_week": ("Week of", "周起始日"),
    "ov_trend_n": ("Users (n)", "用户数（n）"),
    "ov_trend_maturing": ("Still maturing: these users have not had the full conversion window yet",
                          "仍在转化中：这些用户尚未经历完整的转化窗口"),
    "ov_trend_table": ("Weekly numbers", "每周数据"),
    "ov_c_week": ("Week (Mon)", "周（周一）"),
    "ov_c_maturing": ("Maturing", "转化中"),
}
