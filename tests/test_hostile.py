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
from toolkit.build import BuildOptions, build


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
