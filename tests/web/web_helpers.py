"""Shared by the tests of the local page: a messy workbook as clerks send them, and the page's
server started as a clerk starts it (`liaison serve`), in a process of its own."""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

from conftest import DEPUTIES, RECEPTION_HEADER, STATIONS, reception, write_workbook

# What check reports on the messy workbook, cell by cell: (sheet, row, column, cell, message, hint).
MESSY_ERRORS = [
    ("接待登记", "3", "接待日期", "A3", "“2024.13.5” 不是有效日期", ""),
    ("接待登记", "4", "接待代表", "C4", "“王伍” 不在代表名册中", "是否为：王伟？"),
    (
        "接待登记",
        "5",
        "联络站",
        "B5",
        "“三元社区联络站” 不在“联络站”表中",
        "是否为：三元社区人大代表联络站？",
    ),
]
MESSY_WARNINGS = [
    ("接待登记", "6", "办理时限", "M6", "2024年3月1日 早于接待日期", "请核对日期"),
]


def messy_workbook(path: Path) -> Path:
    """A bad date, a misspelt deputy and station, and a due date before the visit."""
    rows = [
        reception(),
        reception(date="2024.13.5", code="JD-2024-002"),
        reception(deputies="王伍", code="JD-2024-003"),
        reception(station="三元社区联络站", code="JD-2024-004"),
        reception(code="JD-2024-005", due=dt.date(2024, 3, 1)),
    ]
    sheets = {"联络站": STATIONS, "代表名册": DEPUTIES, "接待登记": [RECEPTION_HEADER, *rows]}
    return write_workbook(path, sheets)


class Served:
    """`liaison serve --no-browser` in a process of its own, with its own temporary folder."""

    def __init__(self, tmp: Path, *args: str) -> None:
        self.tmp = tmp
        tmp.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "TMPDIR": str(tmp), "TEMP": str(tmp), "TMP": str(tmp)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "toolkit.cli", "serve", "--no-browser", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
        assert self.process.stdout is not None
        self.lines: list[str] = []
        while True:
            line = self.process.stdout.readline()
            if not line:
                raise AssertionError("liaison serve ended: " + "".join(self.lines))
            self.lines.append(line)
            found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
            if found:
                self.url, self.port = found.group(0), int(found.group(1))
                break

    def stop(self) -> str:
        """Ctrl-C, as a clerk stops it; what it printed."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        assert self.process.stdout is not None
        with self.process.stdout:
            out = self.process.stdout.read()  # to the end, what readline() buffered included
        self.process.wait(timeout=30)
        return "".join(self.lines) + out
