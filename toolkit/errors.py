"""Errors and problems, as a clerk reads them.

`ToolkitError` is raised when a run cannot go on at all (the file is not a workbook, a template is
broken); the CLI catches it once. `Problem` is a value: one thing wrong (or doubtful) with one cell
or row, collected by validation and reported all together, never raised.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"


class ToolkitError(Exception):
    """A problem that stops the run. `where` names the file/sheet/cell, `hint` says what to do."""

    exit_code = 1

    def __init__(self, message: str, *, where: str = "", hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.where = where
        self.hint = hint

    def __reduce__(self) -> tuple[object, ...]:
        # Worker processes raise these; keep where and hint across the pickle.
        return (_rebuild, (type(self), self.message, self.where, self.hint))

    def __str__(self) -> str:
        text = f"{self.where} {self.message}" if self.where else self.message
        return f"{text}（{self.hint}）" if self.hint else text


def _rebuild(cls: type[ToolkitError], message: str, where: str, hint: str) -> ToolkitError:
    return cls(message, where=where, hint=hint)


class WorkbookError(ToolkitError):
    """The input file cannot be read as a station workbook."""


class TemplateError(ToolkitError):
    """A form's template or definition is broken."""


class UsageError(ToolkitError):
    """The command was asked for something that makes no sense (unknown form, bad option)."""

    exit_code = 2


class OutputError(ToolkitError):
    """The output folder cannot be written."""


_OS_REASONS = {
    errno.ENOENT: "文件或文件夹不存在",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.EEXIST: "已有同名文件",
    errno.ENOTDIR: "路径中有一项不是文件夹",
    errno.EISDIR: "这是一个文件夹",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "磁盘只读",
    errno.ENAMETOOLONG: "文件名太长",
}


def os_reason(exc: OSError) -> str:
    """An operating-system error in words a clerk reads."""
    return _OS_REASONS.get(exc.errno or 0, exc.strerror or "无法访问")


def column_letter(index: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while index > 0:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass(frozen=True)
class Problem:
    """One problem with one cell (or row, when `column` is empty) of the workbook, or with one
    line of a text file (a draft): then `sheet` is the file and `line` its line."""

    sheet: str
    row: int
    message: str
    column: str = ""  # the header as the clerk wrote it
    col: int = 0  # 1-based column index; 0 when the problem is the whole row
    severity: str = ERROR
    hint: str = ""
    line: int = 0  # a text file's line: where reads `建议草稿/修路.md 第21行`, not `…!第21行`

    @property
    def where(self) -> str:
        if not self.sheet:
            return ""
        if self.line > 0:
            return f"{self.sheet} 第{self.line}行"
        if self.row <= 0:
            return self.sheet
        cell = f"{column_letter(self.col)}{self.row}" if self.col else f"第{self.row}行"
        return f"{self.sheet}!{cell}"

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def __str__(self) -> str:
        head = self.where
        body = f"{self.column}：{self.message}" if self.column else self.message
        text = f"{head} {body}" if head else body
        if self.hint:
            text += f"（{self.hint}）"
        if not self.is_error:
            text = "【提醒】" + text
        return text
