"""WeasyPrint's used lengths, set in one pass: the same values, fewer calls.

Layout calls `resolve_percentages` for every box it places (a row, a cell, each line and each
piece of text in it): ~200 times for a one-page 登记表, ~2,900 for a 代表履职档案 and ~10,400 for a
station's 接待登记簿, at ~13 µs a call, about a tenth of a long document's CPU. Each call turns 17
computed lengths into used ones through two function calls apiece (`resolve_one_percentage`,
`percentage`); without them a call takes ~10 µs (the rest is mostly the style computing each
value when first read), ×0.975 of a form (benchmarks/README.md). `resolve_percentages` below is
WeasyPrint 70's, line for line, with a length (a `Dimension` in px or %) worked out in place and
anything else (auto, None, calc()) handed to WeasyPrint's own `percentage`: same reads of the
style in the same order, same arithmetic, same attributes set in the same order. weasy_cache.py
installs it where layout imported it by name, only on the WeasyPrint it was written against; the
tests compare every PDF form's bytes with WeasyPrint's own.
"""

from __future__ import annotations

from math import inf
from typing import Any


# Long function: one straight function, as WeasyPrint's is; a helper per part would cost the
# calls it saves
def fast_resolve_percentages(  # noqa: PLR0915
    percent: Any, boxes: Any, dimension: Any, check_math: Any
) -> Any:
    """WeasyPrint's `resolve_percentages` (weasyprint.layout.percent), its lengths worked out in
    place. `percent` is that module, `boxes` weasyprint.formatting_structure.boxes."""
    percentage = percent.percentage
    adjust_box_sizing = percent.adjust_box_sizing
    box_type = boxes.Box
    page_type = boxes.PageBox

    def used(value: Any, style: Any, refer_to: Any) -> Any:
        if type(value) is dimension:
            unit = value[1]
            if unit == "%":
                return refer_to * value[0] / 100
            if unit is not None:
                return value[0]
        return percentage(value, style, refer_to)

    def resolve_percentages(box: Any, containing_block: Any) -> None:
        if isinstance(containing_block, box_type):
            cb_width = containing_block.width
            cb_height = containing_block.height
        else:
            cb_width, cb_height = containing_block
        maybe_height = cb_height if isinstance(box, page_type) else cb_width
        style = box.style
        box.margin_left = used(style["margin_left"], style, cb_width)
        box.margin_right = used(style["margin_right"], style, cb_width)
        box.margin_top = used(style["margin_top"], style, maybe_height)
        box.margin_bottom = used(style["margin_bottom"], style, maybe_height)
        box.padding_left = used(style["padding_left"], style, cb_width)
        box.padding_right = used(style["padding_right"], style, cb_width)
        box.padding_top = used(style["padding_top"], style, maybe_height)
        box.padding_bottom = used(style["padding_bottom"], style, maybe_height)
        box.width = used(style["width"], style, cb_width)
        value = used(style["min_width"], style, cb_width)
        box.min_width = 0 if value == "auto" else value
        box.max_width = used(style["max_width"], style, cb_width)

        if cb_height == "auto":
            # The containing block's height depends on its content (WeasyPrint's comment).
            height = style["height"]
            if height == "auto" or check_math(height) or height.unit == "%":
                box.height = "auto"
            else:
                assert height.unit.lower() == "px"  # WeasyPrint's own check
                box.height = height.value
            value = used(style["min_height"], style, 0)
            box.min_height = 0 if value == "auto" else value
            box.max_height = used(style["max_height"], style, inf)
        else:
            box.height = used(style["height"], style, cb_height)
            value = used(style["min_height"], style, cb_height)
            box.min_height = 0 if value == "auto" else value
            box.max_height = used(style["max_height"], style, cb_height)

        # A collapsed table's border widths were set when its borders were resolved.
        if style["border_collapse"] == "collapse":
            box_dict = box.__dict__
            if "border_top_width" not in box_dict:
                box.border_top_width = style["border_top_width"]
            if "border_right_width" not in box_dict:
                box.border_right_width = style["border_right_width"]
            if "border_bottom_width" not in box_dict:
                box.border_bottom_width = style["border_bottom_width"]
            if "border_left_width" not in box_dict:
                box.border_left_width = style["border_left_width"]
        else:
            box.border_top_width = style["border_top_width"]
            box.border_right_width = style["border_right_width"]
            box.border_bottom_width = style["border_bottom_width"]
            box.border_left_width = style["border_left_width"]

        if style["box_sizing"] != "content-box":  # content-box changes nothing
            adjust_box_sizing(box, "width")
            adjust_box_sizing(box, "height")

    return resolve_percentages


# A line's height and baseline for a style (`strut`) are asked for every line and every inline
# box (~28,000 times in a 接待登记簿). WeasyPrint keeps each answer in its font configuration
# (`strut_layouts`), but finds it by a key it writes as a string of 16 style values, with two
# imports, on every call: ~10 µs. The same answer is kept here by the values themselves. An
# answer, once in `strut_layouts`, is never replaced, so what is kept is what WeasyPrint would
# return.
STRUT_PROPERTIES = (  # those of WeasyPrint 70's _font_style_cache_key(style, include_size=True)
    "font_family",
    "font_style",
    "font_stretch",
    "font_weight",
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
    "font_size",
    "line_height",
)
STRUT_CACHE = 4_000  # a form has a few tens of struts


def remembered_strut(original: Any) -> Any:
    """WeasyPrint's `strut`, its answers found by the style values they depend on."""
    cache: dict[tuple[Any, ...], Any] = {}

    def strut(style: Any) -> Any:
        if style["font_size"] == 0:
            return 0, 0
        try:
            key = (style.font_config, *[style[name] for name in STRUT_PROPERTIES])
            found = cache.get(key)
        except TypeError:  # a value that cannot be a key: found as WeasyPrint finds it
            return original(style)
        if found is None:
            found = original(style)
            if len(cache) >= STRUT_CACHE:
                cache.clear()
            cache[key] = found
        return found

    strut.cache = cache  # type: ignore[attr-defined]
    return strut
