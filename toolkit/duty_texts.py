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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import WARNING, Problem, ToolkitError, os_reason
from .model import Dataset, Record
from .values import ValueProblem

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


@dataclass
class DeputyTexts:
    """Per part, the paragraphs; and where each part came from (the sheet's row or a file)."""

    parts: dict[str, list[str]] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)


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


@dataclass
class TextFiles:
    """The Markdown files of --texts: deputy display name → {year or None: parts}."""

    by_deputy: dict[str, dict[int | None, tuple[str, dict[str, list[str]]]]] = field(
        default_factory=dict
    )


def read_text_files(folder: Path, data: Dataset) -> TextFiles:
    if not folder.is_dir():
        raise ToolkitError(f"--texts 文件夹“{folder}”不存在或不是文件夹")
    found = TextFiles()
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in (".md", ".markdown", ".txt") or not path.is_file():
            continue
        years = _YEAR.findall(path.stem)
        year_match = _YEAR.search(path.stem)
        year = int(year_match.group(0)) if year_match else None
        name = _YEAR.sub("", path.stem).strip(" _-—.年度述职报告材料")
        if len(years) > 1 or not name:
            data.problems.append(
                Problem(path.name, 0, "文件名应为“姓名.md”或“姓名_年份.md”", severity=WARNING)
            )
            continue
        display = _resolve(data, name)
        if display is None:
            data.problems.append(
                Problem(
                    path.name,
                    0,
                    f"“{name}”不在代表名册中，此文件未使用",
                    severity=WARNING,
                    hint="文件名应为代表姓名（同名代表写“姓名（联络站）”）",
                )
            )
            continue
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            raise ToolkitError(
                "不是 UTF-8 编码的文本", where=path.name, hint="请用“UTF-8”编码另存"
            ) from None
        except OSError as exc:
            raise ToolkitError(f"无法读取：{os_reason(exc)}", where=path.name) from None
        found.by_deputy.setdefault(display, {})[year] = (path.name, parse_markdown(text, path.name))
    return found


def _resolve(data: Dataset, name: str) -> str | None:
    try:
        return data.roster.resolve_one(name).display
    except ValueProblem:  # an unknown or ambiguous name
        return None


# (the 述职材料 record list it was built from, (姓名, 年度) → its rows), for the newest dataset
_OWN_ROWS: list[tuple[Any, dict[tuple[Any, Any], list[Record]]]] = []


def own_rows(data: Dataset, display: str, year: int | None) -> list[Record]:
    """A deputy's 述职材料 rows for a year, from an index built once per sheet (every report
    looked them up twice, scanning the whole sheet each time). Rebuilt when the sheet's
    records are another list."""
    rows = data.rows("述职材料")
    if not _OWN_ROWS or _OWN_ROWS[0][0] is not rows:
        index: dict[tuple[Any, Any], list[Record]] = {}
        for record in rows:
            index.setdefault((record["姓名"], record["年度"]), []).append(record)
        _OWN_ROWS[:] = [(rows, index)]
    return list(_OWN_ROWS[0][1].get((display, year), ()))


def deputy_texts(
    data: Dataset, files: TextFiles | None, display: str, year: int | None
) -> DeputyTexts:
    """The sheet's row for (deputy, year), then the file's parts over it."""
    texts = DeputyTexts()
    for record in own_rows(data, display, year):
        for part in PARTS:
            found = paragraphs(record[part])
            if found:
                texts.parts[part] = found
                texts.sources[part] = f"{record.title}!第{record.row}行"
    if files is not None:
        by_year = files.by_deputy.get(display, {})
        chosen = by_year.get(year) if year in by_year else by_year.get(None)
        if chosen:
            file_name, parts = chosen
            for part, found in parts.items():
                texts.parts[part] = found
                texts.sources[part] = file_name
    return texts
