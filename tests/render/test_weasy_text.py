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
