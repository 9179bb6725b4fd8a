"""`liaison build --cluster`: the same files as a local run, written here; a killed worker loses
nothing; a rerun skips what is unchanged; a worker unlike this machine refuses; without the flag
Dask is not imported."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import RECEPTION_FORMS, reception
from toolkit.commands.build import build
from toolkit.commands.report import build_summary
from toolkit.errors import UsageError
from toolkit.model import BuildOptions

distributed = pytest.importorskip("distributed")

EPOCH = "1714552200"  # every file records its build time: both runs must record the same


def _sums(out: Path) -> dict[str, str]:
    return {
        str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name != "manifest.json"
    }


def _entries(out: Path) -> list[str]:
    """The manifest's entries, in path order (each run records them as documents finish)."""
    files = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["files"]
    return sorted(json.dumps(entry, ensure_ascii=False, sort_keys=True) for entry in files)


@pytest.fixture(scope="module")
def scheduler():
    """A scheduler with two worker processes, as `dask scheduler` and two `dask worker` would
    run them elsewhere; the test holds it, so it can kill a worker."""
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    client = distributed.Client(cluster)
    yield cluster, client
    client.close()
    cluster.close()


@pytest.fixture
def book(make_book):
    rows = [
        reception(code=f"JD-{i:03d}", visitor=f"来访人{i}", route="交街道(乡镇)办理")
        for i in range(12)
    ]
    return make_book(rows)


def _options(book: Path, out: Path, **kwargs) -> BuildOptions:
    return BuildOptions(workbook=book, out=out, only=RECEPTION_FORMS, **kwargs)


# Forms of three kinds (per station and period, a meeting's pack, per proposal) in every format:
# the default run's share of the sample (the whole sample on the cluster is a long test).
SHARE = ("reception_register", "score_board", "meeting_pack", "motion")


def _built_on_two_workers(tmp_path: Path, monkeypatch, only: tuple[str, ...] = ()):
    """The sample made again on a cluster of two worker processes with the session build's
    time and --as-of (conftest.sample_build)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")
    options = BuildOptions(
        out=tmp_path / "cluster", as_of=dt.date(2024, 12, 20), cluster="local:2", only=only
    )
    return build(options)


@pytest.mark.e2e
def test_a_share_of_the_sample_on_a_two_worker_cluster_is_byte_for_byte_the_local_build(
    sample_build, tmp_path, monkeypatch
):
    remote = _built_on_two_workers(tmp_path, monkeypatch, SHARE)
    assert remote.exit_code == 0
    folders = {p.parent.name for p in (tmp_path / "cluster").rglob("*.*") if p.parent.name}
    sums = {k: v for k, v in _sums(sample_build.out).items() if Path(k).parts[0] in folders}
    assert len(folders) == len(SHARE) and len(sums) > 10
    assert {Path(p).suffix for p in sums} == {".docx", ".pdf", ".xlsx"}
    assert _sums(tmp_path / "cluster") == sums
    assert sum(remote.written.values()) == len(sums)


@pytest.mark.long
def test_the_sample_on_a_two_worker_cluster_is_byte_for_byte_the_local_build(
    sample_build, tmp_path, monkeypatch
):
    remote = _built_on_two_workers(tmp_path, monkeypatch)
    assert remote.exit_code == 0
    sums = _sums(sample_build.out)
    assert len(sums) > 1000 and {Path(p).suffix for p in sums} == {".docx", ".pdf", ".xlsx"}
    assert _sums(tmp_path / "cluster") == sums
    assert _entries(tmp_path / "cluster") == _entries(sample_build.out)
    assert remote.written == sample_build.result.written


@pytest.mark.e2e
def test_a_worker_killed_mid_run_loses_nothing_and_nothing_counts_twice(
    scheduler, book, tmp_path, monkeypatch
):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    cluster, client = scheduler
    killed: list[int] = []

    def progress(done: int, total: int) -> None:
        if done and not killed:
            # The worker with the most batches in hand, while the run goes on.
            busy = max(client.processing().items(), key=lambda item: len(item[1]))[0]
            pid = client.run(os.getpid, workers=[busy])[busy]
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

    options = _options(book, tmp_path / "cluster", cluster=cluster.scheduler_address)
    result = build(options, progress)
    assert killed, "no worker was killed: the run ended before the first progress report"
    local = build(_options(book, tmp_path / "local", jobs=1))
    assert _sums(tmp_path / "cluster") == _sums(tmp_path / "local")
    assert _entries(tmp_path / "cluster") == _entries(tmp_path / "local")
    assert result.written == local.written
    assert sum(result.written.values()) == len(_sums(tmp_path / "local")) > 50
    summary = "\n".join(build_summary(result, sample=False))
    assert f"生成：{sum(local.written.values())} 份" in summary

    # The nanny has started a new worker in place of the killed one; a rerun makes nothing.
    again = build(options)
    assert sum(again.written.values()) == 0 and again.unchanged == sum(result.written.values())


def test_a_worker_unlike_this_machine_refuses_to_render():
    from toolkit.cluster import ClusterError, _payload, render_remote

    payload = _payload({})
    payload["fingerprint"]["versions"]["weasyprint"] = "69.0"
    payload["key"] = "another"
    with pytest.raises(ClusterError, match=r"weasyprint 版本为 .*，应为 69\.0"):
        render_remote([], payload)
    payload["fingerprint"] = _payload({})["fingerprint"]
    payload["fingerprint"]["forms"]["reception_form:pdf"] = "0" * 64
    with pytest.raises(ClusterError, match="自带表单模板不同（reception_form:pdf）"):
        render_remote([], payload)


def test_a_bad_address_or_a_missing_dask_is_a_usage_error(book, tmp_path, monkeypatch):
    for spec, message in (("local:0", "1～256"), ("nowhere", "不是调度器地址")):
        with pytest.raises(UsageError, match=message):
            build(_options(book, tmp_path / "out", cluster=spec))
    assert not (tmp_path / "out").exists()  # refused before the workbook was read
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(UsageError, match="--cluster 需要 Dask") as caught:
        build(_options(book, tmp_path / "out", cluster="local:1"))
    assert ".[cluster]" in caught.value.hint


def test_an_unreachable_scheduler_is_named(book, tmp_path, monkeypatch):
    from toolkit import cluster

    monkeypatch.setattr(cluster, "CONNECT_WAIT", "1s")
    started = time.monotonic()
    with pytest.raises(UsageError, match=r"无法连接 Dask 调度器 tcp://127\.0\.0\.1:9"):
        build(_options(book, tmp_path / "out", cluster="tcp://127.0.0.1:9"))
    assert time.monotonic() - started < 30


def test_a_local_build_does_not_import_dask(book, tmp_path):
    code = (
        "import sys\nfrom pathlib import Path\n"
        "from toolkit.commands.build import build\nfrom toolkit.model import BuildOptions\n"
        f"r = build(BuildOptions(workbook=Path({str(book)!r}), out=Path({str(tmp_path)!r}),"
        " formats=('docx',), only=('reception_form',), jobs=1))\n"
        "assert r.documents == 12, r.documents\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == "[]"
