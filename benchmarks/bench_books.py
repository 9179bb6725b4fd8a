"""Speed and memory of the books family (issue 15): a city's year of "六簿一册".

Run: python benchmarks/bench_books.py [--quick] [--jobs N] [--files N]

The workbook is the sample generator's: 222 stations, 3,181 deputies, 25,000 receptions of 2024
(--quick: 22 stations, 2,500 receptions). Each step runs in a fresh process, so its peak RSS is
its own: the parent's (reading, validating, planning, writing) and the largest worker's
(rendering). Steps:

- registers: 交办督办簿, 办理反馈簿, 代表活动记录簿, 学习培训记录簿, 会议记录簿 of every station in
  xlsx, pdf and docx, as of 31 December 2024;
- notices: a 督办单 (docx and pdf) for every matter overdue on that day;
- files: the 代表履职档案 of every deputy in docx, and `--files` of them in pdf (a PDF booklet is
  5–8 pages; every deputy's would take the better part of an hour on two cores: the rate is
  what matters, and it is printed per booklet).

Work files go under outputs/bench-books (git-ignored), as bench_reception.py's do.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REGISTERS = (
    "handoff_register",
    "feedback_register",
    "activity_register",
    "training_register",
    "meeting_register",
)


def child(code: str) -> dict:
    """Run `code` in a fresh interpreter; it sets RESULT. Adds its peak RSS and its workers'."""
    wrapped = (
        code + "\nimport resource, json as _j\n"
        "_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "_kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "print(_j.dumps({**RESULT, 'parent_mb': _self, 'worker_mb': _kids}))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", wrapped], capture_output=True, text=True, cwd=ROOT, check=False
    )
    if proc.returncode:
        raise SystemExit(f"benchmark step failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def build_code(
    book: Path, out: Path, only: tuple[str, ...], formats: tuple[str, ...], jobs: int
) -> str:
    return f"""
import datetime as dt, time
from pathlib import Path
from toolkit.commands.build import build
from toolkit.model import BuildOptions
t = time.perf_counter()
r = build(BuildOptions(workbook=Path({str(book)!r}), out=Path({str(out)!r}), only={only!r},
                       formats={formats!r}, jobs={jobs}, as_of=dt.date(2024, 12, 31)))
assert r.exit_code == 0, [str(p) for p in r.data.problems][:5]
RESULT = {{'files': r.documents, 's': time.perf_counter() - t,
           'by_form': {{f'{{k[0]}} {{k[1]}}': v for k, v in sorted(r.written.items())}}}}
"""


def files_pdf_code(book: Path, out: Path, n: int) -> str:
    """`n` 代表履职档案 PDFs, spread over the roster, rendered in one process (the rate)."""
    return f"""
import datetime as dt, time
from pathlib import Path
from pypdf import PdfReader
from toolkit.commands.build import check
from toolkit.derive.planners import plan
from toolkit.forms import load_forms
from toolkit.model import PlanEnv
from toolkit.render.registry import Renderers
from toolkit.rules import load_rules
data = check(Path({str(book)!r}), pdf=False)
form = load_forms()['deputy_file']
t0 = time.perf_counter()
docs = list(plan(form, data, PlanEnv(load_rules(), as_of=dt.date(2024, 12, 31))))
planned = time.perf_counter() - t0
docs = docs[:: max(1, len(docs) // {n})][:{n}]
renderer = Renderers().get(str(form.folder.parent), form.id, 'pdf')
out = Path({str(out)!r}); out.mkdir(parents=True, exist_ok=True)
t = time.perf_counter()
pages = 0
for i, d in enumerate(docs):
    path = out / f'{{i}}.pdf'
    with open(path, 'wb') as f:
        renderer.render(d.context, f)
    pages += len(PdfReader(path).pages)
RESULT = {{'files': len(docs), 'pages': pages, 's': time.perf_counter() - t,
           'plan_all_s': planned, 'planned': len(data.roster.deputies)}}
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="22 stations, 2,500 receptions")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--files", type=int, default=40, help="档案 PDFs rendered for the rate")
    args = parser.parse_args()
    stations, deputies, receptions = (22, 318, 2500) if args.quick else (222, 3181, 25000)
    work = ROOT / "outputs" / "bench-books"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    book = work / "台账.xlsx"
    sys.path.insert(0, str(ROOT))
    from toolkit.commands.sample import make_sample

    t = time.perf_counter()
    counts = make_sample(
        book, stations=stations, deputies=deputies, receptions=receptions, year=2024, seed=7
    )
    print(f"workbook: {counts} in {time.perf_counter() - t:.1f} s")
    steps = {
        "registers xlsx": (REGISTERS, ("xlsx",)),
        "registers docx": (REGISTERS, ("docx",)),
        "registers pdf": (REGISTERS, ("pdf",)),
        "督办单 docx+pdf": (("supervision_notice",), ("docx", "pdf")),
        "档案 docx": (("deputy_file",), ("docx",)),
    }
    results = {}
    for name, (only, formats) in steps.items():
        os.sync()
        out = work / name.replace(" ", "-")
        results[name] = found = child(build_code(book, out, only, formats, args.jobs))
        print(
            f"{name}: {found['files']} files in {found['s']:.1f} s "
            f"({found['files'] / found['s']:.1f}/s), parent {found['parent_mb']:.0f} MB, "
            f"largest worker {found['worker_mb']:.0f} MB"
        )
    found = child(files_pdf_code(book, work / "files-pdf", args.files))
    results["档案 pdf"] = found
    per = found["s"] / found["files"]
    print(
        f"档案 pdf: {found['files']} booklets ({found['pages']} pages) in {found['s']:.1f} s, "
        f"{per:.2f} s a booklet in one process (all {found['planned']}: ~"
        f"{per * found['planned'] / args.jobs / 60:.0f} min on {args.jobs} cores); planning every "
        f"booklet {found['plan_all_s']:.1f} s; peak {found['parent_mb']:.0f} MB"
    )
    (work / "results.json").write_text(
        json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8"
    )


if __name__ == "__main__":
    main()
