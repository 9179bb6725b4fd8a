"""What every document's context is made of: a record's columns as typed template fields, a
station's and a deputy's fields (from the dataset's index, made once), the period's label and the
filled file-name pattern. Field names are the workbook's column names (DESIGN §4); values are
typed (chinese.typed): a date is a `Date` that prints 2024年3月5日, a count an int, a name list
`Names` that prints 王伟、李娜; blanks are "", and unknown columns appear as text under their
normalised header names.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from .. import chinese, contract
from ..model import Dataset, Period, Record


def record_date(record: Record) -> dt.date | None:
    spec = contract.SHEETS_BY_NAME[record.sheet]
    for column in spec.columns:
        if column.kind == contract.DATE and column.required:
            value = record[column.name]
            return value if isinstance(value, dt.date) else None
    return None


def record_fields(record: Record) -> dict[str, Any]:
    """A record as template fields: every contract column, typed (blank → ""), then its extra
    columns as text."""
    fields: dict[str, Any] = {}
    for column in contract.SHEETS_BY_NAME[record.sheet].columns:
        fields[column.field] = chinese.typed(record.values.get(column.name))
    for header, text in record.extra.items():
        fields.setdefault(contract.field_name(header), text)
    return fields


def station_fields(data: Dataset, name: str) -> dict[str, Any]:
    """A station's fields, made once per station (not once per reception) and copied out."""
    index = _index(data)
    fields = index.station_fields.get(name)
    if fields is None:
        record = index.stations.get(name)
        fields = (
            record_fields(record)
            if record is not None
            else {
                contract.field_name(c.name): (name if c.name == "站点名称" else "")
                for c in contract.SHEETS_BY_NAME["联络站"].columns
            }
        )
        index.station_fields[name] = fields
    return dict(fields)


def roster_row(data: Dataset, row: int) -> Record | None:
    """The 代表名册 record of a roster row number, from the dataset's index."""
    return _index(data).roster_rows.get(row)


def deputy_fields(data: Dataset, display: str) -> dict[str, Any]:
    index = _index(data)
    cached = index.deputies.get(display)
    if cached is not None:
        return dict(cached)
    deputy = data.roster.by_display.get(display)
    record = index.roster_rows.get(deputy.row) if deputy is not None else None
    if deputy is None or record is None:
        return {"姓名": display}
    fields = record_fields(record)
    fields["姓名"] = deputy.display
    fields["代表层级"] = level_title(record["代表层级"])
    index.deputies[display] = fields
    return dict(fields)


@dataclass
class _Index:
    stations: dict[str, Record]
    roster_rows: dict[int, Record]
    deputies: dict[str, dict[str, Any]]
    station_fields: dict[str, dict[str, Any]]


def _index(data: Dataset) -> _Index:
    """Look-ups by station name and roster row, built once per dataset."""

    def make() -> _Index:
        stations = {r["站点名称"]: r for r in data.rows("联络站")}
        return _Index(stations, {r.row: r for r in data.rows("代表名册")}, {}, {})

    return data.cached("fields", make, ("联络站", "代表名册"))


def level_title(level: str | None) -> str:
    return {
        "全国": "全国人大代表",
        "省": "省人大代表",
        "市": "市人大代表",
        "县": "县（区）人大代表",
        "乡镇": "乡镇人大代表",
    }.get(level or "", level or "")


def _filename_value(value: Any) -> str:
    if isinstance(value, dt.date):
        # Zero-padded (2024-03-05): a folder listed by name is then listed by date.
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    return chinese.display(value)


_FIELD = re.compile(r"\{([^{}]+)\}")


def fill_pattern(pattern: str, values: dict[str, Any]) -> list[str]:
    """'{接待日期}_{联络站}' → the filled parts; a part with a blank or unknown field is dropped."""
    parts = []
    for piece in pattern.split("_"):
        missing = False

        def value(match: re.Match[str]) -> str:
            nonlocal missing
            text = _filename_value(values.get(match.group(1)))
            missing = missing or not text
            return text

        text = _FIELD.sub(value, piece)
        if text.strip() and not missing:
            parts.append(text)
    return parts


def period_label(period: Period, date: dt.date | None) -> str:
    if period.start and period.end:
        return f"{chinese.cn_date(period.start)}至{chinese.cn_date(period.end)}"
    if period.start:
        return f"{chinese.cn_date(period.start)}起"
    if period.end:
        return f"截至{chinese.cn_date(period.end)}"
    return f"{date.year}年" if date else "未注明日期"
