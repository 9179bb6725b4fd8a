"""Runs that meet each other, and the disk: one run at a time in an output folder (a second
says who holds it, or waits with --wait; a killed run's lock is taken over), a full or
read-only disk is a Chinese message with exit 1 and every finished file valid, a link planted
in the output folder is never written through, and file names carry nothing invisible."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hostile_books import STRESS

from conftest import (
    DEPUTIES,
    RECEPTION_FORMS,
    RECEPTION_HEADER,
    STATIONS,
    reception,
    write_workbook,
)
from toolkit import write
from toolkit.cli import cli
from toolkit.commands.build import build
from toolkit.errors import OutputError
from toolkit.model import BuildOptions
from toolkit.write import LOCK_NAME, MANIFEST, OutputLock, safe_component

ROOT = Path(__file__).resolve().parents[2]


def _book(tmp_path: Path, n: int = 6, **fields) -> Path:
    rows = [reception(**{"code": f"JD-{i:03}", **fields}) for i in range(n)]
    return write_workbook(
        tmp_path / "台账.xlsx",
        {"联络站": STATIONS, "代表名册": DEPUTIES, "接待登记": [RECEPTION_HEADER, *rows]},
    )


def _cli(*args: str):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def _build_args(book: Path, out: Path, *more: str) -> list[str]:
    return [
        "build",
        str(book),
        "--out",
        str(out),
        "--only",
        RECEPTION_FORMS[0],
        "--format",
        "docx",
        "--jobs",
        "1",
        *more,
    ]


def _valid_docx(path: Path) -> bool:
    with zipfile.ZipFile(path) as archive:
        return archive.testzip() is None and "word/document.xml" in archive.namelist()


# --- names -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("JD\u202excod.exe", "JDxcod.exe"),  # RIGHT-TO-LEFT OVERRIDE
        ("a\u2066b\u2069c\u200fd\u200ee", "abcde"),  # isolates and marks
        ("零\u200b宽\u200d字\ufeff符\u00ad", "零宽字符"),  # zero width, BOM, soft hyphen
        ("行\u2028段\u2029", "行段"),  # line and paragraph separators
        ("表情\ud83d", "表情"),  # half a surrogate pair
        ("王\u3000伟", "王 伟"),  # an ideographic space is a space
    ],
)
def test_file_names_never_carry_invisible_characters(text, expected):
    assert safe_component(text) == expected


def test_a_bidi_override_in_a_cell_is_not_in_the_file_name(tmp_path):
    """`--format docx` wrote …_JD\u202excod.exe.docx, which reads as …_JDxcod.docx.exe."""
    out = tmp_path / "out"
    code, output = _cli(*_build_args(_book(tmp_path, 1, code="JD\u202excod.exe"), out))
    assert code == 0, output
    names = [p.name for p in out.rglob("*.docx")]
    assert len(names) == 1 and names[0].endswith("_JDxcod.exe.docx")
    assert not [n for n in names if any(0x2000 <= ord(c) <= 0x206F or c == "\ufeff" for c in n)]


# --- one run at a time ---------------------------------------------------------------------------

HOLD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from toolkit.write import OutputLock
    OutputLock(Path(sys.argv[1])).acquire()
    print("held", flush=True)
    time.sleep(60)
    """
)


def _holder(out: Path) -> subprocess.Popen:
    """Another process holding the output folder, as a first run does."""
    out.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(out)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert process.stdout is not None and process.stdout.readline().strip() == "held"
    return process


def test_a_second_run_says_which_process_holds_the_folder(tmp_path):
    """The second run's sweep deleted the first's journal; the first ended with exit 3."""
    out = tmp_path / "out"
    first = _holder(out)
    try:
        code, output = _cli(*_build_args(_book(tmp_path), out))
        assert code == 1
        lines = output.strip().splitlines()
        assert lines[-1].startswith(
            f"错误：输出文件夹“{out.resolve()}”正被另一次生成使用（进程 {first.pid}，"
        )
        assert lines[-1].endswith(
            "开始）（请等它结束后再运行；或加 --wait 排队等候；或换一个输出文件夹（--out））"
        )
        assert not list(out.rglob("*.docx"))  # nothing written, nothing swept
    finally:
        first.kill()
        first.wait()
        assert first.stdout is not None
        first.stdout.close()


def test_wait_queues_behind_the_run_that_holds_the_folder(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    first = OutputLock(out.resolve())
    first.acquire()
    threading.Timer(1.0, first.release).start()
    started = time.perf_counter()
    code, output = _cli(*_build_args(_book(tmp_path), out, "--wait"))
    assert code == 0, output
    assert time.perf_counter() - started >= 1.0
    assert (
        f"输出文件夹正被另一次生成使用（进程 {os.getpid()}，" in output and "等它结束……" in output
    )
    assert len(list(out.rglob("*.docx"))) == 6
    assert not (out / LOCK_NAME).exists()  # released: no lock left behind


def test_a_killed_runs_lock_is_taken_over(tmp_path):
    out = tmp_path / "out"
    dead = _holder(out)
    dead.send_signal(signal.SIGKILL)  # kill -9: no cleanup ran
    dead.wait()
    assert dead.stdout is not None
    dead.stdout.close()
    assert json.loads((out / LOCK_NAME).read_text())["pid"] == dead.pid
    code, output = _cli(*_build_args(_book(tmp_path), out))
    assert code == 0, output
    assert f"上次在此文件夹的生成（进程 {dead.pid}，" in output and "没有正常结束，已接管" in output
    assert len(list(out.rglob("*.docx"))) == 6 and not (out / LOCK_NAME).exists()


def test_the_lock_is_one_holder_even_as_it_is_released(tmp_path):
    """A run that opened the lock file just as its holder removed it locks a fresh one."""
    first = OutputLock(tmp_path)
    first.acquire()
    second = OutputLock(tmp_path, wait=True, poll=0.01)
    got = threading.Event()
    threading.Thread(target=lambda: (second.acquire(), got.set()), daemon=True).start()
    time.sleep(0.1)
    assert not got.is_set()
    first.release()
    assert got.wait(5)
    third = OutputLock(tmp_path)
    with pytest.raises(OutputError):
        third.acquire()
    second.release()
    third.acquire()
    third.release()


@STRESS
def test_two_real_builds_into_one_folder(tmp_path):
    """The issue's case: the second started while the first was writing."""
    book = tmp_path / "big.xlsx"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    liaison = [sys.executable, "-m", "toolkit"]
    subprocess.run(
        [*liaison, "sample", str(book), "--receptions", "100", "--seed", "3"],
        check=True,
        env=env,
        capture_output=True,
    )
    out = tmp_path / "out"
    args = ["build", str(book), "--out", str(out), "--only", "reception_form", "--format", "pdf"]
    args += ["--jobs", "1"]  # a few seconds of writing for the second run to meet
    first = subprocess.Popen(
        [*liaison, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    deadline = time.time() + 60
    while not (out / LOCK_NAME).exists() and time.time() < deadline:
        time.sleep(0.05)
    second = subprocess.run([*liaison, *args], env=env, capture_output=True, text=True)
    _, stderr = first.communicate(timeout=300)
    assert first.returncode == 0, stderr
    assert second.returncode == 1 and f"进程 {first.pid}" in second.stderr
    assert len(list(out.rglob("*.pdf"))) == 100


# --- the disk ----------------------------------------------------------------------------------


class _Disk:
    """A disk that takes `budget` more bytes of documents, then answers `error`."""

    def __init__(self, monkeypatch, budget: int, error: int) -> None:
        self.left, self.error = budget, error
        real = os.fdopen

        def fdopen(fd, mode="r", *args, **kwargs):
            handle = real(fd, mode, *args, **kwargs)
            if "b" not in mode or "w" not in mode:
                return handle
            disk = self

            class Limited:
                def __getattr__(self, name):
                    return getattr(handle, name)

                def write(self, data):
                    disk.left -= len(data)
                    if disk.left < 0:
                        raise OSError(disk.error, os.strerror(disk.error))
                    return handle.write(data)

                def __enter__(self):
                    return self

                def __exit__(self, *exc):
                    handle.close()

            return Limited()

        monkeypatch.setattr(write.os, "fdopen", fdopen)


@pytest.mark.parametrize(
    "error, message, hint",
    [
        (
            errno.ENOSPC,
            "时磁盘空间不足，生成已停止",
            "（请清理磁盘或换到空间充足的输出文件夹（--out）后重新运行；已写完的文件完好，重新运行会补齐其余文件）",
        ),
        (
            errno.EACCES,
            "（文件夹可能被设为只读，或文件正被其他程序打开），生成已停止",
            "（请取消只读、关闭打开该文件的程序，或换一个输出文件夹（--out）后重新运行；已写完的文件完好，重新运行会补齐其余文件）",
        ),
    ],
)
def test_a_disk_that_refuses_midway_is_one_message_and_the_rerun_completes(
    tmp_path, monkeypatch, error, message, hint
):
    """Was exit 3, 程序内部错误（OSError：[Errno 28] …）."""
    book, out = _book(tmp_path), tmp_path / "out"
    assert _cli(*_build_args(book, tmp_path / "probe"))[0] == 0
    size = max(p.stat().st_size for p in (tmp_path / "probe").rglob("*.docx"))
    disk = _Disk(monkeypatch, budget=int(2.5 * size), error=error)  # room for two documents
    code, output = _cli(*_build_args(book, out))
    assert code == 1
    last = output.strip().splitlines()[-1]
    assert last.startswith("错误：") and message in last and last.endswith(hint)
    written = list(out.rglob("*.docx"))
    assert len(written) == 2
    assert all(_valid_docx(p) for p in written)  # every finished file is whole
    assert not list(out.rglob(".~liaison-*.tmp"))  # and nothing half-written is left
    disk.left = 10**9  # the clerk made room
    code, output = _cli(*_build_args(book, out))
    assert code == 0, output
    assert len(list(out.rglob("*.docx"))) == 6
    assert "未变化：2 份与上次相同，未重写" in output
    entries = json.loads((out / MANIFEST).read_text())["files"]
    assert len(entries) == 6


def _can_mount() -> bool:
    if not sys.platform.startswith("linux") or os.geteuid() != 0:
        return False
    probe = Path(f"/tmp/liaison-mount-probe-{os.getpid()}")
    probe.mkdir(exist_ok=True)
    ok = (
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(probe)], capture_output=True
        ).returncode
        == 0
    )
    if ok:
        subprocess.run(["umount", str(probe)], check=True)
    probe.rmdir()
    return ok


needs_mount = pytest.mark.skipif(not _can_mount(), reason="needs root to mount a small disk")


@needs_mount
def test_a_real_full_disk(tmp_path):
    """A 64 KB disk: the run stops with the message, the rerun on a bigger one finishes."""
    book, disk = _book(tmp_path, 12), tmp_path / "disk"
    disk.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(disk)], check=True)
    try:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        args = [sys.executable, "-m", "toolkit", *_build_args(book, disk / "out")]
        full = subprocess.run(args, capture_output=True, text=True, env=env)
        assert full.returncode == 1, full.stderr
        assert "磁盘空间不足，生成已停止" in full.stderr and "程序内部错误" not in full.stderr
        written = list((disk / "out").rglob("*.docx"))
        assert written and all(_valid_docx(p) for p in written)
        subprocess.run(["mount", "-o", "remount,size=8m", str(disk)], check=True)
        again = subprocess.run(args, capture_output=True, text=True, env=env)
        assert again.returncode == 0, again.stderr
        assert len(list((disk / "out").rglob("*.docx"))) == 12
    finally:
        subprocess.run(["umount", str(disk)], check=True)


@needs_mount
def test_a_form_folder_made_read_only_during_the_run(tmp_path):
    book, out = _book(tmp_path, 6), tmp_path / "out"
    folder = out / "代表接待选民登记表"
    mounted: list[Path] = []

    def progress(done: int, total: int) -> None:
        if done == 2 and not mounted:  # two documents in: the folder turns read-only
            subprocess.run(["mount", "--bind", str(folder), str(folder)], check=True)
            mounted.append(folder)
            subprocess.run(["mount", "-o", "remount,ro,bind", str(folder)], check=True)

    options = BuildOptions(
        workbook=book, out=out, only=RECEPTION_FORMS[:1], formats=("docx",), jobs=1
    )
    try:
        with pytest.raises(OutputError) as info:
            build(options, progress)
        assert "磁盘是只读的，生成已停止" in str(info.value)
    finally:
        for path in mounted:
            subprocess.run(["umount", str(path)], check=True)
    written = list(folder.glob("*.docx"))
    assert len(written) == 2 and all(_valid_docx(p) for p in written)
    result = build(options)
    assert result.exit_code == 0 and result.unchanged == 2 and len(list(folder.glob("*.docx"))) == 6


# --- links -------------------------------------------------------------------------------------


def test_a_link_planted_in_the_output_folder_is_never_written_through(tmp_path):
    """156 files were written outside the output folder."""
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (out / "代表接待选民登记表").symlink_to(elsewhere, target_is_directory=True)
    code, output = _cli(*_build_args(_book(tmp_path), out))
    assert code == 1
    assert output.strip().splitlines()[-1] == (
        f"错误：输出文件夹“{out.resolve()}”中的“代表接待选民登记表”是指向文件夹外"
        f"（{elsewhere}）的链接，为安全起见不向其中写入"
        "（请删除这个链接，或换一个输出文件夹（--out），然后重新运行）"
    )
    assert not list(elsewhere.iterdir())


def test_a_link_that_stays_inside_the_output_folder_is_followed(tmp_path):
    out = tmp_path / "out"
    (out / "归档").mkdir(parents=True)
    (out / "代表接待选民登记表").symlink_to(out / "归档", target_is_directory=True)
    code, output = _cli(*_build_args(_book(tmp_path), out))
    assert code == 0, output
    assert len(list((out / "归档").glob("*.docx"))) == 6
