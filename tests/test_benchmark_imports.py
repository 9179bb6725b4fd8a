"""The benchmarks run toolkit code in child processes from strings no linter reads: every
`from toolkit… import …` they hold, in code or in a string, must still name what exists (a move
during the restructure broke bench_margin.py unseen until it was run)."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMPORT = re.compile(r"^\s*from (toolkit[\w.]*) import ([\w, ]+)$", re.M)


def test_every_toolkit_import_in_the_benchmarks_and_tools_resolves() -> None:
    missing, seen = [], 0
    for path in sorted([*ROOT.glob("benchmarks/*.py"), *ROOT.glob("tools/*.py")]):
        for module, names in IMPORT.findall(path.read_text(encoding="utf-8")):
            seen += 1
            try:
                loaded = importlib.import_module(module)
            except ImportError:
                missing.append(f"{path.name}: {module}")
                continue
            for name in (n.split(" as ")[0].strip() for n in names.split(",")):
                if name and not hasattr(loaded, name):
                    try:
                        importlib.import_module(f"{module}.{name}")
                    except ImportError:
                        missing.append(f"{path.name}: {module}.{name}")
    assert seen > 20
    assert missing == []
