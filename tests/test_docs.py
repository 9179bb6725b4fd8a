"""Every command and every form is documented in README.md (model: datasette's test_docs)."""

from pathlib import Path

import pytest

from toolkit.cli import cli
from toolkit.forms import load_forms

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_is_documented(command):
    assert f"liaison {command}" in README


@pytest.mark.parametrize("form", load_forms().values(), ids=lambda f: f.id)
def test_every_form_is_documented(form):
    assert f"`{form.id}`" in README and form.title in README


def test_readme_starts_with_the_two_commands():
    lines = [line for line in README.splitlines() if line.startswith("bash scripts/")]
    assert "python3 -m venv .venv" in lines[0] and "pip install -e . && liaison build" in lines[0]
    assert 'pip install -e ".[test]" && pytest' in lines[1]
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert lines[1].split("#")[0].strip() in ci


def test_every_figure_is_documented_with_its_unit_and_rule():
    from toolkit.derive.figures import FIGURES

    for figure in FIGURES.values():
        assert f"| {figure.key} | {figure.label} | {figure.unit} | {figure.rule} |" in README
