"""Reading an .xlsx sheet row by row, in memory that does not grow with the rows.

python-calamine loads a whole sheet into memory before the first row can be read: for 20,000
receptions that is about 35 MB, and it grows with every row. This reader parses the sheet's
XML with expat as it is inflated from the zip and hands over one row at a time. The shared
string table (where Excel keeps every distinct text) is kept in a temporary file beyond
`STRINGS_IN_MEMORY` entries, with only an offset per string in memory.

It gives the values python-calamine gives (the tests compare the two on the same files): text
as str, numbers as float, booleans, dates as date, datetime or time by the cell's number
format (a duration format gives timedelta), an empty cell or a formula without a stored result
as "". Rows are lists from column A; merged ranges are found before the rows are read (they sit
after the rows in the file), so a value merged down can be filled in as the rows stream past.
.xls and .ods files are still read by python-calamine.

Memory and time follow the file's real content, never the positions it claims: `iter_cells()`
gives only the cells a row really holds (a cell at column XFD is one cell, not 16,384), and a
reference past Excel's last row or column (1,048,576 / XFD) is `SheetRangeError`, so a few bytes
claiming row 2,000,000,000 cannot make the reader walk two billion empty rows. A cell that shows
something in Excel but gives no value here (a formula never calculated, an error such as #N/A)
reads as `NoValue`, equal to "" where a value is expected, so validation can say what it is.
"""

# Long module: a self-contained streaming .xlsx reader (a file format, not the pipeline): parser,
# shared strings and bounds belong together

from __future__ import annotations

import datetime as dt
import functools
import os
import posixpath
import re
import tempfile
import zipfile
from array import array
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.parsers import expat

MAX_ROWS = 1_048_576  # Excel's last row
MAX_COLUMNS = 16_384  # Excel's last column, XFD
MAX_MERGES = 2_000_000  # far past any register (one per row of a full sheet is 1,048,576)
CHUNK = 1 << 16
FIRST_CHUNK = 1 << 12
STRINGS_IN_MEMORY = 20_000  # beyond this many distinct texts the table goes to a temp file
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CELL = re.compile(r"([A-Za-z]{1,3})(\d+)")
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_MERGES = re.compile(rb"<([A-Za-z_][\w.-]*:)?mergeCells[\s/>]")

OTHER, DATETIME, DURATION = 0, 1, 2
_C, _V, _T, _ROW, _RPH, _F = 1, 2, 3, 4, 5, 6  # the sheet elements the row parser acts on
_CODES = {"c": _C, "v": _V, "t": _T, "row": _ROW, "rPh": _RPH, "f": _F}
# The built-in formats that show dates or times, the East Asian ones (27–36, 50–58) included:
# WPS and Chinese Excel store 年月日 dates with those ids and no format text.
_BUILTIN_DATES = {14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 47, *range(27, 37), *range(50, 59)}
_BUILTIN_DURATIONS = {46}


_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


class SheetRangeError(ValueError):
    """A cell or row reference past Excel's last row or column: the file is damaged or was
    made to exhaust the reader. `ref` is the reference as written (shortened)."""

    def __init__(self, ref: str) -> None:
        super().__init__(ref)
        self.ref = ref if len(ref) <= 24 else ref[:20] + "…"


class MissingSheetError(ValueError):
    """workbook.xml lists a sheet whose part the file does not hold."""

    def __init__(self, title: str) -> None:
        super().__init__(title)
        self.title = title


class NoValue(str):
    """A cell that shows something in Excel but holds no value in the file: a formula that was
    never calculated (`error` empty), or an error value such as #N/A (`error` holds it). It is
    equal to "" (python-calamine gives "" for both), so it is blank wherever a value is read;
    validation tells the clerk what it is instead of "不能为空"."""

    error: str

    @classmethod
    def of(cls, error: str = "") -> NoValue:
        made = cls("")
        made.error = error
        return made


def unescape(text: str) -> str:
    """Excel writes characters XML cannot hold (a vertical tab from Alt+Enter in WPS) as
    _x000B_, and a literal "_x" as _x005F_x."""
    if "_x" not in text:
        return text
    text = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        # A character beyond the BMP escaped as its two UTF-16 halves is that character; a
        # half on its own stays, for validation to report at its cell.
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
    return text


def _local(name: str) -> str:
    return name[name.find(":") + 1 :]


def _column(letters: str) -> int:
    """0-based column of "A", "AB", … ; past XFD, MAX_COLUMNS (four letters are already past
    it, and a thousand letters must not make a thousand-digit number)."""
    if len(letters) > 3:
        return MAX_COLUMNS
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n - 1


def _cell(ref: str) -> tuple[int, int] | None:
    found = _CELL.fullmatch(ref)
    if not found:
        return None
    digits = found.group(2)
    row = int(digits) - 1 if len(digits) <= 7 else MAX_ROWS
    return min(row, MAX_ROWS), min(_column(found.group(1)), MAX_COLUMNS)


def format_kind(code: str) -> int:
    """Whether a custom number format shows a date/time, a duration, or anything else; the
    rule python-calamine applies (the first section only, quoted and escaped text and
    bracketed colours ignored)."""
    escaped = quoted = ampm = hms = False
    brackets = 0
    prev = " "
    for ch in code:
        if escaped:
            escaped = False
        elif ch in "_\\":
            escaped = True
        elif quoted:
            if ch == '"':
                quoted = False
        elif ch == '"':
            quoted = True
        elif ch == ";":
            return OTHER
        elif ch == "[":
            brackets += 1
        elif ch == "]":
            if brackets == 1 and hms:
                return DURATION
            brackets = max(brackets - 1, 0)
        elif brackets == 0 and not ampm and ch in "aA":
            ampm = True
        elif brackets == 0 and ampm and ch in "pm/PM":
            return DATETIME
        elif brackets == 0 and not ampm and ch in "dmhysDMHYS":
            return DATETIME
        elif not (hms and ch.lower() == prev.lower()):
            hms = prev == "[" and ch in "mhsMHS"
        prev = ch
    return OTHER


def excel_datetime(serial: float, kind: int, date1904: bool) -> Any:
    """A number under a date or duration format as Python values, as python-calamine makes
    them; a number no date can hold stays a number."""
    if serial < 0 and kind == DATETIME:
        return serial  # no date: validation says so, naming the cell
    try:
        if kind == DURATION:
            return dt.timedelta(milliseconds=round(serial * 86_400_000))
        if date1904:
            base = dt.datetime(1904, 1, 1)
        elif serial < 60:  # Excel counts a 29 February 1900 that never was
            base = dt.datetime(1899, 12, 31)
        else:
            base = dt.datetime(1899, 12, 30)
        moment = base + dt.timedelta(milliseconds=round(serial * 86_400_000))
    except (OverflowError, ValueError):
        return serial
    if serial < 1:
        return moment.time()
    if float(serial).is_integer():  # a whole number is a date; a fraction a moment, even 00:00
        return moment.date()
    return moment


class _Strings:
    """The shared string table: a list while small, then a temp file and one offset each."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self.file: Any = None
        self.offsets = array("q", [0])

    def add(self, text: str) -> None:
        if self.file is None:
            self.items.append(text)
            if len(self.items) >= STRINGS_IN_MEMORY:
                self.file = tempfile.TemporaryFile()
                for item in self.items:
                    self._write(item)
                self.items = []
        else:
            self._write(text)

    def _write(self, text: str) -> None:
        data = text.encode("utf-8")
        self.file.write(data)
        self.offsets.append(self.offsets[-1] + len(data))

    def done(self) -> None:
        if self.file is not None:
            self.file.flush()

    def __len__(self) -> int:
        return len(self.items) if self.file is None else len(self.offsets) - 1

    def get(self, index: int) -> str:
        """The text at `index`; IndexError for a cell pointing past the table (a damaged file)."""
        if not 0 <= index < len(self):
            raise IndexError(f"shared string {index} of {len(self)}")
        if self.file is None:
            return self.items[index]
        start = self.offsets[index]
        return os.pread(self.file.fileno(), self.offsets[index + 1] - start, start).decode("utf-8")

    def close(self) -> None:
        if self.file is not None:
            self.file.close()
            self.file = None


def _parse(stream: Any, parser: Any) -> None:
    while chunk := stream.read(CHUNK):
        parser.Parse(chunk, False)
    parser.Parse(b"", True)


class XlsxBook:
    """The parts of python-calamine's CalamineWorkbook that reading uses."""

    def __init__(self, path: Path) -> None:
        self.zip = zipfile.ZipFile(path)
        self.strings = _Strings()
        try:
            self.names = set(self.zip.namelist())
            self.date1904 = False
            self.sheets: dict[str, str] = {}  # title → part name in the zip ("" when none)
            self.missing: set[str] = set()  # titles listed whose part the zip does not hold
            self._read_workbook()
            self.kinds = self._read_styles()
            self._read_strings()
        except BaseException:
            self.close()  # a damaged file: nothing left open behind the error
            raise

    @property
    def sheet_names(self) -> list[str]:
        return list(self.sheets)

    def get_sheet_by_name(self, name: str) -> XlsxSheet:
        """The sheet; MissingSheetError when workbook.xml lists it but its part is gone (its
        rows would otherwise vanish without a word)."""
        if name in self.missing:
            raise MissingSheetError(name)
        return XlsxSheet(self, self.sheets[name])

    def close(self) -> None:
        self.strings.close()
        self.zip.close()

    def _part(self, name: str) -> Any:
        return self.zip.open(name) if name in self.names else None

    def _read_workbook(self) -> None:
        targets: dict[str, str] = {}
        rels = self._part("xl/_rels/workbook.xml.rels")
        if rels is not None:

            def relation(name: str, attrs: dict[str, str]) -> None:
                if _local(name) == "Relationship" and "Id" in attrs:
                    target = attrs.get("Target", "")
                    if target.startswith("/"):
                        target = target[1:]
                    else:
                        target = posixpath.normpath(posixpath.join("xl", target))
                    targets[attrs["Id"]] = target

            parser = expat.ParserCreate()
            parser.StartElementHandler = relation
            with rels:
                _parse(rels, parser)

        order: list[tuple[str, str]] = []

        def element(name: str, attrs: dict[str, str]) -> None:
            local = _local(name)
            if local == "sheet" and "name" in attrs:
                rid = next((v for k, v in attrs.items() if _local(k) == "id"), "")
                order.append((attrs["name"], targets.get(rid, "")))
            elif local == "workbookPr":
                self.date1904 = attrs.get("date1904", "0").lower() in ("1", "true")

        parser = expat.ParserCreate()
        parser.StartElementHandler = element
        with self.zip.open("xl/workbook.xml") as handle:
            _parse(handle, parser)
        # Zip names are case-sensitive and some tools write the relationship in another case.
        by_case = {name.lower(): name for name in self.names}
        for title, target in order:
            part = target if target in self.names else by_case.get(target.lower(), "")
            if not part:
                self.missing.add(title)  # listed, but its rows are not in the file
            self.sheets[title] = part if "worksheets/" in part.lower() else ""  # a chart: no rows

    def _read_styles(self) -> list[int]:
        """The date kind of each cell style (the `s` attribute of a cell)."""
        handle = self._part("xl/styles.xml")
        if handle is None:
            return []
        custom: dict[int, int] = {}
        kinds: list[int] = []
        depth = {"cellXfs": False}

        def start(name: str, attrs: dict[str, str]) -> None:
            local = _local(name)
            if local == "numFmt" and "numFmtId" in attrs:
                try:
                    custom[int(attrs["numFmtId"])] = format_kind(attrs.get("formatCode", ""))
                except ValueError:
                    pass
            elif local == "cellXfs":
                depth["cellXfs"] = True
            elif local == "xf" and depth["cellXfs"]:
                try:
                    number = int(attrs.get("numFmtId", "0"))
                except ValueError:
                    number = 0
                if number in custom:
                    kinds.append(custom[number])
                elif number in _BUILTIN_DATES:
                    kinds.append(DATETIME)
                elif number in _BUILTIN_DURATIONS:
                    kinds.append(DURATION)
                else:
                    kinds.append(OTHER)

        def end(name: str) -> None:
            if _local(name) == "cellXfs":
                depth["cellXfs"] = False

        parser = expat.ParserCreate()
        parser.StartElementHandler = start
        parser.EndElementHandler = end
        with handle:
            _parse(handle, parser)
        return kinds

    def _read_strings(self) -> None:
        name = next(
            (n for n in ("xl/sharedStrings.xml", "xl/SharedStrings.xml") if n in self.names), ""
        )
        if not name:
            return
        parts: list[str] = []
        state = {"t": False, "skip": 0}

        def start(tag: str, attrs: dict[str, str]) -> None:
            local = _local(tag)
            if local == "si":
                parts.clear()
            elif local == "t" and not state["skip"]:
                state["t"] = True
            elif local == "rPh":  # phonetic guide text is not part of the value
                state["skip"] += 1

        def end(tag: str) -> None:
            local = _local(tag)
            if local == "t":
                state["t"] = False
            elif local == "rPh":
                state["skip"] -= 1
            elif local == "si":
                self.strings.add(unescape("".join(parts)))

        def text(data: str) -> None:
            if state["t"]:
                parts.append(data)

        parser = expat.ParserCreate()
        parser.buffer_text = True
        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.CharacterDataHandler = text
        with self.zip.open(name) as handle:
            _parse(handle, parser)
        self.strings.done()


class XlsxSheet:
    """The parts of python-calamine's CalamineSheet that reading uses: `start`, `iter_rows()`
    (rows from the first, lists from column A) and `merged_cell_ranges`; and `iter_cells()` and
    `iter_merges()`, which cost what the file holds, not what its references claim."""

    def __init__(self, book: XlsxBook, part: str) -> None:
        self.book = book
        self.part = part
        self._merges: array[int] | None = None

    @functools.cached_property
    def start(self) -> tuple[int, int] | None:
        """Where the first value is (row, 0), or None for a sheet without any."""
        for r, cells in self.iter_cells():
            if any(v != "" for _, v in cells):
                return r, 0
        return None

    @property
    def merged_cell_ranges(self) -> list[tuple[tuple[int, int], tuple[int, int]]]:
        return list(self.iter_merges())

    def iter_merges(self) -> Iterator[tuple[tuple[int, int], tuple[int, int]]]:
        """The merged ranges as ((first row, first column), (last row, last column)), 0-based;
        kept as four ints each, so 60,000 of them take 1 MB."""
        if self._merges is None:
            self._merges = self._find_merges()
        flat = self._merges
        for i in range(0, len(flat), 4):
            yield (flat[i], flat[i + 1]), (flat[i + 2], flat[i + 3])

    def _find_merges(self) -> array[int]:
        """The merged ranges. They are listed after the rows, so the sheet is inflated once
        to find the <mergeCells> element (text cannot hold a "<", so only markup matches), and
        that element alone is parsed, as it streams past."""
        ranges: array[int] = array("i")
        if not self.part:
            return ranges

        class Done(Exception):
            pass

        def start(name: str, attrs: dict[str, str]) -> None:
            if _local(name) == "mergeCell" and attrs.get("ref"):
                first, _, last = attrs["ref"].partition(":")
                a, b = _cell(first.strip()), _cell((last or first).strip())
                if a and b:
                    if len(ranges) >= 4 * MAX_MERGES:
                        raise SheetRangeError(f"mergeCell × {MAX_MERGES:,}")
                    ranges.extend((*a, *b))

        def end(name: str) -> None:
            if _local(name) == "mergeCells":
                raise Done  # what follows the element is no business of this parser

        parser = expat.ParserCreate()
        parser.StartElementHandler = start
        parser.EndElementHandler = end
        with self.book.zip.open(self.part) as handle:
            buffer = b""
            while True:
                chunk = handle.read(CHUNK * 4)
                if not chunk:
                    return ranges
                buffer += chunk
                found = _MERGES.search(buffer)
                if found:
                    break
                buffer = buffer[-64:]  # a start tag may straddle two reads
            chunk = buffer[found.start() :]
            try:
                while chunk:
                    parser.Parse(chunk, False)
                    chunk = handle.read(CHUNK * 4)
                parser.Parse(b"", True)
            except Done:
                return ranges
        raise ValueError("the sheet ends inside <mergeCells>")

    def iter_rows(self) -> Iterator[list[Any]]:
        """Rows from the first, each a list from column A to its last value (python-calamine's
        shape; a missing row is [])."""
        emitted = 0
        for index, cells in self.iter_cells():
            while emitted < index:
                yield []
                emitted += 1
            row: list[Any] = []
            for col, value in cells:
                if value == "":
                    continue  # NoValue: python-calamine gives "" for it
                if col >= len(row):
                    row.extend([""] * (col + 1 - len(row)))
                row[col] = value
            yield row
            emitted += 1

    def iter_cells(self) -> Iterator[tuple[int, list[tuple[int, Any]]]]:
        """(0-based row, [(0-based column, value), …]) for each row the sheet holds, in order;
        a cell with no value is left out, a NoValue kept. A row written out of order or twice
        is kept, after the one before it: nothing is lost."""
        if not self.part or self.part not in self.book.names:
            return iter(())
        return self._rows()

    # Long function: the reader's hot loop: locals stay locals (measured in
    # benchmarks/bench_reception.py)
    def _rows(self) -> Iterator[tuple[int, list[tuple[int, Any]]]]:  # noqa: C901, PLR0915 (the reason is above)
        book = self.book
        strings, kinds, date1904 = book.strings, book.kinds, book.date1904
        done: list[tuple[int, list[tuple[int, Any]]]] = []
        cells: list[tuple[int, Any]] = []
        parts: list[str] = []
        # The parser's position, kept in locals of the closures (not a dict: this runs for
        # every element of the sheet).
        row_at = col = -1
        kind, style = "n", 0
        formula = False  # the cell has an <f>: no value then means never calculated
        collect = False  # inside <v>, or a <t> of an inline string outside a phonetic guide
        phonetic = 0
        codes: dict[str, int] = {}  # element name, prefixed or not → one of the codes below
        columns: dict[str, int] = {}

        def code_of(name: str) -> int:
            found = codes[name] = _CODES.get(_local(name), 0)
            return found

        def start(name: str, attrs: dict[str, str]) -> None:
            nonlocal row_at, col, kind, style, formula, collect, phonetic
            code = codes.get(name)
            if code is None:
                code = code_of(name)
            if code == _C:
                ref = attrs.get("r")
                letters = ref.rstrip("0123456789") if ref else ""
                found = columns.get(letters)
                if found is None and letters:
                    valid = letters.isascii() and letters.isalpha()
                    found = columns[letters] = _column(letters) if valid else -1
                col = found if found is not None and found >= 0 else col + 1
                if col >= MAX_COLUMNS:
                    raise SheetRangeError(ref or f"R{row_at + 1}C{col + 1}")
                kind = attrs.get("t", "n")
                s = attrs.get("s")
                style = int(s) if s and s.isascii() and s.isdigit() else 0
                parts.clear()
                collect = formula = False
            elif code == _V or (code == _T and kind == "inlineStr" and not phonetic):
                collect = True
            elif code == _F:
                formula = True
            elif code == _ROW:
                r = attrs.get("r")
                if r and r.isascii() and r.isdigit():
                    row_at = int(r) - 1 if len(r) <= 7 else MAX_ROWS
                else:
                    row_at += 1
                if row_at >= MAX_ROWS:
                    raise SheetRangeError(r or f"R{row_at + 1}")
                col = -1
                cells.clear()
            elif code == _RPH:  # phonetic guide text is not part of the value
                phonetic += 1

        def end(name: str) -> None:
            nonlocal collect, phonetic
            code = codes.get(name)
            if code is None:
                code = code_of(name)
            if code == _C:
                raw = "".join(parts)
                if formula and not raw and kind not in ("str", "inlineStr"):
                    value: Any = NoValue.of()  # a formula never calculated
                else:
                    value = _value(kind, raw, style)
                if (value != "" or type(value) is NoValue) and col >= 0:
                    cells.append((col, value))
            elif code == _V or code == _T:
                collect = False
            elif code == _RPH:
                phonetic = max(phonetic - 1, 0)
            elif code == _ROW:
                done.append((row_at, list(cells)))

        def text(data: str) -> None:
            if collect:
                parts.append(data)

        def _value(kind: str, raw: str, style: int) -> Any:
            if kind == "s":
                return strings.get(int(raw)) if raw.strip() else ""
            if kind in ("inlineStr", "str"):
                return unescape(raw)
            if kind == "b":
                return raw.strip().lower() in ("1", "true") if raw else ""
            if kind == "e":
                return NoValue.of(raw.strip()[:16] or "#VALUE!")
            if kind == "d":
                return _iso(raw)
            if not raw:
                return ""
            if not _NUMBER.fullmatch(raw):
                return unescape(raw)  # text in a number cell, as a tool wrote it: kept as text
            number = float(raw)
            shown = kinds[style] if 0 <= style < len(kinds) else OTHER
            return excel_datetime(number, shown, date1904) if shown else number

        parser = expat.ParserCreate()
        parser.buffer_text = True
        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.CharacterDataHandler = text
        last = -1
        size = FIRST_CHUNK  # the first rows come quickly: `start` needs only those
        with book.zip.open(self.part) as handle:
            while True:
                chunk = handle.read(size)
                size = CHUNK
                parser.Parse(chunk, not chunk)
                for index, row in done:
                    last = index = max(index, last + 1)  # out of order or repeated: kept
                    if row:
                        yield index, row
                done.clear()
                if not chunk:
                    break


def _iso(raw: str) -> Any:
    """A cell of type "d" (an ISO 8601 date, written by some tools instead of a number)."""
    text = raw.strip()
    for parse in (dt.date.fromisoformat, dt.datetime.fromisoformat, dt.time.fromisoformat):
        try:
            value = parse(text)
        except ValueError:
            continue
        return text if getattr(value, "tzinfo", None) else value  # a zone: left as written
    return text
