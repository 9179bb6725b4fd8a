"""Names: resolving the deputies and stations that cells mention (DESIGN §4 "Names").

A deputy is identified by 姓名 with all whitespace ignored ("王　伟" = "王 伟" = "王伟"); the dot in
"买买提·艾力" is kept (its look-alikes are unified). Namesakes are told apart by 代表证号 or by
"姓名（联络站）"; an unqualified mention of a namesake is an error. A cell listing several deputies
is split on 、，,；; and a piece that is not a roster name is then split on whitespace. Each
resolved deputy is returned by its display name, unique in the roster.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from .values import ValueProblem, normalise_name, split_name_pieces

_QUALIFIED = re.compile(r"^(?P<name>[^()（）]+)[(（](?P<qual>[^()（）]+)[)）]$")


@dataclass(frozen=True)
class Deputy:
    display: str  # unique in the roster: the name, or 姓名（联络站） for namesakes
    name: str
    code: str
    level: str
    station: str
    row: int


def station_key(text: str) -> str:
    return normalise_name(text).replace("(", "（").replace(")", "）")


class Stations:
    """The stations of the 联络站 sheet, looked up by name with spaces and bracket forms ignored."""

    def __init__(self, names: list[str], *, known: bool = True) -> None:
        self.known = known  # False when the workbook has no 联络站 sheet: accept any name
        self.by_key = {station_key(n): n for n in names}

    def resolve(self, text: str) -> str:
        name = self.by_key.get(station_key(text))
        if name is not None:
            return name
        if not self.known:
            return text.strip()
        raise ValueProblem(f"“{text}” 不在“联络站”表中", _suggest(text, list(self.by_key.values())))


class Roster:
    def __init__(self, deputies: list[Deputy]) -> None:
        self.deputies = deputies
        self.by_name: dict[str, list[Deputy]] = {}
        for deputy in deputies:
            self.by_name.setdefault(normalise_name(deputy.name), []).append(deputy)
        self.by_code = {normalise_name(d.code).upper(): d for d in deputies if d.code}
        self.by_display = {d.display: d for d in deputies}
        self.rejected: dict[str, int] = {}  # names whose roster row was rejected → that row

    @staticmethod
    def displays(rows: list[tuple[str, str, str, str, int]]) -> list[Deputy]:
        """Deputies from (name, code, level, station, row); namesakes get qualified displays:
        姓名（联络站）, or 姓名（代表证号） when they share a station too."""
        groups: dict[str, list[tuple[str, str, str, str, int]]] = {}
        for entry in rows:
            groups.setdefault(normalise_name(entry[0]), []).append(entry)
        deputies = []
        for name, code, level, station, row in rows:
            clean = normalise_name(name)
            group = groups[clean]
            same_station = [g for g in group if g[3] == station]
            if len(group) == 1:
                display = clean
            elif len(same_station) == 1:
                display = f"{clean}（{station}）"
            else:
                display = f"{clean}（{code}）" if code else f"{clean}（第{row}行）"
            deputies.append(Deputy(display, clean, code, level, station, row))
        return deputies

    @staticmethod
    def ambiguous(deputies: list[Deputy]) -> list[tuple[Deputy, Deputy]]:
        """Namesakes of one station that no 代表证号 tells apart: (later row, earlier row)."""
        seen: dict[tuple[str, str], Deputy] = {}
        clashes = []
        for deputy in deputies:
            key = (deputy.name, deputy.station)
            if key in seen and not (
                deputy.code and seen[key].code and deputy.code != seen[key].code
            ):
                clashes.append((deputy, seen[key]))
            seen.setdefault(key, deputy)
        return clashes

    def resolve_one(self, text: str) -> Deputy:
        """One mention: 王伟, 王 伟, 王伟（三元社区人大代表联络站）, 王伟(DB-0012), DB-0012."""
        mention = text.strip()
        qualified = _QUALIFIED.match(normalise_name(mention))
        if qualified:
            return self._qualified(mention, qualified.group("name"), qualified.group("qual"))
        found = self.by_name.get(normalise_name(mention))
        if found is None:
            by_code = self.by_code.get(normalise_name(mention).upper())
            if by_code is not None:
                return by_code
            bad_row = self.rejected.get(normalise_name(mention))
            if bad_row is not None:
                raise ValueProblem(
                    f"“{mention}” 在代表名册第{bad_row}行，但该行有错误",
                    "请先改正代表名册中的该行，见上",
                )
            raise ValueProblem(f"“{mention}” 不在代表名册中", self.suggest(mention))
        if len(found) > 1:
            options = "、".join(f"{d.name}（{d.station}）" for d in found)
            raise ValueProblem(
                f"“{mention}” 有 {len(found)} 名同名代表，无法确定是哪一位",
                f"请写成 {options}，或填写代表证号",
            )
        return found[0]

    def _qualified(self, mention: str, name: str, qualifier: str) -> Deputy:
        found = self.by_name.get(name)
        if not found:
            raise ValueProblem(f"“{mention}” 不在代表名册中", self.suggest(name))
        qual = station_key(qualifier)
        matches = [
            d
            for d in found
            if normalise_name(d.code).upper() == qual.upper()
            or qual == station_key(d.station)
            or (len(qual) >= 2 and qual in station_key(d.station))
        ]
        if len(matches) == 1:
            return matches[0]
        options = "、".join(f"{d.name}（{d.station}）" for d in found)
        if not matches:
            raise ValueProblem(f"“{mention}” 中的“{qualifier}”与名册不符", f"名册中有：{options}")
        raise ValueProblem(
            f"“{mention}” 仍无法确定是哪一位", f"请写全联络站名称或代表证号：{options}"
        )

    def resolve_many(self, text: str) -> tuple[list[Deputy], list[ValueProblem]]:
        """Every deputy a list cell names, each once, and a problem for each bad mention."""
        deputies: list[Deputy] = []
        problems: list[ValueProblem] = []
        for piece in split_name_pieces(text):
            for mention in self._split_piece(piece):
                try:
                    deputy = self.resolve_one(mention)
                except ValueProblem as problem:
                    problems.append(problem)
                    continue
                if deputy in deputies:
                    problems.append(
                        ValueProblem(f"“{deputy.display}” 重复出现", "每位代表只写一次")
                    )
                    continue
                deputies.append(deputy)
        return deputies, problems

    def _split_piece(self, piece: str) -> list[str]:
        key = normalise_name(piece)
        if key in self.by_name or _QUALIFIED.match(key) or key.upper() in self.by_code:
            return [piece]
        words = piece.split()
        return words if len(words) > 1 else [piece]

    def suggest(self, mention: str) -> str:
        return _suggest(mention, sorted({d.name for d in self.deputies}))


def _suggest(mention: str, names: list[str]) -> str:
    key = normalise_name(mention)
    close = difflib.get_close_matches(key, names, n=3, cutoff=0.5)
    if not close and key:
        close = [n for n in names if n[0] == key[0] and len(n) == len(key)][:3]
    if close:
        return "是否为：" + "、".join(close) + "？"
    return "请先在名册中登记，或检查是否写错"
