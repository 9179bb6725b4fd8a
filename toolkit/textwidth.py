"""Text laid out for a terminal: how many columns a string takes, tables aligned by it, and
paragraphs wrapped to a width the way Chinese is broken into lines.

A CJK character takes two columns, a combining mark or a zero-width space none; `display_width`
asks wcwidth, whose tables follow the current Unicode version and know grapheme clusters, so a name
pasted with a zero-width space or written with a rare character still lines up. East Asian
*ambiguous* characters (“ ” · —) count as one column, as in most terminals.

`wrap` breaks between any two Chinese characters, and at spaces between other words, never
inside a Latin word or an option such as `--keep-going`; it keeps closing punctuation (，。）”)
off the start of a line and opening punctuation (（“) off its end.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from wcwidth import width as _wcwidth

__all__ = ["display_width", "pad", "table", "wrap"]

# May not start a line (they close what came before) / may not end one (they open what follows).
_CLOSING = set("，。、；：？！）】》」』”’〕〉…—·%,.;:?!)]}")
_OPENING = set("（【《「『“‘〔〈([{")
_WORD = re.compile(r"(\s*)(\S+)")


def display_width(text: str) -> int:
    """Columns `text` takes in a terminal (CJK characters two, zero-width characters none)."""
    return _wcwidth(text)


def pad(text: str, width: int, *, right: bool = False) -> str:
    """`text` filled with spaces to `width` columns, on the right (or on the left: `right`)."""
    fill = " " * max(width - display_width(text), 0)
    return fill + text if right else text + fill


def table(rows: Sequence[Sequence[str]], *, right: Iterable[int] = ()) -> list[str]:
    """Rows as lines with their columns aligned by display width, two spaces apart; the columns
    numbered in `right` (numbers) are aligned on the right. The last column is not padded."""
    if not rows:
        return []
    count = max(len(row) for row in rows)
    full = [[*row, *[""] * (count - len(row))] for row in rows]
    widths = [max(display_width(row[i]) for row in full) for i in range(count)]
    on_right = set(right)
    lines = []
    for row in full:
        cells = [
            pad(cell, widths[i], right=i in on_right) if i < count - 1 or i in on_right else cell
            for i, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
    return lines


Unit = tuple[bool, list[str]]  # (a space stood before it, its pieces)


def _units(text: str, words_only: bool) -> list[Unit]:
    """What a line may break between, each with whether a space stood before it. A run of narrow
    characters (a Latin word, a number, an option) is one piece, a wide character another; a
    closing mark joins the piece before it and an opening mark the piece after it, in one unit."""
    pieces: list[tuple[bool, str]] = []
    for match in _WORD.finditer(text):
        spaced = bool(match.group(1)) and bool(pieces)
        if words_only:
            pieces.append((spaced, match.group(2)))
            continue
        run = ""
        for ch in match.group(2):
            # A wide character, or a narrow Chinese mark (“ ” …): a piece of its own. An ASCII
            # mark stays in its run, so scoring.yaml and 2024-1-1 are never broken.
            if display_width(ch) == 2 or (not ch.isascii() and ch in _CLOSING | _OPENING):
                if run:
                    pieces.append((spaced, run))
                    spaced, run = False, ""
                pieces.append((spaced, ch))
                spaced = False
            else:
                run += ch
        if run:
            pieces.append((spaced, run))
    units: list[Unit] = []
    for spaced, piece in pieces:
        if units and (piece[0] in _CLOSING or units[-1][1][-1][-1] in _OPENING):
            units[-1][1].append(" " * spaced + piece)
        else:
            units.append((spaced, [piece]))
    return units


def wrap(text: str, width: int, *, words_only: bool = False) -> list[str]:
    """`text` (one paragraph) broken into lines of at most `width` columns; `words_only`: only
    at spaces (a usage line, whose `[选项]` must stay whole)."""
    lines: list[str] = []
    line, used = "", 0

    def place(spaced: bool, unit: str) -> None:
        nonlocal line, used
        gap = 1 if spaced and line else 0
        size = display_width(unit)
        if line and used + gap + size > width:
            lines.append(line)
            line, used, gap = "", 0, 0
        while size > width:  # a word wider than a whole line: cut it where it must be
            cut, taken = "", 0
            for ch in unit:
                if cut and taken + display_width(ch) > width:
                    break
                cut += ch
                taken += display_width(ch)
            lines.append(cut)
            unit = unit[len(cut) :]
            size = display_width(unit)
        line += " " * gap + unit
        used += gap + size

    for spaced, pieces in _units(text, words_only):
        whole = "".join(pieces)
        if display_width(whole) <= width:
            place(spaced, whole)
        else:  # wider than a line even alone: let go of the marks' hold before cutting a word
            place(spaced, pieces[0])
            for piece in pieces[1:]:
                place(piece.startswith(" "), piece.lstrip(" "))
    if line or not lines:
        lines.append(line)
    return lines
