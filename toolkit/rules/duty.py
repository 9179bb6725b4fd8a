"""The grade thresholds of the 述职评议 tally (DESIGN §6), a rules file a district may replace.

`load_duty_rules(path=None)` reads `forms/rules/duty.yaml` (or the user's file) into `DutyRules`:
grades from the highest down, each with the least share (a percentage of the valid ballots
marked 满意 or 基本满意) that earns it; the last has no floor. Shares are compared as exact
fractions, so 80% of 5 ballots is 称职 and not lost to rounding. Every mistake is a
`ToolkitError` naming the file, the line and the key, e.g.
`duty.yaml 第6行 述职评议等次第2项“不低于”：应为 0 到 100 之间的数，而不是“八十”`.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import yaml

from ..errors import ToolkitError
from ..paths import FORMS_DIR
from .files import line_of, read_rules_file

DEFAULT_DUTY_RULES = FORMS_DIR / "rules" / "duty.yaml"
GRADE_KEYS = ("名称", "不低于")


@dataclass(frozen=True)
class DutyGrade:
    name: str
    floor: Fraction | None  # percent; None: every share below the grades above


@dataclass(frozen=True)
class DutyRules:
    grades: tuple[DutyGrade, ...]
    source: str = ""

    def grade(self, approving: int, valid: int) -> str:
        """The grade of `approving` (满意 + 基本满意) out of `valid` ballots; "" with none."""
        if valid <= 0:
            return ""
        share = Fraction(approving * 100, valid)
        for grade in self.grades:
            if grade.floor is None or share >= grade.floor:
                return grade.name
        return self.grades[-1].name

    @property
    def description(self) -> str:
        """称职 ≥80%，基本称职 ≥50%，其余 不称职 — printed under the tally."""
        parts = [
            f"{g.name}≥{_percent(g.floor)}%" if g.floor is not None else f"其余为{g.name}"
            for g in self.grades
        ]
        return "，".join(parts)


def _percent(value: Fraction) -> str:
    return str(int(value)) if value.denominator == 1 else f"{float(value):g}"


def load_duty_rules(path: Path | None = None) -> DutyRules:
    path = Path(path) if path else DEFAULT_DUTY_RULES
    data, node = read_rules_file(path)
    nodes = {k.value: (k, v) for k, v in node.value}
    if "述职评议等次" not in data:
        if path != DEFAULT_DUTY_RULES:
            return load_duty_rules(DEFAULT_DUTY_RULES)  # a file of other rules: keep defaults
        raise ToolkitError("缺少“述职评议等次”", where=path.name)
    key_node, items_node = nodes["述职评议等次"]
    items = data["述职评议等次"]
    if (
        not isinstance(items, list)
        or len(items) < 2
        or not isinstance(items_node, yaml.SequenceNode)
    ):
        raise ToolkitError(
            "“述职评议等次”应为列表，至少两项",
            where=f"{path.name}{line_of(key_node)}",
            hint="如：- 名称: 称职 / 不低于: 80",
        )
    grades: list[DutyGrade] = []
    for index, (item, item_node) in enumerate(zip(items, items_node.value, strict=True), 1):
        grades.append(_grade(item, item_node, index, len(items), path.name, grades))
    return DutyRules(tuple(grades), str(path))


def _grade(
    item: Any, node: yaml.Node, index: int, count: int, file: str, above: list[DutyGrade]
) -> DutyGrade:
    label = f"述职评议等次第{index}项"
    where = f"{file}{line_of(node)}"
    if not isinstance(item, dict) or not isinstance(node, yaml.MappingNode):
        raise ToolkitError(f"{label}：应写“名称”和“不低于”", where=where)
    keys = {k.value: k for k, _ in node.value}
    for key in item:
        if key not in GRADE_KEYS:
            raise ToolkitError(
                f"{label}：未知的键“{key}”",
                where=f"{file}{line_of(keys.get(key))}",
                hint="可用的键：名称、不低于",
            )
    name = item.get("名称")
    if not isinstance(name, str) or not name.strip():
        raise ToolkitError(f"{label}“名称”：不能为空", where=where)
    if name.strip() in {g.name for g in above}:
        raise ToolkitError(f"{label}“名称”：“{name.strip()}”重复", where=where)
    floor = item.get("不低于")
    floor_where = f"{file}{line_of(keys.get('不低于'))}"
    if index == count:
        if floor is not None:
            raise ToolkitError(
                f"{label}“不低于”：最后一项是其余情况，不写下限",
                where=floor_where,
            )
        return DutyGrade(name.strip(), None)
    if isinstance(floor, bool) or not isinstance(floor, int | float) or not 0 <= floor <= 100:
        raise ToolkitError(
            f"{label}“不低于”：应为 0 到 100 之间的数，而不是“{floor}”", where=floor_where
        )
    value = Fraction(str(floor))
    if above and above[-1].floor is not None and value >= above[-1].floor:
        raise ToolkitError(
            f"{label}“不低于”：{_percent(value)} 应低于上一项的 {_percent(above[-1].floor)}",
            where=floor_where,
            hint="等次从高到低排列",
        )
    return DutyGrade(name.strip(), value)
