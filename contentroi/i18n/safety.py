"""Texts of the guards against hostile input: dates out of range, upload limits,
refused workbooks, the edit password's lockout."""

TEXT = {
    "notice_date_range": ("“{param}={value}” is outside the dates this app handles ({lo} to {hi}); "
                          "using the default.",
                          "“{param}={value}” 超出本应用支持的日期范围（{lo} 至 {hi}），已使用默认值。"),
    "edit_wrong_password": ("Wrong password.", "密码错误。"),
    "edit_locked_out": ("Too many wrong passwords: the next try is checked in {s} s.",
                        "密码错误次数过多：{s} 秒后才能再次尝试。"),
    "edit_unlock_to_upload": ("Enter the edit password above to upload files.",
                              "请先在上方输入编辑密码，再上传文件。"),
    "data_too_many_files": ("At most {n} files at a time ({m} were chosen): remove some and add them "
                            "in a second upload.",
                            "一次最多上传 {n} 个文件（已选 {m} 个）：请移除一部分，分批上传。"),
    # refusals of the loader (contentroi/ingest/: RefusedFile.said)
    "ingest_header_too_long": ("the first line (the header) is longer than {mb} MB: this is not a log export "
                               "(is it a CSV file?)",
                               "第一行（表头）超过 {mb} MB：这不是日志导出文件（是 CSV 文件吗？）"),
    "ingest_line_too_long": ("line {line} is {mb} MB long: no log row is that long (the limit is {limit} MB), "
                             "and the file cannot be read reliably past it. Nothing was loaded.",
                             "第 {line} 行长达 {mb} MB：日志的一行不会这么长（上限 {limit} MB），之后的内容无法"
                             "可靠读取。未载入任何数据。"),
    "ingest_unclosed_quote": ("line {line}: a quoted field opens here and is never closed, so the {n} line(s) "
                              "after it cannot be read as rows. Close (or remove) the quote and upload the "
                              "file again. Nothing was loaded.",
                              "第 {line} 行：此处的引号字段没有闭合，其后的 {n} 行无法按行读取。请补上（或删去）"
                              "引号后重新上传。未载入任何数据。"),
    "ingest_rows_lost": ("only {seen} of the file's {n} rows could be read (a row is malformed in a way the "
                         "reader cannot recover from); nothing was loaded. Save the file again as CSV from "
                         "the exporting program and retry.",
                         "文件共 {n} 行，只能读取 {seen} 行（某行格式损坏，无法恢复）；未载入任何数据。请用导出"
                         "程序重新另存为 CSV 后再试。"),
    "ingest_xlsx_unpacked": ("the workbook unpacks to {size}, more than {limit}: save the sheet as CSV and "
                             "upload that",
                             "该工作簿解压后为 {size}，超过 {limit}：请将工作表另存为 CSV 后上传"),
    "ingest_xlsx_part": ("the workbook part {part} unpacks to {size}, more than {limit}: save the sheet as "
                         "CSV and upload that",
                         "工作簿中的 {part} 解压后为 {size}，超过 {limit}：请将工作表另存为 CSV 后上传"),
    "ingest_xlsx_strings": ("the workbook has more than {n} shared strings: save the sheet as CSV and upload "
                            "that",
                            "该工作簿的共享字符串超过 {n} 个：请将工作表另存为 CSV 后上传"),
    "ingest_xlsx_cell": ("a text in the workbook is longer than {n} characters (more than an Excel cell can "
                         "hold): this is not a log export",
                         "工作簿中有文本超过 {n} 个字符（超出 Excel 单元格的容量）：这不是日志导出文件"),
    "ingest_xlsx_column": ("the sheet has a cell in column {col} ({ref}); a log has at most {n} columns: "
                           "this is not a log export",
                           "工作表在第 {col} 列（{ref}）有单元格；日志最多 {n} 列：这不是日志导出文件"),
    "ingest_xlsx_row": ("the sheet has a row {row}, past Excel's last row ({n})",
                        "工作表有第 {row} 行，超出 Excel 的最大行数（{n}）"),
    "ingest_xlsx_range": ("the sheet declares the range {ref}, larger than an Excel sheet",
                          "工作表声明的范围 {ref} 超出了 Excel 工作表的大小"),
}
