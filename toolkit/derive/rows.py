"""The documents of a `row` form (one per record of its sheet) and of a `station_period` form
(one register per station and period), planned from the records in a stable order. A context is
plain data, so it pickles to worker processes and hashes stably for the manifest; rendering never
sees a cell, reading never sees a template.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from .. import contract
from ..forms import FormDef
from ..model import Dataset, Document, Period, PlanEnv, Record
from ..records import Records, RowStore
from ..rules import Rules
from .fields import (
    deputy_fields,
    fill_pattern,
    period_label,
    record_date,
    record_fields,
    station_fields,
)
from .figures import ReceptionTotals

GROUP_CHUNK = 200  # records of one register kept in memory while the others are planned
ORDER_WINDOW = 2000  # records of a register held at once while they are put in date order


def _common(form: FormDef, today: dt.date) -> dict[str, Any]:
    return {"表单名称": form.title}


def selected(form: FormDef, record: Record, rules: Rules) -> bool:
    """A record the form applies to (`when: [handed_on]`: only the matters handed on)."""
    return "handed_on" not in form.when or record["处理方式"] in rules.handed_on


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
        yield from _station_period_documents(form, data, records, period, today, rules, env)


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
    env: PlanEnv,
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
        rows = RowStore(spill_at=GROUP_CHUNK, chunk=GROUP_CHUNK, folder=env.rows_dir)
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
