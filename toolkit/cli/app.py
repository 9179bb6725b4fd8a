"""The `liaison` group: how every command reports an error (exit 1 for data problems, 2 for
usage, 3 with one line and no traceback for anything else; LIAISON_DEBUG=1 shows it), and the
small helpers the commands share. The commands are the modules beside this one, each a few
lines over a library call; only cli/ imports click (and web/ its framework).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import Any

import click

from .. import __version__
from ..errors import ToolkitError, UsageError
from . import text as cli_text

cli_text.install()  # before the commands are defined: click words some parts then

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class LiaisonGroup(cli_text.Group):
    """Catches our errors once, for the installed command and for CliRunner alike."""

    def main(
        self,
        args: Any = None,
        prog_name: str | None = None,
        complete_var: Any = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        try:
            code = super().main(
                args=args,
                prog_name="liaison",  # also under CliRunner, whose default is the function name
                complete_var=complete_var,
                standalone_mode=False,
                **extra,
            )
        except (click.exceptions.Abort, KeyboardInterrupt):
            # click turns Ctrl-C into Abort; finished files are complete and recorded.
            click.echo("已中断。已写完的文件完好；重新运行会补齐其余文件。", err=True)
            code = 130
        except click.ClickException as exc:
            cli_text.show_error(exc)
            code = exc.exit_code
        except ToolkitError as exc:
            click.echo(f"错误：{exc}", err=True)
            code = exc.exit_code
        except Exception as exc:  # the last line of defence: never a traceback for a clerk
            if os.environ.get("LIAISON_DEBUG"):
                raise
            click.echo(
                f"程序内部错误（{type(exc).__name__}：{exc}）。请把这条信息和所用台账发给"
                "维护人员；设置环境变量 LIAISON_DEBUG=1 可查看详细信息。",
                err=True,
            )
            code = 3
        sys.exit(code if isinstance(code, int) else 0)


def _echo_lines(lines: list[str], err: bool = False) -> None:
    for line in lines:
        click.echo(line, err=err)


def _new_workbook_path(path: Path, force: bool) -> None:
    """A path `init`/`sample` may write: .xlsx, in a folder that exists, not clobbering."""
    if path.suffix.lower() != ".xlsx":
        raise UsageError(f"“{path.name}”的扩展名应为 .xlsx", hint=f"例如：{path.stem}.xlsx")
    if not path.parent.is_dir():
        raise UsageError(f"文件夹“{path.parent}”不存在", hint="请先建好文件夹，或换一个位置")
    if path.exists() and not force:
        raise UsageError(f"文件“{path}”已存在", hint="如需覆盖请加 --force")


def _date(value: str | None, option: str) -> dt.date | None:
    if not value:
        return None
    from ..values import ValueProblem, parse_date

    try:
        return parse_date(value)
    except ValueProblem as problem:
        raise UsageError(f"{option} {problem.message}", hint=problem.hint) from None


@click.group(cls=LiaisonGroup, context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="liaison")
def cli() -> None:
    """人大代表联络站文书工具：从台账工作簿生成接待登记、述职报告、考核表、建议议案、会议文书等
    Word/PDF/Excel 文书。

    \b
    常用：
      liaison init 台账.xlsx        生成空白台账
      liaison check 台账.xlsx       检查台账
      liaison build 台账.xlsx       生成全部文书到 outputs/
      liaison score 台账.xlsx       年度履职积分排名
      liaison proposal new 草稿.md  起草代表建议或议案
      liaison doctor                检查本机环境
    """
