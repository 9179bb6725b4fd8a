"""Which planner makes the documents of a form: one per value of `per` in form.yaml.

A planner turns validated records into `Document`s (model.py); each form family adds its own
here, so the build loop never needs to know how a family groups its records.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ..forms import FormDef
from ..model import Dataset, Document, PlanEnv
from . import duty, evaluation, meetings, proposals, rows


@dataclass(frozen=True)
class Planner:
    plan: Callable[[FormDef, Dataset, PlanEnv], Iterator[Document]]
    count: Callable[[FormDef, Dataset, PlanEnv], int]
    # A form whose documents bind other forms' documents (--combined) renders them itself:
    # (template path, environment, name, format) → a renderer. None: the format's renderer.
    render: Callable[..., Any] | None = None


PLANNERS: dict[str, Planner] = {
    "row": Planner(rows.plan_records, rows.count_records),
    "station_period": Planner(rows.plan_records, rows.count_records),
    "deputy_year": Planner(evaluation.plan_sheets, evaluation.count_sheets),
    "station_score": Planner(evaluation.plan_boards, evaluation.count_boards),
    **{per: Planner(*fns) for per, fns in meetings.PLANS.items()},
    "meeting_pack": Planner(meetings.plan_pack, meetings.count_pack, meetings.pack_renderer),
    **{per: Planner(*fns) for per, fns in duty.PLANS.items()},
    **{per: Planner(*fns) for per, fns in proposals.PLANS.items()},
}


def plan(form: FormDef, data: Dataset, env: PlanEnv) -> Iterator[Document]:
    return PLANNERS[form.per].plan(form, data, env)


def count(form: FormDef, data: Dataset, env: PlanEnv) -> int:
    return PLANNERS[form.per].count(form, data, env)
