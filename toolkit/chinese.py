"""Chinese conventions shared by every renderer: dates, numbering, masking (DESIGN §6, §7).

Dates follow GB/T 9704: Arabic numerals without leading zeros (2024年3月5日); 二〇二四年三月五日
where a form wants it. Masking is one rule everywhere: phone 138****1234, ID first 6 + last 4.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

_DIGITS = "〇一二三四五六七八九"


def cn_date(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value)


def cn_month(value: Any) -> str:
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月"
    return str(value or "")


def _small_number(n: int) -> str:
    """1–99 in Chinese numerals (十、十一、二十一)."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    return (_DIGITS[tens] if tens > 1 else "") + "十" + (_DIGITS[ones] if ones else "")


def cn_upper_date(value: Any) -> str:
    """2024-03-05 → 二〇二四年三月五日."""
    if not isinstance(value, dt.date):
        return cn_date(value)
    year = "".join(_DIGITS[int(d)] for d in str(value.year))
    return f"{year}年{_small_number(value.month)}月{_small_number(value.day)}日"


def cn_number(n: int) -> str:
    """1 → 一, 12 → 十二, 105 → 一百零五 (enough for numbering agenda items and headings)."""
    if n < 100:
        return _small_number(n)
    hundreds, rest = divmod(n, 100)
    if rest == 0:
        return _DIGITS[hundreds] + "百"
    middle = "零" if rest < 10 else ""
    tail = (
        _DIGITS[rest]
        if rest < 10
        else (_small_number(rest) if rest >= 20 else "一" + _small_number(rest))
    )
    return _DIGITS[hundreds] + "百" + middle + tail


def cn_index(n: int) -> str:
    """Heading numbers of the first level: 1 → 一、"""
    return f"{cn_number(int(n))}、"


def cn_paren_index(n: int) -> str:
    """Heading numbers of the second level: 1 → （一）"""
    return f"（{cn_number(int(n))}）"


def cn_time(value: Any) -> str:
    if isinstance(value, dt.time):
        return f"{value.hour}:{value.minute:02d}"
    return str(value or "")


def mask_phone(value: Any) -> str:
    """13812345678 → 138****5678; 0571-86001234 → 0571-****1234; keeps what is not a number."""
    text = str(value or "")
    digits = re.sub(r"\D", "", text)
    if len(digits) < 7:
        return text
    if len(digits) == 11 and digits.startswith("1"):
        return digits[:3] + "****" + digits[-4:]
    head, _, tail = text.rpartition("-")
    if head and len(re.sub(r"\D", "", tail)) >= 7:
        return head + "-" + "****" + tail[-4:]
    return digits[:3] + "****" + digits[-4:]


def mask_id(value: Any) -> str:
    """An ID keeps its first 6 and last 4 characters: the birth date in between is hidden."""
    text = str(value or "").strip()
    if len(text) <= 10:
        return text[:2] + "*" * max(len(text) - 2, 0)
    return text[:6] + "*" * (len(text) - 10) + text[-4:]


def display(value: Any) -> str:
    """Any typed value as the text a form prints."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return cn_date(value)
    if isinstance(value, dt.time):
        return cn_time(value)
    if isinstance(value, tuple | list):
        return "、".join(display(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
