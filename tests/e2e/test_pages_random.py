"""A random `liaison sample --stations 5` workbook's PDFs hold on their content (issue 12 §3).

The seed is drawn anew on each run, so runs together try many workbooks; a failure names it,
and LIAISON_SAMPLE_SEED=N repeats it. One build for the module; marked e2e."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from pagebuild import build_and_check, pdf_forms, report
from toolkit.commands.sample import make_sample
from toolkit.pagecheck import Violation

pytestmark = [pytest.mark.e2e, pytest.mark.long]
SEED = int(os.environ.get("LIAISON_SAMPLE_SEED") or random.SystemRandom().randrange(1, 100_000))


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Violation]]:
    folder = tmp_path_factory.mktemp("random")
    book = folder / "台账.xlsx"
    make_sample(book, stations=5, seed=SEED)
    return folder / "out", build_and_check(book, folder / "out")


def test_every_form_is_built_and_checked(checked: tuple[Path, list[Violation]]) -> None:
    out, _ = checked
    assert {p.parent.name for p in out.rglob("*.pdf")} == pdf_forms()


def test_no_page_breaks_its_content(checked: tuple[Path, list[Violation]]) -> None:
    out, found = checked
    how = (
        f"liaison sample 台账.xlsx --stations 5 --seed {SEED} && liaison build 台账.xlsx "
        f"--format pdf --out {out.name} && python -m toolkit.pagecheck {out.name}"
        f"（重现：LIAISON_SAMPLE_SEED={SEED} pytest tests/e2e）"
    )
    assert found == [], report(found, how)
