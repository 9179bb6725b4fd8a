"""How big a grid python-calamine would build for each sheet of an .xls or .ods, found before it
builds one.

python-calamine holds a sheet whole, as a rectangle from its first value to its last: one value
at A1 and one at IV65536 of an .xls make 16.7 million cells (1 GB for a 6 KB file), and an .ods
row repeated 20,000 times holding a cell repeated 1,000 times (1 KB of XML) makes 20 million.
This module reads only where the values are — the record headers of the .xls workbook stream,
through a small reader of the compound file around it, and the .ods XML as a stream, its repeats
counted as numbers, never expanded — so that the reader can refuse such a sheet, naming it,
before python-calamine is asked. Memory is the file's size; time, one pass over it.
"""

from __future__ import annotations

import struct
import sys
import zipfile
from array import array
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.parsers import expat

MAX_CELLS = 2_000_000  # 65,536 rows × 30 columns; ~130 MB inside python-calamine
MAX_SHEETS = 1_000

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_END = 0xFFFFFFFA  # sector numbers from here up mark the end of a chain or a free sector
# BIFF5/8 records holding a value at (row, column): NUMBER, RK, LABELSST, LABEL, FORMULA,
# BOOLERR, RSTRING. Blank cells (BLANK, MULBLANK) hold no value and python-calamine skips them.
_CELL_RECORDS = {0x0203, 0x027E, 0x00FD, 0x0204, 0x0006, 0x0205, 0x00D6}
_MULRK, _BOF, _EOF, _BOUNDSHEET, _FILEPASS = 0x00BD, 0x0809, 0x000A, 0x0085, 0x002F


class EncryptedError(ValueError):
    """An .xls protected by a password (its cell records cannot be read)."""


class Extent:
    """The rectangle from a sheet's first value to its last (0 × 0 when it has none)."""

    def __init__(self) -> None:
        self.top = self.left = sys.maxsize
        self.bottom = self.right = -1

    def add(self, first_row: int, last_row: int, first_col: int, last_col: int) -> None:
        self.top, self.bottom = min(self.top, first_row), max(self.bottom, last_row)
        self.left, self.right = min(self.left, first_col), max(self.right, last_col)

    @property
    def rows(self) -> int:
        return max(self.bottom - self.top + 1, 0)

    @property
    def columns(self) -> int:
        return max(self.right - self.left + 1, 0)

    @property
    def cells(self) -> int:
        return self.rows * self.columns


# --- .xls --------------------------------------------------------------------------------------


def xls_extents(data: bytes) -> Iterator[tuple[str, Extent]]:
    """(sheet name, its extent) for each sheet of an .xls file's bytes; nothing when the file
    holds no workbook stream (python-calamine then says what it is). ValueError for a compound
    file too damaged to follow, EncryptedError for a password-protected workbook."""
    stream = _workbook_stream(data)
    if stream is None:
        return
    sheets: list[tuple[int, str]] = []
    pos, end = 0, len(stream)
    while pos + 4 <= end:
        kind, size = struct.unpack_from("<HH", stream, pos)
        body = pos + 4
        if kind == _FILEPASS:
            raise EncryptedError("FILEPASS")
        if kind == _BOUNDSHEET and size >= 8:
            (offset,) = struct.unpack_from("<I", stream, body)
            sheets.append((offset, _sheet_name(stream[body + 6 : body + size])))
            if len(sheets) > MAX_SHEETS:
                raise ValueError("too many sheets")
        elif kind == _EOF:
            break
        pos = body + size
    seen: dict[int, Extent] = {}
    for offset, name in sheets:
        if offset not in seen:
            seen[offset] = _sheet_extent(stream, offset)
        yield name, seen[offset]


def _sheet_extent(stream: bytes, pos: int) -> Extent:
    extent = Extent()
    end = len(stream)
    unpack = struct.unpack_from
    while pos + 4 <= end:
        kind, size = unpack("<HH", stream, pos)
        if kind == _EOF:
            break
        if kind in _CELL_RECORDS and size >= 4 and pos + 8 <= end:
            row, col = unpack("<HH", stream, pos + 4)
            extent.add(row, row, col, col)
        elif kind == _MULRK and size >= 6 and pos + 4 + size <= end:
            row, first = unpack("<HH", stream, pos + 4)
            (last,) = unpack("<H", stream, pos + 4 + size - 2)
            extent.add(row, row, first, max(first, last))
        pos += 4 + size
    return extent


def _sheet_name(raw: bytes) -> str:
    """A BOUNDSHEET name: BIFF8 writes a length, a flag byte and Latin-1 or UTF-16 text; BIFF5
    a length and bytes in the workbook's code page (taken as GBK, what Chinese Excel wrote)."""
    if not raw:
        return "?"
    count = raw[0]
    if len(raw) >= 2 and raw[1] in (0, 1) and len(raw) >= 2 + count * (raw[1] + 1):
        text = raw[2 : 2 + count * (raw[1] + 1)]
        return text.decode("utf-16-le" if raw[1] else "latin-1", "replace")
    return raw[1 : 1 + count].decode("gbk", "replace")


# Long function: a parser's state machine over one XML stream; its states read best together
def _workbook_stream(data: bytes) -> bytes | None:  # noqa: C901 (the reason is above)
    """The "Workbook" (BIFF8) or "Book" (BIFF5) stream of a compound file, by its FAT chains;
    a loop or a sector past the end of the file is ValueError."""
    if len(data) < 512 or not data.startswith(_OLE_MAGIC):
        raise ValueError("not a compound file")
    sector_shift, mini_shift = struct.unpack_from("<HH", data, 0x1E)
    if sector_shift not in (9, 12) or mini_shift != 6:
        raise ValueError("sector size")
    size = 1 << sector_shift
    count = (len(data) - size) // size  # the sectors the file really holds

    def sector(index: int) -> bytes:
        if index >= count:
            raise ValueError("sector past the end")
        return data[(index + 1) * size : (index + 2) * size]

    fat_count, first_dir = struct.unpack_from("<II", data, 0x2C)
    (cutoff, first_minifat, _, first_difat) = struct.unpack_from("<IIII", data, 0x38)
    fat_sectors = [s for s in struct.unpack_from("<109I", data, 0x4C) if s < _END]
    difat, hops = first_difat, 0
    while difat < _END:
        hops += 1
        if hops > count:
            raise ValueError("DIFAT loop")
        ids = struct.unpack(f"<{size // 4}I", sector(difat))
        fat_sectors += [s for s in ids[:-1] if s < _END]
        difat = ids[-1]
    fat = _table(sector(s) for s in fat_sectors[: max(fat_count, 0) or len(fat_sectors)])

    def chain(start: int, table: array[int]) -> Iterator[int]:
        steps = 0
        while start < _END:
            steps += 1
            if steps > len(table) or start >= len(table):
                raise ValueError("chain loop or past the table")
            yield start
            start = table[start]

    directory = b"".join(sector(s) for s in chain(first_dir, fat))
    entries = [directory[i : i + 128] for i in range(0, len(directory) - 127, 128)]
    if not entries:
        raise ValueError("no directory")
    found = None
    for entry in entries:
        (length,) = struct.unpack_from("<H", entry, 0x40)
        name = entry[: max(min(length, 64) - 2, 0)].decode("utf-16-le", "replace")
        if entry[0x42] == 2 and name.lower() in ("workbook", "book"):
            found = entry
            break
    if found is None:
        return None
    start, length = struct.unpack_from("<II", found, 0x74)
    length = min(length, len(data))
    if length >= cutoff:
        return b"".join(sector(s) for s in chain(start, fat))[:length]
    # A small stream lives in the mini stream: 64-byte sectors inside the root entry's chain.
    root_start = struct.unpack_from("<I", entries[0], 0x74)[0]
    mini_data = b"".join(sector(s) for s in chain(root_start, fat))
    minifat = _table(sector(s) for s in chain(first_minifat, fat))
    pieces = []
    for s in chain(start, minifat):
        if (s + 1) * 64 > len(mini_data):
            raise ValueError("mini sector past the end")
        pieces.append(mini_data[s * 64 : (s + 1) * 64])
    return b"".join(pieces)[:length]


def _table(sectors: Iterator[bytes]) -> array[int]:
    table: array[int] = array("I")
    for data in sectors:
        table.frombytes(data)
    if sys.byteorder == "big":
        table.byteswap()
    return table


# --- .ods --------------------------------------------------------------------------------------

_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"


# Complex function: a parser's state machine over the .ods content stream
def ods_extents(path: Path) -> Iterator[tuple[str, Extent]]:  # noqa: C901 (the reason is above)
    """(table name, its extent) for each table of an .ods, repeats counted, never expanded."""
    tables: list[tuple[str, Extent]] = []
    state: dict[str, Any] = {"depth": 0, "row": 0, "rows": 1, "col": 0, "cols": 1, "cell": False}
    extent = Extent()

    def repeat(attrs: dict[str, str], name: str) -> int:
        text = attrs.get(f"{_TABLE} {name}", "1").strip()
        if not (text.isascii() and text.isdigit()):
            return 1
        return int(text) if len(text) <= 12 else 10**12  # a count no sheet could hold

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal extent
        if name == f"{_TABLE} table":
            state["depth"] += 1
            if state["depth"] == 1:
                extent = Extent()
                tables.append((attrs.get(f"{_TABLE} name", "?"), extent))
                state["row"] = 0
        elif state["depth"] != 1:
            if state["cell"]:
                state["cell"] = "content"  # a sub-table in a cell: the cell holds something
        elif name == f"{_TABLE} table-row":
            state["rows"], state["col"] = repeat(attrs, "number-rows-repeated"), 0
        elif name in (f"{_TABLE} table-cell", f"{_TABLE} covered-table-cell"):
            state["cols"] = repeat(attrs, "number-columns-repeated")
            state["cell"] = "content" if f"{_OFFICE} value-type" in attrs else True
        elif state["cell"]:
            state["cell"] = "content"  # text:p and the like: the cell shows text

    def end(name: str) -> None:
        if name == f"{_TABLE} table":
            state["depth"] -= 1
        elif state["depth"] != 1:
            return
        elif name in (f"{_TABLE} table-cell", f"{_TABLE} covered-table-cell"):
            col, cols, row, rows = state["col"], state["cols"], state["row"], state["rows"]
            if state["cell"] == "content":
                extent.add(row, row + rows - 1, col, col + cols - 1)
            state["col"] += cols
            state["cell"] = False
        elif name == f"{_TABLE} table-row":
            state["row"] += state["rows"]

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    with zipfile.ZipFile(path) as archive, archive.open("content.xml") as handle:
        while chunk := handle.read(1 << 16):
            parser.Parse(chunk, False)
            if len(tables) > MAX_SHEETS:
                raise ValueError("too many sheets")
        parser.Parse(b"", True)
    yield from tables
