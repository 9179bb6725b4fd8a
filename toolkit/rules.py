"""Local rules that a district may replace: the reception handling routes (DESIGN §6).

`load_rules(path=None)` reads `forms/rules/reception.yaml` (or the user's file) into `Rules`. A
malformed file is a `ToolkitError` naming the file, the line and the key.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import yamltext
from .errors import ToolkitError, os_reason
from .paths import FORMS_DIR

DEFAULT_RULES = FORMS_DIR / "rules" / "reception.yaml"
RECEPTION_KEYS = ("处理方式",)
TITLE_KEYS = ("名称",)


@dataclass(frozen=True)
class Rules:
    routes: tuple[str, ...]
    handed_on: frozenset[str]
    source: str = ""
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)


_READ: dict[tuple[str, int, int], tuple[dict[str, Any], yaml.MappingNode]] = {}


def read_rules_file(path: Path) -> tuple[dict[str, Any], yaml.MappingNode]:
    """A rules file's mapping and its node tree (for the line of each key). A file that cannot be
    read, is not YAML, or is not “键: 值” is a ToolkitError naming the file (and the line).

    Parsed once per version of the file: a build asks for it to recognise its kind and then to
    load each kind (about nine parses of one `--rules` file before). The mapping is handed out
    as a copy, so no reader can change another's."""
    try:
        stat = path.stat()
        key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
        found = _READ.get(key)
        if found is not None:
            return copy.deepcopy(found[0]), found[1]
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ToolkitError(f"无法读取规则文件“{path}”：{os_reason(exc)}") from None
    try:
        node = yamltext.compose(text)
        data: Any = yamltext.load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path.name} 第{mark.line + 1}行" if mark else path.name
        raise ToolkitError(
            "规则文件格式有误", where=where, hint="请检查缩进和冒号（YAML 格式）"
        ) from None
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        raise ToolkitError("规则文件应为“键: 值”的形式", where=path.name)
    _READ[key] = (copy.deepcopy(data), node)
    return data, node


def line_of(node: yaml.Node | None) -> str:
    """ " 第N行" of a node of a rules file, for the place of a message ("" without a node)."""
    return f" 第{node.start_mark.line + 1}行" if node is not None else ""


def load_rules(path: Path | None = None) -> Rules:
    path = Path(path) if path else DEFAULT_RULES
    data, node = read_rules_file(path)
    keys = {k.value: v for k, v in node.value}
    for key in data:
        if key not in all_rule_keys():  # one file may hold several kinds of rules
            raise ToolkitError(
                f"未知的键“{key}”",
                where=f"{path.name}{line_of(key_node(node, key))}",
                hint=f"可用的键：{'、'.join(all_rule_keys())}",
            )
    if "处理方式" not in data and path != DEFAULT_RULES:
        return load_rules(DEFAULT_RULES)  # a scoring-only file: receptions keep the defaults
    items = data.get("处理方式")
    items_node = keys.get("处理方式")
    if not isinstance(items, list) or not items or not isinstance(items_node, yaml.SequenceNode):
        raise ToolkitError(
            "“处理方式”应为列表，且至少一项", where=f"{path.name}{line_of(items_node)}"
        )
    routes: list[str] = []
    handed: set[str] = set()
    for item, item_node in zip(items, items_node.value, strict=True):
        where = f"{path.name}{line_of(item_node)}"
        if not isinstance(item, dict):
            raise ToolkitError("每项应写“名称”和“交办”", where=where)
        unknown = set(item) - {"名称", "交办"}
        if unknown:
            raise ToolkitError(
                f"未知的键“{sorted(unknown)[0]}”", where=where, hint="可用的键：名称、交办"
            )
        name, hand_on = item.get("名称"), item.get("交办", False)
        if not isinstance(name, str) or not name.strip():
            raise ToolkitError("“名称”不能为空", where=where)
        if not isinstance(hand_on, bool):
            raise ToolkitError(f"“交办”应为 true 或 false，而不是“{hand_on}”", where=where)
        routes.append(name.strip())
        if hand_on:
            handed.add(name.strip())
    return Rules(tuple(routes), frozenset(handed), str(path), {"处理方式": tuple(routes)})


def key_node(node: yaml.Node | None, key: str) -> yaml.Node | None:
    """The node of `key` itself in a mapping node (its line is the key's line)."""
    if isinstance(node, yaml.MappingNode):
        for k, _ in node.value:
            if k.value == key:
                return k
    return None


def rule_keys() -> dict[str, tuple[str, ...]]:
    """The top-level keys of each kind of rules file."""
    from .duty_rules import DUTY_KEYS
    from .proposals_rules import PROPOSAL_KEYS
    from .scoring_rules import TOP_KEYS

    return {
        "reception": RECEPTION_KEYS,
        "scoring": TOP_KEYS,
        "duty": DUTY_KEYS,
        "proposals": PROPOSAL_KEYS,
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
    # 名称 (a rules file's title) says nothing of which rules a file holds.
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
