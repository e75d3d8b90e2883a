"""The loader's messages in the reader's language (pure Python).

contentroi/ingest/ writes its refusals, reject reasons, progress steps and notes in
English (they also go to the CLI and the upload record). The pages show them through
``translate(text, lang)``: for Chinese, each known message shape is rewritten, keeping
its values (file names, headers, numbers, the offending value) as they are. A message of
an unknown shape is shown as it is (tests/test_loadtext.py loads bad files through the
real loader and checks every message it met is known).
"""
from __future__ import annotations

import re

_TYPE = {"a date/time": "日期时间", "a whole number": "整数", "an amount": "金额"}
_LOG = {"articles": "文章", "joins": "入群", "sales": "销售"}
_EVENT = {"payment": "付费", "refund": "退款"}


def _parts(s: str) -> str:
    return s.replace(" (or ", "（或 ").replace(")", "）").replace("; ", "；")


# (pattern, Chinese template or function of the match); whole-message matches
_RULES: list[tuple[re.Pattern[str], object]] = [(re.compile(p, re.S), z) for p, z in [
    # refusals (nothing of the file is loaded)
    (r"cannot open the file (.+): it does not exist or is not a file", "无法打开文件 {0}：文件不存在或不是普通文件"),
    (r"this is an old binary Excel file \(\.xls\); save it as \.xlsx or CSV and upload that",
     "这是旧版二进制 Excel 文件（.xls）；请另存为 .xlsx 或 CSV 后再上传"),
    (r"the file is named \.xlsx but is not an Excel workbook", "文件名为 .xlsx，但不是 Excel 工作簿"),
    (r"cannot tell the text encoding of the file; save it as UTF-8 CSV \(or \.xlsx\) and try again",
     "无法识别文件的文本编码；请另存为 UTF-8 CSV（或 .xlsx）后重试"),
    (r"the file is empty", "文件为空"),
    (r"the file has no header row", "文件没有表头行"),
    (r"the file cannot be read as CSV: (.*)", "无法按 CSV 读取文件：{0}"),
    (r"a row has ([\d,]+) fields but the header has ([\d,]+): this does not look like a log export "
     r"\(is the delimiter right\?\)", "有一行有 {0} 个字段，但表头只有 {1} 个：这不像日志导出文件（分隔符对吗？）"),
    (r"cannot open the file as an Excel workbook: (.*)", "无法作为 Excel 工作簿打开：{0}"),
    (r"the workbook has no sheets", "工作簿中没有工作表"),
    (r"the workbook has no sheet named (.+); its sheets are: (.*)", "工作簿中没有名为 {0} 的工作表；现有工作表：{1}"),
    (r"the sheet (.+) is empty", "工作表 {0} 为空"),
    (r"the column mapping names a header (.+) \(for (\w+)\) that the file does not have; headers found: (.*)",
     "列映射指定的表头 {0}（对应 {1}）在文件中不存在；找到的表头：{2}"),
    (r"the (articles|joins|sales) file lacks the required columns? (.*)\. Headers found: (.*)",
     lambda m: (f"{_LOG[m.group(1)]}文件缺少必需的列 {_parts(m.group(2))}。找到的表头："
                f"{'（无）' if m.group(3) == '(none)' else m.group(3)}")),
    # a loaded file's summary
    (r"([\d,]+) accepted, ([\d,]+) rejected, ([\d,]+) duplicates, ([\d,]+) updated",
     "接受 {0} 行，拒绝 {1} 行，重复 {2} 行，更新 {3} 行"),
    (r"([\d,]+) accepted, ([\d,]+) rejected, ([\d,]+) duplicates, ([\d,]+) updated(.*)",
     lambda m: f"接受 {m.group(1)} 行，拒绝 {m.group(2)} 行，重复 {m.group(3)} 行，更新 {m.group(4)} 行"
               + translate_tail(m.group(5))),
    # reject reasons (one row; the others load)
    (r"missing value", "缺少值"),
    (r"cannot read '(.*)' as (a date/time|a whole number|an amount)",
     lambda m: f"无法将 '{m.group(1)}' 读作{_TYPE[m.group(2)]}"),
    (r"unknown event '(.*)' \(expected contact, payment or refund\)",
     "未知事件 '{0}'（应为 contact/联系、payment/付费 或 refund/退款）"),
    (r"must not be negative", "不能为负数"),
    (r"missing value \(a (payment|refund) needs an amount\)", lambda m: f"缺少值（{_EVENT[m.group(1)]}需要金额）"),
    (r"a payment amount must not be negative", "付费金额不能为负数"),
    (r"too few fields: the header has ([\d,]+)", "字段太少：表头有 {0} 个"),
    (r"too many fields: the header has ([\d,]+)", "字段太多：表头有 {0} 个"),
    (r"a quoted field is not closed, or has text after its closing quote", "引号字段未闭合，或闭合引号后还有文字"),
    (r"the row has invalid characters", "该行含有无效字符"),
    (r"the row is too long", "该行太长"),
    (r"a quoted field is not closed: this row and the rest of the file cannot be read",
     "引号字段未闭合：该行及文件其余部分无法读取"),
    (r"the row cannot be read", "该行无法读取"),
    # progress steps
    (r"reading rows", "正在读取数据行"),
    (r"reading (.+)", "正在读取 {0}"),
    (r"checking the text encoding", "正在检查文本编码"),
    (r"checking rows", "正在检查数据行"),
    (r"listing rejected rows", "正在列出被拒绝的行"),
    (r"checking for duplicates", "正在检查重复行"),
    (r"recording the upload", "正在记录上传"),
    (r"updating the models", "正在更新模型"),
    (r"done", "完成"),
    # notes
    (r"some bytes were not valid (.+) and were replaced by \ufffd", "部分字节不是有效的 {0}，已替换为 \ufffd"),
    (r"the text encoding was guessed as (.+)", "文本编码推测为 {0}"),
    (r"only the first ([\d,]+) of ([\d,]+) extra columns were kept", "{1} 个额外列中只保留了前 {0} 个"),
    (r"only the first ([\d,]+) reject reasons are listed", "只列出前 {0} 条拒绝原因"),
]]

# column names of the rejects table / CSV
REJECT_COLUMNS = {"line": ("line", "行号"), "column": ("column", "列"), "reason": ("reason", "原因"),
                  "value": ("value", "值")}


def translate_tail(tail: str) -> str:
    """The notes a summary may carry after it (``; note; note``), each translated."""
    parts = [p.strip() for p in re.split(r"[;.]\s+|\s+\(|\)", tail) if p.strip()]
    return "".join(f"；{translate(p, 'zh')}" for p in parts)


def known(text: str) -> bool:
    return any(p.fullmatch(text) for p, _ in _RULES)


def translate(text: str | None, lang: str = "en") -> str:
    """``text`` (a loader message) in ``lang``; English, or an unknown shape: as it is."""
    if text is None or lang != "zh":
        return "" if text is None else text
    for p, z in _RULES:
        m = p.fullmatch(text)
        if m:
            return z(m) if callable(z) else str(z).format(*m.groups())
    return text
