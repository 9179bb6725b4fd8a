"""Validation: raw sheets → typed records, plus every problem of every row, as values.

`validate(workbook)` never raises for bad data. Each `Record` keeps its sheet, row and a hash of
its input cells; each `Problem` names the sheet, row and column as the clerk sees them. A row with
any error is rejected whole (it appears in `Dataset.rejected`), so no document is made from a
half-understood row; warnings (a removed control character, a doubtful date order) keep the row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable
from typing import Any

from .. import contract, values
from ..errors import ERROR, WARNING, Problem
from ..model import Dataset, Record
from ..names import Roster, Stations
from ..read import NoValue, RawRow, RawSheet, Workbook
from ..records import Records
from ..rules import Rules
from .duty import check_duty
from .meetings import check_meetings
from .schedule import check_reception_days

Parser = Callable[[Any], Any]
_SIMPLE: dict[str, Parser] = {
    contract.TEXT: values.parse_text,
    contract.NAME: values.parse_text,
    contract.LONGTEXT: values.parse_longtext,
    contract.DATE: values.parse_date,
    contract.DEADLINE: values.parse_deadline,
    contract.TIME: values.parse_time,
    contract.INT: values.parse_int,
    contract.NUMBER: values.parse_number,
    contract.PHONE: values.parse_phone,
    contract.CODE: values.parse_code,
    contract.LEVEL: values.parse_level,
    contract.YEAR: values.parse_year,
}
_ID_HEADERS = ("身份证", "证件号", "证号", "编号", "电话", "手机")


def row_digest(raw: RawRow, headers: dict[int, str]) -> str:
    cells = {
        headers.get(c, str(c)): values.cell_text(v) if not isinstance(v, dt.date) else v.isoformat()
        for c, v in sorted(raw.cells.items())
    }
    # surrogatepass: the digest is of the cells as read, whatever they hold; a half character
    # is reported at its cell, never a crash here.
    return hashlib.sha256(
        json.dumps(cells, ensure_ascii=False, sort_keys=True).encode("utf-8", "surrogatepass")
    ).hexdigest()


FORMULA_HINT = (
    "请在 Excel 或 WPS 中打开台账并保存一次（公式会算出结果），或把该单元格改为直接填写的内容"
)


class _RowCheck:
    """Collects one row's problems while its cells are typed."""

    def __init__(self, sheet: RawSheet, raw: RawRow, problems: list[Problem]) -> None:
        self.sheet, self.raw, self.problems = sheet, raw, problems
        self.failed = False

    def add(
        self, col: int, header: str, message: str, hint: str = "", severity: str = ERROR
    ) -> None:
        self.problems.append(
            Problem(self.sheet.title, self.raw.row, message, header, col, severity, hint)
        )
        if severity == ERROR:
            self.failed = True

    def clean(self, col: int, header: str, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        if values.broken_characters(value):
            # Half of an emoji: the text is damaged, not merely unprintable. The row is
            # rejected; the rest of the sheet goes on.
            self.add(
                col,
                header,
                "含有不完整的字符（如被截断的表情符号），无法打印",
                "请删除该处乱码，或重新输入完整的内容",
            )
        # The reader has already decoded Excel's _xHHHH_ escapes; decoding again would turn a
        # literal "_x000B_" the clerk typed (stored as _x005F_x000B_) into a control character.
        text, removed = values.strip_controls(value)
        if removed and not values.broken_characters(value):
            self.add(col, header, "含有无法打印的控制字符，已删除", severity=WARNING)
        return text

    def no_value(self, col: int, header: str, value: NoValue, required: bool) -> None:
        """A cell that shows something in Excel but gives no value: a formula never
        calculated, or an error value such as #N/A. An error where the text would be lost (a
        formula in a column of the contract) or where the column is required; otherwise a
        warning, and the cell is read as blank."""
        if not value.error:
            what, hint = "是公式，但文件中没有保存计算结果，读不到内容", FORMULA_HINT
        else:
            what = f"公式出错，显示为“{value.error}”，读不到内容"
            hint = "请在 Excel/WPS 中改正公式，或直接填写内容"
        severity = ERROR if required else WARNING
        self.add(col, header, what + ("" if required else "，按空白处理"), hint, severity)


def validate(book: Workbook, rules: Rules) -> Dataset:
    """Every sheet's rows typed and checked; the workbook is closed after, even when a sheet
    turns out damaged halfway through (its rows are read as they are checked)."""
    try:
        return _validate(book, rules)
    finally:
        book.close()


# Long function: the checks of the whole workbook in the order their messages are reported
def _validate(book: Workbook, rules: Rules) -> Dataset:
    data = Dataset(problems=list(book.problems))
    station_sheet = book.sheets.get("联络站")
    if station_sheet is not None:
        _validate_sheet(station_sheet, data, rules)
        names = [r["站点名称"] for r in data.rows("联络站")]
        _check_unique(data, "联络站", "站点名称", lambda v: values.normalise_name(v))
        data.stations = Stations(names)
    elif any(n != "联络站" for n in book.sheets):
        data.problems.append(
            Problem(
                "联络站",
                0,
                "工作簿中没有“联络站”表，无法核对联络站名称",
                severity=WARNING,
                hint="建议补上“联络站”表",
            )
        )
    roster_sheet = book.sheets.get("代表名册")
    data.has_roster = roster_sheet is not None
    if roster_sheet is not None:
        _validate_sheet(roster_sheet, data, rules)
        _check_unique(data, "代表名册", "代表证号", lambda v: v.upper())
        deputies = Roster.displays(
            [
                (r["姓名"], r["代表证号"] or "", r["代表层级"], r["所属联络站"], r.row)
                for r in data.rows("代表名册")
            ]
        )
        clashes = Roster.ambiguous(deputies)
        for later, earlier in clashes:
            record = next(r for r in data.rows("代表名册") if r.row == later.row)
            data.problems.append(
                Problem(
                    record.title,
                    later.row,
                    f"“{later.name}”与第{earlier.row}行同名且同属{later.station}，无法区分",
                    "姓名",
                    record.cols.get("姓名", 0),
                    hint="请为两人都填写代表证号",
                )
            )
            data.rejected.setdefault("代表名册", []).append(later.row)
        bad_rows = {later.row for later, _ in clashes}
        if bad_rows:
            data.set_rows("代表名册", [r for r in data.rows("代表名册") if r.row not in bad_rows])
            deputies = [d for d in deputies if d.row not in bad_rows]
        data.roster = Roster(deputies)
        data.roster.rejected = data.rejected_names
    elif any(
        s.spec.columns and any(c.kind in (contract.PERSON, contract.PEOPLE) for c in s.spec.columns)
        for s in book.sheets.values()
    ):
        data.problems.append(
            Problem(
                "代表名册",
                0,
                "工作簿中没有“代表名册”表，无法核对代表姓名",
                hint="请补上“代表名册”表，可用 liaison init 生成空白台账对照",
            )
        )
    for spec in contract.SHEETS:
        if spec.name in ("联络站", "代表名册") or spec.name not in book.sheets:
            continue
        _validate_sheet(book.sheets[spec.name], data, rules)
    _check_unique(data, "接待登记", "登记编号", lambda v: v.upper())
    check_meetings(data)  # the families' cross-row checks, on the records made above
    check_duty(data)
    check_reception_days(data)
    return data


_UNIQUE = {"联络站": "站点名称", "代表名册": "代表证号", "接待登记": "登记编号"}


def _check_unique(data: Dataset, sheet: str, column: str, key: Callable[[Any], Any]) -> None:
    """A value seen on an earlier row — even one rejected for another reason — is a duplicate,
    so fixing that row's other problem does not reveal a new one on the next run."""
    earliest = {key(v): row for v, row in reversed(data.unique_values.get(sheet, []))}
    keep = Records()
    for record in data.rows(sheet):
        value = record[column]
        if value in (None, "") or earliest.get(key(value), record.row) >= record.row:
            keep.append(record)
            continue
        first = Record(sheet, record.title, earliest[key(value)], {}, {}, "")
        col = record.cols.get(column, 0)
        data.problems.append(
            Problem(
                record.title,
                record.row,
                f"“{value}” 与第{first.row}行重复",
                column,
                col,
                hint="编号和名称不能重复",
            )
        )
        data.rejected.setdefault(sheet, []).append(record.row)
    if sheet in data.records:
        data.set_rows(sheet, keep)


# Long function: one sheet's rows checked cell by cell, each problem named at its cell
def _validate_sheet(sheet: RawSheet, data: Dataset, rules: Rules) -> None:
    spec = sheet.spec
    good = Records()
    rejected: list[int] = []
    # Without a required column no row can be understood; the reader has said so once already.
    missing = [c for c in spec.required if c not in sheet.columns.values()]
    count = 0
    # One column map per sheet, shared by its records; blanks are simply absent from a
    # record's values (Record.__getitem__ gives None), so 20,000 records stay small.
    cols = {column.name: index for index, column in sheet.columns.items()}
    for raw in sheet.rows:
        count += 1
        if missing:
            rejected.append(raw.row)
            continue
        check = _RowCheck(sheet, raw, data.problems)
        typed: dict[str, Any] = {}
        for col_index, column in sheet.columns.items():
            header = sheet.headers[col_index]
            value = raw.cells.get(col_index)
            if type(value) is NoValue:
                # A formula with no result loses text the clerk sees: required here too.
                check.no_value(col_index, header, value, column.required or not value.error)
                typed[column.name] = None
                continue
            if value is None:
                typed[column.name] = None
                if column.required:
                    check.add(col_index, header, "不能为空")
                continue
            value = check.clean(col_index, header, value)
            typed[column.name] = _typed(column, value, check, col_index, header, data, rules)
        typed = {name: value for name, value in typed.items() if value is not None}
        extra: dict[str, str] = {}
        for col_index, header in sheet.extras.items():
            value = raw.cells.get(col_index)
            if type(value) is NoValue:
                # A column of the clerk's own: no document needs it unless a form of theirs
                # prints it, so a warning.
                check.no_value(col_index, header, value, required=False)
                continue
            if value is not None:
                extra[header] = _extra_text(
                    check.clean(col_index, header, value), header, check, col_index
                )
        _cross_checks(spec.name, typed, cols, check, sheet, rules)
        unique = _UNIQUE.get(spec.name)
        if unique and typed.get(unique) not in (None, ""):
            data.unique_values.setdefault(spec.name, []).append((typed[unique], raw.row))
        if check.failed:
            rejected.append(raw.row)
            if spec.name == "代表名册" and isinstance(typed.get("姓名"), str):
                data.rejected_names[values.normalise_name(typed["姓名"])] = raw.row
            continue
        good.append(
            Record(
                spec.name, sheet.title, raw.row, typed, extra, row_digest(raw, sheet.headers), cols
            )
        )
    data.set_rows(spec.name, good)
    data.rejected[spec.name] = rejected
    data.read[spec.name] = count


def _extra_text(value: Any, header: str, check: _RowCheck, col: int) -> str:
    if any(word in header for word in _ID_HEADERS) and isinstance(value, int | float):
        try:
            return values.parse_code(value)
        except values.ValueProblem as problem:
            check.add(col, header, problem.message, problem.hint)
            return ""
    if isinstance(value, dt.datetime | dt.date):
        date = value.date() if isinstance(value, dt.datetime) else value
        return f"{date.year}年{date.month}月{date.day}日"
    return values.parse_longtext(value)


def _typed(
    column: contract.Column,
    value: Any,
    check: _RowCheck,
    col: int,
    header: str,
    data: Dataset,
    rules: Rules,
) -> Any:
    try:
        if column.kind == contract.CHOICE:
            choices = rules.choices.get(column.name, column.choices)
            return values.parse_choice(value, choices)
        if column.kind == contract.STATION:
            return data.stations.resolve(values.parse_text(value))
        if (
            column.kind in (contract.PERSON, contract.PEOPLE)
            and not data.roster.deputies
            and not data.has_roster
        ):
            # No 代表名册 at all: said once for the workbook; the names are kept as typed.
            names = [
                values.normalise_name(n) for n in values.split_name_pieces(values.parse_text(value))
            ]
            return names[0] if column.kind == contract.PERSON else tuple(names)
        if column.kind == contract.PERSON:
            return data.roster.resolve_one(values.parse_text(value)).display
        if column.kind == contract.PEOPLE:
            deputies, problems = data.roster.resolve_many(values.parse_text(value))
            for problem in problems:
                check.add(col, header, problem.message, problem.hint)
            return tuple(d.display for d in deputies)
        typed = _SIMPLE[column.kind](value)
        if (
            column.kind == contract.PHONE
            and isinstance(value, int | float)
            and not re.fullmatch(r"1\d{10}", typed)
        ):
            check.add(
                col,
                header,
                f"“{typed}” 以数字形式保存，开头的 0 可能已丢失",
                "请把该列设为“文本”格式，按原样输入（如 0571-86001234）",
                severity=WARNING,
            )
        return typed
    except values.ValueProblem as problem:
        check.add(col, header, problem.message, problem.hint)
        return None


def _cross_checks(
    sheet: str,
    typed: dict[str, Any],
    cols: dict[str, int],
    check: _RowCheck,
    raw_sheet: RawSheet,
    rules: Rules,
) -> None:
    """Rules between cells of one row."""
    if sheet != "接待登记":
        return
    received = typed.get("接待日期")

    def col(name: str) -> tuple[int, str]:
        index = cols.get(name, 0)
        return index, raw_sheet.headers.get(index, name)

    for name in ("办理时限", "反馈日期"):
        date = typed.get(name)
        # 办理时限 may be a number of days (values.Days), which is never “before” anything
        if received and isinstance(date, dt.date) and date < received:
            check.add(
                *col(name),
                f"{date.year}年{date.month}月{date.day}日 早于接待日期",
                "请核对日期",
                severity=WARNING,
            )
    route = typed.get("处理方式")
    if route in rules.handed_on and not typed.get("承办单位"):
        check.add(
            *col("处理方式"),
            f"处理方式为“{route}”，但“承办单位”为空",
            "交办单上的承办单位将留空待填",
            severity=WARNING,
        )
