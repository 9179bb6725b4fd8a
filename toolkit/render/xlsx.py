"""Excel: a register laid out by a form's `layout.yaml`, written with openpyxl in write-only mode.

Write-only mode streams rows to disk, so a 100,000-row register stays in bounded memory. Every
value that came from a cell is written as text where it is text: openpyxl would store a string
starting with "=" as a formula, so string cells are forced to the string type. A4 print setup,
the header row repeated on every page, fit to the page width, page numbers in the footer.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import yaml
from jinja2 import Environment
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side
from openpyxl.worksheet.properties import PageSetupProperties

from .. import values, yamltext
from ..errors import TemplateError
from ..templating import describe_error, normalise_tags
from ..xlsx_bytes import write_reproducibly
from . import UNDATED, DocumentInfo

_THIN = Side(style="thin", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
FONT_NAME = "宋体"


@dataclass(frozen=True)
class XlsxColumn:
    header: str
    value: str  # key of each row dict
    width: float = 12
    wrap: bool = False
    align: str = "left"


def _styles() -> dict[str, NamedStyle]:
    def style(
        name: str,
        *,
        size: float = 10.5,
        bold: bool = False,
        border: bool = True,
        horizontal: str = "left",
        wrap: bool = True,
    ) -> NamedStyle:
        s = NamedStyle(name=name)
        s.font = Font(name=FONT_NAME, size=size, bold=bold)
        s.alignment = Alignment(horizontal=horizontal, vertical="center", wrap_text=wrap)
        if border:
            s.border = _BOX
        s.number_format = "@"
        return s

    return {
        "title": style(
            "liaison-title", size=16, bold=True, border=False, horizontal="center", wrap=False
        ),
        "subtitle": style(
            "liaison-subtitle", size=10.5, border=False, horizontal="center", wrap=False
        ),
        "lines": style("liaison-lines", border=False, horizontal="left"),
        "footer": style("liaison-footer", border=False, horizontal="left", wrap=False),
        "header": style("liaison-header", bold=True, horizontal="center"),
        "left": style("liaison-left"),
        "center": style("liaison-center", horizontal="center"),
    }


class XlsxRenderer:
    """One workbook from a layout: a single table (the spec itself), or several sheets under
    `sheets:` (e.g. a 考核表 and its appendix of records), each a title, a subtitle that may
    run over several lines, the rows of one or more context lists under one header, and an
    optional footer line (signatures)."""

    fmt = "xlsx"

    def __init__(self, path: Path, env: Environment, name: str) -> None:
        self.name = name
        try:
            spec = yamltext.load(path.read_text(encoding="utf-8"))
            specs = spec["sheets"] if "sheets" in spec else [spec]
            self.sheets = [_SheetLayout(s, env) for s in specs]
        except TemplateError:
            raise
        except (OSError, yaml.YAMLError, KeyError, TypeError, AttributeError) as exc:
            raise TemplateError(f"Excel 版式文件有误：{exc}", where=name) from None
        except Exception as exc:
            raise describe_error(exc, name) from None

    def render(
        self, context: dict[str, Any], stream: IO[bytes], info: DocumentInfo = UNDATED
    ) -> None:
        try:
            texts = [sheet.texts(context) for sheet in self.sheets]
        except Exception as exc:
            raise describe_error(exc, self.name) from None
        wb = Workbook(write_only=True)
        for style in _styles().values():
            wb.add_named_style(style)
        for sheet, (title, subtitle, footer) in zip(self.sheets, texts, strict=True):
            sheet.write(wb, context, title, subtitle, footer)
        write_reproducibly(wb, stream, info.utc, info.title)  # same input, same bytes


class _SheetLayout:
    def __init__(self, spec: dict[str, Any], env: Environment) -> None:
        self.sheet_title = str(spec.get("sheet", "Sheet1"))
        self.title = env.from_string(normalise_tags(str(spec.get("title", ""))))
        self.subtitle = env.from_string(normalise_tags(str(spec.get("subtitle", ""))))
        self.footer = env.from_string(normalise_tags(str(spec.get("footer", ""))))
        rows = spec.get("rows", "记录")
        self.rows_keys = [str(r) for r in (rows if isinstance(rows, list) else [rows])]
        self.landscape = bool(spec.get("landscape", True))
        self.columns = [XlsxColumn(**c) for c in spec["columns"]]

    def texts(self, context: dict[str, Any]) -> tuple[str, str, str]:
        return (
            self.title.render(context),
            self.subtitle.render(context).strip(),
            self.footer.render(context).strip(),
        )

    def _cell(self, ws: Any, value: Any, style: str) -> WriteOnlyCell:
        if isinstance(value, str) and "_x" in value:
            # Excel reads _xHHHH_ as an escaped character; a clerk's literal text must stay text.
            value = values.escape_excel_literals(value)
        cell = WriteOnlyCell(ws, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # never a formula, whatever the text starts with
        cell.style = style
        return cell

    def _page_setup(self, ws: Any) -> None:
        for index, column in enumerate(self.columns, start=1):
            ws.column_dimensions[_letter(index)].width = column.width
        ws.freeze_panes = "A4"
        ws.print_title_rows = "3:3"
        ws.page_setup.paperSize = "9"  # A4
        ws.page_setup.orientation = "landscape" if self.landscape else "portrait"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.5
        ws.oddFooter.center.text = "第 &P 页，共 &N 页"

    def write(
        self, wb: Workbook, context: dict[str, Any], title: str, subtitle: str, footer: str
    ) -> None:
        ws = wb.create_sheet(self.sheet_title[:31])
        self._page_setup(ws)  # write-only: everything above the rows must be set before them
        n = len(self.columns)
        last = _letter(n)
        ws.merged_cells.add(f"A1:{last}1")
        ws.merged_cells.add(f"A2:{last}2")
        ws.row_dimensions[1].height = 30
        lines = subtitle.count("\n") + 1
        if lines > 1:
            ws.row_dimensions[2].height = lines * LINE_HEIGHT + 4
        ws.append([self._cell(ws, title, "liaison-title")])
        ws.append([self._cell(ws, subtitle, "liaison-lines" if lines > 1 else "liaison-subtitle")])
        ws.append([self._cell(ws, c.header, "liaison-header") for c in self.columns])
        kinds = ["liaison-center" if c.align == "center" else "liaison-left" for c in self.columns]
        keys = [c.value for c in self.columns]
        widths = [c.width for c in self.columns]
        # Streamed, never listed: a register's rows may be on disk (records.RowStore).
        rows = (row for key in self.rows_keys for row in context.get(key, ()))
        index = 3
        for index, row in enumerate(rows, start=4):
            values = [row.get(k, "") for k in keys]
            # Wrapped text needs a row tall enough to show it; Excel does not grow rows written
            # by a program. The dimension is dropped once written, so memory stays flat.
            ws.row_dimensions[index].height = row_height(values, widths)
            ws.append([self._cell(ws, v, k) for v, k in zip(values, kinds, strict=True)])
            del ws.row_dimensions[index]
        if footer:
            ws.merged_cells.add(f"A{index + 2}:{last}{index + 2}")
            ws.row_dimensions[index + 2].height = 30
            ws.append([])
            ws.append([self._cell(ws, footer, "liaison-footer")])


LINE_HEIGHT = 14.5  # points per line of 10.5 pt text


def row_height(values: list[Any], widths: list[float]) -> float:
    """Points needed to show every wrapped value: CJK characters are two width units wide."""
    lines = 1
    for value, width in zip(values, widths, strict=True):
        if not isinstance(value, str) or not value:
            continue
        usable = max(width - 1.5, 1)
        needed = 0
        for line in value.split("\n"):
            units = sum(2 if ord(ch) > 0x2E7F else 1 for ch in line)
            needed += max(1, -(-int(units) // int(usable)))
        lines = max(lines, needed)
    return min(409.0, lines * LINE_HEIGHT + 4)


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)
