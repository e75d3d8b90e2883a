"""Texts of the guards against hostile input: dates out of range, upload limits,
refused workbooks, the edit password's lockout."""

TEXT = {
    "notice_date_range": ("“{param}={value}” is outside the dates this app handles ({lo} to {hi}); "
                          "using the default.",
                          "“{param}={value}” 超出本应用支持的日期范围（{lo} 至 {hi}），已使用默认值。"),
}
