"""PDF: a Jinja2 HTML template and the shared CSS, laid out by WeasyPrint with our fonts only.

Fontconfig is pointed at `forms/fonts/fonts.conf` before WeasyPrint loads, so Pango sees the
shipped fonts and nothing else: a machine with Chinese fonts installed cannot hide a missing
glyph, and a machine with none prints every character. The URL fetcher serves only files inside
`forms/` (styles and fonts); anything else a document asks for (http, file:// elsewhere, data:)
is refused, so no cell can make the renderer read a file. The template and the stylesheets are
parsed once per process.

WeasyPrint holds every laid-out page of a document until it is written (about 1–4 MB a page), so
a register of thousands of rows would take gigabytes. A template that declares
`<meta name="liaison-split" content="记录">` is rendered in parts of `PART_ROWS` rows of that list,
each written and freed before the next, and the parts are joined into one PDF with pypdf. The
page numbers run on across parts; each part gets `分段` (首, 末, 序号) so the template prints its
cover or title in the first part only and its totals in the last. A 目录 (a context list
`目录` of entries naming the element id `锚` each points to) cannot count pages of parts not yet
laid out: once every part is, the pages the anchors fell on are known, and the first part's
unnumbered front pages (cover, 目录) are laid out again with each entry's page given as `页`.

Between parsing and layout, `nobreak.keep_together` wraps the dates, times, numbers with their
units and (under class="names") the names of the parsed tree in <nobr>, so no line breaks inside
them.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any
from urllib.parse import unquote, urlparse

from jinja2 import Environment
from markupsafe import Markup

from .. import fonts
from ..errors import TemplateError
from ..paths import FORMS_DIR, STYLES_DIR
from . import HTML_GLOBALS, UNDATED, DocumentInfo, charts, weasy_cache
from .nobreak import keep_together
from .templating import describe_error, normalise_tags

fonts.use_shipped_fonts()

from weasyprint import CSS, HTML  # noqa: E402
from weasyprint.text.fonts import FontConfiguration  # noqa: E402
from weasyprint.urls import URLFetcher  # noqa: E402

LOGGER = logging.getLogger("weasyprint")
weasy_cache.install()
PART_ROWS = 300  # rows of a split list per part: ~15 pages, tens of MB while laid out
WHOLE = {"首": True, "末": True, "序号": 1}  # 分段 of a document rendered in one part
_SPLIT = re.compile(r'<meta\s+name="liaison-split"\s+content="([^"]+)"')
CONTENTS_PAGE = STYLES_DIR / "contents.html"  # the macro 目录页, shared by the registers
UNNUMBERED_PAGE = "cover"  # a named page whose CSS does not count it (the register's cover)
CONTENTS = "目录"  # a 目录's entries in the context: dicts with 锚 (an element id) and 页


class RefusedURL(ValueError):
    pass


class PackageAssetFetcher(URLFetcher):
    """Serves files inside forms/ (and inside the folder of the form being rendered, which may
    be a district's own) and refuses every other URL."""

    def __init__(self, *roots: Path) -> None:
        super().__init__(allowed_protocols=("file",))
        self.roots = (FORMS_DIR, *(root.resolve() for root in roots))

    def fetch(self, url: str, headers: Any = None) -> Any:
        parsed = urlparse(url)
        if parsed.scheme == "file":
            path = Path(unquote(parsed.path)).resolve()
            if any(path.is_relative_to(root) for root in self.roots) and path.is_file():
                return super().fetch(url, headers)
        raise RefusedURL(f"refused: {url[:80]}")


fetch_package_asset = PackageAssetFetcher()  # our own forms and styles only


_FONT_CONFIG: FontConfiguration | None = None
_CSS_CACHE: dict[Path, CSS] = {}


def font_config() -> FontConfiguration:
    global _FONT_CONFIG
    if _FONT_CONFIG is None:
        _FONT_CONFIG = FontConfiguration()
    return _FONT_CONFIG


def stylesheet(path: Path, fetcher: PackageAssetFetcher = fetch_package_asset) -> CSS:
    """A stylesheet parsed once per process (the forms' sheets do not change during a run)."""
    css = _CSS_CACHE.get(path)
    if css is None:
        css = CSS(filename=str(path), url_fetcher=fetcher, font_config=font_config())
        _CSS_CACHE[path] = css
    return css


class PdfRenderer:
    fmt = "pdf"

    def __init__(self, path: Path, env: Environment, name: str) -> None:
        self.name = name
        self.base_url = path.parent.as_uri() + "/"
        self.fetcher = PackageAssetFetcher(path.parent)  # a user form's own folder, no other
        try:
            _add_contents_page(env)
            self.template = env.from_string(normalise_tags(path.read_text(encoding="utf-8")))
        except OSError as exc:
            raise TemplateError(f"无法读取 HTML 模板：{exc}", where=name) from None
        except Exception as exc:
            raise describe_error(exc, name) from None
        found = _SPLIT.search(path.read_text(encoding="utf-8"))
        self.split_key = found.group(1) if found else ""
        sheets = [STYLES_DIR / "base.css"]
        local = path.parent / "style.css"
        if local.exists():
            sheets.append(local)
        self.stylesheets = [stylesheet(p, self.fetcher) for p in sheets]

    def html(self, context: dict[str, Any]) -> str:
        try:
            return self.template.render({"分段": WHOLE, **with_svg_charts(context)})
        except Exception as exc:
            raise describe_error(exc, self.name) from None

    def layout(self, context: dict[str, Any], first_page: int | None = None) -> Any:
        sheets = list(self.stylesheets)
        if first_page is not None:
            sheets.append(CSS(string=f"@page:first {{ counter-reset: page {first_page} }}"))
        document = HTML(string=self.html(context), base_url=self.base_url, url_fetcher=self.fetcher)
        keep_together(document.etree_element)
        return document.render(stylesheets=sheets, font_config=font_config())

    def render(
        self, context: dict[str, Any], stream: IO[bytes], info: DocumentInfo = UNDATED
    ) -> None:
        rows = context.get(self.split_key) if self.split_key else None
        if not isinstance(rows, Sequence) or isinstance(rows, str) or len(rows) <= PART_ROWS:
            stamp(self.layout(context), info).write_pdf(stream, uncompressed_pdf=False)
            return
        self._render_parts(context, rows, stream, info)

    def _render_parts(
        self, context: dict[str, Any], rows: Sequence[Any], stream: IO[bytes], info: DocumentInfo
    ) -> None:
        from pypdf import PdfReader, PdfWriter

        buffers: list[io.BytesIO] = []  # each part's PDF (small: the pages' layout is freed)
        anchors: dict[str, int] = {}  # element id → the number printed on the page it is on
        front = 0  # the first part's unnumbered pages
        next_page: int | None = None
        start, index = 0, 0
        while start < len(rows):
            part = rows[start : start + PART_ROWS]
            final = start + len(part) >= len(rows)
            marks = {"首": index == 0, "末": final, "序号": index + 1}
            laid_out = stamp(
                self.layout({**context, self.split_key: part, "分段": marks}, next_page), info
            )
            pages, used = laid_out.pages, len(part)
            if not final:
                # The part's last page is only partly filled: drop it and start the next part
                # with its rows, so only the document's own last page is short.
                carried = _rows_from_last_page(pages)
                if carried:
                    pages, used = pages[:-1], len(part) - carried
            number = next_page or 1
            for page in pages:
                if _page_name(page) == UNNUMBERED_PAGE:
                    front += index == 0
                    continue
                for anchor in page.anchors:
                    anchors.setdefault(anchor, number)
                number += 1
            next_page = number
            buffer = io.BytesIO()
            laid_out.copy(pages).write_pdf(buffer, uncompressed_pdf=False)
            del laid_out, pages  # freed before the next part is laid out
            buffers.append(buffer)
            start, index = start + used, index + 1
        writer = PdfWriter()
        entries = context.get(CONTENTS)
        if entries and front:
            paged = [{**e, "页": anchors.get(e["锚"], "")} for e in entries]
            again = {**context, self.split_key: rows[:1], CONTENTS: paged, "分段": WHOLE}
            laid_out = stamp(self.layout(again), info)
            unnumbered = [p for p in laid_out.pages if _page_name(p) == UNNUMBERED_PAGE]
            buffer = io.BytesIO()
            laid_out.copy(unnumbered).write_pdf(buffer, uncompressed_pdf=False)
            del laid_out
            writer.append(PdfReader(buffer))
            first = PdfReader(buffers[0])
            writer.append(first, pages=(front, len(first.pages)))
        else:
            first = PdfReader(buffers[0])
            writer.append(first)
        writer.add_metadata(dict(first.metadata or {}))
        _keep_catalog(first, writer)
        for buffer in buffers[1:]:
            writer.append(PdfReader(buffer))
        writer.write(stream)


def _add_contents_page(env: Environment) -> None:
    """{{ 目录页(目录) }} in every HTML template: the 目录 page whose entries this module fills
    with 页 (`_render_parts`), written once (forms/styles/contents.html) for every register."""
    if not HTML_GLOBALS <= env.globals.keys():
        macros = env.from_string(CONTENTS_PAGE.read_text(encoding="utf-8")).module
        env.globals.update({name: getattr(macros, name) for name in HTML_GLOBALS})


def with_svg_charts(context: dict[str, Any]) -> dict[str, Any]:
    """A context whose charts (`图表`, render/charts.py) are SVG the template puts in place with
    {{ 图表.名称 }}: vector shapes and real text, in the shipped fonts."""
    specs = charts.charts_of(context)
    if not specs:
        return context
    drawn = {name: Markup(charts.svg(spec, context)) for name, spec in specs.items()}
    return {**context, "图表": drawn}


def _keep_catalog(part: Any, writer: Any) -> None:
    """What the joined PDF's catalog should say as the part's did: its language (/Lang zh-CN,
    for screen readers and for search), and that a viewer shows the title, not the file name.
    pypdf's append copies pages and outlines, not these."""
    from pypdf.generic import NameObject

    source = part.trailer["/Root"]
    for key in ("/Lang", "/ViewerPreferences", "/MarkInfo"):
        if key in source:
            writer.root_object[NameObject(key)] = source[key].clone(writer)


def stamp(document: Any, info: DocumentInfo) -> Any:
    """The PDF's info: the document's title (not the HTML <title>), author and build time."""
    metadata = document.metadata
    if info.title:
        metadata.title = info.title
    metadata.authors = [info.author]
    metadata.created = metadata.modified = info.w3c
    return document


def _body_rows(page: Any) -> list[Any]:
    """The source <tr> elements of a page's table body rows, in order."""
    from weasyprint.formatting_structure import boxes

    found: list[Any] = []
    for box in page._page_box.descendants():
        if isinstance(box, boxes.TableRowGroupBox) and not (box.is_header or box.is_footer):
            found.extend(row.element for row in box.children)
    return found


def _rows_from_last_page(pages: list[Any]) -> int:
    """How many rows the last page holds, when it starts cleanly with a row of its own (not the
    end of a row split over the page break) and earlier pages hold rows too; else 0."""
    if len(pages) < 2:
        return 0
    try:
        last = _body_rows(pages[-1])
        earlier = {id(e) for page in pages[:-1] for e in _body_rows(page)}
    except AttributeError:  # WeasyPrint's boxes changed: keep the short page
        return 0
    if not last or not earlier or id(last[0]) in earlier:
        return 0
    return len({id(e) for e in last})


def _page_name(page: Any) -> str:
    """The CSS named page of a laid-out page ("" when unnamed or when WeasyPrint changes)."""
    try:
        return str(page._page_box.page_type.name or "")
    except AttributeError:
        return ""
