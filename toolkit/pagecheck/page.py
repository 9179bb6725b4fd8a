"""A PDF page as the checks see it: lines of body text, ruled tables and their cells, rules.

Characters come from pypdfium2 (about forty times faster than pdfminer on these pages): each
with its advance box, baseline, size and font name, in top-down coordinates. They are grouped
into lines by baseline, and a line is split where more than 1.5 characters of blank space open
(two items on one line, as in 时间：… 地点：…). The straight rules a page draws are joined into
tables by pdfplumber's table finder; a character inside a cell belongs to the cell. Page
numbers (“— 2 —”) and a running head repeated at the top of the pages are not content.
"""

# Long module: reading a PDF page into lines, cells and rules is one job whose parts share
# the page's geometry.

from __future__ import annotations

import ctypes
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Box = tuple[float, float, float, float]  # x0, top, x1, bottom
Char = dict[str, Any]  # text, x0, x1, top, bottom, baseline, size, fontname

PAGE_NUMBER = re.compile(r"[—–-]*\d+[—–-]*|第\d+页(?:共\d+页)?")
GAP = 1.5  # characters of blank space that part two items on one line
RULE = 2.5  # pt: thinner than this across, a drawn box is a rule


def is_sans(char: Char) -> bool:
    """Set in the 黑体 role: a table header, a label."""
    return "Sans" in char["fontname"]


@dataclass
class Line:
    page: int  # 1-based
    chars: list[Char]  # visible characters, left to right
    baseline: float

    @property
    def text(self) -> str:
        return "".join(c["text"] for c in self.chars)

    @property
    def x0(self) -> float:
        return float(self.chars[0]["x0"])

    @property
    def x1(self) -> float:
        return float(self.chars[-1]["x1"])

    @property
    def top(self) -> float:
        return min(float(c["top"]) for c in self.chars)

    @property
    def size(self) -> float:
        return max(float(c["size"]) for c in self.chars)


@dataclass
class Cell:
    page: int
    bbox: Box
    lines: list[Line] = field(default_factory=list)
    spills: str = ""  # text kept whole and too wide, up to or over the cell's rules

    @property
    def text(self) -> str:
        return "".join(line.text for line in self.lines)

    @property
    def header(self) -> bool:
        """Set in 黑体 throughout: a th or a td.label."""
        return all(is_sans(c) for line in self.lines for c in line.chars)


@dataclass
class Row:
    """The lines of the body that share a baseline, left to right."""

    lines: list[Line]

    @property
    def top(self) -> float:
        return min(line.top for line in self.lines)

    @property
    def first(self) -> Line:
        return self.lines[0]


@dataclass
class Table:
    bbox: Box
    heads: str = ""  # its text when its part on this page is header cells only

    @property
    def top(self) -> float:
        return self.bbox[1]


@dataclass
class Rule:
    """A ruled line outside the tables: room to write on (会议记录), an underlined blank."""

    top: float


Item = Row | Table | Rule


@dataclass
class Page:
    number: int
    items: list[Item]  # the body rows, tables and ruled lines, top to bottom
    cells: list[Cell]

    @property
    def rows(self) -> list[Row]:
        return [item for item in self.items if isinstance(item, Row)]

    @property
    def flow(self) -> list[Row | Table]:
        """The items without the ruled lines (blanks to sign on, lines to write on)."""
        return [item for item in self.items if not isinstance(item, Rule)]


def read_pdf(path: Path) -> list[Page]:
    """Every page of the PDF, with the running heads taken out."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(path))
    try:
        pages = []
        for index in range(len(pdf)):
            page = pdf[index]
            try:
                pages.append(read_page(page, index + 1))
            finally:
                page.close()
    finally:
        pdf.close()
    _drop_running_heads(pages)
    return pages


def read_page(page: Any, number: int) -> Page:
    """One pypdfium2 page as body rows, tables and table cells."""
    height = float(page.get_height())
    drawings = _drawings(page, height)
    tables, rules = _tables(page, height)
    # A chart's bars and axes are no table, its labels no line of text: left out.
    tables = [t for t in tables if not any(_within_box(_union(t), d) for d in drawings)]
    rules = [top for top in rules if not any(d[1] - 1 <= top <= d[3] + 1 for d in drawings)]
    cells = [Cell(number, box) for table in tables for box in table]
    boxes = [_union(table) for table in tables]
    body: list[Char] = []
    inside: dict[int, list[Char]] = {}
    spilled: dict[int, Char] = {}  # cell → a character of it at or over its rule
    for char in _chars(page, height):
        x, y = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
        if any(_within(x, y, box) for box in drawings):
            continue
        holders = [i for i, cell in enumerate(cells) if _within(x, y, cell.bbox)]
        if holders:
            smallest = min(holders, key=lambda i: _area(cells[i].bbox))
            inside.setdefault(smallest, []).append(char)
            if _touches_rule(char, cells[smallest].bbox):
                spilled.setdefault(smallest, char)
        elif not any(_within(x, y, box) for box in boxes):
            body.append(char)
    for index, cell_chars in inside.items():
        cells[index].lines = [
            line for row in _rows(cell_chars, number, False) for line in row.lines
        ]
    table_chars = [c for cell_chars in inside.values() for c in cell_chars]
    for index, char in spilled.items():
        cells[index].spills = _run_of(char, table_chars)
    items: list[Item] = [
        row
        for row in _rows(body, number, True)
        if not (
            row.top > 0.85 * height
            and PAGE_NUMBER.fullmatch("".join(line.text for line in row.lines))
        )
    ]
    items += [Rule(top) for top in rules if not any(_within(box[0] + 1, top, box) for box in boxes)]
    for box in boxes:
        own = [c for c in cells if c.lines and _within_box(c.bbox, box)]
        heads = " ".join(c.text for c in own) if own and all(c.header for c in own) else ""
        items.append(Table(box, heads))
    items.sort(key=lambda item: item.top)
    return Page(number, items, [cell for cell in cells if cell.lines])


def _rows(chars: list[Char], page: int, split: bool) -> list[Row]:
    """Characters grouped by baseline; with `split`, a row is cut where a wide gap opens."""
    grouped: list[list[Char]] = []
    base = None
    for char in sorted(chars, key=lambda c: (c["baseline"], c["x0"])):
        if base is None or char["baseline"] - base > 0.3 * char["size"]:
            grouped.append([])
            base = char["baseline"]
        grouped[-1].append(char)
    rows: list[Row] = []
    for group in grouped:
        group.sort(key=lambda c: c["x0"])
        runs: list[list[Char]] = [[group[0]]]
        for last, char in itertools.pairwise(group):
            if split and char["x0"] - last["x1"] > GAP * char["size"]:
                runs.append([])
            runs[-1].append(char)
        lines = []
        for run in runs:
            visible = [c for c in run if c["text"].strip()]
            if visible:
                lines.append(Line(page, visible, visible[0]["baseline"]))
        if lines:
            rows.append(Row(lines))
    return rows


def _chars(page: Any, height: float) -> list[Char]:
    """The page's drawn characters, top-down: the advance box (x0, x1, top, bottom), the
    baseline, the size in points and the font's name. Rotated text is left out."""
    import pypdfium2.raw as pdfium_c

    textpage = page.get_textpage()
    chars = []
    name = ctypes.create_string_buffer(128)
    flags = ctypes.c_int()
    matrix = pdfium_c.FS_MATRIX()
    x, y = ctypes.c_double(), ctypes.c_double()
    try:
        for index in range(textpage.count_chars()):
            if pdfium_c.FPDFText_IsGenerated(textpage, index):
                continue  # a space or line end pdfium adds between runs of text
            pdfium_c.FPDFText_GetMatrix(textpage, index, matrix)
            if abs(matrix.b) > 1e-6 or abs(matrix.c) > 1e-6:
                continue
            left, bottom, right, top = textpage.get_charbox(index, loose=True)
            pdfium_c.FPDFText_GetCharOrigin(textpage, index, x, y)
            pdfium_c.FPDFText_GetFontInfo(textpage, index, name, len(name), flags)
            chars.append(
                {
                    "text": chr(pdfium_c.FPDFText_GetUnicode(textpage, index)),
                    "x0": left,
                    "x1": right,
                    "top": height - top,
                    "bottom": height - bottom,
                    "baseline": height - y.value,
                    "size": pdfium_c.FPDFText_GetFontSize(textpage, index) * abs(matrix.d),
                    "fontname": name.value.decode("utf-8", "replace"),
                }
            )
    finally:
        textpage.close()
    return chars


DRAWING = 60.0  # points: a white ground at least this wide and tall is a drawing's


def _drawings(page: Any, height: float) -> list[Box]:
    """Where a drawing lies: a chart (render/charts.py, an inline SVG) is drawn on a white
    ground of its own, and no form fills anything white (nor a ground that large)."""
    import pypdfium2.raw as pdfium_c

    boxes: list[Box] = []
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    mode, stroke = ctypes.c_int(), ctypes.c_int()
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=1):
        pdfium_c.FPDFPath_GetDrawMode(obj.raw, mode, stroke)
        pdfium_c.FPDFPageObj_GetFillColor(obj.raw, r, g, b, a)
        if mode.value == 0 or (r.value, g.value, b.value, a.value) != (255, 255, 255, 255):
            continue
        box = _path_box(obj, height)
        if box is not None and box[2] - box[0] >= DRAWING and box[3] - box[1] >= DRAWING:
            boxes.append(box)
    return boxes


def _path_box(obj: Any, height: float) -> Box | None:
    edges = _path_edges(obj, height)
    if not edges:
        return None
    return (
        min(e["x0"] for e in edges),
        min(e["top"] for e in edges),
        max(e["x1"] for e in edges),
        max(e["bottom"] for e in edges),
    )


def _tables(page: Any, height: float) -> tuple[list[list[Box]], list[float]]:
    """The ruled tables of the page, each as its cells' boxes, found by pdfplumber's table
    finder in the straight rules the page draws; and the height of every horizontal rule."""
    import pypdfium2.raw as pdfium_c
    from pdfplumber.table import (
        cells_to_tables,
        edges_to_intersections,
        intersections_to_cells,
        merge_edges,
    )

    edges = []
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=15):
        edges += _path_edges(obj, height)
    rules = [float(e["top"]) for e in edges if e["orientation"] == "h"]
    if not edges:
        return [], rules
    edges += _open_ends(edges)
    merged = [
        e
        for e in merge_edges(edges, 3, 3, 3, 3)
        if (e["height"] if e["orientation"] == "v" else e["width"]) >= 3
    ]
    cells = intersections_to_cells(edges_to_intersections(merged, 3, 3))
    tables = [[_box(cell) for cell in table] for table in cells_to_tables(cells)]
    return tables, rules


def _open_ends(edges: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rules that close a table where a row runs on to the next page: there the column rules
    stop at the page's end with no rule across them."""
    verticals = [e for e in edges if e["orientation"] == "v"]
    across = [e for e in edges if e["orientation"] == "h"]
    added = []
    for end in ("top", "bottom"):
        ordered = sorted(verticals, key=lambda e: e[end])
        for _, group in itertools.groupby(ordered, key=lambda e: round(e[end] / 2)):
            ends = list(group)
            if len(ends) < 2:
                continue
            y = ends[0][end]
            x0, x1 = min(e["x0"] for e in ends), max(e["x1"] for e in ends)
            if not any(
                abs(h["top"] - y) < 2 and h["x0"] <= x0 + 2 and h["x1"] >= x1 - 2 for h in across
            ):
                added.append(_edge("h", x0, y, x1, y))
    return added


def _path_edges(obj: Any, height: float) -> list[dict[str, Any]]:
    """The straight rules a path draws. WeasyPrint fills a border as the ring between two boxes
    (the border box and the padding box), so a side is drawn only where the two differ; a thin
    box or a stroked line is one rule; a larger box (a cell's background) is four."""
    import pypdfium2.raw as pdfium_c

    matrix = pdfium_c.FS_MATRIX()
    pdfium_c.FPDFPageObj_GetMatrix(obj, matrix)
    x, y = ctypes.c_float(), ctypes.c_float()
    subpaths: list[list[tuple[float, float]]] = []
    for index in range(pdfium_c.FPDFPath_CountSegments(obj)):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj, index)
        pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
        point = (
            matrix.a * x.value + matrix.c * y.value + matrix.e,
            height - (matrix.b * x.value + matrix.d * y.value + matrix.f),
        )
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO or not subpaths:
            subpaths.append([point])
        elif kind == pdfium_c.FPDF_SEGMENT_LINETO:
            subpaths[-1].append(point)
        else:
            return []  # a curve is no rule of a table
    boxes = [_corners(points) for points in subpaths]
    rings = [box for box in boxes if box is not None]
    if len(boxes) == 2 and len(rings) == 2:
        return _ring(*sorted(rings, key=_area, reverse=True))
    edges = []
    for points, box in zip(subpaths, boxes, strict=True):
        if box is None:
            for (ax, ay), (bx, by) in itertools.pairwise(points):
                if abs(ay - by) < 0.1 and abs(ax - bx) > RULE:
                    edges.append(_edge("h", min(ax, bx), ay, max(ax, bx), ay))
                elif abs(ax - bx) < 0.1 and abs(ay - by) > RULE:
                    edges.append(_edge("v", ax, min(ay, by), ax, max(ay, by)))
            continue
        left, top, right, bottom = box
        wide, tall = right - left > RULE, bottom - top > RULE
        if tall and not wide:
            edges.append(_edge("v", (left + right) / 2, top, (left + right) / 2, bottom))
        elif wide and not tall:
            edges.append(_edge("h", left, (top + bottom) / 2, right, (top + bottom) / 2))
        elif wide and tall:
            edges += [
                _edge("h", left, top, right, top),
                _edge("h", left, bottom, right, bottom),
                _edge("v", left, top, left, bottom),
                _edge("v", right, top, right, bottom),
            ]
    return edges


def _ring(outer: Box, inner: Box) -> list[dict[str, Any]]:
    """The sides drawn by filling `outer` less `inner`: where the two differ."""
    ox0, otop, ox1, obottom = outer
    ix0, itop, ix1, ibottom = inner
    sides = []
    if itop - otop > 0.1:
        sides.append(_edge("h", ox0, (otop + itop) / 2, ox1, 0))
    if obottom - ibottom > 0.1:
        sides.append(_edge("h", ox0, (ibottom + obottom) / 2, ox1, 0))
    if ix0 - ox0 > 0.1:
        sides.append(_edge("v", (ox0 + ix0) / 2, otop, 0, obottom))
    if ox1 - ix1 > 0.1:
        sides.append(_edge("v", (ix1 + ox1) / 2, otop, 0, obottom))
    return sides


def _corners(points: list[tuple[float, float]]) -> Box | None:
    """The box a closed axis-aligned four-cornered subpath draws, or None."""
    corners = points[:-1] if len(points) == 5 and points[0] == points[-1] else points
    if len(corners) != 4:
        return None
    xs, ys = {round(p[0], 2) for p in corners}, {round(p[1], 2) for p in corners}
    if len(xs) > 2 or len(ys) > 2:
        return None
    return (min(xs), min(ys), max(xs), max(ys))


def _edge(orientation: str, x0: float, top: float, x1: float, bottom: float) -> dict[str, Any]:
    """An edge as pdfplumber's table finder takes it: a horizontal one at `top` from x0 to x1,
    a vertical one at x0 from top to bottom (the other coordinate is ignored)."""
    if orientation == "h":
        x1, bottom = max(x1, x0), top
    else:
        x1, bottom = x0, max(bottom, top)
    return {
        "object_type": "line",
        "orientation": orientation,
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "width": x1 - x0,
        "height": bottom - top,
    }


def _box(values: Sequence[Any]) -> Box:
    return (float(values[0]), float(values[1]), float(values[2]), float(values[3]))


def _union(boxes: Sequence[Box]) -> Box:
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _touches_rule(char: Char, box: Box) -> bool:
    """The character reaches its cell's left or right rule: every cell has padding, so only
    text kept whole and too wide for its column gets there (or runs on past it)."""
    return bool(char["x0"] < box[0] + 0.8 or char["x1"] > box[2] - 0.8)


def _run_of(char: Char, chars: list[Char]) -> str:
    """The unbroken run of text on `char`'s baseline that `char` is part of, across cells."""
    row = sorted(
        (c for c in chars if abs(c["baseline"] - char["baseline"]) < 0.3 * char["size"]),
        key=lambda c: c["x0"],
    )
    start = end = row.index(char)
    while start > 0 and row[start]["x0"] - row[start - 1]["x1"] < 0.3 * char["size"]:
        start -= 1
    while end + 1 < len(row) and row[end + 1]["x0"] - row[end]["x1"] < 0.3 * char["size"]:
        end += 1
    return "".join(c["text"] for c in row[start : end + 1]).strip()


def _within_box(inner: Box, outer: Box) -> bool:
    return (
        inner[0] >= outer[0] - 1
        and inner[1] >= outer[1] - 1
        and inner[2] <= outer[2] + 1
        and inner[3] <= outer[3] + 1
    )


def _area(box: Box) -> float:
    return (box[2] - box[0]) * (box[3] - box[1])


def _within(x: float, y: float, box: Box) -> bool:
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _drop_running_heads(pages: list[Page]) -> None:
    """A line repeated at the same place at the top of several pages is a running head."""
    if len(pages) < 2:
        return

    def key(page: Page) -> tuple[str, int, int] | None:
        first = page.items[0] if page.items else None
        if not isinstance(first, Row):
            return None
        return (first.first.text, round(first.first.x0), round(first.top))

    firsts = [key(page) for page in pages]
    for page, first in zip(pages, firsts, strict=True):
        if first is not None and firsts.count(first) >= max(2, len(pages) // 2):
            page.items.pop(0)
