"""The shipped fonts: which roles they play, what they cover, and fontconfig pointed at them.

Fonts by role (DESIGN §7): Word files name the standard Chinese fonts (仿宋_GB2312 …) so the
recipient's Word/WPS uses the real ones; PDFs embed the open-licensed faces shipped in
`forms/fonts/`. `uncovered(text)` tells which characters no shipped font can draw, so the run
reports them with their cell instead of printing a box.
"""

from __future__ import annotations

import os
from functools import lru_cache

from .paths import FONTS_DIR

FONTS_CONF = FONTS_DIR / "fonts.conf"

# Word: East Asian font per role, and the font each falls back to on Windows 10+/WPS.
WORD_FONTS = {
    "fangsong": ("仿宋_GB2312", "仿宋"),
    "title": ("方正小标宋简体", "宋体"),
    "heiti": ("黑体", "黑体"),
    "kaiti": ("楷体_GB2312", "楷体"),
    "songti": ("宋体", "宋体"),
}

FONT_FILES = (
    "NotoSerifCJKsc-Regular.otf",
    "NotoSerifCJKsc-Bold.otf",
    "NotoSansCJKsc-Regular.otf",
    "FandolFang-Regular.otf",
    "LiaisonKai-Regular.ttf",
)


def use_shipped_fonts() -> None:
    """Make fontconfig (and so Pango and WeasyPrint) see only the shipped fonts.

    Must run before WeasyPrint first lays out text; fontconfig reads the variable once.
    """
    os.environ["FONTCONFIG_FILE"] = str(FONTS_CONF)


def missing_font_files() -> list[str]:
    return [name for name in FONT_FILES if not (FONTS_DIR / name).is_file()]


@lru_cache(maxsize=1)
def covered() -> frozenset[int]:
    """Every code point that at least one shipped font maps to a glyph."""
    from fontTools.ttLib import TTFont

    points: set[int] = set()
    for name in FONT_FILES:
        path = FONTS_DIR / name
        if path.is_file():
            font = TTFont(str(path), lazy=True)
            points.update(font.getBestCmap() or {})
            font.close()
    return frozenset(points)


_ALWAYS_OK = frozenset(map(ord, "\n\t\r "))


def uncovered(text: str) -> list[str]:
    """The distinct characters of `text` that no shipped font can draw, in order of appearance."""
    table = covered()
    seen: list[str] = []
    for ch in text:
        point = ord(ch)
        if point not in table and point not in _ALWAYS_OK and ch not in seen:
            # Variation selectors and joiners have no glyph of their own; they are not missing.
            if 0xFE00 <= point <= 0xFE0F or point in (0x200B, 0x200C, 0x200D, 0xFEFF):
                continue
            seen.append(ch)
    return seen
