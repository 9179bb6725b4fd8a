"""Word: a docxtpl template prepared once, then rendered per record into a copy of its zip.

docxtpl's own `render()` re-reads the .docx and re-compiles the template for every document; here
each XML part that holds tags (body, headers, footers) is cleaned with docxtpl's `patch_xml` and
compiled once, and each document is the template's zip with those parts replaced, its core
properties (docProps/core.xml) too: the document's title, author and build time. docxtpl's
`resolve_listing` turns line breaks in values into Word line breaks, as docxtpl does. Values are
XML-escaped by the sandboxed environment; the result is known well-formed before it is written
(parsed, or vouched for by its skeleton: render/docx_skeleton.py), so a broken template fails
loudly instead of producing a file Word refuses.

Names are kept whole as the PDF keeps them (render/nobreak.py, class="names"): in every run of the
character style 姓名 (`Names`, tools/make_templates.py), each name of the list gets a WORD JOINER
(U+2060) between its characters, which Word and LibreOffice do not break at (the style's East
Asian language is zxx: LibreOffice's Chinese line breaking would ignore it). The cost: the text
of such a run is not the plain name to a program or a search; `plain_text()` gives it back, and
the tests read Word text through it.

A table row that must not split (w:cantSplit, as CSS's break-inside: avoid) but whose text may not
fit on a page is let split: Word would cut it off at the page's foot, and LibreOffice loses the
text of such a row under a repeated header row. Its height is estimated from its cells' widths,
type sizes and text (`row_height`), generously.
"""

from __future__ import annotations

import contextlib
import html
import itertools
import math
import re
import zipfile
import zlib
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import IO, Any, cast
from xml.parsers import expat
from xml.sax.saxutils import escape

from docxtpl import DocxTemplate
from jinja2 import Environment, Template

from ..errors import TemplateError
from . import UNDATED, DocumentInfo
from .docx_skeleton import Skeletons
from .docx_zip import PreparedZip
from .nobreak import NAME_ITEM
from .templating import describe_error, normalise_tags

_TAGGED = re.compile(r"\{[{%#]")
_PART_NAMES = re.compile(r"^word/(document|header\d*|footer\d*|footnotes)\.xml$")
CORE = "docProps/core.xml"
_CORE_NS = (
    'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
)


def core_properties(info: DocumentInfo) -> bytes:
    """docProps/core.xml: title, author (and last saved by), created and modified at `info`'s
    time. The template's own (the generator's fixed date) is not the document's."""
    title, author = escape(info.title), escape(info.author)
    when = f'xsi:type="dcterms:W3CDTF">{info.w3c}'
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        f"<cp:coreProperties {_CORE_NS}><dc:title>{title}</dc:title>"
        f"<dc:creator>{author}</dc:creator><cp:lastModifiedBy>{author}</cp:lastModifiedBy>"
        f"<cp:revision>1</cp:revision><dcterms:created {when}</dcterms:created>"
        f"<dcterms:modified {when}</dcterms:modified></cp:coreProperties>"
    ).encode()


WORD_JOINER = "\u2060"
NAMES_STYLE = "Names"
_NAMES_MARK = f'<w:rStyle w:val="{NAMES_STYLE}"/>'.encode()
_TEXT = re.compile(r"(<w:t(?:\s[^>]*)?>)([^<]*)(</w:t>)")
_RUN_OPENINGS = (b"<w:r>", b"<w:r ")  # not <w:rPr>, <w:rFonts> …


def keep_names_whole(xml: bytes) -> bytes:
    """WORD JOINERs inside each name of every run in the 姓名 style (values are escaped text).

    Each run is found from its style mark outwards (runs do not nest): a regular expression
    that looked for the runs had to try every run of the document, a quarter of a one-page
    form's time. The document is UTF-8 (searching it is several times faster than searching
    its text, which Chinese makes two bytes a character); only the runs are decoded."""

    def text(found: re.Match[str]) -> str:
        plain = html.unescape(found.group(2))
        joined = NAME_ITEM.sub(lambda name: WORD_JOINER.join(name.group(0)), plain)
        return found.group(1) + escape(joined) + found.group(3)

    pieces: list[bytes] = []
    done = 0
    mark = xml.find(_NAMES_MARK)
    while mark != -1:
        start = max(xml.rfind(opening, done, mark) for opening in _RUN_OPENINGS)
        end = xml.find(b"</w:r>", mark)
        if start == -1 or end == -1 or b"</w:r>" in xml[start:mark]:
            mark = xml.find(_NAMES_MARK, mark + 1)  # a mark outside a run: not a name's
            continue
        end += len(b"</w:r>")
        pieces += (xml[done:start], _TEXT.sub(text, xml[start:end].decode("utf-8")).encode())
        done = end
        mark = xml.find(_NAMES_MARK, done)
    pieces.append(xml[done:])
    return b"".join(pieces)


# Rows estimated taller than this (points) may split: less than the register's landscape text
# block under its header row (about 460pt), the shortest any form gives a row.
SPLIT_ABOVE = 400
_CANT_SPLIT = "<w:cantSplit/>"
_ROW = re.compile(r"<w:tr[ >](?:(?!<w:tr[ >]).)*?</w:tr>", re.S)
_CELL = re.compile(r"<w:tc>.*?</w:tc>", re.S)
_CELL_WIDTH = re.compile(r'<w:tcW [^>]*?w:w="(\d+)"')
_PARAGRAPH = re.compile(r"<w:p[ >].*?</w:p>", re.S)
_SIZE = re.compile(r'<w:sz w:val="(\d+)"')


def row_height(row: str) -> float:
    """A generous estimate of a table row's height in points (never less than it lays out to
    in our forms): each cell's paragraphs wrapped at its width less 12pt of padding, whole
    characters a line, each one em (0.6 for ASCII), lines 1.5 times the type, 12pt padding."""
    tallest = 0.0
    for cell in _CELL.findall(row):
        found = _CELL_WIDTH.search(cell)
        width = int(found.group(1)) / 20 if found else 0.0  # points
        height = 12.0
        for paragraph in _PARAGRAPH.findall(cell):
            size = max((int(v) / 2 for v in _SIZE.findall(paragraph)), default=12.0)
            text = html.unescape("".join(t for _, t, _ in _TEXT.findall(paragraph)))
            ems = sum(0.6 if ord(char) < 128 else 1.0 for char in text)
            per_line = max(1, math.floor((width - 12) / size))
            height += max(1, math.ceil(ems / per_line)) * size * 1.5
        tallest = max(tallest, height)
    return tallest


def let_tall_rows_split(xml: str) -> str:
    """Rows that must not split but may not fit on a page lose their w:cantSplit."""

    def row(found: re.Match[str]) -> str:
        text = found.group(0)
        if _CANT_SPLIT in text and row_height(text) > SPLIT_ABOVE:
            return text.replace(_CANT_SPLIT, "", 1)
        return text

    return _ROW.sub(row, xml)


def _cut(text: str) -> int:
    """Where a chunk of rendered XML may end: after a whole paragraph outside a table row, or
    after a whole row (the passes above work on whole paragraphs and rows); -1 for nowhere."""
    row_end = text.rfind("</w:tr>")
    after_row = row_end + len("</w:tr>") if row_end >= 0 else 0
    tail = text[after_row:]
    if re.search(r"<w:tr[ >]", tail):  # a row is open: end before it
        return after_row if row_end >= 0 else -1
    paragraph_end = tail.rfind("</w:p>")
    if paragraph_end >= 0:
        return after_row + paragraph_end + len("</w:p>")
    return after_row if row_end >= 0 else -1


def plain_text(text: str) -> str:
    """Word text as a reader reads it: without the WORD JOINERs that keep names whole."""
    return text.replace(WORD_JOINER, "")


EMU_PER_CM = 360000
_DRAWING = re.compile(r"<w:drawing>.*?</w:drawing>", re.S)
_DESCR = re.compile(r'<wp:docPr\b[^>]*\bdescr="图表\.([^"]+)"')
_EXTENT = re.compile(r'<wp:extent cx="(\d+)" cy="(\d+)"')
_EMBED = re.compile(r'r:embed="([^"]+)"')
_REL = re.compile(r"<Relationship\b[^>]*>")


def chart_slots(members: dict[str, bytes]) -> dict[str, list[tuple[str, tuple[int, int]]]]:
    """Chart name → the pictures (zip member, size in EMU) whose alternative text is
    图表.<name>: placeholders a document's chart (render/charts.py) is drawn into."""
    body = members.get("word/document.xml", b"").decode("utf-8", "replace")
    if "图表." not in body:
        return {}
    targets = {}
    for rel in _REL.findall(members.get("word/_rels/document.xml.rels", b"").decode("utf-8")):
        rid, target = re.search(r'Id="([^"]+)"', rel), re.search(r'Target="([^"]+)"', rel)
        if rid and target:
            targets[rid.group(1)] = "word/" + target.group(1).lstrip("/").removeprefix("word/")
    slots: dict[str, list[tuple[str, tuple[int, int]]]] = {}
    for drawing in _DRAWING.findall(body):
        name, extent, embed = (
            _DESCR.search(drawing),
            _EXTENT.search(drawing),
            _EMBED.search(drawing),
        )
        if name and extent and embed and targets.get(embed.group(1)) in members:
            size = (int(extent.group(1)), int(extent.group(2)))
            slots.setdefault(name.group(1), []).append((targets[embed.group(1)], size))
    return slots


def template_source(patcher: DocxTemplate, name: str, data: bytes) -> str | None:
    """The Jinja source of one XML part of a Word template, or None if it holds no tags.

    Full-width tags are normalised, docxtpl joins tags Word split over runs, and a marker
    newline goes before each paragraph (so a syntax error's line is its paragraph). The lint
    (`liaison forms check`) reads templates through this too, exactly as they are rendered.
    """
    if not _PART_NAMES.match(name):
        return None
    xml = normalise_tags(data.decode("utf-8"))
    if not _TAGGED.search(xml):
        return None
    xml = patcher.patch_xml(xml)
    # A newline after the XML declaration would make every document look like it needs
    # docxtpl's line-break pass.
    xml = re.sub(r"^(<\?xml[^>]*\?>)\s+", r"\1", xml)
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", xml)


# docxtpl's paragraphs (DocxTemplate.resolve_listing) and what its pass changes in them.
_LISTED_PARAGRAPH = re.compile(rb"<w:p(?: [^>]*)?>.*?</w:p>", re.S)
_LISTED = re.compile(b"[\t\a\n\f]")
# A part longer than this (characters) is streamed (a register); shorter, it is made whole.
LONG = 1 << 16
# zlib's level for rendered parts: a one-page form's body (24 KB) deflates in 55 µs instead of
# level 6's 125 µs, to 2.40 KB instead of 2.12 KB (the .docx: 10.3 KB instead of 10.0 KB). Levels
# 1 and 2 are no faster here. The template's other members are deflated once, at load, at 6.
LEVEL = 3


def _unmarked(text: str) -> bytes:
    """Rendered text in UTF-8 without the markers put before each <w:p at load (values are
    escaped, so none can fake one)."""
    return text.replace("\n<w:p", "<w:p").encode("utf-8")


class DocxRenderer:
    fmt = "docx"

    def __init__(self, path: Path, env: Environment, name: str) -> None:
        self.name = name
        members: list[tuple[str, bytes]] = []
        self.templates: dict[str, Template] = {}
        patcher = DocxTemplate(str(path))
        try:
            with zipfile.ZipFile(path) as archive:
                for info in archive.infolist():
                    data = archive.read(info)
                    members.append((info.filename, data))
                    source = template_source(patcher, info.filename, data)
                    if source is not None:
                        self.templates[info.filename] = env.from_string(source)
        except (zipfile.BadZipFile, OSError, UnicodeDecodeError) as exc:
            raise TemplateError(f"无法读取 Word 模板：{exc}", where=name) from None
        except Exception as exc:  # Jinja syntax errors, named for the clerk
            raise describe_error(exc, name) from None
        self._listing = patcher.resolve_listing
        self.checks = {name: Skeletons() for name in self.templates}
        self.zip = PreparedZip(members)
        self.chart_slots = chart_slots(dict(members))

    def render_part(self, name: str, context: dict[str, Any]) -> tuple[int, int, bytes]:
        """One XML part, through `_passes`, checked for well-formedness, checksummed and
        deflated. A part of up to LONG characters (a form) is made whole and its check is
        usually its skeleton's (render/docx_skeleton.py); a longer one (a register of thousands of
        rows) is streamed as whole paragraphs, parsed as it comes, so it never exists as one
        string (it cost ~100 MB)."""
        # Closed however this ends: a stream left open at an error here would keep its render
        # watched (render/templating.py) until the collector found it.
        made = cast(Generator[str, None, None], self.templates[name].generate(context))
        with contextlib.closing(made) as stream:
            chunks: list[str] = []
            buffered = 0
            for chunk in stream:
                chunks.append(chunk)
                buffered += len(chunk)
                if buffered > LONG:
                    return self._render_long(chunks, stream)
        skeletons = self.checks[name]
        data = skeletons.assemble(chunks)
        if data is None:  # a constant with a line break or a tab of its own: made as a whole
            data = _unmarked("".join(chunks))
        data, listed = self._passes(data)
        # docxtpl's pass rewrites runs around a value: what it makes is parsed. The others keep
        # well-formed XML well-formed (whole runs and rows, their text re-escaped), so what the
        # template made is what needs checking, and its skeleton may vouch for it.
        if listed or not skeletons.vouches(chunks):
            self._parse(expat.ParserCreate(), data, True)
        return zlib.crc32(data), len(data), zlib.compress(data, LEVEL, wbits=-15)

    def _passes(self, data: bytes) -> tuple[bytes, bool]:
        """Whole paragraphs and rows as Word gets them: docxtpl's line breaks and tabs, names
        kept whole, tall rows let split (a row's height is estimated from its text as the names
        pass leaves it). True if docxtpl's pass ran. UTF-8 throughout: searching a form's text,
        two bytes a character once it holds Chinese, cost more than the rest of its rendering."""
        listed = b"\n" in data or b"\t" in data  # only values bring these
        if listed:
            data = _LISTED_PARAGRAPH.sub(self._listing_one, data)
        if _NAMES_MARK in data:
            data = keep_names_whole(data)
        if _CANT_SPLIT.encode() in data:
            data = let_tall_rows_split(data.decode("utf-8")).encode("utf-8")
        return data, listed

    def _listing_one(self, paragraph: re.Match[bytes]) -> bytes:
        """docxtpl's line-break pass (resolve_listing) on one paragraph, if it has anything for
        it. The pass goes paragraph by paragraph, found as _LISTED_PARAGRAPH finds them, and
        leaves one without a tab, line break, bell or form feed as it was; run on the whole of a
        form with a line break in a value, it cost ~0.8 ms (tests/render/test_docx.py holds
        this to docxtpl's own)."""
        data = paragraph.group(0)
        if not _LISTED.search(data):
            return data
        return self._listing(data.decode("utf-8")).encode("utf-8")

    def _parse(self, parser: Any, data: bytes, final: bool) -> None:
        try:
            parser.Parse(data, final)
        except expat.ExpatError as exc:
            raise TemplateError(
                f"生成的 Word 内容无效：{exc}",
                where=self.name,
                hint="请检查模板中的 {% %} 标签是否成对",
            ) from None

    def _render_long(self, chunks: list[str], stream: Iterator[str]) -> tuple[int, int, bytes]:
        """The rest of a long part, cleaned, parsed (expat, incrementally), checksummed and
        deflated a piece of whole paragraphs at a time."""
        packer = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
        parser = expat.ParserCreate()
        packed: list[bytes] = []
        crc = size = 0

        def emit(piece: str, final: bool = False) -> None:
            nonlocal crc, size
            data = self._passes(_unmarked(piece))[0]
            self._parse(parser, data, final)
            crc = zlib.crc32(data, crc)
            size += len(data)
            packed.append(packer.compress(data))

        buffer, buffered, due = chunks, LONG + 1, LONG
        for chunk in itertools.chain([""], stream):
            buffer.append(chunk)
            buffered += len(chunk)
            if buffered > due:
                text = "".join(buffer)
                cut = _cut(text)
                if cut > 0:  # whole paragraphs and rows: _passes() works on them
                    emit(text[:cut])
                    text = text[cut:]
                    due = LONG
                else:  # one paragraph or row longer than LONG: looked at again LONG later,
                    due = len(text) + LONG  # not at every chunk (that was quadratic)
                buffer, buffered = [text], len(text)
        emit("".join(buffer), final=True)
        packed.append(packer.flush())
        return crc, size, b"".join(packed)

    def _charts(self, context: dict[str, Any]) -> dict[str, tuple[int, int, bytes]]:
        """Each chart of the context drawn into its picture, at the picture's size."""
        from . import charts

        drawn = {}
        for name, spec in charts.charts_of(context).items():
            for member, (cx, cy) in self.chart_slots.get(name, ()):
                image = charts.png(spec, context, cx / EMU_PER_CM, cy / EMU_PER_CM)
                drawn[member] = PreparedZip.entry(image)
        return drawn

    def render(
        self, context: dict[str, Any], stream: IO[bytes], info: DocumentInfo = UNDATED
    ) -> None:
        try:
            parts = {name: self.render_part(name, context) for name in self.templates}
        except TemplateError:
            raise
        except Exception as exc:
            raise describe_error(exc, self.name) from None
        if self.zip.has(CORE):  # a template saved without core properties stays without
            parts[CORE] = PreparedZip.entry(core_properties(info))
        if self.chart_slots:
            parts.update(self._charts(context))
        self.zip.write(stream, parts)
