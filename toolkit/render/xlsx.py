"""Excel: a register laid out by a form's `layout.yaml`, written with openpyxl in write-only mode.

Write-only mode streams rows to disk, so a 100,000-row register stays in bounded memory. Values
keep their type so a clerk can sort, filter and sum: a date is an Excel date shown
2024年3月5日, a count a number, a share (chinese.Percent) a number shown 85.00%. Text stays text:
openpyxl would store a string starting with "=" as a formula, so string cells are forced to the
string type. The header row carries an autofilter; A4 print setup, the header row repeated on
every page, fit to the page width, page numbers in the footer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import yaml
from jinja2 import Environment
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side
from openpyxl.worksheet.properties import PageSetupProperties

from .. import chinese, values, yamltext
from ..errors import TemplateError
from ..xlsx_bytes import write_reproducibly
from . import UNDATED, DocumentInfo
from .templating import describe_error, normalise_tags

_THIN = Side(style="thin", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
FONT_NAME = "宋体"
TITLE_SIZE = 16
DATE_FORMAT = 'yyyy"年"m"月"d"日"'  # GB/T 9704's 2024年3月5日, no leading zeros
TIME_FORMAT = "h:mm"
INT_FORMAT = "0"
NUMBER_FORMAT = "General"  # 2.5 points as 2.5, as the PDF prints it


@dataclass(frozen=True)
class XlsxColumn:
    header: str
    value: str  # key of each row dict
    width: float = 12
    wrap: bool = False
    align: str = "left"
    format: str = ""  # an Excel number format for the column's numbers (e.g. money: #,##0.00)
    when: str = ""  # a context field: the column is there only when it is true (等次 at year end)


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
        # Title and subtitle wrap: a long meeting name over a narrow table (a 测评结果 of three
        # columns) was cut off at both edges of the merged cell.
        "title": style(
            "liaison-title", size=TITLE_SIZE, bold=True, border=False, horizontal="center"
        ),
        "subtitle": style("liaison-subtitle", size=10.5, border=False, horizontal="center"),
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
            if sheet.when and not context.get(sheet.when):
                continue
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
        # The autofilter spans the header and the rows of every list (true, the default), of
        # one list (its key: a 考核表's items, not the totals under them), or none (false).
        flt = spec.get("filter", True)
        self.filter_keys = self.rows_keys if flt is True else [str(flt)] if flt else []
        self.when = str(spec.get("when", ""))  # a context field: the sheet only when it is true
        # Charts (render/charts.py) by their name under 图表, drawn beside the table as native
        # Excel charts over its cells; a chart the context leaves out is not drawn.
        self.charts = [str(c) for c in spec.get("charts", ())]

    def texts(self, context: dict[str, Any]) -> tuple[str, str, str]:
        return (
            self.title.render(context),
            self.subtitle.render(context).strip(),
            self.footer.render(context).strip(),
        )

    def _cell(self, ws: Any, value: Any, style: str, number_format: str = "") -> WriteOnlyCell:
        """A cell of `value`, stored as excel_value gives it, shown with `number_format`."""
        if isinstance(value, str) and "_x" in value:
            # Excel reads _xHHHH_ as an escaped character; a clerk's literal text must stay text.
            value = values.escape_excel_literals(value)
        cell = WriteOnlyCell(ws, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # never a formula, whatever the text starts with
        cell.style = style
        if number_format:
            cell.number_format = number_format
        return cell

    def _page_setup(self, ws: Any, columns: list[XlsxColumn]) -> None:
        for index, column in enumerate(columns, start=1):
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
        columns = [c for c in self.columns if not c.when or context.get(c.when)]
        self._page_setup(ws, columns)  # write-only: all above the rows is set before them
        n = len(columns)
        last = _letter(n)
        ws.merged_cells.add(f"A1:{last}1")
        ws.merged_cells.add(f"A2:{last}2")
        widths = [c.width for c in columns]
        ws.row_dimensions[1].height = max(30, row_height([title], [sum(widths)], TITLE_SIZE))
        ws.row_dimensions[2].height = row_height([subtitle], [sum(widths)])
        lines = subtitle.count("\n") + 1
        ws.append([self._cell(ws, title, "liaison-title")])
        ws.append([self._cell(ws, subtitle, "liaison-lines" if lines > 1 else "liaison-subtitle")])
        # A header that wraps (满意及基本满意比例) needs a row tall enough, as a body row does.
        ws.row_dimensions[3].height = row_height([c.header for c in columns], widths)
        ws.append([self._cell(ws, c.header, "liaison-header") for c in columns])
        kinds = ["liaison-center" if c.align == "center" else "liaison-left" for c in columns]
        formats = [c.format for c in columns]
        keys = [c.value for c in columns]
        # Streamed, never listed: a register's rows may be on disk (records.RowStore).
        rows = ((key, row) for key in self.rows_keys for row in context.get(key, ()))
        index = filtered = 3
        spans: dict[str, list[int]] = {}  # list key → [first row, last row] on the sheet
        for index, (key, row) in enumerate(rows, start=4):
            spans.setdefault(key, [index, index])[1] = index
            cells = [excel_value(row.get(k, "")) for k in keys]
            # Wrapped text needs a row tall enough to show it; Excel does not grow rows written
            # by a program. The dimension is dropped once written, so memory stays flat.
            ws.row_dimensions[index].height = row_height([v for v, _ in cells], widths)
            ws.append(
                [
                    # A column's own format (money) only for what has a format: never for text.
                    self._cell(ws, value, style, kind and (column or kind))
                    for (value, kind), style, column in zip(cells, kinds, formats, strict=True)
                ]
            )
            del ws.row_dimensions[index]
            if key in self.filter_keys:
                filtered = index
        self._add_charts(ws, context, columns, spans)
        if self.filter_keys:
            # Written with the sheet's tail, after the rows: the range is known by then.
            ws.auto_filter.ref = f"A3:{last}{filtered}"
        if footer:
            ws.merged_cells.add(f"A{index + 2}:{last}{index + 2}")
            ws.row_dimensions[index + 2].height = 30
            ws.append([])
            ws.append([self._cell(ws, footer, "liaison-footer")])

    def _add_charts(
        self,
        ws: Any,
        context: dict[str, Any],
        columns: list[XlsxColumn],
        spans: dict[str, list[int]],
    ) -> None:
        """Each chart to the right of the table, one under the other, plotting the table's
        cells (so the chart's data is the table's, and stays so when a clerk edits a cell)."""
        if not self.charts:
            return
        from .charts import charts_of, native_chart

        found = charts_of(context)
        where = {c.value: i for i, c in enumerate(columns, start=1)}
        row = 4
        for name in self.charts:
            spec = found.get(name)
            span = spans.get(spec["数据"]) if spec else None
            if spec is None or span is None:
                continue
            chart = native_chart(spec, ws, where, 3, span[0], span[1])
            if chart is None:
                raise TemplateError(
                    f"图表“{name}”要画的列不全在这张表上（需要：{'、'.join(series_of(spec))}）"
                )
            ws.add_chart(chart, f"{_letter(len(columns) + 2)}{row}")
            row += int(chart.height / 0.5) + 2  # rows of the default height are about 0.5 cm


def series_of(spec: dict[str, Any]) -> list[str]:
    return [spec["分类"], *spec["系列"]]


def excel_value(value: Any) -> tuple[Any, str]:
    """A context value as openpyxl should store it, and the number format its kind wants ("" for
    text). Dates, times, numbers and shares keep their type; anything else is its printed text."""
    if isinstance(value, bool):
        return ("是" if value else "否"), ""
    if isinstance(value, chinese.Percent):
        return float(value), value.excel_format
    if isinstance(value, int):
        return value, INT_FORMAT
    if isinstance(value, float):
        return value, NUMBER_FORMAT
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return dt.date(value.year, value.month, value.day), DATE_FORMAT
    if isinstance(value, dt.time):
        return dt.time(value.hour, value.minute, value.second), TIME_FORMAT
    if value is None:
        return "", ""
    return value if isinstance(value, str) else chinese.display(value), ""


LINE_HEIGHT = 14.5  # points per line of 10.5 pt text


def row_height(values: list[Any], widths: list[float], size: float = 10.5) -> float:
    """Points needed to show every wrapped value: CJK characters are two width units wide (at
    10.5 pt; a larger font takes proportionally more width and height)."""
    scale = size / 10.5
    lines = 1
    for value, width in zip(values, widths, strict=True):
        if not isinstance(value, str) or not value:
            continue
        usable = max(width - 1.5, 1)
        needed = 0
        for line in value.split("\n"):
            units = sum(2 if ord(ch) > 0x2E7F else 1 for ch in line) * scale
            needed += max(1, -(-int(units) // int(usable)))
        lines = max(lines, needed)
    return min(409.0, lines * LINE_HEIGHT * scale + 4)


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)
