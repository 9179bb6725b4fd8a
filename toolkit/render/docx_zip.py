"""A .docx written from a template's zip without re-compressing what did not change.

A Word document is a zip of XML parts; rendering changes two or three of them (the body, the
core properties) and leaves the rest (styles, fonts, numbering, images) as they are. zipfile
deflates every member on every write, which was most of the time a one-page form took, so the
template's members are deflated once, at load, and each document copies them as they are.
Member times are fixed and the order kept, so the same input gives the same bytes.
"""

from __future__ import annotations

import struct
import zlib
from typing import IO

_DOS_TIME, _DOS_DATE = 0, (2024 - 1980) << 9 | 1 << 5 | 1  # 2024-01-01: same input, same bytes


def _deflate(data: bytes) -> bytes:
    return zlib.compress(data, 6, wbits=-15)


class PreparedZip:
    """A zip whose unchanged members are compressed once, at load; writing a document copies
    them as they are and deflates only the parts that were rendered (what zipfile cannot do).
    An unchanged member's local record and the start of its directory record are made at load
    too, and a document is written in one call (27 small writes through the hashing stream cost
    more than the copy)."""

    def __init__(self, members: list[tuple[str, bytes]]) -> None:
        self.members = [(name, self.entry(data)) for name, data in members]
        self._records = [_records(name, entry) for name, entry in self.members]

    @staticmethod
    def entry(data: bytes) -> tuple[int, int, bytes]:
        return zlib.crc32(data), len(data), _deflate(data)

    def has(self, name: str) -> bool:
        return any(member == name for member, _ in self.members)

    def write(self, stream: IO[bytes], replace: dict[str, tuple[int, int, bytes]]) -> None:
        """`replace` maps a member to (crc32, size, deflated bytes) of its new content."""
        local: list[bytes] = []
        central: list[bytes] = []
        offset = 0
        for (name, _), records in zip(self.members, self._records, strict=True):
            entry = replace.get(name)
            record, directory, encoded = records if entry is None else _records(name, entry)
            local.append(record)
            central += (directory, struct.pack("<I", offset), encoded)
            offset += len(record)
        end = struct.pack(
            "<IHHHHIIH",
            0x06054B50,
            0,
            0,
            len(self.members),
            len(self.members),
            sum(map(len, central)),
            offset,
            0,
        )
        stream.write(b"".join([*local, *central, end]))


def _records(name: str, entry: tuple[int, int, bytes]) -> tuple[bytes, bytes, bytes]:
    """A member's local header and data; its directory record up to the offset; its name."""
    crc, size, packed = entry
    encoded = name.encode("utf-8")
    # The fields both records give alike: version needed, UTF-8 names, deflate, the fixed time,
    # the CRC and the two sizes, the name's length.
    common = (20, 0x0800, 8, _DOS_TIME, _DOS_DATE, crc, len(packed), size, len(encoded))
    header = struct.pack("<IHHHHHIIIHH", 0x04034B50, *common, 0)
    # made by Unix 3.0 (0x0314); no extra field, comment, disk or internal attributes; -rw-r--r--
    directory = struct.pack(
        "<IHHHHHHIIIHHHHHI", 0x02014B50, 0x0314, *common, 0, 0, 0, 0, 0o100644 << 16
    )
    return header + encoded + packed, directory, encoded
