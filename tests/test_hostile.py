"""Hostile text, hostile files and edge arguments (issue 11): each case reproduces one
finding of the adversarial pass and pins its fix.

"Inert" is checked with an independent renderer: markdown-it-py (CommonMark, raw HTML
and GFM-style autolinks on, as Streamlit's renderer has them) must produce no link, no
image and no HTML tag from user text; a CSV read back must hold no cell a spreadsheet
would run as a formula.
"""
from __future__ import annotations

import csv
import datetime as dt
import html.parser
import io
import re
import shutil
from functools import partial
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from contentroi import cli, digest, engine, fmt
from contentroi.engine import Params

from .test_digest import planted_world
from .worlds import make_store

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")

HOSTILE_CH = "wechat![c](http://127.0.0.1:8629/x.png)"
HOSTILE_TITLES = {
    "W1": "[click](http://evil.example/) <img src=x onerror=alert(1)>",
    "W2": '=HYPERLINK("http://evil.example","x")',
    "Z1": "+cmd|' /C calc'!A0 www.evil.example",
    "Z2": "@SUM(1,2) <a href=\"http://evil.example\">x</a>",
}
FORMULA_START = tuple("=+-@\t\r")

_MD = MarkdownIt("gfm-like", {"linkify": True, "html": True})


def live_markup(markdown_text: str) -> list[str]:
    """What a Markdown renderer would make live: links, images, raw HTML."""
    found = []

    def walk(tokens):
        for tok in tokens:
            if tok.type in ("link_open", "image", "html_inline", "html_block"):
                found.append(f"{tok.type}: {tok.content or tok.attrs}")
            if tok.children:
                walk(tok.children)

    walk(_MD.parse(markdown_text))
    return found


class _Tags(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def html_tags(text: str) -> list[tuple[str, dict]]:
    p = _Tags()
    p.feed(text)
    return p.tags


def formula_cells(csv_text: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(csv_text.lstrip("\ufeff"))) for c in row
            if c.startswith(FORMULA_START) and not re.fullmatch(r"-?[0-9.]+(e-?[0-9]+)?", c)]


def hostile_world():
    articles, joins, sales = planted_world()
    articles = [(a[0], HOSTILE_TITLES.get(a[0], a[1]), HOSTILE_CH if a[2] == "wechat" else a[2], a[3],
                 "@SUM(1,2)" if a[4] == "Li" else a[4], a[5], a[6]) for a in articles]
    sales = [s[:3] + ("=1+1",) + s[4:] for s in sales]
    return articles, joins, sales


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "hostile.duckdb"
    store = make_store(*hostile_world(), path=path)
    store.set_meta("initialized", "yes")
    store.close()
    return path


@pytest.fixture
def hostile_copy(hostile_db, tmp_path) -> Path:
    dst = tmp_path / "hostile.duckdb"
    shutil.copy(hostile_db, dst)
    return dst


@pytest.fixture(scope="module")
def hostile_digest(hostile_db):
    from contentroi.store import Store

    path = hostile_db.with_name("digest-read.duckdb")
    shutil.copy(hostile_db, path)
    with Store(path, read_only=True) as s:
        return digest.build(partial(engine.query, s), Params(), "week")


# ---- 1. the digest: Markdown, HTML, the page --------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_digest_markdown_leaves_user_text_inert(hostile_digest, lang):
    d = hostile_digest
    assert any(a.channel == HOSTILE_CH for a in d.alerts)  # the hostile channel is in an alert line
    md = digest.render_md(d, lang)
    assert live_markup(md) == [], live_markup(md)
    assert "wechat" in md and "HYPERLINK" in md  # the text is there, only inert


def test_digest_html_leaves_user_text_inert(hostile_digest):
    out = digest.render_html(hostile_digest, "en", with_charts=False)
    tags = {t for t, _ in html_tags(out)}
    assert not tags & {"img", "a", "script"}, tags
    assert not [a for _, attrs in html_tags(out) for a in attrs if a in ("href", "src", "onerror")]


def test_digest_page_leaves_user_text_inert(hostile_copy, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("CONTENTROI_DB", str(hostile_copy))
    at = AppTest.from_file(APP, default_timeout=90)
    at.switch_page("pages/digest.py")
    at.query_params["period"] = "week"
    at.run()
    assert not at.exception, at.exception
    texts = []
    for kind in ("caption", "markdown", "info", "success", "warning", "error"):
        texts += [str(e.value) for e in getattr(at, kind)]
    for tb in at.table:
        df = tb.value
        texts += [str(c) for c in df.columns] + [str(v) for v in df.to_numpy().ravel()]
    assert any("wechat" in x for x in texts)
    bad = {x: live_markup(x) for x in texts if live_markup(x)}
    assert not bad, bad


# ---- 2. every CSV is formula-safe ---------------------------------------------------------


def test_report_csv_is_formula_safe(hostile_copy, capsys):
    assert cli.main(["report", "--db", str(hostile_copy), "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert "HYPERLINK" in out
    assert formula_cells(out) == []
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["level"] for r in rows} == {"total", "channel", "article"}
    assert any(r["title"] == "'" + HOSTILE_TITLES["W2"] for r in rows)


def test_report_markdown_leaves_user_text_inert(hostile_copy, capsys):
    assert cli.main(["report", "--db", str(hostile_copy), "--format", "md", "--channel", HOSTILE_CH]) == 0
    out = capsys.readouterr().out
    assert "HYPERLINK" in out and live_markup(out) == []


def test_rejected_rows_csv_is_formula_safe(tmp_path):
    from contentroi import ingest
    from contentroi.store import Store

    p = tmp_path / "j.csv"
    p.write_text("user_id,joined_at\nu1,=1+2 HYPERLINK\nu2,@SUM(1)\n", encoding="utf-8")
    with Store(":memory:") as s:
        r = ingest.load_file(s, p, "joins")
    assert r.rejected == 2
    text = r.rejects_csv().decode("utf-8-sig")
    assert "HYPERLINK" in text and formula_cells(text) == []
