"""Working days (DESIGN §6 "Follow-up"): which days count when a matter is due in N working
days, and onto which day a reception day falling on a holiday moves.

A working day is Monday to Friday, except the official holidays of the year, plus the weekend
days the State Council makes working days (调休上班). The holidays come from a maintained table:
the `chinese-calendar` package for the years it knows, and a `节假日` table in a rules file that a
clerk can add to (a year the package does not know yet, or a local change), which wins for the
days it lists. A year that neither knows is worked out from weekends alone, and `known(year)`
says so, so the documents can say so too.

    节假日:
      2027:
        放假: [2027-01-01, 2027-02-05 至 2027-02-11, …]   # a day, or a span “A 至 B”
        调休上班: [2027-02-14]
        名称: {2027-02-05: 春节}                          # optional: how a notice names it
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import ToolkitError
from ..paths import FORMS_DIR
from .files import key_node, line_of, read_rules_file
from .kinds import CALENDAR_KEYS

DEFAULT_CALENDAR = FORMS_DIR / "rules" / "calendar.yaml"
NAMES = {  # chinese-calendar's holiday names, as a notice prints them
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}


@dataclass(frozen=True)
class Calendar:
    """The holidays and the extra working days of the years the table lists, over the
    package's; `known_years` are the years the table itself gives."""

    holidays: dict[dt.date, str] = field(default_factory=dict, hash=False)  # day → its name
    workdays: frozenset[dt.date] = frozenset()  # weekend days made working days (调休上班)
    known_years: frozenset[int] = frozenset()
    source: str = ""

    def __hash__(self) -> int:
        return hash((frozenset(self.holidays), self.workdays, self.known_years, self.source))

    def known(self, year: int) -> bool:
        """Whether the official holidays of `year` are known (package or table)."""
        return year in self.known_years or _package_knows(year)

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        if day.year in self.known_years:  # the table gives the year: weekends unless listed
            return day.weekday() < 5
        package = _package_is_workday(day)
        return package if package is not None else day.weekday() < 5

    def holiday_name(self, day: dt.date) -> str:
        """The holiday `day` belongs to (国庆节), or "" for a working day or a plain weekend."""
        if day in self.holidays:
            return self.holidays[day]
        if day.year in self.known_years or day in self.workdays:
            return ""
        return _package_holiday_name(day)

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The day `days` working days after `start` (the start itself not counted)."""
        day = start
        counted = 0
        while counted < days:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        return day

    def next_working_day(self, day: dt.date) -> dt.date:
        """`day` itself when it is a working day, else the first working day after it."""
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day


def _package_knows(year: int) -> bool:
    try:
        import chinese_calendar

        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except (ImportError, NotImplementedError):
        return False
    return True


def _package_is_workday(day: dt.date) -> bool | None:
    try:
        import chinese_calendar

        return bool(chinese_calendar.is_workday(day))
    except (ImportError, NotImplementedError):
        return None


def _package_holiday_name(day: dt.date) -> str:
    try:
        import chinese_calendar

        on_holiday, name = chinese_calendar.get_holiday_detail(day)
    except (ImportError, NotImplementedError):
        return ""
    if not on_holiday or name is None:
        return ""
    return NAMES.get(str(name), str(name))


def load_calendar(path: Path | None = None) -> Calendar:
    """The `节假日` table of a rules file (default forms/rules/calendar.yaml) over the package."""
    path = Path(path) if path else DEFAULT_CALENDAR
    data, root = read_rules_file(path)
    table = data.get(CALENDAR_KEYS[0])
    if table is None:
        if path != DEFAULT_CALENDAR:
            return load_calendar(DEFAULT_CALENDAR)  # a file of other rules: the defaults
        return Calendar(source=str(path))
    node = _value_node(root, CALENDAR_KEYS[0])
    if not isinstance(table, dict):
        raise _fail(path, node, "“节假日”应按年份写“放假”和“调休上班”")
    holidays: dict[dt.date, str] = {}
    workdays: set[dt.date] = set()
    years: set[int] = set()
    for year, entry in table.items():
        where = key_node(node, str(year)) or node
        if not isinstance(year, int) or not 1900 < year < 2200:
            raise _fail(path, where, f"“节假日”：“{year}”不是年份")
        if not isinstance(entry, dict):
            raise _fail(path, where, f"“节假日”{year}：应写“放假”和“调休上班”")
        unknown = set(entry) - {"放假", "调休上班", "名称"}
        if unknown:
            raise _fail(path, where, f"“节假日”{year}：未知的键“{sorted(unknown)[0]}”")
        years.add(year)
        names = entry.get("名称") or {}
        for day in _days(path, where, entry.get("放假") or [], year):
            holidays[day] = str(names.get(day, "") or names.get(day.isoformat(), "") or "节假日")
        workdays.update(_days(path, where, entry.get("调休上班") or [], year))
    return Calendar(holidays, frozenset(workdays), frozenset(years), str(path))


def _days(path: Path, node: Any, items: Any, year: int) -> list[dt.date]:
    if not isinstance(items, list):
        raise _fail(
            path, node, f"“节假日”{year}：日期应写成列表，如 [{year}-10-01 至 {year}-10-07]"
        )
    found: list[dt.date] = []
    for item in items:
        if isinstance(item, dt.date):
            found.append(item)
            continue
        text = str(item).replace("～", "至").replace("~", "至")
        first, _, last = text.partition("至")
        try:
            start = dt.date.fromisoformat(first.strip())
            end = dt.date.fromisoformat(last.strip()) if last else start
        except ValueError:
            raise _fail(
                path,
                node,
                f"“节假日”{year}：“{item}”不是日期",
                "写成 2027-10-01 或 2027-10-01 至 2027-10-07",
            ) from None
        if end < start:
            raise _fail(path, node, f"“节假日”{year}：“{item}”的结束日期早于开始日期")
        found += [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
    for day in found:
        if day.year != year:
            raise _fail(path, node, f"“节假日”{year}：{day.isoformat()} 不在 {year} 年")
    return found


def _value_node(node: Any, key: str) -> Any:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if k.value == key:
                return v
    return None


def _fail(path: Path, node: Any, message: str, hint: str = "") -> ToolkitError:
    return ToolkitError(message, where=f"{path.name}{line_of(node)}", hint=hint)
