"""CPU per form at the margin, ours against a naive loop in the same run (issue 18).

Run: python benchmarks/bench_margin.py [--quick] [--rounds N] [--parts pdf,docx]

For each format, two workbooks that differ only in their number of receptions (the smaller one's
rows are the larger one's first rows, the sample generator being seeded) are built with
`liaison build --only reception_form`, and a naive loop makes the same forms from the same
template: for the PDF, Jinja render and `HTML(string).write_pdf()` per record with the form's
CSS and the shipped fonts (the loop of benchmarks/bench_reception.py, which issue 18 measured);
for Word, docxtpl load + render + save per record. The figure per form is (CPU of the larger
build − CPU of the smaller) / (forms of the larger − forms of the smaller): start-up, reading
the fixed sheets and the worker pool cancel out. CPU is user + system of the whole process tree
(resource.RUSAGE_CHILDREN: the pool's workers are waited for by the build), not wall time, and
the runs are paired (ours small, naive small, ours large, naive large, then again) so that a
machine that other people load changes both sides of a ratio alike. The median ratio is printed.

`--against DIR` also builds with the toolkit of another checkout (say, the commit before a
change: `git worktree add --detach DIR COMMIT`), in the same pairs, so a before/after is measured
in one run; `--jobs N` passes `--jobs` to the build (default: every core, as a clerk runs it).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

NAIVE_PDF = """
import sys
from pathlib import Path
from toolkit import fonts
fonts.use_shipped_fonts()
from weasyprint import CSS, HTML
from toolkit.commands.build import check
from toolkit.derive import plan
from toolkit.forms import load_forms
from toolkit.model import PlanEnv
from toolkit.paths import STYLES_DIR
from toolkit.rules import load_rules
from toolkit.render.templating import make_env
book, out = Path(sys.argv[1]), Path(sys.argv[2])
out.mkdir()
data = check(book, pdf=False)
form = load_forms()['reception_form']
local = form.folder / 'style.css'
sheets = [str(STYLES_DIR / 'base.css')] + ([str(local)] if local.exists() else [])
for i, doc in enumerate(plan(form, data, PlanEnv(load_rules()))):
    html = make_env().from_string(form.template('pdf').read_text()).render(doc.context)
    HTML(string=html, base_url=str(form.folder)).write_pdf(
        out / f'{i}.pdf', stylesheets=[CSS(filename=s) for s in sheets])
print(i + 1)
"""

NAIVE_DOCX = """
import sys
from pathlib import Path
from docxtpl import DocxTemplate
from toolkit.commands.build import check
from toolkit.derive import plan
from toolkit.forms import load_forms
from toolkit.model import PlanEnv
from toolkit.rules import load_rules
book, out = Path(sys.argv[1]), Path(sys.argv[2])
out.mkdir()
data = check(book, pdf=False)
form = load_forms()['reception_form']
for i, doc in enumerate(plan(form, data, PlanEnv(load_rules()))):
    template = DocxTemplate(str(form.template('docx')))
    template.render(doc.context, autoescape=True)
    template.save(out / f'{i}.docx')
print(i + 1)
"""


def cpu_of(argv: list[str], cwd: Path = ROOT) -> float:
    """User + system seconds of `argv` and every process it waited for."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode:
        raise SystemExit(f"benchmark step failed: {argv}\n{proc.stderr[-3000:]}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def cpu_of_in(argv: list[str], code: Path | None) -> float:
    """cpu_of, with the toolkit imported from the checkout `code` (None: this one): `-m` puts
    the working folder first on the path, and the forms are the installed ones (the same)."""
    return cpu_of(argv) if code is None else cpu_of(argv, code.resolve())


def ours(book: Path, out: Path, fmt: str, jobs: int = 0, code: Path | None = None) -> float:
    shutil.rmtree(out, ignore_errors=True)
    argv = [
        sys.executable,
        "-m",
        "toolkit",
        "build",
        str(book.resolve()),
        "--only",
        "reception_form",
    ]
    argv += ["--jobs", str(jobs)] if jobs else []
    return cpu_of_in([*argv, "--format", fmt, "--out", str(out.resolve())], code)


def naive(book: Path, out: Path, code: str) -> float:
    shutil.rmtree(out, ignore_errors=True)
    return cpu_of([sys.executable, "-c", code, str(book), str(out)])


# Long function: the paired rounds, each side's small and large build next to the other's
def margin(
    fmt: str,
    small: Path,
    large: Path,
    extra: int,
    work: Path,
    rounds: int,
    jobs: int = 0,
    against: Path | None = None,
) -> dict:
    code = NAIVE_PDF if fmt == "pdf" else NAIVE_DOCX
    ratios, ours_ms, naive_ms, before_ms, before_ratios = [], [], [], [], []
    ours(small, work / "warm", fmt, jobs)  # the first run after other work is slow: not counted
    for _ in range(rounds):
        o_small = ours(small, work / "o", fmt, jobs)
        b_small = ours(small, work / "b", fmt, jobs, against) if against else 0.0
        n_small = naive(small, work / "n", code)
        o_large = ours(large, work / "o", fmt, jobs)
        b_large = ours(large, work / "b", fmt, jobs, against) if against else 0.0
        n_large = naive(large, work / "n", code)
        o, n = (o_large - o_small) / extra, (n_large - n_small) / extra
        ours_ms.append(o * 1000)
        naive_ms.append(n * 1000)
        ratios.append(o / n)
        before_ms.append((b_large - b_small) / extra * 1000)
        before_ratios.append((b_large - b_small) / extra / n)
    return {
        "ours_ms": statistics.median(ours_ms),
        "naive_ms": statistics.median(naive_ms),
        "ratio": statistics.median(ratios),
        "ratios": ratios,
        "before_ms": statistics.median(before_ms),
        "before_ratio": statistics.median(before_ratios),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller workbooks, one round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--parts", default="pdf,docx")
    parser.add_argument("--jobs", type=int, default=0, help="the build's --jobs (0: every core)")
    parser.add_argument("--against", type=Path, help="another checkout, measured alongside")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from toolkit.commands.sample import make_sample

    (ROOT / "outputs").mkdir(exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="bench-margin-", dir=ROOT / "outputs"))
    rounds = 1 if args.quick else args.rounds
    try:
        sizes = {"pdf": (40, 120) if args.quick else (100, 300)}
        sizes["docx"] = (200, 600) if args.quick else (500, 1500)
        for fmt in args.parts.split(","):
            small_n, large_n = sizes[fmt]
            small, large = work / f"{fmt}-small.xlsx", work / f"{fmt}-large.xlsx"
            make_sample(small, stations=10, receptions=small_n, seed=7)
            make_sample(large, stations=10, receptions=large_n, seed=7)
            m = margin(fmt, small, large, large_n - small_n, work, rounds, args.jobs, args.against)
            target = "≤ ×0.45" if fmt == "pdf" else "≥ ×20 (naive/ours)"
            shown = m["ratio"] if fmt == "pdf" else 1 / m["ratio"]
            print(
                f"{fmt}: {large_n - small_n} extra forms; ours {m['ours_ms']:.2f} ms CPU a form, "
                f"naive {m['naive_ms']:.2f} ms → ×{shown:.3f} (target {target}); rounds "
                + ", ".join(f"{r if fmt == 'pdf' else 1 / r:.3f}" for r in m["ratios"])
                + f"; {os.cpu_count()} cores"
                + (f", --jobs {args.jobs}" if args.jobs else "")
            )
            if args.against:
                shown = m["before_ratio"] if fmt == "pdf" else 1 / m["before_ratio"]
                print(f"  {args.against}: {m['before_ms']:.2f} ms CPU a form → ×{shown:.3f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
