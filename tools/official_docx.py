"""The official-text layout of GB/T 9704-2012 for Word templates (述职报告, 会议通知, 建议/议案).

How another form uses it, in its own ``tools/templates_<family>.py``::

    from official_docx import (
        new_official_document, official_title, official_byline, official_paragraph,
        official_heading, official_signature,
    )

    def meeting_notice() -> DocxDocument:
        doc = new_official_document("会议通知")          # page, grid, styles, footers
        official_title(doc, "{{ 会议名称 }}通知")
        official_paragraph(doc, "{{ 正文 }}")            # 仿宋 3号, indented 2 characters
        official_heading(doc, "一、会议时间", level=1)     # 黑体; level=2 楷体; level=3 仿宋
        official_paragraph(doc, "请准时出席。", last=True)  # may end the body
        official_closing(doc, "{{ 主办单位 }}", "{{ 成文日期 }}")
        return doc

Tables inside the text come from ``official_table`` (then make_templates' add_row, label,
value) with widths adding up to ``OFFICIAL_WIDTH``.

What a document made here has (tests/test_duty.py measures it on the rendered file):
- A4, margins top 37 mm, right 26 mm, bottom 35 mm, left 28 mm (twips 2098, 1474, 1984, 1588):
  a text block of 156 × 225 mm (8844 × 12756 twips).
- ``w:docGrid type="lines"``: 22 lines a page (linePitch 579 twips = 28.95pt, and
  22 × 579 ≤ 12756 < 23 × 579); 28 characters a line by condensing the 16pt styles by 0.25pt
  (28 × 15.75 = 441pt ≤ 442.2pt), as the CSS does. Not a character grid: with a negative
  charSpace Word squeezes 16pt characters into 15.8pt cells, but LibreOffice gives each two
  cells and spreads the text over twice the width.
- Styles naming fonts by role in w:eastAsia: Normal and 公文正文 (OfficialBody, indented 2
  characters) 仿宋_GB2312 3号, Title 方正小标宋简体 2号, heading 1 黑体 3号 (“一、”), heading 2
  楷体_GB2312 3号 (“（一）”), heading 3 仿宋_GB2312 3号 (“1.”); body lines at exactly 28.95pt,
  so the page holds 22 lines in Word, WPS and LibreOffice alike; widow control on body text.
- The closing block (``official_closing``: a blank line, 署名/落款, date) kept on one page and
  with the body's last paragraph (``official_paragraph(..., last=True)``), never alone.
- Tables (``official_table``) off the line grid, lines 1.35 × their size, not condensed, as
  table.official.
- Footers: “— PAGE —” in 宋体 4号 (14pt), odd pages at the right and even pages at the left, one
  character in from the edge, ``w:evenAndOddHeaders`` set in settings.xml.
"""

from __future__ import annotations

from collections.abc import Iterable

from docx.document import Document as DocxDocument
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.section import Section
from docx.shared import Twips
from docx.table import Table
from docx.text.paragraph import Paragraph
from make_templates import (
    _FIXED_STYLES,
    _LANG,
    ER,
    PARAGRAPH_STYLES,
    PPR_DEFAULT,
    SAN,
    SI,
    XIAO_SI,
    _paragraph_style,
    _size_xml,
    add_page_number,
    add_text,
    new_document,
    new_table,
    rfonts_xml,
    set_paragraph,
    w,
)

A4_SHORT, A4_LONG = 11906, 16838
OFFICIAL_MARGINS = (2098, 1474, 1984, 1588)  # top, right, bottom, left: 37, 26, 35, 28 mm
OFFICIAL_WIDTH = A4_SHORT - OFFICIAL_MARGINS[1] - OFFICIAL_MARGINS[3]  # 8844 = 156 mm
OFFICIAL_HEIGHT = A4_LONG - OFFICIAL_MARGINS[0] - OFFICIAL_MARGINS[2]  # 12756 = 225 mm
LINES, CHARS = 22, 28
LINE_PITCH = OFFICIAL_HEIGHT // LINES  # 579 twips = 28.95pt
# 28 characters of 16pt are 448pt, wider than the 442.2pt line: the body styles are condensed
# by 0.25pt (w:spacing −5 twentieths), so 28 × 15.75 = 441pt fit. A character grid
# (linesAndChars with a negative charSpace) does the same in Word but not in LibreOffice, which
# gives each 16pt character two 15.8pt cells and spreads the text over twice the width.
CONDENSE = -5  # twentieths of a point
INDENT_2 = 2 * OFFICIAL_WIDTH // CHARS  # two character cells, in twips
FOOTER_DISTANCE = 1418  # 25 mm: the number's dashes sit about 7 mm under the text block

_EXACT = f'<w:spacing w:before="0" w:after="0" w:line="{LINE_PITCH}" w:lineRule="exact"/>'
# A blank grid line under the title and the byline, as the CSS's 28.95pt margin.
_EXACT_LINE_AFTER = _EXACT.replace('w:after="0"', f'w:after="{LINE_PITCH}"')
# Widow and orphan control: a paragraph that runs over a page leaves at least two lines on each.
_WIDOWS = "<w:widowControl/>"
_EXACT_FOOTER = _EXACT.replace(f'w:line="{LINE_PITCH}"', f'w:line="{round(SI * 20)}"')
# The closing block (署名, 落款, date) is kept whole and with what follows it (see
# official_closing, which also ties the blank line above it to the last lines of the body).
_KEEP = "<w:keepNext/><w:keepLines/>"
_INDENT = f'<w:ind w:firstLineChars="200" w:firstLine="{INDENT_2}"/>'
_JUSTIFY = '<w:jc w:val="both"/>'
# id, name, font role, size, pPr (children in schema order: keepNext, keepLines, widowControl,
# snapToGrid, spacing, ind, jc). Every line is exactly one grid line, the title's too: a 2号
# line snapped to the grid would take two grid lines in Word and LibreOffice (its font's own
# height is more than one), one in the PDF.
OFFICIAL_STYLES = (
    ("Normal", "Normal", "body", SAN, f"{_WIDOWS}{_EXACT}{_JUSTIFY}"),
    ("OfficialBody", "公文正文", "body", SAN, f"{_WIDOWS}{_EXACT}{_INDENT}{_JUSTIFY}"),
    (
        "Title",
        "Title",
        "title",
        ER,
        f'<w:snapToGrid w:val="0"/>{_EXACT_LINE_AFTER}<w:jc w:val="center"/>',
    ),
    ("Byline", "署名行", "kai", SAN, f'{_EXACT_LINE_AFTER}<w:jc w:val="center"/>'),
    ("Heading1", "heading 1", "label", SAN, f"<w:keepNext/>{_EXACT}{_INDENT}{_JUSTIFY}"),
    ("Heading2", "heading 2", "kai", SAN, f"<w:keepNext/>{_EXACT}{_INDENT}{_JUSTIFY}"),
    ("Heading3", "heading 3", "body", SAN, f"<w:keepNext/>{_EXACT}{_INDENT}{_JUSTIFY}"),
    (
        "Signature",
        "署名",
        "body",
        SAN,
        f'{_KEEP}{_EXACT}<w:ind w:rightChars="400" w:right="{INDENT_2 * 2}"/><w:jc w:val="right"/>',
    ),
    # Off the grid and exactly 4号 high: snapped to a 28.95pt grid line, the footer outgrew
    # the 28.3pt between the text block and its distance from the edge, and LibreOffice took
    # the difference from the text block (a page then missed its 22nd line by a hair).
    ("Footer", "footer", "song", SI, f'<w:snapToGrid w:val="0"/>{_EXACT_FOOTER}'),
)
HEADING_STYLES = {1: "Heading1", 2: "Heading2", 3: "Heading3"}
HEADING_ROLES = {1: "label", 2: "kai", 3: "body"}
_BUILTIN = {"Normal", "Title", "Heading1", "Heading2", "Heading3", "Footer"}
# Table text is not condensed (table.official: letter-spacing 0), but its styles are based on
# Normal and would inherit Normal's −0.25pt: a 附议代表 cell then held 24 characters a line in
# Word where the PDF holds 23, and the cell one line fewer.
_UNCONDENSED = {"TableText", "TableLabel"}


def official_styles_xml() -> str:
    """The official styles, plus make_templates' table, note and header styles for tables."""
    defaults = (
        f'<w:docDefaults><w:rPrDefault><w:rPr>{rfonts_xml("body")}<w:kern w:val="2"/>'
        f"{_size_xml(SAN)}{_LANG}</w:rPr></w:rPrDefault>{PPR_DEFAULT}</w:docDefaults>"
    )
    ours = {spec[0] for spec in OFFICIAL_STYLES}
    specs = [*OFFICIAL_STYLES, *(s for s in PARAGRAPH_STYLES if s[0] not in ours)]
    styles = "".join(_style(*spec) for spec in specs)
    return f"<w:styles {nsdecls('w')}>{defaults}{styles}{_FIXED_STYLES}</w:styles>"


def _style(sid: str, name: str, role: str, size: float, ppr: str) -> str:
    xml = _paragraph_style(sid, name, role, size, ppr)
    if size == SAN and sid != "Footer":
        xml = xml.replace("<w:sz ", f'<w:spacing w:val="{CONDENSE}"/><w:sz ', 1)
    elif sid in _UNCONDENSED:
        xml = xml.replace("<w:sz ", '<w:spacing w:val="0"/><w:sz ', 1)
    if sid in _BUILTIN:  # Word's own styles: customStyle="0" keeps them in Word's style list
        xml = xml.replace('w:customStyle="1"', 'w:customStyle="0"', 1)
    return xml


def new_official_document(title: str) -> DocxDocument:
    """An empty official-text document: page, grid, styles, odd/even page-number footers."""
    doc = new_document(title)
    doc.part._styles_part._element = parse_xml(official_styles_xml())
    set_official_page(doc.sections[0])
    doc.settings.odd_and_even_pages_header_footer = True
    official_footers(doc.sections[0])
    return doc


def set_official_page(section: Section) -> None:
    """A4 portrait, GB/T 9704 margins, a line grid of 22 lines (28 characters a line come from
    the condensed body styles)."""
    top, right, bottom, left = OFFICIAL_MARGINS
    section.page_width, section.page_height = Twips(A4_SHORT), Twips(A4_LONG)
    section.top_margin, section.right_margin = Twips(top), Twips(right)
    section.bottom_margin, section.left_margin = Twips(bottom), Twips(left)
    section.header_distance, section.footer_distance = Twips(851), Twips(FOOTER_DISTANCE)
    grid = section._sectPr.find(qn("w:docGrid"))
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH))
    grid.attrib.pop(qn("w:charSpace"), None)


def official_table(doc: DocxDocument, widths: Iterable[int], padding: int = 57) -> Table:
    """A table inside the text, as official.css's table.official: cell padding 1 mm × 1.5 mm,
    lines 1.35 times the type size (not on the text's line grid: see make_templates._TIGHT).

    The 1 mm above and below is paragraph spacing, not a cell margin: with top and bottom cell
    margins LibreOffice splits a long table with a repeated header row far too early (a 述职报告
    put 8 of 22 rows on a page with room for all of them)."""
    table = new_table(doc, widths, margins=(0, 85), line_height=1.35, label_padding=85)
    table._padding = padding  # type: ignore[attr-defined]
    return table


def official_footers(section: Section) -> None:
    """“— PAGE —” 4号: the odd-page (default) footer at the right, the even-page one at the left."""
    section.footer.is_linked_to_previous = False
    section.even_page_footer.is_linked_to_previous = False
    _page_number(section.footer.paragraphs[0], "right")
    _page_number(section.even_page_footer.paragraphs[0], "left")


def _page_number(par: Paragraph, side: str) -> None:
    set_paragraph(par, align=side, style="Footer")
    indent = f'w:{side}Chars="100" w:{side}="{round(SI * 20)}"'
    ppr = par._p.get_or_add_pPr()
    ppr.insert(list(ppr).index(ppr.find(qn("w:jc"))), w(f"<w:ind {indent}/>"))
    add_page_number(par, SI)


# ── paragraphs ───────────────────────────────────────────────────────────────────────────────


def _paragraph(doc: DocxDocument, style: str) -> Paragraph:
    par = doc.add_paragraph()
    par._p.get_or_add_pPr().style = style
    return par


def official_title(doc: DocxDocument, text: str) -> Paragraph:
    """The title (Jinja text allowed): 小标宋 2号, centred, a blank line under it."""
    par = _paragraph(doc, "Title")
    add_text(par, text, "title", ER)
    return par


def official_byline(doc: DocxDocument, text: str) -> Paragraph:
    """A centred 楷体 line under the title, e.g. “（张伟　2024年12月）”."""
    par = _paragraph(doc, "Byline")
    add_text(par, text, "kai", SAN)
    return par


def official_paragraph(
    doc: DocxDocument,
    text: str,
    role: str = "body",
    indent: bool = True,
    *,
    last: bool = False,
) -> Paragraph:
    """A body paragraph (Jinja text allowed), 3号, first line indented 2 characters. `last`: it
    can be the last of the body, so its last lines go to the next page with the closing block
    rather than leave 署名 and date alone there (keep with next; widow control moves two)."""
    par = _paragraph(doc, "OfficialBody" if indent else "Normal")
    if last:
        keep_with_next(par)
    add_text(par, text, role, SAN)
    return par


def keep_with_next(par: Paragraph) -> None:
    ppr = par._p.get_or_add_pPr()
    ppr.insert(1 if ppr.find(qn("w:pStyle")) is not None else 0, w("<w:keepNext/>"))


def official_heading(doc: DocxDocument, text: str, level: int = 1) -> Paragraph:
    """一、 (level 1, 黑体), （一） (level 2, 楷体), 1. (level 3, 仿宋); kept with what follows."""
    par = _paragraph(doc, HEADING_STYLES[level])
    add_text(par, text, HEADING_ROLES[level], SAN)
    return par


def official_signature(doc: DocxDocument, text: str) -> Paragraph:
    """署名 or 成文日期: right-aligned, 4 characters in from the right edge."""
    par = _paragraph(doc, "Signature")
    add_text(par, text, "body", SAN)
    return par


def official_closing(doc: DocxDocument, *lines: str) -> None:
    """The closing block under the body: a blank grid line, then 署名/落款 and the date, right-
    aligned, all kept on one page together with the body paragraph before them (the paragraphs
    that can end the body are made with `official_paragraph(..., last=True)`)."""
    keep_with_next(official_blank_line(doc))
    for text in lines:
        official_signature(doc, text)


def official_blank_line(doc: DocxDocument) -> Paragraph:
    """An empty grid line (e.g. between the text and the signature)."""
    return _paragraph(doc, "Normal")


__all__ = [
    "CHARS",
    "CONDENSE",
    "INDENT_2",
    "LINES",
    "LINE_PITCH",
    "OFFICIAL_MARGINS",
    "OFFICIAL_WIDTH",
    "XIAO_SI",
    "keep_with_next",
    "new_official_document",
    "official_blank_line",
    "official_byline",
    "official_closing",
    "official_footers",
    "official_heading",
    "official_paragraph",
    "official_signature",
    "official_styles_xml",
    "official_table",
    "official_title",
    "set_official_page",
]
