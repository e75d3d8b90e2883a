"""Texts shared by every page: navigation, filters, notices, formats."""

from .. import limits as _L  # noqa: E402  (the window bounds, defined once)

TEXT = {
    "app_title": ("Content ROI", "内容 ROI"),
    "app_tagline": ("Which articles and channels actually make money",
                    "哪些文章、哪些渠道真正带来收入"),
    # navigation labels: contentroi/pagelist.py
    # filters
    "filters": ("Filters", "筛选"),
    "f_from": ("From (published)", "发布起始日"),
    "f_to": ("To (published)", "发布截止日"),
    "f_period_help": ("The period selects articles by their publish date; their users' later "
                      "events count as long as they fall in the window.",
                      "时间段按文章发布日期筛选文章；这些文章用户的后续事件只要落在转化窗口内都计入。"),
    "f_channels": ("Channels", "渠道"),
    "f_channels_all": ("All channels", "全部渠道"),
    "f_window": ("Conversion window (days)", "转化窗口（天）"),
    # Streamlit's own file-uploader texts, replaced in Chinese (st_app.frame.widget_texts)
    "uploader_button": ("Upload", "选择文件"),
    "uploader_limit": ("{mb} MB per file", "拖入文件，或点击选择 · 单个文件不超过 {mb} MB"),
    "f_window_short": ("{w}d", "{w} 天窗口"),
    "f_window_help": ("A contact or payment counts for an article when it happens within this many "
                      "days of the user's first join through it.",
                      "用户通过文章首次入群后，在这么多天内发生的联系或付费才计入该文章。"),
    "f_model": ("Attribution model", "归因模型"),
    "f_model_help": ("How a payment's revenue is split over the articles that touched the payer.",
                     "一笔付费的收入如何在触达过该用户的文章之间分配。"),
    "f_lang": ("Language", "语言"),
    "f_reset": ("Reset filters", "重置筛选"),
    # the models' labels (model_<name>): with their explanations in i18n/attribution.py
    "copy_link": ("Link to this view", "本视图链接"),
    "copy_link_help": ("Anyone who opens this link sees this page with these filters.",
                       "任何人打开此链接都会看到相同页面和筛选条件。"),
    # notices for bad link parameters
    "notice_title": ("Some link parameters were ignored", "部分链接参数无效，已忽略"),
    "notice_bad_date": ("“{param}={value}” is not a date (YYYY-MM-DD); using the default.",
                        "“{param}={value}” 不是日期（YYYY-MM-DD），已使用默认值。"),
    "notice_share_mark": ("“{param}={value}” was added by the chat app the link was shared from; ignored.",
                          "“{param}={value}” 是转发链接的聊天应用附加的，已忽略。"),
    "notice_period_reversed": ("The period starts after it ends; showing all dates.",
                               "开始日期晚于结束日期，已显示全部日期。"),
    "notice_bad_window": (f"“window={{value}}” must be a whole number of days from {_L.WINDOW_MIN} to "
                          f"{_L.WINDOW_MAX}; using {_L.DEFAULT_WINDOW}.",
                          f"“window={{value}}” 必须是 {_L.WINDOW_MIN} 到 {_L.WINDOW_MAX} 之间的整数天，"
                          f"已使用 {_L.DEFAULT_WINDOW}。"),
    "notice_bad_model": ("“model={value}” is not an attribution model; using first touch.",
                         "“model={value}” 不是有效的归因模型，已使用首次触达。"),
    "notice_unknown_channel": ("Channel “{value}” is not in the data; ignored.",
                               "数据中没有渠道“{value}”，已忽略。"),
    "notice_bad_lang": ("“lang={value}” is not a language (en, zh); using English.",
                        "“lang={value}” 不是支持的语言（en、zh），已使用英文。"),
    "notice_bad_sort": ("“sort={value}” is not a sortable column; using revenue.",
                        "“sort={value}” 不是可排序的列，已按收入排序。"),
    "notice_bad_page": ("“page={value}” is not a page number; showing the first page.",
                        "“page={value}” 不是有效的页码，已显示第一页。"),
    "notice_bad_period": ("“period={value}” must be day or week; using week.",
                          "“period={value}” 必须是 day 或 week，已使用 week。"),
    "notice_bad_choice": ("“{param}={value}” is not one of this page's choices; using the default.",
                          "“{param}={value}”不是本页的可选项，已使用默认值。"),
    "notice_too_long": ("The value of “{param}” is too long; ignored.", "“{param}”的值过长，已忽略。"),
    "notice_unknown_article": ("Article “{value}” is not among the articles shown; showing the list.",
                               "当前筛选下没有文章“{value}”，已显示列表。"),
    # empty states and common messages
    "empty_store": ("There is no data yet. Go to the **Data** page to upload the three logs "
                    "(articles, group joins, sales).",
                    "还没有数据。请到**数据**页上传三份日志（文章、入群、销售）。"),
    "empty_filtered": ("No articles match these filters ({filters}). Widen the period or clear "
                       "the channel filter.",
                       "没有符合筛选条件（{filters}）的文章。请放宽时间段或清除渠道筛选。"),
    "go_data": ("Open the Data page", "打开数据页"),
    "sample_note": ("You are looking at **generated sample data**. Upload your own logs on the "
                    "Data page to replace it.",
                    "当前显示的是**生成的示例数据**。到数据页上传你自己的日志即可替换。"),
    "error_generic": ("Something went wrong while computing this view: {error}. The data is "
                      "unchanged; try again or widen the filters.",
                      "计算此视图时出错：{error}。数据未受影响，请重试或放宽筛选条件。"),
    "download_csv": ("Download CSV", "下载 CSV"),
    "download_csv_codes": ("Column headers as codes (article_id, overall_rate, …): stable for scripts.",
                           "列名为代码（article_id、overall_rate 等）：便于脚本处理。"),
    "download_csv_labels": ("CSV with column names", "CSV（中文列名）"),
    "download_csv_labels_help": ("Column headers as the names shown on the page, in this language.",
                                 "列名与页面上显示的名称相同（当前语言）。"),
    "null_help": ("— means the value cannot be computed: no reads, no cost, or nothing to divide by.",
                  "“—”表示无法计算：没有阅读数、没有成本，或分母为 0。"),
    "small_sample": ("too few to judge", "样本太少"),
    "all": ("all", "全部"),
    "loading_sample": ("Loading the sample data…", "正在载入示例数据…"),
    "store_preparing": ("Preparing the data store: the first start, or the first after an update, "
                        "takes a moment (a few minutes for a large store)…",
                        "正在准备数据库：首次启动或版本更新后的第一次打开需要片刻（数据量大时需要几分钟）…"),
    # metric names and help: contentroi/metrics.py (m_<key>, mh_<key>)
    # cost: "free" (0) is not "unknown" (blank)
    "c_cost_note": ("Cost note", "成本说明"),
    "c_cost_known": ("Cost known", "已知成本"),
    "cost_free": ("free", "免费"),
    "cost_unknown": ("unknown", "未知"),
    "cost_partial": ("Cost is unknown for {n} of {total} articles here ({names}): cost, ROI and cost per "
                     "paid user add up the known costs only (blank is unknown, not free).",
                     "其中 {total} 篇文章中有 {n} 篇成本未知（{names}）：成本、ROI 和单个付费用户成本只计入已知成本"
                     "（空白表示未知，不是免费）。"),
    "c_article_id": ("Article ID", "文章ID"),
    "c_title": ("Title", "标题"),
    "c_channel": ("Channel", "渠道"),
    "c_author": ("Author", "作者"),
    "c_published_at": ("Published", "发布时间"),
    "sso_required": ("Sign in with your team account to see the reports.", "请使用团队账号登录后查看报表。"),
    "sso_login": ("Sign in", "登录"),
    "vs_previous": ("vs previous {days} days", "对比前 {days} 天"),
}
