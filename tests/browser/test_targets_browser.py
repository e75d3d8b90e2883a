"""One journey in a real browser, with the edit password configured: unlock editing, set
October's revenue target in the grid, read the decomposition and the pacing, add an
annotation, and find it on the overview's weekly trend. The store is the sample world
cut at 2026-10-17 (mid-month), so the pacing has a projection and an interval."""
from __future__ import annotations

import io

import pandas as pd
import pytest

from contentroi import ingest
from contentroi.store import Store

from ..conftest import ROOT
from .conftest import Server, shot, wait_ready

pytestmark = pytest.mark.browser
CUT = pd.Timestamp("2026-10-17 23:59:59")
COLS = {"articles": "published_at", "joins": "joined_at", "sales": "occurred_at"}
PASSWORD = "open sesame"


def mid_month_store(path) -> None:
    store = Store(path)
    for log, col in COLS.items():
        df = pd.read_csv(ROOT / "data" / "sample" / f"{log}.csv", dtype=str, keep_default_na=False)
        df = df[pd.to_datetime(df[col]) <= CUT]
        buf = io.BytesIO(df.to_csv(index=False).encode())
        r = ingest.load_file(store, buf, log, file_name=f"{log}.csv", source_kind="sample")
        assert r.status == "loaded"
    store.set_meta("initialized", "yes")
    store.close()


@pytest.fixture(scope="module")
def mid_server(tmp_path_factory):
    db = tmp_path_factory.mktemp("targets-srv") / "mid.duckdb"
    mid_month_store(db)
    srv = Server(db, env={"CONTENTROI_EDIT_PASSWORD": PASSWORD})
    yield srv
    srv.stop()


def test_set_a_target_see_pacing_and_annotate(mid_server, page):
    page.goto(mid_server.url + "/targets?month=2026-10")
    wait_ready(page)
    page.get_by_text("No target is set for 2026-10").first.wait_for()

    # unlock editing
    pw = page.get_by_label("Edit password", exact=True).first
    pw.fill(PASSWORD)
    pw.press("Enter")
    wait_ready(page)

    # the grid: row 1 is the total; type the revenue target into its cell
    grid = page.locator("[data-testid='stDataFrame']").filter(has_text="Total (every channel)").first
    grid.wait_for()
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.4, box["y"] + box["height"] * 0.6)  # a revenue cell
    for _ in range(8):  # up to the first row: the total
        page.keyboard.press("ArrowUp")
    page.keyboard.press("Enter")  # opens the cell's editor
    editor = page.locator("#portal input, #portal textarea").first
    editor.wait_for()
    editor.fill("120000")
    page.keyboard.press("Enter")
    wait_ready(page)
    page.get_by_role("button", name="Save targets").click()
    page.get_by_text("Saved: 1 target(s) set, 0 removed.").wait_for()
    wait_ready(page)

    # the target, its pace and its decomposition
    tiles = page.locator("[data-testid='stMetric']")
    tiles.filter(has_text="Target").filter(has_text="¥120,000").first.wait_for()
    tiles.filter(has_text="Actual so far (day 17 of 31)").first.wait_for()
    page.get_by_text("Projection's 95% interval").first.wait_for()
    page.get_by_text("To make ¥120,000 at these rates the month needs").first.wait_for()
    page.get_by_text("Most limiting").first.wait_for()
    assert page.locator("[data-testid='stVegaLiteChart']").count() == 2  # pacing + coverage
    shot(page, "targets-en")

    # an annotation, from the form
    page.get_by_role("spinbutton", name="year, Day or range start date").click()
    page.keyboard.type("20261008")  # the date field's segments advance by themselves
    page.get_by_role("spinbutton", name="year, Day or range end date").click()
    page.keyboard.type("20261010")
    page.get_by_label("Note").fill("Golden Week campaign")
    page.get_by_role("button", name="Add annotation").click()
    page.get_by_text("Annotation added.").wait_for()
    wait_ready(page)
    # on this page's pacing chart (Vega draws text marks as SVG text) ...
    page.locator("[data-testid='stVegaLiteChart'] text").filter(has_text="[all] Golden Week").first.wait_for()

    # ... drawn on the overview's weekly trend (Vega draws text marks as SVG text)
    page.goto(mid_server.url + "/")
    wait_ready(page)
    label = page.locator("[data-testid='stVegaLiteChart'] text").filter(has_text="[all] Golden Week")
    label.first.wait_for()
    assert label.count() == 6  # every weekly panel
    shot(page, "targets-annotation-overview")

    # and the page in Chinese, 万 for large numbers
    page.goto(mid_server.url + "/targets?month=2026-10&lang=zh")
    wait_ready(page)
    page.locator("[data-testid='stMetric']").filter(has_text="¥12.00万").first.wait_for()
    page.get_by_text("最受限").first.wait_for()
    shot(page, "targets-zh")


TARGETS_CSV = ("月份,指标,渠道,目标\n"
               "2026-10,revenue,,88000\n"
               "2026-10,收入,公众号,60000\n"  # a channel by its display name: stored as wechat
               "2026-10,paid,wechat,40\n"
               "2026-13,joins,,5\n"          # line 5: not a month
               "2026-10,paid,某渠道,3\n")     # line 6: no such channel
NOTES_CSV = ("开始日期,结束日期,渠道,类型,说明\n"
             "2026-10-08,2026-10-10,公众号,campaign,国庆活动\n"
             "2026-10-12,,,holiday,\n")  # line 3: the note is empty


def test_csv_imports_in_chinese(fresh_server, page, tmp_path):
    """The page's CSV widget, once for targets and once for annotations: the good rows load,
    each bad one is listed with its line and reason (in Chinese), and what was imported shows."""
    page.goto(fresh_server.url + "/targets?month=2026-10&lang=zh")
    wait_ready(page)
    for title, name, text, done in (("导入 / 导出目标（CSV）", "targets.csv", TARGETS_CSV, "已导入 3 行；拒绝 2 行。"),
                                    ("导入 / 导出注释（CSV）", "notes.csv", NOTES_CSV, "已导入 1 行；拒绝 1 行。")):
        f = tmp_path / name
        f.write_text(text, encoding="utf-8")
        box = page.locator("[data-testid='stExpander']").filter(has_text=title).first
        box.locator("summary").click()
        box.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(f))
        wait_ready(page)
        box.get_by_role("button", name="导入", exact=True).click()
        wait_ready(page)
        box = page.locator("[data-testid='stExpander']").filter(has_text=title).first
        box.get_by_text(done).wait_for()
        box.locator("[data-testid='stDataFrame']").first.wait_for()  # the rejected rows, with reasons
    shot(page, "targets-csv-import-zh")
    # what was imported: October's revenue target, and the annotation on the pacing chart
    page.locator("[data-testid='stMetric']").filter(has_text="¥8.80万").first.wait_for()
    page.locator("[data-testid='stVegaLiteChart'] text").filter(has_text="[公众号] 国庆活动").first.wait_for()
    # the target imported as 公众号 is wechat's: it shows on wechat's view
    page.goto(fresh_server.url + "/targets?month=2026-10&ch=wechat&lang=zh")
    wait_ready(page)
    page.locator("[data-testid='stMetric']").filter(has_text="¥6.00万").first.wait_for()
