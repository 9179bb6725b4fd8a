"""Reading a station's 联络站.接待日 as the reception-day pattern it says (derive/schedule.py
makes the year's days of it), and the check that reports, at its cell, a 接待日 no form fits —
in `liaison check` as in a build, before any plan is made.

The forms (README lists them): 每月5日 / 每月5日、20日 / 每月5、15、25日 (days of each month),
每周三 / 每周二、四 (days of each week), 每月第一个星期五 / 每月最后一个周五 (the n-th or last
weekday), 每季度末月15日 / 每季度首月10日 / 每季度第二个月5日 (a day of one month of each
quarter), with an optional time (上午, 下午, 全天, 9:00—11:30) anywhere in the text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..errors import WARNING, Problem
from ..model import Dataset, Record

WEEKDAYS = "一二三四五六日"
EXAMPLES = (
    "每月5日、每月5日和20日、每周三上午、每月第一个星期五、每月最后一个星期五、每季度末月15日"
)
_CN_DIGITS = {
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


class PatternError(ValueError):
    """A 接待日 text that none of the forms fit."""


@dataclass(frozen=True)
class Pattern:
    kind: str  # monthly | weekly | nth_weekday | quarterly
    days: tuple[int, ...] = ()  # monthly, quarterly: days of the month; weekly: weekdays (0 = Mon)
    nth: tuple[tuple[int, int], ...] = ()  # (n, weekday): n = 1…5, or −1 for the last
    month_of_quarter: int = 0  # quarterly: 1, 2 or 3
    time: str = ""  # 上午, 下午, 9:00—11:30 …
    text: str = ""


# ── reading the 接待日 text ─────────────────────────────────────────────────────────────────

_TIME = re.compile(
    r"(\d{1,2}[:：]\d{2}\s*[-—–~～至到]+\s*\d{1,2}[:：]\d{2}|\d{1,2}[:：]\d{2}|上午|下午|晚上|全天)"
)
_SEP = re.compile(r"[、，,和及与/]+")


def _number(text: str) -> int:
    text = text.strip()
    if text.isdigit():
        return int(text)
    if not text or any(c not in "十" + "".join(_CN_DIGITS) for c in text):
        raise PatternError(text)
    if "十" in text:
        tens, _, units = text.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)
    return _CN_DIGITS[text]


def _weekday(text: str) -> int:
    text = re.sub(r"^(周|星期|礼拜)", "", text.strip())
    if text in ("天", "日"):
        return 6
    if len(text) == 1 and text in WEEKDAYS:
        return WEEKDAYS.index(text)
    raise PatternError(text)


def parse_days(text: str) -> Pattern:
    """The reception-day pattern a 接待日 cell says; PatternError when none fits."""
    raw = str(text or "")
    plain = unicodedata.normalize("NFKC", raw).replace(" ", "").replace("\u3000", "")
    times = _TIME.findall(plain)
    rest = _TIME.sub("", plain).strip("，,。;；()（）")
    time = "".join(times).replace("：", ":")
    time = re.sub(r"\s*[-—–~～至到]+\s*", "—", time)
    try:
        pattern = _pattern(rest)
    except (PatternError, KeyError, ValueError):
        raise PatternError(raw) from None
    return Pattern(pattern.kind, pattern.days, pattern.nth, pattern.month_of_quarter, time, raw)


def _pattern(text: str) -> Pattern:
    nth = re.fullmatch(r"每月的?(.+)", text)
    if nth and ("个" in nth.group(1) or "最后" in nth.group(1)):
        found = []
        for piece in _SEP.split(nth.group(1)):
            m = re.fullmatch(r"(?:第([一二三四五1-5])个|(最后一个|最后))((?:周|星期|礼拜).)", piece)
            if not m:
                raise PatternError(piece)
            n = -1 if m.group(2) else _number(m.group(1))
            found.append((n, _weekday(m.group(3))))
        return Pattern("nth_weekday", nth=tuple(found))
    monthly = re.fullmatch(r"每月的?(.+?)[日号]?", text)
    if monthly:
        days = tuple(_number(re.sub(r"[日号]$", "", p)) for p in _SEP.split(monthly.group(1)) if p)
        return Pattern("monthly", days=_valid_days(days))
    weekly = re.fullmatch(r"每(?:个)?(?:周|星期|礼拜)(.+)", text)
    if weekly:
        weekdays = tuple(_weekday(p) for p in _SEP.split(weekly.group(1)) if p)
        if not weekdays:
            raise PatternError(text)
        return Pattern("weekly", days=tuple(sorted(set(weekdays))))
    quarterly = re.fullmatch(
        r"每(?:个)?季度(?:的)?(末月|最后一个月|第三个月|首月|第一个月|第二个月|中间一个月)?(.+?)[日号]?",
        text,
    )
    if quarterly:
        which = {"末月": 3, "最后一个月": 3, "第三个月": 3, "第二个月": 2, "中间一个月": 2}
        month = which.get(quarterly.group(1) or "", 1)
        days = tuple(
            _number(re.sub(r"[日号]$", "", p)) for p in _SEP.split(quarterly.group(2)) if p
        )
        return Pattern("quarterly", days=_valid_days(days), month_of_quarter=month)
    raise PatternError(text)


def _valid_days(days: tuple[int, ...]) -> tuple[int, ...]:
    if not days or any(not 1 <= d <= 31 for d in days):
        raise PatternError(str(days))
    return tuple(sorted(set(days)))


def check_reception_days(data: Dataset) -> None:
    """A warning at each 接待日 cell no form fits: that station gets no plan, the rest of the
    workbook is unaffected."""
    for record in data.rows("联络站"):
        text = record["接待日"]
        if text:
            try:
                parse_days(text)
            except PatternError:
                _report(data, record, text)


def _report(data: Dataset, record: Record, text: str) -> None:
    col = record.cols.get("接待日", 0)
    data.problems.append(
        Problem(
            record.title,
            record.row,
            f"无法识别“{text}”，该联络站不生成接待选民日安排",
            "接待日" if col else "",
            col,
            WARNING,
            f"可写：{EXAMPLES}",
        )
    )
