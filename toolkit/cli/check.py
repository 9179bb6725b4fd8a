"""`liaison check`: read and check a workbook, every problem with its cell."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .app import CONTEXT, _echo_lines, cli


@cli.command(context_settings=CONTEXT)
@click.argument("path", required=False, metavar="[台账.xlsx]", type=click.Path(path_type=Path))
@click.option(
    "--rules",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="处理方式等本地规则文件（YAML）。",
)
@click.option("--strict", is_flag=True, help="提醒也视为错误。")
def check(path: Path | None, rules: Path | None, strict: bool) -> None:
    """检查台账，逐条列出问题。无问题时退出码为 0。

    不写台账文件名时检查随附示例台账（并在开头和结尾说明）。
    """
    from ..commands.build import check as run_check
    from ..commands.report import check_summary

    data = run_check(path, rules)
    _echo_lines(check_summary(data, sample=path is None))
    if data.errors or (strict and data.warnings):
        sys.exit(1)
