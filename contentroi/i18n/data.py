"""Texts of the Data page (/data) and of access control, and of the state of the data every
page may show: damaged snapshots, sample + own data, how far each log reaches, what Undo /
Clear / Reset do (issue 10)."""

TEXT = {
    "data_caption": ("Upload the three exports, check how their columns were read, and see what "
                     "the store holds.", "上传三份导出文件，核对列的识别结果，并查看库中现有数据。"),
    "data_tab_upload": ("Upload", "上传"),
    "data_tab_store": ("Store", "数据库"),
    "data_tab_quality": ("Data quality", "数据质量"),
    "data_upload_intro": (
        "Pick which log you are uploading, then drop one or more CSV or Excel files. CSV may be "
        "UTF-8, GBK/GB18030 or UTF-16, separated by commas, semicolons or tabs; Chinese headers "
        "are recognised. Uploading the same rows twice adds nothing.",
        "先选择要上传的日志类型，再拖入一个或多个 CSV 或 Excel 文件。CSV 可以是 UTF-8、GBK/GB18030 "
        "或 UTF-16 编码，逗号、分号或制表符分隔；可识别中文表头。重复上传相同的行不会重复计入。"),
    "data_which_log": ("Which log?", "哪份日志？"),
    "log_articles": ("Articles", "文章"),
    "data_src_page": ("Data page", "数据页上传"),
    "data_src_cli": ("load command", "命令行 load"),
    "data_src_sample": ("sample", "示例数据"),
    "data_src_report": ("report command", "命令行 report"),
    "log_joins": ("Group joins", "入群"),
    "log_sales": ("Sales", "销售"),
    # the store's row counts (not the funnel's figures of the same words)
    "data_rows_articles": ("Article rows", "文章记录数"),
    "data_rows_joins": ("Join rows", "入群记录数"),
    "data_rows_sales": ("Sales event rows", "销售事件记录数"),
    "data_columns_help": ("Columns of the {log} log", "{log}日志的列"),
    "data_col_column": ("Column", "列"),
    "data_col_required": ("Required", "必填"),
    "data_col_type": ("Type", "类型"),
    "data_col_aliases": ("Accepted headers", "可识别的表头"),
    "data_col_header": ("Header in the file", "文件中的表头"),
    "data_extra": ("(kept aside)", "（另存，不参与计算）"),
    "data_files": ("Files", "文件"),
    "data_files_help": ("CSV (.csv, .tsv, .txt) or Excel (.xlsx, first sheet).",
                        "CSV（.csv、.tsv、.txt）或 Excel（.xlsx，读取第一个工作表）。"),
    "data_delim": ("delimiter", "分隔符"),
    "data_sheet": ("sheet", "工作表"),
    "data_mapping_saved": ("Columns mapped with the mapping saved for files of this shape.",
                           "已使用为同样表头的文件保存的列映射。"),
    "data_missing_cols": ("Required column(s) **{cols}** not recognised. Headers found: {headers}. "
                          "Map them by hand below.",
                          "未识别必填列 **{cols}**。文件中的表头：{headers}。请在下方手动映射。"),
    "data_map_to": ("Header for `{col}`", "`{col}` 对应的表头"),
    "data_map_pick": ("Choose a header", "请选择表头"),
    "data_save_mapping": ("Remember this mapping for the next file with these headers",
                          "为相同表头的文件记住此映射"),
    "data_still_missing": ("Still missing: {cols}. This file will not be loaded until they are mapped.",
                           "仍缺少：{cols}。映射完成前不会载入此文件。"),
    "data_sample_rows": ("First rows as read", "读取到的前几行"),
    "data_wrong_log": ("**{name}** looks like a {guess} log, not {log}. Check the log type above.",
                       "**{name}** 看起来是{guess}日志，而不是{log}日志。请检查上方的日志类型。"),
    "data_unreadable": ("the file cannot be read ({error})", "无法读取文件（{error}）"),
    "data_load": ("Load {n} file(s)", "载入 {n} 个文件"),
    "data_loading": ("Loading…", "正在载入…"),
    "data_done": ("Done", "完成"),
    "data_accepted": ("Accepted", "已接受"),
    "data_rejected": ("Rejected", "已拒绝"),
    "data_duplicates": ("Duplicates", "重复"),
    "data_updated": ("Updated", "已更新"),
    "data_download_rejects": ("Download rejected rows (CSV)", "下载被拒绝的行（CSV）"),
    "data_none": ("empty", "空"),
    "data_history": ("Upload history", "上传记录"),
    "data_no_uploads": ("No uploads yet.", "还没有上传记录。"),
    "data_manage": ("Manage the store", "管理数据库"),
    "data_undo": ("Undo the last change", "撤销上一次更改"),
    "data_undo_warn": ("This puts back the data as it was before the last change: the last Load "
                       "(all its files), Clear, Reset, sample removal or command-line `load`. "
                       "It cannot be redone.",
                       "这会把数据恢复到上一次更改之前的状态：上一次载入（其中所有文件）、清空、重置、"
                       "移除示例数据或命令行 `load`。撤销后无法重做。"),
    "data_undo_confirm": ("Yes, undo it", "确认撤销"),
    "data_undo_steps": ("Undo can take back {n} change(s) now, one at a time.", "当前可逐次撤销 {n} 次更改。"),
    "data_undo_none": ("There is no change to undo now.", "当前没有可撤销的更改。"),
    "data_undone": ("The last change was undone.", "已撤销上一次更改。"),
    "data_clear": ("Clear the store", "清空数据库"),
    "data_clear_warn": ("This deletes every article, join and sales event and the upload history "
                        "(saved column mappings stay). Undo brings it all back.",
                        "这会删除所有文章、入群和销售记录以及上传记录（已保存的列映射保留）。撤销可全部恢复。"),
    "data_clear_confirm": ("Yes, delete everything", "确认删除全部"),
    "data_cleared": ("The store is empty.", "数据库已清空。"),
    "data_reset": ("Reset to the sample", "重置为示例数据"),
    "data_reset_warn": ("This replaces everything in the store with the generated sample data. "
                        "Undo brings your data back.",
                        "这会用生成的示例数据替换库中所有数据。撤销可恢复你的数据。"),
    "data_reset_confirm": ("Yes, reset to the sample", "确认重置为示例数据"),
    "data_reset_done": ("The store holds the sample data again.", "数据库已恢复为示例数据。"),
    "data_h_upload_id": ("#", "#"),
    "data_h_log": ("Log", "日志"),
    "data_h_file_name": ("File", "文件"),
    "data_h_uploaded_at": ("When", "时间"),
    "data_h_source": ("Via", "来源"),
    "data_h_encoding": ("Encoding", "编码"),
    "data_h_delimiter": ("Delimiter", "分隔符"),
    "data_h_sheet": ("Sheet", "工作表"),
    "data_h_rows_read": ("Rows read", "读取行数"),
    "data_h_accepted": ("Accepted", "已接受"),
    "data_h_rejected": ("Rejected", "已拒绝"),
    "data_h_duplicates": ("Duplicates", "重复"),
    "data_h_updated": ("Updated", "已更新"),
    "dq_intro": ("Findings across the three logs. They do not stop a load, but they explain numbers "
                 "that look too low.", "三份日志之间的交叉检查结果。它们不会阻止载入，但能解释偏低的数字。"),
    "dq_examples": ("Examples: {examples}", "示例：{examples}"),
    "dq_unknown_article_joins": ("Joins naming an unknown article", "入群记录指向未知文章"),
    "dq_unknown_article_joins_help": (
        "These joins name an article_id that is not in the article log, so they are not touches "
        "and earn no article anything. Upload the missing articles or fix the ids.",
        "这些入群记录的文章ID不在文章日志中，因此不算触达，也不计入任何文章。请补充上传文章或修正ID。"),
    "dq_unknown_order_refunds": ("Refunds whose order is unknown", "找不到对应订单的退款"),
    "dq_unknown_order_refunds_help": (
        "A refund reduces revenue only through its order_id; these name no payment's order.",
        "退款只能通过订单号冲减收入；这些退款找不到对应的付费订单。"),
    "dq_payers_never_joined": ("Payers who never joined a group", "从未入群的付费用户"),
    "dq_payers_never_joined_help": (
        "Their payments cannot be attributed to any article (unattributed revenue).",
        "他们的付费无法归因到任何文章（计入未归因收入）。"),
    "dq_sales_users_never_joined": ("Sales users never seen in joins", "入群日志中没有的销售用户"),
    "dq_sales_users_never_joined_help": (
        "Often a different user id in the CRM (phone vs. WeChat id). Check that both exports use the same id.",
        "通常是 CRM 使用了不同的用户ID（手机号或微信号）。请确认两份导出使用同一种ID。"),
    "dq_joins_before_publish": ("Joins dated before the article was published", "早于文章发布时间的入群"),
    "dq_joins_before_publish_help": (
        "Usually a wrong publish time or a time-zone mix-up.", "通常是发布时间有误或时区混淆。"),
    "edit_locked": ("Changing data needs the edit password.", "修改数据需要编辑密码。"),
    "edit_password": ("Edit password", "编辑密码"),
    "edit_password_help": ("This deployment protects uploads and clearing with a password.",
                           "此部署的上传和清空操作受密码保护。"),
    "data_channel_names": ("Channel names", "渠道名称"),
    "data_channel_names_help": ("How each channel is shown on the pages and in tables, per language; a blank "
                                "name shows the channel's code. Downloads keep the codes.",
                                "各渠道在页面和表格中的显示名称（按语言）；留空则显示渠道代码。下载的 CSV 保留代码。"),
    "data_channel_code": ("Channel (code)", "渠道代码"),
    "data_channel_en": ("English name", "英文名称"),
    "data_channel_zh": ("Chinese name", "中文名称"),
    "data_channel_save": ("Save channel names", "保存渠道名称"),
    "data_channel_saved": ("Channel names saved.", "渠道名称已保存。"),
    # the logs' column names for people (st_app.col_label; c_* / m_* cover the others)
    "col_user_id": ("User ID", "用户ID"),
    "col_joined_at": ("Joined at", "入群时间"),
    "col_group_id": ("Group", "群"),
    "col_event": ("Event", "事件"),
    "col_occurred_at": ("Occurred at", "发生时间"),
    "col_rep": ("Sales rep", "销售"),
    "col_amount": ("Amount", "金额"),
    "col_order_id": ("Order ID", "订单号"),
    "col_(row)": ("(row)", "（整行）"),
    "type_text": ("text", "文本"),
    "type_datetime": ("date/time", "日期时间"),
    "type_int": ("whole number", "整数"),
    "type_decimal": ("amount", "金额"),
    "type_event": ("contact / payment / refund", "联系 / 付费 / 退款"),
    # ---- the state of the data (every page: snapshot fallback, sample + own data, reach) ----
    "snap_fallback": (
        "**The published data could not be read** (snapshot {broken}: {error}). Showing the "
        "newest readable snapshot, {shown}, saved {saved}. The next upload, Undo, Clear or "
        "Reset on the Data page continues from what you see here.",
        "**无法读取当前发布的数据**（快照 {broken}：{error}）。现在显示的是最近一个可读取的快照 "
        "{shown}（保存于 {saved}）。在数据页进行下一次上传、撤销、清空或重置时，将以此处显示的数据为基础。"),
    "snap_unreadable": (
        "**No snapshot of the data can be read** ({error}). The pages show an empty store; "
        "upload the logs again or reset to the sample on the Data page.",
        "**所有数据快照都无法读取**（{error}）。页面显示为空库；请到数据页重新上传日志或重置为示例数据。"),
    "snap_missing": ("the file is missing", "文件不存在"),
    # sample + own data
    "sample_mixed_note": (
        "**Sample data mixed with yours.** Generated sample rows are still in the store beside "
        "your uploads ({parts}), so every figure here mixes both. Remove them on the Data page "
        "(Manage the store → Remove the sample rows).",
        "**示例数据与你的数据混在一起**。库中除了你上传的数据，还留有生成的示例数据（{parts}），"
        "因此这里的每个数字都混合了两者。可到数据页移除（管理数据库 → 移除示例数据）。"),
    "data_sample_choice": ("The store holds the generated sample data. Your files should…",
                           "库中目前是生成的示例数据。你的文件应当……"),
    "data_sample_replace": ("Replace the sample (recommended)", "替换示例数据（推荐）"),
    "data_sample_keep": ("Keep both (the pages will mix sample and your rows, and say so)",
                         "两者都保留（页面会混合示例数据和你的数据，并加以提示）"),
    "data_sample_choice_help": (
        "Replace: the sample's rows go, your files come in, in one step; Undo brings the sample "
        "back. Keep both: your rows are added beside the sample's.",
        "替换：一步内移除示例数据并载入你的文件；撤销可恢复示例数据。两者都保留：你的数据会添加在示例数据旁边。"),
    "data_sample_choose_first": ("Choose one to enable loading.", "请先选择一项，才能载入。"),
    "data_remove_sample": ("Remove the sample rows", "移除示例数据"),
    "data_remove_sample_warn": (
        "This deletes the rows that came from the generated sample and their upload records; "
        "your own uploads stay. Undo brings the sample rows back.",
        "这会删除来自生成示例数据的行及其上传记录；你自己上传的数据保留。撤销可恢复示例数据。"),
    "data_remove_sample_confirm": ("Yes, remove the sample rows", "确认移除示例数据"),
    "data_sample_removed": ("The sample rows were removed.", "示例数据已移除。"),
    "data_manage_help": (
        "Every change (a Load click, Clear, Reset, a `load` from the command line) is saved as a "
        "new version; the last {keep} versions are kept. **Undo** goes back one version at a "
        "time, so up to {undos} changes can be taken back (fewer once the versions take more "
        "than 1.5 times the store on disk); an undone change cannot be redone, "
        "and a change older than that cannot be undone. A version saves only what changed; "
        "once the changes add up to a tenth of the store, the next load first saves the whole "
        "store again, and Undo then reaches back to just before that load, no further.",
        "每次更改（一次“载入”、清空、重置、命令行 `load`）都会保存为一个新版本，保留最近 {keep} 个版本。"
        "**撤销**每次回退一个版本，因此最多可以撤销 {undos} 次更改（各版本占用的磁盘超过数据库的 1.5 倍时会更少）；"
        "撤销后无法重做，更早的更改无法撤销。"
        "每个版本只保存变化的部分；变化累计达到数据库的十分之一时，下一次载入会先完整保存一次数据库，"
        "此后撤销最多只能回到那次载入之前。"),
    # how far each log reaches
    "fresh_reach": ("Data reach: {spans}", "数据范围：{spans}"),
    "fresh_none": ("empty", "无数据"),
    "fresh_before_period": (
        "The period in view runs to {to}, but the {logs} end(s) before that: the days after have "
        "no data yet, so they read as zero.",
        "当前时间段截至 {to}，但{logs}在此之前就结束了：其后的日期还没有数据，因此显示为零。"),
    "fresh_log_until": ("{log} (to {last})", "{log}（截至 {last}）"),
    "fresh_title": ("Check how far the data reaches", "请检查数据的时间范围"),
    "data_download_rejects_help": (
        "Each rejected row as in your file (all its columns), with its line, the column and the "
        "reason. Fix the cells and upload the file again: the three added columns are ignored.",
        "每个被拒绝的行按原文件内容给出（所有列），并附上行号、列和原因。改正后可直接重新上传：新增的三列会被忽略。"),
    "data_rej_line": ("rejected_line", "被拒_行号"),
    "data_rej_column": ("rejected_column", "被拒_列"),
    "data_rej_reason": ("rejected_reason", "被拒_原因"),
}
