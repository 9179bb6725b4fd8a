"""Charts (render/charts.py) in each format of 联络站工作统计: native Excel charts beside the
tables, their series the table's cells; vector drawings with their labels as text in the PDF;
print-resolution pictures in Word; nothing from a cell ever typeset or executed."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import openpyxl
import pytest

from conftest import DEPUTIES, STATION, STATIONS, pdf_text, reception, write_workbook
from conftest import RECEPTION_HEADER as HEADER
from toolkit.commands.build import check
from toolkit.derive.planners import plan
from toolkit.forms import load_forms
from toolkit.model import PlanEnv
from toolkit.paths import FORMS_DIR
from toolkit.render import charts
from toolkit.render.registry import Renderers
from toolkit.rules import load_calendar, load_rules


@pytest.fixture(scope="module")
def document(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The statistics of one station with a few receptions of three categories."""
    rows = [
        reception(code=f"JD-{i}", date=f"2024-{month}-15")
        for i, month in enumerate((1, 1, 3, 5, 5, 5), start=1)
    ]
    rows[2][9] = "环境卫生"
    book = write_workbook(
        tmp_path_factory.mktemp("charts") / "台账.xlsx",
        {"联络站": STATIONS[:2], "代表名册": DEPUTIES[:4], "接待登记": [HEADER, *rows]},
    )
    data = check(book, pdf=False)
    env = PlanEnv(load_rules(), calendar=load_calendar())
    (doc,) = [
        d for d in plan(load_forms()["station_stats"], data, env) if d.context["联络站"] == STATION
    ]
    return doc


@pytest.fixture(scope="module")
def rendered(document: Any) -> dict[str, bytes]:
    renderers = Renderers()
    out = {}
    for fmt in ("xlsx", "pdf", "docx"):
        stream = io.BytesIO()
        renderers.get(str(FORMS_DIR), "station_stats", fmt).render(document.context, stream)
        out[fmt] = stream.getvalue()
    return out


def test_excel_charts_are_native_and_plot_the_table_beside_them(document, rendered):
    book = openpyxl.load_workbook(io.BytesIO(rendered["xlsx"]))
    ws = book["按月"]
    (months, handling) = ws._charts
    rows = document.context["按月"]
    last = 3 + len(rows)
    refs = [s.val.numRef.f for s in months.series]
    assert refs == [f"'按月'!$C$4:$C${last}", f"'按月'!$D$4:$D${last}"]  # 接待人次, 收集意见
    cats = months.series[0].cat.strRef.f if months.series[0].cat.strRef else ""
    cats = cats or months.series[0].cat.numRef.f
    assert cats == f"'按月'!$A$4:$A${last}"
    assert [s.tx.strRef.f for s in months.series] == ["'按月'!$C$3", "'按月'!$D$3"]
    assert handling.grouping == "stacked" and len(handling.series) == 4
    # The cells the chart plots hold the table's numbers.
    cells = [ws.cell(row=r, column=3).value for r in range(4, last + 1)]
    assert cells == [r["接待人次"] for r in rows]
    assert ws._charts[0].anchor._from.col >= 8  # to the right of the 8-column table
    assert len(book["问题类别"]._charts) == 1 and len(book["代表参与"]._charts) == 1
    assert "各站排名" not in book.sheetnames  # the ranking is the all-stations document's


def test_pdf_charts_are_vector_drawings_with_text_labels(document, rendered, tmp_path):
    path = tmp_path / "统计.pdf"
    path.write_bytes(rendered["pdf"])
    text = pdf_text(path)
    for label in ("各月接待选民情况", "意见建议的问题类别", "接待人次", "环境卫生", "5月"):
        assert label in text
    from pypdf import PdfReader

    reader = PdfReader(path)
    assert not any(
        "/Image" in str(p.get("/Resources", {}).get("/XObject", {})) for p in reader.pages
    )
    content = b"".join(p.get_contents().get_data() for p in reader.pages)
    assert content.count(b" re") + content.count(b" l\n") > 50  # bars and axes are paths


def test_word_charts_are_pictures_at_print_resolution(document, rendered):
    with zipfile.ZipFile(io.BytesIO(rendered["docx"])) as archive:
        body = archive.read("word/document.xml").decode()
        media = [n for n in archive.namelist() if n.startswith("word/media/")]
        images = {n: archive.read(n) for n in media}
    shown = re.findall(r'descr="图表\.([^"]+)"', body)
    assert set(shown) == set(document.context["图表"]) - {"站点"}
    drawn = [data for data in images.values() if len(data) > 1000]
    assert len(drawn) == len(shown)
    widths = {int(cx) for cx in re.findall(r'<wp:extent cx="(\d+)"', body)}
    assert len(widths) == 1  # every chart as wide as the others (92% of the text)
    inches = widths.pop() / 914400
    assert inches > 5.5
    for data in drawn:
        width = int.from_bytes(data[16:20], "big")
        assert width >= inches * 299  # 300 dpi across the picture's width


def test_the_svg_keeps_text_as_text():
    spec = {"类型": "柱状", "数据": "t", "分类": "k", "系列": ["v"], "标题": "示例"}
    svg = charts.svg(spec, {"t": [{"k": "一月", "v": 3}, {"k": "二月", "v": 0}]})
    assert svg.startswith("<svg") and "<text" in svg and ">一月<" in svg
    assert charts.FONT_FAMILY in svg and "<metadata>" not in svg
    assert svg == charts.svg(spec, {"t": [{"k": "一月", "v": 3}, {"k": "二月", "v": 0}]})


def test_a_cell_in_a_chart_is_printed_as_written():
    """A station named like markup or TeX: escaped in the SVG, never typeset as math."""
    spec = {"类型": "条形", "数据": "t", "分类": "k", "系列": ["v"]}
    svg = charts.svg(spec, {"t": [{"k": "<b>&$x^2$</b>", "v": 1}]})
    assert ">&lt;b&gt;&amp;$x^2$&lt;/b&gt;<" in svg and "<b>" not in svg


def test_the_excel_stations_chart_plots_the_first_rows_as_the_pdf_does():
    """`最多` (the all-stations chart's first 12 stations) holds in Excel too: its series and
    categories end at the 12th row of the ranking, though the table goes on."""
    ws = openpyxl.Workbook().active
    ws.append(["联络站", "接待人次"])
    for n in range(1, 31):
        ws.append([f"第{n}站", 100 - n])
    spec = {"类型": "条形", "数据": "排名", "分类": "联络站", "系列": ["接待人次"], "最多": 12}
    chart = charts.native_chart(spec, ws, {"联络站": 1, "接待人次": 2}, 1, 2, 31)
    (series,) = chart.series
    assert series.val.numRef.f.endswith("$B$2:$B$13")
    assert (
        series.cat.numRef.f.endswith("$A$2:$A$13")
        if series.cat.numRef
        else (series.cat.strRef.f.endswith("$A$2:$A$13"))
    )


def test_the_layout_checker_reads_no_chart_label_as_text(document, rendered, tmp_path):
    """A chart's labels sit side by side as no text does (“12” beside “10”), its bars and axes
    cross like a table's rules: toolkit.pagecheck leaves out what lies on a chart's white
    ground, and finds nothing in the statistics (it found a “broken” number per pair of
    labels, and legend text “over a table's rule”, before)."""
    from toolkit.pagecheck import check_pdf

    path = tmp_path / "统计.pdf"
    path.write_bytes(rendered["pdf"])
    assert check_pdf(path) == []
