"""Input files that must not take the machine down, and one bad cell that is one rejected cell:
each case as the issue tried it, through `liaison check` (exit code and the line a clerk reads)
or the reader, with time and the cells read bounded by what the file really holds."""

from __future__ import annotations

import re
import time

import hostile_books as hb
import pytest
from click.testing import CliRunner

from conftest import (
    DEPUTIES,
    RECEPTION_FORMS,
    RECEPTION_HEADER,
    STATIONS,
    reception,
    write_workbook,
)
from toolkit.cli import cli
from toolkit.commands.build import build, check
from toolkit.errors import WorkbookError
from toolkit.model import BuildOptions
from toolkit.read import read_workbook
from toolkit.read import xlsx_stream as stream
from toolkit.rules import load_rules
from toolkit.validate import validate


def _check(path):
    """`liaison check path`: (exit code, the lines written)."""
    result = CliRunner().invoke(cli, ["check", str(path)], catch_exceptions=False)
    return result.exit_code, result.output.strip().splitlines()


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def test_a_column_past_xfd_is_refused_naming_the_sheet(tmp_path):
    """61 KB whose rows each hold one cell at column ZZZZZ took 4 GB: now one line, at once."""
    base = hb.station_book(tmp_path / "a.xlsx")
    rows = "".join(f'<row r="{i}">{_inline(f"ZZZZZ{i}", "x")}</row>' for i in range(10, 5000))
    path = hb.with_sheet(base, tmp_path / "zzzzz.xlsx", "接待登记", hb.append_rows(rows))
    started = time.perf_counter()
    code, lines = _check(path)
    assert time.perf_counter() - started < 5
    assert code == 1
    assert lines == [
        "错误：“zzzzz.xlsx”的工作表“接待登记”中有超出 Excel 范围的单元格位置“ZZZZZ10”"
        "（最多 1048576 行、XFD 列），文件已损坏或不是 Excel 保存的"
        "（请在 Excel/WPS 中打开并重新保存；打不开时请用备份）"
    ]


@pytest.mark.parametrize("row", ["2000000000", "100000000", "1048577", "9" * 5000])
def test_a_row_past_the_last_is_refused(tmp_path, row):
    """<row r="2000000000"> walked two billion empty rows (18 minutes)."""
    base = hb.station_book(tmp_path / "a.xlsx")
    xml = f'<row r="{row}">{_inline("A1", "x")}</row>'
    path = hb.with_sheet(base, tmp_path / "far.xlsx", "接待登记", hb.append_rows(xml))
    code, lines = _check(path)
    assert code == 1 and len(lines) == 1
    assert "工作表“接待登记”中有超出 Excel 范围的单元格位置" in lines[0]


def test_the_last_row_and_column_themselves_are_read(tmp_path):
    base = hb.station_book(tmp_path / "a.xlsx")
    xml = f'<row r="1048576">{_inline("A1048576", "2024-3-5")}{_inline("XFD1048576", "x")}</row>'
    path = hb.with_sheet(base, tmp_path / "edge.xlsx", "接待登记", hb.append_rows(xml))
    started = time.perf_counter()
    data = validate(read_workbook(path), load_rules())
    assert time.perf_counter() - started < 5  # the million rows between are not walked
    assert data.read["接待登记"] == 4
    assert "接待登记!B1048576 联络站：不能为空" in [str(p) for p in data.errors]


def test_a_cell_at_xfd_costs_one_cell_not_a_row_of_16384(tmp_path):
    base = hb.station_book(tmp_path / "a.xlsx")
    rows = "".join(f'<row r="{i}">{_inline(f"XFD{i}", "x")}</row>' for i in range(10, 20_000))
    path = hb.with_sheet(base, tmp_path / "xfd.xlsx", "接待登记", hb.append_rows(rows))
    book = read_workbook(path)
    sheet = book.book.get_sheet_by_name("接待登记")
    assert max(len(cells) for _, cells in sheet.iter_cells()) == 14  # the header, not 16,384
    started = time.perf_counter()
    data = validate(book, load_rules())
    assert time.perf_counter() - started < 3
    assert data.read["接待登记"] == 3 and not data.errors  # a row of only a stray cell is blank


def sixty_thousand_merges(tmp_path):
    """60,000 rows, each with 反映内容 merged over D:G, and dates merged down four rows at a
    time (75,000 ranges)."""
    rows, merges = [], []
    for r in range(2, 60_002):
        date = f'<c r="A{r}"><v>45366</v></c>' if r % 4 == 2 else ""
        rows.append(
            f'<row r="{r}">{date}{_inline(f"B{r}", STATIONS[1][0])}'
            f"{_inline(f'C{r}', '王伟')}{_inline(f'D{r}', f'第{r}件')}</row>"
        )
        merges.append(f'<mergeCell ref="D{r}:G{r}"/>')
        if r % 4 == 2:
            merges.append(f'<mergeCell ref="A{r}:A{r + 3}"/>')

    def edit(xml: str) -> str:
        xml = re.sub(r"<row r=\"[2-9]\".*?</row>", "", xml)
        merged = f'<mergeCells count="{len(merges)}">{"".join(merges)}</mergeCells>'
        return xml.replace("</sheetData>", "".join(rows) + "</sheetData>" + merged)

    base = hb.station_book(tmp_path / "a.xlsx", receptions=0)
    return hb.with_sheet(base, tmp_path / "merged.xlsx", "接待登记", edit)


def test_sixty_thousand_merges_over_sixty_thousand_rows_are_indexed(tmp_path):
    """Every range was checked on every row: 1:53. Now each row costs what one row costs."""
    path = sixty_thousand_merges(tmp_path)
    started = time.perf_counter()
    book = read_workbook(path)
    cells = [raw.cells for raw in book.sheets["接待登记"].rows]
    elapsed = time.perf_counter() - started
    book.close()
    assert len(cells) == 60_000
    assert all(row[1] == 45366 for row in cells)  # each row has its date, merged down
    assert cells[59_999][4] == cells[59_999][6] == "第60001件"  # 来访人 (F) is under the merge
    assert elapsed < 6


def test_an_ods_row_repeated_20000_times_1000_wide_is_refused(tmp_path):
    """1 KB of XML that python-calamine expanded to 2.5 GB."""
    tables = hb.ods_station_tables()
    tables["接待登记"] += hb.ods_row(
        [], repeat=20_000, tail=hb.ods_cell(None, 1000) + hb.ods_cell("x")
    )
    path = hb.write_ods(tmp_path / "repeat.ods", tables)
    assert path.stat().st_size < 2000
    code, lines = _check(path)
    assert code == 1
    assert lines == [
        "错误：“repeat.ods”的工作表“接待登记”数据范围过大（20002 行 × 1001 列），"
        "超出 .xls/.ods 能安全读取的范围"
        "（请在 Excel/WPS 中删除远处多余的单元格，或另存为 .xlsx 再用：.xlsx 不受此限）"
    ]


def test_an_ods_with_libreoffices_trailing_repeats_reads(tmp_path):
    """LibreOffice ends every sheet with empty rows and cells repeated to the last: no content."""
    tables = hb.ods_station_tables()
    tables["接待登记"] += hb.ods_row([], repeat=1_048_000, tail=hb.ods_cell(None, 16_000))
    path = hb.write_ods(tmp_path / "lo.ods", tables)
    code, lines = _check(path)
    assert code == 0, lines
    assert "读取：共 7 行（联络站 2、代表名册 4、接待登记 1）" in lines


def test_an_xls_with_two_values_at_opposite_corners_is_refused(tmp_path):
    """One value at A1 and one at IV65536: python-calamine made 16.7 million cells (1 GB)."""
    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook()
    sheet = book.add_sheet("接待登记")
    sheet.write(0, 0, "接待日期")
    sheet.write(65535, 255, "x")
    path = tmp_path / "corner.xls"
    book.save(str(path))
    code, lines = _check(path)
    assert code == 1
    assert lines[0].startswith(
        "错误：“corner.xls”的工作表“接待登记”数据范围过大（65536 行 × 256 列）"
    )


def test_a_listed_sheet_whose_part_is_missing_is_an_error_naming_it(tmp_path):
    """120 receptions vanished and check passed with exit 0."""
    base = hb.station_book(tmp_path / "a.xlsx")
    path = hb.rewrite(base, tmp_path / "gone.xlsx", {hb.part_of(base, "接待登记"): lambda _: None})
    code, lines = _check(path)
    assert code == 1
    assert lines == [
        "错误：“gone.xlsx”已损坏：工作表“接待登记”列在工作簿中，但文件里没有它的内容"
        "（请在 Excel/WPS 中打开并重新保存；打不开时请用备份）"
    ]


def test_a_chart_sheet_is_not_a_missing_sheet(tmp_path):
    base = hb.station_book(tmp_path / "a.xlsx")

    def add_chart(xml: str) -> str:
        return xml.replace("</sheets>", '<sheet name="图表1" sheetId="9" r:id="rId99"/></sheets>')

    def add_rel(xml: str) -> str:
        return xml.replace(
            "</Relationships>",
            '<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/chartsheet" Target="chartsheets/sheet1.xml"/></Relationships>',
        )

    path = hb.rewrite(
        base,
        tmp_path / "chart.xlsx",
        {"xl/workbook.xml": add_chart, "xl/_rels/workbook.xml.rels": add_rel},
        add={"xl/chartsheets/sheet1.xml": "<chartsheet/>"},
    )
    code, lines = _check(path)
    assert code == 0, lines


def _formula_book(tmp_path, cell: str):
    """The first reception's 反映内容 (D2) replaced by `cell`."""
    base = hb.station_book(tmp_path / "a.xlsx", receptions=2)
    return hb.with_sheet(
        base, tmp_path / "f.xlsx", "接待登记", lambda xml: re.sub(r'<c r="D2".*?</c>', cell, xml)
    )


def test_a_formula_never_calculated_says_so_and_how_to_fix_it(tmp_path):
    """openpyxl and other programs write <f>…</f><v></v>: was "反映内容：不能为空"."""
    path = _formula_book(tmp_path, '<c r="D2"><f>"路灯"&amp;"不亮"</f><v></v></c>')
    code, lines = _check(path)
    assert code == 1
    assert (
        "接待登记!D2 反映内容：是公式，但文件中没有保存计算结果，读不到内容（请在 Excel 或 WPS "
        "中打开台账并保存一次（公式会算出结果），或把该单元格改为直接填写的内容）"
    ) in lines
    assert not [line for line in lines if "不能为空" in line]


@pytest.mark.parametrize(
    "cell, expected",
    [
        ('<c r="D2" t="str"><f>"路灯"&amp;"不亮"</f><v>路灯不亮</v></c>', "路灯不亮"),
        ('<c r="D2"><f t="shared" si="0"/><v>12</v></c>', "12"),  # a saved result is read
    ],
)
def test_a_formula_with_its_saved_result_reads_the_result(tmp_path, cell, expected):
    data = check(_formula_book(tmp_path, cell))
    assert not data.errors
    assert data.rows("接待登记")[0]["反映内容"] == expected


def test_an_error_value_is_named(tmp_path):
    required = check(_formula_book(tmp_path, '<c r="D2" t="e"><f>1/0</f><v>#DIV/0!</v></c>'))
    assert [str(p) for p in required.errors] == [
        "接待登记!D2 反映内容：公式出错，显示为“#DIV/0!”，读不到内容"
        "（请在 Excel/WPS 中改正公式，或直接填写内容）"
    ]
    base = hb.station_book(tmp_path / "b.xlsx", receptions=1)
    optional = check(
        hb.with_sheet(
            base,
            tmp_path / "g.xlsx",
            "接待登记",
            lambda xml: re.sub(r'<c r="H2".*?</c>', '<c r="H2" t="e"><v>#N/A</v></c>', xml),
        )
    )
    assert not optional.errors
    assert [str(p) for p in optional.warnings] == [
        "【提醒】接待登记!H2 住址：公式出错，显示为“#N/A”，读不到内容，按空白处理"
        "（请在 Excel/WPS 中改正公式，或直接填写内容）"
    ]


def _emoji_book(tmp_path):
    rows = [
        reception(code="A1"),
        reception(code="A2", content="表情_xD83D_被截断"),
        reception(code="A3", content="路灯不亮"),
    ]
    return write_workbook(
        tmp_path / "emoji.xlsx",
        {"联络站": STATIONS, "代表名册": DEPUTIES, "接待登记": [RECEPTION_HEADER, *rows]},
    )


def test_half_an_emoji_is_a_problem_at_its_cell(tmp_path):
    """Was exit 3, 程序内部错误（UnicodeEncodeError …）, naming no cell."""
    code, lines = _check(_emoji_book(tmp_path))
    assert code == 1
    assert lines[0] == (
        "接待登记!D3 反映内容：含有不完整的字符（如被截断的表情符号），无法打印"
        "（请删除该处乱码，或重新输入完整的内容）"
    )
    assert lines[1:3] == [
        "读取：共 9 行（联络站 2、代表名册 4、接待登记 3）",
        "拒绝：1 行（接待登记 1 行），原因见上",
    ]


def test_keep_going_writes_the_rows_beside_half_an_emoji(tmp_path):
    out = tmp_path / "out"
    result = build(
        BuildOptions(
            workbook=_emoji_book(tmp_path),
            out=out,
            only=RECEPTION_FORMS[:1],
            formats=("docx",),
            jobs=1,
            keep_going=True,
        )
    )
    assert result.rows_rejected == 1 and result.exit_code == 1
    names = sorted(p.name for p in out.rglob("*.docx"))
    assert len(names) == 2 and any("A1" in n for n in names) and any("A3" in n for n in names)


def test_an_emoji_escaped_as_its_two_halves_is_that_emoji(tmp_path):
    assert stream.unescape("整个表情_xD83D__xDE00_完好") == "整个表情😀完好"
    assert stream.unescape("表情_xD83D_被截断") == "表情\ud83d被截断"


def test_a_damaged_shared_string_table_is_one_line(tmp_path):
    base = hb.station_book(tmp_path / "a.xlsx", receptions=1)
    path = hb.with_sheet(
        base,
        tmp_path / "sst.xlsx",
        "接待登记",
        lambda xml: re.sub(r'<c r="D2".*?</c>', '<c r="D2" t="s"><v>999999</v></c>', xml),
    )
    with pytest.raises(WorkbookError) as info:
        check(path)
    assert str(info.value) == (
        "读取“sst.xlsx”的工作表“接待登记”时出错：文件已损坏"
        "（请在 Excel/WPS 中打开并重新保存；打不开时请用备份）"
    )


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
    + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
    + "]>"
)


@pytest.mark.parametrize("part", ["sheet", "styles"])
def test_an_entity_bomb_is_one_line_at_once(tmp_path, part):
    """Ten levels of ten: 10^10 characters from a few hundred bytes."""
    base = hb.station_book(tmp_path / "a.xlsx")
    name = hb.part_of(base, "接待登记") if part == "sheet" else "xl/styles.xml"

    def bomb(xml: str) -> str:
        body = re.sub(r"^<\?xml[^>]*\?>", "", xml)
        return BILLION_LAUGHS + body.replace("<t>", "<t>&j;", 1).replace(
            "<fonts", '<numFmts><numFmt numFmtId="200" formatCode="&j;"/></numFmts><fonts', 1
        )

    path = hb.rewrite(base, tmp_path / "bomb.xlsx", {name: bomb})
    started = time.perf_counter()
    code, lines = _check(path)
    assert time.perf_counter() - started < 5
    assert code == 1 and len(lines) == 1 and lines[0].startswith("错误：")


def test_an_external_entity_is_never_read(tmp_path):
    """XXE: a shared string that names /etc/hostname; its content must never reach a cell."""
    secret = tmp_path / "secret.txt"
    secret.write_text("机密内容", encoding="utf-8")
    base = hb.to_shared_strings(hb.station_book(tmp_path / "a.xlsx"), tmp_path / "s.xlsx")

    def xxe(xml: str) -> str:
        head = f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "{secret.as_uri()}">]>'
        return head + re.sub(r"^<\?xml[^>]*\?>", "", xml).replace("<t", "<t>&e;</t><t", 1)

    path = hb.rewrite(base, tmp_path / "xxe.xlsx", {"xl/sharedStrings.xml": xxe})
    code, lines = _check(path)
    assert code in (0, 1) and not any("机密内容" in line for line in lines)
    if code == 0:
        data = check(path)
        assert all("机密内容" not in str(v) for r in data.rows("联络站") for v in r.values.values())
