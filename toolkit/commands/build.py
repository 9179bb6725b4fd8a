"""`check` and `build`, the main use cases: read → validate → derive → render → write.

`check(path)` reads and validates; `build(options)` also plans every selected form's documents
and has the batch runner render them in every format into the output folder. By default a run
with rejected rows writes nothing (not even the folder); `keep_going` writes the good ones.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

from .. import forms, render
from ..batch import render_all
from ..cluster import parse_spec
from ..derive import count, plan
from ..derive.scoring import Window, latest_year
from ..errors import UsageError
from ..model import BuildOptions, BuildResult, Dataset, Document, Period, PlanEnv, ProgressFn
from ..paths import SAMPLE_WORKBOOK
from ..read import read_workbook
from ..rules import (
    load_book_rules,
    load_calendar,
    load_duty_rules,
    load_on_duty,
    load_rules,
    load_scoring,
    pick_rules,
)
from ..rules.books import chosen_term
from ..validate import validate
from ..validate.glyphs import check_glyphs
from ..validate.proposals import check_proposals
from ..write import (
    DISK_ERRNOS,
    Manifest,
    OutputLock,
    disk_error,
    prepare_output,
    sweep_temporaries,
)


def resolve_workbook(path: Path | None) -> Path:
    return Path(path) if path else SAMPLE_WORKBOOK


def check(path: Path | None, rules_path: Path | None = None, *, pdf: bool = True) -> Dataset:
    """Read and validate; with `pdf`, also reject text the shipped fonts cannot print."""
    rules = load_rules(rules_path)
    data = validate(read_workbook(resolve_workbook(path)), rules)
    check_proposals(
        data, rules_path=pick_rules((rules_path,) if rules_path else ()).get("proposals")
    )
    if pdf:
        check_glyphs(data)
    return data


# Long function: the build use case in the order that matters (options, rules, read, validate,
# plan, render, report); split, the order would be scattered
def build(  # noqa: PLR0915 (the reason is above)
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
        from ..render.docx_pdf import INSTALL_HINT, soffice_path

        if soffice_path() is None:
            raise UsageError("--pdf-from docx 需要 LibreOffice，本机未安装", hint=INSTALL_HINT)
    picked = pick_rules(_paths(options.rules))
    rules = load_rules(picked.get("reception"))
    # Every kind of rules is read once, before the workbook: a bad file fails fast.
    scoring = load_scoring(picked.get("scoring"))
    duty_rules = load_duty_rules(picked.get("duty"))
    calendar = load_calendar(picked.get("calendar"))
    book_rules = load_book_rules(picked.get("books"))
    term = chosen_term(options.term, book_rules)
    on_duty = load_on_duty(picked.get("schedule"))
    _year_period(options, None)  # a usage error before the workbook is read
    if options.cluster:
        parse_spec(options.cluster)  # likewise
    built = render.build_time()  # once: every document of the run carries the same time
    data = validate(read_workbook(workbook), rules)
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
        calendar=calendar,
        on_duty=on_duty,
        year=year,
        quarter=options.quarter,
        copies=options.copies,
        texts=options.texts,
        as_of=options.as_of,
        proposals=options.proposals,
        combined=options.combined,
        rows_dir=out,  # a register's rows on disk go beside the documents, swept with them
        books=book_rules,
        term=term,
    )

    def documents() -> Iterator[Document]:
        for form in chosen:
            yield from plan(form, data, env)

    total = sum(len(formats[f.id]) * count(f, data, env) for f in chosen)
    try:
        folders = {f.id: str(f.folder.parent) for f in chosen}
        render_all(documents(), formats, folders, options, manifest, result, total, progress, built)
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
