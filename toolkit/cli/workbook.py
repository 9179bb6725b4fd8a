"""`liaison init` and `liaison sample`: a blank station workbook, or a realistic sample."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import OutputError, os_reason
from .app import CONTEXT, _new_workbook_path, cli
from .text import Whole


@cli.command(context_settings=CONTEXT)
@click.argument("path", metavar="台账.xlsx", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="文件已存在时覆盖。")
@click.option(
    "--rules",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="本地规则文件（YAML）：“处理方式”下拉选项按它生成。",
)
def init(path: Path, force: bool, rules: Path | None) -> None:
    """生成空白台账工作簿：全部工作表和列、填写说明、下拉选项。"""
    from ..commands.init import write_blank_workbook
    from ..rules import load_rules

    choices = load_rules(rules).choices if rules else None
    _new_workbook_path(path, force)
    try:
        write_blank_workbook(path, overwrite=force, choices=choices)
    except OSError as exc:
        raise OutputError(f"无法写入“{path}”：{os_reason(exc)}") from None
    click.echo(f"已生成空白台账：{path}")


@cli.command(context_settings=CONTEXT)
@click.argument("path", metavar="台账.xlsx", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--stations",
    default=3,
    show_default=True,
    type=Whole(1, 2000),
    metavar="N",
    help="联络站数量。",
)
@click.option("--deputies", type=Whole(1), metavar="N", help="代表人数（默认每站约 12 名）。")
@click.option("--receptions", type=Whole(0), metavar="N", help="接待登记条数（默认每站约 40 条）。")
@click.option(
    "--year",
    default=2024,
    show_default=True,
    type=Whole(1990, 2100),
    metavar="年份",
    help="年度。",
)
@click.option(
    "--seed",
    default=1,
    show_default=True,
    type=Whole(),
    metavar="N",
    help="随机种子：相同种子生成相同文件。",
)
@click.option("--force", is_flag=True, help="文件已存在时覆盖。")
def sample(
    path: Path,
    stations: int,
    deputies: int | None,
    receptions: int | None,
    year: int,
    seed: int,
    force: bool,
) -> None:
    """生成示例台账（内容虚构但贴近实际，可用于试用和测试）。"""
    from ..commands.sample import make_sample

    _new_workbook_path(path, force)
    try:
        counts = make_sample(
            path, stations=stations, deputies=deputies, receptions=receptions, year=year, seed=seed
        )
    except OSError as exc:
        raise OutputError(f"无法写入“{path}”：{os_reason(exc)}") from None
    detail = "、".join(f"{sheet} {n}" for sheet, n in counts.items())
    click.echo(f"已生成示例台账：{path}（{detail}）")
