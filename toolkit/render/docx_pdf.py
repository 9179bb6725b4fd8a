"""PDF from the Word template, through LibreOffice (`build --pdf-from docx`).

For a district that edits only the Word template: each document is rendered as docx, then
converted by LibreOffice headless in a profile of its own (so workers run side by side), with
fontconfig pointed at the shipped fonts so Chinese prints the same on every machine. Slower
than the HTML path (about one document a second a process) and only where LibreOffice is
installed; `soffice_path()` says whether it is.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import IO, Any

from jinja2 import Environment

from .. import fonts
from ..errors import TemplateError, UsageError
from . import UNDATED, DocumentInfo
from .docx import DocxRenderer

INSTALL_HINT = (
    "Debian/Ubuntu：apt-get install libreoffice-writer-nogui；"
    "其他系统请安装 LibreOffice，或不用 --pdf-from docx（按 HTML 模板生成 PDF）"
)


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


class DocxPdfRenderer:
    fmt = "pdf"

    def __init__(self, path: Path, env: Environment, name: str) -> None:
        docx = path.with_name("template.docx")
        if not docx.exists():
            raise TemplateError("--pdf-from docx 需要表单有 template.docx", where=name)
        soffice = soffice_path()
        if soffice is None:
            raise UsageError("--pdf-from docx 需要 LibreOffice，本机未安装", hint=INSTALL_HINT)
        self.soffice = soffice
        self.name = name
        self.docx = DocxRenderer(docx, env, name.replace("template.html", "template.docx"))
        self.profile = Path(tempfile.mkdtemp(prefix="liaison-lo-"))

    def render(
        self, context: dict[str, Any], stream: IO[bytes], info: DocumentInfo = UNDATED
    ) -> None:
        with tempfile.TemporaryDirectory(prefix="liaison-pdf-") as work:
            source = Path(work) / "document.docx"
            buffer = io.BytesIO()
            self.docx.render(context, buffer, info)  # LibreOffice keeps its title
            source.write_bytes(buffer.getvalue())
            env = {**os.environ, "FONTCONFIG_FILE": str(fonts.FONTS_CONF)}
            done = subprocess.run(
                [
                    self.soffice,
                    f"-env:UserInstallation={self.profile.as_uri()}",
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    work,
                    str(source),
                ],
                capture_output=True,
                env=env,
                timeout=300,
                check=False,
            )
            target = Path(work) / "document.pdf"
            if done.returncode != 0 or not target.exists():
                raise TemplateError(
                    "LibreOffice 未能把 Word 文书转换为 PDF",
                    where=self.name,
                    hint=done.stderr.decode("utf-8", "replace")[-200:],
                )
            stream.write(target.read_bytes())
