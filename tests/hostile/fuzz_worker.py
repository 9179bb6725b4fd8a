"""Runs `liaison check FILE` for each path read from stdin, each in a process of its own forked
from this warm one, under a memory cap (RLIMIT_AS: what the fork has plus CAP_MB) and a time
cap (SIGALRM after CAP_SECONDS), and writes one JSON line per file: the exit code, what the
clerk read, the seconds taken and the memory it added (peak RSS above the fork's own).

    python fuzz_worker.py CAP_MB CAP_SECONDS  < paths  > results

Forking per file keeps one file's damage (a crash, an abort in a library) from hiding the
next file's result, and measures each file alone.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import sys
import tempfile
import time


def _rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _run(path: str, cap_mb: int, cap_seconds: int, report: int) -> None:
    """In the child: cap, run, report, and leave without running anyone's cleanup."""
    from toolkit.cli import cli

    with open("/proc/self/statm") as handle:
        virtual = int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    limit = virtual + cap_mb * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    before = _rss_mb()
    capture = tempfile.TemporaryFile()
    os.dup2(capture.fileno(), 1)
    os.dup2(capture.fileno(), 2)
    signal.alarm(cap_seconds)
    started = time.perf_counter()
    code: object = 0
    try:
        cli.main(args=["check", path], prog_name="liaison")
    except SystemExit as exit:
        code = exit.code
    except BaseException as exc:  # anything escaping the CLI is the finding
        code = f"escaped {type(exc).__name__}: {exc}"[:300]
    seconds = time.perf_counter() - started
    signal.alarm(0)
    sys.stdout.flush()
    sys.stderr.flush()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    capture.seek(0)
    output = capture.read().decode("utf-8", "backslashreplace")
    result = {"code": code, "output": output, "seconds": seconds, "mb": max(peak - before, 0.0)}
    os.write(report, (json.dumps(result, ensure_ascii=False) + "\n").encode())
    os._exit(0)


def main() -> None:
    cap_mb, cap_seconds = int(sys.argv[1]), int(sys.argv[2])
    # Warm: every fork starts with the imports done, so a file's time is its own.
    import toolkit.cli
    import toolkit.commands.build  # noqa: F401

    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        path = line.rstrip("\n")
        if not path:
            continue
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read_end)
            _run(path, cap_mb, cap_seconds, write_end)
        os.close(write_end)
        with os.fdopen(read_end, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
        if data:
            result = json.loads(data)
        elif os.WIFSIGNALED(status):
            sig = signal.Signals(os.WTERMSIG(status)).name
            result = {"code": f"killed by {sig}", "output": "", "seconds": None, "mb": None}
        else:
            result = {"code": f"died: {status}", "output": "", "seconds": None, "mb": None}
        result["path"] = path
        print(json.dumps(result, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
