"""Saving an openpyxl workbook so that the same content gives the same bytes.

openpyxl's save() stamps the document's `modified` time and every zip entry with the current
time; here the document properties and all entries carry one given time instead (a build's time,
see render.build_time), and the workbook names its title and this tool as its author, not
"openpyxl". Used by the blank workbook, the sample and the xlsx renderer.
"""

from __future__ import annotations

import os
import shutil
from datetime import datetime
from typing import IO, Any
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

STAMP = datetime(2024, 1, 1)
AUTHOR = "liaison 人大代表联络站文书工具"  # every file's author (Word, Excel, PDF)


def write_reproducibly(
    wb: Workbook, stream: IO[bytes], stamp: datetime = STAMP, title: str = ""
) -> None:
    """`stamp` in UTC, without a zone (openpyxl writes it with a Z)."""
    wb.properties.created = stamp
    wb.properties.modified = stamp
    wb.properties.creator = wb.properties.lastModifiedBy = AUTHOR
    if title:
        wb.properties.title = title
    # openpyxl's save_workbook() would stamp `modified` with the current time; ExcelWriter
    # does not, and _StampedZipFile fixes the zip entries' times.
    if wb.write_only and not wb.worksheets:
        wb.create_sheet()
    archive = _StampedZipFile(stream, stamp)
    try:
        ExcelWriter(wb, archive).write_data()
    finally:
        archive.close()


class _StampedZipFile(ZipFile):
    """A zip whose every entry carries one fixed time, so equal content gives equal bytes."""

    def __init__(self, stream: IO[bytes], stamp: datetime) -> None:
        super().__init__(stream, "w", ZIP_DEFLATED, allowZip64=True)
        self._date_time = stamp.timetuple()[:6]

    def _info(self, name: str, size: int = 0) -> ZipInfo:
        info = ZipInfo(name, self._date_time)  # type: ignore[arg-type]
        info.compress_type = ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        info.file_size = size
        return info

    def writestr(
        self,
        zinfo_or_arcname: str | ZipInfo,
        data: Any,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        if isinstance(zinfo_or_arcname, ZipInfo):
            zinfo_or_arcname = zinfo_or_arcname.filename
        super().writestr(self._info(zinfo_or_arcname), data)

    def write(
        self,
        filename: Any,
        arcname: Any = None,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        name = str(arcname if arcname is not None else filename)
        info = self._info(name, os.path.getsize(filename))
        with open(filename, "rb") as source, self.open(info, "w") as target:
            shutil.copyfileobj(source, target, 1 << 20)
