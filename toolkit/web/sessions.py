"""Sessions of the local page: one per page load (a browser tab), each with a random token and a
temporary folder of its own.

A session's folder holds what the clerk uploaded (the workbook, rules files), the proposal draft
being written and every build's output; nothing else is ever served from it, and nothing of it
outlives the session. It is removed when the tab says it is closing, when the session has been
idle longer than the time limit with no build running, when too many sessions are open (the
longest idle goes first), and when the server stops. A request names its session by its token
alone; an unknown token is refused (`guard.py`), so one tab never reaches another's files.
"""

from __future__ import annotations

import secrets
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .jobs import Job


@dataclass
class Session:
    token: str
    folder: Path
    last_seen: float = field(default_factory=time.monotonic)
    workbook: Path | None = None  # None: nothing chosen yet
    workbook_name: str = ""  # as the clerk's computer named it
    sample: bool = False  # the bundled sample stands in (内容虚构)
    rules: list[Path] = field(default_factory=list)
    roster: list[Any] | None = None  # the workbook's deputies, once it has been read
    draft: dict[str, Any] = field(default_factory=dict)  # the drafting form, as last sent
    jobs: dict[int, Job] = field(default_factory=dict)
    slots: dict[str, int] = field(default_factory=dict)  # "build" / "draft" → its latest job
    counter: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def touch(self) -> None:
        self.last_seen = time.monotonic()

    @property
    def busy(self) -> bool:
        return any(job.running for job in self.jobs.values())

    def place(self, name: str) -> Path:
        """A subfolder of the session's folder, made on first use."""
        path = self.folder / name
        path.mkdir(parents=True, exist_ok=True)
        return path

    def new_job_folder(self, slot: str) -> tuple[int, Path]:
        """The next job's number and its empty output folder. The slot's previous job, finished,
        is dropped with its files: a session keeps one build and one draft build."""
        with self.lock:
            self.counter += 1
            number = self.counter
            old = self.slots.get(slot)
            if old is not None:
                job = self.jobs.pop(old, None)
                if job is not None:
                    job.cancel()
                shutil.rmtree(self.folder / "jobs" / str(old), ignore_errors=True)
            self.slots[slot] = number
        return number, self.place(f"jobs/{number}/out")

    def job(self, number: int) -> Job | None:
        return self.jobs.get(number)

    def close(self) -> None:
        for job in list(self.jobs.values()):
            job.cancel()
        self.jobs.clear()
        shutil.rmtree(self.folder, ignore_errors=True)


class Sessions:
    """Every open session of one server, by token."""

    def __init__(self, root: Path, idle_seconds: float, limit: int = 64) -> None:
        self.root = root
        self.idle_seconds = idle_seconds
        self.limit = limit
        self._by_token: dict[str, Session] = {}
        self._lock = threading.Lock()

    def new(self) -> Session:
        token = secrets.token_urlsafe(24)
        folder = self.root / f"s-{secrets.token_hex(6)}"
        folder.mkdir(parents=True)
        session = Session(token, folder)
        with self._lock:
            self._by_token[token] = session
            crowd = sorted(self._by_token.values(), key=lambda s: s.last_seen)
            evicted = [s for s in crowd if not s.busy][: max(0, len(crowd) - self.limit)]
            for old in evicted:
                del self._by_token[old.token]
        for old in evicted:
            old.close()
        return session

    def get(self, token: str) -> Session | None:
        with self._lock:
            session = self._by_token.get(token)
        if session is not None:
            session.touch()
        return session

    def end(self, token: str) -> bool:
        with self._lock:
            session = self._by_token.pop(token, None)
        if session is None:
            return False
        session.close()
        return True

    def reap(self, now: float | None = None) -> list[str]:
        """Close the sessions idle for longer than the limit (a running build keeps its
        session open); their tokens."""
        now = time.monotonic() if now is None else now
        with self._lock:
            expired = [
                s
                for s in self._by_token.values()
                if now - s.last_seen > self.idle_seconds and not s.busy
            ]
            for session in expired:
                del self._by_token[session.token]
        for session in expired:
            session.close()
        return [s.token for s in expired]

    def close_all(self) -> None:
        with self._lock:
            sessions = list(self._by_token.values())
            self._by_token.clear()
        for session in sessions:
            session.close()

    def __len__(self) -> int:
        return len(self._by_token)
