"""Deriving: validated records → the documents to make, each with its template context.

A context is plain data (strings, numbers, lists, dicts) so it pickles to worker processes and
hashes stably for the manifest. Field names are the workbook's column names (DESIGN §4); values
are display strings (dates as 2024年3月5日, name lists joined with 、), and unknown columns appear
under their normalised header names. Rendering never sees a cell; reading never sees a template.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import chinese, contract
from .figures import ReceptionTotals
from .forms import FormDef
from .records import Records, RowStore
from .rules import Rules
from .validate import Dataset, Record

GROUP_CHUNK = 200  # records of one register kept in memory while the others are planned
ORDER_WINDOW = 2000  # records of a register held at once while they are put in date order


@dataclass(frozen=True)
class Period:
    start: dt.date | None = None
    end: dt.date | None = None

    def contains(self, date: dt.date | None) -> bool:
        if not self.bounded:
            return True
        if date is None:
            return False
        return (self.start is None or date >= self.start) and (self.end is None or date <= self.end)

    @property
    def bounded(self) -> bool:
        return self.start is not None or self.end is not None


@dataclass(frozen=True)
class PlanEnv:
    """What every planner may consult besides the records: the run's settings."""

    rules: Rules
    period: Period = Period()
    today: dt.date = field(default_factory=dt.date.today)
    scoring: Any = None  # ScoringRules, loaded only when a scoring form is built
    duty_rules: Any = None  # DutyRules (述职评议等次); None: the default file
    year: int | None = None  # --year: the scoring year when no period says it
    quarter: int | None = None  # --quarter: the 公示 covers 1 January to the quarter's end
    copies: int = 1  # --copies: ballots per meeting or deputy in one file
    texts: Path | None = None  # --texts: the deputies' own words for duty reports
    as_of: dt.date | None = None  # --as-of: the date overdue flags are judged on
    proposals: Path | None = None  # --proposals: a folder of proposal drafts
    combined: bool = False  # --combined: one print-ready file per meeting as well


@dataclass
class Document:
    form: FormDef
    name_parts: list[str]  # filled filename pattern, before the title and the extension
    context: dict[str, Any]
    sources: list[tuple[str, int, str]]  # (sheet, row, row digest)

    def input_hash(self, fmt: str, form_digest: str = "") -> str:
        h = hashlib.sha256((form_digest or self.form.digest(fmt)).encode())
        text = json.dumps(self.context, ensure_ascii=False, sort_keys=True, default=_hashable)
        h.update(text.encode())
        return h.hexdigest()


def _hashable(value: Any) -> Any:
    """What stands for a value JSON cannot hold in a document's input hash: a register's rows on
    disk by the hash of their content (never their repr, which names only the count)."""
    if isinstance(value, RowStore):
        return {"rows": len(value), "sha256": value.content_hash()}
    return str(value)


def record_date(record: Record) -> dt.date | None:
    spec = contract.SHEETS_BY_NAME[record.sheet]
    for column in spec.columns:
        if column.kind == contract.DATE and column.required:
            value = record[column.name]
            return value if isinstance(value, dt.date) else None
    return None


def record_fields(record: Record) -> dict[str, Any]:
    """A record as template fields: every contract column (blank → ""), then its extra columns."""
    fields: dict[str, Any] = {}
    for column in contract.SHEETS_BY_NAME[record.sheet].columns:
        fields[column.field] = chinese.display(record.values.get(column.name))
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


_INDEXES: dict[int, tuple[Dataset, _Index]] = {}


def _index(data: Dataset) -> _Index:
    """Look-ups by station name and roster row, built once per dataset."""
    found = _INDEXES.get(id(data))
    if found is None or found[0] is not data:
        index = _Index(
            {r["站点名称"]: r for r in data.rows("联络站")},
            {r.row: r for r in data.rows("代表名册")},
            {},
            {},
        )
        _INDEXES.clear()
        _INDEXES[id(data)] = (data, index)
        return index
    return found[1]


def level_title(level: str | None) -> str:
    return {
        "全国": "全国人大代表",
        "省": "省人大代表",
        "市": "市人大代表",
        "县": "县（区）人大代表",
        "乡镇": "乡镇人大代表",
    }.get(level or "", level or "")


def _common(form: FormDef, today: dt.date) -> dict[str, Any]:
    return {"表单名称": form.title}


def _filename_value(value: Any) -> str:
    if isinstance(value, dt.date):
        return f"{value.year}-{value.month}-{value.day}"
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


def selected(form: FormDef, record: Record, rules: Rules) -> bool:
    if form.select == "handed_on":
        return record["处理方式"] in rules.handed_on
    return True


def count_records(form: FormDef, data: Dataset, env: PlanEnv) -> int:
    """How many documents `plan_records` will yield, without building their contexts."""
    records = _chosen(form, data, env)
    if form.per == "row":
        return sum(1 for _ in records)
    period = env.period
    return len({(r["联络站"] or "", period_label(period, record_date(r))) for r in records})


def _chosen(form: FormDef, data: Dataset, env: PlanEnv) -> Iterator[Record]:
    """The form's records in sheet order, streamed: a big sheet is on disk (records.py)."""
    for r in data.rows(form.sheet):
        if selected(form, r, env.rules) and env.period.contains(record_date(r)):
            yield r


def plan_records(form: FormDef, data: Dataset, env: PlanEnv) -> Iterator[Document]:
    """The documents of a `row` or `station_period` form, in a stable order (sheet row order,
    then station)."""
    rules, period, today = env.rules, env.period, env.today
    records = _chosen(form, data, env)
    if form.per == "row":
        for record in records:
            yield _row_document(form, data, record, today)
    else:
        yield from _station_period_documents(form, data, records, period, today, rules)


def _row_document(form: FormDef, data: Dataset, record: Record, today: dt.date) -> Document:
    context = _common(form, today)
    context.update(record_fields(record))
    if "联络站" in contract.SHEETS_BY_NAME[record.sheet].by_name:
        context["站点"] = station_fields(data, record["联络站"] or "")
    people = [v for v in record.values.values() if isinstance(v, tuple)]
    context["代表"] = [deputy_fields(data, d) for group in people for d in group]
    context["行号"] = record.row
    parts = fill_pattern(form.filename, {**record.values, "行号": record.row})
    if len(parts) < len(form.filename.split("_")):
        # A blank 登记编号 would leave names that shift when rows are fixed; the row does not.
        parts.append(f"第{record.row}行")
    return Document(form, parts, context, [(record.title, record.row, record.digest)])


def _station_period_documents(
    form: FormDef,
    data: Dataset,
    records: Iterable[Record],
    period: Period,
    today: dt.date,
    rules: Rules,
) -> Iterator[Document]:
    # Each group goes to its own store (small chunks on disk when long), so only the register
    # being made holds its records in memory, not every station's at once.
    groups: dict[tuple[str, str], Records] = {}
    headers: dict[str, None] = {}
    for record in records:
        date = record_date(record)
        label = period_label(period, date)
        key = (record["联络站"] or "", label)
        if key not in groups:
            groups[key] = Records(spill_at=GROUP_CHUNK, chunk=GROUP_CHUNK)
        groups[key].append(record)
        headers.update(dict.fromkeys(record.extra))
    extras = list(headers)
    for (station, label), stored in sorted(groups.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        # Sorted by key, then read in that order (a chunk at a time when the sheet is in date
        # order, as it nearly always is): the register's records are never all in memory.
        order = sorted((record_date(r) or dt.date.min, r.row, i) for i, r in enumerate(stored))
        rows = RowStore(spill_at=GROUP_CHUNK, chunk=GROUP_CHUNK)
        figures = ReceptionTotals(rules.handed_on)
        sources = []
        number = 0
        for start in range(0, len(order), ORDER_WINDOW):
            # A window of the sorted order at a time, each chunk it touches read once: a sheet
            # kept in another order (by 登记编号) costs a few reads per window, not one per row.
            for record in stored.take([index for *_, index in order[start : start + ORDER_WINDOW]]):
                number += 1
                rows.append(dict(record_fields(record), 序号=number, 行号=record.row))
                figures.add(record)
                sources.append((record.title, record.row, record.digest))
        del groups[(station, label)], stored, order
        context = _common(form, today)
        context["站点"] = station_fields(data, station)
        context["联络站"] = station
        context["期间"] = label
        context["记录"] = rows if rows.spilled else list(rows)
        context["统计"] = figures.counts
        context["附加列"] = [contract.field_name(h) for h in extras]
        parts = fill_pattern(form.filename, {"联络站": station, "期间": label})
        yield Document(form, parts, context, sources)


def period_label(period: Period, date: dt.date | None) -> str:
    if period.start and period.end:
        return f"{chinese.cn_date(period.start)}至{chinese.cn_date(period.end)}"
    if period.start:
        return f"{chinese.cn_date(period.start)}起"
    if period.end:
        return f"截至{chinese.cn_date(period.end)}"
    return f"{date.year}年" if date else "未注明日期"
