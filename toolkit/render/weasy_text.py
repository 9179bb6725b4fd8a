"""WeasyPrint's line breaking, remembered: the same text, in the same font, in the same width,
breaks the same way in every copy of a form.

Every copy of a 登记表 lays out the same labels, headers and fixed phrases in the same cells,
and a register repeats the same few words (本站, 转交有关部门, a date) row after row. For each of
them WeasyPrint asks Pango to shape the text and find its first line (`split_first_line`): about
a tenth of a one-page form's CPU, and five calls in six give an answer already given. The answer
depends only on the text, the width, the style's font and text properties (`KEY_PROPERTIES`,
every property `split_first_line` and the `Layout` it makes read), and the font configuration
and how many @font-face rules it was given (a new face can change what draws a character). What
it returns is numbers and a `Layout` whose Pango objects are already released (`deactivate`);
each caller gets its own copy of that `Layout`, as drawing re-activates it and may change its
text (an ellipsis). weasy_cache.py installs it beside its other patches, and the tests compare
every PDF form's bytes with WeasyPrint's own line breaking."""

from __future__ import annotations

import copy
from typing import Any

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
        font_config = style.font_config
        try:
            key = (
                text,
                max_width,
                justification_spacing,
                is_line_start,
                minimum,
                id(font_config),
                # an @font-face rule adds a face, which can change what draws a character
                getattr(font_config, "_liaison_faces", 0),
                tuple([style[name] for name in KEY_PROPERTIES]),
            )
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
            # The key holds the font configuration's id: kept alive with the entry.
            cache[key] = (*found, font_config)
        return (copy.copy(found[0]), *found[1:6])

    split_first_line.cache = cache  # type: ignore[attr-defined]
    return split_first_line


def counting_faces(original: Any) -> Any:
    """`FontConfiguration.add_font_face`, counting the faces added to each configuration."""

    def add_font_face(self: Any, *args: Any, **kwargs: Any) -> Any:
        self._liaison_faces = getattr(self, "_liaison_faces", 0) + 1
        return original(self, *args, **kwargs)

    return add_font_face
