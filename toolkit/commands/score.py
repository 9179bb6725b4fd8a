"""`liaison score`: the ranking of a year (or a quarter) by the scoring rules, as a table a
person reads or JSON a program reads. The scores are derive/scoring.py's, the same the 考核表
and the 公示表 print."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from ..derive.evaluation import _num
from ..derive.scoring import Scoreboard, Window, latest_year, score
from ..model import Dataset
from ..rules import load_scoring, pick_rules
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
