"""Chinese numerals for every integer, and the typed values templates receive (chinese.py)."""

from __future__ import annotations

import datetime as dt
import json
import pickle
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import reception
from toolkit import chinese, model
from toolkit.derive import fields as derived
from toolkit.render.templating import make_env

# ── 中文数字 ──────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (0, "零"),
        (-1, "负一"),
        (-10, "负十"),
        (7, "七"),
        (10, "十"),
        (15, "十五"),
        (20, "二十"),
        (105, "一百零五"),
        (110, "一百一十"),
        (1000, "一千"),
        (1005, "一千零五"),
        (1010, "一千零一十"),
        (1050, "一千零五十"),
        (1500, "一千五百"),
        (10000, "一万"),
        (10001, "一万零一"),
        (10100, "一万零一百"),
        (11000, "一万一千"),
        (100000, "十万"),
        (120000, "十二万"),
        (1000001, "一百万零一"),
        (20230000, "二千零二十三万"),
        (100000000, "一亿"),
        (100000001, "一亿零一"),
        (100010000, "一亿零一万"),
        (1000000000, "十亿"),
        (10**12, "一万亿"),
        (10**12 + 10**8, "一万零一亿"),
        (10**16, "一亿亿"),
    ],
)
def test_chinese_numerals(n, text):
    assert chinese.cn_number(n) == text


def _reference(n: int) -> str:
    """Chinese numerals by another road than chinese.cn_number's (which divides by 亿 and 万
    recursively): every digit written out with its place, the section units 万 and 亿 put in
    where their section is not empty, then runs of 零 collapsed and the 零 before a unit or at
    the end dropped, as a clerk would read the long form aloud."""
    if n < 0:
        return "负" + _reference(-n)
    if n == 0:
        return "零"
    digits = str(n)
    out = []
    for i, ch in enumerate(digits):
        place = len(digits) - 1 - i
        out.append(
            "零"
            if ch == "0"
            else "〇一二三四五六七八九"[int(ch)] + ["", "十", "百", "千"][place % 4]
        )
        if place % 8 == 4 and int(digits[max(0, i - 3) : i + 1]):
            out.append("万")
        elif place and place % 8 == 0:
            out.append("亿")  # n // 10**place is never 0 here: the number has this digit
    text = re.sub("零+", "零", "".join(out))
    text = re.sub("零([万亿])", r"\1", text).rstrip("零")
    return text[1:] if text.startswith("一十") else text


# Numbers with many zeros in them: the cases where 零 rules go wrong.
_SPARSE = st.lists(st.sampled_from("0000000123456789"), min_size=1, max_size=24).map(
    lambda ds: int("".join(ds))
)


@given(st.one_of(st.integers(-(10**24), 10**24), _SPARSE, _SPARSE.map(lambda n: -n)))
def test_chinese_numerals_agree_with_an_independent_reading(n):
    assert chinese.cn_number(n) == _reference(n)


def test_chinese_numerals_refuse_what_is_not_an_integer():
    assert chinese.cn_number(3.0) == "三" and chinese.cn_number("12") == "十二"
    with pytest.raises(ValueError, match="不是整数"):
        chinese.cn_number(2.5)


# ── typed values ───────────────────────────────────────────────────────────────────────────


def test_typed_values_print_as_forms_print_them_and_keep_their_type():
    date = chinese.typed(dt.date(2024, 3, 5))
    assert isinstance(date, dt.date) and date == dt.date(2024, 3, 5)
    assert str(date) == f"{date}" == "2024年3月5日"
    assert hash(date) == hash(dt.date(2024, 3, 5))
    time = chinese.typed(dt.time(9, 5))
    assert isinstance(time, dt.time) and str(time) == "9:05"
    names = chinese.typed(("王伟", "李娜"))
    assert str(names) == "王伟、李娜" and list(names) == ["王伟", "李娜"]
    assert chinese.typed(None) == "" and chinese.typed(5) == 5 and chinese.typed(3.0) == 3
    share = chinese.percent(2, 3)
    assert str(share) == "66.67%" and float(share) == 0.6667 and share.excel_format == "0.00%"
    assert str(chinese.percent(30, 38, digits=1)) == "78.9%"
    assert chinese.display(date) == "2024年3月5日" and chinese.display(names) == "王伟、李娜"


def test_typed_values_pickle_to_workers_and_hash_stably():
    values = {
        "日期": chinese.typed(dt.date(2024, 3, 5)),
        "时间": chinese.typed(dt.time(14, 30)),
        "代表": chinese.typed(("王伟", "李娜")),
        "比例": chinese.percent(1, 8, digits=1),
    }
    back = pickle.loads(pickle.dumps(values))
    assert back == values
    assert {k: type(v) for k, v in back.items()} == {k: type(v) for k, v in values.items()}
    assert str(back["比例"]) == "12.5%"
    text = json.dumps(values, ensure_ascii=False, sort_keys=True, default=model._hashable)
    assert text == json.dumps(back, ensure_ascii=False, sort_keys=True, default=model._hashable)
    assert '"2024-03-05"' in text  # a date hashes as a date, not as the text it prints


def test_record_fields_are_typed_and_filters_see_a_date(make_book):
    from toolkit.commands.build import check

    row = reception(date=dt.date(2024, 10, 5), deputies="王伟、李娜")
    row[8] = 3  # 来访人数
    data = check(make_book([row]))
    [record] = data.rows("接待登记")
    fields = derived.record_fields(record)
    assert isinstance(fields["接待日期"], dt.date) and fields["来访人数"] == 3
    env = make_env()
    template = env.from_string(
        "{{ 接待日期 }}|{{ 接待日期|大写日期 }}|{{ 接待日期|中文日期 }}|{{ 接待代表 }}|"
        "{{ 接待代表|length }}|{{ 来访人数 + 1 }}|{{ 来访人数|中文数字 }}"
    )
    assert (
        template.render(fields)
        == "2024年10月5日|二〇二四年十月五日|2024年10月5日|王伟、李娜|2|4|三"
    )


def test_file_names_carry_zero_padded_dates():
    assert derived.fill_pattern("{日期}_{名称}", {"日期": dt.date(2024, 3, 5), "名称": "甲"}) == [
        "2024-03-05",
        "甲",
    ]


def test_typed_values_in_tojson_read_as_printed():
    env = make_env()
    context = {"日期": chinese.typed(dt.date(2024, 3, 5)), "代表": chinese.typed(("王伟", "李娜"))}
    assert json.loads(env.from_string("{{ x|tojson }}").render(x=context)) == {
        "代表": ["王伟", "李娜"],
        "日期": "2024年3月5日",
    }
