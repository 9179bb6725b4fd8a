"""What a Word template is known to make, learnt once: its constants as the document's bytes,
and the skeletons it makes, each checked for well-formed XML once instead of once per document.

A rendered part is the template's text (the same string objects every render: Jinja yields its
constants as they are) with values between them. Each constant is encoded once, markers taken out
(`assemble`). Most documents of a form differ only in their values, and a value escaped for XML
cannot change the document's structure; so the parse that guards against a template whose tags
break the XML (a {% if %} that cuts a paragraph in two) is done once for each *skeleton*, the
sequence of constants with one placeholder character for each value, and a document whose
skeleton is known good need only have its values looked at (`vouches`).

That is exact, not a sampling: the skeleton's parse also finds where each placeholder landed,
and only a skeleton whose every placeholder is inside character data or an attribute value is
trusted; there, replacing one ordinary character by a value made of ordinary characters and
whole entity references keeps the XML well-formed. Anything else (a value with markup, a
bracket or a character XML forbids, a skeleton with comments, DOCTYPE or character references
that could forge a placeholder, too many skeletons) says "not sure", and the caller parses
the document itself, as before, so every broken document is still refused with expat's message.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from xml.parsers import expat

PLACEHOLDER = "\ue000"  # private use: a character, never a name's, never markup
MAX_SKELETONS = 64  # per part: a form's branches; past that, documents are simply parsed
# Per part: a template's constants, kept encoded. A value is yielded as a plain str only where
# the template turns escaping off; it is taken for a constant, and these bound what it can hold.
MAX_CONSTANTS = 4096
MAX_CONSTANT_CHARS = 8 << 20
# What a value may not hold for its document to be judged by its skeleton: markup, quotes
# (attribute values), brackets (a value ending "]]" before a constant ">" makes "]]>"), an
# ampersand that does not start a whole reference markupsafe writes, characters XML forbids.
_NOT_PLAIN = re.compile(
    r"[<>\"'\]\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]"
    r"|&(?!(?:amp|lt|gt|quot|apos|#34|#39);)"
)


class Skeletons:
    """What one part's template is known to make: the skeletons seen and whether each is to be
    trusted, and each constant as the document gets it."""

    def __init__(self) -> None:
        self.known: dict[tuple[str | None, ...], bool] = {}
        self.constants: dict[str, bytes | None] = {}
        self.kept = 0  # characters of the constants kept

    def assemble(self, chunks: Sequence[str]) -> bytes | None:
        """The chunks' text in UTF-8 without the markers before paragraphs, each constant's
        bytes made once (joining, searching and encoding the text cost more than the rest of a
        form's rendering; Chinese makes it two bytes a character). None when a constant keeps
        a line break or a tab of its own: a marker might then span two chunks."""
        pieces = []
        for chunk in chunks:
            if type(chunk) is not str:
                if "\n" in chunk and (_MARKER in chunk or chunk.endswith(_MARKER_HEADS)):
                    return None  # a marker of the value's making, taken out of the whole text
                pieces.append(chunk.encode("utf-8"))
                continue
            try:
                data = self.constants[chunk]
            except KeyError:
                data = _constant(chunk)
                if len(self.constants) < MAX_CONSTANTS and self.kept < MAX_CONSTANT_CHARS:
                    self.constants[chunk] = data
                    self.kept += len(chunk)
            if data is None:
                return None
            pieces.append(data)
        return b"".join(pieces)

    def vouches(self, chunks: Sequence[str]) -> bool:
        """True when the text of `chunks` (what the template yielded, markers out, before the
        renderer's passes) is well-formed for sure; False when it must be parsed. A plain `str`
        is one of the template's constants, anything else (markupsafe's Markup) a value; empty
        values are left out of the skeleton, so a constant "]]" and ">" around one stay next to
        each other, as in the document."""
        values = [chunk for chunk in chunks if chunk and type(chunk) is not str]
        if _NOT_PLAIN.search(" ".join(values)):  # the space ends a value's last reference
            return False
        key = tuple(chunk if type(chunk) is str else None for chunk in chunks if chunk)
        trusted = self.known.get(key)
        if trusted is None:
            trusted = _trusted(key, len(values))
            if len(self.known) < MAX_SKELETONS:
                self.known[key] = trusted
        return trusted


_MARKER = "\n<w:p"  # put before each paragraph at load (render/docx.py)
_MARKER_HEADS = tuple(_MARKER[:n] for n in range(1, len(_MARKER)))


def _constant(chunk: str) -> bytes | None:
    text = chunk.replace(_MARKER, "<w:p")
    return None if "\n" in text or "\t" in text else text.encode("utf-8")


def _trusted(key: tuple[str | None, ...], slots: int) -> bool:
    text = "".join(PLACEHOLDER if chunk is None else chunk for chunk in key)
    text = text.replace(_MARKER, "<w:p")  # the markers go first, as in the document
    # A character reference could write a placeholder that is not a value's (and a DOCTYPE
    # could define entities holding one); Word writes neither, and such a template is parsed.
    if "&#" in text or "<!" in text or text.count(PLACEHOLDER) != slots:
        return False
    parser = expat.ParserCreate()
    parser.buffer_text = True
    found = 0

    def characters(data: str) -> None:
        nonlocal found
        found += data.count(PLACEHOLDER)

    def element(name: str, attributes: dict[str, str]) -> None:
        nonlocal found
        found += sum(value.count(PLACEHOLDER) for value in attributes.values())

    parser.CharacterDataHandler = characters
    parser.StartElementHandler = element
    try:
        parser.Parse(text.encode("utf-8"), True)
    except (expat.ExpatError, UnicodeEncodeError):
        return False  # the document itself is parsed, and its own error is the one reported
    return found == slots  # one missing: a value sits in a name, a comment or an instruction
