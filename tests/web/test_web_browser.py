"""The local page in a real headless Chromium, as a clerk uses it: open it, choose workbooks,
read the check table, build, watch the progress, download and open what was built; draft a
议案 with its live checks; open a deputy's score items. A screenshot of each step is written
to the test's tmp folder (steps/NN-….png).

Debian's chromium and chromium-driver (`.ci/run` installs them); skipped only when absent.
"""

from __future__ import annotations

import base64
import io
import shutil
import time
import urllib.request
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from docx import Document
from pypdf import PdfReader

import toolkit
from web_helpers import MESSY_ERRORS, MESSY_WARNINGS, Served, messy_workbook

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()),
        reason="需要 Debian 的 chromium 和 chromium-driver",
    ),
]

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    server = Served(tmp_path_factory.mktemp("server-tmp"))
    try:
        yield server
    finally:
        printed = server.stop()
    # Ctrl-C stops it, says so, and leaves no session folder behind.
    assert "已停止" in printed
    assert list(server.tmp.iterdir()) == []


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
        "--window-size=1280,1000",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def screenshot(driver: Any, folder: Path) -> Callable[[str], Path]:
    """shot(name): the whole page, not only the window, as folder/steps/name.png."""
    (folder / "steps").mkdir(exist_ok=True)

    def shot(name: str) -> Path:
        size = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
        clip = {"x": 0, "y": 0, "width": size["width"], "height": min(size["height"], 8000)}
        data = driver.execute_cdp_cmd(
            "Page.captureScreenshot",
            {"format": "png", "captureBeyondViewport": True, "clip": {**clip, "scale": 1}},
        )
        path = folder / "steps" / f"{name}.png"
        path.write_bytes(base64.b64decode(data["data"]))
        return path

    return shot


def wait_for(driver: Any, test: Callable[[Any], Any], timeout: float = 30) -> Any:
    return WebDriverWait(driver, timeout, poll_frequency=0.1).until(test)


def text_of(driver: Any, selector: str) -> str:
    """In one step in the page: htmx may replace the element between two WebDriver calls."""
    script = "const e = document.querySelector(arguments[0]); return e ? e.innerText : '';"
    return str(driver.execute_script(script, selector)).strip()


def table_rows(driver: Any, selector: str) -> list[tuple[str, ...]]:
    rows = driver.find_elements(By.CSS_SELECTOR, f"{selector} tbody tr")
    return [tuple(td.text for td in row.find_elements(By.TAG_NAME, "td")) for row in rows]


def test_a_clerk_checks_builds_and_downloads(served, browser, tmp_path):
    shot = screenshot(browser, tmp_path)
    browser.get(served.url)
    wait_for(browser, lambda d: d.execute_script("return !!window.htmx"))
    assert browser.title == "人大代表联络站文书工具"
    assert "选择台账" in browser.find_element(By.ID, "step-1").text
    shot("01-open")

    # A messy workbook: each problem in the table with its sheet, row, column, cell, suggestion.
    messy = messy_workbook(tmp_path / "三元社区台账.xlsx")
    browser.find_element(By.ID, "workbook-file").send_keys(str(messy))
    wait_for(browser, lambda d: "检查未通过" in text_of(d, "#check .verdict"))
    assert table_rows(browser, "table.problems.errors") == MESSY_ERRORS
    assert table_rows(browser, "table.problems.warnings") == MESSY_WARNINGS
    assert "三元社区台账.xlsx" in text_of(browser, "#check .file")
    # The same problems, worded as `liaison check` words them.
    cli_lines = toolkit.problem_lines(toolkit.check(messy))
    shown = [
        f"{s}!{cell} {col}：{msg}" for s, _, col, cell, msg, _ in MESSY_ERRORS + MESSY_WARNINGS
    ]
    assert [line.removeprefix("【提醒】").split("（")[0] for line in cli_lines] == shown
    shot("02-messy-workbook-checked")

    # The bundled sample, as a clerk who downloaded it would choose it.
    browser.find_element(By.ID, "workbook-file").send_keys(str(toolkit.SAMPLE_WORKBOOK))
    wait_for(browser, lambda d: "检查通过" in text_of(d, "#check .verdict"))
    # 601: the sample with its 值班安排 sheet (18 rows)
    assert "读取：共 601 行" in browser.find_element(By.ID, "check").text
    assert not browser.find_elements(By.CSS_SELECTOR, "table.problems.errors")
    shot("03-sample-checked")

    # Choose two forms, every format, and build.
    browser.find_element(By.CSS_SELECTOR, '[data-check="none"]').click()
    for form in ("motion", "score_board"):
        browser.find_element(By.CSS_SELECTOR, f'input[name="only"][value="{form}"]').click()
    ticked = browser.find_elements(By.CSS_SELECTOR, 'input[name="only"]:checked')
    assert sorted(box.get_attribute("value") for box in ticked) == ["motion", "score_board"]
    shot("04-forms-chosen")
    browser.find_element(By.ID, "build-button").click()
    seen: list[str] = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = text_of(browser, "#build .progress-text")
        if line and (not seen or seen[-1] != line):
            seen.append(line)
            if len(seen) == 1:
                shot("05-building")
        if line.startswith("已完成") or browser.find_elements(By.CSS_SELECTOR, "#build p.error"):
            break
        time.sleep(0.05)
    assert seen[-1] == "已完成：14 / 14 份（100%）", seen
    assert any(line.startswith("正在生成") for line in seen), seen
    bar = browser.find_element(By.CSS_SELECTOR, "#build progress")
    assert bar.get_attribute("value") == bar.get_attribute("max")
    summary = browser.find_element(By.CSS_SELECTOR, "#build .summary").text
    assert "生成：14 份（代表议案 docx 3、pdf 3；履职积分汇总及公示表 pdf 4、xlsx 4）" in summary
    shot("06-built")

    # A PDF's first page, previewed as an image.
    folder = browser.find_element(By.XPATH, "//details[@class='folder'][contains(., '代表议案')]")
    folder.find_element(By.TAG_NAME, "summary").click()
    preview = folder.find_element(By.CSS_SELECTOR, "details.preview")
    preview.find_element(By.TAG_NAME, "summary").click()
    image = preview.find_element(By.TAG_NAME, "img")
    wait_for(browser, lambda d: d.execute_script("return arguments[0].naturalWidth", image) > 0)
    assert image.size["width"] > 300
    browser.execute_script("arguments[0].scrollIntoView()", preview)
    shot("07-preview")

    # Everything as one zip, folders by form as on disk; open what is inside.
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    browser.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    browser.find_element(By.ID, "download-zip").click()
    wait_for(browser, lambda d: [p for p in downloads.glob("*.zip")], timeout=60)
    archive = next(downloads.glob("*.zip"))
    assert archive.name.startswith("示例台账_文书_")
    with zipfile.ZipFile(archive) as zipped:
        names = zipped.namelist()
        assert {n.split("/")[0] for n in names} == {"代表议案", "履职积分汇总及公示表"}
        assert len(names) == 14
        motion = next(n for n in names if n.endswith(".docx") and "养老服务" in n)
        paragraphs = [p.text for p in Document(io.BytesIO(zipped.read(motion))).paragraphs]
        assert "关于加强养老服务体系建设的议案" in paragraphs
        board = next(n for n in names if n.endswith(".pdf") and "全部联络站" in n)
        text = "".join(
            page.extract_text() for page in PdfReader(io.BytesIO(zipped.read(board))).pages
        )
        assert "履职积分" in text and "刘红艳" in text
        sheet = next(n for n in names if n.endswith(".xlsx") and "全部联络站" in n)
        book = openpyxl.load_workbook(io.BytesIO(zipped.read(sheet)))
        rows = [
            [c for c in row if c is not None] for row in book.active.iter_rows(values_only=True)
        ]
        assert any("刘红艳" in row and 90 in row for row in rows)
    shutil.copy(archive, tmp_path / "steps" / archive.name)


def test_a_clerk_drafts_a_motion_and_reads_the_scores(served, browser, tmp_path):
    shot = screenshot(browser, tmp_path)
    browser.get(served.url)
    wait_for(browser, lambda d: d.execute_script("return !!window.htmx"))
    browser.find_element(By.CSS_SELECTOR, '[data-tab="tab-draft"]').click()
    wait_for(browser, lambda d: "问题要改" in text_of(d, "#draft-checks .verdict"))
    assert text_of(browser, "#msg-title") == "不能为空（写成“关于……的建议”）"
    shot("01-draft-empty")

    browser.find_element(By.CSS_SELECTOR, 'input[name="类别"][value="议案"]').click()
    browser.find_element(By.ID, "f-title").send_keys("关于加快老旧小区加装电梯的议案")
    Select(browser.find_element(By.ID, "f-lead")).select_by_value("邓斌")
    wait_for(browser, lambda d: "需要至少 10 名" in text_of(d, "#msg-cosigners"))
    assert "联名代表 1 名，需要至少 10 名" in text_of(browser, "#msg-cosigners")
    assert "已选 1 名" in text_of(browser, "#signers")
    assert "不能为空" in text_of(browser, "#msg-part-2")  # 案由
    assert not browser.find_element(By.ID, "f-part-0").is_displayed()  # 现状与问题: a 建议's
    shot("02-motion-too-few-signers")

    boxes = browser.find_elements(By.CSS_SELECTOR, 'input[name="附议代表"]')
    for box in [b for b in boxes if b.get_attribute("value") != "邓斌"][:9]:
        box.click()
    texts = {
        "f-part-2": "老旧小区居民上下楼难，加装电梯缺少统一的办法。",
        "f-part-3": "城南区有老旧小区住宅楼412栋，无电梯的占九成，老年居民上下楼十分困难。",
        "f-part-4": "一是制定加装电梯的实施办法；二是设立财政补助资金；三是简化审批流程。",
    }
    for field, text in texts.items():
        browser.find_element(By.ID, field).send_keys(text)
    wait_for(browser, lambda d: "检查通过" in text_of(d, "#draft-checks .verdict"))
    assert "已选 10 名" in text_of(browser, "#signers")
    assert text_of(browser, "#msg-cosigners") == ""
    shot("03-motion-checked")

    browser.find_element(By.ID, "draft-build-button").click()
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#draft-build .downloads"), 120)
    links = browser.find_elements(By.CSS_SELECTOR, "#draft-build .downloads a[download]")
    names = [a.text for a in links]
    assert len(names) == 2 and all("关于加快老旧小区加装电梯的议案" in n for n in names), names
    image = browser.find_element(By.CSS_SELECTOR, "#draft-build details.preview img")
    wait_for(browser, lambda d: d.execute_script("return arguments[0].naturalWidth", image) > 0)
    docx = next(a.get_attribute("href") for a in links if a.text.endswith(".docx"))
    with urllib.request.urlopen(docx) as answer:
        paragraphs = [p.text for p in Document(io.BytesIO(answer.read())).paragraphs]
    assert "关于加快老旧小区加装电梯的议案" in paragraphs
    assert any("设立财政补助资金" in p for p in paragraphs)
    browser.execute_script(
        "arguments[0].scrollIntoView()", browser.find_element(By.ID, "draft-build")
    )
    shot("04-motion-built")

    browser.find_element(By.CSS_SELECTOR, '[data-tab="tab-score"]').click()
    browser.find_element(By.CSS_SELECTOR, "#score-form button").click()
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "table.scores tr.score-row"))
    assert "2024年度履职积分" in text_of(browser, "#scores .caption")
    assert "按随附示例台账计分" in text_of(browser, "#scores .banner")  # no workbook chosen
    first = browser.find_element(By.CSS_SELECTOR, "table.scores tr.score-row")
    assert first.text.split()[:2] == ["1", "刘红艳"]
    items = browser.find_element(By.CSS_SELECTOR, "table.scores tr.items")
    assert not items.is_displayed()
    first.click()
    assert items.is_displayed() and first.get_attribute("aria-expanded") == "true"
    rows = [
        tuple(td.text for td in row.find_elements(By.TAG_NAME, "td"))
        for row in items.find_elements(By.CSS_SELECTOR, "table.item-table tbody tr")
    ]
    assert ("进站接待选民", "4", "8", "") in rows
    assert rows[-1][:3] == ("合计", "", "90")
    shot("05-scores")
