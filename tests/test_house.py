"""The house's rules a linter does not know (issue 13): a module over 400 lines, or a function
over 60, says why in a comment (`# Long module:` near its top, `# Long function:` in the lines
just above the def or at the top of its body). ruff holds complexity (C901) and statements
(PLR0915); lint-imports holds the layers (.ci/run runs both)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULE_LINES, FUNCTION_LINES = 400, 60


def _sources() -> list[Path]:
    return sorted((ROOT / "toolkit").rglob("*.py"))


def test_a_long_module_says_why() -> None:
    silent = []
    for path in _sources():
        lines = path.read_text(encoding="utf-8").splitlines()
        if len(lines) > MODULE_LINES and not any("# Long module:" in line for line in lines[:40]):
            silent.append(f"{path.relative_to(ROOT)} ({len(lines)} lines)")
    assert silent == []


def test_a_long_function_says_why() -> None:
    silent = []
    for path in _sources():
        lines = path.read_text(encoding="utf-8").splitlines()
        for node in ast.walk(ast.parse("\n".join(lines))):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            near = lines[first - 4 : node.body[0].lineno + 2]  # a reason may take three lines
            if length > FUNCTION_LINES and not any("# Long function:" in line for line in near):
                silent.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({length})")
    assert silent == []
