"""The year-end scoring rules file (DESIGN §6): what each point is for, caps, grades, 五星.

`load_scoring(path=None)` reads `forms/rules/scoring.yaml` (or the user's file) into
`ScoringRules`. The file is checked like the workbook: every mistake is a `ToolkitError` naming the
file, the line and the key, e.g. `scoring.yaml 第14行 积分项目第3项“上限”：不能为负数（-5）`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .. import contract
from ..errors import ToolkitError
from ..paths import FORMS_DIR
from .files import key_node, line_of, read_rules_file
from .kinds import SCORING_KEYS, all_rule_keys

DEFAULT_SCORING = FORMS_DIR / "rules" / "scoring.yaml"
SOURCES = {"履职活动": "参加代表", "接待登记": "接待代表", "代表建议": ""}
ROLES = {"领衔": ("领衔代表",), "附议": ("附议代表",), "领衔或附议": ("领衔代表", "附议代表")}
SCOPES = ("全部", "联络站")
ITEM_KEYS = (
    "名称",
    "来源",
    "每次",
    "上限",
    "计数",
    "活动类型",
    "备注包含",
    "备注不含",
    "角色",
    "类别",
)
DEFAULT_TITLE = "代表履职积分办法"
# What an item counts (figures.py): a reception item counts days unless the file says rows.
COUNTS = {"接待登记": ("接待天数", "收集意见"), "履职活动": ("记录",), "代表建议": ("记录",)}
QUARTERS = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}


@dataclass(frozen=True)
class Item:
    name: str
    source: str  # a sheet: 履职活动, 接待登记 or 代表建议
    points: float  # per occurrence; negative for a deduction
    cap: float | None  # the most this item adds (or, for a deduction, takes away)
    types: frozenset[str] = frozenset()  # 活动类型 filter
    note_has: tuple[str, ...] = ()
    note_lacks: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()  # the columns naming the deputy
    kinds: frozenset[str] = frozenset()  # 类别 filter for proposals
    counts: str = "记录"  # a figure of figures.py: 接待天数, 收集意见, or 记录 (each record)

    @property
    def deduction(self) -> bool:
        return self.points < 0

    @property
    def standard(self) -> str:
        """How the item is scored, as printed on the sheet: 每次 3 分，最多 30 分."""
        each = f"每次{'扣' if self.deduction else ''} {number(abs(self.points))} 分"
        if self.cap is None:
            return each
        return f"{each}，最多{'扣' if self.deduction else ''} {number(self.cap)} 分"


@dataclass(frozen=True)
class Grade:
    name: str
    floor: float | None  # None: every total below the grades above


@dataclass(frozen=True)
class Notice:
    """How a posted 公示 reads: who issues it and for how long it is posted."""

    issuer: str = ""  # 发布单位; blank: the station for its board, none on the all-stations one
    days: int = 7  # 公示期, calendar days from the day of issue
    phone: str = ""  # where to object; blank: the station's 联系电话


@dataclass(frozen=True)
class ScoringRules:
    items: tuple[Item, ...]
    total_cap: float | None
    grades: tuple[Grade, ...]
    star_share: float
    star_scope: str  # 全部 or 联络站
    source: str = ""
    title: str = DEFAULT_TITLE  # 名称: how documents cite the rules (《代表履职积分办法》)
    # 季度等次: quarter → its grades. Grades and 五星 are year-end judgements; a quarter's 公示
    # shows grades only where the file gives that quarter's cut-offs, and never 五星.
    quarter_grades: tuple[tuple[int, tuple[Grade, ...]], ...] = ()
    notice: Notice = Notice()

    def grades_for(self, quarter: int | None) -> tuple[Grade, ...] | None:
        """The cut-offs a window is graded by: the year's, a quarter's when the file gives
        them, else None (not graded)."""
        if quarter is None:
            return self.grades
        return dict(self.quarter_grades).get(quarter)

    def grade(self, total: float, grades: tuple[Grade, ...] | None = None) -> str:
        grades = self.grades if grades is None else grades
        for grade in grades:
            if grade.floor is None or total >= grade.floor:
                return grade.name
        return grades[-1].name


def number(value: float) -> str:
    """3.0 → 3, 0.5 → 0.5: points as a clerk writes them."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


class _File:
    """The YAML text with its node tree, so every message can give the line of a key."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.data, self.node = read_rules_file(path)

    def fail(self, node: yaml.Node | None, message: str, hint: str = "") -> ToolkitError:
        return ToolkitError(message, where=f"{self.path.name}{line_of(node)}", hint=hint)


def _value_node(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if k.value == key:
                return v
    return None


def _number(
    f: _File, node: yaml.Node | None, value: Any, label: str, *, positive: bool = False
) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise f.fail(node, f"{label}应为数字，而不是“{value}”", "例如 3 或 0.5，不要加“分”字")
    if value < 0:
        raise f.fail(node, f"{label}不能为负数（{number(value)}）")
    if positive and value == 0:
        raise f.fail(node, f"{label}应大于 0")
    return float(value)


def _texts(f: _File, node: yaml.Node | None, value: Any, label: str) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    if not items or not all(isinstance(v, str) and v.strip() for v in items):
        raise f.fail(node, f"{label}应为文字或文字列表", "例如 [视察, 调研]")
    return tuple(v.strip() for v in items)


# Long function: each key of an item checked in turn, each message naming its line.
# Long function: one scoring item checked field by field, each with its Chinese message
def _item(f: _File, raw: Any, node: yaml.Node, label: str, deduction: bool) -> Item:  # noqa: C901 (the reason is above)
    if not isinstance(raw, dict):
        raise f.fail(node, f"{label}应写“名称”“来源”“每次”等")
    if isinstance(raw.get("名称"), str) and raw["名称"].strip():
        label = f"{label}（{raw['名称'].strip()}）"
    for key in raw:
        if key not in ITEM_KEYS:
            raise f.fail(
                key_node(node, key),
                f"{label}：未知的键“{key}”",
                f"可用的键：{'、'.join(ITEM_KEYS)}",
            )
    for key in ("名称", "来源", "每次"):
        if key not in raw:
            raise f.fail(node, f"{label}缺少“{key}”")

    def at(key: str) -> yaml.Node | None:
        return _value_node(node, key)

    name = raw["名称"]
    if not isinstance(name, str) or not name.strip():
        raise f.fail(at("名称"), f"{label}“名称”不能为空")
    source = raw["来源"]
    if source not in SOURCES:
        raise f.fail(at("来源"), f"{label}“来源”：“{source}”不支持", f"可用：{'、'.join(SOURCES)}")
    points = _number(f, at("每次"), raw["每次"], f"{label}“每次”", positive=True)
    cap = None
    if raw.get("上限") is not None:
        cap = _number(f, at("上限"), raw["上限"], f"{label}“上限”")
    counts = COUNTS[source][0]
    if "计数" in raw:
        counts = raw["计数"]
        if counts not in COUNTS[source]:
            raise f.fail(
                at("计数"),
                f"{label}“计数”：来源为{source}时不能按“{counts}”计",
                f"可用：{'、'.join(COUNTS[source])}",
            )
    allowed = {"履职活动": ("活动类型", "备注包含", "备注不含"), "代表建议": ("角色", "类别")}
    for key in ("活动类型", "备注包含", "备注不含", "角色", "类别"):
        if key in raw and key not in allowed.get(source, ()):
            raise f.fail(key_node(node, key), f"{label}：来源为{source}时不能用“{key}”")
    types: tuple[str, ...] = ()
    if "活动类型" in raw:
        types = _texts(f, at("活动类型"), raw["活动类型"], f"{label}“活动类型”")
        for kind in types:
            if kind not in contract.ACTIVITY_TYPES:
                raise f.fail(
                    at("活动类型"),
                    f"{label}“活动类型”：未知的活动类型“{kind}”",
                    f"可用：{'、'.join(contract.ACTIVITY_TYPES)}",
                )
    roles: tuple[str, ...] = (
        ("领衔代表", "附议代表") if source == "代表建议" else (SOURCES[source],)
    )
    if "角色" in raw:
        role = raw["角色"]
        if role not in ROLES:
            raise f.fail(at("角色"), f"{label}“角色”：“{role}”不支持", f"可用：{'、'.join(ROLES)}")
        roles = ROLES[role]
    kinds: tuple[str, ...] = ()
    if "类别" in raw:
        kinds = _texts(f, at("类别"), raw["类别"], f"{label}“类别”")
        for kind in kinds:
            if kind not in contract.PROPOSAL_TYPES:
                raise f.fail(at("类别"), f"{label}“类别”：“{kind}”不支持", "可用：建议、议案")
    return Item(
        name.strip(),
        source,
        -points if deduction else points,
        cap,
        frozenset(types),
        _texts(f, at("备注包含"), raw["备注包含"], f"{label}“备注包含”")
        if "备注包含" in raw
        else (),
        _texts(f, at("备注不含"), raw["备注不含"], f"{label}“备注不含”")
        if "备注不含" in raw
        else (),
        roles,
        frozenset(kinds),
        counts,
    )


def _grades(f: _File, raw: Any, node: yaml.Node | None) -> tuple[Grade, ...]:
    if not isinstance(raw, list) or not raw:
        raise f.fail(node, "“等次”应为列表，且至少一项")
    grades: list[Grade] = []
    nodes = node.value if isinstance(node, yaml.SequenceNode) else [None] * len(raw)
    for n, (item, item_node) in enumerate(zip(raw, nodes, strict=True), start=1):
        label = f"等次第{n}项"
        if not isinstance(item, dict) or not isinstance(item.get("名称"), str):
            raise f.fail(item_node, f"{label}应写“名称”和“最低分”")
        for key in item:
            if key not in ("名称", "最低分"):
                raise f.fail(
                    key_node(item_node, key), f"{label}：未知的键“{key}”", "可用：名称、最低分"
                )
        last = n == len(raw)
        floor = item.get("最低分")
        if floor is None and not last:
            raise f.fail(
                item_node, f"{label}（{item['名称']}）缺少“最低分”", "只有最后一项可以不写"
            )
        if floor is not None:
            floor = _number(f, _value_node(item_node, "最低分"), floor, f"{label}“最低分”")
            if grades and grades[-1].floor is not None and floor >= grades[-1].floor:
                raise f.fail(item_node, f"{label}的“最低分”应低于上一项", "等次按分数从高到低写")
        grades.append(Grade(item["名称"].strip(), floor))
    return tuple(grades)


# Long function: each key of the rules file checked in turn, each message naming its line.
# Long function: a rules file checked key by key, each with its Chinese message
def load_scoring(path: Path | None = None) -> ScoringRules:  # noqa: C901 (the reason is above)
    path = Path(path) if path else DEFAULT_SCORING
    f = _File(path)
    data, root = f.data, f.node
    if not isinstance(data, dict):
        raise f.fail(root, "规则文件应为“键: 值”的形式")
    for key in data:
        if key not in all_rule_keys():
            raise f.fail(
                key_node(root, key), f"未知的键“{key}”", f"可用的键：{'、'.join(SCORING_KEYS)}"
            )
    if "积分项目" not in data:
        raise f.fail(
            root, "缺少“积分项目”", "这不是积分规则文件？默认文件见 forms/rules/scoring.yaml"
        )
    items: list[Item] = []
    for key, deduction in (("积分项目", False), ("扣分项目", True)):
        raw, node = data.get(key), _value_node(root, key)
        if raw is None and key == "扣分项目":
            continue
        if not isinstance(raw, list) or not isinstance(node, yaml.SequenceNode):
            raise f.fail(node, f"“{key}”应为列表")
        for n, (item, item_node) in enumerate(zip(raw, node.value, strict=True), start=1):
            items.append(_item(f, item, item_node, f"{key}第{n}项", deduction))
    names = [i.name for i in items]
    for name in names:
        if names.count(name) > 1:
            raise f.fail(root, f"项目名称“{name}”重复", "每个项目名称应不同，考核表按名称列出")
    total_cap = None
    if data.get("总分上限") is not None:
        total_cap = _number(f, _value_node(root, "总分上限"), data["总分上限"], "“总分上限”")
    grades = _grades(
        f,
        data.get(
            "等次", [{"名称": "好", "最低分": 80}, {"名称": "较好", "最低分": 60}, {"名称": "差"}]
        ),
        _value_node(root, "等次"),
    )
    stars, stars_node = data.get("五星") or {}, _value_node(root, "五星")
    if not isinstance(stars, dict):
        raise f.fail(stars_node, "“五星”应写“比例”和“范围”")
    for key in stars:
        if key not in ("比例", "范围"):
            raise f.fail(key_node(stars_node, key), f"“五星”：未知的键“{key}”", "可用：比例、范围")
    share = _number(f, _value_node(stars_node, "比例"), stars.get("比例", 0.1), "“五星”“比例”")
    if share > 1:
        raise f.fail(
            _value_node(stars_node, "比例"),
            f"“五星”“比例”应在 0 到 1 之间（{number(share)}）",
            "10% 写作 0.1",
        )
    scope = stars.get("范围", "全部")
    if scope not in SCOPES:
        raise f.fail(
            _value_node(stars_node, "范围"), f"“五星”“范围”：“{scope}”不支持", "可用：全部、联络站"
        )
    title = data.get("名称", DEFAULT_TITLE)
    if not isinstance(title, str) or not title.strip():
        raise f.fail(_value_node(root, "名称"), "“名称”应为规则的名称", "例如 代表履职积分办法")
    return ScoringRules(
        tuple(items),
        total_cap,
        grades,
        share,
        scope,
        str(path),
        title.strip().strip("《》"),
        _quarter_grades(f, data.get("季度等次"), _value_node(root, "季度等次")),
        _notice(f, data.get("公示"), _value_node(root, "公示")),
    )


def _quarter_grades(
    f: _File, raw: Any, node: yaml.Node | None
) -> tuple[tuple[int, tuple[Grade, ...]], ...]:
    if raw is None:
        return ()
    if not isinstance(raw, dict) or not isinstance(node, yaml.MappingNode):
        raise f.fail(node, "“季度等次”应按季度写等次", "例如 第一季度: [{名称: 好, 最低分: 20}, …]")
    names = {v: k for k, v in QUARTERS.items()}
    found = []
    for key_n, value_n in node.value:
        key = raw_key = key_n.value
        quarter = names.get(key) or (int(key) if str(key).isdigit() else 0)
        if quarter not in QUARTERS:
            raise f.fail(key_n, f"“季度等次”：“{raw_key}”不是季度", "写 第一季度 … 第四季度")
        found.append((quarter, _grades(f, raw.get(key) or raw.get(quarter), value_n)))
    return tuple(sorted(found))


def _notice(f: _File, raw: Any, node: yaml.Node | None) -> Notice:
    if raw is None:
        return Notice()
    if not isinstance(raw, dict):
        raise f.fail(node, "“公示”应写“发布单位”“公示天数”“联系电话”")
    keys = ("发布单位", "公示天数", "联系电话")
    for key in raw:
        if key not in keys:
            raise f.fail(
                key_node(node, key), f"“公示”：未知的键“{key}”", f"可用：{'、'.join(keys)}"
            )
    texts = {}
    for key in ("发布单位", "联系电话"):
        value = raw.get(key) or ""
        if not isinstance(value, str | int) or isinstance(value, bool):
            raise f.fail(_value_node(node, key), f"“{key}”应为文字")
        texts[key] = str(value).strip()
    days = raw.get("公示天数", 7)
    value = _number(f, _value_node(node, "公示天数"), days, "“公示天数”", positive=True)
    if not float(value).is_integer():
        raise f.fail(_value_node(node, "公示天数"), "“公示天数”应为整数")
    return Notice(texts["发布单位"], int(value), texts["联系电话"])
