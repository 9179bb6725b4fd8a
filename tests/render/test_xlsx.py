"""Excel: text stays text, dates/counts/shares are typed with formats, the header row has an
autofilter; A4 landscape print setup, header repeated, fit to width."""

from __future__ import annotations

import re

import openpyxl
import pytest

from conftest import reception
from toolkit.commands.build import build
from toolkit.forms import load_forms
from toolkit.model import BuildOptions


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


# ── typed cells a clerk can sort, filter and sum ─────────────────────────────────────────────

LAYOUT = """
sheet: 登记
title: "{{ 标题 }}"
subtitle: "截至{{ 截至 }}"
rows: [记录, 合计]
filter: 记录
columns:
  - {header: 序号, value: 序号}
  - {header: 日期, value: 日期, width: 15}
  - {header: 时间, value: 时间}
  - {header: 人数, value: 人数}
  - {header: 金额, value: 金额, format: "#,##0.00"}
  - {header: 比例, value: 比例}
  - {header: 代表, value: 代表}
  - {header: 内容, value: 内容, format: "#,##0.00"}
"""


def _render(tmp_path, layout: str, context: dict) -> bytes:
    import io

    from toolkit.render.templating import make_env
    from toolkit.render.xlsx import XlsxRenderer

    path = tmp_path / "layout.yaml"
    path.write_text(layout, encoding="utf-8")
    stream = io.BytesIO()
    XlsxRenderer(path, make_env(autoescape=False), "layout.yaml").render(context, stream)
    return stream.getvalue()


def _context() -> dict:
    import datetime as dt

    from toolkit import chinese

    rows = [
        {
            "序号": i,
            "日期": chinese.typed(day),
            "时间": chinese.typed(dt.time(14, 30)),
            "人数": count,
            "金额": money,
            "比例": chinese.percent(count, 7),
            "代表": chinese.typed(("王伟", "李娜")),
            "内容": text,
        }
        for i, (day, count, money, text) in enumerate(
            [
                (dt.date(2024, 10, 5), 3, 12.5, "=SUM(A1:A9)"),
                (dt.date(2024, 3, 15), 4, 1200, "路灯不亮"),
            ],
            start=1,
        )
    ]
    return {
        "标题": "登记簿",
        "截至": chinese.typed(dt.date(2024, 12, 31)),
        "记录": rows,
        "合计": [{"序号": "合计", "人数": 7}],
    }


def test_cells_keep_their_type_and_show_as_the_pdf_does(tmp_path):
    import datetime as dt
    import io

    from toolkit.render.xlsx import DATE_FORMAT

    data = _render(tmp_path, LAYOUT, _context())
    assert data == _render(tmp_path, LAYOUT, _context())  # same rows, same bytes
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    assert ws["A2"].value == "截至2024年12月31日"  # a date in a sentence prints as GB/T 9704
    row = {c.value: cell for c, cell in zip(ws[3], ws[4], strict=True)}
    assert (
        row["日期"].value == dt.datetime(2024, 10, 5) and row["日期"].number_format == DATE_FORMAT
    )
    assert row["时间"].value == dt.time(14, 30) and row["时间"].number_format == "h:mm"
    assert row["人数"].value == 3 and row["人数"].data_type == "n"
    assert row["人数"].number_format == "0"
    assert row["金额"].value == 12.5 and row["金额"].number_format == "#,##0.00"
    assert row["比例"].value == 0.4286 and row["比例"].number_format == "0.00%"  # 42.86%
    assert row["代表"].value == "王伟、李娜" and row["代表"].data_type == "s"
    # Text stays text even in a column with a number format, and never becomes a formula.
    assert row["内容"].value == "=SUM(A1:A9)" and row["内容"].data_type == "s"
    assert row["内容"].number_format == "@"
    # The filter spans the header and the records, not the totals row under them.
    assert ws.auto_filter.ref == "A3:H5"
    assert ws["A6"].value == "合计"
    dates = [ws.cell(r, 2).value for r in (4, 5)]
    assert sorted(dates) == [dt.datetime(2024, 3, 15), dt.datetime(2024, 10, 5)]


def test_filter_off_and_over_every_list(tmp_path):
    import io

    for setting, ref in (("filter: false", None), ("filter: true", "A3:H6")):
        layout = LAYOUT.replace("filter: 记录", setting)
        ws = openpyxl.load_workbook(io.BytesIO(_render(tmp_path, layout, _context()))).active
        assert ws.auto_filter.ref == ref, setting


@pytest.fixture(scope="module")
def sample_sheets(sample_build):
    """Every Excel file a build of the bundled sample makes (the session's build)."""
    return sorted(sample_build.out.rglob("*.xlsx"))


DATE_TEXT = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")
NUMBER_TEXT = re.compile(r"^-?\d{1,6}(\.\d+)?%?$")  # a count or share, not a phone number


def test_every_sheet_of_the_sample_can_be_sorted_and_filtered(sample_sheets):
    forms = {path.parent.name for path in sample_sheets}
    excel = {f.title for f in load_forms().values() if "xlsx" in f.formats}
    assert forms == excel  # every form with an Excel format
    for path in sample_sheets:
        for ws in openpyxl.load_workbook(path).worksheets:
            headers = [c.value for c in ws[3]]
            last = openpyxl.utils.get_column_letter(len(headers))
            assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A3:" + last), path.name
            end = int(ws.auto_filter.ref.rsplit(last, 1)[1])
            for row in ws.iter_rows(min_row=4, max_row=end):  # the records, not the footer
                for cell in row:
                    if isinstance(cell.value, str):
                        # No date, count or share left as text a clerk cannot sort or sum.
                        assert not DATE_TEXT.match(cell.value), (path.name, cell.coordinate)
                        assert not NUMBER_TEXT.match(cell.value), (path.name, cell.coordinate)


def test_sample_register_dates_are_excel_dates_in_order(sample_sheets):
    import datetime as dt

    from toolkit.render.xlsx import DATE_FORMAT

    register = next(p for p in sample_sheets if p.parent.name == "接待选民登记簿")
    ws = openpyxl.load_workbook(register).active
    assert [c.value for c in ws[3]][:2] == ["序号", "接待日期"]
    cells = [row[1] for row in ws.iter_rows(min_row=4) if row[0].value]
    assert cells and all(isinstance(c.value, dt.datetime) for c in cells)
    assert {c.number_format for c in cells} == {DATE_FORMAT}
    assert [c.value for c in cells] == sorted(c.value for c in cells)
    assert ws.auto_filter.ref == f"A3:L{3 + len(cells)}"
    tally = next(p for p in sample_sheets if p.parent.name == "述职评议测评结果")
    ws = openpyxl.load_workbook(tally).active
    header = [c.value for c in ws[3]]
    share = ws.cell(4, header.index("满意及基本满意比例") + 1)
    assert isinstance(share.value, float) and share.number_format == "0.00%"
    votes = ws.cell(4, header.index("有效票数") + 1)
    assert isinstance(votes.value, int) and votes.number_format == "0"


def test_a_long_title_and_a_long_header_wrap_instead_of_being_cut_off(tmp_path):
    import io

    layout = """
sheet: 测评结果
title: "关于背街小巷环境整治的代表议事会满意度测评结果"
rows: 测评
columns:
  - {header: 等次, value: 等次, width: 10}
  - {header: 满意及基本满意比例, value: 占比, width: 11}
"""
    data = _render(tmp_path, layout, {"测评": [{"等次": "满意", "占比": 0.75}]})
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    assert ws["A1"].alignment.wrap_text and ws.row_dimensions[1].height > 30
    assert ws["A3"].alignment.wrap_text and ws.row_dimensions[3].height >= 2 * 14.5
