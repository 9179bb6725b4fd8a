"""WeasyPrint's text, remembered: the same text, in the same font, breaks into lines and is drawn
the same way in every copy of a form.

Line breaking (`remembered`). Every copy of a 登记表 lays out the same labels, headers and fixed
phrases in the same cells, and a register repeats the same few words (本站, 转交有关部门, a date)
row after row. For each of them WeasyPrint asks Pango to shape the text and find its first line
(`split_first_line`): about a tenth of a one-page form's CPU, and five calls in six give an
answer already given. The answer depends only on the text, the width, the style's font and text
properties (`KEY_PROPERTIES`, every property `split_first_line` and the `Layout` it makes read),
and the font configuration and how many @font-face rules it was given (a new face can change
what draws a character). What it returns is numbers and a `Layout` whose Pango objects are
already released (`deactivate`); each caller gets its own copy of that `Layout`, as drawing
re-activates it and may change its text (an ellipsis).

Drawing (`remembered_drawing`, below). weasy_cache.py installs both beside its other patches,
and the tests compare every PDF form's bytes with WeasyPrint's own."""

from __future__ import annotations

import copy
import logging
import re
from typing import Any, NamedTuple

LINE_CACHE = 20_000  # line splits kept per process (a 登记表 makes ~120, ~20 of them new)

# Every style property split_first_line reads, directly or through Layout.setup, set_text,
# get_font_description, font_features and line_size (WeasyPrint 70).
KEY_PROPERTIES = (
    "font_family",
    "font_style",
    "font_stretch",
    "font_weight",
    "font_size",
    "font_kerning",
    "font_variant_ligatures",
    "font_variant_position",
    "font_variant_caps",
    "font_variant_numeric",
    "font_variant_alternates",
    "font_variant_east_asian",
    "font_feature_settings",
    "font_variation_settings",
    "font_language_override",
    "lang",
    "direction",
    "letter_spacing",
    "word_spacing",
    "white_space",
    "overflow_wrap",
    "word_break",
    "hyphens",
    "hyphenate_character",
    "hyphenate_limit_chars",
    "hyphenate_limit_zone",
    "tab_size",
    "text_decoration_line",
)


def remembered(original: Any) -> Any:
    """`split_first_line` with its answers kept, by every input they are computed from."""
    cache: dict[tuple[Any, ...], tuple[Any, ...]] = {}

    def split_first_line(
        text: str,
        style: Any,
        context: Any,
        max_width: Any,
        justification_spacing: Any,
        is_line_start: bool = True,
        minimum: bool = False,
    ) -> tuple[Any, ...]:
        try:
            key = (text, max_width, justification_spacing, is_line_start, minimum, _fonts_of(style))
            found = cache.get(key)
        except TypeError:  # a value that cannot be a key: computed as WeasyPrint does
            return original(
                text, style, context, max_width, justification_spacing, is_line_start, minimum
            )
        if found is None:
            found = original(
                text, style, context, max_width, justification_spacing, is_line_start, minimum
            )
            if len(cache) >= LINE_CACHE:
                cache.clear()
            cache[key] = found
        return (copy.copy(found[0]), *found[1:])

    split_first_line.cache = cache  # type: ignore[attr-defined]
    return split_first_line


def _fonts_of(style: Any) -> tuple[Any, ...]:
    """What of a style decides how its text is shaped: the font configuration (itself, not its
    id, which a later one could reuse), how many @font-face rules it was given (a new face can
    change what draws a character) and the style's font and text properties. Raises TypeError
    for a value that cannot be part of a key."""
    font_config = style.font_config
    props = tuple([style[name] for name in KEY_PROPERTIES])
    hash(props)
    return (font_config, getattr(font_config, "_liaison_faces", 0), props)


def counting_faces(original: Any) -> Any:
    """`FontConfiguration.add_font_face`, counting the faces added to each configuration."""

    def add_font_face(self: Any, *args: Any, **kwargs: Any) -> Any:
        self._liaison_faces = getattr(self, "_liaison_faces", 0) + 1
        return original(self, *args, **kwargs)

    return add_font_face


# Drawing a line of text: WeasyPrint makes a Pango layout of the line again, shapes it and turns
# each glyph into PDF operators (`draw_text`, `draw_first_line`): about a tenth of a one-page
# form's CPU, again the same for the same words in every copy. What it writes for a line depends
# on the line's text and the style's font and text properties (`KEY_PROPERTIES`), the
# justification spacing (not the colour, which is set before the text object as WeasyPrint
# sets it), and what the document's fonts already hold: each glyph's
# width (taken from the first use of the glyph in the document, whatever its size) and Unicode
# text. So a line is drawn by WeasyPrint the first time, its operators recorded with the glyphs
# it used; a later line with the same key is written from the record when every glyph's width
# and text in this document would give the same operators, and adds the widths and texts
# WeasyPrint would have added, in its order. Anything else (decorations, ellipses, emoji,
# bitmap fonts, a missing glyph's warning, a font this document has not used yet) is drawn by
# WeasyPrint.

DRAW_CACHE = 20_000  # lines of text kept per process
_GLYPHS = re.compile(r"<([0-9a-f]*)>")


class _Record(NamedTuple):
    fonts: tuple[Any, ...]  # the keys of the fonts used (stream._fonts), each already there
    ops: tuple[tuple[Any, ...], ...]  # ("f", font key, size) | ("s", string) | ("r", rise)
    # (font key, glyph id, width used, width new, text added or None), first use of each glyph
    glyphs: tuple[tuple[Any, int, Any, bool, str | None], ...]


class _Recorder:
    """The stream as draw_first_line sees it: every call passed on, the text operators noted."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self.ops: list[tuple[Any, ...]] = []
        self.fonts: dict[str, Any] = {}  # font.hash → key in stream._fonts
        self.bad = False

    def __getattr__(self, name: str) -> Any:  # ink_rect, logical_rect …
        return getattr(self._stream, name)

    def add_font(self, pango_font: Any) -> Any:
        font, size = self._stream.add_font(pango_font)
        for key, known in self._stream._fonts.items():
            if known is font:
                self.fonts[font.hash] = key
        if font.bitmap or font.svg or font.png or font.colr:
            self.bad = True
        return font, size

    def set_text_matrix(self, *values: Any) -> None:
        self._stream.set_text_matrix(*values)

    def set_font_size(self, name: str, size: Any) -> None:
        self.ops.append(("f", self.fonts.get(name), size))
        self._stream.set_font_size(name, size)

    def show_text(self, string: str) -> None:
        self.ops.append(("s", string))
        self._stream.show_text(string)

    def set_text_rise(self, rise: Any) -> None:
        self.ops.append(("r", rise))
        self._stream.set_text_rise(rise)


def _snapshot(stream: Any) -> dict[int, tuple[int, int]]:
    return {id(f): (len(f.widths), len(f.to_unicode)) for f in stream._fonts.values()}


def _record(recorder: _Recorder, stream: Any, before: dict[int, tuple[int, int]]) -> _Record | None:
    """What a line just drawn wrote and the glyphs it used; None when it cannot be replayed."""
    if recorder.bad or any(op[0] == "f" and op[1] is None for op in recorder.ops):
        return None
    fonts = stream._fonts
    glyphs: list[tuple[Any, int, Any, bool, str | None]] = []
    seen: set[tuple[Any, int]] = set()
    key = None
    for op in recorder.ops:
        if op[0] == "f":
            key = op[1]
            font = fonts[key]
            widths_before, texts_before = before.get(id(font), (0, 0))
            new_widths = set(list(font.widths)[widths_before:])
            new_texts = set(list(font.to_unicode)[texts_before:])
        elif op[0] == "s":
            if key is None:
                return None
            for hexes in _GLYPHS.findall(op[1]):
                for start in range(0, len(hexes), 4):
                    gid = int(hexes[start : start + 4], 16)
                    if (key, gid) in seen:
                        continue
                    seen.add((key, gid))
                    text = font.to_unicode.get(gid) if gid in new_texts else None
                    glyphs.append((key, gid, font.widths.get(gid), gid in new_widths, text))
    return _Record(tuple(recorder.fonts.values()), tuple(recorder.ops), tuple(glyphs))


def _fits(record: _Record, stream: Any) -> bool:
    """Whether this document's fonts give the recorded line's operators: each font already
    there, each glyph's width the one recorded (or not taken yet, and the recorded one was
    taken from the font, as it would be now), each glyph's text there or recorded."""
    fonts = stream._fonts
    for key in record.fonts:
        if key not in fonts:
            return False
    for key, gid, width, width_new, text in record.glyphs:
        font = fonts[key]
        have = font.widths.get(gid)
        if (have is None and not width_new) or (have is not None and have != width):
            return False
        if text is None and gid not in font.to_unicode:
            return False
    return True


def _write(record: _Record, stream: Any) -> None:
    """The recorded line's operators, and the widths and texts WeasyPrint would have added."""
    fonts = stream._fonts
    for key, gid, width, _width_new, text in record.glyphs:
        font = fonts[key]
        font.widths.setdefault(gid, width)
        if gid not in font.to_unicode:
            font.to_unicode[gid] = text
    for op in record.ops:
        if op[0] == "f":
            stream.set_font_size(fonts[op[1]].hash, op[2])
        elif op[0] == "s":
            stream.show_text(op[1])
        else:
            stream.set_text_rise(op[1])


def remembered_drawing(original: Any) -> Any:
    """`draw_text` writing a line of text from a record where it can (see above)."""
    from weasyprint.matrix import Matrix

    cache: dict[tuple[Any, ...], _Record] = {}

    def draw_text(stream: Any, textbox: Any, offset_x: Any, text_overflow: Any, *rest: Any) -> Any:
        style = textbox.style
        if not _plain_line(stream, textbox, text_overflow, rest):
            return original(stream, textbox, offset_x, text_overflow, *rest)
        layout = textbox.pango_layout
        try:
            key = (layout.text, layout.justification_spacing, _fonts_of(style))
            record = cache.get(key)
        except TypeError:
            return original(stream, textbox, offset_x, text_overflow, *rest)
        x, y = textbox.position_x, textbox.position_y + textbox.baseline
        stream.set_color(style["color"])
        if record is not None and _fits(record, stream):
            stream.begin_text()
            stream.set_text_matrix(*Matrix(d=-1, e=x, f=y).values)
            _write(record, stream)
            stream.end_text()
            return None
        made = _draw_recorded(stream, textbox, text_overflow, x, y)
        if made is not None:
            if len(cache) >= DRAW_CACHE:
                cache.clear()
            cache[key] = made
        return None

    draw_text.cache = cache  # type: ignore[attr-defined]
    return draw_text


def _plain_line(stream: Any, textbox: Any, text_overflow: Any, rest: tuple[Any, ...]) -> bool:
    """A visible line without decorations, ellipsis or a block's ellipsis, with text to draw,
    into a page's stream: what a record can stand for."""
    style = textbox.style
    return (
        rest == ("none",)
        and text_overflow != "ellipsis"
        and style["text_decoration_line"] == "none"
        and style["visibility"] == "visible"
        and style["font_size"] >= 1e-6
        and bool(textbox.text.strip())
        and hasattr(stream, "_fonts")
    )


def _draw_recorded(stream: Any, textbox: Any, text_overflow: Any, x: Any, y: Any) -> Any:
    """The line drawn as WeasyPrint's draw_text draws one without decorations, its operators
    recorded: the record, or None where one cannot stand for it (emoji, a warning)."""
    from weasyprint.draw import text as draw_module
    from weasyprint.logger import LOGGER
    from weasyprint.matrix import Matrix

    layout, style = textbox.pango_layout, textbox.style
    layout.reactivate(style)
    stream.begin_text()
    recorder = _Recorder(stream)
    before = _snapshot(stream)
    watch = Heard()
    LOGGER.addHandler(watch)
    try:
        emojis = draw_module.draw_first_line(
            recorder, textbox, text_overflow, "none", Matrix(d=-1, e=x, f=y)
        )
    finally:
        LOGGER.removeHandler(watch)
    stream.end_text()
    draw_module.draw_emojis(stream, style, x, y, emojis)
    layout.deactivate()
    if emojis or watch.heard:
        return None
    return _record(recorder, stream, before)


class Heard(logging.Handler):
    """Notes whether WeasyPrint said anything while it was heard (a missing glyph while a line
    was drawn, a dropped declaration while a style was computed)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.heard = False

    def emit(self, record: logging.LogRecord) -> None:
        self.heard = True
