"""Writing: safe file names, atomic files, and the manifest (DESIGN §7).

Only this module touches the output folder. A file is rendered into a temporary name beside its
destination and renamed into place, so a killed run leaves no partial file under a real name; the
next run sweeps the temporaries away. `manifest.json` lists every file with its form, sources,
SHA-256 and the hash of everything it was made from, so a rerun with unchanged input skips it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import IO, Any

from .errors import OutputError, os_reason

MANIFEST = "manifest.json"
_UMASK = os.umask(0)
os.umask(_UMASK)
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


def safe_component(text: str, fallback: str = "未命名") -> str:
    """One path component a clerk's data can never turn into a path: no separators, no
    traversal, no Windows-invalid characters or reserved names, no trailing dot or space."""
    text = unicodedata.normalize("NFC", text)
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
        if self._journal is None:
            self._journal = self._journal_path.open("w", encoding="utf-8")
        # Not dataclasses.asdict: it deep-copies every list, a third of this per-file cost.
        item = {name: getattr(entry, name) for name in ENTRY_FIELDS}
        self._journal.write(json.dumps(item, ensure_ascii=False) + "\n")
        self.old.pop(entry.path, None)  # the journal's line supersedes it

    def save(self) -> None:
        if self._journal is not None:
            self._journal.close()

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


def write_atomic(target: Path, produce: Callable[[IO[bytes]], Any]) -> tuple[str, int]:
    """Write `target` through a temporary file in its folder; returns (sha256, size)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".tmp", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        # No fsync: rename is atomic against a killed run, which is what a clerk meets; after
        # a power cut the manifest's SHA-256 check finds a damaged file and the rerun remakes it.
        with os.fdopen(fd, "w+b") as stream:
            produce(stream)
        digest = sha256_file(tmp)
        size = tmp.stat().st_size
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; outputs are ordinary files
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return digest, size


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
        self.folder = ""

    def path(self, folder: str, name: str) -> str:
        folder = safe_component(folder)
        if folder != self.folder:  # forms are planned one after another: names only clash within
            self.used.clear()
            self.folder = folder
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
