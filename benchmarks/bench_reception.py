"""Speed and memory of the reception family, each figure against a naive baseline in this run.

Run: python benchmarks/bench_reception.py [--quick]
Machines here are shared and noisy, so every figure is a ratio of two runs in the same script.
Targets (issue 2): docx ≥ 20× a naive docxtpl loop; pdf ≥ 3× a naive WeasyPrint loop and a
one-page form ≤ 150 KB; xlsx ≥ 2× a naive styled openpyxl write with peak memory < 100 MB;
reading ≤ 1.5× a bare openpyxl read-only pass; build memory flat from 1,000 to 20,000 records.
Heavy parts run in subprocesses so that each peak RSS is measured on its own.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def child(code: str) -> dict:
    """Run `code` in a fresh interpreter; it prints one JSON line. Adds the child's peak RSS."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False
    )
    if proc.returncode:
        raise SystemExit(f"benchmark step failed:\n{proc.stderr[-3000:]}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result.setdefault("peak_mb", resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
    result["_before"] = before
    return result


def peak_child(code: str) -> dict:
    """Like child(), but measures peak RSS inside the child (RUSAGE_CHILDREN keeps the max)."""
    wrapped = (
        code + "\nimport resource, json as _j\n"
        "_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "_kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "print(_j.dumps({**RESULT, 'peak_mb': _self, 'worker_peak_mb': _kids}))"
    )
    return child(wrapped)


def best_of(reps: int, code_for: object) -> dict:
    """The fastest of `reps` runs (each in a fresh process and a fresh output folder): on a
    shared machine the minimum is the figure least disturbed by other load. One untimed run
    goes first: on the development VM the first runs after other work were up to 3x slower
    (pages reclaimed while idle), which a one-second docx build cannot absorb."""
    peak_child(code_for(reps))  # type: ignore[operator]
    runs = []
    for i in range(reps):
        # The previous run's files are still being written back to disk, which slowed the
        # next run by up to 2x on the development VM: flush them before the clock starts.
        os.sync()
        runs.append(peak_child(code_for(i)))  # type: ignore[operator]
    best = min(runs, key=lambda r: r["s"] / max(r["n"], 1))
    best["peak_mb"] = max(r["peak_mb"] for r in runs)
    return best


def make_sample(path: Path, receptions: int, stations: int = 10) -> None:
    from toolkit.commands.sample import make_sample as make

    make(path, stations=stations, receptions=receptions, year=2024, seed=7)


def _build_code(book: Path, out: Path, fmt: str) -> str:
    """Child code: our whole `build` of the reception form in one format, timed."""
    return f"""
import time
from pathlib import Path
from toolkit.build import build, BuildOptions
t = time.perf_counter()
r = build(BuildOptions(workbook=Path({str(book)!r}), out=Path({str(out)!r}),
                       only=('reception_form',), formats=({fmt!r},)))
RESULT = {{'n': r.documents, 's': time.perf_counter() - t}}
"""


def bench_docx(book: Path, work: Path, naive_n: int) -> dict:
    ours = best_of(5, lambda i: _build_code(book, work / f"docx{i}", "docx"))  # ~1 s each
    naive = best_of(
        3,
        lambda i: (
            f"""
import io, time
from pathlib import Path
from docxtpl import DocxTemplate
from toolkit.build import BuildOptions, check
from toolkit.model import PlanEnv
from toolkit.derive import plan
from toolkit.forms import load_forms
from toolkit.rules import load_rules
data = check(Path({str(book)!r}), pdf=False)
form = load_forms()['reception_form']
docs = list(plan(form, data, PlanEnv(load_rules())))
docs = docs[::max(1, len(docs) // {naive_n})][:{naive_n}]  # spread over the whole sample
out = Path({str(work / "naive_docx") + str(i)!r}); out.mkdir()
t = time.perf_counter()
for i, d in enumerate(docs):
    tpl = DocxTemplate(str(form.template('docx')))
    tpl.render(d.context, autoescape=True)
    tpl.save(out / f'{{i}}.docx')
RESULT = {{'n': len(docs), 's': time.perf_counter() - t}}
"""
        ),
    )
    return {
        "ours_per_s": ours["n"] / ours["s"],
        "naive_per_s": naive["n"] / naive["s"],
        "ours_n": ours["n"],
        "naive_n": naive["n"],
    }


def bench_pdf(book: Path, work: Path, n: int) -> dict:
    ours = best_of(2, lambda i: _build_code(book, work / f"pdf{i}", "pdf"))
    sizes = [p.stat().st_size for p in (work / "pdf0").rglob("*.pdf")]
    naive = best_of(
        2,
        lambda i: (
            f"""
import io, time
from pathlib import Path
from toolkit import fonts
fonts.use_shipped_fonts()
from weasyprint import HTML, CSS
from toolkit.build import check
from toolkit.model import PlanEnv
from toolkit.derive import plan
from toolkit.forms import load_forms
from toolkit.rules import load_rules
from toolkit.render.templating import make_env
from toolkit.paths import STYLES_DIR
data = check(Path({str(book)!r}), pdf=False)
form = load_forms()['reception_form']
docs = list(plan(form, data, PlanEnv(load_rules())))
docs = docs[::max(1, len(docs) // {n})][:{n}]  # spread over the whole sample, like ours
sheets = [str(STYLES_DIR / 'base.css')] + ([str(form.folder / 'style.css')] if (form.folder / 'style.css').exists() else [])
out = Path({str(work / "naive_pdf") + str(i)!r}); out.mkdir()
t = time.perf_counter()
for i, d in enumerate(docs):
    html = make_env().from_string(form.template('pdf').read_text()).render(d.context)
    HTML(string=html, base_url=str(form.folder)).write_pdf(out / f'{{i}}.pdf', stylesheets=[CSS(filename=s) for s in sheets])
RESULT = {{'n': len(docs), 's': time.perf_counter() - t}}
"""
        ),
    )
    return {
        "ours_per_s": ours["n"] / ours["s"],
        "naive_per_s": naive["n"] / naive["s"],
        "ours_n": ours["n"],
        "naive_n": naive["n"],
        "ours_peak_mb": ours["peak_mb"],
        "max_kb": max(sizes) / 1024 if sizes else 0,
        "mean_kb": sum(sizes) / len(sizes) / 1024 if sizes else 0,
    }


def bench_xlsx(rows: int, naive_rows: int) -> dict:
    ours = peak_child(f"""
import io, time
from pathlib import Path
from toolkit.forms import load_forms
from toolkit.render.xlsx import XlsxRenderer
from toolkit.render.templating import make_env
form = load_forms()['reception_register']
r = XlsxRenderer(form.template('xlsx'), make_env(autoescape=False), 'layout')
row = {{'序号': 0, '接待日期': '2024年3月5日', '接待代表': '王伟、李娜', '来访人': '赵桂兰',
       '联系电话': '13912345678', '住址': '建设路8号院3栋', '反映内容': '小区路面破损，雨天积水严重，希望尽快修复。',
       '问题类别': '道路交通', '处理方式': '交街道(乡镇)办理', '承办单位': '三元街道城建办',
       '办理结果': '已修复', '群众满意度': '满意'}}
def rows():
    for i in range({rows}):
        yield dict(row, 序号=i + 1)
ctx = {{'联络站': '三元社区人大代表联络站', '期间': '2024年', '记录': rows(),
        '站点': {{'站点名称': '三元社区人大代表联络站', '站点编号': '', '地址': '', '接待日': '', '负责人': '', '联系电话': ''}},
        '统计': {{'接待次数': {rows}, '来访人数': {rows}, '交办件数': 0, '办结件数': 0, '满意件数': 0}},
        '表单名称': '接待选民登记簿'}}
t = time.perf_counter()
with open('/dev/null', 'wb') as sink:
    buf = io.BytesIO()
    r.render(ctx, buf)
RESULT = {{'n': {rows}, 's': time.perf_counter() - t}}
""")
    naive = peak_child(f"""
import io, time
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
t = time.perf_counter()
wb = Workbook(); ws = wb.active
thin = Side(style='thin')
values = ['0', '2024年3月5日', '王伟、李娜', '赵桂兰', '13912345678', '建设路8号院3栋',
          '小区路面破损，雨天积水严重，希望尽快修复。', '道路交通', '交街道(乡镇)办理', '三元街道城建办', '已修复', '满意']
for i in range({naive_rows}):
    for c, v in enumerate(values, start=1):
        cell = ws.cell(row=i + 1, column=c, value=v)
        cell.font = Font(name='宋体', size=10.5)
        cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        cell.alignment = Alignment(wrap_text=True, vertical='center')
wb.save(io.BytesIO())
RESULT = {{'n': {naive_rows}, 's': time.perf_counter() - t}}
""")
    return {
        "ours_per_s": ours["n"] / ours["s"],
        "naive_per_s": naive["n"] / naive["s"],
        "ours_peak_mb": ours["peak_mb"],
        "naive_peak_mb": naive["peak_mb"],
        "ours_n": ours["n"],
        "naive_n": naive["n"],
    }


def bench_read(book: Path) -> dict:
    bare = peak_child(f"""
import time, openpyxl
t = time.perf_counter()
wb = openpyxl.load_workbook({str(book)!r}, read_only=True)
ws = wb['接待登记']; ws.reset_dimensions()
n = sum(1 for _ in ws.iter_rows(values_only=True))
RESULT = {{'n': n, 's': time.perf_counter() - t}}
""")
    ours = peak_child(f"""
import time
from pathlib import Path
from toolkit.build import check
t = time.perf_counter()
data = check(Path({str(book)!r}))
RESULT = {{'n': data.read['接待登记'], 's': time.perf_counter() - t, 'errors': len(data.errors)}}
""")
    return {
        "bare_s": bare["s"],
        "ours_s": ours["s"],
        "rows": ours["n"],
        "errors": ours["errors"],
        "ours_peak_mb": ours["peak_mb"],
        "bare_peak_mb": bare["peak_mb"],
    }


RECEPTION_FORMS = ("reception_form", "reception_register", "handoff_slip", "feedback_slip")


def bench_memory(small: Path, large: Path, work: Path) -> dict:
    """Peak RSS of a build of the reception family (the issue's measure), and of every form of
    the sample workbook for comparison (per-deputy forms aggregate every record of a deputy)."""

    def run(book: Path, name: str, only: tuple[str, ...]) -> dict:
        return peak_child(f"""
import time
from pathlib import Path
from toolkit.build import build, BuildOptions
t = time.perf_counter()
r = build(BuildOptions(workbook=Path({str(book)!r}), out=Path({str(work / name)!r}),
                       formats=('docx', 'xlsx'), only={only!r}))
RESULT = {{'n': r.documents, 's': time.perf_counter() - t}}
""")

    result = {}
    for label, only in (("reception", RECEPTION_FORMS), ("all", ())):
        one, two = run(small, f"mem_small_{label}", only), run(large, f"mem_large_{label}", only)
        result[label] = {
            "small_docs": one["n"],
            "large_docs": two["n"],
            "small_peak_mb": one["peak_mb"],
            "large_peak_mb": two["peak_mb"],
            "small_worker_mb": one["worker_peak_mb"],
            "large_worker_mb": two["worker_peak_mb"],
        }
    return result


def bench_libreoffice(book: Path, work: Path, n: int) -> dict | None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        return None
    if not any((work / "docx0").rglob("*.docx")):  # --parts pdf alone: make the same forms
        peak_child(_build_code(book, work / "docx0", "docx"))
    docs = sorted((work / "docx0").rglob("*.docx"))[:n]
    if not docs:
        return None
    target = work / "lo"
    target.mkdir(exist_ok=True)
    t = time.perf_counter()
    from toolkit.fonts import FONTS_CONF

    profile = work / "lo-profile"  # its own profile: a desktop LibreOffice cannot block it
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(target),
            *map(str, docs),
        ],
        capture_output=True,
        check=False,
        env={**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF)},  # the same fonts as ours
    )
    elapsed = time.perf_counter() - t
    made = list(target.glob("*.pdf"))
    return {
        "per_s": len(made) / elapsed,
        "n": len(made),
        "mean_kb": sum(p.stat().st_size for p in made) / max(len(made), 1) / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    parser.add_argument(
        "--parts",
        default="docx,pdf,xlsx,read,memory",
        help="comma-separated: docx,pdf,xlsx,read,memory",
    )
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    quick = args.quick
    # Under the project's outputs/ (git-ignored): where a clerk's files go, and on this machine
    # file creation in /tmp was measured up to 20x slower than in the working tree.
    (ROOT / "outputs").mkdir(exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="bench-", dir=ROOT / "outputs"))
    try:
        n_receptions = 200 if quick else 1000
        book = work / "bench.xlsx"
        make_sample(book, n_receptions)
        print(f"sample: {n_receptions} receptions, {os.cpu_count()} cores")
        if "docx" in parts:
            d = bench_docx(book, work, 20 if quick else 100)
            print(
                f"docx: ours {d['ours_per_s']:.0f}/s ({d['ours_n']} docs), naive docxtpl loop "
                f"{d['naive_per_s']:.1f}/s → ×{d['ours_per_s'] / d['naive_per_s']:.1f} (target ≥ 20)"
            )
        if "pdf" in parts:
            # The same 1,000-reception sample as the docx figure: one one-page form per reception.
            p = bench_pdf(book, work, 10 if quick else 60)
            print(
                f"pdf: ours {p['ours_per_s']:.1f} pages/s ({p['ours_n']} one-page forms, peak "
                f"{p['ours_peak_mb']:.0f} MB), naive WeasyPrint loop {p['naive_per_s']:.1f}/s → "
                f"×{p['ours_per_s'] / p['naive_per_s']:.1f} (target ≥ 3); size mean "
                f"{p['mean_kb']:.0f} KB, max {p['max_kb']:.0f} KB (target ≤ 150)"
            )
            lo = bench_libreoffice(book, work, 20 if quick else 100)
            if lo:
                print(
                    f"libreoffice docx→pdf batched: {lo['per_s']:.1f}/s, {lo['mean_kb']:.0f} KB each "
                    f"→ our pdf path ×{p['ours_per_s'] / lo['per_s']:.1f}"
                )
            else:
                print("libreoffice: not installed here, not measured")
        if "xlsx" in parts:
            rows = 20_000 if quick else 100_000
            x = bench_xlsx(rows, rows // (4 if quick else 1))
            print(
                f"xlsx: ours {x['ours_per_s']:.0f} rows/s ({x['ours_n']} rows, peak "
                f"{x['ours_peak_mb']:.0f} MB), naive styled openpyxl {x['naive_per_s']:.0f} rows/s "
                f"(peak {x['naive_peak_mb']:.0f} MB) → ×{x['ours_per_s'] / x['naive_per_s']:.1f} "
                f"(target ≥ 2, < 100 MB)"
            )
        if "read" in parts:
            big = work / "read.xlsx"
            make_sample(big, 20_000 if quick else 100_000, stations=20)
            r = bench_read(big)
            print(
                f"read+validate {r['rows']} rows: {r['ours_s']:.1f} s (peak {r['ours_peak_mb']:.0f} MB, "
                f"{r['errors']} errors) vs bare openpyxl read-only {r['bare_s']:.1f} s → "
                f"×{r['ours_s'] / r['bare_s']:.2f} of it (target ≤ 1.5)"
            )
        if "memory" in parts:
            small, large = work / "m1.xlsx", work / "m2.xlsx"
            make_sample(small, 1000)
            make_sample(large, 5000 if quick else 20_000)
            for label, m in bench_memory(small, large, work).items():
                print(
                    f"memory ({label} forms): build of {m['small_docs']} docs peak "
                    f"{m['small_peak_mb']:.0f} MB, of {m['large_docs']} docs peak "
                    f"{m['large_peak_mb']:.0f} MB → ×{m['large_peak_mb'] / m['small_peak_mb']:.2f}; "
                    f"largest worker {m['small_worker_mb']:.0f} MB vs {m['large_worker_mb']:.0f} MB"
                )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
