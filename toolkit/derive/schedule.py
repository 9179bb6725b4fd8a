"""The reception-day plan: the year's 接待选民日安排表 of a station and its monthly 接待选民日公告.

A station's reception days come from its 联络站.接待日 cell, in the forms clerks write
(`parse_days`; README lists them):

  每月5日 / 每月5日、20日 / 每月5、15、25日        the days of each month
  每周三 / 每周二、四 / 每周三上午                  the days of each week
  每月第一个星期五 / 每月最后一个周五               the n-th (or last) weekday of each month
  每季度末月15日 / 每季度首月10日 / 每季度第二个月5日  a day of one month of each quarter

with an optional time (上午, 下午, 全天, 9:00—11:30) anywhere in the text. A day a month does not
have (每月31日 in April, 30日 in February, 29日 in 2025) is that month's last day, and the plan
says so. A text none of these fit is a problem at its cell (联络站!D5, validate/schedule.py, which
also reads the text), and that station gets no plan rather than a wrong one.

A reception day on an official holiday (the calendar: chinese-calendar and the rules file's
节假日 table) moves to the next working day, and the plan and the 公告 say so; a plain weekend
does not move (many stations receive on Saturdays). For a year the calendar does not know, the
plan says its holidays were not applied.

The plan's year: --year, else the --from/--to period's, else the latest year of 值班安排, else
this year. Who is on duty: the optional 值班安排 sheet (联络站, 日期, 值班代表) for the days it
lists, else a rota over the station's deputies in roster order, `PlanEnv.on_duty` a day (the
rules file's 接待日值班人数, default 2), so each deputy takes turns evenly. The 公告 names the
deputies with their level and unit and gives the station's phone, never a deputy's own.
"""

from __future__ import annotations

import calendar as months_of
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .. import chinese
from ..forms import FormDef
from ..model import Dataset, Document, PlanEnv, Record
from ..rules import Calendar
from ..validate.schedule import WEEKDAYS, Pattern, PatternError, parse_days
from .fields import deputy_fields, fill_pattern, station_fields
from .statistics import calendar_of

DEFAULT_ON_DUTY = 2


def _md(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


# ── the days of a year ──────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Planned:
    date: dt.date
    asked: int = 0  # the day of the month the pattern asked for, when the month lacks it


def pattern_days(pattern: Pattern, year: int, month: int) -> list[Planned]:
    """The days of one month the pattern gives, before any holiday moves them."""
    last = months_of.monthrange(year, month)[1]
    found: list[Planned] = []
    if pattern.kind in ("monthly", "quarterly"):
        if pattern.kind == "quarterly" and (month - 1) % 3 + 1 != pattern.month_of_quarter:
            return []
        for d in pattern.days:
            found.append(Planned(dt.date(year, month, min(d, last)), d if d > last else 0))
    elif pattern.kind == "weekly":
        for d in range(1, last + 1):
            if dt.date(year, month, d).weekday() in pattern.days:
                found.append(Planned(dt.date(year, month, d)))
    else:
        for n, weekday in pattern.nth:
            days = [d for d in range(1, last + 1) if dt.date(year, month, d).weekday() == weekday]
            if n == -1:
                found.append(Planned(dt.date(year, month, days[-1])))
            elif n <= len(days):
                found.append(Planned(dt.date(year, month, days[n - 1])))
    unique = {p.date: p for p in sorted(found, key=lambda p: (p.date, p.asked))}
    return list(unique.values())


@dataclass(frozen=True)
class ReceptionDay:
    date: dt.date
    planned: dt.date
    holiday: str = ""  # moved from this holiday
    asked: int = 0  # the month lacked this day of the month

    @property
    def note(self) -> str:
        notes = []
        if self.asked:
            notes.append(f"{self.planned.month}月没有{self.asked}日，安排在{_md(self.planned)}")
        if self.holiday:
            notes.append(f"原定{_md(self.planned)}是{self.holiday}假期，顺延至{_md(self.date)}")
        return "；".join(notes)


def reception_days(
    pattern: Pattern, year: int, month: int, calendar: Calendar
) -> list[ReceptionDay]:
    """The month's reception days, a holiday's moved to the next working day (a day moved onto
    another reception day is that day once)."""
    found: dict[dt.date, ReceptionDay] = {}
    for planned in pattern_days(pattern, year, month):
        day, holiday = planned.date, ""
        if not calendar.is_working_day(day) and calendar.holiday_name(day):
            holiday = calendar.holiday_name(day)
            day = calendar.next_working_day(day)
        found.setdefault(day, ReceptionDay(day, planned.date, holiday, planned.asked))
    return [found[d] for d in sorted(found)]


# ── who is on duty ──────────────────────────────────────────────────────────────────────────


def on_duty_rows(data: Dataset) -> dict[tuple[str, dt.date], Record]:
    def make() -> dict[tuple[str, dt.date], Record]:
        index: dict[tuple[str, dt.date], Record] = {}
        for r in data.rows("值班安排"):
            if isinstance(r["日期"], dt.date) and r["联络站"]:
                index.setdefault((r["联络站"], r["日期"]), r)
        return index

    return data.cached("on duty", make, ("值班安排",))


def rota(deputies: list[str], count: int, per_day: int) -> list[list[str]]:
    """`count` days of `per_day` deputies each, taking turns in order: every deputy serves
    as often as any other (within one), never twice on one day."""
    if not deputies:
        return [[] for _ in range(count)]
    per_day = min(per_day, len(deputies))
    days = []
    for i in range(count):
        start = i * per_day
        days.append([deputies[(start + j) % len(deputies)] for j in range(per_day)])
    return days


# ── the plans ───────────────────────────────────────────────────────────────────────────────


@dataclass
class StationPlan:
    station: str
    record: Record
    pattern: Pattern
    year: int
    days: list[ReceptionDay]
    duty: list[list[str]]  # the deputies of each day
    from_sheet: list[bool]  # whether a day's deputies come from 值班安排
    known: bool  # the calendar knows the year's holidays


def plan_year(data: Dataset, env: PlanEnv) -> int:
    if env.year:
        return env.year
    if env.period.start:
        return env.period.start.year
    if env.period.end:
        return env.period.end.year
    # The year 值班安排 is written for (its latest), else this year: a plan is for a year to come,
    # not for the year of the records.
    listed = [r["日期"].year for r in data.rows("值班安排") if isinstance(r["日期"], dt.date)]
    return max(listed) if listed else env.today.year


def station_plans(data: Dataset, env: PlanEnv) -> list[StationPlan]:
    year = plan_year(data, env)
    calendar = calendar_of(env)
    per_day = env.on_duty or DEFAULT_ON_DUTY
    key = ("plans", year, calendar, per_day, env.period)
    sheets = ("联络站", "代表名册", "值班安排")
    return data.cached(key, lambda: _plans(data, env, year, calendar, per_day), sheets)


def _plans(
    data: Dataset, env: PlanEnv, year: int, calendar: Calendar, per_day: int
) -> list[StationPlan]:
    sheet = on_duty_rows(data)
    plans = []
    for record in data.rows("联络站"):
        text = record["接待日"]
        if not text:
            continue
        try:
            pattern = parse_days(text)
        except PatternError:  # reported at its cell by validation (validate/schedule.py)
            continue
        station = record["站点名称"]
        days = [
            d
            for month in range(1, 13)
            for d in reception_days(pattern, year, month, calendar)
            if env.period.contains(d.date)
        ]
        deputies = [d.display for d in data.roster.deputies if d.station == station]
        turns = iter(rota(deputies, len(days), per_day))
        duty, listed = [], []
        for day in days:
            row = sheet.get((station, day.date)) or sheet.get((station, day.planned))
            names = list(row["值班代表"] or ()) if row is not None else []
            # The rota turns on every day, listed or not: a listed day does not shift who
            # comes next, so the rest of the year stays as first published.
            turn = next(turns)
            duty.append(names or turn)
            listed.append(bool(names))
        plans.append(
            StationPlan(station, record, pattern, year, days, duty, listed, calendar.known(year))
        )
    return plans


def _weekday_name(day: dt.date) -> str:
    return "星期" + WEEKDAYS[day.weekday()]


def _notes(plan: StationPlan, per_day: int) -> list[str]:
    notes = []
    if not plan.known:
        notes.append(
            f"{plan.year}年的法定节假日尚未列入节假日表（规则文件的“节假日”），"
            "本表未按节假日调整，请核对。"
        )
    elif any(d.holiday for d in plan.days):
        notes.append("接待日遇法定节假日顺延至节后第一个工作日，见备注。")
    if not all(plan.from_sheet):
        notes.append(
            f"{'未列入“值班安排”表的日期' if any(plan.from_sheet) else '值班代表'}"
            f"按代表名册轮流安排，每次 {per_day} 人。"
        )
    return notes


def _rows(data: Dataset, plan: StationPlan, place: str) -> list[dict[str, Any]]:
    rows = []
    for n, (day, names) in enumerate(zip(plan.days, plan.duty, strict=True), start=1):
        rows.append(
            {
                "序号": n,
                "日期": chinese.typed(day.date),
                "月份": f"{day.date.month}月",
                "星期": _weekday_name(day.date),
                "时间": plan.pattern.time,
                "地点": place,
                "值班代表": "、".join(names),
                "代表": [_deputy(data, name) for name in names],
                "备注": day.note,
            }
        )
    return rows


def _deputy(data: Dataset, name: str) -> dict[str, Any]:
    fields = deputy_fields(data, name)
    # Posted at the station: who, at which level, from where; never the deputy's own phone.
    return {
        "姓名": name,
        "代表层级": fields.get("代表层级", ""),
        "工作单位及职务": fields.get("工作单位及职务", ""),
    }


def _context(form: FormDef, data: Dataset, plan: StationPlan, per_day: int) -> dict[str, Any]:
    site = station_fields(data, plan.station)
    place = site.get("地址", "") or plan.station
    return {
        "表单名称": form.title,
        "联络站": plan.station,
        "站点": site,
        "年度": f"{plan.year}年",
        "接待日": plan.pattern.text,
        "接待时间": plan.pattern.time,
        "地点": place,
        "联系电话": site.get("联系电话", ""),
        "说明": _notes(plan, per_day),
        "节假日已知": plan.known,
    }


def count_schedules(form: FormDef, data: Dataset, env: PlanEnv) -> int:
    return sum(1 for p in station_plans(data, env) if p.days)


def plan_schedules(form: FormDef, data: Dataset, env: PlanEnv) -> Iterator[Document]:
    per_day = env.on_duty or DEFAULT_ON_DUTY
    for plan in station_plans(data, env):
        if not plan.days:
            continue
        context = _context(form, data, plan, per_day)
        context["安排"] = _rows(data, plan, context["地点"])
        context["天数"] = len(plan.days)
        parts = fill_pattern(form.filename, {"联络站": plan.station, "年度": context["年度"]})
        yield Document(form, parts, context, _sources(plan))


def _sources(plan: StationPlan) -> list[tuple[str, int, str]]:
    return [(plan.record.title, plan.record.row, plan.record.digest)]


def count_notices(form: FormDef, data: Dataset, env: PlanEnv) -> int:
    return sum(len({d.date.month for d in p.days}) for p in station_plans(data, env))


def plan_notices(form: FormDef, data: Dataset, env: PlanEnv) -> Iterator[Document]:
    """One 公告 per station and month that has a reception day."""
    per_day = env.on_duty or DEFAULT_ON_DUTY
    for plan in station_plans(data, env):
        context = _context(form, data, plan, per_day)
        rows = _rows(data, plan, context["地点"])
        for month in sorted({d.date.month for d in plan.days}):
            mine = [r for r, d in zip(rows, plan.days, strict=True) if d.date.month == month]
            moved = [r["备注"] for r in mine if r["备注"]]
            notice = dict(context)
            notice.update(
                月份=f"{plan.year}年{month}月",
                月=month,
                安排=mine,
                顺延=moved,
                标题=f"{plan.year}年{month}月接待选民日公告",
                落款=plan.station,
            )
            parts = fill_pattern(
                form.filename, {"联络站": plan.station, "月份": f"{plan.year}-{month:02d}"}
            )
            yield Document(form, parts, notice, _sources(plan))


__all__ = [
    "Pattern",
    "PatternError",
    "ReceptionDay",
    "count_notices",
    "count_schedules",
    "parse_days",
    "pattern_days",
    "plan_notices",
    "plan_schedules",
    "reception_days",
    "rota",
]
