"""The checks, on the pages of one document (page.py): each violation by page.

The text block's edges are the outermost of the document's own body lines. A line that reaches
the right edge, followed by one that starts at the left edge, is its paragraph running on; two
lines one under the other at the line pitch, the lower one starting where the upper one does or
further left, may be one text running on (a wrapped cell of a flex item, 时间：…), and are checked
for what the break between them cuts.

The patterns of what must not break are the checker's own, written apart from the renderer's
(toolkit/render/nobreak.py) on purpose: a checker that shared the fixer's patterns could not
find what the fixer misses.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from .page import Cell, Line, Page, Row, Table, is_sans

CN_DIGIT = "〇○零一二三四五六七八九十"
DATE = (
    rf"(?:\d{{4}}|[{CN_DIGIT}]{{4}})年(?:\d{{1,2}}|[{CN_DIGIT}]{{1,2}})月"
    rf"(?:\d{{1,2}}|[{CN_DIGIT}]{{1,3}})日"
)
# A line of a closing block: a date or the blank “　　年　　月　　日”; a signature line; or a
# right-aligned line (a 落款) followed by one of them or by nothing.
CLOSING_DATE = re.compile(rf"(?:日期[：:])?(?:{DATE}|年月日)")
CLOSING_SIGN = re.compile(
    r"(?:签名|签字|签章|盖章)"
    r"|^(?:述职人|领衔代表|计票人|监票人|登记人|交办人|经办人|填表人|审核人)[：:]"
)
TIME_OF_DAY = r"(?:上午|下午|中午|晚上|早上|傍晚|凌晨)"
UNITS = (
    "%|％|‰|人次|万元|亿元|平方米|公里|小时|个月|周岁|次|件|名|人|个|项|天|日|号|票|分|元|条|户|"
    "场|期|届|年|月|岁|份|页|处|所|家|米|亩|吨|辆|座|本|批|轮|位|间|栋|套|行|课时|学时|"
    "单元|室|楼|层|幢|组"
)
TOKENS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "日期",
        re.compile(
            rf"{DATE}|\d{{4}}年\d{{1,2}}月|\d{{1,2}}月\d{{1,2}}日"
            r"|\d{4}[-./]\d{1,2}[-./]\d{1,2}|（星期.）|星期[一二三四五六日天]"
        ),
    ),
    (
        "时间",
        re.compile(
            rf"{TIME_OF_DAY}?\d{{1,2}}[:：]\d{{2}}|{TIME_OF_DAY}\d{{1,2}}时(?:\d{{1,2}}分|半)?"
            r"|\d{1,2}时\d{1,2}分"
        ),
    ),
    ("数字和单位", re.compile(rf"(?:第|共)?\d+(?:\.\d+)?(?:{UNITS})")),
    ("电话号码", re.compile(r"\d{3,4}-\d{7,8}|1\d{2}\*{4}\d{4}|\d{7,}")),
    ("字母数字", re.compile(r"[0-9A-Za-z]+(?:[.:：/][0-9A-Za-z]+)*")),
)
# a label ending a line: two to six characters after punctuation or at the line's start
LABEL = re.compile(r"(?:^|(?<=[。；，、）)]))[\u4e00-\u9fff]{2,6}[：:]$")
CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True, order=True)
class Violation:
    path: str  # relative to the folder checked
    page: int
    kind: str  # 落款, 孤行, 断开, 表格
    detail: str

    def __str__(self) -> str:
        return f"{self.path} 第{self.page}页 {self.kind}：{self.detail}"


class Document:
    """A document's pages and the edges of its text block."""

    def __init__(self, pages: list[Page]) -> None:
        self.pages = pages
        lines = [line for page in pages for row in page.rows for line in row.lines]
        self.left = min((line.x0 for line in lines), default=0.0)
        self.right = max((line.x1 for line in lines), default=0.0)

    def full(self, line: Line) -> bool:
        """The line reaches the right edge of the text block: its paragraph may run on. (Two
        and a half characters short still counts: WeasyPrint does not spread Chinese text over
        a justified line, and a character that may not start a line takes one along.)"""
        return line.x1 >= self.right - 2.5 * line.size and line.x0 <= self.left + 2.5 * line.size

    def at_left(self, line: Line) -> bool:
        return abs(line.x0 - self.left) <= 0.5 * line.size

    def breaks(self) -> Iterator[tuple[Line, Line, bool]]:
        """Each pair of lines where text may run on from the first to the second, with whether
        it certainly does (a full line followed by one at the left edge: one paragraph)."""
        for page, following in itertools.zip_longest(self.pages, self.pages[1:]):
            for above, below in itertools.pairwise(page.items):
                if isinstance(above, Row) and isinstance(below, Row):
                    for a, b in itertools.product(above.lines, below.lines):
                        size = max(a.size, b.size)
                        near = b.baseline - a.baseline <= 2.2 * size
                        under = a.x0 - 2.5 * size <= b.x0 <= a.x0 + 0.5 * size
                        if abs(a.size - b.size) <= 0.6 and near and under:
                            yield a, b, self.full(a) and self.at_left(b)
            if following is not None and page.items and following.items:
                last, first = page.items[-1], following.items[0]
                if isinstance(last, Row) and isinstance(first, Row):
                    a, b = last.first, first.first
                    if abs(a.size - b.size) <= 0.6 and self.full(a) and self.at_left(b):
                        yield a, b, True


def check(doc: Document, path: str, names: re.Pattern[str] | None) -> list[Violation]:
    """Every violation in the document, in page order."""
    found = [
        *closing_blocks(doc, path),
        *lone_lines(doc, path),
        *broken_tokens(doc, path, names),
        *table_cells(doc, path),
    ]
    return sorted(set(found))


def _closing(line: Line, doc: Document, following: Row | Table | None) -> bool:
    if CLOSING_DATE.fullmatch(line.text) or CLOSING_SIGN.search(line.text):
        return True
    if not (line.x0 > (doc.left + doc.right) / 2 and len(line.text) <= 30):
        return False  # not a right-aligned 落款
    return following is None or (
        isinstance(following, Row) and _closing(following.first, doc, None)
    )


def closing_blocks(doc: Document, path: str) -> list[Violation]:
    """落款: a page after the first that opens with the closing block."""
    found = []
    for page in doc.pages[1:]:
        flow = page.flow
        block: list[Line] = []
        for item, following in itertools.zip_longest(flow, flow[1:]):
            if not isinstance(item, Row) or not _closing(item.first, doc, following):
                break
            block.extend(item.lines)
        if not block:
            continue
        alone = all(isinstance(item, Row) for item in flow) and len(block) == sum(
            len(item.lines) for item in flow if isinstance(item, Row)
        )
        what = "落款单独成页" if alone else "落款与正文末行分在两页"
        shown = " / ".join(line.text for line in block)
        found.append(Violation(path, page.number, "落款", f"{what}：“{shown}”"))
    return found


def lone_lines(doc: Document, path: str) -> list[Violation]:
    """孤行: a paragraph's first or last line alone on its page; a heading or a table's header
    row alone at the foot of a page."""
    runs_on: set[int] = set()  # lines (by id) that continue a paragraph
    continued: set[int] = set()  # lines that a paragraph continues from
    under_full: set[int] = set()  # lines under a full line: not a paragraph of their own
    for a, b, certain in doc.breaks():
        if doc.full(a):
            under_full.add(id(b))
        if certain and not (CLOSING_SIGN.search(b.text) or CLOSING_DATE.fullmatch(b.text)):
            runs_on.add(id(b))
            continued.add(id(a))
    found = []
    for page, following in itertools.pairwise(doc.pages):
        if not page.items or not following.items:
            continue
        last, first = page.items[-1], following.items[0]
        if isinstance(last, Table) and last.heads:
            found.append(Violation(path, page.number, "孤行", f"表头单独留在页末：“{last.heads}”"))
        if not isinstance(last, Row):
            continue
        line = last.first
        if isinstance(first, Row) and id(first.first) in runs_on:
            if id(line) not in runs_on:
                found.append(
                    Violation(path, page.number, "孤行", f"段落首行单独留在页末：“{line.text}”")
                )
            if id(first.first) not in continued:
                found.append(
                    Violation(
                        path,
                        following.number,
                        "孤行",
                        f"段落末行单独转到下页：“{first.first.text}”",
                    )
                )
        elif (
            all("Sans" in c["fontname"] or "Kai" in c["fontname"] for c in line.chars)
            and id(line) not in under_full
            and len(last.lines) == 1
            and not doc.full(line)
            and line.x0 <= doc.left + 2.5 * line.size
            and line.size >= 12
        ):
            found.append(Violation(path, page.number, "孤行", f"标题单独留在页末：“{line.text}”"))
    return found


def cut(a: Line, b: Line, names: re.Pattern[str] | None) -> str | None:
    """What the break between lines a and b cuts, as “前/后”; None when it cuts nothing kept
    whole. A transliterated name may wrap after its middle dot (买买提·/艾力)."""
    joined, at = a.text + b.text, len(a.text)
    patterns = [("姓名", names)] if names is not None else []
    for kind, pattern in [*patterns, *TOKENS]:
        for match in pattern.finditer(joined):
            dot = kind == "姓名" and joined[at - 1] == "·"
            if match.start() < at < match.end() and not dot:
                return f"{kind}断开：“{joined[match.start() : at]}/{joined[at : match.end()]}”"
    if a.text[-1] in "：:":
        # a label (LABEL, or a run set in 黑体: 一、会议时间：) whose value starts the next line
        start = len(a.chars) - 1
        while start > 0 and is_sans(a.chars[start - 1]):
            start -= 1
        label = LABEL.search(a.text)
        if label or (start < len(a.chars) - 1 and is_sans(a.chars[-1])):
            shown = label.group(0) if label else a.text[start:]
            return f"标签和内容断开：“{shown}/{b.text[:4]}”"
    return None


def broken_tokens(doc: Document, path: str, names: re.Pattern[str] | None) -> list[Violation]:
    """断开: a break inside a name, a date, a time, a number with its unit, or after a label."""
    pairs = [(a, b) for a, b, _ in doc.breaks()]
    pairs += [
        pair for page in doc.pages for cell in page.cells for pair in itertools.pairwise(cell.lines)
    ]
    found = []
    for a, b in pairs:
        detail = cut(a, b, names)
        if detail:
            found.append(Violation(path, a.page, "断开", detail))
    return found


def _split_rows(doc: Document) -> set[int]:
    """The cells (by id) of table rows that run on from one page to the next: the last row of
    a page that ends in a table and the first row under the header of the next page."""
    found: set[int] = set()
    for page, following in itertools.pairwise(doc.pages):
        ends, starts = page.flow[-1:], following.flow[:1]
        if not (ends and starts and isinstance(ends[0], Table) and isinstance(starts[0], Table)):
            continue
        bottom = ends[0].bbox[3]
        found |= {id(c) for c in page.cells if abs(c.bbox[3] - bottom) < 2}
        body = [c for c in following.cells if not c.header]
        if body:
            top = min(c.bbox[1] for c in body)
            found |= {id(c) for c in body if abs(c.bbox[1] - top) < 2}
    return found


def _lone_character(cell: Cell) -> bool:
    return len(cell.lines) > 1 and any(
        len(line.text) == 1 and CJK.fullmatch(line.text) for line in cell.lines
    )


def table_cells(doc: Document, path: str) -> list[Violation]:
    """表格: text over a cell's rules; a header cell, or a cell of one short word, with a line
    of one character broken off (发出票/数, 出席人代/会)."""
    found = []
    split = _split_rows(doc)
    for page in doc.pages:
        for cell in page.cells:
            if cell.spills:
                found.append(
                    Violation(path, page.number, "表格", f"文字超出表格线：“{cell.spills}”")
                )
            word = (
                len(cell.text) <= 6
                and not re.search(r"[\d、，,；]", cell.text)
                and id(cell) not in split  # a part of a longer text
            )
            if (cell.header or word) and _lone_character(cell):
                shown = "/".join(line.text for line in cell.lines)
                what = "表头断字" if cell.header else "单元格断字"
                found.append(Violation(path, page.number, "表格", f"{what}：“{shown}”"))
    return found
