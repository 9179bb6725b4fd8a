"""The reception-day plan (derive/schedule.py): each written form of 接待日, leap years and
months without a 31st, holidays moved by the calendar (and said so), the rota from 值班安排 or
in turns, and an unreadable 接待日 reported at its cell."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from conftest import DEPUTIES, STATION, STATION2, write_workbook
from toolkit.commands.build import check
from toolkit.derive.planners import plan
from toolkit.derive.schedule import (
    PatternError,
    parse_days,
    pattern_days,
    reception_days,
    rota,
)
from toolkit.forms import load_forms
from toolkit.model import PlanEnv
from toolkit.rules import Calendar, load_calendar, load_rules

D = dt.date
CALENDAR = load_calendar()


def days(text: str, year: int, month: int) -> list[D]:
    return [p.date for p in pattern_days(parse_days(text), year, month)]


@pytest.mark.parametrize(
    ("text", "year", "month", "expected"),
    [
        ("每月5日", 2025, 3, [D(2025, 3, 5)]),
        ("每月5日、20日", 2025, 3, [D(2025, 3, 5), D(2025, 3, 20)]),
        ("每月5、15、25号", 2025, 3, [D(2025, 3, 5), D(2025, 3, 15), D(2025, 3, 25)]),
        ("每月十五日上午", 2025, 3, [D(2025, 3, 15)]),
        (
            "每周三上午",
            2025,
            1,
            [D(2025, 1, 1), D(2025, 1, 8), D(2025, 1, 15), D(2025, 1, 22), D(2025, 1, 29)],
        ),
        ("每周二、四", 2025, 2, [D(2025, 2, d) for d in (4, 6, 11, 13, 18, 20, 25, 27)]),
        ("每星期日", 2025, 6, [D(2025, 6, d) for d in (1, 8, 15, 22, 29)]),
        ("每月第一个星期五", 2025, 8, [D(2025, 8, 1)]),
        ("每月第二个周三", 2025, 10, [D(2025, 10, 8)]),
        ("每月最后一个周五", 2025, 10, [D(2025, 10, 31)]),
        ("每月第五个星期一", 2025, 2, []),  # February 2025 has four Mondays
        ("每季度末月15日", 2025, 3, [D(2025, 3, 15)]),
        ("每季度末月15日", 2025, 4, []),
        ("每季度末月15日", 2025, 12, [D(2025, 12, 15)]),
        ("每季度首月10日", 2025, 7, [D(2025, 7, 10)]),
        ("每季度第二个月5日", 2025, 11, [D(2025, 11, 5)]),
        # Months without the day: the month's last day.
        ("每月31日", 2025, 4, [D(2025, 4, 30)]),
        ("每月31日", 2024, 2, [D(2024, 2, 29)]),  # a leap year
        ("每月29日", 2025, 2, [D(2025, 2, 28)]),
        ("每月29日", 2024, 2, [D(2024, 2, 29)]),
        ("每月30日、31日", 2025, 2, [D(2025, 2, 28)]),  # one day, not twice the 28th
    ],
)
def test_each_written_form(text, year, month, expected):
    assert days(text, year, month) == expected


def test_times_are_kept_as_written():
    assert parse_days("每周三上午").time == "上午"
    assert parse_days("每月15日 9:00-11:30").time == "9:00—11:30"
    assert parse_days("每月15日（9：00至11：30）").time == "9:00—11:30"
    assert parse_days("每月5日").time == ""


@pytest.mark.parametrize(
    "text", ["每两周一次", "不定期", "每月", "每月32日", "每周八", "每月第六个周一", ""]
)
def test_what_no_form_fits(text):
    with pytest.raises(PatternError):
        parse_days(text)


def test_a_day_past_the_month_end_says_so():
    (day,) = reception_days(parse_days("每月31日"), 2025, 4, CALENDAR)
    assert day.date == D(2025, 4, 30) and day.note == "4月没有31日，安排在4月30日"


def test_a_holiday_moves_to_the_next_working_day():
    (day,) = reception_days(parse_days("每月1日"), 2025, 10, CALENDAR)
    assert (day.date, day.planned, day.holiday) == (D(2025, 10, 9), D(2025, 10, 1), "国庆节")
    assert day.note == "原定10月1日是国庆节假期，顺延至10月9日"
    # 2025-05-01…05 劳动节: to Tuesday 6 May. A plain Saturday does not move.
    assert [d.date for d in reception_days(parse_days("每月1日"), 2025, 5, CALENDAR)] == [
        D(2025, 5, 6)
    ]
    saturday = reception_days(parse_days("每月1日"), 2025, 11, CALENDAR)
    assert [(d.date, d.note) for d in saturday] == [(D(2025, 11, 1), "")]


def test_weekly_days_moved_onto_another_day_are_that_day_once():
    october = reception_days(parse_days("每周三、四"), 2025, 10, CALENDAR)
    dates = [d.date for d in october]
    assert D(2025, 10, 1) not in dates and D(2025, 10, 2) not in dates  # 国庆节
    assert dates.count(D(2025, 10, 9)) == 1 and len(dates) == len(set(dates))


def test_a_holiday_of_the_rules_table_moves_too():
    table = Calendar({D(2031, 3, 5): "地方节日"}, frozenset(), frozenset({2031}))
    (day,) = reception_days(parse_days("每月5日"), 2031, 3, table)
    assert day.date == D(2031, 3, 6) and "地方节日" in day.note


def test_the_rota_takes_turns_evenly():
    turns = rota(["甲", "乙", "丙", "丁", "戊"], 5, 2)
    assert turns == [["甲", "乙"], ["丙", "丁"], ["戊", "甲"], ["乙", "丙"], ["丁", "戊"]]
    counts = {n: sum(n in day for day in turns) for n in "甲乙丙丁戊"}
    assert set(counts.values()) == {2}
    assert rota(["甲"], 2, 2) == [["甲"], ["甲"]]  # never one deputy twice on one day


STATIONS = [
    ["站点名称", "地址", "接待日", "联系电话"],
    [STATION, "三元街道建设路12号", "每月1日上午", "0571-86001234"],
    [STATION2, "建设镇人民路1号", "每两周一次", "0571-86005678"],
]
ROTA = [
    ["联络站", "日期", "值班代表"],
    [STATION, D(2025, 10, 1), "买买提·艾力"],  # the planned day: holds for the moved one
]


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Any:
    book = write_workbook(
        tmp_path_factory.mktemp("plan") / "台账.xlsx",
        {"联络站": STATIONS, "代表名册": DEPUTIES, "值班安排": ROTA},
    )
    return check(book, pdf=False)


def _plan(data: Any, form_id: str, **kw: Any) -> list[Any]:
    env = PlanEnv(load_rules(), calendar=CALENDAR, today=D(2025, 1, 1), **kw)
    return list(plan(load_forms()[form_id], data, env))


def test_the_year_plan(data):
    (doc,) = _plan(data, "reception_plan", year=2025)
    rows = doc.context["安排"]
    assert len(rows) == 12 and doc.context["年度"] == "2025年"
    assert [r["日期"] for r in rows][:2] == [D(2025, 1, 2), D(2025, 2, 5)]  # 元旦; 春节 to 2-5
    october = rows[9]
    assert (october["日期"], october["值班代表"]) == (D(2025, 10, 9), "买买提·艾力")
    assert october["备注"] == "原定10月1日是国庆节假期，顺延至10月9日"
    # The other days in turns over the station's three deputies, two a day.
    assert [r["值班代表"] for r in rows[:3]] == [
        "王伟、李娜",
        "买买提·艾力、王伟",
        "李娜、买买提·艾力",
    ]
    assert all(r["时间"] == "上午" and r["地点"] == "三元街道建设路12号" for r in rows)
    assert any("轮流安排，每次 2 人" in n for n in doc.context["说明"])


def test_an_unreadable_reception_day_is_a_problem_at_its_cell(data):
    docs = _plan(data, "reception_plan", year=2025)
    assert [d.context["联络站"] for d in docs] == [STATION]
    (problem,) = [p for p in data.problems if "无法识别" in p.message]
    assert (problem.sheet, problem.row, problem.column) == ("联络站", 3, "接待日")
    assert "每两周一次" in problem.message and "每月第一个星期五" in problem.hint


def test_a_year_the_calendar_does_not_know_says_so(data):
    (doc,) = _plan(data, "reception_plan", year=2031)
    assert any("2031年的法定节假日尚未列入" in n for n in doc.context["说明"])


def test_the_monthly_notice(data):
    notices = _plan(data, "reception_notice", year=2025, on_duty=3)
    assert len(notices) == 12
    october = notices[9].context
    assert october["标题"] == "2025年10月接待选民日公告"
    assert october["顺延"] == ["原定10月1日是国庆节假期，顺延至10月9日"]
    (day,) = october["安排"]
    assert day["代表"] == [
        {"姓名": "买买提·艾力", "代表层级": "市人大代表", "工作单位及职务": "个体工商户"}
    ]
    assert october["联系电话"] == "0571-86001234"  # the station's, never a deputy's
    assert len(notices[0].context["安排"][0]["代表"]) == 3  # on_duty=3
    assert notices[0].name_parts == ["2025-01", STATION]
