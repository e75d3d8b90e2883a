"""Texts of the Attribution page (/attribution): every model side by side."""

TEXT = {
    "at_caption": ("How much revenue each channel and article earns under each attribution model — "
                   "the rule-based ones and the data-driven (Markov) one, side by side. The model "
                   "chosen in the sidebar is marked ★.",
                   "在各个归因模型下（规则模型与数据驱动的马尔可夫模型并列），各渠道、各文章分别获得多少收入。"
                   "侧边栏选中的模型以 ★ 标出。"),
    "at_kpi_attributed": ("Revenue credited · {model}", "归因收入 · {model}"),
    "at_kpi_attributed_help": ("Revenue the selected model credits to the articles shown (net of "
                               "refunds).", "所选模型归给当前文章的收入（已扣除退款）。"),
    "at_unattributed_help": ("Payments with no article touch in the window before them (net of "
                             "refunds), dated from the period's start to its end + W days, whatever "
                             "the channel filter. No model can credit them to an article.",
                             "付费前窗口内没有任何文章触达的付费（已扣除退款），统计日期从时间段开始到结束后 "
                             "W 天，不受渠道筛选影响。任何模型都无法把它们归给文章。"),
    "at_chart_title": ("Revenue by channel under each model", "各渠道在不同模型下的收入"),
    "at_chart_caption": ("Solid, outlined bars: {model} (the sidebar's model). Where the bars of a "
                         "channel differ a lot, the channel's articles mostly start (first touch) or "
                         "close (last touch) journeys that other channels share.",
                         "实心描边的柱为 {model}（侧边栏所选模型）。同一渠道各柱差别大时，说明该渠道的文章"
                         "多处在与其他渠道共享的用户旅程的开头（首次触达）或结尾（末次触达）。"),
    "at_tab_channels": ("By channel", "按渠道"),
    "at_tab_articles": ("By article", "按文章"),
    "at_c_payments": ("Payments credited", "获得归因的付费笔数"),
    "at_articles_top": ("The {n} articles with the most revenue under {model}, of {total}; "
                        "the CSV downloads have every article.",
                        "按{model}收入最高的 {n} 篇（共 {total} 篇）；CSV 下载包含全部文章。"),
    "at_articles_caption": ("Payments credited: payments with at least one eligible touch on the "
                            "article (any model can give it a share).",
                            "获得归因的付费笔数：窗口内至少有一次该文章触达的付费（任一模型都可能分给它一部分）。"),
    "at_selected": ("selected", "当前模型"),
    "at_how_title": ("How each model splits a payment", "各模型如何分配一笔付费"),
    "at_example": ("Example: a reader joined through article A 20 days before paying, B 10 days "
                   "before and C 2 days before, then paid ¥1,000.",
                   "示例：一位读者在付费前 20 天通过文章 A 入群，10 天前通过 B，2 天前通过 C，随后付费 ¥1,000。"),
    # Each attribution model's texts, together: its label (model_<name>: sidebar, tables,
    # charts, digest, everywhere), what it does (at_explain_<name>) and the worked example
    # (at_example_<name>). Adding a model = its weight column (w_<name>) and its branch in
    # 22_fct_attribution.sql + these (docs/ARCHITECTURE.md).
    "model_first_touch": ("First touch", "首次触达"),
    "model_last_touch": ("Last touch", "末次触达"),
    "model_linear": ("Linear", "线性平均"),
    "model_position": ("Position (40/20/40)", "位置（40/20/40）"),
    "model_time_decay": ("Time decay (7-day half-life)", "时间衰减（7 天半衰期）"),
    "model_markov": ("Data-driven (Markov)", "数据驱动（马尔可夫）"),
    "at_explain_first_touch": ("All the credit goes to the earliest article the buyer joined "
                               "through inside the window. Rewards articles that bring new people in.",
                               "全部功劳归给窗口内买家最早通过的那篇文章。奖励“拉新”的文章。"),
    "at_explain_last_touch": ("All the credit goes to the latest article before the payment. "
                              "Rewards articles that close the sale.",
                              "全部功劳归给付费前最后一篇文章。奖励“促成成交”的文章。"),
    "at_explain_linear": ("The payment is split equally over every article touch in the window.",
                          "付费金额在窗口内的每次文章触达之间平均分配。"),
    "at_explain_position": ("40% to the first touch, 40% to the last, and the remaining 20% shared "
                            "by the touches in between (one touch gets 100%, two get 50% each).",
                            "首次触达 40%，末次触达 40%，其余 20% 由中间的触达平分（只有一次触达时 100%，"
                            "两次时各 50%）。"),
    "at_explain_time_decay": ("Touches closer to the payment count more: a touch's weight halves "
                              "for every 7 days between it and the payment.",
                              "越接近付费的触达权重越高：触达距付费每多 7 天，权重减半。"),
    "at_example_first_touch": ("A ¥1,000 · B ¥0 · C ¥0", "A ¥1,000 · B ¥0 · C ¥0"),
    "at_example_last_touch": ("A ¥0 · B ¥0 · C ¥1,000", "A ¥0 · B ¥0 · C ¥1,000"),
    "at_example_linear": ("A ¥333 · B ¥333 · C ¥333", "A ¥333 · B ¥333 · C ¥333"),
    "at_example_position": ("A ¥400 · B ¥200 · C ¥400", "A ¥400 · B ¥200 · C ¥400"),
    "at_example_time_decay": ("A ¥104 · B ¥279 · C ¥617", "A ¥104 · B ¥279 · C ¥617"),
    "at_explain_markov": ("Learned from the data: each channel's share follows how much conversion "
                          "would be lost without it (its removal effect, below), and a payment is "
                          "split over its touches in proportion to their channels' removal effects.",
                          "从数据中学习：渠道的份额取决于没有它时会损失多少转化（即下方的“移除效应”），"
                          "一笔付费按各次触达所属渠道的移除效应按比例分配。"),
    "at_example_markov": ("If A's channel has removal effect 60% and B's and C's 20%: "
                          "A ¥600 · B ¥200 · C ¥200",
                          "若 A 所属渠道的移除效应为 60%，B、C 的为 20%：A ¥600 · B ¥200 · C ¥200"),
    # the data-driven (markov) section
    "at_mk_title": ("Data-driven model: which channels the journeys depend on",
                    "数据驱动模型：用户旅程离不开哪些渠道"),
    "at_mk_intro": ("Every buyer's and non-buyer's journey is a path of channels: start → the "
                    "channels of their article touches in order → paid, or → no payment. From "
                    "all the paths we learn how often people move from each step to the next "
                    "(the map below). A channel's **removal effect** is the share of payments that "
                    "would be lost if that channel disappeared and everyone reaching it dropped "
                    "out: 40% means 40% fewer payments. The Markov model splits each payment over "
                    "its touches in proportion to their channels' removal effects. The figures use "
                    "every journey in the data (window {w} days), whatever the period or channel "
                    "filter; the range is a 95% interval from {draws} resamples of the users.",
                    "每位用户（无论是否付费）的旅程都是一条渠道路径：起点 → 按时间先后经过的文章触达所属渠道 → "
                    "付费，或 → 未付费。我们从全部路径中学习用户从每一步走向下一步的频率（见下方热力图）。"
                    "渠道的**移除效应**是：如果这个渠道消失、到达它的用户全部流失，会损失多少比例的付费："
                    "40% 表示付费减少 40%。马尔可夫模型把每笔付费按各次触达所属渠道的移除效应按比例分配。"
                    "这些数字使用数据中的全部旅程（窗口 {w} 天），不受时间段和渠道筛选影响；区间为对用户"
                    "重抽样 {draws} 次得到的 95% 区间。"),
    "at_mk_empty": ("No journeys yet: the data-driven model needs article touches.",
                    "还没有用户旅程：数据驱动模型需要文章触达数据。"),
    "at_mk_chart_title": ("Removal effect per channel (95% interval)", "各渠道的移除效应（95% 区间）"),
    "at_mk_heat_title": ("How people move between steps (transition probabilities)",
                         "用户在各步骤之间的流转（转移概率）"),
    "at_mk_heat_caption": ("Each row is where people are; each cell the share of them whose next "
                           "step is the column. A repeated channel counts once.",
                           "每一行是用户当前所处的步骤，每个格子是其中下一步走向该列的比例。同一渠道连续出现只算一次。"),
    "at_mk_from": ("From", "从"),
    "at_mk_to": ("To", "到"),
    "at_mk_probability": ("Probability", "概率"),
    "at_mk_start": ("Start", "起点"),
    "at_mk_conversion": ("Paid", "付费"),
    "at_mk_null": ("No payment", "未付费"),
    "at_mk_removal_effect_pct": ("Removal effect", "移除效应"),
    "at_mk_lo_pct": ("95% low", "95% 下限"),
    "at_mk_hi_pct": ("95% high", "95% 上限"),
    "at_mk_share_pct": ("Share of removal effects", "移除效应占比"),
    "at_mk_paths": ("Journeys through it", "经过的旅程数"),
    "at_mk_conv_paths": ("Paying journeys through it", "经过的付费旅程数"),
    "at_mk_small_note": ("Marked “too few to judge”: fewer than {n} journeys pass through the "
                         "channel, so its removal effect can move a lot with a few more journeys.",
                         "标为“样本太少”的渠道：经过它的旅程不足 {n} 条，再多几条旅程其移除效应就可能大幅变化。"),
    "at_rules": ("Every model splits each payment over all the buyer's article touches in the W "
                 "days before it, across the whole store: the filters choose which articles and "
                 "channels you see, never how a payment is split. A refund reduces its order's "
                 "credit in the same shares.",
                 "每种模型都会把一笔付费分配给付费前 W 天内该买家在全部数据中的所有文章触达：筛选条件只决定"
                 "显示哪些文章和渠道，从不改变分配方式。退款按相同比例冲减该订单的归因收入。"),
}
