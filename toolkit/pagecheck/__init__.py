"""The layout checker: does every page of a build's PDFs hold on its content? (issue 12 §3)

`python -m toolkit.pagecheck OUTPUT_FOLDER [--workbook 台账.xlsx] [--jobs N]` reads every page
of every PDF under the folder and prints each place where the layout fails a reader, one line
each, by file and page (`会议通知/….pdf 第2页 落款：落款单独成页：“2024年5月29日”`); exit 1 when
there is any, 0 when none, 2 when the folder or the workbook cannot be read. A developer's tool:
it needs the test extras (`pip install -e ".[test]"`: pypdfium2 and pdfplumber).

What it reports:
  落款  the closing block (署名/落款, signature lines, the date line “年 月 日”) opens a page:
        alone on it, or parted from the last lines of the body above it.
  孤行  a paragraph's first line alone at the foot of a page while the paragraph runs on, or its
        last line alone at the head of the next page (orphans and widows); a heading, or a
        table's header row, alone at the foot of a page.
  断开  a line break inside a person's name, a date (2024年3月5日), a time (下午2:30, 14:30), a
        number with its unit (6次, 85.00%), a run of digits or letters, or between a label and
        its value (联系电话：/0571-…).
  表格  a header cell (the 黑体 of th/td.label), or a cell of one short word, with a line of one
        character broken off (“发出票/数”); text kept whole that runs over a cell's rules.

Names: those of the workbook (代表名册 姓名, 接待登记 来访人, 会议 主持人 and 记录人, 联络站 负责人)
when one is given, or when the build's manifest.json names one that exists; else those each
document states (述职人：…, the cells under 姓名).

How a page is read: page.py; the checks: checks.py.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from ..errors import ToolkitError
from .checks import Document, Violation, check
from .names import document_names, pattern, workbook_names
from .page import read_pdf

__all__ = ["Violation", "check_folder", "check_pdf", "main", "manifest_workbook", "workbook_names"]


def check_pdf(
    path: Path, names: Iterable[str] | None = None, shown_as: str | None = None
) -> list[Violation]:
    """Every violation in one PDF, in page order. `names` are the people whose names must not
    break; None takes them from the document itself."""
    doc = Document(read_pdf(path))
    return check(
        doc, shown_as or path.name, pattern(document_names(doc) if names is None else names)
    )


def _check_one(job: tuple[Path, Path, list[str] | None]) -> list[Violation]:
    path, folder, names = job
    return check_pdf(path, names, path.relative_to(folder).as_posix())


def check_folder(
    folder: Path, names: Iterable[str] | None = None, jobs: int = 1
) -> list[Violation]:
    """Every violation in every PDF under `folder`, in file and page order."""
    listed = sorted(names) if names is not None else None
    work = [(path, folder, listed) for path in sorted(folder.rglob("*.pdf"))]
    if jobs > 1 and len(work) > 1:
        with ProcessPoolExecutor(jobs) as pool:
            results = list(pool.map(_check_one, work, chunksize=8))
    else:
        results = [_check_one(job) for job in work]
    return [violation for found in results for violation in found]


def manifest_workbook(folder: Path) -> Path | None:
    """The workbook a build recorded in its manifest, when there is exactly one and it exists."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    books = {entry.get("workbook") for entry in manifest.get("files", []) if entry.get("workbook")}
    if len(books) == 1:
        book = Path(str(books.pop()))
        if book.is_file():
            return book
    return None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m toolkit.pagecheck",
        description="检查生成的 PDF 的版面：落款单独成页、孤行、姓名日期数字断行、表头断字",
    )
    parser.add_argument("folder", type=Path, help="liaison build 的输出文件夹")
    parser.add_argument(
        "--workbook",
        type=Path,
        help="台账，其中的姓名不得断行（默认为输出文件夹 manifest.json 记录的台账，"
        "没有时取文书中写明的姓名）",
    )
    parser.add_argument("--jobs", type=int, default=1, help="同时检查的进程数（默认 1）")
    args = parser.parse_args(argv)
    if not args.folder.is_dir():
        print(f"找不到文件夹：{args.folder}", file=sys.stderr)
        return 2
    try:
        import pdfplumber  # noqa: F401
        import pypdfium2  # noqa: F401
    except ImportError:
        print('需要开发依赖：pip install -e ".[test]"', file=sys.stderr)
        return 2
    book = args.workbook or manifest_workbook(args.folder)
    names = None
    if book is not None:
        try:
            names = workbook_names(book)
        except (ToolkitError, OSError) as exc:
            print(f"无法读取台账“{book}”：{exc}", file=sys.stderr)
            return 2
        print(f"姓名取自台账：{book}（{len(names)} 人）")
    found = check_folder(args.folder, names, max(1, args.jobs))
    for violation in found:
        print(violation)
    pdfs = sum(1 for _ in args.folder.rglob("*.pdf"))
    files = len({v.path for v in found})
    if found:
        print(f"共检查 {pdfs} 个 PDF：{len(found)} 处问题，涉及 {files} 个文件")
    else:
        print(f"共检查 {pdfs} 个 PDF：没有发现问题")
    return 1 if found else 0
