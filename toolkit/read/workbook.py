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

# Long module: the workbook contract as read (header search, aliases, merges, sheets) in one place,
# so what a clerk's sheet may look like is read in one file

from __future__ import annotations

import bisect
import io
import itertools
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import contract
from ..errors import WARNING, Problem, WorkbookError, os_reason
from . import extent
from .xlsx_stream import (
    MAX_ROWS,
    MissingSheetError,
    NoValue,
    SheetRangeError,
    XlsxBook,
)

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


# Long function: each sheet of the contract found, checked and opened in turn, with the clerk's
# message for each way it can fail
def read_workbook(path: Path | str) -> Workbook:
    path = Path(path)
    kind = sniff(path)
    if kind == "zip":
        check_zip(path)
    try:
        book = _open(path, kind)
    except WorkbookError:
        raise
    except Exception:  # both readers raise their own and plain errors for bad files
        raise WorkbookError(
            f"无法读取“{path.name}”：文件已损坏或格式不受支持",
            hint="请在 Excel/WPS 中打开并另存为 .xlsx",
        ) from None
    problems: list[Problem] = []
    sheets: dict[str, RawSheet] = {}
    ignored: list[str] = []
    title = ""
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
            raw = _read_sheet(path, title, spec, book.get_sheet_by_name(title), problems)
            if raw is not None:
                sheets[spec.name] = raw
    except WorkbookError:
        book.close()
        raise
    except Exception as exc:
        book.close()
        raise sheet_error(path, title, exc) from None
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
_RESAVE = "请在 Excel/WPS 中打开并重新保存；打不开时请用备份"


def sheet_error(path: Path, title: str, exc: Exception) -> WorkbookError:
    """A sheet the reader cannot go through, as one line naming the file and the sheet."""
    if isinstance(exc, MissingSheetError):
        return WorkbookError(
            f"“{path.name}”已损坏：工作表“{exc.title}”列在工作簿中，但文件里没有它的内容",
            hint=_RESAVE,
        )
    if isinstance(exc, SheetRangeError):
        return WorkbookError(
            f"“{path.name}”的工作表“{title}”中有超出 Excel 范围的单元格位置“{exc.ref}”"
            f"（最多 {MAX_ROWS} 行、XFD 列），文件已损坏或不是 Excel 保存的",
            hint=_RESAVE,
        )
    if not title:
        return WorkbookError(f"读取“{path.name}”时出错：文件可能已损坏", hint=_RESAVE)
    return WorkbookError(f"读取“{path.name}”的工作表“{title}”时出错：文件已损坏", hint=_RESAVE)


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

    data = path.read_bytes()
    try:
        found = extent.xls_extents(data) if kind == "xls" else extent.ods_extents(path)
        for title, area in found:
            if area.cells > extent.MAX_CELLS:
                raise WorkbookError(
                    f"“{path.name}”的工作表“{title}”数据范围过大（{area.rows} 行 × "
                    f"{area.columns} 列），超出 .xls/.ods 能安全读取的范围",
                    hint="请在 Excel/WPS 中删除远处多余的单元格，"
                    "或另存为 .xlsx 再用：.xlsx 不受此限",
                )
    except extent.EncryptedError:
        raise WorkbookError(
            f"“{path.name}”设置了打开密码，无法读取",
            hint="请在 Excel/WPS 中取消密码后另存再试",
        ) from None
    return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))


Cells = dict[int, Any]  # 0-based column → value, non-blank values (and NoValue) only


def sparse_rows(sheet: Any) -> Iterator[tuple[int, Cells]]:
    """(0-based row, its cells) for every row holding something, from either reader: the
    streaming one gives only what a row holds; python-calamine's rows are lists (whole sheets,
    held by it, bounded by `extent` before it was asked)."""
    if hasattr(sheet, "iter_cells"):
        for r, pairs in sheet.iter_cells():
            cells = {c: v for c, v in pairs if type(v) is NoValue or not _blank(v)}
            if cells:
                yield r, cells
        return
    col0 = sheet.start[1] if sheet.start else 0
    for r, row in enumerate(sheet.iter_rows()):
        cells = {c + col0: v for c, v in enumerate(row) if not _blank(v)}
        if cells:
            yield r, cells


def _head(rows: Iterator[tuple[int, Cells]]) -> tuple[list[tuple[int, Cells]], list[Any]]:
    """The rows a header may be in, and the first row after them (or nothing)."""
    head: list[tuple[int, Cells]] = []
    for r, cells in rows:
        if r >= HEADER_SCAN_ROWS:
            return head, [(r, cells)]
        head.append((r, cells))
    return head, []


def _sheet_from_headers(sheet: Any) -> contract.Sheet | None:
    """A tab with an unknown name (Sheet1) whose header row has all of one sheet's required
    columns is that sheet."""
    if sheet.start is None:
        return None
    head, _ = _head(sparse_rows(sheet))
    for _, cells in head:
        headers = [header_text(v) for _, v in sorted(cells.items()) if isinstance(v, str)]
        found = contract.sheet_by_headers([h for h in headers if h])
        if found is not None:
            return found
    return None


def _blank(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not value.strip())


def header_text(value: Any) -> str:
    """A header cell as text; half a surrogate pair (an emoji cut in two) would make every
    message naming the column unprintable, so it becomes U+FFFD here."""
    text = str(value).strip()
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace") if text else ""


def _find_header(
    spec: contract.Sheet, head: list[tuple[int, Cells]]
) -> tuple[int, dict[int, contract.Column]]:
    """The 0-based row whose cells best match the sheet's columns (title rows sit above it)."""
    best_row: int = -1
    best: dict[int, contract.Column] = {}
    for r, cells in head:
        found: dict[int, contract.Column] = {}
        for c, value in sorted(cells.items()):
            if isinstance(value, str) and value.strip():
                column = contract.match_column(spec, value)
                if column is not None and column not in found.values():
                    found[c + 1] = column
        if len(found) > len(best):
            best_row, best = r, found
    return best_row, best


class _Merges:
    """Fills merged ranges while rows stream past: a merged range shows its top-left value in
    every cell, so every cell gets that value (a date merged down applies to each row).

    Indexed, so a sheet with a merge on each of 60,000 rows costs what one row costs per row:
    only ranges below the header that touch a column read are kept, sorted by first row; each
    read column has at most one range open at a time. Rows come sparse (a row holding nothing
    of its own is a blank row, even where a merged value passes over it)."""

    def __init__(self, ranges: Iterable[Any], header_row: int, wanted: set[int]) -> None:
        self.columns = sorted(wanted)  # 0-based columns that are read
        kept = []
        for (r0, c0), (r1, c1) in ranges:
            if r1 <= header_row:
                continue
            i = bisect.bisect_left(self.columns, c0)
            if i < len(self.columns) and self.columns[i] <= c1:
                kept.append((r0, c0, r1, c1))
        kept.sort()
        self.ranges = kept
        self.next = 0
        self.open: dict[int, tuple[int, Any]] = {}  # column → (last row, value)

    def fill(self, r: int, cells: Cells) -> None:
        while self.next < len(self.ranges) and self.ranges[self.next][0] <= r:
            r0, c0, r1, c1 = self.ranges[self.next]
            self.next += 1
            if r1 < r:
                continue
            # The top-left value, if this row is its first; a range whose first row held
            # nothing (or lies above the header) has nothing to fill.
            value = cells.get(c0) if r0 == r else None
            i = bisect.bisect_left(self.columns, c0)
            while i < len(self.columns) and self.columns[i] <= c1:
                self.open[self.columns[i]] = (r1, value)
                i += 1
        for c, (r1, value) in list(self.open.items()):
            if r > r1:
                del self.open[c]
            elif value is not None and (c not in cells or type(cells[c]) is NoValue):
                cells[c] = value


# Long function: header, merges and rows of one sheet in the order the file gives them
def _read_sheet(
    path: Path, title: str, spec: contract.Sheet, sheet: Any, problems: list[Problem]
) -> RawSheet | None:
    if sheet.start is None:
        return None  # an empty sheet
    rows = sparse_rows(sheet)
    head, after = _head(rows)
    if not head and not after:
        return None  # only blank cells (spaces, formatting): an empty sheet
    header_index, columns = _find_header(spec, head)
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
    header_cells = dict(head)[header_index]
    headers = {
        c + 1: header_text(v)
        for c, v in header_cells.items()
        if type(v) is not NoValue and header_text(v)
    }
    extras = {c: h for c, h in headers.items() if c not in columns}
    raw = RawSheet(title, spec, header_index + 1, columns, headers, extras)
    for column in spec.required:
        if column not in columns.values():
            problems.append(
                Problem(
                    title, header_index + 1, f"缺少必填列“{column.name}”", hint="请在表头行补上该列"
                )
            )
    wanted = set(columns) | set(extras)
    wanted0 = {c - 1 for c in wanted}
    ranges = sheet.iter_merges() if hasattr(sheet, "iter_merges") else sheet.merged_cell_ranges
    merges = _Merges(ranges or [], header_index, wanted0)

    def stream() -> Iterator[RawRow]:
        r = header_index
        try:
            body = itertools.chain([(i, c) for i, c in head if i > header_index], after, rows)
            for r, cells in body:
                if merges.ranges:
                    merges.fill(r, cells)
                found = {c + 1: v for c, v in cells.items() if c in wanted0}
                # A row with only extra columns filled (a pre-numbered 序号) is a blank row.
                if any(c in columns for c in found):
                    yield RawRow(r + 1, found)
        except (MissingSheetError, SheetRangeError) as exc:
            raise sheet_error(path, title, exc) from None
        except Exception:  # rows are read as validation goes: damage may lie far down the file
            raise WorkbookError(
                f"读取工作表“{title}”第 {r + 2} 行时出错：文件已损坏",
                hint="请在 Excel/WPS 中打开并重新保存",
            ) from None

    raw.rows = stream()
    return raw
