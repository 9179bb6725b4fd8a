"""Charts: one chart description, drawn three ways from the rows of the table it sits beside.

A chart in a document's context (under `图表`, made by the planner) is plain data that names the
table it plots, never numbers of its own, so a chart cannot disagree with its table:

    {"类型": "柱状" | "条形" | "堆积",   # columns, horizontal bars, stacked columns
     "标题": "各月接待情况", "数据": "按月",  # the context list holding the table's rows
     "分类": "月份", "系列": ["接待人次", "收集意见"], "单位": "人次、件"}

- PDF (`svg`): an inline SVG drawn by matplotlib, text kept as text (svg.fonttype none) in the
  shipped Noto Sans CJK SC, which WeasyPrint then draws as vector paths and real, searchable
  text with the same fonts as the page: no tofu, no bitmap.
- Word (`png`): an image at print resolution (300 dpi) of the same drawing, the glyphs from the
  same font file; it replaces the placeholder picture the template carries (render/docx.py).
- Excel: a native chart (openpyxl.chart) whose series are the cell ranges of the table written
  on the same sheet (render/xlsx.py, `add_chart`), so a clerk restyles it in Excel or WPS.

matplotlib was chosen for output quality (vector SVG whose text stays text, print-quality PNG)
and weight: one wheel with no system libraries beyond what WeasyPrint needs; it is imported
only when a chart is drawn. Output is reproducible: no dates in the SVG, fixed element ids,
no software stamp in the PNG.
"""

from __future__ import annotations

import io
import re
import threading
from dataclasses import dataclass
from typing import Any

from ..paths import FONTS_DIR

KINDS = ("柱状", "条形", "堆积")
FONT_FILE = FONTS_DIR / "NotoSansCJKsc-Regular.otf"
FONT_FAMILY = "Noto Sans CJK SC"
# Colours that stay apart when printed in grey: dark blue, mid grey-blue, dark red, light grey.
COLOURS = ("#1f4e79", "#8fa9c8", "#a50f15", "#c8c8c8", "#5b7f3a", "#e3a857")
WIDTH_CM, HEIGHT_CM = 15.0, 7.0  # the size a chart is drawn at (the Word picture's too)
DPI = 300
_LOCK = threading.Lock()  # pyplot state is per process; a web server may draw from threads


@dataclass(frozen=True)
class ChartData:
    kind: str
    title: str
    categories: list[str]
    series: list[tuple[str, list[float]]]  # (name, one value per category)
    unit: str = ""


def chart_data(spec: dict[str, Any], context: dict[str, Any]) -> ChartData:
    """The numbers of a chart, read from the rows of the table it names."""
    rows = list(context.get(spec["数据"], ()))
    if spec.get("最多"):  # the first rows only: 222 stations are no chart, the top 12 are
        rows = rows[: int(spec["最多"])]
    category = spec["分类"]
    series = [(name, [_number(row.get(name)) for row in rows]) for name in spec["系列"]]
    return ChartData(
        spec.get("类型", "柱状"),
        str(spec.get("标题", "")),
        [str(row.get(category, "")) for row in rows],
        series,
        str(spec.get("单位", "")),
    )


def _number(value: Any) -> float:
    if isinstance(value, bool) or value is None or value == "":
        return 0.0
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def _figure(data: ChartData, width_cm: float, height_cm: float) -> Any:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib.figure import Figure

    if FONT_FAMILY not in {f.name for f in font_manager.fontManager.ttflist}:
        font_manager.fontManager.addfont(str(FONT_FILE))
    rc = matplotlib.rcParams
    rc["font.family"] = [FONT_FAMILY]
    rc["font.size"] = 9
    rc["axes.unicode_minus"] = False
    rc["text.parse_math"] = False  # data is data: a name with $…$ is printed, not typeset
    rc["svg.fonttype"] = "none"  # text stays text: WeasyPrint sets it in the shipped font
    rc["svg.hashsalt"] = "liaison"  # fixed clip-path ids: the same chart, the same bytes
    figure = Figure(figsize=(width_cm / 2.54, height_cm / 2.54), layout="constrained")
    axes = figure.add_subplot()
    _draw(axes, data)
    return figure


def _draw(axes: Any, data: ChartData) -> None:
    count = len(data.categories)
    positions = list(range(count))
    if data.title:
        axes.set_title(data.title, fontsize=10.5)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    horizontal = data.kind == "条形"
    stacked = data.kind == "堆积"
    n = max(len(data.series), 1)
    width = 0.7 if stacked or n == 1 else 0.8 / n
    bottoms = [0.0] * count
    for i, (name, values) in enumerate(data.series):
        colour = COLOURS[i % len(COLOURS)]
        shift = 0.0 if stacked else (i - (n - 1) / 2) * width
        offsets = [p + shift for p in positions]
        if horizontal:
            bars = axes.barh(offsets, values, height=width, color=colour, label=name)
        else:
            bars = axes.bar(
                offsets,
                values,
                width=width,
                color=colour,
                label=name,
                bottom=bottoms if stacked else None,
            )
        if not stacked:
            labels = [_label(v) for v in values]
            axes.bar_label(bars, labels=labels, padding=1.5, fontsize=7)
        else:
            bottoms = [b + v for b, v in zip(bottoms, values, strict=True)]
    if stacked:
        axes.bar_label(
            axes.containers[-1], labels=[_label(v) for v in bottoms], padding=1.5, fontsize=7
        )
    if horizontal:
        axes.set_yticks(positions, data.categories)
        axes.invert_yaxis()  # the table's first row at the top
        axes.margins(x=0.12)
    else:
        axes.set_xticks(positions, data.categories)
        axes.margins(y=0.15)
        if count > 8:
            for tick in axes.get_xticklabels():
                tick.set_rotation(45 if count > 14 else 30)
                tick.set_horizontalalignment("right")
    value_axis = axes.xaxis if horizontal else axes.yaxis
    from matplotlib.ticker import MaxNLocator

    value_axis.set_major_locator(MaxNLocator(integer=True))
    if data.unit:
        (axes.set_xlabel if horizontal else axes.set_ylabel)(data.unit)
    if len(data.series) > 1:
        axes.legend(frameon=False, fontsize=8, ncols=min(len(data.series), 4), loc="upper right")


def _label(value: float) -> str:
    if not value:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def height_for(data: ChartData) -> float:
    """Horizontal bars need room per category: a station's 30 deputies are 30 rows."""
    if data.kind == "条形":
        return max(HEIGHT_CM, 1.6 + 0.45 * len(data.categories))
    return HEIGHT_CM


_SVG_HEAD = re.compile(r"^.*?(<svg\b)", re.S)
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.S)
_SIZE = re.compile(r'\s(?:width|height)="[\d.]+pt"')


def svg(spec: dict[str, Any], context: dict[str, Any]) -> str:
    """The chart as an SVG element to put inside HTML (no XML declaration, no doctype, no
    metadata), sized in points at WIDTH_CM; CSS may scale it to the text block."""
    data = chart_data(spec, context)
    with _LOCK:
        figure = _figure(data, WIDTH_CM, height_for(data))
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    text = _METADATA.sub("", _SVG_HEAD.sub(r"\1", buffer.getvalue()))
    # As wide as its box (the text block): the viewBox keeps the shape.
    text = _SIZE.sub("", text, count=2)
    return text.replace("<svg ", '<svg class="chart" role="img" width="100%" ', 1)


def png(
    spec: dict[str, Any],
    context: dict[str, Any],
    width_cm: float = WIDTH_CM,
    height_cm: float | None = None,
) -> bytes:
    """The chart as a PNG at print resolution (DPI), `width_cm` × `height_cm` on paper."""
    data = chart_data(spec, context)
    with _LOCK:
        figure = _figure(data, width_cm, height_cm or height_for(data))
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def charts_of(context: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The chart descriptions of a context (none for a document without charts)."""
    found = context.get("图表")
    if not isinstance(found, dict):
        return {}
    return {str(k): v for k, v in found.items() if isinstance(v, dict) and v.get("数据")}


def native_chart(
    spec: dict[str, Any], ws: Any, columns: dict[str, int], header_row: int, first: int, last: int
) -> Any:
    """An openpyxl chart over the cells of the table on `ws`: categories from the column of
    `分类`, one series per column of `系列` titled by its header cell, rows first..last.
    None when a column it plots is not on the sheet."""
    from openpyxl.chart import BarChart, Reference, Series
    from openpyxl.chart.data_source import StrRef
    from openpyxl.chart.series import SeriesLabel
    from openpyxl.utils import get_column_letter, quote_sheetname

    wanted = [spec["分类"], *spec["系列"]]
    if any(name not in columns for name in wanted):
        return None
    if spec.get("最多"):  # the same first rows as the PDF's and Word's (chart_data)
        last = min(last, first + int(spec["最多"]) - 1)
    chart = BarChart()
    kind = spec.get("类型", "柱状")
    chart.type = "bar" if kind == "条形" else "col"
    if kind == "堆积":
        chart.grouping = "stacked"
        chart.overlap = 100
    chart.title = str(spec.get("标题", "")) or None
    chart.style = 10
    chart.y_axis.title = str(spec.get("单位", "")) or None
    chart.y_axis.majorGridlines = None
    chart.x_axis.delete = False  # openpyxl 3.1 hides both axes unless told
    chart.y_axis.delete = False
    if kind == "条形":
        chart.x_axis.scaling.orientation = "maxMin"  # the table's first row at the top
    for name in spec["系列"]:
        col = columns[name]
        values = Reference(ws, min_col=col, min_row=first, max_row=last)
        series = Series(values)
        # Named by its header cell, not by a copy of the text: rename the column, the legend
        # follows.
        header = f"{quote_sheetname(ws.title)}!${get_column_letter(col)}${header_row}"
        series.tx = SeriesLabel(strRef=StrRef(header))
        chart.series.append(series)
    cats = Reference(ws, min_col=columns[spec["分类"]], min_row=first, max_row=last)
    chart.set_categories(cats)
    for series, colour in zip(chart.series, COLOURS, strict=False):
        series.graphicalProperties.solidFill = colour.lstrip("#")
        series.graphicalProperties.line.solidFill = colour.lstrip("#")
    if len(spec["系列"]) == 1:
        chart.legend = None
    rows = last - first + 1
    chart.width = WIDTH_CM + 1
    chart.height = max(HEIGHT_CM + 1, 1.6 + 0.5 * rows) if kind == "条形" else HEIGHT_CM + 1
    return chart
