"""The local rules of 代表建议 and 议案 (DESIGN §6), a rules file a district may replace.

`load_proposal_rules(path=None)` reads `forms/rules/proposals.yaml` (or the user's file, given
with `--rules`) into `ProposalRules`: how many deputies a 议案 needs at each level of congress
(the lead included), how many months a reply may take (ordinary and 复杂件), how short a
one-sentence section may be before it is "内容过于简单", and the subject areas with their key
words that the 一事一议 warning uses. Every mistake is a `ToolkitError` naming the file, the
line and the key, e.g. `proposals.yaml 第8行 议案联名人数“乡镇”：应为正整数，而不是“五”`.
A file without these keys (one holding only other rules) leaves the defaults in force.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import ToolkitError
from ..paths import FORMS_DIR
from .files import line_of, read_rules_file
from .kinds import PROPOSAL_KEYS

DEFAULT_PROPOSAL_RULES = FORMS_DIR / "rules" / "proposals.yaml"
LOCAL_LEVELS = ("省", "市", "县", "乡镇")
TERMS = ("一般", "复杂件")


@dataclass(frozen=True)
class ProposalRules:
    thresholds: dict[str, int]  # level of congress → deputies needed, the lead included
    months: dict[str, int]  # 一般 / 复杂件 → months after 交办日期
    short_chars: int  # a one-sentence section under this many characters is too simple
    areas: dict[str, tuple[str, ...]] = field(default_factory=dict)  # area → key words
    source: str = ""


def _mapping(node: yaml.Node | None) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(k.value): (k, v) for k, v in node.value}


def _positive(value: Any, label: str, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ToolkitError(f"{label}：应为正整数，而不是“{value}”", where=where)
    return value


# Long function: each key of the rules file checked in turn, each message naming its line.
# Long function: a rules file checked key by key, each with its Chinese message
def load_proposal_rules(path: Path | None = None) -> ProposalRules:  # noqa: C901 (the reason is above)
    path = Path(path) if path else DEFAULT_PROPOSAL_RULES
    data, node = read_rules_file(path)
    if not any(key in data for key in PROPOSAL_KEYS):
        if path != DEFAULT_PROPOSAL_RULES:
            return load_proposal_rules()  # a file of other rules: keep the defaults
        raise ToolkitError("缺少“议案联名人数”", where=path.name)
    defaults = load_proposal_rules() if path != DEFAULT_PROPOSAL_RULES else None
    nodes = _mapping(node)
    name = path.name

    def section(key: str) -> tuple[dict[str, Any], dict[str, tuple[yaml.Node, yaml.Node]]]:
        value = data.get(key)
        key_node, value_node = nodes[key]
        if not isinstance(value, dict):
            raise ToolkitError(f"“{key}”应为“名称: 数值”的列表", where=f"{name}{line_of(key_node)}")
        return value, _mapping(value_node)

    thresholds = dict(defaults.thresholds) if defaults else {}
    if "议案联名人数" in data:
        items, item_nodes = section("议案联名人数")
        for level, count in items.items():
            where = f"{name}{line_of(item_nodes[str(level)][0])}"
            if level not in LOCAL_LEVELS:
                raise ToolkitError(
                    f"议案联名人数：未知的层级“{level}”",
                    where=where,
                    hint="可用：省、市、县、乡镇（全国人大不在本工具范围内）",
                )
            thresholds[level] = _positive(count, f"议案联名人数“{level}”", where)
    months = dict(defaults.months) if defaults else {}
    if "答复期限月数" in data:
        items, item_nodes = section("答复期限月数")
        for term, count in items.items():
            where = f"{name}{line_of(item_nodes[str(term)][0])}"
            if term not in TERMS:
                raise ToolkitError(
                    f"答复期限月数：未知的键“{term}”", where=where, hint="可用的键：一般、复杂件"
                )
            months[term] = _positive(count, f"答复期限月数“{term}”", where)
    short = defaults.short_chars if defaults else 0
    if "内容过于简单字数" in data:
        where = f"{name}{line_of(nodes['内容过于简单字数'][0])}"
        short = _positive(data["内容过于简单字数"], "内容过于简单字数", where)
    areas = dict(defaults.areas) if defaults else {}
    if "一事一议领域" in data:
        items, item_nodes = section("一事一议领域")
        areas = {}
        for area, words in items.items():
            where = f"{name}{line_of(item_nodes[str(area)][0])}"
            if not isinstance(words, list) or not all(
                isinstance(w, str) and w.strip() for w in words
            ):
                raise ToolkitError(
                    f"一事一议领域“{area}”：应为关键词列表", where=where, hint="如：[学校, 学生]"
                )
            areas[str(area)] = tuple(w.strip() for w in words)
    for level in LOCAL_LEVELS:
        if level not in thresholds:
            raise ToolkitError(f"议案联名人数：缺少“{level}”", where=name)
    for term in TERMS:
        if term not in months:
            raise ToolkitError(f"答复期限月数：缺少“{term}”", where=name)
    if not short:
        raise ToolkitError("缺少“内容过于简单字数”", where=name)
    return ProposalRules(thresholds, months, short, areas, str(path))
