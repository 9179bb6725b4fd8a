"""`liaison score`: the ranking of a year (or a quarter) by the scoring rules, as a table a
person reads or JSON a program reads. The scores are derive/scoring.py's, the same the 考核表
and the 公示表 print. With `--term`, the ranking by 任期累计积分: each year of the term scored
as that year's 考核表 scores it, and the sum (derive/books.py, as the 代表履职档案 prints it)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from ..derive.books import TermBoard, term_board
from ..derive.evaluation import _num
from ..derive.scoring import Scoreboard, Window, latest_year, score
from ..errors import UsageError
from ..model import Dataset
from ..rules import load_book_rules, load_scoring, pick_rules
from ..rules.books import chosen_term
from ..rules.scoring import number
from ..textwidth import display_width as _width  # CJK two columns, zero-width none


def score_workbook(
    path: Path | None,
    rule_paths: tuple[Path, ...] = (),
    *,
    year: int | None = None,
    quarter: int | None = None,
    today: dt.date | None = None,
) -> tuple[Dataset, Scoreboard]:
    """Read, validate and score one window (default: the latest year with records)."""
    from .build import check

    picked = pick_rules(rule_paths)
    rules = load_scoring(picked.get("scoring"))  # a bad rules file fails before reading
    data = check(path, picked.get("reception"), pdf=False)
    today = today or dt.date.today()
    year = year or latest_year(data, rules, today)
    window = Window.quarter_of(year, quarter) if quarter else Window.year(year)
    return data, score(data, rules, window)


def score_json(board: Scoreboard) -> dict[str, Any]:
    return {
        "年度": board.window.label,
        "起止": [board.window.start.isoformat(), board.window.end.isoformat()],
        "规则文件": board.rules.source,
        "规则名称": board.rules.title,
        "代表": [
            {
                "名次": s.rank,
                "站内名次": s.station_rank,
                "姓名": s.deputy.display,
                "联络站": s.deputy.station,
                "代表层级": s.deputy.level,
                "合计": _num(s.subtotal),
                "总分": _num(s.total),
                "等次": s.grade,
                "五星": s.star,
                "项目": [
                    {
                        "项目": i.item.name,
                        "次数": i.count,
                        "原始得分": _num(i.raw),
                        "得分": _num(i.points),
                    }
                    for i in s.items
                ],
            }
            for s in board.scores
        ],
    }


def score_table(board: Scoreboard) -> list[str]:
    """The ranking as aligned text lines (CJK characters are two columns wide)."""
    head = ("名次", "姓名", "联络站", "总分", "等次", "五星", "站内名次")
    rows = [
        (
            str(s.rank),
            s.deputy.display,
            s.deputy.station,
            number(s.total),
            s.grade,
            "★" if s.star else "-",
            str(s.station_rank),
        )
        for s in board.scores
    ]
    widths = [max(_width(r[i]) for r in [head, *rows]) for i in range(len(head))]
    lines = [
        f"{board.window.label}履职积分（依据《{board.rules.title}》；"
        f"共 {len(rows)} 名代表，五星 {board.star_count} 名）"
    ]
    for row in [head, *rows]:
        lines.append(
            "  ".join(c + " " * (w - _width(c)) for c, w in zip(row, widths, strict=True)).rstrip()
        )
    return lines


def term_workbook(
    path: Path | None, rule_paths: tuple[Path, ...] = (), term: str = ""
) -> tuple[Dataset, TermBoard]:
    """Read, validate and score every year of a term (`--term 2022-2026`, or "" for the 届期 of
    the books rules)."""
    from .build import check

    picked = pick_rules(rule_paths)
    rules = load_scoring(picked.get("scoring"))  # bad rules files fail before reading
    chosen = chosen_term(term, load_book_rules(picked.get("books")))
    if chosen is None:
        raise UsageError("--term 需要届期")
    data = check(path, picked.get("reception"), pdf=False)
    board = term_board(data, rules, chosen, lambda year: score(data, rules, Window.year(year)))
    return data, board


def term_json(board: TermBoard) -> dict[str, Any]:
    return {
        "届期": board.term.label,
        "起止": [board.term.first, board.term.last],
        "计分年度": list(board.years),
        "代表": [
            {
                "名次": s.rank,
                "站内名次": s.station_rank,
                "姓名": s.deputy.display,
                "联络站": s.deputy.station,
                "代表层级": s.deputy.level,
                "各年度总分": {str(year): _num(s.years.get(year, 0)) for year in board.years},
                "任期累计积分": _num(s.total),
            }
            for s in board.scores
        ],
    }


def term_table(board: TermBoard) -> list[str]:
    """The term's ranking as aligned text lines: each counted year's total and the sum."""
    years = [f"{year}年度" for year in board.years]
    head = ("名次", "姓名", "联络站", *years, "任期累计积分", "站内名次")
    rows = [
        (
            str(s.rank),
            s.deputy.display,
            s.deputy.station,
            *(number(s.years.get(year, 0)) for year in board.years),
            number(s.total),
            str(s.station_rank),
        )
        for s in board.scores
    ]
    widths = [max(_width(r[i]) for r in [head, *rows]) for i in range(len(head))]
    counted = "、".join(str(y) for y in board.years) or "无"
    lines = [
        f"{board.term.label}任期累计积分（共 {len(rows)} 名代表；计分年度：{counted}，"
        "台账中没有记录的年份不计）"
    ]
    for row in [head, *rows]:
        lines.append(
            "  ".join(c + " " * (w - _width(c)) for c, w in zip(row, widths, strict=True)).rstrip()
        )
    return lines
