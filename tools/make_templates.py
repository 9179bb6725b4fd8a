"""Generate the Word templates of the reception forms (``forms/*/template.docx``) reproducibly.

Run from the repository root::

    python tools/make_templates.py            # writes every template
    python tools/make_templates.py handoff_slip feedback_slip   # only these forms

Each template is a docxtpl template built with python-docx and lxml: A4 (the register landscape),
every run naming its fonts by role in ``w:eastAsia`` (正文/表格 仿宋_GB2312, 标题 方正小标宋简体,
栏目 黑体, 说明 楷体_GB2312) with Times New Roman for Latin text, the styles and document defaults
set the same, ``word/fontTable.xml`` listing each Chinese font with a fallback (``w:altName``) that
Windows 10+ and WPS have and the GB2312 charset, language zh-CN. Every Jinja tag is written as one
run of its own, so Word never splits it. Tables have single 0.5 pt borders, fixed column widths
that add up to the text width, and are centred. Zip members carry a fixed time stamp, so the same
script writes the same bytes.

Why a generator and not the .docx edited by hand: the Word layout must match the PDF's page for
page (tests/render/test_word_pages.py), so its column widths are read from template.html's
``<colgroup>`` (html_columns.py) and its fonts, spacing and keep-together rules from one set of
helpers; a hand-edited template would drift from its HTML sibling and from the house font roles
one click at a time, and Word rewrites the XML so no review can see what changed. The committed
template.docx is still what users export and edit (``liaison forms export``); the generator is
only the source of the bundled ones, and tests/test_templates.py requires the two to be equal.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import sys
import zipfile
from collections.abc import Callable, Iterable
from itertools import pairwise
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.section import Section
from docx.shared import Twips
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph
from html_columns import colgroups
from lxml import etree

FORMS = Path(__file__).resolve().parent.parent / "forms"
FIXED_TIME = (2024, 1, 1, 0, 0, 0)

# Font roles → the East Asian font Word should use. Latin text uses LATIN in every role.
LATIN = "Times New Roman"
ROLES = {
    "body": "仿宋_GB2312",  # 正文、表格内容
    "title": "方正小标宋简体",  # 标题
    "label": "黑体",  # 栏目名称、小标题
    "kai": "楷体_GB2312",  # 说明、页眉
    "song": "宋体",  # 页码
}
# fontTable entries: name → (altName, panose, family, pitch). All GB2312 (charset 86).
FONT_TABLE = {
    "仿宋_GB2312": ("仿宋", "02010609030101010101", "modern", "fixed"),
    "方正小标宋简体": ("宋体", "02000000000000000000", "auto", "variable"),
    "黑体": ("SimHei", "02010609060101010101", "modern", "fixed"),
    "楷体_GB2312": ("楷体", "02010609030101010101", "modern", "fixed"),
    "宋体": ("SimSun", "02010600030101010101", "auto", "variable"),
}
# Chinese type sizes in points (字号).
ER, SAN, SI, XIAO_SI, WU = 22, 16, 14, 12, 10.5

A4_SHORT, A4_LONG = 11906, 16838  # twips
# The pages of forms/styles/base.css (portrait) and of the register's CSS (landscape).
PORTRAIT_MARGINS = (1418, 1361, 1134, 1474)  # top, right, bottom, left: 25, 24, 20, 26 mm
LANDSCAPE_MARGINS = (1134, 851, 1021, 851)  # 20, 15, 18, 15 mm
PORTRAIT_WIDTH = A4_SHORT - PORTRAIT_MARGINS[1] - PORTRAIT_MARGINS[3]  # 9071 = 160 mm
LANDSCAPE_WIDTH = A4_LONG - LANDSCAPE_MARGINS[1] - LANDSCAPE_MARGINS[3]  # 15136


def grid(*shares: float, width: int = PORTRAIT_WIDTH) -> tuple[int, ...]:
    """Column widths in twips in the proportions `shares` (the CSS's percentages, say), adding
    up to `width` exactly."""
    total, edges, done = sum(shares), [0], 0.0
    for share in shares:
        done += share
        edges.append(round(width * done / total))
    return tuple(b - a for a, b in pairwise(edges))


def columns(form_id: str, table: int = 0, width: int = PORTRAIT_WIDTH) -> tuple[int, ...]:
    """The column widths in twips of the form's `table`-th <colgroup> in its template.html, in
    the proportions the PDF gives them (tools/html_columns.py): one source for both layouts."""
    return grid(*colgroups(form_id)[table], width=width)


BLANK = "\u3000"  # a full-width space: blanks to fill by hand are underlined runs of these

COMPATIBILITY_MODE = "15"  # settings.xml w:compatSetting compatibilityMode: Word 2013+
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
DATE_BLANK = BLANK * 4 + "年" + BLANK * 2 + "月" + BLANK * 2 + "日"  # a date to write by hand
_TAG = re.compile(r"(\{\{.*?\}\}|\{%.*?%\})")


def w(xml: str) -> etree._Element:
    """An element from WordprocessingML text written without a namespace declaration."""
    end = re.match(r"<[\w:]+", xml).end()  # type: ignore[union-attr]
    return parse_xml(xml[:end] + f" {nsdecls('w')}" + xml[end:])


# ── document, styles, font table ─────────────────────────────────────────────────────────────


def new_document(title: str, landscape: bool = False) -> DocxDocument:
    """An empty A4 document whose styles, font table, settings and properties are ours."""
    doc = Document()
    _drop_extra_parts(doc)
    doc.part._styles_part._element = parse_xml(styles_xml())
    doc.part.part_related_by(RT.FONT_TABLE)._blob = font_table_xml()
    _set_settings(doc)
    _set_properties(doc, title)
    set_page(doc.sections[0], landscape)
    return doc


def _drop_extra_parts(doc: DocxDocument) -> None:
    """The python-docx template's thumbnail, custom XML and stylesWithEffects are not ours."""
    unwanted = {RT.THUMBNAIL, RT.CUSTOM_XML, STYLES_WITH_EFFECTS}
    for rels in (doc.part.package.rels, doc.part.rels):
        for rid in [rid for rid, rel in rels.items() if rel.reltype in unwanted]:
            del rels[rid]


def rfonts_xml(role: str) -> str:
    east = ROLES[role]
    return (
        f'<w:rFonts w:ascii="{LATIN}" w:hAnsi="{LATIN}" w:eastAsia="{east}" '
        f'w:cs="{LATIN}" w:hint="eastAsia"/>'
    )


def _size_xml(points: float) -> str:
    half = round(points * 2)
    return f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>'


_LANG = '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>'
# Word's defaults put a gap between Chinese and Latin text or digits (autoSpaceDE/DN) and let
# a full stop hang past the line's end (overflowPunct); the PDF does neither, and with them
# “2024年1月9日” is wider in Word and lines wrap elsewhere. (LibreOffice's DOCX import ignores
# the first two and reads the third inverted: see toolkit/render/docx_pdf.py.)
NO_AUTO_SPACE = '<w:overflowPunct w:val="0"/><w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>'
PPR_DEFAULT = (
    f"<w:pPrDefault><w:pPr>{NO_AUTO_SPACE}"
    '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault>'
)
# Widow control on, as CSS's orphans and widows (2 unless a stylesheet says otherwise): a paragraph
# split over two pages keeps two lines on each, a register row's cells too (with it off, Word
# split rows elsewhere than the PDF, and the register differed by a page).
_WIDOWS = "<w:widowControl/>"
# Table text never snaps to a document's line grid (the official layout's 28.95pt): a 4号 line in
# a cell is as tall as in the PDF, not a whole grid line.
_TIGHT = (
    f'{_WIDOWS}{NO_AUTO_SPACE}<w:snapToGrid w:val="0"/>'
    '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
)
# Paragraph styles: id, name, font role, size, pPr. Built-in names are Word's own styles.
PARAGRAPH_STYLES = (
    ("Normal", "Normal", "body", XIAO_SI, f'{_WIDOWS}<w:jc w:val="both"/>'),
    (
        "Title",
        "Title",
        "title",
        ER,
        '<w:spacing w:before="0" w:after="240"/><w:jc w:val="center"/>',
    ),
    ("TableText", "表格文字", "body", XIAO_SI, _TIGHT),
    ("TableLabel", "表格栏目", "label", XIAO_SI, _TIGHT + '<w:jc w:val="center"/>'),
    ("Note", "说明文字", "kai", XIAO_SI, ""),
    ("Header", "header", "kai", WU, '<w:jc w:val="right"/>'),
    ("Footer", "footer", "song", WU, '<w:jc w:val="center"/>'),
)
_BUILTIN = {"Normal", "Title", "Header", "Footer"}
NAMES_STYLE = "Names"  # toolkit/render/docx.py keeps the names of runs in this style whole
_FIXED_STYLES = (
    '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
    '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>'
    '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
    '<w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar>'
    '<w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
    '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr>'
    "</w:style>"
    '<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/>'
    "<w:semiHidden/></w:style>"
    # 姓名: a name or a list of names, as class="names" in the HTML: the Word renderer puts
    # WORD JOINERs inside each name so no line breaks there (toolkit/render/docx.py). Its
    # East Asian language is zxx (no linguistic content): LibreOffice's Chinese line breaking
    # ignores U+2060 between ideographs, its default one does not (nor is a name spell-checked).
    f'<w:style w:type="character" w:customStyle="1" w:styleId="{NAMES_STYLE}">'
    '<w:name w:val="姓名"/><w:basedOn w:val="DefaultParagraphFont"/><w:qFormat/>'
    '<w:rPr><w:lang w:eastAsia="zxx"/></w:rPr></w:style>'
)


def _paragraph_style(sid: str, name: str, role: str, size: float, ppr: str) -> str:
    normal = sid == "Normal"
    head = ' w:default="1"' if normal else ""
    custom = "0" if sid in _BUILTIN else "1"
    based = "" if normal else '<w:basedOn w:val="Normal"/>'
    return (
        f'<w:style w:type="paragraph"{head} w:customStyle="{custom}" w:styleId="{sid}">'
        f'<w:name w:val="{name}"/>{based}<w:qFormat/><w:pPr>{ppr}</w:pPr>'
        f"<w:rPr>{rfonts_xml(role)}{_size_xml(size)}</w:rPr></w:style>"
    )


def styles_xml() -> str:
    """Document defaults and the few styles the templates use, each naming its fonts."""
    defaults = (
        f'<w:docDefaults><w:rPrDefault><w:rPr>{rfonts_xml("body")}<w:kern w:val="2"/>'
        f"{_size_xml(XIAO_SI)}{_LANG}</w:rPr></w:rPrDefault>{PPR_DEFAULT}</w:docDefaults>"
    )
    styles = "".join(_paragraph_style(*spec) for spec in PARAGRAPH_STYLES)
    return f"<w:styles {nsdecls('w')}>{defaults}{styles}{_FIXED_STYLES}</w:styles>"


def font_table_xml() -> bytes:
    """word/fontTable.xml: the Latin font and each Chinese font with its fallback, GB2312."""
    fonts = [
        f'<w:font w:name="{LATIN}"><w:panose1 w:val="02020603050405020304"/>'
        '<w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/>'
        "</w:font>"
    ]
    for name, (alt, panose, family, pitch) in FONT_TABLE.items():
        fonts.append(
            f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:panose1 w:val="{panose}"/>'
            f'<w:charset w:val="86"/><w:family w:val="{family}"/><w:pitch w:val="{pitch}"/>'
            '<w:sig w:usb0="00000001" w:usb1="080E0000" w:usb2="00000010" w:usb3="00000000" '
            'w:csb0="00040000" w:csb1="00000000"/></w:font>'
        )
    xml = f"<w:fonts {nsdecls('w')}>{''.join(fonts)}</w:fonts>"
    return etree.tostring(
        etree.fromstring(xml), xml_declaration=True, encoding="UTF-8", standalone=True
    )


def _set_settings(doc: DocxDocument) -> None:
    settings = doc.settings.element
    for rsids in settings.findall(qn("w:rsids")):
        settings.remove(rsids)
    lang = settings.find(qn("w:themeFontLang"))
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    # python-docx's template says Word 2010 (14): current Word would open every document in
    # 兼容模式. 15 is Word 2013 and later.
    for setting in settings.iter(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), COMPATIBILITY_MODE)


def _set_properties(doc: DocxDocument, title: str) -> None:
    props = doc.core_properties
    props.title = title
    props.author = "liaison"
    props.comments = "由 tools/make_templates.py 生成的 docxtpl 模板"
    props.last_modified_by = "liaison"
    props.created = props.modified = dt.datetime(2024, 1, 1)
    app = doc.part.package.part_related_by(RT.EXTENDED_PROPERTIES)
    app._blob = (  # python-docx's own app.xml names another application
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'extended-properties"><Application>liaison</Application></Properties>'
    )


def set_page(section: Section, landscape: bool) -> None:
    """A4 with the form margins; header and footer distances inside the margins."""
    top, right, bottom, left = LANDSCAPE_MARGINS if landscape else PORTRAIT_MARGINS
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width = Twips(A4_LONG if landscape else A4_SHORT)
    section.page_height = Twips(A4_SHORT if landscape else A4_LONG)
    section.top_margin, section.right_margin = Twips(top), Twips(right)
    section.bottom_margin, section.left_margin = Twips(bottom), Twips(left)
    section.header_distance, section.footer_distance = Twips(567), Twips(454)
    grid = section._sectPr.find(qn("w:docGrid"))
    grid.set(qn("w:linePitch"), "312")


# ── paragraphs and runs ──────────────────────────────────────────────────────────────────────


def add_run(
    par: Paragraph,
    text: str,
    role: str = "body",
    size: float = XIAO_SI,
    *,
    underline: bool = False,
    spacing: int = 0,
) -> None:
    """One run with explicit fonts for its role (ascii/hAnsi/cs Latin, eastAsia by role).

    rPr children in schema order: rFonts, spacing, sz, szCs, u.
    """
    rpr = par.add_run(text)._r.get_or_add_rPr()
    rpr.append(w(rfonts_xml(role)))
    if spacing:
        rpr.append(w(f'<w:spacing w:val="{spacing}"/>'))
    half = round(size * 2)
    rpr.append(w(f'<w:sz w:val="{half}"/>'))
    rpr.append(w(f'<w:szCs w:val="{half}"/>'))
    if underline:
        rpr.append(w('<w:u w:val="single"/>'))


def add_text(
    par: Paragraph, text: str, role: str = "body", size: float = XIAO_SI, **kw: object
) -> None:
    """Text with Jinja tags: every tag becomes a run of its own, literal text the runs between."""
    for piece in _TAG.split(text):
        if piece:
            add_run(par, piece, role, size, **kw)  # type: ignore[arg-type]


def add_names(par: Paragraph, text: str, role: str = "body", size: float = XIAO_SI) -> None:
    """A name or a list of names (Jinja text allowed) as one run in the 姓名 style, so the Word
    renderer sees the whole value, as the PDF's class="names" does (one name item may run on
    into what follows it: “余飞国（12名）” is kept whole in both)."""
    add_run(par, text, role, size)
    rpr = par.runs[-1]._r.get_or_add_rPr()
    rpr.insert(0, w(f'<w:rStyle w:val="{NAMES_STYLE}"/>'))


def add_blank(par: Paragraph, width: int, role: str = "body", size: float = XIAO_SI) -> None:
    """An underlined blank `width` characters wide, to write on by hand."""
    add_run(par, BLANK * width, role, size, underline=True)


def add_field_or_blank(
    par: Paragraph,
    expr: str,
    width: int,
    role: str = "body",
    size: float = XIAO_SI,
    blank: Callable[[Paragraph], None] | None = None,
) -> None:
    """The value of `expr`, or when it is empty an underlined blank (or what `blank` writes)."""
    add_run(par, f"{{% if {expr} %}}", role, size)
    add_run(par, f"{{{{ {expr} }}}}", role, size)
    add_run(par, "{% else %}", role, size)
    if blank is None:
        add_blank(par, width, role, size)
    else:
        blank(par)
    add_run(par, "{% endif %}", role, size)


def blank_date(role: str = "body", size: float = XIAO_SI) -> Callable[[Paragraph], None]:
    """A date to fill by hand: “　　　　年　　月　　日”."""

    def write(par: Paragraph) -> None:
        add_run(par, DATE_BLANK, role, size)

    return write


ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "both": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


def set_paragraph(
    par: Paragraph,
    align: str | None = None,
    before: int = 0,
    after: int = 0,
    line: float | None = None,
    exact: int | None = None,
    indent_chars: int = 0,
    style: str | None = None,
) -> Paragraph:
    """Style, alignment, spacing (twips), line spacing (a multiple, or `exact` twips)."""
    if style:
        par._p.get_or_add_pPr().style = style  # a style id of styles_xml()
    fmt = par.paragraph_format
    fmt.space_before, fmt.space_after = Twips(before), Twips(after)
    if exact:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Twips(exact)
    elif line:
        fmt.line_spacing = line
    if indent_chars:
        fmt.first_line_indent = Twips(indent_chars * XIAO_SI * 20)
    if align:
        fmt.alignment = ALIGN[align]
    return par


def new_paragraph(doc: DocxDocument, **kw: object) -> Paragraph:
    return set_paragraph(doc.add_paragraph(), **kw)  # type: ignore[arg-type]


def add_title(doc: DocxDocument, text: str, size: float = ER, after: int = 240) -> Paragraph:
    par = new_paragraph(doc, style="Title", align="center", after=after)
    add_text(par, text, "title", size)
    return par


def end_after_table(doc: DocxDocument) -> Paragraph:
    """A Word body cannot end with a table: Word and LibreOffice add an empty 小四 paragraph after
    it, which takes a page of its own when the table fills the last one. This one is 1 pt."""
    par = new_paragraph(doc, exact=20)
    add_run(par, "", size=1)
    return par


def bottom_border(par: Paragraph) -> None:
    """A ruled line under the paragraph (consecutive ones get a line each via w:between)."""
    line = 'w:val="single" w:sz="4" w:space="1" w:color="000000"'
    ppr = par._p.get_or_add_pPr()
    style = ppr.find(qn("w:pStyle"))
    ppr.insert(
        1 if style is not None else 0, w(f"<w:pBdr><w:bottom {line}/><w:between {line}/></w:pBdr>")
    )


# ── tables ───────────────────────────────────────────────────────────────────────────────────


# Half a 0.5pt rule, in twips. The PDF's tables collapse their borders, and a cell's text is
# narrower than its column by its padding and half the rule on either side; Word and LibreOffice
# take only the cell margins off. So a bordered cell's margins are its CSS padding and this: a
# column of exactly 11 characters (the register's 反映内容) held 11 a line in Word, 10 in the PDF.
HALF_RULE = 5


def new_table(
    doc: DocxDocument,
    widths: Iterable[int],
    borders: bool = True,
    margins: tuple[int, int] = (68, 113),
    line_height: float | None = 1.4,
    label_padding: int = 57,
) -> Table:
    """A centred, fixed-layout table with the given column widths (twips) and 0.5 pt borders;
    by default as base.css's table.form: cell padding 1.2 mm × 2 mm (`margins`, vertical and
    horizontal, twips), 1 mm at the sides of a label (`label_padding`), lines 1.4 times the type.

    `line_height`: the CSS line-height of its cells (1.35 …): each cell paragraph then has exactly
    that many times its type size as line spacing, so a row is as tall as in the PDF whatever
    the metrics of the font drawing it (Word's single spacing is the font's own height)."""
    widths = list(widths)
    table = doc.add_table(rows=0, cols=len(widths))
    tbl_pr = table._tbl.tblPr
    for child in list(tbl_pr):
        tbl_pr.remove(child)
    vertical, horizontal = margins
    rule = HALF_RULE if borders else 0
    horizontal += rule
    line = 'w:val="single" w:sz="4" w:space="0" w:color="000000"' if borders else 'w:val="nil"'
    edges = "".join(
        f"<w:{e} {line}/>" for e in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    for xml in (
        f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/>',
        '<w:jc w:val="center"/>',
        f"<w:tblBorders>{edges}</w:tblBorders>",
        '<w:tblLayout w:type="fixed"/>',
        f'<w:tblCellMar><w:top w:w="{vertical}" w:type="dxa"/><w:left w:w="{horizontal}" '
        f'w:type="dxa"/><w:bottom w:w="{vertical}" w:type="dxa"/><w:right '
        f'w:w="{horizontal}" w:type="dxa"/></w:tblCellMar>',
        '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" '
        'w:lastColumn="0" w:noHBand="0" w:noVBand="0"/>',
    ):
        tbl_pr.append(w(xml))
    for col, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
        col.w = Twips(width)
    table._widths = widths  # type: ignore[attr-defined]
    table._line_height = line_height  # type: ignore[attr-defined]
    table._padding = 0  # type: ignore[attr-defined]
    table._label_padding = label_padding + rule  # type: ignore[attr-defined]
    return table


def add_row(
    table: Table,
    height: int = 0,
    exact: bool = False,
    header: bool = False,
    cant_split: bool = False,
) -> _Row:
    """A row with each cell's width set; height in twips is a minimum unless `exact`."""
    row = table.add_row()
    tr_pr = row._tr.get_or_add_trPr()
    if cant_split:
        tr_pr.append(w("<w:cantSplit/>"))
    if height:
        rule = "exact" if exact else "atLeast"
        tr_pr.append(w(f'<w:trHeight w:val="{height}" w:hRule="{rule}"/>'))
    if header:
        tr_pr.append(w("<w:tblHeader/>"))
    for cell, width in zip(row.cells, table._widths, strict=True):  # type: ignore[attr-defined]
        cell.width = Twips(width)
    return row


def span(row: _Row, first: int, last: int) -> _Cell:
    """Cells first..last of a row merged into one (a gridSpan)."""
    cell = row.cells[first].merge(row.cells[last]) if last > first else row.cells[first]
    return cell


def cell_paragraph(
    cell: _Cell,
    align: str = "left",
    valign: str = "center",
    style: str = "TableText",
) -> Paragraph:
    """A new paragraph at the end of the cell, aligned; the cell vertically aligned."""
    tc_pr = cell._tc.get_or_add_tcPr()
    for old in tc_pr.findall(qn("w:vAlign")):
        tc_pr.remove(old)
    tc_pr.append(w(f'<w:vAlign w:val="{valign}"/>'))
    par = cell.paragraphs[-1]
    if par.runs or par._p.pPr is not None:  # only the cell's first, untouched paragraph is reused
        par = cell.add_paragraph()
    return set_paragraph(par, align=align, style=style)


def _table_line(cell: _Cell, par: Paragraph, size: float) -> Paragraph:
    """The line spacing its table asks for (`new_table(line_height=…)`), for `size` points."""
    factor = getattr(cell._parent, "_line_height", None)
    padding = getattr(cell._parent, "_padding", 0)
    if factor:
        set_paragraph(par, before=padding, after=padding, exact=round(size * factor * 20))
    return par


def label(cell: _Cell, text: str, size: float = XIAO_SI) -> None:
    """A 黑体 label, centred, with its table's label padding at either side (base.css's th and
    td.label: 1 mm), so “工作单位及职务” fits the cell the PDF gives it."""
    par = _table_line(cell, cell_paragraph(cell, "center", style="TableLabel"), size)
    add_text(par, text, "label", size)
    tc_pr = cell._tc.get_or_add_tcPr()
    side = getattr(cell._parent, "_label_padding", 57)
    if tc_pr.find(qn("w:tcMar")) is None:  # schema order: tcW, gridSpan, vMerge, tcBorders, …
        margins = w(
            f'<w:tcMar><w:left w:w="{side}" w:type="dxa"/>'
            f'<w:right w:w="{side}" w:type="dxa"/></w:tcMar>'
        )
        anchor = tc_pr.find(qn("w:vAlign"))
        tc_pr.insert(list(tc_pr).index(anchor), margins)


def value(
    cell: _Cell,
    text: str,
    size: float = XIAO_SI,
    align: str = "left",
    valign: str = "center",
    *,
    names: bool = False,
) -> Paragraph:
    """A value cell's text; `names`: a name or a list of names (the HTML's td.names)."""
    par = _table_line(cell, cell_paragraph(cell, align, valign), size)
    (add_names if names else add_text)(par, text, "body", size)
    return par


def names(text: str) -> Callable[[_Cell], None]:
    """A form_rows value that is a name or a list of names."""

    def write(cell: _Cell) -> None:
        value(cell, text, names=True)

    return write


def form_rows(table: Table, rows: list[tuple]) -> None:
    """Rows of a 4-column form grid: (label, value) pairs, or (label, value, height) spanning 3.

    A value is Jinja text, or a callable writing into the value cell.
    """
    for spec in rows:
        if len(spec) == 4:
            row = add_row(table, 567)
            _pair(row.cells[0], row.cells[1], spec[0], spec[1])
            _pair(row.cells[2], row.cells[3], spec[2], spec[3])
        else:
            name, content, height = spec
            row = add_row(table, height)
            _pair(
                row.cells[0],
                span(row, 1, 3),
                name,
                content,
                valign="top" if height > 700 else "center",
            )


def _pair(
    label_cell: _Cell, value_cell: _Cell, name: str, content: object, valign: str = "center"
) -> None:
    label(label_cell, name)
    if callable(content):
        content(value_cell)
    else:
        value(value_cell, str(content), valign=valign)


# ── pieces shared by the forms ───────────────────────────────────────────────────────────────

SATISFACTION = ("满意", "基本满意", "不满意")
CHECKED, UNCHECKED = "■", "□"  # both in GB2312 and in every shipped PDF font


def satisfaction_boxes(field: str = "群众满意度") -> Callable[[_Cell], None]:
    """□满意　□基本满意　□不满意, the chosen one filled (■)."""

    def write(cell: _Cell) -> None:
        par = cell_paragraph(cell)
        for i, option in enumerate(SATISFACTION):
            if i:
                add_run(par, BLANK * 3)
            add_run(par, f"{{{{ '{CHECKED}' if {field} == '{option}' else '{UNCHECKED}' }}}}")
            add_run(par, option)

    return write


def field_or_blank(expr: str, width: int = 8, date: bool = False) -> Callable[[_Cell], None]:
    def write(cell: _Cell) -> None:
        add_field_or_blank(cell_paragraph(cell), expr, width, blank=blank_date() if date else None)

    return write


def signature_line(
    doc: DocxDocument, items: list[tuple[str, int | str]], before: int = 360, align: str = "left"
) -> Paragraph:
    """签名：＿＿＿＿　　日期：　　年　月　日 — labels with blanks (int) or literal text (str)."""
    par = new_paragraph(doc, align=align, before=before, line=1.5)
    for i, (name, blank) in enumerate(items):
        if i:
            add_run(par, BLANK * 2)
        add_run(par, name, "label")
        if isinstance(blank, int):
            add_blank(par, blank)
        else:
            add_text(par, blank)
    return par


def number_line(doc: DocxDocument, left: str | None = None) -> Paragraph:
    """联络站：……（left）and 编号：…… on one line, the number pushed to the right by a tab."""
    par = new_paragraph(doc, after=80)
    par.paragraph_format.tab_stops.add_tab_stop(Twips(PORTRAIT_WIDTH), alignment=2)
    if left:
        add_run(par, "联络站：", "label")
        add_text(par, left)
    add_run(par, "\t")
    add_run(par, "编号：", "label")
    add_field_or_blank(par, "登记编号", 6)
    return par


def save(doc: DocxDocument, path: Path) -> None:
    """Write the document with fixed zip time stamps, so reruns give the same bytes."""
    buffer = io.BytesIO()
    doc.save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, FIXED_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(member, src.read(info))
    path.write_bytes(out.getvalue())


# ── the forms ────────────────────────────────────────────────────────────────────────────────


def form_table(doc: DocxDocument, form_id: str) -> Table:
    """The 4-column form grid (label, value, label, value) of the form's template.html."""
    return new_table(doc, columns(form_id))


def reception_form() -> DocxDocument:
    """代表接待选民登记表: one A4 portrait page per reception."""
    doc = new_document("代表接待选民登记表")
    add_title(doc, "{{ 表单名称 }}")
    number_line(doc, "{{ 联络站 }}")
    form_rows(
        form_table(doc, "reception_form"),
        [
            ("接待日期", "{{ 接待日期 }}", "接待代表", names("{{ 接待代表 }}")),
            ("来 访 人", names("{{ 来访人 }}"), "联系电话", "{{ 联系电话 }}"),
            ("住　　址", "{{ 住址 }}", 567),
            ("来访人数", "{{ 来访人数 }}", "问题类别", "{{ 问题类别 }}"),
            ("反映内容", "{{ 反映内容 }}", 3628),
            ("现场答复", "{{ 现场答复 }}", 1134),
            ("处理方式", "{{ 处理方式 }}", "承办单位", "{{ 承办单位 }}"),
            ("办理时限", "{{ 办理时限 }}", "反馈日期", "{{ 反馈日期 }}"),
            ("办理结果", "{{ 办理结果 }}", 1134),
            ("群众满意度", satisfaction_boxes(), 567),
        ],
    )
    signature_line(doc, [("接待代表签名：", 12), ("登记人：", 8)], before=480)
    signature_line(doc, [("日期：", DATE_BLANK)], before=240, align="right")
    return doc


def handoff_slip() -> DocxDocument:
    """群众意见建议交办单: one A4 portrait page per reception handed on."""
    doc = new_document("群众意见建议交办单")
    add_title(doc, "{{ 表单名称 }}")
    number_line(doc)
    form_rows(
        form_table(doc, "handoff_slip"),
        [
            ("联 络 站", "{{ 联络站 }}", 567),
            ("接待日期", "{{ 接待日期 }}", "接待代表", names("{{ 接待代表 }}")),
            ("来 访 人", names("{{ 来访人 }}"), "联系电话", "{{ 联系电话 }}"),
            ("反映内容", "{{ 反映内容 }}", 5103),
            ("处理方式", "{{ 处理方式 }}", "承办单位", "{{ 承办单位 }}"),
            ("办理时限", field_or_blank("办理时限", date=True), 567),
            ("交办意见", "", 1701),
        ],
    )
    signature_line(doc, [("交办人签名：", 10), ("交办日期：", DATE_BLANK)], before=480)
    handoff_note(doc)
    return doc


def handoff_note(doc: DocxDocument) -> None:
    """注：请承办单位于（办理时限）前将办理情况反馈联络站（联系电话：……）。"""
    par = new_paragraph(doc, before=480, line=1.5, indent_chars=2, style="Note")
    add_run(par, "请承办单位于", "kai")
    add_field_or_blank(par, "办理时限", 0, "kai", blank=blank_date("kai"))
    add_run(par, "前将办理情况及结果书面反馈至", "kai")
    add_text(par, "{{ 联络站 }}", "kai")
    add_text(par, "{% if 站点.联系电话 %}（联系电话：{{ 站点.联系电话 }}）{% endif %}", "kai")
    add_run(par, "，并填写《群众意见建议办理反馈单》一并报送。", "kai")


def ruled_result(cell: _Cell) -> None:
    """办理结果 when the workbook has it, else ruled lines to write on."""
    for text in ("{%p if 办理结果 %}", "{{ 办理结果 }}", "{%p else %}"):
        value(cell, text, valign="top")
    for _ in range(7):
        par = cell_paragraph(cell, valign="top")
        set_paragraph(par, exact=567)
        bottom_border(par)
    value(cell, "{%p endif %}", valign="top")


def feedback_slip() -> DocxDocument:
    """群众意见建议办理反馈单: one A4 portrait page per reception handed on."""
    doc = new_document("群众意见建议办理反馈单")
    add_title(doc, "{{ 表单名称 }}")
    number_line(doc)
    form_rows(
        form_table(doc, "feedback_slip"),
        [
            ("承办单位", "{{ 承办单位 }}", 567),
            ("接待日期", "{{ 接待日期 }}", "办理时限", field_or_blank("办理时限", date=True)),
            ("内容摘要", "{{ 反映内容|truncate(200, true, '……', 0) }}", 2835),
            ("办理结果", ruled_result, 4422),
            ("反馈日期", field_or_blank("反馈日期", date=True), 567),
            ("群众满意度", satisfaction_boxes(), 567),
        ],
    )
    signature_line(doc, [("承办单位负责人签名：", 8), ("经办人签名：", 8)], before=480)
    stamp = new_paragraph(doc, align="right", before=720, line=1.5)
    add_run(stamp, "承办单位（盖章）" + BLANK * 2, "label")
    date = new_paragraph(doc, align="right", before=240, line=1.5)
    add_run(date, DATE_BLANK + BLANK)
    return doc


# ── the register (landscape: a cover, then the table) ───────────────────────────────────────

# Header and field of each column; their widths are the <colgroup> of the form's template.html.
REGISTER_COLUMNS = (
    "序号",
    "接待日期",
    "接待代表",
    "来访人",
    "联系电话",
    "住址",
    "反映内容",
    "问题类别",
    "处理方式",
    "承办单位",
    "办理结果",
    "群众满意度",
)
CENTRED = {"序号", "接待日期", "来访人", "问题类别", "群众满意度"}
NAMED = {"接待代表", "来访人"}  # td.names
STATION_LINES = (
    ("地　　址", "站点.地址"),
    ("接 待 日", "站点.接待日"),
    ("负 责 人", "站点.负责人"),
    ("联系电话", "站点.联系电话"),
)
FIGURES = ("接待次数", "来访人数", "交办件数", "办结件数", "满意件数")


def reception_register() -> DocxDocument:
    """接待选民登记簿: a cover with the station and the period's figures, then the register."""
    doc = new_document("接待选民登记簿", landscape=True)
    register_cover(doc)
    section = doc.add_section()
    set_page(section, landscape=True)
    restart_numbering(section)
    register_header(section)
    page_number_footer(section)
    anchor = new_paragraph(doc, exact=40)  # LibreOffice hangs the new page style on a paragraph
    add_run(anchor, "", size=2)
    register_table(doc)
    return doc


def register_cover(doc: DocxDocument) -> None:
    add_title(doc, "{{ 联络站 }}", ER, after=360).paragraph_format.space_before = Twips(567)
    big = new_paragraph(doc, style="Title", align="center", after=360)
    add_text(big, "{{ 表单名称 }}", "title", 36, spacing=160)
    period = new_paragraph(doc, align="center", after=480)
    add_text(period, "（{{ 期间 }}）", "kai", SAN)
    station_table(doc)
    caption = new_paragraph(doc, align="center", before=480, after=120)
    add_run(caption, "本 期 接 待 情 况", "label", SI)
    figures = new_table(doc, [1600] * len(FIGURES))
    heads, values = add_row(figures, 567), add_row(figures, 680)
    for i, name in enumerate(FIGURES):
        label(heads.cells[i], name)
        value(values.cells[i], f"{{{{ 统计.{name} }}}}", SI, align="center")


def station_table(doc: DocxDocument) -> None:
    """The station's address, reception day, manager and phone: a line each when present."""
    table = new_table(doc, (2000, 6000), borders=False, margins=(85, 113), line_height=1.5)
    for name, expr in STATION_LINES:
        value(add_row(table).cells[0], f"{{%tr if {expr} %}}")
        row = add_row(table, 560)
        name_par = cell_paragraph(row.cells[0], "right", style="TableLabel")
        add_text(name_par, name + "：", "label", SI)
        value(row.cells[1], f"{{{{ {expr} }}}}", SI)
        underline_cell(row.cells[1])
        value(add_row(table).cells[0], "{%tr endif %}")


def underline_cell(cell: _Cell) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    borders = w(
        '<w:tcBorders><w:bottom w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        "</w:tcBorders>"
    )
    tc_pr.insert(list(tc_pr).index(tc_pr.find(qn("w:vAlign"))), borders)


def restart_numbering(section: Section) -> None:
    """Page numbers of the register start at 1 after the cover."""
    sect = section._sectPr
    sect.insert(list(sect).index(sect.find(qn("w:cols"))), w('<w:pgNumType w:start="1"/>'))


def register_header(section: Section) -> None:
    section.header.is_linked_to_previous = False
    par = section.header.paragraphs[0]
    set_paragraph(par, align="right", style="Header")
    add_text(par, "{{ 联络站 }}　{{ 表单名称 }}（{{ 期间 }}）", "kai", WU)


def page_number_footer(section: Section) -> None:
    """— 1 —, by a PAGE field (no Jinja in the footer)."""
    section.footer.is_linked_to_previous = False
    par = set_paragraph(section.footer.paragraphs[0], align="center", style="Footer")
    add_page_number(par, WU)


def add_page_number(par: Paragraph, size: float) -> None:
    """“— n —” in the 宋体 role: the page number as a PAGE field between two dashes."""
    add_run(par, "— ", "song", size)
    for xml in (
        '<w:fldChar w:fldCharType="begin"/>',
        '<w:instrText xml:space="preserve"> PAGE </w:instrText>',
        '<w:fldChar w:fldCharType="separate"/>',
        "<w:t>1</w:t>",
        '<w:fldChar w:fldCharType="end"/>',
    ):
        add_run(par, "", "song", size)
        par.runs[-1]._r.append(w(xml))
    add_run(par, " —", "song", size)


def register_table(doc: DocxDocument) -> None:
    """The header row repeated on every page, then one row per record (a docxtpl row loop)."""
    widths = columns("reception_register", width=LANDSCAPE_WIDTH)
    # as table.register: th 9 mm high, 0.5 mm at the sides; td 1.2 mm × 1 mm, height auto
    table = new_table(doc, widths, margins=(68, 57), line_height=1.35, label_padding=28)
    heads = add_row(table, 510, header=True, cant_split=True)
    for cell, name in zip(heads.cells, REGISTER_COLUMNS, strict=True):
        label(cell, name, 10)
    value(add_row(table).cells[0], "{%tr for r in 记录 %}", WU)
    # kept on one page, as table.register's rows; one that may not fit a page is let split
    # when rendered (toolkit/render/docx.py), or Word would cut it off at the page's foot
    row = add_row(table, cant_split=True)
    for cell, field in zip(row.cells, REGISTER_COLUMNS, strict=True):
        align = "center" if field in CENTRED else "left"
        value(cell, f"{{{{ r.{field} }}}}", 10, align=align, names=field in NAMED)
    value(add_row(table).cells[0], "{%tr endfor %}", WU)
    end_after_table(doc)


# ── checking and writing ─────────────────────────────────────────────────────────────────────

BUILDERS: dict[str, Callable[[], DocxDocument]] = {
    "reception_form": reception_form,
    "reception_register": reception_register,
    "handoff_slip": handoff_slip,
    "feedback_slip": feedback_slip,
}


def verify(path: Path) -> None:
    """Reopen with python-docx, parse every part strictly, find each Jinja tag whole in a run."""
    Document(str(path))
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.endswith(".xml"):
                root = etree.fromstring(archive.read(name))
                for text in root.iter(qn("w:t")):
                    _check_tags(text.text or "", f"{path}:{name}")


def _check_tags(text: str, where: str) -> None:
    rest = _TAG.sub("", text)
    if any(mark in rest for mark in ("{{", "}}", "{%", "%}")):
        raise SystemExit(f"{where}: a Jinja tag is split across runs: {text!r}")


def _family_builders() -> dict[str, Callable[[], DocxDocument]]:
    """The builders kept in the families' own modules (tools/templates_*.py). Imported here,
    at run time, because they import this module's helpers."""
    from templates_books import BUILDERS as BOOKS
    from templates_duty import BUILDERS as DUTY
    from templates_evaluation import annual_assessment
    from templates_meetings import BUILDERS as MEETINGS
    from templates_proposals import BUILDERS as PROPOSALS
    from templates_statistics import BUILDERS as STATISTICS

    return {
        "annual_assessment": annual_assessment,
        **MEETINGS,
        **DUTY,
        **PROPOSALS,
        **BOOKS,
        **STATISTICS,
    }


def main(argv: list[str]) -> int:
    BUILDERS.update(_family_builders())
    wanted = argv or list(BUILDERS)
    for form_id in wanted:
        if form_id not in BUILDERS:
            print(f"unknown form {form_id!r}; known: {', '.join(BUILDERS)}", file=sys.stderr)
            return 2
        path = FORMS / form_id / "template.docx"
        save(BUILDERS[form_id](), path)
        verify(path)
        print(f"wrote {path.relative_to(FORMS.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
