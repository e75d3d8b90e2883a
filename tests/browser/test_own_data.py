"""An editor's own data, end to end, in a real Chromium against `streamlit run` (issue 10).

1. Upload through the Data page's own widget: each log as .xlsx AND as a GBK CSV with
   Chinese headers, one file needing a column mapped by hand, one with bad rows; onto
   the sample, choosing "replace the sample". Then the Overview shows the figures
   `python -m contentroi report` gives for the same files.
2. clear -> undo -> upload -> reset -> undo -> upload -> upload -> undo -> undo, with the
   figures checked after every step, on this app AND on a second app process serving the
   same store; the two last uploads publish deltas on one base (docs/ARCHITECTURE.md).
"""
from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys

import openpyxl
import pytest
from playwright.sync_api import expect

from contentroi import fmt

from .conftest import ROOT, Server, after_rerun, shot, wait_ready

pytestmark = pytest.mark.browser

# ---- a small hand-made world, split over the files ----------------------------------------
ART_XLSX = [["文章ID", "标题", "渠道", "发布时间", "作者", "阅读数", "成本"],
            ["E1", "春季理财入门", "公众号", "2026-09-01 10:00", "王", 1200, 300],
            ["E2", "考研英语", "知乎", "2026-09-02 09:00", "李", 800, 120.5]]
ART_GBK = ("文章ID,标题,渠道,发布时间,作者,阅读数,成本\n"
           "E3,夏令营报名,公众号,2026年9月3日 08:00,张,\"1,500\",￥200.00\n"
           "E4,坏日期的文章,知乎,昨天,张,100,10\n")  # a bad row: rejected
JOIN_XLSX = [["用户ID", "入群时间", "来源文章", "群名称"],
             ["u1", "2026-09-01 12:00", "E1", "读者1群"],
             ["u2", "2026-09-01 13:00", "E1", "读者1群"],
             ["u3", "2026-09-02 12:00", "E2", "读者2群"]]
JOIN_GBK = ("用户ID,入群时间,来源文章,群名称\n"
            "u4,2026/09/03 10:00,E3,读者3群\n"
            "u5,2026/09/03 11:00,E3,读者3群\n"
            "u6,2026/09/04 11:00,,读者3群\n")
SALE_XLSX = [["用户ID", "事件", "发生时间", "销售", "金额", "订单号"],
             ["u1", "联系", "2026-09-02 10:00", "赵", None, None],
             ["u1", "付费", "2026-09-03 10:00", "赵", 1280, "O1"],
             ["u4", "联系", "2026-09-04 10:00", "钱", None, None]]
# needs mapping by hand: "买家代号" is no alias of user_id
SALE_GBK = ("买家代号,事件,发生时间,销售,金额,订单号\n"
            "u4,付费,2026-09-05 10:00,钱,\"￥2,000.00\",O2\n"
            "u2,联系,2026-09-02 15:00,赵,,\n"
            "u2,付费,2026-09-06 15:00,赵,599,O3\n")


def xlsx(path, rows):
    wb = openpyxl.Workbook()
    for r in rows:
        wb.active.append(r)
    wb.save(path)
    return path


def files(tmp):
    d = tmp / "exports"
    d.mkdir()
    f = {
        "articles": [xlsx(d / "文章.xlsx", ART_XLSX), d / "文章导出.csv"],
        "joins": [xlsx(d / "入群.xlsx", JOIN_XLSX), d / "入群导出.csv"],
        "sales": [xlsx(d / "销售.xlsx", SALE_XLSX), d / "销售导出.csv"],
    }
    f["articles"][1].write_bytes(ART_GBK.encode("gbk"))
    f["joins"][1].write_bytes(JOIN_GBK.encode("gbk"))
    f["sales"][1].write_bytes(SALE_GBK.encode("gbk"))
    # what the editor maps by hand, written out for the report command (which cannot ask)
    mapped = d / "销售导出_mapped.csv"
    mapped.write_bytes(SALE_GBK.replace("买家代号,", "用户ID,", 1).encode("gbk"))
    return f, mapped


def cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "contentroi", *args], cwd=ROOT, capture_output=True,
                          text=True)


def report(*args) -> dict:
    r = cli("report", *args)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def tile(page, label: str) -> str:
    m = page.locator("[data-testid='stMetric']").filter(
        has=page.locator("[data-testid='stMetricLabel']", has_text=re.compile(f"^{re.escape(label)}$")))
    return m.first.locator("[data-testid='stMetricValue']").inner_text().strip()


def overview_matches(page, url: str, rep: dict) -> None:
    page.goto(url + "/")
    wait_ready(page)
    tot = rep["totals"]
    assert tile(page, "Revenue") == fmt.money(tot["revenue"])
    assert tile(page, "Joins") == fmt.count(tot["joins"])
    assert tile(page, "Paid") == fmt.count(tot["paid"])
    assert tile(page, "Cost") == fmt.money(tot["cost"])


def store_counts(page, url: str) -> tuple[str, str, str]:
    page.goto(url + "/data")
    wait_ready(page)
    page.get_by_role("tab", name="Store").click()
    return tuple(tile(page, x) for x in ("Article rows", "Join rows", "Sales event rows"))


def file_block(page, text: str):
    return page.locator("[data-testid='stMain'] [data-testid='stMarkdownContainer']", has_text=text).first


def upload(page, log_label: str, paths, replace_sample: bool | None = None, map_user: bool = False):
    """Choose the log, hand the files to the page's own st.file_uploader, load them."""
    page.get_by_role("tab", name="Upload").click()
    radio = page.locator("[data-testid='stButtonGroup']").get_by_role("radio", name=log_label, exact=True)
    if radio.get_attribute("aria-checked") != "true":
        radio.click()
        expect(radio).to_have_attribute("aria-checked", "true", timeout=60_000)
    wait_ready(page)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files([str(p) for p in paths])
    for p in paths:  # each file is inspected: its encoding / sheet and columns are shown
        file_block(page, p.name).wait_for(timeout=60_000)
    wait_ready(page)
    if map_user:  # the file's user column has no known name: map it by hand
        shot(page, "own-data-map-by-hand")
        box = page.locator("[data-testid='stSelectbox']", has_text="user_id").get_by_role("combobox")
        box.click()
        box.fill("买家代号")
        page.keyboard.press("Enter")
        wait_ready(page)
    if replace_sample is not None:
        page.get_by_text("Replace the sample" if replace_sample else "Keep both").click()
        wait_ready(page)
    load = page.get_by_role("button", name=f"Load {len(paths)} file(s)")
    expect(load).to_be_enabled(timeout=60_000)
    load.click()
    for p in paths:  # each file's result: "<name> · <log>"
        file_block(page, f"{p.name} · {log_label}").wait_for(timeout=120_000)
    wait_ready(page)


def accepted(page) -> list[str]:
    label = page.locator("[data-testid='stMetricLabel']", has_text=re.compile("^Accepted$"))
    return [m.locator("[data-testid='stMetricValue']").inner_text().strip()
            for m in page.locator("[data-testid='stMetric']").filter(has=label).all()]


def test_upload_every_format_through_the_widget(fresh_server, page, tmp_path):
    f, mapped = files(tmp_path)
    url = fresh_server.url
    page.goto(url + "/data")
    wait_ready(page)
    # onto the sample: Load stays disabled until replace / keep is chosen
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(
        [str(p) for p in f["articles"]])
    for p in f["articles"]:
        file_block(page, p.name).wait_for(timeout=60_000)
    wait_ready(page)
    assert page.get_by_role("button", name="Load 2 file(s)").is_disabled()
    page.get_by_text("Replace the sample").click()
    wait_ready(page)
    shot(page, "own-data-replace-or-keep")
    load = page.get_by_role("button", name="Load 2 file(s)")
    expect(load).to_be_enabled(timeout=60_000)
    load.click()
    for p in f["articles"]:
        file_block(page, f"{p.name} · Articles").wait_for(timeout=120_000)
    wait_ready(page)
    assert accepted(page) == ["2", "1"]  # the xlsx: both rows; the GBK CSV: one, one rejected
    assert tile(page, "Rejected") in ("0", "1")
    body = page.locator("[data-testid='stApp']").inner_text()
    assert "Traceback" not in body and "not support" not in body
    # the rejected row's download: the original row + line, column, reason; one .csv
    with page.expect_download() as dl:
        page.get_by_role("button", name="Download rejected rows (CSV)").click()
    d = dl.value
    assert d.suggested_filename == "rejected_文章导出.csv"
    text = open(d.path(), encoding="utf-8-sig").read()
    assert text.splitlines()[0] == "文章ID,标题,渠道,发布时间,作者,阅读数,成本,rejected_line,rejected_column,rejected_reason"
    assert text.splitlines()[1].startswith("E4,坏日期的文章,知乎,昨天,张,100,10,3,published_at,")

    upload(page, "Group joins", f["joins"])
    assert accepted(page) == ["3", "3"]
    upload(page, "Sales", f["sales"], map_user=True)
    assert accepted(page) == ["3", "3"]
    shot(page, "own-data-uploaded")

    # the sample is gone (replaced), no note says "sample"; the Overview shows report's figures
    named = {"articles": f["articles"], "joins": f["joins"], "sales": [f["sales"][0], mapped]}
    rep = report(*[a for log, ps in named.items() for p in ps for a in (f"--{log}", str(p))])
    assert rep["totals"]["revenue"] == 1280 + 2000 + 599 and rep["totals"]["joins"] == 5
    assert report("--db", str(fresh_server.db))["totals"] == rep["totals"]
    overview_matches(page, url, rep)
    body = page.locator("[data-testid='stApp']").inner_text()
    assert "sample data" not in body.lower()
    assert "Data reach" in page.locator("[data-testid='stSidebar']").inner_text()
    shot(page, "own-data-overview")


def test_clear_undo_upload_reset_undo_upload(fresh_server, page, tmp_path, sample_db):
    """Every step's figures, here and in a second app process on the same store."""
    url = fresh_server.url
    other = Server(fresh_server.db)  # another app process serving the same store
    published = lambda: os.readlink(fresh_server.db).rsplit("/", 1)[-1]  # noqa: E731
    try:
        f, _ = files(tmp_path)
        sample = report("--db", str(sample_db))

        def check(counts, rep=None):
            """This app's Data page (where the step left us), then the other process: its
            Data page, or its Overview against the report of the same store."""
            page.get_by_role("tab", name="Store").click()
            assert tuple(tile(page, x) for x in ("Article rows", "Join rows", "Sales event rows")) == counts
            if rep is None:
                assert store_counts(page, other.url) == counts
            else:
                overview_matches(page, other.url, rep)

        sample_counts = store_counts(page, url)
        assert sample_counts[:2] == ("200", "10,000")

        def manage(action: str, confirm: str):
            page.goto(url + "/data")
            wait_ready(page)
            page.get_by_role("tab", name="Store").click()
            page.locator("[data-testid='stPopover'] button", has_text=action).click()
            after_rerun(page, page.get_by_role("button", name=confirm).click)

        manage("Clear the store", "Yes, delete everything")  # clear
        check(("0", "0", "0"))
        manage("Undo the last change", "Yes, undo it")  # undo: the sample is back
        check(sample_counts, sample)
        page.goto(url + "/data")
        wait_ready(page)
        upload(page, "Articles", f["articles"][:1], replace_sample=False)  # keep both
        mixed = report("--db", str(fresh_server.db))
        check(("202", "10,000", sample_counts[2]), mixed)
        assert "Sample data mixed with yours" in page.locator("[data-testid='stApp']").inner_text()
        shot(page, "own-data-mixed")
        manage("Reset to the sample", "Yes, reset to the sample")  # reset
        check(sample_counts, sample)
        manage("Undo the last change", "Yes, undo it")  # undo: the mixed store is back
        check(("202", "10,000", sample_counts[2]), mixed)
        page.goto(url + "/data")
        wait_ready(page)
        upload(page, "Group joins", f["joins"][:1])  # upload (the store is mixed: no question)
        final = report("--db", str(fresh_server.db))
        assert final["totals"]["joins"] > mixed["totals"]["joins"]
        check(("202", "10,003", sample_counts[2]), final)
        # a new snapshot never took an undone one's name: nothing stale anywhere
        assert report("--db", str(fresh_server.db)) == final
        # a second upload: each upload published a delta (nothing copied:
        # docs/ARCHITECTURE.md), both on the same base; Undo walks back through both
        first = published()
        page.goto(url + "/data")
        wait_ready(page)
        upload(page, "Group joins", f["joins"][1:])
        second = published()
        assert "+" in first and "+" in second and first.split("+")[1] == second.split("+")[1]
        check(("202", "10,006", sample_counts[2]), report("--db", str(fresh_server.db)))
        for counts, rep in ((("202", "10,003", sample_counts[2]), final),
                            (("202", "10,000", sample_counts[2]), mixed)):
            manage("Undo the last change", "Yes, undo it")
            check(counts, rep)
            assert report("--db", str(fresh_server.db)) == rep
    finally:
        other.stop()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_confirmed_change_closes_its_popover(fresh_server, page, lang):
    """Clear, Reset, Undo: after "Yes" the popover is closed (no second click ready to undo
    another version), the Store tab stays selected and a toast says what was done (in the
    page's language; the run after the change shows it: a toast sent just before st.rerun
    was lost). Clear -> reset -> undo leaves the cleared store: exactly one version undone."""
    from contentroi import i18n

    zh = lang == "zh"
    L = {k: v[1] if zh else v[0] for k, v in {
        "store": ("Store", "数据库"),
        "rows": (("Article rows", "Join rows", "Sales event rows"),
                 ("文章记录数", "入群记录数", "销售事件记录数")),
        "clear": (("Clear the store", "Yes, delete everything"), ("清空数据库", "确认删除全部")),
        "reset": (("Reset to the sample", "Yes, reset to the sample"),
                  ("重置为示例数据", "确认重置为示例数据")),
        "undo": (("Undo the last change", "Yes, undo it"), ("撤销上一次更改", "确认撤销")),
    }.items()}
    page.goto(fresh_server.url + f"/data?lang={lang}")
    wait_ready(page)
    store_tab = page.get_by_role("tab", name=L["store"])
    store_tab.click()
    sample_counts = tuple(tile(page, x) for x in L["rows"])
    assert sample_counts[0] == "200"
    for step, counts in (("clear", ("0", "0", "0")), ("reset", sample_counts), ("undo", ("0", "0", "0"))):
        action, confirm = L[step]
        page.locator("[data-testid='stPopover'] button", has_text=action).click()
        yes = page.get_by_role("button", name=confirm)
        after_rerun(page, yes.click)
        expect(yes).to_be_hidden()  # the popover closed itself
        expect(store_tab).to_have_attribute("aria-selected", "true")  # still on the Store tab
        done = i18n.t({"clear": "data_cleared", "reset": "data_reset_done", "undo": "data_undone"}[step], lang)
        expect(page.get_by_test_id("stToast").filter(has_text=done)).to_be_visible()
        assert tuple(tile(page, x) for x in L["rows"]) == counts, step
    assert report("--db", str(fresh_server.db))["totals"]["joins"] == 0  # one version undone, not two
