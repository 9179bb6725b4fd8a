"""Duty reports: 述职报告 (official layout measured on the docx and the PDF, figures against a
hand-counted workbook, the deputy's own words or a marked prompt), 述职评议测评表 (--copies) and
述职评议测评结果 (arithmetic, grade edges, inconsistent counts naming the cell)."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from pathlib import Path

import openpyxl
import pdfplumber
import pytest
from docx import Document
from lxml import etree
from pypdf import PdfReader

from conftest import (
    DEPUTIES,
    MM,
    RECEPTION_HEADER,
    STATIONS,
    W,
    assert_official_docx_layout,
    docx_part,
    pdf_lines,
    pdf_text,
    reception,
    write_workbook,
)
from toolkit.commands.build import build
from toolkit.errors import ToolkitError
from toolkit.model import BuildOptions
from toolkit.rules.duty import load_duty_rules

D = dt.date

ACTIVITY = [
    ["活动日期", "活动类型", "活动主题", "参加代表", "地点"],
    [D(2024, 1, 10), "出席人代会", "出席区第十八届人民代表大会第四次会议", "王伟、李娜", "区会堂"],
    [D(2024, 3, 5), "视察", "视察老旧小区改造工作", "王伟", "建设路"],
    [D(2024, 4, 12), "调研", "调研社区养老服务", "王伟、买买提·艾力", ""],
    [D(2024, 5, 20), "学习培训", "学习代表法专题讲座", "王伟、李娜", ""],
    [D(2024, 6, 18), "列席常委会", "列席区人大常委会第二十次会议", "王伟", ""],
    [D(2023, 12, 20), "视察", "上一年的视察（不计入）", "王伟", ""],
    [D(2024, 11, 5), "述职", "代表向选民述职评议会", "王伟、李娜", "三元社区"],
]
PROPOSALS = [
    ["标题", "领衔代表", "类别", "附议代表", "提出日期", "办理结果类别"],
    ["关于加强社区卫生服务站建设的建议", "王伟", "建议", "李娜", D(2024, 1, 12), "A"],
    ["关于老旧小区加装电梯的议案", "李娜", "议案", "王伟、买买提·艾力", D(2024, 1, 13), "B"],
    ["关于增设公交站点的建议", "王伟", "建议", "", D(2024, 2, 1), ""],
]
RATINGS_HEADER = [
    "代表姓名", "会议编号", "日期", "发出票数", "收回票数", "有效票数", "满意", "基本满意", "不满意"
]  # fmt: skip
RATINGS = [
    RATINGS_HEADER,
    ["王伟", "", D(2024, 11, 5), 50, 45, 40, 20, 12, 8],  # 32/40 = 80% exactly → 称职
    ["李娜", "", D(2024, 11, 5), 50, 40, 40, 10, 10, 20],  # 20/40 = 50% exactly → 基本称职
    ["买买提·艾力", "", D(2024, 11, 6), 30, 30, 30, 5, 9, 16],  # 14/30 = 46.67% → 不称职
]
LONG = "针对选民反映的老旧小区路面破损问题，多次到现场察看并与街道城建办沟通，推动完成修复。" * 6
TEXTS = [
    ["姓名", "年度", "履职情况补充", "存在不足", "努力方向"],
    ["王伟", 2024, LONG, "调研不够深入。", ""],
]


def _receptions() -> list[list]:
    rows = [
        reception(D(2024, 3, 15), deputies="王伟、李娜", code="JD-1", result="已修复"),
        reception(D(2024, 3, 15), deputies="王伟", code="JD-2", route="当场答复", unit=""),
        reception(D(2024, 6, 15), deputies="王伟", code="JD-3", route="转交有关部门"),
    ]
    rows[1][8], rows[2][8] = 3, 2  # 来访人数: 1 + 3 + 2 = 6 voters
    return rows


def _book(folder: Path, ratings: list[list] | None = None) -> Path:
    return write_workbook(
        folder / "台账.xlsx",
        {
            "联络站": STATIONS,
            "代表名册": DEPUTIES,
            "接待登记": [RECEPTION_HEADER, *_receptions()],
            "履职活动": ACTIVITY,
            "代表建议": PROPOSALS,
            "述职测评": ratings or RATINGS,
            "述职材料": TEXTS,
        },
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    folder = tmp_path_factory.mktemp("duty")
    texts = folder / "texts"
    texts.mkdir()
    (texts / "李娜_2024.md").write_text(
        "# 述职材料\n\n## 今后努力方向\n\n继续做好选民接待，\n跟踪督办群众反映的问题。\n\n"
        "深入调研 {{ 养老 }} <b>服务</b>。\n",
        encoding="utf-8",
    )
    result = build(
        BuildOptions(
            workbook=_book(folder),
            out=folder / "out",
            only=("duty_report", "duty_ballot", "duty_tally"),
            jobs=1,
            copies=3,
            texts=texts,
            year=2024,
        )
    )
    assert result.exit_code == 0, [str(p) for p in result.data.problems]
    return folder / "out", result


def _report(out: Path, name: str, ext: str) -> Path:
    return out / "代表述职报告" / f"代表述职报告_2024年_{name}.{ext}"


def _docx_text(path: Path) -> str:
    return "\n".join(p.text for p in Document(str(path)).paragraphs)


# ── figures and words ─────────────────────────────────────────────────────────────────────────


def test_report_figures_match_the_hand_count(built: tuple[Path, object]) -> None:
    out, _ = built
    text = _docx_text(_report(out, "王伟", "docx"))
    assert "2024年，出席人民代表大会会议1次，列席人大常委会会议1次。" in text
    # 3/15 twice and 6/15: two reception days, six voters, three opinions
    assert (
        "到三元社区人大代表联络站接待选民2次，接待来访群众6人次，收集意见建议3件，"
        "其中交有关单位办理2件，已办结1件。"
    ) in text
    assert "领衔提出建议2件，附议建议、议案1件：" in text  # no “议案0件”
    assert "1.《关于加强社区卫生服务站建设的建议》（领衔；办理结果：A类，已解决或基本解决）" in text
    # An 议案 is not answered A–D: this one has a class but no 议案处理情况 (an older
    # workbook), so it is counted as handled as a 建议 and the checks warn.
    assert (
        "2.《关于老旧小区加装电梯的议案》（附议；作为建议处理，办理结果：B类，正在解决或列入计划解决）"
    ) in text
    assert "3.《关于增设公交站点的建议》（领衔；尚未答复）" in text
    assert "参加视察1次、调研1次、学习培训1次、述职评议1次，主要活动见下表。" in text
    assert "0次" not in text and "0件" not in text and "0人次" not in text
    assert "上一年的视察" not in text
    table = Document(str(_report(out, "王伟", "docx"))).tables[0]
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0] == ["序号", "日期", "类型", "活动主题"]
    assert rows[1] == ["1", "2024年1月10日", "出席人代会", "出席区第十八届人民代表大会第四次会议"]
    assert len(rows) == 1 + 6  # six 2024 activities, the述职 included
    pdf = pdf_text(_report(out, "王伟", "pdf"))
    assert "接待来访群众6人次" in pdf and "已办结1件" in pdf


def test_own_words_from_the_sheet_and_prompts_where_missing(built: tuple[Path, object]) -> None:
    out, _ = built
    text = _docx_text(_report(out, "王伟", "docx"))
    assert LONG in text
    assert "调研不够深入。" in text
    # 努力方向 is blank in the sheet: the marked prompt, highlighted, in 楷体
    prompt = "【待代表本人填写：今后的努力方向和打算。此段为提示，定稿时删除。】"
    assert prompt in text
    assert "【待代表本人填写：本年度履职" not in text
    doc = Document(str(_report(out, "王伟", "docx")))
    runs = [r for p in doc.paragraphs for r in p.runs if r.text == prompt]
    assert runs and runs[0]._r.find(f"{W}rPr/{W}highlight") is not None
    assert runs[0]._r.find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia") == "楷体_GB2312"
    assert prompt in pdf_text(_report(out, "王伟", "pdf"))


def test_own_words_from_a_markdown_file_kept_literally(built: tuple[Path, object]) -> None:
    out, _ = built
    text = _docx_text(_report(out, "李娜", "docx"))
    assert "继续做好选民接待，跟踪督办群众反映的问题。" in text
    assert "深入调研 {{ 养老 }} <b>服务</b>。" in text
    assert "【待代表本人填写：今后的努力方向" not in text
    assert "【待代表本人填写：对照代表职责" in text  # 存在不足: neither sheet nor file
    pdf = pdf_text(_report(out, "李娜", "pdf"))  # spaces are not characters in a PDF
    assert "深入调研{{养老}}<b>服务</b>。" in pdf


def test_deputy_without_records_says_so_plainly_and_warns(built: tuple[Path, object]) -> None:
    out, result = built
    text = _docx_text(_report(out, "张建国", "docx"))
    assert "2024年没有出席或列席会议的记录。" in text
    assert "2024年没有进站接待选民的记录。" in text
    assert "2024年没有领衔或附议建议、议案。" in text
    assert "2024年没有参加视察、调研等闭会期间活动的记录。" in text
    assert not re.search(r"\d+(次|件|人次)", text.split("二、履职情况")[1].split("三、")[0])
    assert not Document(str(_report(out, "张建国", "docx"))).tables
    warnings = [str(p) for p in result.data.warnings]  # type: ignore[attr-defined]
    assert any(
        w.startswith("【提醒】代表名册!A5 姓名：张建国在2024年没有任何履职记录") for w in warnings
    ), warnings
    assert not any("王伟在2024年没有" in w for w in warnings)
    assert any("议案不按 A、B、C、D 分类答复（此格为“B”）" in w for w in warnings), warnings


def test_report_is_addressed_by_how_the_deputy_was_elected(built: tuple[Path, object]) -> None:
    out, _ = built
    county = _docx_text(_report(out, "王伟", "docx"))  # 县: elected by voters
    assert "\n各位选民：\n" in county
    city = _docx_text(_report(out, "买买提·艾力", "docx"))  # 市: elected by the congress below
    assert "各位选民" not in city and "\n各位代表：\n" in city
    assert "各位代表：" in pdf_text(_report(out, "买买提·艾力", "pdf"))


def test_sentences_leave_out_zeros_and_word_by_level() -> None:
    from toolkit.derive.duty import _year_span, report_sentences
    from toolkit.derive.figures import FIGURES

    zeros = dict.fromkeys(FIGURES, 0)
    span = _year_span(2024)
    city = {"代表层级": "市人大代表", "选区或代表团": "城南区代表团", "所属联络站": "三元站"}
    said = report_sentences(city, {**zeros, "出席人代会": 1, "附议件数": 2}, span, "市")
    assert said["称呼"] == "各位代表："
    assert said["基本情况"].startswith("我是由城南区人民代表大会选举产生的市人大代表，")
    assert "选出" not in said["基本情况"]
    assert said["参加会议"] == "2024年，出席人民代表大会会议1次。"
    assert said["建议议案"] == "附议建议、议案2件："
    county = {"代表层级": "县（区）人大代表", "选区或代表团": "第5选区"}
    counts = {**zeros, "接待天数": 3, "交办件数": 2, "办结件数": 2}
    said = report_sentences(county, counts, span, "县")
    assert said["称呼"] == "各位选民："
    assert said["基本情况"].startswith("我是第5选区选出的县（区）人大代表")
    assert said["联系群众"] == "到联络站接待选民3次，其中交有关单位办理2件，均已办结。"


# ── the official layout, measured ────────────────────────────────────────────────────────────


def test_report_docx_layout(built: tuple[Path, object]) -> None:
    path = _report(built[0], "王伟", "docx")
    assert_official_docx_layout(path)
    sect = docx_part(path, "word/document.xml").find(f"{W}body/{W}sectPr")
    styles = docx_part(path, "word/styles.xml")

    def style(sid: str) -> tuple[str, str]:
        node = styles.find(f"{W}style[@{W}styleId='{sid}']")
        fonts = node.find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia")
        return fonts, node.find(f"{W}rPr/{W}sz").get(f"{W}val")

    assert style("Normal") == ("仿宋_GB2312", "32")
    assert style("OfficialBody") == ("仿宋_GB2312", "32")
    assert style("Title") == ("方正小标宋简体", "44")
    assert style("Heading1") == ("黑体", "32")
    assert style("Heading2") == ("楷体_GB2312", "32")
    doc = Document(str(path))
    by_text = {p.text: p for p in doc.paragraphs}
    assert by_text["一、基本情况"].style.style_id == "Heading1"
    assert by_text["（一）出席会议"].style.style_id == "Heading2"
    assert by_text["2024年履职情况述职报告"].style.style_id == "Title"

    assert docx_part(path, "word/settings.xml").find(f"{W}evenAndOddHeaders") is not None
    refs = {r.get(f"{W}type"): r for r in sect.findall(f"{W}footerReference")}
    assert set(refs) == {"default", "even"}
    section = doc.sections[0]
    for footer, side in ((section.footer, "right"), (section.even_page_footer, "left")):
        par = footer.paragraphs[0]
        assert par.alignment == {"right": 2, "left": 0}[side]
        xml = etree.tostring(par._p, encoding="unicode")
        assert "PAGE" in xml and par.text.startswith("— ") and par.text.endswith(" —")
        assert 'w:sz w:val="28"' in xml  # 4号


def test_report_pdf_layout(built: tuple[Path, object]) -> None:
    path = _report(built[0], "王伟", "pdf")
    reader = PdfReader(str(path))
    assert len(reader.pages) >= 2
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    with pdfplumber.open(str(path)) as pdf:
        first = pdf_lines(pdf.pages[0])
        title = next(iter(first.values()))
        assert "".join(c["text"] for c in title) == "2024年履职情况述职报告"
        assert "Serif-CJK-SC-Bold" in title[0]["fontname"] and round(title[0]["size"]) == 22
        heading = next(
            cs for cs in first.values() if "".join(c["text"] for c in cs) == "一、基本情况"
        )
        assert "Sans-CJK" in heading[0]["fontname"]
        sub = next(
            cs for cs in first.values() if "".join(c["text"] for c in cs) == "（一）出席会议"
        )
        assert "Kai" in sub[0]["fontname"]
        body = [cs for cs in first.values() if "FandolFang" in cs[0]["fontname"]]
        assert body and all(round(cs[0]["size"]) == 16 for cs in body)
        # text block: left edge 28 mm, nothing past 28 + 156 mm
        assert min(cs[0]["x0"] for cs in body) == pytest.approx(28 * MM, abs=0.5)
        assert max(cs[-1]["x1"] for cs in body) <= (28 + 156) * MM + 0.5
        running = [cs for page in pdf.pages for cs in pdf_lines(page).values()]
        cjk = [cs for cs in running if all(ord(c["text"]) > 0x2E80 for c in cs)]
        assert all(cs[-1]["x1"] <= (28 + 156) * MM + 0.5 for cs in cjk)
        assert max(len(cs) for cs in cjk) == 28  # a full line holds 28 characters
        # a page of running text holds 22 lines, 28.95pt apart, from 37 mm down
        page2 = [
            t
            for t, cs in pdf_lines(pdf.pages[1]).items()
            if "FandolFang" in cs[0]["fontname"] and round(cs[0]["size"]) == 16
        ]
        assert page2[0] >= 37 * MM and page2[-1] <= (297 - 35) * MM
        steps = [b - a for a, b in itertools.pairwise(page2) if b - a < 40]
        assert len(steps) >= 8  # lines of a paragraph: 28.95pt apart, 22 to the 225 mm block
        assert all(step == pytest.approx(28.95, abs=0.1) for step in steps)
        # page numbers 4号 “— n —”, 7 mm under the text block: odd right, even left
        for index, page in enumerate(pdf.pages[:2], start=1):
            number = [c for c in page.chars if c["top"] > (297 - 35) * MM]
            assert "".join(c["text"] for c in number).replace(" ", "") == f"—{index}—"
            assert round(number[0]["size"]) == 14
            dash_mid = (number[0]["top"] + number[0]["bottom"]) / 2
            assert dash_mid - (297 - 35) * MM == pytest.approx(7 * MM, abs=2 * MM)
            if index % 2:
                assert number[-1]["x1"] == pytest.approx((210 - 26) * MM - 14, abs=1.5)
            else:
                assert number[0]["x0"] == pytest.approx(28 * MM + 14, abs=1.5)


# ── ballots ──────────────────────────────────────────────────────────────────────────────────


def test_ballots_copies_in_one_file(built: tuple[Path, object]) -> None:
    out, _ = built
    folder = out / "述职评议测评表"
    names = sorted(p.name for p in folder.iterdir())
    assert names == [
        "述职评议测评表_买买提·艾力_2024-11-06.docx",
        "述职评议测评表_买买提·艾力_2024-11-06.pdf",
        "述职评议测评表_李娜_2024-11-05.docx",
        "述职评议测评表_李娜_2024-11-05.pdf",
        "述职评议测评表_王伟_2024-11-05.docx",
        "述职评议测评表_王伟_2024-11-05.pdf",
    ]
    pdf = folder / "述职评议测评表_王伟_2024-11-05.pdf"
    reader = PdfReader(str(pdf))
    assert len(reader.pages) == 3
    for page in reader.pages:
        text = page.extract_text()
        assert "述职代表：王伟（县（区）人大代表）" in text
        for item in ("学习宣传法律法规", "出席会议和审议", "闭会期间活动", "联系群众反映民意",
                     "为群众办实事", "总体评价", "意见和建议"):  # fmt: skip
            assert item in text
        assert text.count("□") == 6 * 3 + 1  # three boxes an item, one in the note
        assert "2024年11月5日" in text
        assert "姓名：" not in text  # anonymous: no line for the voter
    doc = Document(str(folder / "述职评议测评表_王伟_2024-11-05.docx"))
    assert [p.text for p in doc.paragraphs].count("述职评议测评表") == 3
    assert len(doc.tables) == 3
    header = [c.text for c in doc.tables[0].rows[0].cells]
    assert header == ["序号", "测评内容", "满意", "基本满意", "不满意"]
    assert doc.tables[0].rows[6].cells[1].text == "总体评价"
    xml = etree.tostring(doc.element.body, encoding="unicode")
    assert xml.count('w:type="page"') == 2


# ── the tally ────────────────────────────────────────────────────────────────────────────────


def test_tally_arithmetic_and_grade_edges(built: tuple[Path, object]) -> None:
    out, _ = built
    book = openpyxl.load_workbook(out / "述职评议测评结果" / "述职评议测评结果_2024年.xlsx")
    ws = book.active
    header = [c.value for c in ws[3]]
    rows = [
        dict(zip(header, (c.value for c in row), strict=True)) for row in ws.iter_rows(min_row=4)
    ]
    rows = [r for r in rows if r["代表姓名"]]
    assert [(r["代表姓名"], r["等次"]) for r in rows] == [
        ("王伟", "称职"),  # exactly 80%
        ("李娜", "基本称职"),  # exactly 50%
        ("买买提·艾力", "不称职"),
    ]
    wang = rows[0]
    assert (wang["发出票数"], wang["收回票数"], wang["有效票数"]) == (50, 45, 40)
    assert (wang["满意"], wang["基本满意"], wang["不满意"]) == (20, 12, 8)
    # Shares are numbers (sortable) shown as the PDF prints them.
    assert (wang["满意比例"], wang["基本满意比例"], wang["不满意比例"]) == (0.5, 0.3, 0.2)
    assert wang["满意及基本满意比例"] == 0.8
    assert rows[1]["满意及基本满意比例"] == 0.5
    assert rows[2]["满意及基本满意比例"] == 0.4667
    assert "称职≥80%，基本称职≥50%，其余为不称职" in ws["A2"].value
    text = pdf_text(out / "述职评议测评结果" / "述职评议测评结果_2024年.pdf")
    assert "80.00%" in text and "46.67%" in text and "基本称职" in text


def test_inconsistent_counts_are_errors_naming_the_cell(tmp_path: Path) -> None:
    ratings = [
        RATINGS_HEADER,
        ["王伟", "", D(2024, 11, 5), 50, 60, 40, 20, 12, 8],  # returned > issued
        ["李娜", "", D(2024, 11, 5), 50, 40, 40, 10, 10, 19],  # grades sum 39 ≠ 40
        ["买买提·艾力", "", D(2024, 11, 6), 30, 30, 30, 5, 9, 16],  # fine
    ]
    result = build(
        BuildOptions(
            workbook=_book(tmp_path, ratings),
            out=tmp_path / "out",
            only=("duty_tally",),
            jobs=1,
        )
    )
    errors = [str(p) for p in result.data.errors]
    assert (
        "述职测评!E2 收回票数：收回 60 张，多于发出的 50 张（D2）（请核对发出票数和收回票数）"
        in errors
    )
    assert any(
        e.startswith(
            "述职测评!F3 有效票数：满意 10 + 基本满意 10 + 不满意 19 = 39，与有效票数 40 不符"
        )
        for e in errors
    )
    assert sorted(result.data.rejected["述职测评"]) == [2, 3]
    assert result.exit_code == 1
    assert not (tmp_path / "out" / "述职评议测评结果").exists()  # nothing half-written


# ── rules, init, sample ──────────────────────────────────────────────────────────────────────


def test_grade_thresholds_are_configurable(tmp_path: Path) -> None:
    rules = load_duty_rules()
    assert rules.grade(32, 40) == "称职" and rules.grade(31, 40) == "基本称职"
    assert rules.grade(20, 40) == "基本称职" and rules.grade(19, 40) == "不称职"
    own = tmp_path / "duty.yaml"
    own.write_text(
        "述职评议等次:\n  - 名称: 优秀\n    不低于: 90\n"
        "  - 名称: 合格\n    不低于: 60\n  - 名称: 不合格\n",
        encoding="utf-8",
    )
    mine = load_duty_rules(own)
    assert [mine.grade(n, 10) for n in (9, 6, 5)] == ["优秀", "合格", "不合格"]
    own.write_text(
        "述职评议等次:\n  - 名称: 称职\n    不低于: 80\n  - 名称: 基本称职\n    不低于: 八十\n"
        "  - 名称: 不称职\n",
        encoding="utf-8",
    )
    with pytest.raises(ToolkitError) as err:
        load_duty_rules(own)
    assert (
        str(err.value)
        == "duty.yaml 第5行 述职评议等次第2项“不低于”：应为 0 到 100 之间的数，而不是“八十”"
    )
    own.write_text(
        "述职评议等次:\n  - 名称: 称职\n    下限: 80\n  - 名称: 不称职\n", encoding="utf-8"
    )
    with pytest.raises(ToolkitError, match=r"duty.yaml 第3行 述职评议等次第1项：未知的键“下限”"):
        load_duty_rules(own)


def test_markdown_with_an_unknown_heading_stops_before_writing(tmp_path: Path) -> None:
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "王伟.md").write_text("## 存在不足\n不够。\n\n## 心得体会\n很多。\n", encoding="utf-8")
    with pytest.raises(ToolkitError) as err:
        build(
            BuildOptions(
                workbook=_book(tmp_path),
                out=tmp_path / "out",
                only=("duty_report",),
                jobs=1,
                texts=texts,
            )
        )
    assert str(err.value).startswith("王伟.md 第4行 未知的标题“心得体会”")
    assert not (tmp_path / "out" / "代表述职报告").exists()


def test_init_writes_the_rating_sheet(tmp_path: Path) -> None:
    from toolkit.commands.init import write_blank_workbook

    path = tmp_path / "空白.xlsx"
    write_blank_workbook(path)
    book = openpyxl.load_workbook(path)
    headers = [c.value for c in book["述职测评"][1] if c.value]
    assert headers == [
        "代表姓名", "会议编号", "日期", "发出票数", "收回票数",
        "有效票数", "满意", "基本满意", "不满意",
    ]  # fmt: skip
    assert [c.value for c in book["述职材料"][1] if c.value][:2] == ["姓名", "年度"]


def test_bundled_sample_produces_the_duty_documents(sample_build) -> None:
    out, result = sample_build.out, sample_build.result
    for folder in ("代表述职报告", "述职评议测评表", "述职评议测评结果"):
        assert any((out / folder).iterdir()), folder
    reports = list((out / "代表述职报告").glob("*.pdf"))
    assert len(reports) == len(result.data.roster.deputies)
    tally = openpyxl.load_workbook(next((out / "述职评议测评结果").glob("*.xlsx"))).active
    grades = [row[-1].value for row in tally.iter_rows(min_row=4) if row[1].value]
    assert grades and set(grades) <= {"称职", "基本称职", "不称职", "未录入"}
    assert set(grades) & {"称职", "基本称职", "不称职"}  # the sample's ballots are tallied
    assert "0.00%" in [c.number_format for c in tally[4]]  # shares shown as 85.00%


def test_rules_option_carries_the_grade_thresholds(tmp_path: Path) -> None:
    own = tmp_path / "本区述职规则.yaml"
    own.write_text("述职评议等次:\n  - {名称: 称职, 不低于: 85}\n  - {名称: 不称职}\n", "utf-8")
    result = build(
        BuildOptions(
            workbook=_book(tmp_path),
            out=tmp_path / "out",
            only=("duty_tally",),
            formats=("xlsx",),
            rules=(own,),
            jobs=1,
            year=2024,
        )
    )
    assert result.exit_code == 0
    ws = openpyxl.load_workbook(
        tmp_path / "out" / "述职评议测评结果" / "述职评议测评结果_2024年.xlsx"
    ).active
    grades = {r[1].value: r[-1].value for r in ws.iter_rows(min_row=4) if r[1].value}
    assert "称职≥85%" in ws["A2"].value
    assert set(grades.values()) == {"不称职"}  # 80% is no longer enough
