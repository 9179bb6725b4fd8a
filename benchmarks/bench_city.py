"""A city's year (issue 18): every form in every format, the cluster's scaling, a province.

Run: python benchmarks/bench_city.py [--quick] [--full-pdf] [--parts city,pdf,cluster]

The city is `liaison sample --stations 222 --deputies 3181 --receptions 25000` (the size of the
city in DESIGN §1). Each build runs in a child process that prints its own figures: documents by
format, wall and CPU seconds (user + system of the build and of every worker it waited for),
the peak memory of the build process and of its largest worker.

- city: the Word and Excel documents of the whole city.
- pdf: the PDFs of a tenth of the city (22 stations, 318 deputies, 2,500 receptions), or of the
  whole city with --full-pdf (about half an hour of CPU); the whole city's PDF time is projected
  from the tenth by CPU per PDF of each form.
- cluster: the 登记表 PDFs of 600 receptions on `--cluster local:1` and `local:2`, and on the
  local process pool for comparison: the cluster's scaling from one worker to two on this machine.

The machine these figures were taken on is shared: wall time depends on what else runs, so the
projections use CPU seconds (what a machine of 2 free cores turns into about CPU / 2 of wall).
A province is projected at 10 cities, with the arithmetic printed.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CITY = {"stations": 222, "deputies": 3181, "receptions": 25000}
TENTH = {"stations": 22, "deputies": 318, "receptions": 2500}

BUILD = """
import json, resource, sys, time
from pathlib import Path
from toolkit.commands.build import build
from toolkit.model import BuildOptions
args = json.loads(sys.argv[1])
t = time.perf_counter()
r = build(BuildOptions(workbook=Path(args['book']), out=Path(args['out']),
                       formats=tuple(args['formats']), only=tuple(args['only']),
                       cluster=args['cluster']))
wall = time.perf_counter() - t
me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
written = {}
for (title, fmt), n in r.written.items():
    written[fmt] = written.get(fmt, 0) + n
    written[title + ' ' + fmt] = n
print(json.dumps({'wall': wall, 'cpu': me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime,
                  'parent_mb': me.ru_maxrss / 1024, 'worker_mb': kids.ru_maxrss / 1024,
                  'written': written, 'exit': r.exit_code}))
"""


def run_build(book: Path, out: Path, formats=(), only=(), cluster=None) -> dict:
    shutil.rmtree(out, ignore_errors=True)
    args = {"book": str(book), "out": str(out), "formats": list(formats), "only": list(only)}
    args["cluster"] = cluster
    proc = subprocess.run(
        [sys.executable, "-c", BUILD, json.dumps(args)], cwd=ROOT, capture_output=True, text=True
    )
    if proc.returncode:
        raise SystemExit(f"build failed:\n{proc.stderr[-3000:]}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    shutil.rmtree(out, ignore_errors=True)  # tens of thousands of files: not kept
    return result


def describe(label: str, r: dict, formats: tuple[str, ...]) -> str:
    # One build makes every format at once: its CPU is not split by format, so the rate is of
    # all its files together (reading the workbook and planning included).
    by_format = ", ".join(
        f"{fmt} {r['written'].get(fmt, 0):,}" for fmt in formats if r["written"].get(fmt)
    )
    total = sum(r["written"].get(fmt, 0) for fmt in ("docx", "pdf", "xlsx"))
    return (
        f"{label}: {total:,} files in {r['wall']:.0f} s wall, {r['cpu']:.0f} s CPU "
        f"(≈ {r['cpu'] / 2:.0f} s on 2 free cores); {by_format}; "
        f"{total / r['cpu'] * 2:.0f} files a second on 2 cores by CPU; peak memory: build process "
        f"{r['parent_mb']:.0f} MB, largest worker {r['worker_mb']:.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="a fiftieth of the city, for a smoke run"
    )
    parser.add_argument(
        "--full-pdf", action="store_true", help="the whole city's PDFs, not a tenth"
    )
    parser.add_argument("--parts", default="city,pdf,cluster")
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    sys.path.insert(0, str(ROOT))
    from toolkit.commands.sample import make_sample

    (ROOT / "outputs").mkdir(exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="bench-city-", dir=ROOT / "outputs"))
    scale = 50 if args.quick else 1
    city = {k: max(1, v // scale) for k, v in CITY.items()}
    tenth = {k: max(1, v // scale) for k, v in TENTH.items()}
    try:
        city_book, tenth_book = work / "city.xlsx", work / "tenth.xlsx"
        make_sample(city_book, seed=7, **city)
        print(f"city: {city}")
        office = None
        if "city" in parts:
            office = run_build(city_book, work / "out", formats=("docx", "xlsx"))
            print(describe("city, Word and Excel", office, ("docx", "xlsx")))
        pdf = None
        if "pdf" in parts:
            book, share = (city_book, 1) if args.full_pdf else (tenth_book, 10)
            if share == 10:
                make_sample(tenth_book, seed=7, **tenth)
            pdf = run_build(book, work / "out", formats=("pdf",))
            label = "city, PDF" if share == 1 else f"a tenth of the city {tenth}, PDF"
            print(describe(label, pdf, ("pdf",)))
            per_pdf = pdf["cpu"] / pdf["written"]["pdf"]
            print(f"  CPU per PDF {per_pdf * 1000:.1f} ms (all forms, registers included)")
            if share == 10:
                # The per-reception and per-deputy forms grow with the city; project by form.
                counts = Counter({k: v for k, v in pdf["written"].items() if k.endswith(" pdf")})
                pdf["projected_pdfs"] = sum(counts.values()) * 10
                pdf["projected_cpu"] = pdf["cpu"] * 10
                print(
                    f"  whole city projected: {sum(counts.values()):,} × 10 = "
                    f"{pdf['projected_pdfs']:,} PDFs, {pdf['cpu']:.0f} s × 10 = "
                    f"{pdf['projected_cpu']:.0f} s CPU ≈ {pdf['projected_cpu'] / 2 / 60:.0f} min on 2 cores"
                )
            else:
                pdf["projected_pdfs"], pdf["projected_cpu"] = pdf["written"]["pdf"], pdf["cpu"]
        if office and pdf:
            whole = office["cpu"] + pdf["projected_cpu"]
            print(
                f"city, every format: {office['cpu']:.0f} s + {pdf['projected_cpu']:.0f} s = "
                f"{whole:.0f} s CPU ≈ {whole / 2 / 60:.1f} min on 2 cores (target < 10 min)"
            )
            files = sum(office["written"].get(f, 0) for f in ("docx", "xlsx"))
            files += pdf["projected_pdfs"]
            print(
                f"province ≈ 10 cities: {files:,} × 10 = {files * 10:,} files, "
                f"{whole:.0f} s × 10 = {whole * 10 / 3600:.1f} CPU-hours; on one 2-core machine "
                f"≈ {whole * 10 / 2 / 3600:.1f} h; on a cluster of 8 such machines at the measured "
                f"cluster efficiency (below) ≈ {whole * 10 / 16 / 3600:.2f} h ÷ efficiency"
            )
        if "cluster" in parts:
            small = work / "cluster.xlsx"
            make_sample(small, stations=10, receptions=max(20, 600 // scale), seed=7)
            only = ("reception_form",)
            pool = run_build(small, work / "out", formats=("pdf",), only=only)
            one = run_build(small, work / "out", formats=("pdf",), only=only, cluster="local:1")
            two = run_build(small, work / "out", formats=("pdf",), only=only, cluster="local:2")
            n = one["written"]["pdf"]
            for label, r in (
                ("process pool, 2", pool),
                ("cluster, 1 worker", one),
                ("cluster, 2 workers", two),
            ):
                print(
                    f"{label}: {n} PDFs in {r['wall']:.1f} s wall ({n / r['wall']:.1f}/s), "
                    f"{r['cpu']:.1f} s CPU ({r['cpu'] / n * 1000:.0f} ms a PDF), build process "
                    f"{r['parent_mb']:.0f} MB"
                )
            print(
                f"cluster scaling 1 → 2 workers: ×{one['wall'] / two['wall']:.2f} by wall "
                f"(efficiency {one['wall'] / two['wall'] / 2:.0%}); CPU per PDF "
                f"×{two['cpu'] / one['cpu']:.2f}"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
