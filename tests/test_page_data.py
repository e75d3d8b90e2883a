"""The Data page through AppTest: upload, mapping by hand, counts, access, clear/undo.

AppTest cannot drive st.file_uploader, so these tests replace it with a function
returning in-memory files shaped like Streamlit's UploadedFile (name, read, seek);
everything after the upload widget runs for real.
"""
from __future__ import annotations

import io
import json

import pytest
import streamlit

from contentroi import engine
from contentroi.engine import Params
from contentroi.store import Store, Workspace


class FakeUpload(io.BytesIO):
    def __init__(self, name: str, data: bytes):
        super().__init__(data)
        self.name = name
        self.size = len(data)
        self.type = "text/csv"


@pytest.fixture
def uploads(monkeypatch):
    """Files the (patched) uploader returns: set `uploads.files = [...]`."""

    class Box:
        files: list[FakeUpload] = []

    def fake_uploader(label, *a, **kw):
        return [FakeUpload(f.name, f.getvalue()) for f in Box.files] or None

    monkeypatch.setattr(streamlit, "file_uploader", fake_uploader)
    return Box


def open_data(at):
    at.switch_page("pages/data.py")
    at.run()
    assert not at.exception
    return at


def choose(at, value):
    """Onto the sample, the page asks first: replace it or keep both."""
    radio = at.radio(key="up_sample_choice")
    assert radio.value is None and next(b for b in at.button if b.label.startswith("Load")).disabled
    radio.set_value(value).run()
    return at


def metric(at, label):
    return next(m.value for m in at.metric if m.label == label)


ARTICLES_GBK = (
    "文章ID,标题,渠道,发布时间,作者,阅读数,成本\n"
    "N1,春季理财入门,wechat,2026年3月1日 10:00,王小明,\"1,200\",￥300.00\n"
    "N2,考研英语备考,zhihu,2026/03/02,李华,800,120\n"
    "N3,坏日期,weibo,昨天,张三,100,10\n"
).encode("gbk")


def articles_in(path) -> set[str]:
    with Store(Workspace(path).current(), read_only=True) as s:
        return {r[0] for r in s.cursor().execute("SELECT article_id FROM articles").fetchall()}


def test_upload_shows_counts_and_loads(app_rw, uploads, sample_db_copy):
    uploads.files = [FakeUpload("导出.csv", ARTICLES_GBK)]
    at = open_data(app_rw)
    assert any("gb18030" in m.value for m in at.markdown)  # the detected encoding is shown
    choose(at, "replace")
    load = next(b for b in at.button if b.label.startswith("Load"))
    load.click().run()
    assert not at.exception
    assert (metric(at, "Accepted"), metric(at, "Rejected"), metric(at, "Duplicates")) == ("2", "1", "0")
    assert articles_in(sample_db_copy) == {"N1", "N2"}  # the sample was replaced
    notes = " ".join(i.value for i in [*at.info, *at.warning])
    assert "generated sample data**" not in notes and "Sample data mixed" not in notes
    # the same file again adds nothing
    load = next(b for b in at.button if b.label.startswith("Load"))
    load.click().run()
    assert (metric(at, "Accepted"), metric(at, "Duplicates")) == ("0", "2")


def test_missing_column_is_mapped_by_hand(app_rw, uploads, sample_db_copy):
    csv = "编号,名字,platform,when\nM1,Hello,wechat,2026-03-01\n".encode()
    uploads.files = [FakeUpload("odd.csv", csv)]
    at = open_data(app_rw)
    assert any("not recognised" in w.value for w in at.warning)
    load = next(b for b in at.button if b.label.startswith("Load"))
    assert load.disabled  # nothing loads until the required columns are mapped
    at.selectbox(key="map_odd.csv_article_id").set_value("编号")
    at.selectbox(key="map_odd.csv_title").set_value("名字")
    at.run()
    # published_at was matched by its alias? 'when' is not an alias: map it too if asked
    if any(sb.key == "map_odd.csv_published_at" for sb in at.selectbox):
        at.selectbox(key="map_odd.csv_published_at").set_value("when")
        at.run()
    choose(at, "keep")
    load = next(b for b in at.button if b.label.startswith("Load"))
    assert not load.disabled
    load.click().run()
    assert metric(at, "Accepted") == "1"
    assert "M1" in articles_in(sample_db_copy)


def test_refused_file_loads_nothing(app_rw, uploads, sample_db_copy):
    before = articles_in(sample_db_copy)
    snaps = len(Workspace(sample_db_copy).snapshots())
    uploads.files = [FakeUpload("empty.csv", b"")]
    at = open_data(app_rw)
    assert at.error  # a clear message, no traceback
    assert not at.exception
    assert articles_in(sample_db_copy) == before
    assert len(Workspace(sample_db_copy).snapshots()) == snaps


def test_edit_password_guards_uploads(app_rw, uploads, sample_db_copy, monkeypatch):
    from contentroi import st_app

    st_app._process_lockout.clear()
    monkeypatch.setenv("CONTENTROI_EDIT_PASSWORD", "s3cret-密码")
    uploads.files = [FakeUpload("a.csv", ARTICLES_GBK)]
    app_rw.query_params["edit_password"] = "s3cret-密码"  # a link never grants editing
    at = open_data(app_rw)
    # no uploader, no preview, no Load button before the password (nothing is parsed)
    assert not [b for b in at.button if b.label.startswith("Load")]
    assert any("edit password" in i.value for i in at.info)
    at.text_input(key="edit_pw_upload").set_value("wrong").run()
    assert any("Wrong password" in e.value for e in at.error)
    assert not [b for b in at.button if b.label.startswith("Load")]
    assert "N1" not in articles_in(sample_db_copy)
    at.text_input(key="edit_pw_upload").set_value("s3cret-密码").run()
    choose(at, "keep")
    next(b for b in at.button if b.label.startswith("Load")).click().run()
    assert metric(at, "Accepted") == "2"
    assert "N1" in articles_in(sample_db_copy)


def test_clear_then_undo(app_rw, uploads, sample_db_copy):
    uploads.files = []
    at = open_data(app_rw)
    at.button(key="clear_yes").click().run()
    assert not at.exception
    assert articles_in(sample_db_copy) == set()
    at.switch_page("pages/overview.py").run()
    assert any("no data yet" in i.value for i in at.info)  # the empty state says what to do
    at = open_data(at)
    at.button(key="undo_yes").click().run()
    assert len(articles_in(sample_db_copy)) == 200


def test_store_tab_and_quality_panel(app, sample_store):
    at = open_data(app)
    counts = {m.label: m.value for m in at.metric}
    assert counts["Article rows"] == "200" and counts["Join rows"] == "10,000"
    dq = {r[0]: r[1] for r in sample_store.cursor().execute(
        "SELECT 'x', count(*) FROM joins j WHERE j.article_id IS NOT NULL AND "
        "NOT EXISTS (SELECT 1 FROM articles a WHERE a.article_id = j.article_id)").fetchall()}
    assert counts["Joins naming an unknown article"] == f"{dq['x']:,}"
    assert engine.totals(sample_store, Params())["joins"] > 0


def test_single_sign_on_gate(app):
    """With OIDC configured in secrets, nothing is shown before signing in."""
    app.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback",
                           "cookie_secret": "x" * 32, "client_id": "id", "client_secret": "s",
                           "server_metadata_url": "https://sso.example/.well-known/openid-configuration"}
    at = app.run()
    assert not at.exception
    assert any("Sign in" in b.label for b in at.button)
    assert not at.metric and not at.dataframe  # no numbers before signing in
    assert not at.sidebar.multiselect


def test_channel_names_are_edited_in_the_store_and_shown(app_rw, sample_db_copy):
    """wechat -> 公众号 by default; names set in the store (the Data page's editor) show in
    the tables and the channel filter, per language; the table's CSV keeps the codes."""
    from contentroi.store import Workspace
    from tests.conftest import table_values

    at = app_rw
    at.query_params = {"lang": "zh"}
    at.switch_page("pages/data.py").run()
    assert not at.exception
    at.button(key="ch_names_save").click().run()  # saving the editor's (unchanged) names
    assert not at.exception
    at.switch_page("pages/channels.py").run()

    def shown(at) -> dict[str, str]:
        cfg = json.loads(at.dataframe[0].proto.columns)["channel"]["type_config"]
        return {o["value"]: o["label"] for o in cfg["options"]}

    assert shown(at)["wechat"] == "公众号" and shown(at)["zhihu"] == "知乎"
    assert "wechat" in table_values(at.dataframe[0])["channel"].tolist()  # the value stays the code
    with Workspace(sample_db_copy).writer() as store:
        store.set_channel_names([("wechat", "WeChat OA", "微信公众号"), ("zhihu", "", "")])
    at.query_params = {"lang": "en"}
    at.run()
    assert shown(at)["wechat"] == "WeChat OA" and shown(at)["zhihu"] == "zhihu"


def test_the_page_says_how_many_changes_undo_can_take_back(app_rw, uploads, sample_db_copy, monkeypatch):
    """The Store tab counts the versions Undo can go back to, in both languages; a base
    kept only for the deltas that read it (the disk budget) is not one."""
    from contentroi import ingest, overlay
    from contentroi.store import Workspace

    def captions(at):
        return [c.value for c in at.caption]

    uploads.files = []
    at = open_data(app_rw)
    assert "There is no change to undo now." in captions(at)
    ws = Workspace(sample_db_copy)
    monkeypatch.setattr(overlay, "DISK_FLOOR", 0)
    monkeypatch.setattr(overlay, "DISK_SHARE", 1.0)  # room for the published version and one before it
    for k in range(3):
        data = ("user_id,joined_at,article_id,group_id\n" + f"undo{k},2026-06-0{k + 1} 10:00:00,A0001,g\n").encode()
        ingest.publish_files(ws, [{"source": data, "log": "joins", "file_name": "j.csv"}], "cli")
    at = open_data(at)
    assert "Undo can take back 1 change(s) now, one at a time." in captions(at)
    at.query_params["lang"] = "zh"
    at = open_data(at)
    assert "当前可逐次撤销 1 次更改。" in captions(at)
    at.button(key="undo_yes").click().run()
    at = open_data(at)
    assert "当前没有可撤销的更改。" in captions(at)
