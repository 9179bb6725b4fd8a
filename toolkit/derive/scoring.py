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

from .. import chinese
from ..errors import WARNING, Problem
from ..model import Dataset, Record
from ..names import Deputy
from ..rules.scoring import SOURCES, Grade, Item, ScoringRules

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
    quarter: int | None = None  # a quarterly 公示: totals from 1 January to the quarter's end

    @classmethod
    def year(cls, year: int) -> Window:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31), f"{year}年度")

    @classmethod
    def quarter_of(cls, year: int, quarter: int) -> Window:
        month, day = QUARTER_ENDS[quarter]
        return cls(
            dt.date(year, 1, 1),
            dt.date(year, month, day),
            f"{year}年第{chinese.cn_number(quarter)}季度",
            quarter,
        )

    @property
    def whole_year(self) -> bool:
        return (
            self.quarter is None
            and (self.start.month, self.start.day) == (1, 1)
            and (self.end.month, self.end.day) == (12, 31)
            and self.start.year == self.end.year
        )


@dataclass(frozen=True)
class Source:
    """One record a point came from (or one reception day), as the appendix lists it."""

    sheet: str  # the sheet's title in the file
    row: int
    date: dt.date
    kind: str  # 活动类型, 进站接待, or 领衔建议 / 附议议案 …
    topic: str
    where: str = ""  # several rows of a reception day: 接待登记 第3、7行；履职活动 第12行


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
    graded: bool = True  # grades given: a whole year, or a quarter the rules give cut-offs for
    starred: bool = True  # 五星 given: a whole year only

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
    scores = {
        d.display: DeputyScore(d, [ItemScore(item) for item in rules.items])
        for d in data.roster.deputies
    }
    problems = _count_records(data, rules, window, scores)
    grades = _grades(rules, window)
    for entry in scores.values():
        entry.subtotal = sum(i.points for i in entry.items)
        cap = rules.total_cap
        entry.total = min(entry.subtotal, cap) if cap is not None else entry.subtotal
        entry.grade = rules.grade(entry.total, grades) if grades else ""
    ordered = sorted(scores.values(), key=lambda s: (-s.total, s.deputy.station, s.deputy.row))
    _rank_and_star(ordered, rules, starred=window.whole_year)
    return Scoreboard(window, rules, ordered, problems, bool(grades), window.whole_year)


def _grades(rules: ScoringRules, window: Window) -> tuple[Grade, ...] | None:
    """The cut-offs a window is graded by: a year's, a quarter's when the rules give them; a
    --from/--to period that is not a year: none (totals and ranks only)."""
    if window.whole_year:
        return rules.grades
    return rules.grades_for(window.quarter) if window.quarter is not None else None


# Complex function: one pass over each sheet counts every scoring item; the branches are the item
# kinds
def _count_records(  # noqa: C901 (the reason is above)
    data: Dataset, rules: ScoringRules, window: Window, scores: dict[str, DeputyScore]
) -> list[Problem]:
    """Each item's records (or reception days) of each deputy in the window, one pass over
    each sheet an item counts from; a counted record without a date is a warning."""
    problems: list[Problem] = []
    by_source: dict[str, list[int]] = {}
    day_items: list[int] = []  # items that count reception days (figures.reception_days)
    for index, item in enumerate(rules.items):
        if item.counts == "接待天数":
            day_items.append(index)
        else:
            by_source.setdefault(item.source, []).append(index)
    if day_items:
        for sheet in ("接待登记", "履职活动"):
            by_source.setdefault(sheet, [])
    days: dict[str, dict[dt.date, list[Record]]] = {}  # deputy → reception day → its records
    for sheet, indexes in by_source.items():
        for record in data.rows(sheet):
            day = record_day(record)
            if day is None:
                if any(_matches(rules.items[i], record) for i in indexes):
                    problems.append(_undated(record, sheet))
                continue
            if not window.start <= day <= window.end:
                continue
            if day_items and _reception_day(record):
                for name in _names(record[SOURCES[sheet]]):
                    if name in scores:
                        days.setdefault(name, {}).setdefault(day, []).append(record)
            for index in indexes:
                _add_sources(rules.items[index], index, record, day, scores)
    for name, by_day in days.items():
        for day in sorted(by_day):
            source = _day_source(day, by_day[day])
            for index in day_items:
                scores[name].items[index].sources.append(source)
    return problems


def _add_sources(
    item: Item, index: int, record: Record, day: dt.date, scores: dict[str, DeputyScore]
) -> None:
    """A record an item counts, once for each deputy it names (in any of the item's roles)."""
    if not _matches(item, record):
        return
    seen: set[str] = set()
    for role in item.roles:
        for name in _names(record[role]):
            if name in seen or name not in scores:
                continue
            seen.add(name)
            kind, topic = _describe(item, record, role)
            scores[name].items[index].sources.append(
                Source(record.title, record.row, day, kind, topic)
            )


def _rank_and_star(ordered: list[DeputyScore], rules: ScoringRules, *, starred: bool) -> None:
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
            entry.star = starred and entry.total > 0 and getattr(entry, attribute) <= cut


def _undated(record: Record, sheet: str) -> Problem:
    column = DATE_COLUMNS[sheet][0]
    return Problem(
        record.title,
        record.row,
        "没有日期，无法计入哪一年的履职积分",
        column,
        record.cols.get(column, 0),
        WARNING,
        f"请填写{'或'.join(DATE_COLUMNS[sheet])}",
    )


def _reception_day(record: Record) -> bool:
    """A record that makes its date a reception day of the deputies it names (figures.py)."""
    return record.sheet == "接待登记" or (
        record.sheet == "履职活动" and record["活动类型"] == "进站接待"
    )


def _day_source(day: dt.date, records: list[Record]) -> Source:
    """One reception day as the appendix lists it: what was done, and every row it rests on
    (接待登记 first, each sheet in row order)."""
    records = sorted(records, key=lambda r: (r.sheet != "接待登记", r.row))
    receptions = [r for r in records if r.sheet == "接待登记"]
    if receptions:
        topic = f"接待选民，收集意见建议{len(receptions)}件：" + "；".join(
            _brief(r["反映内容"] or "", 20) for r in receptions[:2]
        )
        if len(receptions) > 2:
            topic += "等"
    else:
        topic = records[0]["活动主题"] or "进站接待选民"
    rows: dict[str, list[str]] = {}
    for r in records:
        rows.setdefault(r.title, []).append(str(r.row))
    where = "；".join(f"{title} 第{'、'.join(numbers)}行" for title, numbers in rows.items())
    first = records[0]
    return Source(first.title, first.row, day, "进站接待", topic, where)


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
