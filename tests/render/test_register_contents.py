"""The 目录 of a long register (issue 15, "bound like the 接待选民登记簿"): after the cover, an
entry per group (承办单位 of the 交办督办簿, month of the chronological books) with the page its
first row is on, in the PDF (target-counter, or worked out after layout when the register is
rendered in parts) and in Word (PAGEREF to a bookmark on the group's first row); a short register
has none. Read back from the files: the PDF's printed page numbers, the .docx's fields and
bookmarks."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from typing import Any

import pytest
from lxml import etree
from pypdf import PdfReader

from conftest import W

CONTENTS = "目　　录"
FOOTER = re.compile(r"— (\d+) —\s*$")
ENTRY = re.compile(r"^(.+?)（(\d+)[件次]）\s*[.\s]*?(\d+)$")


@pytest.fixture(scope="module")
def sample() -> Any:
    from toolkit.commands.build import check
    from toolkit.derive.planners import plan
    from toolkit.forms import load_forms
    from toolkit.model import PlanEnv
    from toolkit.rules import load_rules

    data = check(None, pdf=False)
    env = PlanEnv(load_rules(), today=dt.date(2024, 12, 31))
    forms = load_forms()

    def first(form_id: str) -> Any:
        return next(iter(plan(forms[form_id], data, env)))

    return first


@pytest.fixture(scope="module")
def activities(sample) -> tuple[Any, bytes, bytes]:
    """The sample's first 代表活动记录簿 (some 100 activities) and its PDF and .docx."""
    doc = sample("activity_register")
    return doc, render(doc, "pdf"), render(doc, "docx")


def render(doc: Any, fmt: str) -> bytes:
    from toolkit.render.registry import Renderers

    stream = io.BytesIO()
    form = doc.form
    Renderers().get(str(form.folder.parent), form.id, fmt).render(doc.context, stream)
    return stream.getvalue()


def pdf_contents(pdf: bytes) -> tuple[list[tuple[str, int, int]], list[tuple[int, str]]]:
    """(title, count, page) of each 目录 line; (printed page number, text) of each numbered page."""
    pages = [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]
    entries, numbered = [], []
    for text in pages:
        found = FOOTER.search(text)
        if found:
            numbered.append((int(found.group(1)), text))
        elif CONTENTS in text:
            for line in text.splitlines():
                match = ENTRY.match(line.strip())
                if match:
                    entries.append((match.group(1), int(match.group(2)), int(match.group(3))))
    return entries, numbered


def first_page(numbered: list[tuple[int, str]], marker: str) -> int:
    return next(number for number, text in numbered if marker in text)


def docx_contents(docx: bytes) -> tuple[list[str], list[str], dict[str, str]]:
    """The 目录's lines, the PAGEREF targets in order, and each bookmark's table-row text."""
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml"))
    lines, after = [], False
    for par in root.iter(f"{W}p"):
        text = "".join(par.itertext()).replace("\u2060", "")
        after = after or text.strip() == CONTENTS
        if after and "PAGEREF" in text:
            lines.append(text.split(" PAGEREF")[0].strip())
    targets = [
        re.search(r"PAGEREF (\S+)", t.text).group(1)  # type: ignore[union-attr]
        for t in root.iter(f"{W}instrText")
        if "PAGEREF" in (t.text or "")
    ]
    marks = {}
    for start in root.iter(f"{W}bookmarkStart"):
        row = next(start.iterancestors(f"{W}tr"))
        marks[start.get(f"{W}name")] = "".join(row.itertext()).replace("\u2060", "")
    return lines, targets, marks


def month_marker(title: str) -> str:
    return title  # "2024年3月": the first row of March carries its date


def check_register(doc: Any, pdf: bytes, docx: bytes, marker: Any) -> None:
    toc = doc.context["目录"]
    assert len(toc) >= 2
    entries, numbered = pdf_contents(pdf)
    assert [(t, c) for t, c, _ in entries] == [(e["标题"], int(e["条数"][:-1])) for e in toc], (
        "PDF 目录 lists every group with its count"
    )
    for title, _, page in entries:
        assert page == first_page(numbered, marker(title)), f"{title}: 目录 says page {page}"
    assert [n for n, _ in numbered] == list(range(1, len(numbered) + 1))

    lines, targets, marks = docx_contents(docx)
    assert lines == [f"{e['标题']}（{e['条数']}）" for e in toc]
    assert targets == [e["锚"] for e in toc]
    for entry in toc:
        assert marker(entry["标题"]) in marks[entry["锚"]], "the bookmark is on the group's row"


def test_a_long_chronological_register_has_a_contents_page_of_its_months(activities) -> None:
    doc, pdf, docx = activities
    assert len(doc.context["记录"]) > 60
    check_register(doc, pdf, docx, month_marker)
    assert [e["标题"] for e in doc.context["目录"]][:2] == ["2024年1月", "2024年2月"]
    # the 目录 has its own unnumbered page after the cover, before page 1
    texts = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    assert CONTENTS in texts[1] and not FOOTER.search(texts[1])


def test_a_long_register_rendered_in_parts_prints_the_pages_of_every_part(
    activities, monkeypatch
) -> None:
    from toolkit.render import pdf as pdf_module

    doc, whole, _ = activities
    monkeypatch.setattr(pdf_module, "PART_ROWS", 30)  # four parts: groups past the first part
    parted = render(doc, "pdf")
    assert len(PdfReader(io.BytesIO(parted)).pages) == len(PdfReader(io.BytesIO(whole)).pages)
    entries, numbered = pdf_contents(parted)
    assert entries == pdf_contents(whole)[0]
    assert entries[-1][2] > 4  # December is in a later part than the 目录
    for title, _, page in entries:
        assert page == first_page(numbered, month_marker(title))


def test_a_long_handoff_register_lists_its_units(sample, monkeypatch) -> None:
    from toolkit.derive import books

    # the sample's stations hand on some 30 matters to 10 units: long enough at 20 rows
    monkeypatch.setattr(books, "TOC_ROWS", 20)
    doc = sample("handoff_register")
    assert [e["标题"] for e in doc.context["目录"]] == [u["承办单位"] for u in doc.context["单位"]]
    check_register(doc, render(doc, "pdf"), render(doc, "docx"), lambda t: f"承办单位：{t}")


def test_a_short_register_has_no_contents(sample) -> None:
    doc = sample("handoff_register")  # 29 matters and 10 unit rows: under TOC_ROWS
    assert doc.context["目录"] == []
    pdf, docx = render(doc, "pdf"), render(doc, "docx")
    assert not any(CONTENTS in (p.extract_text() or "") for p in PdfReader(io.BytesIO(pdf)).pages)
    lines, targets, marks = docx_contents(docx)
    assert (lines, targets, marks) == ([], [], {})
    assert "目　　录" not in zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode()
