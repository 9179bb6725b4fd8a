"""The figures of derive/figures.py, each rule of DESIGN §6 on rows made by hand."""

from __future__ import annotations

import datetime as dt
from typing import Any

from toolkit.derive.figures import (
    FIGURES,
    ReceptionTotals,
    closed,
    deputy_counts,
    handed_off,
    index_mentions,
    quantity,
    reception_days,
    satisfied,
    visitors,
)

D = dt.date
HANDED = frozenset({"转交有关部门", "交社区(村)办理"})


class Row(dict):
    """A record as the figures read it: by column name, with a sheet title, row and digest."""

    def __init__(self, row: int = 2, **values: Any) -> None:
        super().__init__(values)
        self.title, self.row, self.digest = "接待登记", row, f"d{row}"

    def __getitem__(self, name: str) -> Any:
        return self.get(name)


def visit(day: D, people: tuple[str, ...], row: int = 2, **more: Any) -> Row:
    return Row(row, 接待日期=day, 接待代表=people, 联络站="三元站", **more)


def activity(day: D, kind: str, people: tuple[str, ...]) -> Row:
    return Row(9, 活动日期=day, 活动类型=kind, 参加代表=people)


def test_a_visit_is_one_voter_unless_the_row_says_more():
    assert visitors(Row(来访人数=None)) == 1
    assert visitors(Row(来访人数=5)) == 5


def test_handed_off_closed_and_satisfied_follow_the_routes():
    open_ = Row(处理方式="转交有关部门")
    assert handed_off(open_, HANDED) and not closed(open_, HANDED)
    assert closed(Row(处理方式="转交有关部门", 办理结果="已修复"), HANDED)
    assert closed(Row(处理方式="转交有关部门", 反馈日期=D(2024, 4, 1)), HANDED)
    on_the_spot = Row(处理方式="当场答复", 办理结果="已解释")
    assert not handed_off(on_the_spot, HANDED) and not closed(on_the_spot, HANDED)
    assert satisfied(Row(群众满意度="满意")) and not satisfied(Row(群众满意度="基本满意"))


def test_a_day_in_both_sheets_is_one_reception_day():
    receptions = [
        visit(D(2024, 3, 15), ("王伟", "李娜"), 2),
        visit(D(2024, 3, 15), ("王伟",), 3, 来访人数=3),
        visit(D(2024, 6, 15), ("王伟", "王伟"), 4, 处理方式="转交有关部门", 办理结果="好"),
    ]
    activities = [
        activity(D(2024, 3, 15), "进站接待", ("王伟",)),  # the same day: not another
        activity(D(2024, 9, 15), "进站接待", ("王伟",)),  # a day with no registered visitor
        activity(D(2023, 9, 15), "进站接待", ("王伟",)),  # another year
        activity(D(2024, 5, 1), "视察", ("王伟", "李娜")),
    ]
    in_2024 = lambda day: day is not None and day.year == 2024  # noqa: E731
    index = index_mentions(activities, receptions, [], in_2024)
    wang = index["王伟"]
    assert reception_days(wang) == [D(2024, 3, 15), D(2024, 6, 15), D(2024, 9, 15)]
    counts = deputy_counts(wang, HANDED)
    assert counts["接待天数"] == 3
    assert counts["收集意见"] == 3  # a name twice in one cell is one deputy
    assert counts["接待人次"] == 1 + 3 + 1
    assert (counts["交办件数"], counts["办结件数"]) == (1, 1)
    assert counts["视察"] == 1 and counts["活动总数"] == 1  # 进站接待 is not an outing
    assert deputy_counts(index["李娜"], HANDED)["接待天数"] == 1


def test_proposals_count_by_role_and_kind_each_deputy_once():
    rows = [
        Row(领衔代表="王伟", 附议代表=("李娜", "王伟"), 类别="建议", 提出日期=D(2024, 1, 9)),
        Row(领衔代表="王伟", 附议代表=(), 类别="议案", 提出日期=None, 交办日期=D(2024, 2, 1)),
        Row(领衔代表="李娜", 附议代表=("王伟",), 类别="建议", 提出日期=D(2023, 1, 9)),
    ]
    index = index_mentions([], [], rows, lambda day: day is not None and day.year == 2024)
    wang = deputy_counts(index["王伟"], HANDED)
    assert (wang["领衔建议"], wang["领衔议案"], wang["附议件数"]) == (1, 1, 0)
    assert deputy_counts(index["李娜"], HANDED)["附议件数"] == 1


def test_totals_of_a_register_use_the_same_rules():
    totals = ReceptionTotals(HANDED)
    for row in (
        visit(D(2024, 3, 15), ("王伟",), 来访人数=2, 处理方式="转交有关部门", 群众满意度="满意"),
        visit(D(2024, 3, 15), ("李娜",), 处理方式="当场答复"),
        visit(D(2024, 4, 15), ("王伟",), 处理方式="交社区(村)办理", 反馈日期=D(2024, 5, 1)),
    ):
        totals.add(row)
    assert totals.counts["接待天数"] == 2
    assert totals.counts["收集意见"] == totals.counts["接待次数"] == 3
    assert totals.counts["接待人次"] == totals.counts["来访人数"] == 4
    assert (totals.counts["交办件数"], totals.counts["办结件数"]) == (2, 1)
    assert totals.counts["满意件数"] == 1


def test_every_figure_has_a_unit_and_a_rule():
    assert quantity(5, "接待天数") == "5次"
    assert quantity(36, "接待人次") == "36人次"
    assert quantity(21, "收集意见") == "21件"
    for figure in FIGURES.values():
        # A share (办结率) is a percentage; a station counts days, deputies and projects too.
        assert (
            figure.unit in ("次", "人次", "件", "天", "人", "个", "%", "分")
            and figure.rule
            and figure.label
        )
