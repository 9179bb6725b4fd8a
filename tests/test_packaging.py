"""The package ships what it needs: every code package and every forms folder is listed in
pyproject.toml (setuptools warns of, and may drop, a folder it was not told about), the licence
covers the shipped fonts, and `python -m toolkit` runs the CLI."""

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_every_package_and_forms_folder_is_listed():
    listed = set(PROJECT["tool"]["setuptools"]["packages"])
    code = {
        ".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "toolkit").rglob("__init__.py")
    }
    data = {
        ".".join(("liaison_forms", *d.relative_to(ROOT / "forms").parts))
        for d in (ROOT / "forms").rglob("*")
        if d.is_dir() and "__pycache__" not in d.parts
    }
    data |= {  # the web page's static files and templates
        ".".join(d.relative_to(ROOT).parts)
        for d in (ROOT / "toolkit").rglob("*")
        if d.is_dir() and "__pycache__" not in d.parts and not (d / "__init__.py").exists()
    }
    assert code | data | {"liaison_forms"} == listed


def test_the_licence_names_the_fonts_licences():
    spdx = PROJECT["project"]["license"]
    assert spdx == "MIT AND OFL-1.1 AND GPL-3.0-or-later WITH Font-exception-2.0"
    for path in PROJECT["project"]["license-files"]:
        assert (ROOT / path).is_file(), path


def test_python_m_toolkit_runs_the_cli():
    out = subprocess.run(
        [sys.executable, "-m", "toolkit", "--help"], capture_output=True, text=True, check=True
    )
    assert out.stdout.startswith("用法：liaison ")
