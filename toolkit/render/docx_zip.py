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
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


class PreparedZip:
    """A zip whose unchanged members are compressed once, at load; writing a document copies
    them as they are and deflates only the parts that were rendered (what zipfile cannot do)."""

    def __init__(self, members: list[tuple[str, bytes]]) -> None:
        self.members = [(name, self.entry(data)) for name, data in members]

    @staticmethod
    def entry(data: bytes) -> tuple[int, int, bytes]:
        return zlib.crc32(data), len(data), _deflate(data)

    def has(self, name: str) -> bool:
        return any(member == name for member, _ in self.members)

    def write(self, stream: IO[bytes], replace: dict[str, tuple[int, int, bytes]]) -> None:
        """`replace` maps a member to (crc32, size, deflated bytes) of its new content."""
        central = []
        offset = 0
        for name, entry in self.members:
            crc, size, packed = replace.get(name, entry)
            encoded = name.encode("utf-8")
            header = struct.pack(
                "<IHHHHHIIIHH",
                0x04034B50,
                20,
                0x0800,
                8,
                _DOS_TIME,
                _DOS_DATE,
                crc,
                len(packed),
                size,
                len(encoded),
                0,
            )
            stream.write(header + encoded)
            stream.write(packed)
            central.append(
                struct.pack(
                    "<IHHHHHHIIIHHHHHII",
                    0x02014B50,
                    0x0314,
                    20,
                    0x0800,
                    8,
                    _DOS_TIME,
                    _DOS_DATE,
                    crc,
                    len(packed),
                    size,
                    len(encoded),
                    0,
                    0,
                    0,
                    0,
                    0o100644 << 16,
                    offset,
                )
                + encoded
            )
            offset += len(header) + len(encoded) + len(packed)
        directory = b"".join(central)
        stream.write(directory)
        stream.write(
            struct.pack(
                "<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), len(directory), offset, 0
            )
        )
