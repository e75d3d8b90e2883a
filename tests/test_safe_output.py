"""Safe output: user text inert in Markdown, CSV downloads that cannot run formulas,
errors as messages, the locked-down reader, the deployment settings."""
from __future__ import annotations

import tomllib
from pathlib import Path

import pandas as pd
import pytest

from contentroi import fmt
from contentroi.store import Store

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("text", [
    "<script>alert(1)</script>", "[click](javascript:alert(1))", "![x](http://evil/p.png)",
    "**bold** _it_ `code`", "$x^2$", ":red[alarm]", "# heading", "a|b|c", "<img src=x onerror=1>",
])
def test_md_escape_leaves_no_live_markup(text):
    out = fmt.md_escape(text)
    for ch in "<>[]()*_`$#|!:":
        # every metacharacter is preceded by a backslash
        for i, c in enumerate(out):
            if c == ch:
                assert out[i - 1] == "\\", (text, out)


def test_md_escape_is_one_bounded_line():
    out = fmt.md_escape("line1\nline2\r" + "x" * 500, limit=50)
    assert "\n" not in out and len(out) <= 60 and out.endswith("…")


def test_safe_csv_neutralises_formulas_and_keeps_chinese():
    df = pd.DataFrame({"title": ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "正常标题", "a=b"],
                       "revenue": [1.5, -2.0, 3.0, 4.0, 5.0, 6.0]})
    data = fmt.safe_csv(df)
    assert data.startswith("\ufeff".encode("utf-8"))  # BOM: Excel reads UTF-8
    text = data.decode("utf-8-sig")
    assert "'=1+1" in text and "'+cmd" in text and "'-2+3" in text and "'@SUM(A1)" in text
    assert "正常标题" in text and "\na=b," in text
    assert ",-2.0" in text  # numbers are not touched


def test_config_hides_tracebacks_and_limits_uploads():
    cfg = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert cfg["client"]["showErrorDetails"] == "none"
    assert cfg["server"]["maxUploadSize"] <= 200


def test_reader_cannot_touch_files_or_unlock(sample_db):
    s = Store(sample_db, read_only=True)
    cur = s.cursor()
    for sql in ("SELECT * FROM read_csv('/etc/passwd')", "COPY articles TO '/tmp/leak.csv'",
                "SET enable_external_access = true", "INSTALL httpfs", "ATTACH '/tmp/x.duckdb' AS x"):
        with pytest.raises(Exception):
            cur.execute(sql)
    assert cur.execute("SELECT count(*) FROM articles").fetchone()[0] == 200


def test_page_error_becomes_a_message(app, monkeypatch):
    """A failing query shows a message on the page, not a traceback."""
    from contentroi import st_app

    def boom(*a, **k):
        raise RuntimeError("secret internals: SELECT * FROM users")

    at = app.run()
    monkeypatch.setattr(st_app.engine, "query", boom)
    st_app._cached_query.clear()
    at.switch_page("pages/channels.py").run()
    texts = " ".join(e.value for e in at.error)
    assert "Something went wrong" in texts
    assert "secret internals" not in texts and "Traceback" not in texts
