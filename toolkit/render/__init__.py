"""Renderers by format (house style: a plain dict, like WeasyPrint's VARIANTS).

Each renderer is built once per process from a template file and an environment, and renders a
context into a binary stream: `RENDERERS[fmt](path, env, name).render(context, stream)`. The PDF
renderer is imported lazily because loading WeasyPrint (Pango) costs time and needs system
libraries that `docx` and `xlsx` do not.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any, Protocol

from jinja2 import Environment


class Renderer(Protocol):
    fmt: str

    def render(self, context: dict[str, Any], stream: IO[bytes]) -> None: ...


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


def _pdf_from_docx(path: Path, env: Environment, name: str) -> Renderer:
    from .docx_pdf import DocxPdfRenderer

    return DocxPdfRenderer(path, env, name)


# `--pdf-from docx`: the PDF is the (edited) Word template's output converted by LibreOffice.
RENDERERS["pdf:docx"] = _pdf_from_docx
AUTOESCAPE["pdf:docx"] = True
