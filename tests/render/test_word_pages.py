"""Word and PDF are the same document: converted by LibreOffice with the shipped fonts
(forms/fonts/fonts.conf maps the fonts Word files name to the faces the CSS uses), the .docx of
every form has as many pages as our PDF of it, its column rules are where the PDF's are, and it
keeps names whole and the closing block with the body as the PDF does.

Converted as `--pdf-from docx` converts (render/docx_pdf.convert: with the two Asian-typography
settings LibreOffice's DOCX import loses put back). Run only where LibreOffice (`soffice`) is
installed; `.ci/run` installs it. From the bundled
sample it takes the documents of each form most likely to end near a page boundary: the one with
the most records and the longest text, and the two longest of the official-text forms (述职报告,
通知, 建议, 议案), whose 22-line pages fill up. One LibreOffice run converts them all.

The tests without LibreOffice check what makes the two layouts agree: each Word table's columns
are its template.html's <colgroup> (tools/html_columns.py), names are joined by WORD JOINERs in
Word as the PDF keeps them whole, a row that cannot fit a page may split, and a name's rare
character does not make a PDF line taller than Word's exact line spacing.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import sys
import zipfile
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from lxml import etree
from pypdf import PdfReader

from conftest import W, word_document
from toolkit.render.docx import WORD_JOINER, plain_text, row_height
from toolkit.render.docx_pdf import convert, soffice_path

needs_soffice = pytest.mark.skipif(soffice_path() is None, reason="LibreOffice (soffice) 未安装")
slow = pytest.mark.slow  # about 10 s: LibreOffice converts some 30 documents twice

OFFICIAL = {"duty_report", "meeting_notice", "proposal", "motion"}


def _weight(doc: Any) -> tuple[int, int]:
    text = json.dumps(doc.context, ensure_ascii=False, default=str)
    return len(doc.sources), len(text)


CLOSING_RANGE = range(6, 16)  # 议程 items: the notice's closing block crosses page 1's end


ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def sample() -> Any:
    """The bundled sample, read and checked, and a planner: sample(form_id) → its documents."""
    from toolkit.commands.build import check
    from toolkit.derive.planners import plan
    from toolkit.forms import load_forms
    from toolkit.model import PlanEnv
    from toolkit.rules import load_rules

    data = check(None)
    env = PlanEnv(load_rules(), today=dt.date(2024, 12, 31))
    forms = load_forms()

    def documents(form_id: str) -> list[Any]:
        return list(plan(forms[form_id], data, env))

    return documents


def render(form_id: str, fmt: str, context: dict[str, Any]) -> bytes:
    from toolkit.paths import FORMS_DIR
    from toolkit.render.registry import Renderers

    stream = io.BytesIO()
    Renderers().get(str(FORMS_DIR), form_id, fmt).render(context, stream)
    return stream.getvalue()


@pytest.fixture(scope="module")
def converted(
    tmp_path_factory: pytest.TempPathFactory, sample: Any
) -> list[tuple[str, str, Path, Path]]:
    """(form, document, our PDF, LibreOffice's PDF of our .docx) for the chosen documents, and
    ("closing", n, -, LibreOffice's PDF) for a 会议通知 with n agenda items."""
    from toolkit.forms import load_forms
    from toolkit.render.registry import Renderers

    renderer_for = Renderers().get
    folder = tmp_path_factory.mktemp("word-pages")
    chosen = []
    for form in load_forms().values():
        if "docx" not in form.formats or "pdf" not in form.formats:
            continue
        docs = sorted(sample(form.id), key=_weight, reverse=True)
        for n, doc in enumerate(docs[: 2 if form.id in OFFICIAL else 1]):
            stem = f"{form.id}-{n}"
            for fmt in ("docx", "pdf"):
                stream = io.BytesIO()
                renderer_for(str(form.folder.parent), form.id, fmt).render(doc.context, stream)
                (folder / f"{stem}.{fmt}").write_bytes(stream.getvalue())
            chosen.append((form.id, "_".join(doc.name_parts), stem))
        if form.id == "meeting_notice":
            notice = next(d.context for d in docs if d.context["议程项"] and not d.context["公告"])
            renderer = renderer_for(str(form.folder.parent), form.id, "docx")
            for n in CLOSING_RANGE:
                stream = io.BytesIO()
                items = [f"审议第{i + 1}项议题" for i in range(n)]
                renderer.render({**notice, "议程项": items}, stream)
                (folder / f"closing-{n}.docx").write_bytes(stream.getvalue())
                chosen.append(("closing", str(n), f"closing-{n}"))
    lo = folder / "lo"
    sources = [folder / f"{stem}.docx" for *_, stem in chosen]
    convert(str(soffice_path()), sources, lo, folder / "profile")
    return [(f, name, folder / f"{stem}.pdf", lo / f"{stem}.pdf") for f, name, stem in chosen]


@needs_soffice
@slow
def test_every_form_has_as_many_pages_in_word_as_in_pdf(converted) -> None:
    forms = {form for form, *_ in converted}
    assert {"duty_report", "meeting_notice", "motion", "reception_register", "sign_in"} <= forms
    differ = []
    for form, name, ours, word in converted:
        if form == "closing":
            continue
        pdf_pages, word_pages = len(PdfReader(ours).pages), len(PdfReader(word).pages)
        if pdf_pages != word_pages:
            differ.append(f"{form} {name}: PDF {pdf_pages} 页，Word {word_pages} 页")
    assert not differ, "\n".join(differ)


@needs_soffice
@slow
def test_libreoffice_draws_word_fonts_with_the_pdf_faces(converted) -> None:
    """仿宋_GB2312, 方正小标宋简体, 黑体 and 楷体_GB2312 become FandolFang, Noto Serif CJK SC Bold,
    Noto Sans CJK SC and Liaison Kai, not a fallback serif for all four."""
    used: set[str] = set()
    for *_, word in converted:
        for page in PdfReader(word).pages:
            for font in (page["/Resources"].get("/Font") or {}).values():
                used.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    faces = " ".join(sorted(used))
    for face in ("FandolFang", "LiaisonKai", "NotoSansCJK", "NotoSerifCJK"):
        assert face in faces, faces
    assert any("Serif" in name and "Bold" in name for name in used), faces


@needs_soffice
@slow
def test_the_closing_block_never_stands_alone_on_a_page_in_word(converted) -> None:
    """落款 and date go over the page with the last lines of the body (keep with next, widow
    control), never alone: in every notice that runs to a second page, that page starts with
    the end of the body's last paragraph (请参会人员……请假。)."""
    overflowing = 0
    for form, n, _, word in converted:
        if form != "closing":
            continue
        pages = ["".join(page.extract_text().split()) for page in PdfReader(word).pages]
        if len(pages) > 1:
            overflowing += 1
            assert "请假" in pages[-1], (n, pages[-1])
            assert "请假" not in pages[-2], (n, pages[-2])
    assert overflowing  # the range of agenda lengths does cross the page end


def test_ci_installs_libreoffice_so_these_tests_run():
    """.ci/run installs writer and calc without GUI or recommends (a test-only need: the user's
    install, scripts/install-system-deps.sh, does not)."""
    root = Path(__file__).resolve().parents[2]
    ci = (root / ".ci" / "run").read_text(encoding="utf-8")
    assert "libreoffice-writer-nogui libreoffice-calc-nogui" in ci
    assert "--no-install-recommends" in ci
    assert "libreoffice" not in (root / "scripts" / "install-system-deps.sh").read_text()


# ── what makes the two layouts agree (no LibreOffice needed) ───────────────────────────────


def _grids(path: Path) -> list[list[int]]:
    """The column widths (twips) of every table of a .docx, in document order."""
    with zipfile.ZipFile(path) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
    return [
        [int(col.get(f"{W}w")) for col in grid.iter(f"{W}gridCol")]
        for grid in body.iter(f"{W}tblGrid")
    ]


def test_word_tables_take_the_columns_of_the_html_colgroups() -> None:
    """Each <colgroup> of a form's template.html, as its CSS sizes the columns, is the grid of a
    table of its template.docx in the same proportions (to a twip a column): the register's
    Word columns kept their old widths after the PDF's changed, and 8 pages held what 9 did."""
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        from html_columns import colgroups
    finally:
        sys.path.remove(str(ROOT / "tools"))
    checked = 0
    for docx in sorted((ROOT / "forms").glob("*/template.docx")):
        grids = _grids(docx)
        for widths in colgroups(docx.parent.name):
            checked += 1
            total = sum(widths)
            same = [
                grid
                for grid in grids
                if len(grid) == len(widths)
                and all(
                    abs(w - sum(grid) * share / total) <= 1
                    for w, share in zip(grid, widths, strict=True)
                )
            ]
            assert same, (docx.parent.name, widths, grids)
    assert checked >= 15


def _names_cell(docx: bytes) -> tuple[str, etree._Element]:
    """The text of the 附议代表 cell of a rendered 议案/建议 and its run."""
    body = etree.fromstring(zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml"))
    row = next(r for r in body.iter(f"{W}tr") if "附议代表" in "".join(r.itertext()))
    run = row.findall(f"{W}tc")[1].find(f".//{W}r")
    return "".join(t.text or "" for t in run.iter(f"{W}t")), run


def test_word_keeps_each_name_whole_as_the_pdf_does(sample: Any, tmp_path: Path) -> None:
    """附议代表 is set in the 姓名 style (East Asian language zxx, so LibreOffice's line breaking
    heeds U+2060), with a WORD JOINER between the characters of each name and none at the 、
    between names; read through plain_text (tests: conftest.word_document) it is the names."""
    doc = max(sample("motion"), key=lambda d: len(d.context["附议代表"]))
    context = doc.context
    data = render("motion", "docx", context)
    text, run = _names_cell(data)
    names = context["附议代表"].split("、")
    assert len(names) >= 10
    for name in names:
        assert WORD_JOINER.join(name) in text
    assert f"{WORD_JOINER}、" not in text and f"、{WORD_JOINER}" not in text
    assert plain_text(text) == f"{context['附议代表']}（{context['附议人数']}名）"
    assert run.find(f"{W}rPr/{W}rStyle").get(f"{W}val") == "Names"
    styles = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/styles.xml"))
    names_style = styles.find(f"{W}style[@{W}styleId='Names']")
    assert names_style.find(f"{W}rPr/{W}lang").get(f"{W}eastAsia") == "zxx"
    (tmp_path / "motion.docx").write_bytes(data)
    cell = word_document(tmp_path / "motion.docx").tables[0].rows[2].cells[1].text
    assert cell == plain_text(text)


def test_a_row_that_cannot_fit_a_page_may_split_in_word(sample: Any) -> None:
    """Register rows are kept on one page (cantSplit, as break-inside: avoid), except one whose
    text could outgrow a page: Word would cut it off at the page's foot."""
    doc = max(sample("reception_register"), key=lambda d: len(d.context["记录"]))
    records = [dict(r) for r in doc.context["记录"][:3]]
    records[1]["反映内容"] = "小区路面破损，雨天积水严重，" * 40
    data = render("reception_register", "docx", {**doc.context, "记录": records})
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    table = xml[xml.index("<w:tbl>", xml.index("序号") - 5000) :]
    rows = re.findall(r"<w:tr[ >].*?</w:tr>", table, re.S)
    body = [r for r in rows if "<w:tblHeader/>" not in r][: len(records)]
    assert [("<w:cantSplit/>" in r) for r in body] == [True, False, True]
    heights = [row_height(r) for r in body]
    assert heights[1] > 460 > 120 > max(heights[0], heights[2])


def _table_height(pdf: bytes) -> float:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        tops = [e["top"] for e in document.pages[0].edges if e["orientation"] == "h"]
    return max(tops) - min(tops)


def test_a_rare_character_in_a_name_does_not_make_the_pdf_row_taller(sample: Any) -> None:
    """喆 is not in FandolFang (GB2312 only): drawn from the fallback face, whose box WeasyPrint
    aligns by that face's taller ascent, it made a 4号 line 1.8pt taller than in Word (exact
    line spacing there), and an 议案 that fit on a page in Word ran onto a second in the PDF."""
    doc = sample("motion")[0]
    plain = {**doc.context, "附议代表": "陈哲、王伟", "附议人数": 2}
    rare = {**plain, "附议代表": "陈喆、王伟"}
    assert _table_height(render("motion", "pdf", rare)) == pytest.approx(
        _table_height(render("motion", "pdf", plain)), abs=0.1
    )


@needs_soffice
@slow
def test_word_draws_its_column_rules_where_the_pdf_does(converted) -> None:
    """Every vertical rule of LibreOffice's PDF of the .docx is within 1pt of one of our PDF's,
    and the other way round (cover and form tables alike). A chart (render/charts.py) is a
    drawing in our PDF and a picture in Word: its bars and axes, inside its white background,
    are no rules."""

    def charts(page: Any) -> list[tuple[float, float, float, float]]:
        return [
            (r["x0"], r["top"], r["x1"], r["bottom"])
            for r in page.rects
            if r.get("fill")
            and tuple(r.get("non_stroking_color") or ()) in ((1, 1, 1), (1.0, 1.0, 1.0))
            and r["width"] > 100
            and r["height"] > 100
        ]

    def inside(edge: Any, boxes: list[tuple[float, float, float, float]]) -> bool:
        return any(
            x0 - 1 <= edge["x0"] <= x1 + 1 and top - 1 <= edge["top"] <= bottom + 1
            for x0, top, x1, bottom in boxes
        )

    def rules(path: Path) -> list[float]:
        with pdfplumber.open(path) as document:
            return sorted(
                {
                    round(edge["x0"], 1)
                    for page in document.pages
                    for edge in page.edges
                    if edge["orientation"] == "v"
                    and edge["bottom"] - edge["top"] > 5
                    and not inside(edge, charts(page))
                }
            )

    for form, name, ours, word in converted:
        if form == "closing":
            continue
        a, b = rules(ours), rules(word)
        assert all(min(abs(x - y) for y in b) <= 1 for x in a), (form, name, a, b)
        assert all(min(abs(x - y) for y in a) <= 1 for x in b), (form, name, a, b)


@needs_soffice
@slow
def test_the_layout_checker_finds_no_broken_name_nor_lone_closing_in_word(converted) -> None:
    """The PDF rules Word can keep, checked by toolkit.pagecheck on LibreOffice's PDFs: no line
    breaks inside a name of the sample's roster, no 落款 opens a page. (Word may still break a
    number from its unit or a date: joining those too would put invisible characters in every
    date and figure a clerk searches for.)"""
    from toolkit.pagecheck import check_pdf, workbook_names
    from toolkit.paths import SAMPLE_WORKBOOK

    names = workbook_names(SAMPLE_WORKBOOK)
    found = [
        str(v)
        for form, _, _, word in converted
        if form != "closing"
        for v in check_pdf(word, names)
        if v.kind == "落款" or v.detail.startswith("姓名")
    ]
    assert not found, found
