"""The books family (DESIGN §5 "books", §6 "Registers", "Follow-up"): the station's "六簿一册"
beyond the 接待选民登记簿, the 督办单 of what is overdue, and each deputy's 代表履职档案.

- `per: row` of 接待登记, `when: [overdue]` (督办单): one per handed-off reception still open
  past its due date as of --as-of (default today): what was raised (never who raised it,
  unless the books rules say so), when it was handed on, the due date, the days overdue, the
  date the unit must reply by and the station's contact.
- `per: station_period` (one book per station and period, default the year of each record),
  by the form's sheet:
  - 接待登记: the handed-off matters (`when: [handed_on]`, 交办督办簿) or the closed ones
    (`when: [closed]`, 办理反馈簿), each with its state as of --as-of, grouped by 承办单位 with
    the unit's totals; no visitor's name or phone.
  - 履职活动: every activity naming a deputy of the station, with those deputies (代表活动记录簿);
    `when: [training]` keeps the 学习培训 activities and adds the station's 学习培训会 meetings.
  - 会议: every meeting of the station (a meeting with no 联络站 goes to its 主办单位's book),
    with who was expected and the 会议编号 its 会议记录 is filed under.
- `per: deputy_year` (代表履职档案): one booklet per deputy of the roster for the year (--year,
  the --from/--to period, or the latest year with records), or for the term (--term): the
  roster record, every reception, activity, meeting and proposal, each year's score and rank,
  the term's total (任期累计积分) and the 述职 results.

States are derive/followup.py's and totals figures.py's, so a book, a 督办单 and the statistics
agree. Contexts are plain data, built a station (or a deputy) at a time.
"""

# Long module: the six registers and the 档案 share one follow-up tally, grouping and contents
# logic; one module keeps a figure from being counted twice

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from .. import chinese
from ..forms import FormDef
from ..model import Dataset, Document, Period, PlanEnv, Record
from ..names import Deputy
from ..records import Records, RowStore
from ..rules import BookRules, Calendar, ScoringRules, Term, load_book_rules, load_calendar
from ..validate.meetings import attendees
from . import duty, evaluation
from .fields import deputy_fields, fill_pattern, period_label, record_date, station_fields
from .figures import (
    FIGURES,
    FollowUpTotals,
    Mentions,
    deputy_counts,
    index_mentions,
    proposal_date,
    quantity,
)
from .followup import FollowUp, follow_up
from .proposals import outcome
from .scoring import Scoreboard, Window, record_years

CONDITIONS = {  # the `when` words this family implements (forms.WHEN says them in Chinese)
    "overdue": "逾期未办结",
    "closed": "已办结",
    "training": "学习培训",
}
TRAINING_ACTIVITY = "学习培训"
TRAINING_MEETING = "学习培训会"
NO_UNIT = "（未填承办单位）"
NO_STATION = "未注明联络站"
GROUP_CHUNK = 200  # records of one book kept in memory while the others are planned
# A register of more printed rows than this (some four landscape pages) and more than one group
# (承办单位, month) opens with a 目录 of its groups; a shorter one is read without.
TOC_ROWS = 60
UNDATED = "日期不详"
SCORED = ("履职活动", "接待登记", "代表建议")  # the sheets a score counts from
_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def as_of(env: PlanEnv) -> dt.date:
    return env.as_of or env.today


def calendar_of(env: PlanEnv) -> Calendar:
    return env.calendar if env.calendar is not None else _default_calendar()


def book_rules(env: PlanEnv) -> BookRules:
    return env.books if env.books is not None else _default_book_rules()


@lru_cache(maxsize=1)
def _default_calendar() -> Calendar:
    return load_calendar()


@lru_cache(maxsize=1)
def _default_book_rules() -> BookRules:
    return load_book_rules()


def points(value: float) -> int | float:
    """Whole points as int (3, not 3.0), as the 考核表 prints them."""
    return int(value) if float(value).is_integer() else value


def without_phones(text: Any) -> str:
    """Free text with any mobile number in it masked (138****5678): a visitor's number typed
    into 反映内容 is not printed where the 联系电话 column is not."""
    return _MOBILE.sub(lambda m: chinese.mask_phone(m.group()), str(text or ""))


def state_of(record: Record, env: PlanEnv) -> FollowUp | None:
    return follow_up(record, env.rules, calendar_of(env), as_of(env))


# ── 督办单 ───────────────────────────────────────────────────────────────────────────────────


def _overdue(form: FormDef, data: Dataset, env: PlanEnv) -> Iterator[tuple[Record, FollowUp]]:
    for record in data.rows(form.sheet):
        if not env.period.contains(record_date(record)):
            continue
        state = state_of(record, env)
        if state is not None and state.state == "逾期未办结":
            yield record, state


def count_notices(form: FormDef, data: Dataset, env: PlanEnv) -> int:
    return sum(1 for _ in _overdue(form, data, env))


def plan_notices(form: FormDef, data: Dataset, env: PlanEnv) -> Iterator[Document]:
    rules = book_rules(env).notice
    issued = as_of(env)
    reply_by = calendar_of(env).add_working_days(issued, rules.reply_within.count)
    if not rules.reply_within.working:
        reply_by = issued + dt.timedelta(days=rules.reply_within.count)
    for record, state in _overdue(form, data, env):
        station = record["联络站"] or ""
        site = station_fields(data, station)
        context: dict[str, Any] = {
            "表单名称": form.title,
            "登记编号": record["登记编号"] or "",
            "承办单位": record["承办单位"] or NO_UNIT,
            "联络站": station,
            "站点": site,
            "接待日期": chinese.cn_date(record["接待日期"]),
            "交办日期": chinese.cn_date(state.handed),
            "接待代表": chinese.typed(record["接待代表"]),
            "问题类别": record["问题类别"] or "",
            "处理方式": record["处理方式"] or "",
            "反映内容": without_phones(record["反映内容"]),
            "办理时限": chinese.cn_date(state.due),
            "超期天数": state.days_over,
            "督办日期": chinese.cn_date(issued),
            "答复期限": chinese.cn_date(reply_by),
            "答复天数": str(rules.reply_within),
            "督办单位": rules.issuer or station,
            "联系人": rules.contact or site.get("负责人", ""),
            "联系电话": rules.phone or site.get("联系电话", ""),
            "印来访人": rules.show_visitor,
            "行号": record.row,
        }
        # The visitor only when the rules file asks (the unit is to call them); else blanks.
        shown = rules.show_visitor
        context["来访人"] = (record["来访人"] or "") if shown else ""
        context["来访人电话"] = (record["联系电话"] or "") if shown else ""
        context["住址"] = (record["住址"] or "") if shown else ""
        values = {**record.values, "承办单位": context["承办单位"], "行号": record.row}
        parts = fill_pattern(form.filename, values)
        if not record["登记编号"]:
            parts.append(f"第{record.row}行")
        yield Document(form, parts, context, [(record.title, record.row, record.digest)])


# ── the station books: grouping ──────────────────────────────────────────────────────────────


@dataclass
class _Entry:
    """One row of a book before it is numbered: where it sorts, what it prints, where from."""

    key: tuple[Any, ...]
    row: dict[str, Any]
    source: tuple[str, int, str]
    station_deputies: int = 0  # of an activity: the station's deputies taking part


def _group(entries: Iterable[tuple[str, dt.date | None, _Entry]], env: PlanEnv) -> dict:
    """(station, period label) → its entries, each book's in a store of its own (on disk when
    long), so only the book being made holds its rows in memory."""
    groups: dict[tuple[str, str], Any] = {}  # Records of _Entry
    for station, date, entry in entries:
        key = (station, period_label(env.period, date))
        if key not in groups:
            groups[key] = Records(spill_at=GROUP_CHUNK, chunk=GROUP_CHUNK)
        groups[key].append(entry)
    return groups


def _entries(form: FormDef, data: Dataset, env: PlanEnv) -> Iterator[tuple[str, Any, _Entry]]:
    if form.sheet == "接待登记":
        return _matters(form, data, env)
    if form.sheet == "履职活动":
        return _activities(form, data, env)
    return _meetings(form, data, env)


def count_books(form: FormDef, data: Dataset, env: PlanEnv) -> int:
    entries = _entries(form, data, env)
    return len({(station, period_label(env.period, date)) for station, date, _ in entries})


def plan_books(form: FormDef, data: Dataset, env: PlanEnv) -> Iterator[Document]:
    groups = _group(_entries(form, data, env), env)
    for station, label in sorted(groups, key=lambda k: (k[1], k[0])):
        stored = groups.pop((station, label))
        context: dict[str, Any] = {
            "表单名称": form.title,
            "联络站": station,
            "站点": station_fields(data, station),
            "期间": label,
            "统计日期": chinese.cn_date(as_of(env)),
        }
        if form.sheet == "接待登记":
            rows, sources = _matter_book(context, stored, env, "closed" not in form.when)
        elif form.sheet == "履职活动":
            rows, sources = _chronological_book(
                context, stored, env, "形式", ("活动次数", "参加人次")
            )
        else:
            rows, sources = _chronological_book(
                context, stored, env, "会议类型", ("会议次数", "应到人次")
            )
        context["记录"] = rows if rows.spilled else list(rows)
        parts = fill_pattern(form.filename, {"联络站": station, "期间": label})
        yield Document(form, parts, context, sources)


class _Contents:
    """The 目录 of a register: an entry per group (a unit, a month) in the order printed, its
    count, and the anchor (`锚`, and `锚号` for Word's bookmark id) put on the group's first
    printed row. Empty, and no row anchored, when the register is short (TOC_ROWS)."""

    def __init__(self, counts: dict[Any, int], titles: dict[Any, str], unit: str, printed: int):
        self.entries: list[dict[str, Any]] = []
        self._anchors: dict[Any, int] = {}
        if printed <= TOC_ROWS or len(counts) < 2:
            return
        for n, key in enumerate(counts, start=1):
            self._anchors[key] = n
            self.entries.append(
                {"标题": titles[key], "条数": f"{counts[key]}{unit}", "锚": f"g{n}", "页": ""}
            )

    def mark(self, row: dict[str, Any], key: Any) -> dict[str, Any]:
        """`row` with the anchor of group `key` when it is the group's first row, else none."""
        n = self._anchors.pop(key, 0)
        return {**row, "锚": f"g{n}" if n else "", "锚号": n}


def _month(entry: _Entry) -> tuple[int, int]:
    date = entry.key[0]
    return (date.year, date.month) if date and date != dt.date.min else (0, 0)


def _by_month(stored: Any, unit: str) -> _Contents:
    """The 目录 of a register in date order: the months, in order (the undated first, as they
    sort)."""
    counts: dict[tuple[int, int], int] = {}
    for entry in stored:
        counts[_month(entry)] = counts.get(_month(entry), 0) + 1
    order = dict(sorted(counts.items()))
    titles = {k: f"{k[0]}年{k[1]}月" if k[0] else UNDATED for k in order}
    return _Contents(order, titles, unit, len(stored))


def _ordered(stored: Any) -> Iterator[_Entry]:  # stored: Records of _Entry
    order = sorted((e.key, i) for i, e in enumerate(stored))
    for start in range(0, len(order), 2000):
        yield from stored.take([i for _, i in order[start : start + 2000]])


# ── 交办督办簿 and 办理反馈簿 ───────────────────────────────────────────────────────────────


def _matters(form: FormDef, data: Dataset, env: PlanEnv) -> Iterator[tuple[str, Any, _Entry]]:
    wants_closed = "closed" in form.when
    for record in data.rows(form.sheet):
        date = record_date(record)
        if not env.period.contains(date):
            continue
        state = state_of(record, env)
        if state is None or (wants_closed and state.open):
            continue
        unit = record["承办单位"] or NO_UNIT
        # Units in name order (the unnamed last), each unit's matters by date; a 反馈簿 by date.
        key = (date, record.row) if wants_closed else (unit == NO_UNIT, unit, date, record.row)
        row = {
            "登记编号": record["登记编号"] or "",
            "接待日期": chinese.cn_date(date),
            "接待代表": chinese.typed(record["接待代表"]),
            "反映内容": without_phones(record["反映内容"]),
            "问题类别": record["问题类别"] or "",
            "处理方式": record["处理方式"] or "",
            "承办单位": unit,
            "办理时限": chinese.cn_date(state.due) if state.due else "未定",
            "办理结果": record["办理结果"] or "",
            "反馈日期": chinese.cn_date(record["反馈日期"]),
            "办理状态": state.flag,
            "状态": state.state,
            "超期天数": state.days_over,
            "回访日期": chinese.cn_date(record["回访日期"]),
            "回访方式": record["回访方式"] or "",
            "回访情况": record["回访情况"] or "",
            "群众满意度": record["群众满意度"] or "",
            "典型": record["典型"] or "",
            "行号": record.row,
        }
        source = (record.title, record.row, record.digest)
        yield record["联络站"] or "", date, _Entry(key, row, source)


def _matter_book(
    context: dict[str, Any], stored: Any, env: PlanEnv, grouped: bool
) -> tuple[RowStore, list[tuple[str, int, str]]]:
    """The rows in order and the totals per unit and of the book. `grouped` (交办督办簿) also
    gives 分组: the same rows with a heading row before each unit's first, carrying the unit's
    totals — one list item per printed row, as the PDF's long-table splitting counts them."""
    units: dict[str, FollowUpTotals] = {}
    whole = FollowUpTotals()
    ratings = dict.fromkeys(("满意", "基本满意", "不满意"), 0)
    for entry in stored:
        row = entry.row
        revisited = bool(row["回访日期"])
        units.setdefault(row["承办单位"], FollowUpTotals()).add(row["状态"], revisited)
        whole.add(row["状态"], revisited)
        if row["群众满意度"] in ratings:
            ratings[row["群众满意度"]] += 1
    order = sorted(units, key=lambda u: (u == NO_UNIT, u))
    if grouped:  # a heading row and the rows of each unit
        counts = {u: units[u].counts["交办件数"] for u in order}
        toc = _Contents(counts, {u: u for u in order}, "件", len(stored) + len(order))
    else:
        toc = _by_month(stored, "件")
    rows = _store(env)
    heads = _store(env)
    sources = []
    previous = None
    for number, entry in enumerate(_ordered(stored), start=1):
        row = {**entry.row, "序号": number, "组": False}
        unit = row["承办单位"]
        if grouped and unit != previous:
            head = {"组": True, "承办单位": unit, "合计": _unit_line(units[unit].counts)}
            heads.append(toc.mark(head, unit))
        elif not grouped:
            row = toc.mark(row, _month(entry))
        previous = unit
        rows.append(row)
        if grouped:
            heads.append(row)
        sources.append(entry.source)
    context["目录"] = toc.entries
    context["单位"] = [
        {"序号": n, "承办单位": unit, **units[unit].counts} for n, unit in enumerate(order, 1)
    ]
    context["统计"] = {**whole.counts, **ratings}
    context["单位合计"] = [{"序号": "", "承办单位": "合计", **whole.counts}]  # Excel's last row
    if grouped:
        context["分组"] = heads if heads.spilled else list(heads)
    return rows, sources


def _store(env: PlanEnv) -> RowStore:
    return RowStore(spill_at=GROUP_CHUNK, chunk=GROUP_CHUNK, folder=env.rows_dir)


def _unit_line(counts: dict[str, int]) -> str:
    """交办5件：按期办结2件，逾期办结1件，正在办理1件，逾期未办结1件 (the zeros left out)."""
    parts = [
        f"{FIGURES[key].label}{quantity(counts[key], key)}"
        for key in ("按期办结", "逾期办结", "正在办理", "逾期未办结")
        if counts[key]
    ]
    return f"交办{quantity(counts['交办件数'], '交办件数')}：" + "，".join(parts)


# ── 代表活动记录簿 and 学习培训记录簿 ─────────────────────────────────────────────────────────


def _station_of(data: Dataset) -> Callable[[str], str]:
    by_display = data.roster.by_display

    def station(name: str) -> str:
        deputy = by_display.get(name)
        return deputy.station if deputy is not None else ""

    return station


def _activities(form: FormDef, data: Dataset, env: PlanEnv) -> Iterator[tuple[str, Any, _Entry]]:
    training = "training" in form.when
    station_of = _station_of(data)
    for record in data.rows("履职活动"):
        date = record["活动日期"]
        if not env.period.contains(date):
            continue
        if training and record["活动类型"] != TRAINING_ACTIVITY:
            continue
        people = list(dict.fromkeys(record["参加代表"] or ()))
        stations: dict[str, list[str]] = {}
        for name in people:
            stations.setdefault(station_of(name), []).append(name)
        for station, mine in stations.items():
            others = len(people) - len(mine)
            row = {
                "日期": chinese.cn_date(date),
                "活动类型": record["活动类型"] or "",
                "形式": "学习培训活动" if training else record["活动类型"] or "",
                "活动主题": record["活动主题"] or "",
                "地点": record["地点"] or "",
                "组织单位": record["组织单位"] or "",
                "参加代表": chinese.Names(mine),
                "人数": len(mine),
                "其他代表": others,
                "参加情况": _taking_part(mine, others),
                "备注": record["备注"] or "",
                "编号": record["活动编号"] or "",
            }
            key = (date or dt.date.min, 0, record.row)
            source = (record.title, record.row, record.digest)
            yield station, date, _Entry(key, row, source, len(mine))
    if training:
        yield from _training_meetings(data, env)


def _taking_part(mine: list[str], others: int) -> str:
    """王伟、李娜（另有其他联络站代表3名）."""
    names = "、".join(mine)
    return f"{names}（另有其他联络站代表{others}名）" if others else names


def _training_meetings(data: Dataset, env: PlanEnv) -> Iterator[tuple[str, Any, _Entry]]:
    for meeting in data.rows("会议"):
        date = meeting["日期"]
        if meeting["会议类型"] != TRAINING_MEETING or not env.period.contains(date):
            continue
        people = [d.display for d in attendees(data, meeting).deputies]
        row = {
            "日期": chinese.cn_date(date),
            "活动类型": TRAINING_MEETING,
            "形式": TRAINING_MEETING,
            "活动主题": meeting["会议名称"] or "",
            "地点": meeting["地点"] or "",
            "组织单位": meeting["主办单位"] or "",
            "参加代表": chinese.Names(people),
            "人数": len(people),
            "其他代表": 0,
            "参加情况": "、".join(people),
            "备注": f"应到{len(people)}人" if people else "",
            "编号": meeting["会议编号"] or "",
        }
        key = (date or dt.date.min, 1, meeting.row)
        source = (meeting.title, meeting.row, meeting.digest)
        yield _meeting_owner(meeting), date, _Entry(key, row, source, len(people))


def _chronological_book(
    context: dict[str, Any], stored: Any, env: PlanEnv, kind: str, totals: tuple[str, str]
) -> tuple[RowStore, list[tuple[str, int, str]]]:
    """An activity or meeting register: its rows numbered by date, a 目录 by month, the count
    of rows and of deputies (`totals`: their figure keys) and the rows by `kind`."""
    kinds: dict[str, int] = {}
    people = 0
    toc = _by_month(stored, "次")
    rows = _store(env)
    sources = []
    for number, entry in enumerate(_ordered(stored), start=1):
        rows.append(toc.mark({**entry.row, "序号": number}, _month(entry)))
        sources.append(entry.source)
        kinds[entry.row[kind]] = kinds.get(entry.row[kind], 0) + 1
        people += entry.station_deputies
    context["目录"] = toc.entries
    context["统计"] = {totals[0]: len(rows), totals[1]: people}
    context["分类"] = [{"类型": k, "次数": n} for k, n in kinds.items()]
    return rows, sources


# ── 会议记录簿 ──────────────────────────────────────────────────────────────────────────────


def _meeting_owner(meeting: Record) -> str:
    return meeting["联络站"] or meeting["主办单位"] or NO_STATION


def _meetings(form: FormDef, data: Dataset, env: PlanEnv) -> Iterator[tuple[str, Any, _Entry]]:
    for meeting in data.rows("会议"):
        date = meeting["日期"]
        if not env.period.contains(date):
            continue
        people = [d.display for d in attendees(data, meeting).deputies]
        expected = meeting["应到人数"] or len(people)
        code = meeting["会议编号"] or ""
        row = {
            "日期": chinese.cn_date(date),
            "开始时间": chinese.typed(meeting["开始时间"]),
            "会议名称": meeting["会议名称"] or "",
            "会议类型": meeting["会议类型"] or "",
            "地点": meeting["地点"] or "",
            "主持人": meeting["主持人"] or "",
            "记录人": meeting["记录人"] or "",
            "主办单位": meeting["主办单位"] or "",
            "应到人数": expected,
            "参会代表": chinese.Names(people),
            "参会人员": meeting["参会人员"] or "全体进站代表",
            "会议编号": code,
            "会议记录": f"会议记录（{code}）" if code else "会议记录（见当日）",
        }
        key = (date or dt.date.min, meeting.row)
        source = (meeting.title, meeting.row, meeting.digest)
        yield _meeting_owner(meeting), date, _Entry(key, row, source, expected)


# ── 代表履职档案 ────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Span:
    """What one booklet covers: a year, a --from/--to period, or a term."""

    start: dt.date
    end: dt.date
    label: str
    years: tuple[int, ...]
    term: Term | None = None

    def contains(self, date: dt.date | None) -> bool:
        return date is not None and self.start <= date <= self.end


def file_span(data: Dataset, env: PlanEnv) -> Span:
    term = env.term
    if term is not None:
        start, end = dt.date(term.first, 1, 1), dt.date(term.last, 12, 31)
        return Span(start, end, term.label, term.years, term)
    report = duty.report_span(data, env)
    years = tuple(range(report.start.year, report.end.year + 1))
    if len(years) > 20:  # an open-ended --from/--to: the years with records
        years = tuple(y for y in sorted(record_years(data, evaluation.scoring_rules(env))))
    return Span(report.start, report.end, report.label, years)


@dataclass
class _Mine:
    receptions: list[dict[str, Any]] = field(default_factory=list)
    activities: list[dict[str, Any]] = field(default_factory=list)
    meetings: list[dict[str, Any]] = field(default_factory=list)
    proposals: list[dict[str, Any]] = field(default_factory=list)
    sittings: list[dict[str, Any]] = field(default_factory=list)
    sources: list[tuple[str, int, str]] = field(default_factory=list)


def _index(data: Dataset, env: PlanEnv, span: Span) -> dict[str, _Mine]:
    """Every deputy's records of the span, one pass over each sheet (asking each sheet for each
    deputy would grow with deputies × records)."""

    def make() -> dict[str, _Mine]:
        index: dict[str, _Mine] = {}

        def of(name: str) -> _Mine:
            return index.setdefault(name, _Mine())

        _index_receptions(data, env, span, of)
        for r in data.rows("履职活动"):
            if span.contains(r["活动日期"]):
                for name in dict.fromkeys(r["参加代表"] or ()):
                    mine = of(name)
                    mine.activities.append(
                        {
                            "日期": chinese.cn_date(r["活动日期"]),
                            "活动类型": r["活动类型"] or "",
                            "活动主题": r["活动主题"] or "",
                            "地点": r["地点"] or "",
                            "_key": (r["活动日期"], r.row),
                        }
                    )
                    mine.sources.append((r.title, r.row, r.digest))
        for m in data.rows("会议"):
            if span.contains(m["日期"]):
                for deputy in attendees(data, m).deputies:
                    of(deputy.display).meetings.append(
                        {
                            "日期": chinese.cn_date(m["日期"]),
                            "会议名称": m["会议名称"] or "",
                            "会议类型": m["会议类型"] or "",
                            "联络站": m["联络站"] or m["主办单位"] or "",
                            "_key": (m["日期"], m.row),
                        }
                    )
        _index_proposals(data, span, of)
        _index_sittings(data, env, span, of)
        for mine in index.values():
            for rows in (mine.receptions, mine.activities, mine.meetings, mine.proposals):
                rows.sort(key=lambda r: r.pop("_key"))
                for n, row in enumerate(rows, start=1):
                    row["序号"] = n
        return index

    sheets = ("接待登记", "履职活动", "会议", "代表建议", "述职测评")
    return data.cached(("deputy files", span, as_of(env)), make, sheets)


def _index_receptions(data: Dataset, env: PlanEnv, span: Span, of: Callable) -> None:
    for r in data.rows("接待登记"):
        if not span.contains(r["接待日期"]):
            continue
        state = state_of(r, env)
        if state is not None:
            handled = state.flag + (f"：{r['办理结果']}" if r["办理结果"] else "")
        else:
            handled = r["现场答复"] or ""
        row = {
            "日期": chinese.cn_date(r["接待日期"]),
            "联络站": r["联络站"] or "",
            "反映内容": without_phones(r["反映内容"]),
            "处理方式": r["处理方式"] or "",
            "办理情况": without_phones(handled),
        }
        for name in dict.fromkeys(r["接待代表"] or ()):
            mine = of(name)
            mine.receptions.append({**row, "_key": (r["接待日期"], r.row)})
            mine.sources.append((r.title, r.row, r.digest))


def _index_proposals(data: Dataset, span: Span, of: Callable) -> None:
    for r in data.rows("代表建议"):
        day = proposal_date(r)
        if not span.contains(day):
            continue
        lead = r["领衔代表"]
        roles = [(lead, "领衔")] if lead else []
        roles += [(n, "附议") for n in dict.fromkeys(r["附议代表"] or ()) if n != lead]
        for name, role in roles:
            mine = of(name)
            mine.proposals.append(
                {
                    "日期": chinese.cn_date(day),
                    "编号": r["建议编号"] or "",
                    "标题": r["标题"] or "",
                    "类别": r["类别"] or "",
                    "角色": role,
                    "办理情况": outcome(r),
                    "_key": (day, r.row),
                }
            )
            mine.sources.append((r.title, r.row, r.digest))


def _index_sittings(data: Dataset, env: PlanEnv, span: Span, of: Callable) -> None:
    rules = duty.duty_rules(env)
    every = duty.sittings(data, replace(env, period=Period()))
    rated = [s for s in every if s.record.sheet == "述职测评" and span.contains(s.date)]
    for sitting in sorted(rated, key=lambda s: (s.date, s.record.row)):
        row = duty.tally_row(0, sitting, rules, data)
        mine = of(sitting.deputy)
        row["序号"] = len(mine.sittings) + 1
        mine.sittings.append(row)
        mine.sources.append((sitting.record.title, sitting.record.row, sitting.record.digest))


def _scores(data: Dataset, env: PlanEnv, span: Span, display: str) -> list[dict[str, Any]]:
    """The deputy's score of each year of the span the workbook has records in."""
    counted = _counted_years(data, env)
    rows = []
    for year in span.years:
        if year not in counted:
            continue
        rules = evaluation.scoring_rules(env)
        board = evaluation.scoreboard(data, env, Window.year(year))
        entry = data.cached(("score by name", rules, year), board.by_display, SCORED).get(display)
        if entry is None:
            continue
        rows.append(
            {
                "年度": f"{year}年度",
                "总分": points(entry.total),
                "等次": entry.grade,
                "名次": f"{entry.rank}/{len(board.scores)}",
                "站内名次": entry.station_rank,
                "五星": "★" if entry.star else "",
            }
        )
    return rows


def _counted_years(data: Dataset, env: PlanEnv) -> set[int]:
    """The years the scored sheets have records in, worked out once (a pass over each sheet)."""
    rules = evaluation.scoring_rules(env)
    return data.cached(("counted years", rules), lambda: record_years(data, rules), SCORED)


def _term_board(data: Dataset, env: PlanEnv, term: Term) -> TermBoard:
    """The term's totals from the same yearly scores the 考核表 print (evaluation.scoreboard)."""
    rules = evaluation.scoring_rules(env)

    def make() -> TermBoard:
        return term_board(
            data, rules, term, lambda year: evaluation.scoreboard(data, env, Window.year(year))
        )

    return data.cached(("term board", rules, term), make, SCORED)


def count_files(form: FormDef, data: Dataset, env: PlanEnv) -> int:
    return len(data.roster.deputies)


FILE_FIGURES = (  # the 档案's 履职统计, three to a row
    ("接待天数", "接待人次", "收集意见"),
    ("交办件数", "办结件数", "活动总数"),
    ("领衔建议", "领衔议案", "附议件数"),
)
SECTIONS = (  # heading, the context list it counts, its unit
    ("基本情况", "", ""),
    ("履职统计", "", ""),
    ("进站接待", "接待", "件"),
    ("履职活动", "活动", "次"),
    ("参加会议", "会议", "次"),
    ("建议议案", "建议", "件"),
    ("履职积分", "积分", "个年度"),
    ("述职评议", "述职", "次"),
)


def plan_files(form: FormDef, data: Dataset, env: PlanEnv) -> Iterator[Document]:
    span = file_span(data, env)
    index = _index(data, env, span)
    handed_on = env.rules.handed_on
    mentions = data.cached(
        ("file mentions", span.start, span.end),
        lambda: index_mentions(
            data.rows("履职活动"), data.rows("接待登记"), data.rows("代表建议"), span.contains
        ),
        ("履职活动", "接待登记", "代表建议"),
    )
    board = _term_board(data, env, span.term) if span.term is not None else None
    for deputy in data.roster.deputies:
        mine = index.get(deputy.display) or _Mine()
        fields = deputy_fields(data, deputy.display)
        fields.pop("联系电话", None)  # the deputy's own number is not the booklet's business
        counts = deputy_counts(mentions.get(deputy.display) or Mentions(), handed_on)
        scores = _scores(data, env, span, deputy.display)
        whole = board.by_display().get(deputy.display) if board is not None else None
        context: dict[str, Any] = {
            "表单名称": form.title,
            "姓名": deputy.display,
            "代表": fields,
            "联络站": deputy.station,
            "期间": span.label,
            "届期": span.term.label if span.term else "",
            "任期": span.term is not None,
            "统计": counts,
            "统计项": [
                [{"名称": FIGURES[k].label, "数": quantity(counts[k], k)} for k in keys]
                for keys in FILE_FIGURES
            ],  # three to a row
            "接待": mine.receptions,
            "活动": mine.activities,
            "会议": mine.meetings,
            "建议": mine.proposals,
            "积分": scores,
            "任期累计积分": points(whole.total) if whole else "",
            "任期名次": f"{whole.rank}/{len(board.scores)}" if whole and board else "",
            "任期站内名次": whole.station_rank if whole else "",
            "述职": mine.sittings,
            "统计日期": chinese.cn_date(as_of(env)),
        }
        lists = {"接待": mine.receptions, "活动": mine.activities, "会议": mine.meetings}
        lists.update({"建议": mine.proposals, "积分": scores, "述职": mine.sittings})
        context["目录"] = [
            {
                "序号": chinese.cn_index(n),
                "标题": title,
                "锚": f"s{n}",
                "条数": f"{len(lists[key])}{unit}" if key else "",
            }
            for n, (title, key, unit) in enumerate(SECTIONS, start=1)
        ]
        parts = fill_pattern(
            form.filename, {"期间": span.label, "联络站": deputy.station, "姓名": deputy.display}
        )
        yield Document(form, parts, context, [("代表名册", deputy.row, ""), *mine.sources])


# ── 任期累计积分 (the 档案 of a term, and `liaison score --term`) ────────────────────────────


@dataclass
class TermScore:
    deputy: Deputy
    years: dict[int, float]  # each counted year of the term → that year's total
    total: float = 0.0  # 任期累计积分: the sum (figures.py)
    rank: int = 0  # among every deputy (ties share a rank: 1, 1, 3)
    station_rank: int = 0


@dataclass
class TermBoard:
    term: Term
    years: tuple[int, ...]  # the years of the term the workbook has counted records in
    scores: list[TermScore]  # in rank order; ties by station, then roster row

    def by_display(self) -> dict[str, TermScore]:
        return {s.deputy.display: s for s in self.scores}


def term_board(
    data: Dataset, rules: ScoringRules, term: Term, board_of: Callable[[int], Scoreboard]
) -> TermBoard:
    """Each deputy's totals of the term's years (each year scored by `board_of`, with its own
    caps) and their sum, ranked. A year the workbook has no counted record in adds nothing."""
    years = tuple(y for y in term.years if y in record_years(data, rules))
    scores = {d.display: TermScore(d, {}) for d in data.roster.deputies}
    for year in years:
        for entry in board_of(year).scores:
            found = scores.get(entry.deputy.display)
            if found is not None:
                found.years[year] = entry.total
                found.total += entry.total
    ordered = sorted(scores.values(), key=lambda s: (-s.total, s.deputy.station, s.deputy.row))
    _rank(ordered, "rank")
    stations: dict[str, list[TermScore]] = {}
    for ranked in ordered:
        stations.setdefault(ranked.deputy.station, []).append(ranked)
    for group in stations.values():
        _rank(group, "station_rank")
    return TermBoard(term, years, ordered)


def _rank(ordered: list[TermScore], attribute: str) -> None:
    """Competition ranking over totals in descending order: 1, 1, 3."""
    previous: float | None = None
    rank = 0
    for position, entry in enumerate(ordered, start=1):
        if entry.total != previous:
            rank, previous = position, entry.total
        setattr(entry, attribute, rank)
