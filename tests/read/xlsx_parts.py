"""Workbooks written part by part, for what openpyxl never writes: shared strings with rich text
and phonetic runs, prefixed XML names, cells without a reference, error and ISO-date cells,
the East Asian built-in date formats, a 1904 workbook, a stored dimension that lies."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"

FORMATS = [
    'yyyy"年"m"月"d"日"',
    "[$-F800]dddd, mmmm dd, yyyy",
    "yyyy/m/d;@",
    "[h]:mm:ss",
    "0.00_ ",
    '#,##0"人"',
    "@",
    "[Red]0.00",
    "mm:ss.0",
    "h:mm AM/PM",
    "General",
    '"d"0',
    '[DBNum1][$-804]yyyy"年"m"月"d"日"',
    "000-0000-0000",
    "e",
    'a"m"0',
]
BUILTINS = [14, 22, 31, 46, 58, 0, 49, 20, 45, 47, 57, 27]
STYLES = 1 + len(FORMATS) + len(BUILTINS)
# Serial numbers under every style. Negative ones are left out of the comparison with
# python-calamine on purpose: it makes 00:00 of them, the stream reader keeps the number.
VALUES = [
    "45356",
    "45356.4375",
    "0.4375",
    "1",
    "0",
    "59",
    "60",
    "61",
    "1.5",
    "2958466",
    "0.999999999",
]
STRINGS = [
    "<si><t>接待选民登记</t></si>",
    "<si><r><rPr><b/></rPr><t>接待</t></r><r><t>日期</t></r></si>",
    '<si><t xml:space="preserve">  来访人 </t><rPh sb="0" eb="2"><t>らいほう</t></rPh></si>',
    "<si><t>A&amp;B &lt;x&gt; {{7*7}} =1+1 _x000B_</t></si>",
]


def column(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def styles_xml() -> str:
    formats = "".join(
        f'<numFmt numFmtId="{164 + i}" formatCode="{code.replace(chr(34), "&quot;")}"/>'
        for i, code in enumerate(FORMATS)
    )
    xfs = (
        ['<xf numFmtId="0"/>']
        + [f'<xf numFmtId="{164 + i}"/>' for i in range(len(FORMATS))]
        + [f'<xf numFmtId="{b}"/>' for b in BUILTINS]
    )
    return (
        f'<styleSheet xmlns="{MAIN}"><numFmts count="{len(FORMATS)}">{formats}</numFmts>'
        f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs></styleSheet>'
    )


def edge_sheet(p: str = "", values: list[str] = VALUES) -> str:
    """Every kind of cell, then every value under every style; `p` is a name prefix ("x:")."""
    rows = [
        f'<{p}row r="1"><{p}c r="A1" t="s"><{p}v>0</{p}v></{p}c></{p}row>',
        f'<{p}row r="3"><{p}c r="B3" t="s"><{p}v>1</{p}v></{p}c>'
        f'<{p}c t="s"><{p}v>2</{p}v></{p}c>'  # no reference: the next column
        f'<{p}c r="E3" t="inlineStr"><{p}is><{p}r><{p}t>富</{p}t></{p}r>'
        f'<{p}r><{p}t xml:space="preserve"> 文本 </{p}t></{p}r>'
        f'<{p}rPh sb="0" eb="1"><{p}t>フリ</{p}t></{p}rPh></{p}is></{p}c>'
        f'<{p}c r="F3" t="str"><{p}f>A1</{p}f><{p}v>公式&amp;结果</{p}v></{p}c>'
        f'<{p}c r="G3" t="e"><{p}v>#DIV/0!</{p}v></{p}c>'
        f'<{p}c r="H3" t="b"><{p}v>0</{p}v></{p}c>'
        f'<{p}c r="I3" t="d"><{p}v>2024-03-05T10:30:00</{p}v></{p}c>'
        f'<{p}c r="J3" t="d"><{p}v>2024-03-05</{p}v></{p}c>'
        f'<{p}c r="L3" t="s"><{p}v>3</{p}v></{p}c>'
        f'<{p}c r="M3"><{p}f>1+1</{p}f></{p}c>'  # a formula never calculated
        f'<{p}c r="N3" s="1"/></{p}row>',
    ]
    r = 5
    for style in range(STYLES):
        cells = "".join(
            f'<{p}c r="{column(j)}{r}" s="{style}"><{p}v>{v}</{p}v></{p}c>'
            for j, v in enumerate(values)
        )
        rows.append(f'<{p}row r="{r}">{cells}</{p}row>')
        r += 1
    rows.append(f'<{p}row><{p}c r="C{r}"><{p}v>7</{p}v></{p}c></{p}row>')  # no row number
    rows.append(
        f'<{p}row r="{r + 3}"><{p}c r="A{r + 3}" t="inlineStr"><{p}is>'
        f"<{p}t>_x000B_控制&#10;换行 _x005F_x0041_</{p}t></{p}is></{p}c></{p}row>"
    )
    merges = (
        f'<{p}mergeCells count="2"><{p}mergeCell ref="A1:D2"/><{p}mergeCell ref="B5:B7"/>'
        f"</{p}mergeCells>"
    )
    ns = f'xmlns{":" + p[:-1] if p else ""}="{MAIN}"'
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><{p}worksheet {ns}>'
        f'<{p}dimension ref="A1:B2"/><{p}sheetData>{"".join(rows)}</{p}sheetData>{merges}'
        f"</{p}worksheet>"
    )


def strings_xml(items: list[str] = STRINGS, p: str = "") -> str:
    body = "".join(items)
    if p:
        body = re.sub(r"<(/?)(si|t|r|rPh|rPr|b)\b", rf"<\1{p}\2", body)
    ns = f'xmlns{":" + p[:-1] if p else ""}="{MAIN}"'
    return f'<{p}sst {ns} count="{len(items)}" uniqueCount="{len(items)}">{body}</{p}sst>'


def write_book(
    path: Path,
    sheets: dict[str, str],
    strings: str | None = None,
    styles: str | None = None,
    date1904: bool = False,
) -> Path:
    """A workbook of the given sheet XML (title → XML), shared strings and styles."""
    entries = "".join(
        f'<sheet name="{title}" sheetId="{i + 1}" r:id="rId{i + 1}"/>'
        for i, title in enumerate(sheets)
    )
    pr = '<workbookPr date1904="1"/>' if date1904 else ""
    workbook = f'<workbook xmlns="{MAIN}" xmlns:r="{REL}">{pr}<sheets>{entries}</sheets></workbook>'
    rels = "".join(
        f'<Relationship Id="rId{i + 1}" Type="{REL}/worksheet" '
        f'Target="{"/xl/" if i % 2 else ""}worksheets/sheet{i + 1}.xml"/>'
        for i in range(len(sheets))
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/></Types>',
        )
        z.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" '
            f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        z.writestr("xl/workbook.xml", workbook)
        z.writestr(
            "xl/_rels/workbook.xml.rels", f'<Relationships xmlns="{PKG}">{rels}</Relationships>'
        )
        for i, xml in enumerate(sheets.values()):
            z.writestr(f"xl/worksheets/sheet{i + 1}.xml", xml)
        if styles:
            z.writestr("xl/styles.xml", styles)
        if strings:
            z.writestr("xl/sharedStrings.xml", strings)
    return path


_INLINE = re.compile(
    r'<c r="([A-Z]+\d+)"( s="\d+")? t="inlineStr"><is><t[^>]*>(.*?)</t></is></c>', re.S
)


def to_shared_strings(source: Path, target: Path) -> Path:
    """The same workbook with its text in a shared string table, as Excel and WPS save it
    (openpyxl writes each text into its cell)."""
    table: dict[str, int] = {}

    def shared(found: re.Match[str]) -> str:
        index = table.setdefault(found.group(3), len(table))
        return f'<c r="{found.group(1)}"{found.group(2) or ""} t="s"><v>{index}</v></c>'

    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                data = _INLINE.sub(shared, data.decode("utf-8")).encode("utf-8")
            new.writestr(info, data)
        items = [f'<si><t xml:space="preserve">{text}</t></si>' for text in table]
        new.writestr("xl/sharedStrings.xml", strings_xml(items))
    return target
