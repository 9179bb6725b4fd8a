"""The duty-report sheets' rules across cells and rows (述职测评, 述职材料).

`check_duty(data)` runs after every sheet is typed (validate.py calls it). 述职测评: returned
ballots cannot exceed those issued, valid ones cannot exceed those returned, and 满意 + 基本满意 +
不满意 must equal 有效票数 (or, when 有效票数 is blank, stay within 收回票数); each problem names
the cell that cannot be right, and the row is rejected like any other bad row, so no tally is made
from counts that do not add up. A row with no counts yet (the meeting is still to come) is kept:
it prints ballots and shows as 未录入 in the tally. 述职材料: one row per deputy and year.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import WARNING, Problem
from ..model import Dataset, Record, Rejects
from ..read.texts import name_and_year, read_text_file, text_files
from ..values import ValueProblem

RATINGS = "述职测评"
TEXTS = "述职材料"
GRADES = ("满意", "基本满意", "不满意")


def check_duty(data: Dataset) -> None:
    rejects = Rejects(data)
    meetings = {r["会议编号"].upper() for r in data.rows("会议") if r["会议编号"]}
    for record in data.rows(RATINGS):
        _check_counts(record, rejects)
        _check_meeting(record, rejects, meetings, bool(data.rows("会议")))
    _check_texts(data, rejects)
    rejects.apply()


def cell(record: Record, column: str) -> str:
    """述职测评!F12, or the column name when the sheet lacks it."""
    col = record.cols.get(column)
    if not col:
        return column
    from ..errors import column_letter

    return f"{column_letter(col)}{record.row}"


def _check_counts(record: Record, rejects: Rejects) -> None:
    issued, returned, valid = record["发出票数"], record["收回票数"], record["有效票数"]
    if issued is not None and returned is not None and returned > issued:
        rejects.add(
            record,
            "收回票数",
            f"收回 {returned} 张，多于发出的 {issued} 张（{cell(record, '发出票数')}）",
            "请核对发出票数和收回票数",
        )
    if valid is not None and returned is not None and valid > returned:
        rejects.add(
            record,
            "有效票数",
            f"有效 {valid} 张，多于收回的 {returned} 张（{cell(record, '收回票数')}）",
            "有效票数不能多于收回票数",
        )
    counts = [record[g] for g in GRADES]
    if all(c is None for c in counts):
        return  # not counted yet
    total = sum(c or 0 for c in counts)
    shown = " + ".join(f"{g} {c or 0}" for g, c in zip(GRADES, counts, strict=True))
    if valid is not None and total != valid:
        rejects.add(
            record,
            "有效票数",
            f"{shown} = {total}，与有效票数 {valid} 不符",
            f"三项之和应等于有效票数，请核对{'、'.join(cell(record, g) for g in GRADES)}",
        )
    elif valid is None and returned is not None and total > returned:
        rejects.add(
            record,
            "收回票数",
            f"{shown} = {total}，多于收回的 {returned} 张",
            "请核对各项票数，并填写有效票数",
        )


def _check_meeting(record: Record, rejects: Rejects, meetings: set[str], has_sheet: bool) -> None:
    code = record["会议编号"]
    if not code and record["日期"] is None:
        rejects.add(
            record,
            "日期",
            "会议编号和日期都没有填写，无法确定是哪一次述职",
            "请填写述职评议会的会议编号（见“会议”表）或日期",
            severity=WARNING,
        )
    elif code and has_sheet and code.upper() not in meetings and record["日期"] is None:
        rejects.add(
            record,
            "会议编号",
            f"“{code}” 在“会议”表中找不到，也没有填写日期",
            "请核对会议编号，或填写日期",
            severity=WARNING,
        )


def _check_texts(data: Dataset, rejects: Rejects) -> None:
    seen: dict[tuple[str, int], int] = {}
    for record in data.rows(TEXTS):
        key = (record["姓名"], record["年度"])
        if key in seen:
            rejects.add(
                record,
                "姓名",
                f"{key[0]} {key[1]}年度的述职材料已在第{seen[key]}行填写",
                "每名代表每年一行，请合并两行内容",
            )
        else:
            seen[key] = record.row


# ── --texts: the deputies' own words, each file named for a deputy of the roster ───────────


@dataclass
class TextFiles:
    """The Markdown files of --texts: deputy display name → {year or None: (file, parts)}."""

    by_deputy: dict[str, dict[int | None, tuple[str, dict[str, list[str]]]]] = field(
        default_factory=dict
    )


def read_text_files(folder: Path, data: Dataset) -> TextFiles:
    """The files of `folder` whose names are roster deputies; any other is a warning."""
    found = TextFiles()
    for path in text_files(folder):
        named = name_and_year(path)
        if named is None:
            data.problems.append(
                Problem(path.name, 0, "文件名应为“姓名.md”或“姓名_年份.md”", severity=WARNING)
            )
            continue
        name, year = named
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
        found.by_deputy.setdefault(display, {})[year] = (path.name, read_text_file(path))
    return found


def _resolve(data: Dataset, name: str) -> str | None:
    try:
        return data.roster.resolve_one(name).display
    except ValueProblem:  # an unknown or ambiguous name
        return None
