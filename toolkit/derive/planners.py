"""Which planner makes the documents of a form: by its family and what one document is made from
(`family` and `per` in form.yaml, forms.py's vocabulary).

A planner turns validated records into `Document`s (model.py). `row` and `station_period` forms
of any family are planned from their sheet's records; the other kinds are planned by the family
that knows them (a 考核表 by the scores, a 述职报告 by the deputy's year). The build loop never
needs to know how a family groups its records, and no form is named here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..errors import TemplateError
from ..forms import FormDef
from ..model import Dataset, Document, PlanEnv
from . import books, duty, evaluation, meetings, proposals, rows, schedule, statistics, summary


@dataclass(frozen=True)
class Planner:
    plan: Callable[[FormDef, Dataset, PlanEnv], Iterator[Document]]
    count: Callable[[FormDef, Dataset, PlanEnv], int]


GENERIC = ""  # any family
PLANNERS: dict[tuple[str, str], Planner] = {
    (GENERIC, "row"): Planner(rows.plan_records, rows.count_records),
    (GENERIC, "station_period"): Planner(rows.plan_records, rows.count_records),
    ("evaluation", "deputy_year"): Planner(evaluation.plan_sheets, evaluation.count_sheets),
    ("evaluation", "station_period"): Planner(evaluation.plan_boards, evaluation.count_boards),
    ("meetings", "meeting"): Planner(meetings.plan_meetings, meetings.count_meetings),
    ("duty", "deputy_year"): Planner(duty.plan_reports, duty.count_reports),
    ("duty", "sitting"): Planner(duty.plan_ballots, duty.count_ballots),
    ("duty", "period"): Planner(duty.plan_tallies, duty.count_tallies),
    ("proposals", "proposal"): Planner(proposals.plan_proposals, proposals.count_proposals),
    ("proposals", "period"): Planner(proposals.plan_registers, proposals.count_registers),
    ("books", "row"): Planner(books.plan_notices, books.count_notices),
    ("books", "station_period"): Planner(books.plan_books, books.count_books),
    ("books", "deputy_year"): Planner(books.plan_files, books.count_files),
    ("statistics", "station_period"): Planner(
        statistics.plan_statistics, statistics.count_statistics
    ),
    ("summary", "station_period"): Planner(summary.plan_summaries, summary.count_summaries),
    ("plan", "station_period"): Planner(schedule.plan_schedules, schedule.count_schedules),
    ("plan", "station_month"): Planner(schedule.plan_notices, schedule.count_notices),
}


def planner_for(form: FormDef) -> Planner:
    found = PLANNERS.get((form.family, form.per)) or PLANNERS.get((GENERIC, form.per))
    if found is None:
        families = "、".join(f for f, per in PLANNERS if per == form.per and f) or "（无）"
        raise TemplateError(
            f"per“{form.per}”的表单要写明 family（可用：{families}）",
            where=str(form.folder / "form.yaml"),
        )
    return found


def plan(form: FormDef, data: Dataset, env: PlanEnv) -> Iterator[Document]:
    return planner_for(form).plan(form, data, env)


def count(form: FormDef, data: Dataset, env: PlanEnv) -> int:
    return planner_for(form).count(form, data, env)
