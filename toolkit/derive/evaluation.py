"""The year-end evaluation family: 代表年度履职考核表 (per deputy × year) and 履职积分汇总及公示表
(per station, plus one for all stations), planned from the scores of `scoring.py`.

The window a score covers: --quarter (1 January to the quarter's end), else --year, else the
--from/--to period, else the latest year the counted sheets have records in. Scores are computed
once per window and dataset and shared by both forms and every format, so they cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from .. import chinese
from ..errors import UsageError
from ..forms import FormDef
from ..model import Dataset, Document, PlanEnv
from ..rules.scoring import ScoringRules, load_scoring, number
from .fields import deputy_fields, fill_pattern, period_label, station_fields
from .scoring import Scoreboard, Window, latest_year, score, star_cut

ALL_STATIONS = "全部联络站"
SHORT_LEVELS = {"全国": "全国", "省": "省级", "市": "市级", "县": "县（区）", "乡镇": "乡镇"}


def scoring_rules(env: PlanEnv) -> ScoringRules:
    return env.scoring if env.scoring is not None else _default_scoring()


@lru_cache(maxsize=1)
def _default_scoring() -> ScoringRules:
    return load_scoring()


def windows(data: Dataset, env: PlanEnv) -> list[Window]:
    rules = scoring_rules(env)
    if env.quarter:
        if env.quarter not in (1, 2, 3, 4):
            raise UsageError(f"--quarter 应为 1 到 4，而不是 {env.quarter}")
        return [Window.quarter_of(env.year or latest_year(data, rules, env.today), env.quarter)]
    if env.year:
        return [Window.year(env.year)]
    period = env.period
    if period.bounded:
        start = period.start or dt.date(1900, 1, 1)
        end = period.end or dt.date(9999, 12, 31)
        return [Window(start, end, period_label(period, None))]
    if not data.roster.deputies:
        return []
    # The year-end forms are for one year: a stray record of last December must not make a
    # second set of sheets for every deputy. --year picks another.
    return [Window.year(latest_year(data, rules, env.today))]


def scoreboard(data: Dataset, env: PlanEnv, window: Window) -> Scoreboard:
    """Scored once per dataset, rules and window; a warning (a record without a date) is
    reported once, however many forms and formats use the scores."""
    rules = scoring_rules(env)

    def make() -> Scoreboard:
        board = score(data, rules, window)
        known = {(p.sheet, p.row, p.message) for p in data.problems}
        data.problems.extend(p for p in board.problems if (p.sheet, p.row, p.message) not in known)
        return board

    return data.cached(("scores", rules, window), make, ("履职活动", "接待登记", "代表建议"))


def _num(value: float) -> int | float:
    """Whole points as int, so Excel shows 3 and not 3.0."""
    return int(value) if float(value).is_integer() else value


# --- 代表年度履职考核表 -----------------------------------------------------------------------


def count_sheets(form: FormDef, data: Dataset, env: PlanEnv) -> int:
    return len(windows(data, env)) * len(data.roster.deputies)


def plan_sheets(form: FormDef, data: Dataset, env: PlanEnv) -> Iterator[Document]:
    for window in windows(data, env):
        board = scoreboard(data, env, window)
        people = len(board.scores)
        per_station = Counter(s.deputy.station for s in board.scores)
        for entry in sorted(board.scores, key=lambda s: s.deputy.row):
            yield _sheet_document(
                form, data, board, entry, people, per_station[entry.deputy.station]
            )


# Long function: the 考核表's context field by field, as its templates read it.
def _sheet_document(
    form: FormDef, data: Dataset, board: Scoreboard, entry: Any, people: int, station_size: int
) -> Document:
    rules = board.rules
    deputy = entry.deputy
    items = []
    details = []
    for n, item_score in enumerate(entry.items, start=1):
        item = item_score.item
        items.append(
            {
                "序号": n,
                "类别": "扣分" if item.deduction else "加分",
                "名称": item.name,
                "计分标准": item.standard,
                "次数": item_score.count,
                "原始得分": _num(item_score.raw),
                "得分": _num(item_score.points),
                "说明": "已达上限" if item_score.capped else "",
            }
        )
        for source in item_score.sources:
            details.append(
                {
                    "项目": item.name,
                    "日期": chinese.cn_date(source.date),
                    "类型": source.kind,
                    "内容": source.topic,
                    "出处": source.where or f"{source.sheet} 第{source.row}行",
                    "_key": (source.date, source.sheet, source.row, n),
                }
            )
    details.sort(key=lambda d: d.pop("_key"))
    for n, detail in enumerate(details, start=1):
        detail["序号"] = n
    added = sum(i.points for i in entry.items if not i.item.deduction)
    taken = -sum(i.points for i in entry.items if i.item.deduction)
    cap = rules.total_cap
    context: dict[str, Any] = {
        "表单名称": form.title,
        "年度": board.window.label,
        "代表": deputy_fields(data, deputy.display),
        "站点": station_fields(data, deputy.station),
        "项目": items,
        "汇总": [
            {"名称": "加分合计", "得分": _num(added), "说明": ""},
            {"名称": "扣分合计", "得分": _num(-taken), "说明": ""},
            {
                "名称": "总分",
                "得分": _num(entry.total),
                "说明": f"合计 {number(entry.subtotal)} 分，按上限计" if entry.total_capped else "",
            },
        ],
        "加分合计": _num(added),
        "扣分合计": _num(taken),
        "合计": _num(entry.subtotal),
        "总分上限": _num(cap) if cap is not None else "",
        "总分": _num(entry.total),
        "总分封顶": entry.total_capped,
        "等次": entry.grade,
        "名次": entry.rank,
        "参评人数": people,
        "站内名次": entry.station_rank,
        "站内人数": station_size,
        "五星": ("是" if entry.star else "否") if board.starred else "",
        "五星规则": star_rule(rules, people, station_size),
        "评定等次": board.graded,
        "评定五星": board.starred,
        "评定说明": judgement_note(board),
        "明细": details,
        # Printed on the sheet: the rules by their title, never a file name (older templates
        # print 规则文件, so it holds the title too).
        "规则名称": rules.title,
        "规则文件": f"《{rules.title}》",
    }
    parts = fill_pattern(
        form.filename,
        {"年度": board.window.label, "姓名": deputy.display, "联络站": deputy.station},
    )
    return Document(form, parts, context, [("代表名册", deputy.row, "")])


def judgement_note(board: Scoreboard) -> str:
    """Why a part-year sheet shows no grade or 五星 (they are year-end judgements)."""
    if board.graded and board.starred:
        return ""
    what = "五星" if board.graded else "等次和五星"
    return f"{board.window.label}只公示截至期末的积分和名次，{what}在年度考核时评定。"


def star_rule(rules: ScoringRules, people: int, station_size: int) -> str:
    share = f"{number(rules.star_share * 100)}%"
    if rules.star_scope == "联络站":
        cut = star_cut(rules.star_share, station_size)
        return f"各联络站名次在前 {share}（本站 {cut} 名，并列的都算）"
    return f"名次在前 {share}（{star_cut(rules.star_share, people)} 名，并列的都算）"


# --- 履职积分汇总及公示表 ----------------------------------------------------------------------


def _board_groups(data: Dataset, board: Scoreboard) -> list[tuple[str, list[Any]]]:
    stations: dict[str, list[Any]] = {}
    for entry in board.scores:
        stations.setdefault(entry.deputy.station, []).append(entry)
    groups = [(name, stations[name]) for name in sorted(stations)]
    return [*groups, (ALL_STATIONS, board.scores)] if len(groups) > 1 else groups


def count_boards(form: FormDef, data: Dataset, env: PlanEnv) -> int:
    stations = {d.station for d in data.roster.deputies}
    per_window = len(stations) + (1 if len(stations) > 1 else 0)
    return len(windows(data, env)) * per_window


def plan_boards(form: FormDef, data: Dataset, env: PlanEnv) -> Iterator[Document]:
    for window in windows(data, env):
        board = scoreboard(data, env, window)
        for station, entries in _board_groups(data, board):
            yield _board_document(form, data, board, station, entries, env.as_of or env.today)


# Long function: the 公示表's context field by field, as its templates read it.
def _board_document(
    form: FormDef,
    data: Dataset,
    board: Scoreboard,
    station: str,
    entries: list[Any],
    issued: dt.date,
) -> Document:
    """One posted board; `issued` is the day it is dated and its 公示期 starts (--as-of)."""
    whole = station == ALL_STATIONS
    ordered = entries if whole else sorted(entries, key=lambda s: (s.station_rank, s.deputy.row))
    rows = []
    for entry in ordered:
        fields = deputy_fields(data, entry.deputy.display)
        rows.append(
            {
                "名次": entry.rank,
                "站内名次": entry.station_rank,
                "姓名": entry.deputy.display,
                "代表层级": fields.get("代表层级", ""),
                "层级": SHORT_LEVELS.get(entry.deputy.level, entry.deputy.level),
                "所属联络站": entry.deputy.station,
                # Posted publicly: the one masking rule of DESIGN §6, nothing else personal.
                "联系电话": chinese.mask_phone(fields.get("联系电话", "")),
                "总分": _num(entry.total),
                "等次": entry.grade,
                "五星": "★" if entry.star else "",
            }
        )
    grades: dict[str, int] = {}
    if board.graded:
        grades = {g.name: 0 for g in board.rules.grades_for(board.window.quarter) or ()}
        for entry in entries:
            grades[entry.grade] = grades.get(entry.grade, 0) + 1
    notice = board.rules.notice
    site = station_fields(data, "" if whole else station)
    issuer = notice.issuer or ("" if whole else station)
    phone = notice.phone or ("" if whole else site.get("联系电话", ""))
    until = issued + dt.timedelta(days=notice.days - 1)
    context: dict[str, Any] = {
        "表单名称": form.title,
        "期间": board.window.label,
        "联络站": station,
        "站点": site,
        "全部": whole,
        "名单": rows,
        "人数": len(entries),
        "五星人数": sum(1 for e in entries if e.star),
        "等次人数": [{"等次": k, "人数": v} for k, v in grades.items()],
        "五星规则": star_rule(board.rules, len(board.scores), len(entries)),
        "排名范围": "全部联络站" if board.rules.star_scope == "全部" else "各联络站",
        "评定等次": board.graded,
        "评定五星": board.starred,
        "评定说明": judgement_note(board),
        "发布单位": issuer,
        "公示日期": chinese.cn_date(issued),
        "公示期": f"{chinese.cn_date(issued)}至{chinese.cn_date(until)}",
        "公示天数": notice.days,
        "异议电话": phone,
        "异议受理": issuer or "代表所在联络站",
    }
    parts = fill_pattern(form.filename, {"联络站": station, "期间": board.window.label})
    sources = [("代表名册", e.deputy.row, "") for e in entries]
    return Document(form, parts, context, sources)
