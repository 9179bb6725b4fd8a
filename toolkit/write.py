"""Writing: safe file names, atomic files, the manifest and the output-folder lock (DESIGN §7).

Only this module touches the output folder. A file is rendered into a temporary name beside its
destination and renamed into place, so a killed run leaves no partial file under a real name; the
next run sweeps the temporaries away. `manifest.json` lists every file with its form, sources,
SHA-256 and the hash of everything it was made from, so a rerun with unchanged input skips it.

`OutputLock` keeps a second run out of a folder a run is writing (it would sweep the first
run's journal and temporaries away), says which process holds it, and is free again the moment
its holder dies, so a killed run's lock is simply taken over. `write_output` never writes
through a link that leaves the output folder. A disk that fills up or turns read-only mid-run is
an `OutputError` saying so and what to do; every file finished before it stays valid and
recorded, and the rerun completes the set.
"""

# Long module: the output folder's guarantees (atomic writes, manifest, lock, sweep, disk errors)
# are one contract and are tested together

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import os
import re
import socket
import sys
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import IO, Any

from .errors import OutputError, os_reason

MANIFEST = "manifest.json"
TEMP_PREFIX = ".~liaison-"
MAX_NAME_BYTES = 200  # well under the 255-byte limit of ext4 and NTFS, leaving room for a suffix
_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')


# Characters that show nothing yet change what a name looks like: bidi overrides and isolates
# (…_JD\u202excod.exe.docx reads as …_JDxcod.docx.exe), zero-width spaces and joiners, soft
# hyphens, BOMs (category Cf); line and paragraph separators; halves of surrogate pairs.
_INVISIBLE = {"Cf", "Zl", "Zp", "Cs"}


def safe_component(text: str, fallback: str = "未命名") -> str:
    """One path component a clerk's data can never turn into a path: no separators, no
    traversal, no Windows-invalid characters or reserved names, no trailing dot or space, and
    nothing invisible that could make the name read as something it is not."""
    text = unicodedata.normalize("NFC", text)
    if not text.isprintable():  # printable: none of _INVISIBLE's (all "Other" or "Separator")
        text = "".join(ch for ch in text if unicodedata.category(ch) not in _INVISIBLE)
    text = _UNSAFE.sub("_", text)
    text = re.sub(r"\s+", " ", text).strip(" .")
    text = re.sub(r"\.{2,}", ".", text)
    while len(text.encode("utf-8")) > MAX_NAME_BYTES:
        text = text[:-1]
    text = text.strip(" .")
    if not text:
        text = fallback
    if text.split(".")[0].upper() in _RESERVED:
        text = "_" + text
    return text


def file_name(title: str, parts: list[str], ext: str) -> str:
    stem = "_".join([title, *parts])
    return safe_component(stem) + "." + ext


@dataclass(slots=True)
class Entry:
    path: str  # relative to the output folder, with /
    form: str
    format: str
    sources: list[str]  # "接待登记!第12行"
    row_hashes: list[str]
    input_hash: str
    sha256: str
    size: int
    workbook: str = ""  # the input it came from (absolute path): cleanup never crosses inputs


ENTRY_FIELDS = tuple(f.name for f in fields(Entry))


class Manifest:
    """manifest.json: the previous run's entries as text, this run's appended to a temporary
    JSON-lines file as documents finish, so the manifest of 50,000 files is never held whole."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.old: dict[str, str] = {}  # path → that entry's JSON, from the previous run
        self.unplanned: set[str] = set()  # old paths this run has not (yet) planned
        self._journal: IO[str] | None = None
        self._journal_path = root / f"{TEMP_PREFIX}manifest-{os.getpid()}.jsonl"

    @classmethod
    def load(cls, root: Path) -> Manifest:
        manifest = cls(root)
        try:
            data = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
            for item in data["files"]:
                if manifest.valid(item):
                    manifest.old[item["path"]] = json.dumps(item, ensure_ascii=False)
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            manifest.old.clear()  # no manifest, or a damaged one: everything is simply rebuilt
        # A run killed before it saved left its journal: what it finished still counts (each
        # entry is checked against the file's SHA-256 before it is trusted).
        for journal in sorted(root.glob(f"{TEMP_PREFIX}manifest-*.jsonl")):
            try:
                lines = journal.read_text(encoding="utf-8").splitlines()
            except (OSError, ValueError):
                continue
            for line in lines:
                try:
                    item = json.loads(line)
                except ValueError:
                    continue  # a half-written last line: that document is simply redone
                if manifest.valid(item):
                    manifest.old[item["path"]] = line
        manifest.unplanned = set(manifest.old)
        return manifest

    def valid(self, item: Any) -> bool:
        """An entry of the right shape naming a file inside the output folder; anything else
        (a hand-edited manifest, an absolute or ../ path) is ignored, never acted on."""
        try:
            entry = Entry(**item)
        except TypeError:
            return False
        if not all(
            isinstance(v, str)
            for v in (entry.path, entry.form, entry.format, entry.input_hash, entry.sha256)
        ):
            return False
        if not isinstance(entry.size, int) or entry.path.startswith(("/", "\\")):
            return False
        target = (self.root / entry.path).resolve()
        return target.is_relative_to(self.root.resolve()) and target != self.root.resolve()

    def planned(self, rel: str) -> None:
        """This run stands for `rel` (written now or unchanged): it is not stale."""
        self.unplanned.discard(rel)

    def unchanged(self, rel: str, input_hash: str) -> bool:
        text = self.old.get(rel)
        if text is None:
            return False
        entry = json.loads(text)
        if entry["input_hash"] != input_hash:
            return False
        target = self.root / rel
        try:
            return target.stat().st_size == entry["size"] and sha256_file(target) == entry["sha256"]
        except OSError:
            return False

    def remove_stale(self, kinds: set[tuple[str, str]], workbook: str) -> list[str]:
        """Delete what earlier runs made for these (form, format) pairs that the input no longer
        asks for (a reception re-dated, or no longer handed on). Only files this tool made from
        the same workbook and nobody changed since (SHA-256 as recorded) are deleted."""
        removed = []
        for rel in sorted(self.unplanned):
            text = self.old.get(rel)
            if text is None:
                continue
            entry = json.loads(text)
            if (entry["form"], entry["format"]) not in kinds or entry.get("workbook") != workbook:
                continue  # another form, or another workbook built into the same folder
            target = self.root / rel
            try:
                if sha256_file(target) != entry["sha256"]:
                    continue  # edited by hand since: not ours to delete
                target.unlink()
            except FileNotFoundError:
                pass
            except OSError:
                continue
            del self.old[rel]
            removed.append(rel)
        self.unplanned.clear()
        return removed

    def add(self, entry: Entry) -> None:
        # Not dataclasses.asdict: it deep-copies every list, a third of this per-file cost.
        item = {name: getattr(entry, name) for name in ENTRY_FIELDS}
        try:
            if self._journal is None:
                self._journal = self._journal_path.open("w", encoding="utf-8")
            self._journal.write(json.dumps(item, ensure_ascii=False) + "\n")
        except OSError as exc:
            raise disk_error(exc, self._journal_path.name) from None
        self.old.pop(entry.path, None)  # the journal's line supersedes it

    def save(self) -> None:
        """Write manifest.json. If the disk refuses, the journal stays: the next run reads it
        and counts what this one finished."""
        if self._journal is not None:
            try:
                self._journal.close()
            except OSError as exc:
                raise disk_error(exc, self._journal_path.name) from None

        def produce(stream: IO[bytes]) -> None:
            stream.write(b'{"generator": "liaison", "files": [\n')
            first = True
            for text in self.old.values():
                stream.write(("" if first else ",\n").encode() + text.encode("utf-8"))
                first = False
            if self._journal is not None:
                with self._journal_path.open(encoding="utf-8") as journal:
                    for line in journal:
                        stream.write(("" if first else ",\n").encode() + line.rstrip("\n").encode())
                        first = False
            stream.write(b"\n]}\n")

        write_atomic(self.root / MANIFEST, produce)
        self._journal_path.unlink(missing_ok=True)
        self._journal = None


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class _HashingFile:
    """The stream a document is written to: the SHA-256 and size are taken as the bytes go by,
    so the file is not read back. A writer that seeks (zipfile into a seekable stream: openpyxl)
    may rewrite what was hashed; then the file is hashed from disk once it is closed."""

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self._hash = hashlib.sha256()
        self._position = 0
        self.sought = False

    def write(self, data: Any) -> int:
        written = self._raw.write(data)
        if not self.sought:
            self._hash.update(data)
            self._position += memoryview(data).nbytes
        return written

    def tell(self) -> int:
        return self._raw.tell() if self.sought else self._position

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        if not self.sought:
            self._raw.flush()
            self.sought = True
        return self._raw.seek(offset, whence)

    def seekable(self) -> bool:
        return True

    def writable(self) -> bool:
        return True

    def flush(self) -> None:
        self._raw.flush()

    def digest(self) -> tuple[str, int]:
        return self._hash.hexdigest(), self._position


_TEMP_NAMES = iter(range(1 << 62))  # with the pid: a name no other writer of the folder takes


def _open_temporary(folder: Path) -> tuple[int, Path]:
    """A new file in `folder` for this process alone, readable as an ordinary output (the umask
    applies, as to any file a clerk's program makes; mkstemp's are private), its folder made
    when it is missing (not tried for every file: mkdir is a system call that mostly fails)."""
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    flags |= getattr(os, "O_BINARY", 0)
    for _attempt in range(100):
        tmp = folder / f"{TEMP_PREFIX}{os.getpid()}-{next(_TEMP_NAMES)}.tmp"
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:  # a killed run of a process with our pid left it: next name
            continue
        except FileNotFoundError:  # the folder's first file (or it was removed during the run)
            folder.mkdir(parents=True, exist_ok=True)
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(folder))


def write_atomic(target: Path, produce: Callable[[IO[bytes]], Any]) -> tuple[str, int]:
    """Write `target` through a temporary file in its folder; returns (sha256, size). A disk
    that is full or refuses to be written is an OutputError naming the file."""
    try:
        fd, tmp = _open_temporary(target.parent)
    except OSError as exc:
        raise disk_error(exc, target.name) from None
    tmp_name = str(tmp)
    try:
        # No fsync: rename is atomic against a killed run, which is what a clerk meets; after
        # a power cut the manifest's SHA-256 check finds a damaged file and the rerun remakes it.
        with os.fdopen(fd, "w+b") as raw:
            stream = _HashingFile(raw)
            produce(stream)  # type: ignore[arg-type]
        digest, size = stream.digest()
        if stream.sought:
            digest, size = sha256_file(tmp), tmp.stat().st_size
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        if exc.errno in DISK_ERRNOS and exc.filename in (None, tmp_name, str(target)):
            raise disk_error(exc, target.name) from None
        raise
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return digest, size


def write_output(root: Path, rel: str, produce: Callable[[IO[bytes]], Any]) -> tuple[str, int]:
    """Write the output file `rel` (folder/name) under the output folder `root`, making its
    folder; never through a link that leads out of `root` (a clerk's or an intruder's link in
    place of a form's folder would otherwise receive every document of that form)."""
    target = root / rel
    folder = root
    for part in Path(rel).parts[:-1]:
        folder = folder / part
        if folder.is_symlink() and not folder.resolve().is_relative_to(root.resolve()):
            raise OutputError(
                f"输出文件夹“{root}”中的“{part}”是指向文件夹外（{os.readlink(folder)}）的链接，"
                "为安全起见不向其中写入",
                hint="请删除这个链接，或换一个输出文件夹（--out），然后重新运行",
            )
    return write_atomic(target, produce)


# What the disk says when it cannot take a run's files: full, over quota, read-only, refused.
DISK_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EFBIG}
_RERUN = "已写完的文件完好，重新运行会补齐其余文件"


def disk_error(exc: OSError, name: str) -> OutputError:
    """An OS error while writing `name` as a clerk reads it: what happened, what to do."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return OutputError(
            f"写入“{name}”时磁盘空间不足，生成已停止",
            hint=f"请清理磁盘或换到空间充足的输出文件夹（--out）后重新运行；{_RERUN}",
        )
    if exc.errno == errno.EROFS:
        return OutputError(
            f"写入“{name}”时发现磁盘是只读的，生成已停止",
            hint=f"请换一个可以写入的输出文件夹（--out）后重新运行；{_RERUN}",
        )
    if exc.errno in (errno.EACCES, errno.EPERM):
        return OutputError(
            f"没有权限写入“{name}”（文件夹可能被设为只读，或文件正被其他程序打开），生成已停止",
            hint=f"请取消只读、关闭打开该文件的程序，或换一个输出文件夹（--out）后重新运行；{_RERUN}",
        )
    return OutputError(f"写入“{name}”时出错：{os_reason(exc)}，生成已停止", hint=_RERUN)


def sweep_temporaries(root: Path) -> int:
    """Remove what an interrupted run left behind; returns how many."""
    count = 0
    if root.is_dir():
        for tmp in root.rglob(TEMP_PREFIX + "*"):
            try:
                tmp.unlink()
                count += 1
            except OSError:
                pass
    return count


def prepare_output(root: Path) -> Path:
    try:
        root.mkdir(parents=True, exist_ok=True)
        probe = root / (TEMP_PREFIX + "probe")
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise OutputError(
            f"无法写入输出文件夹“{root}”：{os_reason(exc)}",
            hint="请换一个有写入权限的文件夹（--out）",
        ) from None
    return root.resolve()


class NamePlanner:
    """Unique, safe relative paths: the form's folder, then its file; duplicates get (2), (3)…"""

    def __init__(self) -> None:
        # 8-byte digests of the names, not the names: a form of 20,000 files kept 4 MB of names.
        self.used: set[int] = set()
        self.title = ""  # the form title `folder` was made from: each form's files come together
        self.folder = ""

    def path(self, title: str, name: str) -> str:
        if title != self.title:
            self.title = title
            folder = safe_component(title)
            if folder != self.folder:  # forms are planned one after another: names clash within
                self.used.clear()
                self.folder = folder
        folder = self.folder
        stem, dot, ext = name.rpartition(".")
        candidate = f"{folder}/{name}"
        n = 2
        while _name_key(candidate) in self.used:
            candidate = f"{folder}/{stem}({n}){dot}{ext}"
            n += 1
        self.used.add(_name_key(candidate))
        return candidate


def _name_key(path: str) -> int:
    """A case-blind name as 64 bits: deterministic (not hash(), which varies by process), and a
    clash among a form's files is ~1 in 10^10 at 20,000 of them (it would only add a "(2)")."""
    return int.from_bytes(hashlib.blake2b(path.lower().encode(), digest_size=8).digest(), "big")


LOCK_NAME = ".liaison-lock"  # not TEMP_PREFIX: the sweep must never take it


class OutputLock:
    """One run at a time in an output folder.

    The lock is an operating-system lock on `.liaison-lock` in the folder (flock; a byte lock
    on Windows), held while the run writes and released by the system the moment its process
    ends, however it ends: a run killed with kill -9 leaves the file, but not the lock, and the
    next run takes it over (and says so through `notice`). The file names the holder (process,
    computer, start time), so a second run says who it is waiting for. Where the file system
    has no locks (some network shares) the holder's process is looked up instead.
    """

    def __init__(
        self,
        root: Path,
        *,
        wait: bool = False,
        notice: Callable[[str], None] | None = None,
        poll: float = 0.5,
    ) -> None:
        self.root = Path(root)
        self.path = self.root / LOCK_NAME
        self.wait = wait
        self.notice = notice or (lambda _: None)
        self.poll = poll
        self._fd: int | None = None

    def __enter__(self) -> OutputLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def acquire(self) -> None:
        waited = False
        while True:
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as exc:
                raise OutputError(
                    f"无法在输出文件夹“{self.root}”中建立运行锁：{os_reason(exc)}",
                    hint="请换一个有写入权限的文件夹（--out）",
                ) from None
            state = _try_lock(fd)
            if state is None:  # no locks here: go by whether the named holder still runs
                holder = _read_holder(fd)
                state = not _alive(holder)
            if state and _same_file(fd, self.path):
                break
            os.close(fd)
            if state:
                continue  # the holder removed the file as we locked it: lock the new one
            holder = self.holder() or {}
            if not self.wait:
                raise OutputError(
                    f"输出文件夹“{self.root}”正被另一次生成使用（{describe_holder(holder)}）",
                    hint="请等它结束后再运行；或加 --wait 排队等候；或换一个输出文件夹（--out）",
                )
            if not waited:
                self.notice(
                    f"输出文件夹正被另一次生成使用（{describe_holder(holder)}），等它结束……"
                )
                waited = True
            time.sleep(self.poll)
        previous = _read_holder(fd)
        if previous and previous.get("pid") != os.getpid():
            self.notice(
                f"上次在此文件夹的生成（{describe_holder(previous)}）没有正常结束，已接管；"
                "它写完的文件完好，这次会补齐其余文件。"
            )
        me = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started": dt.datetime.now().isoformat(timespec="seconds"),
        }
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, json.dumps(me, ensure_ascii=False).encode())
        self._fd = fd

    def release(self) -> None:
        """Remove the file, then let go: a run waiting on the old file sees it gone and locks
        a new one (see `_same_file`)."""
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        if sys.platform == "win32":
            os.close(fd)  # Windows cannot remove an open file
            try:
                self.path.unlink()
            except OSError:
                pass
            return
        try:
            self.path.unlink()
        except OSError:
            os.ftruncate(fd, 0)  # cannot remove it: empty says "released cleanly"
        os.close(fd)

    def holder(self) -> dict[str, Any] | None:
        try:
            return json.loads(self.path.read_text(encoding="utf-8") or "null")
        except (OSError, ValueError):
            return None


def describe_holder(holder: dict[str, Any]) -> str:
    """进程 1234，2024-03-05 10:05:03 开始 (and the computer, when it is another)."""
    parts = []
    host = holder.get("host")
    if host and host != socket.gethostname():
        parts.append(f"电脑 {host}")
    if holder.get("pid"):
        parts.append(f"进程 {holder['pid']}")
    if holder.get("started"):
        parts.append(f"{str(holder['started']).replace('T', ' ')} 开始")
    return "，".join(parts) or "进程未知"


def _try_lock(fd: int) -> bool | None:
    """True when locked, False when another process holds it, None when locks do not work
    on this file system."""
    try:
        if sys.platform == "win32":
            import msvcrt

            # Windows locks are mandatory: lock a byte far past the text, which stays readable.
            os.lseek(fd, 1 << 20, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    except OSError as exc:
        if exc.errno in (errno.EACCES, errno.EAGAIN, errno.EDEADLK):
            return False
        if exc.errno in (errno.ENOLCK, errno.EOPNOTSUPP, errno.EINVAL):
            return None
        raise


def _read_holder(fd: int) -> dict[str, Any] | None:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        data = os.read(fd, 4096)
        found = json.loads(data.decode("utf-8")) if data.strip() else None
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None


def _alive(holder: dict[str, Any] | None) -> bool:
    """Whether the holder named in the file still runs (only decidable on this computer)."""
    if not holder or not isinstance(holder.get("pid"), int):
        return False
    if holder.get("host") != socket.gethostname():
        return True  # another computer's run: it is not ours to call dead
    try:
        os.kill(holder["pid"], 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _same_file(fd: int, path: Path) -> bool:
    try:
        mine, now = os.fstat(fd), os.stat(path)
    except OSError:
        return False
    return (mine.st_dev, mine.st_ino) == (now.st_dev, now.st_ino)
