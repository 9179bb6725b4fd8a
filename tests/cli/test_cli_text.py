"""What the command line says, as a clerk reads it: every help page and every usage error in
Chinese (none of click's English left), columns aligned by display width, the bundled sample named
whenever it stands in for the clerk's workbook, and draft problems in file-then-line order."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from hypothesis import assume, given
from hypothesis import strategies as st

from conftest import DEPUTIES, RECEPTION_HEADER, STATION, STATIONS, reception, write_workbook
from toolkit.cli import cli
from toolkit.cli import text as cli_text
from toolkit.cli.text import OneOf, Whole
from toolkit.paths import SAMPLE_WORKBOOK
from toolkit.textwidth import display_width, table, wrap

# Latin words a Chinese help page may contain: names of things, not English sentences.
NAMES = {
    "liaison", "outputs", "forms", "rules", "scoring", "yaml", "md", "toml", "docx", "pdf", "xlsx",
    "html", "DIR", "FORMS", "LIAISON", "CPU", "Excel", "HTML", "HarfBuzz", "JSON", "LibreOffice",
    "Markdown", "PDF", "Pango", "Python", "WPS", "Word", "YAML",
    "Dask", "tcp", "local", "pip", "install", "cluster",  # --cluster: what the clerk types
}  # fmt: skip


def commands(group: click.Group = cli, path: tuple[str, ...] = ()):
    yield path
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from commands(command, (*path, name))
        else:
            yield (*path, name)


COMMANDS = list(commands())
COMMAND_NAMES = {name for path in COMMANDS for name in path}


def run(*args: str, width: int | None = None):
    extra = {"terminal_width": width} if width else {}
    return CliRunner().invoke(cli, list(args), catch_exceptions=False, **extra)


def english(text: str) -> set[str]:
    """Latin words of `text` other than option names, command names and names of things."""
    text = re.sub(r"(?<![\w-])--?[\w-]+", " ", text)
    return set(re.findall(r"[A-Za-z]{2,}", text)) - NAMES - COMMAND_NAMES


def cell_starts(line: str) -> list[int]:
    """The display column at which each cell of a table line (cells two or more spaces apart)
    starts."""
    return [display_width(line[: m.start()]) for m in re.finditer(r"(?:^|(?<=\s{2}))\S", line)]


# ── help pages ───────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "liaison")
@pytest.mark.parametrize("width", [60, 100])
def test_every_help_page_is_chinese_and_fits(path, width):
    result = run(*path, "--help", width=width)
    assert result.exit_code == 0
    text = result.output
    lines = text.splitlines()
    assert lines[0].startswith(f"用法：liaison {' '.join(path)}".rstrip())
    assert "\n选项：\n" in text and "  -h, --help" in text and "显示此帮助并退出。" in text
    assert english(text) == set(), text
    for leftover in ("<=", ">=", "[default", "默认：默认", "; ", "|"):
        assert leftover not in text
    # headings and notes end in “：”; an address (tcp://…, local:N) keeps its own colons
    assert ":" not in re.sub(r"(?:https?|tcp):|\d:\d|local:N", "", text)
    assert all(display_width(line) <= width for line in lines), text
    # Options: each description starts in one column, counted in display columns.
    options = text.split("\n选项：\n")[1].split("\n\n")[0].splitlines()
    starts = {cell_starts(line)[1] for line in options if len(cell_starts(line)) > 1}
    assert len(starts) == 1, text


def test_help_states_ranges_choices_and_defaults_in_chinese():
    sample = run("sample", "--help").output
    assert "--stations N    联络站数量。取值 1～2000；默认：3。" in sample
    assert "--deputies N    代表人数（默认每站约 12 名）。取值不小于 1。" in sample
    new = run("proposal", "new", "--help").output
    assert "--type 类别" in new and "草稿类别。可选：建议、议案；默认：建议。" in new
    build = run("build", "--help", width=100).output
    assert "可选：html、docx；默认：html。" in build and "[html|docx]" not in build
    # Commands listed with the start of their help, not cut in the middle of a word.
    top = run("--help").output
    assert "  doctor    检查本机环境\n" in top
    assert "  check     检查台账，逐条列出问题\n" in top


def test_click_strings_are_all_translated():
    """Every string click marks for translation has its Chinese (a click upgrade that adds one
    fails here, not in front of a clerk)."""
    found = set()
    for source in Path(click.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            if node.func.id in ("_", "ngettext") and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    found.add((node.func.id, first.value))
    assert len(found) > 50
    missing = [
        text
        for kind, text in found
        if text not in (cli_text.TEXTS if kind == "_" else cli_text.PLURALS)
    ]
    assert missing == []
    for text in [*cli_text.TEXTS.values(), *cli_text.PLURALS.values()]:
        words = re.sub(r"\{\w*\}|%\(\w+\)s", "", text)
        assert "'" not in words and english(words) <= {"UUID", "Bash", "Windows"}, text


# ── usage errors ─────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["build", "--frobnicate"], "没有选项 --frobnicate。是否指 --format、--strict？"),
        (["bild"], "没有命令“bild”。是否指 build？"),
        (["init"], "缺少参数“台账.xlsx”。"),
        (["forms", "show"], "缺少参数“表单”。"),
        (
            ["sample", "a.xlsx", "--stations", "0"],
            "选项 --stations 的值无效：0 不在 1～2000 之内。",
        ),
        (["sample", "a.xlsx", "--deputies", "0"], "选项 --deputies 的值无效：0 小于 1。"),
        (["score", "--year", "二〇二四"], "选项 --year 的值无效：“二〇二四”不是整数。"),
        (["score", "--quarter", "5"], "选项 --quarter 的值无效：5 不在 1～4 之内。"),
        (
            ["build", "--pdf-from", "pdf"],
            "选项 --pdf-from 的值无效：“pdf”不是可选的值（可选：html、docx）。",
        ),
        (
            ["proposal", "new", "a.md", "--type", "提案"],
            "选项 --type 的值无效：“提案”不是可选的值（可选：建议、议案）。",
        ),
        (
            ["check", "我的", "台账.xlsx"],
            "多余的参数：台账.xlsx（文件名中有空格时，请用引号把整个文件名括起来）",
        ),
        (["build", "--jobs"], "选项 --jobs 后面要写一个值。"),
        (["init", "--force=yes", "a.xlsx"], "选项 --force 是开关，后面不能带值。"),
    ],
)
def test_usage_errors_are_chinese(args, message):
    result = run(*args)
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert lines[0] == f"错误：{message}"
    assert english(result.output) <= set(args) and "'" not in result.output
    if len(lines) > 1:  # a mistake in the command line: its usage, and where help is
        assert lines[1].startswith("用法：liaison ")
        command = lines[1].removeprefix("用法：").split(" [选项]")[0]
        assert lines[2:] == [f"运行“{command} --help”可查看全部选项和说明。"]


def test_usage_error_names_the_path_and_points_to_help(tmp_path):
    missing = tmp_path / "规则.yaml"
    result = run("check", "--rules", str(missing))
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        f"错误：选项 --rules 的值无效：文件“{missing}”不存在。",
        "用法：liaison check [选项] [台账.xlsx]",
        "运行“liaison check --help”可查看全部选项和说明。",
    ]
    afile = tmp_path / "草稿.md"
    afile.write_text("", encoding="utf-8")
    result = run("proposal", "check", str(afile))
    assert result.exit_code == 2
    assert result.output.splitlines()[0] == (
        f"错误：参数“文件夹”的值无效：“{afile}”是文件，不是文件夹。"
    )


def test_numbers_typed_with_a_chinese_input_method_are_numbers():
    assert Whole(1, 4).convert("３", None, None) == 3
    assert Whole().convert(" 2024 ", None, None) == 2024
    assert OneOf(["html", "docx"]).convert("HTML", None, None) == "html"
    with pytest.raises(click.BadParameter, match="0 不在 1～4 之内"):
        Whole(1, 4).convert("0", None, None)


# ── tables ───────────────────────────────────────────────────────────────────────────────────


def test_forms_list_is_a_table_aligned_by_display_width():
    result = run("forms", "list")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].split() == ["代号", "名称", "格式", "工作表"]
    starts = {tuple(cell_starts(line)) for line in lines}
    assert len(starts) == 1 and len(next(iter(starts))) == 4, result.output
    assert any(line.split() == ["handoff_slip", "群众意见建议交办单", "docx、pdf", "接待登记"]
               for line in lines)  # fmt: skip


def test_forms_show_is_a_table_aligned_by_display_width():
    result = run("forms", "show", "handoff_slip")
    assert result.exit_code == 0
    rows = result.output.splitlines()[2:]
    assert rows[0].split() == ["字段", "类型", "示例"]
    # a field whose example is blank (典型 of a reception that is not one) has two cells
    starts = {tuple(cell_starts(line)[:3]) for line in rows if len(cell_starts(line)) > 2}
    assert len(starts) == 1 and len(next(iter(starts))) == 3, result.output
    assert {tuple(cell_starts(line)[:2]) for line in rows} == {next(iter(starts))[:2]}


def test_score_table_aligns_a_name_written_with_a_variation_selector(tmp_path):
    # A rare name character in its registered variant glyph: the character and an ideographic
    # variation selector, which takes no column (counted as two before).
    deputies = [*DEPUTIES, ["葛\U000e0100亮", "DB-005", "县", STATION, "男", "", "13800000005"]]
    book = write_workbook(
        tmp_path / "台账.xlsx",
        {"联络站": STATIONS, "代表名册": deputies, "接待登记": [RECEPTION_HEADER, reception()]},
    )
    result = run("score", str(book))
    assert result.exit_code == 0, result.output
    rows = result.output.splitlines()[1:]
    assert any("葛\U000e0100亮" in row for row in rows)
    assert len({tuple(cell_starts(row)) for row in rows}) == 1, result.output


def test_table_pads_by_display_width_and_right_aligns_numbers():
    assert table([("名次", "姓名"), ("10", "王伟"), ("1", "Zoë")], right=[0]) == [
        "名次  姓名",
        "  10  王伟",
        "   1  Zoë",
    ]


PIECES = [*"代表 接待 ， 。 （ ） “ ” --keep-going Word 2024 年 、 姓名.md".split(), " "]
CHINESE = [*"代表 接待 ， 。 （ ） 年 、 “ ”".split()]


@given(st.lists(st.sampled_from(PIECES), max_size=40), st.integers(min_value=8, max_value=40))
def test_wrap_keeps_the_text_and_never_cuts_a_word_that_fits(pieces, width):
    text = "".join(pieces).strip()
    lines = wrap(text, width)
    assert all(display_width(line) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    for word in re.findall(r"[\w.-]+", text):
        if word.isascii() and display_width(word) <= width:
            assert any(word in line for line in lines), (word, lines)


@given(st.lists(st.sampled_from(CHINESE), max_size=60), st.integers(min_value=12, max_value=40))
def test_wrap_keeps_punctuation_on_the_right_side_of_a_break(pieces, width):
    text = "".join(pieces)
    assume(not re.search(r"[，。、（）“”]{3}", text))
    lines = wrap(text, width)
    assert "".join(lines) == text  # Chinese breaks between characters, adding no space
    for line in lines[1:]:
        assert line[0] not in "，。、）”", lines
    for line in lines[:-1]:
        assert line[-1] not in "（“", lines


# ── the bundled sample is named when it stands in ────────────────────────────────────────────


def test_check_without_a_workbook_says_it_checked_the_sample():
    result = run("check")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == (
        f"未指定台账，检查随附示例台账 {SAMPLE_WORKBOOK}（内容虚构，不是您的台账）。"
    )
    assert lines[-2:] == [
        "随附示例台账检查通过。",
        "这不是您的台账。检查您的台账请写上文件名，如：liaison check 台账.xlsx",
    ]
    assert "检查通过。" not in lines
    named = run("check", str(SAMPLE_WORKBOOK))  # named, it is the clerk's choice: no notice
    assert named.exit_code == 0 and named.output.splitlines()[-1] == "检查通过。"
    assert "示例台账" not in named.output


def test_build_without_a_workbook_says_it_used_the_sample(tmp_path):
    out = tmp_path / "out"
    result = run(
        "build", "--only", "reception_form", "--format", "docx", "--from", "2024-1-1",
        "--to", "2024-1-10", "--out", str(out), "--jobs", "1",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == (
        f"未指定台账，用随附示例台账 {SAMPLE_WORKBOOK} 生成文书（内容虚构，不是您的台账）。"
    )
    assert lines[-1].startswith("以上文书由随附示例台账生成，内容虚构，仅供试用。")
    assert list(out.rglob("*.docx"))


def test_score_without_a_workbook_says_it_scored_the_sample():
    notice = f"未指定台账，按随附示例台账 {SAMPLE_WORKBOOK} 计分（内容虚构，不是您的台账）。"
    result = run("score")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == notice
    as_json = run("score", "--json")
    assert as_json.exit_code == 0
    assert json.loads(as_json.stdout)["代表"]  # stdout stays JSON; the notice goes to stderr
    assert as_json.stderr.splitlines() == [notice]


# ── drafts: file, then line; a folder is not a sheet ─────────────────────────────────────────

DRAFT = """---
标题: {title}
类别: 建议
领衔代表: {lead}
附议代表: []
---

## 现状与问题

{problem}

## 具体建议

{action}
"""
GOOD_PROBLEM = "建设路路面破损，雨天积水严重，影响周边三个小区约两千名居民出行，已持续两年。"
GOOD_ACTION = "一是尽快修复路面；二是疏通排水管网，做好日常养护。"


def draft(folder: Path, name: str, **values: str) -> None:
    fields = {
        "title": "关于修复建设路路面的建议",
        "lead": "王伟",
        "problem": GOOD_PROBLEM,
        "action": GOOD_ACTION,
    }
    fields.update(values)
    (folder / name).write_text(DRAFT.format(**fields), encoding="utf-8")


def test_proposal_check_reports_by_file_then_line(make_book, tmp_path):
    folder = tmp_path / "建议草稿"
    folder.mkdir()
    # b: problems on lines 2, 4 and 8, found by the checks in another order (4, 2, 8).
    draft(folder, "b排水.md", title="关于……的建议", lead="", problem="")
    draft(folder, "a修路.md", lead="王小伟", action="修路。")
    draft(folder, "c路灯.md", title="关于增设路灯的建议")
    result = run("proposal", "check", str(folder), "--workbook", str(make_book()))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    problems = [line for line in lines if line.startswith(("建议草稿/", "【提醒】建议草稿/"))]
    places = [re.search(r"建议草稿/(\S+) 第(\d+)行", line).groups() for line in problems]
    assert places == sorted(places, key=lambda p: (p[0], int(p[1]))), problems
    assert places == [
        ("a修路.md", "4"),
        ("a修路.md", "12"),  # a warning, in its place: not after every error
        ("b排水.md", "2"),
        ("b排水.md", "4"),
        ("b排水.md", "8"),
    ]
    assert lines[0] == "建议草稿/a修路.md 第4行 领衔代表：“王小伟” 不在代表名册中（是否为：王伟？）"
    assert lines[1].startswith("【提醒】建议草稿/a修路.md 第12行 具体建议：内容过于简单")
    assert lines[-3:] == [
        "读取：草稿 3 份（文件夹“建议草稿”）",
        "拒绝：草稿 2 份（建议草稿/a修路.md、建议草稿/b排水.md），原因见上",
        "检查未通过：共 4 个问题，见上；改正后请重新检查。",
    ]
    assert not any("!" in line for line in problems)


def test_proposal_check_without_a_workbook_says_whose_roster(tmp_path):
    folder = tmp_path / "草稿"
    folder.mkdir()
    result = run("proposal", "check", str(folder))
    assert result.output.splitlines()[0] == (
        f"未指定 --workbook，代表姓名按随附示例台账 {SAMPLE_WORKBOOK} 的代表名册核对"
        "（不是您的名册）。"
    )
    assert result.output.splitlines()[-3:-1] == ["读取：草稿 0 份（文件夹“草稿”）", "拒绝：0 份"]


def test_a_drafts_folder_named_like_a_sheet_is_not_counted_as_that_sheet(tmp_path):
    # A folder called 代表建议 beside a workbook with a 代表建议 sheet of three rows.
    folder = tmp_path / "代表建议"
    folder.mkdir()
    draft(folder, "修路.md", problem="")
    rows = [["标题", "类别", "领衔代表", "提出日期"]] + [
        [f"关于修复第{n}条路的建议", "建议", "王伟", "2024-3-1"] for n in range(3)
    ]
    book = write_workbook(
        tmp_path / "台账.xlsx",
        {
            "联络站": STATIONS,
            "代表名册": DEPUTIES,
            "接待登记": [RECEPTION_HEADER, reception()],
            "代表建议": rows,
        },
    )
    result = run(
        "build", str(book), "--proposals", str(folder), "--only", "proposal_register",
        "--format", "xlsx", "--out", str(tmp_path / "out"),
    )  # fmt: skip
    assert result.exit_code == 1
    assert "代表建议/修路.md 第8行 现状与问题：不能为空" in result.output
    assert "代表建议 3" in result.output and "；草稿 1 份（文件夹“代表建议”）" in result.output
    assert "拒绝：草稿 1 份（代表建议/修路.md），原因见上" in result.output.splitlines()
