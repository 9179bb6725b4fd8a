"""Which planner makes the documents of a form: one per value of `per` in form.yaml.

A planner turns validated records into `Document`s (derive.py); each form family adds its own
here, so the build loop never needs to know how a family groups its records.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from . import derive
from .derive import Document, PlanEnv
from .forms import FormDef
from .validate import Dataset


@dataclass(frozen=True)
class Planner:
    plan: Callable[[FormDef, Dataset, PlanEnv], Iterator[Document]]
    count: Callable[[FormDef, Dataset, PlanEnv], int]


PLANNERS: dict[str, Planner] = {
    "row": Planner(derive.plan_records, derive.count_records),
    "station_period": Planner(derive.plan_records, derive.count_records),
}


def plan(form: FormDef, data: Dataset, env: PlanEnv) -> Iterator[Document]:
    return PLANNERS[form.per].plan(form, data, env)


def count(form: FormDef, data: Dataset, env: PlanEnv) -> int:
    return PLANNERS[form.per].count(form, data, env)
