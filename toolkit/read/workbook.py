"""Reading: a workbook file → raw sheets of cells, with headers matched to the contract.

`read_workbook(path)` checks what the file really is before opening it (a zip bomb, a CSV or a
Word file renamed .xlsx, an encrypted workbook, an empty file each get a one-line Chinese
`WorkbookError`), reads .xlsx/.xlsm row by row with `xlsx_stream` (memory that does not grow
with the rows) and .xls/.ods with python-calamine (whole sheets whatever their stored dimension
says, merges included), finds each sheet's header row below any merged title rows, and fills
merged cells down so a date merged over several rows applies to each. It knows nothing about
value types: that is validation's job. Rows are read as validation asks for them, so damage far
down a sheet is reported then, naming the sheet and the row.
"""

from __future__ import annotations

import io
import itertools
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import contract
from ..errors import WARNING, Problem, WorkbookError, os_reason
from .xlsx_stream import XlsxBook

MAX_UNCOMPRESSED = 1_000_000_000  # 1 GB of XML is far past any station's records
MAX_RATIO = 200  # deflate tops out near 1000:1 only for crafted or degenerate data
HEADER_SCAN_ROWS = 12

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class RawRow:
    row: int  # the row number the clerk sees
    cells: dict[int, Any]  # 1-based column → raw value, blanks left out


@dataclass
class RawSheet:
    title: str  # as written in the file
    spec: contract.Sheet
    header_row: int
    columns: dict[int, contract.Column]  # 1-based column → contract column
    headers: dict[int, str]  # 1-based column → header text as written
    extras: dict[int, str]  # unknown columns: 1-based column → header text
    rows: Iterable[RawRow] = ()  # read once, lazily: raw rows are never all held at once

    def header_of(self, column: contract.Column) -> tuple[int, str]:
        for index, col in self.columns.items():
            if col is column:
                return index, self.headers[index]
        return 0, column.name


@dataclass
class Workbook:
    path: Path
    sheets: dict[str, RawSheet]  # contract sheet name → sheet
    problems: list[Problem]
    ignored: list[str]  # sheet titles that are not part of the contract
    book: Any = None  # the open workbook, until validation has read every row

    def close(self) -> None:
        if self.book is not None:
            self.book.close()
            self.book = None


def sniff(path: Path) -> str:
    """What the file really is: 'zip', 'xls', or raise WorkbookError with the reason."""
    if not path.exists():
        raise WorkbookError(f"找不到文件“{path}”", hint="请检查文件名和所在文件夹")
    if path.is_dir():
        raise WorkbookError(f"“{path}”是文件夹，不是 Excel 工作簿")
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
            if path.stat().st_size == 0:
                raise WorkbookError(f"“{path.name}”是空文件（0 字节）", hint="请重新保存工作簿")
            if head.startswith(_OLE_MAGIC):
                handle.seek(0)
                blob = handle.read(4 * 1024 * 1024)
                if "EncryptedPackage".encode("utf-16-le") in blob:
                    raise WorkbookError(
                        f"“{path.name}”设置了打开密码，无法读取",
                        hint="请在 Excel/WPS 中取消密码（文件→信息→保护工作簿）后另存再试",
                    )
                return "xls"
    except OSError as exc:
        raise WorkbookError(f"无法打开“{path.name}”：{os_reason(exc)}") from None
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    text = head.lstrip(b"\xef\xbb\xbf").lower()
    if text.startswith((b"<html", b"<!doct", b"<?xml", b"<table", b"mime-v")):
        raise WorkbookError(
            f"“{path.name}”是网页/XML 格式的表格，不是真正的 Excel 工作簿",
            hint="请在 Excel/WPS 中打开后“另存为”Excel 工作簿（.xlsx）",
        )
    if path.suffix.lower() == ".csv" or _looks_like_text(path):
        raise WorkbookError(
            f"“{path.name}”是 CSV/文本文件，不是 Excel 工作簿",
            hint="请在 Excel/WPS 中打开后“另存为”Excel 工作簿（.xlsx）",
        )
    raise WorkbookError(
        f"“{path.name}”不是 Excel 工作簿（文件内容无法识别）",
        hint="请确认选择的是 .xlsx 或 .xls 文件",
    )


def _looks_like_text(path: Path) -> bool:
    with path.open("rb") as handle:
        blob = handle.read(4096)
    if b"\x00" in blob:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            blob.decode(encoding)
            return True
        except UnicodeDecodeError:
            continue
    return False


def check_zip(path: Path) -> None:
    """Refuse zips that are not workbooks, and bombs, before any XML is parsed."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        raise WorkbookError(
            f"“{path.name}”已损坏，无法作为 Excel 工作簿打开",
            hint="请在 Excel/WPS 中打开并重新保存",
        ) from None
    names = {info.filename for info in infos}
    if "xl/workbook.xml" not in names and "content.xml" not in names:
        if "word/document.xml" in names:
            raise WorkbookError(f"“{path.name}”是 Word 文档，不是 Excel 工作簿")
        if "ppt/presentation.xml" in names:
            raise WorkbookError(f"“{path.name}”是 PowerPoint 文件，不是 Excel 工作簿")
        raise WorkbookError(f"“{path.name}”是压缩包，不是 Excel 工作簿")
    total = sum(info.file_size for info in infos)
    if total > MAX_UNCOMPRESSED or any(
        info.compress_size
        and info.file_size > 50_000_000
        and info.file_size / info.compress_size > MAX_RATIO
        for info in infos
    ):
        raise WorkbookError(
            f"“{path.name}”解压后体积异常（约 {total // 1_000_000} MB），拒绝读取",
            hint="文件可能已损坏或被篡改；请在 Excel/WPS 中重新保存",
        )


def read_workbook(path: Path | str) -> Workbook:
    path = Path(path)
    kind = sniff(path)
    if kind == "zip":
        check_zip(path)
    try:
        book = _open(path, kind)
    except Exception:  # both readers raise their own and plain errors for bad files
        raise WorkbookError(
            f"无法读取“{path.name}”：文件已损坏或格式不受支持",
            hint="请在 Excel/WPS 中打开并另存为 .xlsx",
        ) from None
    problems: list[Problem] = []
    sheets: dict[str, RawSheet] = {}
    ignored: list[str] = []
    try:
        for title in book.sheet_names:
            spec = contract.find_sheet(title)
            own = title.startswith("_") or title.strip() in _OWN_SHEETS
            if spec is None and not own:
                spec = _sheet_from_headers(book.get_sheet_by_name(title))
            if spec is None:
                ignored.append(title)
                if (
                    not title.startswith("_")
                    and title.strip() not in _OWN_SHEETS
                    and book.get_sheet_by_name(title).start is not None
                ):
                    problems.append(
                        Problem(
                            title,
                            0,
                            f"工作表“{title}”不是台账中的表，其中的内容未被使用",
                            severity=WARNING,
                            hint="如是接待登记等记录，请把工作表改名为对应名称（见“说明”表）",
                        )
                    )
                continue
            if spec.name in sheets:
                problems.append(
                    Problem(
                        title,
                        0,
                        f"与工作表“{sheets[spec.name].title}”重复，已忽略",
                        severity=WARNING,
                    )
                )
                continue
            raw = _read_sheet(title, spec, book.get_sheet_by_name(title), problems)
            if raw is not None:
                sheets[spec.name] = raw
    except WorkbookError:
        book.close()
        raise
    except Exception:
        book.close()
        raise WorkbookError(
            f"读取“{path.name}”时出错：文件可能已损坏",
            hint="请在 Excel/WPS 中打开并重新保存",
        ) from None
    if not sheets:
        book.close()
        known = [t for t in book.sheet_names if contract.find_sheet(t) is not None]
        if known and not problems:
            raise WorkbookError(
                f"“{path.name}”中的工作表（{'、'.join(known)}）都是空的",
                hint="请先填写台账，或用 liaison sample 生成示例台账试用",
            )
        expected = "、".join(s.name for s in contract.SHEETS[:3])
        raise WorkbookError(
            f"“{path.name}”中没有可识别的工作表（现有：{'、'.join(book.sheet_names) or '无'}）",
            hint=f"工作表应命名为 {expected} 等；可用 liaison init 生成空白台账",
        )
    return Workbook(path, sheets, problems, ignored, book)


_OWN_SHEETS = {"说明", "填表说明", "填写说明"}


def _open(path: Path, kind: str) -> Any:
    """An .xlsx is streamed row by row (xlsx_stream); .xls and .ods go to python-calamine,
    which holds a sheet whole. By content, not by extension: an .xls renamed .xlsx (or the
    reverse) still opens."""
    if kind == "zip":
        with zipfile.ZipFile(path) as archive:
            is_xlsx = "xl/workbook.xml" in archive.namelist()
        if is_xlsx:
            return XlsxBook(path)
    import python_calamine

    return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(path.read_bytes()))


def _sheet_from_headers(sheet: Any) -> contract.Sheet | None:
    """A tab with an unknown name (Sheet1) whose header row has all of one sheet's required
    columns is that sheet."""
    if sheet.start is None:
        return None
    for row in itertools.islice(sheet.iter_rows(), HEADER_SCAN_ROWS):
        headers = [str(v) for v in row if isinstance(v, str) and v.strip()]
        found = contract.sheet_by_headers(headers)
        if found is not None:
            return found
    return None


def _blank(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not value.strip())


def _find_header(
    spec: contract.Sheet, grid: list[list[Any]], col0: int
) -> tuple[int, dict[int, contract.Column]]:
    """The 0-based row whose cells best match the sheet's columns (title rows sit above it)."""
    best_row: int = -1
    best: dict[int, contract.Column] = {}
    for r, cells in enumerate(grid[:HEADER_SCAN_ROWS]):
        found: dict[int, contract.Column] = {}
        for c, value in enumerate(cells):
            if isinstance(value, str) and value.strip():
                column = contract.match_column(spec, value)
                if column is not None and column not in found.values():
                    found[c + col0 + 1] = column
        if len(found) > len(best):
            best_row, best = r, found
    return best_row, best


class _Merges:
    """Fills merged ranges while rows stream past: a merged range shows its top-left value in
    every cell, so every cell gets that value (a date merged down applies to each row)."""

    def __init__(self, ranges: Iterable[Any], header_row: int) -> None:
        self.ranges = [((r0, c0), (r1, c1)) for (r0, c0), (r1, c1) in ranges if r1 > header_row]
        self.values: dict[tuple[int, int], Any] = {}

    def fill(self, r: int, cells: list[Any], col0: int) -> None:
        for (r0, c0), (r1, c1) in self.ranges:
            if not r0 <= r <= r1:
                continue
            if r == r0:
                index = c0 - col0
                self.values[(r0, c0)] = cells[index] if 0 <= index < len(cells) else None
            value = self.values.get((r0, c0))
            if c1 - col0 >= len(cells):  # a streamed row ends at its last written cell
                cells.extend([""] * (c1 - col0 + 1 - len(cells)))
            for c in range(c0, c1 + 1):
                index = c - col0
                if 0 <= index < len(cells) and _blank(cells[index]):
                    cells[index] = value


def _read_sheet(
    title: str, spec: contract.Sheet, sheet: Any, problems: list[Problem]
) -> RawSheet | None:
    if sheet.start is None:
        return None  # an empty sheet
    col0 = sheet.start[1]
    rows = iter(sheet.iter_rows())
    head = [list(row) for row in itertools.islice(rows, HEADER_SCAN_ROWS)]
    if not any(not _blank(v) for row in head for v in row):
        if not any(not _blank(v) for row in rows for v in row):
            return None  # only blank cells (spaces, formatting): an empty sheet
        # Values below the rows a header may be in: "找不到表头行" below, never silence.
    header_index, columns = _find_header(spec, head, col0)
    if header_index < 0:
        names = "、".join(c.name for c in spec.required)
        problems.append(
            Problem(
                title,
                0,
                f"找不到表头行（应包含 {names} 等列）",
                hint="表头须在前几行之内；可用 liaison init 生成的空白台账对照",
            )
        )
        return None
    header_cells = head[header_index]
    headers = {c + col0 + 1: str(v).strip() for c, v in enumerate(header_cells) if not _blank(v)}
    extras = {c: h for c, h in headers.items() if c not in columns}
    raw = RawSheet(title, spec, header_index + 1, columns, headers, extras)
    for column in spec.required:
        if column not in columns.values():
            problems.append(
                Problem(
                    title, header_index + 1, f"缺少必填列“{column.name}”", hint="请在表头行补上该列"
                )
            )
    merges = _Merges(sheet.merged_cell_ranges or [], header_index)
    wanted = set(columns) | set(extras)

    def stream() -> Iterator[RawRow]:
        r = header_index
        try:
            for r, cells in enumerate(itertools.chain(head, rows)):
                if r <= header_index:
                    continue
                cells = list(cells)
                if merges.ranges:
                    merges.fill(r, cells, col0)
                found = {
                    c + col0 + 1: v
                    for c, v in enumerate(cells)
                    if c + col0 + 1 in wanted and not _blank(v)
                }
                # A row with only extra columns filled (a pre-numbered 序号) is a blank row.
                if any(c in columns for c in found):
                    yield RawRow(r + 1, found)
        except Exception:  # rows are read as validation goes: damage may lie far down the file
            raise WorkbookError(
                f"读取工作表“{title}”第 {r + 2} 行时出错：文件已损坏",
                hint="请在 Excel/WPS 中打开并重新保存",
            ) from None

    raw.rows = stream()
    return raw
