"""`liaison score`: the year's (or a quarter's, or a term's) ranking by the scoring rules."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .app import CONTEXT, _echo_lines, cli
from .text import Whole


@cli.command(context_settings=CONTEXT)
@click.argument("path", required=False, metavar="[台账.xlsx]", type=click.Path(path_type=Path))
@click.option(
    "--year",
    type=Whole(1949, 2100),
    metavar="年份",
    help="计分年度（默认：最近有记录的年份）。",
)
@click.option("--quarter", type=Whole(1, 4), metavar="季度", help="只计到该季度末（季度公示）。")
@click.option(
    "--rules",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="积分规则文件（YAML，默认 forms/rules/scoring.yaml）。",
)
@click.option(
    "--term",
    is_flag=False,
    flag_value="",
    default=None,
    metavar="届期",
    help="按一届计算任期累计积分（如 --term 2022-2026）：各年度总分及其和，按和排名；"
    "只写 --term 时用规则文件的“届期”。",
)
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出（供程序使用），含每项得分。")
@click.option("--keep-going", is_flag=True, help="有被拒绝的行时，仍按其余的行计分。")
def score(
    path: Path | None,
    year: int | None,
    quarter: int | None,
    rules: tuple[Path, ...],
    term: str | None,
    as_json: bool,
    keep_going: bool,
) -> None:
    """按积分规则计算每位代表的年度履职积分，列出总分、名次、等次和五星；
    加 --term 计算一届的任期累计积分。

    有被拒绝的行时默认不计分、退出码为 1（积分会不完整）；加 --keep-going 按其余的行计分。
    不写台账文件名时按随附示例台账计分（并在开头说明）。
    """
    import json

    from ..commands.report import problem_lines, rejected_line, sample_line
    from ..commands.score import (
        score_json,
        score_table,
        score_workbook,
        term_json,
        term_table,
        term_workbook,
    )
    from ..errors import UsageError

    if term is not None and (year or quarter):
        raise UsageError("--term 与 --year/--quarter 不能同时使用", hint="只用其中一种指定期间")
    if term is not None:
        data, whole = term_workbook(path, rules, term)
        lines, payload = term_table(whole), term_json(whole)
    else:
        data, board = score_workbook(path, rules, year=year, quarter=quarter)
        lines, payload = score_table(board), score_json(board)
    if path is None:  # on stderr with --json, which a program reads from stdout
        click.echo(sample_line("按", " 计分"), err=as_json)
    rejected = sum(len(rows) for rows in data.rejected.values())
    if data.problems:
        _echo_lines(problem_lines(data), err=True)
    if rejected or data.errors:
        click.echo(rejected_line(data), err=True)
        if not keep_going:
            click.echo(
                "有被拒绝的行，积分不完整，未计分。改正后重新运行，或加 --keep-going。", err=True
            )
            sys.exit(1)
    if as_json:
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        _echo_lines(lines)
    if rejected or data.errors:
        sys.exit(1)
