"""Workbooks as an attacker or a broken program writes them: a clean workbook made in code,
then its parts rewritten (huge references, missing parts, formulas never calculated), and .ods
and .xls files written part by part."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import DEPUTIES, RECEPTION_HEADER, STATIONS, reception, write_workbook


def STRESS(test: Callable) -> Callable:
    """A long run (many fuzz examples, real processes racing): left out of every run that does
    not ask for it by name, `pytest -m stress tests/hostile -s`, whatever else -m selects."""
    skip = pytest.mark.skipif(
        "'stress' not in config.getoption('markexpr')", reason="long: pytest -m stress"
    )
    return pytest.mark.stress(skip(test))


Edit = Callable[[str], str | None]  # a part's text → new text, or None to drop the part


def station_book(path: Path, receptions: int = 3) -> Path:
    rows = [reception(code=f"JD-{i:03}") for i in range(receptions)]
    return write_workbook(
        path, {"联络站": STATIONS, "代表名册": DEPUTIES, "接待登记": [RECEPTION_HEADER, *rows]}
    )


def part_of(path: Path, title: str) -> str:
    """The zip part holding sheet `title` (openpyxl numbers them in order)."""
    with zipfile.ZipFile(path) as z:
        workbook = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet [^>]*name="{title}"[^>]*r:id="(rId\d+)"', workbook)
    assert rid, title
    target = re.search(
        rf'Id="{rid.group(1)}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="{rid.group(1)}"', rels
    )
    assert target
    name = target.group(1) or target.group(2)
    return name.lstrip("/") if name.startswith("/") else "xl/" + name


def rewrite(
    source: Path, target: Path, edits: dict[str, Edit], add: dict[str, str] | None = None
) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info.filename)
            if info.filename in edits:
                text = edits[info.filename](data.decode("utf-8"))
                if text is None:
                    continue
                data = text.encode("utf-8")
            new.writestr(info.filename, data)
        for name, text in (add or {}).items():
            new.writestr(name, text)
    return target


def with_sheet(source: Path, target: Path, title: str, edit: Edit) -> Path:
    return rewrite(source, target, {part_of(source, title): edit})


def append_rows(rows_xml: str) -> Edit:
    """Rows added at the end of <sheetData>."""
    return lambda xml: xml.replace("</sheetData>", rows_xml + "</sheetData>")


ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)


def ods_cell(value: object, repeat: int = 1) -> str:
    rep = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    if value is None:
        return f"<table:table-cell{rep}/>"
    if isinstance(value, int | float):
        return (
            f'<table:table-cell{rep} office:value-type="float" office:value="{value}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    return (
        f'<table:table-cell{rep} office:value-type="string"><text:p>{value}</text:p>'
        "</table:table-cell>"
    )


def ods_row(cells: list[object], repeat: int = 1, tail: str = "") -> str:
    rep = f' table:number-rows-repeated="{repeat}"' if repeat > 1 else ""
    return f"<table:table-row{rep}>{''.join(ods_cell(c) for c in cells)}{tail}</table:table-row>"


def write_ods(path: Path, tables: dict[str, str]) -> Path:
    """An .ods of the given tables (name → rows XML), as LibreOffice lays one out."""
    body = "".join(f'<table:table table:name="{n}">{x}</table:table>' for n, x in tables.items())
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODS_NS} '
        f'office:version="1.2"><office:body><office:spreadsheet>{body}'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content)
        z.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
            '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry '
            'manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.'
            'spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" '
            'manifest:media-type="text/xml"/></manifest:manifest>',
        )
    return path


def ods_station_tables(receptions: list[list[object]] | None = None) -> dict[str, str]:
    rows = receptions if receptions is not None else [reception()]

    def table(rows: list[list[object]]) -> str:
        return "".join(ods_row([_plain(v) for v in row]) for row in rows)

    return {
        "联络站": table(STATIONS),
        "代表名册": table(DEPUTIES),
        "接待登记": table([RECEPTION_HEADER, *rows]),
    }


def _plain(value: object) -> object:
    import datetime as dt

    if isinstance(value, dt.date):
        return f"{value.year}-{value.month}-{value.day}"
    return value


_INLINE = re.compile(
    r'<c r="([A-Z]+\d+)"( s="\d+")? t="inlineStr"><is><t[^>]*>(.*?)</t></is></c>', re.S
)
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def to_shared_strings(source: Path, target: Path) -> Path:
    """The same workbook with its text in a shared string table, as Excel and WPS save it
    (openpyxl writes each text into its cell)."""
    table: dict[str, int] = {}

    def shared(found: re.Match[str]) -> str:
        index = table.setdefault(found.group(3), len(table))
        return f'<c r="{found.group(1)}"{found.group(2) or ""} t="s"><v>{index}</v></c>'

    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                data = _INLINE.sub(shared, data.decode("utf-8")).encode("utf-8")
            new.writestr(info, data)
        items = "".join(f'<si><t xml:space="preserve">{text}</t></si>' for text in table)
        new.writestr(
            "xl/sharedStrings.xml",
            f'<sst xmlns="{_MAIN}" count="{len(table)}" uniqueCount="{len(table)}">{items}</sst>',
        )
        if "xl/sharedStrings.xml" not in old.namelist():
            pass
    return target
