"""Text that a line must not break: a pass over the text nodes of a parsed HTML document.

Chinese text may break between any two characters, so a justified line can end in “下午” and
start the next with “2:30”, or split “6/次”. Before layout, every stretch that a reader takes as
one unit is wrapped in a `<nobr>` element (`white-space: nowrap` in WeasyPrint's UA stylesheet):

  a date (2024年3月5日, 3月5日, 2024年3月, （星期三）), a time with its 上午/下午 (下午2:30, 14:30,
  下午3时), a number with its unit (6次, 21件, 36人次, 85.00%, 第3名, 12公里), a phone number, and
  a colon with the first character of the value after it (办理结果：A), so a label never ends a
  line that its value begins.

Inside an element with the class `names` (a deputy's name, a list of names, 出席人员), each item
of the list (split at 、，,；; and spaces) is kept whole: 买买提·艾力 never becomes 买/买提·艾/力.
A transliterated name too long for its column may wrap after its middle dot (阿依古丽·/吐尔逊),
the one place Chinese typesetting wraps it.

The pass only moves existing text into new elements in the tree the HTML parser built: values were
escaped by the template and stay text; nothing is parsed again or evaluated. Text in <head>,
<style>, <script> and inside <nobr> already is left alone.
"""

from __future__ import annotations

import re
from typing import Any
from xml.etree import ElementTree

_CN = "〇○零一二三四五六七八九十"
_TIME_OF_DAY = r"(?:上午|下午|中午|晚上|早上|傍晚|凌晨)"
_UNITS = (
    "%|％|‰|人次|万元|亿元|平方米|公里|小时|个月|周岁|课时|学时|"
    "次|件|名|人|个|项|天|日|号|票|分|元|条|户|场|期|届|年|月|岁|份|页|处|所|家|米|亩|吨|辆|座|"
    "本|批|轮|位|间|栋|套|行|单元|室|楼|层|幢|组"
)
# Searched one by one, so that stretches may overlap (“：0” and “0571-86001234”); overlapping
# stretches are kept whole together.
KEEP = tuple(
    re.compile(pattern)
    for pattern in (
        # dates, with their weekday
        rf"(?:\d{{4}}|[{_CN}]{{4}})年(?:\d{{1,2}}|[{_CN}]{{1,2}})月(?:\d{{1,2}}|[{_CN}]{{1,3}})日",
        r"\d{4}年\d{1,2}月|\d{1,2}月\d{1,2}日|\d{4}[-./]\d{1,2}[-./]\d{1,2}",
        r"（星期.）|\(星期.\)|星期[一二三四五六日天]",
        # times, with the part of the day they belong to
        rf"{_TIME_OF_DAY}?\d{{1,2}}[:：]\d{{2}}",
        rf"{_TIME_OF_DAY}?\d{{1,2}}时(?:\d{{1,2}}分|半)?",
        # numbers with their unit, ordinals and totals
        rf"(?:[第共][ \u00a0]?)?\d+(?:\.\d+)?[ \u00a0]?(?:{_UNITS})",
        # phone numbers, masked or not
        r"\d{3,4}-\d{7,8}|1\d{2}\*{4}\d{4}",
        # a label's colon with the first character of its value (the label itself may wrap
        # as any words do: WeasyPrint does not spread Chinese text over a justified line, so
        # every unit kept whole may leave its line that much short)
        r"(?<=[\u4e00-\u9fff])[：:][^\s：:]",
    )
)
# an item of a list of names; a transliterated name (阿依古丽·吐尔逊) may wrap after its dot, as
# Chinese typesetting wraps it, but nowhere else (the Word renderer, docx.py, keeps the same)
NAME_ITEM = re.compile(r"[^、，,；;\s\u3000·]{1,12}·?")
# An inline SVG (a chart, render/charts.py) places each of its <text>s itself: no <nobr> in it.
_SKIP = {
    "head",
    "style",
    "script",
    "title",
    "nobr",
    "template",
    "svg",
    "{http://www.w3.org/2000/svg}svg",
}


def keep_together(root: Any) -> None:
    """Wrap, in place, every unbreakable stretch of text under `root` (an ElementTree element
    as WeasyPrint's parser makes it, tags without a namespace)."""
    _walk(root, names=False)


def _walk(element: Any, names: bool) -> None:
    if not isinstance(element.tag, str) or element.tag in _SKIP:
        return
    names = names or "names" in element.get("class", "").split()
    if element.text:
        first, made = _split(element.text, names)
        if made:
            element.text = first
            for index, node in enumerate(made):
                element.insert(index, node)
    for child in list(element):
        _walk(child, names)
        if child.tail:
            first, made = _split(child.tail, names)
            if made:
                child.tail = first
                position = list(element).index(child) + 1
                for offset, node in enumerate(made):
                    element.insert(position + offset, node)


def _spans(text: str, names: bool) -> list[tuple[int, int]]:
    """The stretches of `text` to keep whole, merged where they overlap, in order."""
    found = [m.span() for pattern in KEEP for m in pattern.finditer(text)]
    if names:
        found += [m.span() for m in NAME_ITEM.finditer(text)]
    found.sort()
    merged: list[tuple[int, int]] = []
    for start, end in found:
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _split(text: str, names: bool) -> tuple[str, list[Any]]:
    """The text before the first kept stretch, and <nobr> elements (each with the plain text
    after it as its tail) for the rest; no elements when nothing is kept."""
    spans = _spans(text, names)
    if not spans:
        return text, []
    made = []
    for index, (start, end) in enumerate(spans):
        node = ElementTree.Element("nobr")
        node.text = text[start:end]
        following = spans[index + 1][0] if index + 1 < len(spans) else len(text)
        node.tail = text[end:following] or None
        made.append(node)
    return text[: spans[0][0]], made
