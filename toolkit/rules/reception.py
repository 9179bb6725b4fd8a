"""The reception handling routes (DESIGN §6), a local rule a district may replace.

`load_rules(path=None)` reads `forms/rules/reception.yaml` (or the user's file) into `Rules`. A
malformed file is a `ToolkitError` naming the file, the line and the key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import ToolkitError
from ..paths import FORMS_DIR
from ..values import Days, ValueProblem, parse_deadline
from .files import key_node, line_of, read_rules_file
from .kinds import all_rule_keys

DEFAULT_RULES = FORMS_DIR / "rules" / "reception.yaml"


@dataclass(frozen=True)
class Rules:
    routes: tuple[str, ...]
    handed_on: frozenset[str]
    source: str = ""
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # 时限: the default time limit of a route that hands a matter on, when 办理时限 is blank
    limits: dict[str, Days] = field(default_factory=dict)


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
    limits: dict[str, Days] = {}
    for item, item_node in zip(items, items_node.value, strict=True):
        where = f"{path.name}{line_of(item_node)}"
        if not isinstance(item, dict):
            raise ToolkitError("每项应写“名称”和“交办”", where=where)
        unknown = set(item) - {"名称", "交办", "时限"}
        if unknown:
            raise ToolkitError(
                f"未知的键“{sorted(unknown)[0]}”", where=where, hint="可用的键：名称、交办、时限"
            )
        name, hand_on = item.get("名称"), item.get("交办", False)
        if not isinstance(name, str) or not name.strip():
            raise ToolkitError("“名称”不能为空", where=where)
        if not isinstance(hand_on, bool):
            raise ToolkitError(f"“交办”应为 true 或 false，而不是“{hand_on}”", where=where)
        routes.append(name.strip())
        if hand_on:
            handed.add(name.strip())
        if item.get("时限") is not None:
            try:
                limit = parse_deadline(str(item["时限"]))
            except ValueProblem as problem:
                raise ToolkitError(
                    f"“时限”：{problem.message}", where=where, hint=problem.hint
                ) from None
            if not isinstance(limit, Days):
                raise ToolkitError(
                    f"“时限”应为天数，而不是“{item['时限']}”",
                    where=where,
                    hint="如 15个工作日、30天",
                )
            limits[name.strip()] = limit
    choices = {"处理方式": tuple(routes)}
    return Rules(tuple(routes), frozenset(handed), str(path), choices, limits)
