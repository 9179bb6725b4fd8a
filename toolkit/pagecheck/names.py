"""Whose names must not break: the people of the workbook, or those a document names."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from ..values import normalise_name, split_name_pieces
from .checks import Document

NAME = re.compile(r"[\u4e00-\u9fff·]{2,8}")
LABELS = (
    "述职人|领衔代表|附议代表|述职代表|代表姓名|主持人|记录人|接待代表|来访人|负责人|联系人|姓名"
)
NAME_AFTER_LABEL = re.compile(rf"(?:{LABELS})[：:](.+)")
NAME_HEADERS = {*LABELS.split("|"), "出席人员", "参会人员", "参会代表"}
SEPARATORS = re.compile(r"[、，,；;（）()：:\s]+")
# the columns of the workbook that hold people's names
PERSON_COLUMNS = {
    "代表名册": {"姓名"},
    "接待登记": {"来访人"},
    "会议": {"主持人", "记录人"},
    "联络站": {"负责人"},
}


def pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern for all the names, the longest first."""
    clean = {n for n in map(normalise_name, names) if len(n) >= 2}
    if not clean:
        return None
    return re.compile("|".join(re.escape(n) for n in sorted(clean, key=len, reverse=True)))


def workbook_names(path: Path) -> set[str]:
    """Every person's name the workbook holds: deputies, visitors, chairs, recorders, heads."""
    from ..read import read_workbook

    book = read_workbook(path)
    names: set[str] = set()
    try:
        for sheet_name, columns in PERSON_COLUMNS.items():
            sheet = book.sheets.get(sheet_name)
            if sheet is None:
                continue
            indexes = [i for i, col in sheet.columns.items() if col.name in columns]
            for row in sheet.rows:
                for index in indexes:
                    value = row.cells.get(index)
                    if isinstance(value, str):
                        names.update(split_name_pieces(value))
    finally:
        book.close()
    return {name for name in map(normalise_name, names) if NAME.fullmatch(name)}


def document_names(doc: Document) -> set[str]:
    """The names a document states: after 述职人： and the like, and in the cells under or
    beside a 姓名 (领衔代表, 出席人员 …) header."""
    found: set[str] = set()

    def take(text: str) -> None:
        found.update(p for p in SEPARATORS.split(text) if NAME.fullmatch(p) and len(p) <= 6)

    for page in doc.pages:
        for row in page.rows:
            for line in row.lines:
                match = NAME_AFTER_LABEL.search(line.text)
                if match:
                    take(match.group(1))
        for head in (c for c in page.cells if c.text in NAME_HEADERS):
            x0, top, x1, bottom = head.bbox
            for cell in page.cells:
                cx0, ctop, cx1, _ = cell.bbox
                below = abs(cx0 - x0) < 2 and abs(cx1 - x1) < 2 and ctop >= bottom - 1
                beside = abs(ctop - top) < 2 and abs(cx0 - x1) < 2
                if (below or beside) and cell is not head:
                    take(cell.text)
    return found
