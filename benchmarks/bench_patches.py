"""What each of render/weasy_cache.py's patches of WeasyPrint is worth, in CPU per PDF form.

Run: python benchmarks/bench_patches.py [--forms N] [--rounds N] [--form reception_form]

In one process, the 登记表 of a sample workbook is rendered with every patch installed and with
one patch taken off (`weasy_cache.disabled(name)`), in turns over different records each turn,
so that a cache cannot serve one side with what the other made; CPU time (time.process_time),
not wall. The turns go with-without, without-with, without-with, with-without … (the Thue–Morse
order), which cancels a steady drift (the caches filling up over the run) better than plain
alternation. The first line, "nothing", takes nothing off: how far apart two identical sides
come out is the noise a patch's figure must stand above. A patch that does not pay for itself
is removed.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--forms", type=int, default=20, help="forms per turn")
    parser.add_argument("--rounds", type=int, default=6, help="turns per side")
    parser.add_argument("--form", default="reception_form")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from toolkit.commands.build import check
    from toolkit.commands.sample import make_sample
    from toolkit.derive import plan
    from toolkit.forms import load_forms
    from toolkit.model import PlanEnv
    from toolkit.render import weasy_cache
    from toolkit.render.registry import Renderers
    from toolkit.rules import load_rules

    with tempfile.TemporaryDirectory() as folder:
        book = Path(folder) / "book.xlsx"
        needed = 2 * args.forms * args.rounds * (len(weasy_cache.DESCRIPTIONS) + 1) + 10
        make_sample(book, stations=10, receptions=needed, seed=7)
        data = check(book, pdf=False)
    form = load_forms()[args.form]
    docs = list(plan(form, data, PlanEnv(load_rules())))
    renderer = Renderers().get(str(form.folder.parent), form.id, "pdf")
    for doc in docs[:5]:  # fonts loaded, templates compiled, caches warm
        renderer.render(doc.context, io.BytesIO())
    queue = iter(docs[5:])

    def turn() -> float:
        started = time.process_time()
        for _ in range(args.forms):
            renderer.render(next(queue).context, io.BytesIO())
        return time.process_time() - started

    print(f"{form.title}: {args.forms} forms a turn, {args.rounds} turns a side")
    for name in ["nothing", *weasy_cache.patches()]:
        with_it = without = 0.0
        for index in range(args.rounds):
            first_off = bin(index).count("1") % 2 == 1
            for off in (first_off, not first_off):
                if off:
                    with weasy_cache.disabled(name) if name != "nothing" else nullcontext():
                        without += turn()
                else:
                    with_it += turn()
        per = args.forms * args.rounds
        print(
            f"{name}: {without / per * 1000:.1f} → {with_it / per * 1000:.1f} ms a form "
            f"(×{with_it / without:.3f})"
        )


if __name__ == "__main__":
    main()
