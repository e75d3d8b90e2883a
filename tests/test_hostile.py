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

from contentroi import cli, digest, engine, fmt, i18n
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


# ---- 10 / 12. the command line: one line, exit status 2 ------------------------------------


@pytest.fixture(scope="module")
def small_db(tmp_path_factory) -> Path:
    from .worlds import basic_store

    path = tmp_path_factory.mktemp("small") / "small.duckdb"
    s = basic_store(path)
    s.set_meta("initialized", "yes")
    s.close()
    return path


def _one_line_rc2(capsys, argv) -> str:
    rc = cli.main(argv)
    err = capsys.readouterr().err
    assert rc == 2, (argv, rc, err)
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    return err


@pytest.mark.parametrize("extra, needle", [
    (["digest", "--date", "9999-12-31"], "1900-01-01"),
    (["digest", "--date", "0001-01-01"], "1900-01-01"),
    (["digest", "--period", "week", "--date", "0001-01-07"], "1900-01-01"),
    (["report", "--from", "0001-01-01"], "1900-01-01"),
    (["report", "--to", "9999-12-31"], "2999-12-31"),
    (["report", "--out", "/nonexistent/dir/x"], "cannot write"),
    (["digest", "--out", "/nonexistent/dir/x"], "cannot write"),
])
def test_cli_edge_arguments_one_line(small_db, tmp_path, capsys, extra, needle):
    db = tmp_path / "c.duckdb"
    shutil.copy(small_db, db)
    err = _one_line_rc2(capsys, extra[:1] + ["--db", str(db)] + extra[1:])
    assert needle in err


def test_cli_sample_negative_and_unwritable(tmp_path, capsys):
    assert "at least 1" in _one_line_rc2(capsys, ["sample", str(tmp_path / "s"), "--articles", "-5"])
    assert "at least 1" in _one_line_rc2(capsys, ["sample", str(tmp_path / "s"), "--joins", "0"])
    _one_line_rc2(capsys, ["sample", "/proc/nope/s"])


@pytest.mark.parametrize("cmd", ["report", "digest", "load"])
def test_cli_unreachable_empty_and_damaged_stores(small_db, tmp_path, capsys, cmd):
    files = ["--articles", str(ROOT / "data" / "sample" / "articles.csv")] if cmd == "load" else []
    _one_line_rc2(capsys, [cmd, "--db", "/proc/nope/c.duckdb"] + files)
    empty = tmp_path / "empty.duckdb"
    empty.touch()
    err = _one_line_rc2(capsys, [cmd, "--db", str(empty)] + files)
    assert "in-memory" not in err and "empty" in err
    truncated = tmp_path / "trunc.duckdb"
    truncated.write_bytes(small_db.read_bytes()[: 300_000])
    _one_line_rc2(capsys, [cmd, "--db", str(truncated)] + files)
    _one_line_rc2(capsys, [cmd, "--db", ""] + files)


def test_cli_load_onto_a_foreign_file_creates_nothing(tmp_path, capsys):
    """`load --db /etc/passwd` refused, but first created /etc/passwd.lock."""
    d = tmp_path / "etc"
    d.mkdir()
    (d / "passwd").write_text("root:x:0:0:root:/root:/bin/bash\n")
    err = _one_line_rc2(capsys, ["load", "--db", str(d / "passwd"),
                                 "--articles", str(ROOT / "data" / "sample" / "articles.csv")])
    assert "not a" in err
    assert sorted(p.name for p in d.iterdir()) == ["passwd"]
    assert (d / "passwd").read_text() == "root:x:0:0:root:/root:/bin/bash\n"


def test_cli_report_unknown_channel_warns(small_db, tmp_path, capsys):
    db = tmp_path / "c.duckdb"
    shutil.copy(small_db, db)
    rc = cli.main(["report", "--db", str(db), "--channel", "nosuch", "--channel", "wechat"])
    captured = capsys.readouterr()
    assert rc == 0
    assert captured.err.strip() == "warning: no such channel in the store: nosuch (channels: wechat, zhihu)"


# ---- 11. extreme dates in a link -------------------------------------------------------------


def test_extreme_dates_in_a_link_are_ignored_with_a_notice():
    from contentroi import viewstate

    state, notices = viewstate.parse({"from": ["0001-01-01"], "to": ["9999-12-31"], "date": ["9999-12-31"]})
    assert (state.params.date_from, state.params.date_to, state.date) == (None, None, None)
    assert [(n.param, n.reason) for n in notices] == [
        ("from", "notice_date_range"), ("to", "notice_date_range"), ("date", "notice_date_range")]
    state, notices = viewstate.parse({"from": ["1900-01-01"], "to": ["2999-12-31"]})
    assert (state.params.date_from, state.params.date_to) == (engine.DATE_MIN, engine.DATE_MAX)
    assert notices == [] and state.params.previous() is not None


@pytest.mark.parametrize("page, query", [
    ("pages/overview.py", {"from": "0001-01-01", "to": "9999-12-31"}),
    ("pages/digest.py", {"date": "9999-12-31", "lang": "zh"}),
    ("pages/digest.py", {"date": "0001-01-07", "period": "week"}),
    ("pages/overview.py", {"from": "1900-01-01", "to": "2999-12-31"}),
])
def test_extreme_dates_in_a_link_on_the_page(app, page, query):
    at = app
    at.switch_page(page)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    assert not [e.value for e in at.error], [e.value for e in at.error]
    lang = query.get("lang", "en")
    if "1900" not in query.get("from", ""):
        notice = [w.value for w in at.warning if i18n.t("notice_title", lang) in w.value]
        assert notice and "1900" in notice[0] and "2999" in notice[0], notice


# ---- 4 / 5. the Data page: the password first, each file parsed once, a lockout -------------

from .test_page_data import ARTICLES_GBK, FakeUpload, articles_in, open_data, uploads  # noqa: E402,F401


class IdUpload(FakeUpload):
    """An upload with Streamlit's file_id (one id per uploaded file)."""

    def __init__(self, name, data, file_id):
        super().__init__(name, data)
        self.file_id = file_id


@pytest.fixture
def id_uploads(monkeypatch):
    """As test_page_data's `uploads`, keeping each file's file_id."""
    import streamlit

    class Box:
        files: list[IdUpload] = []

    def fake_uploader(label, *a, **kw):
        return [IdUpload(f.name, f.getvalue(), f.file_id) for f in Box.files] or None

    monkeypatch.setattr(streamlit, "file_uploader", fake_uploader)
    return Box


@pytest.fixture
def inspections(monkeypatch):
    from contentroi import ingest

    calls = []
    real = ingest.inspect_file

    def counting(source, log, file_name=None, **kw):
        calls.append(file_name)
        return real(source, log, file_name=file_name, **kw)

    monkeypatch.setattr(ingest, "inspect_file", counting)
    return calls


def test_no_parsing_before_the_password_and_once_per_upload(app_rw, id_uploads, inspections, monkeypatch):
    from contentroi import st_app

    st_app._process_lockout.clear()
    monkeypatch.setenv("CONTENTROI_EDIT_PASSWORD", "pw")
    id_uploads.files = [IdUpload("a.csv", ARTICLES_GBK, "id-1"), IdUpload("b.csv", ARTICLES_GBK, "id-2")]
    at = open_data(app_rw)
    at.run()
    assert inspections == []  # locked: no file reaches the parser
    at.text_input(key="edit_pw_upload").set_value("pw").run()
    assert sorted(inspections) == ["a.csv", "b.csv"]
    for _ in range(3):  # reruns (any widget change) do not parse again
        at.run()
    at.segmented_control(key="up_log").set_value("joins").run()
    at.segmented_control(key="up_log").set_value("articles").run()
    assert sorted(inspections) == ["a.csv", "a.csv", "b.csv", "b.csv"]  # once per (file, log)


def test_too_many_files_are_refused_before_parsing(app_rw, id_uploads, inspections):
    id_uploads.files = [IdUpload(f"f{i}.csv", ARTICLES_GBK, f"id-{i}") for i in range(11)]
    at = open_data(app_rw)
    assert inspections == []
    assert any("At most 10 files" in e.value for e in at.error)
    assert not [b for b in at.button if b.label.startswith("Load")]


def test_wrong_passwords_lock_out_with_a_growing_delay(app_rw, uploads, monkeypatch):
    from contentroi import lockout, st_app

    st_app._process_lockout.clear()
    now = [1000.0]
    monkeypatch.setattr(lockout, "_now", lambda: now[0])
    monkeypatch.setenv("CONTENTROI_EDIT_PASSWORD", "pw")
    uploads.files = [FakeUpload("a.csv", ARTICLES_GBK)]
    at = open_data(app_rw)
    for i in range(lockout.SESSION_FREE):
        at.text_input(key="edit_pw_upload").set_value(f"guess{i}").run()
        assert any("Wrong password" in e.value for e in at.error)
    at.text_input(key="edit_pw_upload").set_value("guess-x").run()
    assert any("Too many wrong passwords" in e.value and "2 s" in e.value for e in at.error)
    at.text_input(key="edit_pw_upload").set_value("pw").run()  # right, but locked: not even compared
    assert any("Too many wrong passwords" in e.value for e in at.error)
    assert not [b for b in at.button if b.label.startswith("Load")]
    now[0] += 3
    at.text_input(key="edit_pw_upload").set_value("guess-y").run()
    assert any("4 s" in e.value for e in at.error)  # the delay grows
    now[0] += 5
    at.text_input(key="edit_pw_upload").set_value("pw").run()
    assert [b for b in at.button if b.label.startswith("Load")]


def test_lockout_grows_caps_forgets_and_spans_sessions():
    t = [0.0]
    session, process = lockout_pair(t)
    outcomes = []
    for _ in range(12):
        outcomes.append(check_at(t, session, process, "bad"))
    assert outcomes[:3] == [("wrong", 0.0)] * 3
    assert outcomes[3] == ("wrong", 2.0)
    # while locked nothing is compared; waiting out each lock lets one more try in
    assert [w for _, w in outcomes[3:]] == [2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0, 300.0]
    assert check_at(t, session, process, "pw", wait_first=False)[0] == "locked"
    # a new session still meets the process's lock: 10 wrong tries across sessions
    from contentroi.lockout import Lockout

    t2 = [0.0]
    proc = Lockout(10, clock=lambda: t2[0])
    for i in range(10):
        assert check_at(t2, Lockout(3, clock=lambda: t2[0]), proc, "bad")[1] == 0.0
    assert check_at(t2, Lockout(3, clock=lambda: t2[0]), proc, "bad") == ("wrong", 2.0)
    t2[0] += 2_000  # a quiet half hour forgets the count
    assert check_at(t2, Lockout(3, clock=lambda: t2[0]), proc, "bad") == ("wrong", 0.0)
    assert check_at(t2, Lockout(3, clock=lambda: t2[0]), proc, "pw") == ("ok", 0.0)
    assert proc.failures == 0


def lockout_pair(t):
    from contentroi.lockout import Lockout

    return Lockout(3, clock=lambda: t[0]), Lockout(10, clock=lambda: t[0])


def check_at(t, session, process, entered, wait_first=True):
    from contentroi import lockout

    if wait_first:
        t[0] += max(session.wait(), process.wait())
    return lockout.check(entered, "pw", [session, process])


# ---- 13. two same-named uploads; two app processes on a fresh store -------------------------


def test_two_same_named_files_needing_mapping(app_rw, id_uploads):
    odd = "编号,名字,platform,when\nM1,Hello,wechat,2026-03-01\n".encode()
    id_uploads.files = [IdUpload("odd.csv", odd, "id-1"), IdUpload("odd.csv", odd, "id-2")]
    at = open_data(app_rw)
    assert not at.exception, at.exception
    keys = {sb.key for sb in at.selectbox}
    assert {"map_odd.csv_article_id", "map_odd.csv#2_article_id"} <= keys


def test_sample_is_loaded_once_by_two_processes(tmp_path):
    """Process B read "not initialised", then A loaded the sample and published, then B
    took the writer lock: B must see A's work under the lock and load nothing."""
    from contentroi import st_app
    from contentroi.store import Store, Workspace

    path = tmp_path / "fresh.duckdb"
    ws_a, ws_b = Workspace(path), Workspace(path)
    ws_a.reader().close()
    real_writer = ws_b.writer

    def writer_after_a():
        st_app.ensure_sample(ws_a)
        return real_writer()

    ws_b.writer = writer_after_a
    st_app.ensure_sample(ws_b)
    with Store(Workspace(path).current(), read_only=True) as s:
        uploads = s.cursor().execute("SELECT log, accepted FROM uploads ORDER BY upload_id").fetchall()
    assert [log for log, _ in uploads] == ["articles", "joins", "sales"], uploads
    assert all(n > 0 for _, n in uploads)


# ---- 6-9. every row accounted for, or the file refused with a reason -------------------------


def _joins_lines(n=12):
    return ["user_id,joined_at,article_id,group_id"] + [f"u{i},2024-03-01 10:00,A1,g" for i in range(2, n + 1)]


def _load(tmp_path, data: bytes, name="j.csv"):
    from contentroi import ingest
    from contentroi.store import Store

    p = tmp_path / name
    p.write_bytes(data)
    with Store(":memory:") as s:
        r = ingest.load_file(s, p, "joins")
        stored = s.cursor().execute("SELECT count(*) FROM joins").fetchone()[0]
    return r, stored


def _accounted(r, rows_in_file):
    assert r.status == "loaded", r.message
    assert r.accepted + r.rejected + r.duplicates + r.blank == rows_in_file, r


@pytest.mark.parametrize("size_mb, quoted", [(33, False), (50, True)])
def test_a_line_too_long_to_read_refuses_the_file(tmp_path, size_mb, quoted):
    """An unquoted 33 MB line was dropped without a reject (11 rows of 12); a quoted 50 MB
    cell was rejected with the line before it as its value."""
    lines = _joins_lines()
    cell = "x" * (size_mb << 20)
    lines[6] = f'u7,"{cell}",A1,g' if quoted else f"u7,{cell},A1,g"
    r, stored = _load(tmp_path, ("\n".join(lines) + "\n").encode())
    assert r.status == "refused" and stored == 0
    assert "line 7" in r.message and f"{size_mb} MB" in r.message, r.message


@pytest.mark.parametrize("quoted", [False, True])
def test_a_long_row_is_rejected_with_its_own_line(tmp_path, quoted):
    lines = _joins_lines()
    cell = "y" * (3 << 20)
    lines[6] = f'u7,"{cell}",A1,g' if quoted else f"u7,{cell},A1,g"
    r, stored = _load(tmp_path, ("\n".join(lines) + "\n").encode())
    _accounted(r, 11)
    assert (r.accepted, r.rejected, stored) == (10, 1, 10)
    (rej,) = r.rejects
    assert rej.line == 7 and "u6" not in (rej.value or ""), rej


def test_an_unclosed_quote_mid_file_refuses_the_file(tmp_path):
    """It swallowed the rest of the file: "1 accepted, 1 rejected" for 11 rows."""
    lines = _joins_lines()
    lines[3] = 'u4,"2024-03-01 10:00,A1,g'
    r, stored = _load(tmp_path, ("\n".join(lines) + "\n").encode())
    assert r.status == "refused" and stored == 0
    assert "line 4" in r.message and "never closed" in r.message, r.message


def test_an_unclosed_quote_on_the_last_line_rejects_that_row(tmp_path):
    lines = _joins_lines()
    lines[-1] = 'u12,"2024-03-01 10:00,A1,g'
    r, _ = _load(tmp_path, ("\n".join(lines) + "\n").encode())
    _accounted(r, 11)
    assert (r.accepted, r.rejected) == (10, 1) and r.rejects[0].line == 12


def test_gbk_head_and_utf8_tail_is_said(tmp_path):
    head = "user_id,joined_at,article_id,group_id\n"
    gbk = "".join(f"用户{i},2024-03-01 10:00,A1,群{i}\n" for i in range(40_000)).encode("gbk")
    assert len(gbk) > 1 << 20
    # "用户" and "群组" in UTF-8 are also valid GB18030 byte pairs: read as GB18030 they
    # become other characters without a single decoding error
    utf8 = "".join(f"用户{i},2024-03-02 10:00,A1,群组\n" for i in range(100)).encode("utf-8")
    utf8.decode("gb18030")
    r, _ = _load(tmp_path, head.encode() + gbk + utf8)
    _accounted(r, 40_100)
    assert "UTF-8" in r.message and "line 40,002" in r.message, r.message


def test_a_header_over_1_mb_is_named_as_such(tmp_path):
    header = "user_id,joined_at," + ",".join(f"extra_column_{i:06d}" for i in range(60_000))
    assert len(header) > 1 << 20
    r, _ = _load(tmp_path, (header + "\nu1,2024-03-01\n").encode())
    assert r.status == "refused"
    assert "no header row" not in r.message and "header" in r.message and "1 MB" in r.message, r.message


def test_blank_rows_are_counted(tmp_path):
    lines = _joins_lines(6)
    data = "\n".join(lines[:3] + ["", " , ,,", ""] + lines[3:]) + "\n"
    r, _ = _load(tmp_path, data.encode())
    _accounted(r, 8)
    assert r.blank == 3


# ---- every output writer leaves generated hostile text inert (a property) -------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as hst  # noqa: E402

_FRAGMENTS = [
    "![c](http://127.0.0.1:8629/x.png)", "[click](http://evil.example/)", "<img src=x onerror=alert(1)>",
    "<a href='http://evil.example'>x</a>", "<script>alert(1)</script>", "http://evil.example/p",
    "www.evil.example", "javascript:alert(1)", "=HYPERLINK(\"http://e\",\"x\")", "+cmd|' /C calc'!A0",
    "-2+3", "@SUM(1,2)", "\t=1+1", "\r=1", "|", "||", "*", "**", "_", "`", "$x$", "~~", ":red[x]", "#",
    "<", ">", "&amp;", "\\", "\n", "\r\n", "[", "]", "(", ")", "!", "<http://evil.example>", "标题", " ",
]
hostile_text = hst.lists(hst.one_of(hst.sampled_from(_FRAGMENTS), hst.text(max_size=4)), min_size=1,
                         max_size=8).map("".join).filter(lambda s: s.strip())
PROPERTY = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _tokens(md_text: str, kind: str) -> int:
    def walk(tokens):
        return sum((t.type == kind) + walk(t.children or []) for t in tokens)
    return walk(_MD.parse(md_text))


def _with_text(d: digest.Digest, text: str) -> digest.Digest:
    import dataclasses

    return dataclasses.replace(
        d, params=d.params.with_(channels=(text, "zhihu")),
        channels=[{**c, "channel": text} for c in d.channels],
        articles=[{**a, "title": text, "channel": text} for a in d.articles],
        alerts=[dataclasses.replace(a, channel=text if a.channel else None) for a in d.alerts])


@PROPERTY
@given(hostile_text)
def test_property_markdown_helper_is_inert(text):
    out = fmt.md_escape(text)
    assert live_markup(out) == [] and "\n" not in out
    assert _tokens(f"| a |\n|---|\n| {out} |", "td_open") == 1  # stays one table cell


@PROPERTY
@given(hostile_text)
def test_property_digest_markdown_and_html_are_inert(hostile_digest, text):
    base_d = _with_text(hostile_digest, "plain")
    d = _with_text(hostile_digest, text)
    for lang in ("en", "zh"):
        md, base_md = digest.render_md(d, lang), digest.render_md(base_d, lang)
        assert live_markup(md) == [], live_markup(md)
        assert _tokens(md, "td_open") == _tokens(base_md, "td_open")  # no cell split or merged
        out = digest.render_html(d, lang, with_charts=False)
        base = digest.render_html(base_d, lang, with_charts=False)
        assert html_tags(out) == html_tags(base)  # the text added no tag and no attribute


@pytest.fixture(scope="module")
def csv_store():
    from .worlds import basic_store

    s = basic_store()
    yield s
    s.close()


@PROPERTY
@given(hostile_text)
def test_property_every_csv_and_report_markdown_is_inert(csv_store, text):
    import pandas as pd

    from contentroi import export, ingest

    # the page downloads (fmt.safe_csv), the rejected rows, the record writer
    assert formula_cells(fmt.safe_csv(pd.DataFrame({"title": [text], "n": [1]})).decode("utf-8-sig")) == []
    assert formula_cells(fmt.safe_csv_rows([[text, text]], [text, "v"]).decode("utf-8-sig")) == []
    r = ingest.LoadResult("joins", text, "loaded", "", rejects=[ingest.RejectedRow(2, "user_id", text, text)])
    assert formula_cells(r.rejects_csv().decode("utf-8-sig")) == []
    # report --format csv / md on a store whose titles, authors and a channel are the text
    cur = csv_store.cursor()
    cur.execute("BEGIN TRANSACTION")
    try:
        cur.execute("UPDATE articles SET title = $t, author = $t", {"t": text})
        cur.execute("UPDATE articles SET channel = $t WHERE channel = 'wechat'", {"t": text})
        csv_store.refresh_models(cur)
        out = export.report_csv(cur, Params().bind())
        assert text.replace("\r\n", "\n").strip() == "" or formula_cells(out) == []
        rows = list(csv.DictReader(io.StringIO(out)))
        assert len(rows) == 1 + 2 + 3  # total, two channels, three articles: no row split
        md = cli.render(engine.report(cur, Params(channels=(text,))), "md")
        assert live_markup(md) == [], live_markup(md)
    finally:
        cur.execute("ROLLBACK")
        cur.close()
