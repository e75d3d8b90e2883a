"""Channel display names (the store's channel_names: wechat -> 公众号) on every chart, while
each channel keeps its one colour by code (charts.channel_color): the pure builders on
hand-made frames, and the pages under AppTest in both languages."""
from __future__ import annotations

import io
import json

import pandas as pd
import pyarrow as pa
import pytest

from contentroi import charts
from contentroi.charts import articles as ach
from contentroi.charts import attribution as atc
from contentroi.charts import channels as chc
from contentroi.charts import digest as dgc

NAMES = {"wechat": "公众号", "zhihu": "知乎"}
GREEN, BLUE = charts.CHANNEL_COLORS["wechat"], charts.CHANNEL_COLORS["zhihu"]


def colour_of(spec: dict) -> dict[str, str]:
    """label -> colour of every channel colour scale of a Vega-Lite spec (layers included)."""
    out: dict[str, str] = {}

    def walk(node):
        if isinstance(node, dict):
            enc = node.get("encoding", {}).get("color", {})
            scale = enc.get("scale") if isinstance(enc, dict) else None
            if enc.get("field") in ("channel", "channel_name") and scale and "range" in scale:
                out.update(zip(scale["domain"], scale["range"]))
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(spec)
    return out


def values(spec: charts.Spec, name: str, col: str = "channel") -> list:
    return spec.datasets[name][col].tolist()


def test_labels_are_names_else_codes_and_shared_names_are_told_apart():
    assert charts.channel_labels(["wechat", "zhihu", "blog"], NAMES) == {
        "wechat": "公众号", "zhihu": "知乎", "blog": "blog"}
    assert charts.channel_labels(["wechat"], {"wechat": " "}) == {"wechat": "wechat"}  # blank: the code
    # two codes under one name (or a name that is another code) would share a colour's label
    assert charts.channel_labels(["a", "b", "c"], {"a": "Blog", "b": "Blog"}) == {
        "a": "Blog (a)", "b": "Blog (b)", "c": "c"}
    assert charts.channel_labels(["weibo", "wechat"], {"weibo": "wechat"}) == {
        "weibo": "wechat (weibo)", "wechat": "wechat (wechat)"}


def test_colour_stays_with_the_code_whatever_the_name():
    scale = charts.channel_scale(["zhihu", "wechat", "blog"], NAMES)
    assert scale.domain == ["知乎", "公众号", "blog"]
    assert scale.range == [BLUE, GREEN, charts.channel_color("blog")]


def channel_frame() -> pd.DataFrame:
    return pd.DataFrame({"channel": ["wechat", "zhihu"], "roi": [0.5, -0.2], "revenue": [150.0, 80.0],
                         "cost": [100.0, 100.0], "cost_per_paid": [50.0, 25.0], "paid": [2, 4]})


def test_channel_bars_show_names_in_their_colours():
    tips = {k: k for k in ("channel", "roi", "revenue", "cost", "cost_per_paid", "paid")}
    roi = chc.roi_bars(channel_frame(), "ROI", tips, names=NAMES)
    assert values(roi, "bars") == ["公众号", "知乎"]
    assert roi.holes[0] == ["公众号", "知乎"]  # the y order, by ROI
    cpp = chc.cost_per_paid_bars(channel_frame(), "CPP", tips, ["zhihu", "wechat", "weibo"], names=NAMES)
    assert values(cpp, "bars") == ["公众号", "知乎"]
    assert colour_of(cpp.to_dict({"bars": "b"})) == {"公众号": GREEN, "知乎": BLUE}
    plain = chc.cost_per_paid_bars(channel_frame(), "CPP", tips, ["zhihu", "wechat"])
    assert colour_of(plain.to_dict({"bars": "b"})) == {"wechat": GREEN, "zhihu": BLUE}  # no names: codes


def test_trend_race_map_and_markov_show_names():
    weekly = pd.DataFrame({"week": pd.to_datetime(["2026-09-07", "2026-09-07"]), "channel": ["zhihu", "wechat"],
                           "revenue": [1.0, 2.0], "joins": [10, 20], "maturing": [False, False]})
    tips = {"channel": "c", "week": "w", "n": "n", "maturing": "m"}
    trend = chc.channel_trend(weekly, "revenue", "money", "Revenue", ["wechat", "zhihu"], tips, names=NAMES)
    assert sorted(values(trend, "main")) == ["公众号", "知乎"]
    assert colour_of(trend.to_dict({"main": "m"})) == {"公众号": GREEN, "知乎": BLUE}

    race = dgc.race(pd.DataFrame({"channel": ["zhihu", "wechat"], "revenue": [5.0, 9.0],
                                  "revenue_prev": [1.0, 1.0], "text": ["a", "b"]}), {"prev": "p"}, names=NAMES)
    assert values(race, "bars") == ["公众号", "知乎"]
    assert colour_of(race.to_dict({"bars": "b", "prev": "p"})) == {"公众号": GREEN, "知乎": BLUE}

    pts = pd.DataFrame({"article_id": ["A1", "A2"], "title": ["t1", "t2"], "channel": ["wechat", "zhihu"],
                        "joins": [3, 4], "paid": [1, 1], "revenue": [10.0, 20.0], "overall_rate": [0.3, 0.25]})
    amap = ach.article_map(pts, {k: k for k in ("joins", "revenue", "paid", "channel", "title", "overall_rate")},
                           NAMES)
    assert values(amap, "points") == ["公众号", "知乎"]
    assert values(amap, "points", "article_id") == ["A1", "A2"]  # a click still selects the id
    assert colour_of(amap.to_dict({"points": "p"})) == {"公众号": GREEN, "知乎": BLUE}

    eff = pd.DataFrame({"channel": ["zhihu", "wechat"], "removal_effect": [0.2, 0.6], "lo": [0.1, 0.5],
                        "hi": [0.3, 0.7], "paths": [40, 50], "small": [False, False]})
    re_ = atc.removal_effects(eff, {k: k for k in ("removal_effect", "channel", "lo", "hi", "paths")}, NAMES)
    assert values(re_, "re") == ["知乎", "公众号"]
    assert re_.holes[0] == ["公众号", "知乎"]  # by removal effect
    assert colour_of(re_.to_dict({"re": "r"})) == {"公众号": GREEN, "知乎": BLUE}


def test_bump_colours_by_code_and_shows_the_name():
    rows = pd.DataFrame({"entity": ["wechat"], "title": ["wechat"], "channel": ["wechat"], "rank": [1],
                         "rank_prev": [2], "value": [3.0], "value_prev": [2.0], "move": ["▲1"]})
    labels = {k: k for k in ("prev", "cur", "name", "channel", "period", "rank", "value", "move")}
    spec = chc.bump(rows, labels, ["wechat", "zhihu"], 10, "money", names=NAMES)
    assert set(values(spec, "points")) == {"公众号"}
    assert colour_of(spec.to_dict({"points": "p", "labels": "l"})) == {"公众号": GREEN}


# ---------------------------------------------------------------------------
# the pages
# ---------------------------------------------------------------------------


def chart_specs(at) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]


HIDDEN = ("entity", "article_id")  # keys a chart groups or selects by, never shown


def chart_values(at) -> set:
    """Every text value of every dataset the page's charts carry (but hidden keys)."""
    out: set = set()
    for c in at.get("vega_lite_chart"):
        for d in c.proto.datasets:
            df = pa.ipc.open_stream(io.BytesIO(d.data.data)).read_pandas()
            for col in df.columns.difference(HIDDEN):
                out |= {v for v in df[col].tolist() if isinstance(v, str)}
    return out


@pytest.mark.parametrize("lang, wechat", [("zh", "公众号"), ("en", "wechat")])
def test_channels_page_charts_show_names_in_the_page_language(app, lang, wechat):
    app.switch_page("pages/channels.py")
    app.query_params["lang"] = lang
    at = app.run()
    assert not at.exception
    shown = chart_values(at)
    assert wechat in shown
    if lang == "zh":
        assert "wechat" not in shown and "知乎" in shown
    colours = {}
    for spec in chart_specs(at):
        colours.update(colour_of(spec))
    assert colours[wechat] == GREEN  # the code's colour, under its name


def test_attribution_page_markov_map_shows_names(app):
    app.switch_page("pages/attribution.py")
    app.query_params["lang"] = "zh"
    at = app.run()
    assert not at.exception
    shown = chart_values(at)
    assert {"公众号", "知乎"} <= shown and "wechat" not in shown


# ---------------------------------------------------------------------------
# the digest: Markdown, HTML, chat cards
# ---------------------------------------------------------------------------

EVIL_NAME = "知乎<b>[x](https://evil.invalid)</b>"


@pytest.fixture(scope="module")
def named_week():
    """tests/test_digest.py's planted week; wechat keeps its default names (公众号 in Chinese,
    the code in English), zhihu gets an English name and a hostile Chinese one."""
    from functools import partial

    from contentroi import digest, engine
    from contentroi.engine import Params

    from .test_digest import planted_world
    from .worlds import make_store

    store = make_store(*planted_world())
    store.set_channel_names([("zhihu", "Zhihu Q&A", EVIL_NAME)])
    yield digest.build(partial(engine.query, store), Params(), "week")
    store.close()


def test_digest_tables_and_alerts_show_names_per_language(named_week):
    from contentroi import digest

    d = named_week
    assert [r[2] for r in digest.race_table(d, "zh").rows] == [EVIL_NAME, "公众号", "微博"]
    assert [r[2] for r in digest.race_table(d, "en").rows] == ["Zhihu Q&A", "wechat", "weibo"]
    assert {r[1] for r in digest.new_articles_table(d, "zh")[0].rows} == {"公众号"}  # W2
    zh_alerts = [digest.alert_line(a, "zh", names=d.channel_names("zh")) for a in d.alerts]
    assert any(x.startswith("公众号：联系 → 付费") for x in zh_alerts)
    assert digest.pipeline_table(d, "zh").rows[-1][0] in ("公众号", EVIL_NAME, "微博")
    race = digest.charts(d, "zh")["race"]
    assert set(race.datasets["bars"]["channel"]) == {EVIL_NAME, "公众号", "微博"}


def test_digest_outputs_show_names_inert(named_week):
    import html as htmllib

    from contentroi import digest, fmt, webhooks

    d = named_week
    md = digest.render_md(d, "zh")
    assert "公众号" in md and fmt.md_escape(EVIL_NAME) in md and EVIL_NAME not in md
    assert "| wechat |" not in md
    page = digest.render_html(d, "zh")
    assert "公众号" in page and htmllib.escape(EVIL_NAME) in page and "<b>[x]" not in page
    assert "Zhihu Q&amp;A" in digest.render_html(d, "en")
    card = webhooks.card(d, "zh")
    assert "公众号" in card and "知乎" in card
    assert "<b>" not in card and "](https://" not in card and "https://evil" not in card
    en = webhooks.card(d, "en")
    assert webhooks.inert("Zhihu Q&A") in en and "公众号" not in en


@pytest.mark.parametrize("lang, zhihu", [("zh", "知乎"), ("en", "zhihu")])
def test_overview_drops_name_the_channel_in_the_page_language(app, lang, zhihu):
    for k, v in {"lang": lang, "from": "2026-09-01", "to": "2026-10-31"}.items():
        app.query_params[k] = v
    at = app.run()
    assert not at.exception
    heads = [m.value for m in at.markdown if "▼" in m.value]  # the biggest drops, per channel and step
    assert heads and all(f" · {zhihu}**" in h for h in heads), heads
