"""The Word templates are generated: `python tools/make_templates.py` rewrites every
forms/*/template.docx byte for byte, so an edit made only to a .docx (or only to the generator)
cannot go unnoticed."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def make_templates():
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import make_templates

        yield make_templates
    finally:
        sys.path.remove(str(ROOT / "tools"))


def test_the_generator_writes_the_committed_templates(make_templates, tmp_path):
    builders = {**make_templates.BUILDERS, **make_templates._family_builders()}
    committed = {p.parent.name for p in (ROOT / "forms").glob("*/template.docx")}
    assert set(builders) == committed
    differ = []
    for form_id, builder in sorted(builders.items()):
        path = tmp_path / f"{form_id}.docx"
        make_templates.save(builder(), path)
        if path.read_bytes() != (ROOT / "forms" / form_id / "template.docx").read_bytes():
            differ.append(form_id)
    assert not differ, f"run python tools/make_templates.py: {differ}"


@pytest.mark.parametrize("form_id", ["duty_report", "meeting_notice", "proposal"])
def test_official_body_paragraphs_have_widow_control_and_the_closing_keeps_together(form_id):
    """Body paragraphs never leave one line alone at a page's foot or head; 署名 and date stay
    on one page with what comes before them (tests/render/test_word_pages.py sees it happen)."""
    from conftest import W, docx_part

    styles = docx_part(ROOT / "forms" / form_id / "template.docx", "word/styles.xml")

    def ppr(style_id: str) -> dict[str, str | None]:
        node = styles.find(f"{W}style[@{W}styleId='{style_id}']/{W}pPr")
        return {child.tag[len(W) :]: child.get(f"{W}val") for child in node}

    for body in ("Normal", "OfficialBody"):
        assert "widowControl" in ppr(body) and ppr(body)["widowControl"] in (None, "1", "true")
    assert {"keepNext", "keepLines"} <= set(ppr("Signature"))
