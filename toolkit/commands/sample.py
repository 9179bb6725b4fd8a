"""A realistic, reproducible sample station workbook (DESIGN §8).

`make_sample(path, ...)` fills every sheet of `contract.SHEETS` with plausible records of one
fictional district: stations of every kind, a roster of deputies of several levels (unique names,
some with a middle dot or a character outside GB2312), receptions on each station's fixed day with
its deputies on duty (matters handed on, most closed, some late, some still open at the year's
end, most closed ones visited again), activities, proposals, meetings with their ballots and
ratings. Every name
and station a cell mentions exists in 代表名册 / 联络站; every date lies in `year` and is a real
date. The same arguments give the same bytes. Receptions are generated and written as a stream
(openpyxl write-only mode), so a sample of 100,000 receptions takes seconds and little memory.

Word lists live in `sample_words.py`.
"""

# Long module: a sample workbook is one story (stations, deputies, their year); its sheets are
# written from shared generators, and splitting them would pass a dozen arguments between modules

from __future__ import annotations

import errno
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from .. import contract
from ..errors import UsageError
from . import sample_words as W
from .init import (
    DATE_FORMAT,
    HEADER_FILL,
    HEADER_FONT,
    REQUIRED_FONT,
    TIME_FORMAT,
    number_format,
    save_workbook,
)

DEPUTIES_PER_STATION = 12
RECEPTIONS_PER_STATION = 40
RECEPTION_DAYS = (5, 10, 15, 20)
STATION_KINDS = ("社区", "镇", "街道", "村", *W.THEMED_POSTS)  # the first ones; then the first four
MAX_STATIONS = 2000
SATISFACTION_WEIGHTS = (70, 22, 8)
Row = dict[str, Any]


@dataclass
class Station:
    name: str
    code: str
    kind: str  # 社区/镇/街道/村, or a theme (法律咨询/企业/法院)
    township: str  # the 街道 or 镇 it lies in
    places: tuple[str, ...]  # communities (…社区) or villages (…村) it serves
    address: str
    day: int  # the fixed reception day of each month
    clerk: str  # keeps the minutes; not a deputy
    deputies: list[Deputy] = field(default_factory=list)

    @property
    def rural(self) -> bool:
        return self.kind in ("镇", "村")

    @property
    def organiser(self) -> str:
        if self.kind in W.THEMED_POSTS:
            return f"{W.DISTRICT}人大常委会"
        return self.township + ("人大主席团" if self.rural else "人大工委")

    @property
    def head(self) -> Deputy:
        return next((d for d in self.deputies if d.level in ("县", "乡镇")), self.deputies[0])


@dataclass
class Deputy:
    name: str
    gender: str
    level: str
    station: Station
    code: str = ""
    phone: str = ""
    # How much the deputy takes part, 0–1: some deputies do a great deal, most a fair amount,
    # a few little, so a year's scores spread over the grades as a real station's do.
    zeal: float = 0.5


@dataclass
class District:
    """What every sheet refers to: stations, roster, duty teams and meetings."""

    year: int
    stations: list[Station]
    deputies: list[Deputy]
    duty: dict[tuple[int, int], list[Deputy]]  # (station index, month) → deputies on duty
    meetings: list[Row] = field(default_factory=list)


def make_sample(
    path: Path | str,
    *,
    stations: int = 3,
    deputies: int | None = None,
    receptions: int | None = None,
    year: int = 2024,
    seed: int = 1,
    overwrite: bool = True,
) -> dict[str, int]:
    """Write the sample workbook to `path`; return the number of rows written per sheet.

    `deputies` and `receptions` are totals (default 12 and 40 per station). Raises UsageError for
    impossible sizes, and FileExistsError if `path` exists and `overwrite` is false (a sample is
    a throwaway, so it is overwritten by default; the CLI asks before).
    """
    path = Path(path)
    deputies = DEPUTIES_PER_STATION * stations if deputies is None else deputies
    receptions = RECEPTIONS_PER_STATION * stations if receptions is None else receptions
    if not 1 <= stations <= MAX_STATIONS:
        raise UsageError(f"联络站数应在 1 到 {MAX_STATIONS} 之间（现为 {stations}）")
    if deputies < stations:
        raise UsageError(
            f"代表人数（{deputies}）少于联络站数（{stations}）", hint="每个联络站至少要有一名代表"
        )
    if receptions < 0:
        raise UsageError(f"接待登记条数不能为负（现为 {receptions}）")
    if not 1980 <= year <= 2100:  # a zip file cannot date itself before 1980
        raise UsageError(f"年度应在 1980 到 2100 之间（现为 {year}）")
    if path.exists() and not overwrite:  # before the work, not after it
        raise FileExistsError(errno.EEXIST, "文件已存在", str(path))
    district = build_district(stations, deputies, year, seed)
    meetings = district.meetings
    rows: dict[str, Iterable[Row]] = {
        "联络站": station_rows(district, _rng(seed, "联络站")),
        "代表名册": deputy_rows(district, _rng(seed, "代表名册")),
        "接待登记": follow_ups(
            reception_rows(district, receptions, _rng(seed, "接待登记")), _rng(seed, "回访")
        ),
        "履职活动": activity_rows(district, _rng(seed, "履职活动")),
        "代表建议": typical_proposals(proposal_rows(district, _rng(seed, "代表建议")), seed),
        "会议": meetings,
        "票决项目": (items := vote_item_rows(district, _rng(seed, "票决项目"))),
        "票决结果": vote_result_rows(meetings, items, _rng(seed, "票决结果")),
        "满意度测评": satisfaction_rows(meetings, _rng(seed, "满意度测评")),
        "述职测评": duty_rating_rows(meetings, _rng(seed, "述职测评")),
        "述职材料": duty_text_rows(district, _rng(seed, "述职材料")),
        "值班安排": duty_rota_rows(district),
    }
    wb = Workbook(write_only=True)
    counts = {
        spec.name: _write_sheet(wb.create_sheet(spec.name), spec, rows[spec.name])
        for spec in contract.SHEETS
    }
    save_workbook(wb, path, overwrite=overwrite, stamp=datetime(year, 1, 1))
    return counts


def _rng(seed: int, part: str) -> random.Random:
    """One generator per part, so that e.g. more receptions leave the roster unchanged."""
    return random.Random(f"{seed}:{part}")


# ── the district: stations, deputies, duty teams, meetings ──────────────────────────────────


ZEAL = ((0.3, 0.85, 1.0), (0.45, 0.55, 0.85), (0.25, 0.15, 0.45))  # (share, lowest, highest)


def build_district(n_stations: int, n_deputies: int, year: int, seed: int) -> District:
    rng = _rng(seed, "district")
    stations = _stations(rng, n_stations)
    roster = _roster(rng, stations, n_deputies)
    keen = _rng(seed, "zeal")
    for deputy in roster:
        _, low, high = keen.choices(ZEAL, [share for share, *_ in ZEAL])[0]
        deputy.zeal = round(keen.uniform(low, high), 2)
    duty = {}
    for s, station in enumerate(stations):
        for month in range(1, 13):
            size = min(rng.choice((2, 2, 3)), len(station.deputies))
            duty[s, month] = _keen(rng, station.deputies, size, power=2)
    district = District(year, stations, roster, duty)
    district.meetings = _meetings(district, _rng(seed, "会议"))
    return district


def _stations(rng: random.Random, n: int) -> list[Station]:
    pools = {
        "社区": list(W.COMMUNITY_PLACES),
        "镇": list(W.TOWN_PLACES),
        "街道": list(W.STREET_PLACES),
        "村": list(W.VILLAGE_PLACES),
    }
    first = pools["社区"].pop(0)  # 三元, as in the contract's examples
    for pool in pools.values():
        rng.shuffle(pool)
    pools["社区"].insert(0, first)
    known = {p for pool in pools.values() for p in pool}
    # Then made-up places: 东湖, 南坪 …, and if a very large sample needs them, 东湖湾, 南山坪 …
    pairs = [h + t for h in W.PLACE_HEADS for t in W.PLACE_TAILS if h + t not in known]
    triples = [p + t for p in pairs for t in W.PLACE_TAILS if t not in p]
    rng.shuffle(pairs)
    rng.shuffle(triples)
    spare = triples + pairs  # popped from the end
    stations = []
    for i in range(n):
        kind = STATION_KINDS[i] if i < len(STATION_KINDS) else STATION_KINDS[i % 4]
        place = pools[kind].pop(0) if pools.get(kind) else spare.pop()
        stations.append(_station(rng, i, kind, place))
    return stations


def _station(rng: random.Random, i: int, kind: str, place: str) -> Station:
    road, number = rng.choice(W.ROADS), rng.randint(1, 199)
    street = rng.choice(W.STREET_PLACES) + "街道"
    communities = tuple(c + "社区" for c in rng.sample(W.COMMUNITY_PLACES, 3))
    villages = tuple(v + "村" for v in rng.sample(W.VILLAGE_PLACES, 3))
    places: tuple[str, ...]
    if kind == "社区":
        name, township, places = f"{place}社区人大代表联络站", street, (f"{place}社区",)
        address = f"{street}{road}{number}号{place}社区党群服务中心"
    elif kind == "镇":
        name, township, places = f"{place}镇人大代表联络站", f"{place}镇", villages
        address = f"{place}镇人民政府便民服务中心二楼"
    elif kind == "街道":
        name, township, places = f"{place}街道人大代表联络站", f"{place}街道", communities[:2]
        address = f"{place}街道{road}{number}号"
    elif kind == "村":
        township = rng.choice(W.TOWN_PLACES) + "镇"
        name, places = f"{place}村人大代表联络点", (f"{place}村",)
        address = f"{township}{place}村村委会"
    else:
        name = next(s for s in W.THEMED_STATIONS if kind in s)
        township, places = street, communities[:2]
        address = {
            "法律咨询": f"{W.DISTRICT}公共法律服务中心（{road}{number}号）",
            "企业": f"{W.DISTRICT}经济开发区管委会服务大厅",
            "法院": f"{W.DISTRICT}人民法院诉讼服务中心",
        }[kind]
    day = RECEPTION_DAYS[i % len(RECEPTION_DAYS)]
    return Station(
        name, f"LLZ-{i + 1:02d}", kind, township, places, address, day, clerk=_person_name(rng)
    )


def _roster(rng: random.Random, stations: list[Station], total: int) -> list[Deputy]:
    shares = [rng.uniform(0.7, 1.3) for _ in stations]
    sizes = _spread(rng, total, shares, minimum=min(5, total // len(stations)))
    taken: set[str] = set()
    phones: set[str] = set()
    roster: list[Deputy] = []
    for s, (station, size) in enumerate(zip(stations, sizes, strict=True)):
        level_weights = W.RURAL_LEVELS if station.rural else W.URBAN_LEVELS
        for k in range(size):
            # The first station always has a name outside GB2312 and one with a middle dot.
            special = {1: W.RARE_NAMES, 2: W.MINORITY_NAMES}.get(k, ()) if s == 0 else ()
            name, gender = _deputy_name(rng, taken, special)
            level = rng.choices(contract.LEVELS, level_weights)[0]
            deputy = Deputy(name, gender, level, station, f"DB-{len(roster) + 1:04d}")
            deputy.phone = _unique(phones, lambda: _phone(rng))
            station.deputies.append(deputy)
            roster.append(deputy)
        levels = {d.level for d in station.deputies}
        if len(levels) == 1 and len(station.deputies) > 1:  # every station has several levels
            station.deputies[-1].level = "市" if "县" in levels else "县"
    return roster


def _deputy_name(
    rng: random.Random, taken: set[str], special: Sequence[tuple[str, str]] = ()
) -> tuple[str, str]:
    """A name not yet in the roster: from `special` if given, else now and then an unusual one."""
    if special or rng.random() < 0.03:
        for name, gender in special or rng.choice((W.RARE_NAMES, W.MINORITY_NAMES)):
            if name not in taken:
                taken.add(name)
                return name, gender
    gender = rng.choice(contract.GENDERS)
    return _unique(taken, lambda: _person_name(rng, gender)), gender


# Long function: one year of a station's meetings, each kind with its own realistic fields
def _meetings(district: District, rng: random.Random) -> list[Row]:
    """Every station's meetings of the year, plus the district's 票决会, numbered by date."""
    year, meetings = district.year, []
    town_deputies = Counter(d.station.township for d in district.deputies if d.level == "乡镇")
    for s, station in enumerate(district.stations):

        def add(
            kind: str,
            title: str,
            day: date,
            agenda: str,
            people: Sequence[Deputy] = (),
            station: Station = station,
        ) -> Row:
            meetings.append(_meeting(rng, station, kind, title, day, agenda, people))
            return meetings[-1]

        for month in range(1, 13):
            add(
                "接待选民日",
                f"{month}月接待选民日活动",
                date(year, month, station.day),
                W.RECEPTION_AGENDA,
                district.duty[s, month],
            )
        add("学习培训会", rng.choice(W.TRAINING_TOPICS), _workday(rng, year, 3), W.TRAINING_AGENDA)
        for month, topic in zip((4, 9), rng.sample(W.COUNCIL_TOPICS, 2), strict=True):
            add(
                "代表议事会",
                f"关于{topic}的代表议事会",
                _workday(rng, year, month),
                W.COUNCIL_AGENDA.format(议题=topic),
            )
        department = rng.choice(W.DEPARTMENT_VISITS)
        add(
            "政府部门进站",
            f"{department}进站听取代表和群众意见",
            _workday(rng, year, 6),
            W.DEPARTMENT_AGENDA.format(部门=department),
        )
        duty = add(
            "述职评议会", f"{year}年度代表向选民述职评议会", _workday(rng, year, 11), W.DUTY_AGENDA
        )
        speakers = min(len(station.deputies), rng.randint(2, 4))
        duty["_speakers"] = _keen(rng, station.deputies, speakers)
        if station.kind == "镇":  # the town's congress votes: its 乡镇 deputies are entitled
            vote = add(
                "民生实事票决会",
                f"{station.township}{year}年民生实事项目票决会",
                _workday(rng, year, 2),
                W.VOTE_AGENDA,
            )
            vote.update(
                {
                    "参会人员": f"{station.township}全体人大代表",
                    "应到人数": max(1, town_deputies[station.township]),
                }
            )
    first = district.stations[0]
    county = _meeting(
        rng,
        first,
        "民生实事票决会",
        f"{W.DISTRICT}{year}年民生实事项目票决会",
        date(year, 1, 10),
        W.VOTE_AGENDA,
    )
    county.update(
        {
            "联络站": None,
            "_station": None,
            "地点": "区行政中心第一会议室",
            "参会人员": "全体区人大代表",
            "主办单位": f"{W.DISTRICT}人大常委会",
            "应到人数": max(1, sum(d.level == "县" for d in district.deputies)),
        }
    )
    meetings.append(county)
    meetings.append(
        _meeting(
            rng,
            first,
            "其他",
            "联络站年度工作总结暨经验交流会",
            _workday(rng, year, 12),
            W.OTHER_AGENDA,
        )
    )
    meetings.sort(key=lambda m: (m["日期"], m["联络站"] or "", m["会议名称"]))
    for n, m in enumerate(meetings, start=1):
        m["会议编号"] = f"HY-{year}-{n:02d}"
    return meetings


def _meeting(
    rng: random.Random,
    station: Station,
    kind: str,
    title: str,
    day: date,
    agenda: str,
    people: Sequence[Deputy] = (),
) -> Row:
    notice = max(day - timedelta(days=rng.randint(3, 7)), date(day.year, 1, 1))
    return {
        "会议名称": title,
        "会议类型": kind,
        "日期": day,
        "联络站": station.name,
        "通知日期": notice,
        "开始时间": rng.choice((time(9, 0), time(9, 30), time(14, 30))),
        "地点": station.address,
        "主持人": station.head.name,
        "参会人员": _names(people) if people else "全体进站代表",
        "议程": agenda,
        "记录人": station.clerk,
        "主办单位": station.organiser,
        "应到人数": len(people) if people else len(station.deputies),
        "_station": station,
    }


# ── the sheets ──────────────────────────────────────────────────────────────────────────────


def station_rows(district: District, rng: random.Random) -> list[Row]:
    return [
        {
            "站点名称": s.name,
            "站点编号": s.code,
            "地址": s.address,
            "接待日": reception_day_text(i, s.day),
            "负责人": s.head.name,
            "联系电话": f"{W.AREA_CODE}-8{rng.randint(0, 9999999):07d}",
        }
        for i, s in enumerate(district.stations)
    ]


# The same day of each month, written as clerks write it: with a time, or none.
RECEPTION_DAY_FORMS = (
    "每月{day}日",
    "每月{day}日上午",
    "每月{day}日 9:00—11:30",
    "每月{day}号全天",
)


def reception_day_text(index: int, day: int) -> str:
    return RECEPTION_DAY_FORMS[index % len(RECEPTION_DAY_FORMS)].format(day=day)


ROTA_MONTHS = 6  # 值班安排 lists the first half-year; the plan's rota takes the rest


def duty_rota_rows(district: District) -> list[Row]:
    """Who received voters on each station's reception day of the first months: the duty teams
    the receptions were made with, so 值班安排 and 接待登记 agree."""
    rows = []
    for s, station in enumerate(district.stations):
        for month in range(1, ROTA_MONTHS + 1):
            team = district.duty.get((s, month)) or []
            if team:
                rows.append(
                    {
                        "联络站": station.name,
                        "日期": date(district.year, month, station.day),
                        "值班代表": "、".join(d.name for d in team),
                    }
                )
    return rows


def deputy_rows(district: District, rng: random.Random) -> Iterator[Row]:
    for d in district.deputies:
        station = d.station
        if d.level in ("县", "乡镇"):
            area = f"第{rng.randint(1, 30)}选区"
        else:
            area = {"市": W.DISTRICT, "省": W.CITY, "全国": W.PROVINCE}[d.level] + "代表团"
        yield {
            "姓名": d.name,
            "代表证号": d.code,
            "代表层级": d.level,
            "所属联络站": station.name,
            "性别": d.gender,
            "选区或代表团": area,
            "工作单位及职务": _post(rng, station),
            "联系电话": d.phone,
        }


def reception_rows(district: District, total: int, rng: random.Random) -> Iterator[Row]:
    """`total` receptions in date order, on each station's reception day, streamed."""
    stations = district.stations
    per_station = _spread(rng, total, [len(s.deputies) * rng.uniform(0.6, 1.4) for s in stations])
    per_month = [_spread(rng, n, [rng.uniform(0.5, 1.5) for _ in range(12)]) for n in per_station]
    order = sorted(range(len(stations)), key=lambda s: stations[s].day)
    issues = {
        (s, month): _issues(station, month)
        for s, station in enumerate(stations)
        for month in range(1, 13)
    }
    seq = 0
    for month in range(1, 13):
        for s in order:
            station, day = stations[s], date(district.year, month, stations[s].day)
            for _ in range(per_month[s][month - 1]):
                seq += 1
                yield _reception(rng, station, day, district.duty[s, month], seq, issues[s, month])


def _issues(station: Station, month: int) -> list[tuple[str, str, str, str]]:
    """What voters of this station may raise in this month (villages only where there are any)."""

    def fits(text: str) -> bool:
        seasons = [months for phrase, months in W.SEASONAL.items() if phrase in text]
        return (station.rural or "{村}" not in text) and all(month in m for m in seasons)

    return [issue for issue in W.ISSUES if fits(issue[1])]


def _reception(
    rng: random.Random,
    station: Station,
    day: date,
    team: list[Deputy],
    seq: int,
    issues: Sequence[tuple[str, str, str, str]],
) -> Row:
    category, text, result, route = rng.choice(issues)
    route = route or rng.choices(contract.ROUTES, W.ROUTE_WEIGHTS)[0]
    estate, village = rng.choice(W.ESTATES), rng.choice(station.places)
    words = {"小区": estate, "路": rng.choice(W.ROADS), "村": village}
    if station.rural and village.endswith("村"):
        address = f"{station.township}{village}{rng.randint(1, 9)}组{rng.randint(1, 80)}号"
    else:
        building, entrance, floor = rng.randint(1, 20), rng.randint(1, 4), rng.randint(1, 18)
        address = f"{estate}{building}号楼{entrance}单元{floor}0{rng.randint(1, 4)}室"
    row: Row = {
        "接待日期": day,
        "联络站": station.name,
        "接待代表": _names(team),
        "反映内容": text.format(**words),
        "登记编号": f"JD-{day.year}-{seq:04d}",
        "来访人": _person_name(rng),
        "联系电话": _phone(rng) if rng.random() < 0.9 else None,
        "住址": address,
        "来访人数": rng.choices((1, 2, 3, 5), (80, 10, 6, 4))[0],
        "问题类别": category,
        "处理方式": route,
    }
    if route in W.HANDED_ON:
        unit = _handler(rng, station, category, route, village)
        end = date(day.year, 12, 31)
        row.update(
            {
                "承办单位": unit,
                "办理时限": min(day + timedelta(days=30), end),
                "现场答复": W.ROUTE_REPLIES[route].format(单位=unit),
            }
        )
        answered = day + timedelta(days=rng.randint(7, 35))
        if answered <= end and rng.random() < 0.85:
            row.update(
                {
                    "办理结果": result or "已按程序办理，并向来访人作了答复。",
                    "反馈日期": answered,
                    "群众满意度": _satisfaction(rng),
                }
            )
    elif route == "当场答复":
        row["现场答复"] = result if result and rng.random() < 0.5 else rng.choice(W.ON_THE_SPOT)
        row["群众满意度"] = _satisfaction(rng)
    else:
        row["现场答复"] = W.ROUTE_REPLIES[route]
    return row


def follow_ups(rows: Iterable[Row], rng: random.Random) -> Iterator[Row]:
    """The return visit after a matter is closed (most of them, a few days after the feedback,
    in the year), and now and then a case the year-end summary may cite as typical (典型). A
    generator of its own, so the receptions are what they were before these columns."""
    ways = [way for way, _ in W.VISIT_WAYS]
    weights = [weight for _, weight in W.VISIT_WAYS]
    for row in rows:
        answered = row.get("反馈日期")
        if answered is not None and rng.random() < 0.75:
            visited = answered + timedelta(days=rng.randint(2, 10))
            if visited <= date(answered.year, 12, 31):
                rating = row.get("群众满意度") or ""
                row["回访日期"] = visited
                row["回访方式"] = rng.choices(ways, weights)[0]
                row["回访情况"] = rng.choice(W.VISIT_NOTES.get(rating, W.VISIT_NOTES[""]))
                if rating == "满意" and rng.random() < 0.08:
                    row["典型"] = "是"
        yield row


def typical_proposals(rows: list[Row], seed: int) -> list[Row]:
    """One 建议 in ten that was resolved (A) marked 典型, by a generator of its own."""
    rng = _rng(seed, "典型")
    for row in rows:
        if row.get("办理结果类别") == "A" and rng.random() < 0.3:
            row["典型"] = "是"
    return rows


def _handler(rng: random.Random, station: Station, category: str, route: str, place: str) -> str:
    if route == "交社区(村)办理":
        return place + ("村委会" if place.endswith("村") else "居委会")
    if route == "交街道(乡镇)办理":
        return station.township + W.TOWNSHIP_OFFICES[category]
    return rng.choice(W.DEPARTMENTS[category])


# Long function: a deputy's year of activities, each type with its own fields
def activity_rows(district: District, rng: random.Random) -> list[Row]:
    year = district.year
    rows: list[Row] = []

    def add(
        kind: str,
        topic: str,
        day: date,
        people: Sequence[Deputy],
        place: str,
        organiser: str,
        note: str = "",
    ) -> None:
        if people:
            rows.append(
                {
                    "活动日期": day,
                    "活动类型": kind,
                    "活动主题": topic,
                    "参加代表": _names(people),
                    "地点": place,
                    "组织单位": organiser,
                    "备注": note or None,
                }
            )

    for s, station in enumerate(district.stations):
        team = station.deputies
        for month in range(1, 13):
            add(
                "进站接待",
                f"{month}月接待选民日进站接待",
                date(year, month, station.day),
                district.duty[s, month],
                station.address,
                station.organiser,
            )
        plan = (
            ("视察", W.VISIT_TOPICS, 5),
            ("调研", W.RESEARCH_TOPICS, 5),
            ("执法检查", W.INSPECTION_TOPICS, 3),
            ("学习培训", W.TRAINING_TOPICS, 4),
            ("其他", W.OTHER_ACTIVITIES, 2),
        )
        for kind, topics, count in plan:
            for topic in rng.sample(topics, min(count, len(topics))):
                # Each deputy comes by zeal; an activity has at least two.
                people = [d for d in team if rng.random() < 0.1 + 0.85 * d.zeal]
                if len(people) < min(2, len(team)):
                    people = _keen(rng, team, min(2, len(team)))
                place = station.address if kind == "其他" else rng.choice(W.SITES)
                add(kind, topic, _workday(rng, year), people, place, station.organiser)
        for deputy in team:  # visits to voters are made one deputy at a time
            for _ in range(round(1 + 6 * deputy.zeal * rng.uniform(0.7, 1.2))):
                topic = rng.choice(W.VOTER_VISITS)
                add(
                    "走访选民",
                    topic,
                    _workday(rng, year),
                    [deputy],
                    station.address,
                    station.organiser,
                )
        for meeting in district.meetings:
            activity = {"代表议事会": "代表议事会", "述职评议会": "述职"}.get(meeting["会议类型"])
            if activity and meeting["_station"] is station:
                people = meeting.get("_speakers") or team
                add(
                    activity,
                    meeting["会议名称"],
                    meeting["日期"],
                    people,
                    station.address,
                    station.organiser,
                )
    rows.extend(_congress_rows(district, rng))
    rows.sort(key=lambda r: r["活动日期"])
    for n, row in enumerate(rows, start=1):
        row["活动编号"] = f"HD-{year}-{n:03d}"
    return rows


# Long function: the congress sessions and their attendance, written as a clerk would
def _congress_rows(district: District, rng: random.Random) -> Iterator[Row]:
    """出席人代会 per level and station (one deputy on half a day's leave), and 列席常委会."""
    year = district.year
    sessions = {
        "全国": (
            "第十四届全国人民代表大会第二次会议",
            date(year, 3, 5),
            "人民大会堂",
            "全国人大常委会",
        ),
        "省": (
            f"{W.PROVINCE}第十四届人民代表大会第二次会议",
            date(year, 1, 24),
            "省人民大会堂",
            f"{W.PROVINCE}人大常委会",
        ),
        "市": (
            f"{W.CITY}第十六届人民代表大会第四次会议",
            date(year, 1, 16),
            "市人民会堂",
            f"{W.CITY}人大常委会",
        ),
        "县": (
            f"{W.DISTRICT}{W.CONGRESS_TERM}人民代表大会第四次会议",
            date(year, 1, 9),
            "区人民会堂",
            f"{W.DISTRICT}人大常委会",
        ),
    }
    on_leave: set[str] = set()  # one deputy per level takes half a day off
    for station in district.stations:
        for level in contract.LEVELS:
            people = [d for d in station.deputies if d.level == level]
            if not people:
                continue
            if level == "乡镇":
                town = station.township
                name, day = f"{town}{W.CONGRESS_TERM}人民代表大会第四次会议", date(year, 2, 27)
                place, organiser = f"{town}人民政府会议室", f"{town}人大主席团"
            else:
                name, day, place, organiser = sessions[level]
            row = {
                "活动日期": day,
                "活动类型": "出席人代会",
                "活动主题": f"出席{name}",
                "地点": place,
                "组织单位": organiser,
            }
            if level not in on_leave and len(people) >= 2:
                on_leave.add(level)
                absent = people.pop(rng.randrange(len(people)))
                yield {**row, "参加代表": absent.name, "备注": "请假半天"}
            yield {**row, "参加代表": _names(people)}
    county = [d for d in district.deputies if d.level == "县"]
    for n, month in enumerate((2, 4, 6, 8, 10, 12), start=21):
        if county:
            people = _keen(rng, county, min(3, len(county)), power=2)
            yield {
                "活动日期": _workday(rng, year, month),
                "活动类型": "列席常委会",
                "活动主题": f"列席{W.DISTRICT}人大常委会第{n}次会议",
                "参加代表": _names(people),
                "地点": "区人大常委会会议室",
                "组织单位": f"{W.DISTRICT}人大常委会",
            }


# Long function: proposals with their co-signers, handling and replies, consistent with the roster
def proposal_rows(district: District, rng: random.Random) -> list[Row]:
    year, rows = district.year, []
    leads = [d for d in district.deputies if d.level in ("县", "乡镇")] or district.deputies
    suggestions = list(W.SUGGESTIONS)
    rng.shuffle(suggestions)
    motions = {level: [m[1:] for m in W.MOTIONS if m[0] == level] for level in ("县", "乡镇")}
    congress: dict[tuple[str, str], list[Deputy]] = defaultdict(list)
    for d in district.deputies:
        congress[d.level, "" if d.level == "县" else d.station.township].append(d)
    for n in range(max(1, len(district.deputies) // 2)):
        lead = _keen(rng, leads, 1)[0]
        # Co-signers sit in the same congress: the district's, or the lead's own town's.
        peers = congress[lead.level, "" if lead.level == "县" else lead.station.township]
        need = 5 if lead.level == "乡镇" else 10
        possible = motions.get(lead.level) and len(peers) > need
        kind = "议案" if possible and rng.random() < 0.25 else "建议"
        row: Row = {"领衔代表": lead.name, "类别": kind, "代表证号": lead.code}
        if kind == "议案":
            motion = motions[lead.level].pop(rng.randrange(len(motions[lead.level])))
            title, area, reason, problem, basis, plan, unit = (
                text.replace("{乡镇}", lead.station.township) for text in motion
            )
            cosigners = _others(rng, peers, lead, need + rng.randint(0, 2))
            row.update(
                {
                    "案由": reason,
                    "现状与问题": problem,
                    "案据": basis,
                    "方案": plan,
                    "具体建议": W.MOTION_REQUEST,
                }
            )
        else:
            title, area, problem, advice, unit = suggestions[n % len(suggestions)]
            mates = [d for d in lead.station.deputies if d.level == lead.level]
            cosigners = _others(rng, mates, lead, rng.randint(0, 2))
            row.update({"现状与问题": problem, "具体建议": advice})
        # 议案 are filed during the congress session; 建议 mostly then, some during the recess.
        session = date(year, 2, 27) if lead.level == "乡镇" else date(year, 1, 9)
        in_session = kind == "议案" or rng.random() < 0.6
        filed = session if in_session else _workday(rng, year, rng.randint(3, 10))
        assigned = filed + timedelta(days=rng.randint(14, 30))
        row.update(
            {
                "标题": title,
                "附议代表": _names(cosigners) or None,
                "提出日期": filed,
                "所属领域": area,
                "建议承办单位": unit,
                "交办日期": assigned,
            }
        )
        replied = assigned + timedelta(days=rng.randint(30, 88))
        if kind == "议案":
            # The 主席团 decides: on the agenda, to a committee first, or handled as a 建议.
            state = rng.choices(("列入会议议程", "交专门委员会审议", "作为建议处理"), (3, 2, 5))[0]
            row["议案处理情况"] = state
            if state != "作为建议处理":
                rows.append(row)
                continue
        if replied <= date(year, 12, 31) and rng.random() < 0.9:
            row.update(
                {
                    "办理结果类别": rng.choices(contract.RESULT_CLASSES, (40, 35, 15, 10))[0],
                    "答复日期": replied,
                    "代表满意度": _satisfaction(rng),
                }
            )
        rows.append(row)
    rows.sort(key=lambda r: r["提出日期"])
    counters = {"建议": 0, "议案": 0}
    for row in rows:
        counters[row["类别"]] += 1
        prefix = "YA" if row["类别"] == "议案" else "JY"
        row["建议编号"] = f"{prefix}-{year}-{counters[row['类别']]:03d}"
    return rows


def vote_item_rows(district: District, rng: random.Random) -> list[Row]:
    rows, seq = [], 0
    for meeting in district.meetings:
        if meeting["会议类型"] != "民生实事票决会":
            continue
        station = meeting["_station"]
        for name, content, cost, unit in rng.sample(W.PROJECTS, 5 if station else 8):
            seq += 1
            scale = rng.uniform(0.2, 0.5) if station else rng.uniform(0.8, 1.2)
            rows.append(
                {
                    "项目名称": (station.township if station else "") + name,
                    "会议编号": meeting["会议编号"],
                    "项目编号": f"XM-{district.year}-{seq:02d}",
                    "项目内容": content,
                    "投资估算(万元)": round(cost * scale, 1),
                    "责任单位": f"{station.township}人民政府"
                    if station
                    else unit.replace("镇人民政府", "各镇人民政府"),
                }
            )
    return rows


def vote_result_rows(meetings: list[Row], items: list[Row], rng: random.Random) -> list[Row]:
    entitled = {m["会议编号"]: m["应到人数"] for m in meetings}
    rows, issued = [], {}
    for item in items:
        code = item["会议编号"]
        if code not in issued:
            n = entitled[code] - rng.randint(0, entitled[code] // 10)
            issued[code] = (n, n - rng.choice((0, 0, 0, 1)) if n > 1 else n)
        sent, back = issued[code]
        valid = back - (1 if back and rng.random() < 0.2 else 0)
        against, abstain = rng.randint(0, valid // 10), rng.randint(0, valid // 12)
        rows.append(
            {
                "会议编号": code,
                "项目编号": item["项目编号"],
                "发出票数": sent,
                "收回票数": back,
                "赞成": valid - against - abstain,
                "反对": against,
                "弃权": abstain,
            }
        )
    return rows


def satisfaction_rows(meetings: list[Row], rng: random.Random) -> list[Row]:
    rows = []
    for m in meetings:
        if m["会议类型"] in ("政府部门进站", "代表议事会"):
            sent = rng.randint(30, 60)
            back = sent - rng.randint(0, 3)
            poor = rng.randint(0, back // 20)
            fair = rng.randint(back // 10, back // 4)
            rows.append(
                {
                    "会议编号": m["会议编号"],
                    "发出票数": sent,
                    "收回票数": back,
                    "满意": back - fair - poor,
                    "基本满意": fair,
                    "不满意": poor,
                }
            )
    return rows


def duty_rating_rows(meetings: list[Row], rng: random.Random) -> list[Row]:
    rows = []
    for m in meetings:
        station = m["_station"]
        if m["会议类型"] != "述职评议会" or station is None:
            continue
        for deputy in m["_speakers"]:
            sent = rng.randint(30, 80)
            back = sent - rng.randint(0, 4)
            valid = back - rng.randint(0, 2)
            poor, fair = rng.randint(0, valid // 15), rng.randint(valid // 10, valid // 4)
            rows.append(
                {
                    "代表姓名": deputy.name,
                    "会议编号": m["会议编号"],
                    "日期": m["日期"],
                    "发出票数": sent,
                    "收回票数": back,
                    "有效票数": valid,
                    "满意": valid - fair - poor,
                    "基本满意": fair,
                    "不满意": poor,
                }
            )
    return rows


def duty_text_rows(district: District, rng: random.Random) -> list[Row]:
    """Half the deputies' own words. A text that names a figure is only given to a deputy the
    figure is true of: reception days are the months the deputy was on duty, each with its
    进站接待 activity (activity_rows), so the words never contradict the workbook."""
    on_duty: Counter[str] = Counter()
    for team in district.duty.values():
        on_duty.update(d.name for d in team)
    picked = sorted(rng.sample(range(len(district.deputies)), (len(district.deputies) + 1) // 2))
    rows = []
    for d in (district.deputies[i] for i in picked):
        days = on_duty[d.name]
        texts = W.DUTY_EXTRAS_WITH_DAYS + W.DUTY_EXTRAS if days else W.DUTY_EXTRAS
        rows.append(
            {
                "姓名": d.name,
                "年度": district.year,
                "履职情况补充": rng.choice(texts).format(天=days),
                "存在不足": rng.choice(W.DUTY_SHORTCOMINGS),
                "努力方向": rng.choice(W.DUTY_PLANS),
            }
        )
    return rows


# ── writing ─────────────────────────────────────────────────────────────────────────────────

_WRAP = Alignment(wrap_text=True, vertical="top")


def _write_sheet(ws: WriteOnlyWorksheet, spec: contract.Sheet, rows: Iterable[Row]) -> int:
    for c, column in enumerate(spec.columns, start=1):
        dimension = ws.column_dimensions[get_column_letter(c)]
        dimension.width = column.width
        if (fmt := number_format(column)) is not None:  # for what a clerk adds later
            dimension.number_format = fmt
    ws.freeze_panes = "A2"
    header = []
    for column in spec.columns:
        cell = WriteOnlyCell(ws, column.name)
        cell.font, cell.fill = (REQUIRED_FONT if column.required else HEADER_FONT), HEADER_FILL
        header.append(cell)
    ws.append(header)
    names = [column.name for column in spec.columns]
    count = 0
    for row in rows:
        ws.append([_cell(ws, row.get(name)) for name in names])
        count += 1
    return count


def _cell(ws: WriteOnlyWorksheet, value: Any) -> Any:
    """Dates and times get a Chinese format; text with line breaks wraps. Others go in plain."""
    if isinstance(value, date | time):
        cell = WriteOnlyCell(ws, value)
        cell.number_format = DATE_FORMAT if isinstance(value, date) else TIME_FORMAT
        return cell
    if isinstance(value, str) and "\n" in value:
        cell = WriteOnlyCell(ws, value)
        cell.alignment = _WRAP
        return cell
    return value


# ── small helpers ───────────────────────────────────────────────────────────────────────────


def _spread(rng: random.Random, total: int, weights: list[float], minimum: int = 0) -> list[int]:
    """`total` split in proportion to `weights` (largest remainders), each part ≥ `minimum`."""
    scale = sum(weights)
    shares = [total * w / scale for w in weights]
    parts = [int(s) for s in shares]
    for i in sorted(range(len(parts)), key=lambda i: parts[i] - shares[i])[: total - sum(parts)]:
        parts[i] += 1
    while min(parts) < minimum:
        parts[parts.index(max(parts))] -= 1
        parts[parts.index(min(parts))] += 1
    return parts


def _keen(rng: random.Random, group: Sequence[Deputy], k: int, power: float = 1) -> list[Deputy]:
    """`k` deputies of `group`, the keener more likely (weighted sampling without replacement,
    Efraimidis–Spirakis, weight zeal ** power), in the group's order."""

    def key(i: int) -> float:
        return rng.random() ** (1 / max(group[i].zeal ** power, 0.001))

    keys = sorted(range(len(group)), key=key)
    return [group[i] for i in sorted(keys[-k:])] if k > 0 else []


def _others(rng: random.Random, group: Sequence[Deputy], lead: Deputy, k: int) -> list[Deputy]:
    """Up to `k` deputies of `group` other than `lead`, picked at random."""
    picked = rng.sample(group, min(len(group), k + 1))
    return [d for d in picked if d is not lead][:k]


def _unique(taken: set[str], make: Callable[[], str]) -> str:
    while (value := make()) in taken:
        pass
    taken.add(value)
    return value


def _person_name(rng: random.Random, gender: str | None = None) -> str:
    chars = W.MALE_CHARS if (gender or rng.choice(contract.GENDERS)) == "男" else W.FEMALE_CHARS
    given = "".join(rng.sample(chars, rng.choice((1, 2, 2))))
    return rng.choice(W.SURNAMES) + given


def _satisfaction(rng: random.Random) -> str:
    return rng.choices(contract.SATISFACTION, SATISFACTION_WEIGHTS)[0]


def _phone(rng: random.Random) -> str:
    return rng.choice(W.PHONE_PREFIXES) + f"{rng.randint(0, 99_999_999):08d}"


def _names(people: Iterable[Deputy]) -> str:
    return "、".join(d.name for d in people)


def _post(rng: random.Random, station: Station) -> str:
    themed = W.THEMED_POSTS.get(station.kind)
    if themed and rng.random() < 0.6:
        return rng.choice(themed)
    words = {"乡镇": station.township, "社区": station.places[0], "村": station.places[0]}
    posts = [p for p in W.POSTS if station.rural or "{村}" not in p]
    if station.rural:
        posts = [p for p in posts if "{社区}" not in p]
    return rng.choice(posts).format(**words)


def _workday(rng: random.Random, year: int, month: int | None = None) -> date:
    """A random Monday–Friday of `month` (or of the year)."""
    month = month or rng.randint(1, 12)
    day = date(year, month, rng.randint(1, 28))
    while day.weekday() >= 5:
        day -= timedelta(days=1) if day.day > 2 else timedelta(days=-2)
    return day
