"""Builds in the background: each `Job` runs `toolkit.build(options, progress)` in a process of
its own and reports its progress (documents done / total, the numbers the CLI's bar shows) and,
at the end, the run's summary lines and problems, or the one-line Chinese error that stopped it.

Why a process per build, not a thread: a build keeps per-run state in its modules (where the
registers' rows go, caches keyed by the dataset), so two builds in one process — two tabs — would
disturb each other; in a process of its own each build is alone, the server stays responsive,
and a build can be stopped at once when its tab closes or the server stops. The process is
spawned, not forked: the server runs threads, which a fork would copy half-way; spawn is also
what Windows does.
"""

from __future__ import annotations

import json
import multiprocessing
import threading
import time
import zipfile
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

from toolkit import BuildOptions, Problem

MANIFEST = "manifest.json"


@dataclass
class Outcome:
    """What the build process sends back when it is done."""

    lines: list[str] = field(default_factory=list)  # build_summary, as the CLI prints it
    problems: list[Problem] = field(default_factory=list)
    documents: int = 0
    blocked: bool = False
    exit_code: int = 0


def run_build(options: BuildOptions, conn: Connection) -> None:
    """In the build process: build, sending ("progress", done, total) at most ten times a
    second, then ("done", Outcome) or ("error", the Chinese one-line message)."""
    import toolkit

    last = 0.0

    def progress(done: int, total: int) -> None:
        nonlocal last
        now = time.monotonic()
        if done in (0, total) or now - last >= 0.1:
            last = now
            conn.send(("progress", done, total))

    try:
        result = toolkit.build(options, progress)
        lines = toolkit.build_summary(result)
        conn.send(
            (
                "done",
                Outcome(
                    lines,
                    list(result.data.problems),
                    result.documents,
                    result.blocked,
                    result.exit_code,
                ),
            )
        )
    except toolkit.ToolkitError as exc:
        conn.send(("error", f"错误：{exc}"))
    except KeyboardInterrupt:
        conn.send(("error", "已中断。"))
    except Exception as exc:  # never a traceback for a clerk
        text = f"程序内部错误（{type(exc).__name__}：{exc}）。请把这条信息发给维护人员。"
        conn.send(("error", text))
    finally:
        conn.close()


class Job:
    """One build in its own process; its state is read by the page's progress requests."""

    def __init__(self, number: int, options: BuildOptions) -> None:
        self.number = number
        self.options = options
        self.out = Path(options.out)
        self.done = 0
        self.total = 0
        self.running = True
        self.outcome: Outcome | None = None
        self.error = ""
        self.files: list[str] = []  # relative POSIX paths of what the build wrote
        self.sources: dict[str, list[str]] = {}  # file → its source rows (the manifest's)
        self._zip_lock = threading.Lock()
        context = multiprocessing.get_context("spawn")
        receiver, sender = context.Pipe(duplex=False)
        # Not a daemon: a build spreads its documents over a pool of processes of its own.
        self.process = context.Process(target=run_build, args=(options, sender), name="build")
        self.process.start()
        sender.close()  # the child holds the other end; EOF here when it is gone
        threading.Thread(target=self._listen, args=(receiver,), daemon=True).start()

    @property
    def percent(self) -> int:
        if not self.running and not self.error:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    def _listen(self, receiver: Connection) -> None:
        try:
            while True:
                try:
                    message = receiver.recv()
                except (EOFError, OSError):
                    break
                if message[0] == "progress":
                    self.done, self.total = message[1], message[2]
                elif message[0] == "done":
                    self._index()
                    self.outcome = message[1]
                elif message[0] == "error":
                    self.error = message[1]
        finally:
            receiver.close()
            self.process.join(timeout=10)
            if self.outcome is None and not self.error:
                self.error = "生成过程意外结束，未完成。请重试；如再次出现，请告知维护人员。"
            self.running = False

    def _index(self) -> None:
        """The files of the output folder, found by walking it: downloads are looked up here,
        so no name from a request is ever joined to a path unchecked."""
        found = sorted(
            p.relative_to(self.out).as_posix()
            for p in self.out.rglob("*")
            if p.is_file() and not p.name.startswith(".") and p.name != MANIFEST
        )
        try:
            manifest = json.loads((self.out / MANIFEST).read_text(encoding="utf-8"))
            entries = manifest.get("files", [])
        except (OSError, ValueError, AttributeError):
            entries = []
        self.sources = {
            str(e.get("path")): list(e.get("sources") or []) for e in entries if isinstance(e, dict)
        }
        self.files = found

    def path_of(self, name: str) -> Path | None:
        """The file a download names, if the build wrote it; None otherwise."""
        return self.out / name if name in set(self.files) else None

    def zip(self, target: Path) -> Path:
        """Every file the build wrote, in folders by form as on disk; made once."""
        with self._zip_lock:
            if not target.exists():
                partial = target.with_name(target.name + ".part")
                with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
                    for name in self.files:
                        archive.write(self.out / name, name)
                partial.replace(target)
        return target

    def cancel(self) -> None:
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(timeout=5)
            if self.process.is_alive():
                self.process.kill()
                self.process.join(timeout=5)
        if self.running and not self.error:
            self.error = "已停止。"
