"""The blank station workbook that `liaison init` writes (DESIGN §4).

`write_blank_workbook(path)` writes every sheet of `contract.SHEETS`, in order, behind a first
sheet 说明 (what the workbook is for and a table of every column). Each data sheet has its header
row (required columns in red, the text itself unchanged), a frozen header, the contract's column
widths, an input hint on every column, drop-down lists for enumerated columns (long lists live on
the hidden sheet `_选项`), text format for phone numbers and codes, a Chinese date format for
dates, and an A4 landscape print setup.

`save_workbook(wb, path)` is the one way this package saves a workbook it builds from scratch:
atomically (a temporary file beside the target, then `os.replace`), refusing to overwrite unless
asked, and reproducibly (fixed document and zip timestamps, so the same workbook gives the same
bytes). The sample generator uses it too.
"""

from __future__ import annotations

import dataclasses
import errno
import os
import secrets
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .. import contract
from ..contract import Column, Sheet
from ..xlsx_bytes import write_reproducibly

INTRO_SHEET = "说明"
OPTIONS_SHEET = "_选项"
DATA_ROWS = 2000  # hints, drop-downs and formats cover rows 2..DATA_ROWS
STAMP = datetime(2024, 1, 1)  # the document and zip timestamps of a blank workbook

DATE_FORMAT = 'yyyy"年"m"月"d"日"'
TIME_FORMAT = "h:mm"
TEXT_FORMAT = "@"
TEXT_NAME_MARKS = ("证号", "编号", "身份证", "电话")
ENUM_KINDS = frozenset({contract.CHOICE, contract.LEVEL})
INLINE_MAX_ITEMS = 5  # longer lists go to the hidden sheet …
INLINE_MAX_CHARS = 200  # … and so do lists whose formula would be long (Excel caps it at 255)
PROMPT_MAX = 255  # Excel's limits for a validation's prompt and error text
TITLE_MAX = 32

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
HEADER_FONT = Font(bold=True)
REQUIRED_FONT = Font(bold=True, color="C00000")
WRAP = Alignment(wrap_text=True, vertical="top")

# What a column of each kind expects, when the contract gives no hint of its own.
KIND_NOTES = {
    contract.DATE: "日期，可写 2024-3-5、2024.3.5 或 2024年3月5日",
    contract.DEADLINE: "到期日期（如 2024-4-15），或天数（如 15个工作日、30天）",
    contract.TIME: "时间，如 9:00 或 14:30",
    contract.INT: "整数（不小于0）",
    contract.NUMBER: "数字",
    contract.YEAR: "四位年份，如 2024",
    contract.PHONE: "按文本保存，原样保留所有数字",
    contract.CODE: "编号，按文本保存，原样保留",
    contract.NAME: "代表姓名；少数民族姓名保留间隔点，如 买买提·艾力",
    contract.PERSON: "一名代表的姓名，须与“代表名册”中的姓名一致",
    contract.PEOPLE: "多名代表用顿号（、）分隔，姓名须与“代表名册”一致",
    contract.STATION: "须与“联络站”表中的站点名称一致",
    contract.CHOICE: "请从下拉列表中选择",
    contract.LEVEL: "请从下拉列表中选择",
    contract.LONGTEXT: "可分行填写（Alt+Enter 换行）",
}

INTRO = (
    "本工作簿是人大代表联络站的工作台账：登记联络站、代表名册、接待选民、履职活动、代表建议、会议和测评"
    "情况。liaison 工具据此生成登记表、交办单、述职报告、会议通知、测评表等文书。",
    "每个工作表的第一行是列名（表头），请保留，不要改名或删除；列的先后可以调整，也可以在右侧加列"
    "（加的列会原样保留，模板中可以使用）。每行一条记录，空行会被跳过。",
    "红色列名为必填项。选中单元格时会显示填写提示；带下拉箭头的列请从列表中选择。",
    "日期可写成 2024-3-5、2024.3.5 或 2024年3月5日；"
    "电话、证号、编号按文本保存，不会变成科学计数法。",
    "一格中写多名代表时，姓名之间用顿号（、）分隔，如“王伟、李娜”；姓名须与“代表名册”一致，"
    "同名代表写“姓名（联络站）”或代表证号。",
)
TABLE_HEADER = ("工作表", "列名", "是否必填", "说明", "示例", "可选值")
TABLE_WIDTHS = (12, 16, 9, 48, 24, 40)


def write_blank_workbook(
    path: Path, *, overwrite: bool = False, choices: dict[str, tuple[str, ...]] | None = None
) -> None:
    """Write the blank station workbook to `path`.

    `choices` replaces a column's drop-down list by column name (the routes of a district's own
    rules file). Raises FileExistsError if `path` exists, unless `overwrite` is true.
    """
    save_workbook(build_blank_workbook(choices), Path(path), overwrite=overwrite)


def _with_choices(spec: Sheet, choices: dict[str, tuple[str, ...]]) -> Sheet:
    if not any(c.name in choices for c in spec.columns):
        return spec
    columns = tuple(
        dataclasses.replace(c, choices=choices[c.name]) if c.name in choices else c
        for c in spec.columns
    )
    return Sheet(spec.name, columns, spec.hint, spec.aliases, spec.key)


def build_blank_workbook(choices: dict[str, tuple[str, ...]] | None = None) -> Workbook:
    """The blank station workbook, in memory."""
    wb = Workbook()
    intro = wb.active
    assert intro is not None
    intro.title = INTRO_SHEET
    _fill_intro(intro)
    options = _Options()
    for spec in contract.SHEETS:
        spec = _with_choices(spec, choices or {})
        _fill_data_sheet(wb.create_sheet(spec.name), spec, options)
    options.write(wb.create_sheet(OPTIONS_SHEET))
    return wb


def describe(column: Column) -> str:
    """What to write in a column: its contract hint, or what its kind expects."""
    return column.hint or KIND_NOTES.get(column.kind, "")


def is_text_column(column: Column) -> bool:
    """Whether the column's cells are formatted as text, so Excel keeps 13812345678 as typed."""
    return column.kind in contract.TEXT_LIKE_KINDS or any(m in column.name for m in TEXT_NAME_MARKS)


def number_format(column: Column) -> str | None:
    if is_text_column(column):
        return TEXT_FORMAT
    if column.kind == contract.DATE:
        return DATE_FORMAT
    if column.kind == contract.TIME:
        return TIME_FORMAT
    return None


# ── 说明 ────────────────────────────────────────────────────────────────────────────────────


def _fill_intro(ws: Worksheet) -> None:
    last = get_column_letter(len(TABLE_HEADER))
    ws["A1"] = "人大代表联络站台账 填写说明"
    ws["A1"].font = Font(bold=True, size=16)
    ws.merge_cells(f"A1:{last}1")
    lines = [*INTRO, *(f"“{s.name}”：{s.hint}" for s in contract.SHEETS if s.hint)]
    row = 2
    for line in lines:
        ws.cell(row, 1, line).alignment = WRAP
        ws.merge_cells(f"A{row}:{last}{row}")
        ws.row_dimensions[row].height = 32
        row += 1
    row += 1
    for c, (title, width) in enumerate(zip(TABLE_HEADER, TABLE_WIDTHS, strict=True), start=1):
        cell = ws.cell(row, c, title)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        ws.column_dimensions[get_column_letter(c)].width = width
    for spec in contract.SHEETS:
        for column in spec.columns:
            row += 1
            values = (
                spec.name,
                column.name,
                "是" if column.required else "",
                describe(column),
                column.example,
                "/".join(column.choices),
            )
            for c, value in enumerate(values, start=1):
                cell = ws.cell(row, c, value or None)
                cell.alignment = WRAP
                if c == 2 and column.required:
                    cell.font = REQUIRED_FONT
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    _fit_width(ws)


# ── data sheets ─────────────────────────────────────────────────────────────────────────────


def _fill_data_sheet(ws: Worksheet, spec: Sheet, options: _Options) -> None:
    for c, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(c)
        cell = ws.cell(1, c, column.name)
        cell.font = REQUIRED_FONT if column.required else HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[letter].width = column.width
        data = f"{letter}2:{letter}{DATA_ROWS}"
        ws.add_data_validation(_validation(column, options, data))
        fmt = number_format(column)
        if fmt is not None:
            ws.column_dimensions[letter].number_format = fmt
            for (data_cell,) in ws.iter_rows(min_row=2, max_row=DATA_ROWS, min_col=c, max_col=c):
                data_cell.number_format = fmt
    ws.freeze_panes = "A2"
    ws.row_dimensions[1].height = 22
    ws.print_title_rows = "1:1"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    _fit_width(ws)


def _validation(column: Column, options: _Options, sqref: str) -> DataValidation:
    """The column's input hint, with its drop-down list when the column is enumerated."""
    title = column.name + ("（必填）" if column.required else "")
    prompt = ("必填。" if column.required else "选填。") + describe(column)
    if column.example:
        prompt += f"\n示例：{column.example}"
    kwargs: dict[str, Any] = {}
    if column.kind in ENUM_KINDS and column.choices:
        choices = "/".join(column.choices)
        # A warning, not a stop: clerks may write a known variant (省级, 区) that reading accepts.
        kwargs = dict(
            type="list",
            formula1=options.formula(column),
            showErrorMessage=True,
            errorStyle="warning",
            errorTitle="不在可选范围内",
            error=_clip(f"“{column.name}”可选：{choices}。确需填写其他值请点“是”。"),
        )
    dv = DataValidation(
        allow_blank=True,
        showInputMessage=True,
        promptTitle=_clip(title, TITLE_MAX),
        prompt=_clip(prompt),
        **kwargs,
    )
    dv.add(sqref)
    return dv


def _clip(text: str, limit: int = PROMPT_MAX) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _fit_width(ws: Worksheet) -> None:
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0


class _Options:
    """Drop-down lists: short ones inline, long ones as ranges on the hidden sheet `_选项`."""

    def __init__(self) -> None:
        self.lists: dict[tuple[str, ...], tuple[int, str]] = {}  # choices → (column, title)

    def formula(self, column: Column) -> str:
        choices = column.choices
        inline = ",".join(choices)
        if len(choices) <= INLINE_MAX_ITEMS and len(inline) <= INLINE_MAX_CHARS:
            return f'"{inline}"'
        if choices not in self.lists:
            self.lists[choices] = (len(self.lists) + 1, column.name)
        index, _ = self.lists[choices]
        letter = get_column_letter(index)
        return f"{quote_sheetname(OPTIONS_SHEET)}!${letter}$2:${letter}${len(choices) + 1}"

    def write(self, ws: Worksheet) -> None:
        for choices, (index, title) in self.lists.items():
            ws.cell(1, index, title).font = HEADER_FONT
            for r, choice in enumerate(choices, start=2):
                ws.cell(r, index, choice)
            ws.column_dimensions[get_column_letter(index)].width = 18
        ws.sheet_state = "hidden"


# ── saving ──────────────────────────────────────────────────────────────────────────────────


def save_workbook(
    wb: Workbook, path: Path, *, overwrite: bool = False, stamp: datetime = STAMP
) -> None:
    """Save `wb` to `path` atomically and reproducibly (see the module docstring).

    Raises FileExistsError when `path` exists and `overwrite` is false. Works for write-only
    workbooks too (each can be saved once).
    """
    path = Path(path)
    if path.exists() and not overwrite:
        raise FileExistsError(errno.EEXIST, "文件已存在", str(path))
    wb.properties.creator = "liaison"
    wb.properties.created = stamp
    wb.properties.modified = stamp
    tmp = path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp"
    # os.open with 0o666 lets the umask decide the final file's mode (mkstemp would give 0o600).
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as stream:
            write_reproducibly(wb, stream, stamp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
