"""Validation: every problem of every row, named as the clerk sees it."""

import datetime as dt

from conftest import DEPUTIES, RECEPTION_HEADER, STATION, reception
from toolkit.read import read_workbook
from toolkit.rules import load_rules
from toolkit.validate import validate


def _check(path):
    return validate(read_workbook(path), load_rules())


def _messages(data):
    return [str(p) for p in data.problems]


def test_the_issue_example_message(make_book):
    data = _check(
        make_book(
            [
                reception(),
                reception(code="X"),
                reception(code="Y"),
                reception(code="Z"),
                reception(code="W"),
                reception(code="V"),
                reception(code="U"),
                reception(code="T"),
                reception(code="S"),
                reception(code="R"),
                reception(date="2024.13.5", code="Q"),
            ]
        )
    )
    assert "接待登记!A12 接待日期：“2024.13.5” 不是有效日期" in _messages(data)
    assert data.rejected["接待登记"] == [12]
    assert len(data.rows("接待登记")) == 10


def test_every_problem_of_every_row_is_collected(make_book):
    data = _check(
        make_book(
            [
                reception(date="24.3.5", deputies="王伟、王小伟", code="A"),
                reception(station="三元社区联络站", phone=1.3912345678e17, code="B"),
                reception(content=None, code="C"),
            ]
        )
    )
    messages = _messages(data)
    assert (
        "接待登记!A2 接待日期：“24.3.5” 不是有效日期（年份请写四位数字，如 2024.3.5）" in messages
    )
    assert "接待登记!C2 接待代表：“王小伟” 不在代表名册中（是否为：王伟？）" in messages
    assert any(
        m.startswith("接待登记!B3 联络站：“三元社区联络站” 不在“联络站”表中") for m in messages
    )
    assert any(m.startswith("接待登记!G3 联系电话：以数字形式保存，末几位已丢失") for m in messages)
    assert "接待登记!D4 反映内容：不能为空" in messages
    assert data.rejected["接待登记"] == [2, 3, 4]
    assert data.rows("接待登记") == []


def test_control_characters_removed_with_a_warning_naming_the_cell(make_book):
    # openpyxl refuses control characters, so write them as Excel does: _x000B_ escapes.
    data = _check(make_book([reception(content="路灯_x000B_不亮_x0007_")]))
    assert "【提醒】接待登记!D2 反映内容：含有无法打印的控制字符，已删除" in _messages(data)
    assert data.rows("接待登记")[0]["反映内容"] == "路灯不亮"
    assert not data.errors


def test_duplicate_registration_numbers(make_book):
    data = _check(make_book([reception(code="JD-1"), reception(code="jd-1")]))
    assert "接待登记!E3 登记编号：“jd-1” 与第2行重复（编号和名称不能重复）" in _messages(data)


def test_a_missing_required_column_rejects_every_row(make_book):
    header = [h if h != "反映内容" else "备注" for h in RECEPTION_HEADER]
    data = _check(make_book([reception(), reception(code="B")], header=header))
    assert "接待登记!第1行 缺少必填列“反映内容”（请在表头行补上该列）" in _messages(data)
    assert data.rejected["接待登记"] == [2, 3]


def test_namesakes_in_the_roster(make_book):
    deputies = [*DEPUTIES, ["王伟", "DB-099", "乡镇", "建设镇人大代表联络站", "男", "", ""]]
    data = _check(
        make_book(
            [reception(deputies="王伟"), reception(deputies=f"王伟（{STATION}）", code="B")],
            deputies=deputies,
        )
    )
    assert any(
        m.startswith("接待登记!C2 接待代表：“王伟” 有 2 名同名代表") for m in _messages(data)
    )
    assert data.rows("接待登记")[0]["接待代表"] == (f"王伟（{STATION}）",)


def test_unknown_columns_kept_and_odd_orders(make_book):
    header = ["联络站", "备注说明", *[h for h in RECEPTION_HEADER if h != "联络站"]]
    row = reception()
    row = [row[1], "自定义", row[0], *row[2:]]
    data = _check(make_book([row], header=header))
    record = data.rows("接待登记")[0]
    assert record.extra == {"备注说明": "自定义"}
    assert record["接待日期"] == dt.date(2024, 3, 15)


def test_warning_when_a_handed_on_matter_has_no_unit(make_book):
    data = _check(make_book([reception(unit=None)]))
    expected = (
        "【提醒】接待登记!K2 处理方式：处理方式为“交街道(乡镇)办理”，但“承办单位”为空"
        "（交办单上的承办单位将留空待填）"
    )
    assert expected in _messages(data)
    assert data.rows("接待登记")


def test_rules_file_errors_name_file_line_and_key(tmp_path):
    import pytest

    from toolkit.errors import ToolkitError

    path = tmp_path / "规则.yaml"
    path.write_text("处理方式:\n  - 名称: 当场答复\n    交办: 也许\n", encoding="utf-8")
    with pytest.raises(ToolkitError) as info:
        load_rules(path)
    assert str(info.value) == "规则.yaml 第2行 “交办”应为 true 或 false，而不是“也许”"
    path.write_text("处理方法:\n  - 名称: 当场答复\n", encoding="utf-8")
    with pytest.raises(ToolkitError) as info:
        load_rules(path)
    keys = (
        "处理方式、名称、积分项目、扣分项目、总分上限、等次、季度等次、五星、公示、"
        "述职评议等次、议案联名人数、答复期限月数、内容过于简单字数、一事一议领域、节假日、"
        "届期、届次、督办、接待日值班人数"
    )
    assert str(info.value) == f"规则.yaml 第1行 未知的键“处理方法”（可用的键：{keys}）"


def test_namesakes_of_one_station_need_a_code(make_book):
    deputies = [*DEPUTIES, ["王伟", "", "县", STATION, "男", "", ""]]
    deputies[1] = ["王伟", "", "县", STATION, "男", "", ""]
    data = _check(make_book([reception(deputies="李娜")], deputies=deputies))
    assert (
        f"代表名册!A6 姓名：“王伟”与第2行同名且同属{STATION}，无法区分（请为两人都填写代表证号）"
        in _messages(data)
    )


def test_a_mention_of_a_rejected_roster_row_points_at_it(make_book):
    deputies = [*DEPUTIES]
    deputies[2] = ["李娜", "DB-002", "副省级", STATION, "女", "", ""]
    data = _check(make_book([reception()], deputies=deputies))
    expected = "接待登记!C2 接待代表：“李娜” 在代表名册第3行，但该行有错误"
    assert expected + "（请先改正代表名册中的该行，见上）" in _messages(data)


def test_a_landline_typed_as_a_number_warns(make_book):
    data = _check(make_book([reception(phone=57186001234)]))
    assert (
        "【提醒】接待登记!G2 联系电话：“57186001234” 以数字形式保存，开头的 0 可能已丢失"
        "（请把该列设为“文本”格式，按原样输入（如 0571-86001234））" in _messages(data)
    )


def test_a_duplicate_of_a_rejected_row_is_still_reported(make_book):
    data = _check(make_book([reception(code="JD-1", date="2024.13.1"), reception(code="JD-1")]))
    assert "接待登记!E3 登记编号：“JD-1” 与第2行重复（编号和名称不能重复）" in _messages(data)
