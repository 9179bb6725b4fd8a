import datetime as dt

import pytest

from toolkit import chinese, values
from toolkit.values import ValueProblem


@pytest.mark.parametrize(
    "raw",
    [
        dt.date(2024, 3, 5),
        dt.datetime(2024, 3, 5, 9, 30),
        "2024.3.5",
        "2024/3/5",
        "2024-03-05",
        "2024年3月5日",
        "2024 年 3 月 5 日",
        "２０２４．３．５",
        "2024-3-5 09:00",
        45356,
        45356.0,
        "20240305",
        20240305,
        "二〇二四年三月五日",
    ],
)
def test_dates_as_clerks_type_them(raw):
    assert values.parse_date(raw) == dt.date(2024, 3, 5)


@pytest.mark.parametrize(
    "raw, message",
    [
        ("2024.13.5", "“2024.13.5” 不是有效日期"),
        ("24.3.5", "“24.3.5” 不是有效日期"),
        ("2024.2.30", "“2024.2.30” 不是有效日期"),
        ("三月五日", "“三月五日” 不是有效日期"),
        ("1900.1.1", "“1900.1.1” 不是有效日期"),
    ],
)
def test_bad_dates_are_errors_not_guesses(raw, message):
    with pytest.raises(ValueProblem) as info:
        values.parse_date(raw)
    assert info.value.message == message


def test_two_digit_year_says_how_to_fix():
    with pytest.raises(ValueProblem) as info:
        values.parse_date("24.3.5")
    assert "四位" in info.value.hint


@pytest.mark.parametrize(
    "raw, expected",
    [
        (13812345678, "13812345678"),
        (13812345678.0, "13812345678"),
        ("138 1234 5678", "138 1234 5678"),
        ("１３８１２３４５６７８", "13812345678"),
        ("0571-86001234", "0571-86001234"),
    ],
)
def test_phone_numbers_kept_exactly(raw, expected):
    assert values.parse_phone(raw) == expected


def test_id_stored_as_float_is_an_error_not_a_rounded_number():
    with pytest.raises(ValueProblem) as info:
        values.parse_code(1.1010519900307123e17)
    assert info.value.message.startswith("以数字形式保存，末几位已丢失")
    assert "文本" in info.value.hint


def test_codes_from_number_cells():
    assert values.parse_code(12.0) == "12"
    assert values.parse_code("ＪＤ－００１") == "JD-001"


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("9:00", dt.time(9)),
        ("14：30", dt.time(14, 30)),
        ("下午2点", dt.time(14)),
        (0.375, dt.time(9)),
    ],
)
def test_times(raw, expected):
    assert values.parse_time(raw) == expected


@pytest.mark.parametrize("raw, expected", [("3", 3), (3.0, 3), ("３人", 3), ("1,200", 1200)])
def test_counts(raw, expected):
    assert values.parse_int(raw) == expected


def test_choice_accepts_bracket_variants_and_suggests():
    routes = ("当场答复", "交社区(村)办理")
    assert values.parse_choice("交社区（村）办理", routes) == "交社区(村)办理"
    assert values.parse_choice("交社区办理", routes) == "交社区(村)办理"
    with pytest.raises(ValueProblem) as info:
        values.parse_choice("不知道", routes)
    assert info.value.hint == "可选：当场答复、交社区(村)办理"


@pytest.mark.parametrize(
    "raw, level",
    [
        ("省级", "省"),
        ("区", "县"),
        ("区级", "县"),
        ("县级", "县"),
        ("乡级", "乡镇"),
        ("镇", "乡镇"),
        ("全国人大代表", "全国"),
        ("市", "市"),
    ],
)
def test_levels(raw, level):
    assert values.parse_level(raw) == level


def test_control_characters_and_excel_escapes():
    assert values.decode_excel_escapes("a_x000B_b") == "a\x0bb"
    for text in ("_x0041_", "a_x000B_b_x005F_", "plain"):
        assert values.decode_excel_escapes(values.escape_excel_literals(text)) == text
    assert values.strip_controls("a\x0bb\x00") == ("ab", True)
    assert values.strip_controls("a\nb\tc") == ("a\nb\tc", False)


def test_chinese_dates_and_numbers():
    assert str(chinese.cn_date(dt.date(2024, 3, 5))) == "2024年3月5日"
    assert chinese.cn_date(dt.date(2024, 3, 5)) == dt.date(2024, 3, 5)  # still a date
    assert chinese.cn_date(None) == "" and chinese.cn_date("另定") == "另定"
    assert chinese.cn_upper_date(dt.date(2024, 3, 25)) == "二〇二四年三月二十五日"
    assert chinese.cn_upper_date(dt.date(2024, 10, 10)) == "二〇二四年十月十日"
    assert [chinese.cn_index(n) for n in (1, 10, 11, 21)] == ["一、", "十、", "十一、", "二十一、"]
    assert chinese.cn_paren_index(3) == "（三）"
    assert chinese.cn_number(105) == "一百零五"
    assert chinese.cn_number(110) == "一百一十"


def test_masks_are_one_rule():
    assert chinese.mask_phone("13812341234") == "138****1234"
    assert chinese.mask_phone("0571-86001234") == "0571-****1234"
    assert chinese.mask_id("110105199003071234") == "110105********1234"
