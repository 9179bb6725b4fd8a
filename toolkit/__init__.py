"""liaison: the paperwork of People's Congress deputy liaison stations, from their workbooks.

Stages: read → validate → derive → render → write. The names in `__all__` are the library's
public API — what the CLI (`toolkit.cli`) and the web page (`toolkit.web`) call, and what a
Python user may call: they stay put while the modules behind them move. Each is imported on
first use, so `import toolkit` stays cheap (WeasyPrint and Pango load only for a PDF).
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

__version__ = "0.1.0"

# public name → the module that defines it
_API = {
    "check": "toolkit.commands.build",
    "build": "toolkit.commands.build",
    "BuildOptions": "toolkit.model",
    "BuildResult": "toolkit.model",
    "resolve_workbook": "toolkit.commands.build",
    "score_workbook": "toolkit.commands.score",
    "score_table": "toolkit.commands.score",
    "score_json": "toolkit.commands.score",
    "check_drafts": "toolkit.commands.proposal",
    "write_new_draft": "toolkit.commands.proposal",
    "draft_text": "toolkit.commands.proposal",
    "write_blank_workbook": "toolkit.commands.init",
    "make_sample": "toolkit.commands.sample",
    "run_checks": "toolkit.commands.doctor",
    "check_summary": "toolkit.commands.report",
    "build_summary": "toolkit.commands.report",
    "problem_lines": "toolkit.commands.report",
    "catalogue": "toolkit.forms",
    "select_forms": "toolkit.forms",
    "export_form": "toolkit.forms",
    "check_forms": "toolkit.commands.forms",
    "pick_rules": "toolkit.rules.kinds",
    "Problem": "toolkit.errors",
    "ToolkitError": "toolkit.errors",
    "UsageError": "toolkit.errors",
    "SAMPLE_WORKBOOK": "toolkit.paths",
}
__all__ = ["__version__", *_API]


def __getattr__(name: str) -> Any:
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'toolkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # once
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


class _Package(types.ModuleType):
    """A public name stays bound to what it names: a submodule of the same name, once imported,
    would otherwise rebind it to the module."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _API and isinstance(value, types.ModuleType):
            return  # the submodule stays reachable in sys.modules, as imports and pickle look
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
