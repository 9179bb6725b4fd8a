"""What the page shows, made from the library's values: the Jinja environment of the page's own
templates (autoescaped: a cell's `<b>` or `{{ x }}` is shown as typed, never run), and the
small views the templates loop over — problems by severity, forms by family, files by folder,
scores with their items. No rule of the toolkit is decided here; only the wording of the page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from toolkit import Problem

HERE = Path(__file__).resolve().parent

FAMILIES = {  # a form's family, as a clerk names that part of the work
    "reception": "接待选民",
    "proposals": "建议和议案",
    "duty": "代表述职",
    "evaluation": "履职积分与考核",
    "meetings": "会议文书",
    "books": "登记簿册",
    "statistics": "工作统计",
    "plan": "接待安排",
}
FORMAT_LABELS = {"docx": "Word（.docx）", "pdf": "PDF", "xlsx": "Excel（.xlsx）"}
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
RULES_SUFFIXES = (".yaml", ".yml")
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10))}
_WINDOWS_RESERVED |= {f"LPT{i}" for i in range(10)}


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["size"] = human_size
    return env


def human_size(n: int) -> str:
    if n < 1024:
        return f"{n} 字节"
    if n < 1024 * 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n / (1024 * 1024):.1f} MB"


def upload_name(raw: str, suffixes: tuple[str, ...]) -> str | None:
    """The name to save an upload under, from the name the clerk's computer gave it: its last
    part only, without characters no file system takes; None when the type is not one of
    `suffixes`. The file lands in the session's own folder whatever the name."""
    name = raw.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '<>:"|?*')
    name = name.strip(" .")[:120]
    suffix = Path(name).suffix.lower()
    if suffix not in suffixes:
        return None
    stem = Path(name).stem.strip(" .")
    if not stem or stem.upper() in _WINDOWS_RESERVED:
        name = f"台账{suffix}"
    return name


@dataclass(frozen=True)
class ProblemRow:
    sheet: str
    row: str
    column: str
    cell: str
    message: str
    hint: str


def problem_rows(problems: Iterable[Problem]) -> tuple[list[ProblemRow], list[ProblemRow]]:
    """(errors, warnings) as table rows: sheet, row and column as the clerk sees them."""
    errors: list[ProblemRow] = []
    warnings: list[ProblemRow] = []
    for p in problems:
        row = str(p.line or p.row) if (p.line or p.row > 0) else ""
        cell = p.where.split("!", 1)[1] if "!" in p.where else ""
        shown = ProblemRow(p.sheet, row, p.column, cell, p.message, p.hint)
        (errors if p.is_error else warnings).append(shown)
    return errors, warnings


@dataclass(frozen=True)
class FormChoice:
    id: str
    title: str
    formats: str
    description: str


def families(catalogue: dict[str, Any]) -> list[tuple[str, list[FormChoice]]]:
    """The forms a clerk may tick, by family. The 会议文书汇编 is made by its own option."""
    grouped: dict[str, list[FormChoice]] = {}
    for form in catalogue.values():
        if form.binds:  # a pack binds other forms' documents: its own option, not a form
            continue
        label = FAMILIES.get(form.family, "其他")
        formats = "、".join(FORMAT_LABELS[f].split("（")[0] for f in form.formats)
        choice = FormChoice(form.id, form.title, formats, form.description)
        grouped.setdefault(label, []).append(choice)
    order = [*FAMILIES.values(), "其他"]
    return sorted(grouped.items(), key=lambda item: order.index(item[0]))


@dataclass(frozen=True)
class FileRow:
    name: str  # relative path, as on disk
    file: str  # its last part
    size: int
    pdf: bool


def file_groups(out: Path, names: list[str]) -> list[tuple[str, list[FileRow]]]:
    """The build's files by folder (one folder per form, as on disk)."""
    groups: dict[str, list[FileRow]] = {}
    for name in names:
        folder, _, file = name.rpartition("/")
        size = (out / name).stat().st_size
        groups.setdefault(folder or "（根目录）", []).append(
            FileRow(name, file, size, file.lower().endswith(".pdf"))
        )
    return sorted(groups.items())


def parse_whole(value: Any, label: str, low: int, high: int) -> int | None:
    text = str(value or "").strip()
    if not text:
        return None
    try:
        number = int(text)  # full-width digits (２０２４) too, as a Chinese input method types
    except ValueError:
        raise FormError(f"{label}“{text}”不是整数") from None
    if not low <= number <= high:
        raise FormError(f"{label}应在 {low}～{high} 之内，而不是 {number}")
    return number


def parse_day(value: Any, label: str) -> dt.date | None:
    text = str(value or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise FormError(f"{label}“{text}”不是有效日期", "请按 2024-03-05 的格式填写") from None


class FormError(Exception):
    """A field of the page's forms that cannot be used as it is; shown beside the form."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.text = f"{message}（{hint}）" if hint else message
