"""A form's column proportions, read from its HTML template: one source for the PDF and the .docx.

The PDF's tables take their column widths from the <col> elements of ``forms/<form>/template.html``
(an inline ``style="width:…%"``, or a class that the form's CSS sizes: base.css, the official.css
it imports, then the form's style.css, in the order the PDF renderer loads them). The Word
template generators ask this module for the same numbers instead of keeping their own copy, so a
column widened in the CSS is widened in Word too when ``python tools/make_templates.py`` runs (and
tests/test_templates.py fails until it has)::

    REGISTER_GRID = grid(*colgroups("reception_register")[0], width=LANDSCAPE_WIDTH)

The cascade is the CSS one, done with tinycss2 and cssselect2 (WeasyPrint's own parsers): of the
rules whose selector matches a <col>, the most specific (then the last) ``width`` wins, and an
inline style beats them all. Only percentages are accepted: a column given in mm or left to the
table's automatic layout has no proportion to copy, and says so.
"""

from __future__ import annotations

import re
from pathlib import Path

import cssselect2
import tinycss2
import tinyhtml5

FORMS = Path(__file__).resolve().parent.parent / "forms"
STYLES = FORMS / "styles"
_PERCENT = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)%\s*$")


def colgroups(form_id: str, forms: Path = FORMS) -> list[tuple[float, ...]]:
    """The widths (percent) of the columns of each <colgroup> of the form's template.html, in
    document order, a <col span="n"> counted n times."""
    folder = forms / form_id
    root = tinyhtml5.parse((folder / "template.html").read_text(encoding="utf-8"))
    matcher = cssselect2.Matcher()
    sheets = [forms / "styles" / "base.css", folder / "style.css"]
    order = 0
    for sheet in sheets:
        if not sheet.exists():
            continue
        for selector, width in _width_rules(sheet):
            matcher.add_selector(selector, (order, width))
            order += 1
    wrapper = cssselect2.ElementWrapper.from_html_root(root)
    found = []
    for group in wrapper.query_all("colgroup"):
        widths: list[float] = []
        for col in group.query_all("col"):
            element = col.etree_element
            width = _width(col, matcher)
            if width is None:
                raise ValueError(f"{form_id}: a <col> without a width in %: {element.attrib}")
            widths += [width] * int(element.get("span", "1"))
        found.append(tuple(widths))
    return found


def _width(col: cssselect2.ElementWrapper, matcher: cssselect2.Matcher) -> float | None:
    inline = _declared_width(tinycss2.parse_blocks_contents(col.etree_element.get("style", "")))
    if inline is not None:
        return inline
    matches = matcher.match(col)  # (specificity, order, pseudo, payload)
    if not matches:
        return None
    _, _, _, (_, width) = max(matches, key=lambda m: (m[0], m[3][0]))
    return width


def _width_rules(path: Path) -> list[tuple[cssselect2.compiler.CompiledSelector, float]]:
    """Every (selector, width) of a stylesheet whose rule sets a percentage width on a col, the
    sheets it @imports first."""
    rules = tinycss2.parse_stylesheet(
        path.read_text(encoding="utf-8"), skip_comments=True, skip_whitespace=True
    )
    found: list[tuple[cssselect2.compiler.CompiledSelector, float]] = []
    for rule in rules:
        if rule.type == "at-rule" and rule.lower_at_keyword == "import":
            target = next(t for t in rule.prelude if t.type in ("url", "string", "function"))
            name = target.value if target.type != "function" else target.arguments[0].value
            found += _width_rules(path.parent / name)
        elif rule.type == "qualified-rule" and "col" in tinycss2.serialize(rule.prelude):
            width = _declared_width(tinycss2.parse_blocks_contents(rule.content))
            if width is not None:
                found += [(s, width) for s in cssselect2.compile_selector_list(rule.prelude)]
    return found


def _declared_width(declarations: list) -> float | None:
    width = None
    for item in declarations:
        if item.type == "declaration" and item.lower_name == "width":
            found = _PERCENT.match(tinycss2.serialize(item.value))
            width = float(found.group(1)) if found else None
    return width
