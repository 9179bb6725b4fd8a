"""Following a handed-off matter to its close (DESIGN §6 "Follow-up"): its due date and its
state as of a date. Every document that says whether a matter is overdue (交办督办簿, 督办单,
the station's statistics) asks here.

- due: 办理时限 when given — a date, or a number of working or calendar days counted from the
  day after the 接待日期 — else the route's default (the reception rules' 时限); none for a
  route that hands nothing on, or one with no limit anywhere.
- closed: the row has 办理结果 or 反馈日期 (figures.closed); closed on the 反馈日期 when given
  (a result with no date was closed on a day no one wrote down: never late).
- states as of a date: 已办结, 办结逾期 (closed N days after the due date), 办理中, 逾期未办结
  (N days past the due date). A 反馈日期 after the date has not happened yet. The due date
  itself is in time: overdue from the next day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..rules import Calendar, Rules
from ..values import Days
from .figures import closed, handed_off

STATES = ("已办结", "办结逾期", "办理中", "逾期未办结")


@dataclass(frozen=True)
class FollowUp:
    handed: dt.date  # the day it was handed on (the reception's)
    due: dt.date | None
    state: str  # one of STATES
    days_over: int = 0  # past the due date: at closing (办结逾期) or as of the date (逾期未办结)
    closed_on: dt.date | None = None

    @property
    def overdue(self) -> bool:
        return self.state in ("办结逾期", "逾期未办结")

    @property
    def open(self) -> bool:
        return self.state in ("办理中", "逾期未办结")

    @property
    def flag(self) -> str:
        """办结逾期（超期3天）: the state as a register prints it."""
        return f"{self.state}（超期{self.days_over}天）" if self.overdue else self.state


def due_date(record: Any, rules: Rules, calendar: Calendar) -> dt.date | None:
    handed = record["接待日期"]
    if not isinstance(handed, dt.date):
        return None
    limit = record["办理时限"] or rules.limits.get(record["处理方式"] or "")
    if isinstance(limit, dt.date):
        return limit
    if isinstance(limit, Days):
        if limit.working:
            return calendar.add_working_days(handed, limit.count)
        return handed + dt.timedelta(days=limit.count)
    return None


def follow_up(record: Any, rules: Rules, calendar: Calendar, as_of: dt.date) -> FollowUp | None:
    """The state of a handed-off reception as of `as_of`; None for one not handed on (or not
    yet handed on as of that date)."""
    handed = record["接待日期"]
    if not handed_off(record, rules.handed_on) or not isinstance(handed, dt.date):
        return None
    if handed > as_of:
        return None
    due = due_date(record, rules, calendar)
    closed_on = record["反馈日期"] if isinstance(record["反馈日期"], dt.date) else None
    is_closed = closed(record, rules.handed_on) and (closed_on is None or closed_on <= as_of)
    if is_closed:
        if due is not None and closed_on is not None and closed_on > due:
            return FollowUp(handed, due, "办结逾期", (closed_on - due).days, closed_on)
        return FollowUp(handed, due, "已办结", 0, closed_on)
    if due is not None and as_of > due:
        return FollowUp(handed, due, "逾期未办结", (as_of - due).days)
    return FollowUp(handed, due, "办理中")
