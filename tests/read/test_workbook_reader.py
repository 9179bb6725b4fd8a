"""Reading workbooks as clerks really fill them, and refusing what is not a workbook."""

import datetime as dt
import shutil
import zipfile

import openpyxl
import pytest

from conftest import DEPUTIES, STATION, STATIONS, reception, write_workbook
from toolkit.errors import WorkbookError
from toolkit.read import read_workbook
from toolkit.rules import load_rules
from toolkit.validate import validate


def _records(path):
    data = validate(read_workbook(path), load_rules())
    return data, data.rows("接待登记")


def test_headers_below_merged_title_rows_in_any_order_with_variants(tmp_path):
    rows = [
        ["三元社区接待选民登记表（2024年）"],
        ["填表单位：三元社区"],
        ["反映问题", " 接待时间 ", "接待代表", "联络站", "联系方式", "备忘"],
        ["路灯不亮", "2024.3.5", "王伟", STATION, 13912345678, "自加的列"],
    ]
    path = write_workbook(
        tmp_path / "a.xlsx",
        {"联络站": STATIONS, "代表名册": DEPUTIES, "接待登记": rows},
        {"接待登记": ["A1:F1"]},
    )
    data, records = _records(path)
    assert not data.errors, [str(p) for p in data.errors]
    record = records[0]
    assert record["接待日期"] == dt.date(2024, 3, 5)
    assert record["联系电话"] == "13912345678"
    assert record.row == 4
    assert record.extra == {"备忘": "自加的列"}


def test_blank_rows_between_blocks_are_skipped_not_counted(make_book):
    path = make_book([reception(code="A1"), [None] * 14, [None] * 14, reception(code="A2")])
    data, records = _records(path)
    assert [r.row for r in records] == [2, 5]
    assert data.read["接待登记"] == 2


def test_a_date_merged_down_applies_to_each_row(make_book):
    path = make_book(
        [reception(code="A1"), reception(date=None, code="A2"), reception(date=None, code="A3")],
        merges={"接待登记": ["A2:A4"]},
    )
    data, records = _records(path)
    assert not data.errors, [str(p) for p in data.errors]
    assert [r["接待日期"] for r in records] == [dt.date(2024, 3, 15)] * 3


def test_a_sheet_whose_stored_dimension_lies_is_read_whole(make_book, tmp_path):
    path = make_book([reception(code=f"A{i}") for i in range(5)])
    lying = tmp_path / "lying.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(lying, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("xl/worksheets/"):
                text = data.decode()
                start = text.index('<dimension ref="')
                end = text.index("/>", start)
                data = (text[:start] + '<dimension ref="A1:B2"' + text[end:]).encode()
            dst.writestr(info, data)
    _, records = _records(lying)
    assert len(records) == 5


def test_old_xls_files_are_read(tmp_path):
    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook()
    for title, rows in {
        "联络站": STATIONS,
        "代表名册": DEPUTIES,
        "接待登记": [
            ["接待日期", "联络站", "接待代表", "反映内容"],
            ["2024年3月5日", STATION, "王伟 李娜", "供暖温度不达标"],
        ],
    }.items():
        sheet = book.add_sheet(title)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                sheet.write(r, c, value)
    path = tmp_path / "旧台账.xls"
    book.save(str(path))
    data, records = _records(path)
    assert not data.errors, [str(p) for p in data.errors]
    assert records[0]["接待代表"] == ("王伟", "李娜")


@pytest.mark.parametrize(
    "content, suffix, message",
    [
        (b"", ".xlsx", "“bad.xlsx”是空文件（0 字节）"),
        (
            "接待日期,联络站\n2024-3-5,三元\n".encode("gb18030"),
            ".xlsx",
            "“bad.xlsx”是 CSV/文本文件，不是 Excel 工作簿",
        ),
        (
            b"<html><body><table></table></body></html>",
            ".xls",
            "“bad.xls”是网页/XML 格式的表格，不是真正的 Excel 工作簿",
        ),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00",
            ".xlsx",
            "“bad.xlsx”不是 Excel 工作簿（文件内容无法识别）",
        ),
        (b"PK\x03\x04garbage", ".xlsx", "“bad.xlsx”已损坏，无法作为 Excel 工作簿打开"),
    ],
)
def test_files_that_are_not_workbooks_get_one_line(tmp_path, content, suffix, message):
    path = tmp_path / f"bad{suffix}"
    path.write_bytes(content)
    with pytest.raises(WorkbookError) as info:
        read_workbook(path)
    assert info.value.message == message


def test_a_word_file_renamed_xlsx(tmp_path):
    from docx import Document

    path = tmp_path / "报告.xlsx"
    Document().save(path)
    with pytest.raises(WorkbookError) as info:
        read_workbook(path)
    assert info.value.message == "“报告.xlsx”是 Word 文档，不是 Excel 工作簿"


def test_an_encrypted_workbook(make_book, tmp_path):
    msoffcrypto = pytest.importorskip("msoffcrypto")
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = make_book()
    locked = tmp_path / "加密.xlsx"
    with plain.open("rb") as src, locked.open("wb") as dst:
        OOXMLFile(src).encrypt("123456", dst)
    assert msoffcrypto  # the library is the one that wrote the encrypted container
    with pytest.raises(WorkbookError) as info:
        read_workbook(locked)
    assert info.value.message == "“加密.xlsx”设置了打开密码，无法读取"


def test_a_zip_bomb_is_refused_before_loading(tmp_path, monkeypatch):
    import toolkit.read.workbook as read

    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * 3_000_000)
    monkeypatch.setattr(read, "MAX_UNCOMPRESSED", 1_000_000)
    with pytest.raises(WorkbookError) as info:
        read_workbook(path)
    assert "解压后体积异常" in info.value.message


def test_a_missing_file_and_a_folder(tmp_path):
    with pytest.raises(WorkbookError) as info:
        read_workbook(tmp_path / "没有.xlsx")
    assert info.value.message.startswith("找不到文件")
    with pytest.raises(WorkbookError) as info:
        read_workbook(tmp_path)
    assert "是文件夹" in info.value.message


def test_a_workbook_without_any_known_sheet(tmp_path):
    path = write_workbook(tmp_path / "x.xlsx", {"Sheet1": [["a", "b"], [1, 2]]})
    with pytest.raises(WorkbookError) as info:
        read_workbook(path)
    assert info.value.message == "“x.xlsx”中没有可识别的工作表（现有：Sheet1）"


def test_the_bundled_sample_reads_clean():
    from toolkit.paths import SAMPLE_WORKBOOK

    if not SAMPLE_WORKBOOK.exists():
        pytest.skip("sample not generated yet")
    data = validate(read_workbook(SAMPLE_WORKBOOK), load_rules())
    assert not data.errors, [str(p) for p in data.errors][:5]
    assert data.read["接待登记"] > 50


def test_copy_keeps_reading(tmp_path, make_book):
    path = make_book()
    copy = tmp_path / "副本.xlsm"
    shutil.copy(path, copy)
    assert read_workbook(copy).sheets["接待登记"].rows
    wb = openpyxl.load_workbook(copy)
    assert wb.sheetnames[:3] == ["联络站", "代表名册", "接待登记"]


@pytest.mark.parametrize("title", ["2024年接待登记", "接待登记 (2)", "接待登记表", "Sheet1"])
def test_reception_sheets_under_other_names(tmp_path, title):
    rows = [
        ["接待日期", "联络站", "接待代表", "反映内容"],
        ["2024-3-5", STATION, "王伟", "路灯不亮"],
    ]
    path = write_workbook(
        tmp_path / "a.xlsx", {"联络站": STATIONS, "代表名册": DEPUTIES, title: rows}
    )
    _, records = _records(path)
    assert len(records) == 1 and records[0].title == title


def test_an_unknown_sheet_is_reported_not_silently_skipped(tmp_path, make_book):
    path = write_workbook(
        tmp_path / "a.xlsx",
        {"联络站": STATIONS, "代表名册": DEPUTIES, "备忘录": [["事项"], ["买办公用品"]]},
    )
    data = validate(read_workbook(path), load_rules())
    assert (
        "【提醒】备忘录 工作表“备忘录”不是台账中的表，其中的内容未被使用"
        "（如是接待登记等记录，请把工作表改名为对应名称（见“说明”表））"
        in [str(p) for p in data.problems]
    )


def test_headers_with_a_bracketed_note_and_pre_numbered_blank_rows(tmp_path):
    rows = [
        ["序号", "接待日期（年月日）", "联络站", "接待代表", "反映内容", "联系电话(手机)"],
        [1, "2024-3-5", STATION, "王伟", "路灯不亮", "13912345678"],
        [2],
        [3],
        [4],
    ]
    path = write_workbook(
        tmp_path / "a.xlsx", {"联络站": STATIONS, "代表名册": DEPUTIES, "接待登记": rows}
    )
    data, records = _records(path)
    assert not data.errors and len(records) == 1
    assert records[0]["联系电话"] == "13912345678" and records[0].extra == {"序号": "1"}


def test_an_xls_renamed_xlsx_opens_by_content(tmp_path):
    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook()
    sheet = book.add_sheet("联络站")
    sheet.write(0, 0, "站点名称")
    sheet.write(1, 0, STATION)
    path = tmp_path / "改了名.xlsx"
    book.save(str(path))
    assert read_workbook(path).sheets["联络站"].title == "联络站"
