"""The duty-report family (DESIGN §5, §6): 代表述职报告 drafts, 述职评议测评表 ballots and the
述职评议测评结果 tally, planned from validated records.

- `duty_report` (one per deputy of the roster and report year): the year's figures as Chinese
  sentences (sessions, receptions, opinions handed on and resolved, 建议/议案 led and co-signed
  with titles and result classes, inspections, surveys, trainings), the activity list, and the
  deputy's own words (述职材料 or `--texts`) — where these are missing, a marked prompt, never
  invented text. A deputy with no record in the year gets a draft of zeros and a warning.
- `duty_ballot` (one per deputy and 述职 meeting: each 述职测评 row, and each 述职 activity with
  no such row): `--copies N` ballots in one file.
- `duty_tally` (one per year of the 述职测评 rows, or the --from/--to period): counts, shares and
  the grade by `forms/rules/duty.yaml`.

The report year: --year, else the --from/--to period, else the latest year the workbook has
records in. Contexts are plain data; figures are computed once per dataset and year.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from . import chinese
from .derive import Document, PlanEnv, deputy_fields, fill_pattern, period_label, roster_row
from .duty_rules import DutyRules, load_duty_rules
from .duty_texts import PARTS, TextFiles, deputy_texts, own_rows, read_text_files
from .errors import WARNING, Problem
from .forms import FormDef
from .names import Deputy
from .proposals import RESULT_TEXT  # 办理结果类别 A–D, as the proposal forms print them
from .validate import Dataset, Record

RATING_ITEMS = (
    "学习宣传法律法规",
    "出席会议和审议",
    "闭会期间活动",
    "联系群众反映民意",
    "为群众办实事",
    "总体评价",
)
PROMPTS = {
    "履职情况补充": "【待代表本人填写：本年度履职的具体事例和体会，如走访选民、督办群众反映问题、"
    "参加视察调研后提出意见的情况。此段为提示，定稿时删除。】",
    "存在不足": "【待代表本人填写：对照代表职责，本人履职中存在的不足。此段为提示，定稿时删除。】",
    "努力方向": "【待代表本人填写：今后的努力方向和打算。此段为提示，定稿时删除。】",
}
SESSION_TYPES = ("出席人代会", "列席常委会")
OUTING_TYPES = ("视察", "调研", "执法检查", "学习培训", "走访选民", "代表议事会")


@dataclass(frozen=True)
class Span:
    """The days a report covers, how it reads, and the 年度 of its 述职材料."""

    start: dt.date
    end: dt.date
    label: str
    year: int

    def contains(self, date: dt.date | None) -> bool:
        return date is not None and self.start <= date <= self.end


def _year_span(year: int) -> Span:
    return Span(dt.date(year, 1, 1), dt.date(year, 12, 31), f"{year}年", year)


def report_span(data: Dataset, env: PlanEnv) -> Span:
    if env.year:
        return _year_span(env.year)
    period = env.period
    if period.bounded:
        start = period.start or dt.date(1900, 1, 1)
        end = period.end or dt.date(9999, 12, 31)
        year = (period.end or period.start or env.today).year
        return Span(start, end, period_label(period, None), year)
    return _year_span(latest_year(data, env.today))


def latest_year(data: Dataset, today: dt.date) -> int:
    years = [d.year for d in _all_dates(data)]
    years += [r["年度"] for r in data.rows("述职材料") if r["年度"]]
    return max(years) if years else today.year


def _all_dates(data: Dataset) -> Iterator[dt.date]:
    for sheet, column in (("履职活动", "活动日期"), ("接待登记", "接待日期"), ("述职测评", "日期")):
        for record in data.rows(sheet):
            if isinstance(record[column], dt.date):
                yield record[column]
    for record in data.rows("代表建议"):
        date = proposal_date(record)
        if date:
            yield date


def proposal_date(record: Record) -> dt.date | None:
    return record["提出日期"] or record["交办日期"]


# ── figures ──────────────────────────────────────────────────────────────────────────────────


_VISIT_FIELDS = ("接待日期", "联络站", "来访人数", "处理方式", "办理结果")


class _Visit:
    """What a report needs of a reception: a district has tens of thousands, kept small here
    (the full records stay on disk, see records.py)."""

    __slots__ = ("digest", "row", "title", "values")

    def __init__(self, record: Record) -> None:
        self.values = {k: record[k] for k in _VISIT_FIELDS}
        self.title, self.row, self.digest = record.title, record.row, record.digest

    def __getitem__(self, name: str) -> Any:
        return self.values[name]


_Mentions = dict[str, dict[str, list[Any]]]  # deputy → kind → records (or visits) of the span
_MENTIONS: dict[tuple[int, Span], tuple[Dataset, _Mentions]] = {}


def _mentions(data: Dataset, span: Span) -> _Mentions:
    """Each deputy's records of the span, found in one pass over each sheet: asking every sheet
    for every deputy would grow with deputies × records (3,000 × 50,000 in a city)."""
    key = (id(data), span)
    found = _MENTIONS.get(key)
    if found is not None and found[0] is data:
        return found[1]
    index: _Mentions = {}

    def add(name: str, kind: str, record: Any) -> None:
        lists = index.setdefault(name, {"活动": [], "接待": [], "领衔": [], "附议": []})
        if not lists[kind] or lists[kind][-1] is not record:
            lists[kind].append(record)

    for r in data.rows("履职活动"):
        if span.contains(r["活动日期"]):
            for name in r["参加代表"] or ():
                add(name, "活动", r)
    for r in data.rows("接待登记"):
        if span.contains(r["接待日期"]):
            visit = _Visit(r)
            for name in r["接待代表"] or ():
                add(name, "接待", visit)
    for r in data.rows("代表建议"):
        if span.contains(proposal_date(r)):
            if r["领衔代表"]:
                add(r["领衔代表"], "领衔", r)
            for name in r["附议代表"] or ():
                if name != r["领衔代表"]:
                    add(name, "附议", r)
    _MENTIONS.clear()
    _MENTIONS[key] = (data, index)
    return index


def deputy_figures(data: Dataset, display: str, span: Span, handed_on: frozenset[str]) -> dict:
    """The numbers and lists of one deputy's report; every count is there, 0 when none."""
    mine = _mentions(data, span).get(display, {})
    activities = sorted(mine.get("活动", []), key=lambda r: (r["活动日期"], r.row))
    receptions = mine.get("接待", [])
    led = mine.get("领衔", [])
    cosigned = mine.get("附议", [])
    kinds = {
        t: sum(1 for r in activities if r["活动类型"] == t) for t in (*SESSION_TYPES, *OUTING_TYPES)
    }
    handed = [r for r in receptions if r["处理方式"] in handed_on]
    days = {(r["接待日期"], r["联络站"]) for r in receptions}
    days |= {(r["活动日期"], "") for r in activities if r["活动类型"] == "进站接待"}
    figures = {
        "出席人代会": kinds["出席人代会"],
        "列席常委会": kinds["列席常委会"],
        "接待次数": len(days),
        "接待人数": sum(1 if r["来访人数"] is None else r["来访人数"] for r in receptions),
        "收集意见": len(receptions),
        "交办件数": len(handed),
        "办结件数": sum(1 for r in handed if r["办理结果"]),
        "领衔建议": sum(1 for r in led if r["类别"] == "建议"),
        "领衔议案": sum(1 for r in led if r["类别"] == "议案"),
        "附议件数": len(cosigned),
        **{t: kinds[t] for t in OUTING_TYPES},
        "活动总数": len(activities),
    }
    listed = [(r, "领衔") for r in led] + [(r, "附议") for r in cosigned]
    listed.sort(key=lambda pair: (proposal_date(pair[0]) or dt.date.min, pair[0].row))
    return {
        "统计": figures,
        "建议": [_proposal(i, r, role) for i, (r, role) in enumerate(listed, start=1)],
        "活动": [
            {
                "序号": i,
                "日期": chinese.cn_date(r["活动日期"]),
                "活动类型": r["活动类型"] or "",
                "活动主题": r["活动主题"] or "",
                "地点": r["地点"] or "",
            }
            for i, r in enumerate(activities, start=1)
        ],
        "来源": [(r.title, r.row, r.digest) for r in (*activities, *receptions, *led, *cosigned)],
        "有记录": bool(activities or receptions or led or cosigned),
    }


def _proposal(index: int, record: Record, role: str) -> dict[str, Any]:
    result = record["办理结果类别"] or ""
    outcome = (
        f"办理结果：{result}类，{RESULT_TEXT[result]}" if result in RESULT_TEXT else "尚未答复"
    )
    return {
        "序号": index,
        "标题": record["标题"] or "",
        "类别": record["类别"] or "",
        "角色": role,
        "办理结果类别": result,
        "说明": f"{role}；{outcome}",
    }


def report_sentences(deputy: dict[str, Any], figures: dict[str, int], span: Span) -> dict:
    """The prefilled parts as first-person Chinese sentences built only from the records."""
    who = [f"我是{deputy.get('代表层级') or '人大代表'}"]
    if deputy.get("选区或代表团"):
        who[0] = f"我是{deputy['选区或代表团']}选出的{deputy.get('代表层级') or '人大代表'}"
    if deputy.get("工作单位及职务"):
        who.append(f"现任{deputy['工作单位及职务']}")
    if deputy.get("所属联络站"):
        who.append(f"编入{deputy['所属联络站']}开展履职活动")
    f = figures
    station = deputy.get("所属联络站") or "联络站"
    return {
        "基本情况": "，".join(who) + f"。现将{span.label}履职情况报告如下，请予评议。",
        "参加会议": (
            f"{span.label}，出席人民代表大会会议{f['出席人代会']}次，"
            f"列席人大常委会会议{f['列席常委会']}次。"
        ),
        "联系群众": (
            f"到{station}参加接待选民活动{f['接待次数']}次，接待选民{f['接待人数']}人次，"
            f"收集意见建议{f['收集意见']}件，其中交有关单位办理{f['交办件数']}件、"
            f"已办结{f['办结件数']}件。"
        ),
        "建议议案": (
            f"领衔提出建议{f['领衔建议']}件、议案{f['领衔议案']}件，附议建议、议案{f['附议件数']}件"
            + ("：" if f["领衔建议"] + f["领衔议案"] + f["附议件数"] else "。")
        ),
        "闭会活动": (
            f"参加视察{f['视察']}次、调研{f['调研']}次、执法检查{f['执法检查']}次，"
            f"参加学习培训{f['学习培训']}次，走访选民{f['走访选民']}次，"
            f"参加代表议事会{f['代表议事会']}次" + ("，主要活动见下表。" if f["活动总数"] else "。")
        ),
    }


# ── 述职报告 ────────────────────────────────────────────────────────────────────────────────

_TEXTS: dict[int, tuple[Dataset, Any, TextFiles | None]] = {}


def _text_files(data: Dataset, env: PlanEnv) -> TextFiles | None:
    """--texts read once per dataset (in `count`, before anything is written)."""
    found = _TEXTS.get(id(data))
    if found is not None and found[0] is data and found[1] == env.texts:
        return found[2]
    files = read_text_files(env.texts, data) if env.texts else None
    _TEXTS.clear()
    _TEXTS[id(data)] = (data, env.texts, files)
    return files


def _warn_once(data: Dataset, problem: Problem) -> None:
    if all(
        (p.sheet, p.row, p.message) != (problem.sheet, problem.row, problem.message)
        for p in data.problems
    ):
        data.problems.append(problem)


def count_reports(form: FormDef, data: Dataset, env: PlanEnv) -> int:
    _text_files(data, env)
    return len(data.roster.deputies)


def plan_reports(form: FormDef, data: Dataset, env: PlanEnv) -> Iterator[Document]:
    span = report_span(data, env)
    files = _text_files(data, env)
    for deputy in data.roster.deputies:
        yield _report(form, data, env, span, files, deputy)


def _report(
    form: FormDef, data: Dataset, env: PlanEnv, span: Span, files: TextFiles | None, deputy: Deputy
) -> Document:
    fields = deputy_fields(data, deputy.display)
    found = deputy_figures(data, deputy.display, span, env.rules.handed_on)
    roster_record = roster_row(data, deputy.row)
    if not found["有记录"]:
        _warn_once(
            data,
            Problem(
                roster_record.title if roster_record else "代表名册",
                deputy.row,
                f"{deputy.display}在{span.label}没有任何履职记录（履职活动、接待登记、代表建议），"
                "述职报告中的数字均为 0",
                "姓名",
                roster_record.cols.get("姓名", 0) if roster_record else 0,
                WARNING,
                "请核对是否漏登",
            ),
        )
    texts = deputy_texts(data, files, deputy.display, span.year)
    context: dict[str, Any] = {
        "表单名称": form.title,
        "代表": fields,
        "姓名": deputy.display,
        "代表层级": fields.get("代表层级", ""),
        "联络站": deputy.station,
        "期间": span.label,
        "年度": span.year,
        "统计": found["统计"],
        "建议": found["建议"],
        "活动": found["活动"],
        "段落": report_sentences(fields, found["统计"], span),
        "提示": dict(PROMPTS),
        **{part: texts.parts.get(part, []) for part in PARTS},
    }
    sources = list(found["来源"])
    if roster_record is not None:
        sources.insert(0, (roster_record.title, roster_record.row, roster_record.digest))
    for record in own_rows(data, deputy.display, span.year):
        sources.append((record.title, record.row, record.digest))
    parts = fill_pattern(form.filename, {"姓名": deputy.display, "期间": span.label})
    return Document(form, parts, context, sources)


# ── 述职评议测评表 (ballots) ─────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Sitting:
    """One deputy's 述职 meeting: from a 述职测评 row, or a 述职 activity without one."""

    deputy: str
    date: dt.date | None
    meeting: dict[str, Any]
    record: Record


def _meetings(data: Dataset) -> dict[str, Record]:
    return {r["会议编号"].upper(): r for r in data.rows("会议") if r["会议编号"]}


def sittings(data: Dataset, env: PlanEnv) -> list[Sitting]:
    meetings = _meetings(data)
    found: list[Sitting] = []
    for record in data.rows("述职测评"):
        meeting = meetings.get((record["会议编号"] or "").upper())
        date = record["日期"] or (meeting["日期"] if meeting else None)
        info = {
            "会议名称": (meeting["会议名称"] if meeting else "") or "",
            "会议编号": record["会议编号"] or "",
            "地点": (meeting["地点"] if meeting else "") or "",
        }
        found.append(Sitting(record["代表姓名"], date, info, record))
    rated = {(s.deputy, s.date) for s in found}
    for record in data.rows("履职活动"):
        if record["活动类型"] != "述职":
            continue
        for display in record["参加代表"] or ():
            if (display, record["活动日期"]) not in rated:
                rated.add((display, record["活动日期"]))
                info = {
                    "会议名称": record["活动主题"] or "",
                    "会议编号": "",
                    "地点": record["地点"] or "",
                }
                found.append(Sitting(display, record["活动日期"], info, record))
    period = env.period
    return [s for s in found if period.contains(s.date)]


def count_ballots(form: FormDef, data: Dataset, env: PlanEnv) -> int:
    return len(sittings(data, env))


def plan_ballots(form: FormDef, data: Dataset, env: PlanEnv) -> Iterator[Document]:
    copies = max(1, env.copies)
    for sitting in sittings(data, env):
        fields = deputy_fields(data, sitting.deputy)
        context = {
            "表单名称": form.title,
            "代表": fields,
            "姓名": sitting.deputy,
            "代表层级": fields.get("代表层级", ""),
            "联络站": fields.get("所属联络站", ""),
            "日期": chinese.cn_date(sitting.date) if sitting.date else "",
            **sitting.meeting,
            "测评项目": list(RATING_ITEMS),
            "副本": list(range(1, copies + 1)),
        }
        parts = fill_pattern(
            form.filename,
            {"姓名": sitting.deputy, "日期": sitting.date, "会议编号": sitting.meeting["会议编号"]},
        )
        record = sitting.record
        yield Document(form, parts, context, [(record.title, record.row, record.digest)])


# ── 述职评议测评结果 (the tally) ─────────────────────────────────────────────────────────────


def duty_rules(env: PlanEnv) -> DutyRules:
    """The grade thresholds: those build read from --rules, else forms/rules/duty.yaml."""
    return env.duty_rules if env.duty_rules is not None else _default_duty_rules()


@lru_cache(maxsize=1)
def _default_duty_rules() -> DutyRules:
    return load_duty_rules()


def _tally_groups(data: Dataset, env: PlanEnv) -> dict[str, list[Sitting]]:
    groups: dict[str, list[Sitting]] = {}
    rows = [s for s in sittings(data, env) if s.record.sheet == "述职测评"]
    for sitting in rows:
        label = f"{env.year}年" if env.year else period_label(env.period, sitting.date)
        groups.setdefault(label, []).append(sitting)
    return groups


def count_tallies(form: FormDef, data: Dataset, env: PlanEnv) -> int:
    return len(_tally_groups(data, env))


def percent(part: int, whole: int) -> chinese.Percent | str:
    """part/whole as a share that prints 85.00% and is a number in Excel; "" with no votes."""
    if whole <= 0:
        return ""
    return chinese.percent(part, whole, digits=2)


def tally_row(index: int, sitting: Sitting, rules: DutyRules, data: Dataset) -> dict[str, Any]:
    record = sitting.record
    grades = [record["满意"], record["基本满意"], record["不满意"]]
    counted = any(g is not None for g in grades)
    pleased, fair, displeased = (g or 0 for g in grades)
    valid = (
        record["有效票数"] if record["有效票数"] is not None else sum((pleased, fair, displeased))
    )
    fields = deputy_fields(data, sitting.deputy)
    row = {
        "序号": index,
        "代表姓名": sitting.deputy,
        "代表层级": fields.get("代表层级", ""),
        "联络站": fields.get("所属联络站", ""),
        "日期": chinese.cn_date(sitting.date) if sitting.date else "",
        "会议": sitting.meeting["会议名称"] or sitting.meeting["会议编号"],
        "发出票数": _blank(record["发出票数"]),
        "收回票数": _blank(record["收回票数"]),
        "有效票数": valid if counted else _blank(record["有效票数"]),
        "满意": pleased if counted else "",
        "基本满意": fair if counted else "",
        "不满意": displeased if counted else "",
        "满意率": percent(pleased, valid) if counted else "",
        "基本满意率": percent(fair, valid) if counted else "",
        "不满意率": percent(displeased, valid) if counted else "",
        "满意及基本满意率": percent(pleased + fair, valid) if counted else "",
        "等次": (rules.grade(pleased + fair, valid) or "无有效票") if counted else "未录入",
    }
    return row


def _blank(value: int | None) -> int | str:
    return "" if value is None else value


def plan_tallies(form: FormDef, data: Dataset, env: PlanEnv) -> Iterator[Document]:
    rules = duty_rules(env)
    for label, group in sorted(_tally_groups(data, env).items()):
        group.sort(key=lambda s: (s.date or dt.date.min, s.record.row))
        rows = [tally_row(i, s, rules, data) for i, s in enumerate(group, start=1)]
        names = [g.name for g in rules.grades]
        context = {
            "表单名称": form.title,
            "期间": label,
            "记录": rows,
            "等次标准": rules.description,
            "统计": {
                "人数": len(rows),
                **{name: sum(1 for r in rows if r["等次"] == name) for name in names},
            },
            "等次名称": names,
        }
        parts = fill_pattern(form.filename, {"期间": label})
        sources = [(s.record.title, s.record.row, s.record.digest) for s in group]
        yield Document(form, parts, context, sources)


PLANS = {
    "duty_report": (plan_reports, count_reports),
    "duty_ballot": (plan_ballots, count_ballots),
    "duty_tally": (plan_tallies, count_tallies),
}
