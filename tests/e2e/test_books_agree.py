"""The books of the bundled sample agree with its rows and with each other (issue 15): every
matter of each station's 交办督办簿 (xlsx) has the state a count made here gives it as of the
build's --as-of — the rules written out again in this file, not the toolkit's code —, the units'
totals add up, each 逾期未办结 matter has its 督办单 and no other does, and the 办理反馈簿 lists
exactly the closed ones. Read from the session's build of the sample (no build of its own)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

from conftest import SampleBuild
from toolkit.paths import FORMS_DIR, SAMPLE_WORKBOOK

pytestmark = pytest.mark.e2e
AS_OF = dt.date(2024, 12, 20)  # the session build's --as-of
HANDED_ON = {
    r["名称"]
    for r in yaml.safe_load((FORMS_DIR / "rules" / "reception.yaml").read_text("utf-8"))["处理方式"]
    if r.get("交办")
}


def _day(value: Any) -> dt.date | None:
    return value.date() if isinstance(value, dt.datetime) else value


def _rows(ws: Any, header_row: int) -> list[dict[str, Any]]:
    rows = list(ws.iter_rows(values_only=True))
    header = rows[header_row - 1]
    # a read-only sheet's rows stop at their last filled cell: the rest is None
    width = len(header)
    return [
        dict(zip(header, (*r, *[None] * (width - len(r))), strict=True))
        for r in rows[header_row:]
        if any(r)
    ]


def expected_states() -> dict[str, tuple[str, str, int]]:
    """登记编号 → (station, state, days over), counted by hand (every 办理时限 of the sample is a
    date)."""
    book = openpyxl.load_workbook(SAMPLE_WORKBOOK, read_only=True)
    found = {}
    for r in _rows(book["接待登记"], 1):
        received, due, answered = _day(r["接待日期"]), _day(r["办理时限"]), _day(r["反馈日期"])
        if r["处理方式"] not in HANDED_ON or received > AS_OF:
            continue
        if (r["办理结果"] or answered) and (answered is None or answered <= AS_OF):
            late = answered is not None and answered > due
            state = ("办结逾期", (answered - due).days) if late else ("已办结", 0)
        elif AS_OF > due:
            state = ("逾期未办结", (AS_OF - due).days)
        else:
            state = ("办理中", 0)
        found[r["登记编号"]] = (r["联络站"], *state)
    return found


def test_the_handoff_registers_states_and_totals_are_the_rows(sample_build: SampleBuild) -> None:
    out = sample_build.out
    expected = expected_states()
    assert Counter(s for _, s, _ in expected.values()).keys() >= {
        "已办结",
        "办结逾期",
        "逾期未办结",
    }
    seen: dict[str, tuple[str, str, int]] = {}
    for path in sorted((out / "群众意见建议交办督办簿").glob("*.xlsx")):
        units, matters = openpyxl.load_workbook(path).worksheets
        station = path.stem.split("_")[1]
        rows = _rows(matters, 3)
        for r in rows:
            seen[r["登记编号"]] = (station, r["办理状态"], r["超期天数"])
        totals = _rows(units, 3)
        whole = totals[-1]
        assert whole["承办单位"] == "合计"
        states = Counter(r["办理状态"] for r in rows)
        assert whole["交办件数"] == len(rows) == sum(t["交办件数"] for t in totals[:-1])
        assert (whole["按期办结"], whole["逾期办结"]) == (states["已办结"], states["办结逾期"])
        assert (whole["正在办理"], whole["逾期未办结"]) == (states["办理中"], states["逾期未办结"])
    assert seen == expected


def test_each_overdue_matter_has_its_notice_and_the_feedback_book_its_closed_ones(
    sample_build: SampleBuild,
) -> None:
    out = sample_build.out
    expected = expected_states()
    overdue = {code for code, (_, state, _) in expected.items() if state == "逾期未办结"}
    notices = {p.stem.rsplit("_", 1)[1] for p in (out / "群众意见建议督办单").glob("*.docx")}
    assert notices == overdue
    assert {p.stem.rsplit("_", 1)[1] for p in (out / "群众意见建议督办单").glob("*.pdf")} == overdue
    closed = {code for code, (_, state, _) in expected.items() if state in ("已办结", "办结逾期")}
    listed = set()
    for path in (out / "办理反馈簿").glob("*.xlsx"):
        listed |= {r["登记编号"] for r in _rows(openpyxl.load_workbook(path).active, 3)}
    assert listed == closed


def test_every_deputy_has_a_file_in_both_formats(sample_build: SampleBuild) -> None:
    book = openpyxl.load_workbook(SAMPLE_WORKBOOK, read_only=True)
    roster = {r["姓名"] for r in _rows(book["代表名册"], 1)}
    folder: Path = sample_build.out / "代表履职档案"
    for suffix in ("docx", "pdf"):
        assert {p.stem.rsplit("_", 1)[1] for p in folder.glob(f"*.{suffix}")} == roster
