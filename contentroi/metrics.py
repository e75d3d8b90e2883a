"""THE METRICS LAYER (Python side): one registry entry per measure and rate.

Each entry says what a figure is, once: its SQL (the macro of
``queries/models/35_metrics.sql`` that computes it, or how a count is counted),
its grain, its label and help in both languages (the translation keys ``m_<key>``
and ``mh_<key>`` come from here), its format kind, whether higher is better, and
for a rate its numerator and denominator (for intervals, tests and the "n" a
page shows next to it). Pages, charts, the digest, CSV headers and
``st_app.column_config`` read it; ``tests/test_metrics.py`` checks that the SQL
computes every registered rate only through its macro.

Pure Python (no Streamlit, no DuckDB).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# Format kinds (contentroi/fmt.py formats each, in both languages).
KINDS = ("count", "money", "rate", "roi", "days", "hours", "text")

# Grains: how a figure of a group (a channel, the total) is made from its articles.
#   users   distinct users (a user reached by two articles of a group counts once)
#   sum     a sum over articles or payments
#   ratio   a ratio of two figures of the same group
#   article a figure of one article only


@dataclass(frozen=True)
class Metric:
    key: str
    kind: str
    label: tuple[str, str]
    help: tuple[str, str] = ("", "")
    grain: str = "sum"
    higher_is_better: bool | None = True
    sql: str = ""  # the macro (35_metrics.sql) or how it is counted
    num: str | None = None  # rates: the numerator's metric
    den: str | None = None  # rates: the denominator's metric (its "n")

    @property
    def is_rate(self) -> bool:
        return self.num is not None


_M = Metric
REGISTRY: tuple[Metric, ...] = (
    # ---- counts -----------------------------------------------------------------
    _M("articles", "count", ("Articles", "文章数"), grain="sum", sql="count(*) of sel_articles"),
    _M("reads", "count", ("Reads", "阅读"),
       ("Views of the selected articles, from the articles log. Views, not people: one person "
        "can read many times.",
        "所选文章的阅读数（来自文章日志）。这是浏览次数而不是人数：同一个人可以多次阅读。"),
       grain="sum", sql="sum(articles.reads)"),
    _M("joins", "count", ("Joins", "入群"),
       ("Distinct people who joined a group through at least one selected article.",
        "通过至少一篇所选文章入群的去重用户数。"),
       grain="users", sql="distinct users with a touch (fct_user_article)"),
    _M("contacted", "count", ("Contacted", "已联系"),
       ("Of the joined users: those contacted by sales within {w} days of their first join "
        "through the article.",
        "入群用户中，在通过该文章首次入群后 {w} 天内被销售联系的人数。"),
       grain="users", sql="sel_ua(...).contacted: dc_us <= win_us(W)"),
    _M("paid", "count", ("Paid", "付费"),
       ("Of the contacted users: those who paid after the contact, within {w} days of their "
        "first join (an ordered funnel).",
        "被联系用户中，在联系之后、首次入群 {w} 天内付费的人数（有序漏斗）。"),
       grain="users", sql="sel_ua(...).paid: dp_us <= win_us(W)"),
    _M("paid_without_contact", "count", ("Paid without contact", "未联系即付费"),
       ("Users who paid inside the window without a contact first.",
        "在窗口内付费、但付费前没有被联系的用户。"),
       grain="users", higher_is_better=None, sql="sel_ua(...).paid_without_contact"),
    # ---- money ------------------------------------------------------------------
    _M("revenue", "money", ("Revenue", "收入"),
       ("Payments (net of refunds) credited to the selected articles under the {model} model.",
        "按“{model}”模型归因到所选文章的付费金额（已扣除退款）。"),
       grain="sum", sql="sum(fct_revenue(W, model).revenue)"),
    _M("unattributed_revenue", "money", ("Unattributed revenue", "未归因收入"),
       ("Payments with no group join in the window before them (net of refunds).",
        "之前窗口内没有入群记录的付费（已扣除退款）。"),
       grain="sum", higher_is_better=False, sql="sum(fct_unattributed(W).net_amount)"),
    _M("cost", "money", ("Cost", "成本"),
       ("Content cost of the selected articles, from the articles log. Articles without a cost "
        "are left out of the sum (unknown, not free).",
        "所选文章的内容成本（来自文章日志）。没有填写成本的文章不计入合计（未知，不是免费）。"),
       grain="sum", higher_is_better=False, sql="sum(articles.cost)"),
    _M("roi", "roi", ("ROI", "投资回报率"),
       ("(revenue − cost) / cost. — when the cost is 0 or unknown.",
        "（收入 − 成本）/ 成本。成本为 0 或未知时显示“—”。"),
       grain="ratio", sql="roi(revenue, cost)", num="revenue", den="cost"),
    _M("cost_per_paid", "money", ("Cost per paid user", "单个付费用户成本"),
       ("Cost / paid users. — when either is 0 or unknown.",
        "成本 / 付费用户数。任一为 0 或未知时显示“—”。"),
       grain="ratio", higher_is_better=False, sql="cost_per_paid(cost, paid)"),
    _M("revenue_per_1k_reads", "money", ("Revenue per 1,000 reads", "千次阅读收入"),
       ("1,000 × revenue / reads.", "1000 × 收入 / 阅读数。"),
       grain="ratio", sql="revenue_per_1k_reads(revenue, reads)"),
    # ---- rates (numerator / denominator) ------------------------------------------
    _M("join_rate", "rate", ("Join rate", "入群率"),
       ("Joined users / reads.", "入群用户数 / 阅读数。"),
       grain="ratio", sql="join_rate(joins, reads)", num="joins", den="reads"),
    _M("contact_rate", "rate", ("Contact rate", "联系率"),
       ("Contacted users / joined users.", "已联系用户数 / 入群用户数。"),
       grain="ratio", sql="contact_rate(contacted, joins)", num="contacted", den="joins"),
    _M("pay_rate", "rate", ("Pay rate", "付费率"),
       ("Paid users / contacted users.", "付费用户数 / 已联系用户数。"),
       grain="ratio", sql="pay_rate(paid, contacted)", num="paid", den="contacted"),
    _M("overall_rate", "rate", ("Overall rate", "整体转化率"),
       ("Paid users / joined users.", "付费用户数 / 入群用户数。"),
       grain="ratio", sql="overall_rate(paid, joins)", num="paid", den="joins"),
    # ---- time -------------------------------------------------------------------
    _M("median_days_to_pay", "days", ("Median days to pay", "付费天数中位数"),
       ("Median over paid users of (first payment − first join), in days.",
        "付费用户（首次付费 − 首次入群）的天数中位数。"),
       grain="article", higher_is_better=False, sql="median(days_to_pay)"),
)

METRICS: dict[str, Metric] = {m.key: m for m in REGISTRY}
RATES: tuple[str, ...] = tuple(m.key for m in REGISTRY if m.kind == "rate")
# the rate macros of 35_metrics.sql: name -> (numerator, denominator)
RATE_MACROS: dict[str, tuple[str, str]] = {m.key: (m.num, m.den) for m in REGISTRY if m.kind == "rate"}


def get(key: str) -> Metric:
    return METRICS[key]


def denominator(rate: str) -> str:
    """The metric a rate is a share of (its "n")."""
    m = METRICS[rate]
    if m.den is None:
        raise KeyError(f"{rate!r} is not a rate")
    return m.den


def counts(rate: str) -> tuple[str, str]:
    """A rate's (numerator, denominator) metrics."""
    m = METRICS[rate]
    return m.num, m.den  # type: ignore[return-value]


def higher_is_better(key: str) -> bool | None:
    m = METRICS.get(base(key))
    return m.higher_is_better if m else None


# ---- column names -> registered metrics -------------------------------------------

# suffixes a page or query adds to a metric's column (the same kind of figure)
_SUFFIX_RE = re.compile(r"_(prev|previous|cur|lo|hi|before|now)$")
# other column names with a fixed kind
_EXTRA_KIND = {
    "amount": "money", "refunds": "money", "net_revenue": "money", "gross_revenue": "money",
    "payments": "count", "rows": "count", "users": "count", "n": "count", "n_prev": "count",
    "n_cur": "count", "num_cur": "count", "num_prev": "count", "shortfall": "count",
    "users_handled": "count", "contacts": "count", "open": "count", "not_contacted": "count",
    "closing_soon": "count", "from_period": "count", "touches": "count",
    "growth": "rate", "growth_pct": "rate", "change": "rate", "change_pp": "rate",
    "repeat_rate": "rate", "payers": "count", "age_days": "count",  # the Cohorts page
    "rate_cur": "rate", "rate_prev": "rate", "days_to_pay": "days",
    "median_response_hours": "hours",
    # the markov model's table (Attribution page): shares, shown as percentages
    "removal_effect_pct": "rate", "lo_pct": "rate", "hi_pct": "rate", "share_pct": "rate",
    "paths": "count", "conv_paths": "count",
}


def base(col: str) -> str:
    """The registered metric a column shows (``joins_prev`` -> ``joins``), else the name."""
    if col in METRICS:
        return col
    b = _SUFFIX_RE.sub("", col)
    return b if b in METRICS else col


def kind_of(col: str) -> str | None:
    """The format kind of a column: its metric's, or a fixed one; None when unknown."""
    b = base(col)
    if b in METRICS:
        return METRICS[b].kind
    if col.startswith("rev_"):  # revenue under one model (attribution)
        return "money"
    return _EXTRA_KIND.get(col)


def label(key: str, lang: str = "en") -> str:
    m = METRICS[base(key)]
    return m.label[1 if lang == "zh" else 0]


def i18n_text() -> dict[str, tuple[str, str]]:
    """The labels and help as translation entries ``m_<key>`` / ``mh_<key>``."""
    out: dict[str, tuple[str, str]] = {}
    for m in REGISTRY:
        out[f"m_{m.key}"] = m.label
        if m.help[0]:
            out[f"mh_{m.key}"] = m.help
    return out


def ratio(num, den) -> float | None:
    """A rate in Python (unrounded), with SQL's rule: None when the denominator is 0 or
    unknown. For figures the SQL did not compute as a rate (a chart's step, a sum)."""
    if num is None or den is None or den != den or num != num or den == 0:
        return None
    return float(num) / float(den)
