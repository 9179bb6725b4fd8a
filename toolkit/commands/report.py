"""The run's summary in Chinese: rows read, documents written, rows rejected (each with its cell
and reason), warnings, and where the files are. Plain text lines; the CLI only prints them.

When no workbook was named the run used the bundled sample; every summary then says so first and
last, so a clerk never reads “检查通过” about a workbook that is not theirs. Drafts of a folder
are counted as files (草稿 2 份), never as rows of a sheet.
"""

from __future__ import annotations

from collections import Counter

from ..model import BuildResult, Dataset
from ..paths import SAMPLE_WORKBOOK


def sample_line(verb: str, then: str = "") -> str:
    """The first line of a run on the bundled sample: 未指定台账，检查随附示例台账 …；`verb`
    and `then` say what the run does with it (检查; 用 … 生成文书; 按 … 计分)."""
    return f"未指定台账，{verb}随附示例台账 {SAMPLE_WORKBOOK}{then}（内容虚构，不是您的台账）。"


def roster_line() -> str:
    return (
        f"未指定 --workbook，代表姓名按随附示例台账 {SAMPLE_WORKBOOK} 的代表名册核对"
        "（不是您的名册）。"
    )


def problem_lines(data: Dataset, *, by_place: bool = False) -> list[str]:
    """Every problem, errors first (a clerk works down the list; nothing is cut off); with
    `by_place`, in the order given (drafts: by file, then line)."""
    if by_place:
        return [str(p) for p in data.problems]
    return [str(p) for p in data.errors] + [str(p) for p in data.warnings]


def read_line(data: Dataset) -> str:
    parts = []
    per_sheet = "、".join(f"{sheet} {n}" for sheet, n in data.read.items() if n)
    if per_sheet:
        parts.append(f"共 {sum(data.read.values())} 行（{per_sheet}）")
    parts += [f"草稿 {n} 份（文件夹“{folder}”）" for folder, n in data.drafts.items()]
    return "读取：" + "；".join(parts) if parts else "读取：0 行"


def rejected_line(data: Dataset) -> str:
    total = sum(len(rows) for rows in data.rejected.values())
    files = [f"{folder}/{file}" for folder, names in data.rejected_drafts.items() for file in names]
    parts = []
    if total:
        per_sheet = "、".join(
            f"{sheet} {len(rows)} 行" for sheet, rows in data.rejected.items() if rows
        )
        parts.append(f"{total} 行（{per_sheet}）")
    if files:
        parts.append(f"草稿 {len(files)} 份（{'、'.join(files)}）")
    if parts:
        return f"拒绝：{'；'.join(parts)}，原因见上"
    only_drafts = data.drafts and not any(data.read.values())
    return "拒绝：0 份" if only_drafts else "拒绝：0 行"


def check_summary(data: Dataset, *, sample: bool = False, by_place: bool = False) -> list[str]:
    """`sample`: the run used the bundled sample (no workbook was named)."""
    lines = [sample_line("检查")] if sample else []
    lines += problem_lines(data, by_place=by_place)
    lines.append(read_line(data))
    lines.append(rejected_line(data))
    what = "随附示例台账" if sample else ""
    if not data.errors:
        lines.append(
            f"{what}检查通过"
            + (f"，另有 {len(data.warnings)} 条提醒" if data.warnings else "")
            + "。"
        )
    else:
        lines.append(f"{what}检查未通过：共 {len(data.errors)} 个问题，见上；改正后请重新检查。")
    if sample:
        lines.append("这不是您的台账。检查您的台账请写上文件名，如：liaison check 台账.xlsx")
    return lines


def build_summary(result: BuildResult, *, sample: bool = False) -> list[str]:
    """`sample`: the run used the bundled sample (no workbook was named)."""
    data = result.data
    lines = [sample_line("用", " 生成文书")] if sample else []
    lines += problem_lines(data)
    lines.append(read_line(data))
    if result.blocked:
        lines.append(rejected_line(data))
        if result.strict_failed and not data.errors:
            lines.append("因使用 --strict，提醒也视为错误：未生成任何文件。")
        else:
            lines.append(
                "未生成任何文件：请改正上列问题后重新运行；或加 --keep-going 先生成没有问题的部分。"
            )
        return lines
    by_form: Counter[str] = Counter()
    parts: dict[str, list[str]] = {}
    for (title, fmt), n in sorted(result.written.items()):
        by_form[title] += n
        parts.setdefault(title, []).append(f"{fmt} {n}")
    if parts:
        detail = "；".join(f"{title} {'、'.join(p)}" for title, p in parts.items())
        lines.append(f"生成：{result.documents} 份（{detail}）")
    else:
        lines.append("生成：0 份")
    if result.unchanged:
        lines.append(f"未变化：{result.unchanged} 份与上次相同，未重写")
    if result.removed:
        lines.append(f"清理：删除 {len(result.removed)} 份过时的文书（台账中已无对应记录）")
    lines.append(rejected_line(data))
    lines.append(f"输出位置：{result.out}")
    if sample:
        lines.append(
            "以上文书由随附示例台账生成，内容虚构，仅供试用。"
            "用您的台账生成请写上文件名，如：liaison build 台账.xlsx"
        )
    return lines
