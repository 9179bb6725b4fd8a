"""The duty-report family (DESIGN §5, §6): 代表述职报告 drafts, 述职评议测评表 ballots and the
述职评议测评结果 tally, planned from validated records.

- 述职报告 (`per: deputy_year`, one per deputy of the roster and report year): the year's
  figures as Chinese sentences (sessions, receptions, opinions handed on and resolved, 建议/议案
  led and co-signed with titles and outcomes, inspections, surveys, trainings), the activity
  list, and the deputy's own words (述职材料 or `--texts`) — where these are missing, a marked
  prompt, never invented text. A deputy with no record in the year gets a draft that says so.
- 述职评议测评表 (`per: sitting`, one per deputy and 述职 meeting: each 述职测评 row, and each
  述职 activity with no such row): `--copies N` ballots in one file.
- 述职评议测评结果 (`per: period`, one per year of the 述职测评 rows, or the --from/--to period):
  counts, shares and the grade by `forms/rules/duty.yaml`.

The report year: --year, else the --from/--to period, else the latest year the workbook has
records in. Contexts are plain data; figures are computed once per dataset and year.
"""

# Long module: the duty family's three documents (report, ballot, tally) share the report
# year and the deputy's figures; DESIGN §3 keeps a family in one module per stage.

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .. import chinese
from ..errors import WARNING, Problem
from ..forms import FormDef
from ..model import Dataset, Document, PlanEnv, Record
from ..names import Deputy
from ..read.texts import PARTS, paragraphs
from ..rules.duty import DutyRules, load_duty_rules
from ..validate.duty import TextFiles, read_text_files
from .fields import deputy_fields, fill_pattern, period_label, roster_row
from .figures import Mentions, deputy_counts, index_mentions, proposal_date, quantity
from .proposals import outcome  # what became of a 建议 (A–D) or an 议案 (its own states)

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
OUTING_TYPES = ("视察", "调研", "执法检查", "学习培训", "走访选民", "代表议事会", "述职")
OUTING_LABELS = {"述职": "述职评议"}


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


# ── figures ──────────────────────────────────────────────────────────────────────────────────


_Index = dict[str, Mentions]


def _mentions(data: Dataset, span: Span) -> _Index:
    """Each deputy's records of the span (figures.index_mentions), once per dataset and span."""

    def make() -> _Index:
        return index_mentions(
            data.rows("履职活动"), data.rows("接待登记"), data.rows("代表建议"), span.contains
        )

    return data.cached(("mentions", span), make, ("履职活动", "接待登记", "代表建议"))


def deputy_figures(data: Dataset, display: str, span: Span, handed_on: frozenset[str]) -> dict:
    """The numbers and lists of one deputy's report; every count is there, 0 when none."""
    mine = _mentions(data, span).get(display) or Mentions()
    activities = sorted(mine.activities, key=lambda r: (r["活动日期"], r.row))
    listed = [(r, "领衔") for r in mine.led] + [(r, "附议") for r in mine.cosigned]
    listed.sort(key=lambda pair: (proposal_date(pair[0]) or dt.date.min, pair[0].row))
    records = (*activities, *mine.receptions, *mine.led, *mine.cosigned)
    return {
        "统计": deputy_counts(mine, handed_on),
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
        "来源": [(r.title, r.row, r.digest) for r in records],
        "有记录": mine.any,
    }


def _proposal(index: int, record: Record, role: str) -> dict[str, Any]:
    result = record["办理结果类别"] or ""
    return {
        "序号": index,
        "标题": record["标题"] or "",
        "类别": record["类别"] or "",
        "角色": role,
        "办理结果类别": result,
        "说明": f"{role}；{outcome(record)}",
    }


ELECTED_BY_CONGRESS = ("市", "省", "全国")  # chosen by the congress below, not by voters


def addressee(level: str | None) -> str:
    """Who a report speaks to: voters elected county and township deputies; deputies of a city,
    a province or the nation were elected by the congress below and report to its deputies."""
    return "各位代表：" if level in ELECTED_BY_CONGRESS else "各位选民："


def _elected(deputy: dict[str, Any], level: str | None) -> str:
    title = deputy.get("代表层级") or "人大代表"
    area = (deputy.get("选区或代表团") or "").strip()
    if level in ELECTED_BY_CONGRESS:
        if area.endswith("代表团") and len(area) > 3:
            return f"我是由{area[:-3]}人民代表大会选举产生的{title}"
        return f"我是{title}"
    return f"我是{area}选出的{title}" if area else f"我是{title}"


def _listing(figures: dict[str, int], parts: list[tuple[str, str]], sep: str = "，") -> str:
    """(label, figure) → “出席…2次，列席…1次”, leaving out the zeros."""
    return sep.join(f"{label}{quantity(figures[key], key)}" for label, key in parts if figures[key])


# Long function: one sentence per part of the report, in the order the report reads.
def report_sentences(
    deputy: dict[str, Any],
    figures: dict[str, int],
    span: Span,
    level: str | None = None,
    table: bool = False,
) -> dict:
    """The prefilled parts as first-person Chinese sentences built only from the records.

    A figure of 0 is left out of its sentence (the table and the 考核表 still show it); a part
    with nothing at all says so plainly, so a draft never reads like unedited boilerplate."""
    who = [_elected(deputy, level)]
    if deputy.get("工作单位及职务"):
        who.append(f"现任{deputy['工作单位及职务']}")
    if deputy.get("所属联络站"):
        who.append(f"编入{deputy['所属联络站']}开展履职活动")
    f = figures
    station = deputy.get("所属联络站") or "联络站"
    year = span.label
    sessions = _listing(
        f, [("出席人民代表大会会议", "出席人代会"), ("列席人大常委会会议", "列席常委会")]
    )
    contact = _listing(
        f, [("接待选民", "接待天数"), ("接待来访群众", "接待人次"), ("收集意见建议", "收集意见")]
    )
    if contact:
        contact = f"到{station}{contact}"
        if f["交办件数"]:
            handled = f"其中交有关单位办理{quantity(f['交办件数'], '交办件数')}"
            if f["办结件数"] == f["交办件数"]:
                handled += "，均已办结"
            elif f["办结件数"]:
                handled += f"，已办结{quantity(f['办结件数'], '办结件数')}"
            else:
                handled += "，均在办理中"
            contact += "，" + handled
        contact += "。"
    else:
        contact = f"{year}没有进站接待选民的记录。"
    proposals = _listing(
        f,
        [
            ("领衔提出建议", "领衔建议"),
            ("领衔提出议案", "领衔议案"),
            ("附议建议、议案", "附议件数"),
        ],
    )
    joined = _listing(
        f, [(OUTING_LABELS.get(k, k), k) for k in OUTING_TYPES if k != "走访选民"], "、"
    )
    visits = _listing(f, [("走访选民", "走访选民")])
    outings = "，".join(p for p in (f"参加{joined}" if joined else "", visits) if p)
    return {
        "称呼": addressee(level),
        "基本情况": "，".join(who) + f"。现将{year}履职情况报告如下，请予评议。",
        "参加会议": f"{year}，{sessions}。" if sessions else f"{year}没有出席或列席会议的记录。",
        "联系群众": contact,
        "建议议案": f"{proposals}：" if proposals else f"{year}没有领衔或附议建议、议案。",
        "闭会活动": (
            outings + ("，主要活动见下表。" if table else "。")
            if outings
            else f"{year}没有参加视察、调研等闭会期间活动的记录"
            + ("，参加的其他活动见下表。" if table else "。")
        ),
    }


# ── the deputy's own words: 述职材料 rows, with --texts files over them ─────────────────


@dataclass
class DeputyTexts:
    """Per part, the paragraphs; and where each part came from (the sheet's row or a file)."""

    parts: dict[str, list[str]] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)


def own_rows(data: Dataset, display: str, year: int | None) -> list[Record]:
    """A deputy's 述职材料 rows for a year, from an index built once per dataset (every report
    looked them up twice, scanning the whole sheet each time)."""

    def make() -> dict[tuple[Any, Any], list[Record]]:
        index: dict[tuple[Any, Any], list[Record]] = {}
        for record in data.rows("述职材料"):
            index.setdefault((record["姓名"], record["年度"]), []).append(record)
        return index

    return list(data.cached("own words", make, ("述职材料",)).get((display, year), ()))


def deputy_texts(
    data: Dataset, files: TextFiles | None, display: str, year: int | None
) -> DeputyTexts:
    """The sheet's row for (deputy, year), then the file's parts over it."""
    texts = DeputyTexts()
    for record in own_rows(data, display, year):
        for part in PARTS:
            found = paragraphs(record[part])
            if found:
                texts.parts[part] = found
                texts.sources[part] = f"{record.title}!第{record.row}行"
    if files is not None:
        by_year = files.by_deputy.get(display, {})
        chosen = by_year.get(year) if year in by_year else by_year.get(None)
        if chosen:
            file_name, parts = chosen
            for part, found in parts.items():
                texts.parts[part] = found
                texts.sources[part] = file_name
    return texts


# ── 述职报告 ────────────────────────────────────────────────────────────────────────────────


def _text_files(data: Dataset, env: PlanEnv) -> TextFiles | None:
    """--texts read once per dataset (in `count`, before anything is written)."""
    folder = env.texts
    if folder is None:
        return None
    return data.cached(("texts", folder), lambda: read_text_files(folder, data))


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
        "段落": report_sentences(fields, found["统计"], span, deputy.level, bool(found["活动"])),
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
