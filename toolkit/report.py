"""The run's summary in Chinese: rows read, documents written, rows rejected (each with its cell
and reason), warnings, and where the files are. Plain text lines; the CLI only prints them."""

from __future__ import annotations

from collections import Counter

from .build import BuildResult
from .validate import Dataset


def problem_lines(data: Dataset) -> list[str]:
    """Every problem, errors first: a clerk works down the list (nothing is cut off)."""
    return [str(p) for p in data.errors] + [str(p) for p in data.warnings]


def read_line(data: Dataset) -> str:
    total = sum(data.read.values())
    per_sheet = "、".join(f"{sheet} {n}" for sheet, n in data.read.items() if n)
    return f"读取：共 {total} 行（{per_sheet}）" if per_sheet else "读取：0 行"


def rejected_line(data: Dataset) -> str:
    total = sum(len(rows) for rows in data.rejected.values())
    if not total:
        return "拒绝：0 行"
    per_sheet = "、".join(
        f"{sheet} {len(rows)} 行" for sheet, rows in data.rejected.items() if rows
    )
    return f"拒绝：{total} 行（{per_sheet}），原因见上"


def check_summary(data: Dataset) -> list[str]:
    lines = problem_lines(data)
    lines.append(read_line(data))
    lines.append(rejected_line(data))
    if not data.errors:
        lines.append(
            "检查通过" + (f"，另有 {len(data.warnings)} 条提醒" if data.warnings else "") + "。"
        )
    else:
        lines.append(f"检查未通过：共 {len(data.errors)} 个问题，见上；改正后请重新检查。")
    return lines


def build_summary(result: BuildResult) -> list[str]:
    data = result.data
    lines = problem_lines(data)
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
    return lines
