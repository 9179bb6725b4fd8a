"""`liaison forms list|show|export|check`: the forms, their fields, a copy to edit, a check."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from ..errors import UsageError
from .app import CONTEXT, _echo_lines, cli


@cli.group(context_settings=CONTEXT)
def forms() -> None:
    """表单（文书种类）的查看。"""


_FORMS_DIR_OPTION = click.option(
    "--forms-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="本地表单文件夹（其中的表单优先于自带表单）。",
)


def _catalogue(forms_dir: Path | None) -> Any:
    from ..forms import catalogue, user_forms_dir

    return catalogue(user_forms_dir(forms_dir, None))


@forms.command("list", context_settings=CONTEXT)
@_FORMS_DIR_OPTION
def forms_list(forms_dir: Path | None) -> None:
    """列出全部表单：代号、中文名称、格式、所用台账工作表。"""
    from ..textwidth import table

    rows = [("代号", "名称", "格式", "工作表")]
    rows += [(f.id, f.title, "、".join(f.formats), f.sheet) for f in _catalogue(forms_dir).values()]
    _echo_lines(table(rows))


@forms.command("show", context_settings=CONTEXT)
@click.argument("form", metavar="表单")
@_FORMS_DIR_OPTION
def forms_show(form: str, forms_dir: Path | None) -> None:
    """列出表单可用的全部字段：字段名、类型、示例值（取自随附示例台账）。"""
    from ..commands.forms import form_fields
    from ..forms import select_forms
    from ..textwidth import table

    chosen = select_forms(_catalogue(forms_dir), [form])[0]
    click.echo(f"{chosen.id}（{chosen.title}）：{chosen.description}")
    click.echo(
        f"记录来自：{chosen.sheet}；格式：{'、'.join(chosen.formats)}；文件夹：{chosen.folder}"
    )
    _echo_lines(table([("字段", "类型", "示例"), *form_fields(chosen)]))


@forms.command("export", context_settings=CONTEXT)
@click.argument("form", metavar="表单")
@click.argument("target", metavar="文件夹", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="目标已存在时覆盖。")
@_FORMS_DIR_OPTION
def forms_export(form: str, target: Path, force: bool, forms_dir: Path | None) -> None:
    """把表单（定义和模板）复制到文件夹，以便在 Word/WPS 中修改；再用 --forms-dir 使用它。"""
    from ..forms import export_form, select_forms

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
    from ..commands.forms import check_forms
    from ..forms import load_forms

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
