"""render/docx_skeleton.py: a skeleton vouches only for XML that parses, and the bytes it
assembles are the text's; through the renderer, a broken document is still refused."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.parsers import expat

import pytest
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from toolkit.errors import TemplateError
from toolkit.render.docx import DocxRenderer
from toolkit.render.docx_skeleton import MAX_SKELETONS, Skeletons
from toolkit.render.templating import make_env


def _parses(text: str) -> bool:
    try:
        expat.ParserCreate().Parse(text.replace("\n<w:p", "<w:p").encode("utf-8"), True)
    except (expat.ExpatError, UnicodeEncodeError):
        return False
    return True


@pytest.mark.parametrize(
    ("chunks", "vouched"),
    [
        (["<a>", Markup("x"), "</a>"], True),
        (["<a b='", Markup("&amp;&#34;"), "'/>"], True),
        (["<a ", Markup("b"), "='1'/>"], False),  # an attribute's name: not a value's place
        (["<a>]]", Markup(""), "></a>"], False),  # the empty value leaves "]]>" in the text
        (["<a>]", Markup("]"), "></a>"], False),
        (["<a>&", Markup("amp;"), "</a>"], False),
        (["<!-- ", Markup("x"), " --><a/>"], False),
        (["<a>", Markup("\x01"), "</a>"], False),
        (["<a>", Markup("<b>"), "</a>"], False),
        (["<a>&#57344;", Markup("x"), "</a>"], False),  # a reference could forge a placeholder
    ],
)
def test_a_skeleton_vouches_only_where_a_value_cannot_break_the_xml(chunks, vouched) -> None:
    assert Skeletons().vouches(chunks) is vouched


_CONSTANTS = st.sampled_from(
    [
        *("<a>", "</a>", "<a x='", "'>", "]]", ">", "&", "amp;", "<!--", "-->", "<?p ", "?>"),
        *(" ", "b", "\ue000", "&#57344;", "<b/>", "\n<w:p", "\n", "<w:p/>", "<w:p>", "</w:p>"),
        *("<w", ":p/>"),
    ]
)
_VALUES = st.sampled_from(
    ["", "x", "]]", ">", "&amp;", "&", "<", "'", "&#34;", "\x01", "a b", "]", "\n", "\t", "\n<w:p"]
).map(Markup)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(_CONSTANTS, _VALUES), max_size=12))
def test_what_is_vouched_for_parses_and_what_is_assembled_is_the_text(chunks) -> None:
    skeletons = Skeletons()
    if skeletons.vouches(chunks):
        assert _parses("".join(chunks))
    assembled = skeletons.assemble(chunks)
    if assembled is not None:
        assert assembled == "".join(chunks).replace("\n<w:p", "<w:p").encode("utf-8")


def test_skeletons_are_bounded() -> None:
    skeletons = Skeletons()
    for n in range(MAX_SKELETONS + 10):
        assert skeletons.vouches(["<a>", *[Markup("x")] * n, "</a>"])
    assert len(skeletons.known) == MAX_SKELETONS


def _template(tmp_path: Path, slot: str) -> Path:
    """A .docx whose only paragraph is the Jinja `slot`, written into the XML as it is (markup
    and all, as a clerk's tags can leave it)."""
    plain = tmp_path / "plain.docx"
    document = Document()
    document.add_paragraph("SLOT")
    document.save(plain)
    path = tmp_path / "template.docx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(b"SLOT", slot.encode())
            target.writestr(info, data)
    return path


def test_a_branch_that_breaks_the_xml_is_refused_for_the_records_that_take_it(tmp_path) -> None:
    path = _template(tmp_path, "{{ 名 }}{% if 坏 %}</w:t>{% endif %}")
    renderer = DocxRenderer(path, make_env(), "broken/template.docx")
    for good in ("甲", "乙"):  # the good skeleton is known, then vouched for
        renderer.render({"名": good, "坏": False}, io.BytesIO())
    with pytest.raises(TemplateError) as caught:
        renderer.render({"名": "丙", "坏": True}, io.BytesIO())
    assert caught.value.message.startswith("生成的 Word 内容无效：mismatched tag")
    assert caught.value.hint == "请检查模板中的 {% %} 标签是否成对"
    renderer.render({"名": "丁", "坏": False}, io.BytesIO())
    with pytest.raises(TemplateError, match="生成的 Word 内容无效"):
        renderer.render({"名": "戊", "坏": True}, io.BytesIO())  # refused again, not remembered


def test_a_value_that_brings_markup_is_refused(tmp_path) -> None:
    renderer = DocxRenderer(_template(tmp_path, "{{ 名|safe }}"), make_env(), "safe/template.docx")
    renderer.render({"名": "甲"}, io.BytesIO())
    with pytest.raises(TemplateError, match="生成的 Word 内容无效"):
        renderer.render({"名": "<w:p>"}, io.BytesIO())


def test_a_value_with_a_character_xml_forbids_is_refused(tmp_path) -> None:
    renderer = DocxRenderer(_template(tmp_path, "{{ 名 }}"), make_env(), "chars/template.docx")
    renderer.render({"名": "甲"}, io.BytesIO())
    with pytest.raises(TemplateError, match="生成的 Word 内容无效"):
        renderer.render({"名": "甲\x01乙"}, io.BytesIO())


def test_constants_kept_are_bounded(monkeypatch) -> None:
    # A value yielded as plain str (escaping turned off) passes for a constant: it is still
    # assembled right, and what is kept of such values stays bounded.
    from toolkit.render import docx_skeleton

    monkeypatch.setattr(docx_skeleton, "MAX_CONSTANT_CHARS", 100)
    skeletons = Skeletons()
    for n in range(50):
        value = f"<a>{'值' * n}</a>"
        assert skeletons.assemble([value]) == value.encode()
    assert skeletons.kept <= 100 + 60 and len(skeletons.constants) < 50
