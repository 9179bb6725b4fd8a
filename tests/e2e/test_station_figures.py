"""One definition per figure, for a station's year: what 联络站工作统计 (xlsx, docx, pdf) and the
年度工作总结 (docx, pdf) print of each station of the bundled sample is read back out of every one
of them and must equal a count made here from the workbook's rows (rules written out again, not
the toolkit's); each deputy's 接待天数, 接待人次 and 收集意见 in the statistics must equal the
count and what the deputy's 述职报告 says (the same figure, printed by another form)."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import openpyxl
import pdfplumber
import pytest
import yaml

from conftest import SampleBuild, pdf_text, word_document
from toolkit.paths import FORMS_DIR, SAMPLE_WORKBOOK

pytestmark = pytest.mark.e2e
HANDED_ON = {
    r["名称"]
    for r in yaml.safe_load((FORMS_DIR / "rules" / "reception.yaml").read_text("utf-8"))["处理方式"]
    if r.get("交办")
}
SPLIT = re.compile(r"[、，,；;\s]+")
# figure → its label in the 总体情况 table (figures.py), and its unit in the summary's table
LABELS = {
    "days": ("开展接待选民活动", "天"),
    "visitors": ("接待选民", "人次"),
    "opinions": ("收集意见建议", "件"),
    "handed": ("交有关单位办理", "件"),
    "closed": ("已办结", "件"),
    "deputies": ("联系代表", "人"),
    "received": ("参加接待的代表", "人"),
}


def _rows(book: Any, name: str) -> list[dict[str, Any]]:
    rows = list(book[name].iter_rows(values_only=True))
    pad = (None,) * len(rows[0])
    return [dict(zip(rows[0], (r + pad)[: len(rows[0])], strict=True)) for r in rows[1:] if any(r)]


def _day(value: Any) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _names(cell: Any) -> set[str]:
    return {n for n in SPLIT.split(str(cell or "")) if n}


def hand_count() -> tuple[int, dict[str, dict[str, Any]]]:
    """The year; per station and per deputy the figures, counted from the rows."""
    book = openpyxl.load_workbook(SAMPLE_WORKBOOK, read_only=True)
    roster, meetings = _rows(book, "代表名册"), _rows(book, "会议")
    receptions, activities = _rows(book, "接待登记"), _rows(book, "履职活动")
    book.close()
    year = max(_day(r["接待日期"]).year for r in receptions)
    in_year = [r for r in receptions if _day(r["接待日期"]).year == year]
    days: dict[str, set[dt.date]] = defaultdict(set)  # station or deputy → days
    person: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    station: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in in_year:
        s, handed = station[r["联络站"]], r["处理方式"] in HANDED_ON
        days[r["联络站"]].add(_day(r["接待日期"]))
        s["visitors"] += r["来访人数"] or 1
        s["opinions"] += 1
        s["handed"] += handed
        s["closed"] += handed and bool(r["办理结果"] or r["反馈日期"])
        for name in _names(r["接待代表"]):
            days[name].add(_day(r["接待日期"]))
            person[name]["visitors"] += r["来访人数"] or 1
            person[name]["opinions"] += 1
    for m in meetings:
        if m["会议类型"] == "接待选民日" and _day(m["日期"]).year == year:
            days[m["联络站"]].add(_day(m["日期"]))
    for a in activities:
        if a["活动类型"] == "进站接待" and _day(a["活动日期"]).year == year:
            for name in _names(a["参加代表"]):
                days[name].add(_day(a["活动日期"]))
    for d in roster:
        person[d["姓名"]]["days"] = len(days[d["姓名"]])
        s = station[d["所属联络站"]]
        s["deputies"] += 1
        s["received"] += bool(days[d["姓名"]])
    for name, s in station.items():
        s["days"] = len(days[name])
    members = {
        s: {
            d["姓名"]: {k: person[d["姓名"]][k] for k in ("days", "visitors", "opinions")}
            for d in roster
            if d["所属联络站"] == s
        }
        for s in station
    }
    for s, figures in station.items():
        figures["members"] = members[s]  # type: ignore[assignment]
    return year, {k: dict(v) for k, v in station.items()}


def _overview_docx(path: Path) -> tuple[dict[str, int], dict[str, dict[str, int]]]:
    tables = word_document(path).tables
    overview = {r.cells[1].text: int(r.cells[2].text) for r in tables[0].rows[1:]
                if r.cells[2].text.isdigit()}  # fmt: skip
    (deputies,) = [t for t in tables if t.rows[0].cells[1].text == "姓名"]
    members = {
        r.cells[1].text: {
            "days": int(r.cells[3].text),
            "visitors": int(r.cells[4].text),
            "opinions": int(r.cells[5].text),
        }
        for r in deputies.rows[1:]
    }
    return overview, members


def _overview_pdf(path: Path) -> dict[str, int]:
    found = {}
    with pdfplumber.open(str(path)) as pdf:
        for table in pdf.pages[0].extract_tables():
            for row in table:
                if row and len(row) == 4 and (row[0] or "").isdigit() and (row[2] or "").isdigit():
                    found[(row[1] or "").replace("\n", "")] = int(row[2])
    return found


def _overview_xlsx(path: Path) -> dict[str, int]:
    ws = openpyxl.load_workbook(path)["总体情况"]
    return {
        str(r[1]): r[2]
        for r in ws.iter_rows(min_row=4, values_only=True)
        if isinstance(r[0], int) and isinstance(r[2], int)
    }


def _summary_docx(path: Path) -> dict[str, str]:
    table = word_document(path).tables[0]
    return {r.cells[1].text: r.cells[2].text for r in table.rows[1:]}


def _report_says(path: Path) -> dict[str, int]:
    """A 述职报告's own words for the deputy's reception figures (0 when it leaves one out)."""
    text = "".join(p.text for p in word_document(path).paragraphs)
    found = {}
    for key, pattern in (
        ("days", r"接待选民(\d+)次"),
        ("visitors", r"接待来访群众(\d+)人次"),
        ("opinions", r"收集意见建议(\d+)件"),
    ):
        hits = re.findall(pattern, text)
        found[key] = int(hits[0]) if hits else 0
    return found


def test_each_station_prints_the_same_figures_in_every_document(
    sample_build: SampleBuild,
) -> None:
    year, stations = hand_count()
    out = sample_build.out
    assert len(stations) == 3
    for name, counted in stations.items():
        members = counted.pop("members")
        want = {LABELS[k][0]: v for k, v in counted.items()}
        stats = out / "联络站工作统计" / f"联络站工作统计_{year}年度_{name}"
        overview, printed = _overview_docx(stats.with_suffix(".docx"))
        for got in (overview, _overview_pdf(stats.with_suffix(".pdf"))):
            assert {k: got[k] for k in want} == want, name
        assert {k: _overview_xlsx(stats.with_suffix(".xlsx"))[k] for k in want} == want, name
        summary = out / "年度工作总结" / f"年度工作总结_{year}年度_{name}"
        table = _summary_docx(summary.with_suffix(".docx"))
        assert {k: table[LABELS[f][0]] for f, k in zip(counted, want, strict=True)} == {
            LABELS[f][0]: f"{v}{LABELS[f][1]}" for f, v in counted.items()
        }, name
        words = re.sub(r"\s|—\d+—", "", pdf_text(summary.with_suffix(".pdf")))
        assert f"开展接待选民活动{counted['days']}天" in words
        assert f"接待选民{counted['visitors']}人次，收集意见建议{counted['opinions']}件" in words
        assert f"交有关单位办理{counted['handed']}件，已办结{counted['closed']}件" in words
        # each deputy: the statistics' row == the count == the deputy's 述职报告
        assert printed == members, name
        for deputy, figures in members.items():
            report = out / "代表述职报告" / f"代表述职报告_{year}年_{deputy}.docx"
            assert _report_says(report) == figures, deputy
