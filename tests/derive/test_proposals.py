"""Proposals: drafts round-trip (new → edit → build), every check's exact message, the 联名
threshold edges, the official layout measured on the docx and the PDF, overdue flags on fixed
dates, the register and the feedback form, and the bundled sample."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pdfplumber
import pytest
from click.testing import CliRunner
from lxml import etree
from pypdf import PdfReader

from conftest import (
    MM,
    RECEPTION_HEADER,
    STATION,
    STATION2,
    STATIONS,
    assert_official_docx_layout,
    pdf_lines,
    pdf_text,
    reception,
    word_document,
    write_workbook,
)
from toolkit.cli import cli
from toolkit.commands.build import build
from toolkit.derive.proposals import Tracking, add_months, outcome, replied, tracking
from toolkit.errors import ToolkitError
from toolkit.model import BuildOptions
from toolkit.rules.proposals import load_proposal_rules
from toolkit.validate.proposals import Proposal

D = dt.date
FORMS = ("proposal", "motion", "proposal_register", "proposal_feedback")

COUNTY = [
    "王伟",
    "李娜",
    "张建国",
    "刘洋",
    "陈静",
    "杨帆",
    "赵磊",
    "黄丽",
    "周强",
    "吴敏",
    "徐涛",
    "孙悦",
]
TOWN = ["郑红", "冯军", "何平", "高翔", "罗兰", "梁栋"]
ROSTER = [
    ["姓名", "代表证号", "代表层级", "所属联络站"],
    *[[n, f"DB-{i:03d}", "县", STATION] for i, n in enumerate(COUNTY, start=1)],
    *[[n, f"XZ-{i:03d}", "镇", STATION2] for i, n in enumerate(TOWN, start=1)],
]
HEADER = [
    "标题", "领衔代表", "类别", "建议编号", "附议代表", "提出日期", "所属领域", "案由",
    "现状与问题", "具体建议", "案据", "方案", "建议承办单位", "交办日期", "复杂件",
    "办理结果类别", "答复日期",
]  # fmt: skip
PROBLEM = "建设路多处路面破损，雨天积水严重，周边三个小区约两千名居民出行不便，已持续两年。"
ADVICE = "一是尽快修复破损路面；\n二是疏通排水管网；\n三是建立定期巡查机制。"
CAUSE = "我区老旧小区加装电梯推进缓慢，群众呼声强烈，需要统一规范。"
BASIS = "《中华人民共和国民法典》规定业主共同决定共有部分的改造，现行办法缺少配套程序。"
PLAN = "一是明确加装电梯的表决程序；\n二是规定财政补贴标准；\n三是建立协商调解机制。"


def suggestion(
    title: str = "关于修复建设路破损路面的建议", lead: str = "王伟", **kw: object
) -> list:
    values = {
        "标题": title, "领衔代表": lead, "类别": "建议", "现状与问题": PROBLEM,
        "具体建议": ADVICE, "提出日期": D(2024, 1, 10), "建议承办单位": "区交通运输局",
        "所属领域": "城市建设",
    }  # fmt: skip
    values.update(kw)
    return [values.get(h) for h in HEADER]


def motion(signers: list[str], lead: str = "王伟", **kw: object) -> list:
    values = {
        "标题": "关于规范老旧小区加装电梯的议案", "领衔代表": lead, "类别": "议案",
        "附议代表": "、".join(signers), "案由": CAUSE, "案据": BASIS, "方案": PLAN,
        "提出日期": D(2024, 1, 11),
    }  # fmt: skip
    values.update(kw)
    return [values.get(h) for h in HEADER]


def book(folder: Path, rows: list[list], receptions: list[list] | None = None) -> Path:
    sheets = {"联络站": STATIONS, "代表名册": ROSTER, "代表建议": [HEADER, *rows]}
    if receptions:
        sheets["接待登记"] = [RECEPTION_HEADER, *receptions]
    return write_workbook(folder / "台账.xlsx", sheets)


def run(folder: Path, rows: list[list], **kw: object):  # type: ignore[no-untyped-def]
    options = dict(workbook=book(folder, rows), out=folder / "out", only=FORMS, jobs=1)
    options.update(kw)
    return build(BuildOptions(**options))  # type: ignore[arg-type]


def messages(result: object) -> list[str]:
    return [str(p) for p in result.data.problems]  # type: ignore[attr-defined]


# ── drafts round-trip ────────────────────────────────────────────────────────────────────────


def test_draft_round_trip_from_a_reception(tmp_path: Path) -> None:
    voice = "建设路路面破损，雨天积水严重，希望尽快修复。{{ x }} <b>"
    workbook = book(tmp_path, [], [reception(content=voice, code="JD-2024-007")])
    drafts = tmp_path / "建议草稿"
    drafts.mkdir()
    target = drafts / "修路.md"
    result = CliRunner().invoke(
        cli,
        ["proposal", "new", str(target), "--from-reception", "jd-2024-007", "--workbook",
         str(workbook)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    assert "标题: 关于解决建设路路面破损问题的建议" in text
    assert "领衔代表: 王伟" in text and "代表证号: DB-001" in text
    assert "来源接待: JD-2024-007" in text and "建议承办单位: 三元街道城建办" in text
    assert (
        f"2024年3月15日，选民在{STATION}接待活动中反映（接待登记编号：JD-2024-007）：{voice}"
    ) in text
    assert "赵桂兰" not in text and "13912345678" not in text  # the visitor stays private
    assert "> 提示：提出具体可行的办法" in text

    # a fresh draft is not ready: the empty section is named with its line
    check = CliRunner().invoke(cli, ["proposal", "check", str(drafts), "--workbook", str(workbook)])
    assert check.exit_code == 1
    assert "建议草稿/修路.md 第21行 具体建议：不能为空（提出具体可行的办法" in check.output

    edited = text.replace(
        "\n## 具体建议\n", "\n## 具体建议\n\n一是修复路面；\n二是疏通管网，\n做好日常养护。\n"
    ).replace("附议代表: []", "附议代表: [李娜, 张 建国]")
    target.write_text(edited, encoding="utf-8")
    out = tmp_path / "out"
    built = build(BuildOptions(workbook=workbook, out=out, only=FORMS, jobs=1, proposals=drafts))
    assert built.exit_code == 0, messages(built)
    name = "代表建议_第0001号_关于解决建设路路面破损问题的建议"
    doc = word_document(str(out / "代表建议" / f"{name}.docx"))
    paragraphs = [p.text for p in doc.paragraphs]
    assert "关于解决建设路路面破损问题的建议" in paragraphs
    assert "一、现状与问题" in paragraphs and "二、具体建议" in paragraphs
    assert any(voice in p and "JD-2024-007" in p for p in paragraphs)  # literally, cited
    assert "一是修复路面；" in paragraphs
    assert "二是疏通管网，做好日常养护。" in paragraphs  # soft-wrapped lines joined
    assert not any("提示" in p for p in paragraphs)
    header = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert header[0] == ["编　　号", "第0001号", "类　　别", "建议"]
    assert header[1] == ["领衔代表", "王伟", "代表证号", "DB-001"]
    assert header[2][1] == "李娜、张建国（2名）"
    pdf = pdf_text(out / "代表建议" / f"{name}.pdf")
    assert "第0001号" in pdf and "{{x}}<b>" in pdf
    assert built.data.drafts["建议草稿"] == 1 and "建议草稿" not in built.data.read


# ── checks and their messages ────────────────────────────────────────────────────────────────


def test_title_and_section_checks_name_the_cell(tmp_path: Path) -> None:
    rows = [
        suggestion(title="加强道路养护"),  # row 2
        suggestion(title="关于规范电梯加装的议案"),  # row 3: a 议案's title on a 建议
        suggestion(具体建议=None),  # row 4
        suggestion(具体建议="尽快修路。"),  # row 5: a warning only
        suggestion(lead="王伟", 附议代表="李娜、王伟"),  # row 6: the lead again
    ]
    result = run(tmp_path, rows)
    found = messages(result)
    assert (
        "代表建议!A2 标题：“加强道路养护”不是“关于……的建议”的格式"
        "（标题应写成“关于……的建议”，如“关于加强社区卫生服务站建设的建议”）"
    ) in found
    assert (
        "代表建议!A3 标题：“关于规范电梯加装的议案”是议案的标题，但类别是“建议”"
        "（请改标题或类别，使两者一致）"
    ) in found
    assert any(m.startswith("代表建议!J4 具体建议：不能为空（提出具体可行的办法") for m in found)
    assert (
        "【提醒】代表建议!J5 具体建议：内容过于简单（只有一句：“尽快修路。”）"
        "（请写明具体的事实、理由和办法）" in found
    )
    assert (
        "代表建议!E6 附议代表：领衔代表“王伟”又列为附议代表"
        "（领衔代表已计入联名人数，每人只计一次；请从附议代表中删去）"
    ) in found
    assert sorted(result.data.rejected["代表建议"]) == [2, 3, 4, 6]
    assert result.exit_code == 1 and not (tmp_path / "out").exists()


def _signers(n: int, pool: list[str] = COUNTY) -> list[str]:
    """n signers in all, the lead (pool[0]) included: the co-signers."""
    return pool[1:n]


@pytest.mark.parametrize(
    ("pool", "total", "needed", "ok"),
    [(COUNTY, 9, 10, False), (COUNTY, 10, 10, True), (TOWN, 4, 5, False), (TOWN, 5, 5, True)],
)
def test_motion_threshold_edges(
    tmp_path: Path, pool: list[str], total: int, needed: int, ok: bool
) -> None:
    result = run(tmp_path, [motion(_signers(total, pool), lead=pool[0])], formats=("docx",))
    errors = [str(p) for p in result.data.errors]
    if ok:
        assert result.exit_code == 0, errors
        made = list((tmp_path / "out" / "代表议案").glob("*.docx"))
        assert len(made) == 1
    else:
        where = "代表建议!E2 附议代表"
        level = "县、自治县、不设区的市、市辖区" if pool is COUNTY else "乡、民族乡、镇"
        assert errors == [
            f"{where}：联名代表 {total} 名，需要至少 {needed} 名（向{level}人民代表大会提出议案，"
            f"须{needed}名以上代表联名（领衔代表计算在内，每人只计一次）；请补充附议代表，或改作建议提出）"
        ]
        assert result.data.rejected["代表建议"] == [2]


def test_a_duplicate_does_not_make_the_tenth(tmp_path: Path) -> None:
    # Sheet: the lead listed again among nine names → nine deputies in all, and both errors.
    sheet = run(tmp_path, [motion([*COUNTY[1:9], "王伟"])])
    found = [str(p) for p in sheet.data.errors]
    assert any(m.startswith("代表建议!E2 附议代表：领衔代表“王伟”又列为附议代表") for m in found)
    assert any(m.startswith("代表建议!E2 附议代表：联名代表 9 名，需要至少 10 名") for m in found)
    # Sheet: a co-signer twice is rejected by the name check, naming the cell.
    (tmp_path / "b").mkdir()
    twice = run(tmp_path / "b", [motion([*COUNTY[1:9], "李娜"])])
    assert any(
        str(p).startswith("代表建议!E2 附议代表：“李娜” 重复出现") for p in twice.data.errors
    )
    # Draft: the same — the duplicate named with its line, and the count without it.
    drafts = tmp_path / "议案草稿"
    drafts.mkdir()
    names = ", ".join([*COUNTY[1:9], "李娜"])
    (drafts / "电梯.md").write_text(
        f"---\n标题: 关于规范老旧小区加装电梯的议案\n类别: 议案\n领衔代表: 王伟\n"
        f"附议代表: [{names}]\n---\n\n## 案由\n\n{CAUSE}\n\n## 案据\n\n{BASIS}\n\n"
        f"## 方案\n\n{PLAN}\n",
        encoding="utf-8",
    )
    (tmp_path / "c").mkdir()
    result = run(tmp_path / "c", [], proposals=drafts)
    found = [str(p) for p in result.data.errors]
    assert "议案草稿/电梯.md 第5行 附议代表：“李娜” 重复出现（每位代表只写一次）" in found
    assert any(
        m.startswith("议案草稿/电梯.md 第5行 附议代表：联名代表 9 名，需要至少 10 名")
        for m in found
    )
    assert result.data.rejected_drafts["议案草稿"] == ["电梯.md"]


def test_level_option_national_and_unknown_names(tmp_path: Path) -> None:
    # five township deputies are enough for the township congress, not for the county's
    town = motion(TOWN[1:5], lead=TOWN[0])
    assert run(tmp_path, [town], formats=("docx",)).exit_code == 0
    county = run(tmp_path, [town], formats=("docx",), level="县级", out=tmp_path / "o2")
    assert any("联名代表 5 名，需要至少 10 名" in str(p) for p in county.data.errors)
    national = run(tmp_path, [town], formats=("docx",), level="全国", out=tmp_path / "o3")
    assert national.exit_code == 0
    assert any(
        str(p).startswith("【提醒】代表建议!B2 领衔代表：全国人民代表大会的议案")
        for p in national.data.warnings
    )
    with pytest.raises(ToolkitError, match="--level “郡” 不是有效的代表层级"):
        run(tmp_path, [town], level="郡", out=tmp_path / "o4")
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    (drafts / "x.md").write_text(
        "---\n标题: 关于修复建设路破损路面的建议\n类别: 建议\n领衔代表: 王玮\n"
        "附议代表: 李娜、钱多多\n"
        f"未知项: 1\n---\n## 现状与问题\n{PROBLEM}\n## 具体建议\n{ADVICE}\n## 心得\n很多\n",
        encoding="utf-8",
    )
    result = run(tmp_path, [], proposals=drafts, out=tmp_path / "o5")
    found = messages(result)
    assert "drafts/x.md 第4行 领衔代表：“王玮” 不在代表名册中（是否为：王伟？）" in found
    assert any(m.startswith("drafts/x.md 第5行 附议代表：“钱多多” 不在代表名册中") for m in found)
    assert any(
        m.startswith("【提醒】drafts/x.md 第6行 未知项：未知的项“未知项”，未使用") for m in found
    )
    assert any(m.startswith("drafts/x.md 第14行 未知的标题“心得”") for m in found)


def test_one_matter_per_proposal_warning(tmp_path: Path) -> None:
    bundled = suggestion(
        具体建议="一是请区教育局为城南小学增开校车线路；\n二是请区交通运输局修复建设路破损路面。",
        建议承办单位="区教育局、区交通运输局",
    )
    joined = suggestion(title="关于增设学校校车和修复道路路面的建议")
    one = suggestion(  # one matter, a lead unit and a partner: not flagged
        具体建议="一是请区交通运输局修复建设路路面；\n二是请区财政局安排道路养护资金。"
    )
    result = run(tmp_path, [bundled, joined, one], formats=("docx",))
    assert result.exit_code == 0
    warnings = [str(p) for p in result.data.warnings]
    assert (
        "【提醒】代表建议!J2 具体建议：一事一议：第1条（区教育局，教育）"
        "与第2条（区交通运输局，道路交通）似乎是不相关的两件事（一件建议只提一个事项；不相关的事项请分别提出）"
    ) in warnings
    assert any(
        w.startswith(
            "【提醒】代表建议!A3 标题：一事一议：标题中的“增设学校校车”（教育）和“修复道路路面”"
        )
        for w in warnings
    )
    assert not any("第4行" in w or "!J4" in w or "!A4" in w for w in warnings)


def test_rules_file_mistakes_name_file_and_line(tmp_path: Path) -> None:
    own = tmp_path / "proposals.yaml"
    own.write_text("议案联名人数:\n  县: 10\n  乡镇: 五\n", encoding="utf-8")
    with pytest.raises(ToolkitError) as err:
        load_proposal_rules(own)
    assert str(err.value) == "proposals.yaml 第3行 议案联名人数“乡镇”：应为正整数，而不是“五”"
    own.write_text("议案联名人数:\n  乡镇: 3\n", encoding="utf-8")
    rules = load_proposal_rules(own)
    assert rules.thresholds == {"省": 10, "市": 10, "县": 10, "乡镇": 3}
    assert rules.months == {"一般": 3, "复杂件": 6}
    three = run(tmp_path, [motion(TOWN[1:3], lead=TOWN[0])], formats=("docx",), rules=(own,))
    assert three.exit_code == 0, messages(three)


# ── overdue flags ────────────────────────────────────────────────────────────────────────────


def _proposal(handed: D | None, replied: D | None = None, complex_: str = "") -> Proposal:
    values = {"交办日期": handed, "答复日期": replied, "复杂件": complex_ or None}
    return Proposal(values, {}, "代表建议", 2, (0, 2), "")


def test_motions_have_their_own_handling_states() -> None:
    rules = load_proposal_rules()

    def motion_(state: str | None, result: str | None = None) -> Proposal:
        values = {"类别": "议案", "交办日期": D(2024, 1, 15), "议案处理情况": state}
        return Proposal({**values, "办理结果类别": result}, {}, "代表建议", 2, (0, 2), "")

    late = D(2024, 9, 1)  # long past a 建议's three months
    assert tracking(motion_(None), late, rules) == Tracking(None, "待主席团决定")
    assert tracking(motion_("列入会议议程"), late, rules) == Tracking(None, "列入会议议程")
    assert not tracking(motion_("交专门委员会审议"), late, rules).overdue
    # handled as a 建议: tracked as one, A–D and deadline included
    as_one = motion_("作为建议处理")
    assert tracking(as_one, late, rules).state == "逾期未答复"
    assert outcome(motion_("列入会议议程", "A")) == "列入会议议程"
    assert outcome(motion_("作为建议处理", "A")) == "作为建议处理，办理结果：A类，已解决或基本解决"
    assert not replied(motion_("审议通过", "A"))
    assert replied(motion_("作为建议处理", "C"))


def test_due_dates_and_overdue_edges() -> None:
    rules = load_proposal_rules()
    assert add_months(D(2024, 1, 31), 3) == D(2024, 4, 30)
    assert add_months(D(2023, 11, 30), 3) == D(2024, 2, 29)
    assert add_months(D(2024, 8, 31), 6) == D(2025, 2, 28)
    handed = _proposal(D(2024, 1, 15))
    assert tracking(handed, D(2024, 4, 15), rules) == Tracking(D(2024, 4, 15), "办理中")
    late = tracking(handed, D(2024, 4, 16), rules)
    assert late == Tracking(D(2024, 4, 15), "逾期未答复", 1) and late.overdue
    assert late.flag == "逾期未答复（超期1天）"
    assert (
        tracking(_proposal(D(2024, 1, 15), D(2024, 4, 15)), D(2024, 9, 1), rules).state == "已答复"
    )
    slow = tracking(_proposal(D(2024, 1, 15), D(2024, 4, 20)), D(2024, 9, 1), rules)
    assert (slow.state, slow.days_over) == ("逾期答复", 5)
    # as of a date before the reply, it was still open
    assert tracking(_proposal(D(2024, 1, 15), D(2024, 4, 20)), D(2024, 4, 18), rules).state == (
        "逾期未答复"
    )
    complex_ = _proposal(D(2024, 1, 15), complex_="是")
    assert tracking(complex_, D(2024, 7, 15), rules) == Tracking(D(2024, 7, 15), "办理中")
    assert tracking(complex_, D(2024, 7, 16), rules).state == "逾期未答复"
    assert tracking(_proposal(None), D(2024, 7, 16), rules).state == "未交办"
    assert tracking(_proposal(D(2024, 8, 1)), D(2024, 7, 16), rules).state == "未交办"


def test_register_flags_overdue_as_of_the_given_date(tmp_path: Path) -> None:
    rows = [
        suggestion(title="关于修复建设路破损路面的建议", 交办日期=D(2024, 1, 15)),  # due 4-15
        suggestion(title="关于增设社区公交站点的建议", 交办日期=D(2024, 1, 16)),  # due 4-16
        suggestion(title="关于整治学校周边交通秩序的建议", 交办日期=D(2024, 1, 15), 复杂件="是"),
        suggestion(
            title="关于改善农贸市场环境的建议",
            交办日期=D(2024, 1, 10),
            答复日期=D(2024, 3, 1),
            办理结果类别="A",
        ),
    ]
    result = run(tmp_path, rows, as_of=D(2024, 4, 16))
    assert result.exit_code == 0, messages(result)
    ws = openpyxl.load_workbook(
        tmp_path / "out" / "代表建议汇总表" / "代表建议汇总表_2024年.xlsx"
    ).active
    header = [c.value for c in ws[3]]
    table = [dict(zip(header, (c.value for c in r), strict=True)) for r in ws.iter_rows(min_row=4)]
    table = [r for r in table if r["标题"]]
    states = {r["标题"]: (r["答复期限"], r["办理状态"]) for r in table}
    assert states == {
        "关于修复建设路破损路面的建议": (dt.datetime(2024, 4, 15), "逾期未答复（超期1天）"),
        "关于增设社区公交站点的建议": (dt.datetime(2024, 4, 16), "办理中"),
        "关于整治学校周边交通秩序的建议": (dt.datetime(2024, 7, 15), "办理中"),
        "关于改善农贸市场环境的建议": (dt.datetime(2024, 4, 10), "已答复"),
    }
    assert [r["编号"] for r in table] == ["第0001号", "第0002号", "第0003号", "第0004号"]
    assert (
        "截至2024年4月16日：共4件（建议4件、议案0件），已答复1件，逾期未答复1件" in ws["A2"].value
    )
    pdf = pdf_text(tmp_path / "out" / "代表建议汇总表" / "代表建议汇总表_2024年.pdf")
    assert "截至2024年4月16日" in pdf and "逾期未答复" in pdf and "超期1" in pdf
    # only the replied one gets a feedback form
    feedback = sorted(p.name for p in (tmp_path / "out" / "代表建议办理情况意见反馈表").iterdir())
    assert feedback == [
        "代表建议办理情况意见反馈表_第0004号_王伟.docx",
        "代表建议办理情况意见反馈表_第0004号_王伟.pdf",
    ]


def test_feedback_form_is_one_page_with_two_ratings(tmp_path: Path) -> None:
    row = suggestion(交办日期=D(2024, 1, 10), 答复日期=D(2024, 3, 1), 办理结果类别="B")
    result = run(tmp_path, [row])
    assert result.exit_code == 0
    folder = tmp_path / "out" / "代表建议办理情况意见反馈表"
    pdf = folder / "代表建议办理情况意见反馈表_第0001号_王伟.pdf"
    reader = PdfReader(str(pdf))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "办理态度" in text and "办理结果" in text and "代表签名" in text
    assert "B 正在解决或列入计划解决" in text and "2024年3月1日" in text
    assert text.count("□") == 6 + 1  # three boxes for each rating, one in the note
    doc = word_document(str(folder / "代表建议办理情况意见反馈表_第0001号_王伟.docx"))
    rows = {r.cells[0].text: r.cells[-1].text for r in doc.tables[0].rows}
    assert rows["办理态度"] == rows["办理结果"] == "□满意　　　□基本满意　　　□不满意"
    assert rows["建议标题"] == "关于修复建设路破损路面的建议"


# ── the official layout, measured ────────────────────────────────────────────────────────────


@pytest.fixture(scope="module")
def official(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("official")
    long = PROBLEM * 6
    rows = [
        suggestion(现状与问题=f"{long}\n（一）路面破损情况\n{long}", 建议编号="JY-2024-009"),
        motion(COUNTY[1:10]),
    ]
    result = run(folder, rows, only=("proposal", "motion"))
    assert result.exit_code == 0, messages(result)
    return folder / "out"


def test_docx_official_layout(official: Path) -> None:
    path = official / "代表建议" / "代表建议_JY-2024-009_关于修复建设路破损路面的建议.docx"
    assert_official_docx_layout(path)
    doc = word_document(str(path))
    styles = {p.text: p.style.style_id for p in doc.paragraphs if p.text}
    assert styles["关于修复建设路破损路面的建议"] == "Title"
    assert styles["一、现状与问题"] == "Heading1" and styles["二、具体建议"] == "Heading1"
    assert styles["（一）路面破损情况"] == "Heading2"
    assert styles["一是尽快修复破损路面；"] == "OfficialBody"
    assert styles["领衔代表：王伟"] == "Signature"
    cells = [[c.text for c in r.cells] for r in doc.tables[0].rows]
    assert cells[0] == ["编　　号", "JY-2024-009", "类　　别", "建议"]
    assert cells[4][0] == "建议承办单位" and cells[4][1] == "区交通运输局"
    footer = doc.sections[0].footer.paragraphs[0]
    assert footer.text.startswith("— ") and footer.text.endswith(" —")
    assert 'w:sz w:val="28"' in etree.tostring(footer._p, encoding="unicode")
    motion_doc = word_document(str(next((official / "代表议案").glob("*.docx"))))
    heads = [p.text for p in motion_doc.paragraphs if p.style.style_id == "Heading1"]
    assert heads == ["一、案由", "二、案据", "三、方案"]
    assert motion_doc.tables[0].rows[2].cells[1].text.endswith("（9名）")


def test_pdf_official_layout(official: Path) -> None:
    path = official / "代表建议" / "代表建议_JY-2024-009_关于修复建设路破损路面的建议.pdf"
    reader = PdfReader(str(path))
    assert len(reader.pages) >= 2
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    with pdfplumber.open(str(path)) as pdf:
        first = pdf_lines(pdf.pages[0])
        by_text = {"".join(c["text"] for c in cs): cs for cs in first.values()}
        title = by_text["关于修复建设路破损路面的建议"]
        assert "Serif-CJK-SC-Bold" in title[0]["fontname"] and round(title[0]["size"]) == 22
        heading = by_text["一、现状与问题"]
        assert "Sans-CJK" in heading[0]["fontname"] and round(heading[0]["size"]) == 16
        body = [cs for cs in first.values() if "FandolFang" in cs[0]["fontname"]]
        body = [cs for cs in body if round(cs[0]["size"]) == 16]
        assert body and min(cs[0]["x0"] for cs in body) == pytest.approx(28 * MM, abs=0.5)
        assert max(cs[-1]["x1"] for cs in body) <= (28 + 156) * MM + 0.5
        assert max(len(cs) for cs in body) == 28  # a full line of 28 characters
        header_cells = [cs for cs in first.values() if cs[0]["top"] < title[0]["top"]]
        assert header_cells and all(round(cs[0]["size"]) == 14 for cs in header_cells)
        assert min(cs[0]["top"] for cs in first.values()) >= 37 * MM - 1
        all_lines = [cs for page in pdf.pages for cs in pdf_lines(page).values()]
        sub = next(cs for cs in all_lines if "".join(c["text"] for c in cs) == "（一）路面破损情况")
        assert "Kai" in sub[0]["fontname"]
        for index, page in enumerate(pdf.pages[:2], start=1):
            number = [c for c in page.chars if c["top"] > (297 - 35) * MM]
            assert "".join(c["text"] for c in number).replace(" ", "") == f"—{index}—"
            assert round(number[0]["size"]) == 14
            if index % 2:
                assert number[-1]["x1"] == pytest.approx((210 - 26) * MM - 14, abs=1.5)
            else:
                assert number[0]["x0"] == pytest.approx(28 * MM + 14, abs=1.5)


# ── the contract, the sample ─────────────────────────────────────────────────────────────────


def test_init_writes_the_complex_case_column(tmp_path: Path) -> None:
    from toolkit.commands.init import write_blank_workbook

    path = tmp_path / "空白.xlsx"
    write_blank_workbook(path)
    headers = [c.value for c in openpyxl.load_workbook(path)["代表建议"][1] if c.value]
    assert headers.index("复杂件") == headers.index("交办日期") + 1


def test_bundled_sample_produces_the_proposal_documents(tmp_path: Path) -> None:
    result = build(BuildOptions(out=tmp_path, only=FORMS, jobs=2, as_of=D(2025, 1, 20)))
    assert result.exit_code == 0, [str(p) for p in result.data.errors]
    made = {p.parent.name for p in tmp_path.rglob("*.*") if p.parent != tmp_path}
    assert made == {"代表建议", "代表议案", "代表建议汇总表", "代表建议办理情况意见反馈表"}
    rows = result.data.rows("代表建议")
    kinds = [r["类别"] for r in rows]
    for kind, folder in (("建议", "代表建议"), ("议案", "代表议案")):
        titles = {r["标题"] for r in rows if r["类别"] == kind}
        printed = [pdf_text(p) for p in (tmp_path / folder).glob("*.pdf")]
        assert len(printed) == kinds.count(kind)
        # Every file prints one of the sheet's titles.
        assert all(any(t in text for t in titles) for text in printed), folder
    ws = openpyxl.load_workbook(next((tmp_path / "代表建议汇总表").glob("*.xlsx"))).active
    states = [row[-1].value for row in ws.iter_rows(min_row=4) if row[2].value]
    assert len(states) == len(rows)
    assert any(s and s.startswith("逾期未答复") for s in states)  # the sample's open one


def test_rows_without_text_are_register_entries(tmp_path: Path) -> None:
    """A row with none of the parts records a proposal written elsewhere: tracked and listed,
    its short 联名 list warned about, nothing printed for it."""
    entry = suggestion(现状与问题=None, 具体建议=None, 交办日期=D(2024, 1, 15))
    filed = motion(COUNTY[1:3], 案由=None, 案据=None, 方案=None)
    result = run(tmp_path, [entry, filed], as_of=D(2024, 5, 1))
    assert result.exit_code == 0, messages(result)
    assert any(
        m.startswith("【提醒】代表建议!E3 附议代表：联名代表 3 名，需要至少 10 名")
        for m in messages(result)
    )
    out = tmp_path / "out"
    assert not (out / "代表建议").exists() and not (out / "代表议案").exists()
    ws = openpyxl.load_workbook(out / "代表建议汇总表" / "代表建议汇总表_2024年.xlsx").active
    states = [r[-1].value for r in ws.iter_rows(min_row=4) if r[2].value]
    # An 议案 is decided by the 主席团, not answered in three months: no deadline, no overdue.
    assert states == ["逾期未答复（超期16天）", "待主席团决定"]
