"""The `liaison` command: thin click wrappers over the library (only this module and cli_text.py,
which words click's help and errors in Chinese, import click).

Each command parses its options, calls one library function and prints the Chinese summary.
`ToolkitError` is caught once in `main`: exit 1 for data problems, 2 for usage; anything else is
reported in one line without a traceback (set LIAISON_DEBUG=1 to see it).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import Any

import click

from . import __version__, cli_text
from .cli_text import OneOf, Whole
from .errors import OutputError, ToolkitError, UsageError, os_reason

cli_text.install()  # before the commands below are defined: click words some parts then

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
    from .values import ValueProblem, parse_date

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
    from .commands.init import write_blank_workbook
    from .rules import load_rules

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
    from .commands.sample import make_sample

    _new_workbook_path(path, force)
    try:
        counts = make_sample(
            path, stations=stations, deputies=deputies, receptions=receptions, year=year, seed=seed
        )
    except OSError as exc:
        raise OutputError(f"无法写入“{path}”：{os_reason(exc)}") from None
    detail = "、".join(f"{sheet} {n}" for sheet, n in counts.items())
    click.echo(f"已生成示例台账：{path}（{detail}）")


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
    from .build import check as run_check
    from .commands.report import check_summary

    data = run_check(path, rules)
    _echo_lines(check_summary(data, sample=path is None))
    if data.errors or (strict and data.warnings):
        sys.exit(1)


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
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出（供程序使用），含每项得分。")
@click.option("--keep-going", is_flag=True, help="有被拒绝的行时，仍按其余的行计分。")
def score(
    path: Path | None,
    year: int | None,
    quarter: int | None,
    rules: tuple[Path, ...],
    as_json: bool,
    keep_going: bool,
) -> None:
    """按积分规则计算每位代表的年度履职积分，列出总分、名次、等次和五星。

    有被拒绝的行时默认不计分、退出码为 1（积分会不完整）；加 --keep-going 按其余的行计分。
    不写台账文件名时按随附示例台账计分（并在开头说明）。
    """
    import json

    from .commands.report import problem_lines, rejected_line, sample_line
    from .commands.score import score_json, score_table, score_workbook

    data, board = score_workbook(path, rules, year=year, quarter=quarter)
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
        click.echo(json.dumps(score_json(board), ensure_ascii=False, indent=2))
    else:
        _echo_lines(score_table(board))
    if rejected or data.errors:
        sys.exit(1)


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
    help="代表建议汇总表按这一天判断是否逾期答复（默认今天）。",
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
    forms_dir: Path | None,
    pdf_from: str,
) -> None:
    """检查台账并生成文书到输出文件夹。

    有被拒绝的行时默认不生成任何文件、退出码为 1；加 --keep-going 则生成其余部分。
    不写台账文件名时用随附示例台账生成（并在开头和结尾说明）。
    """
    from .build import BuildOptions
    from .build import build as run_build
    from .commands.doctor import subsetting_fast
    from .commands.report import build_summary

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
        year=year,
        quarter=quarter,
        copies=copies,
        texts=texts,
        proposals=proposals,
        as_of=_date(as_of, "--as-of"),
        level=level,
        combined=combined,
    )
    wants_pdf = not formats or any("pdf" in f.lower() for f in formats)
    if wants_pdf and not subsetting_fast():
        click.echo(
            "【提醒】未找到 HarfBuzz 字体子集库，生成 PDF 会很慢（每页约 13 秒）。"
            "运行 liaison doctor 查看解决办法。",
            err=True,
        )
    with _progress() as progress:
        result = run_build(options, progress)
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


@cli.command(context_settings=CONTEXT)
@click.option(
    "--out",
    default="outputs",
    show_default=True,
    type=click.Path(path_type=Path),
    help="要检查写入权限的输出文件夹。",
)
def doctor(out: Path) -> None:
    """检查本机环境：Python 和依赖库版本、Pango、HarfBuzz 字体子集、随附字体、输出文件夹。"""
    from .commands.doctor import run_checks

    checks = run_checks(out)
    _echo_lines([str(c) for c in checks])
    failed = [c for c in checks if not c.ok]
    click.echo("环境正常。" if not failed else f"有 {len(failed)} 项需要处理。")
    if failed:
        sys.exit(1)


@cli.command(context_settings=CONTEXT)
@click.option(
    "--port",
    type=Whole(0, 65535),
    default=0,
    metavar="端口",
    help="端口（默认：自动选一个空闲端口）。",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    metavar="地址",
    help="监听地址。只在本机使用时不要改；改为其他地址时，同一网络的电脑也能打开（会给出提醒）。",
)
@click.option("--no-browser", is_flag=True, help="不自动打开浏览器。")
@click.option(
    "--max-upload",
    type=Whole(1, 4096),
    default=50,
    show_default=True,
    metavar="大小",
    help="上传文件的大小上限，单位为兆字节。",
)
def serve(port: int, host: str, no_browser: bool, max_upload: int) -> None:
    """在浏览器中使用：启动本机网页，选择台账、查看检查结果、生成并下载文书，起草建议议案，
    查看履职积分。默认只有本机能打开；启动后，窗口中写明网页地址和停止的方法。"""
    from .web import serve as run

    run(
        host,
        port,
        open_browser=not no_browser,
        max_upload=max_upload * 1024 * 1024,
        echo=click.echo,
    )


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
    from .commands.proposal import write_new_draft

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
    from .commands.proposal import check_drafts
    from .commands.report import check_summary, roster_line

    data = check_drafts(folder, workbook, level)
    if workbook is None:
        click.echo(roster_line())
    _echo_lines(check_summary(data, by_place=True))
    if data.errors or (strict and data.warnings):
        sys.exit(1)


@cli.group(context_settings=CONTEXT)
def forms() -> None:
    """表单（文书种类）的查看。"""


_FORMS_DIR_OPTION = click.option(
    "--forms-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="本地表单文件夹（其中的表单优先于自带表单）。",
)


def _catalogue(forms_dir: Path | None) -> Any:
    from .forms import catalogue, user_forms_dir

    return catalogue(user_forms_dir(forms_dir, None))


@forms.command("list", context_settings=CONTEXT)
@_FORMS_DIR_OPTION
def forms_list(forms_dir: Path | None) -> None:
    """列出全部表单：代号、中文名称、格式、所用台账工作表。"""
    from .textwidth import table

    rows = [("代号", "名称", "格式", "工作表")]
    rows += [(f.id, f.title, "、".join(f.formats), f.sheet) for f in _catalogue(forms_dir).values()]
    _echo_lines(table(rows))


@forms.command("show", context_settings=CONTEXT)
@click.argument("form", metavar="表单")
@_FORMS_DIR_OPTION
def forms_show(form: str, forms_dir: Path | None) -> None:
    """列出表单可用的全部字段：字段名、类型、示例值（取自随附示例台账）。"""

    from .build import check
    from .derive.planners import plan
    from .forms import describe_fields, select_forms
    from .model import PlanEnv
    from .rules import load_rules
    from .textwidth import table

    chosen = select_forms(_catalogue(forms_dir), [form])[0]
    click.echo(f"{chosen.id}（{chosen.title}）：{chosen.description}")
    click.echo(
        f"记录来自：{chosen.sheet}；格式：{'、'.join(chosen.formats)}；文件夹：{chosen.folder}"
    )
    data = check(None, pdf=False)
    doc = next(plan(chosen, data, PlanEnv(load_rules())), None)
    if doc is None:
        raise UsageError("示例台账中没有这个表单的记录，无法列出字段")
    rows = [("字段", "类型", "示例")]
    rows += [
        (f"{{{{ {name} }}}}", kind, example) for name, kind, example in describe_fields(doc.context)
    ]
    _echo_lines(table(rows))


@forms.command("export", context_settings=CONTEXT)
@click.argument("form", metavar="表单")
@click.argument("target", metavar="文件夹", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="目标已存在时覆盖。")
@_FORMS_DIR_OPTION
def forms_export(form: str, target: Path, force: bool, forms_dir: Path | None) -> None:
    """把表单（定义和模板）复制到文件夹，以便在 Word/WPS 中修改；再用 --forms-dir 使用它。"""
    from .forms import export_form, select_forms

    chosen = select_forms(_catalogue(forms_dir), [form])[0]
    destination = export_form(chosen, target, overwrite=force)
    click.echo(f"已复制到：{destination}")
    click.echo(f"修改后运行：liaison build 台账.xlsx --forms-dir {target}")


@forms.command("check", context_settings=CONTEXT)
@click.argument(
    "folder",
    required=False,
    metavar="[文件夹]",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
)
def forms_check(folder: Path | None) -> None:
    """检查模板：语法错误（指出模板和段落）、不存在的字段（给出最接近的字段名）、未用到的必填列、
    Word 与 PDF 模板字段不一致。不写文件夹时检查自带表单。"""
    from .commands.forms import check_forms
    from .forms import load_forms

    chosen = list(load_forms(folder).values()) if folder else list(_catalogue(None).values())
    if not chosen:
        raise UsageError(f"“{folder}”中没有表单（每个表单是一个含 form.yaml 的文件夹）")
    findings = check_forms(chosen)
    _echo_lines([str(f) for f in findings])
    errors = [f for f in findings if f.severity == "error"]
    click.echo(
        f"检查了 {len(chosen)} 个表单：{len(errors)} 个错误，{len(findings) - len(errors)} 条提醒。"
    )
    if errors:
        sys.exit(1)


def main(argv: list[str] | None = None) -> None:
    cli.main(args=argv)


if __name__ == "__main__":
    main()
