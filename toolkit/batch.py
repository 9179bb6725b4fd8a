"""The batch runner: documents in, files and manifest entries out (DESIGN §3 batch.py).

Documents are spread over a process pool with a bounded number of tasks in flight (contexts are
made lazily and rendered documents go straight to disk, so memory does not grow with the
document count); small runs render in process. Each process keeps one `Renderers`: every
template parsed once and reused. A Ctrl-C stops cleanly: what the workers finished is written
and recorded, the rest is made by a rerun.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from . import render
from .model import BuildOptions, BuildResult, Document, ProgressFn
from .render.registry import Renderers
from .write import Entry, Manifest, NamePlanner, file_name, write_output

BATCH = 8  # documents per pool task: enough to amortise the pickling, small enough to balance
BIG = 64  # records in one document (a register) that make it a batch of its own
IN_FLIGHT_RECORDS = 400  # per worker: bounds the contexts pickled and waiting, registers included
# Objects allocated before the collector's youngest generation is scanned (Python's default is
# 700). A one-page PDF allocates ~50,000 objects, most of them freed by reference counting with
# the document, so the default scanned the young survivors ~7 times a form and promoted
# them to be scanned again: ~6 ms of a form's ~50 ms CPU (benchmarks/README.md). At this
# threshold it is under 1 ms, and at most this many objects of cyclic garbage wait to be freed.
GC_YOUNG = 20_000


# forms root, form id, fmt, rel, ctx, out, and what the file says of itself (not in ctx, which
# is hashed: a time there would make every document look changed on every run)
Task = tuple[str, str, str, str, dict[str, Any], str, render.DocumentInfo]


def document_info(doc: Document, built: dt.datetime) -> render.DocumentInfo:
    """A document's title is its form's and the parts of its name (代表议案 YA-2024-001 关于…)."""
    return render.DocumentInfo(" ".join([doc.form.title, *doc.name_parts]), built)


def _tasks(
    pdf_from: str,
    docs: Iterator[Document],
    formats: dict[str, tuple[str, ...]],
    out: Path,
    manifest: Manifest,
    result: BuildResult,
    meta: dict[str, tuple[Document, str, str]],
    built: dt.datetime,
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
            info = document_info(doc, built)
            yield (str(doc.form.folder.parent), doc.form.id, kind, rel, doc.context, str(out), info)


# Long function: the pool's whole life (submit, progress, Ctrl-C, a dead worker, order of results)
# read in one place, where its error paths meet
def render_all(  # noqa: C901 (the reason is above)
    docs: Iterator[Document],
    formats: dict[str, tuple[str, ...]],
    folders: dict[str, str],  # form id → the folder holding its form folder (ours or the user's)
    options: BuildOptions,
    manifest: Manifest,
    result: BuildResult,
    total: int,
    progress: ProgressFn | None,
    built: dt.datetime,
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
    tasks = _tasks(options.pdf_from, docs, formats, result.out, manifest, result, meta, built)
    if options.cluster:
        # Dask only here, and only with --cluster: a local run never imports it.
        from .cluster import run_on_cluster

        batches = _batches(tasks, meta)
        run_on_cluster(options.cluster, batches, folders, result.out, record)
        return
    jobs = options.jobs or os.cpu_count() or 1
    if jobs <= 1 or total < 2 * BATCH:
        with _rendering_gc():
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
        for batch, weight in _batches(tasks, meta):
            pending[pool.submit(render_batch, batch)] = weight
            drain(jobs * IN_FLIGHT_RECORDS)
        drain(0)
    except KeyboardInterrupt:
        # Queued work is dropped; what the workers are on finishes and is recorded, so the
        # manifest lists every file on disk and the rerun makes only what is missing.
        pool.shutdown(wait=True, cancel_futures=True)
        collect({f for f in pending if f.done()})
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        gc.unfreeze()  # (frozen for the fork, _pool_context): the parent's own to collect again


def _batches(
    tasks: Iterator[Task], meta: dict[str, tuple[Document, str, str]]
) -> Iterator[tuple[list[Task], int]]:
    """Tasks in batches of `BATCH` documents, or fewer when they hold `BIG` records, each with
    its weight (records in it) for bounding the work in flight."""
    batch: list[Task] = []
    weight = 0
    for task in tasks:
        batch.append(task)
        weight += max(1, len(meta[task[3]][0].sources))
        if len(batch) == BATCH or weight >= BIG:
            yield batch, weight
            batch, weight = [], 0
    if batch:
        yield batch, weight


@contextlib.contextmanager
def _rendering_gc() -> Iterator[None]:
    """The collector tuned for rendering (`GC_YOUNG`) while documents are made in this process,
    and what it was after."""
    saved = gc.get_threshold()
    gc.set_threshold(GC_YOUNG, *saved[1:])
    try:
        yield
    finally:
        gc.set_threshold(*saved)


def _worker_setup() -> None:
    """Workers leave Ctrl-C to the parent (which stops cleanly) and die with it if it is
    killed, instead of idling on as orphans; their collector is tuned for rendering
    (`GC_YOUNG`)."""
    import signal

    gc.set_threshold(GC_YOUNG, *gc.get_threshold()[1:])
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
            _PROCESS_RENDERERS.get(root, form_id, fmt)
    # What the workers inherit (the parsed workbook's modules, templates, WeasyPrint's fonts and
    # stylesheets) is never collected by them: frozen, their collector does not walk it, and
    # does not write into (and so copy) every inherited page of memory when it runs.
    gc.collect()
    gc.freeze()
    return context


def _entry(
    rel: str, doc: Document, fmt: str, input_hash: str, digest: str, size: int, workbook: str
) -> Entry:
    sources = [f"{sheet}!第{row}行" for sheet, row, _ in doc.sources]
    hashes = [h for *_, h in doc.sources]
    return Entry(rel, doc.form.id, fmt, sources, hashes, input_hash, digest, size, workbook)


# --- in the worker processes (and in-process for small runs) -----------------------------------

# The renderers of this process: one per process (a worker inherits the parent's, made before
# the fork), so each template is parsed once per process, not once per document.
_PROCESS_RENDERERS = Renderers()


def render_task(task: Task) -> tuple[str, str, int]:
    forms_root, form_id, fmt, rel, context, out, info = task
    renderer = _PROCESS_RENDERERS.get(forms_root, form_id, fmt)
    digest, size = write_output(
        Path(out), rel, lambda stream: renderer.render(context, stream, info)
    )
    return rel, digest, size


def render_batch(tasks: list[Task]) -> list[tuple[str, str, int]]:
    return [render_task(task) for task in tasks]
