"""Working days (toolkit/rules/calendar.py): weekends, official holidays and 调休 working days,
from the chinese-calendar package and from a table a clerk adds to, counted by hand here."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from toolkit.errors import ToolkitError
from toolkit.rules import load_calendar, pick_rules

D = dt.date


def test_working_days_across_a_weekend_and_national_day():
    calendar = load_calendar()
    # Friday 2024-09-27 + 3 working days: Mon 30 Sep, then 1–7 Oct are 国庆节; 29 Sep (Sun) and
    # 12 Oct (Sat) are 调休 working days.
    assert calendar.is_working_day(D(2024, 9, 29))  # a Sunday made a working day
    assert not calendar.is_working_day(D(2024, 10, 3))
    assert calendar.holiday_name(D(2024, 10, 3)) == "国庆节"
    assert calendar.add_working_days(D(2024, 9, 27), 1) == D(2024, 9, 29)
    assert calendar.add_working_days(D(2024, 9, 27), 2) == D(2024, 9, 30)
    assert calendar.add_working_days(D(2024, 9, 27), 3) == D(2024, 10, 8)
    # from Monday 30 Sep: 8–11 Oct (4), Saturday 12 Oct worked (5), 14–18 (10), 21–25 (15)
    assert calendar.add_working_days(D(2024, 9, 30), 15) == D(2024, 10, 25)
    assert calendar.next_working_day(D(2024, 10, 5)) == D(2024, 10, 8)
    assert calendar.next_working_day(D(2024, 10, 8)) == D(2024, 10, 8)
    assert calendar.known(2024)


def test_a_year_the_package_does_not_know_is_weekends_only_until_the_table_gives_it(tmp_path):
    calendar = load_calendar()
    assert not calendar.known(2031)
    assert not calendar.is_working_day(D(2031, 1, 4)) and calendar.is_working_day(D(2031, 1, 1))
    path = tmp_path / "节假日.yaml"
    path.write_text(
        "节假日:\n  2031:\n    放假: [2031-01-01, 2031-01-22 至 2031-01-28]\n"
        "    调休上班: [2031-01-19]\n    名称: {2031-01-22: 春节}\n",
        encoding="utf-8",
    )
    assert pick_rules([path]) == {"calendar": path}
    mine = load_calendar(path)
    assert mine.known(2031)
    assert not mine.is_working_day(D(2031, 1, 1)) and mine.holiday_name(D(2031, 1, 1)) == "节假日"
    assert mine.holiday_name(D(2031, 1, 22)) == "春节"
    assert mine.is_working_day(D(2031, 1, 19))  # a Sunday worked
    assert mine.add_working_days(D(2031, 1, 21), 1) == D(2031, 1, 29)
    assert mine.is_working_day(D(2024, 9, 29))  # other years: still the package's


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("节假日:\n  明年: {放假: []}\n", "节假日.yaml 第2行 “节假日”：“明年”不是年份"),
        (
            "节假日:\n  2031:\n    放假: [2031-13-01]\n",
            "节假日.yaml 第3行 “2031-13-01”不是有效日期（日期写成 2027-10-01（年-月-日））",
        ),
        (
            "节假日:\n  2031:\n    放假: [2030-12-31]\n",
            "节假日.yaml 第2行 “节假日”2031：2030-12-31 不在 2031 年",
        ),
        ("节假日:\n  2031:\n    休息: []\n", "节假日.yaml 第2行 “节假日”2031：未知的键“休息”"),
    ],
)
def test_a_bad_table_names_the_file_and_line(tmp_path: Path, text: str, message: str):
    path = tmp_path / "节假日.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ToolkitError) as info:
        load_calendar(path)
    assert str(info.value) == message
