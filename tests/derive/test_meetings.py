"""The meeting family (issue 6): a small workbook with one meeting of each type, built once;
tests open the documents and assert on what they say."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from lxml import etree
from pypdf import PdfReader

from conftest import (
    DEPUTIES,
    STATION,
    STATION2,
    STATIONS,
    flat,
    pdf_pages,
    word_document,
    write_workbook,
)
from toolkit.cli import cli
from toolkit.commands.build import build, check
from toolkit.derive.meetings import agenda_items, balanced, passes
from toolkit.model import BuildOptions
from toolkit.validate.meetings import attendees

MEETING_FORMS = (
    "meeting_notice",
    "meeting_agenda",
    "sign_in",
    "meeting_minutes",
    "vote_ballot",
    "vote_tally",
    "satisfaction_form",
    "satisfaction_tally",
    "meeting_pack",
)
HEADER = [
    "会议名称",
    "会议类型",
    "日期",
    "会议编号",
    "联络站",
    "通知日期",
    "开始时间",
    "地点",
    "主持人",
    "参会人员",
    "议程",
    "记录人",
    "主办单位",
    "应到人数",
]
AGENDA = "1. 通报有关情况\n2、代表发言讨论\n（三）形成意见"


def meeting(
    name: str,
    kind: str,
    day: dt.date,
    code: str,
    *,
    station: str | None = STATION,
    notice: dt.date | None = None,
    people: str | None = None,
    agenda: str | None = AGENDA,
    entitled: int | None = None,
) -> list[Any]:
    return [
        name,
        kind,
        day,
        code,
        station,
        notice or day - dt.timedelta(days=5),
        dt.time(9, 30),
        "三元社区党群服务中心二楼",
        "张敏",
        people,
        agenda,
        "刘芳",
        "三元街道人大工委",
        entitled,
    ]


MEETINGS = [
    HEADER,
    meeting("5月接待选民日", "接待选民日", dt.date(2024, 5, 15), "HY-01", people="王伟、李娜"),
    meeting("关于加装电梯的代表议事会", "代表议事会", dt.date(2024, 5, 16), "HY-02"),
    meeting("年度述职评议会", "述职评议会", dt.date(2024, 5, 17), "HY-03", people="全体进站代表"),
    meeting(
        "建设镇2024年民生实事项目票决会",
        "民生实事票决会",
        dt.date(2024, 5, 18),
        "HY-04",
        station=STATION2,
        people="全体进站代表",
        entitled=4,
    ),
    meeting("区民政局进站听取意见", "政府部门进站", dt.date(2024, 5, 19), "HY-05"),
    meeting(
        "民法典专题培训",
        "学习培训会",
        dt.date(2024, 5, 20),
        "HY-06",
        notice=dt.date(2024, 5, 18),
    ),
    meeting("联络站工作交流会", "其他", dt.date(2024, 5, 21), "HY-07", agenda=None),
]
ITEMS = [
    ["项目名称", "会议编号", "项目编号", "项目内容", "投资估算(万元)", "责任单位"],
    ["老旧小区加装电梯", "HY-04", "XM-1", "加装电梯10部。", 300, "建设镇人民政府"],
    ["村级道路硬化", "HY-04", "XM-2", "硬化道路5公里。", 120.5, "建设镇人民政府"],
    ["农贸市场改造", "HY-04", "XM-3", "改造农贸市场1处。", 80, "建设镇人民政府"],
]
RESULTS = [
    ["会议编号", "项目编号", "发出票数", "收回票数", "赞成", "反对", "弃权"],
    ["HY-04", "XM-1", 4, 4, 2, 1, 1],  # exactly half of 应到 4: not passed
    ["HY-04", "XM-2", 4, 4, 3, 1, 0],  # more than half: passed
]
RATINGS = [
    ["会议编号", "发出票数", "收回票数", "满意", "基本满意", "不满意"],
    ["HY-05", 40, 38, 30, 6, 2],
]


def sheets(**changes: list[list[Any]]) -> dict[str, list[list[Any]]]:
    book = {
        "联络站": STATIONS,
        "代表名册": DEPUTIES,
        "会议": MEETINGS,
        "票决项目": ITEMS,
        "票决结果": RESULTS,
        "满意度测评": RATINGS,
    }
    book.update(changes)
    return book


def run(folder: Path, book: dict[str, list[list[Any]]], **options: Any) -> Any:
    path = write_workbook(folder / "台账.xlsx", book)
    options.setdefault("only", MEETING_FORMS)
    return build(BuildOptions(workbook=path, out=folder / "out", jobs=1, **options))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("meetings")
    result = run(folder, sheets(), combined=True, copies=2)
    assert result.exit_code == 0, [str(p) for p in result.data.problems]
    return folder / "out"


def files(out: Path, title: str, ext: str = "") -> list[str]:
    folder = out / title
    return (
        sorted(p.name for p in folder.iterdir() if p.name.endswith(ext)) if folder.is_dir() else []
    )


def one(out: Path, title: str, code: str, ext: str) -> Path:
    found = [out / title / n for n in files(out, title, ext) if f"_{code}." in n]
    assert len(found) == 1, (title, code, ext, files(out, title))
    return found[0]


def codes(out: Path, title: str, ext: str) -> list[str]:
    return sorted(n.rsplit("_", 1)[1].split(".")[0] for n in files(out, title, ext))


def docx_text(path: Path) -> str:
    doc = word_document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


# ── which documents, for which meetings ─────────────────────────────────────────────────────


def test_each_document_only_for_its_meetings(built: Path) -> None:
    every = ["HY-01", "HY-02", "HY-03", "HY-04", "HY-05", "HY-06", "HY-07"]
    for title in ("会议通知", "会议记录"):
        assert codes(built, title, ".docx") == every
        assert codes(built, title, ".pdf") == every
    for ext in (".xlsx", ".docx", ".pdf"):
        assert codes(built, "签到表", ext) == every
    assert codes(built, "会议议程", ".pdf") == every[:-1]  # HY-07 has no 议程
    assert codes(built, "民生实事项目票决票", ".pdf") == ["HY-04"]
    assert codes(built, "民生实事项目票决计票结果", ".xlsx") == ["HY-04"]
    assert codes(built, "满意度测评表", ".docx") == ["HY-02", "HY-05"]
    # HY-02 is rated too but has no 满意度测评 row: no result without counts
    assert codes(built, "满意度测评结果", ".xlsx") == ["HY-05"]
    assert codes(built, "会议文书汇编", ".pdf") == every
    assert files(built, "会议通知")[0].startswith("会议通知_2024-05-15_5月接待选民日_HY-01")


def test_no_pack_without_combined(tmp_path: Path) -> None:
    result = run(tmp_path, sheets(), only=("meeting_pack", "sign_in"), formats=("xlsx", "pdf"))
    assert result.exit_code == 0
    assert files(tmp_path / "out", "会议文书汇编") == []
    assert len(files(tmp_path / "out", "签到表", ".xlsx")) == 7


def test_period_selects_meetings(tmp_path: Path) -> None:
    result = run(
        tmp_path,
        sheets(),
        only=("sign_in",),
        formats=("xlsx",),
        date_from=dt.date(2024, 5, 16),
        date_to=dt.date(2024, 5, 18),
    )
    assert result.exit_code == 0
    assert codes(tmp_path / "out", "签到表", ".xlsx") == ["HY-02", "HY-03", "HY-04"]


# ── attendees ───────────────────────────────────────────────────────────────────────────────


def sign_in_names(path: Path) -> list[str]:
    doc = word_document(str(path))
    return [row.cells[1].text for row in doc.tables[0].rows[1:] if row.cells[1].text]


def test_sign_in_lists_the_expected_deputies(built: Path) -> None:
    assert sign_in_names(one(built, "签到表", "HY-01", ".docx")) == ["王伟", "李娜"]
    station = ["王伟", "李娜", "买买提·艾力"]
    assert sign_in_names(one(built, "签到表", "HY-02", ".docx")) == station  # blank cell
    assert sign_in_names(one(built, "签到表", "HY-03", ".docx")) == station  # 全体进站代表
    assert sign_in_names(one(built, "签到表", "HY-04", ".docx")) == ["张建国"]  # its station


def test_sign_in_table_level_unit_guest_rows_and_repeated_header(built: Path) -> None:
    doc = word_document(str(one(built, "签到表", "HY-02", ".docx")))
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == [
        "序号",
        "姓名",
        "代表层级",
        "工作单位及职务",
        "签名",
    ]
    assert (
        table.rows[0]._tr.trPr.find(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader"
        )
        is not None
    )
    assert [c.text for c in table.rows[3].cells][:4] == [
        "3",
        "买买提·艾力",
        "市人大代表",
        "个体工商户",
    ]
    guests = table.rows[4:]
    assert len(guests) == 6 and all(r.cells[1].text == "" for r in guests)
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)

    sheet = openpyxl.load_workbook(one(built, "签到表", "HY-02", ".xlsx")).active
    assert sheet["A1"].value == "关于加装电梯的代表议事会签到表"
    assert [c.value for c in sheet[3]] == ["序号", "姓名", "代表层级", "工作单位及职务", "签名"]
    assert sheet["B5"].value == "李娜" and sheet["C5"].value == "县（区）人大代表"
    assert sheet.print_title_rows == "$3:$3"
    assert int(sheet.page_setup.paperSize) == 9 and sheet.page_setup.orientation == "portrait"
    assert sheet.max_row == 3 + 3 + 6

    pages = pdf_pages(one(built, "签到表", "HY-02", ".pdf"))
    assert len(pages) == 1 and "买买提·艾力" in pages[0] and "签名" in pages[0]


def test_group_mentions_resolve(tmp_path: Path) -> None:
    rows = [
        HEADER,
        meeting(
            "区票决会",
            "民生实事票决会",
            dt.date(2024, 5, 1),
            "A",
            station=None,
            people="全体区人大代表",
        ),
        meeting(
            "镇票决会",
            "民生实事票决会",
            dt.date(2024, 5, 2),
            "B",
            station=STATION2,
            people="建设镇全体人大代表",
        ),
        meeting("混合", "代表议事会", dt.date(2024, 5, 3), "C", people="全体进站代表、张建国"),
    ]
    data = check(write_workbook(tmp_path / "a.xlsx", sheets(会议=rows)), pdf=False)
    found = {
        m["会议编号"]: [d.display for d in attendees(data, m).deputies] for m in data.rows("会议")
    }
    assert found == {
        "A": ["王伟", "李娜"],
        "B": ["张建国"],
        "C": ["王伟", "李娜", "买买提·艾力", "张建国"],
    }


def test_unknown_attendee_is_an_error_naming_the_cell(tmp_path: Path) -> None:
    rows = [HEADER, meeting("议事会", "代表议事会", dt.date(2024, 5, 3), "C", people="王为、李娜")]
    result = run(
        tmp_path,
        sheets(会议=rows, 票决项目=ITEMS[:1], 票决结果=RESULTS[:1], 满意度测评=RATINGS[:1]),
    )
    assert result.blocked and result.exit_code == 1
    messages = [str(p) for p in result.data.errors]
    assert "会议!J2 参会人员：“王为” 不在代表名册中（是否为：王伟？）" in messages
    assert not (tmp_path / "out").exists()


# ── notices ─────────────────────────────────────────────────────────────────────────────────


def test_reception_day_public_notice(built: Path) -> None:
    path = one(built, "会议通知", "HY-01", ".docx")
    text = docx_text(path)
    assert "人大代表接待选民日公告" in text
    assert "2024年5月15日（星期三）上午9:30" in text
    assert "三元社区党群服务中心二楼" in text
    assert "王伟　县（区）人大代表" in text and "李娜　县（区）人大代表" in text
    assert "联系电话：0571-86001234" in text
    with zipfile.ZipFile(path) as archive:
        xml = "".join(archive.read(n).decode() for n in archive.namelist() if n.endswith(".xml"))
    pdf = "".join(pdf_pages(one(built, "会议通知", "HY-01", ".pdf")))
    for personal in ("13800000001", "13800000002", "13912345678"):
        assert personal not in xml and personal not in pdf
    assert "0571-86001234" in pdf


def test_meeting_notice_official_layout(built: Path) -> None:
    path = one(built, "会议通知", "HY-02", ".docx")
    doc = word_document(str(path))
    texts = [p.text for p in doc.paragraphs if p.text.strip()]
    assert texts[0] == "关于召开加装电梯的代表议事会的通知"
    assert texts[1] == "三元社区人大代表联络站各位代表："
    assert "一、会议时间：2024年5月16日（星期四）上午9:30" in texts
    assert "四、会议议程" in texts and "五、有关要求" in texts
    assert "（二）代表发言讨论" in texts
    assert texts[-2:] == ["三元街道人大工委", "2024年5月11日"]
    section = doc.sections[0]
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28
    pages = pdf_pages(one(built, "会议通知", "HY-02", ".pdf"))
    assert "关于召开加装电梯的代表议事会的通知" in flat(pages[0])
    training = docx_text(one(built, "会议通知", "HY-06", ".docx"))
    assert "关于举办民法典专题培训的通知" in training


def test_late_notice_is_warned(built: Path, tmp_path: Path) -> None:
    data = check(write_workbook(tmp_path / "a.xlsx", sheets()), pdf=False)
    warnings = [str(p) for p in data.warnings]
    assert warnings == [
        "【提醒】会议!F7 通知日期：2024年5月18日 距会议（2024年5月20日）不足3天"
        "（通知应至少提前3天发出，即不晚于2024年5月17日）"
    ]
    assert not data.errors


# ── agenda and minutes ──────────────────────────────────────────────────────────────────────


def test_agenda_numbers_items(built: Path) -> None:
    assert agenda_items(AGENDA) == ["通报有关情况", "代表发言讨论", "形成意见"]
    texts = [
        p.text for p in word_document(str(one(built, "会议议程", "HY-02", ".docx"))).paragraphs
    ]
    assert ["一、通报有关情况", "二、代表发言讨论", "三、形成意见"] == [
        t for t in texts if t[:2] in ("一、", "二、", "三、")
    ]
    page = flat(pdf_pages(one(built, "会议议程", "HY-02", ".pdf"))[0])
    assert "一、通报有关情况" in page and "三、形成意见" in page


def test_minutes_header_and_a_section_per_item(built: Path) -> None:
    doc = word_document(str(one(built, "会议记录", "HY-02", ".docx")))
    cells = [c.text for row in doc.tables[0].rows for c in row.cells]
    for expected in (
        "张敏",
        "刘芳",
        "王伟、李娜、买买提·艾力",
        "缺席人员",
        "2024年5月16日（星期四）上午9:30",
    ):
        assert expected in cells
    headings = [p.text for p in doc.paragraphs if p.text[:2] in ("一、", "二、", "三、")]
    assert headings == ["一、通报有关情况", "二、代表发言讨论", "三、形成意见"]
    other = [
        p.text for p in word_document(str(one(built, "会议记录", "HY-07", ".docx"))).paragraphs
    ]
    assert "会议内容" in other


# ── 票决 ────────────────────────────────────────────────────────────────────────────────────


def test_passing_needs_more_than_half() -> None:
    assert not passes(2, 4)  # exactly half
    assert passes(3, 4)
    assert passes(3, 5) and not passes(2, 5)


def test_tally_exactly_half_is_not_passed(built: Path) -> None:
    sheet = openpyxl.load_workbook(one(built, "民生实事项目票决计票结果", "HY-04", ".xlsx")).active
    rows = {r[1]: r for r in sheet.iter_rows(min_row=4, values_only=True)}
    assert rows["XM-1"][2:] == ("老旧小区加装电梯", 4, 4, 2, 1, 1, "未通过")
    assert rows["XM-2"][2:] == ("村级道路硬化", 4, 4, 3, 1, 0, "通过")
    assert rows["XM-3"][-1] == "未计票"
    assert "应到4人，赞成票3票及以上为通过" in sheet["A2"].value
    page = flat(pdf_pages(one(built, "民生实事项目票决计票结果", "HY-04", ".pdf"))[0])
    assert "老旧小区加装电梯44211未通过" in page  # the cells' text, run together
    assert "村级道路硬化44310通过" in page
    assert "2个项目计票，1个项目通过" in page


def test_ballot_copies_in_one_file(built: Path) -> None:
    pages = pdf_pages(one(built, "民生实事项目票决票", "HY-04", ".pdf"))
    assert len(pages) == 2  # --copies 2, one page each
    for page in pages:
        text = flat(page)
        assert (
            "民生实事项目票决票" in text and "老旧小区加装电梯" in text and "农贸市场改造" in text
        )
        assert "赞成反对弃权" in text and "填票说明" in text
    doc = word_document(str(one(built, "民生实事项目票决票", "HY-04", ".docx")))
    assert len(doc.tables) == 2
    assert [c.text for c in doc.tables[0].rows[1].cells][3:] == ["□", "□", "□"]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            ["HY-04", "XM-1", 4, 4, 5, 0, 0],
            "票决结果!E2 赞成：赞成5票，多于收回票数4（请核对票数）",
        ),
        (
            ["HY-04", "XM-1", 4, 4, 2, 2, 1],
            "票决结果!G2 弃权：赞成2＋反对2＋弃权1＝5，多于收回票数4（请核对票数）",
        ),
        (
            ["HY-04", "XM-1", 4, 5, 2, 1, 1],
            "票决结果!D2 收回票数：收回票数5多于发出票数4（请核对票数）",
        ),
        (
            ["HY-99", "XM-1", 4, 4, 2, 1, 1],
            "票决结果!A2 会议编号：“HY-99” 不在“会议”表中（或该会议行有错误）"
            "（是否为：HY-07、HY-06、HY-05？）",
        ),
        (
            ["HY-04", "XM-9", 4, 4, 2, 1, 1],
            "票决结果!B2 项目编号：“XM-9” 不是会议“HY-04”的票决项目"
            "（该会议的项目编号：XM-1、XM-2、XM-3）",
        ),
    ],
)
def test_bad_vote_results_are_rejected(tmp_path: Path, row: list[Any], message: str) -> None:
    result = run(tmp_path, sheets(票决结果=[RESULTS[0], row]))
    assert result.blocked and result.exit_code == 1
    assert [str(p) for p in result.data.errors] == [message]
    assert result.data.rejected["票决结果"] == [2]
    assert not (tmp_path / "out").exists()


def test_bad_ratings_and_items_are_rejected(tmp_path: Path) -> None:
    ratings = [RATINGS[0], ["HY-05", 40, 38, 30, 6, 5], ["HY-01", 10, 10, 10, 0, 0]]
    items = [*ITEMS, ["错挂的项目", "HY-02", "XM-9", "", None, ""]]
    data = check(
        write_workbook(tmp_path / "a.xlsx", sheets(满意度测评=ratings, 票决项目=items)), pdf=False
    )
    assert [str(p) for p in data.errors] == [
        "票决项目!B5 会议编号：“HY-02”（会议第3行）是代表议事会，不能有票决项目"
        "（票决项目只用于民生实事票决会）",
        "满意度测评!F2 不满意：满意30＋基本满意6＋不满意5＝41，多于收回票数38（请核对票数）",
        "满意度测评!A3 会议编号：“HY-01”（会议第2行）是接待选民日，不能有满意度测评"
        "（满意度测评只用于政府部门进站、代表议事会）",
    ]


# ── 满意度测评 ──────────────────────────────────────────────────────────────────────────────


def test_satisfaction_form_and_result(built: Path) -> None:
    pages = pdf_pages(one(built, "满意度测评表", "HY-05", ".pdf"))
    assert len(pages) == 2  # --copies 2
    assert "满意基本满意不满意" in flat(pages[0]) and "进站部门" in flat(pages[0])
    sheet = openpyxl.load_workbook(one(built, "满意度测评结果", "HY-05", ".xlsx")).active
    assert [r for r in sheet.iter_rows(min_row=4, values_only=True)] == [
        ("满意", 30, 0.789),
        ("基本满意", 6, 0.158),
        ("不满意", 2, 0.053),
    ]
    assert sheet["C4"].number_format == "0.0%"  # shown as 78.9%, as the PDF prints it
    assert "有效38票，满意率94.7%" in sheet["A2"].value
    page = flat(pdf_pages(one(built, "满意度测评结果", "HY-05", ".pdf"))[0])
    assert "满意率（满意与基本满意之和占有效票的比例）：94.7%" in page


# ── --combined ──────────────────────────────────────────────────────────────────────────────


PACK_ORDER = (
    "建设镇2024年民生实事项目票决会的通知",
    "议程",
    "签到表",
    "民生实事项目票决票",
    "民生实事项目票决票",  # --copies 2
    "会议记录",
    "民生实事项目票决计票结果",
)


def test_combined_pdf_has_every_document_in_order_each_on_new_pages(built: Path) -> None:
    pages = [flat(p) for p in pdf_pages(one(built, "会议文书汇编", "HY-04", ".pdf"))]
    starts = []
    for title in PACK_ORDER:
        after = starts[-1] + 1 if starts else 0
        index = next(i for i in range(after, len(pages)) if title in pages[i][:80])
        starts.append(index)
    parts = [
        one(built, "会议通知", "HY-04", ".pdf"),
        one(built, "会议议程", "HY-04", ".pdf"),
        one(built, "签到表", "HY-04", ".pdf"),
        one(built, "民生实事项目票决票", "HY-04", ".pdf"),
        one(built, "会议记录", "HY-04", ".pdf"),
        one(built, "民生实事项目票决计票结果", "HY-04", ".pdf"),
    ]
    counts = [len(PdfReader(str(p)).pages) for p in parts]
    assert len(pages) == sum(counts)
    # Each part begins on the page after the one before it ends: the ballot file holds two
    # copies of equal length.
    lengths = [*counts[:3], counts[3] // 2, counts[3] // 2, *counts[4:]]
    assert starts == [sum(lengths[:i]) for i in range(len(lengths))]


def test_combined_docx_sections_in_order(built: Path) -> None:
    path = one(built, "会议文书汇编", "HY-05", ".docx")
    doc = word_document(str(path))
    text = [p.text for p in doc.paragraphs if p.text.strip()]
    order = [
        "关于开展区民政局进站听取意见活动的通知",
        "议　　程",
        "签到表",
        "满意度测评表",
        "会议记录",
        "满意度测评结果",
    ]
    positions = [text.index(t) for t in order]
    assert positions == sorted(positions)
    # notice, agenda, sign-in, 测评表 (both copies in one section), minutes, result
    assert len(doc.sections) == 6
    starts = [s.start_type for s in doc.sections]
    assert all(str(s).startswith("NEW_PAGE") for s in starts)
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        etree.fromstring(archive.read("word/document.xml"))  # well-formed after joining
    assert any(n.startswith("word/footer_p") for n in names)  # later parts keep their footers
    assert round(doc.sections[0].top_margin.mm) == 37  # the notice keeps the official page
    assert round(doc.sections[2].top_margin.mm) == 25  # the sign-in sheet its own


def test_cli_build_with_copies_and_combined(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "台账.xlsx", sheets())
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli,
        [
            "build",
            str(path),
            "--only",
            "vote_ballot,meeting_pack",
            "--format",
            "pdf",
            "--copies",
            "3",
            "--combined",
            "--out",
            str(out),
            "--jobs",
            "1",
        ],
    )
    assert result.exit_code == 0, result.output
    assert len(PdfReader(str(one(out, "民生实事项目票决票", "HY-04", ".pdf"))).pages) == 3
    assert len(files(out, "会议文书汇编", ".pdf")) == 7
    pack = [flat(p) for p in pdf_pages(one(out, "会议文书汇编", "HY-04", ".pdf"))]
    assert sum("民生实事项目票决票" in page[:80] for page in pack) == 3  # the copies, in the pack


# ── the blank workbook and the bundled sample ───────────────────────────────────────────────


def test_blank_workbook_has_every_meeting_sheet(tmp_path: Path) -> None:
    path = tmp_path / "空白.xlsx"
    result = CliRunner().invoke(cli, ["init", str(path)])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(path)
    expected = {
        "会议": HEADER,
        "票决项目": ITEMS[0],
        "票决结果": RESULTS[0],
        "满意度测评": RATINGS[0],
    }
    for sheet, header in expected.items():
        found = [c.value for c in book[sheet][1] if c.value]
        assert [h.lstrip("*") for h in found] == header, sheet


def test_bundled_sample_makes_meeting_documents(tmp_path: Path) -> None:
    result = build(
        BuildOptions(
            out=tmp_path / "out",
            only=("sign_in", "vote_tally", "satisfaction_tally"),
            formats=("xlsx",),
        )
    )
    assert result.exit_code == 0
    written = {title: n for (title, _), n in result.written.items()}
    meetings = result.data.read["会议"]
    assert written == {"签到表": meetings, "民生实事项目票决计票结果": 2, "满意度测评结果": 9}
    roster = {r["姓名"] for r in result.data.rows("代表名册")}
    for path in (tmp_path / "out" / "签到表").glob("*.xlsx"):
        cells = {
            c for r in openpyxl.load_workbook(path).active.iter_rows(values_only=True) for c in r
        }
        assert cells & roster, path.name  # every sign-in sheet lists deputies of the roster
    for path in (tmp_path / "out" / "民生实事项目票决计票结果").glob("*.xlsx"):
        cells = [
            c for r in openpyxl.load_workbook(path).active.iter_rows(values_only=True) for c in r
        ]
        assert "通过" in cells, path.name  # the sample's projects carry their verdicts


def test_long_titles_break_into_balanced_lines() -> None:
    assert balanced("关于召开加装电梯的代表议事会的通知") == "关于召开加装电梯的代表议事会的通知"
    assert balanced("关于召开背街小巷环境整治的代表议事会的通知").split("\n") == [
        "关于召开背街小巷环境整治的",
        "代表议事会的通知",
    ]
    lines = balanced("关于开展区人力资源和社会保障局进站听取代表和群众意见活动的通知").split("\n")
    assert [len(line) for line in lines] == [16, 15]


def test_a_vote_without_entitled_deputies_is_rejected(tmp_path: Path) -> None:
    rows = [
        HEADER,
        meeting("票决会", "民生实事票决会", dt.date(2024, 5, 18), "HY-04", people="全体市人大代表"),
    ]
    rows[1][4] = "三元社区人大代表联络站"
    roster = [DEPUTIES[0], *(r for r in DEPUTIES[1:] if r[2] != "市")]
    book = sheets(会议=rows, 代表名册=roster, 满意度测评=RATINGS[:1])
    data = check(write_workbook(tmp_path / "a.xlsx", book), pdf=False)
    assert [str(p) for p in data.errors] == [
        f"票决结果!A{n} 会议编号：会议“HY-04”（会议第2行）的应到人数为空，参会人员中也没有代表，"
        "无法判断是否超过半数（请在会议表填写应到人数（有表决权的代表人数））"
        for n in (2, 3)
    ]


def test_long_sign_in_repeats_its_header_on_every_page(tmp_path: Path) -> None:
    names = [f"{surname}{given}" for surname in "赵钱孙李周吴郑王冯陈" for given in "华明芳"]
    roster = [DEPUTIES[0], *([n, f"X-{i}", "县", STATION] for i, n in enumerate(names))]
    book = sheets(代表名册=roster, 会议=[MEETINGS[0], MEETINGS[3]])
    book.update(票决项目=ITEMS[:1], 票决结果=RESULTS[:1], 满意度测评=RATINGS[:1])
    result = run(tmp_path, book, only=("sign_in",), formats=("pdf", "xlsx"))
    assert result.exit_code == 0, [str(p) for p in result.data.problems]
    pages = [flat(p) for p in pdf_pages(one(tmp_path / "out", "签到表", "HY-03", ".pdf"))]
    assert len(pages) == 2
    for page in pages:
        assert "序号姓名代表层级工作单位及职务签名" in page
    assert names[-1] in pages[1] and "应到30人" in pages[1]
