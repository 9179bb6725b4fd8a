"""Chinese conventions shared by every renderer: dates, numbering, masking (DESIGN §6, §7).

Dates follow GB/T 9704: Arabic numerals without leading zeros (2024年3月5日); 二〇二四年三月五日
where a form wants it. Masking is one rule everywhere: phone 138****1234, ID first 6 + last 4.

Values reach templates typed, each printing as a form prints it: `Date` is a date that prints
2024年3月5日, `Time` a time that prints 9:30, `Names` a tuple of names that prints 王伟、李娜,
`Percent` a fraction that prints 85.00%. So `{{ 接待日期 }}` reads as before while
`{{ 接待日期|大写日期 }}` still has a date to work on and Excel is given a date, not text.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

_DIGITS = "〇一二三四五六七八九"


class Date(dt.date):
    """A date that prints as GB/T 9704 writes it. It pickles (to worker processes) and
    compares and hashes as the plain date it is."""

    __slots__ = ()

    def __str__(self) -> str:
        return f"{self.year}年{self.month}月{self.day}日"

    def __format__(self, spec: str) -> str:
        return str(self) if not spec else super().__format__(spec)


class Time(dt.time):
    """A time that prints as forms write it: 9:30, 14:05."""

    __slots__ = ()

    def __str__(self) -> str:
        return f"{self.hour}:{self.minute:02d}"

    def __format__(self, spec: str) -> str:
        return str(self) if not spec else super().__format__(spec)


class Names(tuple[str, ...]):
    """Several names (接待代表, 附议代表) that print joined with 、 and can still be looped over."""

    __slots__ = ()

    def __str__(self) -> str:
        return "、".join(str(name) for name in self)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


class Percent(float):
    """A share as the fraction Excel needs (0.85) that prints as the form does (85.00%).
    `digits` is the number of decimals printed; build one with `percent`, which rounds the
    value to what is printed, so Excel shows exactly the figure the PDF shows."""

    __slots__ = ("digits",)
    digits: int

    def __new__(cls, fraction: float, digits: int = 2) -> Percent:
        self = super().__new__(cls, fraction)
        self.digits = digits
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (Percent, (float(self), self.digits))

    def __str__(self) -> str:
        return f"{float(self) * 100:.{self.digits}f}%"

    def __repr__(self) -> str:
        return f"Percent({float(self)!r}, {self.digits})"

    def __format__(self, spec: str) -> str:
        return str(self) if not spec else super().__format__(spec)

    @property
    def excel_format(self) -> str:
        return "0" + ("." + "0" * self.digits if self.digits else "") + "%"


def percent(numerator: Any, denominator: Any = 1, digits: int = 2) -> Percent:
    """numerator/denominator as a Percent rounded to `digits` decimals of a percent, half to
    even on the exact quotient (Fraction or int arguments are exact)."""
    from fractions import Fraction

    share = round(Fraction(numerator) * 100 / Fraction(denominator), digits)
    return Percent(float(share / 100), digits)


def typed(value: Any) -> Any:
    """A record's value as a template receives it: blank as "", dates, times and name lists as
    the types above; numbers and text as they are."""
    if value is None:
        return ""
    if isinstance(value, Date | Time | Names):
        return value
    if isinstance(value, dt.date):  # a datetime too: forms print the day
        return Date(value.year, value.month, value.day)
    if isinstance(value, dt.time):
        return Time(value.hour, value.minute, value.second)
    if isinstance(value, tuple | list):
        return Names(str(typed(v)) for v in value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def cn_date(value: Any) -> Date | str:
    """A date as forms print it: a `Date`, which prints 2024年3月5日 and is still a date (so
    Excel is given a date and |大写日期 has one to spell); blank as "", other text as it is."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.date):
        return typed(value)  # type: ignore[no-any-return]
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
    """2024-03-05 → 二〇二四年三月五日 (text that is not a date is left as it is)."""
    if not isinstance(value, dt.date):
        return str(cn_date(value))
    year = "".join(_DIGITS[int(d)] for d in str(value.year))
    return f"{year}年{_small_number(value.month)}月{_small_number(value.day)}日"


_UNITS = ((100_000_000, "亿"), (10_000, "万"))
_PLACES = ((1000, "千"), (100, "百"), (10, "十"), (1, ""))


def cn_number(n: Any) -> str:
    """Any integer in Chinese numerals: 0 → 零, −3 → 负三, 12 → 十二, 110 → 一百一十,
    1005 → 一千零五, 10100 → 一万零一百, 100000 → 十万, 10^12 → 一万亿. A 零 stands for each
    run of zeros between digits; 十 drops its 一 only at the start of the number."""
    if isinstance(n, float) and n.is_integer():
        n = int(n)
    if isinstance(n, str) and re.fullmatch(r"\s*[-+]?\d+\s*", n):
        n = int(n)
    if not isinstance(n, int) or isinstance(n, bool):
        raise ValueError(f"“{n}” 不是整数，不能写成中文数字")
    if n < 0:
        return "负" + cn_number(-n)
    if n == 0:
        return "零"
    text = _cn_positive(n)
    return text[1:] if text.startswith("一十") else text


def _cn_positive(n: int) -> str:
    """n > 0 with every 十 written 一十 (the caller drops a leading 一)."""
    for size, unit in _UNITS:
        if n >= size:
            high, low = divmod(n, size)
            text = _cn_positive(high) + unit
            if low:
                # 一万零一百: the place right below the unit is empty, so a 零 stands for it.
                text += ("零" if low < size // 10 else "") + _cn_positive(low)
            return text
    parts: list[str] = []
    gap = False
    for size, unit in _PLACES:
        digit, n = divmod(n, size)
        if digit:
            parts.extend(["零"] if gap and parts else [])
            parts.append(_DIGITS[digit] + unit)
            gap = False
        else:
            gap = True
    return "".join(parts)


def cn_index(n: int) -> str:
    """Heading numbers of the first level: 1 → 一、"""
    return f"{cn_number(int(n))}、"


def cn_paren_index(n: int) -> str:
    """Heading numbers of the second level: 1 → （一）"""
    return f"（{cn_number(int(n))}）"


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
    """Any value as the text a form prints."""
    return str(typed(value))
