"""Texts of the Sales page (/sales): the per-rep funnel and its definitions."""

TEXT = {
    "sa_caption": ("How each sales rep handles the users the selected articles bring in. Scope: "
                   "users who joined through a selected article; each user's events count from "
                   "their first join through a selected article (t0) to t0 + W days.",
                   "各销售如何跟进所选文章带来的用户。范围：通过所选文章入群的用户；每位用户的事件从其首次"
                   "通过所选文章入群（t0）起，到 t0 + W 天为止计入。"),
    "sa_unassigned": ("(no rep recorded)", "（未记录销售）"),
    "sa_hours": ("{h} h", "{h} 小时"),
    "sa_empty": ("No contacts or payments in these users' windows yet.",
                 "这些用户的窗口内还没有联系或付费记录。"),
    # columns / metrics
    "sa_c_rep": ("Rep", "销售"),
    "sa_c_users_handled": ("Users handled", "跟进用户"),
    "sa_c_contacted": ("Contacted (sales scope)", "已联系（销售口径）"),
    "sa_c_contacts": ("Contacts", "联系次数"),
    "sa_c_median_response_hours": ("Median response (hours)", "响应时间中位数（小时）"),
    "sa_c_paid": ("Paid after contact", "联系后付费"),
    "sa_c_pay_rate": ("Contact → paid", "联系→付费率"),
    "sa_c_pay_rate_lo": ("Contact → paid, 95% low", "联系→付费率 95% 下限"),
    "sa_c_pay_rate_hi": ("Contact → paid, 95% high", "联系→付费率 95% 上限"),
    "sa_c_pay_rate_ci": ("Contact → paid (95% CI)", "联系→付费率（95% 区间）"),
    "sa_c_payments": ("Payments", "付费笔数"),
    "sa_c_gross_revenue": ("Gross revenue", "总收款"),
    "sa_c_refunds": ("Refunds", "退款"),
    "sa_c_revenue": ("Revenue (net, sales scope)", "净收入（销售口径）"),
    "sa_c_week": ("Week", "周"),
    # KPI help = the definitions
    "sa_def_handled": ("Users with a contact or a payment in their window (each user once).",
                       "窗口内有联系或付费记录的用户（每位用户只计一次）。"),
    "sa_def_contacted": ("Users with at least one contact in their window.",
                         "窗口内至少被联系过一次的用户。"),
    "sa_def_response_total": ("Median over contacted users of (first contact − t0), in hours.",
                              "已联系用户（首次联系时间 − t0）的中位数，单位小时。"),
    "sa_def_paid_total": ("Contacted users who paid at or after their first contact, within the "
                          "window, divided by contacted users.",
                          "在首次联系之时或之后、且在窗口内付费的已联系用户，除以已联系用户数。"),
    "sa_def_revenue_total": ("All payments in the users' windows, net of their orders' refunds "
                             "(including payments with no rep recorded).",
                             "用户窗口内的全部付费，扣除对应订单的退款（包括未记录销售的付费）。"),
    "sa_kpi_response": ("Median response", "响应时间中位数"),
    "sa_kpi_revenue_help": ("Net {net} = gross {gross} − refunds {refunds}.",
                            "净收入 {net} = 总收款 {gross} − 退款 {refunds}。"),
    # charts
    "sa_funnel_title": ("Funnel by rep", "各销售的漏斗"),
    "sa_users": ("Users", "用户数"),
    "sa_step": ("Step", "环节"),
    "sa_revenue_title": ("Revenue and refunds by rep", "各销售的收入与退款"),
    "sa_amount": ("Amount", "金额"),
    "sa_part": ("Part", "构成"),
    "sa_part_revenue": ("Net revenue", "净收入"),
    "sa_part_refunds": ("Refunded", "已退款"),
    "sa_revenue_caption": ("Payments recorded with the rep; the whole bar is the gross amount, "
                           "the red part was refunded.",
                           "记在该销售名下的付费；整根柱为总收款，红色部分为已退款。"),
    "sa_table_title": ("Reps", "销售明细"),
    "sa_table_caption": (
        "Users handled: a contact or payment recorded with the rep. Contacted: a contact by the "
        "rep. Median response: the rep's first contact − the user's t0. Paid after contact: paid "
        "(whoever recorded it) at or after the rep's first contact, within the window. Revenue: "
        "payments recorded with the rep, net of their orders' refunds.",
        "跟进用户：有联系或付费记在该销售名下。已联系用户：被该销售联系过。响应时间：该销售首次联系 − "
        "用户 t0。联系后付费：在该销售首次联系之时或之后、窗口内付费（付费记在谁名下都算）。净收入：记在"
        "该销售名下的付费，扣除对应订单的退款。"),
    "sa_trend_title": ("Weekly trend", "每周趋势"),
    "sa_trend_metric": ("Show", "指标"),
    "sa_week": ("Week (Monday)", "周（周一）"),
    "sa_trend_caption": ("Bars stack the reps (click a name in the legend to highlight one). "
                         "Contacted: users by the week of the rep's first contact with them. Paid "
                         "after contact: by the week of their first payment after it. Revenue: net "
                         "payments recorded with the rep, by payment week.",
                         "柱子按销售堆叠（点击图例中的名字可突出显示）。已联系用户：按该销售首次联系用户所在周"
                         "统计。联系后付费：按此后首次付费所在周统计。净收入：记在该销售名下的付费（扣除退款），"
                         "按付费所在周统计。"),
    "sa_weekly_table": ("Weekly numbers", "每周明细"),
    "sa_no_weeks": ("No events in these users' windows.", "这些用户的窗口内没有事件。"),
    "sa_defs_title": ("How these numbers are defined", "指标定义"),
    "sa_defs": (
        "- **Scope**: users with a touch (a group join) on a selected article. A user's events "
        "count when they fall in [t0, t0 + W], t0 = the user's earliest touch on a selected "
        "article, W = the conversion window.\n"
        "- **Users handled**: users with a contact or a payment recorded with the rep.\n"
        "- **Contacted** (the rep's users): users with a contact by the rep. **Contacts**: the "
        "rep's contact events.\n"
        "- **Median response time**: over the rep's users, the rep's first contact with the user "
        "− the user's t0, in hours.\n"
        "- **Paid after contact**: the rep's users who paid (whoever recorded the payment) at or "
        "after the rep's first contact, within the window. **Contact → paid** = paid after "
        "contact / contacted, with its 95% Wilson interval.\n"
        "- **Revenue (net)**: payments recorded with the rep, minus refunds of their orders. "
        "**Refunds**: those refund amounts. **Gross revenue** = net + refunds.\n"
        "- Events without a rep form the “(no rep recorded)” row. Team totals above count each "
        "user once, whoever handled them.",
        "- **范围**：在所选文章上有触达（入群）的用户。用户的事件落在 [t0, t0 + W] 内才计入，t0 为该用户"
        "最早一次通过所选文章入群的时间，W 为转化窗口。\n"
        "- **跟进用户**：有联系或付费记录在该销售名下的用户。\n"
        "- **已联系用户**（该销售的用户）：被该销售联系过的用户。**联系次数**：该销售的联系事件数。\n"
        "- **响应时间中位数**：在该销售的用户中，该销售首次联系用户的时间 − 用户的 t0，单位小时。\n"
        "- **联系后付费**：该销售的用户中，在该销售首次联系之时或之后、且在窗口内付费的用户（付费记在"
        "谁名下都算）。**联系→付费率** = 联系后付费 / 已联系用户，附 95% Wilson 置信区间。\n"
        "- **净收入**：记在该销售名下的付费减去对应订单的退款。**退款**：这些退款金额。**总收款** = "
        "净收入 + 退款。\n"
        "- 没有记录销售的事件归入“（未记录销售）”一行。上方团队合计中每位用户只计一次。"),
    "sa_scope_note": ("Sales scope: each user counts once, with every contact and payment inside "
                      "[T0, T0 + {w} days] of their earliest join through a selected article, whatever the "
                      "article. Overview's Contacted ({contacted}) counts, per article, the contacts inside "
                      "that article's own window, and its Revenue ({revenue}) is attributed revenue under "
                      "the {model} model; so the two pages differ by design.",
                      "销售口径：每位用户只计一次，计入其通过所选文章首次入群后 [T0, T0 + {w} 天] 内的所有联系和付费，"
                      "不论是哪篇文章。总览页的“已联系”（{contacted}）按每篇文章各自的窗口统计，“收入”（{revenue}）"
                      "是按“{model}”模型归因的收入；因此两页的数字按定义不同。"),
}
