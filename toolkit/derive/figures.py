"""The figures documents print, each defined once (DESIGN §6 "Figures").

A number that two documents print comes from here, so a 述职报告, a 考核表 and a register cannot
disagree about it. Each `Figure` has its unit and its rule in the words of DESIGN §6; the
per-record tests (`visitors`, `handed_off`, `closed`, `satisfied`) are the only places those
rules are written, and `DeputyFigures` counts one deputy's figures over a span of dates from the
`Mentions` index (each sheet read once for every deputy).

- 接待天数 (reception days): distinct dates on which the deputy is named in 接待登记 or in a
  进站接待 activity of 履职活动 — one date is one day however many voters came or sheets say so.
- 接待人次 (visitors): the sum of 来访人数 of those 接待登记 rows, 1 when blank.
- 收集意见 (opinions collected): those 接待登记 rows.
- 交办件数 (handed off): rows whose 处理方式 hands the matter on (the reception rules).
- 办结件数 (closed): handed-off rows with 办理结果 or 反馈日期.
- activities by 活动类型: 履职活动 rows naming the deputy, by type.
- 领衔建议 / 领衔议案 / 附议件数: 代表建议 rows the deputy leads (by 类别) or co-signs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from .. import contract


@dataclass(frozen=True)
class Figure:
    key: str  # the name templates and scoring rules use
    label: str  # how a sentence or a table names it
    unit: str
    rule: str  # how it is counted, for the README and `liaison forms show`


ACTIVITY_KINDS = tuple(t for t in contract.ACTIVITY_TYPES if t != "进站接待")

# ── a station's (or every station's) figures: the 联络站工作统计, the 年度工作总结 and the books
# (交办督办簿, 办理反馈簿, 活动/学习培训/会议记录簿, 代表履职档案). The per-row figures below
# (接待人次, 收集意见, 交办件数, 办结件数, 满意件数) count a station's 接待登记 rows by the same
# rules; a handed-off matter's state as of a date is derive/followup.py's, and these count them.
STATION_FIGURES = (
    Figure(
        "接待日数",
        "开展接待选民活动",
        "天",
        "该站接待登记的不同接待日期数，加上该站“接待选民日”会议的日期（同一天只算一次）",
    ),
    Figure(
        "按期办结",
        "按期办结",
        "件",
        "交办的行中截至统计日已办结、反馈日期不晚于办理时限（或未写反馈日期）的行数",
    ),
    Figure("逾期办结", "逾期办结", "件", "交办的行中截至统计日已办结、反馈日期晚于办理时限的行数"),
    Figure("正在办理", "正在办理", "件", "交办的行中截至统计日未办结、未过办理时限的行数"),
    Figure("逾期未办结", "逾期未办结", "件", "交办的行中截至统计日未办结、已过办理时限的行数"),
    Figure("回访件数", "办结后回访", "件", "已办结的行中填有回访日期的行数"),
    Figure("办结率", "办结率", "%", "办结件数 ÷ 交办件数"),
    Figure("评价件数", "群众评价", "件", "填有群众满意度的接待登记行数"),
    Figure("满意率", "群众满意率", "%", "（群众满意度为满意和基本满意的行数）÷ 评价件数"),
    Figure("代表人数", "联系代表", "人", "代表名册中所属联络站为该站的代表人数"),
    Figure("接待代表", "参加接待的代表", "人", "其中接待天数至少 1 次的代表人数"),
    Figure("进站率", "代表进站率", "%", "接待代表 ÷ 代表人数"),
    Figure(
        "站点活动",
        "组织代表参加履职活动",
        "次",
        "履职活动中列有该站代表的行数（进站接待计入接待，不在此列），按活动类型分列",
    ),
    Figure(
        "活动次数",
        "开展履职活动",
        "次",
        "履职活动中列有本站代表的行数（代表活动记录簿，含进站接待）",
    ),
    Figure(
        "参加人次", "代表参加", "人次", "这些活动中本站代表的人数之和（一行中同一代表只算一次）"
    ),
    Figure("会议次数", "召开会议", "次", "会议中联络站为该站的行数，按会议类型分列"),
    Figure("应到人次", "应到会", "人次", "这些会议应到人数之和（未填应到人数的按参会代表人数）"),
    Figure(
        "代表建议",
        "代表领衔提出建议、议案",
        "件",
        "代表建议中领衔代表为该站代表的行数，建议、议案分列",
    ),
    Figure("已答复", "已答复", "件", "其中填有办理结果类别的行数，按 A、B、C、D 分列"),
    Figure(
        "建议满意率",
        "代表对办理的满意率",
        "%",
        "（代表满意度为满意和基本满意的行数）÷ 填有代表满意度的行数",
    ),
    Figure("票决项目", "票决民生实事项目", "个", "该站民生实事票决会（会议编号对应）的票决项目数"),
    Figure("通过项目", "票决通过", "个", "其中赞成票超过应到人数一半的项目数"),
    Figure(
        "任期累计积分",
        "任期累计积分",
        "分",
        "届期内各年度履职积分总分之和（每年按积分规则和总分上限计，没有记录的年份为 0）",
    ),
)
FOLLOW_UP_FIGURES = {  # followup.STATES → the figure that counts it
    "已办结": "按期办结",
    "办结逾期": "逾期办结",
    "办理中": "正在办理",
    "逾期未办结": "逾期未办结",
}

FIGURES: dict[str, Figure] = {
    f.key: f
    for f in (
        Figure(
            "接待天数",
            "进站接待选民",
            "次",
            "接待登记或进站接待活动中列有该代表的不同日期数（同一天只算一次）",
        ),
        Figure("接待人次", "接待选民", "人次", "这些接待登记的来访人数之和，未填来访人数的按 1 人"),
        Figure("收集意见", "收集意见建议", "件", "接待登记中列有该代表的行数"),
        Figure("交办件数", "交有关单位办理", "件", "其中处理方式属于交办的行数"),
        Figure("办结件数", "已办结", "件", "交办的行中填有办理结果或反馈日期的行数"),
        Figure("满意件数", "群众满意", "件", "群众满意度为“满意”的行数"),
        *(
            Figure(kind, kind, "次", f"履职活动中列有该代表、活动类型为“{kind}”的行数")
            for kind in ACTIVITY_KINDS
        ),
        Figure("活动总数", "参加履职活动", "次", "履职活动中列有该代表的行数（进站接待除外）"),
        Figure("领衔建议", "领衔提出建议", "件", "代表建议中该代表领衔、类别为建议的行数"),
        Figure("领衔议案", "领衔提出议案", "件", "代表建议中该代表领衔、类别为议案的行数"),
        Figure("附议件数", "附议建议、议案", "件", "代表建议中列该代表为附议代表的行数"),
        *STATION_FIGURES,
    )
}


class Row(Protocol):
    """A record or anything that reads like one by column name."""

    def __getitem__(self, name: str) -> Any: ...


def visitors(record: Row) -> int:
    """来访人数, 1 when blank: every registered visit is at least one voter."""
    count = record["来访人数"]
    return 1 if count is None else int(count)


def handed_off(record: Row, handed_on: frozenset[str]) -> bool:
    return record["处理方式"] in handed_on


def closed(record: Row, handed_on: frozenset[str]) -> bool:
    return handed_off(record, handed_on) and bool(record["办理结果"] or record["反馈日期"])


def satisfied(record: Row) -> bool:
    return record["群众满意度"] == "满意"


def quantity(count: int, figure: str) -> str:
    """5 and 接待人次 → “5人次”: a number never printed without its unit."""
    return f"{count}{FIGURES[figure].unit}"


@dataclass
class ReceptionTotals:
    """Totals of a set of 接待登记 rows (a register, a station's year), counted as rows go past.

    The keys are the figures'; 接待次数 stays as the name older templates used for the rows
    (收集意见), so a form exported before this change still prints."""

    handed_on: frozenset[str]
    counts: dict[str, int] = field(default_factory=dict)
    days: set[dt.date] = field(default_factory=set)

    def __post_init__(self) -> None:
        keys = ("接待天数", "接待人次", "收集意见", "交办件数", "办结件数", "满意件数")
        self.counts = dict.fromkeys((*keys, "接待次数", "来访人数"), 0)

    def add(self, record: Row) -> None:
        counts = self.counts
        counts["收集意见"] += 1
        counts["接待人次"] += visitors(record)
        counts["交办件数"] += handed_off(record, self.handed_on)
        counts["办结件数"] += closed(record, self.handed_on)
        counts["满意件数"] += satisfied(record)
        if isinstance(record["接待日期"], dt.date):
            self.days.add(record["接待日期"])
        counts["接待天数"] = len(self.days)
        counts["接待次数"] = counts["收集意见"]  # the older names of the same figures
        counts["来访人数"] = counts["接待人次"]


# ── one deputy's figures ────────────────────────────────────────────────────────────────────


class Visit:
    """What the figures need of a reception: a district has tens of thousands, kept small here
    (the full records stay on disk, see records.py)."""

    FIELDS = ("接待日期", "联络站", "来访人数", "处理方式", "办理结果", "反馈日期", "群众满意度")
    __slots__ = ("digest", "row", "title", "values")

    def __init__(self, record: Any) -> None:
        self.values = {k: record[k] for k in self.FIELDS}
        self.title, self.row, self.digest = record.title, record.row, record.digest

    def __getitem__(self, name: str) -> Any:
        return self.values[name]


@dataclass
class Mentions:
    """One deputy's records of a span: activities, receptions (as `Visit`s), proposals led and
    co-signed, each in sheet order and each once."""

    activities: list[Any] = field(default_factory=list)
    receptions: list[Visit] = field(default_factory=list)
    led: list[Any] = field(default_factory=list)
    cosigned: list[Any] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(self.activities or self.receptions or self.led or self.cosigned)


def proposal_date(record: Row) -> dt.date | None:
    """The date a proposal counts on: when it was made, else when it was handed on."""
    return record["提出日期"] or record["交办日期"]


def index_mentions(
    activities: Iterable[Any],
    receptions: Iterable[Any],
    proposals: Iterable[Any],
    within: Callable[[dt.date | None], bool],
) -> dict[str, Mentions]:
    """Each deputy's records within the span, in one pass over each sheet: asking every sheet for
    every deputy would grow with deputies × records (3,000 × 50,000 in a city)."""
    index: dict[str, Mentions] = {}

    def of(name: str) -> Mentions:
        found = index.get(name)
        if found is None:
            found = index[name] = Mentions()
        return found

    for r in activities:
        if within(r["活动日期"]):
            for name in dict.fromkeys(r["参加代表"] or ()):
                of(name).activities.append(r)
    for r in receptions:
        if within(r["接待日期"]):
            visit = Visit(r)
            for name in dict.fromkeys(r["接待代表"] or ()):
                of(name).receptions.append(visit)
    for r in proposals:
        if within(proposal_date(r)):
            lead = r["领衔代表"]
            if lead:
                of(lead).led.append(r)
            for name in dict.fromkeys(r["附议代表"] or ()):
                if name != lead:
                    of(name).cosigned.append(r)
    return index


def reception_days(mine: Mentions) -> list[dt.date]:
    """The 接待天数 of DESIGN §6: the distinct dates, from both sheets, in order."""
    days = {r["接待日期"] for r in mine.receptions if isinstance(r["接待日期"], dt.date)}
    days |= {r["活动日期"] for r in mine.activities if r["活动类型"] == "进站接待"}
    return sorted(days)


def deputy_counts(mine: Mentions, handed_on: frozenset[str]) -> dict[str, int]:
    """Every figure of one deputy, 0 when none."""
    receptions = mine.receptions
    kinds = dict.fromkeys(ACTIVITY_KINDS, 0)
    for r in mine.activities:
        if r["活动类型"] in kinds:
            kinds[r["活动类型"]] += 1
    return {
        "接待天数": len(reception_days(mine)),
        "接待人次": sum(visitors(r) for r in receptions),
        "收集意见": len(receptions),
        "交办件数": sum(1 for r in receptions if handed_off(r, handed_on)),
        "办结件数": sum(1 for r in receptions if closed(r, handed_on)),
        "满意件数": sum(1 for r in receptions if satisfied(r)),
        **kinds,
        "活动总数": sum(kinds.values()),
        "领衔建议": sum(1 for r in mine.led if r["类别"] == "建议"),
        "领衔议案": sum(1 for r in mine.led if r["类别"] == "议案"),
        "附议件数": len(mine.cosigned),
    }


# ── follow-up totals (交办督办簿, 办理反馈簿) ─────────────────────────────────────────────────


@dataclass
class FollowUpTotals:
    """The states of a set of handed-off matters as of one date (a unit's, a register's):
    交办件数 and one count per state, so 交办件数 = 按期办结 + 逾期办结 + 正在办理 + 逾期未办结."""

    counts: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        keys = ("交办件数", *FOLLOW_UP_FIGURES.values(), "办结件数", "回访件数")
        self.counts = dict.fromkeys(keys, 0)

    def add(self, state: str, revisited: bool = False) -> None:
        """One matter in `state` (followup.STATES); `revisited`: it has a 回访日期."""
        counts = self.counts
        counts["交办件数"] += 1
        counts[FOLLOW_UP_FIGURES[state]] += 1
        if state in ("已办结", "办结逾期"):
            counts["办结件数"] += 1
            counts["回访件数"] += revisited
