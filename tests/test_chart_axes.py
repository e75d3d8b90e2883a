"""Chart axes read in the page's language, like the tiles: ¥2万 / 1.5万 in Chinese, ¥20k /
15k in English (charts.axis_labels, the one definition every money and count axis uses).
Rendered by vl-convert (Vega itself), so the labels checked are the ones a user sees."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from contentroi import fmt
from contentroi.charts import axis_labels, cohorts, digest, overview

vlc = pytest.importorskip("vl_convert")


def labels(spec_json: str) -> list[str]:
    svg = vlc.vegalite_to_svg(spec_json)
    return [re.sub(r"<[^>]+>", "", t) for t in re.findall(r"<text[^>]*>(.*?)</text>", svg)]


def weekly(values):
    weeks = pd.date_range("2026-09-07", periods=len(values), freq="7D")
    return pd.DataFrame({"week": weeks, "revenue": values, "joins": [100] * len(values),
                         "maturing": [False] * len(values)})


TIPS = {"week": "week", "n": "n", "maturing": "maturing"}


@pytest.mark.parametrize("lang, want, not_want", [
    ("zh", {"¥0", "¥1万", "¥2万", "¥3万", "¥4万"}, {"¥10k", "¥40k"}),
    ("en", {"¥0", "¥10k", "¥20k", "¥30k", "¥40k"}, {"¥1万"}),
])
def test_money_axis_in_each_language(lang, want, not_want):
    with fmt.using(lang):
        spec = overview.trend_panel(weekly([0, 12_000, 41_000]), "revenue", "Revenue", "money", "#333", TIPS)
    got = set(labels(spec.to_json()))
    assert want <= got, got
    assert not (not_want & got)


def test_count_axis_and_the_template_cache_keeps_languages_apart():
    df = weekly([0, 150_000_000, 300_000_000]).rename(columns={"revenue": "reads"})
    with fmt.using("zh"):
        zh = set(labels(overview.trend_panel(df, "reads", "阅读", "count", "#333", TIPS).to_json()))
    with fmt.using("en"):  # same structure, other language: not the cached Chinese template
        en = set(labels(overview.trend_panel(df, "reads", "阅读", "count", "#333", TIPS).to_json()))
    assert {"1亿", "2亿", "3亿"} <= zh and not any("M" in x for x in zh), zh
    assert {"100M", "200M", "300M"} <= en and not any("亿" in x for x in en), en


def test_small_values_are_plain_and_digest_and_cohort_charts_follow():
    assert "万" not in axis_labels("money", "en") and "'¥'" in axis_labels("money", "zh")
    race = pd.DataFrame({"channel": ["wechat", "zhihu"], "revenue": [25_000.0, 8_000.0],
                         "revenue_prev": [20_000.0, 9_000.0], "text": ["a", "b"]})
    got = set(labels(digest.race(race, {"prev": "上周"}, lang="zh").to_json()))
    assert "¥2万" in got and not any(x.endswith("k") for x in got), got
    cur = pd.DataFrame({"cohort": ["2026-09"] * 3, "age": [0, 30, 60], "revenue_per_user": [0.0, 300.0, 800.0],
                        "users": [10, 10, 10]})
    got = set(labels(cohorts.curves(cur, {"days": "天", "rev": "人均收入", "cohort": "群组", "users": "人"},
                                    lang="zh").to_json()))
    assert {"¥0", "¥200", "¥800"} <= got, got


def test_a_small_count_axis_has_whole_ticks_only():
    df = weekly([0, 1, 2]).rename(columns={"revenue": "paid"})
    got = labels(overview.trend_panel(df, "paid", "Paid", "count", "#333", TIPS).to_json())
    ticks = [x for x in got if x.replace(",", "").isdigit() or x.replace(".", "").isdigit()]
    assert set(ticks) <= {"0", "1", "2"} and not any("." in x for x in got if x[:1].isdigit()), got



@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_transition_map_names_every_column(lang):
    """The markov heat map's columns (every channel, paid, no payment) each keep their
    label: in Chromium, Vega hid every other slanted label as overlapping at the width the
    Attribution page gives the map (a Chinese reader saw 公众号, 知乎, 微博 and 未付费 over
    seven columns). vl-convert keeps them either way, so the spec is checked: the column
    axis never drops a label, and every label is in the rendered chart."""
    import json

    from contentroi.charts import attribution
    from contentroi.i18n import t

    chans = ["公众号", "小红书", "知乎", "抖音", "微博"] if lang == "zh" else \
        ["WeChat OA", "Xiaohongshu", "Zhihu", "Douyin", "Weibo"]
    start, paid, null = (t(k, lang) for k in ("at_mk_start", "at_mk_conversion", "at_mk_null"))
    rows, cols = [start, *chans], [*chans, paid, null]
    df = pd.DataFrame([{"from_label": f, "to_label": c, "probability": 1 / len(cols), "n": 10}
                       for f in rows for c in cols if f != c])
    titles = {"from": "from", "to": "to", "probability": "p", "n": "n"}
    with fmt.using(lang):
        spec = json.loads(attribution.transitions(df, titles, rows, cols).to_json())
    x = spec["layer"][0]["encoding"]["x"]
    assert x["axis"]["labelOverlap"] is False and x["sort"] == cols
    spec["width"] = 200  # the cells' share of the page's ~370 px
    spec.pop("autosize", None)
    got = labels(json.dumps(spec))
    assert [c for c in cols if c not in got] == [] and [r for r in rows if r not in got] == []
