"""The proposal family (DESIGN §5, §6): 代表建议 / 代表议案 in the official layout, the
代表建议汇总表 with overdue flags, and the 代表建议办理情况意见反馈表 — planned from the checked
proposals of the 代表建议 sheet and of the drafts folder alike (validate/proposals.py).

- `proposal_suggestion` / `proposal_motion` (one per 建议 / 议案): a header block (编号, 类别,
  领衔代表 and 代表证号, 附议代表, 所属领域, 建议承办单位, date) and the parts headed 一、二、…,
  sub-headings （一） kept.
- `proposal_register` (one per year of 提出日期, or the --year / --from/--to period): a row per
  proposal with its reply due date and its state as of `--as-of` (default today).
- `proposal_feedback` (one per proposal with a reply): the deputy rates 办理态度 and 办理结果.

Reply due dates (DESIGN §6, months in forms/rules/proposals.yaml): 交办日期 plus 3 months, or 6
for a 复杂件, on the same day of the month (the month's last day when it has no such day:
30 November + 3 months is 28 or 29 February). A reply on the due date is in time; with no reply,
a proposal is overdue from the day after. "As of" a date, a reply or an assignment dated later has
not happened yet.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from .. import chinese, contract
from ..forms import FormDef
from ..model import Dataset, Document, PlanEnv
from ..read.drafts import SECTIONS
from ..rules.proposals import ProposalRules
from ..validate.proposals import Proposal, ProposalSet, proposal_date, proposal_set
from .fields import deputy_fields, fill_pattern, period_label

RESULT_TEXT = {
    "A": "已解决或基本解决",
    "B": "正在解决或列入计划解决",
    "C": "因条件限制以后解决",
    "D": "留作参考",
}
STATES = ("已答复", "办理中", "逾期答复", "逾期未答复", "未交办")
# A 议案 is decided by the congress's 主席团, not answered by a department: its own states, no
# reply deadline, no A–D class — unless it is handled as a 建议 (then it is tracked as one).
MOTION_PENDING = "待主席团决定"
MOTION_STATES = (MOTION_PENDING, *(s for s in contract.MOTION_STATES if s != "作为建议处理"))


def as_suggestion(proposal: Any) -> bool:
    """Handled as a 建议: every 建议, and a 议案 the 主席团 turned into one. An 议案 with an A–D
    class but no 议案处理情况 (a workbook from before that column) counts as one too; the checks
    warn about it."""
    if proposal["类别"] != "议案":
        return True
    state = proposal["议案处理情况"]
    return state == "作为建议处理" or (not state and bool(proposal["办理结果类别"]))


def outcome(proposal: Any) -> str:
    """What became of a proposal, as a report lists it: “办理结果：A类，已解决或基本解决”,
    “尚未答复”, or an 议案's state (“列入会议议程”)."""
    if not as_suggestion(proposal):
        return proposal["议案处理情况"] or MOTION_PENDING
    result = proposal["办理结果类别"] or ""
    prefix = "作为建议处理，" if proposal["类别"] == "议案" else ""
    if result in RESULT_TEXT:
        return f"{prefix}办理结果：{result}类，{RESULT_TEXT[result]}"
    return f"{prefix}尚未答复"


def add_months(date: dt.date, months: int) -> dt.date:
    year, month = divmod(date.month - 1 + months, 12)
    year, month = date.year + year, month + 1
    return dt.date(year, month, min(date.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Tracking:
    due: dt.date | None
    state: str  # one of STATES
    days_over: int = 0

    @property
    def overdue(self) -> bool:
        return self.state in ("逾期答复", "逾期未答复")

    @property
    def flag(self) -> str:
        if self.overdue:
            return f"{self.state}（超期{self.days_over}天）"
        return self.state


def tracking(proposal: Proposal, as_of: dt.date, rules: ProposalRules) -> Tracking:
    if not as_suggestion(proposal):
        return Tracking(None, proposal["议案处理情况"] or MOTION_PENDING)
    handed = proposal["交办日期"]
    if handed is None or handed > as_of:
        return Tracking(None, "未交办")
    months = rules.months["复杂件" if proposal["复杂件"] == "是" else "一般"]
    due = add_months(handed, months)
    replied = proposal["答复日期"]
    if replied is not None and replied <= as_of:
        if replied <= due:
            return Tracking(due, "已答复")
        return Tracking(due, "逾期答复", (replied - due).days)
    if as_of > due:
        return Tracking(due, "逾期未答复", (as_of - due).days)
    return Tracking(due, "办理中")


def _as_of(env: PlanEnv) -> dt.date:
    return env.as_of or env.today


def proposal_fields(data: Dataset, proposal: Proposal, track: Tracking | None = None) -> dict:
    """A proposal as template fields: display strings, names joined with 、."""
    lead = proposal["领衔代表"] or ""
    deputy = deputy_fields(data, lead) if lead else {}
    cosigners = list(proposal["附议代表"] or ())
    result = (proposal["办理结果类别"] or "") if as_suggestion(proposal) else ""
    fields: dict[str, Any] = {
        "编号": proposal.number,
        "建议编号": proposal["建议编号"] or "",
        "标题": proposal["标题"] or "",
        "类别": proposal.kind,
        "领衔代表": lead,
        "代表证号": proposal["代表证号"] or deputy.get("代表证号", ""),
        "代表层级": deputy.get("代表层级", ""),
        "工作单位及职务": deputy.get("工作单位及职务", ""),
        "附议代表": "、".join(cosigners),
        "附议人数": len(cosigners),
        "联名人数": len(cosigners) + (1 if lead else 0),
        "所属领域": proposal["所属领域"] or "",
        "建议承办单位": proposal["建议承办单位"] or "",
        "提出日期": chinese.cn_date(proposal["提出日期"]),
        "交办日期": chinese.cn_date(proposal["交办日期"]),
        "答复日期": chinese.cn_date(proposal["答复日期"]),
        "办理结果类别": result,
        "办理结果": f"{result} {RESULT_TEXT[result]}" if result in RESULT_TEXT else "",
        "办理情况": outcome(proposal),
        "议案处理情况": proposal["议案处理情况"] or "",
        "代表满意度": proposal["代表满意度"] or "",
        "复杂件": proposal["复杂件"] or "",
        "来源": proposal.label if proposal.is_draft else f"{proposal.label}!第{proposal.row}行",
    }
    if track is not None:
        fields.update(
            答复期限=chinese.cn_date(track.due),
            办理状态=track.flag,
            逾期="是" if track.overdue else "",
        )
    for header, text in proposal.extra.items():
        from ..contract import field_name

        fields.setdefault(field_name(header), text)
    return fields


def _in_period(env: PlanEnv, proposal: Proposal) -> bool:
    return env.period.contains(proposal_date(proposal))


def _chosen(data: Dataset, env: PlanEnv) -> tuple[ProposalSet, list[Proposal]]:
    found = proposal_set(data, env.proposals)
    return found, [p for p in found.proposals if _in_period(env, p)]


# ── 代表建议 / 代表议案 ──────────────────────────────────────────────────────────────────────


def body(proposal: Proposal) -> list[dict[str, Any]]:
    """The parts of the text, headed 一、二、… in the order the type requires."""
    parts = []
    for index, part in enumerate(SECTIONS[proposal.kind], start=1):
        paragraphs = [
            {"小标题": b.heading, "文字": b.text} for b in proposal.sections.get(part, [])
        ]
        parts.append({"标题": f"{chinese.cn_index(index)}{part}", "段落": paragraphs})
    return parts


# The conditions a proposal form names in its form.yaml (`when`).
CONDITIONS: dict[str, Callable[[Proposal], bool]] = {
    "has_text": lambda p: p.has_text,
    "kind_suggestion": lambda p: p.kind == "建议",
    "kind_motion": lambda p: p.kind == "议案",
    "replied": lambda p: replied(p),
}


def _proposals(form: FormDef, data: Dataset, env: PlanEnv) -> list[Proposal]:
    return [
        p
        for p in _chosen(data, env)[1]
        if all(CONDITIONS[c](p) for c in form.when if c in CONDITIONS)
    ]


def count_proposals(form: FormDef, data: Dataset, env: PlanEnv) -> int:
    return len(_proposals(form, data, env))


def plan_proposals(form: FormDef, data: Dataset, env: PlanEnv) -> Iterator[Document]:
    """One document per proposal the form applies to; `adds: [body]` prints its text."""
    for proposal in _proposals(form, data, env):
        fields = proposal_fields(data, proposal)
        context = {"表单名称": form.title, **fields}
        if "body" in form.adds:
            context["正文"] = body(proposal)
        parts = fill_pattern(form.filename, fields)
        yield Document(form, parts, context, [proposal.source])


# ── 代表建议汇总表 ───────────────────────────────────────────────────────────────────────────


def _register_groups(data: Dataset, env: PlanEnv) -> tuple[ProposalSet, dict[str, list[Proposal]]]:
    found, chosen = _chosen(data, env)
    groups: dict[str, list[Proposal]] = {}
    for proposal in chosen:
        label = f"{env.year}年" if env.year else period_label(env.period, proposal_date(proposal))
        groups.setdefault(label, []).append(proposal)
    return found, groups


def count_registers(form: FormDef, data: Dataset, env: PlanEnv) -> int:
    return len(_register_groups(data, env)[1])


def plan_registers(form: FormDef, data: Dataset, env: PlanEnv) -> Iterator[Document]:
    found, groups = _register_groups(data, env)
    as_of = _as_of(env)
    for label, group in sorted(groups.items()):
        rows = []
        states = {state: 0 for state in (*STATES, *MOTION_STATES)}
        for index, proposal in enumerate(group, start=1):
            track = tracking(proposal, as_of, found.rules)
            states[track.state] += 1
            rows.append({"序号": index, **proposal_fields(data, proposal, track)})
        context = {
            "表单名称": form.title,
            "期间": label,
            "截至": chinese.cn_date(as_of),
            "答复期限说明": (
                f"答复期限为交办之日起{found.rules.months['一般']}个月，"
                f"复杂件{found.rules.months['复杂件']}个月；到期当天答复不算逾期"
            ),
            "记录": rows,
            "统计": {
                "件数": len(rows),
                "建议": sum(1 for p in group if p.kind == "建议"),
                "议案": sum(1 for p in group if p.kind == "议案"),
                **states,
                **{k: sum(1 for p in group if p["办理结果类别"] == k) for k in RESULT_TEXT},
            },
        }
        parts = fill_pattern(form.filename, {"期间": label})
        yield Document(form, parts, context, [p.source for p in group])


# ── 代表建议办理情况意见反馈表 ───────────────────────────────────────────────────────────────


def replied(proposal: Proposal) -> bool:
    """A reply the deputy can rate: to a 建议, or an 议案 handled as one."""
    return as_suggestion(proposal) and bool(proposal["答复日期"] or proposal["办理结果类别"])
