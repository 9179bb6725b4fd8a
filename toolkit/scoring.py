"""Year-end scoring (DESIGN §6): each deputy's points by the rules file, ranks, grades and 五星.

`score(data, rules, window)` makes one pass over each sheet the rules count from, so it is linear
in the number of records; every deputy of the roster gets a score, those without records 0.
Ranks are shared by ties (1, 1, 3); 五星 goes to the deputies ranked within the top ceil(share × N)
(ties at the boundary included), over the whole list or per station as the rules say.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from fractions import Fraction

from . import chinese
from .errors import WARNING, Problem
from .names import Deputy
from .scoring_rules import Item, ScoringRules
from .validate import Dataset, Record

# The date a record counts on: its required date, or for a proposal when it was made (or handed on).
DATE_COLUMNS = {
    "履职活动": ("活动日期",),
    "接待登记": ("接待日期",),
    "代表建议": ("提出日期", "交办日期"),
}
QUARTER_ENDS = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}


@dataclass(frozen=True)
class Window:
    """The dates a score covers, with the label its documents print (2024年度, 2024年第三季度)."""

    start: dt.date
    end: dt.date
    label: str

    @classmethod
    def year(cls, year: int) -> Window:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31), f"{year}年度")

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Window:
        month, day = QUARTER_ENDS[quarter]
        return cls(
            dt.date(year, 1, 1),
            dt.date(year, month, day),
            f"{year}年第{chinese.cn_number(quarter)}季度",
        )


@dataclass(frozen=True)
class Source:
    """One record a point came from, as the appendix lists it."""

    sheet: str  # the sheet's title in the file
    row: int
    date: dt.date
    kind: str  # 活动类型, 进站接待, or 领衔建议 / 附议议案 …
    topic: str


@dataclass
class ItemScore:
    item: Item
    sources: list[Source] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.sources)

    @property
    def raw(self) -> float:
        return self.count * self.item.points

    @property
    def points(self) -> float:
        """The points counted: the raw points held to the cap (a deduction to minus the cap)."""
        cap = self.item.cap
        if cap is None:
            return self.raw
        return max(self.raw, -cap) if self.item.deduction else min(self.raw, cap)

    @property
    def capped(self) -> bool:
        return self.points != self.raw


@dataclass
class DeputyScore:
    deputy: Deputy
    items: list[ItemScore]
    subtotal: float = 0.0  # sum of the items, before the cap on the total
    total: float = 0.0
    grade: str = ""
    rank: int = 0  # among every deputy scored
    station_rank: int = 0  # among the deputies of the deputy's station
    star: bool = False

    @property
    def total_capped(self) -> bool:
        return self.total != self.subtotal


@dataclass
class Scoreboard:
    window: Window
    rules: ScoringRules
    scores: list[DeputyScore]  # in rank order; ties by station, then roster row
    problems: list[Problem] = field(default_factory=list)

    @property
    def star_count(self) -> int:
        return sum(1 for s in self.scores if s.star)

    def by_display(self) -> dict[str, DeputyScore]:
        return {s.deputy.display: s for s in self.scores}


def record_day(record: Record) -> dt.date | None:
    for column in DATE_COLUMNS.get(record.sheet, ()):
        value = record[column]
        if isinstance(value, dt.date):
            return value
    return None


def _matches(item: Item, record: Record) -> bool:
    if item.types and record["活动类型"] not in item.types:
        return False
    note = record["备注"] or "" if item.source == "履职活动" else ""
    if item.note_has and not any(text in note for text in item.note_has):
        return False
    if item.note_lacks and any(text in note for text in item.note_lacks):
        return False
    return not (item.kinds and record["类别"] not in item.kinds)


def _describe(item: Item, record: Record, role: str) -> tuple[str, str]:
    if record.sheet == "履职活动":
        return record["活动类型"] or "", record["活动主题"] or ""
    if record.sheet == "接待登记":
        return "进站接待", _brief(record["反映内容"] or "")
    kind = record["类别"] or "建议"
    return f"{'领衔' if role == '领衔代表' else '附议'}{kind}", record["标题"] or ""


def _brief(text: str, limit: int = 40) -> str:
    """A reception's content cut to a line or two: the appendix cites it, the register has it."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def score(data: Dataset, rules: ScoringRules, window: Window) -> Scoreboard:
    deputies = list(data.roster.deputies)
    scores = {
        d.display: DeputyScore(d, [ItemScore(item) for item in rules.items]) for d in deputies
    }
    problems: list[Problem] = []
    by_source: dict[str, list[int]] = {}
    for index, item in enumerate(rules.items):
        by_source.setdefault(item.source, []).append(index)
    for sheet, indexes in by_source.items():
        for record in data.rows(sheet):
            day = record_day(record)
            if day is None:
                if any(_matches(rules.items[i], record) for i in indexes):
                    column = DATE_COLUMNS[sheet][0]
                    problems.append(
                        Problem(
                            record.title,
                            record.row,
                            "没有日期，无法计入哪一年的履职积分",
                            column,
                            record.cols.get(column, 0),
                            WARNING,
                            f"请填写{'或'.join(DATE_COLUMNS[sheet])}",
                        )
                    )
                continue
            if not window.start <= day <= window.end:
                continue
            for index in indexes:
                item = rules.items[index]
                if not _matches(item, record):
                    continue
                seen: set[str] = set()  # one record counts once per deputy and item
                for role in item.roles:
                    for name in _names(record[role]):
                        if name in seen or name not in scores:
                            continue
                        seen.add(name)
                        kind, topic = _describe(item, record, role)
                        scores[name].items[index].sources.append(
                            Source(record.title, record.row, day, kind, topic)
                        )
    for entry in scores.values():
        entry.subtotal = sum(i.points for i in entry.items)
        cap = rules.total_cap
        entry.total = min(entry.subtotal, cap) if cap is not None else entry.subtotal
        entry.grade = rules.grade(entry.total)
    ordered = sorted(scores.values(), key=lambda s: (-s.total, s.deputy.station, s.deputy.row))
    _rank(ordered, "rank")
    stations: dict[str, list[DeputyScore]] = {}
    for entry in ordered:
        stations.setdefault(entry.deputy.station, []).append(entry)
    for group in stations.values():
        _rank(group, "station_rank")
    groups = list(stations.values()) if rules.star_scope == "联络站" else [ordered]
    attribute = "station_rank" if rules.star_scope == "联络站" else "rank"
    for group in groups:
        cut = star_cut(rules.star_share, len(group))
        for entry in group:
            entry.star = entry.total > 0 and getattr(entry, attribute) <= cut
    return Scoreboard(window, rules, ordered, problems)


def star_cut(share: float, people: int) -> int:
    """ceil(share × people) in exact arithmetic: 0.1 × 30 is 3, not 3.0000000000000004 → 4."""
    return math.ceil(Fraction(str(share)) * people)


def _rank(ordered: list[DeputyScore], attribute: str) -> None:
    """Competition ranking: equal totals share a rank, and the next rank skips (1, 1, 3)."""
    previous: float | None = None
    rank = 0
    for position, entry in enumerate(ordered, start=1):
        if entry.total != previous:
            rank, previous = position, entry.total
        setattr(entry, attribute, rank)


def _names(value: object) -> tuple[str, ...]:
    if isinstance(value, tuple):
        return value
    return (value,) if isinstance(value, str) and value else ()


def latest_year(data: Dataset, rules: ScoringRules, today: dt.date) -> int:
    """The year a score is for when none is given: the latest with a counted record."""
    years = record_years(data, rules)
    return max(years) if years else today.year


def record_years(data: Dataset, rules: ScoringRules) -> set[int]:
    years: set[int] = set()
    for sheet in {item.source for item in rules.items}:
        for record in data.rows(sheet):
            day = record_day(record)
            if day is not None:
                years.add(day.year)
    return years
