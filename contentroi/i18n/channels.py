"""Texts of the channels page (/channels)."""

TEXT = {
    "ch_caption": ("Which channels pay back their cost, and which are gaining or losing ground.",
                   "哪些渠道收回了成本，哪些在上升、哪些在下滑。"),
    "ch_scope": ("Channels: {n} · {filters}", "渠道数：{n} · {filters}"),
    "ch_table_title": ("Channel scorecard", "渠道成绩单"),
    "ch_table_caption": ("Joins, contacted and paid count distinct people across a channel's articles "
                         "(someone reached by two of its articles counts once); reads, cost and revenue "
                         "are sums. — means there is nothing to divide by.",
                         "入群、已联系、付费按渠道内文章去重计人（同一人被该渠道两篇文章触达只计一次）；"
                         "阅读、成本、收入为加总。“—”表示分母为 0，无法计算。"),
    "ch_roi_title": ("ROI by channel", "各渠道 ROI"),
    "ch_cpp_title": ("Cost per paid user (lower is better)", "单个付费用户成本（越低越好）"),
    "ch_not_shown": ("Not shown (— ): {names}", "未显示（—）：{names}"),
    "ch_trend_title": ("Weekly trend by channel", "各渠道每周趋势"),
    "ch_trend_metric": ("Metric", "指标"),
    "ch_trend_caption": ("A user belongs to the week of their first join through one of the channel's "
                         "selected articles; reads by publish week; revenue by the week of the join "
                         "it is credited to. Shaded weeks are still maturing (the {w}-day window has "
                         "not passed). Click a legend entry to highlight a channel.",
                         "用户归入其通过该渠道所选文章首次入群的那一周；阅读按发布周；收入按其归因的入群所在周。"
                         "阴影中的周仍在转化中（{w} 天窗口尚未结束）。点击图例可突出显示某个渠道。"),
    "ch_race_title": ("Ranking race", "排名赛跑"),
    "ch_race_metric": ("Rank by", "排名指标"),
    "ch_race_order": ("Order by", "排序方式"),
    "ch_order_value": ("Value", "数值"),
    "ch_order_growth": ("Growth", "增长"),
    "ch_race_basis_period": ("Activity in {cur} against the {days} days before ({prev}).",
                             "{cur} 的活动，对比之前 {days} 天（{prev}）。"),
    "ch_race_basis_weeks_mature": ("No period selected, so: activity in the 4 latest complete weeks "
                                   "({cur}) against the 4 weeks before ({prev}); a week is complete once "
                                   "its {w}-day conversion window has passed in the data.",
                                   "未选择时间段，因此对比：最近 4 个完整周（{cur}）的活动 vs 之前 4 周（{prev}）；"
                                   "一周的 {w} 天转化窗口在数据中全部结束后才算完整。"),
    "ch_race_basis_weeks": ("No period selected, so: activity in the 4 latest complete weeks ({cur}) "
                            "against the 4 weeks before ({prev}). Recent users may still convert.",
                            "未选择时间段，因此对比：最近 4 个完整周（{cur}）的活动 vs 之前 4 周（{prev}）。"
                            "近期用户可能仍在转化。"),
    "ch_race_rule": ("Ranked by activity, not by publish date: users whose first join through the "
                     "channel or article fell in the window, and revenue credited to those joins — an "
                     "older article that still brings people takes part. ▲/▼ = places gained or lost, "
                     "new = not ranked before. Overall rate is ranked only with at least {n} users in "
                     "a window.",
                     "按活动而非发布日期排名：统计首次通过该渠道或文章入群发生在该时间段内的用户，以及归因到这些入群的收入——"
                     "仍在带来用户的旧文章同样参与排名。▲/▼ 表示名次上升/下降，“新上榜”表示上期未上榜。"
                     "整体转化率仅在该时间段用户数不少于 {n} 时参与排名。"),
    "ch_tab_channels": ("Channels", "渠道"),
    "ch_tab_articles": ("Top 10 articles", "文章前 10 名"),
    "ch_col_rank": ("Rank", "名次"),
    "ch_col_move": ("Move", "变化"),
    "ch_col_growth_rank": ("Growth rank", "增长名次"),
    "ch_col_prev": ("{metric}, before", "上期{metric}"),
    "ch_col_growth": ("Growth", "增长"),
    "ch_col_n": ("Users (n)", "用户数（n）"),
    "ch_new": ("new", "新上榜"),
    "ch_out": ("out", "落榜"),
    "ch_prev": ("Before", "上期"),
    "ch_cur": ("Now", "本期"),
    "ch_bump_period": ("Window", "时间段"),
    "ch_race_empty": ("Nothing to rank in this window.", "该时间段内没有可排名的对象。"),
    "ch_race_none": ("Not enough history for a race: 8 weeks of data are needed. Pick a period in the "
                     "sidebar.",
                     "历史数据不足，无法排名对比：需要 8 周的数据。请在侧边栏选择时间段。"),
    "ch_sum_note": ("Channels add up to {parts}; the totals (Overview) are {totals}",
                    "各渠道相加为 {parts}；总计（总览页）为 {totals}"),
    "ch_sum_note_tail": (": a user reached through articles of two channels counts once in each channel "
                         "and once in the total (distinct users).",
                         "：通过两个渠道的文章触达的用户在每个渠道各计一次，在总计中只计一次（去重用户）。"),
}
