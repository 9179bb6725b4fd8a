"""`liaison build`: check, then make every chosen form in every format, with a progress bar."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from ..errors import UsageError
from .app import CONTEXT, _date, _echo_lines, cli
from .text import OneOf, Whole


# Long function: one click option per argument; the body is a few lines over commands.build
@cli.command(context_settings=CONTEXT)
@click.argument("path", required=False, metavar="[台账.xlsx]", type=click.Path(path_type=Path))
@click.option(
    "--only",
    multiple=True,
    metavar="表单",
    help="只生成这些表单：英文代号或中文名称，可重复或用逗号分隔。",
)
@click.option(
    "--format",
    "formats",
    multiple=True,
    metavar="格式",
    help="只生成这些格式：docx、pdf、xlsx，可用逗号分隔。默认：表单支持的全部格式。",
)
@click.option(
    "--out",
    default="outputs",
    show_default=True,
    type=click.Path(path_type=Path),
    help="输出文件夹。",
)
@click.option("--from", "date_from", metavar="日期", help="起始日期（含），如 2024-1-1。")
@click.option("--to", "date_to", metavar="日期", help="截止日期（含），如 2024-6-30。")
@click.option("--jobs", type=Whole(1, 256), metavar="N", help="并行进程数（默认：全部 CPU 核心）。")
@click.option("--keep-going", is_flag=True, help="有问题的行被拒绝时，仍生成其余没有问题的文书。")
@click.option("--strict", is_flag=True, help="提醒也视为错误。")
@click.option(
    "--rules",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="本地规则文件（YAML）：处理方式规则、积分规则，可重复。",
)
@click.option(
    "--year",
    type=Whole(1949, 2100),
    metavar="年份",
    help="只生成这一年的文书（考核表、公示表按该年度计分）。",
)
@click.option(
    "--quarter",
    type=Whole(1, 4),
    metavar="季度",
    help="积分公示按季度：从 1 月 1 日到该季度末的累计积分（年份取 --year 或最近有记录的年份）。",
)
@click.option(
    "--copies",
    type=Whole(1, 1000),
    default=1,
    show_default=True,
    metavar="N",
    help="票决票、测评表每次会议（或每位代表）印 N 份，放在同一个文件里。",
)
@click.option(
    "--texts",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    metavar="文件夹",
    help="述职报告中代表本人的文字：每位代表一个 Markdown 文件（姓名.md 或 姓名_年份.md）。",
)
@click.option(
    "--proposals",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    metavar="文件夹",
    help="代表建议、议案草稿（Markdown，用 liaison proposal new 生成）："
    "与“代表建议”表一样检查并生成文书。",
)
@click.option(
    "--as-of",
    "as_of",
    metavar="日期",
    help="按这一天判断是否逾期（默认今天）：代表建议汇总表的答复，交办督办簿、办理反馈簿、"
    "督办单和履职档案的交办事项办理状态。",
)
@click.option(
    "--term",
    is_flag=False,
    flag_value="",
    default=None,
    metavar="届期",
    help="代表履职档案按一届生成（如 --term 2022-2026），含各年度积分和任期累计积分；"
    "只写 --term 时用规则文件的“届期”。不写时档案按年度生成。",
)
@click.option(
    "--level",
    metavar="层级",
    help="议案提交的代表大会层级（省/市/县/乡镇），用于核对联名人数；默认取领衔代表的代表层级。",
)
@click.option(
    "--combined",
    is_flag=True,
    help="另为每次会议生成一个汇编文件（PDF 和 Word）：通知、议程、签到表等依次排列，"
    "各自另起一页。",
)
@click.option(
    "--forms-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="本地表单文件夹：其中的表单优先于自带表单（也可用环境变量 LIAISON_FORMS_DIR "
    "或台账旁的 liaison.toml 指定）。",
)
@click.option(
    "--pdf-from",
    type=OneOf(["html", "docx"]),
    default="html",
    show_default=True,
    metavar="方式",
    help="PDF 的生成方式：html 按 HTML 模板生成（快）；docx 由 Word 文书经 LibreOffice 转换"
    "（只改了 Word 模板时用）。",
)
@click.option(
    "--wait",
    is_flag=True,
    help="输出文件夹正被另一次生成使用时，排队等它结束再开始（默认：说明是哪个进程在用，然后退出）。",
)
@click.option(
    "--cluster",
    metavar="地址",
    help="在 Dask 集群上生成：调度器地址（如 tcp://192.168.1.10:8786），或 local、local:N "
    '在本机启动 N 个工作进程。需先安装：pip install -e ".[cluster]"。',
)
def build(
    path: Path | None,
    only: tuple[str, ...],
    formats: tuple[str, ...],
    out: Path,
    date_from: str | None,
    date_to: str | None,
    jobs: int | None,
    keep_going: bool,
    strict: bool,
    rules: tuple[Path, ...],
    year: int | None,
    quarter: int | None,
    copies: int,
    texts: Path | None,
    proposals: Path | None,
    as_of: str | None,
    level: str | None,
    combined: bool,
    term: str | None,
    forms_dir: Path | None,
    pdf_from: str,
    wait: bool,
    cluster: str | None,
) -> None:
    """检查台账并生成文书到输出文件夹。

    有被拒绝的行时默认不生成任何文件、退出码为 1；加 --keep-going 则生成其余部分。
    同一输出文件夹同时只能有一次生成：另一次正在进行时说明是哪个进程并退出（退出码 1），
    加 --wait 则排队等候。
    不写台账文件名时用随附示例台账生成（并在开头和结尾说明）。
    """
    from ..commands.build import build as run_build
    from ..commands.doctor import subsetting_fast
    from ..commands.report import build_summary
    from ..model import BuildOptions

    start, end = _date(date_from, "--from"), _date(date_to, "--to")
    if start and end and start > end:
        raise UsageError("--from 晚于 --to", hint="请检查日期范围")
    options = BuildOptions(
        workbook=path,
        out=out,
        only=only,
        formats=formats,
        date_from=start,
        date_to=end,
        jobs=jobs,
        keep_going=keep_going,
        strict=strict,
        rules=rules,
        forms_dir=forms_dir,
        pdf_from=pdf_from,
        cluster=cluster,
        year=year,
        quarter=quarter,
        copies=copies,
        texts=texts,
        proposals=proposals,
        as_of=_date(as_of, "--as-of"),
        level=level,
        combined=combined,
        term=term,
        wait=wait,
    )
    wants_pdf = not formats or any("pdf" in f.lower() for f in formats)
    if wants_pdf and not subsetting_fast():
        click.echo(
            "【提醒】未找到 HarfBuzz 字体子集库，生成 PDF 会很慢（每页约 13 秒）。"
            "运行 liaison doctor 查看解决办法。",
            err=True,
        )
    with _progress() as progress:
        result = run_build(options, progress, notice=lambda text: click.echo(text, err=True))
    _echo_lines(build_summary(result, sample=path is None))
    if result.exit_code:
        sys.exit(result.exit_code)


class _progress:
    """A progress bar on a terminal, nothing when output goes to a file or a test."""

    def __enter__(self) -> Any:
        self.bar: Any = None
        if not sys.stderr.isatty():
            return None

        def update(done: int, total: int) -> None:
            from tqdm import tqdm

            if self.bar is None:
                self.bar = tqdm(total=total, unit="份", desc="生成", leave=False, file=sys.stderr)
            self.bar.n = done
            self.bar.refresh()

        return update

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.close()
