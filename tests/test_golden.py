"""Golden tests on meaning, not bytes: what each reception document says, kept as JSON.

Run `pytest tests/test_golden.py --regen-golden` after an intended template change, and read
the diff of tests/golden/ before committing it.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pdfplumber
import pytest

from conftest import RECEPTION_FORMS, reception, word_document
from toolkit.commands.build import build
from toolkit.model import BuildOptions

GOLDEN = Path(__file__).parent / "golden"


def _docx(path: Path) -> dict:
    doc = word_document(path)
    return {
        "paragraphs": [p.text for p in doc.paragraphs if p.text.strip()],
        "cells": [[c.text for c in row.cells] for t in doc.tables for row in t.rows],
        "page_mm": [round(doc.sections[0].page_width.mm), round(doc.sections[0].page_height.mm)],
    }


def _pdf(path: Path) -> dict:
    with pdfplumber.open(path) as pdf:
        return {
            "pages": len(pdf.pages),
            "size_pt": [round(pdf.pages[0].width), round(pdf.pages[0].height)],
            "lines": [
                line for page in pdf.pages for line in (page.extract_text() or "").splitlines()
            ],
        }


def _xlsx(path: Path) -> dict:
    ws = openpyxl.load_workbook(path).active
    return {
        "rows": [[c.value for c in row] for row in ws.iter_rows()],
        "formats": [[c.number_format for c in row] for row in ws.iter_rows(min_row=3)],
        "autofilter": ws.auto_filter.ref,
        "print_titles": ws.print_title_rows,
        "orientation": ws.page_setup.orientation,
    }


READERS = {".docx": _docx, ".pdf": _pdf, ".xlsx": _xlsx}


def test_reception_documents_match_golden(make_book, tmp_path, request):
    rows = [
        reception(
            code="G1",
            content="小区北门路面破损，雨天积水。\n希望尽快修复。",
            result="已修复路面。",
            date=dt.date(2024, 3, 15),
        ),
        reception(
            code="G2",
            route="当场答复",
            unit=None,
            due=None,
            visitor="钱多多",
            date=dt.date(2024, 5, 15),
            deputies="买买提·艾力",
        ),
    ]
    out = tmp_path / "out"
    result = build(
        BuildOptions(
            only=RECEPTION_FORMS,
            workbook=make_book(rows),
            out=out,
            jobs=1,
            today=dt.date(2024, 6, 1),
        )
    )
    assert result.exit_code == 0
    meaning = {
        p.relative_to(out).as_posix(): READERS[p.suffix](p)
        for p in sorted(out.rglob("*"))
        if p.suffix in READERS
    }
    golden = GOLDEN / "reception.json"
    if request.config.getoption("--regen-golden"):
        golden.write_text(
            json.dumps(meaning, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8"
        )
        pytest.skip("golden file rewritten")
    if not golden.exists():  # never pass by writing the expectation from the output
        pytest.fail(f"{golden} is missing: run pytest --regen-golden and review it")
    expected = json.loads(golden.read_text(encoding="utf-8"))
    actual = json.loads(json.dumps(meaning, ensure_ascii=False, default=str))
    assert sorted(actual) == sorted(expected)
    for name in expected:
        assert actual[name] == expected[name], name


def _meaning(paths: list[Path], root: Path) -> dict:
    return {p.relative_to(root).as_posix(): READERS[p.suffix](p) for p in paths}


def _first_document(folder: Path) -> list[Path]:
    """The first document of a form's folder (by name), in every format it was made in."""
    stems = sorted({p.stem for p in folder.iterdir() if p.suffix in READERS})
    return sorted(p for p in folder.iterdir() if p.stem == stems[0]) if stems else []


def _forms_built(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.is_dir())


def test_every_forms_document_matches_its_golden(sample_build, request):
    """One document of every form the bundled sample makes, in each of its formats: what it
    says, kept in tests/golden/<form title>.json (the session's build: a fixed time, --as-of)."""
    out = sample_build.out
    regen = request.config.getoption("--regen-golden")
    missing, differ = [], []
    for title in _forms_built(out):
        meaning = _meaning(_first_document(out / title), out)
        golden = GOLDEN / "forms" / f"{title}.json"
        if regen:
            golden.parent.mkdir(exist_ok=True)
            text = json.dumps(meaning, ensure_ascii=False, indent=1, default=str) + "\n"
            golden.write_text(text, encoding="utf-8")
            continue
        if not golden.exists():
            missing.append(title)
            continue
        expected = json.loads(golden.read_text(encoding="utf-8"))
        actual = json.loads(json.dumps(meaning, ensure_ascii=False, default=str))
        differ += [
            f"{title}: {name}"
            for name in sorted(set(expected) | set(actual))
            if expected.get(name) != actual.get(name)
        ]
    if regen:
        pytest.skip("golden files rewritten: review the diff of tests/golden/forms/")
    assert not missing, f"no golden file for {missing}: run pytest --regen-golden and review it"
    assert not differ, "\n".join(differ)
