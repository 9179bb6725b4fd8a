"""Word: fonts named by role in w:eastAsia with fallbacks, A4, fields in their cells, breaks."""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path

import pytest
from lxml import etree

from conftest import build_receptions, reception, word_document

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
STANDARD = {"仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312", "宋体"}
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("docx")
    rows = [
        reception(code="D1", content="第一行\n第二行"),
        reception(code="D2", route="当场答复", unit=None, due=None, visitor="钱多多"),
    ]
    return build_receptions(tmp, rows, ("docx",))


def _all_docx(out: Path) -> list[Path]:
    docs = sorted(out.rglob("*.docx"))
    assert len(docs) == 2 + 1 + 1 + 1  # two forms, one slip, one feedback, one register
    return docs


def _effective_east_asia(run, styles) -> str | None:
    rfonts = run.find(f"{W}rPr/{W}rFonts")
    if rfonts is not None and rfonts.get(f"{W}eastAsia"):
        return rfonts.get(f"{W}eastAsia")
    return styles


def test_every_chinese_run_names_its_east_asian_font(built):
    for path in _all_docx(built):
        with zipfile.ZipFile(path) as archive:
            body = etree.fromstring(archive.read("word/document.xml"))
        for run in body.iter(f"{W}r"):
            text = "".join(t.text or "" for t in run.iter(f"{W}t"))
            if CJK.search(text):
                rfonts = run.find(f"{W}rPr/{W}rFonts")
                assert rfonts is not None, (path.name, text)
                assert rfonts.get(f"{W}eastAsia") in STANDARD, (path.name, text)


def test_font_table_gives_fallbacks_word_and_wps_have(built):
    expected = {"仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体", "方正小标宋简体": "宋体"}
    for path in _all_docx(built):
        with zipfile.ZipFile(path) as archive:
            table = etree.fromstring(archive.read("word/fontTable.xml"))
        alt = {f.get(f"{W}name"): f.find(f"{W}altName") for f in table.iter(f"{W}font")}
        for name, fallback in expected.items():
            assert name in alt and alt[name] is not None, (path.name, name)
            assert alt[name].get(f"{W}val") == fallback


def test_pages_are_a4(built):
    for path in _all_docx(built):
        section = word_document(path).sections[0]
        size = sorted((section.page_width.mm, section.page_height.mm))
        assert size == pytest.approx([210, 297], abs=1), path.name


def _cells(path: Path) -> list[str]:
    doc = word_document(path)
    return [cell.text for table in doc.tables for row in table.rows for cell in row.cells]


def test_reception_form_fields_in_table_cells(built):
    cells = _cells(next(built.glob("代表接待选民登记表/*_D1.docx")))
    for value in (
        "2024年3月15日",
        "王伟、李娜",
        "赵桂兰",
        "13912345678",
        "三元街道城建办",
        "2024年4月15日",
    ):
        assert value in cells, value
    assert "第一行\n第二行" in cells  # the line break is a Word line break


def test_slip_only_for_handed_on(built):
    assert [p.name.split("_")[-1] for p in built.glob("群众意见建议交办单/*.docx")] == ["D1.docx"]
    text = "\n".join(_cells(next(built.glob("群众意见建议交办单/*.docx"))))
    assert "三元街道城建办" in text and "第一行" in text


def test_register_rows_and_repeated_header(built):
    path = next(built.glob("接待选民登记簿/*.docx"))
    doc = word_document(path)
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "序号")
    texts = [[c.text for c in row.cells] for row in table.rows]
    assert [row[3] for row in texts] == ["来访人", "赵桂兰", "钱多多"]
    assert texts[1][6] == "第一行\n第二行"
    header = table.rows[0]._tr
    assert header.find(f"{W}trPr/{W}tblHeader") is not None
    section = doc.sections[-1]
    assert section.page_width > section.page_height


def test_line_breaks_and_tabs_are_docxtpls_own_made_paragraph_by_paragraph(tmp_path) -> None:
    # The renderer runs docxtpl's resolve_listing only on the paragraphs that need it.
    from docx import Document

    from toolkit.render.docx import _LISTED_PARAGRAPH, DocxRenderer
    from toolkit.render.templating import make_env

    template = Document()
    template.add_paragraph("前言")
    template.add_paragraph().add_run("{{ 甲 }}").bold = True
    template.add_table(rows=1, cols=2).cell(0, 1).text = "意见：{{ 乙 }}"
    template.add_paragraph("{{ 丙 }}")
    template.save(tmp_path / "t.docx")
    renderer = DocxRenderer(tmp_path / "t.docx", make_env(), "t.docx")
    values = {"甲": "第一行\n第二行", "乙": "一\t二\n三", "丙": "没有换行"}
    chunks = renderer.templates["word/document.xml"].generate(values)
    text = "".join(chunks).replace("\n<w:p", "<w:p")
    ours = _LISTED_PARAGRAPH.sub(renderer._listing_one, text.encode())
    assert ours == renderer._listing(text).encode()
    assert ours.count(b"<w:br/>") == 2 and ours.count(b"<w:tab/>") == 1


def test_a_long_part_that_fails_halfway_leaves_no_render_watched(tmp_path, monkeypatch) -> None:
    """A part streamed past LONG whose reading fails (a value that breaks the XML, say) closes
    its stream: its render is no longer watched, so it cannot be stopped later inside other work
    (render/templating.py)."""
    from docx import Document

    from toolkit.render import templating
    from toolkit.render.docx import LONG, DocxRenderer
    from toolkit.render.templating import make_env

    template = Document()
    template.add_paragraph("{% for row in 行 %}{{ row }}{% endfor %}")
    template.save(tmp_path / "t.docx")
    renderer = DocxRenderer(tmp_path / "t.docx", make_env(), "t.docx")

    def fails(*args: object) -> None:
        raise ValueError("halfway")

    monkeypatch.setattr(renderer, "_parse", fails)
    rows = ["接待登记" * 100] * (LONG // 400 + 10)
    kept = []  # the error kept, with its traceback, as a build keeps it for its report
    try:
        renderer.render_part("word/document.xml", {"行": rows})
    except ValueError as error:
        kept.append(error)
    assert [str(error) for error in kept] == ["halfway"]
    assert not templating._WATCH.active
    assert getattr(templating._WATCH.local, "render", None) is None


def test_one_paragraph_longer_than_long_is_looked_at_linearly(tmp_path, monkeypatch) -> None:
    """A part whose one paragraph outgrows LONG, in small chunks: where it may be cut is looked
    for once per LONG characters, not once per chunk (which joined the whole paragraph again at
    every chunk: quadratic); the part is the same."""
    from docx import Document

    from toolkit.render import docx as docx_module
    from toolkit.render.docx import LONG, DocxRenderer
    from toolkit.render.templating import make_env

    template = Document()
    template.add_paragraph("{% for row in 行 %}{{ row }}{% endfor %}")
    template.add_paragraph("尾")
    template.save(tmp_path / "t.docx")
    renderer = DocxRenderer(tmp_path / "t.docx", make_env(), "t.docx")
    looked = []
    cut = docx_module._cut
    monkeypatch.setattr(docx_module, "_cut", lambda text: looked.append(len(text)) or cut(text))
    rows = ["接待" * 50] * (8 * LONG // 100)  # 8 × LONG characters in 100-character chunks
    crc, size, packed = renderer.render_part("word/document.xml", {"行": rows})
    assert len(looked) <= 10
    data = zlib.decompress(packed, wbits=-15)
    assert zlib.crc32(data) == crc and len(data) == size
    assert data.decode().count("接待") == len(rows) * 50 and "尾" in data.decode()
