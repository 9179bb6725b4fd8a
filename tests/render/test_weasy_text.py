"""render/weasy_text.py: a line split remembered across documents gives the bytes WeasyPrint's
own line breaking gives, whatever in the style or the fonts differs between two uses of a text."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

pytest.importorskip("weasyprint")

FONTS = Path(__file__).parents[2] / "forms" / "fonts"
TEXT = "接待时间 来访人姓名 Deputy liaison station reception hyphenation extraordinarily"


def _render(html: str, sheets: list) -> bytes:
    from weasyprint import HTML

    from toolkit.render.pdf import font_config

    out = io.BytesIO()
    HTML(string=f'<html lang="en"><body>{html}</body></html>').render(
        stylesheets=sheets, font_config=font_config()
    ).write_pdf(out)
    return out.getvalue()


def _spy(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Counts the calls of the remembered split_first_line (the cache grows by the misses)."""
    from weasyprint.layout import inline, preferred

    remembered = inline.split_first_line
    assert hasattr(remembered, "cache"), "the line splits are not remembered in this process"
    assert preferred.split_first_line is remembered
    calls = {"calls": 0}

    def counting(*args, **kwargs):
        calls["calls"] += 1
        return remembered(*args, **kwargs)

    monkeypatch.setattr(inline, "split_first_line", counting)
    monkeypatch.setattr(preferred, "split_first_line", counting)
    return calls


@pytest.mark.parametrize(
    "body",
    [
        # one text in three widths, and in the same width three times
        '<div style="width:{w}px">{t}</div><div style="width:160px">{t}</div>',
        # the same text in other sizes, weights, families and spacings
        '<p style="font-size:{s}pt">{t}</p><p style="font-weight:bold">{t}</p>'
        '<p style="font-family:\'Liaison Kai\'">{t}</p><p style="letter-spacing:{s}px">{t}</p>'
        '<p style="width:200px">{t}</p><p style="width:200px;word-spacing:{s}mm">{t}</p>',
        # cut with an ellipsis while drawn (a clamped block's: drawing changes its copy's text),
        # then the same text in the same width without one
        '<div style="width:{w}px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis">'
        '{t}</div><div style="width:{w}px;line-clamp:1">{t}</div><div style="width:{w}px">{t}'
        "</div>",
        # hyphenated (auto and soft hyphens), justified, broken anywhere, tabs, underlined
        '<p style="width:{w}px;hyphens:auto">{t}</p><p style="width:{w}px">extra&shy;ordinarily'
        ' extra&shy;ordinarily</p><p style="width:{w}px;text-align:justify">{t} {t}</p>'
        '<p style="width:40px;overflow-wrap:anywhere">Reception{n}Reception</p>'
        '<pre style="tab-size:{s}">a\tb\tc</pre><p style="text-decoration:underline">{t}</p>',
        # in a flex line (preferred widths) and a table
        '<div style="display:flex"><span>{t}</span><span style="flex:none">编号 {n}</span></div>'
        '<table style="table-layout:auto;width:{w}px"><tr><td>{t}</td><td>本站</td></tr></table>',
    ],
)
def test_remembered_line_splits_change_no_byte(body, monkeypatch):
    from toolkit.render import weasy_cache
    from toolkit.render.pdf import stylesheet

    sheets = [stylesheet(FONTS.parent / "styles" / "base.css")]

    def page(n: int) -> str:
        return body.format(t=TEXT, w=(120, 200, 120)[n], s=(10, 14, 10)[n], n=n)

    calls = _spy(monkeypatch)
    cache = weasy_cache.patches()["line splits"][0].split_first_line.cache
    cache.clear()
    remembered = [_render(page(n), sheets) for n in range(3)]
    assert calls["calls"] > len(cache) > 0  # some splits were answered from the cache
    with weasy_cache.disabled(*weasy_cache.SAME_BYTES):
        plain = [_render(page(n), sheets) for n in range(3)]
    assert remembered == plain


def test_a_face_added_later_is_seen(monkeypatch, tmp_path):
    """An @font-face rule gives the same font configuration a new face: a text broken before in
    the fallback font is broken again in the new one (Latin letters are wider in Liaison Kai)."""
    from weasyprint import CSS

    from toolkit.render import weasy_cache
    from toolkit.render.pdf import font_config

    html = "<p style=\"font-family:'Face Added Later', 'Noto Serif CJK SC';width:150px\">{t}</p>"
    html = html.format(t=TEXT)
    _spy(monkeypatch)
    before = _render(html, [])
    face = CSS(
        string="@font-face { font-family: 'Face Added Later'; "
        f"src: url('{(FONTS / 'LiaisonKai-Regular.ttf').as_uri()}') }}",
        font_config=font_config(),
    )
    after = _render(html, [face])
    with weasy_cache.disabled(*weasy_cache.SAME_BYTES):
        plain = _render(html, [face])
    assert after == plain and after != before


@pytest.mark.parametrize(
    "body",
    [
        # the same words in other colours, sizes and weights, justified and spaced
        '<p style="color:red">{t}</p><p style="color:blue">{t}</p><p style="font-size:{s}pt">'
        '{t}</p><p style="font-weight:bold">{t}</p><p style="width:{w}px;text-align:justify">'
        '{t} {t}</p><p style="letter-spacing:{s}px">{t}</p>',
        # a glyph's width is taken from its first use in the document, at whatever size: the same
        # line after the glyphs were first drawn larger (or not) writes other kerning
        '<p style="font-size:{s}pt">王明 2024年3月5日 Liaison</p><p>王明 2024年3月5日 Liaison</p>',
        # a Kai name among Song text, and two fonts on one line (characters Liaison Kai lacks
        # drawn from the next face)
        "<p>来访人：<span style=\"font-family:'Liaison Kai'\">王明{n}</span>，反映道路积水。</p>"
        "<p style=\"font-family:'Liaison Kai', 'Noto Serif CJK SC'\">王明\uffa1\uffa2{n}王明</p>",
        # one line justified in two widths: the same words further apart
        '<p style="width:104px;text-align:justify">aa bb cc dd ee ff gg hh ii</p>'
        '<p style="width:110px;text-align:justify">aa bb cc dd ee ff gg hh ii</p>',
        # decorated, clamped, ellipsised and invisible lines are WeasyPrint's own
        '<p style="text-decoration:underline">{t}</p>'
        '<div style="width:{w}px;line-clamp:1">{t}</div>'
        '<div style="width:{w}px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis">{t}'
        '</div><p style="visibility:hidden">{t}</p><p>{t}</p>',
    ],
)
def test_remembered_text_drawing_changes_no_byte(body, monkeypatch):
    from toolkit.render import weasy_cache, weasy_text
    from toolkit.render.pdf import stylesheet

    sheets = [stylesheet(FONTS.parent / "styles" / "base.css")]
    written = []
    original = weasy_text._write
    monkeypatch.setattr(weasy_text, "_write", lambda *a: written.append(1) or original(*a))

    def page(n: int) -> str:
        return body.format(t=TEXT, w=(120, 200, 120)[n], s=(10, 14, 10)[n], n=n)

    weasy_cache.patches()["text drawing"][0].draw_text.cache.clear()
    remembered = [_render(page(n), sheets) for n in range(3)]
    assert written  # some lines were written from a record
    with weasy_cache.disabled(*weasy_cache.SAME_BYTES):
        plain = [_render(page(n), sheets) for n in range(3)]
    assert remembered == plain


@pytest.mark.missing_glyphs
def test_a_missing_glyph_is_warned_about_in_every_document(caplog):
    """A line with a character no shipped font has is drawn by WeasyPrint every time, so its
    warning is logged for every document that prints it."""
    from toolkit.render import weasy_cache

    weasy_cache.patches()["text drawing"][0].draw_text.cache.clear()
    with caplog.at_level("WARNING", logger="weasyprint"):
        for _ in range(3):
            _render("<p>王明\U0001fae0</p>", [])
    assert sum(".notdef" in r.getMessage() for r in caplog.records) == 3


def test_a_recorded_line_is_written_only_where_the_fonts_agree():
    """weasy_text._fits: a line's record is written into a document only where WeasyPrint would
    write the same operators: each font already in the document, each glyph's width the one
    the record used (a width taken earlier in the document at another size gives other
    kerning) or not taken yet and taken fresh by the record, each glyph's text known."""
    from types import SimpleNamespace

    from toolkit.render.weasy_text import _fits, _Record, _write

    def stream(widths: dict, texts: dict) -> SimpleNamespace:
        font = SimpleNamespace(widths=dict(widths), to_unicode=dict(texts), hash="F")
        return SimpleNamespace(
            _fonts={"k": font},
            set_font_size=lambda *a: ops.append(("f", *a)),
            show_text=lambda s: ops.append(("s", s)),
            set_text_rise=lambda r: ops.append(("r", r)),
        )

    record = _Record(
        fonts=("k",),
        ops=(("f", "k", 16), ("s", "<0042>12<0043>")),
        # glyph 0x42: width taken fresh, text added; glyph 0x43: width and text already there
        glyphs=(("k", 0x42, 550, True, "a"), ("k", 0x43, 600, False, None)),
    )
    ops: list = []
    assert _fits(record, stream({0x43: 600}, {0x43: "b"}))
    assert not _fits(record, stream({0x43: 601}, {0x43: "b"}))  # taken at another size
    assert not _fits(record, stream({}, {0x43: "b"}))  # 0x43 would be taken fresh now
    assert not _fits(record, stream({0x43: 600, 0x42: 549}, {0x43: "b"}))
    assert not _fits(record, stream({0x43: 600}, {}))  # 0x43's text unknown
    assert not _fits(record, SimpleNamespace(_fonts={}))  # the font not in this document yet
    fine = stream({0x43: 600}, {0x43: "b"})
    _write(record, fine)
    font = fine._fonts["k"]
    assert font.widths == {0x43: 600, 0x42: 550} and font.to_unicode == {0x43: "b", 0x42: "a"}
    assert ops == [("f", "F", 16), ("s", "<0042>12<0043>")]
