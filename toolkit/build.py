"""The whole run: read → validate → derive → render → write, callable from Python.

`check(path)` reads and validates; `build(options)` also renders every selected form in every
format it supports into the output folder, spreading documents over a process pool with a bounded
number of tasks in flight (contexts are made lazily and rendered documents go straight to disk,
so memory does not grow with the document count). By default a run with rejected rows writes
nothing; `keep_going` writes the good ones.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from . import fonts, forms, render, templating
from . import records as record_files
from .derive.meetings import pack_renderer
from .derive.planners import count, plan
from .derive.scoring import Window, latest_year
from .errors import ERROR, Problem, UsageError
from .model import Dataset, Document, Period, PlanEnv
from .paths import SAMPLE_WORKBOOK
from .read import read_workbook
from .records import Records
from .rules import load_rules, pick_rules
from .rules.duty import load_duty_rules
from .rules.scoring import load_scoring
from .validate import validate
from .write import (
    DISK_ERRNOS,
    Manifest,
    NamePlanner,
    OutputLock,
    disk_error,
    file_name,
    prepare_output,
    sweep_temporaries,
    write_output,
)

ProgressFn = Callable[[int, int], None]
BATCH = 8  # documents per pool task: enough to amortise the pickling, small enough to balance
BIG = 64  # records in one document (a register) that make it a batch of its own
IN_FLIGHT_RECORDS = 400  # per worker: bounds the contexts pickled and waiting, registers included


@dataclass
class BuildOptions:
    workbook: Path | None = None
    out: Path = Path("outputs")
    only: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    jobs: int | None = None
    keep_going: bool = False
    strict: bool = False
    rules: Path | tuple[Path, ...] | None = None  # --rules, repeatable: each file read by its keys
    forms_dir: Path | None = None
    today: dt.date | None = None
    pdf_from: str = "html"  # or "docx": convert the Word output with LibreOffice
    # Family settings, passed to the planners through PlanEnv (see derive.PlanEnv).
    year: int | None = None
    quarter: int | None = None
    copies: int = 1
    texts: Path | None = None
    as_of: dt.date | None = None
    proposals: Path | None = None
    level: str | None = None  # --level: the congress 议案 go to, instead of the lead's 代表层级
    combined: bool = False
    wait: bool = False  # --wait: queue behind a run already writing into `out`, not refuse


@dataclass
class BuildResult:
    workbook: Path
    out: Path
    data: Dataset
    written: Counter[tuple[str, str]] = field(default_factory=Counter)  # (form title, fmt) → n
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)  # stale files of earlier runs, deleted
    blocked: bool = False  # rows were rejected and nothing was written
    strict_failed: bool = False

    @property
    def rows_read(self) -> int:
        return sum(self.data.read.values())

    @property
    def rows_rejected(self) -> int:
        return sum(len(rows) for rows in self.data.rejected.values())

    @property
    def documents(self) -> int:
        return sum(self.written.values())

    @property
    def exit_code(self) -> int:
        return 1 if self.rows_rejected or self.data.errors or self.strict_failed else 0


def resolve_workbook(path: Path | None) -> Path:
    return Path(path) if path else SAMPLE_WORKBOOK


def check(path: Path | None, rules_path: Path | None = None, *, pdf: bool = True) -> Dataset:
    """Read and validate; with `pdf`, also reject text the shipped fonts cannot print."""
    rules = load_rules(rules_path)
    data = validate(read_workbook(resolve_workbook(path)), rules)
    from .validate.proposals import check_proposals

    check_proposals(
        data, rules_path=pick_rules((rules_path,) if rules_path else ()).get("proposals")
    )
    if pdf:
        check_glyphs(data)
    return data


def check_glyphs(data: Dataset) -> None:
    """A character no shipped font has would print as a box in a PDF: reject its row instead."""
    for sheet in list(data.records):
        bad_rows: set[int] = set()
        for record in data.rows(sheet):
            for name, value in [*record.values.items(), *record.extra.items()]:
                texts = value if isinstance(value, tuple) else (value,)
                missing = [ch for t in texts if isinstance(t, str) for ch in fonts.uncovered(t)]
                if missing:
                    shown = "、".join(f"“{ch}”（U+{ord(ch):04X}）" for ch in dict.fromkeys(missing))
                    col = record.cols.get(name, 0)
                    data.problems.append(
                        Problem(
                            record.title,
                            record.row,
                            f"字符 {shown} 在 PDF 中无法显示（随附字体不含此字）",
                            name,
                            col,
                            ERROR,
                            "请改用常用字形，或只生成 Word（--format docx）",
                        )
                    )
                    bad_rows.add(record.row)
        if bad_rows:
            data.rejected.setdefault(sheet, []).extend(sorted(bad_rows))
            data.set_rows(sheet, Records(r for r in data.rows(sheet) if r.row not in bad_rows))


def build(
    options: BuildOptions,
    progress: ProgressFn | None = None,
    notice: Callable[[str], None] | None = None,  # what the output-folder lock has to say
) -> BuildResult:
    workbook = resolve_workbook(options.workbook)
    catalogue = forms.catalogue(forms.user_forms_dir(options.forms_dir, workbook))
    chosen = forms.select_forms(catalogue, options.only)
    formats = _formats(chosen, options.formats)
    wants_pdf = any("pdf" in fmts for fmts in formats.values())
    if options.pdf_from == "docx" and wants_pdf:
        from .render.docx_pdf import INSTALL_HINT, soffice_path

        if soffice_path() is None:
            raise UsageError("--pdf-from docx 需要 LibreOffice，本机未安装", hint=INSTALL_HINT)
    picked = pick_rules(_paths(options.rules))
    rules = load_rules(picked.get("reception"))
    # Every kind of rules is read once, before the workbook: a bad file fails fast.
    scoring = load_scoring(picked.get("scoring"))
    duty_rules = load_duty_rules(picked.get("duty"))
    _year_period(options, None)  # a usage error before the workbook is read
    data = validate(read_workbook(workbook), rules)
    from .validate.proposals import check_proposals

    check_proposals(
        data, options.proposals, options.level, picked.get("proposals"), glyphs=wants_pdf
    )
    year = options.year
    if options.quarter and not year:
        year = latest_year(data, scoring, options.today or dt.date.today())
    date_from, date_to = _year_period(options, year)
    if wants_pdf:
        check_glyphs(data)
    result = BuildResult(workbook, Path(options.out).resolve(), data)
    result.strict_failed = options.strict and bool(data.warnings)
    if (data.errors or result.rows_rejected or result.strict_failed) and not options.keep_going:
        result.blocked = True  # and the output folder is left as it was, not even created
        return result
    out = result.out = prepare_output(options.out)
    lock = OutputLock(out, wait=options.wait, notice=notice)
    lock.acquire()  # before the sweep: another run's temporaries and journal are its own
    try:
        manifest = Manifest.load(out)  # before the sweep: a killed run's journal still counts
        sweep_temporaries(out)
    except BaseException:
        lock.release()
        raise
    period = Period(date_from, date_to)
    env = PlanEnv(
        rules,
        period,
        options.today or dt.date.today(),
        scoring=scoring,
        duty_rules=duty_rules,
        year=year,
        quarter=options.quarter,
        copies=options.copies,
        texts=options.texts,
        as_of=options.as_of,
        proposals=options.proposals,
        combined=options.combined,
    )

    def documents() -> Iterator[Document]:
        for form in chosen:
            yield from plan(form, data, env)

    total = sum(len(formats[f.id]) * count(f, data, env) for f in chosen)
    record_files.ROWS_DIR = str(out)  # registers' rows on disk: beside the documents, swept
    try:
        folders = {f.id: str(f.folder.parent) for f in chosen}
        _render_all(documents(), formats, folders, options, manifest, result, total, progress)
        # Clean up only after a run that understood its whole input: with any error, a missing
        # sheet or an empty one, "not produced any more" could mean "not read" and files of
        # real records would be deleted.
        if not period.bounded and not result.rows_rejected and not data.errors:
            kinds = {(f.id, fmt) for f in chosen for fmt in formats[f.id] if data.read.get(f.sheet)}
            result.removed = manifest.remove_stale(kinds, str(workbook.resolve()))
    except OSError as exc:
        if exc.errno not in DISK_ERRNOS:
            raise
        raise disk_error(exc, Path(exc.filename or out).name) from None
    finally:
        record_files.ROWS_DIR = None
        try:
            manifest.save()  # what was written stays recorded, even if the run stopped midway
        finally:
            lock.release()
    return result


def _paths(rules: Path | tuple[Path, ...] | None) -> tuple[Path, ...]:
    if rules is None:
        return ()
    return (Path(rules),) if isinstance(rules, str | Path) else tuple(Path(r) for r in rules)


def _year_period(options: BuildOptions, year: int | None) -> tuple[dt.date | None, dt.date | None]:
    """--year and --quarter as dates, so every form of the run covers the same days; without
    --year, --quarter is of the latest year with records (`year`)."""
    if not (options.year or options.quarter):
        return options.date_from, options.date_to
    if options.date_from or options.date_to:
        raise UsageError(
            "--year/--quarter 与 --from/--to 不能同时使用", hint="只用其中一种指定期间"
        )
    if year is None:
        return None, None
    window = Window.quarter_of(year, options.quarter) if options.quarter else Window.year(year)
    return window.start, window.end


def _formats(chosen: list[forms.FormDef], wanted: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    names = [f.strip().lower() for item in wanted for f in item.split(",") if f.strip()]
    for name in names:
        if name not in forms.FORMATS:
            raise UsageError(f"不支持的格式“{name}”", hint="可选：docx、pdf、xlsx")
    result = {}
    for form in chosen:
        result[form.id] = tuple(f for f in form.formats if not names or f in names)
    if names and not any(result.values()):
        raise UsageError(f"所选表单都不提供 {'、'.join(names)} 格式")
    return result


Task = tuple[str, str, str, str, dict[str, Any], str]  # forms root, form id, fmt, rel, ctx, out


def _tasks(
    pdf_from: str,
    docs: Iterator[Document],
    formats: dict[str, tuple[str, ...]],
    out: Path,
    manifest: Manifest,
    result: BuildResult,
    meta: dict[str, tuple[Document, str, str]],
) -> Iterator[Task]:
    planner = NamePlanner()
    digests: dict[tuple[str, str], str] = {}  # template hashes, once per run
    for doc in docs:
        for fmt in formats[doc.form.id]:
            rel = planner.path(doc.form.title, file_name(doc.form.title, doc.name_parts, fmt))
            manifest.planned(rel)
            kind = "pdf:docx" if fmt == "pdf" and pdf_from == "docx" else fmt
            key = (doc.form.id, kind)
            if key not in digests:
                # A PDF made from the Word template depends on that template, not the HTML one.
                source = "docx" if kind == "pdf:docx" else fmt
                digests[key] = doc.form.digest(source) + (":pdf-from-docx" if source != fmt else "")
            input_hash = doc.input_hash(fmt, digests[key])
            if manifest.unchanged(rel, input_hash):
                result.unchanged += 1
                continue
            meta[rel] = (doc, fmt, input_hash)
            yield (str(doc.form.folder.parent), doc.form.id, kind, rel, doc.context, str(out))


def _render_all(
    docs: Iterator[Document],
    formats: dict[str, tuple[str, ...]],
    folders: dict[str, str],  # form id → the folder holding its form folder (ours or the user's)
    options: BuildOptions,
    manifest: Manifest,
    result: BuildResult,
    total: int,
    progress: ProgressFn | None,
) -> None:
    meta: dict[str, tuple[Document, str, str]] = {}
    done = 0
    workbook = str(result.workbook.resolve())

    def record(rel: str, digest: str, size: int) -> None:
        nonlocal done
        if rel not in meta:
            return  # recorded already, before a Ctrl-C made collect() go over its batch again
        doc, fmt, input_hash = meta[rel]
        manifest.add(_entry(rel, doc, fmt, input_hash, digest, size, workbook))
        del meta[rel]
        result.written[(doc.form.title, fmt)] += 1
        done += 1
        if progress:
            progress(done + result.unchanged, total)

    if progress:
        progress(0, total)  # the bar starts with the clock, not at the first finished document
    tasks = _tasks(options.pdf_from, docs, formats, result.out, manifest, result, meta)
    jobs = options.jobs or os.cpu_count() or 1
    if jobs <= 1 or total < 2 * BATCH:
        for task in tasks:
            record(*render_task(task))
        return
    pool = ProcessPoolExecutor(
        jobs,
        mp_context=_pool_context(formats, folders, options.pdf_from),
        initializer=_worker_setup,
    )
    pending: dict[Future[list[tuple[str, str, int]]], int] = {}

    def collect(futures: set[Future[list[tuple[str, str, int]]]]) -> None:
        for future in futures:
            if not future.cancelled():
                for item in future.result():
                    record(*item)
            # Only now: a Ctrl-C in the middle of a batch leaves it pending, and the handler
            # records the rest of it, so no file on disk is missing from the manifest.
            pending.pop(future, None)

    def drain(limit: int) -> None:
        while pending and sum(pending.values()) > limit:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            collect(finished)

    try:
        batch: list[Task] = []
        weight = 0
        for task in tasks:
            records = max(1, len(meta[task[3]][0].sources))
            batch.append(task)
            weight += records
            if len(batch) == BATCH or weight >= BIG:
                pending[pool.submit(render_batch, batch)] = weight
                batch, weight = [], 0
                drain(jobs * IN_FLIGHT_RECORDS)
        if batch:
            pending[pool.submit(render_batch, batch)] = weight
        drain(0)
    except KeyboardInterrupt:
        # Queued work is dropped; what the workers are on finishes and is recorded, so the
        # manifest lists every file on disk and the rerun makes only what is missing.
        pool.shutdown(wait=True, cancel_futures=True)
        collect({f for f in pending if f.done()})
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _worker_setup() -> None:
    """Workers leave Ctrl-C to the parent (which stops cleanly) and die with it if it is
    killed, instead of idling on as orphans."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        import ctypes

        libc = ctypes.CDLL(None)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM)
    except (OSError, AttributeError):
        pass  # not Linux: orphans end when their queue closes


def _pool_context(
    formats: dict[str, tuple[str, ...]], folders: dict[str, str], pdf_from: str = "html"
) -> Any:
    """fork, with the renderers built first, so workers start at once ready to render.

    Templates, stylesheets and WeasyPrint's font configuration are prepared here and inherited;
    nothing in them runs threads, so forking after is safe (fork is Linux's default and the
    workers only render). Where fork does not exist (Windows, macOS), workers are spawned.
    """
    try:
        context = get_context("fork")
    except ValueError:
        return get_context("spawn")
    for form_id, root in folders.items():
        for fmt in formats.get(form_id, ()):
            if fmt == "pdf" and pdf_from == "docx":
                fmt = "pdf:docx"
            renderer_for(root, form_id, fmt)
    return context


def _entry(
    rel: str, doc: Document, fmt: str, input_hash: str, digest: str, size: int, workbook: str
) -> Any:
    from .write import Entry

    sources = [f"{sheet}!第{row}行" for sheet, row, _ in doc.sources]
    hashes = [h for *_, h in doc.sources]
    return Entry(rel, doc.form.id, fmt, sources, hashes, input_hash, digest, size, workbook)


# --- in the worker processes (and in-process for small runs) -----------------------------------

_RENDERERS: dict[tuple[str, str, str], render.Renderer] = {}


def renderer_for(forms_root: str, form_id: str, fmt: str) -> render.Renderer:
    """Each template is parsed once per process and kept."""
    key = (forms_root, form_id, fmt)
    found = _RENDERERS.get(key)
    if found is None:
        form = forms.load_forms(Path(forms_root))[form_id]
        env = templating.make_env(autoescape=render.AUTOESCAPE[fmt])
        template = form.template(fmt.split(":")[0])
        own = pack_renderer if form.binds else None  # a pack binds other forms' documents
        name = f"{form.id}/{template.name}"
        found = own(template, env, name, fmt) if own else render.RENDERERS[fmt](template, env, name)
        _RENDERERS[key] = found
    return found


def render_task(task: Task) -> tuple[str, str, int]:
    forms_root, form_id, fmt, rel, context, out = task
    renderer = renderer_for(forms_root, form_id, fmt)
    digest, size = write_output(Path(out), rel, lambda stream: renderer.render(context, stream))
    return rel, digest, size


def render_batch(tasks: list[Task]) -> list[tuple[str, str, int]]:
    return [render_task(task) for task in tasks]
