"""Texts about the state of the data: damaged snapshots, sample + own data, how far
each log reaches, what Undo / Clear / Reset do (issue 10)."""

TEXT = {
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
        "time, so up to {undos} changes can be taken back; an undone change cannot be redone, "
        "and a change older than that cannot be undone.",
        "每次更改（一次“载入”、清空、重置、命令行 `load`）都会保存为一个新版本，保留最近 {keep} 个版本。"
        "**撤销**每次回退一个版本，因此最多可以撤销 {undos} 次更改；撤销后无法重做，更早的更改无法撤销。"),
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
