"""The deputy's own words for a 述职报告: the 述职材料 sheet, or Markdown files (`--texts DIR`).

A file per deputy, named by the deputy and optionally the year: 王伟.md, 王伟_2024.md, 2024_王伟.md
(a year in the name limits it to that year's report; one without serves every year). Inside,
a level-2 heading opens each part, in any order, each optional::

    ## 履职情况补充      (also: 履职情况, 本人履职情况, 主要工作)
    ## 存在不足          (also: 存在的不足, 不足)
    ## 努力方向          (also: 今后努力方向, 今后打算)

A level-1 heading (a title) is ignored; text before the first part is 履职情况补充. Paragraphs
are separated by blank lines, and lines inside one are joined (Markdown's soft wrap). The text
is kept as written, never interpreted (no HTML, no template tags). A file's parts take the place
of the same parts of the sheet's row. A file whose name is not a roster deputy is a warning; an
unknown heading stops the run with the file and line, before anything is written.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import ToolkitError, os_reason

PARTS = ("履职情况补充", "存在不足", "努力方向")
ALIASES = {
    "履职情况补充": "履职情况补充",
    "履职情况": "履职情况补充",
    "本人履职情况": "履职情况补充",
    "主要工作": "履职情况补充",
    "存在不足": "存在不足",
    "存在的不足": "存在不足",
    "不足": "存在不足",
    "努力方向": "努力方向",
    "今后努力方向": "努力方向",
    "今后打算": "努力方向",
}
_NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)]|\d+[、.．])\s*"
)
_YEAR = re.compile(r"(?<!\d)(19|20)\d{2}(?!\d)")


def paragraphs(text: str | None) -> list[str]:
    """Blank-line separated paragraphs; a single line break inside a sheet cell is a paragraph
    too (clerks press Alt+Enter between paragraphs)."""
    if not text:
        return []
    return [line.strip() for line in text.replace("\r\n", "\n").split("\n") if line.strip()]


def parse_markdown(text: str, name: str) -> dict[str, list[str]]:
    parts: dict[str, list[str]] = {}
    current = PARTS[0]
    block: list[str] = []

    def flush() -> None:
        if block:
            parts.setdefault(current, []).append("".join(block))
            block.clear()

    for number, raw in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        line = raw.strip()
        heading = re.match(r"^(#+)\s*(.*?)\s*#*$", line)
        if heading:
            flush()
            if len(heading.group(1)) == 1:
                continue  # the title
            title = _NUMBERING.sub("", heading.group(2)).strip("：: ")
            part = ALIASES.get(title)
            if part is None:
                raise ToolkitError(
                    f"未知的标题“{heading.group(2)}”",
                    where=f"{name} 第{number}行",
                    hint="可用的标题：## 履职情况补充、## 存在不足、## 努力方向",
                )
            current = part
            continue
        if not line:
            flush()
        else:
            block.append(line)
    flush()
    return parts


def name_and_year(path: Path) -> tuple[str, int | None] | None:
    """王伟_2024.md → (王伟, 2024); 王伟.md → (王伟, None); None when the name says no deputy
    (two years, or nothing but a year)."""
    years = _YEAR.findall(path.stem)
    year_match = _YEAR.search(path.stem)
    name = _YEAR.sub("", path.stem).strip(" _-—.年度述职报告材料")
    if len(years) > 1 or not name:
        return None
    return name, int(year_match.group(0)) if year_match else None


def text_files(folder: Path) -> list[Path]:
    """The Markdown and text files of --texts, in name order."""
    if not folder.is_dir():
        raise ToolkitError(f"--texts 文件夹“{folder}”不存在或不是文件夹")
    return [
        p
        for p in sorted(folder.iterdir())
        if p.suffix.lower() in (".md", ".markdown", ".txt") and p.is_file()
    ]


def read_text_file(path: Path) -> dict[str, list[str]]:
    """One file's parts; a file that is not UTF-8 or has an unknown heading stops the run."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ToolkitError(
            "不是 UTF-8 编码的文本", where=path.name, hint="请用“UTF-8”编码另存"
        ) from None
    except OSError as exc:
        raise ToolkitError(f"无法读取：{os_reason(exc)}", where=path.name) from None
    return parse_markdown(text, path.name)
