"""Past one machine: a build's documents rendered by the workers of a Dask distributed cluster.

`liaison build … --cluster tcp://host:8786` sends the batches that batch.py would give its
process pool to the workers of a running Dask scheduler; `--cluster local[:N]` starts N worker
processes here first. Only this module imports Dask, and batch.py imports it only for --cluster.

What a worker needs besides each document's own context goes to it once, not once per
document: a payload scattered to every worker (Dask copies it to a worker that joins or
restarts later) with the district's own form folders, zipped, and the fingerprint of this
machine's renderer. The forms shipped with the toolkit come from the worker's own installed copy
(fonts included), so a worker checks, once, that its package versions and the digests of those
forms are this machine's: a worker that would give other bytes refuses to render.

A worker renders into memory and returns the bytes; this machine writes each file atomically
and records it in the manifest, exactly as after a local run (same files, same SHA-256). A
worker that dies takes its unfinished batches with it and the scheduler gives them to another
worker; a document is recorded once however often it was made. Ctrl-C drops what is queued and
keeps what came back, as the local pool does.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import io
import logging
import os
import pickle
import signal
import socket
import tempfile
import threading
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from .errors import ToolkitError, UsageError
from .forms import load_forms
from .paths import FONTS_DIR, FORMS_DIR
from .records import Records
from .render.registry import Renderers
from .write import write_atomic

IN_FLIGHT_RECORDS = 400  # per worker, as batch.py's pool: bounds contexts and results in flight
CONNECT_WAIT = "20s"  # for a scheduler to answer
WORKER_WAIT = 60  # seconds to wait for a remote scheduler's first worker
GATHER_AFTER_STOP = 10  # seconds to fetch what finished before a Ctrl-C
# What decides a document's bytes besides its context and the forms.
PACKAGES = ["liaison", "weasyprint", "pydyf", "fonttools", "docxtpl", "python-docx", "openpyxl"]
PACKAGES += ["Jinja2", "lxml"]
INSTALL_HINT = 'pip install -e ".[cluster]"（或 pip install "liaison[cluster]"）'

Task = tuple[str, str, str, str, dict[str, Any], str, Any]  # batch.Task
Record = Callable[[str, str, int], None]  # (rel, sha256, size) of a written file


class ClusterError(ToolkitError):
    """The cluster could not make the documents (a worker unlike this machine, workers lost)."""


def parse_spec(spec: str) -> tuple[str | None, int]:
    """`local` or `local:N` → (None, N workers); anything else is a scheduler's address."""
    text = spec.strip()
    if text == "local":
        return None, os.cpu_count() or 1
    if text.startswith("local:"):
        count = text.removeprefix("local:")
        if not count.isdigit() or not 1 <= int(count) <= 256:
            raise UsageError(f"--cluster {text}：工作进程数应为 1～256 的整数", hint="如 local:2")
        return None, int(count)
    if not text or " " in text or ":" not in text:
        raise UsageError(
            f"--cluster “{text}” 不是调度器地址",
            hint="写调度器地址（如 tcp://192.168.1.10:8786），或 local、local:2 在本机启动",
        )
    return text, 0


def run_on_cluster(
    spec: str,
    batches: Iterator[tuple[list[Task], int]],
    folders: dict[str, str],
    out: Path,
    record: Record,
) -> None:
    """Render `batches` on the cluster `spec` and write every file into `out`."""
    address, count = parse_spec(spec)
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise UsageError("--cluster 需要 Dask，本机未安装", hint=INSTALL_HINT) from None
    cluster = _local_cluster(count) if address is None else None
    try:
        client = Client(cluster) if cluster is not None else _connect(Client, address or "")
    except BaseException:
        if cluster is not None:
            cluster.close()
        raise
    pending: dict[Any, int] = {}
    try:
        payload = client.scatter(_payload(folders), broadcast=True, hash=False)
        finished = as_completed()
        workers = _workers(client)

        def collect(future: Any) -> None:
            _write(future.result(), out, record)
            pending.pop(future, None)  # only now: a Ctrl-C here keeps it for the handler

        for index, (batch, weight) in enumerate(batches):
            portable = [_portable(task) for task in batch]
            future = client.submit(render_remote, portable, payload, pure=False)
            pending[future] = weight
            finished.add(future)
            if index % 32 == 31:
                workers = _workers(client)  # workers that joined since
            while sum(pending.values()) > workers * IN_FLIGHT_RECORDS:
                collect(next(finished))
        for future in finished:
            collect(future)
    except KeyboardInterrupt:
        _keep_finished(client, pending, out, record)
        raise
    except Exception as exc:
        if type(exc).__name__ == "KilledWorker":
            raise ClusterError(
                "集群的工作进程在生成同一批文书时多次意外退出",
                hint="检查工作节点的内存和日志；已生成的文书已记录，重新运行会补齐其余部分",
            ) from None
        raise
    finally:
        client.cancel(list(pending))
        with contextlib.suppress(Exception):
            client.close()
        if cluster is not None:
            with contextlib.suppress(Exception):
                cluster.close()


def _local_cluster(count: int) -> Any:
    """N worker processes on this machine, one thread each (the renderers' caches are per
    process). They are started with Ctrl-C ignored, which they inherit: the terminal sends it to
    the whole process group, and it is this process that stops the run cleanly."""
    from distributed import LocalCluster

    previous = signal.getsignal(signal.SIGINT)
    in_main = threading.current_thread() is threading.main_thread()
    if in_main:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        return LocalCluster(
            n_workers=count,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
    finally:
        if in_main:
            signal.signal(signal.SIGINT, previous)


def _connect(client_type: Any, address: str) -> Any:
    try:
        client = client_type(address, timeout=CONNECT_WAIT)
    except (OSError, TimeoutError) as exc:
        raise UsageError(
            f"无法连接 Dask 调度器 {address}：{exc}",
            hint="先在调度器机器上运行 dask scheduler，再检查地址、端口和防火墙",
        ) from None
    try:
        client.wait_for_workers(1, timeout=WORKER_WAIT)
    except TimeoutError:
        client.close()
        raise UsageError(
            f"Dask 调度器 {address} 在 {WORKER_WAIT} 秒内没有可用的工作进程",
            hint=f"在各台机器上运行 dask worker {address} --nthreads 1",
        ) from None
    return client


def _workers(client: Any) -> int:
    with contextlib.suppress(Exception):
        return max(1, len(client.scheduler_info(n_workers=-1)["workers"]))
    return 1


def _write(results: list[tuple[str, bytes]], out: Path, record: Record) -> None:
    for rel, data in results:
        digest, size = write_atomic(out / rel, _writer(data))
        record(rel, digest, size)


def _writer(data: bytes) -> Callable[[IO[bytes]], Any]:
    return lambda stream: stream.write(data)


def _keep_finished(client: Any, pending: dict[Any, int], out: Path, record: Record) -> None:
    """After a Ctrl-C: write and record the batches that had finished (their results are still
    on the workers), and drop the rest."""
    done = [future for future in pending if future.status == "finished"]
    for future in pending:
        if future not in done:
            future.cancel()
    if not done:
        return
    with contextlib.suppress(Exception):
        results = client.gather(done, errors="skip", asynchronous=False)
        for future, result in zip(done, results, strict=False):
            _write(result, out, record)
            pending.pop(future, None)


def _portable(task: Task) -> Task:
    """The task as a worker elsewhere can use it: no output folder (it returns bytes), and a
    register's rows by value instead of by a file in the output folder."""
    root, form_id, kind, rel, context, _out, info = task
    return (root, form_id, kind, rel, _by_value(context), "", info)


def _by_value(value: Any) -> Any:
    if isinstance(value, Records):
        return list(value)
    if isinstance(value, dict):
        return {key: _by_value(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_by_value(item) for item in value]
    return value


# --- what every worker gets once ----------------------------------------------------------------


def fingerprint() -> dict[str, Any]:
    """What makes this machine's documents the bytes they are, besides their contexts: package
    versions, the shipped fonts, and the digest of every shipped form in every format."""
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = ""
    fonts = sorted((p.name, p.stat().st_size) for p in FONTS_DIR.iterdir() if p.is_file())
    forms = {
        f"{form.id}:{fmt}": form.digest(fmt)
        for form in load_forms(FORMS_DIR).values()
        for fmt in form.formats
    }
    return {"versions": versions, "fonts": fonts, "forms": forms}


def _payload(folders: dict[str, str]) -> dict[str, Any]:
    roots: dict[str, bytes | None] = {}
    for root in sorted(set(folders.values())):
        roots[root] = None if Path(root).resolve() == FORMS_DIR else _zip(Path(root))
    payload: dict[str, Any] = {"roots": roots, "fingerprint": fingerprint()}
    payload["key"] = hashlib.sha256(pickle.dumps(payload)).hexdigest()
    return payload


def _zip(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            parts = path.relative_to(folder).parts
            if path.is_file() and not any(p.startswith(".") or p == "__pycache__" for p in parts):
                archive.write(path, "/".join(parts))
    return buffer.getvalue()


# --- in the workers -----------------------------------------------------------------------------


class _MappedRenderers(Renderers):
    """The renderers of a worker, which finds this machine's form folders under its own paths."""

    def __init__(self, roots: dict[str, str]) -> None:
        super().__init__()
        self.roots = roots

    def get(self, forms_root: str, form_id: str, fmt: str) -> Any:
        return super().get(self.roots.get(forms_root, forms_root), form_id, fmt)


# One per worker process: the worker's renderers, by payload (a worker may serve several runs).
_PREPARED: dict[str, _MappedRenderers] = {}
_RENDERING = threading.Lock()  # the renderers and WeasyPrint's caches are not thread-safe
_UNPACKED: list[tempfile.TemporaryDirectory[str]] = []  # removed when the worker exits


def _prepared(payload: dict[str, Any]) -> _MappedRenderers:
    found = _PREPARED.get(payload["key"])
    if found is not None:
        return found
    mismatch = _differences(payload["fingerprint"], fingerprint())
    if mismatch:
        raise ClusterError(
            f"工作节点 {socket.gethostname()} 与运行 liaison build 的机器不一致：{mismatch}",
            hint="每台机器安装同一版本的 liaison 及其依赖（pip install 同一份源码或安装包）",
        )
    roots = {}
    for root, archive in payload["roots"].items():
        if archive is None:
            roots[root] = str(FORMS_DIR)
            continue
        unpacked = tempfile.TemporaryDirectory(prefix="liaison-forms-")
        _UNPACKED.append(unpacked)
        with zipfile.ZipFile(io.BytesIO(archive)) as opened:
            opened.extractall(unpacked.name)
        roots[root] = unpacked.name
    _PREPARED.clear()  # an earlier run's renderers
    found = _PREPARED[payload["key"]] = _MappedRenderers(roots)
    return found


def _differences(theirs: dict[str, Any], ours: dict[str, Any]) -> str:
    for name, version in theirs["versions"].items():
        if ours["versions"].get(name) != version:
            return f"{name} 版本为 {ours['versions'].get(name) or '未安装'}，应为 {version}"
    if theirs["fonts"] != ours["fonts"]:
        return "随附字体不同"
    changed = sorted(k for k, v in theirs["forms"].items() if ours["forms"].get(k) != v)
    if changed:
        return f"自带表单模板不同（{'、'.join(changed[:3])}）"
    return ""


def render_remote(batch: list[Task], payload: dict[str, Any]) -> list[tuple[str, bytes]]:
    """A batch rendered in a worker: each document's path and bytes."""
    with _RENDERING:
        renderers = _prepared(payload)
        made = []
        for root, form_id, kind, rel, context, _out, info in batch:
            buffer = io.BytesIO()
            renderers.get(root, form_id, kind).render(context, buffer, info)
            made.append((rel, buffer.getvalue()))
        return made
