"""PDF from the Word template, through LibreOffice (`build --pdf-from docx`).

For a district that edits only the Word template: each document is rendered as docx, then
converted by LibreOffice headless in a profile of its own (so workers run side by side), with
fontconfig pointed at the shipped fonts (forms/fonts/fonts.conf draws 仿宋_GB2312 … with the
PDFs' faces) so Chinese prints the same on every machine. Slower than the HTML path (about one
document a second a process) and only where LibreOffice is installed; `soffice_path()` says
whether it is.

`convert()` goes through flat ODF, because LibreOffice's DOCX import gets two of Word's
paragraph settings wrong: it ignores w:autoSpaceDE/DN (and puts a fifth of an em between every
Chinese character and a digit or Latin letter next to it) and reads w:overflowPunct inverted.
Where a document's defaults turn them off, as ours do, the ODF is set so before the PDF is made,
and the PDF is laid out as Word lays out the .docx (tests/render/test_word_pages.py).
"""

from __future__ import annotations

import io
import multiprocessing.util
import os
import re
import shutil
import subprocess
import tempfile
import time
import zipfile
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


_DEFAULTS = re.compile(rb"<w:pPrDefault>.*?</w:pPrDefault>", re.S)
# What a document's paragraph defaults turn off → the ODF attribute LibreOffice lost, and its value.
_LOST = (
    (rb'<w:autoSpaceDE w:val="(?:0|false)"/>', 'style:text-autospace="ideograph-alpha"',
     'style:text-autospace="none"'),
    (rb'<w:overflowPunct w:val="(?:0|false)"/>', 'style:punctuation-wrap="hanging"',
     'style:punctuation-wrap="simple"'),
)  # fmt: skip


def convert(soffice: str, sources: list[Path], outdir: Path, profile: Path) -> list[Path]:
    """Each .docx of `sources` as a PDF in `outdir` (same stem), by LibreOffice with the shipped
    fonts, with the settings its DOCX import loses put back (see the module's docstring)."""
    env = {**os.environ, "FONTCONFIG_FILE": str(fonts.FONTS_CONF)}

    def run(fmt: str, files: list[Path]) -> None:
        done = subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--convert-to",
                fmt,
                "--outdir",
                str(outdir),
                *map(str, files),
            ],
            capture_output=True,
            env=env,
            timeout=300 + 10 * len(files),
            check=False,
        )
        missing = [f.name for f in files if not (outdir / f"{f.stem}.{fmt}").exists()]
        if done.returncode != 0 or missing:
            raise TemplateError(
                "LibreOffice 未能把 Word 文书转换为 PDF",
                where="、".join(missing[:3]),
                hint=failure_hint(done.stderr),
            )

    run("fodt", sources)
    flat = []
    for source in sources:
        odf = outdir / f"{source.stem}.fodt"
        with zipfile.ZipFile(source) as archive:
            found = _DEFAULTS.search(archive.read("word/styles.xml"))
        defaults = found.group(0) if found else b""
        text = odf.read_text(encoding="utf-8")
        for setting, lost, meant in _LOST:
            if re.search(setting, defaults):
                text = text.replace(lost, meant)
        odf.write_text(text, encoding="utf-8")
        flat.append(odf)
    run("pdf", flat)
    for odf in flat:
        odf.unlink()
    return [outdir / f"{source.stem}.pdf" for source in sources]


def failure_hint(stderr: bytes) -> str:
    """What LibreOffice said, without the javaldx warning it prints on every run (it needs no
    Java to convert): blaming that line sent clerks to install Java for nothing."""
    lines = [
        line.strip()
        for line in stderr.decode("utf-8", "replace").splitlines()
        if line.strip() and "javaldx" not in line
    ]
    said = "；".join(lines)[-200:]
    check = "请运行 liaison doctor 检查 LibreOffice，或不用 --pdf-from docx（按 HTML 模板生成 PDF）"
    return f"LibreOffice 提示：{said}；{check}" if said else check


PROFILE_PREFIX = "liaison-lo-"


def process_profile() -> Path:
    """A LibreOffice profile of this process's own, removed when the process ends.

    Two soffice processes on one profile fail (the first locks it), so every worker of a build
    needs its own; the renderers are made before the pool forks, so the profile is made on
    first use in the worker. multiprocessing's finalizers run as a worker exits (atexit does
    not) and as the main process exits. Profiles of processes killed before they could remove
    theirs are removed by the next run."""
    _remove_orphans()
    path = Path(tempfile.mkdtemp(prefix=f"{PROFILE_PREFIX}{os.getpid()}-"))
    multiprocessing.util.Finalize(
        None, shutil.rmtree, args=(str(path),), kwargs={"ignore_errors": True}, exitpriority=10
    )
    return path


def _remove_orphans() -> None:
    for folder in Path(tempfile.gettempdir()).glob(f"{PROFILE_PREFIX}*"):
        pid = folder.name[len(PROFILE_PREFIX) :].split("-")[0]
        try:
            if pid.isdigit():
                os.kill(int(pid), 0)
                continue  # its process still runs
            if time.time() - folder.stat().st_mtime < 86_400:
                continue  # an older version's, named without its process: leave it a day
        except ProcessLookupError:
            pass
        except OSError:
            continue  # another user's process, or a folder that is not ours to judge
        shutil.rmtree(folder, ignore_errors=True)


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
        self._profile: tuple[int, Path] | None = None  # (process, its LibreOffice profile)

    @property
    def profile(self) -> Path:
        if self._profile is None or self._profile[0] != os.getpid():
            self._profile = (os.getpid(), process_profile())
        return self._profile[1]

    def render(
        self, context: dict[str, Any], stream: IO[bytes], info: DocumentInfo = UNDATED
    ) -> None:
        with tempfile.TemporaryDirectory(prefix="liaison-pdf-") as work:
            source = Path(work) / "document.docx"
            buffer = io.BytesIO()
            self.docx.render(context, buffer, info)  # LibreOffice keeps its title
            source.write_bytes(buffer.getvalue())
            try:
                (target,) = convert(self.soffice, [source], Path(work) / "pdf", self.profile)
            except TemplateError as exc:
                raise TemplateError(exc.message, where=self.name, hint=exc.hint) from None
            stream.write(target.read_bytes())
