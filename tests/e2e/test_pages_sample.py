"""The bundled sample's PDFs hold on their content: the layout checker finds nothing on any page
(issue 12 §3). One build for the module; marked e2e (a whole build, about a minute)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pagebuild import build_and_check, pdf_forms, report
from toolkit.pagecheck import Violation
from toolkit.paths import SAMPLE_WORKBOOK

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Violation]]:
    out = tmp_path_factory.mktemp("sample") / "out"
    return out, build_and_check(SAMPLE_WORKBOOK, out)


def test_every_form_is_built_and_checked(checked: tuple[Path, list[Violation]]) -> None:
    out, _ = checked
    assert {p.parent.name for p in out.rglob("*.pdf")} == pdf_forms()


def test_no_page_of_the_sample_breaks_its_content(checked: tuple[Path, list[Violation]]) -> None:
    out, found = checked
    assert found == [], report(found, f"python -m toolkit.pagecheck {out}")
