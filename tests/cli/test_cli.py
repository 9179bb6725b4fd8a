"""The command line through click's CliRunner: exit codes and the Chinese a clerk reads."""

from __future__ import annotations

import openpyxl
import pytest
from click.testing import CliRunner
from docx import Document

from conftest import reception
from toolkit.cli import cli


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, list(args), catch_exceptions=False)

    return invoke


def test_help_is_chinese(run):
    result = run("--help")
    assert result.exit_code == 0
    assert "用法：" in result.output and "命令" in result.output and "Usage" not in result.output
    for command in ("init", "sample", "check", "build", "doctor"):
        assert command in result.output
    build_help = run("build", "--help").output
    assert "--keep-going" in build_help and "只生成这些表单" in build_help


def test_usage_errors_exit_2_in_chinese(run):
    result = run("build", "--frobnicate")
    assert result.exit_code == 2
    assert result.output.startswith("错误：没有选项 --frobnicate。")
    result = run("build", "--only", "nosuch_form")
    assert result.exit_code == 2
    assert "错误：没有名为“nosuch_form”的表单" in result.output


def test_init_writes_the_blank_workbook_and_refuses_to_overwrite(run, tmp_path):
    path = tmp_path / "台账.xlsx"
    assert run("init", str(path)).exit_code == 0
    assert "接待登记" in openpyxl.load_workbook(path).sheetnames
    again = run("init", str(path))
    assert again.exit_code == 2 and "已存在" in again.output
    assert run("init", str(path), "--force").exit_code == 0


def test_sample_then_check_is_clean(run, tmp_path):
    path = tmp_path / "示例.xlsx"
    result = run("sample", str(path), "--stations", "2", "--receptions", "30", "--seed", "5")
    assert result.exit_code == 0, result.output
    check = run("check", str(path))
    assert check.exit_code == 0, check.output
    assert "检查通过" in check.output and "接待登记 30" in check.output


def test_check_lists_every_problem_and_exits_1(run, make_book):
    path = make_book([reception(date="2024.13.5"), reception(deputies="王小伟", code="B")])
    result = run("check", str(path))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert "接待登记!A2 接待日期：“2024.13.5” 不是有效日期" in lines
    assert "接待登记!C3 接待代表：“王小伟” 不在代表名册中（是否为：王伟？）" in lines
    assert "拒绝：2 行（接待登记 2 行），原因见上" in lines


@pytest.mark.parametrize("content", [b"", b"not,a,workbook\n"])
def test_check_never_tracebacks_on_junk(run, tmp_path, content):
    path = tmp_path / "坏文件.xlsx"
    path.write_bytes(content)
    result = run("check", str(path))
    assert result.exit_code == 1
    assert result.output.startswith("错误：“坏文件.xlsx”")
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1


def test_build_with_rejected_rows_writes_nothing_by_default(run, make_book, tmp_path):
    out = tmp_path / "out"
    path = make_book([reception(code="A"), reception(date="2024.2.30", code="B")])
    result = run("build", str(path), "--out", str(out), "--format", "docx")
    assert result.exit_code == 1
    assert "接待登记!A3 接待日期：“2024.2.30” 不是有效日期" in result.output
    assert "未生成任何文件" in result.output
    assert not list(out.rglob("*.docx"))
    kept = run("build", str(path), "--out", str(out), "--format", "docx", "--keep-going")
    assert kept.exit_code == 1
    [kept_doc] = out.rglob("代表接待选民登记表/*.docx")
    paragraphs = [p.text for p in Document(kept_doc).paragraphs]
    assert any("编号：A" in text for text in paragraphs)  # the good row, not the rejected B
    assert "拒绝：1 行" in kept.output


def test_build_summary_and_only_by_title(run, make_book, tmp_path):
    out = tmp_path / "out"
    path = make_book([reception(code="A"), reception(code="B", route="当场答复")])
    result = run(
        "build",
        str(path),
        "--out",
        str(out),
        "--only",
        "代表接待选民登记表,群众意见建议交办单",
        "--format",
        "docx",
        "--jobs",
        "1",
    )
    assert result.exit_code == 0, result.output
    assert "生成：3 份（代表接待选民登记表 docx 2；群众意见建议交办单 docx 1）" in result.output
    assert f"输出位置：{out.resolve()}" in result.output
    [slip] = out.rglob("群众意见建议交办单/*.docx")
    cells = [c.text for t in Document(slip).tables for r in t.rows for c in r.cells]
    assert "三元街道城建办" in cells  # row A's 承办单位; B was answered on the spot
    assert not (out / "接待选民登记簿").exists()


def test_build_period_filter(run, make_book, tmp_path):
    import datetime as dt

    out = tmp_path / "out"
    path = make_book(
        [
            reception(code="A", date=dt.date(2024, 1, 5)),
            reception(code="B", date=dt.date(2024, 6, 5)),
        ]
    )
    result = run(
        "build",
        str(path),
        "--out",
        str(out),
        "--from",
        "2024-6-1",
        "--to",
        "2024年6月30日",
        "--format",
        "docx,xlsx",
        "--only",
        "reception_form,reception_register",
    )
    assert result.exit_code == 0, result.output
    assert [p.name for p in out.rglob("代表接待选民登记表/*.docx")] == [
        "代表接待选民登记表_2024-06-05_三元社区人大代表联络站_B.docx"
    ]
    register = next(out.rglob("接待选民登记簿/*.xlsx"))
    assert "2024年6月1日至2024年6月30日" in register.name
    bad = run("build", str(path), "--from", "2024.13.1")
    assert bad.exit_code == 2 and "--from “2024.13.1” 不是有效日期" in bad.output


def test_doctor_reports_each_check(run, tmp_path):
    result = run("doctor", "--out", str(tmp_path))
    assert "Python" in result.output and "HarfBuzz" in result.output and "随附字体" in result.output
    assert result.exit_code in (0, 1)
    if result.exit_code == 0:
        assert "环境正常。" in result.output


def test_forms_list(run):
    result = run("forms", "list")
    assert result.exit_code == 0
    for form_id in ("reception_form", "reception_register", "handoff_slip", "feedback_slip"):
        assert form_id in result.output


def test_init_and_sample_refuse_bad_targets(run, tmp_path):
    missing = run("sample", str(tmp_path / "没有的文件夹" / "a.xlsx"))
    assert missing.exit_code == 2 and "文件夹" in missing.output and "不存在" in missing.output
    wrong = run("init", str(tmp_path / "a.xls"))
    assert wrong.exit_code == 2 and "扩展名应为 .xlsx" in wrong.output


def test_a_blank_registration_number_names_the_file_by_row(run, make_book, tmp_path):
    out = tmp_path / "out"
    path = make_book([reception(code=None), reception(code=None)])
    assert (
        run(
            "build", str(path), "--out", str(out), "--only", "reception_form", "--format", "docx"
        ).exit_code
        == 0
    )
    assert sorted(p.name for p in out.rglob("*.docx")) == [
        "代表接待选民登记表_2024-03-15_三元社区人大代表联络站_第2行.docx",
        "代表接待选民登记表_2024-03-15_三元社区人大代表联络站_第3行.docx",
    ]


def test_period_labels(run, make_book, tmp_path):
    out = tmp_path / "out"
    path = make_book([reception()])
    assert (
        run(
            "build",
            str(path),
            "--out",
            str(out),
            "--from",
            "2024-3-1",
            "--only",
            "reception_register",
            "--format",
            "xlsx",
        ).exit_code
        == 0
    )
    assert [p.name for p in out.rglob("*.xlsx")] == [
        "接待选民登记簿_三元社区人大代表联络站_2024年3月1日起.xlsx"
    ]


def test_build_warns_once_when_pdf_subsetting_would_be_slow(run, make_book, tmp_path, monkeypatch):
    import toolkit.commands.doctor as doctor

    monkeypatch.setattr(doctor, "find_library", lambda *names: None)
    result = run(
        "build",
        str(make_book()),
        "--out",
        str(tmp_path / "o"),
        "--only",
        "reception_form",
        "--format",
        "pdf",
    )
    assert result.output.count("未找到 HarfBuzz 字体子集库") == 1
    docx_only = run("build", str(make_book()), "--out", str(tmp_path / "o2"), "--format", "docx")
    assert "HarfBuzz" not in docx_only.output
    checks = run("doctor", "--out", str(tmp_path))
    assert checks.exit_code == 1
    assert (
        "✗ HarfBuzz 字体子集库未找到：生成 PDF 会慢约 50 倍（每页约 13 秒） —— 解决办法："
        in checks.output
    )


def test_init_drop_down_follows_a_rules_file(run, tmp_path):
    rules = tmp_path / "规则.yaml"
    rules.write_text(
        "处理方式:\n  - 名称: 当场答复\n    交办: false\n  - 名称: 交司法所办理\n    交办: true\n",
        encoding="utf-8",
    )
    path = tmp_path / "台账.xlsx"
    assert run("init", str(path), "--rules", str(rules)).exit_code == 0
    ws = openpyxl.load_workbook(path)["接待登记"]
    lists = [dv.formula1 for dv in ws.data_validations.dataValidation if dv.formula1]
    assert '"当场答复,交司法所办理"' in lists
