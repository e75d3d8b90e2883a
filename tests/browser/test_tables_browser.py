"""A table in Chinese in a real browser: counts and money in 万 that still sort as numbers,
and its two CSV downloads (codes for scripts; labels and channel names for people), made
on click in a thread of their own, outside the page's run."""
from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import expect

from .conftest import shot, wait_ready

pytestmark = pytest.mark.browser


def download(page, name: str, within=None) -> list[list[str]]:
    """Click the CSV button ``name`` (the first one, or the first ``within`` a locator)."""
    button = (within or page).get_by_role("button", name=name).first
    expect(button).to_be_enabled(timeout=60_000)  # the page's run has drawn it (a busy machine)
    button.scroll_into_view_if_needed()  # (clicked while still scrolling, no download started)
    with page.expect_download(timeout=120_000) as dl:  # made on click, in a thread of its own
        button.click()
    with open(dl.value.path(), encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(io.StringIO(f.read())))


def test_zh_scorecard_csv_codes_and_labels(server, page):
    page.goto(server.url + "/channels?lang=zh")
    wait_ready(page)
    shot(page, "channels_zh_table")
    codes = download(page, "下载 CSV")
    assert codes[0][:3] == ["channel", "reads", "joins"]
    by_code = {r[0]: r for r in codes[1:]}
    assert by_code["wechat"][1] == "623530"  # raw numbers, not 62.35万
    people = download(page, "CSV（中文列名）")
    assert people[0][:3] == ["渠道", "阅读", "入群"]  # the page's language, though made off the run
    by_name = {r[0]: r for r in people[1:]}
    assert by_name["公众号"][1] == "623530" and "wechat" not in by_name


def test_en_labels_csv(server, page):
    page.goto(server.url + "/channels")
    wait_ready(page)
    people = download(page, "CSV with column names")
    assert people[0][:3] == ["Channel", "Reads", "Joins"]
    assert "wechat" in {r[0] for r in people[1:]}  # no English name set: the code


def test_attribution_articles_csv_has_every_article(server, page):
    """The Attribution page lists the 100 articles with the most revenue under the selected
    model; its CSV has every article (the sample's 200), in the same order."""
    page.goto(server.url + "/attribution?model=linear")
    wait_ready(page)
    page.get_by_role("tab", name="By article").click()
    expect(page.get_by_text("The 100 articles with the most revenue under Linear")).to_be_visible(timeout=60_000)
    arts = download(page, "Download CSV", within=page.get_by_role("tabpanel", name="By article"))
    head, body = arts[0], arts[1:]
    assert "article_id" in head and "rev_linear" in head and len(body) == 200
    rev = [float(r[head.index("rev_linear")]) for r in body]
    assert rev == sorted(rev, reverse=True)


def test_zh_articles_csv_with_labels_is_chinese_throughout(server, page):
    """The Articles leaderboard's CSV for people, in Chinese: every header a Chinese label
    (the intervals' bounds and the sample flag too), and the words the page writes into
    cells (样本太少, 免费 / 未知 next to the cost) in Chinese, though the file is made on
    another thread, outside the page's run; every row of the list (200), not the page's 100."""
    import re

    page.goto(server.url + "/articles?lang=zh")
    wait_ready(page)
    people = download(page, "CSV（中文列名）")
    head, body = people[0], people[1:]
    assert len(body) == 200
    latin = [h for h in head if re.search(r"[A-Za-z]{3,}", h) and "Wilson" not in h]
    assert not latin, latin  # e.g. overall_rate_lo, small_sample, cost_note
    assert "整体转化率 95% 下限" in head and "入群不足 30 人" in head
    notes = {r[head.index("成本说明")] for r in body} if "成本说明" in head else set()
    sample = {r[head.index("样本")] for r in body}
    assert "样本太少" in sample and "免费" in notes, (notes, sample)
    assert not ({"free", "unknown", "too few to judge"} & (notes | sample)), (notes, sample)


def test_clicking_an_articles_title_opens_the_article(server, page):
    """On the leaderboard a click on a row's cell (its title, say) opens that article, as
    the caption says; the row's box did before, a cell click only highlighted the cell."""
    page.goto(server.url + "/articles?lang=en")
    wait_ready(page)
    grid = page.locator("[data-testid='stDataFrame']").first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 150, box["y"] + 35 + 17)  # the first row's title (under the header)
    page.wait_for_url("**article=**", timeout=60_000)
    expect(page.get_by_role("button", name="Back to the list")).to_be_visible(timeout=60_000)
    shot(page, "articles_cell_click_opens")
    page.get_by_role("button", name="Back to the list").click()  # the old click opens nothing again
    expect(page.get_by_text("Rates show the 95% Wilson interval")).to_be_visible(timeout=60_000)
    wait_ready(page)
    assert "article=" not in page.url
    expect(page.get_by_role("button", name="Back to the list")).to_have_count(0)
