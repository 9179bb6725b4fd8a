"""The books (derive/books.py): 交办督办簿 and 办理反馈簿 with states as of fixed dates, per-unit
totals, 督办单 of what is overdue, the activity, training and meeting registers, and each
deputy's 代表履职档案 by year and by term — every figure counted by hand on a small workbook,
then the same states read back from the docx, the PDF and the xlsx; hostile text printed as
written, no visitor's phone or name where none belongs."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from docx import Document

from conftest import (
    DEPUTIES,
    RECEPTION_HEADER,
    STATION,
    STATION2,
    STATIONS,
    flat,
    pdf_text,
    write_workbook,
)
from toolkit.cli import cli
from toolkit.commands.build import check
from toolkit.derive.books import plan_books, plan_files, plan_notices, without_phones
from toolkit.derive.planners import plan
from toolkit.errors import ToolkitError, UsageError
from toolkit.forms import load_forms
from toolkit.model import Dataset, PlanEnv
from toolkit.model import Document as Doc
from toolkit.render.registry import Renderers
from toolkit.rules import load_book_rules, load_rules, parse_term
from toolkit.rules.books import chosen_term

D = dt.date
FORMS = load_forms()
HOSTILE = "{{ 7*7 }} <b>粗</b> & =SUM(A1) 请回电13912345678"
HEADER = [*RECEPTION_HEADER, "反馈日期", "群众满意度", "回访日期", "回访方式", "回访情况"]


def row(
    date: D,
    route: str,
    unit: str | None,
    limit: Any = None,
    code: str = "",
    *,
    station: str = STATION,
    who: str = "王伟",
    content: str = "小区路面破损。",
    result: str = "",
    answered: D | None = None,
    rating: str | None = None,
    visited: D | None = None,
) -> list[Any]:
    return [
        date, station, who, content, code, "赵桂兰", "13987654321", "建设路8号院", 1, "道路交通",
        route, unit, limit, result or None, answered, rating, visited,
        "电话回访" if visited else None, "来访人表示满意。" if visited else None,
    ]  # fmt: skip


# Hand-counted (default rules: 交社区(村)办理 10 working days, 转交有关部门 15 working days).
RECEPTIONS = [
    # Friday before 国庆: 29 Sep (调休) 1, 30 Sep 2, 1–7 Oct off, 8–11 Oct 3–6, Sat 12 Oct
    # (调休) 7, 14–16 Oct 8–10 → due 16 Oct; never closed.
    row(D(2024, 9, 27), "交社区(村)办理", "三元社区居委会", code="R1"),
    # 15 working days from Mon 30 Sep → 25 Oct; answered 30 Oct: closed 5 days late.
    row(D(2024, 9, 30), "转交有关部门", "区住房和城乡建设局", code="R2", content=HOSTILE,
        result="已修复", answered=D(2024, 10, 30), rating="基本满意"),
    # Friday 15 Mar, 10 working days over two weekends: 18–22, 25–29 Mar → due 29 Mar; answered
    # that day: in time; visited again.
    row(D(2024, 3, 15), "交街道(乡镇)办理", "三元街道城建办", "10个工作日", "R3",
        result="已修复", answered=D(2024, 3, 29), rating="满意", visited=D(2024, 4, 2)),
    # 30 calendar days from 15 Mar → Sunday 14 Apr; never closed.
    row(D(2024, 3, 15), "交街道(乡镇)办理", "三元街道城建办", "30天", "R4"),
    row(D(2024, 5, 15), "当场答复", None, code="R5"),  # not handed on: in no book
    # The other station: a result with no date is closed on a day no one wrote: never late.
    row(D(2024, 6, 5), "交街道(乡镇)办理", "建设镇城建办", D(2024, 6, 20), "R6", station=STATION2,
        who="张建国", result="已答复"),
    # Received after the dates asked about below: not handed on yet as of them.
    row(D(2024, 12, 20), "转交有关部门", "区民政局", code="R7"),
]  # fmt: skip
ACTIVITIES = [
    ["活动日期", "活动类型", "活动主题", "参加代表", "地点", "组织单位", "备注"],
    [D(2024, 4, 10), "视察", "视察老旧小区改造", "王伟、李娜、张建国", "建设路", "区人大", None],
    [D(2024, 5, 8), "学习培训", "学习代表法", "王伟", "区人大会议室", "区人大", None],
    [D(2023, 6, 1), "调研", "调研养老服务", "李娜", "三元社区", "区人大", None],
    [D(2024, 7, 1), "走访选民", "走访独居老人", "张建国", "建设村", "镇人大主席团", None],
]
MEETINGS = [
    ["会议名称", "会议类型", "日期", "会议编号", "联络站", "参会人员", "应到人数", "主办单位"],
    ["宪法学习会", "学习培训会", D(2024, 3, 20), "HY-1", STATION, None, None, "三元街道人大工委"],
    ["区民生实事票决会", "民生实事票决会", D(2024, 1, 10), "HY-2", None, "全体区人大代表", 3,
     "城南区人大常委会"],
]  # fmt: skip


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("books")
    return write_workbook(
        folder / "台账.xlsx",
        {
            "联络站": STATIONS,
            "代表名册": DEPUTIES,
            "接待登记": [HEADER, *RECEPTIONS],
            "履职活动": ACTIVITIES,
            "会议": MEETINGS,
        },
    )


@pytest.fixture(scope="module")
def data(book: Path) -> Dataset:
    found = check(book)
    assert [str(p) for p in found.problems] == []
    return found


def env(as_of: D, **more: Any) -> PlanEnv:
    return PlanEnv(load_rules(), today=D(2030, 1, 1), as_of=as_of, **more)


def documents(form_id: str, data: Dataset, as_of: D, **more: Any) -> list[Doc]:
    return list(plan(FORMS[form_id], data, env(as_of, **more)))


def station_book(form_id: str, data: Dataset, as_of: D, station: str = STATION) -> Doc:
    """The station's book of 2024."""
    return next(
        d
        for d in documents(form_id, data, as_of)
        if d.context["联络站"] == station and d.context["期间"] == "2024年"
    )


def units(doc: Doc) -> dict[str, dict[str, int]]:
    keys = ("交办件数", "按期办结", "逾期办结", "正在办理", "逾期未办结")
    return {u["承办单位"]: {k: u[k] for k in keys} for u in doc.context["单位"]}


# ── states and totals, counted by hand ───────────────────────────────────────────────────────


def test_the_handoff_register_states_and_unit_totals_as_of_5_november(data):
    doc = station_book("handoff_register", data, D(2024, 11, 5))
    rows = {r["登记编号"]: r for r in doc.context["记录"]}
    assert set(rows) == {"R1", "R2", "R3", "R4"}  # R5 not handed on, R6 elsewhere, R7 later
    assert str(rows["R1"]["办理时限"]) == "2024年10月16日"  # across 国庆
    assert str(rows["R3"]["办理时限"]) == "2024年3月29日"  # across two weekends
    assert str(rows["R4"]["办理时限"]) == "2024年4月14日"  # 30 calendar days
    states = {code: (r["状态"], r["超期天数"]) for code, r in rows.items()}
    assert states == {
        "R1": ("逾期未办结", 20),  # 16 Oct → 5 Nov
        "R2": ("办结逾期", 5),  # due 25 Oct, answered 30 Oct
        "R3": ("已办结", 0),
        "R4": ("逾期未办结", 205),  # 14 Apr → 5 Nov: 16+31+30+31+31+30+31+5
    }
    keys = ("交办件数", "按期办结", "逾期办结", "正在办理", "逾期未办结")
    assert units(doc) == {
        "三元社区居委会": dict(zip(keys, (1, 0, 0, 0, 1), strict=True)),
        "三元街道城建办": dict(zip(keys, (2, 1, 0, 0, 1), strict=True)),
        "区住房和城乡建设局": dict(zip(keys, (1, 0, 1, 0, 0), strict=True)),
    }
    totals = doc.context["统计"]
    assert (totals["交办件数"], totals["按期办结"], totals["逾期办结"]) == (4, 1, 1)
    assert (totals["正在办理"], totals["逾期未办结"], totals["回访件数"]) == (0, 2, 1)
    # grouped by unit: a heading row before each unit's first matter, with the unit's totals
    heads = [r for r in doc.context["分组"] if r["组"]]
    assert [h["承办单位"] for h in heads] == [
        "三元社区居委会",
        "三元街道城建办",
        "区住房和城乡建设局",
    ]
    assert heads[1]["合计"] == "交办2件：按期办结1件，逾期未办结1件"


def test_the_due_date_itself_is_in_time_and_later_answers_have_not_happened(data):
    doc = station_book("handoff_register", data, D(2024, 10, 16))
    rows = {r["登记编号"]: (r["状态"], r["超期天数"]) for r in doc.context["记录"]}
    assert rows == {
        "R1": ("办理中", 0),  # due today
        "R2": ("办理中", 0),  # due 25 Oct; its answer of 30 Oct is still ahead
        "R3": ("已办结", 0),
        "R4": ("逾期未办结", 185),  # 14 Apr → 16 Oct
    }
    late = station_book("handoff_register", data, D(2024, 10, 21))
    assert {r["登记编号"]: r["超期天数"] for r in late.context["记录"]}["R1"] == 5


def test_a_result_without_a_date_is_closed_in_time(data):
    doc = station_book("handoff_register", data, D(2024, 11, 5), STATION2)
    assert [(r["登记编号"], r["状态"]) for r in doc.context["记录"]] == [("R6", "已办结")]


def test_the_feedback_register_lists_what_is_closed_with_its_visit(data):
    doc = station_book("feedback_register", data, D(2024, 11, 5))
    rows = [(r["登记编号"], r["状态"], r["超期天数"]) for r in doc.context["记录"]]
    assert rows == [("R3", "已办结", 0), ("R2", "办结逾期", 5)]  # by date
    first = doc.context["记录"][0]
    assert (str(first["回访日期"]), first["回访方式"]) == ("2024年4月2日", "电话回访")
    totals = doc.context["统计"]
    assert (totals["办结件数"], totals["回访件数"], totals["满意"], totals["基本满意"]) == (
        2,
        1,
        1,
        1,
    )
    # before R2 was answered, only R3 is closed
    before = station_book("feedback_register", data, D(2024, 10, 29))
    assert [r["登记编号"] for r in before.context["记录"]] == ["R3"]


def test_a_notice_for_each_matter_open_past_its_due_date(data):
    notices = documents("supervision_notice", data, D(2024, 11, 5))
    found = {d.context["登记编号"]: d.context for d in notices}
    assert set(found) == {"R1", "R4"}
    r1 = found["R1"]
    assert (r1["承办单位"], str(r1["交办日期"]), str(r1["办理时限"])) == (
        "三元社区居委会", "2024年9月27日", "2024年10月16日",
    )  # fmt: skip
    assert r1["超期天数"] == 20
    # reply within 5 working days of 5 Nov (Tue): 6, 7, 8, 11, 12 Nov
    assert str(r1["答复期限"]) == "2024年11月12日"
    assert (r1["联系人"], r1["联系电话"], r1["督办单位"]) == ("张敏", "0571-86001234", STATION)
    # the opinion, not the visitor: no name, phone or address in what the template can print
    assert r1["来访人"] == r1["来访人电话"] == r1["住址"] == ""
    text = json.dumps(r1, ensure_ascii=False, default=str)
    assert "赵桂兰" not in text and "13987654321" not in text and "建设路8号院" not in text
    assert [d.name_parts for d in notices] == [["三元社区居委会", "R1"], ["三元街道城建办", "R4"]]
    # as of the year's end R7 (due 10 Jan 2025) is not yet overdue
    assert {d.context["登记编号"] for d in documents("supervision_notice", data, D(2024, 12, 31))}
    assert "R7" not in {
        d.context["登记编号"] for d in documents("supervision_notice", data, D(2024, 12, 31))
    }


def test_the_rules_file_may_let_a_notice_name_the_visitor(data, tmp_path):
    rules = tmp_path / "督办.yaml"
    rules.write_text("督办:\n  印来访人: true\n  答复期限: 3天\n  联系人: 李主任\n", "utf-8")
    loaded = load_book_rules(rules)
    notice = documents("supervision_notice", data, D(2024, 11, 5), books=loaded)[0].context
    assert (notice["来访人"], notice["来访人电话"], notice["住址"]) == (
        "赵桂兰", "13987654321", "建设路8号院",
    )  # fmt: skip
    assert str(notice["答复期限"]) == "2024年11月8日" and notice["联系人"] == "李主任"


def test_books_rules_mistakes_name_the_file_and_line(tmp_path):
    bad = tmp_path / "b.yaml"
    bad.write_text("届期: 2022-2026\n督办:\n  印来访人: 也许\n", "utf-8")
    with pytest.raises(ToolkitError) as caught:
        load_book_rules(bad)
    assert str(caught.value).startswith("b.yaml 第2行 “督办”印来访人应为 true 或 false")
    bad.write_text("届期: 二〇二二年\n", "utf-8")
    with pytest.raises(ToolkitError, match="第1行 “届期”：“二〇二二年”不是届期"):
        load_book_rules(bad)
    assert parse_term("2022年至2026年").years == (2022, 2023, 2024, 2025, 2026)
    rules = load_book_rules()
    assert chosen_term("", rules) == rules.term and rules.term.name == "第十八届"
    assert chosen_term("2022-2026", rules).label == "第十八届（2022—2026年）"
    assert chosen_term("2021-2025", rules).label == "2021—2025年届期"
    with pytest.raises(UsageError, match="--term：届期“2026-2021”不合理"):
        chosen_term("2026-2021", rules)


# ── the other registers ──────────────────────────────────────────────────────────────────────


def test_the_activity_register_lists_each_stations_own_deputies(data):
    one = station_book("activity_register", data, D(2024, 12, 31))
    rows = [(str(r["日期"]), r["活动类型"], r["参加情况"]) for r in one.context["记录"]]
    assert rows == [
        ("2024年4月10日", "视察", "王伟、李娜（另有其他联络站代表1名）"),
        ("2024年5月8日", "学习培训", "王伟"),
    ]  # 2023's survey is in its own year's book
    assert one.context["统计"] == {"活动次数": 2, "参加人次": 3}
    other = station_book("activity_register", data, D(2024, 12, 31), STATION2)
    assert [r["参加情况"] for r in other.context["记录"]] == [
        "张建国（另有其他联络站代表2名）",
        "张建国",
    ]
    assert {d.name_parts[1] for d in documents("activity_register", data, D(2024, 12, 31))} == {
        "2023年",
        "2024年",
    }


def test_the_training_register_has_training_activities_and_meetings(data):
    doc = station_book("training_register", data, D(2024, 12, 31))
    rows = [(r["形式"], r["活动主题"], r["人数"]) for r in doc.context["记录"]]
    assert rows == [("学习培训会", "宪法学习会", 3), ("学习培训活动", "学习代表法", 1)]


def test_the_meeting_register_gives_a_meeting_without_station_to_its_organiser(data):
    books = {d.context["联络站"]: d for d in documents("meeting_register", data, D(2024, 12, 31))}
    assert set(books) == {STATION, "城南区人大常委会"}
    vote = books["城南区人大常委会"].context["记录"][0]
    assert (vote["应到人数"], vote["会议编号"]) == (3, "HY-2")
    assert books[STATION].context["统计"] == {"会议次数": 1, "应到人次": 3}


# ── 代表履职档案 ─────────────────────────────────────────────────────────────────────────────


def test_a_deputys_file_of_a_year(data):
    files = {d.context["姓名"]: d.context for d in documents("deputy_file", data, D(2024, 11, 5))}
    assert set(files) == {"王伟", "李娜", "买买提·艾力", "张建国"}  # every deputy, records or not
    wang = files["王伟"]
    assert wang["期间"] == "2024年" and not wang["任期"]
    handled = [(str(r["日期"]), r["处理方式"], r["办理情况"]) for r in wang["接待"]]
    assert handled[:2] == [
        ("2024年3月15日", "交街道(乡镇)办理", "已办结：已修复"),
        ("2024年3月15日", "交街道(乡镇)办理", "逾期未办结（超期205天）"),
    ]
    assert len(wang["接待"]) == 6  # R1–R5 and R7, in date order
    assert [r["活动类型"] for r in wang["活动"]] == ["视察", "学习培训"]
    assert [r["会议名称"] for r in wang["会议"]] == ["区民生实事票决会", "宪法学习会"]
    assert [r["年度"] for r in wang["积分"]] == ["2024年度"]
    assert [s["条数"] for s in wang["目录"]][2:5] == ["6件", "2次", "2次"]
    text = json.dumps(wang, ensure_ascii=False, default=str)
    assert "赵桂兰" not in text and "13987654321" not in text  # no visitor
    assert "13800000001" not in text  # nor the deputy's own number
    assert "139****5678" in text and "13912345678" not in text  # a number typed in the text


def test_a_deputys_file_of_a_term_and_score_of_the_term(data, book):
    term = load_book_rules().term
    files = {
        d.context["姓名"]: d.context
        for d in documents("deputy_file", data, D(2024, 12, 31), term=term)
    }
    li = files["李娜"]
    assert li["任期"] and li["期间"] == "第十八届（2022—2026年）"
    assert [r["年度"] for r in li["积分"]] == ["2023年度", "2024年度"]
    per_year = [r["总分"] for r in li["积分"]]
    assert per_year == [3, 3]  # 调研 2023, 视察 2024: 3 points each by the default rules
    assert li["任期累计积分"] == 6
    assert [r["活动类型"] for r in li["活动"]] == ["调研", "视察"]
    result = CliRunner().invoke(cli, ["score", str(book), "--term", "--json"])
    assert result.exit_code == 0, result.output
    scores = {d["姓名"]: d for d in json.loads(result.stdout)["代表"]}
    assert scores["李娜"]["各年度总分"] == {"2023": 3, "2024": 3}
    assert scores["李娜"]["任期累计积分"] == 6
    assert li["任期名次"] == f"{scores['李娜']['名次']}/4"
    table = CliRunner().invoke(cli, ["score", str(book), "--term=2023-2024"])
    assert "2023—2024年届期任期累计积分" in table.output and "2023年度  2024年度" in table.output
    both = CliRunner().invoke(cli, ["score", str(book), "--term", "--year", "2024"])
    assert both.exit_code == 2 and "--term 与 --year/--quarter 不能同时使用" in both.output


def test_phone_numbers_in_free_text_are_masked():
    assert (
        without_phones("请回电13912345678，或0571-86001234") == "请回电139****5678，或0571-86001234"
    )
    assert without_phones("编号 213912345678") == "编号 213912345678"  # not a mobile number


# ── the same states in every format, hostile text printed as written ─────────────────────────


def _render(doc: Doc, fmt: str) -> bytes:
    form = doc.form
    stream = io.BytesIO()
    Renderers().get(str(form.folder.parent), form.id, fmt).render(doc.context, stream)
    return stream.getvalue()


def _docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.fixture(scope="module")
def rendered(data, tmp_path_factory) -> dict[str, Path]:
    """One register, one notice and one file in each of their formats, as of 5 November."""
    folder = tmp_path_factory.mktemp("rendered")
    chosen = {
        "handoff_register": station_book("handoff_register", data, D(2024, 11, 5)),
        "supervision_notice": documents("supervision_notice", data, D(2024, 11, 5))[0],
        "deputy_file": documents("deputy_file", data, D(2024, 11, 5))[0],
    }
    paths = {}
    for form_id, doc in chosen.items():
        for fmt in doc.form.formats:
            path = folder / f"{form_id}.{fmt}"
            path.write_bytes(_render(doc, fmt))
            paths[f"{form_id}.{fmt}"] = path
    return paths


def test_the_register_says_the_same_in_every_format(rendered):
    pdf = flat(pdf_text(rendered["handoff_register.pdf"]))
    word = flat(_docx_text(rendered["handoff_register.docx"].read_bytes()))
    sheet = openpyxl.load_workbook(rendered["handoff_register.xlsx"])
    units, matters = sheet.worksheets
    rows = [[c.value for c in r] for r in matters.iter_rows(min_row=4)]
    header = [c.value for c in matters[3]]
    by_code = {r[header.index("登记编号")]: r for r in rows}
    state, over = header.index("办理状态"), header.index("超期天数")
    assert {k: (v[state], v[over]) for k, v in by_code.items()} == {
        "R1": ("逾期未办结", 20),
        "R2": ("办结逾期", 5),
        "R3": ("已办结", 0),
        "R4": ("逾期未办结", 205),
    }
    assert by_code["R1"][header.index("办理时限")] == dt.datetime(2024, 10, 16)  # an Excel date
    total = [c.value for c in units[units.max_row]]
    assert total[1:] == ["合计", 4, 1, 1, 0, 2]
    for text in (pdf, word):
        for expected in (
            "承办单位：三元社区居委会交办1件：逾期未办结1件",
            "2024年10月16日",
            "205天",
            "办结逾期",
            "逾期未办结",
        ):
            assert expected in text, expected
    # hostile text literal everywhere, the mobile number in it masked
    literal = flat(HOSTILE).replace("13912345678", "139****5678")
    assert literal in word
    # the PDF's cell wraps after 粗</b>& and the lines of neighbouring cells come between
    assert "{{7*7}}<b>粗</b>&" in pdf and "=SUM(A1)请回电139****5678" in pdf
    cell = by_code["R2"][header.index("反映内容")]
    assert cell == HOSTILE.replace("13912345678", "139****5678")
    assert "赵桂兰" not in pdf + word and "13987654321" not in pdf + word  # no visitor


def test_a_units_heading_row_stays_with_its_first_matter_in_word(rendered):
    """As tr.group's break-after: avoid in the PDF: without keep-with-next, LibreOffice ended
    two pages of the sample's register on a unit's heading row."""
    rows = Document(rendered["handoff_register.docx"]).tables[-1].rows
    headings = [r for r in rows if r.cells[0].text.startswith("承办单位：")]
    assert [h.cells[0].text.split("　")[0] for h in headings] == [
        "承办单位：三元社区居委会",
        "承办单位：三元街道城建办",
        "承办单位：区住房和城乡建设局",
    ]
    for heading in headings:
        assert all(p.paragraph_format.keep_with_next for p in heading.cells[0].paragraphs)


def test_the_notice_and_the_file_say_the_same_in_word_and_pdf(rendered):
    for form_id, expected in (
        ("supervision_notice", ("三元社区居委会：", "超过办理时限20天", "2024年11月12日前")),
        (
            "deputy_file",
            ("逾期未办结", "205天", "一、基本情况", "目录", "2024年度", "任期累计积分"),
        ),
    ):
        pdf = flat(pdf_text(rendered[f"{form_id}.pdf"]))
        word = flat(_docx_text(rendered[f"{form_id}.docx"].read_bytes()))
        for text in expected:
            if text == "任期累计积分":  # a year's file has no term total
                assert text not in pdf and text not in word
                continue
            assert text in pdf and text in word, (form_id, text)
        assert "赵桂兰" not in pdf + word and "13987654321" not in pdf + word


def test_plan_functions_are_the_planners_of_the_books_forms():
    assert plan_notices and plan_books and plan_files  # named in planners.PLANNERS
    from toolkit.derive.planners import planner_for

    for form_id in ("supervision_notice", "handoff_register", "deputy_file"):
        assert planner_for(FORMS[form_id]).plan.__module__ == "toolkit.derive.books"


def test_build_term_makes_the_files_of_the_term(book, tmp_path):
    from toolkit.commands.build import build
    from toolkit.model import BuildOptions

    result = build(
        BuildOptions(
            workbook=book, out=tmp_path, only=("deputy_file",), formats=("docx",), term="",
            jobs=1, as_of=D(2024, 12, 31),
        )
    )  # fmt: skip
    assert result.exit_code == 0
    names = sorted(p.name for p in (tmp_path / "代表履职档案").iterdir())
    assert (
        names[0] == "代表履职档案_第十八届（2022—2026年）_三元社区人大代表联络站_买买提·艾力.docx"
    )
    text = _docx_text((tmp_path / "代表履职档案" / names[1]).read_bytes())
    assert "任期累计积分" in text and "2023年度" in text
    with pytest.raises(UsageError, match="--term：“2024”不是届期"):
        build(BuildOptions(workbook=book, out=tmp_path / "x", only=("deputy_file",), term="2024"))


# ── the new columns are optional, and the blank workbook has them ────────────────────────────


def test_a_workbook_without_the_new_columns_keeps_its_books(tmp_path):
    """A workbook of before issue 15 (no 反馈日期, 群众满意度 nor 回访 columns) checks clean and
    still gets its 交办督办簿 and 办理反馈簿: a result without a date is closed in time, with no
    return visit."""
    old = [row[: len(RECEPTION_HEADER)] for row in RECEPTIONS]
    path = write_workbook(
        tmp_path / "旧台账.xlsx",
        {"联络站": STATIONS, "代表名册": DEPUTIES, "接待登记": [RECEPTION_HEADER, *old]},
    )
    found = check(path)
    assert [str(p) for p in found.problems] == []
    handoff = station_book("handoff_register", found, D(2024, 11, 5))
    assert {r["登记编号"]: r["状态"] for r in handoff.context["记录"]} == {
        "R1": "逾期未办结",
        "R2": "已办结",  # 已修复 and no 反馈日期: closed in time
        "R3": "已办结",
        "R4": "逾期未办结",
    }
    feedback = station_book("feedback_register", found, D(2024, 11, 5))
    assert [r["登记编号"] for r in feedback.context["记录"]] == ["R3", "R2"]
    assert all(not r["回访日期"] and not r["回访方式"] for r in feedback.context["记录"])
    assert feedback.context["统计"]["回访件数"] == 0


def test_the_blank_workbook_and_the_contract_have_the_return_visit_columns(tmp_path):
    from toolkit.commands.init import write_blank_workbook
    from toolkit.contract import find_sheet

    path = tmp_path / "空白台账.xlsx"
    write_blank_workbook(path)
    header = [c.value for c in openpyxl.load_workbook(path)["接待登记"][1]]
    assert {"反馈日期", "群众满意度", "回访日期", "回访方式", "回访情况"} <= set(header)
    assert header.index("回访日期") > header.index("反馈日期")
    sheet = find_sheet("接待登记")
    assert sheet is not None
    assert not any(sheet.column(name).required for name in ("回访日期", "回访方式", "回访情况"))


def test_a_deputys_file_lists_proposals_led_and_co_signed_and_the_duty_rating(tmp_path):
    """六、建议议案 and 八、述职评议, counted by hand: 王伟 led JY-2024-001 (answered, A) and
    co-signed JY-2024-002 (not yet answered); his 2023 proposal is not in the 2024 file; a
    述职 of 20 valid votes, 15 + 4 satisfied: 95%, 称职."""
    path = write_workbook(
        tmp_path / "台账.xlsx",
        {
            "联络站": STATIONS,
            "代表名册": DEPUTIES,
            "会议": [
                ["会议名称", "会议类型", "日期", "会议编号", "联络站", "参会人员", "应到人数"],
                ["代表述职评议会", "述职评议会", D(2024, 11, 5), "HY-3", STATION, "王伟、李娜", 2],
            ],
            "代表建议": [
                ["标题", "领衔代表", "类别", "建议编号", "附议代表", "提出日期", "办理结果类别"],
                ["关于修缮建设路的建议", "王伟", "建议", "JY-2024-001", "李娜", D(2024, 2, 1), "A"],
                ["关于增设公交站的建议", "李娜", "建议", "JY-2024-002", "王伟、买买提·艾力",
                 D(2024, 3, 1), None],
                ["关于2023年的建议", "王伟", "建议", "JY-2023-009", None, D(2023, 3, 1), "B"],
            ],
            "述职测评": [
                ["代表姓名", "会议编号", "日期", "发出票数", "收回票数", "有效票数",
                 "满意", "基本满意", "不满意"],
                ["王伟", "HY-3", D(2024, 11, 5), 20, 20, 20, 15, 4, 1],
            ],
        },
    )  # fmt: skip
    found = check(path)
    assert [str(p) for p in found.problems] == []
    (wang,) = [
        d for d in documents("deputy_file", found, D(2024, 12, 31)) if d.context["姓名"] == "王伟"
    ]
    assert [(r["编号"], r["角色"], r["办理情况"]) for r in wang.context["建议"]] == [
        ("JY-2024-001", "领衔", "办理结果：A类，已解决或基本解决"),
        ("JY-2024-002", "附议", "尚未答复"),
    ]
    (sitting,) = wang.context["述职"]
    assert (sitting["会议"], sitting["有效票数"], sitting["等次"]) == ("代表述职评议会", 20, "称职")
    word = flat(_docx_text(_render(wang, "docx")))
    for text in ("六、建议议案", "JY-2024-001", "领衔建议", "附议建议", "尚未答复", "称职", "95"):
        assert text in word, text
    assert "JY-2023-009" not in word
