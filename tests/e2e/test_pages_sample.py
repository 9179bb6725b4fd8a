"""The bundled sample's PDFs hold on their content: the layout checker finds nothing on any page
(issue 12 §3). Reads the session's one build of the sample; marked e2e."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SampleBuild
from pagebuild import JOBS, pdf_forms, report
from toolkit.pagecheck import Violation, check_folder, workbook_names
from toolkit.paths import SAMPLE_WORKBOOK

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def checked(sample_build: SampleBuild) -> tuple[Path, list[Violation]]:
    """The session's build of the sample (conftest), every PDF of it checked."""
    out = sample_build.out
    return out, check_folder(out, workbook_names(SAMPLE_WORKBOOK), jobs=JOBS)


def test_every_form_is_built_and_checked(checked: tuple[Path, list[Violation]]) -> None:
    out, _ = checked
    assert {p.parent.name for p in out.rglob("*.pdf")} == pdf_forms()


def test_no_page_of_the_sample_breaks_its_content(checked: tuple[Path, list[Violation]]) -> None:
    out, found = checked
    assert found == [], report(found, f"python -m toolkit.pagecheck {out}")
