"""The layout checker (toolkit/pagecheck) on small PDFs made for each kind of violation: it must
find each one, and nothing on clean pages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from toolkit import pagecheck
from toolkit.paths import SAMPLE_WORKBOOK
from toolkit.render import pdf as pdf_render  # the shipped fonts, as the renderer uses them
from toolkit.render.nobreak import keep_together

# A small page: a text block of 100 x 60 mm, eight 20pt lines of 12pt text, 23 characters each.
CSS = """
@page { size: 120mm 80mm; margin: 10mm; }
html { font-family: "FandolFang"; font-size: 12pt; line-height: 20pt; orphans: 1; widows: 1; }
body { margin: 0; }
p { margin: 0; text-indent: 2em; text-align: justify; }
p.flush { text-indent: 0; }
.sig { text-align: right; text-indent: 0; padding-right: 2em; }
h2 { font-family: "Noto Sans CJK SC"; font-size: 12pt; font-weight: normal; margin: 0;
     text-indent: 2em; break-after: auto; }
table { border-collapse: collapse; table-layout: fixed; width: 100%; }
th, td { border: 0.5pt solid #000; padding: 1mm; font-size: 10.5pt; line-height: 1.3; }
th { font-family: "Noto Sans CJK SC"; font-weight: normal; }
"""
LINE = 20  # pt, the line pitch
BLOCK = 60 * 72 / 25.4  # pt, the height of the text block
TEXT = "联络站组织代表进站接待选民，听取群众对老旧小区改造、停车难和养老服务的意见建议。"


def spacer(lines_left: int) -> str:
    """A block that fills page 1 so that `lines_left` lines of text still fit under it."""
    return f'<div style="height: {BLOCK - lines_left * LINE - 4:.1f}pt"></div>'


def make_pdf(folder: Path, name: str, body: str, keep: bool = False, css: str = "") -> Path:
    from weasyprint import HTML

    style = CSS + css
    document = HTML(string=f"<html><head><style>{style}</style></head><body>{body}</body></html>")
    if keep:
        keep_together(document.etree_element)
    path = folder / f"{name}.pdf"
    document.write_pdf(path, font_config=pdf_render.font_config())
    return path


def found(path: Path, names: list[str] | None = None) -> list[str]:
    return [f"{v.page} {v.kind}：{v.detail}" for v in pagecheck.check_pdf(path, names)]


CASES = {
    "closing alone": (
        f"<p>{TEXT}</p><p class='flush'>&nbsp;</p>"
        "<div style='break-before: page'><p class='sig'>述职人：王伟</p>"
        "<p class='sig'>　　年　　月　　日</p></div>",
        ["2 落款：落款单独成页：“述职人：王伟 / 年月日”"],
    ),
    "closing parted from the body": (
        f"<p>{TEXT}</p><p class='sig' style='break-before: page'>2024年3月5日</p>"
        "<p style='margin-top: 20pt'>附件：代表活动记录</p>",
        ["2 落款：落款与正文末行分在两页：“2024年3月5日”"],
    ),
    "orphan": (
        f"{spacer(1)}<p>{TEXT * 2}</p>",
        ["1 孤行：段落首行单独留在页末：“联络站组织代表进站接待选民，听取群众对老旧”"],
    ),
    "widow": (
        f"{spacer(2)}<p>{TEXT}{TEXT[:20]}</p>",
        ["2 孤行：段落末行单独转到下页：“织代表进站接待选民，听取群众对老”"],
    ),
    "heading at the foot": (
        f"{spacer(1)}<h2>二、履职情况</h2><p>{TEXT}</p>",
        ["1 孤行：标题单独留在页末：“二、履职情况”"],
    ),
    "number and unit": (
        "<p>参加接待选民活动6<br>次，收集意见建议21件。</p>",
        ["1 断开：数字和单位断开：“6/次”"],
    ),
    "percent": ("<p>满意率为85.<br>00%。</p>", ["1 断开：数字和单位断开：“85./00%”"]),
    "date": ("<p>定于2024年3<br>月5日召开。</p>", ["1 断开：日期断开：“2024年3/月5日”"]),
    "time": (
        "<p>会议时间：2024年3月5日下午<br>2:30，请准时参加。</p>",
        ["1 断开：时间断开：“下午/2:30”"],
    ),
    "label and value": (
        "<p>请提前请假。联系电话：<br>0571-86001234。</p>",
        ["1 断开：标签和内容断开：“联系电话：/0571”"],
    ),
    "header cell": (
        "<table><tr><th>序号</th><th style='width: 34pt'>发出票<br>数</th><th>项目名称</th></tr>"
        "<tr><td>1</td><td>50</td><td>背街小巷改造</td></tr></table>",
        ["1 表格：表头断字：“发出票/数”"],
    ),
    "table header at the foot": (
        f"{spacer(1)}<table><tr><th>序号</th><th>活动主题</th></tr>"
        "<tr><td>1</td><td>视察老旧小区改造</td></tr></table>",
        ["1 孤行：表头单独留在页末：“序号 活动主题”"],
    ),
    "text over a rule": (
        "<table><tr><th style='width: 30pt'>姓名</th><th>层级</th></tr>"
        "<tr><td style='white-space: nowrap'>阿依古丽·吐尔逊</td>"
        "<td style='text-align: right'>县</td></tr></table>",
        ["1 表格：文字超出表格线：“阿依古丽·吐尔逊”"],
    ),
}


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pagecheck")
    made = {
        name: make_pdf(folder, f"case{i}", body)
        for i, (name, (body, _)) in enumerate(CASES.items())
    }
    made["name"] = make_pdf(folder, "name", "<p>接待代表：王伟、买<br>买提·艾力、李娜</p>")
    made["name at its dot"] = make_pdf(
        folder, "dot", "<p>接待代表：王伟、买买提·<br>艾力、李娜</p>"
    )
    made["own names"] = make_pdf(
        folder, "own", "<p>本次由侯刚<br>文主持。</p><p class='sig'>述职人：侯刚文</p>"
    )
    made["clean"] = make_pdf(
        folder,
        "clean",
        f"<h2>一、基本情况</h2><p>{TEXT * 5}</p><h2>二、履职情况</h2><p>{TEXT * 3}</p>"
        "<table><thead><tr><th>序号</th><th>日期</th><th>活动主题</th></tr></thead>"
        "<tbody><tr><td>1</td><td>2024年3月5日</td><td>视察老旧小区改造</td></tr></tbody></table>"
        f"<p>{TEXT}</p><p class='flush'>&nbsp;</p><p class='sig'>述职人：买买提·艾力</p>"
        "<p class='sig'>2024年3月5日</p>",
        css="html { orphans: 2; widows: 2; } h2 { break-after: avoid; }"
        " .sig, p.flush, p:has(+ p.flush) { break-before: avoid; }",
    )
    return made


@pytest.mark.parametrize("case", list(CASES))
def test_each_kind_of_violation_is_found(pdfs: dict[str, Path], case: str) -> None:
    assert found(pdfs[case], []) == CASES[case][1]


def test_a_name_broken_inside_is_found_and_at_its_dot_is_not(pdfs: dict[str, Path]) -> None:
    names = ["王伟", "买买提·艾力", "李娜"]
    assert found(pdfs["name"], names) == ["1 断开：姓名断开：“买/买提·艾力”"]
    assert found(pdfs["name at its dot"], names) == []


def test_without_a_workbook_names_come_from_the_document(pdfs: dict[str, Path]) -> None:
    assert found(pdfs["own names"]) == ["1 断开：姓名断开：“侯刚/文”"]
    assert found(pdfs["own names"], []) == []


def test_a_clean_document_has_no_violation(pdfs: dict[str, Path]) -> None:
    assert pagecheck.check_pdf(pdfs["clean"], ["买买提·艾力"]) == []


def test_the_renderer_pass_keeps_what_the_checker_protects(tmp_path: Path) -> None:
    """The same narrow paragraphs, laid out with and without the renderer's pass."""
    body = "".join(
        f"<p style='width: {width}em'>{text}</p>"
        for width, text in [
            (9.5, "参加接待选民活动16次，收集意见建议21件，满意率85.00%。"),
            (8.5, "会议定于2024年10月15日下午2:30召开。"),
            (7.5, "请假请拨打联系电话：0571-86001234。"),
        ]
    )
    tall = "@page { size: 120mm 120mm; }"
    assert found(make_pdf(tmp_path, "raw", body, css=tall), []) != []
    assert found(make_pdf(tmp_path, "kept", body, keep=True, css=tall), []) == []


def test_workbook_names_are_the_people_of_the_workbook() -> None:
    names = pagecheck.workbook_names(SAMPLE_WORKBOOK)
    assert {"买买提·艾力", "侯刚文"} <= names
    assert all(2 <= len(name) <= 8 for name in names)


def test_command_reports_by_file_and_page(
    pdfs: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "out"
    (folder / "代表述职报告").mkdir(parents=True)
    (folder / "代表述职报告" / "a.pdf").write_bytes(pdfs["closing alone"].read_bytes())
    (folder / "clean.pdf").write_bytes(pdfs["clean"].read_bytes())
    assert pagecheck.main([str(folder)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert "代表述职报告/a.pdf 第2页 落款：落款单独成页：“述职人：王伟 / 年月日”" in out
    assert out[-1] == "共检查 2 个 PDF：1 处问题，涉及 1 个文件"

    (folder / "代表述职报告" / "a.pdf").unlink()
    manifest = {"files": [{"path": "clean.pdf", "workbook": str(SAMPLE_WORKBOOK)}]}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert pagecheck.main([str(folder), "--jobs", "2"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"姓名取自台账：{SAMPLE_WORKBOOK}")
    assert out[-1] == "共检查 1 个 PDF：没有发现问题"

    assert pagecheck.main([str(tmp_path / "nowhere")]) == 2
    assert "找不到文件夹" in capsys.readouterr().err
