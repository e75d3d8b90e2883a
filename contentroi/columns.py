"""The columns of the three logs and how file headers are matched to them.

CONTRACT §1 lists, per log, each canonical column with its type, whether it is
required, and the aliases a header may use. A header matches a column when
they are equal after :func:`normalise_header` (case, white space, ``_``/``-``,
full-width forms and a BOM do not matter). A header such as ``金额（元）`` that
does not match as is is tried again without its bracketed unit.
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass

from .limits import LOGS  # noqa: E402  (defined once: contentroi/limits.py)
TYPES = ("text", "datetime", "int", "decimal", "event")


@dataclass(frozen=True)
class ColumnSpec:
    name: str                    # canonical column name (= column of the raw table)
    type: str                    # one of TYPES
    required: bool
    aliases: tuple[str, ...] = ()
    is_id: bool = False          # an identifier: "1001.0" (an Excel number) reads as "1001"


_USER_ALIASES = (
    "用户ID", "unionid", "微信号", "用户", "用户编号", "openid", "uid", "user", "userid",
    "客户ID", "客户编号", "微信ID", "wechat_id", "wxid", "member_id", "会员ID", "customer_id",
)

COLUMNS: dict[str, list[ColumnSpec]] = {
    "articles": [
        ColumnSpec("article_id", "text", True,
                   ("id", "文章ID", "文章编号", "article", "内容ID", "内容编号",
                    "稿件ID", "post_id", "content_id"), is_id=True),
        ColumnSpec("title", "text", True,
                   ("标题", "文章标题", "文章名称", "题目", "headline", "article_title")),
        ColumnSpec("channel", "text", True,
                   ("渠道", "平台", "source", "发布渠道", "发布平台", "来源渠道", "platform",
                    "medium")),
        ColumnSpec("published_at", "datetime", True,
                   ("发布时间", "publish_time", "发布日期", "发表时间", "发文时间", "推送时间",
                    "published", "publish_date", "published_time", "pub_time", "publish_at")),
        ColumnSpec("author", "text", False,
                   ("作者", "editor", "编辑", "小编", "writer", "作者名")),
        ColumnSpec("reads", "int", False,
                   ("阅读数", "阅读量", "views", "阅读", "阅读次数", "浏览量", "浏览数", "浏览次数",
                    "read_count", "reads_count", "view_count", "read", "pv")),
        ColumnSpec("cost", "decimal", False,
                   ("成本", "费用", "spend", "花费", "投放成本", "投放费用", "推广费用", "推广费",
                    "投入", "cost_cny")),
    ],
    "joins": [
        ColumnSpec("user_id", "text", True, _USER_ALIASES, is_id=True),
        ColumnSpec("joined_at", "datetime", True,
                   ("入群时间", "join_time", "加群时间", "进群时间", "加入时间", "入群日期",
                    "joined", "join_date", "join_at", "时间")),
        ColumnSpec("article_id", "text", False,
                   ("文章ID", "来源文章", "source_article", "文章编号", "来源文章ID",
                    "source_article_id", "article", "文章", "from_article"), is_id=True),
        ColumnSpec("group_id", "text", False,
                   ("群ID", "群名称", "group", "群", "群名", "群聊", "群聊名称", "群编号", "社群",
                    "社群名称", "group_name", "groupid"), is_id=True),
    ],
    "sales": [
        ColumnSpec("user_id", "text", True, _USER_ALIASES + ("客户",), is_id=True),
        ColumnSpec("event", "event", True,
                   ("事件", "类型", "事件类型", "event_type", "type", "动作", "行为", "action")),
        ColumnSpec("occurred_at", "datetime", True,
                   ("时间", "发生时间", "事件时间", "event_time", "日期时间", "时间戳", "日期",
                    "timestamp", "time", "datetime", "date", "occurred", "occurred_time")),
        ColumnSpec("rep", "text", False,
                   ("销售", "顾问", "sales_rep", "销售人员", "销售顾问", "销售员", "课程顾问",
                    "跟进人", "负责人", "salesperson", "owner")),
        ColumnSpec("amount", "decimal", False,
                   ("金额", "付款金额", "支付金额", "订单金额", "成交金额", "实付金额", "退款金额",
                    "money", "amount_cny")),
        ColumnSpec("order_id", "text", False,
                   ("订单号", "订单编号", "订单ID", "订单", "交易单号", "交易号", "order",
                    "order_no", "orderid"), is_id=True),
    ],
}

_STRIP = re.compile(r"[\s_\-\u200b\u200c\u200d\ufeff]+")
_BRACKETED = re.compile(r"\(.*?\)|\[.*?\]|【.*?】")


def normalise_header(h: str | None) -> str:
    """The form headers and aliases are compared in."""
    s = unicodedata.normalize("NFKC", h or "")
    return _STRIP.sub("", s).casefold()


def _unbracketed(norm: str) -> str:
    return _BRACKETED.sub("", norm)


def _alias_table(log: str) -> dict[str, tuple[str, int]]:
    """normalised alias -> (canonical, rank); rank 0 is the canonical name itself."""
    table: dict[str, tuple[str, int]] = {}
    for spec in COLUMNS[log]:
        for rank, alias in enumerate((spec.name, *spec.aliases)):
            key = normalise_header(alias)
            other = table.get(key)
            if other is not None and other[0] != spec.name:
                raise AssertionError(f"alias {alias!r} names two columns of {log}")
            table.setdefault(key, (spec.name, rank))
    return table


ALIAS_TABLES = {log: _alias_table(log) for log in LOGS}


def spec_of(log: str, name: str) -> ColumnSpec:
    for spec in COLUMNS[log]:
        if spec.name == name:
            return spec
    raise KeyError(name)


def required_columns(log: str) -> list[str]:
    return [s.name for s in COLUMNS[log] if s.required]


def match_headers(log: str, headers: list[str]) -> dict[str, str]:
    """canonical -> header, by alias. Where several headers match one column,
    the canonical name beats an alias, an earlier alias beats a later one, and
    then the leftmost header wins."""
    table = ALIAS_TABLES[log]
    best: dict[str, tuple[int, int, int, str]] = {}
    for pos, header in enumerate(headers):
        norm = normalise_header(header)
        hit, loose = table.get(norm), 0
        if hit is None:
            hit, loose = table.get(_unbracketed(norm)), 1
        if hit is None:
            continue
        canonical, rank = hit
        key = (loose, rank, pos, header)
        if canonical not in best or key < best[canonical]:
            best[canonical] = key
    order = [s.name for s in COLUMNS[log]]
    return {c: best[c][3] for c in order if c in best}


def guess_log(headers: list[str]) -> str | None:
    """Which log a header row looks like.

    A log all of whose required columns are matched wins (the one matching
    most columns, then with fewest headers left over). Failing that, the log
    matching most required columns, if at least two; else None."""
    complete, partial = [], []
    for i, log in enumerate(LOGS):
        m = match_headers(log, headers)
        req = required_columns(log)
        got = sum(1 for c in req if c in m)
        if got == len(req):
            complete.append((-len(m), len(headers) - len(set(m.values())), i, log))
        elif got >= 2:
            partial.append((-got, -len(m), i, log))
    if complete:
        return min(complete)[3]
    if partial:
        return min(partial)[3]
    return None


def header_shape(headers: list[str]) -> str:
    """Key under which a column mapping is saved: a hash of the normalised headers."""
    norm = [normalise_header(h) for h in headers]
    return hashlib.sha256(json.dumps(norm, ensure_ascii=False).encode("utf-8")).hexdigest()[:24]
