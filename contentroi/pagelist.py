"""The app's pages, as one list (pure Python: no Streamlit).

Adding a page is its file ``pages/<key>.py`` plus one entry here. Everything else
follows from the entry: the navigation (st.Page, url, icon, order), the sidebar
link's label in both languages (the translation key ``nav_<key>``), which filters
the sidebar shows, the page's translation section (``contentroi/i18n/<i18n>.py``,
loaded by contentroi.i18n — a missing section is an error, not a silent skip),
and the page lists of the tests and the benchmark.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class PageDef:
    key: str
    icon: str
    label: tuple[str, str]  # the navigation label (English, 简体中文)
    global_filters: bool = True  # the channel / window / model filters apply
    period_filter: bool = True  # the publish-date period applies
    channel_filter: bool = True  # the channel list applies
    i18n: str | None = None  # its translation section (default: the key); "" for none

    @property
    def path(self) -> str:
        return f"pages/{self.key}.py"

    @property
    def url_path(self) -> str:
        return "" if self.key == PAGES[0].key else self.key

    @property
    def section(self) -> str | None:
        return self.key if self.i18n is None else (self.i18n or None)


PAGES: tuple[PageDef, ...] = (
    PageDef("overview", ":material/dashboard:", ("Overview", "总览")),
    PageDef("articles", ":material/article:", ("Articles", "文章")),
    PageDef("channels", ":material/hub:", ("Channels", "渠道")),
    PageDef("attribution", ":material/account_tree:", ("Attribution", "归因")),
    PageDef("sales", ":material/support_agent:", ("Sales", "销售")),
    PageDef("digest", ":material/summarize:", ("Digest", "日报/周报"), period_filter=False),
    PageDef("cohorts", ":material/stacked_line_chart:", ("Cohorts", "用户群组"), period_filter=False),
    PageDef("targets", ":material/flag:", ("Targets", "目标"), period_filter=False, channel_filter=False),
    PageDef("data", ":material/database:", ("Data", "数据"), global_filters=False),
)

KEYS: tuple[str, ...] = tuple(p.key for p in PAGES)


def get(key: str) -> PageDef:
    for p in PAGES:
        if p.key == key:
            return p
    raise KeyError(f"no page {key!r} in contentroi/pagelist.py")


def nav_text() -> dict[str, tuple[str, str]]:
    """The navigation labels as translation entries ``nav_<key>``."""
    return {f"nav_{p.key}": p.label for p in PAGES}
