"""A pack (a form with `binds`, e.g. `--combined`'s 会议文书汇编): every document of one meeting
in one print-ready file, each on a new page.

The pack's context (derive/meetings.py) lists its parts: form id, forms folder, formats and the
part's own context. Each part is rendered by that form's own renderer (so a district's edited
template shows in the pack too), then:

- PDF: the parts are laid out by WeasyPrint one by one, each with its own stylesheets and page
  rules, and their pages are written as one PDF (WeasyPrint's documented way to join documents);
- Word: the parts' bodies are joined into the first part's package, each part a section of its
  own that starts on a new page with its own page setup, headers and footers, page numbers from 1;
- PDF with `--pdf-from docx`: the joined Word file, converted by LibreOffice.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from jinja2 import Environment
from lxml import etree

from . import UNDATED, DocumentInfo

if TYPE_CHECKING:
    from .registry import Renderers

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _parts(
    context: dict[str, Any], fmt: str, renderers: Renderers
) -> Iterator[tuple[Any, dict[str, Any]]]:
    for part in context["部分"]:
        if fmt.split(":")[0] in part["格式"]:
            yield renderers.get(part["目录"], part["表单"], fmt), part["内容"]


class PackRenderer:
    """Renders a pack's parts with the process's renderers (a district's edited template of a
    part shows in the pack too), then binds them."""

    def __init__(
        self, path: Path, env: Environment, name: str, fmt: str, renderers: Renderers
    ) -> None:
        self.fmt = fmt.split(":")[0]
        self.kind = fmt
        self.name = name
        self.renderers = renderers
        self.converter: Any = None
        if fmt == "pdf:docx":
            from .docx_pdf import DocxPdfRenderer

            self.converter = DocxPdfRenderer(path, env, name)
            self.converter.docx = _JoinedDocx(renderers)

    def render(
        self, context: dict[str, Any], stream: IO[bytes], info: DocumentInfo = UNDATED
    ) -> None:
        if self.converter is not None:
            self.converter.render(context, stream, info)
        elif self.fmt == "pdf":
            write_joined_pdf(context, stream, info, self.renderers)
        else:
            _JoinedDocx(self.renderers).render(context, stream, info)


class _JoinedDocx:
    def __init__(self, renderers: Renderers) -> None:
        self.renderers = renderers

    def render(
        self, context: dict[str, Any], stream: IO[bytes], info: DocumentInfo = UNDATED
    ) -> None:
        documents = []
        for renderer, part in _parts(context, "docx", self.renderers):
            buffer = io.BytesIO()
            renderer.render(part, buffer, info)  # the first part's properties are the pack's
            documents.append(buffer.getvalue())
        stream.write(join_docx(documents))


def write_joined_pdf(
    context: dict[str, Any], stream: IO[bytes], info: DocumentInfo, renderers: Renderers
) -> None:
    from .pdf import stamp

    # Each part laid out as its own form lays it out (its stylesheets, page rules, kept words).
    laid_out = [renderer.layout(part) for renderer, part in _parts(context, "pdf", renderers)]
    pages = [page for document in laid_out for page in document.pages]
    stamp(laid_out[0].copy(pages), info).write_pdf(stream, uncompressed_pdf=False)


# ── joining Word documents ──────────────────────────────────────────────────────────────────

_HEADER_FOOTER = {"headerReference", "footerReference"}
_REL_TYPES = {
    "headerReference": "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header",
    "footerReference": "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer",
}
_CONTENT_TYPES = {
    "headerReference": "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml",
    "footerReference": "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml",
}


def join_docx(documents: list[bytes]) -> bytes:
    """The documents as one: the first one's package, every other one's body appended as new
    sections (with their own headers and footers copied over), styles the first lacks added."""
    with zipfile.ZipFile(io.BytesIO(documents[0])) as first:
        members = {info.filename: first.read(info) for info in first.infolist()}
    body_root = etree.fromstring(members["word/document.xml"])
    body = body_root.find(_w("body"))
    styles = etree.fromstring(members["word/styles.xml"])
    rels = etree.fromstring(members["word/_rels/document.xml.rels"])
    types = etree.fromstring(members["[Content_Types].xml"])
    _restart_numbering(body.find(_w("sectPr")))
    for n, data in enumerate(documents[1:], start=1):
        with zipfile.ZipFile(io.BytesIO(data)) as part:
            other = etree.fromstring(part.read("word/document.xml")).find(_w("body"))
            other_rels = etree.fromstring(part.read("word/_rels/document.xml.rels"))
            renamed = _add_styles(styles, etree.fromstring(part.read("word/styles.xml")), n)
            _rename_references(other, renamed)
            _close_section(body)
            section = other.find(_w("sectPr"))
            for ref in list(section):
                kind = etree.QName(ref).localname
                if kind in _HEADER_FOOTER:
                    _copy_part(ref, kind, n, part, other_rels, rels, types, members, renamed)
            _restart_numbering(section)
            for child in list(other):
                body.append(child)
    members["word/document.xml"] = _xml(body_root)
    members["word/styles.xml"] = _xml(styles)
    members["word/_rels/document.xml.rels"] = _xml(rels)
    members["[Content_Types].xml"] = _xml(types)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(
                zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED
            )
    return out.getvalue()


def _xml(element: etree._Element) -> bytes:
    return etree.tostring(element, xml_declaration=True, encoding="UTF-8", standalone=True)


def _close_section(body: etree._Element) -> None:
    """The body's closing section properties move into its last paragraph: a section break,
    so what follows starts on a new page with its own page setup."""
    section = body.find(_w("sectPr"))
    body.remove(section)
    last = body[-1] if len(body) else None
    if last is None or last.tag != _w("p") or last.find(f"{_w('pPr')}/{_w('sectPr')}") is not None:
        last = etree.SubElement(body, _w("p"))
    ppr = last.find(_w("pPr"))
    if ppr is None:
        ppr = etree.Element(_w("pPr"))
        last.insert(0, ppr)
    ppr.append(section)


def _restart_numbering(section: etree._Element) -> None:
    """Each document of the pack numbers its pages from 1."""
    number = section.find(_w("pgNumType"))
    if number is None:
        number = etree.Element(_w("pgNumType"))
        anchor = section.find(_w("cols"))
        if anchor is not None:
            anchor.addprevious(number)
        else:
            section.append(number)
    number.set(_w("start"), "1")


def _copy_part(
    ref: etree._Element,
    kind: str,
    n: int,
    part: zipfile.ZipFile,
    part_rels: etree._Element,
    rels: etree._Element,
    types: etree._Element,
    members: dict[str, bytes],
    renamed: dict[str, str],
) -> None:
    """A header or footer of an appended document, copied under a new name and id."""
    rid = ref.get(f"{{{R}}}id")
    target = next(r.get("Target") for r in part_rels if r.get("Id") == rid)
    name = f"{'header' if kind == 'headerReference' else 'footer'}_p{n}_{Path(target).stem}.xml"
    xml = etree.fromstring(part.read(f"word/{target}"))
    _rename_references(xml, renamed)
    members[f"word/{name}"] = _xml(xml)
    new_id = f"rIdPack{n}{Path(target).stem}"
    etree.SubElement(rels, f"{{{PKG}}}Relationship", Id=new_id, Type=_REL_TYPES[kind], Target=name)
    etree.SubElement(
        types, f"{{{CT}}}Override", PartName=f"/word/{name}", ContentType=_CONTENT_TYPES[kind]
    )
    ref.set(f"{{{R}}}id", new_id)


def _add_styles(styles: etree._Element, other: etree._Element, n: int) -> dict[str, str]:
    """Adds the styles of an appended document; one that differs from the first document's
    style of the same id (Normal of a 公文 is 3号 on a grid, of a form 小四) is added under a
    new id. Returns old id → new id, for the references in the appended body."""
    known = {s.get(_w("styleId")): s for s in styles.findall(_w("style"))}
    renamed: dict[str, str] = {}
    added = []
    for style in other.findall(_w("style")):
        sid = style.get(_w("styleId"))
        if sid in known and etree.tostring(known[sid]) == etree.tostring(style):
            continue
        if sid in known:
            renamed[sid] = f"{sid}Part{n}"
            style.set(_w("styleId"), renamed[sid])
            style.attrib.pop(_w("default"), None)
            name = style.find(_w("name"))
            if name is not None:
                name.set(_w("val"), f"{name.get(_w('val'))} {n}")
        added.append(style)
    for style in added:
        for ref in style.iter(_w("basedOn"), _w("next"), _w("link")):
            ref.set(_w("val"), renamed.get(ref.get(_w("val")), ref.get(_w("val"))))
        styles.append(style)
    if "Normal" in renamed:  # paragraphs without a style meant their own document's Normal
        renamed[""] = renamed["Normal"]
    return renamed


def _rename_references(root: etree._Element, renamed: dict[str, str]) -> None:
    if not renamed:
        return
    for tag in ("pStyle", "rStyle", "tblStyle"):
        for ref in root.iter(_w(tag)):
            ref.set(_w("val"), renamed.get(ref.get(_w("val")), ref.get(_w("val"))))
    if "" in renamed:
        for paragraph in root.iter(_w("p")):
            ppr = paragraph.find(_w("pPr"))
            if ppr is None:
                ppr = etree.Element(_w("pPr"))
                paragraph.insert(0, ppr)
            if ppr.find(_w("pStyle")) is None:
                style = etree.Element(_w("pStyle"))
                style.set(_w("val"), renamed[""])
                ppr.insert(0, style)
