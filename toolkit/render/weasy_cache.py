"""Work WeasyPrint repeats for every copy of a form, done once per process instead.

A one-page form costs about 40 ms, and much of it is the same in every copy: the computed style
of each element (the same template, the same stylesheets), the font subset of the labels and the
title (the same glyphs), and the compression of that subset. Each cache below keys its result by
every input it is computed from, so a cached result is what WeasyPrint would compute; the tests
render every PDF form of the sample with and without them and compare the bytes.

The computed-style cache replaces `StyleFor.__init__`, which is WeasyPrint's own code, so it is
installed only on the WeasyPrint versions it was written against (`STYLE_VERSIONS`); on any other
version WeasyPrint runs unchanged, only slower. The other two wrap one method each and check the
attributes they rely on.
"""

from __future__ import annotations

import contextlib
import logging
import zlib
from collections import OrderedDict
from collections.abc import Iterator
from math import inf
from typing import Any

SUBSET_CACHE = 32  # font subsets kept per process (each tens of KB)
STREAM_CACHE = 32  # compressed font files kept per process
STREAM_MIN = 8192  # a single-part stream this long (a font file) is worth remembering
STYLE_CACHE = 4000  # computed styles kept before the cache is emptied (a form uses ~100)
STYLE_VERSIONS = ("70.",)

_ORIGINALS: dict[str, tuple[Any, str, Any]] = {}  # name → (owner, attribute, original)


FILE_MIN = 1 << 20  # a face this large is a shipped font file, not a subset of one


def install() -> None:
    _cache_font_files()
    _cache_font_subsets()
    _cache_font_streams()
    _cache_computed_styles()


@contextlib.contextmanager
def disabled() -> Iterator[None]:
    """WeasyPrint as it ships, for the duration (the tests compare against it)."""
    saved = {name: getattr(owner, attr) for name, (owner, attr, _) in _ORIGINALS.items()}
    for owner, attr, original in _ORIGINALS.values():
        setattr(owner, attr, original)
    try:
        yield
    finally:
        for name, (owner, attr, _) in _ORIGINALS.items():
            setattr(owner, attr, saved[name])


def _replace(name: str, owner: Any, attr: str, new: Any) -> None:
    if name in _ORIGINALS:
        return
    _ORIGINALS[name] = (owner, attr, owner.__dict__[attr])
    setattr(owner, attr, new)


def _cache_font_files() -> None:
    """Copy each font file out of HarfBuzz once, not once per document.

    Every font a document uses starts as a Python copy of its whole file (2–5 MB for these
    CJK fonts): a tenth of a one-page form's time. The file is the blob Pango loaded and keeps
    for the process, so its address and length name it; the first and last 4 KB are compared
    as well before the copy is reused. Subsets (small, made and freed per document) are copied
    as before."""
    try:
        from weasyprint.pdf import fonts as pdf_fonts
        from weasyprint.text.ffi import ffi, harfbuzz
    except ImportError:
        return
    original = pdf_fonts.__dict__.get("get_hb_object_data")
    if original is None:
        return
    cache: dict[tuple[int, int], bytes] = {}

    def get_hb_object_data(hb_object: Any, ot_color: Any = None, glyph: Any = None) -> Any:
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
                return found
            data = ffi.unpack(pointer, size)
            cache[key] = data
            return data
        finally:
            harfbuzz.hb_blob_destroy(blob)

    get_hb_object_data.cache = cache  # type: ignore[attr-defined]
    _replace("get_hb_object_data", pdf_fonts, "get_hb_object_data", get_hb_object_data)


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
    _replace("subset", Font, "subset", subset)


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
    cache: OrderedDict[bytes, bytes] = OrderedDict()

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
        packed = cache.get(raw)
        if packed is None:
            packer = zlib.compressobj(level=9)  # pydyf's own settings: the same bytes
            packed = packer.compress(raw) + packer.flush()
            cache[raw] = packed
            if len(cache) > STREAM_CACHE:
                cache.popitem(last=False)
        else:
            cache.move_to_end(raw)
        extra = pydyf.Dictionary(self.extra.copy())
        extra["Filter"] = "/FlateDecode"
        extra["Length"] = len(packed)
        return b"\n".join((extra.data, b"stream", packed, b"endstream"))

    data.cache = cache  # type: ignore[attr-defined]
    _replace("data", pydyf.Stream, "data", property(data))


def _cache_computed_styles() -> None:
    """Share computed styles between documents, as WeasyPrint already shares them between the
    elements of one document.

    WeasyPrint gives two elements the same computed style when their parents' styles are the same
    object, their style attributes are the same and the same rules match them. The same key
    holds across documents made from the same template with the same stylesheets, so the style is
    computed once per process (every property, eagerly) and each document gets its own copy,
    because layout writes into the styles it is given. A style whose computation needs the page
    (viewport units) or logs anything is left to WeasyPrint each time."""
    try:
        import weasyprint
        from weasyprint.css import StyleFor
    except ImportError:
        return
    if not str(getattr(weasyprint, "__version__", "")).startswith(STYLE_VERSIONS):
        return
    _replace("StyleFor", StyleFor, "__init__", _style_for_init)


_STYLES: dict[tuple[Any, ...], Any] = {}
_UNCACHEABLE = object()


class _Watch(logging.Handler):
    """Notes whether WeasyPrint logged anything while a style was computed."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.seen = False

    def emit(self, record: logging.LogRecord) -> None:
        self.seen = True


def _cached_style(key: tuple[Any, ...], make: Any) -> Any:
    """The shared style for `key`, made (and filled) by `make()`; None when it cannot be shared."""
    found = _STYLES.get(key)
    if found is not None:
        return None if found is _UNCACHEABLE else found
    from weasyprint.css.properties import INITIAL_VALUES
    from weasyprint.logger import LOGGER
    style = make()
    watch = _Watch()
    # Only the watch hears WeasyPrint while the style is filled: what it would say is said
    # again when the uncacheable style is computed in the document.
    saved = LOGGER.handlers, LOGGER.propagate, LOGGER.level
    LOGGER.handlers, LOGGER.propagate = [watch], False
    LOGGER.setLevel(logging.WARNING)
    try:
        for name in INITIAL_VALUES:
            style[name]
    except Exception:
        watch.seen = True
    finally:
        LOGGER.handlers, LOGGER.propagate = saved[0], saved[1]
        LOGGER.setLevel(saved[2])
    _STYLES[key] = _UNCACHEABLE if watch.seen else style
    return None if watch.seen else style


def _style_for_init(
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

    if len(_STYLES) > STYLE_CACHE:
        # Emptied whole, never entry by entry: keys hold the id() of a parent style that only
        # the cache keeps alive.
        _STYLES.clear()
    cascaded_styles: dict[Any, Any] = {}
    computed_styles: dict[Any, Any] = {}
    self._cascaded_styles, self._computed_styles = cascaded_styles, computed_styles
    self.initial_page_sizes = {"box": None, "area": None}
    self._sheets = sheets
    self.font_config = font_config

    layer_order = inf
    elements_declarations: dict[Any, Any] = {}
    for specificity, element, declarations, base_url in find_style_attributes(
        html.etree_element, presentational_hints, html.base_url
    ):
        style = cascaded_styles.setdefault((element, None), {})
        # Serialised: the parsed declarations are new objects in every document.
        elements_declarations[element] = tuple(d.serialize() for d in declarations)
        for name, values, importance in preprocess_declarations(base_url, declarations):
            precedence = declaration_precedence("author", importance)
            weight = (precedence, layer_order, specificity)
            old_weight = style.get(name, (None, None))[1]
            if old_weight is None or old_weight <= weight:
                style[name] = values, weight

    shared: dict[Any, Any] = {}  # element → the cached style its children's keys refer to
    root = html.etree_element
    for element in html.wrapper_element.iter_subtree():
        etree_element = element.etree_element
        parent = element.parent.etree_element if element.parent else None
        element_declarations = elements_declarations.get(etree_element)
        selectors_keys = []
        for sheet, origin, sheet_specificity in sheets:
            for selector in sheet.matcher.match(element):
                specificity, _order, pseudo_type, (declarations, layer) = selector
                layer_order = inf if layer is None else sheet.layers.index(layer)
                selectors_keys.append((sheet, specificity, id(declarations), layer_order))
                specificity = sheet_specificity or specificity
                style = cascaded_styles.setdefault((etree_element, pseudo_type), {})
                for name, values, importance in declarations:
                    precedence = declaration_precedence(origin, importance)
                    weight = (precedence, layer_order, specificity)
                    old_weight = style.get(name, (None, None))[1]
                    if old_weight is None or old_weight <= weight:
                        style[name] = values, weight

        parent_shared = shared.get(parent) if parent is not None else None
        original = None
        if parent is None or parent_shared is not None:
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
        if original is not None:
            shared[etree_element] = original
            computed = computed_styles[etree_element, None] = original.copy()
            if target_collector and computed["anchor"]:
                target_collector.collect_anchor(computed["anchor"])
        else:
            self.set_computed_styles(
                etree_element,
                root=root,
                parent=parent,
                base_url=html.base_url,
                target_collector=target_collector,
            )

    for element, pseudo_type in cascaded_styles:
        if pseudo_type:
            self.set_computed_styles(
                element,
                pseudo_type=pseudo_type,
                root=root,
                parent=element,
                base_url=html.base_url,
                target_collector=target_collector,
            )
    self._cascaded_styles.clear()
