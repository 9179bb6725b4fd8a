"""The blank workbook of `liaison init` (toolkit/commands/init.py)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from toolkit import contract
from toolkit.commands.init import (
    DATA_ROWS,
    DATE_FORMAT,
    INTRO_SHEET,
    OPTIONS_SHEET,
    TABLE_HEADER,
    write_blank_workbook,
)


@pytest.fixture(scope="module")
def blank_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("blank") / "台账.xlsx"
    write_blank_workbook(path)
    return path


@pytest.fixture(scope="module")
def blank(blank_path: Path) -> Workbook:
    return openpyxl.load_workbook(blank_path)


def _validation(ws: Worksheet, column: int) -> DataValidation:
    letter = get_column_letter(column)
    found = [
        dv
        for dv in ws.data_validations.dataValidation
        if str(dv.sqref) == f"{letter}2:{letter}{DATA_ROWS}"
    ]
    assert len(found) == 1, f"{ws.title} column {letter}"
    return found[0]


def _columns(*kinds: str) -> list[tuple[contract.Sheet, int, contract.Column]]:
    return [
        (spec, c, column)
        for spec in contract.SHEETS
        for c, column in enumerate(spec.columns, start=1)
        if column.kind in kinds
    ]


def test_sheets_in_order_with_hidden_options_last(blank: Workbook) -> None:
    names = [spec.name for spec in contract.SHEETS]
    assert blank.sheetnames == [INTRO_SHEET, *names, OPTIONS_SHEET]
    assert blank[OPTIONS_SHEET].sheet_state == "hidden"
    assert all(blank[name].sheet_state == "visible" for name in [INTRO_SHEET, *names])


def test_header_row_is_the_contract(blank: Workbook) -> None:
    for spec in contract.SHEETS:
        ws = blank[spec.name]
        headers = [cell.value for cell in ws[1]]
        assert headers == [column.name for column in spec.columns], spec.name
        for cell, column in zip(ws[1], spec.columns, strict=True):
            assert cell.font.bold
            red = cell.font.color is not None and cell.font.color.rgb.endswith("C00000")
            assert red == column.required, f"{spec.name}.{column.name}"
        assert ws.freeze_panes == "A2"
        widths = [
            ws.column_dimensions[get_column_letter(c)].width
            for c in range(1, len(spec.columns) + 1)
        ]
        assert widths == [column.width for column in spec.columns]
        assert ws.page_setup.orientation == "landscape"
        assert str(ws.page_setup.paperSize) == str(ws.PAPERSIZE_A4)


def test_intro_sheet_lists_every_column(blank: Workbook) -> None:
    rows = list(blank[INTRO_SHEET].iter_rows(values_only=True))
    text = "\n".join(str(v) for row in rows for v in row if v)
    assert "2024.3.5" in text and "2024年3月5日" in text and "、" in text
    start = next(i for i, row in enumerate(rows) if tuple(row[:6]) == TABLE_HEADER)
    table = [row[:6] for row in rows[start + 1 :]]
    expected = [(spec.name, column.name) for spec in contract.SHEETS for column in spec.columns]
    assert [(row[0], row[1]) for row in table] == expected
    by_key = {(row[0], row[1]): row for row in table}
    assert by_key["接待登记", "接待代表"][2] == "是"
    assert by_key["接待登记", "住址"][2] is None
    assert "顿号" in by_key["接待登记", "接待代表"][3]
    assert by_key["联络站", "站点名称"][4] == "三元社区人大代表联络站"
    assert by_key["接待登记", "处理方式"][5] == "/".join(contract.ROUTES)


def test_every_column_has_an_input_hint(blank: Workbook) -> None:
    for spec in contract.SHEETS:
        ws = blank[spec.name]
        for c, column in enumerate(spec.columns, start=1):
            dv = _validation(ws, c)
            assert dv.showInputMessage and dv.promptTitle.startswith(column.name)
            assert len(dv.prompt) <= 255 and len(dv.promptTitle) <= 32
            if column.example:
                assert column.example in dv.prompt
            if column.hint:
                assert column.hint in dv.prompt


def test_enumerated_columns_have_drop_downs(blank: Workbook) -> None:
    options = blank[OPTIONS_SHEET]
    enumerated = _columns(contract.CHOICE, contract.LEVEL)
    assert enumerated
    for spec, c, column in enumerated:
        dv = _validation(blank[spec.name], c)
        assert dv.type == "list", column.name
        assert dv.errorStyle == "warning"  # clerks may type a variant that reading accepts
        formula = dv.formula1
        if len(column.choices) > 5:
            assert formula.startswith(f"'{OPTIONS_SHEET}'!$"), column.name
            ref = formula.split("!", 1)[1].replace("$", "")
            values = tuple(cell.value for (cell,) in options[ref])
            assert values == column.choices, column.name
        else:
            assert formula == '"' + ",".join(column.choices) + '"'


def test_long_lists_live_on_the_hidden_sheet(blank: Workbook) -> None:
    ws = blank["接待登记"]
    names = [column.name for column in contract.SHEETS_BY_NAME["接待登记"].columns]
    for name in ("问题类别", "处理方式"):
        assert _validation(ws, names.index(name) + 1).formula1.startswith("'_选项'!")
    person = names.index("接待代表") + 1
    assert _validation(ws, person).type is None  # no drop-down for people


def test_text_and_date_formats_on_data_cells(blank: Workbook) -> None:
    ws = blank["代表名册"]
    names = [column.name for column in contract.SHEETS_BY_NAME["代表名册"].columns]
    for name in ("联系电话", "代表证号"):
        letter = get_column_letter(names.index(name) + 1)
        assert ws[f"{letter}2"].number_format == "@"
        assert ws[f"{letter}{DATA_ROWS}"].number_format == "@"
        assert ws.column_dimensions[letter].number_format == "@"
    assert ws["A2"].number_format == "General"  # 姓名 stays general
    for spec, c, column in _columns(contract.PHONE, contract.CODE):
        assert blank[spec.name].cell(2, c).number_format == "@", f"{spec.name}.{column.name}"
    for spec, c, column in _columns(contract.DATE):
        assert blank[spec.name].cell(2, c).number_format == DATE_FORMAT, column.name


def test_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    path.write_bytes(b"clerk's work")
    with pytest.raises(FileExistsError):
        write_blank_workbook(path)
    assert path.read_bytes() == b"clerk's work"
    write_blank_workbook(path, overwrite=True)
    assert openpyxl.load_workbook(path).sheetnames[0] == INTRO_SHEET
    assert [p.name for p in tmp_path.iterdir()] == ["台账.xlsx"]  # no temporary file left


def test_same_bytes_every_time(tmp_path: Path, blank_path: Path) -> None:
    again = tmp_path / "again.xlsx"
    write_blank_workbook(again)
    assert again.read_bytes() == blank_path.read_bytes()


def test_reads_back_as_an_empty_station_workbook(blank_path: Path) -> None:
    from toolkit.read import read_workbook
    from toolkit.rules import load_rules
    from toolkit.validate import validate

    book = read_workbook(blank_path)
    assert set(book.ignored) == {INTRO_SHEET, OPTIONS_SHEET}
    data = validate(book, load_rules())
    assert data.problems == []
