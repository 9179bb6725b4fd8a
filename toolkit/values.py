"""Typed values from raw cells, the way clerks type them.

Each `parse_*` takes what the reader gives (str, int, float, bool, datetime, date, time or None)
and returns the typed value, or raises `ValueProblem` with a Chinese message that the validator
places at the cell. Nothing here knows about sheets or rows.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from . import contract


class ValueProblem(ValueError):
    """The cell's value cannot be read as its column's kind; the text says why, in Chinese."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


# Characters XML 1.0 cannot hold (all C0 controls but tab/newline/CR, plus U+FFFE/U+FFFF
# and lone surrogates). Word, WeasyPrint and openpyxl all choke on them.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_EXCEL_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_FULLWIDTH_ASCII = {i: i - 0xFEE0 for i in range(0xFF01, 0xFF5F)}
_FULLWIDTH_ASCII[0x3000] = 0x20


def decode_excel_escapes(text: str) -> str:
    """Excel writes characters XML cannot hold as _xHHHH_; turn them back into characters."""
    if "_x" not in text:
        return text
    return _EXCEL_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def escape_excel_literals(text: str) -> str:
    """The inverse for text a clerk typed: a literal _xHHHH_ is written _x005F_xHHHH_, so Excel
    shows it as typed instead of decoding it (decode_excel_escapes(escape(t)) == t)."""
    if "_x" not in text:
        return text
    return _EXCEL_ESCAPE.sub(lambda m: "_x005F" + m.group(0), text)


def strip_controls(text: str) -> tuple[str, bool]:
    """The text without control characters, and whether any were removed."""
    cleaned = _CONTROL.sub("", text)
    return cleaned, cleaned != text


_SURROGATE = re.compile("[\ud800-\udfff]")


def broken_characters(text: str) -> bool:
    """Whether the text holds half of a character: a UTF-16 surrogate on its own, which is how
    an emoji cut in two arrives from Excel (表情_xD83D_被截断). No file can hold it, and no
    message naming it can be printed."""
    return _SURROGATE.search(text) is not None


def halfwidth(text: str) -> str:
    """Full-width ASCII (１２３，ＡＢ) as plain ASCII; used for numbers, dates, codes, phones."""
    return text.translate(_FULLWIDTH_ASCII)


def cell_text(value: Any) -> str:
    """A raw cell value as the text the clerk sees (numbers without a spurious .0)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return f"{value.year}-{value.month}-{value.day}"
        return value.isoformat(sep=" ", timespec="minutes")
    return str(value)


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip(" \t\r\n\u3000\xa0"))


def parse_text(value: Any) -> str:
    """One line of text: inner line breaks become spaces, outer spaces go."""
    text = cell_text(value)
    return re.sub(r"\s*[\r\n]+\s*", " ", text).strip(" \t\u3000\xa0")


def parse_longtext(value: Any) -> str:
    text = cell_text(value).replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip(" \t\u3000\xa0") for line in text.split("\n")]
    return "\n".join(lines).strip("\n").strip(" \t\u3000\xa0")


# --- dates ---------------------------------------------------------------------------------

_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})\s*[-./／]\s*(\d{1,2})\s*[-./／]\s*(\d{1,2})(?:日)?$"),
    re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_TIME_SUFFIX = re.compile(r"[\sT]+\d{1,2}[:：]\d{2}(?:[:：]\d{2}(?:\.\d+)?)?$")
_CN_DIGITS = {
    "〇": "0",
    "零": "0",
    "○": "0",
    "O": "0",
    "一": "1",
    "二": "2",
    "三": "3",
    "四": "4",
    "五": "5",
    "六": "6",
    "七": "7",
    "八": "8",
    "九": "9",
}
MIN_YEAR, MAX_YEAR = 1949, 2100


def _from_serial(number: float) -> dt.date:
    if not 1 <= number < 2958466:
        raise ValueProblem(f"“{cell_text(number)}” 不是有效日期")
    # Excel's 1900 leap-year bug: serials below 61 are off by one; no station record is that old.
    return (_EXCEL_EPOCH + dt.timedelta(days=int(number))).date()


def _cn_numeral_date(text: str) -> str:
    """二〇二四年三月五日 → 2024年3月5日 (only the forms official documents use)."""

    def number(part: str) -> str:
        if all(ch in _CN_DIGITS for ch in part) and len(part) == 4:
            return "".join(_CN_DIGITS[ch] for ch in part)
        value = 0
        if "十" in part:
            tens, _, ones = part.partition("十")
            value = (int(_CN_DIGITS[tens]) if tens else 1) * 10 + (
                int(_CN_DIGITS[ones]) if ones else 0
            )
            return str(value)
        return "".join(_CN_DIGITS.get(ch, ch) for ch in part)

    m = re.match(
        r"^([〇零○O一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日$",
        text,
    )
    if not m:
        return text
    return f"{number(m.group(1))}年{number(m.group(2))}月{number(m.group(3))}日"


def parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise ValueProblem(f"“{cell_text(value)}” 不是有效日期")
    if isinstance(value, int | float):
        number = float(value)
        if number.is_integer() and 19000101 <= number <= 21001231:
            return parse_date(str(int(number)))
        return _check_year(_from_serial(number), cell_text(value))
    raw = cell_text(value).strip()
    text = _TIME_SUFFIX.sub("", halfwidth(raw).strip()).replace(" ", "")
    text = _cn_numeral_date(text)
    for pattern in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            year, month, day = (int(g) for g in m.groups())
            try:
                return _check_year(dt.date(year, month, day), raw)
            except ValueError:
                raise ValueProblem(f"“{raw}” 不是有效日期") from None
    if re.match(r"^\d{2}[-./年]\d{1,2}[-./月]\d{1,2}日?$", text):
        raise ValueProblem(f"“{raw}” 不是有效日期", "年份请写四位数字，如 2024.3.5")
    raise ValueProblem(f"“{raw}” 不是有效日期", "请写成 2024年3月5日、2024-3-5 或 2024.3.5")


@dataclass(frozen=True)
class Days:
    """A time limit as a number of days from the day a matter was handed on (办理时限 15个工作日):
    working days by the calendar (rules/calendar.py), or calendar days."""

    count: int
    working: bool

    def __str__(self) -> str:
        return f"{self.count}个工作日" if self.working else f"{self.count}天"


_DAYS = re.compile(r"^(\d+)\s*(个)?\s*(工作日|自然日|日|天)(内)?$")


def parse_deadline(value: Any) -> dt.date | Days:
    """办理时限: a date, or “15个工作日”“30天”“10日内”（a number of days)."""
    if isinstance(value, str):
        text = halfwidth(value).strip().replace(" ", "")
        m = _DAYS.match(text)
        if m:
            count = int(m.group(1))
            if not 0 < count <= 3650:
                raise ValueProblem(f"“{value.strip()}” 不是有效的时限", "天数应在 1 到 3650 之间")
            return Days(count, m.group(3) == "工作日")
    try:
        return parse_date(value)
    except ValueProblem:
        raise ValueProblem(
            f"“{cell_text(value).strip()}” 不是有效的时限",
            "写到期日期（如 2024年4月15日），或天数（如 15个工作日、30天）",
        ) from None


def _check_year(date: dt.date, raw: str) -> dt.date:
    if not MIN_YEAR <= date.year <= MAX_YEAR:
        raise ValueProblem(f"“{raw}” 不是有效日期", f"年份应在 {MIN_YEAR}—{MAX_YEAR} 之间")
    return date


def parse_time(value: Any) -> dt.time:
    if isinstance(value, dt.datetime):
        return value.time()
    if isinstance(value, dt.time):
        return value
    if isinstance(value, float) and 0 <= value < 1:
        minutes = round(value * 24 * 60)
        return dt.time(minutes // 60 % 24, minutes % 60)
    raw = cell_text(value).strip()
    text = halfwidth(raw).replace("：", ":").replace(" ", "")
    m = re.match(
        r"^(上午|下午|晚上)?(\d{1,2})(?::(\d{2})|时(?:(\d{1,2})分?)?|点(?:(\d{1,2})分?|半)?)$", text
    )
    if m:
        hour = int(m.group(2))
        minute = int(m.group(3) or m.group(4) or m.group(5) or (30 if text.endswith("半") else 0))
        if m.group(1) in ("下午", "晚上") and hour < 12:
            hour += 12
        if hour < 24 and minute < 60:
            return dt.time(hour, minute)
    raise ValueProblem(f"“{raw}” 不是有效时间", "请写成 9:00 或 14:30")


# --- numbers and codes ---------------------------------------------------------------------


def parse_int(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueProblem(f"“{cell_text(value)}” 不是整数")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise ValueProblem(f"“{cell_text(value)}” 不是整数")
        number = int(value)
    else:
        raw = cell_text(value).strip()
        text = halfwidth(raw).replace(",", "").replace(" ", "")
        text = re.sub(r"(人|次|张|票|名|个)$", "", text)
        if not re.fullmatch(r"\d+", text):
            raise ValueProblem(f"“{raw}” 不是整数")
        number = int(text)
    if number < 0:
        raise ValueProblem(f"“{number}” 不能为负数")
    return number


def parse_number(value: Any) -> float | int:
    if isinstance(value, bool):
        raise ValueProblem(f"“{cell_text(value)}” 不是数字")
    if isinstance(value, int | float):
        return int(value) if float(value).is_integer() else float(value)
    raw = cell_text(value).strip()
    text = halfwidth(raw).replace(",", "").replace(" ", "").removesuffix("万元").removesuffix("万")
    try:
        number = float(text)
    except ValueError:
        raise ValueProblem(f"“{raw}” 不是数字") from None
    return int(number) if number.is_integer() else number


def _numeric_code(value: int | float, what: str) -> str:
    """A phone number or code the clerk typed into a number cell, if no digit was lost."""
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueProblem(f"“{cell_text(value)}” 不是有效的{what}")
        if abs(value) >= 1e15:
            raise ValueProblem(
                f"以数字形式保存，末几位已丢失（显示为 {value:.6G}）",
                "请把该列设为“文本”格式后重新输入",
            )
        value = int(value)
    return str(value)


def parse_phone(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _numeric_code(value, "电话号码")
    raw = cell_text(value).strip()
    text = halfwidth(raw).strip()
    text = re.sub(r"[ \u3000]+", " ", text)
    if not re.fullmatch(r"[0-9+()（）\-\s/、,，转]+", text) or not re.search(
        r"\d{5}", re.sub(r"\D", "", text)
    ):
        raise ValueProblem(f"“{raw}” 不是有效的电话号码")
    return text


def parse_code(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _numeric_code(value, "编号")
    return halfwidth(cell_text(value)).strip()


def parse_year(value: Any) -> int:
    if isinstance(value, dt.date):
        return value.year
    raw = cell_text(value).strip()
    text = halfwidth(raw).removesuffix("年度").removesuffix("年")
    if re.fullmatch(r"\d{4}", text) and MIN_YEAR <= int(text) <= MAX_YEAR:
        return int(text)
    raise ValueProblem(f"“{raw}” 不是有效年份", "请写四位年份，如 2024")


def parse_choice(value: Any, choices: tuple[str, ...]) -> str:
    raw = parse_text(value)
    key = contract.normalise_header(raw)
    for choice in choices:
        if key == contract.normalise_header(choice):
            return choice
    # Clerks drop the brackets or write the short form: 交社区办理 for 交社区(村)办理.
    loose = re.sub(r"\(.*?\)", "", key)
    matches = [c for c in choices if re.sub(r"\(.*?\)", "", contract.normalise_header(c)) == loose]
    if len(matches) == 1:
        return matches[0]
    raise ValueProblem(f"“{raw}” 不是可选值", "可选：" + "、".join(choices))


def parse_level(value: Any) -> str:
    raw = parse_text(value)
    key = contract.normalise_header(raw).removesuffix("人大代表").removesuffix("代表")
    level = contract.LEVEL_VARIANTS.get(key)
    if level is None:
        raise ValueProblem(f"“{raw}” 不是有效的代表层级", "可填：全国、省、市、县（区）、乡镇")
    return level


# --- names ---------------------------------------------------------------------------------

_NAME_SPACES = re.compile(r"[\s\u3000\u00a0\u200b]+")
_NAME_DOTS = str.maketrans({"•": "·", "・": "·", "‧": "·", "∙": "·", "●": "·", "．": "·", "⋅": "·"})
NAME_SEPARATORS = re.compile(r"[、，,；;]+")


def normalise_name(text: str) -> str:
    """The identity of a name: no whitespace anywhere, one kind of middle dot."""
    text = unicodedata.normalize("NFC", text).translate(_NAME_DOTS)
    return _NAME_SPACES.sub("", text)


def split_name_pieces(text: str) -> list[str]:
    """A name list split on 、，,；; (whitespace splitting is decided against the roster)."""
    return [piece.strip() for piece in NAME_SEPARATORS.split(text) if piece.strip(" \u3000\t\n")]
