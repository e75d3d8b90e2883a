"""Tables in Chinese read large counts and money in 万 / 亿, as the tiles do, while each
cell's value stays the number (the grid sorts by it, the CSV keeps it): fmt.table_text
picks the columns, st_app shows them through a pandas Styler."""
from __future__ import annotations

import io
import json

import pandas as pd
import pyarrow as pa
import pytest

from contentroi import fmt
from contentroi.pagelist import KEYS as PAGE_KEYS


def test_table_text_picks_large_counts_and_money_in_chinese_only():
    kinds = {"reads": "count", "paid": "count", "revenue": "money", "roi": "rate", "n": "count", "x": None}
    maxima = {"reads": 623530, "paid": 302, "revenue": -12000.5, "roi": 5e6, "n": float("nan"), "x": 1e9}
    got = fmt.table_text(kinds, maxima, "zh")
    assert set(got) == {"reads", "revenue"}  # 302 reads the same either way; a rate never in 万
    assert got["reads"](623530) == "62.35万" and got["reads"](12) == "12"
    assert got["revenue"](-12000.5) == "-¥1.20万" and got["revenue"](9876.5) == "¥9,876.50"
    assert got["reads"](3.2e8) == "3.20亿"
    assert fmt.table_text(kinds, maxima, "en") == {}
    assert fmt.table_text({"a": "count"}, {"a": 9999}, "zh") == {}
    assert set(fmt.table_text({"a": "count"}, {"a": 10000}, "zh")) == {"a"}


def shown(element) -> dict[str, list[str]]:
    """The text each cell of a st.dataframe shows where a Styler gives it ({} without one)."""
    raw = element.proto.arrow_data.styler.display_values
    if not raw:
        return {}
    return pa.ipc.open_stream(io.BytesIO(raw)).read_pandas().to_dict(orient="list")


def formats(element) -> dict[str, str | None]:
    cols = json.loads(element.proto.columns)
    return {c: (v.get("type_config") or {}).get("format") for c, v in cols.items()}


def test_zh_scorecard_reads_in_wan_and_keeps_numbers(app, sample_store):
    from contentroi import engine
    from contentroi.engine import Params

    app.switch_page("pages/channels.py")
    app.query_params["lang"] = "zh"
    at = app.run()
    assert not at.exception
    table = at.dataframe[0]
    expect = engine.channels(sample_store, Params())
    text = shown(table)
    assert text["reads"] == [fmt.count(v, lang="zh") for v in expect["reads"]]
    assert any(x.endswith("万") for x in text["reads"])
    assert text["revenue"] == [fmt.money(v, lang="zh") for v in expect["revenue"]]
    assert table.value["reads"].tolist() == expect["reads"].tolist()  # the values: numbers
    assert formats(table)["reads"] is None  # no printf over the Styler's text ...
    assert formats(table)["joins"] == "%,d"  # ... where every value is below 1万, the printf
    assert formats(table)["overall_rate"] == fmt.TABLE_FORMAT["rate"]


def test_en_scorecard_keeps_its_printf_formats(app):
    app.switch_page("pages/channels.py")
    at = app.run()
    assert not at.exception
    assert shown(at.dataframe[0]) == {}
    assert formats(at.dataframe[0])["reads"] == "%,d" and formats(at.dataframe[0])["revenue"] == "¥%,.2f"


def test_a_rate_too_small_for_one_decimal_keeps_two_significant_digits():
    """2 joins from 30,000 reads is 0.0067%, not "0.0%" (which reads as none): in the tile
    format and in the table, whose cell keeps the number (the Styler gives its text)."""
    assert fmt.pct(2 / 30000) == "0.0067%" and fmt.pct(0.00049) == "0.049%"
    assert fmt.pct(0.123) == "12.3%" and fmt.pct(0) == "0.0%" and fmt.pct(0.0005) == "0.1%"
    import pandas as pd

    from contentroi.st_app import widgets

    df = pd.DataFrame({"channel": ["a", "b"], "join_rate": [2 / 30000, 0.02], "contact_rate": [0.5, 0.25]})
    text = widgets.small_rate_text(df)
    assert set(text) == {"join_rate"}  # contact_rate reads right with one decimal: its printf stays
    shown_df = widgets.display_frame(df)
    assert [text["join_rate"](v) for v in shown_df["join_rate"]] == ["0.0067%", "2.0%"]


def test_no_download_button_reruns_its_page(app):
    """Every download button leaves its page as it is (on_click="ignore"): with a rerun,
    each click registered new files for the page's buttons and dropped the old ones, and
    under load the table's other CSV button stayed disabled (the download never came;
    seen in tests/browser/test_tables_browser.py). Checked where the app draws them (a
    table's two buttons, the digest's, the Data page's) and in every call in the source."""
    import ast

    from contentroi.pagelist import get
    from contentroi.paths import ROOT

    seen = 0
    for key in ("channels", "digest", "data"):
        app.switch_page(get(key).path)
        app.run()
        assert not app.exception, key
        buttons = app.get("download_button")
        seen += len(buttons)
        assert [b.proto.label for b in buttons if not b.proto.ignore_rerun] == [], key
    assert seen >= 5
    calls = []
    for f in [*ROOT.joinpath("contentroi").rglob("*.py"), *ROOT.joinpath("pages").glob("*.py"), ROOT / "app.py"]:
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "download_button":
                kw = {k.arg: k.value for k in node.keywords}
                ok = isinstance(kw.get("on_click"), ast.Constant) and kw["on_click"].value == "ignore"
                calls.append((f.name, node.lineno, ok))
    assert len(calls) >= 5 and all(ok for *_, ok in calls), calls


@pytest.mark.parametrize("page", PAGE_KEYS)
def test_every_date_column_reads_as_a_date(app, page):
    """A column of days or weeks (a DATE: the Sales page's weekly numbers, ...) is shown as
    a date, not as the text of its value (which read 1777852800000: epoch milliseconds);
    a column with times as a date and time."""
    from .test_page_articles import open_page

    at = open_page(app, page)
    seen = 0
    for d in at.dataframe:
        conf = json.loads(d.proto.columns or "{}")
        for col in d.value.columns:
            if pd.api.types.is_datetime64_any_dtype(d.value[col]):
                seen += 1
                kind = conf.get(str(col), {}).get("type_config", {}).get("type")
                assert kind in ("date", "datetime"), (page, col, kind)
    if page == "sales":
        assert seen >= 1  # the weekly numbers' week


def test_the_selected_row_is_a_cells_row_or_a_selected_row():
    """ui.selected_row: a table with selection modes single-cell and single-row opens the
    row of the clicked cell, or the row whose box was ticked; nothing selected, None."""
    from types import SimpleNamespace

    from contentroi import st_app as ui

    def event(cells=(), rows=()):
        return SimpleNamespace(selection=SimpleNamespace(get=lambda k, d=None: list(cells) if k == "cells" else d,
                                                         rows=list(rows)))

    assert ui.selected_row(event(cells=[(3, "title")])) == 3
    assert ui.selected_row(event(rows=[5])) == 5
    assert ui.selected_row(event()) is None and ui.selected_row(None) is None
