"""PDF under conditions: Word→PDF by LibreOffice in several workers at once (a profile each,
removed after, and a hint that does not blame the javaldx warning), and a long register joined
from parts keeping its language and title."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import pytest
from hostile_books import STRESS
from pypdf import PdfReader

from conftest import reception
from toolkit.commands.build import build
from toolkit.model import BuildOptions
from toolkit.paths import FORMS_DIR
from toolkit.render import docx_pdf
from toolkit.render.templating import make_env

needs_soffice = pytest.mark.skipif(docx_pdf.soffice_path() is None, reason="no LibreOffice")
RENDERER: docx_pdf.DocxPdfRenderer | None = None  # made before the pool forks, as a build does


def _profile_in_worker() -> tuple[int, str, bool]:
    import time

    assert RENDERER is not None
    profile = RENDERER.profile
    time.sleep(0.2)  # long enough for the other worker to take a task too
    return os.getpid(), str(profile), profile.is_dir()


@needs_soffice
def test_each_worker_has_a_libreoffice_profile_of_its_own_removed_as_it_ends(tmp_path, monkeypatch):
    """One profile made before the workers started: every conversion with --jobs 2 failed."""
    global RENDERER
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    form = FORMS_DIR / "reception_form"
    RENDERER = docx_pdf.DocxPdfRenderer(form / "template.html", make_env(), "reception_form")
    with ProcessPoolExecutor(2, mp_context=get_context("fork")) as pool:
        futures = [pool.submit(_profile_in_worker) for _ in range(6)]
        seen = [future.result() for future in futures]
    RENDERER = None
    by_worker = {pid: path for pid, path, _ in seen}
    assert len(by_worker) == 2 and len(set(by_worker.values())) == 2
    assert all(exists for *_, exists in seen)
    assert all(Path(path).name.startswith(f"liaison-lo-{pid}-") for pid, path in by_worker.items())
    assert not list(tmp_path.glob("liaison-lo-*"))  # removed as the workers ended


def test_profiles_of_killed_processes_are_removed_by_the_next(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    ended = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    dead = tmp_path / f"liaison-lo-{ended.stdout.strip()}-abc"
    alive = tmp_path / f"liaison-lo-{os.getppid()}-def"
    old_style = tmp_path / "liaison-lo-k2j3h4"  # named before profiles carried their process
    for folder in (dead, alive, old_style):
        (folder / "user").mkdir(parents=True)
    os.utime(old_style, (0, 0))
    mine = docx_pdf.process_profile()
    assert mine.is_dir() and mine.name.startswith(f"liaison-lo-{os.getpid()}-")
    assert not dead.exists() and not old_style.exists() and alive.exists()


def test_the_hint_does_not_blame_the_javaldx_warning():
    javaldx = b"Warning: failed to launch javaldx - java may not function correctly\n"
    check = "请运行 liaison doctor 检查 LibreOffice，或不用 --pdf-from docx（按 HTML 模板生成 PDF）"
    assert docx_pdf.failure_hint(javaldx) == check
    said = javaldx + b"Error: source file could not be loaded\n"
    assert docx_pdf.failure_hint(said) == (
        f"LibreOffice 提示：Error: source file could not be loaded；{check}"
    )


@needs_soffice
@STRESS
def test_pdf_from_docx_with_two_workers(make_book, tmp_path):
    """The issue's case end to end: 3 failures in 3 runs with --jobs 2; no profile left."""
    rows = [reception(code=f"JD-{i:03}") for i in range(18)]
    env = {**os.environ, "TMPDIR": str(tmp_path), "PYTHONPATH": str(Path(__file__).parents[2])}
    out = tmp_path / "out"
    args = ["build", str(make_book(rows)), "--out", str(out), "--only", "reception_form"]
    args += ["--format", "pdf", "--pdf-from", "docx", "--jobs", "2"]
    done = subprocess.run(
        [sys.executable, "-m", "toolkit", *args],
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert len(list(out.rglob("*.pdf"))) == 18
    assert not list(tmp_path.glob("liaison-lo-*"))


def test_a_register_joined_from_parts_keeps_its_language_and_title(
    make_book, tmp_path, monkeypatch
):
    """Joined with pypdf, the parts lost /Lang zh-CN (the catalog is not copied)."""
    from toolkit.render import pdf

    rows = [reception(date=dt.date(2024, 3, 1 + i % 20), code=f"R{i:02d}") for i in range(40)]
    book = make_book(rows)

    def register(out: Path) -> PdfReader:
        options = BuildOptions(
            workbook=book, out=out, only=("reception_register",), formats=("pdf",), jobs=1
        )
        assert build(options).exit_code == 0
        return PdfReader(next(out.rglob("*.pdf")))

    whole = register(tmp_path / "whole")
    monkeypatch.setattr(pdf, "PART_ROWS", 15)
    joined = register(tmp_path / "joined")
    assert len(joined.pages) == len(whole.pages) > 2
    assert joined.trailer["/Root"]["/Lang"] == whole.trailer["/Root"]["/Lang"] == "zh-CN"
    assert joined.metadata.title == whole.metadata.title
    assert joined.metadata.title.startswith("接待选民登记簿")
