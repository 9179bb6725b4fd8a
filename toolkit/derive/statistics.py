"""The statistics family: 联络站工作统计 (figures, tables and charts) and the 年度工作总结 draft,
per station and for all stations together, over a year, a quarter or the --from/--to period.

Every figure is one of figures.py's (STATION_FIGURES and the per-row ones), counted in one pass
over each sheet for every station at once (`tally`), so the district's 222 stations cost one
read of 25,000 receptions, not 222. A handed-off matter's state (按期办结, 逾期办结, 正在办理,
逾期未办结) is followup.py's, as of --as-of, else the period's end (or today, when that is
later): last year's statistics do not change when they are built again.

A table and the chart beside it are one list of the context: a chart (render/charts.py) names
the list and its columns, it holds no numbers of its own. The all-stations document also ranks
the stations on the main figures (ties share a rank: 1, 1, 3) and lists the stations that held
no reception day in a month of the period.

A 年度工作总结 (`adds: [summary]`) says the same figures as sentences, lists the year's typical
cases (rows marked 是 in a 典型 column; when none is marked, the proposals with the most
co-signers and the receptions with the most visitors, said as such) and its 民生实事 results,
and leaves 【待填写：……】 where only people can write: the tool never invents an achievement.
"""

# Long module: one tally of a station's year feeds the statistics sheet, its charts and the
# 工作总结; kept with it so every figure is counted in one pass

from __future__ import annotations

import datetime as dt
import heapq
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .. import chinese, contract
from ..forms import FormDef
from ..model import Dataset, Document, PlanEnv, Record
from ..rules import Calendar, load_calendar
from ..validate.meetings import attendees
from .fields import fill_pattern, level_title, period_label, station_fields
from .figures import (
    FIGURES,
    FOLLOW_UP_FIGURES,
    closed,
    deputy_counts,
    handed_off,
    index_mentions,
    proposal_date,
    satisfied,
    visitors,
)
from .followup import follow_up
from .meetings import passes, vote_items, vote_results
from .scoring import QUARTER_ENDS, Window

ALL_STATIONS = "全部联络站"
UNCLASSIFIED = "未分类"
STATES = tuple(FOLLOW_UP_FIGURES.values())  # followup.STATES, as figures say them
_STATE_OF = FOLLOW_UP_FIGURES
# Deputies by how many reception days they had: the participation chart's bars.
BUCKETS = (
    (0, 0, "未参加接待"),
    (1, 2, "1—2次"),
    (3, 5, "3—5次"),
    (6, 11, "6—11次"),
    (12, None, "12次及以上"),
)
CONTENT = ("满意", "基本满意")
TYPICAL_MARKS = ("是", "√", "✓", "典型", "Y", "y", "yes", "1")
TYPICAL_PICKS = 3  # cases offered when none is marked


def calendar_of(env: PlanEnv) -> Calendar:
    found = getattr(env, "calendar", None)
    return found if found is not None else load_calendar()


# ── the window ───────────────────────────────────────────────────────────────────────────────


def window(data: Dataset, env: PlanEnv) -> Window:
    """--quarter: that quarter only (a 季度统计 is the quarter's work); --from/--to (or the
    --year the build turned into dates); else the latest year with receptions."""
    if env.quarter in (1, 2, 3, 4):
        year = env.year or (env.period.end.year if env.period.end else latest_year(data, env))
        month, day = QUARTER_ENDS[env.quarter]
        start = dt.date(year, month - 2, 1)
        return Window(
            start,
            dt.date(year, month, day),
            f"{year}年第{chinese.cn_number(env.quarter)}季度",
            env.quarter,
        )
    if env.year:
        return Window.year(env.year)
    period = env.period
    if period.bounded:
        start = period.start or dt.date(1900, 1, 1)
        end = period.end or dt.date(9999, 12, 31)
        whole = Window.year(start.year)
        if (start, end) == (whole.start, whole.end):
            return whole
        return Window(start, end, period_label(period, None))
    return Window.year(latest_year(data, env))


def latest_year(data: Dataset, env: PlanEnv) -> int:
    years = {
        r["接待日期"].year for r in data.rows("接待登记") if isinstance(r["接待日期"], dt.date)
    }
    return max(years) if years else env.today.year


def as_of(env: PlanEnv, span: Window) -> dt.date:
    """The day the handling states are judged on: --as-of, else the period's end, or today
    while the period is still running."""
    return env.as_of or min(span.end, env.today)


def months(span: Window, until: dt.date) -> list[tuple[int, int]]:
    """(year, month) of every month the window touches, up to the month of `until`."""
    found = []
    year, month = span.start.year, span.start.month
    while dt.date(year, month, 1) <= min(span.end, until):
        found.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


# ── counting ────────────────────────────────────────────────────────────────────────────────


@dataclass
class Tally:
    """One station's counts (or every station's) over the window."""

    counts: Counter[str] = field(default_factory=Counter)
    days: set[dt.date] = field(default_factory=set)
    by_month: dict[tuple[int, int], Counter[str]] = field(default_factory=dict)
    month_days: dict[tuple[int, int], set[dt.date]] = field(default_factory=dict)
    categories: Counter[str] = field(default_factory=Counter)
    routes: Counter[str] = field(default_factory=Counter)
    activities: Counter[str] = field(default_factory=Counter)
    meetings: Counter[str] = field(default_factory=Counter)
    proposals: Counter[str] = field(default_factory=Counter)  # 建议/议案, A–D, 满意…
    projects: list[dict[str, Any]] = field(default_factory=list)
    sources: list[tuple[str, int, str]] = field(default_factory=list)  # the receptions counted
    marked: list[Record] = field(default_factory=list)  # rows marked 典型, receptions and proposals
    busiest: list[tuple[int, int, Record]] = field(default_factory=list)  # most visitors (heap)
    signed: list[tuple[int, int, Record]] = field(default_factory=list)  # most co-signers (heap)

    def month(self, day: dt.date) -> Counter[str]:
        key = (day.year, day.month)
        found = self.by_month.get(key)
        if found is None:
            found = self.by_month[key] = Counter()
            self.month_days[key] = set()
        return found

    def add_day(self, day: dt.date) -> None:
        self.days.add(day)
        self.month(day)
        self.month_days[(day.year, day.month)].add(day)


@dataclass
class Tallies:
    stations: dict[str, Tally]  # station name → its tally; ALL_STATIONS → every row once
    deputies: dict[str, dict[str, int]]  # deputy display → figures.deputy_counts (when any)
    span: Window
    as_of: dt.date


def tally(data: Dataset, env: PlanEnv, span: Window) -> Tallies:
    """Every station's counts in one pass over each sheet; kept per dataset and window."""
    until = as_of(env, span)
    # Rules hold dicts (not hashable): the run keeps one object of each, named by id.
    key = ("statistics", span, until, id(env.rules), env.rules.handed_on, calendar_of(env))
    sheets = ("接待登记", "履职活动", "会议", "代表建议", "票决项目", "票决结果", "代表名册")
    return data.cached(key, lambda: _tally(data, env, span, until), sheets)


# Complex function: one pass over the rows counts every station figure; the branches are the
# figures
def _tally(data: Dataset, env: PlanEnv, span: Window, until: dt.date) -> Tallies:  # noqa: C901 (the reason is above)
    rules, calendar = env.rules, calendar_of(env)
    stations: dict[str, Tally] = {ALL_STATIONS: Tally()}
    for r in data.rows("联络站"):
        stations.setdefault(r["站点名称"], Tally())
    for d in data.roster.deputies:
        stations.setdefault(d.station, Tally())
    whole = stations[ALL_STATIONS]

    def inside(day: Any) -> bool:
        return isinstance(day, dt.date) and span.start <= day <= span.end

    # the rows a deputy's figures count, kept from these passes for figures.index_mentions (a
    # second read of 25,000 receptions from disk cost as much as the whole tally)
    receptions: list[Record] = []
    station_visits: list[Record] = []  # 进站接待
    for r in data.rows("接待登记"):
        day = r["接待日期"]
        if not inside(day):
            continue
        receptions.append(r)
        facts = _Facts(r, rules.handed_on, follow_up(r, rules, calendar, until))
        for t in _both(stations, whole, r["联络站"]):
            _add_reception(t, r, day, facts)
    station_of = {d.display: d.station for d in data.roster.deputies}
    for r in data.rows("履职活动"):
        day = r["活动日期"]
        if not inside(day):
            continue
        names = list(dict.fromkeys(r["参加代表"] or ()))
        if r["活动类型"] == "进站接待":  # a reception day of its deputies (figures.py)
            station_visits.append(r)
            continue
        whole.activities[r["活动类型"]] += 1
        for station in dict.fromkeys(station_of.get(n, "") for n in names):
            if station in stations:
                stations[station].activities[r["活动类型"]] += 1
    for m in data.rows("会议"):
        day = m["日期"]
        if not inside(day):
            continue
        for t in _both(stations, whole, m["联络站"]):
            t.meetings[m["会议类型"]] += 1
            if m["会议类型"] == "接待选民日":
                t.add_day(day)
            elif m["会议类型"] == "民生实事票决会":
                t.projects.extend(_projects(data, m))
    for r in data.rows("代表建议"):
        if not inside(proposal_date(r)):
            continue
        for t in _both(stations, whole, station_of.get(r["领衔代表"] or "", "")):
            _add_proposal(t, r)
    for t in stations.values():
        t.counts["接待日数"] = len(t.days)
    # A deputy's 接待天数, 接待人次 and 收集意见 are printed in the 述职报告 and the 考核表 too:
    # they are figures.py's deputy_counts, not counted again here (proposals: not printed).
    mentions = index_mentions(station_visits, receptions, (), inside)
    deputies = {name: deputy_counts(m, rules.handed_on) for name, m in mentions.items()}
    return Tallies(stations, deputies, span, until)


def _both(stations: dict[str, Tally], whole: Tally, station: Any) -> Iterator[Tally]:
    yield whole
    if station and station in stations:
        yield stations[station]


class _Facts:
    """What one reception adds to a tally, worked out once for the station's and the whole's
    (each by figures.py's per-row rules)."""

    __slots__ = (
        "category",
        "closed",
        "content",
        "handed",
        "rated",
        "route",
        "satisfied",
        "state",
        "visitors",
    )

    def __init__(self, r: Record, handed_on: frozenset[str], state: Any) -> None:
        self.visitors = visitors(r)
        self.handed = handed_off(r, handed_on)
        self.closed = closed(r, handed_on)
        self.satisfied = satisfied(r)
        self.rated = bool(r["群众满意度"])
        self.content = r["群众满意度"] in CONTENT
        self.state = _STATE_OF[state.state] if state is not None else ""
        self.category = r["问题类别"] or UNCLASSIFIED
        self.route = r["处理方式"] or "未填处理方式"


def _add_reception(t: Tally, r: Record, day: dt.date, f: _Facts) -> None:
    c, month = t.counts, t.month(day)
    t.add_day(day)
    for counter in (c, month):
        counter["收集意见"] += 1
        counter["接待人次"] += f.visitors
    c["交办件数"] += f.handed
    c["办结件数"] += f.closed
    c["满意件数"] += f.satisfied
    c["评价件数"] += f.rated
    c["满意及基本满意"] += f.content
    if f.state:
        c[f.state] += 1
        month[f.state] += 1
    t.categories[f.category] += 1
    t.routes[f.route] += 1
    t.sources.append((r.title, r.row, r.digest))
    _candidate(t, t.busiest, f.visitors, r)


def typical(record: Record) -> bool:
    """Marked 是 in a 典型 column (a contract column, or an extra one in an older workbook)."""
    mark = record["典型"] if "典型" in record.values else record.extra.get("典型")
    return str(mark or "").strip() in TYPICAL_MARKS


def _candidate(t: Tally, heap: list[tuple[int, int, Record]], weight: int, r: Record) -> None:
    """Keep the rows marked 典型, and the TYPICAL_PICKS heaviest (earliest row on a tie), for
    the summary: never every row of a 25,000-row year."""
    if typical(r):
        t.marked.append(r)
    item = (weight, -r.row, r)
    if len(heap) < TYPICAL_PICKS:
        heapq.heappush(heap, item)
    elif item[:2] > heap[0][:2]:
        heapq.heapreplace(heap, item)


def _add_proposal(t: Tally, r: Record) -> None:
    c = t.proposals
    c[r["类别"] or "建议"] += 1
    if r["办理结果类别"]:
        c[r["办理结果类别"]] += 1
        c["已答复"] += 1
    if r["代表满意度"]:
        c["评价"] += 1
        c["满意"] += r["代表满意度"] in CONTENT
    _candidate(t, t.signed, len(r["附议代表"] or ()), r)


def _projects(data: Dataset, meeting: Record) -> list[dict[str, Any]]:
    results = {str(r["项目编号"] or ""): r for r in vote_results(data, meeting)}
    entitled = meeting["应到人数"] or len(attendees(data, meeting).deputies)
    found = []
    for item in vote_items(data, meeting):
        result = results.get(str(item["项目编号"] or ""))
        yes = (result["赞成"] or 0) if result is not None else None
        found.append(
            {
                "项目名称": item["项目名称"] or "",
                "会议": meeting["会议名称"] or "",
                "日期": chinese.typed(meeting["日期"]),
                "赞成": yes if yes is not None else "",
                "应到": entitled,
                "结果": "未计票" if yes is None else "通过" if passes(yes, entitled) else "未通过",
                "投资估算": chinese.typed(item["投资估算(万元)"]),
                "责任单位": item["责任单位"] or "",
            }
        )
    return found


# ── what a document prints ──────────────────────────────────────────────────────────────────


def share(part: int, whole: int) -> chinese.Percent | str:
    """part ÷ whole as a percentage with one decimal (85.0%), a number in Excel; — for 0 ÷ 0."""
    return chinese.percent(part, whole, digits=1) if whole else "—"


def station_deputies(data: Dataset, station: str) -> list[Any]:
    if station == ALL_STATIONS:
        return list(data.roster.deputies)
    return [d for d in data.roster.deputies if d.station == station]


def figures_of(data: Dataset, tallies: Tallies, station: str) -> dict[str, Any]:
    """Every figure of a station (or ALL_STATIONS), by figures.py's keys."""
    t = tallies.stations[station]
    c = t.counts
    deputies = station_deputies(data, station)
    received = sum(1 for d in deputies if _deputy(tallies, d.display)["接待天数"])
    p = t.proposals
    passed = sum(1 for project in t.projects if project["结果"] == "通过")
    return {
        "接待日数": c["接待日数"],
        "接待人次": c["接待人次"],
        "收集意见": c["收集意见"],
        "交办件数": c["交办件数"],
        "办结件数": c["办结件数"],
        **{state: c[state] for state in STATES},
        "办结率": share(c["办结件数"], c["交办件数"]),
        "满意件数": c["满意件数"],
        "评价件数": c["评价件数"],
        "满意率": share(c["满意及基本满意"], c["评价件数"]),
        "代表人数": len(deputies),
        "接待代表": received,
        "进站率": share(received, len(deputies)),
        "站点活动": sum(t.activities.values()),
        "会议次数": sum(t.meetings.values()),
        "代表建议": p["建议"] + p["议案"],
        "领衔建议": p["建议"],
        "领衔议案": p["议案"],
        "已答复": p["已答复"],
        "建议满意率": share(p["满意"], p["评价"]),
        "票决项目": len(t.projects),
        "通过项目": passed,
    }


# The main figures, in the order the overview table and the summary's table list them.
OVERVIEW = (
    "接待日数",
    "接待人次",
    "收集意见",
    "交办件数",
    "办结件数",
    "按期办结",
    "逾期办结",
    "正在办理",
    "逾期未办结",
    "办结率",
    "评价件数",
    "满意率",
    "代表人数",
    "接待代表",
    "进站率",
    "站点活动",
    "会议次数",
    "代表建议",
    "已答复",
    "建议满意率",
    "票决项目",
    "通过项目",
)
RANKED = ("接待人次", "收集意见", "办结率", "满意率", "进站率")


def overview(numbers: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for n, key in enumerate(OVERVIEW, start=1):
        figure = FIGURES[key]
        rows.append(
            {
                "序号": n,
                "项目": figure.label,
                "数值": numbers[key],
                "单位": "" if figure.unit == "%" else figure.unit,
                "口径": figure.rule,
            }
        )
    return rows


def _shares(counter: Counter[str], order: Iterable[str], name: str) -> list[dict[str, Any]]:
    total = sum(counter.values())
    keys = [k for k in order if counter.get(k)] + sorted(k for k in counter if k not in order)
    return [{name: k, "件数": counter[k], "占比": share(counter[k], total)} for k in keys]


def month_rows(t: Tally, span: Window, until: dt.date) -> list[dict[str, Any]]:
    rows = []
    for year, month in months(span, until):
        c = t.by_month.get((year, month), Counter())
        label = f"{month}月" if span.start.year == span.end.year else f"{year}年{month}月"
        rows.append(
            {
                "月份": label,
                "接待日数": len(t.month_days.get((year, month), ())),
                "接待人次": c["接待人次"],
                "收集意见": c["收集意见"],
                **{state: c[state] for state in STATES},
            }
        )
    return rows


def participation(data: Dataset, tallies: Tallies, station: str) -> list[dict[str, Any]]:
    days = [_deputy(tallies, d.display)["接待天数"] for d in station_deputies(data, station)]
    rows = []
    for low, high, label in BUCKETS:
        count = sum(1 for n in days if n >= low and (high is None or n <= high))
        rows.append({"接待次数": label, "代表人数": count})
    return rows


_NONE: dict[str, int] = dict.fromkeys(("接待天数", "接待人次", "收集意见"), 0)


def _deputy(tallies: Tallies, name: str) -> dict[str, int]:
    return tallies.deputies.get(name, _NONE)


def deputy_rows(data: Dataset, tallies: Tallies, station: str) -> list[dict[str, Any]]:
    rows = []
    for n, d in enumerate(station_deputies(data, station), start=1):
        counts = _deputy(tallies, d.display)
        rows.append(
            {
                "序号": n,
                "姓名": d.display,
                "代表层级": level_title(d.level),
                "接待天数": counts["接待天数"],
                "接待人次": counts["接待人次"],
                "收集意见": counts["收集意见"],
            }
        )
    return rows


def ranks(values: list[float]) -> list[int]:
    """1 for the largest; equal values share a rank and the next one skips (1, 1, 3)."""
    order = sorted(values, reverse=True)
    first: dict[float, int] = {}
    for i, v in enumerate(order, start=1):
        first.setdefault(v, i)
    return [first[v] for v in values]


def _rankable(value: Any) -> float:
    return float(value) if isinstance(value, int | float) else -1.0


def ranking(data: Dataset, tallies: Tallies) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The stations ranked on the main figures, and the months each held no reception day."""
    names = [s for s in tallies.stations if s != ALL_STATIONS]
    numbers = {s: figures_of(data, tallies, s) for s in names}
    by_figure = {k: ranks([_rankable(numbers[s][k]) for s in names]) for k in RANKED}
    span_months = months(tallies.span, tallies.as_of)
    rows, gaps = [], []
    for i, s in enumerate(names):
        t = tallies.stations[s]
        empty = [m for y, m in span_months if not t.month_days.get((y, m))]
        label = "、".join(f"{m}月" for m in empty)
        rows.append(
            {
                "联络站": s,
                **{k: numbers[s][k] for k in ("接待日数", *RANKED)},
                **{f"{k}名次": by_figure[k][i] for k in RANKED},
                "无接待月份": label,
            }
        )
        if empty:
            gaps.append({"联络站": s, "无接待月份": label, "月数": len(empty)})
    rows.sort(key=lambda r: (r["接待人次名次"], r["联络站"]))
    for n, row in enumerate(rows, start=1):
        row["序号"] = n
    return rows, gaps


# The stations chart plots the first of the ranking only: a bar each keeps it within the height
# of every other chart (charts.height_for), the Word picture's too.
STATION_BARS = 12


def charts(whole: bool, stations: int = 0) -> dict[str, dict[str, Any]]:
    """The charts of a statistics document: each names the table (context list) it plots."""
    found: dict[str, dict[str, Any]] = {
        "按月": {
            "类型": "柱状",
            "标题": "各月接待选民情况",
            "数据": "按月",
            "分类": "月份",
            "系列": ["接待人次", "收集意见"],
            "单位": "人次 / 件",
        },
        "问题类别": {
            "类型": "条形",
            "标题": "意见建议的问题类别",
            "数据": "问题类别",
            "分类": "类别",
            "系列": ["件数"],
            "单位": "件",
        },
        "办理情况": {
            "类型": "堆积",
            "标题": "交办事项办理情况（按接待月份）",
            "数据": "按月",
            "分类": "月份",
            "系列": list(STATES),
            "单位": "件",
        },
        "代表参与": {
            "类型": "柱状",
            "标题": "代表进站接待次数分布",
            "数据": "代表参与",
            "分类": "接待次数",
            "系列": ["代表人数"],
            "单位": "人",
        },
    }
    if whole:
        more = stations > STATION_BARS
        found["站点"] = {
            "类型": "条形",
            "标题": f"接待选民人次前{STATION_BARS}名的联络站" if more else "各联络站接待选民人次",
            "最多": STATION_BARS,
            "数据": "排名",
            "分类": "联络站",
            "系列": ["接待人次"],
            "单位": "人次",
        }
    return found


def statistics_context(
    form: FormDef, data: Dataset, env: PlanEnv, tallies: Tallies, station: str
) -> dict[str, Any]:
    whole = station == ALL_STATIONS
    t = tallies.stations[station]
    numbers = figures_of(data, tallies, station)
    span = tallies.span
    context: dict[str, Any] = {
        "表单名称": form.title,
        "联络站": station,
        "全部": whole,
        "单站": not whole,
        "站点": station_fields(data, "" if whole else station),
        "期间": span.label,
        "起止": f"{chinese.cn_date(span.start)}至{chinese.cn_date(min(span.end, tallies.as_of))}",
        "截至": chinese.cn_date(tallies.as_of),
        "数字": numbers,
        "总体": overview(numbers),
        "按月": month_rows(t, span, tallies.as_of),
        "问题类别": [
            {"类别": r["类别"], "件数": r["件数"], "占比": r["占比"]}
            for r in _shares(t.categories, (*contract.PROBLEM_CATEGORIES, UNCLASSIFIED), "类别")
        ],
        "处理方式": _shares(t.routes, env.rules.routes, "处理方式"),
        "办理情况": [
            {"状态": s, "件数": numbers[s], "占比": share(numbers[s], numbers["交办件数"])}
            for s in STATES
        ],
        "代表参与": participation(data, tallies, station),
        "代表": [] if whole else deputy_rows(data, tallies, station),
        "活动": [
            {"类型": k, "次数": t.activities[k]}
            for k in contract.ACTIVITY_TYPES
            if t.activities.get(k)
        ],
        "会议": [
            {"类型": k, "次数": t.meetings[k]} for k in contract.MEETING_TYPES if t.meetings.get(k)
        ],
        "建议": _proposal_rows(t),
        "民生实事": [dict(p, 序号=n) for n, p in enumerate(t.projects, start=1)],
        "排名": [],
        "无接待": [],
        "站数": len(tallies.stations) - 1,
    }
    if whole:
        context["排名"], context["无接待"] = ranking(data, tallies)
    shown = charts(whole, context["站数"])
    # A chart of nothing is left out (no opinions: no category chart), in every format alike.
    context["图表"] = {
        name: spec
        for name, spec in shown.items()
        if any(_positive(row.get(s)) for row in context[spec["数据"]] for s in spec["系列"])
    }
    return context


def _positive(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value > 0


def _proposal_rows(t: Tally) -> list[dict[str, Any]]:
    p = t.proposals
    rows = [("领衔建议", p["建议"]), ("领衔议案", p["议案"]), ("已答复", p["已答复"])]
    labels = {
        "A": "A类（已解决或基本解决）",
        "B": "B类（正在解决或列入计划）",
        "C": "C类（条件限制以后解决）",
        "D": "D类（留作参考）",
    }
    rows += [(labels[k], p[k]) for k in contract.RESULT_CLASSES]
    return [{"项目": name, "件数": n} for name, n in rows]


# ── planning ────────────────────────────────────────────────────────────────────────────────


def _stations(data: Dataset, tallies: Tallies) -> list[str]:
    names = [s for s in tallies.stations if s != ALL_STATIONS]
    return [*names, ALL_STATIONS] if len(names) > 1 else names


def count_statistics(form: FormDef, data: Dataset, env: PlanEnv) -> int:
    names = {r["站点名称"] for r in data.rows("联络站")} | {d.station for d in data.roster.deputies}
    return len(names) + (1 if len(names) > 1 else 0)


def plan_statistics(form: FormDef, data: Dataset, env: PlanEnv) -> Iterator[Document]:
    """One document per station and one for all stations (with more than one station)."""
    span = window(data, env)
    tallies = tally(data, env, span)
    for station in _stations(data, tallies):
        context = statistics_context(form, data, env, tallies, station)
        parts = fill_pattern(form.filename, {"联络站": station, "期间": span.label})
        yield Document(form, parts, context, _sources(data, tallies, station))


def _sources(data: Dataset, tallies: Tallies, station: str) -> list[tuple[str, int, str]]:
    return list(tallies.stations[station].sources)


__all__ = [
    "ALL_STATIONS",
    "count_statistics",
    "plan_statistics",
    "tally",
    "window",
]
