"""The year in figures at the size of a city (issue 16): 222 stations, 3,181 deputies and
25,000 receptions (DESIGN §1's city), the statistics of every station and of all of them.

Run: python benchmarks/bench_statistics.py [--quick] [--pdf]

- figures: read and validate the workbook, then plan the 联络站工作统计 of every station and the
  all-stations one (the one-pass tally of statistics.py, every table, the ranking): the time of
  each step (planning best of 3, in one process) and the peak RSS of that process.
- rendering: `build --only station_stats` as .xlsx (native charts), and with --pdf as PDF (the
  charts drawn as SVG by matplotlib): documents per second, peak RSS of the parent and of the
  largest worker.
Work files go under outputs/bench (git-ignored). --quick: 22 stations, 2,500 receptions.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_reception import peak_child  # noqa: E402  (the same child-process measuring)

PLAN_CODE = """
import time
from pathlib import Path
from toolkit.commands.build import check
from toolkit.derive.planners import plan
from toolkit.forms import load_forms
from toolkit.model import PlanEnv
from toolkit.rules import load_calendar, load_rules
t = time.perf_counter()
data = check(Path({book!r}), pdf=False)
read_s = time.perf_counter() - t
form = load_forms()['station_stats']
times = []
for _ in range(3):
    data._memo.clear()  # the tally again, not the one kept from the run before
    env = PlanEnv(load_rules(), calendar=load_calendar())
    t = time.perf_counter()
    docs = list(plan(form, data, env))
    times.append(time.perf_counter() - t)
whole = docs[-1].context['数字']
RESULT = {{'n': len(docs), 's': min(times), 'read_s': read_s,
          'receptions': len(data.rows('接待登记')), 'opinions': whole['收集意见'],
          'deputies': whole['代表人数'], 'errors': len(data.errors)}}
"""

BUILD_CODE = """
import time
from pathlib import Path
from toolkit.commands.build import build
from toolkit.model import BuildOptions
t = time.perf_counter()
r = build(BuildOptions(workbook=Path({book!r}), out=Path({out!r}), only=('station_stats',),
                       formats=({fmt!r},)))
RESULT = {{'n': r.documents, 's': time.perf_counter() - t, 'exit': r.exit_code}}
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--pdf", action="store_true", help="also render every PDF (minutes)")
    args = parser.parse_args()
    stations, deputies, receptions = (22, 318, 2_500) if args.quick else (222, 3_181, 25_000)
    work = ROOT / "outputs" / "bench" / "statistics"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    book = work / "city.xlsx"
    from toolkit.commands.sample import make_sample

    make_sample(book, stations=stations, deputies=deputies, receptions=receptions, seed=16)

    run = peak_child(PLAN_CODE.format(book=str(book)))
    print(f"{stations} stations, {run['deputies']:,} deputies, {run['receptions']:,} receptions:")
    print(f"  read + validate {run['read_s']:.1f} s; errors {run['errors']}")
    print(
        f"  statistics of {run['n']} documents (every station and all): {run['s'] * 1000:.0f} ms "
        f"(best of 3); peak RSS {run['peak_mb']:.0f} MB; all-stations 收集意见 {run['opinions']:,}"
    )
    for fmt in ("xlsx", "pdf") if args.pdf else ("xlsx",):
        out = work / f"out_{fmt}"
        built = peak_child(BUILD_CODE.format(book=str(book), out=str(out), fmt=fmt))
        print(
            f"  build {fmt}: {built['n']:,} documents in {built['s']:.1f} s "
            f"({built['n'] / built['s']:.1f}/s); peak parent {built['peak_mb']:.0f} MB, "
            f"largest worker {built['worker_peak_mb']:.0f} MB; exit {built['exit']}"
        )
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
