"""The pages are one list (contentroi/pagelist.py): every page file has an entry and
every entry a file, a navigation label in both languages and its translation section;
and the one workaround for the pages/ folder still does what it must."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from contentroi import i18n, pagelist

ROOT = Path(__file__).resolve().parent.parent


def test_every_page_file_has_one_entry_and_back():
    files = {p.stem for p in (ROOT / "pages").glob("*.py") if p.name != "__init__.py"}
    assert files == set(pagelist.KEYS)
    assert len(set(pagelist.KEYS)) == len(pagelist.KEYS)
    for p in pagelist.PAGES:
        src = (ROOT / p.path).read_text(encoding="utf-8")
        assert re.search(rf'start_page\(\s*"{p.key}"', src), f"{p.path} must call ui.start_page({p.key!r})"


def test_labels_and_sections():
    assert pagelist.PAGES[0].url_path == ""
    assert len({p.url_path for p in pagelist.PAGES}) == len(pagelist.PAGES)
    for p in pagelist.PAGES:
        en, zh = p.label
        assert en and zh and en != zh
        assert i18n.t(f"nav_{p.key}", "en") == en and i18n.t(f"nav_{p.key}", "zh") == zh
        if p.section:
            assert p.section in i18n.SECTIONS
            assert (ROOT / "contentroi" / "i18n" / f"{p.section}.py").is_file()


def test_streamlit_still_treats_a_pages_folder_as_legacy():
    """The canary: Streamlit 1.67 runs pages/<x>.py on its own (without app.py) for the
    first visitor of a server when a pages/ folder exists, which is why
    st_app._ensure_app_navigation exists. If an upgrade changes this, this test fails:
    re-read the multipage docs and remove or adapt that function."""
    from streamlit.runtime.pages_manager import PagesManager

    saved = PagesManager.uses_pages_directory
    try:
        PagesManager.uses_pages_directory = None
        PagesManager(str(ROOT / "app.py"), None, setup_watcher=False)
        assert PagesManager.uses_pages_directory is True
    finally:
        PagesManager.uses_pages_directory = saved


@pytest.mark.parametrize("key", ["data", "channels"])
def test_first_visitor_opening_a_page_directly_gets_the_app(sample_db, monkeypatch, key):
    """A fresh server (AppTest resets Streamlit's pages mode on every run) whose first
    request is /<key>: the page comes up inside app.py's navigation, with its sidebar."""
    from streamlit.testing.v1 import AppTest

    from tests.conftest import APP

    monkeypatch.setenv("CONTENTROI_DB", str(sample_db))
    at = AppTest.from_file(APP, default_timeout=120)
    at.switch_page(f"pages/{key}.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == pagelist.get(key).label[0]
    assert "_pages" in at.session_state
    assert [e.proto.label for e in at.get("page_link")] == [p.label[0] for p in pagelist.PAGES]


def test_only_the_ui_adapter_imports_streamlit():
    """contentroi/ imports Streamlit only in its UI adapter, the st_app package (pages/ and
    app.py may): the engine, the digest, the loader and the CLI run without it."""
    pattern = re.compile(r"^\s*(import streamlit|from streamlit\b)", re.M)
    found = {str(p.relative_to(ROOT)) for p in (ROOT / "contentroi").rglob("*.py")
             if pattern.search(p.read_text(encoding="utf-8"))}
    adapter = {str(p.relative_to(ROOT)) for p in (ROOT / "contentroi" / "st_app").glob("*.py")}
    assert found and found <= adapter, sorted(found - adapter)
