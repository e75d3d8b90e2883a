"""Texts of the digest's volume and freshness alerts (contentroi/volumes.py)."""

TEXT = {
    "vol_metric_joins": ("Joins", "入群用户"),
    "vol_metric_contacted": ("Contacted", "已联系用户"),
    "vol_metric_paid": ("Paid", "付费用户"),
    "vol_metric_revenue": ("Revenue", "收入"),
    "vol_metric_reads": ("Reads of new articles", "新文章阅读数"),
    "vol_base_week": ("the previous {n} weeks", "前 {n} 周"),
    "vol_base_day": ("the same weekday of the previous {n} weeks", "前 {n} 周的同一星期几"),
    "vol_base_week_1": ("the previous week", "上一周"),
    "vol_base_day_1": ("the same weekday last week", "上周同一天"),
    "vol_empty": ("{metric}: none in this period.", "{metric}：本期为零。"),
    "vol_empty_was": ("{metric}: none in this period (median of {base}: {median}).",
                      "{metric}：本期为零（{base}中位数：{median}）。"),
    "vol_drop": ("{metric} fell to {value}, {pct} below the usual {median} (median of {base}; robust z = {z}).",
                 "{metric} 降至 {value}，比通常的 {median} 低 {pct}（{base}中位数；稳健 z = {z}）。"),
    "vol_rise": ("{metric} rose to {value}, {pct} above the usual {median} (median of {base}; robust z = {z}).",
                 "{metric} 升至 {value}，比通常的 {median} 高 {pct}（{base}中位数；稳健 z = {z}）。"),
    "vol_drop_from_zero": ("{metric} fell to {value} (median of {base}: {median}; robust z = {z}).",
                           "{metric} 降至 {value}（{base}中位数：{median}；稳健 z = {z}）。"),
    "vol_rise_from_zero": ("{metric} rose to {value} from a usual {median} (median of {base}; robust z = {z}).",
                           "{metric} 升至 {value}，通常为 {median}（{base}中位数；稳健 z = {z}）。"),
    "vol_note": ("Volumes are compared with {base}: an alert when the robust z (median and MAD of ln(1 + x), "
                 "at least the Poisson noise) reaches ±{z} and the change from their median is at least {rel}.",
                 "各项数量与{base}比较：稳健 z（ln(1 + x) 的中位数与 MAD，至少按泊松噪声）达到 ±{z} "
                 "且与其中位数相比变化至少 {rel} 时预警。"),
    "vol_note_short_week": ("Volumes not compared: {n} earlier week(s) of data, {need} needed.",
                            "未比较数量：之前只有 {n} 周数据，至少需要 {need} 周。"),
    "vol_note_short_day": ("Volumes not compared: the same weekday has {n} earlier week(s) of data, {need} needed.",
                           "未比较数量：之前只有 {n} 周的同一星期几数据，至少需要 {need} 周。"),
    "fresh_log_articles": ("articles log", "文章日志"),
    "fresh_log_joins": ("joins log", "入群日志"),
    "fresh_log_sales": ("sales log", "销售日志"),
    "fresh_behind": ("The {log} stops at {last}, {days} days before the {ref} ({ref_last}): what came after "
                     "is missing, not zero.",
                     "{log}截至 {last}，比{ref}（{ref_last}）早 {days} 天：之后的数据是缺失，不是零。"),
    "fresh_behind_end": ("The {log} stops at {last}, {days} days before this period ends, while the {ref} "
                         "goes on to {ref_last}: what came after is missing, not zero.",
                         "{log}截至 {last}，比本期结束早 {days} 天，而{ref}一直到 {ref_last}：之后的数据是缺失，不是零。"),
    "fresh_empty": ("The {log} is empty while the {ref} has data.", "{log}为空，而{ref}有数据。"),
}
