"""Data is data: hostile and arbitrary text goes through every format literally and safely."""

from __future__ import annotations

import logging
import re
import string
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from conftest import RECEPTION_FORMS, reception
from toolkit import fonts
from toolkit.commands.build import build
from toolkit.model import BuildOptions


def excel_escaped(text: str) -> str:
    """Control characters as Excel stores them (_x000B_): openpyxl refuses the raw ones."""
    return re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f]", lambda m: f"_x{ord(m.group()):04X}_", text)


HOSTILE = [
    "A&B <x>",
    "{{7*7}}",
    "=1+1",
    '<a href="file:///etc/passwd">x</a>',
    "x\x0by",
    "../../x",
    "CON",
    "{% for x in range(9) %}X{% endfor %}",
    "@SUM(A1)",
    "-1+2",
    "'\"&amp;",
]


def _docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.endswith(".xml") or name.endswith(".rels"):
                etree.fromstring(archive.read(name))  # strict: no recovery
        root = etree.fromstring(archive.read("word/document.xml"))
    ns = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    parts = []
    for node in root.iter(f"{ns}t", f"{ns}br", f"{ns}p", f"{ns}tab"):
        if node.tag == f"{ns}t":
            parts.append(node.text or "")
        elif node.tag == f"{ns}tab":
            parts.append("\t")
        else:
            parts.append("\n")
    return "".join(parts)


def _build(book: Path, out: Path) -> None:
    result = build(
        BuildOptions(only=RECEPTION_FORMS, workbook=book, out=out, jobs=1, keep_going=True)
    )
    assert result.rows_rejected == 0, [str(p) for p in result.data.errors]


@pytest.fixture
def weasy_warnings():
    records: list[logging.LogRecord] = []
    handler = logging.Handler(level=logging.WARNING)
    handler.emit = records.append  # type: ignore[method-assign]
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    yield records
    logger.removeHandler(handler)


def test_hostile_strings_print_literally_everywhere(make_book, tmp_path, weasy_warnings):
    rows = [
        reception(content=excel_escaped(text), visitor=excel_escaped(text[:20]), code=f"H{i}")
        for i, text in enumerate(HOSTILE)
    ]
    out = tmp_path / "out"
    _build(make_book(rows), out)
    for i, text in enumerate(HOSTILE):
        expected = text.replace("\x0b", "")
        doc = next(out.glob(f"代表接待选民登记表/*_H{i}.docx"))
        assert expected in _docx_text(doc)
        pdf = next(out.glob(f"代表接待选民登记表/*_H{i}.pdf"))
        assert pdf.read_bytes().startswith(b"%PDF")
    sheet = openpyxl.load_workbook(next(out.glob("接待选民登记簿/*.xlsx"))).active
    cells = {c.value: c.data_type for row in sheet.iter_rows() for c in row if c.value is not None}
    for text in HOSTILE:
        expected = text.replace("\x0b", "")
        assert cells.get(expected) == "s", f"{expected!r} should be a text cell"
    assert not [r for r in weasy_warnings if "notdef" in r.getMessage().lower()]
    assert not list(tmp_path.glob("x*")) and not (tmp_path.parent / "x").exists()
    assert all(p.resolve().is_relative_to(out.resolve()) for p in out.rglob("*"))


def _printable():
    covered = sorted(fonts.covered())
    chars = [chr(c) for c in covered if chr(c).isprintable() and not 0xD800 <= c <= 0xDFFF]
    return st.sampled_from(chars)


TEXT = st.lists(
    st.one_of(
        _printable(),
        st.sampled_from(list("<>&\"'{}%#=+-@\n\t")),
        st.sampled_from(["{{", "}}", "{%", "%}", "\x01", "\x0b", "\x1f", "_x000B_", "&amp;"]),
    ),
    min_size=1,
    max_size=60,
).map("".join)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=TEXT)
def test_arbitrary_text_through_every_format(text, make_book, tmp_path_factory):
    cleaned = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f]", "", text.replace("_x000B_", ""))
    if not cleaned.strip(string.whitespace + "\u3000"):
        return  # a blank 反映内容 is rejected as missing, which test_validate covers
    out = tmp_path_factory.mktemp("out")
    book = make_book([reception(content=excel_escaped(text), code="P1")])
    _build(book, out)
    doc = next(out.glob("代表接待选民登记表/*.docx"))
    body = _docx_text(doc)
    for line in cleaned.strip().split("\n"):
        assert line.strip() in body
    for pdf in out.rglob("*.pdf"):
        assert pdf.read_bytes().startswith(b"%PDF")
    for xlsx in out.rglob("*.xlsx"):
        with zipfile.ZipFile(xlsx) as archive:
            for name in archive.namelist():
                if name.endswith(".xml"):
                    etree.fromstring(archive.read(name))
        # The register cell holds exactly the validated text, read back as Excel would.
        import python_calamine

        from toolkit import values

        expected = values.parse_longtext(values.strip_controls(cleaned)[0])
        rows = python_calamine.CalamineWorkbook.from_path(str(xlsx)).get_sheet_by_index(0)
        assert expected in [v for row in rows.to_python() for v in row]


# Where each family prints free text a clerk typed: sheet → columns to fill with a payload.
FREE_TEXT = {
    "履职活动": ("活动主题", "地点"),
    "代表建议": ("现状与问题", "具体建议", "案由", "案据", "方案", "建议承办单位"),
    "会议": ("地点", "议程", "主办单位"),
    "票决项目": ("项目名称", "项目内容", "责任单位"),
    "述职材料": ("履职情况补充", "存在不足", "努力方向"),
    "联络站": ("地址",),
}
PAYLOAD = "{{ '攻击' ~ '成功' }}<b>粗体</b>{% raw %}"


# The forms that print those columns: a small sample built into them alone (the whole sample
# into every form took 45 s and proved nothing more).
PRINTING = ("duty_report", "meeting_notice", "meeting_agenda", "proposal", "motion", "vote_ballot")


def test_every_family_prints_template_and_html_text_literally(tmp_path):
    """A small sample with a template expression, HTML and a Jinja block in every free-text
    column each family prints: every form builds, nothing is evaluated, the text is there."""
    from pypdf import PdfReader

    from toolkit.commands.sample import make_sample

    sample = tmp_path / "示例.xlsx"
    make_sample(sample, stations=1, deputies=4, receptions=6, seed=2)
    book = openpyxl.load_workbook(sample)
    for sheet, columns in FREE_TEXT.items():
        ws = book[sheet]
        header = [c.value for c in ws[1]]
        for column in columns:
            col = header.index(column) + 1
            for row in range(2, ws.max_row + 1, 2):  # every other row
                cell = ws.cell(row, col)
                cell.value = f"{cell.value or ''}{PAYLOAD}"
                cell.data_type = "s"
    path = tmp_path / "台账.xlsx"
    book.save(path)
    out = tmp_path / "out"
    result = build(BuildOptions(workbook=path, out=out, only=PRINTING, keep_going=True))
    assert result.rows_rejected == 0, [str(p) for p in result.data.errors][:5]
    literal = 0
    for file in out.rglob("*"):
        if file.suffix == ".docx":
            text = _docx_text(file)
        elif file.suffix == ".pdf":
            text = "".join(page.extract_text() for page in PdfReader(file).pages)
        else:
            continue
        assert "攻击成功" not in text, file.name
        literal += "<b>粗体</b>" in text.replace("\n", "")
    families = {p.parent.name for p in out.rglob("*") if p.suffix in (".docx", ".pdf")}
    assert {"代表述职报告", "会议通知", "会议议程", "代表建议", "民生实事项目票决票"} <= families
    assert {p.suffix for p in out.rglob("*")} >= {".docx", ".pdf"}
    assert literal > 20  # the payload shows, literally, across the families and formats
