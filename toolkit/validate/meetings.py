"""The meeting sheets' rules between rows and sheets (会议, 票决项目, 票决结果, 满意度测评).

`check_meetings(data)` runs after every sheet is typed (validate.py calls it last). Each problem
names the cell as the clerk sees it; a row with an error is rejected like any other bad row, so
no tally is made from counts that cannot be right. `attendees(data, meeting)` resolves who is
expected at a meeting: the deputies named in 参会人员, or a whole group written as
全体进站代表 (the meeting's station), 全体区人大代表 (a level), 白沙镇全体人大代表 (a township's
deputies); a blank cell means the station's deputies.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from .. import contract, values
from ..chinese import cn_date
from ..errors import WARNING
from ..model import Dataset, Record, Rejects
from ..names import Deputy

VOTE = "民生实事票决会"
RATED = ("政府部门进站", "代表议事会")
NOTICE_DAYS = 3  # 接待选民日 and meetings are announced this many days ahead
_GROUP = re.compile(r"^(?P<place>.*?)全体(?P<level>.*?)(?:人大)?代表$")


@dataclass
class Attendance:
    deputies: list[Deputy]
    problems: list[values.ValueProblem]


def attendees(data: Dataset, meeting: Record) -> Attendance:
    """The deputies expected at `meeting`, each once, in the order the cell names them."""
    text = values.normalise_name(meeting["参会人员"] or "")
    station = meeting["联络站"]
    if not text:
        return Attendance(_station_deputies(data, station), [])
    found: list[Deputy] = []
    problems: list[values.ValueProblem] = []
    for piece in values.split_name_pieces(meeting["参会人员"] or ""):
        group = _GROUP.match(values.normalise_name(piece))
        if group:
            members = _group(data, station, group.group("place"), group.group("level"))
            if members is None:
                problems.append(
                    values.ValueProblem(
                        f"“{piece}” 无法确定是哪些代表",
                        "可写“全体进站代表”“全体区人大代表”“某某镇全体人大代表”，或逐一写出姓名",
                    )
                )
                continue
            found.extend(d for d in members if d not in found)
            continue
        if not data.has_roster:  # said once for the workbook; names are kept as typed
            name = values.normalise_name(piece)
            found.append(Deputy(name, name, "", "", "", 0))
            continue
        deputies, bad = data.roster.resolve_many(piece)
        problems.extend(bad)
        found.extend(d for d in deputies if d not in found)
    return Attendance(found, problems)


def _station_deputies(data: Dataset, station: str | None) -> list[Deputy]:
    if not station:
        return list(data.roster.deputies)
    return [d for d in data.roster.deputies if d.station == station]


def _group(data: Dataset, station: str | None, place: str, level_word: str) -> list[Deputy] | None:
    """全体进站代表 / 全体代表: the station's deputies; 全体区人大代表: every deputy of a level;
    白沙镇全体人大代表: the township-level deputies of the stations named after 白沙镇."""
    word = level_word.removesuffix("的")
    level = None
    if word not in ("", "进站", "本站", "联络站", "驻站"):
        level = contract.LEVEL_VARIANTS.get(word)
        if level is None:
            return None
    if place:
        if level is None and place.endswith(("镇", "乡")):
            level = "乡镇"
        pool = [d for d in data.roster.deputies if d.station.startswith(place)]
        pool = pool or _station_deputies(data, station)
    elif level is None:
        pool = _station_deputies(data, station)
    else:
        pool = list(data.roster.deputies)
    return [d for d in pool if level is None or d.level == level]


# ── the checks ───────────────────────────────────────────────────────────────────────────────


def check_meetings(data: Dataset) -> None:
    """Every cross-row rule of the meeting sheets; bad rows are rejected, warnings kept."""
    rejects = Rejects(data)
    meetings = _check_meeting_rows(data, rejects)
    items = _check_items(data, rejects, meetings)
    _check_results(data, rejects, meetings, items)
    _check_ratings(data, rejects, meetings)
    rejects.apply()


def _unique(records: Iterable[Record], key: str, rejects: Rejects) -> dict[str, Record]:
    seen: dict[str, Record] = {}
    for record in records:
        code = record[key]
        if not code:
            continue
        norm = str(code).upper()
        if norm in seen:
            rejects.add(record, key, f"“{code}” 与第{seen[norm].row}行重复", "编号不能重复")
            continue
        seen[norm] = record
    return seen


def _check_meeting_rows(data: Dataset, rejects: Rejects) -> dict[str, Record]:
    for meeting in data.rows("会议"):
        for problem in attendees(data, meeting).problems:
            rejects.add(meeting, "参会人员", problem.message, problem.hint)
        notice, day = meeting["通知日期"], meeting["日期"]
        if notice and day and notice > day - dt.timedelta(days=NOTICE_DAYS):
            latest = day - dt.timedelta(days=NOTICE_DAYS)
            rejects.add(
                meeting,
                "通知日期",
                f"{cn_date(notice)} 距会议（{cn_date(day)}）不足{NOTICE_DAYS}天",
                f"通知应至少提前{NOTICE_DAYS}天发出，即不晚于{cn_date(latest)}",
                WARNING,
            )
        if not meeting["联络站"] and not meeting["参会人员"] and data.has_roster:
            rejects.add(
                meeting,
                "参会人员",
                "参会人员和联络站都为空，签到表将列出名册中的全部代表",
                "请填写联络站或参会人员",
                WARNING,
            )
    return _unique(data.rows("会议"), "会议编号", rejects)


def _meeting_of(
    record: Record,
    meetings: dict[str, Record],
    kinds: tuple[str, ...],
    what: str,
    rejects: Rejects,
) -> Record | None:
    code = record["会议编号"]
    meeting = meetings.get(str(code).upper())
    if meeting is None:
        rejects.add(
            record,
            "会议编号",
            f"“{code}” 不在“会议”表中（或该会议行有错误）",
            _close(code, list(meetings)),
        )
        return None
    if meeting["会议类型"] not in kinds:
        rejects.add(
            record,
            "会议编号",
            f"“{code}”（会议第{meeting.row}行）是{meeting['会议类型']}，不能有{what}",
            f"{what}只用于{'、'.join(kinds)}",
        )
        return None
    return meeting


def _close(code: object, known: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(str(code).upper(), known, n=3, cutoff=0.6)
    return f"是否为：{'、'.join(close)}？" if close else "请先在“会议”表中登记该会议并填写会议编号"


def _check_items(
    data: Dataset, rejects: Rejects, meetings: dict[str, Record]
) -> dict[tuple[str, str], Record]:
    items: dict[tuple[str, str], Record] = {}
    for item in data.rows("票决项目"):
        meeting = _meeting_of(item, meetings, (VOTE,), "票决项目", rejects)
        code = item["项目编号"]
        if meeting is None or not code:
            continue
        key = (str(item["会议编号"]).upper(), str(code).upper())
        if key in items:
            rejects.add(
                item, "项目编号", f"“{code}” 与第{items[key].row}行重复", "项目编号不能重复"
            )
            continue
        items[key] = item
    return items


def _check_results(
    data: Dataset,
    rejects: Rejects,
    meetings: dict[str, Record],
    items: dict[tuple[str, str], Record],
) -> None:
    seen: dict[tuple[str, str], Record] = {}
    for result in data.rows("票决结果"):
        meeting = _meeting_of(result, meetings, (VOTE,), "票决结果", rejects)
        if meeting is None:
            continue
        key = (str(result["会议编号"]).upper(), str(result["项目编号"]).upper())
        if key not in items:
            known = [code for m, code in items if m == key[0]]
            rejects.add(
                result,
                "项目编号",
                f"“{result['项目编号']}” 不是会议“{result['会议编号']}”的票决项目",
                f"该会议的项目编号：{'、'.join(known)}" if known else "请先在“票决项目”表中登记",
            )
            continue
        if key in seen:
            rejects.add(
                result, "项目编号", f"“{result['项目编号']}” 的票决结果与第{seen[key].row}行重复"
            )
            continue
        seen[key] = result
        _check_counts(result, ("赞成", "反对", "弃权"), rejects)
        entitled = meeting["应到人数"] or len(attendees(data, meeting).deputies)
        if not entitled:
            rejects.add(
                result,
                "会议编号",
                f"会议“{result['会议编号']}”（会议第{meeting.row}行）的应到人数为空，"
                "参会人员中也没有代表，无法判断是否超过半数",
                "请在会议表填写应到人数（有表决权的代表人数）",
            )
        if entitled and result["发出票数"] and result["发出票数"] > entitled:
            rejects.add(
                result,
                "发出票数",
                f"发出票数{result['发出票数']}多于应到人数{entitled}（会议第{meeting.row}行）",
                "请核对发出票数或会议的应到人数",
                WARNING,
            )


def _check_ratings(data: Dataset, rejects: Rejects, meetings: dict[str, Record]) -> None:
    seen: dict[str, Record] = {}
    for rating in data.rows("满意度测评"):
        if _meeting_of(rating, meetings, RATED, "满意度测评", rejects) is None:
            continue
        key = str(rating["会议编号"]).upper()
        if key in seen:
            rejects.add(
                rating, "会议编号", f"“{rating['会议编号']}” 的测评与第{seen[key].row}行重复"
            )
            continue
        seen[key] = rating
        _check_counts(rating, contract.SATISFACTION, rejects)


def _check_counts(record: Record, options: tuple[str, ...], rejects: Rejects) -> None:
    """收回 ≤ 发出, and the marks of every option together ≤ the ballots returned."""
    issued, returned = record["发出票数"], record["收回票数"]
    if issued is not None and returned is not None and returned > issued:
        rejects.add(record, "收回票数", f"收回票数{returned}多于发出票数{issued}", "请核对票数")
    ballots, name = (returned, "收回票数") if returned is not None else (issued, "发出票数")
    if ballots is None:
        return
    counts = {o: record[o] or 0 for o in options}
    for option, count in counts.items():
        if count > ballots:
            rejects.add(record, option, f"{option}{count}票，多于{name}{ballots}", "请核对票数")
            return
    total = sum(counts.values())
    if total > ballots:
        sums = "＋".join(f"{o}{n}" for o, n in counts.items())
        last = next(o for o in reversed(options) if counts[o]) if total else options[0]
        rejects.add(record, last, f"{sums}＝{total}，多于{name}{ballots}", "请核对票数")
