"""The streaming .xlsx reader gives what python-calamine gives, row by row, and a damaged file
is a one-line message, never a traceback."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

import pytest
import python_calamine
import xlsx_parts as parts

from conftest import reception
from toolkit.commands.build import check
from toolkit.errors import WorkbookError
from toolkit.read import read_workbook, xlsx_stream
from toolkit.read.xlsx_stream import XlsxBook
from toolkit.rules import load_rules
from toolkit.validate import validate


def _trimmed(rows: list[list[Any]]) -> list[list[Any]]:
    out = [list(row) for row in rows]
    for row in out:
        while row and row[-1] == "":
            row.pop()
    while out and not out[-1]:
        out.pop()
    return out


def _both(path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """Each sheet as (first row with a value, rows from column A, merges) by both readers."""
    calamine, ours = {}, {}
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    for name in book.sheet_names:
        sheet = book.get_sheet_by_name(name)
        if sheet.start is None:
            calamine[name] = (None, [], [])
            continue
        pad = [""] * sheet.start[1]
        rows = [pad + list(row) for row in sheet.iter_rows()]
        calamine[name] = (sheet.start[0], _trimmed(rows), sorted(sheet.merged_cell_ranges or []))
    streamed = XlsxBook(path)
    for name in streamed.sheet_names:
        sheet = streamed.get_sheet_by_name(name)
        start = sheet.start
        rows = _trimmed([list(row) for row in sheet.iter_rows()])
        ours[name] = (start and start[0], rows, sorted(sheet.merged_cell_ranges))
    streamed.close()
    return calamine, ours


def _typed(found: dict[str, Any]) -> dict[str, Any]:
    """Values with their types: 1.0 and True, or a date and a datetime, are not the same here."""
    return {
        name: (start, [[(type(v).__name__, v) for v in row] for row in rows], merges)
        for name, (start, rows, merges) in found.items()
    }


@pytest.mark.parametrize("prefix", ["", "x:"])
@pytest.mark.parametrize("date1904", [False, True])
def test_every_kind_of_cell_reads_as_python_calamine_reads_it(tmp_path, prefix, date1904):
    path = parts.write_book(
        tmp_path / "edge.xlsx",
        {"接待登记": parts.edge_sheet(prefix), "空表": parts.edge_sheet(prefix, values=[])},
        parts.strings_xml(p=prefix),
        parts.styles_xml(),
        date1904=date1904,
    )
    calamine, ours = _both(path)
    assert _typed(ours) == _typed(calamine)
    rows = ours["接待登记"][1]
    assert rows[2][1:7] == ["接待日期", "  来访人 ", "", "富 文本 ", "公式&结果", ""]
    assert rows[2][11] == "A&B <x> {{7*7}} =1+1 \x0b"  # kept as text, the escape decoded
    assert rows[-1] == ["\x0b控制\n换行 _x0041_"]
    first = dt.date(2028, 3, 6) if date1904 else dt.date(2024, 3, 5)
    assert rows[5][0] == first  # 45356 under yyyy"年"m"月"d"日"
    assert rows[4 + 1 + len(parts.FORMATS) + 2][0] == first  # built-in 31, no format text


def test_sample_and_generated_workbooks_read_the_same_as_python_calamine(tmp_path):
    from toolkit.commands.sample import make_sample
    from toolkit.paths import SAMPLE_WORKBOOK

    big = tmp_path / "big.xlsx"
    make_sample(big, stations=3, receptions=600, year=2024, seed=11)
    for path in (SAMPLE_WORKBOOK, big, parts.to_shared_strings(big, tmp_path / "sst.xlsx")):
        calamine, ours = _both(path)
        assert _typed(ours) == _typed(calamine), path.name


def test_shared_strings_spilled_to_disk_read_the_same(tmp_path, monkeypatch, make_book):
    book = make_book(
        [reception(code=f"JD-{i:03}", content=f"第{i}件：路灯不亮") for i in range(40)]
    )
    shared = parts.to_shared_strings(book, tmp_path / "shared.xlsx")
    rules = load_rules()
    in_memory = validate(read_workbook(shared), rules).rows("接待登记")
    monkeypatch.setattr(xlsx_stream, "STRINGS_IN_MEMORY", 5)
    spilled_book = read_workbook(shared)
    assert spilled_book.book.strings.file is not None  # the table really went to disk
    spilled = validate(spilled_book, rules).rows("接待登记")
    assert [r.values for r in spilled] == [r.values for r in in_memory]
    assert [r["登记编号"] for r in spilled][:3] == ["JD-000", "JD-001", "JD-002"]
    assert spilled[39]["反映内容"] == "第39件：路灯不亮"


def test_a_phone_number_under_a_time_format_is_read_not_a_crash(make_book):
    """A phone number that took a duration format ([h]:mm:ss) is read as the number typed;
    python-calamine raised OverflowError on it, a traceback for the clerk."""
    import openpyxl

    path = make_book([reception(code="A1"), reception(code="A2")])
    wb = openpyxl.load_workbook(path)
    cell = wb["接待登记"]["G3"]
    cell.value, cell.number_format = 13812345678, "[h]:mm:ss"  # copied from a 用时 column
    wb.save(path)
    with pytest.raises(OverflowError):  # what reading it with python-calamine did
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        list(book.get_sheet_by_name("接待登记").iter_rows())
    data = check(path)
    assert not data.errors, [str(p) for p in data.errors]
    assert [r["联系电话"] for r in data.rows("接待登记")] == ["13912345678", "13812345678"]


def test_a_sheet_damaged_past_its_first_rows_is_one_message_naming_the_sheet(tmp_path, make_book):
    source = make_book([reception(code=f"A{i}") for i in range(30)])
    path = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info.filename)
            if b"A20</t>" in data:  # the reception sheet: cut it off inside row 21
                data = data[: data.index(b"A20</t>")]
            new.writestr(info, data)
    with pytest.raises(WorkbookError) as caught:
        check(path)
    assert str(caught.value).startswith("读取工作表“接待登记”第")
    assert "文件已损坏" in str(caught.value)


def test_a_cell_pointing_past_the_shared_strings_is_damage_not_a_blank(tmp_path):
    sheet = (
        f'<worksheet xmlns="{parts.MAIN}"><sheetData><row r="1">'
        '<c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>7</v></c></row></sheetData></worksheet>'
    )
    path = parts.write_book(tmp_path / "bad.xlsx", {"接待登记": sheet}, parts.strings_xml())
    book = XlsxBook(path)
    with pytest.raises(IndexError):
        list(book.get_sheet_by_name("接待登记").iter_rows())
    book.close()
    with pytest.raises(WorkbookError) as caught:  # what the clerk reads: one line, no traceback
        check(path)
    assert str(caught.value).startswith("读取“bad.xlsx”的工作表“接待登记”时出错：文件已损坏")


@pytest.mark.parametrize("prefix", ["", "x:"])
@pytest.mark.parametrize("chunk", [7, 1 << 16])
def test_merged_ranges_are_the_merge_cells_only(tmp_path, monkeypatch, prefix, chunk):
    """Not the ranges of drop-downs, hyperlinks or shared formulas, not text that reads
    "mergeCells", with either quote, in any prefix, across any read boundary."""
    monkeypatch.setattr(xlsx_stream, "CHUNK", chunk)
    p = prefix
    ns = f'xmlns{":" + p[:-1] if p else ""}="{parts.MAIN}"'
    sheet = (
        f"<{p}worksheet {ns}><{p}sheetData>"
        f'<{p}row r="1"><{p}c r="A1" t="inlineStr"><{p}is><{p}t>mergeCells ref="B1:B9"</{p}t>'
        f'</{p}is></{p}c><{p}c r="B1"><{p}f t="shared" ref="B1:B5" si="0">A1</{p}f>'
        f"<{p}v>1</{p}v></{p}c></{p}row></{p}sheetData>"
        f'<{p}mergeCells count="2"><{p}mergeCell ref="A2:A4"/><{p}mergeCell ref=\'C1:D1\'>'
        f"</{p}mergeCell></{p}mergeCells>"
        f'<{p}dataValidations count="1"><{p}dataValidation type="list" sqref="N2:N200">'
        f'<{p}formula1>"已办结"</{p}formula1></{p}dataValidation></{p}dataValidations>'
        f'<{p}hyperlinks><{p}hyperlink ref="E1" display="x"/></{p}hyperlinks>'
        f"</{p}worksheet>"
    )
    path = parts.write_book(tmp_path / "m.xlsx", {"接待登记": sheet})
    book = XlsxBook(path)
    assert book.get_sheet_by_name("接待登记").merged_cell_ranges == [
        ((1, 0), (3, 0)),
        ((0, 2), (0, 3)),
    ]
    book.close()
    calamine = python_calamine.CalamineWorkbook.from_path(str(path))
    assert sorted(calamine.get_sheet_by_name("接待登记").merged_cell_ranges) == [
        ((0, 2), (0, 3)),
        ((1, 0), (3, 0)),
    ]


def test_cells_other_tools_write_read_as_python_calamine_reads_them(tmp_path):
    """TRUE as a boolean, text left in a number cell, a shared-string cell with no index, a
    time zone on an ISO date (kept as written), a fraction of a second past midnight (a moment,
    not a date), and a relationship naming the sheet in another case."""
    sheet = (
        f'<worksheet xmlns="{parts.MAIN}"><sheetData><row r="1">'
        '<c r="A1" t="b"><v>TRUE</v></c><c r="B1"><v>1,234</v></c><c r="C1" t="s"/>'
        '<c r="D1" t="s"><v></v></c><c r="E1" t="d"><v>2024-03-05T10:30:00Z</v></c>'
        '<c r="F1" s="18"><v>45356.0000000001</v></c><c r="G1"><v> 12 </v></c>'
        "</row></sheetData></worksheet>"
    )
    path = parts.write_book(tmp_path / "odd.xlsx", {"接待登记": sheet}, styles=parts.styles_xml())
    renamed = tmp_path / "renamed.xlsx"
    with zipfile.ZipFile(path) as old, zipfile.ZipFile(renamed, "w") as new:
        for info in old.infolist():
            name = info.filename.replace("sheet1.xml", "Sheet1.xml")
            new.writestr(name, old.read(info.filename))
    for book_path in (path, renamed):
        calamine, ours = _both(book_path)
        assert _typed(ours) == _typed(calamine)
        row = ours["接待登记"][1][0]
        assert row[:3] == [True, "1,234", ""] and row[4] == "2024-03-05T10:30:00Z"
        assert row[5] == dt.datetime(2024, 3, 5) and row[6] == " 12 "
