"""A character no shipped font has would print as a box in a PDF: its row is rejected, with
the character and its cell named, before anything is written (DESIGN §7)."""

from __future__ import annotations

from .. import fonts
from ..errors import ERROR, Problem
from ..model import Dataset
from ..records import Records


def check_glyphs(data: Dataset) -> None:
    """A character no shipped font has would print as a box in a PDF: reject its row instead."""
    for sheet in list(data.records):
        bad_rows: set[int] = set()
        for record in data.rows(sheet):
            for name, value in [*record.values.items(), *record.extra.items()]:
                texts = value if isinstance(value, tuple) else (value,)
                missing = [ch for t in texts if isinstance(t, str) for ch in fonts.uncovered(t)]
                if missing:
                    shown = "、".join(f"“{ch}”（U+{ord(ch):04X}）" for ch in dict.fromkeys(missing))
                    col = record.cols.get(name, 0)
                    data.problems.append(
                        Problem(
                            record.title,
                            record.row,
                            f"字符 {shown} 在 PDF 中无法显示（随附字体不含此字）",
                            name,
                            col,
                            ERROR,
                            "请改用常用字形，或只生成 Word（--format docx）",
                        )
                    )
                    bad_rows.add(record.row)
        if bad_rows:
            data.rejected.setdefault(sheet, []).extend(sorted(bad_rows))
            data.set_rows(sheet, Records(r for r in data.rows(sheet) if r.row not in bad_rows))
