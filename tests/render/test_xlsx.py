"""Excel register: values as text, A4 landscape print setup, header repeated, fit to width."""

from __future__ import annotations

import openpyxl

from conftest import reception
from toolkit.build import BuildOptions, build


def test_register_cells_and_print_setup(make_book, tmp_path):
    rows = [
        reception(code="X1", content="=1+1"),
        reception(code="X2", content="@SUM(A1)", visitor="+86"),
        reception(code="X3", phone=13812345678),
    ]
    out = tmp_path / "out"
    result = build(BuildOptions(workbook=make_book(rows), out=out, formats=("xlsx",), jobs=1))
    assert result.exit_code == 0
    path = next(out.glob("接待选民登记簿/*.xlsx"))
    assert path.name == "接待选民登记簿_三元社区人大代表联络站_2024年.xlsx"
    ws = openpyxl.load_workbook(path).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    flat = [v for row in values for v in row if v is not None]
    assert "三元社区人大代表联络站接待选民登记簿" in "".join(str(v) for v in flat)
    for text in ("=1+1", "@SUM(A1)", "+86", "13812345678"):
        cell = next(c for row in ws.iter_rows() for c in row if c.value == text)
        assert cell.data_type == "s", text
    assert ws.page_setup.paperSize in (9, "9")
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth in (1, "1")
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows
    assert ws.freeze_panes


def test_literal_excel_escapes_stay_as_typed(make_book, tmp_path):
    # The clerk typed _x0041_ (Excel stores it as _x005F_x0041_): the register must show it.
    out = tmp_path / "out"
    build(
        BuildOptions(
            workbook=make_book([reception(visitor="_x005F_x0041_")]),
            out=out,
            formats=("xlsx",),
            jobs=1,
        )
    )
    # Read as Excel does (openpyxl leaves escapes undecoded; calamine decodes them like Excel).
    import python_calamine

    path = next(out.glob("接待选民登记簿/*.xlsx"))
    rows = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert "_x0041_" in [value for row in rows for value in row]
