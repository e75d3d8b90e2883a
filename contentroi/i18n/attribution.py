"""Texts of the Attribution page (/attribution): the five models side by side."""

TEXT = {
    "at_caption": ("How much revenue each channel and article earns under each of the five "
                   "attribution models. The model chosen in the sidebar is marked ★.",
                   "五种归因模型下，各渠道、各文章分别获得多少收入。侧边栏选中的模型以 ★ 标出。"),
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
    "at_articles_caption": ("Payments credited: payments with at least one eligible touch on the "
                            "article (any model can give it a share).",
                            "获得归因的付费笔数：窗口内至少有一次该文章触达的付费（任一模型都可能分给它一部分）。"),
    "at_selected": ("selected", "当前模型"),
    "at_how_title": ("How each model splits a payment", "各模型如何分配一笔付费"),
    "at_example": ("Example: a reader joined through article A 20 days before paying, B 10 days "
                   "before and C 2 days before, then paid ¥1,000.",
                   "示例：一位读者在付费前 20 天通过文章 A 入群，10 天前通过 B，2 天前通过 C，随后付费 ¥1,000。"),
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
    "at_rules": ("Every model splits each payment over all the buyer's article touches in the W "
                 "days before it, across the whole store: the filters choose which articles and "
                 "channels you see, never how a payment is split. A refund reduces its order's "
                 "credit in the same shares.",
                 "每种模型都会把一笔付费分配给付费前 W 天内该买家在全部数据中的所有文章触达：筛选条件只决定"
                 "显示哪些文章和渠道，从不改变分配方式。退款按相同比例冲减该订单的归因收入。"),
}
