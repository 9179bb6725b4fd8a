"""联络站工作统计 (derive/statistics.py) on a small workbook whose figures are counted by hand
below, row by row; every figure also checked against a count the test makes from the rows; the
charts' numbers are the tables'; the all-stations ranking and the months without a reception."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from conftest import DEPUTIES, STATION, STATION2, STATIONS, write_workbook
from toolkit.commands.build import check
from toolkit.derive import statistics
from toolkit.derive.planners import plan
from toolkit.derive.summary import PROMPTS
from toolkit.forms import load_forms
from toolkit.model import Period, PlanEnv
from toolkit.render.charts import chart_data
from toolkit.rules import load_calendar, load_rules

D = dt.date
HEADER = [
    "接待日期", "联络站", "接待代表", "反映内容", "来访人数", "问题类别", "处理方式",
    "办理时限", "办理结果", "反馈日期", "群众满意度", "典型",
]  # fmt: skip
# Due dates: 交街道(乡镇)办理 by the 办理时限 given here; as of 2024-12-31.
RECEPTIONS = [
    # 1: handed on, closed on time, 满意, 3 visitors
    [D(2024, 1, 15), STATION, "王伟、李娜", "路面破损", 3, "道路交通", "交街道(乡镇)办理",
     D(2024, 2, 15), "已修复", D(2024, 2, 1), "满意", ""],
    # 2: handed on, closed late (feedback after the due date), 基本满意
    [D(2024, 1, 15), STATION, "王伟", "供暖不足", None, "供暖供水供电", "转交有关部门",
     D(2024, 2, 1), "已协调", D(2024, 2, 10), "基本满意", "是"],
    # 3: answered on the spot, 不满意, 2 visitors
    [D(2024, 3, 15), STATION, "李娜", "噪声扰民", 2, "其他", "当场答复",
     None, None, None, "不满意", ""],
    # 4: handed on, open, not yet due on 31 December
    [D(2024, 12, 15), STATION, "王伟", "垃圾清运", 1, "环境卫生", "交社区(村)办理",
     D(2025, 1, 31), None, None, None, ""],
    # 5: handed on, overdue and open
    [D(2024, 5, 15), STATION, "买买提·艾力", "树木倾斜", 1, "环境卫生", "转交有关部门",
     D(2024, 6, 15), None, None, None, ""],
    # 6: the other station, no category, 4 visitors
    [D(2024, 1, 5), STATION2, "张建国", "村民吃水难", 4, None, "交社区(村)办理",
     D(2024, 2, 5), "已通水", D(2024, 1, 20), "满意", ""],
    # 7: another year: not counted
    [D(2023, 12, 15), STATION, "王伟", "去年的事", 1, "其他", "当场答复",
     None, None, None, None, ""],
]  # fmt: skip
ACTIVITIES = [
    ["活动日期", "活动类型", "活动主题", "参加代表"],
    [D(2024, 4, 2), "视察", "视察老旧小区改造", "王伟、张建国"],  # both stations: once each
    [D(2024, 5, 2), "调研", "养老服务调研", "李娜"],
    [D(2024, 6, 15), "进站接待", "进站接待选民", "买买提·艾力"],  # a reception day, no activity
]
MEETINGS = [
    ["会议名称", "会议类型", "日期", "会议编号", "联络站", "应到人数"],
    ["6月接待选民日", "接待选民日", D(2024, 6, 15), "HY-1", STATION, None],  # a day, no rows
    ["民生实事票决会", "民生实事票决会", D(2024, 3, 1), "HY-2", STATION, 3],
]
ITEMS = [
    ["项目名称", "会议编号", "项目编号"],
    ["小区加装电梯", "HY-2", "XM-1"],
    ["道路改造", "HY-2", "XM-2"],
]
RESULTS = [
    ["会议编号", "项目编号", "发出票数", "收回票数", "赞成", "反对", "弃权"],
    ["HY-2", "XM-1", 3, 3, 2, 1, 0],  # 2 of 3: passed
    ["HY-2", "XM-2", 3, 3, 1, 1, 1],  # not passed
]
PROPOSALS = [
    ["标题", "领衔代表", "类别", "附议代表", "提出日期", "办理结果类别", "代表满意度"],
    ["关于加强道路养护的建议", "王伟", "建议", "李娜、买买提·艾力", D(2024, 2, 1), "A", "满意"],
    ["关于改善供暖的建议", "李娜", "建议", "", D(2024, 3, 1), "B", "不满意"],
    ["关于村村通水的建议", "张建国", "建议", "", D(2024, 4, 1), None, None],
]
AS_OF = D(2024, 12, 31)


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("stats")
    book = write_workbook(
        Path(folder) / "台账.xlsx",
        {
            "联络站": STATIONS,
            "代表名册": DEPUTIES,
            "接待登记": [HEADER, *RECEPTIONS],
            "履职活动": ACTIVITIES,
            "会议": MEETINGS,
            "票决项目": ITEMS,
            "票决结果": RESULTS,
            "代表建议": PROPOSALS,
        },
    )
    dataset = check(book, pdf=False)
    assert not dataset.errors, [p.message for p in dataset.errors]
    return dataset


def env(**kw: Any) -> PlanEnv:
    values = {"today": D(2025, 3, 1), "calendar": load_calendar(), **kw}
    return PlanEnv(load_rules(), **values)


def documents(data: Any, form_id: str = "station_stats", **kw: Any) -> dict[str, Any]:
    form = load_forms()[form_id]
    return {d.context["联络站"]: d.context for d in plan(form, data, env(**kw))}


def test_every_figure_counted_by_hand(data):
    n = documents(data)[STATION]["数字"]
    assert n == {
        "接待日数": 5,  # 1-15, 3-15, 5-15, 12-15 and the 6-15 接待选民日 meeting
        "接待人次": 3 + 1 + 2 + 1 + 1,
        "收集意见": 5,
        "交办件数": 4,  # rows 1, 2, 4, 5
        "办结件数": 2,
        "按期办结": 1,
        "逾期办结": 1,
        "正在办理": 1,
        "逾期未办结": 1,
        "办结率": 0.5,
        "满意件数": 1,
        "评价件数": 3,
        "满意率": pytest.approx(2 / 3, abs=0.0005),
        "代表人数": 3,
        "接待代表": 3,  # 买买提·艾力 by the 进站接待 activity too
        "进站率": 1.0,
        "站点活动": 2,
        "会议次数": 2,
        "代表建议": 2,
        "领衔建议": 2,
        "领衔议案": 0,
        "已答复": 2,
        "建议满意率": 0.5,
        "票决项目": 2,
        "通过项目": 1,
    }
    assert str(n["满意率"]) == "66.7%" and str(n["办结率"]) == "50.0%"


def test_figures_agree_with_a_count_of_the_rows(data):
    """The same figures counted here straight from the validated rows, for both stations."""
    counted = documents(data)
    for station in (STATION, STATION2):
        rows = [
            r for r in data.rows("接待登记")
            if r["联络站"] == station and r["接待日期"].year == 2024
        ]  # fmt: skip
        handed = [r for r in rows if r["处理方式"] in load_rules().handed_on]
        n = counted[station]["数字"]
        assert n["收集意见"] == len(rows)
        assert n["接待人次"] == sum(r["来访人数"] or 1 for r in rows)
        assert n["交办件数"] == len(handed)
        assert n["办结件数"] == sum(1 for r in handed if r["办理结果"] or r["反馈日期"])
        assert n["评价件数"] == sum(1 for r in rows if r["群众满意度"])
        states = sum(n[s] for s in statistics.STATES)
        assert states == n["交办件数"]
    whole = counted[statistics.ALL_STATIONS]["数字"]
    assert whole["收集意见"] == 6 and whole["接待人次"] == 12 and whole["代表人数"] == 4


def test_tables_by_category_route_and_month(data):
    doc = documents(data)[STATION]
    assert [(r["类别"], r["件数"]) for r in doc["问题类别"]] == [
        ("供暖供水供电", 1),
        ("道路交通", 1),
        ("环境卫生", 2),
        ("其他", 1),
    ]
    other = documents(data)[STATION2]["问题类别"]
    assert [(r["类别"], r["件数"], str(r["占比"])) for r in other] == [("未分类", 1, "100.0%")]
    routes = {r["处理方式"]: r["件数"] for r in doc["处理方式"]}
    assert routes == {"交社区(村)办理": 1, "交街道(乡镇)办理": 1, "转交有关部门": 2, "当场答复": 1}
    months = {r["月份"]: r for r in doc["按月"]}
    assert len(months) == 12
    assert (months["1月"]["接待人次"], months["1月"]["收集意见"], months["1月"]["接待日数"]) == (
        4,
        2,
        1,
    )
    assert months["6月"]["接待日数"] == 1 and months["6月"]["收集意见"] == 0
    assert (months["1月"]["按期办结"], months["1月"]["逾期办结"]) == (1, 1)
    assert months["5月"]["逾期未办结"] == 1 and months["12月"]["正在办理"] == 1
    # 王伟 1-15 and 12-15 (2023 not counted), 李娜 1-15 and 3-15, 买买提·艾力 5-15 and 6-15
    assert [r["代表人数"] for r in doc["代表参与"]] == [0, 3, 0, 0, 0]
    assert [(r["姓名"], r["接待天数"]) for r in doc["代表"]] == [
        ("王伟", 2),
        ("李娜", 2),
        ("买买提·艾力", 2),
    ]
    assert {r["类型"]: r["次数"] for r in doc["活动"]} == {"视察": 1, "调研": 1}
    assert [p["结果"] for p in doc["民生实事"]] == ["通过", "未通过"]


def test_each_chart_plots_its_table(data):
    for doc in documents(data).values():
        assert doc["图表"], doc["联络站"]
        for spec in doc["图表"].values():
            chart = chart_data(spec, doc)
            rows = doc[spec["数据"]][: spec.get("最多")]
            assert chart.categories == [str(r[spec["分类"]]) for r in rows]
            for name, values in chart.series:
                assert values == [float(r[name]) for r in rows]


def test_a_chart_of_nothing_is_left_out(data):
    empty = documents(data, year=2022)[STATION]
    assert empty["数字"]["收集意见"] == 0
    assert "问题类别" not in empty["图表"] and "按月" not in empty["图表"]


def test_the_all_stations_report_ranks_and_flags_months(data):
    whole = documents(data)[statistics.ALL_STATIONS]
    ranking = {r["联络站"]: r for r in whole["排名"]}
    assert [r["联络站"] for r in whole["排名"]] == [STATION, STATION2]  # by 接待人次
    assert (ranking[STATION]["接待人次名次"], ranking[STATION2]["接待人次名次"]) == (1, 2)
    assert (ranking[STATION]["办结率名次"], ranking[STATION2]["办结率名次"]) == (2, 1)
    assert ranking[STATION2]["进站率名次"] == 1 and ranking[STATION]["进站率名次"] == 1  # tie
    gaps = {g["联络站"]: g["无接待月份"] for g in whole["无接待"]}
    assert gaps[STATION2] == "2月、3月、4月、5月、6月、7月、8月、9月、10月、11月、12月"
    assert gaps[STATION] == "2月、4月、7月、8月、9月、10月、11月"
    assert "站点" in whole["图表"]


def test_the_stations_chart_plots_the_first_twelve_of_the_ranking():
    """222 bars are no chart (and a taller drawing than the Word picture it fills): the chart
    of the all-stations document plots the first 12 of the ranking, and says so."""
    ranking = [{"联络站": f"第{n}站", "接待人次": 100 - n} for n in range(1, 31)]
    spec = statistics.charts(True, len(ranking))["站点"]
    chart = chart_data(spec, {"排名": ranking})
    assert chart.categories == [f"第{n}站" for n in range(1, 13)]
    assert chart.series == [("接待人次", [float(100 - n) for n in range(1, 13)])]
    assert chart.title == "接待选民人次前12名的联络站"
    assert statistics.charts(True, 3)["站点"]["标题"] == "各联络站接待选民人次"


def test_ranks_share_a_place_on_ties():
    assert statistics.ranks([5, 9, 5, 1]) == [2, 1, 2, 4]


def test_quarter_and_period_windows(data):
    q1 = documents(data, quarter=1, year=2024)[STATION]
    assert q1["期间"] == "2024年第一季度" and q1["数字"]["收集意见"] == 3
    assert [r["月份"] for r in q1["按月"]] == ["1月", "2月", "3月"]
    span = documents(data, period=Period(D(2024, 5, 1), D(2024, 6, 30)))[STATION]
    assert span["数字"]["收集意见"] == 1 and span["数字"]["接待日数"] == 2
    assert span["期间"] == "2024年5月1日至2024年6月30日"


def test_states_are_judged_on_the_as_of_date(data):
    early = documents(data, as_of=D(2024, 2, 5))[STATION]["数字"]
    # On 5 February row 2 (due 1 Feb, answered 10 Feb) was overdue; row 1 already closed.
    assert (early["按期办结"], early["逾期未办结"]) == (1, 1)


def test_the_summary_draft_writes_figures_and_prompts_never_achievements(data):
    docs = documents(data, "work_summary")
    mine = docs[STATION]
    assert "开展接待选民活动5天，接待选民8人次，收集意见建议5件" in mine["段落"]["接待"]
    assert mine["段落"]["交办"].startswith("交有关单位办理4件，已办结2件，办结率50.0%")
    assert "按期办结1件，逾期办结1件，正在办理1件，逾期未办结1件" in mine["段落"]["交办"]
    assert "议案" not in mine["段落"]["建议"]  # none led: not "0件"
    assert mine["段落"]["民生"] == "票决民生实事项目2个，通过1个。"
    # The row marked 典型 is the case; nobody's name or phone from 接待登记 is printed.
    assert [c["内容"].startswith("2024年1月15日，选民反映：供暖不足") for c in mine["典型"]] == [
        True
    ]
    assert mine["典型说明"] == ""
    assert mine["提示"] == PROMPTS and all(p.startswith("【待填写：") for p in PROMPTS.values())
    office = docs[statistics.ALL_STATIONS]
    assert office["落款"] == PROMPTS["落款"]
    # Nothing marked at the other station: the most co-signed and most visited, said so.
    other = docs[STATION2]
    assert other["典型说明"].startswith("台账中没有标为典型的案例")
    assert [c["标题"] for c in other["典型"]] == ["《关于村村通水的建议》", "群众反映：村民吃水难"]
    assert "张建国代表领衔提出建议" in other["典型"][0]["内容"]
