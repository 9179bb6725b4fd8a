"""Year-end scoring, 代表年度履职考核表 and 履职积分汇总及公示表, against hand-counted figures.

The workbook below is small enough to score by hand (totals worked out in `EXPECTED`):
  王伟   出席 10 + 视察调研 3×3=9 capped to 6 + 接待 2×2 + 领衔 5 + 附议 1 = 26 → total cap 20
  李娜   出席 10 + 视察 3 + 接待 2 + 领衔 5 + 附议 1 = 21 → 20 (ties 王伟: both rank 1)
  张建国 出席 10 + 视察 3 + 接待 2 = 15 (exactly the 好 floor)
  刘洋   出席 10 (the row of his half day's leave) − 1 = 9
  买买提·艾力 附议 1;  陈静 no records at all: 0
Six deputies: ceil(10% × 6) = 1, and both deputies tied at rank 1 get 五星.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from docx import Document
from pypdf import PdfReader

from conftest import STATION, STATION2, STATIONS, pdf_pages, reception, write_workbook
from toolkit.cli import cli
from toolkit.commands.build import build, check
from toolkit.derive.scoring import Window, score, star_cut
from toolkit.errors import ToolkitError
from toolkit.model import BuildOptions
from toolkit.rules.scoring import load_scoring

ROSTER = [
    ["姓名", "代表证号", "代表层级", "所属联络站", "性别", "工作单位及职务", "联系电话"],
    ["王伟", "DB-001", "县", STATION, "男", "三元街道社区卫生服务中心主任", "13800000001"],
    ["李娜", "DB-002", "区级", STATION, "女", "三元小学校长", "13800000002"],
    ["买买提·艾力", "DB-003", "市", STATION, "男", "个体工商户", "13800000003"],
    ["陈静", "DB-004", "县", STATION, "女", "三元街道居民", "13800000004"],
    ["张建国", "DB-005", "镇", STATION2, "男", "建设村党支部书记", "13800000005"],
    ["刘洋", "DB-006", "镇", STATION2, "男", "建设镇农技站站长", "13800000006"],
]
ACTIVITIES = [
    ["活动日期", "活动类型", "活动主题", "参加代表", "备注"],
    [dt.date(2024, 1, 10), "出席人代会", "出席区人代会", "王伟、李娜、张建国", ""],
    [dt.date(2024, 1, 10), "出席人代会", "出席镇人代会", "刘洋", "请假半天"],
    [dt.date(2024, 3, 1), "视察", "视察老旧小区改造", "王伟、李娜", ""],
    [dt.date(2024, 5, 1), "调研", "调研养老服务", "王伟", ""],
    [dt.date(2024, 7, 1), "视察", "视察河道治理", "王伟、张建国", ""],
    [dt.date(2023, 12, 20), "视察", "视察冬季供暖", "王伟", ""],  # another year
]
PROPOSALS = [
    ["标题", "领衔代表", "类别", "附议代表", "提出日期"],
    ["关于加快老旧小区加装电梯的建议", "王伟", "建议", "李娜、买买提·艾力", dt.date(2024, 1, 10)],
    ["关于增设社区养老服务站的建议", "李娜", "建议", "王伟", dt.date(2024, 2, 1)],
]
RULES = """\
积分项目:
  - {名称: 出席人代会, 来源: 履职活动, 活动类型: [出席人代会], 每次: 10}
  - {名称: 视察调研, 来源: 履职活动, 活动类型: [视察, 调研], 每次: 3, 上限: 6}
  - {名称: 进站接待, 来源: 接待登记, 每次: 2}
  - {名称: 领衔建议, 来源: 代表建议, 角色: 领衔, 每次: 5}
  - {名称: 附议, 来源: 代表建议, 角色: 附议, 每次: 1}
扣分项目:
  - {名称: 人代会请假, 来源: 履职活动, 活动类型: [出席人代会], 备注包含: 请假半天, 每次: 1}
总分上限: 20
等次:
  - {名称: 好, 最低分: 15}
  - {名称: 较好, 最低分: 10}
  - {名称: 差}
五星: {比例: 0.1, 范围: 全部}
"""
# name → (total, rank, station rank, grade, 五星)
EXPECTED = {
    "王伟": (20, 1, 1, "好", True),
    "李娜": (20, 1, 1, "好", True),
    "张建国": (15, 3, 1, "好", False),
    "刘洋": (9, 4, 2, "差", False),
    "买买提·艾力": (1, 5, 3, "差", False),
    "陈静": (0, 6, 4, "差", False),
}


def _book(tmp_path: Path, activities: list[list] | None = None) -> Path:
    receptions = [
        ["接待日期", "联络站", "接待代表", "反映内容", "登记编号"],
        reception(dt.date(2024, 3, 15), deputies="王伟、李娜", code="JD-1")[:5],
        reception(dt.date(2024, 4, 15), deputies="王伟", code="JD-2")[:5],
        reception(dt.date(2024, 5, 15), STATION2, deputies="张建国", code="JD-3")[:5],
    ]
    sheets = {
        "联络站": STATIONS,
        "代表名册": ROSTER,
        "接待登记": receptions,
        "履职活动": activities or ACTIVITIES,
        "代表建议": PROPOSALS,
    }
    return write_workbook(tmp_path / "台账.xlsx", sheets)


@pytest.fixture
def rules_file(tmp_path: Path) -> Path:
    path = tmp_path / "积分规则.yaml"
    path.write_text(RULES, encoding="utf-8")
    return path


def _board(tmp_path: Path, rules_file: Path, text: str = RULES):
    rules_file.write_text(text, encoding="utf-8")
    data = check(_book(tmp_path), pdf=False)
    return score(data, load_scoring(rules_file), Window.year(2024))


def test_hand_counted_totals_caps_deductions_ties_and_stars(tmp_path, rules_file):
    board = _board(tmp_path, rules_file)
    got = {
        s.deputy.display: (s.total, s.rank, s.station_rank, s.grade, s.star) for s in board.scores
    }
    assert got == EXPECTED
    wang = board.by_display()["王伟"]
    items = {i.item.name: i for i in wang.items}
    assert (items["视察调研"].count, items["视察调研"].raw, items["视察调研"].points) == (3, 9, 6)
    assert items["视察调研"].capped  # 2023's inspection is not counted: 3, not 4
    assert wang.subtotal == 26 and wang.total_capped
    liu = {i.item.name: i for i in board.by_display()["刘洋"].items}
    assert (liu["人代会请假"].count, liu["人代会请假"].points) == (1, -1)
    assert [s.deputy.display for s in board.scores][:2] == ["王伟", "李娜"]  # ties: roster order


def test_star_cut_is_exact_and_per_station_scope(tmp_path, rules_file):
    assert star_cut(0.1, 30) == 3  # 0.1 × 30 in floats is 3.0000000000000004
    assert (star_cut(0.1, 31), star_cut(0.1, 6), star_cut(0.15, 20)) == (4, 1, 3)
    board = _board(tmp_path, rules_file, RULES.replace("范围: 全部", "范围: 联络站"))
    stars = sorted(s.deputy.display for s in board.scores if s.star)
    assert stars == ["张建国", "李娜", "王伟"]


def test_no_star_for_a_zero_total(tmp_path, rules_file):
    # Nobody has a record in 2030: everyone ties at rank 1 with 0, and 0 earns no star.
    rules_file.write_text(RULES, encoding="utf-8")
    data = check(_book(tmp_path), pdf=False)
    board = score(data, load_scoring(rules_file), Window.year(2030))
    assert {(s.total, s.rank, s.star) for s in board.scores} == {(0, 1, False)}


def _build(tmp_path: Path, rules_file: Path, *args: str, out: str = "out", jobs: int = 1):
    options = BuildOptions(
        workbook=_book(tmp_path),
        out=tmp_path / out,
        only=("annual_assessment", "score_board"),
        rules=(rules_file,),
        jobs=jobs,
        today=dt.date(2025, 1, 10),
    )
    for arg in args:
        key, _, value = arg.partition("=")
        if value.isdigit():
            setattr(options, key, int(value))
        else:
            setattr(options, key, dt.date.fromisoformat(value) if key == "as_of" else value)
    return build(options)


def _pdf_text(path: Path) -> str:
    return "".join(pdf_pages(path))


def test_assessment_sheets_in_every_format_show_the_items_and_the_appendix(tmp_path, rules_file):
    result = _build(tmp_path, rules_file)
    assert result.exit_code == 0
    folder = result.out / "代表年度履职考核表"
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == 6 * 3  # every deputy, 陈静 without records included
    stem = f"代表年度履职考核表_2024年度_{STATION}_王伟"
    assert f"{stem}.docx" in names and f"{stem}.pdf" in names and f"{stem}.xlsx" in names

    wb = openpyxl.load_workbook(folder / f"{stem}.xlsx")
    sheet = wb["考核表"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    by_item = {r[2]: r for r in rows if r[2]}
    assert by_item["视察调研"][4:8] == [3, 9, 6, "已达上限"]
    assert by_item["人代会请假"][1] == "扣分" and by_item["人代会请假"][4:7] == [0, 0, 0]
    assert by_item["总分"][6] == 20 and by_item["总分"][7] == "合计 26 分，按上限计"
    assert "等次：好" in sheet["A2"].value and "名次：第 1 名（共 6 人）" in sheet["A2"].value
    details = [[c.value for c in r] for r in wb["积分记录明细"].iter_rows(min_row=4)]
    assert [d[1] for d in details] == [  # Excel dates, in date order
        dt.datetime(2024, 1, 10),
        dt.datetime(2024, 1, 10),
        dt.datetime(2024, 2, 1),
        dt.datetime(2024, 3, 1),
        dt.datetime(2024, 3, 15),
        dt.datetime(2024, 4, 15),
        dt.datetime(2024, 5, 1),
        dt.datetime(2024, 7, 1),
    ]
    assert ["视察调研", "视察", "视察河道治理", "履职活动 第6行"] == details[-1][2:6]

    text = _pdf_text(folder / f"{stem}.pdf")
    assert "代表年度履职考核表" in text and "（2024年度）" in text
    assert re.search(r"总分（上限\s*20\s*分）\s*20\s*合计\s*26\s*分，\s*按上限计", text)
    assert "附：积分记录明细" in text and "关于加快老旧小区加装电梯的建议" in "".join(text.split())
    reader = PdfReader(folder / f"{stem}.pdf")
    assert [round(float(v)) for v in reader.pages[0].mediabox[2:]] == [595, 842]  # A4
    # The sheet with its signatures is one page; the appendix starts on the next.
    assert "代表签名" in reader.pages[0].extract_text()
    assert "附：积分记录明细" in reader.pages[1].extract_text()

    doc = Document(folder / f"{stem}.docx")
    cells = [[c.text for c in row.cells] for row in doc.tables[1].rows]
    assert ["2", "视察调研", "每次 3 分，最多 6 分", "3", "6", "已达上限"] in cells
    assert any(row[0].startswith("总分（上限 20 分）") and row[4] == "20" for row in cells)
    assert doc.tables[2].rows[0].cells[1].text == "好"

    empty = _pdf_text(folder / f"代表年度履职考核表_2024年度_{STATION}_陈静.pdf")
    assert "本年度没有计入积分的记录" in empty and "第 6 名（共 6 人）" in empty


def test_public_board_masks_phones_and_prints_nothing_else_personal(tmp_path, rules_file):
    result = _build(tmp_path, rules_file)
    folder = result.out / "履职积分汇总及公示表"
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(
        f"履职积分汇总及公示表_2024年度_{s}.{fmt}"
        for s in (STATION, STATION2, "全部联络站")
        for fmt in ("pdf", "xlsx")
    )
    wb = openpyxl.load_workbook(folder / "履职积分汇总及公示表_2024年度_全部联络站.xlsx")
    rows = [[c.value for c in r] for r in wb.active.iter_rows(min_row=4) if r[2].value]
    assert [r[1:4] + r[5:9] for r in rows] == [
        [1, "王伟", "县（区）人大代表", "138****0001", 20, "好", "★"],
        [1, "李娜", "县（区）人大代表", "138****0002", 20, "好", "★"],
        [3, "张建国", "乡镇人大代表", "138****0005", 15, "好", None],
        [4, "刘洋", "乡镇人大代表", "138****0006", 9, "差", None],
        [5, "买买提·艾力", "市人大代表", "138****0003", 1, "差", None],
        [6, "陈静", "县（区）人大代表", "138****0004", 0, "差", None],
    ]
    for path in folder.iterdir():
        if path.suffix == ".pdf":
            text = _pdf_text(path)
        else:
            book = openpyxl.load_workbook(path)
            text = " ".join(str(c.value) for ws in book for row in ws.iter_rows() for c in row)
        for private in ("13800000001", "DB-001", "三元小学校长", "男", "女"):
            assert private not in text, (path.name, private)
    station = _pdf_text(folder / f"履职积分汇总及公示表_2024年度_{STATION2}.pdf")
    assert "张建国" in station and "王伟" not in station and "0571-86005678" in station


def test_scores_do_not_depend_on_format_or_jobs(tmp_path, rules_file):
    one = _build(tmp_path, rules_file, out="one", jobs=1)
    two = _build(tmp_path, rules_file, out="two", jobs=2)
    assert one.exit_code == two.exit_code == 0
    for name in ("王伟", "刘洋", "陈静"):
        station = STATION2 if name == "刘洋" else STATION
        stem = f"代表年度履职考核表/代表年度履职考核表_2024年度_{station}_{name}"
        totals = set()
        for out in (one.out, two.out):
            sheet = openpyxl.load_workbook(out / f"{stem}.xlsx")["考核表"]
            totals.add(re.search(r"总分：(\d+)", sheet["A2"].value).group(1))
            totals.add(
                re.search(r"总分（上限\s*20\s*分）\s*(\d+)", _pdf_text(out / f"{stem}.pdf")).group(
                    1
                )
            )
            doc = Document(out / f"{stem}.docx")
            totals.update(
                r.cells[4].text for r in doc.tables[1].rows if r.cells[0].text.startswith("总分")
            )
        assert totals == {str(EXPECTED[name][0])}


def test_quarter_gives_the_totals_so_far(tmp_path, rules_file):
    result = _build(tmp_path, rules_file, "quarter=1", "year=2024")
    assert result.exit_code == 0
    folder = result.out / "履职积分汇总及公示表"
    path = folder / "履职积分汇总及公示表_2024年第一季度_全部联络站.xlsx"
    ws = openpyxl.load_workbook(path).active
    head = [c.value for c in ws[3]]
    rows = {r[head.index("姓名")]: r[head.index("总分")] for r in ws.iter_rows(4, values_only=True)}
    # To 31 March: 王伟 出席 10 + 视察 3 + 接待 2 + 领衔 5 + 附议 1 = 21 → 20; 张建国 only 出席 10.
    assert (rows["王伟"], rows["张建国"], rows["刘洋"]) == (20, 10, 9)
    assert "2024年第一季度" in ws["A1"].value


def test_a_quarter_is_not_graded_by_the_year_end_cut_offs(tmp_path, rules_file):
    """Grades and 五星 are year-end judgements: a quarter's board gives totals and ranks."""
    result = _build(tmp_path, rules_file, "quarter=1", "year=2024")
    assert result.exit_code == 0
    folder = result.out / "履职积分汇总及公示表"
    for station in (STATION, "全部联络站"):
        text = _pdf_text(folder / f"履职积分汇总及公示表_2024年第一季度_{station}.pdf")
        table = text.split("说明")[0]
        assert "★" not in text and "等次" not in table and "五星" not in table
        assert "2024年第一季度只公示截至期末的积分和名次，等次和五星在年度考核时评定。" in (
            "".join(text.split())
        )
        for word in ("好", "较好", "差"):
            assert f" {word} " not in text
        ws = openpyxl.load_workbook(
            folder / f"履职积分汇总及公示表_2024年第一季度_{station}.xlsx"
        ).active
        assert [c.value for c in ws[3]][-2:] == ["联系电话", "总分"]  # no 等次, no 五星 column
    sheet = next((result.out / "代表年度履职考核表").glob("*王伟.docx"))
    cells = {c.text for t in Document(sheet).tables for r in t.rows for c in r.cells}
    assert "好" not in cells and "是" not in cells  # no grade, no 五星 for a quarter
    text = "".join(p.text for p in Document(sheet).paragraphs)
    assert "等次和五星在年度考核时评定" in text


def test_a_quarter_is_graded_where_the_rules_give_its_cut_offs(tmp_path, rules_file):
    quarterly = RULES + "季度等次:\n  第一季度:\n    - {名称: 好, 最低分: 15}\n    - {名称: 差}\n"
    rules_file.write_text(quarterly, encoding="utf-8")
    data = check(_book(tmp_path), pdf=False)
    board = score(data, load_scoring(rules_file), Window.quarter_of(2024, 1))
    got = {s.deputy.display: (s.grade, s.star) for s in board.scores}
    assert got["王伟"] == ("好", False) and got["张建国"] == ("差", False)  # never 五星
    assert board.graded and not board.starred
    assert not score(data, load_scoring(rules_file), Window.quarter_of(2024, 2)).graded


def test_posted_board_names_issuer_period_objections_and_its_date(tmp_path, rules_file):
    rules_file.write_text(RULES + "公示: {公示天数: 5}\n", encoding="utf-8")
    result = _build(tmp_path, rules_file, "year=2024", "as_of=2024-12-20")
    assert result.exit_code == 0
    folder = result.out / "履职积分汇总及公示表"
    text = "".join(_pdf_text(folder / f"履职积分汇总及公示表_2024年度_{STATION}.pdf").split())
    assert "公示期：2024年12月20日至2024年12月24日。" in text
    assert "请向三元社区人大代表联络站反映（联系电话：0571-86001234）" in text
    assert text.endswith(f"{STATION}2024年12月20日—1—")  # issued by the station, --as-of
    ws = openpyxl.load_workbook(folder / f"履职积分汇总及公示表_2024年度_{STATION}.xlsx").active
    cells = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert "2024年12月20日至2024年12月24日" in cells and "0571-86001234" in cells
    assert "2025年1月10日" not in cells + text  # the build day is not the day of issue
    whole = "".join(_pdf_text(folder / "履职积分汇总及公示表_2024年度_全部联络站.pdf").split())
    assert "请向代表所在联络站反映" in whole
    named = RULES + "公示: {发布单位: 城南区人大常委会代表工作委员会, 联系电话: 0571-86000000}\n"
    rules_file.write_text(named, encoding="utf-8")
    result = _build(tmp_path, rules_file, "year=2024", "as_of=2024-12-20", out="named")
    whole = "".join(
        _pdf_text(
            result.out / "履职积分汇总及公示表" / "履职积分汇总及公示表_2024年度_全部联络站.pdf"
        ).split()
    )
    assert "请向城南区人大常委会代表工作委员会反映（联系电话：0571-86000000）" in whole
    assert "城南区人大常委会代表工作委员会2024年12月20日" in whole


def test_sheets_cite_the_rules_by_their_title_never_a_file(tmp_path, rules_file):
    rules_file.write_text("名称: 三元街道代表履职积分细则\n" + RULES, encoding="utf-8")
    result = _build(tmp_path, rules_file, "year=2024")
    assert result.exit_code == 0
    folder = result.out / "代表年度履职考核表"
    stem = f"代表年度履职考核表_2024年度_{STATION}_王伟"
    pdf = "".join(_pdf_text(folder / f"{stem}.pdf").split())
    docx = "".join(p.text for p in Document(folder / f"{stem}.docx").paragraphs)
    for text in (pdf, docx):
        assert "积分依据《三元街道代表履职积分细则》" in text
        assert ".yaml" not in text and "积分规则" not in text
    runner = CliRunner()
    out = runner.invoke(cli, ["score", str(_book(tmp_path)), "--rules", str(rules_file)])
    assert "依据《三元街道代表履职积分细则》" in out.output and ".yaml" not in out.output


def test_reception_items_count_days_unless_the_rules_say_rows(tmp_path, rules_file):
    """A day in 接待登记 and the same day's 进站接待 activity are one reception day."""
    activities = [*ACTIVITIES, [dt.date(2024, 4, 15), "进站接待", "4月接待选民日", "王伟", ""]]
    activities.append([dt.date(2024, 6, 15), "进站接待", "6月接待选民日", "王伟", ""])
    (tmp_path / "d").mkdir()
    data = check(_book(tmp_path / "d", activities), pdf=False)
    board = score(data, load_scoring(rules_file), Window.year(2024))
    items = {i.item.name: i for i in board.by_display()["王伟"].items}
    # 3/15 and 4/15 from 接待登记, 4/15 and 6/15 from 履职活动: three days
    assert [s.date.month for s in items["进站接待"].sources] == [3, 4, 6]
    assert items["进站接待"].sources[1].where == "接待登记 第3行；履职活动 第8行"
    rows = RULES.replace("来源: 接待登记,", "来源: 接待登记, 计数: 收集意见,")
    rules_file.write_text(rows, encoding="utf-8")
    board = score(data, load_scoring(rules_file), Window.year(2024))
    items = {i.item.name: i for i in board.by_display()["王伟"].items}
    assert items["进站接待"].count == 2  # the two 接待登记 rows that name him
    bad = RULES.replace("来源: 接待登记,", "来源: 接待登记, 计数: 人数,")
    rules_file.write_text(bad, encoding="utf-8")
    with pytest.raises(ToolkitError) as info:
        load_scoring(rules_file)
    assert str(info.value) == (
        "积分规则.yaml 第4行 积分项目第3项（进站接待）“计数”：来源为接待登记时不能按“人数”计"
        "（可用：接待天数、收集意见）"
    )


def test_near_miss_name_is_rejected_with_a_suggestion(tmp_path, rules_file):
    bad = [*ACTIVITIES, [dt.date(2024, 9, 1), "调研", "调研垃圾分类", "王玮", ""]]
    (tmp_path / "b").mkdir()
    path = _book(tmp_path / "b", bad)
    data = check(path, pdf=False)
    problem = next(p for p in data.errors if p.sheet == "履职活动")
    assert (problem.row, problem.column) == (8, "参加代表")
    assert "“王玮” 不在代表名册中" in problem.message and "王伟" in problem.hint


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "活动类型: [视察, 调研]",
            "活动类型: [视察, 考察]",
            "积分规则.yaml 第3行 积分项目第2项（视察调研）“活动类型”：未知的活动类型“考察”",
        ),
        (
            "每次: 3, 上限: 6",
            "每次: 3, 上限: -6",
            "积分规则.yaml 第3行 积分项目第2项（视察调研）“上限”不能为负数（-6）",
        ),
        (
            "{名称: 进站接待, 来源: 接待登记, 每次: 2}",
            "{名称: 进站接待, 来源: 接待登记, 每次: 2分}",
            "积分规则.yaml 第4行 积分项目第3项（进站接待）“每次”应为数字，而不是“2分”",
        ),
        (
            "总分上限: 20",
            "总分上线: 20",
            "积分规则.yaml 第9行 未知的键“总分上线”",
        ),
        (
            "{名称: 附议, 来源: 代表建议, 角色: 附议, 每次: 1}",
            "{名称: 附议, 来源: 代表建议, 角色: 附议, 每次: 1, 权重: 2}",
            "积分规则.yaml 第6行 积分项目第5项（附议）：未知的键“权重”",
        ),
        (
            "  - {名称: 较好, 最低分: 10}",
            "  - {名称: 较好, 最低分: 20}",
            "积分规则.yaml 第12行 等次第2项的“最低分”应低于上一项",
        ),
    ],
)
def test_rules_file_errors_name_file_line_and_key(rules_file, old, new, message):
    assert RULES.count(old) == 1
    rules_file.write_text(RULES.replace(old, new), encoding="utf-8")
    with pytest.raises(ToolkitError) as info:
        load_scoring(rules_file)
    assert str(info.value).startswith(message)


def test_score_command_prints_a_table_and_json(tmp_path, rules_file):
    book = _book(tmp_path)
    runner = CliRunner()
    result = runner.invoke(cli, ["score", str(book), "--rules", str(rules_file)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("2024年度履职积分")
    table = [line.split() for line in lines[2:]]
    assert [row[:4] for row in table[:3]] == [
        ["1", "王伟", STATION, "20"],
        ["1", "李娜", STATION, "20"],
        ["3", "张建国", STATION2, "15"],
    ]
    result = runner.invoke(cli, ["score", str(book), "--rules", str(rules_file), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["年度"] == "2024年度"
    assert {d["姓名"]: (d["总分"], d["名次"], d["五星"]) for d in data["代表"]} == {
        k: (v[0], v[1], v[4]) for k, v in EXPECTED.items()
    }
    wang = next(d for d in data["代表"] if d["姓名"] == "王伟")
    assert {"项目": "视察调研", "次数": 3, "原始得分": 9, "得分": 6} in wang["项目"]


def test_score_command_rejects_a_bad_rules_file_without_traceback(tmp_path, rules_file):
    rules_file.write_text(RULES.replace("每次: 10", "每次: 十"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["score", str(_book(tmp_path)), "--rules", str(rules_file)])
    assert result.exit_code == 1
    assert (
        "积分规则.yaml 第2行 积分项目第1项（出席人代会）“每次”应为数字，而不是“十”" in result.output
    )
    assert "Traceback" not in result.output


def test_docx_template_has_no_split_tags():
    from toolkit.paths import FORMS_DIR

    with zipfile.ZipFile(FORMS_DIR / "annual_assessment" / "template.docx") as archive:
        xml = archive.read("word/document.xml").decode()
    assert "{%tr for i in 项目 %}" in xml and "{%tr for d in 明细 %}" in xml


def test_score_command_refuses_an_incomplete_count_unless_keep_going(tmp_path, rules_file):
    bad = [*ACTIVITIES, [dt.date(2024, 9, 1), "调研", "调研垃圾分类", "王玮", ""]]
    book = _book(tmp_path, bad)
    runner = CliRunner()
    result = runner.invoke(cli, ["score", str(book), "--rules", str(rules_file)])
    assert result.exit_code == 1
    assert "履职活动!D8 参加代表：“王玮” 不在代表名册中" in result.stderr
    assert "未计分" in result.stderr and result.stdout == ""
    result = runner.invoke(cli, ["score", str(book), "--rules", str(rules_file), "--keep-going"])
    assert result.exit_code == 1  # the table is printed, but the count is still incomplete
    assert "王伟" in result.stdout and "拒绝：1 行" in result.stderr


def test_year_and_quarter_do_not_mix_with_from_and_to(tmp_path, rules_file):
    result = CliRunner().invoke(
        cli,
        [
            "build",
            str(_book(tmp_path)),
            "--year",
            "2024",
            "--from",
            "2024-1-1",
            "--out",
            str(tmp_path / "x"),
        ],
    )
    assert result.exit_code == 2
    assert "--year/--quarter 与 --from/--to 不能同时使用" in result.output
    assert not (tmp_path / "x").exists()


def test_one_rules_option_takes_each_kind_of_rules_file(tmp_path, rules_file):
    from toolkit.rules import pick_rules

    duty = tmp_path / "述职.yaml"
    duty.write_text("述职评议等次:\n  - {名称: 称职, 不低于: 90}\n  - {名称: 不称职}\n", "utf-8")
    both = tmp_path / "合并.yaml"
    both.write_text(RULES + "处理方式:\n  - {名称: 当场答复, 交办: false}\n", "utf-8")
    assert pick_rules([rules_file, duty]) == {"scoring": rules_file, "duty": duty}
    assert pick_rules([both]) == {"scoring": both, "reception": both}
    options = BuildOptions(
        workbook=_book(tmp_path),
        out=tmp_path / "o",
        rules=(both, duty),
        only=("score_board",),
        formats=("xlsx",),
        jobs=1,
    )
    assert build(options).exit_code == 0
    board = (
        tmp_path / "o" / "履职积分汇总及公示表" / "履职积分汇总及公示表_2024年度_全部联络站.xlsx"
    )
    rows = openpyxl.load_workbook(board).active.iter_rows(min_row=4, values_only=True)
    totals = {r[2]: r[6] for r in rows if r[2]}
    # The scoring half of the merged file was used (the default rules give other totals).
    assert totals == {name: expected[0] for name, expected in EXPECTED.items()}


def test_a_board_in_parts_prints_its_title_and_totals_once(tmp_path, rules_file, monkeypatch):
    from toolkit.render import pdf

    monkeypatch.setattr(pdf, "PART_ROWS", 2)  # three parts for six deputies
    result = _build(tmp_path, rules_file)
    path = result.out / "履职积分汇总及公示表" / "履职积分汇总及公示表_2024年度_全部联络站.pdf"
    text = "".join(_pdf_text(path).split())
    assert text.count("人大代表履职积分汇总及公示表") == 1 and text.count("共6名代表") == 1
    order = [text.index(name) for name in ("王伟", "李娜", "张建国", "刘洋", "买买提·艾力", "陈静")]
    assert order == sorted(order)
