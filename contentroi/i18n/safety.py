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
}
