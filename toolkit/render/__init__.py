"""Renderers by format (house style: a plain dict, like WeasyPrint's VARIANTS).

Each renderer is built once per process from a template file and an environment, and renders a
context into a binary stream: `RENDERERS[fmt](path, env, name).render(context, stream, info)`.
`info` is what the file says about itself (title, author, time: Word's core properties, the
workbook's properties, the PDF's info); it is not in the context on purpose, since the context
is hashed for the manifest and a time in it would make every document look changed on every
run. The PDF renderer is imported lazily because loading WeasyPrint (Pango) costs time and needs
system libraries that `docx` and `xlsx` do not.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Protocol

from jinja2 import Environment

from ..errors import UsageError
from ..xlsx_bytes import AUTHOR, STAMP


@dataclass(frozen=True)
class DocumentInfo:
    """A document's title, author and time (the build's, `build_time()`)."""

    title: str
    created: dt.datetime  # timezone-aware
    author: str = AUTHOR

    @property
    def utc(self) -> dt.datetime:
        """The time in UTC without a zone, as openpyxl and zip entries take it."""
        return self.created.astimezone(dt.UTC).replace(tzinfo=None)

    @property
    def w3c(self) -> str:
        """The time as W3C-DTF in UTC (2024-05-01T08:30:00Z): Word core properties, PDF."""
        return self.utc.strftime("%Y-%m-%dT%H:%M:%SZ")


# What a renderer called outside a build (a test, a benchmark) writes: no title, a fixed time.
UNDATED = DocumentInfo("", STAMP.replace(tzinfo=dt.UTC))


def build_time(environ: Mapping[str, str] = os.environ) -> dt.datetime:
    """The time a build stamps on its documents: now (to the second), or SOURCE_DATE_EPOCH when
    set, so that the same input built twice gives the same bytes (reproducible-builds.org)."""
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return dt.datetime.now(dt.UTC).replace(microsecond=0)
    try:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    except (ValueError, OverflowError, OSError):
        raise UsageError(
            f"环境变量 SOURCE_DATE_EPOCH 的值“{epoch[:40]}”不是时间",
            hint="应为 1970-01-01 起的秒数（整数），如 1714550400；或删除这个环境变量",
        ) from None


class Renderer(Protocol):
    fmt: str

    def render(
        self, context: dict[str, Any], stream: IO[bytes], info: DocumentInfo = UNDATED
    ) -> None: ...


def _docx(path: Path, env: Environment, name: str) -> Renderer:
    from .docx import DocxRenderer

    return DocxRenderer(path, env, name)


def _pdf(path: Path, env: Environment, name: str) -> Renderer:
    from .pdf import PdfRenderer

    return PdfRenderer(path, env, name)


def _xlsx(path: Path, env: Environment, name: str) -> Renderer:
    from .xlsx import XlsxRenderer

    return XlsxRenderer(path, env, name)


RENDERERS = {"docx": _docx, "pdf": _pdf, "xlsx": _xlsx}
AUTOESCAPE = {"docx": True, "pdf": True, "xlsx": False}  # openpyxl escapes XML itself
# What every HTML template may call besides its fields: the 目录 page (pdf.py, styles/contents.html)
HTML_GLOBALS = frozenset({"目录页"})


def _pdf_from_docx(path: Path, env: Environment, name: str) -> Renderer:
    from .docx_pdf import DocxPdfRenderer

    return DocxPdfRenderer(path, env, name)


# `--pdf-from docx`: the PDF is the (edited) Word template's output converted by LibreOffice.
RENDERERS["pdf:docx"] = _pdf_from_docx
AUTOESCAPE["pdf:docx"] = True
