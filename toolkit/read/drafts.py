"""Proposal drafts as Markdown files, read: split into front matter and sections, every part
with its line (`liaison proposal new` writes a blank one: commands/proposal.py).

A draft is UTF-8 Markdown that opens with YAML front matter between two `---` lines (标题, 类别,
领衔代表, 附议代表, 所属领域, 建议承办单位, 提出日期, and any other column of the 代表建议 sheet),
followed by the body sections the type requires, each under a level-2 heading::

    ## 现状与问题        ## 具体建议                       (建议)
    ## 案由             ## 案据           ## 方案          (议案)

Inside a section, a blank line ends a paragraph; a line that starts with a numbering (一是, 1.,
（一）, -) starts a new one; other lines are joined (Markdown's soft wrap). `###` lines and short
paragraphs of the form （一）标题 are sub-headings. Lines starting with `> 提示` are the template's
hints and are dropped. The text is kept as written: never a template, never HTML.

`parse_draft` only splits and locates (every key, section and paragraph knows its line); typing
the values and checking them is validation's (validate/proposals.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .. import yamltext

SECTIONS = {"建议": ("现状与问题", "具体建议"), "议案": ("案由", "案据", "方案")}
HINTS = {
    "现状与问题": "写清事实和问题：在哪里、涉及多少群众、持续多久、原因是什么，用事实和数据说话。",
    "具体建议": "提出具体可行的办法，可分条写（一是……；二是……），一件建议只提一个事项。",
    "案由": "用一两句话说明提出本议案的理由，即要解决什么问题。",
    "案据": "写明法律依据和事实依据：相关法律法规的规定，现状和存在的问题。",
    "方案": "提出解决问题的具体方案，如制定或修改法规的主要内容、需要采取的措施。",
}
SECTION_ALIASES = {
    "现状与问题": "现状与问题",
    "现状和问题": "现状与问题",
    "存在问题": "现状与问题",
    "存在的问题": "现状与问题",
    "问题": "现状与问题",
    "具体建议": "具体建议",
    "建议": "具体建议",
    "建议内容": "具体建议",
    "对策建议": "具体建议",
    "意见建议": "具体建议",
    "案由": "案由",
    "案据": "案据",
    "依据": "案据",
    "方案": "方案",
    "解决方案": "方案",
    "具体方案": "方案",
}
HINT_PREFIX = "> 提示："
_HINT = re.compile(r"^>\s*提示")
_HEADING = re.compile(r"^(#{1,6})\s*(.*?)\s*#*$")
_NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．])\s*"
)
# A line that begins a new item: 一是 / 二要, 1. 1、 (1) （一） 一、, or a Markdown list marker.
ITEM_START = re.compile(
    r"^(?:[一二三四五六七八九十]+[是要]|[一二三四五六七八九十]+[、．]|"
    r"[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．）)]|第[一二三四五六七八九十]+[，、是])"
)
_LIST_MARK = re.compile(r"^[-*+]\s+")
_SUBHEAD = re.compile(r"^[（(][一二三四五六七八九十]+[）)][^。！？；]{1,28}$")


@dataclass(frozen=True)
class Block:
    """A paragraph, or a sub-heading (（一）……), and the line it starts on (0: a sheet cell)."""

    text: str
    heading: bool = False
    line: int = 0


@dataclass
class DraftSection:
    line: int  # of its ## heading
    blocks: list[Block] = field(default_factory=list)


@dataclass
class DraftIssue:
    line: int
    key: str  # the front-matter key or section, as shown before the message; "" for none
    message: str
    hint: str = ""
    error: bool = True


@dataclass
class Draft:
    front: dict[str, Any] = field(default_factory=dict)  # key as written → value
    lines: dict[str, int] = field(default_factory=dict)  # key as written → its line
    sections: dict[str, DraftSection] = field(default_factory=dict)
    body_line: int = 1  # the first line after the front matter
    issues: list[DraftIssue] = field(default_factory=list)


def blocks(text: str | None, first_line: int = 0) -> list[Block]:
    """Paragraphs of a section's text. Lines are numbered from `first_line` (0: no numbers,
    and every line of a sheet cell is a paragraph of its own, as clerks press Alt+Enter)."""
    if not text:
        return []
    found: list[Block] = []
    current: list[str] = []
    start = 0

    def flush() -> None:
        if current:
            joined = current[0]
            for piece in current[1:]:
                gap = " " if joined[-1:].isascii() and piece[:1].isascii() else ""
                joined += gap + piece
            heading = bool(_SUBHEAD.match(joined))
            found.append(Block(joined, heading, start))
            current.clear()

    for offset, raw in enumerate(text.replace("\r\n", "\n").split("\n")):
        line = raw.strip()
        number = first_line + offset if first_line else 0
        if first_line and _HINT.match(line):
            continue
        heading = _HEADING.match(line) if first_line else None
        if heading and len(heading.group(1)) >= 3:
            flush()
            found.append(Block(heading.group(2), True, number))
            continue
        line = _LIST_MARK.sub("", line) if first_line else line
        if not line:
            flush()
            continue
        if not first_line or ITEM_START.match(line) or not current:
            flush()
            current.append(line)
            start = number
        else:
            current.append(line)
    flush()
    return found


def parse_draft(text: str) -> Draft:
    """Front matter and sections, each with its line; problems of form as `issues`."""
    draft = Draft()
    lines = text.replace("\r\n", "\n").split("\n")
    if not lines or lines[0].strip() != "---":
        draft.issues.append(
            DraftIssue(
                1,
                "",
                "开头缺少 YAML 信息（两行“---”之间的标题、类别、领衔代表等）",
                "请用 liaison proposal new 生成草稿，再填写",
            )
        )
        return draft
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        draft.issues.append(DraftIssue(1, "", "开头的 YAML 信息没有结束的“---”行"))
        return draft
    _front(draft, "\n".join(lines[1:end]))
    draft.body_line = end + 2
    _sections(draft, lines, end + 1)
    return draft


def _front(draft: Draft, text: str) -> None:
    try:
        node = yamltext.compose(text)
        data = yamltext.load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        draft.issues.append(
            DraftIssue(
                mark.line + 2 if mark else 1,
                "",
                "开头的 YAML 信息格式有误",
                "每行写“项目: 内容”，冒号后留一个空格；内容含冒号或 # 时加引号",
            )
        )
        return
    if data is None:
        return
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        draft.issues.append(DraftIssue(2, "", "开头的 YAML 信息应为“项目: 内容”的形式"))
        return
    for key_node, _ in node.value:
        key = str(key_node.value)
        draft.lines[key] = key_node.start_mark.line + 2
    draft.front = {str(k): v for k, v in data.items()}


def _sections(draft: Draft, lines: list[str], start: int) -> None:
    current: str | None = None
    gathered: dict[str, list[str]] = {}
    first: dict[str, int] = {}
    stray = 0
    for index in range(start, len(lines)):
        number = index + 1
        line = lines[index].strip()
        heading = _HEADING.match(line)
        if heading and len(heading.group(1)) <= 2:
            if len(heading.group(1)) == 1:
                current = None  # a title line: the title is the front matter's
                continue
            title = _NUMBERING.sub("", heading.group(2)).strip("：: ")
            part = SECTION_ALIASES.get(title)
            if part is None:
                draft.issues.append(
                    DraftIssue(
                        number,
                        "",
                        f"未知的标题“{heading.group(2)}”",
                        "建议的部分：## 现状与问题、## 具体建议；"
                        "议案的部分：## 案由、## 案据、## 方案",
                    )
                )
                current = None
                continue
            if part in draft.sections:
                draft.issues.append(
                    DraftIssue(number, part, f"重复的一节（第{draft.sections[part].line}行已有）")
                )
                current = None
                continue
            draft.sections[part] = DraftSection(number)
            current = part
            gathered[part] = []
            first[part] = number + 1
            continue
        if current is None:
            if line and not _HINT.match(line) and not (heading and len(heading.group(1)) == 1):
                stray = stray or number
            continue
        gathered[current].append(lines[index])
    if stray:
        draft.issues.append(
            DraftIssue(
                stray,
                "",
                "这段文字不在任何一节之下，未使用",
                "请放到“## 现状与问题”等标题下面",
                error=False,
            )
        )
    for part, body in gathered.items():
        draft.sections[part].blocks = blocks("\n".join(body), first[part])
