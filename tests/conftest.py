"""Shared fixtures: workbooks built in code, the way clerks fill them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest

STATION = "三元社区人大代表联络站"
STATION2 = "建设镇人大代表联络站"

STATIONS = [
    ["站点名称", "站点编号", "地址", "接待日", "负责人", "联系电话"],
    [STATION, "LLZ-01", "三元街道建设路12号", "每月15日", "张敏", "0571-86001234"],
    [STATION2, "LLZ-02", "建设镇人民路1号", "每月5日", "刘强", "0571-86005678"],
]
DEPUTIES = [
    ["姓名", "代表证号", "代表层级", "所属联络站", "性别", "工作单位及职务", "联系电话"],
    ["王伟", "DB-001", "县", STATION, "男", "三元街道社区卫生服务中心主任", "13800000001"],
    ["李娜", "DB-002", "区级", STATION, "女", "三元小学校长", "13800000002"],
    ["买买提·艾力", "DB-003", "市", STATION, "男", "个体工商户", "13800000003"],
    ["张建国", "DB-004", "镇", STATION2, "男", "建设村党支部书记", "13800000004"],
]
# The reception family: tests of reception behaviour build these only (a roster also gives
# every deputy a 考核表 and a 述职报告, which have tests of their own).
RECEPTION_FORMS = ("reception_form", "reception_register", "handoff_slip", "feedback_slip")
RECEPTION_HEADER = [
    "接待日期",
    "联络站",
    "接待代表",
    "反映内容",
    "登记编号",
    "来访人",
    "联系电话",
    "住址",
    "来访人数",
    "问题类别",
    "处理方式",
    "承办单位",
    "办理时限",
    "办理结果",
]


def reception(
    date: Any = dt.date(2024, 3, 15),
    station: str = STATION,
    deputies: str = "王伟、李娜",
    content: str = "小区路面破损，雨天积水严重。",
    code: str = "JD-2024-001",
    visitor: str = "赵桂兰",
    phone: Any = "13912345678",
    route: str = "交街道(乡镇)办理",
    unit: str = "三元街道城建办",
    due: Any = dt.date(2024, 4, 15),
    result: str = "",
) -> list[Any]:
    return [
        date,
        station,
        deputies,
        content,
        code,
        visitor,
        phone,
        "建设路8号院",
        1,
        "道路交通",
        route,
        unit,
        due,
        result,
    ]


def write_workbook(
    path: Path, sheets: dict[str, list[list[Any]]], merges: dict[str, list[str]] | None = None
) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # text a clerk typed, as Excel keeps it after a leading '

        for cells in (merges or {}).get(title, []):
            ws.merge_cells(cells)
    wb.save(path)
    return path


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--regen-golden",
        action="store_true",
        help="rewrite tests/golden/*.json from the current output",
    )


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups off the markers
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under pytest-xdist, the tests that read the session's build of the bundled sample go to
    one worker, so the sample is built once (each worker is a session of its own), and so do
    the tests that share a module-scoped fixture (a workbook built once for the module).
    Tests marked long (more of what a default test already checks) run only when asked for,
    `pytest -m long`; .ci/run asks."""
    long = "long" in (config.getoption("markexpr") or "")

    def fixtures(item: pytest.Item) -> dict[str, Any]:
        info = getattr(item, "_fixtureinfo", None)
        return dict(info.name2fixturedefs) if info else {}

    def module(item: pytest.Item) -> str:
        return item.nodeid.split("::")[0]

    # A module whose module fixture reads the sample build goes whole to the sample's worker.
    reading = {module(item) for item in items if "sample_build" in fixtures(item)}
    for item in items:
        if not long and item.get_closest_marker("long"):
            item.add_marker(pytest.mark.skip(reason="long: pytest -m long"))
        defs = fixtures(item)
        if module(item) in reading:
            item.add_marker(pytest.mark.xdist_group("sample_build"))
        elif any(d[-1].scope == "module" for d in defs.values() if d):
            item.add_marker(pytest.mark.xdist_group(module(item)))


def build_receptions(folder: Path, rows: list[list[Any]], formats: tuple[str, ...]) -> Path:
    """Build `rows` of 接待登记 (with the standard stations and roster) into folder/out; the
    build must be clean. For module-scoped fixtures, which cannot use make_book."""
    from toolkit.commands.build import build
    from toolkit.model import BuildOptions

    book = write_workbook(
        folder / "台账.xlsx",
        {"联络站": STATIONS, "代表名册": DEPUTIES, "接待登记": [RECEPTION_HEADER, *rows]},
    )
    out = folder / "out"
    result = build(
        BuildOptions(workbook=book, out=out, formats=formats, jobs=1, only=RECEPTION_FORMS)
    )
    assert result.exit_code == 0, [str(p) for p in result.data.problems]
    return out


@pytest.fixture
def make_book(tmp_path: Path) -> Callable[..., Path]:
    """make_book(receptions=[...], name=..., extra_sheets=..., merges=...) → a station workbook."""
    counter = iter(range(1000))

    def make(
        receptions: list[list[Any]] | None = None,
        *,
        header: list[str] | None = None,
        deputies: list[list[Any]] | None = None,
        extra_sheets: dict[str, list[list[Any]]] | None = None,
        merges: dict[str, list[str]] | None = None,
        name: str | None = None,
    ) -> Path:
        sheets = {
            "联络站": STATIONS,
            "代表名册": deputies or DEPUTIES,
            "接待登记": [
                header or RECEPTION_HEADER,
                *(receptions if receptions is not None else [reception()]),
            ],
        }
        sheets.update(extra_sheets or {})
        return write_workbook(tmp_path / (name or f"台账{next(counter)}.xlsx"), sheets, merges)

    return make


@pytest.fixture(autouse=True)
def no_missing_glyphs(request):
    """Every test fails if WeasyPrint drew a .notdef glyph (a box where a character should be),
    but one marked `missing_glyphs` (it draws one on purpose)."""
    import logging

    if request.node.get_closest_marker("missing_glyphs"):
        yield
        return

    seen: list[str] = []

    class Catch(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if "notdef" in record.getMessage().lower():
                seen.append(record.getMessage())

    handler = Catch(level=logging.WARNING)
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
    assert not seen, seen


def pdf_lines(page: Any) -> dict[float, list[dict]]:
    """A pdfplumber page's characters by line (rounded top), each line left to right."""
    lines: dict[float, list[dict]] = {}
    for char in page.chars:
        if char["text"].strip():
            lines.setdefault(round(char["top"], 1), []).append(char)
    return {top: sorted(cs, key=lambda c: c["x0"]) for top, cs in sorted(lines.items())}


def pdf_text(path: Path) -> str:
    """Every line's characters, lines run together: a sentence wraps anywhere."""
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        return "".join(
            c["text"] for page in pdf.pages for cs in pdf_lines(page).values() for c in cs
        )


def pdf_pages(path: Path) -> list[str]:
    """Each page's text as pypdf extracts it (line breaks and spaces kept)."""
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(str(path)).pages]


def flat(text: str) -> str:
    """Text without any whitespace: a title set in spaced characters reads as written."""
    return "".join(text.split())


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MM = 72 / 25.4  # PDF points a millimetre


def word_document(path: Path | str) -> Any:
    """A .docx opened with python-docx, its text as a reader reads it: the WORD JOINERs (U+2060)
    the Word renderer puts between the characters of each name (toolkit/render/docx.py) taken
    out. Every test that compares Word text with a name reads the file through this."""
    import io
    import zipfile

    from docx import Document

    from toolkit.render.docx import plain_text

    out = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.endswith(".xml"):
                data = plain_text(data.decode("utf-8")).encode("utf-8")
            dst.writestr(info, data)
    return Document(io.BytesIO(out.getvalue()))


def docx_part(path: Path, name: str) -> Any:
    """One XML part of a .docx, parsed."""
    import zipfile

    from lxml import etree

    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read(name))


def assert_official_docx_layout(path: Path) -> None:
    """GB/T 9704 in Word: A4, margins 37/28/26/35 mm (a 156 x 225 mm block), a line grid of
    22 lines and no character grid (LibreOffice would spread the text), 28 condensed 16 pt
    characters a line, and each official style in its East Asian font."""
    sect = docx_part(path, "word/document.xml").find(f"{W}body/{W}sectPr")
    size, margins, grid = (sect.find(f"{W}{n}") for n in ("pgSz", "pgMar", "docGrid"))
    assert (size.get(f"{W}w"), size.get(f"{W}h")) == ("11906", "16838")
    top, left, right, bottom = (
        int(margins.get(f"{W}{k}")) for k in ("top", "left", "right", "bottom")
    )
    assert [round(v / 56.7) for v in (top, left, right, bottom)] == [37, 28, 26, 35]
    width, height = 11906 - left - right, 16838 - top - bottom
    assert round(width / 56.7) == 156 and round(height / 56.7) == 225
    assert grid.get(f"{W}type") == "lines" and grid.get(f"{W}charSpace") is None
    assert height // int(grid.get(f"{W}linePitch")) == 22
    styles = docx_part(path, "word/styles.xml")
    condensed = styles.find(f"{W}style[@{W}styleId='OfficialBody']/{W}rPr/{W}spacing")
    assert int(width / 20 / (16 + int(condensed.get(f"{W}val")) / 20)) == 28

    def east_asia(sid: str) -> str:
        node = styles.find(f"{W}style[@{W}styleId='{sid}']")
        return str(node.find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia"))

    assert [east_asia(s) for s in ("OfficialBody", "Title", "Heading1", "Heading2")] == [
        "仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312",
    ]  # fmt: skip


@dataclass(frozen=True)
class SampleBuild:
    """The bundled sample built once per test session: every form, every format."""

    out: Path
    result: Any


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> SampleBuild:
    """One whole build of the bundled sample for every test that reads its documents (the
    figures, the pages, the Excel types, the families' smoke tests): a build is the slowest
    thing a test does, and these only read what it made. Stamped with a fixed time and
    --as-of, so what it makes does not depend on the day."""
    import os

    from toolkit.commands.build import build
    from toolkit.model import BuildOptions

    out = tmp_path_factory.mktemp("sample-build") / "out"
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = "1735689600"
    try:
        result = build(BuildOptions(out=out, jobs=2, as_of=dt.date(2024, 12, 20)))
    finally:
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved
    assert result.exit_code == 0, [str(p) for p in result.data.problems][:10]
    return SampleBuild(out, result)
