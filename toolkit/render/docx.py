"""Word: a docxtpl template prepared once, then rendered per record into a copy of its zip.

docxtpl's own `render()` re-reads the .docx and re-compiles the template for every document; here
each XML part that holds tags (body, headers, footers) is cleaned with docxtpl's `patch_xml` and
compiled once, and each document is the template's zip with those parts replaced. docxtpl's
`resolve_listing` turns line breaks in values into Word line breaks, as docxtpl does. Values are
XML-escaped by the sandboxed environment; the result is parsed strictly before it is written, so a
broken template fails loudly instead of producing a file Word refuses.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import IO, Any

from docxtpl import DocxTemplate
from jinja2 import Environment, Template
from lxml import etree

from ..errors import TemplateError
from ..templating import describe_error

_TAGGED = re.compile(r"\{[{%#]")
_PART_NAMES = re.compile(r"^word/(document|header\d*|footer\d*|footnotes)\.xml$")
_FIXED_TIME = (2024, 1, 1, 0, 0, 0)  # the same input gives the same bytes


class DocxRenderer:
    fmt = "docx"

    def __init__(self, path: Path, env: Environment, name: str) -> None:
        self.name = name
        self.members: list[tuple[zipfile.ZipInfo, bytes]] = []
        self.templates: dict[str, Template] = {}
        patcher = DocxTemplate(str(path))
        try:
            with zipfile.ZipFile(path) as archive:
                for info in archive.infolist():
                    data = archive.read(info)
                    self.members.append((info, data))
                    if _PART_NAMES.match(info.filename) and _TAGGED.search(data.decode("utf-8")):
                        xml = patcher.patch_xml(data.decode("utf-8"))
                        xml = re.sub(r"<w:p([ >])", r"\n<w:p\1", xml)
                        self.templates[info.filename] = env.from_string(xml)
        except (zipfile.BadZipFile, OSError, UnicodeDecodeError) as exc:
            raise TemplateError(f"无法读取 Word 模板：{exc}", where=name) from None
        except Exception as exc:  # Jinja syntax errors, named for the clerk
            raise describe_error(exc, name) from None
        self._listing = patcher.resolve_listing

    def render_part(self, template: Template, context: dict[str, Any]) -> bytes:
        xml = template.render(context)
        xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)
        xml = self._listing(xml)
        data = xml.encode("utf-8")
        try:
            etree.fromstring(data)
        except etree.XMLSyntaxError as exc:
            raise TemplateError(
                f"生成的 Word 内容无效：{exc}",
                where=self.name,
                hint="请检查模板中的 {% %} 标签是否成对",
            ) from None
        return data

    def render(self, context: dict[str, Any], stream: IO[bytes]) -> None:
        try:
            parts = {name: self.render_part(t, context) for name, t in self.templates.items()}
        except TemplateError:
            raise
        except Exception as exc:
            raise describe_error(exc, self.name) from None
        with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as out:
            for info, data in self.members:
                member = zipfile.ZipInfo(info.filename, _FIXED_TIME)
                member.compress_type = zipfile.ZIP_DEFLATED
                member.external_attr = info.external_attr
                out.writestr(member, parts.get(info.filename, data))
