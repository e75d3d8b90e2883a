"""Texts of the Cohorts page (/cohorts): revenue of acquisition cohorts."""

TEXT = {
    "co_caption": ("What a group of users is worth beyond the conversion window: users grouped by the week or "
                   "month of their first join, and what they paid in the 7, 30, 60, 90 and 180 days after it.",
                   "一批用户在转化窗口之外值多少钱：按首次入群的周或月分组，看他们在之后 7、30、60、90、180 天内付了多少。"),
    "co_grain": ("Cohort by", "分组方式"),
    "co_grain_week": ("Week", "按周"),
    "co_grain_month": ("Month", "按月"),
    "co_article": ("Acquisition article", "首次入群文章"),
    "co_article_all": ("All articles", "全部文章"),
    "co_article_help": ("Only users whose first join came through this article.",
                        "只看首次入群来自这篇文章的用户。"),
    "co_filter_note": ("The channel filter selects users by the channel of their first join (their acquisition "
                       "channel); the publish period of the other pages does not apply here.",
                       "渠道筛选按用户首次入群的渠道（获客渠道）选择用户；其他页面的发布时间段不适用于本页。"),
    "co_kpi_users": ("Users", "用户数"),
    "co_kpi_users_help": ("Users with a first join through an article, in every cohort shown.",
                          "所示各群组中通过文章首次入群的用户。"),
    "co_kpi_rev30": ("Revenue per user at 30 days", "30 天人均收入"),
    "co_kpi_rev90": ("Revenue per user at 90 days", "90 天人均收入"),
    "co_kpi_rev_help": ("Over the cohorts at least this old (users-weighted); net of refunds.",
                        "只计已满该天数的群组（按用户数加权）；已扣除退款。"),
    "co_kpi_repeat": ("Repeat-payment rate (90 days)", "复购率（90 天）"),
    "co_kpi_repeat_help": ("Of the users who paid within 90 days of their first join, those who paid at least "
                           "twice in those 90 days (cohorts at least 90 days old).",
                           "首次入群后 90 天内付过费的用户中，90 天内至少付费两次的比例（只计已满 90 天的群组）。"),
    "co_table": ("Cohort table", "群组表"),
    "co_curves_latest": ("The latest {n} cohorts; the table below has them all.",
                         "图中为最近 {n} 个群组；下表包含全部群组。"),
    "co_curves": ("Cumulative revenue per user by days since the first join", "首次入群后累计人均收入"),
    "co_c_cohort": ("Cohort", "群组"),
    "co_c_users": ("Users", "用户数"),
    "co_c_payers": ("Payers so far", "已付费用户"),
    "co_c_rev": ("¥ / user at {d} d", "{d} 天人均 ¥"),
    "co_c_repeat": ("Repeat rate (90 d)", "复购率（90 天）"),
    "co_c_age": ("Days observed", "已观察天数"),
    "co_c_revenue": ("Revenue so far", "累计收入"),
    "co_total": ("All cohorts old enough", "所有已满期群组"),
    "co_blank_note": ("A blank cell: the cohort is not that old yet (its last user joined less than that many days "
                      "before the data ends, {end}), so its value is unknown — not zero. The first row weighs each "
                      "column's cohorts that are old enough by their users, so its columns cover different cohorts.",
                      "空白单元格：该群组还没到这个天数（其最后一位用户入群距数据截止 {end} 不足这些天），数值未知，不是零。"
                      "第一行按用户数加权汇总每一列已满期的群组，因此各列覆盖的群组不同。"),
    "co_axis_days": ("Days since the first join", "首次入群后天数"),
    "co_axis_rev": ("Revenue per user (¥)", "人均收入（¥）"),
    "co_week_label": ("{d} (week {w})", "{d}（第 {w} 周）"),
    "co_none": ("No users match these filters: no first join through the selected articles.",
                "没有符合筛选条件的用户：所选文章没有首次入群的用户。"),
    "co_definition": ("**How it is counted.** A user's cohort is the week (Monday–Sunday) or the month of their "
                      "first join through any article; their channel and article are those of that first join. "
                      "Revenue is every payment of the user at or after that join, net of refunds of its order "
                      "(not only the attributed part), counted at d days when it is at most d days after the "
                      "user's own first join, divided by all the cohort's users (payers or not).",
                      "**统计方式。** 用户的群组是其首次通过任一文章入群的那一周（周一至周日）或那个月；渠道和文章取首次入群时的。"
                      "收入是该用户在首次入群之后的每一笔付款（按订单扣除退款，不只是归因的部分），距其首次入群不超过 d 天的计入 d 天，"
                      "再除以群组全部用户（无论是否付费）。"),
    "notice_bad_grain": ("“grain={value}” must be week or month; using month.",
                         "“grain={value}” 必须是 week 或 month；已使用 month。"),
    "co_unknown_article": ("Article “{value}” is the first join of no user under these filters; showing all "
                           "articles.", "在当前筛选下，没有用户通过文章“{value}”首次入群；显示全部文章。"),
}
