"""Following a handed-off matter (derive/followup.py): due dates by 办理时限 or the route's
default, across a weekend and 国庆, and the state as of fixed dates — counted by hand."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from toolkit.derive.followup import due_date, follow_up
from toolkit.rules import load_calendar, load_rules
from toolkit.values import Days, parse_deadline

D = dt.date
RULES = load_rules()  # 交社区(村)办理 10个工作日, 交街道(乡镇)办理 / 转交有关部门 15个工作日
CALENDAR = load_calendar()


def row(received: D, route: str = "转交有关部门", limit: Any = None, **more: Any) -> dict:
    values = {"接待日期": received, "处理方式": route, "办理时限": limit, "办理结果": None}
    values.update({"反馈日期": None, **more})
    return values


def test_time_limits_read_as_dates_or_days():
    assert parse_deadline("15个工作日") == Days(15, True)
    assert parse_deadline("30天") == Days(30, False) and str(Days(30, False)) == "30天"
    assert parse_deadline("１０日内") == Days(10, False)  # full-width digits, 内
    assert parse_deadline("2024.4.15") == D(2024, 4, 15)


@pytest.mark.parametrize(
    ("received", "route", "limit", "due"),
    [
        # Friday 27 Sep 2024, 10 working days: Sun 29 (调休) 1, Mon 30 2, 国庆 1–7 Oct, 8–11 Oct
        # 3–6, Sat 12 (调休) 7, 14–16 Oct 8–10
        (D(2024, 9, 27), "交社区(村)办理", None, D(2024, 10, 16)),
        # 15 working days from Mon 30 Sep: 8–11 Oct, Sat 12 worked, 14–18, 21–25
        (D(2024, 9, 30), "转交有关部门", None, D(2024, 10, 25)),
        (D(2024, 3, 15), "转交有关部门", Days(30, False), D(2024, 4, 14)),  # calendar days
        (D(2024, 3, 15), "交街道(乡镇)办理", D(2024, 4, 1), D(2024, 4, 1)),  # a date wins
        (D(2024, 3, 15), "当场答复", None, None),  # nothing handed on, no default
    ],
)
def test_due_dates(received, route, limit, due):
    assert due_date(row(received, route, limit), RULES, CALENDAR) == due


def test_states_as_of_fixed_dates():
    handed = row(D(2024, 9, 30))  # due 25 Oct 2024
    assert follow_up(handed, RULES, CALENDAR, D(2024, 10, 25)).state == "办理中"  # due day: in time
    late = follow_up(handed, RULES, CALENDAR, D(2024, 10, 28))
    assert (late.state, late.days_over, late.flag) == ("逾期未办结", 3, "逾期未办结（超期3天）")
    answered = row(D(2024, 9, 30), 办理结果="已修复", 反馈日期=D(2024, 10, 30))
    assert follow_up(answered, RULES, CALENDAR, D(2024, 10, 29)).state == "逾期未办结"  # not yet
    done = follow_up(answered, RULES, CALENDAR, D(2024, 11, 5))
    assert (done.state, done.days_over, done.closed_on) == ("办结逾期", 5, D(2024, 10, 30))
    on_time = row(D(2024, 9, 30), 反馈日期=D(2024, 10, 25))
    assert follow_up(on_time, RULES, CALENDAR, D(2024, 12, 31)).state == "已办结"
    undated = row(D(2024, 9, 30), 办理结果="已答复")  # closed on a day no one wrote: never late
    assert follow_up(undated, RULES, CALENDAR, D(2024, 12, 31)).state == "已办结"
    assert follow_up(row(D(2024, 9, 30), "当场答复"), RULES, CALENDAR, D(2024, 12, 31)) is None
    assert follow_up(handed, RULES, CALENDAR, D(2024, 9, 29)) is None  # not yet handed on
