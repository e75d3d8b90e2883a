"""Upload a GBK CSV on the Data page in a real browser and see the accepted count."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import shot, wait_ready

pytestmark = pytest.mark.browser

GBK_ARTICLES = (
    "文章ID,标题,渠道,发布时间,作者,阅读数,成本\n"
    "B9001,春季理财入门,wechat,2026年3月1日 10:00,王小明,\"1,200\",￥300.00\n"
    "B9002,考研英语备考指南,zhihu,2026/03/02,李华,800,120\n"
    "B9003,坏日期的文章,weibo,昨天,张三,100,10\n"
).encode("gbk")


def test_upload_gbk_csv(fresh_server, page, tmp_path):
    f = tmp_path / "文章导出.csv"
    f.write_bytes(GBK_ARTICLES)
    page.goto(fresh_server.url + "/data")
    wait_ready(page)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(f))
    page.get_by_text("gb18030").first.wait_for()  # the detected encoding is shown
    wait_ready(page)
    page.get_by_text("Keep both").click()  # onto the sample, the page asks first
    load = page.get_by_role("button", name="Load 1 file(s)")
    expect(load).to_be_enabled(timeout=60_000)
    load.click()
    page.locator("[data-testid='stMain'] [data-testid='stMarkdownContainer']",
                 has_text="文章导出.csv · Articles").first.wait_for(timeout=120_000)
    wait_ready(page)
    result = page.locator("[data-testid='stMetric']").filter(has_text="Accepted")
    result.first.wait_for()
    assert result.first.locator("[data-testid='stMetricValue']").inner_text().strip() == "2"
    rejected = page.locator("[data-testid='stMetric']").filter(has_text="Rejected").first
    assert rejected.locator("[data-testid='stMetricValue']").inner_text().strip() == "1"
    shot(page, "data-upload-gbk")


def test_chinese_uploader_speaks_chinese_and_refuses_an_xls_in_chinese(server, page, tmp_path):
    """A Chinese page meets none of Streamlit's own English on the uploader (its button and
    size line are replaced), and an old .xls is refused by the app's message in Chinese —
    not by Streamlit's "application/vnd.ms-excel files are not allowed"."""
    old = tmp_path / "旧报表.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)  # an OLE2 (BIFF) header
    page.goto(server.url + "/data?lang=zh")
    wait_ready(page)
    drop = page.locator("[data-testid='stFileUploaderDropzone']")
    button_text = drop.locator("[data-testid='stBaseButton-secondary'] [data-testid='stMarkdownContainer'] p")
    limit_text = drop.locator("[data-testid='stFileUploaderDropzoneInstructions'] span").first

    def shown(loc, pseudo):  # what the reader sees: the element's own text is sized to nothing
        return loc.evaluate(f"(e) => [getComputedStyle(e).fontSize, getComputedStyle(e, '{pseudo}').content]")

    size, after = shown(button_text, "::after")
    assert size == "0px" and after == '"选择文件"'
    size, after = shown(limit_text, "::after")
    assert size == "0px" and "单个文件不超过 200 MB" in after
    shot(page, "data-uploader-zh")
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(old))
    page.get_by_text("旧报表.xls").first.wait_for()
    wait_ready(page)
    body = page.locator("[data-testid='stMain']").inner_text()
    assert "not allowed" not in body and "Error" not in body
    assert ".xlsx" in body and "另存为" in body, body[-800:]
    # in English, Streamlit's own texts stay
    page.goto(server.url + "/data?lang=en")
    wait_ready(page)
    size, after = shown(button_text, "::after")
    assert size != "0px" and after in ("none", "normal")


def test_a_missing_column_is_asked_for_in_chinese(server, page, tmp_path):
    """A file without the articles log's title, channel and publish time: the page asks
    which header holds each, in Chinese down to the empty choice (Streamlit's own is
    "Choose an option")."""
    f = tmp_path / "文章导出.csv"
    f.write_text("文章ID,阅读数\nB1,10\n", encoding="utf-8")
    page.goto(server.url + "/data?lang=zh")
    wait_ready(page)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(f))
    boxes = page.locator("[data-testid='stSelectbox']", has_text="对应的表头")
    boxes.first.wait_for(timeout=60_000)
    wait_ready(page)
    assert boxes.count() == 3
    for i in range(3):
        box = boxes.nth(i).get_by_role("combobox")
        assert box.input_value() == "请选择表头"
        assert box.get_attribute("placeholder") == "请选择表头"  # what a screen reader says
    body = page.locator("[data-testid='stMain']").inner_text()
    assert "Choose an option" not in body, body[-800:]
    shot(page, "data-mapping-zh")
