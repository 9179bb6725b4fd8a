"""What the e2e page tests share: build a workbook's PDFs once, check every page."""

from __future__ import annotations

from pathlib import Path

from toolkit.commands.build import build
from toolkit.forms import load_forms
from toolkit.model import BuildOptions
from toolkit.pagecheck import Violation, check_folder, workbook_names

JOBS = 2


def build_and_check(workbook: Path, out: Path) -> list[Violation]:
    """Every PDF of the workbook, built in `out`, and what the layout checker finds in them."""
    result = build(BuildOptions(workbook=workbook, out=out, formats=("pdf",), jobs=JOBS))
    assert result.exit_code == 0, [str(p) for p in result.data.problems][:10]
    return check_folder(out, workbook_names(workbook), jobs=JOBS)


def pdf_forms() -> set[str]:
    """The titles of the forms a build makes PDFs of (the meeting pack only with --combined)."""
    return {f.title for f in load_forms().values() if "pdf" in f.formats and f.id != "meeting_pack"}


def report(found: list[Violation], how: str) -> str:
    shown = "\n".join(str(v) for v in found[:40])
    more = f"\n……共 {len(found)} 处" if len(found) > 40 else ""
    return f"{how}\n{shown}{more}"
