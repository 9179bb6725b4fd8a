"""`liaison proposal new` and `liaison proposal check`: drafts of 建议 and 议案."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .app import CONTEXT, _echo_lines, cli
from .text import OneOf


@cli.group(context_settings=CONTEXT)
def proposal() -> None:
    """代表建议、议案草稿：生成草稿模板、检查草稿。"""


@proposal.command("new", context_settings=CONTEXT)
@click.argument("path", metavar="文件.md", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--type",
    "kind",
    type=OneOf(["建议", "议案"]),
    default="建议",
    show_default=True,
    metavar="类别",
    help="草稿类别。",
)
@click.option("--lead", metavar="姓名", help="领衔代表（须在代表名册中）。")
@click.option(
    "--from-reception",
    "reception",
    metavar="登记编号",
    help="由这条接待登记起草：预填现状与问题、建议标题，并注明接待日期和联络站。",
)
@click.option(
    "--workbook",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    metavar="台账.xlsx",
    help="查找领衔代表和接待登记的台账（默认：随附示例台账）。",
)
@click.option("--force", is_flag=True, help="文件已存在时覆盖。")
def proposal_new(
    path: Path,
    kind: str,
    lead: str | None,
    reception: str | None,
    workbook: Path | None,
    force: bool,
) -> None:
    """生成一份代表建议或议案草稿（Markdown）：开头填标题、领衔代表等，下面按提示写各部分。"""
    from ..commands.proposal import write_new_draft

    written = write_new_draft(
        path, kind, lead=lead, reception=reception, workbook=workbook, overwrite=force
    )
    click.echo(f"已生成{kind}草稿：{written}")
    click.echo(f"填写后运行：liaison build 台账.xlsx --proposals {written.parent}")


@proposal.command("check", context_settings=CONTEXT)
@click.argument(
    "folder", metavar="文件夹", type=click.Path(exists=True, file_okay=False, path_type=Path)
)
@click.option(
    "--workbook",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    metavar="台账.xlsx",
    help="代表名册所在的台账（默认：随附示例台账）。",
)
@click.option("--level", metavar="层级", help="议案提交的代表大会层级（省/市/县/乡镇）。")
@click.option("--strict", is_flag=True, help="提醒也视为错误。")
def proposal_check(folder: Path, workbook: Path | None, level: str | None, strict: bool) -> None:
    """检查文件夹中的建议、议案草稿，按文件名、行号逐条列出问题。"""
    from ..commands.proposal import check_drafts
    from ..commands.report import check_summary, roster_line

    data = check_drafts(folder, workbook, level)
    if workbook is None:
        click.echo(roster_line())
    _echo_lines(check_summary(data, by_place=True))
    if data.errors or (strict and data.warnings):
        sys.exit(1)
