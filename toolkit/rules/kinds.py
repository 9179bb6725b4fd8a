"""Which kinds of rules a file holds, by its top-level keys: one `--rules` file may hold several
kinds, and several files may each hold one (the last given wins)."""

from __future__ import annotations

from pathlib import Path

import yaml

from .. import yamltext

RECEPTION_KEYS = ("处理方式",)
SCORING_KEYS = ("名称", "积分项目", "扣分项目", "总分上限", "等次", "季度等次", "五星", "公示")
DUTY_KEYS = ("述职评议等次",)
PROPOSAL_KEYS = ("议案联名人数", "答复期限月数", "内容过于简单字数", "一事一议领域")
CALENDAR_KEYS = ("节假日",)
BOOK_KEYS = ("届期", "届次", "督办")
SCHEDULE_KEYS = ("接待日值班人数",)
TITLE_KEYS = ("名称",)  # a rules file's title: says nothing of which rules it holds


def rule_keys() -> dict[str, tuple[str, ...]]:
    """The top-level keys of each kind of rules file."""
    return {
        "reception": RECEPTION_KEYS,
        "scoring": SCORING_KEYS,
        "duty": DUTY_KEYS,
        "proposals": PROPOSAL_KEYS,
        "calendar": CALENDAR_KEYS,
        "books": BOOK_KEYS,
        "schedule": SCHEDULE_KEYS,
    }


def all_rule_keys() -> tuple[str, ...]:
    return tuple(k for keys in rule_keys().values() for k in keys)


def rule_kinds(path: Path) -> set[str]:
    """Which rules a file holds: reception, scoring, duty, or several (by its top-level keys)."""
    try:
        data = yamltext.load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return {"reception"}  # let load_rules give the exact message
    if not isinstance(data, dict):
        return {"reception"}
    kinds = {
        kind
        for kind, keys in rule_keys().items()
        if any(k in data for k in keys if k not in TITLE_KEYS)
    }
    return kinds or {"reception"}


def pick_rules(paths: tuple[Path, ...] | list[Path]) -> dict[str, Path]:
    """Kind → the file to use, among those given with --rules (repeatable; the last wins)."""
    chosen: dict[str, Path] = {}
    for path in paths:
        for kind in rule_kinds(path):
            chosen[kind] = path
    return chosen
