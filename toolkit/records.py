"""A sheet's validated records, kept in memory while few and on disk when many.

A district's 接待登记 may hold tens of thousands of rows; keeping every validated `Record` in the
parent process made a build's memory grow with the workbook. `Records` is a read-only sequence:
up to `SPILL_AT` records stay in a list; beyond that they are pickled in chunks of `CHUNK` to an
anonymous temporary file (deleted when the process ends) and read back a chunk at a time, so
iterating a sheet costs one chunk of memory. Reads use `os.pread`, which does not move a shared
file position, so forked workers cannot disturb the parent.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import tempfile
import weakref
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, overload

if TYPE_CHECKING:
    from .model import Record

SPILL_AT = 2000  # records held in memory before a sheet goes to disk
ROWS_PREFIX = ".~liaison-rows-"  # write.TEMP_PREFIX: swept from an output folder
CHUNK = 500  # records per pickled chunk


class Records(Sequence["Record"]):
    def __init__(
        self, records: Iterable[Record] = (), *, spill_at: int = SPILL_AT, chunk: int = CHUNK
    ) -> None:
        self._spill_at = spill_at
        self._chunk = chunk
        self._tail: list[Record] = []  # not yet written (all of them while few)
        self._chunks: list[tuple[int, int]] = []  # (offset, size) of each full chunk
        self._file: IO[bytes] | None = None
        self._end = 0
        self._cached: tuple[int, list[Record]] = (-1, [])
        for record in records:
            self.append(record)

    def append(self, record: Record) -> None:
        self._tail.append(record)
        if self._file is None and len(self._tail) < max(self._spill_at, self._chunk):
            return
        while len(self._tail) >= self._chunk:
            self._write(self._tail[: self._chunk])
            del self._tail[: self._chunk]

    def _write(self, chunk: list[Record]) -> None:
        if self._file is None:
            self._file = tempfile.TemporaryFile(prefix="liaison-records-")
            weakref.finalize(self, self._file.close)
        data = pickle.dumps(chunk, protocol=pickle.HIGHEST_PROTOCOL)
        os.pwrite(self._file.fileno(), data, self._end)
        self._chunks.append((self._end, len(data)))
        self._end += len(data)

    def _read(self, index: int) -> list[Record]:
        if self._cached[0] != index:
            offset, size = self._chunks[index]
            assert self._file is not None
            self._cached = (index, pickle.loads(os.pread(self._file.fileno(), size, offset)))
        return self._cached[1]

    def take(self, indices: list[int]) -> list[Record]:
        """The records at `indices`, in that order, reading each chunk they fall in once."""
        written = len(self._chunks) * self._chunk
        chunks = {
            c: self._read(c) for c in sorted({i // self._chunk for i in indices if i < written})
        }
        return [
            chunks[i // self._chunk][i % self._chunk] if i < written else self._tail[i - written]
            for i in indices
        ]

    @property
    def spilled(self) -> bool:
        return bool(self._chunks)

    def __len__(self) -> int:
        return len(self._chunks) * self._chunk + len(self._tail)

    def __iter__(self) -> Iterator[Record]:
        for index in range(len(self._chunks)):
            offset, size = self._chunks[index]
            assert self._file is not None
            # Not through the cache: a sweep must not pin a chunk other readers then miss.
            yield from pickle.loads(os.pread(self._file.fileno(), size, offset))
        yield from list(self._tail)

    @overload
    def __getitem__(self, index: int) -> Record: ...

    @overload
    def __getitem__(self, index: slice) -> list[Record]: ...

    def __getitem__(self, index: int | slice) -> Record | list[Record]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        written = len(self._chunks) * self._chunk
        if index >= written:
            return self._tail[index - written]
        return self._read(index // self._chunk)[index % self._chunk]

    def __add__(self, other: Any) -> list[Any]:  # 记录 + [...] in a template, as for a list
        return [*self, *other]

    def __radd__(self, other: Any) -> list[Any]:
        return [*other, *self]

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled (to a worker, say) as a plain list: the file stays with its process.
        return (list, (list(self),))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, list | tuple | Records):
            return len(self) == len(other) and list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable, compared by content

    def __repr__(self) -> str:
        return f"Records({len(self)} records{', on disk' if self.spilled else ''})"


class RowStore(Records):
    """A long list handed to a worker by reference: the rows of one register.

    A register holds every reception of a station for a year; its rows went to the worker
    pickled whole, so the parent held them all, and their pickle, while it was made. Here
    they are written in chunks to a named temporary file as they are made, and a worker given
    the store opens that file and reads a chunk at a time. The file is removed when the
    store that made it is freed (or when the process ends)."""

    def __init__(
        self, *, spill_at: int = SPILL_AT, chunk: int = CHUNK, folder: str | Path | None = None
    ) -> None:
        super().__init__(spill_at=spill_at, chunk=chunk)
        self._folder = str(folder) if folder is not None else None
        self._path = ""
        self._digest = hashlib.sha256()

    def append(self, row: Any) -> None:  # rows are plain dicts, not records
        # Hashed as they come: a document's input hash (derive.Document.input_hash) must change
        # when any row does, without reading the rows back.
        text = json.dumps(row, ensure_ascii=False, sort_keys=True, default=str)
        self._digest.update(text.encode("utf-8") + b"\n")
        super().append(row)

    def content_hash(self) -> str:
        return self._digest.hexdigest()

    def _write(self, chunk: list[Any]) -> None:
        if self._file is None:
            # In the output folder when a build names one: a file left by a killed run is
            # swept by the next (write.sweep_temporaries), and the rows stay where the clerk's
            # documents are, not in a shared /tmp.
            handle, self._path = tempfile.mkstemp(prefix=ROWS_PREFIX, dir=self._folder)
            self._file = os.fdopen(handle, "w+b")
            weakref.finalize(self, _remove, self._file, self._path)
        super()._write(chunk)

    def __reduce__(self) -> tuple[Any, ...]:
        if not self._chunks:
            return (list, (list(self),))
        return (_reopen, (self._path, list(self._chunks), self._chunk, list(self._tail)))


def _remove(handle: IO[bytes], path: str) -> None:
    handle.close()
    with contextlib.suppress(OSError):
        os.unlink(path)


def _reopen(path: str, chunks: list[tuple[int, int]], chunk: int, tail: list[Any]) -> Records:
    """The store in the process it was sent to: the same file, read only, left in place."""
    store = Records(spill_at=0, chunk=chunk)
    store._file = open(path, "rb")  # closed with the store
    store._chunks, store._tail = chunks, tail
    store._end = chunks[-1][0] + chunks[-1][1]
    weakref.finalize(store, store._file.close)
    return store
