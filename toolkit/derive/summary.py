"""The 年度工作总结 draft (GB/T 9704 layout) of a station, and one for the district office over
all stations: the figures of the statistics (statistics.py, the same tally) written as
sentences and a table, the year's typical cases, the 民生实事 results, and a marked prompt
【待填写：……】 wherever only people can write — experience, shortcomings, next year's plans, what
a case achieved. Nothing here writes an achievement the workbook does not show.

Sentences leave out what is 0 (a station with no proposals does not "propose 0 suggestions");
a part with nothing at all says there is no record of it. Typical cases are the rows marked 是
in a 典型 column (接待登记 and 代表建议); when none is marked, the proposals with the most
co-signers and the receptions with the most visitors are offered, and the draft says that is
how they were chosen. A reception case never names the voter or prints a phone number.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .. import chinese, contract
from ..forms import FormDef
from ..model import Dataset, Document, PlanEnv, Record
from .fields import fill_pattern, level_title
from .statistics import (
    ALL_STATIONS,
    STATES,
    Tallies,
    Tally,
    count_statistics,
    figures_of,
    overview,
    station_deputies,
    tally,
    typical,
    window,
)

PROMPTS = {
    "民生成效": "【待填写：民生实事项目的实施进展和群众反映】",
    "典型成效": "【待填写：以上案例的办理过程、成效和群众反响】",
    "经验": "【待填写：本年度工作的主要经验和做法】",
    "不足": "【待填写：工作中存在的问题和不足】",
    "打算": "【待填写：下一年度的工作思路和主要打算】",
    "落款": "【待填写：单位名称】",
}
CASE_LENGTH = 80  # characters of a 反映内容 quoted in a case


def _join(parts: list[str]) -> str:
    return "，".join(p for p in parts if p)


def _count(n: Any, unit: str, text: str) -> str:
    """“收集意见建议120件”, or "" for 0."""
    return f"{text}{n}{unit}" if isinstance(n, int) and n else ""


def reception_text(n: dict[str, Any]) -> str:
    if not n["收集意见"] and not n["接待日数"]:
        return "本期间台账中没有接待选民的记录。"
    parts = [
        _count(n["接待日数"], "天", "开展接待选民活动"),
        _count(n["接待人次"], "人次", "接待选民"),
        _count(n["收集意见"], "件", "收集意见建议"),
    ]
    text = _join(parts) + "。"
    if n["评价件数"]:
        text += f"群众评价{n['评价件数']}件，群众满意率{n['满意率']}。"
    return text


def handling_text(n: dict[str, Any]) -> str:
    if not n["交办件数"]:
        return "本期间没有交有关单位办理的事项。"
    states = _join([_count(n[s], "件", s) for s in STATES])
    text = f"交有关单位办理{n['交办件数']}件，已办结{n['办结件数']}件，办结率{n['办结率']}"
    return text + (f"。其中{states}。" if states else "。")


def duty_text(n: dict[str, Any], t: Tally) -> str:
    parts = [
        f"联系各级人大代表{n['代表人数']}名，其中{n['接待代表']}名参加了进站接待，代表进站率{n['进站率']}"
    ]
    activities = _join(
        [_count(t.activities[k], "次", k) for k in contract.ACTIVITY_TYPES if t.activities.get(k)]
    )
    if activities:
        parts.append(f"组织代表参加{activities}")
    meetings = _join(
        [_count(t.meetings[k], "次", k) for k in contract.MEETING_TYPES if t.meetings.get(k)]
    )
    if meetings:
        parts.append(f"召开{meetings}")
    return "；".join(parts) + "。"


def proposal_text(n: dict[str, Any], t: Tally) -> str:
    if not n["代表建议"]:
        return "本期间台账中没有代表领衔提出的建议、议案。"
    led = _join([_count(n["领衔建议"], "件", "建议"), _count(n["领衔议案"], "件", "议案")])
    text = f"代表领衔提出{led}"
    if n["已答复"]:
        classes = _join([_count(t.proposals[k], "件", f"{k}类") for k in contract.RESULT_CLASSES])
        text += f"，已答复{n['已答复']}件（{classes}）"
    if isinstance(n["建议满意率"], float):
        text += f"，代表对办理的满意率{n['建议满意率']}"
    return text + "。"


def project_text(n: dict[str, Any]) -> str:
    if not n["票决项目"]:
        return "本期间台账中没有民生实事项目票决的记录。"
    return f"票决民生实事项目{n['票决项目']}个，通过{n['通过项目']}个。"


_CLAUSE_ENDS = "，。；、！？,;!? "


def clip(text: str, length: int) -> str:
    """`text` cut to about `length` characters for a heading or an excerpt: at the last clause
    break when there is one in its second half, never inside a number or a Latin word (“晚上1”
    of “晚上11点” reads as a figure that was never said), and marked “……” when cut."""
    if len(text) <= length:
        return text
    head = text[:length]
    breaks = [i for i, ch in enumerate(head) if ch in _CLAUSE_ENDS and i >= length // 2]
    if breaks:
        return head[: breaks[-1]].rstrip(_CLAUSE_ENDS) + "……"
    cut = length
    while (
        cut > 0
        and text[cut - 1].isascii()
        and text[cut - 1].isalnum()
        and text[cut].isascii()
        and text[cut].isalnum()
    ):
        cut -= 1
    return text[:cut] + "……"


def _case_of_reception(r: Record) -> dict[str, Any]:
    content = clip(" ".join(str(r["反映内容"] or "").split()), CASE_LENGTH)
    result = " ".join(str(r["办理结果"] or r["现场答复"] or "").split())
    text = f"{chinese.cn_date(r['接待日期'])}，选民反映：{content}"
    if r["处理方式"]:
        text += f"处理方式：{r['处理方式']}"
        text += f"（承办单位：{r['承办单位']}）" if r["承办单位"] else ""
        text += "。"
    if result:
        text += f"办理情况：{result}"
    title = clip(" ".join(str(r["反映内容"] or "").split()), 20)
    return {"标题": f"{r['问题类别'] or '群众反映'}：{title}", "内容": text}


def _case_of_proposal(r: Record) -> dict[str, Any]:
    signers = len([n for n in r["附议代表"] or () if n != r["领衔代表"]])
    text = f"{r['领衔代表']}代表领衔提出{r['类别'] or '建议'}"
    text += f"，{signers}名代表附议" if signers else ""
    if r["建议承办单位"]:
        text += f"，由{r['建议承办单位']}办理"
    if r["办理结果类别"]:
        text += f"，办理结果为{r['办理结果类别']}类"
    return {"标题": f"《{r['标题']}》", "内容": text + "。"}


def cases(t: Tally) -> tuple[list[dict[str, Any]], str]:
    """The typical cases, and how they were chosen (said in the draft when not marked)."""
    if t.marked:
        chosen = sorted(t.marked, key=lambda r: (r.sheet != "代表建议", r.row))
        note = ""
    else:
        signed = [r for _, _, r in sorted(t.signed, key=lambda i: i[:2], reverse=True)]
        busiest = [r for _, _, r in sorted(t.busiest, key=lambda i: i[:2], reverse=True)]
        chosen = signed + busiest
        note = (
            "台账中没有标为典型的案例（“典型”列填“是”），以下按附议代表人数和来访人数列出，"
            "请选用、修改或替换。"
            if chosen
            else ""
        )
    found = []
    for n, r in enumerate(chosen, start=1):
        case = _case_of_proposal(r) if r.sheet == "代表建议" else _case_of_reception(r)
        found.append({"序号": n, **case})
    return found, note


def _levels(data: Dataset, station: str) -> str:
    counts: dict[str, int] = {}
    for d in station_deputies(data, station):
        counts[d.level] = counts.get(d.level, 0) + 1
    return "、".join(
        f"{level_title(level)}{counts[level]}名" for level in contract.LEVELS if counts.get(level)
    )


def summary_context(form: FormDef, data: Dataset, tallies: Tallies, station: str) -> dict[str, Any]:
    whole = station == ALL_STATIONS
    t = tallies.stations[station]
    n = figures_of(data, tallies, station)
    span = tallies.span
    levels = _levels(data, station)
    who = f"全部{len(tallies.stations) - 1}个联络站" if whole else station
    opening = f"{span.label}，{who}联系各级人大代表{n['代表人数']}名" + (
        f"（{levels}）" if levels else ""
    )
    found, note = cases(t)
    return {
        "表单名称": form.title,
        "联络站": station,
        "全部": whole,
        "期间": span.label,
        "标题": f"{who}{span.label}工作总结",
        # Two lines, as 公文 titles break: who, then what (a station's full name and the
        # year do not fit one 22-character line).
        "标题行": [who, f"{span.label}工作总结"],
        "段落": {
            "开头": opening + "。现将本期间工作情况总结如下。",
            "接待": reception_text(n),
            "交办": handling_text(n),
            "履职": duty_text(n, t),
            "建议": proposal_text(n, t),
            "民生": project_text(n),
        },
        "数字": n,
        "数字表": overview(n),
        "民生实事": [
            {"序号": i, "项目名称": p["项目名称"], "结果": p["结果"]}
            for i, p in enumerate(t.projects, start=1)
        ],
        "典型": found,
        "典型说明": note,
        "提示": PROMPTS,
        "落款": PROMPTS["落款"] if whole else station,
        "截至": chinese.cn_date(tallies.as_of),
    }


def count_summaries(form: FormDef, data: Dataset, env: PlanEnv) -> int:
    return count_statistics(form, data, env)


def plan_summaries(form: FormDef, data: Dataset, env: PlanEnv) -> Iterator[Document]:
    """One draft per station and one for the office (all stations, with more than one)."""
    span = window(data, env)
    tallies = tally(data, env, span)
    names = [s for s in tallies.stations if s != ALL_STATIONS]
    for station in [*names, ALL_STATIONS] if len(names) > 1 else names:
        context = summary_context(form, data, tallies, station)
        parts = fill_pattern(form.filename, {"联络站": station, "期间": span.label})
        sources = list(tallies.stations[station].sources)
        yield Document(form, parts, context, sources)


__all__ = ["PROMPTS", "count_summaries", "plan_summaries", "summary_context", "typical"]
