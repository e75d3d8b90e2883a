"""Sample data: a made-up but realistic world for a Chinese content team.

Three CSV logs with the contract's canonical English headers (UTF-8)::

    articles.csv  article_id,title,channel,published_at,author,reads,cost
    joins.csv     user_id,joined_at,article_id,group_id
    sales.csv     user_id,event,occurred_at,rep,amount,order_id

:func:`generate` writes the small demo sample shipped in ``data/sample``;
:func:`generate_world` writes the same kind of world at benchmark scale with
exact row counts. Both are fully vectorised (numpy draws, DuckDB formats and
writes the CSV) and deterministic for a seed: the same arguments give the same
bytes.

The world, on purpose, contains what real exports contain:

* articles over ``months`` months from ``start``, five channels with their own
  reads, join rates, costs and conversion (wechat converts best, weibo worst);
  some articles are organic (cost 0) and a few have no cost at all;
* joins that come after their article (mostly within days), ~5% organic joins
  with an empty ``article_id``, ~1% naming an article that is not in the
  article log, a few hundred returning users touched by 2-4 different articles
  and some users who joined twice through one article;
* sales contacts (usually 0-5 days after a join), payments at a few price
  points (mostly 1-20 days after contact, some after 30+ days, some without
  any contact), ~5% refunded (full or partial, same ``order_id``), a couple of
  refunds naming an unknown order, and a few sales users who never joined.

Nothing happens on or after ``start + months`` (2026-11-01 for the defaults).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

__all__ = ["generate", "generate_world", "CHANNELS", "HEADERS"]

HEADERS = {
    "articles": ["article_id", "title", "channel", "published_at", "author", "reads", "cost"],
    "joins": ["user_id", "joined_at", "article_id", "group_id"],
    "sales": ["user_id", "event", "occurred_at", "rep", "amount", "order_id"],
}

DAY = 86_400
HOUR = 3_600

# --------------------------------------------------------------------------
# The world's parameters, per channel (same order as CHANNELS).
CHANNELS = ("wechat", "zhihu", "weibo", "douyin", "xiaohongshu")
_ARTICLE_MIX = np.array([0.36, 0.18, 0.12, 0.14, 0.20])
_READS_MEDIAN = np.array([7_000, 4_500, 12_000, 45_000, 9_000])
_READS_SIGMA = np.array([0.75, 0.85, 0.9, 1.0, 0.9])
_READS_LO = np.array([2_000, 800, 1_500, 5_000, 1_000])
_READS_HI = np.array([50_000, 60_000, 150_000, 1_200_000, 200_000])
_JOIN_RATE = np.array([0.030, 0.018, 0.004, 0.004, 0.012])     # joins per read (relative)
_COST_MEDIAN = np.array([900.0, 500.0, 1_600.0, 3_800.0, 1_400.0])
_COST_SIGMA = np.array([0.6, 0.6, 0.5, 0.6, 0.7])
_ORGANIC_SHARE = np.array([0.18, 0.25, 0.08, 0.05, 0.12])      # cost 0
# Conversion, index 5 = joins without a known article (organic / unknown).
_P_CONTACT = np.array([0.30, 0.22, 0.11, 0.16, 0.23, 0.13])
_P_PAY = np.array([0.28, 0.22, 0.09, 0.14, 0.19, 0.16])
_P_SELF_PAY = np.array([0.012, 0.008, 0.002, 0.006, 0.007, 0.010])  # paid, never contacted
# Price points and the share of each per channel.
_PRICES = np.array([99.0, 199.0, 499.0, 1280.0, 2980.0])
_PRICE_MIX = np.array([
    [0.22, 0.26, 0.24, 0.18, 0.10],   # wechat
    [0.20, 0.28, 0.26, 0.18, 0.08],   # zhihu
    [0.45, 0.30, 0.15, 0.08, 0.02],   # weibo
    [0.48, 0.30, 0.14, 0.06, 0.02],   # douyin
    [0.30, 0.32, 0.20, 0.12, 0.06],   # xiaohongshu
    [0.30, 0.30, 0.20, 0.14, 0.06],   # no article
])

_AUTHORS_ZH = ["林晓", "陈思远", "王雨桐", "周子涵", "赵明轩", "孙悦", "郑可欣", "黄嘉怡"]
_AUTHORS_EN = ["Lin Xiao", "Chen Siyuan", "Wang Yutong", "Zhou Zihan",
               "Zhao Mingxuan", "Sun Yue", "Zheng Kexin", "Huang Jiayi"]
# Which author writes for which channel (rows: channels, columns: authors).
_AUTHOR_MIX = np.array([
    [5, 4, 1, 3, 1, 1, 2, 1],
    [1, 1, 5, 1, 3, 1, 1, 1],
    [1, 1, 1, 1, 1, 4, 1, 2],
    [1, 1, 1, 1, 2, 1, 5, 2],
    [1, 2, 1, 3, 1, 1, 1, 5],
], dtype=float)
_REPS_ZH = ["王磊", "刘婷", "陈浩", "杨帆", "赵静", "徐鹏"]
_REPS_EN = ["Wang Lei", "Liu Ting", "Chen Hao", "Yang Fan", "Zhao Jing", "Xu Peng"]
_REP_LOAD = np.array([0.24, 0.20, 0.18, 0.16, 0.12, 0.10])
_REP_SKILL = np.array([1.20, 1.10, 1.00, 0.95, 0.85, 0.75])

# Title building blocks: topics by domain, templates with {t} (topic) and {n}.
_TOPICS_ZH = [
    ["职场沟通", "向上管理", "跳槽涨薪", "简历优化", "面试技巧", "时间管理", "副业"],      # 职场
    ["基金定投", "个人理财", "存钱计划", "指数基金", "保险配置", "记账"],                # 理财
    ["AI写作", "ChatGPT提示词", "AI做PPT", "AI绘画", "AI效率工具", "大模型应用", "AI办公"],  # AI工具
    ["考研英语", "考研数学", "考研择校", "考研复试", "考研政治"],                       # 考研
    ["幼儿英语启蒙", "亲子阅读", "儿童专注力", "幼小衔接", "睡前故事"],                  # 育儿
    ["减脂饮食", "居家健身", "跑步入门", "体态矫正", "增肌训练"],                       # 健身
]
_TOPICS_EN = [
    ["workplace communication", "managing up", "salary negotiation", "resumes",
     "job interviews", "time management", "side hustles"],
    ["index funds", "personal finance", "saving money", "ETFs", "insurance", "budgeting"],
    ["AI writing", "ChatGPT prompts", "AI slides", "AI art", "AI productivity tools",
     "LLM apps", "AI at work"],
    ["grad-school English", "grad-school maths", "choosing a grad school",
     "grad-school interviews", "exam prep"],
    ["early English for kids", "reading with kids", "kids' focus", "starting school",
     "bedtime stories"],
    ["fat-loss diets", "home workouts", "running for beginners", "posture", "strength training"],
]
_TEMPLATES_ZH = [
    "{t}：新手最常踩的{n}个坑",
    "我用{n}个月搞懂了{t}，总结成这一篇",
    "{t}完全指南（2026版）",
    "关于{t}，90%的人都想错了",
    "{n}张图看懂{t}",
    "为什么你的{t}总是没效果？",
    "{t}入门：从0到1的{n}步",
    "写给打工人的{t}清单",
    "{t}避坑指南：这{n}件事一定要知道",
    "深度｜{t}的底层逻辑",
    "一文讲透{t}",
    "{t}，普通人如何上手？",
    "收藏！{t}必备的{n}个工具",
    "{n}天实测：{t}到底有没有用",
    "别再乱学{t}了，这样做效率翻倍",
    "{t}真实复盘：{n}个经验和教训",
]
_TEMPLATES_EN = [
    "{t}: a beginner's guide",
    "{n} mistakes to avoid with {t}",
    "How I learned {t} in {n} weeks",
    "The {t} checklist",
    "{t}, explained in {n} charts",
]
# Channel flavour in front of Chinese titles.
_PREFIX_ZH = ["", "", "#{d}# ", "【视频】", ""]
_PREFIX_EN = ["", "", "#{d} ", "[Video] ", ""]
_DOMAINS_ZH = ["职场", "理财", "AI工具", "考研", "育儿", "健身"]
_DOMAINS_EN = ["career", "money", "AI", "gradschool", "parenting", "fitness"]


# --------------------------------------------------------------------------
@dataclass
class _World:
    # articles (sorted by published_at, article i has id i + 1)
    a_channel: np.ndarray
    a_pub: np.ndarray
    a_author: np.ndarray
    a_reads: np.ndarray
    a_cost: np.ndarray          # NaN = missing
    a_lang: np.ndarray          # 0 zh, 1 en
    a_tpl: np.ndarray
    a_topic: np.ndarray
    a_num: np.ndarray
    a_domain: np.ndarray
    # joins (sorted by joined_at)
    j_user: np.ndarray          # user number (index into user_ids)
    j_time: np.ndarray
    j_article: np.ndarray       # -1 = organic, >= n_articles = unknown id
    j_gkind: np.ndarray         # channel index, or -1 for 读者N群 groups
    j_gnum: np.ndarray
    # sales (sorted by occurred_at)
    s_user: np.ndarray
    s_event: np.ndarray         # 0 contact, 1 payment, 2 refund
    s_time: np.ndarray
    s_rep: np.ndarray           # -1 = none
    s_amount: np.ndarray        # NaN = none
    s_order: np.ndarray         # 0 = none
    user_ids: np.ndarray        # user number -> the number shown in u%06d
    order_width: int


def _epoch_seconds(d: date) -> int:
    return int(np.datetime64(d.isoformat(), "s").astype(np.int64))


def _period(start: str, months: int) -> tuple[int, int]:
    s = date.fromisoformat(str(start)[:10])
    m = s.month - 1 + int(months)
    e = date(s.year + m // 12, m % 12 + 1, min(s.day, 28))
    return _epoch_seconds(s), _epoch_seconds(e)


def _office_hours(rng: np.random.Generator, t: np.ndarray) -> np.ndarray:
    """Move times that fall at night to the next morning (never earlier)."""
    tod = t % DAY
    early = tod < 9 * HOUR
    late = tod >= 22 * HOUR
    jitter = rng.integers(0, 2 * HOUR, t.size)
    t = np.where(early, t - tod + 9 * HOUR + jitter, t)
    t = np.where(late, t - tod + DAY + 9 * HOUR + jitter, t)
    return t


def _squeeze(rng: np.random.Generator, base: np.ndarray, t: np.ndarray, t_end: int) -> np.ndarray:
    """Times past the end are redrawn between their predecessor and the end."""
    over = t >= t_end
    if over.any():
        room = np.maximum(t_end - 60 - base[over], 0)
        t = t.copy()
        t[over] = base[over] + (rng.random(int(over.sum())) * room).astype(np.int64)
    return t


def _build(rng: np.random.Generator, n_articles: int, n_joins: int, n_sales: int | None,
           start: str, months: int) -> _World:
    if n_articles < 1 or n_joins < 1:
        raise ValueError("n_articles and n_joins must be at least 1")
    t0, t_end = _period(start, months)
    span = t_end - t0
    n = n_articles

    # ---------------------------------------------------------------- articles
    ch = rng.choice(len(CHANNELS), n, p=_ARTICLE_MIX)
    day = rng.integers(0, max(span // DAY, 1), n)
    # publishing slots: morning push, lunch, evening peak
    slot = rng.choice(4, n, p=[0.25, 0.15, 0.45, 0.15])
    hour = np.array([7, 12, 18, 9])[slot] + rng.integers(0, 3, n) * (slot != 3) + rng.integers(0, 9, n) * (slot == 3)
    pub = t0 + day * DAY + hour * HOUR + rng.integers(0, 60, n) * 60 + rng.integers(0, 60, n)
    pub = np.minimum(pub, t_end - 2 * HOUR)
    order = np.argsort(pub, kind="stable")
    ch, pub = ch[order], pub[order]

    age_days = (t_end - pub) / DAY                      # how long it has been out
    reads = np.exp(np.log(_READS_MEDIAN[ch]) + _READS_SIGMA[ch] * rng.standard_normal(n))
    reads = np.maximum(reads, _READS_LO[ch])
    hi = _READS_HI[ch]
    reads = np.where(reads > hi, hi * (0.75 + 0.25 * rng.random(n)), reads)   # soft cap
    reads = reads * (1 - 0.6 * np.exp(-age_days / 2))   # the newest are still growing
    reads = np.round(reads).astype(np.int64)

    cum = np.cumsum(_AUTHOR_MIX / _AUTHOR_MIX.sum(1, keepdims=True), axis=1)
    author = (rng.random(n)[:, None] > cum[ch]).sum(1)
    author = np.minimum(author, len(_AUTHORS_ZH) - 1)

    cost = np.exp(np.log(_COST_MEDIAN[ch]) + _COST_SIGMA[ch] * rng.standard_normal(n))
    cents = rng.random(n) < 0.25
    cost = np.where(cents, np.round(cost, 2), np.round(cost, -1))
    cost = np.where(rng.random(n) < _ORGANIC_SHARE[ch], 0.0, cost)
    cost = np.where(rng.random(n) < 0.03, np.nan, cost)

    # titles: authors favour two domains
    fav = np.stack([np.arange(8) % 6, (np.arange(8) * 5 + 2) % 6], axis=1)
    domain = np.where(rng.random(n) < 0.75, fav[author, rng.integers(0, 2, n)],
                      rng.integers(0, 6, n))
    lang = (rng.random(n) < 0.05).astype(np.int64)
    sizes = np.array([len(x) for x in _TOPICS_ZH])
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    topic = offsets[domain] + (rng.random(n) * sizes[domain]).astype(np.int64)
    tpl = np.where(lang == 1, rng.integers(0, len(_TEMPLATES_EN), n),
                   rng.integers(0, len(_TEMPLATES_ZH), n))
    num = rng.choice(np.array([3, 3, 5, 5, 5, 6, 7, 7, 8, 10, 12]), n)

    # ------------------------------------------------------------------- joins
    quality = np.exp(0.7 * rng.standard_normal(n))
    w = reads * _JOIN_RATE[ch] * quality * (1 - np.exp(-age_days / 1.5))
    p_art = w / w.sum()

    n_org = round(0.05 * n_joins)
    n_unk = round(0.01 * n_joins)
    n_dup = round(0.015 * n_joins)
    n_ret = round(0.03 * n_joins) if n >= 4 else 0
    k = rng.integers(2, 5, n_ret)
    if n_joins - n_org - n_unk - n_dup - int(k.sum()) < 0:   # tiny worlds
        n_ret, k, n_dup = 0, k[:0], 0
    n_single = n_joins - n_org - n_unk - n_dup - int(k.sum())

    # single-touch users 0 .. n_single-1
    u_single = np.arange(n_single)
    a_single = rng.choice(n, n_single, p=p_art)
    # returning users: 2-4 different, mostly later articles
    u_ret = n_single + np.repeat(np.arange(n_ret), k)
    first = np.repeat(rng.choice(n, n_ret, p=p_art), k)
    pos = np.arange(u_ret.size) - np.repeat(np.cumsum(k) - k, k)   # 0..k-1 within user
    step = rng.integers(1, max(n // 8, 1) + 1, u_ret.size) * (pos > 0)
    cs = np.cumsum(step)
    a_ret = (first + cs - np.repeat(cs[np.cumsum(k) - k], k)) % n   # distinct: span < n
    u_next = n_single + n_ret

    u_att = np.concatenate([u_single, u_ret])
    a_att = np.concatenate([a_single, a_ret])
    fast = rng.random(a_att.size)
    delay = np.where(fast < 0.6, rng.exponential(0.4 * DAY, a_att.size),
                     np.where(fast < 0.9, rng.exponential(3 * DAY, a_att.size),
                              rng.exponential(20 * DAY, a_att.size)))
    t_att = pub[a_att] + 60 + delay.astype(np.int64)
    t_att = _squeeze(rng, pub[a_att], t_att, t_end)

    # some users join twice through the same article
    src = rng.integers(0, a_att.size, n_dup) if a_att.size else np.zeros(0, np.int64)
    u_dup, a_dup = u_att[src], a_att[src]
    t_dup = t_att[src] + HOUR + rng.exponential(5 * DAY, n_dup).astype(np.int64)
    t_dup = _squeeze(rng, t_att[src], t_dup, t_end)

    # joins naming an article that is not in the article log
    n_unk_ids = max(1, min(40, n_unk // 4 + 1))
    u_unk = u_next + np.arange(n_unk)
    u_next += n_unk
    a_unk = n + rng.integers(0, n_unk_ids, n_unk)
    t_unk = t0 + (rng.random(n_unk) * (span - HOUR)).astype(np.int64)

    # organic joins (no article): mostly new people, some known users
    known = rng.random(n_org) < 0.1
    u_org = np.where(known & (n_single > 0), rng.integers(0, max(n_single, 1), n_org),
                     u_next + np.arange(n_org))
    u_next += n_org
    a_org = np.full(n_org, -1)
    t_org = t0 + (rng.random(n_org) * (span - HOUR)).astype(np.int64)

    j_user = np.concatenate([u_att, u_dup, u_unk, u_org])
    j_art = np.concatenate([a_att, a_dup, a_unk, a_org])
    j_time = np.concatenate([t_att, t_dup, t_unk, t_org])
    known_art = (j_art >= 0) & (j_art < n)
    j_ch = np.where(known_art, ch[np.clip(j_art, 0, n - 1)], 5)
    month = (j_time - t0) // (30 * DAY)
    j_gkind = np.where(known_art, j_ch, -1)
    j_gnum = np.where(known_art, 1 + month + (rng.random(n_joins) < 0.3),
                      rng.integers(1, 9, n_joins))
    jo = np.lexsort((j_user, j_time))
    j_user, j_art, j_time, j_ch, j_gkind, j_gnum = (
        x[jo] for x in (j_user, j_art, j_time, j_ch, j_gkind, j_gnum))

    # ------------------------------------------------------------------- sales
    # one anchor join per user: the join that moved them (random among theirs)
    by_user = np.lexsort((j_time, j_user))
    su = j_user[by_user]
    starts = np.flatnonzero(np.r_[True, su[1:] != su[:-1]])
    counts = np.diff(np.r_[starts, su.size])
    users = su[starts]
    m = users.size
    anchor = by_user[starts + (rng.random(m) * counts).astype(np.int64)]
    a_time, a_ch = j_time[anchor], j_ch[anchor]
    boost = np.where(counts > 1, 1.35, 1.0)
    rep_of = rng.choice(len(_REP_LOAD), m, p=_REP_LOAD)

    contacted = rng.random(m) < _P_CONTACT[a_ch] * boost
    d = np.where(rng.random(m) < 0.85, np.minimum(rng.exponential(1.2 * DAY, m), 5 * DAY),
                 rng.uniform(5 * DAY, 40 * DAY, m))
    c_time = _office_hours(rng, a_time + 300 + d.astype(np.int64))
    contacted &= c_time < t_end
    pays = contacted & (rng.random(m) < np.minimum(_P_PAY[a_ch] * _REP_SKILL[rep_of] * boost, 0.9))
    d = np.where(rng.random(m) < 0.88,
                 np.minimum(0.1 * DAY + rng.gamma(1.3, 4 * DAY, m), 20 * DAY),
                 rng.uniform(25 * DAY, 60 * DAY, m))
    p_time = _office_hours(rng, c_time + d.astype(np.int64))
    pays &= p_time < t_end
    self_pay = ~contacted & (rng.random(m) < _P_SELF_PAY[a_ch] * boost)
    sp_time = a_time + 600 + rng.exponential(2 * DAY, m).astype(np.int64)
    self_pay &= sp_time < t_end

    ci = np.flatnonzero(contacted)
    pi = np.flatnonzero(pays)
    si = np.flatnonzero(self_pay)

    # never-joined people who show up in the CRM
    n_ghost = max(5, round(0.002 * n_joins))
    g_users = u_next + np.arange(n_ghost)
    u_next += n_ghost
    g_time = _office_hours(rng, t0 + (rng.random(n_ghost) * (span - 30 * DAY)).astype(np.int64))
    g_contact = rng.random(n_ghost) < 0.8
    g_pay = rng.random(n_ghost) < 0.5
    g_rep = rng.choice(len(_REP_LOAD), n_ghost, p=_REP_LOAD)
    g_ptime = g_time + DAY + rng.exponential(3 * DAY, n_ghost).astype(np.int64)

    # payments: contacted payers, self-serve payers, ghosts, upsells
    pay_user = np.concatenate([users[pi], users[si], g_users[g_pay]])
    pay_time = np.concatenate([p_time[pi], _office_hours(rng, sp_time[si]), g_ptime[g_pay]])
    pay_rep = np.concatenate([rep_of[pi],
                              np.where(rng.random(si.size) < 0.6, -1, rep_of[si]),
                              np.where(g_contact[g_pay], g_rep[g_pay], -1)])
    pay_ch = np.concatenate([a_ch[pi], a_ch[si], np.full(int(g_pay.sum()), 5)])
    pcum = np.cumsum(_PRICE_MIX, axis=1)
    tier = np.minimum((rng.random(pay_user.size)[:, None] > pcum[pay_ch]).sum(1), len(_PRICES) - 1)
    up = rng.random(pay_user.size) < 0.06
    up_time = pay_time[up] + rng.uniform(10 * DAY, 50 * DAY, int(up.sum())).astype(np.int64)
    keep = up_time < t_end
    up_tier = np.minimum(tier[up] + rng.integers(1, 3, int(up.sum())), len(_PRICES) - 1)
    pay_user = np.concatenate([pay_user, pay_user[up][keep]])
    pay_time = np.concatenate([pay_time, _office_hours(rng, up_time[keep])])
    pay_rep = np.concatenate([pay_rep, pay_rep[up][keep]])
    tier = np.concatenate([tier, up_tier[keep]])
    pay_amount = _PRICES[tier]
    pay_time = np.minimum(pay_time, t_end - 60)
    n_pay = pay_user.size
    order_no = np.empty(n_pay, np.int64)
    order_no[np.lexsort((pay_user, pay_time))] = np.arange(1, n_pay + 1)

    # refunds (~5%): same order, full or partial, a little later
    ri = np.flatnonzero(rng.random(n_pay) < 0.05)
    r_time = pay_time[ri] + HOUR + rng.exponential(4 * DAY, ri.size).astype(np.int64)
    r_time = _squeeze(rng, pay_time[ri], r_time, t_end)
    part = rng.random(ri.size) < 0.3
    r_amount = np.where(part, np.round(pay_amount[ri] * rng.choice([0.3, 0.5], ri.size), 2),
                        pay_amount[ri])
    # one or two (more at scale) refunds naming an order nobody has
    n_bad = max(2, n_pay // 20_000)
    bi = rng.integers(0, max(n_pay, 1), n_bad) if n_pay else np.zeros(n_bad, np.int64)
    order_width = max(6, len(str(n_pay)))
    if n_pay >= 9 * 10 ** (order_width - 1):
        order_width += 1                    # keep room for the 9xxxxx unknown orders
    b_user = pay_user[bi] if n_pay else g_users[:1].repeat(n_bad)
    b_time = t_end - (rng.random(n_bad) * 60 * DAY).astype(np.int64) - HOUR
    b_amount = _PRICES[rng.integers(0, 3, n_bad)]
    b_order = 10 ** (order_width - 1) * 9 + rng.choice(10 ** (order_width - 2), n_bad, replace=False)

    # contacts: first contacts, ghost contacts, then follow-ups
    con_user = np.concatenate([users[ci], g_users[g_contact]])
    con_time = np.concatenate([c_time[ci], g_time[g_contact]])
    con_rep = np.concatenate([rep_of[ci], g_rep[g_contact]])
    core = con_user.size + n_pay + ri.size + n_bad
    if n_sales is None:
        n_follow = round(0.6 * ci.size)
    else:
        n_follow = n_sales - core
        if n_follow < 0:   # drop contacts of people who never paid
            paid_set = np.zeros(u_next, bool)
            paid_set[pay_user] = True
            droppable = np.flatnonzero(~paid_set[con_user])
            if droppable.size < -n_follow:
                raise ValueError(f"n_sales={n_sales} is too small for n_joins={n_joins}")
            drop = rng.choice(droppable, -n_follow, replace=False)
            mask = np.ones(con_user.size, bool)
            mask[drop] = False
            con_user, con_time, con_rep = con_user[mask], con_time[mask], con_rep[mask]
            n_follow = 0
    if n_follow > 0 and con_user.size == 0:
        raise ValueError("no contacted users to follow up")
    fi = rng.integers(0, max(con_user.size, 1), n_follow)
    f_time = con_time[fi] + HOUR + rng.exponential(6 * DAY, n_follow).astype(np.int64)
    f_time = _squeeze(rng, con_time[fi], _office_hours(rng, f_time), t_end)
    f_rep = np.where(rng.random(n_follow) < 0.9, con_rep[fi],
                     rng.choice(len(_REP_LOAD), n_follow, p=_REP_LOAD))

    s_user = np.concatenate([con_user, con_user[fi], pay_user, pay_user[ri], b_user])
    s_event = np.concatenate([np.zeros(con_user.size + n_follow, np.int64),
                              np.ones(n_pay, np.int64), np.full(ri.size + n_bad, 2)])
    s_time = np.concatenate([con_time, f_time, pay_time, r_time, b_time])
    s_rep = np.concatenate([con_rep, f_rep, pay_rep, pay_rep[ri], pay_rep[bi] if n_pay else np.full(n_bad, -1)])
    s_amount = np.concatenate([np.full(con_user.size + n_follow, np.nan), pay_amount, r_amount, b_amount])
    s_order = np.concatenate([np.zeros(con_user.size + n_follow, np.int64), order_no,
                              order_no[ri], b_order])
    so = np.lexsort((s_order, s_event, s_user, s_time))
    s_user, s_event, s_time, s_rep, s_amount, s_order = (
        x[so] for x in (s_user, s_event, s_time, s_rep, s_amount, s_order))

    # user numbers -> scattered ids (distinct: one per block of 3)
    user_ids = rng.permutation(u_next).astype(np.int64) * 3 + rng.integers(1, 4, u_next)

    return _World(ch, pub, author, reads, cost, lang, tpl, topic, num, domain,
                  j_user, j_time, j_art, j_gkind, j_gnum,
                  s_user, s_event, s_time, s_rep, s_amount, s_order,
                  user_ids, order_width)


# --------------------------------------------------------------------------
def _lit(values) -> str:
    return "[" + ", ".join("'" + str(v).replace("'", "''") + "'" for v in values) + "]"


def _ts(col: str) -> str:
    return f"strftime(make_timestamp({col} * 1000000), '%Y-%m-%d %H:%M:%S')"


def _write(world: _World, out_dir: str | Path, chinese: bool) -> dict[str, Path]:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {name: out / f"{name}.csv" for name in ("articles", "joins", "sales")}
    w = world
    n = w.a_channel.size
    aw = max(4, len(str(n + 1000)))
    uw = max(6, len(str(int(w.user_ids.max()))))

    con = duckdb.connect()
    try:
        con.execute("SET preserve_insertion_order = true")
        con.register("a_src", pd.DataFrame({
            "i": np.arange(n), "ch": w.a_channel, "pub": w.a_pub, "author": w.a_author,
            "reads": w.a_reads, "cost": np.nan_to_num(w.a_cost, nan=0.0),
            "no_cost": np.isnan(w.a_cost), "lang": w.a_lang, "tpl": w.a_tpl,
            "topic": w.a_topic, "num": w.a_num, "domain": w.a_domain}))
        con.register("j_src", pd.DataFrame({
            "uid": w.user_ids[w.j_user], "t": w.j_time, "art": w.j_article,
            "gkind": w.j_gkind, "gnum": w.j_gnum}))
        con.register("s_src", pd.DataFrame({
            "uid": w.user_ids[w.s_user], "ev": w.s_event, "t": w.s_time, "rep": w.s_rep,
            "amount": np.nan_to_num(w.s_amount, nan=0.0), "has_amount": ~np.isnan(w.s_amount),
            "ord": w.s_order}))

        channels = _lit(CHANNELS)
        zh_topics = _lit(t for d in _TOPICS_ZH for t in d)
        en_topics = _lit(t for d in _TOPICS_EN for t in d)
        authors = _lit(_AUTHORS_ZH if chinese else _AUTHORS_EN)
        reps = _lit(_REPS_ZH if chinese else _REPS_EN)
        zh_title = (f"replace(replace(replace({_lit(_PREFIX_ZH)}[ch + 1] || {_lit(_TEMPLATES_ZH)}[tpl + 1], "
                    f"'{{t}}', {zh_topics}[topic + 1]), '{{n}}', num::VARCHAR), "
                    f"'{{d}}', {_lit(_DOMAINS_ZH)}[domain + 1])")
        en_title = (f"replace(replace(replace({_lit(_PREFIX_EN)}[ch + 1] || {_lit(_TEMPLATES_EN)}[tpl + 1], "
                    f"'{{t}}', {en_topics}[topic + 1]), '{{n}}', num::VARCHAR), "
                    f"'{{d}}', {_lit(_DOMAINS_EN)}[domain + 1])")
        if chinese:
            title = f"CASE WHEN lang = 1 THEN {en_title} ELSE {zh_title} END"
        else:
            title = en_title.replace("[tpl + 1]", f"[tpl % {len(_TEMPLATES_EN)} + 1]")
        # The SELECTs embed only this module's constants (_lit quotes them); the
        # output paths go through the relation API, never into SQL text.
        articles_sql = f"""
            SELECT printf('A%0{aw}d', i + 1) AS article_id,
                   {title} AS title,
                   {channels}[ch + 1] AS channel,
                   {_ts('pub')} AS published_at,
                   {authors}[author + 1] AS author,
                   reads,
                   CASE WHEN no_cost THEN NULL ELSE printf('%.2f', cost) END AS cost
            FROM a_src ORDER BY i"""
        _write_csv(con, articles_sql, paths["articles"])

        org_group = "'读者' || gnum || '群'" if chinese else "printf('G-organic-%02d', gnum)"
        joins_sql = f"""
            SELECT printf('u%0{uw}d', uid) AS user_id,
                   {_ts('t')} AS joined_at,
                   CASE WHEN art < 0 THEN NULL ELSE printf('A%0{aw}d', art + 1) END AS article_id,
                   CASE WHEN gkind < 0 THEN {org_group}
                        ELSE printf('G-%s-%02d', {channels}[gkind + 1], gnum) END AS group_id
            FROM j_src"""
        _write_csv(con, joins_sql, paths["joins"])

        sales_sql = f"""
            SELECT printf('u%0{uw}d', uid) AS user_id,
                   ['contact', 'payment', 'refund'][ev + 1] AS event,
                   {_ts('t')} AS occurred_at,
                   CASE WHEN rep < 0 THEN NULL ELSE {reps}[rep + 1] END AS rep,
                   CASE WHEN has_amount THEN printf('%.2f', amount) END AS amount,
                   CASE WHEN ord > 0 THEN printf('O%0{w.order_width}d', ord) END AS order_id
            FROM s_src"""
        _write_csv(con, sales_sql, paths["sales"])
    finally:
        con.close()
    return paths


def _write_csv(con, select_sql: str, path: Path) -> None:
    con.sql(select_sql).write_csv(str(path), header=True, sep=",")


# --------------------------------------------------------------------------
def generate(out_dir, *, n_articles: int = 200, n_joins: int = 10_000, seed: int = 7,
             start: str = "2026-05-01", months: int = 6, chinese: bool = True) -> dict[str, Path]:
    """Write the demo sample (articles.csv, joins.csv, sales.csv) to ``out_dir``.

    ``joins.csv`` has exactly ``n_joins`` rows; the sales log follows from the
    funnel (a few thousand events for the defaults). With ``chinese=False``
    titles, names and group names are in English. Returns the three paths.
    """
    rng = np.random.default_rng(seed)
    world = _build(rng, int(n_articles), int(n_joins), None, start, int(months))
    return _write(world, out_dir, chinese)


def generate_world(out_dir, *, n_articles: int, n_joins: int, n_sales: int,
                   seed: int = 1, start: str = "2026-05-01", months: int = 6,
                   chinese: bool = True) -> dict[str, Path]:
    """The same world at benchmark scale, with exactly the requested row counts.

    ``n_sales`` events are the natural funnel (contacts, payments, refunds)
    topped up with follow-up contacts, or with contacts of non-payers dropped
    when ``n_sales`` is smaller than the funnel; it is refused (ValueError)
    when even that cannot reach it.
    """
    rng = np.random.default_rng(seed)
    world = _build(rng, int(n_articles), int(n_joins), int(n_sales), start, int(months))
    return _write(world, out_dir, chinese)
