"""Year-end scoring and its documents at the size of a prefecture-level city (issue 3).

Run: python benchmarks/bench_evaluation.py [--quick]

- scoring: 3,000 deputies, 10,000 and 50,000 counted records (接待登记 + 履职活动 + 代表建议); the
  time of `score()` for each (best of 5, in one process), their ratio (linear ⇒ about 5, the
  record ratio), and the peak RSS of reading, validating and scoring the large one.
- rendering: `build --only annual_assessment,score_board` on the large workbook: documents per
  second per format and the peak RSS of the parent and of the largest worker.
Work files go under outputs/bench (git-ignored). --quick: 300 deputies and 1,000/5,000 records.
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

SCORE_CODE = """
import time
from pathlib import Path
from toolkit.commands.build import check
from toolkit.derive.scoring import Window, score, latest_year
from toolkit.rules.scoring import load_scoring
import datetime as dt
t = time.perf_counter()
data = check(Path({book!r}), pdf=False)
read_s = time.perf_counter() - t
rules = load_scoring()
year = latest_year(data, rules, dt.date.today())
records = sum(len(data.rows(s)) for s in ('接待登记', '履职活动', '代表建议'))
times = []
for _ in range(5):
    t = time.perf_counter()
    board = score(data, rules, Window.year(year))
    times.append(time.perf_counter() - t)
RESULT = {{'n': records, 's': min(times), 'read_s': read_s, 'deputies': len(board.scores),
          'stars': board.star_count, 'errors': len(data.errors)}}
"""

BUILD_CODE = """
import time
from pathlib import Path
from toolkit.commands.build import build
from toolkit.model import BuildOptions
t = time.perf_counter()
r = build(BuildOptions(workbook=Path({book!r}), out=Path({out!r}),
                       only=('annual_assessment', 'score_board'), formats=({fmt!r},)))
RESULT = {{'n': r.documents, 's': time.perf_counter() - t, 'exit': r.exit_code}}
"""


def make_book(path: Path, deputies: int, records: int) -> Path:
    """A sample whose counted records total `records`: receptions fill what activities and
    proposals (made per deputy by the generator) leave."""
    from toolkit.commands.sample import make_sample

    stations = max(1, deputies // 20)
    counts = make_sample(path, stations=stations, deputies=deputies, receptions=1, seed=7)
    fixed = counts["履职活动"] + counts["代表建议"]
    receptions = max(1, records - fixed)
    make_sample(path, stations=stations, deputies=deputies, receptions=receptions, seed=7)
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    deputies, small_n, large_n = (300, 1_000, 5_000) if args.quick else (3_000, 10_000, 50_000)
    work = ROOT / "outputs" / "bench" / "evaluation"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    small = make_book(work / "small.xlsx", deputies, small_n)
    large = make_book(work / "large.xlsx", deputies, large_n)

    runs = {
        name: peak_child(SCORE_CODE.format(book=str(book)))
        for name, book in (("small", small), ("large", large))
    }
    s, big = runs["small"], runs["large"]
    print(f"scoring, {deputies:,} deputies (best of 5, in-process):")
    for run in runs.values():
        print(
            f"  {run['n']:>7,} records: score {run['s'] * 1000:8.1f} ms "
            f"({run['n'] / run['s']:,.0f} records/s); read + validate {run['read_s']:.1f} s; "
            f"peak {run['peak_mb']:.0f} MB; 五星 {run['stars']}; errors {run['errors']}"
        )
    ratio = big["s"] / s["s"]
    print(f"  time ratio {big['n'] / s['n']:.2f}× records → {ratio:.2f}× time (linear ≈ equal)")

    print("rendering the large year (build --only annual_assessment,score_board):")
    for fmt in ("docx", "xlsx", "pdf"):
        out = work / f"out_{fmt}"
        run = peak_child(BUILD_CODE.format(book=str(large), out=str(out), fmt=fmt))
        print(
            f"  {fmt:4}: {run['n']:,} documents in {run['s']:.1f} s ({run['n'] / run['s']:.1f}/s); "
            f"peak parent {run['peak_mb']:.0f} MB, largest worker {run['worker_peak_mb']:.0f} MB; "
            f"exit {run['exit']}"
        )
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
