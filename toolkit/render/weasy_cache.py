"""Work WeasyPrint repeats for every copy of a form, done once per process instead.

A one-page form cost about 42 ms, and much of it was the same in every copy: the computed
style of each element (the same template, the same stylesheets), the copy of each font file out
of HarfBuzz, the font subset of the labels and the title (the same glyphs), and the compression
of that subset. Each cache below keys its result by every input it is computed from, so a cached
result is what WeasyPrint would compute; the tests render every PDF form of the sample with and
without them and compare the bytes.

Two patches are not caches: WeasyPrint subsets each font twice, and the second pass gives back
the first's bytes; it is done once (`_subset_in_one_pass`). And it made a style for six
pseudo-elements of every element that only list items and footnotes use; they are made when
layout asks for them (`_lazy_pseudo_element_styles`). The HTML of a form is parsed once per
skeleton (its tags) and each document's text put into a copy of that tree
(`_cache_html_skeletons`). A document whose shape (tags, attributes, order, empty elements) was
seen before follows that shape's plan: each element gets the style its place got, without a
selector being matched (`_follow_plan`). And pydyf deflates at level 6, not 9: the same content,
< 0.1 % larger files (`_deflate_at_level`, the one patch that changes bytes: `SAME_BYTES`).
And each text is broken into lines once per width and font (`_remember_line_splits`,
weasy_text.py). A box's used lengths are set in one call (`_used_lengths_in_one_pass`) and a
style's line height found by its values (`_remember_struts`, both in weasy_layout.py).

The computed-style cache, the one-pass subset, the lazy pseudo-element styles, the skeleton
cache, the line splits, the text drawing, the used lengths and the struts replace WeasyPrint's
own code or rely on the order it works in or what it reads (`StyleFor.__init__`,
`Font._harfbuzz_subset`, `StyleFor.set_computed_styles`, `tinyhtml5.parse` as WeasyPrint calls
it, `split_first_line`, `draw_text`, `resolve_percentages`, `strut`), so they are installed only
on the WeasyPrint versions they were written against (`STYLE_VERSIONS`, which
pyproject.toml's pin follows); on any other version WeasyPrint runs unchanged, only slower, and
`liaison doctor` says so. The other four wrap one function each and check the attributes they
rely on. Each patch is kept because benchmarks/bench_patches.py measures what it saves
(benchmarks/README.md has the figures); tried and dropped as not worth their code: sharing
pseudo-element styles, and several records laid out as one document.
"""

# Long module: WeasyPrint patches, each measured (benchmarks/bench_patches.py) and version-pinned;
# one file so liaison doctor and a reviewer see them all

from __future__ import annotations

import contextlib
import copy
import io
import logging
import re
import weakref
import zlib
from collections import OrderedDict
from collections.abc import Iterator
from math import inf
from typing import Any, NamedTuple

from . import weasy_layout, weasy_text

SUBSET_CACHE = 32  # font subsets kept per process (each tens of KB)
STREAM_CACHE = 32  # compressed font files kept per process
STREAM_MIN = 8192  # a single-part stream this long (a font file) is worth remembering
STYLE_CACHE = 4000  # computed styles kept before the cache is emptied (a form uses ~100)
STYLE_VERSIONS = ("70.",)
PLAN_CACHE = 256  # document shapes remembered per process (a form has tens: names, dates …)
PLAN_MAX_ELEMENTS = 1_500  # a longer document is not planned (a 登记表 has ~80 elements)
PLAN_ELEMENTS = 100_000  # elements of all the plans kept (~0.5 KB each)
CASCADE_CACHE = 20_000  # elements' cascades kept (a form has tens, a register's rows repeat)
SKELETON_CACHE = 64  # parsed HTML skeletons kept per process (a form has one or a few)
FILE_MIN = 1 << 20  # a face this large is a shipped font file, not a subset of one
FILE_CACHE = 8  # font files kept per process (the shipped ones are five)

_ORIGINALS: dict[str, tuple[Any, str, Any]] = {}  # name → (owner, attribute, original)
_ALSO: dict[str, list[tuple[Any, str, Any]]] = {}  # name → the same patch's other places


# What each patch does, for `liaison doctor` (the names are those of `disabled()`).
DESCRIPTIONS = {
    "font files": "字体文件只复制一次",
    "subset in one pass": "字体子集一次完成",
    "font subsets": "重复的字体子集只做一次",
    "font streams": "重复的字体数据只压缩一次",
    "computed styles": "同一模板的样式只计算一次",
    "pseudo-element styles": "用不到的伪元素样式不再计算",
    "html skeletons": "同一模板的 HTML 结构只解析一次",
    "deflate level": "PDF 数据流按 6 级压缩（与 9 级相比文件大不到 0.1%）",
    "line splits": "同样的文字在同样的宽度里只断行一次",
    "text drawing": "同样的一行文字只生成一次字形指令",
    "used lengths": "盒子的边距和宽高一次算完",
    "struts": "行高按样式直接查到",
}
# The patches that change no byte of a PDF (the tests compare with WeasyPrint as it ships with
# these taken off); "deflate level" changes how the same content is compressed.
SAME_BYTES = tuple(name for name in DESCRIPTIONS if name != "deflate level")
DEFLATE_LEVEL = 6


def install() -> None:
    _cache_font_files()
    _subset_in_one_pass()
    _cache_font_subsets()
    _cache_font_streams()
    _cache_computed_styles()
    _lazy_pseudo_element_styles()
    _cache_html_skeletons()
    _deflate_at_level()
    _remember_line_splits()
    _remember_text_drawing()
    _used_lengths_in_one_pass()
    _remember_struts()


def patches() -> dict[str, tuple[Any, str, Any]]:
    """The patches installed in this process: name → (owner, attribute, WeasyPrint's own)."""
    return dict(_ORIGINALS)


@contextlib.contextmanager
def disabled(*names: str) -> Iterator[None]:
    """WeasyPrint as it ships (or without the patches `names`), for the duration: the tests
    compare against it, the benchmark measures what each patch is worth."""
    chosen = [
        place
        for name, first in _ORIGINALS.items()
        if not names or name in names
        for place in [first, *_ALSO.get(name, ())]
    ]
    saved = [getattr(owner, attr) for owner, attr, _ in chosen]
    for owner, attr, original in chosen:
        setattr(owner, attr, original)
    try:
        yield
    finally:
        for (owner, attr, _), value in zip(chosen, saved, strict=True):
            setattr(owner, attr, value)


def _written_for_this_weasyprint() -> bool:
    """Whether the WeasyPrint installed is a version the patches that rewrite its code were
    written against (`STYLE_VERSIONS`)."""
    try:
        import weasyprint
    except ImportError:
        return False
    return str(getattr(weasyprint, "__version__", "")).startswith(STYLE_VERSIONS)


def _replace(name: str, owner: Any, attr: str, new: Any, *also: tuple[Any, str]) -> None:
    """Put `new` in `owner.attr` (and in each (owner, attribute) of `also`, where the same
    function was imported by name), remembering WeasyPrint's own."""
    if name in _ORIGINALS:
        return
    _ORIGINALS[name] = (owner, attr, owner.__dict__[attr])
    _ALSO[name] = [(o, a, o.__dict__[a]) for o, a in also]
    for o, a in [(owner, attr), *also]:
        setattr(o, a, new)


def _cache_font_files() -> None:
    """Copy each font file out of HarfBuzz once, not once per document.

    Every font a document uses starts as a Python copy of its whole file (2–5 MB for these
    CJK fonts): a tenth of a one-page form's time. Only that copy, made in `Font.__init__` from
    the face Pango loaded and keeps for the process, is remembered: by the blob's address and
    length, with its first and last 4 KB compared before it is reused. Subsets, made and freed
    per document, are copied as before, and at most `FILE_CACHE` files are kept."""
    try:
        from weasyprint.pdf import fonts as pdf_fonts
        from weasyprint.text.ffi import ffi, harfbuzz
    except ImportError:
        return
    original = pdf_fonts.__dict__.get("get_hb_object_data")
    init = pdf_fonts.Font.__dict__.get("__init__")
    if original is None or init is None:
        return
    cache: OrderedDict[tuple[int, int], bytes] = OrderedDict()

    def file_data(hb_object: Any, ot_color: Any = None, glyph: Any = None) -> Any:
        if ot_color is not None:
            return original(hb_object, ot_color, glyph)
        blob = harfbuzz.hb_face_reference_blob(hb_object)
        try:
            with ffi.new("unsigned int *") as length:
                pointer = harfbuzz.hb_blob_get_data(blob, length)
                size = int(length[0])
            if pointer == ffi.NULL or size < FILE_MIN:
                return original(hb_object)
            key = (int(ffi.cast("uintptr_t", pointer)), size)
            found = cache.get(key)
            if (
                found is not None
                and found[:4096] == ffi.unpack(pointer, 4096)
                and found[-4096:] == ffi.unpack(pointer + (size - 4096), 4096)
            ):
                cache.move_to_end(key)
                return found
            data = ffi.unpack(pointer, size)
            cache[key] = data
            if len(cache) > FILE_CACHE:
                cache.popitem(last=False)
            return data
        finally:
            harfbuzz.hb_blob_destroy(blob)

    def font_init(self: Any, *args: Any, **kwargs: Any) -> None:
        pdf_fonts.get_hb_object_data = file_data  # for this constructor only
        try:
            init(self, *args, **kwargs)
        finally:
            pdf_fonts.get_hb_object_data = original

    font_init.cache = cache  # type: ignore[attr-defined]
    _replace("font files", pdf_fonts.Font, "__init__", font_init)


# WeasyPrint 70's list of the tables a subset drops
_DROPPED_TABLES = [b"BASE", b"DSIG", b"EBDT", b"EBLC", b"EBSC", b"GPOS", b"GSUB", b"JSTF"]
_DROPPED_TABLES += [b"LTSH", b"PCLT", b"SVG "]


# Long function: one HarfBuzz subset call with its cffi arrays set up and freed in one place
def _subset_in_one_pass() -> None:
    """Subset a font in one HarfBuzz pass instead of WeasyPrint 70's two.

    WeasyPrint subsets with the glyph ids kept (RETAIN_GIDS), then subsets the result again
    keeping every glyph up to the last one used, to drop the empty glyphs after it: HarfBuzz's
    first pass already ends the font at its last glyph, so the second pass gives back the same
    bytes (a test compares them) at the cost of a second subset of a CJK font. It also sized each
    array in its C type (`hb_codepoint_t[2981]`), and cffi parses every new type string with
    pycparser (about 20 ms each, hundreds of distinct lengths in a run); `hb_codepoint_t[]`
    takes its length from the values and is parsed once. Together about a sixth of a one-page
    form's CPU. WeasyPrint's own method rewritten, so only on `STYLE_VERSIONS`."""
    try:
        from weasyprint.pdf.fonts import Font
        from weasyprint.text.ffi import ffi, harfbuzz, harfbuzz_subset
        from weasyprint.text.fonts import get_hb_object_data
    except ImportError:
        return
    if harfbuzz_subset is None or "_harfbuzz_subset" not in Font.__dict__:
        return
    if not _written_for_this_weasyprint():
        return
    drop_tags = tuple(harfbuzz.hb_tag_from_string(name, -1) for name in _DROPPED_TABLES)

    def one_pass(self: Any, to_unicode: Any, hinting: Any) -> None:
        subset_input = ffi.gc(
            harfbuzz_subset.hb_subset_input_create_or_fail(),
            harfbuzz_subset.hb_subset_input_destroy,
        )
        glyphs = sorted(to_unicode)
        harfbuzz.hb_set_add_sorted_array(
            harfbuzz_subset.hb_subset_input_glyph_set(subset_input),
            ffi.new("hb_codepoint_t[]", glyphs),
            len(glyphs),
        )
        flags = (
            harfbuzz_subset.HB_SUBSET_FLAGS_RETAIN_GIDS
            | harfbuzz_subset.HB_SUBSET_FLAGS_PASSTHROUGH_UNRECOGNIZED
            | harfbuzz_subset.HB_SUBSET_FLAGS_DESUBROUTINIZE
        )
        if not hinting:
            flags |= harfbuzz_subset.HB_SUBSET_FLAGS_NO_HINTING
        if self.missing:
            flags |= harfbuzz_subset.HB_SUBSET_FLAGS_NOTDEF_OUTLINE
        harfbuzz_subset.hb_subset_input_set_flags(subset_input, flags)
        harfbuzz.hb_set_add_sorted_array(
            harfbuzz_subset.hb_subset_input_set(
                subset_input, harfbuzz_subset.HB_SUBSET_SETS_DROP_TABLE_TAG
            ),
            ffi.new("hb_codepoint_t[]", sorted(drop_tags)),
            len(drop_tags),
        )
        face = ffi.gc(
            harfbuzz_subset.hb_subset_or_fail(self.hb_face, subset_input),
            harfbuzz.hb_face_destroy,
        )
        if face:
            content = get_hb_object_data(face)
            if content:
                self.file_content = content
                return
        _ORIGINALS["subset in one pass"][2](self, to_unicode, hinting)  # WeasyPrint's warning

    _replace("subset in one pass", Font, "_harfbuzz_subset", one_pass)


def _cache_font_subsets() -> None:
    """Subset each font once per glyph set, not once per document.

    HarfBuzz subsetting of these CJK fonts is a tenth of a one-page form's time. A form's labels
    and title use the same glyphs in every copy, so their subsets repeat exactly: they are kept
    (keyed by the font, its size in bytes and the glyph ids, the only inputs of the subset) and
    reused. The body text differs from record to record and is subset as before."""
    try:
        from weasyprint.pdf.fonts import Font
    except ImportError:
        return
    original = Font.__dict__.get("subset")
    if original is None:
        return
    cache: OrderedDict[tuple[Any, ...], bytes] = OrderedDict()

    def subset(self: Any, to_unicode: Any, hinting: Any) -> None:
        try:
            key = (
                self.hash,
                self.index,
                len(self.file_content),
                frozenset(to_unicode),
                bool(hinting),
                bool(self.missing),
            )
        except (AttributeError, TypeError):
            original(self, to_unicode, hinting)
            return
        found = cache.get(key)
        if found is not None:
            cache.move_to_end(key)
            self.file_content = found
            return
        original(self, to_unicode, hinting)
        cache[key] = self.file_content
        if len(cache) > SUBSET_CACHE:
            cache.popitem(last=False)

    subset.cache = cache  # type: ignore[attr-defined]
    _replace("font subsets", Font, "subset", subset)


def _cache_font_streams() -> None:
    """Compress a reused font subset once, not once per document.

    pydyf compresses every stream at level 9 when the PDF is written; for the font files that
    is a tenth of the time. A stream made of one large bytes object (a font file) is compressed
    exactly as pydyf does it and remembered by those bytes; every other stream goes through
    pydyf's own code."""
    try:
        import pydyf
    except ImportError:
        return
    prop = pydyf.Stream.__dict__.get("data")
    if not isinstance(prop, property) or prop.fget is None:
        return
    original = prop.fget
    cache: OrderedDict[tuple[int, bytes], bytes] = OrderedDict()

    def data(self: Any) -> bytes:
        parts = self.stream
        if not (
            self.compress
            and len(parts) == 1
            and type(parts[0]) is bytes
            and len(parts[0]) >= STREAM_MIN
            and not self.extra.get("Filter")
        ):
            return original(self)
        raw = parts[0]
        key = (getattr(pydyf.zlib, "level", 9), raw)  # compressed as pydyf does, at its level
        packed = cache.get(key)
        if packed is None:
            packer = pydyf.zlib.compressobj(level=9)
            packed = packer.compress(raw) + packer.flush()
            cache[key] = packed
            if len(cache) > STREAM_CACHE:
                cache.popitem(last=False)
        else:
            cache.move_to_end(key)
        extra = pydyf.Dictionary(self.extra.copy())
        extra["Filter"] = "/FlateDecode"
        extra["Length"] = len(packed)
        return b"\n".join((extra.data, b"stream", packed, b"endstream"))

    data.cache = cache  # type: ignore[attr-defined]
    _replace("font streams", pydyf.Stream, "data", property(data))


class _DeflateAt:
    """zlib as pydyf sees it, with every compressor at `DEFLATE_LEVEL`."""

    def __init__(self, level: int) -> None:
        self.level = level

    def __getattr__(self, name: str) -> Any:
        return getattr(zlib, name)

    def compressobj(self, level: int = -1, *args: Any, **kwargs: Any) -> Any:
        return zlib.compressobj(self.level, *args, **kwargs)


def _deflate_at_level() -> None:
    """pydyf deflates every stream of a PDF (page contents, font files) at level 9, a tenth of
    a one-page form's CPU; level 6 takes ~5 % less of the form's time for files < 0.1 % larger
    (the sample's forms, benchmarks/README.md). The content is the same; the bytes are not
    WeasyPrint's own, so this patch is not among `SAME_BYTES`."""
    try:
        import pydyf
    except ImportError:
        return
    if getattr(pydyf, "zlib", None) is not zlib:
        return
    _replace("deflate level", pydyf, "zlib", _DeflateAt(DEFLATE_LEVEL))


def _imported_alike(owner: Any, attr: str, *by_name: Any) -> Any:
    """WeasyPrint's own `owner.attr`, if each module of `by_name` imported that same function
    by name (so replacing it in all of them replaces every use); else None."""
    original = owner.__dict__.get(attr)
    if original is None or any(module.__dict__.get(attr) is not original for module in by_name):
        return None
    return original


def _remember_line_splits() -> None:
    """Break each text in each width and font once per process (weasy_text.py says why)."""
    try:
        from weasyprint.layout import inline, preferred
        from weasyprint.text import line_break
        from weasyprint.text.fonts import FontConfiguration
    except ImportError:
        return
    if not _written_for_this_weasyprint():
        return

    original = _imported_alike(line_break, "split_first_line", inline, preferred)
    add_face = FontConfiguration.__dict__.get("add_font_face")
    if original is None or add_face is None:
        return
    _replace(
        "line splits",
        line_break,
        "split_first_line",
        weasy_text.remembered(original),
        (inline, "split_first_line"),
        (preferred, "split_first_line"),
    )
    # Counted whether or not the line splits are remembered at the moment: a face added while
    # they are off must still be seen when they are back on.
    FontConfiguration.add_font_face = weasy_text.counting_faces(add_face)


def _remember_text_drawing() -> None:
    """Write each line of text's PDF operators once per process where the document's fonts
    allow it (weasy_text.py says when)."""
    try:
        from weasyprint import draw
        from weasyprint.draw import text as draw_text_module
        from weasyprint.pdf.stream import Stream
    except ImportError:
        return
    if not _written_for_this_weasyprint():
        return

    original = _imported_alike(draw_text_module, "draw_text", draw)
    needed = ("draw_first_line", "draw_emojis")
    if original is None:
        return
    if not all(name in draw_text_module.__dict__ for name in needed):
        return
    if not all(hasattr(Stream, name) for name in ("add_font", "set_font_size", "begin_text")):
        return
    _replace(
        "text drawing",
        draw_text_module,
        "draw_text",
        weasy_text.remembered_drawing(original),
        (draw, "draw_text"),
    )


def _used_lengths_in_one_pass() -> None:
    """Set a box's used margins, paddings, sizes and borders in one call (weasy_layout.py)."""
    try:
        from weasyprint.css.functions import check_math
        from weasyprint.css.properties import Dimension
        from weasyprint.formatting_structure import boxes
        from weasyprint.layout import absolute, block, column, grid, inline, page, percent, table
        from weasyprint.layout import float as floats
    except ImportError:
        return
    if not _written_for_this_weasyprint():
        return
    by_name = (absolute, block, column, floats, grid, inline, page, table)
    original = _imported_alike(percent, "resolve_percentages", *by_name)
    if original is None:
        return
    _replace(
        "used lengths",
        percent,
        "resolve_percentages",
        weasy_layout.fast_resolve_percentages(percent, boxes, Dimension, check_math),
        *[(module, "resolve_percentages") for module in by_name],
    )


def _remember_struts() -> None:
    """Find a style's line height and baseline by its values (weasy_layout.py says why)."""
    try:
        from weasyprint.css import computed_values, units
        from weasyprint.layout import inline
        from weasyprint.text import line_break
    except ImportError:
        return
    if not _written_for_this_weasyprint():
        return
    by_name = (computed_values, units, inline)
    original = _imported_alike(line_break, "strut", *by_name)
    if original is None or not hasattr(line_break, "_font_style_cache_key"):
        return
    _replace(
        "struts",
        line_break,
        "strut",
        weasy_layout.remembered_strut(original),
        *[(module, "strut") for module in by_name],
    )


def _cache_computed_styles() -> None:
    """Share computed styles between documents, as WeasyPrint already shares them between the
    elements of one document.

    WeasyPrint gives two elements the same computed style when their parents' styles are the same
    object, their style attributes are the same and the same rules match them. The same key
    holds across documents made from the same template with the same stylesheets, so the style is
    computed once per process (every property, eagerly) and each document gets its own copy,
    because layout writes into the styles it is given. A style whose computation needs the page
    (viewport units) or logs anything is left to WeasyPrint each time.

    Matching the selectors was then most of what was left (~10 % of a form's CPU), and it gives
    the same result for every document of one shape: a plan per shape (`_Plan`) records each
    element's shared style and cascade, and a copy of the form that differs only in its text
    follows it (~80 % of the 登记表 of a year, whose names and dates vary in number).

    A long document (a register, a deputy's file, a 考核表's appendix) seldom repeats a shape,
    but its rows repeat their cascades: an element's cascades (its own and its
    pseudo-elements') are decided by its style attribute and the rules that matched it, and are
    looked up by them (`_ELEMENT_CASCADES`) instead of being worked out again. Styles went from
    112 to 50 ms of a 代表履职档案's ~520 ms, and from 434 to 180 ms of a 接待登记簿's. Such a
    document is not planned (`PLAN_MAX_ELEMENTS`): 256 plans of 3,000 elements would hold
    ~400 MB."""
    try:
        from weasyprint.css import StyleFor
    except ImportError:
        return
    if not _written_for_this_weasyprint():
        return
    _replace("computed styles", StyleFor, "__init__", _style_for_init)


def _lazy_pseudo_element_styles() -> None:
    """Make a pseudo-element's style when layout asks for it, not for every element ahead.

    WeasyPrint's user-agent stylesheet gives every element six pseudo-elements (::marker and
    the footnote and note calls and markers), and WeasyPrint makes a style for each of them as it
    computes the document's styles: ~470 a one-page form, a tenth of its CPU, for boxes that exist
    only on list items and footnotes. The style is made as WeasyPrint makes it (the same parent,
    cascaded values and root) when it is first looked up; a computed style only computes its
    values when they are read, so making it later reads the same values. One that sets an
    anchor is made at once, as the anchor is collected then. Only on `STYLE_VERSIONS`: it relies
    on the pseudo-elements' styles being made last, after every element's."""
    try:
        from weasyprint.css import StyleFor
    except ImportError:
        return
    if not _written_for_this_weasyprint():
        return
    original = StyleFor.__dict__.get("set_computed_styles")
    if original is None:
        return

    def set_computed_styles(
        self: Any,
        element: Any,
        parent: Any,
        root: Any = None,
        pseudo_type: Any = None,
        base_url: Any = None,
        target_collector: Any = None,
    ) -> None:
        cascaded = self.get_cascaded_styles().get((element, pseudo_type), {})
        if _eager(pseudo_type, cascaded):
            original(self, element, parent, root, pseudo_type, base_url, target_collector)
            return
        styles = _lazy_styles(self)
        styles.pending[element, pseudo_type] = (
            styles[parent, None],
            cascaded,
            styles[root, None],
            base_url,
            self.font_config,
            self.initial_page_sizes,
        )

    set_computed_styles.lazy = True  # type: ignore[attr-defined]
    _replace("pseudo-element styles", StyleFor, "set_computed_styles", set_computed_styles)


def _eager(pseudo_type: Any, cascaded: dict[str, Any]) -> bool:
    """Whether a style is made at once: an element's, a box's pseudo-element, a page's margin
    box, or one that sets an anchor (collected as the style is made)."""
    return (
        pseudo_type is None
        or pseudo_type in _EAGER_PSEUDO
        or pseudo_type.startswith("@")
        or "anchor" in cascaded
    )


def _lazy_styles(self: Any) -> _LazyStyles:
    """The document's computed styles, able to hold styles made when first looked up."""
    styles = self.get_computed_styles()
    if type(styles) is not _LazyStyles:
        styles = self._computed_styles = _LazyStyles(styles)
    return styles


# ::before and ::after become boxes wherever they have content; page margin boxes (@top-left …)
# are made while the page is laid out and may be read from there
_EAGER_PSEUDO = frozenset({"before", "after"})


class _LazyStyles(dict[Any, Any]):
    """A document's computed styles, with pseudo-elements' styles made when first looked up."""

    def __init__(self, styles: dict[Any, Any]) -> None:
        super().__init__(styles)
        self.pending: dict[Any, tuple[Any, ...]] = {}

    def _make(self, key: Any) -> Any:
        from weasyprint.css import ComputedStyle

        parent, cascaded, root, base_url, font_config, sizes = self.pending.pop(key)
        style = self[key] = ComputedStyle(
            parent, cascaded, key[1], root, base_url, font_config, sizes
        )
        return style

    def get(self, key: Any, default: Any = None) -> Any:
        if key in self.pending:
            return self._make(key)
        return super().get(key, default)

    def __missing__(self, key: Any) -> Any:
        if key in self.pending:
            return self._make(key)
        raise KeyError(key)


def _cache_html_skeletons() -> None:
    """Parse each HTML skeleton of a form once: the tags, with the text between them filled in.

    tinyhtml5, WeasyPrint's HTML5 parser, is pure Python: ~2 ms of a one-page form's ~40 ms,
    and every copy of a form has the same tags, only the text between them differs. The
    document is cut at its tags; the text between two tags is, for the tree the parser builds,
    either nothing, only white space (kept as it is, part of the skeleton), or text: its white
    space at either end (kept) around characters that are not (where the parser puts those is
    decided by the first of them, so a marker character stands in). The skeleton with its
    markers is parsed once, WeasyPrint's way; each document gets a copy of that tree with each
    marker replaced by its text. Anything the cut cannot read as plainly as the parser would is
    parsed by tinyhtml5 as before: raw-text elements (style, script, textarea, pre, svg …),
    comments, a tag it does not recognise, a character reference other than the five Jinja's
    escaping writes, control characters, or text before the first tag. A test compares the
    trees with tinyhtml5's own for every PDF form and hostile text."""
    try:
        import tinyhtml5
        import weasyprint
    except ImportError:
        return
    original = tinyhtml5.__dict__.get("parse")
    if original is None or getattr(weasyprint, "tinyhtml5", None) is not tinyhtml5:
        return
    if not _written_for_this_weasyprint():
        return
    cache: OrderedDict[tuple[str, ...], Any] = OrderedDict()

    def parse(document: Any, namespace_html_elements: bool = True, **kwargs: Any) -> Any:
        if kwargs or namespace_html_elements or type(document) is not io.StringIO:
            return original(document, namespace_html_elements, **kwargs)
        source = document.getvalue()
        cut = _skeleton(source)
        if cut is None:
            return original(io.StringIO(source), False)
        key, texts = cut
        found = cache.get(key)
        if found is None:
            found = cache[key] = _parse_skeleton(original, key)
            if len(cache) > SKELETON_CACHE:
                cache.popitem(last=False)
        else:
            cache.move_to_end(key)
        if found is _UNCACHEABLE:
            return original(io.StringIO(source), False)
        tree, places = found
        tree = copy.deepcopy(tree)
        nodes = list(tree.iter())
        for index, attribute, markers in places:
            node = nodes[index]
            value = getattr(node, attribute)
            for marker in markers:
                value = value.replace(chr(_MARKER + marker), texts[marker])
            setattr(node, attribute, value)
        return tree

    parse.cache = cache  # type: ignore[attr-defined]
    _replace("html skeletons", tinyhtml5, "parse", parse)


_MARKER = 0xF0000  # supplementary private use: a form's text never holds these (else: parsed)
_SPACE = " \t\n\f"  # the HTML parser's white space (\r is normalised first: not cut)
_CUT = re.compile(r"(<[^<>]*>)")
_TAG = re.compile(
    r"""</?[A-Za-z][^\s/>]*(?:\s+[^\s"'=<>`/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*\s*/?>"""
)
_DOCTYPE = "<!DOCTYPE html>"
_RAW_TEXT = re.compile(
    r"<(?:script|style|textarea|xmp|iframe|noembed|noframes|noscript|plaintext|pre|listing"
    r"|svg|math|template|title\s*/)",
    re.IGNORECASE,
)
_ESCAPES = (("&lt;", "<"), ("&gt;", ">"), ("&#34;", '"'), ("&#39;", "'"), ("&quot;", '"'))
_PLAIN = re.compile(r"[\x00-\x08\x0b\x0d-\x1f\x7f-\x9f\ufeff\U000f0000-\U0010ffff]")


def _skeleton(source: str) -> tuple[tuple[str, ...], list[str]] | None:
    """The document cut into its skeleton (tags, white space, markers: the cache key) and the
    text each marker stands for; None when it is not plain enough to be cut."""
    if _RAW_TEXT.search(source) or _PLAIN.search(source):
        return None
    parts = _CUT.split(source)
    if parts[0]:
        return None
    key: list[str] = []
    texts: list[str] = []
    for position, part in enumerate(parts):
        if position % 2:
            if not (_TAG.fullmatch(part) or (position == 1 and part == _DOCTYPE)):
                return None
            key.append(part)
            continue
        if not part:
            continue
        if "&" in part:
            text = part
            for escaped, plain in _ESCAPES:
                text = text.replace(escaped, plain)
            if "&" in text.replace("&amp;", ""):
                return None
            text = text.replace("&amp;", "&")
        else:
            text = part
        core = text.strip(_SPACE)
        if not core:
            key.append(text)
            continue
        start = text.index(core)
        key.append(f"{text[:start]}{chr(_MARKER + len(texts))}{text[start + len(core) :]}")
        texts.append(core)
    return tuple(key), texts


def _parse_skeleton(original: Any, key: tuple[str, ...]) -> Any:
    """The skeleton parsed by tinyhtml5, and where each marker landed: (node's index in document
    order, text or tail, markers); _UNCACHEABLE when a marker is not found exactly once."""
    tree = original(io.StringIO("".join(key)), False)
    places = []
    seen: list[int] = []
    for index, node in enumerate(tree.iter()):
        for attribute in ("text", "tail"):
            value = getattr(node, attribute) or ""
            markers = [ord(c) - _MARKER for c in value if ord(c) >= _MARKER]
            if markers:
                places.append((index, attribute, markers))
                seen.extend(markers)
        if any(ord(c) >= _MARKER for c in str(node.tag) + "".join(node.attrib.values())):
            return _UNCACHEABLE
    expected = sum(1 for part in key if any(ord(c) >= _MARKER for c in part))
    if sorted(seen) != list(range(expected)):
        return _UNCACHEABLE
    return tree, places


_STYLES: dict[tuple[Any, ...], Any] = {}
_UNCACHEABLE = object()
_SEEN_SHEETS: weakref.WeakSet[Any] = weakref.WeakSet()
_SIDES = ("top", "right", "bottom", "left")


def _written(style: Any) -> frozenset[str]:
    """The properties WeasyPrint overwrites in this element's computed style during layout:
    a table's wrapper properties (build.py moves them to the wrapper), a collapsed table's
    padding and the margins of table parts (StyleFor.__call__)."""
    from weasyprint.css.properties import TABLE_WRAPPER_BOX_PROPERTIES

    display = style["display"]
    names: set[str] = set()
    if "table" in display:
        names |= TABLE_WRAPPER_BOX_PROPERTIES
        if style["border_collapse"] == "collapse":
            names |= {f"padding_{side}" for side in _SIDES}
    if len(display) == 1 and display[0].startswith("table-") and display[0] != "table-caption":
        names |= {f"margin_{side}" for side in _SIDES}
    return frozenset(names)


def _declaration_key(declaration: Any) -> Any:
    """A declaration of a style attribute as text; one WeasyPrint will warn about and drop
    (it cannot be serialised) by its kind and message."""
    try:
        return declaration.serialize()
    except (TypeError, AttributeError):
        return (type(declaration).__name__, str(getattr(declaration, "message", "")))


def _cached_style(key: tuple[Any, ...], make: Any) -> Any:
    """The shared style for `key`, made (and filled) by `make()`; None when it cannot be shared."""
    found = _STYLES.get(key)
    if found is not None:
        return None if found is _UNCACHEABLE else found
    from weasyprint.css.properties import INITIAL_VALUES
    from weasyprint.logger import LOGGER

    style = make()
    watch = weasy_text.Heard()
    # Only the watch hears WeasyPrint while the style is filled: what it would say is said
    # again when the uncacheable style is computed in the document.
    saved = LOGGER.handlers, LOGGER.propagate, LOGGER.level
    LOGGER.handlers, LOGGER.propagate = [watch], False
    LOGGER.setLevel(logging.WARNING)
    try:
        for name in INITIAL_VALUES:
            style[name]
    except Exception:
        watch.heard = True
    finally:
        LOGGER.handlers, LOGGER.propagate = saved[0], saved[1]
        LOGGER.setLevel(saved[2])
    _STYLES[key] = _UNCACHEABLE if watch.heard else style
    return None if watch.heard else style


# Long function: WeasyPrint's own function with the cache added, kept in its shape so it diffs
# against upstream
def _style_for_init(  # noqa: C901, PLR0915 (the reason is above)
    self: Any,
    html: Any,
    sheets: Any,
    presentational_hints: Any,
    font_config: Any,
    target_collector: Any,
) -> None:
    """WeasyPrint 70's `StyleFor.__init__`, with its per-document style cache made per process."""
    from weasyprint.css import (
        ComputedStyle,
        InitialStyle,
        declaration_precedence,
        find_style_attributes,
        preprocess_declarations,
    )

    # Stylesheets made per document (a <style> element) would never match a key: such a
    # document is left to WeasyPrint, as is the first document of any new set of sheets.
    known = all(sheet in _SEEN_SHEETS for sheet, _origin, _specificity in sheets)
    _SEEN_SHEETS.update(sheet for sheet, _origin, _specificity in sheets)
    if not known:
        _ORIGINALS["computed styles"][2](
            self, html, sheets, presentational_hints, font_config, target_collector
        )
        return
    if len(_STYLES) > STYLE_CACHE:
        # Emptied whole, never entry by entry: keys hold the id() of a parent style that only
        # the cache keeps alive.
        _STYLES.clear()
        _PLANS.clear()
        _ELEMENT_CASCADES.clear()
    cascaded_styles: dict[Any, Any] = {}
    computed_styles: dict[Any, Any] = {}
    self._cascaded_styles, self._computed_styles = cascaded_styles, computed_styles
    self.initial_page_sizes = {"box": None, "area": None}
    self._sheets = sheets
    self.font_config = font_config
    elements = list(html.wrapper_element.iter_subtree())
    planned = len(elements) <= PLAN_MAX_ELEMENTS
    if planned:
        shape, position = _shape(elements)
        plan_key = (html.base_url, font_config, presentational_hints, tuple(sheets), shape)
        plan = _PLANS.get(plan_key)
        if plan is not None:
            _PLANS.move_to_end(plan_key)
            _follow_plan(self, html, elements, plan, target_collector)
            return

    layer_order = inf
    elements_declarations: dict[Any, Any] = {}
    for specificity, element, declarations, base_url in find_style_attributes(
        html.etree_element, presentational_hints, html.base_url
    ):
        style = cascaded_styles.setdefault((element, None), {})
        # Serialised (the parsed declarations are new objects in every document), and all of
        # them: an element yields its style attribute, its lang and its id separately.
        elements_declarations[element] = (
            *elements_declarations.get(element, ()),
            specificity,
            *(_declaration_key(d) for d in declarations),
        )
        for name, values, importance in preprocess_declarations(base_url, declarations):
            precedence = declaration_precedence("author", importance)
            weight = (precedence, layer_order, specificity)
            old_weight = style.get(name, (None, None))[1]
            if old_weight is None or old_weight <= weight:
                style[name] = values, weight

    shared: dict[Any, Any] = {}  # element → the cached style its children's keys refer to
    copies: dict[int, Any] = {}  # id(cached style) → this document's copy of it
    originals: list[Any] = []  # by element, in document order: what the plan will say
    sheets_key = tuple(sheets)
    root = html.etree_element
    for element in elements:
        etree_element = element.etree_element
        parent = element.parent.etree_element if element.parent else None
        element_declarations = elements_declarations.get(etree_element)
        matched = [
            (sheet, origin, sheet_specificity, selector)
            for sheet, origin, sheet_specificity in sheets
            for selector in sheet.matcher.match(element)
        ]
        selectors_keys = [
            (sheet, specificity, id(declarations), layer, pseudo_type)
            for sheet, _, _, (specificity, _, pseudo_type, (declarations, layer)) in matched
        ]
        # The element's cascades (its own and its pseudo-elements') are decided by its style
        # attribute and the rules that matched it: the same dicts for every element so matched,
        # in any document (read, never written, by the styles computed from them).
        cascade_key = (html.base_url, sheets_key, element_declarations, tuple(selectors_keys))
        cascades = _ELEMENT_CASCADES.get(cascade_key)
        if cascades is None:
            for sheet, origin, sheet_specificity, selector in matched:
                specificity, _order, pseudo_type, (declarations, layer) = selector
                layer_order = inf if layer is None else sheet.layers.index(layer)
                specificity = sheet_specificity or specificity
                style = cascaded_styles.setdefault((etree_element, pseudo_type), {})
                for name, values, importance in declarations:
                    precedence = declaration_precedence(origin, importance)
                    weight = (precedence, layer_order, specificity)
                    old_weight = style.get(name, (None, None))[1]
                    if old_weight is None or old_weight <= weight:
                        style[name] = values, weight
            pseudos = dict.fromkeys([None, *(selector[2] for *_, selector in matched)])
            cascades = tuple(
                (pseudo, cascaded_styles[etree_element, pseudo])
                for pseudo in pseudos
                if (etree_element, pseudo) in cascaded_styles
            )
            if len(_ELEMENT_CASCADES) >= CASCADE_CACHE:
                _ELEMENT_CASCADES.clear()  # the plans keep the ones they use
            _ELEMENT_CASCADES[cascade_key] = cascades
        else:
            for pseudo, cascaded in cascades:
                cascaded_styles[etree_element, pseudo] = cascaded

        parent_shared = shared.get(parent) if parent is not None else None
        original = None
        # 'inherit' of a property WeasyPrint writes into the parent's style during layout
        # reads the written value; a style computed ahead would not.
        written = _written(parent_shared) if parent_shared is not None else ()
        inherits = bool(written) and any(
            value == "inherit" and name in written
            for name, (value, _weight) in cascaded_styles.get((etree_element, None), {}).items()
        )
        if (parent is None or parent_shared is not None) and not inherits:
            key = (
                html.base_url,
                font_config,
                id(parent_shared) if parent_shared is not None else None,
                element_declarations,
                tuple(selectors_keys),
            )

            def make(element: Any = etree_element, parent_style: Any = parent_shared) -> Any:
                return ComputedStyle(
                    parent_style,
                    cascaded_styles.get((element, None), {}),
                    None,
                    InitialStyle(font_config) if parent_style is None else shared[root],
                    html.base_url,
                    font_config,
                    self.initial_page_sizes,
                )

            original = _cached_style(key, make)
        originals.append(original)
        if original is not None:
            shared[etree_element] = original
            _give_copy(original, copies, computed_styles, etree_element, target_collector)
        else:
            self.set_computed_styles(
                etree_element,
                root=root,
                parent=parent,
                base_url=html.base_url,
                target_collector=target_collector,
            )

    _pseudo_element_styles(self, html, target_collector)
    # A long document (a register, a deputy's file) is rarely of a shape seen before, and its
    # plan would be large: only short ones are planned, within a budget of elements. A plan's
    # cascades are the shared dicts above, so a plan costs ~40 KB for a one-page form.
    if planned and all(element in position for element, _pseudo in cascaded_styles):
        _PLANS[plan_key] = _Plan(
            tuple(originals),
            tuple(
                (position[e], pseudo, cascaded) for (e, pseudo), cascaded in cascaded_styles.items()
            ),
        )
        while (
            len(_PLANS) > PLAN_CACHE
            or sum(len(p.originals) for p in _PLANS.values()) > PLAN_ELEMENTS
        ):
            _PLANS.popitem(last=False)
    self._cascaded_styles.clear()


def _give_copy(
    original: Any,
    copies: dict[int, Any],
    computed_styles: dict[Any, Any],
    element: Any,
    target_collector: Any,
) -> None:
    """The element's style: this document's copy of the shared one, made once and shared by its
    elements of the same key, as WeasyPrint shares one style between them (layout writes into
    it, never into the cache); and its anchor collected, as WeasyPrint collects it."""
    computed = copies.get(id(original))
    if computed is None:
        computed = copies[id(original)] = original.copy()
    computed_styles[element, None] = computed
    if target_collector and computed["anchor"]:
        target_collector.collect_anchor(computed["anchor"])


class _Plan(NamedTuple):
    """What a document of one shape gets: by element (in document order) its shared style,
    or None where WeasyPrint computes it; the cascaded declarations by (element, pseudo-element)
    (read, never written, by the styles computed from them)."""

    originals: tuple[Any, ...]
    cascaded: tuple[tuple[int, Any, dict[str, Any]], ...]


_PLANS: OrderedDict[tuple[Any, ...], _Plan] = OrderedDict()
# (base URL, sheets, style attribute, matched rules) → ((pseudo-element, cascade), …)
_ELEMENT_CASCADES: dict[tuple[Any, ...], tuple[tuple[Any, dict[str, Any]], ...]] = {}


def _shape(elements: list[Any]) -> tuple[tuple[Any, ...], dict[Any, int]]:
    """What selectors can see of a document: each element's tag, attributes, parent and order
    among its siblings, and whether it has text (:empty); not the text itself. Two documents
    of one shape are matched by the same rules, element for element. And each element's
    position in document order."""
    position: dict[Any, int] = {}
    shape = []
    for index, element in enumerate(elements):
        tree_element = element.etree_element
        position[tree_element] = index
        parent = element.parent
        shape.append(
            (
                tree_element.tag,
                tuple(tree_element.attrib.items()),
                not tree_element.text,
                -1 if parent is None else position[parent.etree_element],
            )
        )
    return tuple(shape), position


def _follow_plan(
    self: Any, html: Any, elements: list[Any], plan: _Plan, target_collector: Any
) -> None:
    """A document of a shape seen before: each element gets (a copy of) the style an element
    in its place got, without matching a selector; pseudo-elements and the elements WeasyPrint
    computes itself are computed from the cascade recorded for their place."""
    tree = [element.etree_element for element in elements]
    cascaded_styles = self._cascaded_styles
    for index, pseudo_type, cascaded in plan.cascaded:
        cascaded_styles[tree[index], pseudo_type] = cascaded
    computed_styles = self._computed_styles
    copies: dict[int, Any] = {}
    root = html.etree_element
    for element, tree_element, original in zip(elements, tree, plan.originals, strict=True):
        if original is None:
            self.set_computed_styles(
                tree_element,
                root=root,
                parent=element.parent.etree_element if element.parent else None,
                base_url=html.base_url,
                target_collector=target_collector,
            )
            continue
        _give_copy(original, copies, computed_styles, tree_element, target_collector)
    _pseudo_element_styles(self, html, target_collector)
    cascaded_styles.clear()


def _pseudo_element_styles(self: Any, html: Any, target_collector: Any) -> None:
    """The styles of the pseudo-elements of the document's cascade, after every element's, as
    WeasyPrint makes them (made when asked for: `_lazy_pseudo_element_styles`). With that patch
    in place, what it would set aside for each is set aside here, without a call per
    pseudo-element (~470 a one-page form, ~18,000 a deputy's file)."""
    root = html.etree_element
    lazy = getattr(type(self).set_computed_styles, "lazy", False)
    if lazy:
        styles = _lazy_styles(self)
        pending = styles.pending
        rest = (styles[root, None], html.base_url, self.font_config, self.initial_page_sizes)
    for (element, pseudo_type), cascaded in self._cascaded_styles.items():
        if not pseudo_type:
            continue
        if lazy and not _eager(pseudo_type, cascaded):
            pending[element, pseudo_type] = (styles[element, None], cascaded, *rest)
            continue
        self.set_computed_styles(
            element,
            pseudo_type=pseudo_type,
            root=root,
            parent=element,
            base_url=html.base_url,
            target_collector=target_collector,
        )
