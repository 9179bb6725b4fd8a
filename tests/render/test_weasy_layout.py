"""render/weasy_layout.py: the used lengths set in one pass are WeasyPrint's own, attribute for
attribute and in the same order, for every kind of box and length the forms and their review
cases give it."""

from __future__ import annotations

import copy
import io

import pytest

pytest.importorskip("weasyprint")

# Every branch of resolve_percentages: percentages of the width and of a page's height, calc(),
# auto margins and sizes, min-width auto (flex items), box-sizing border-box and padding-box,
# a percentage height in a block of auto height, collapsed and separate table borders, a flex
# line, floats and a positioned box, margin boxes of a page with a percentage margin.
CASES = """
<style>
@page { size: A4; margin: 5% 10mm calc(8mm + 1%) 12mm;
        @top-center { content: "页眉"; width: 40%; padding: 1% } }
.a { width: 50%; margin: 2% auto; padding: 1% 3px; min-height: 10%; max-width: calc(80% - 4px) }
.b { box-sizing: border-box; width: 60%; padding: 5%; border: 3px solid; height: 40px }
.c { box-sizing: padding-box; width: 200px; padding: 4px 2%; max-height: 30% }
.d { height: 25%; min-width: 10% }
table.x { border-collapse: collapse; width: 90% } table.x td { border: 1px solid; padding: 2% }
table.y { border-collapse: separate; border-spacing: 2px; width: 70% }
table.y td { border: 2px dotted; width: 30% }
.f { display: flex; width: 80% } .f span { flex: 1; margin: 0 1%; min-width: auto }
.g { float: left; width: 20%; margin-right: 2% }
.p { position: relative; left: 5%; top: 3px; width: 40% }
</style>
<div class="a">甲 接待 <span class="b">乙</span></div>
<div class="b">丙 <span class="c" style="display:inline-block">丁</span></div>
<div class="c">戊</div><div style="height:300px"><div class="d">己</div></div>
<table class="x"><tr><td>庚</td><td style="width:40%">辛</td></tr><tr><td colspan="2">壬</td></tr>
</table>
<table class="y"><tr><td>癸</td><td class="b">子</td></tr></table>
<div class="f"><span>丑</span><span class="b">寅</span><span>卯 辰 巳</span></div>
<div class="g">午</div><p>未 申 酉 戌 亥</p><div class="p">编号</div>
"""


def test_used_lengths_are_weasyprints_for_every_box():
    """Each box is given to WeasyPrint's function and to ours, on copies, with the same
    containing block; every attribute each sets, and their order, must be the same."""
    from weasyprint import HTML
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout import percent

    from toolkit.render import weasy_cache
    from toolkit.render.pdf import font_config

    ours = percent.resolve_percentages
    theirs = weasy_cache.patches()["used lengths"][2]
    assert ours is not theirs, "the used lengths are not set in one pass in this process"
    seen: dict[str, int] = {}

    def both(box, containing_block):
        mine = copy.copy(box)
        mine.__dict__ = dict(box.__dict__)
        ours(mine, containing_block)
        theirs(box, containing_block)
        assert list(mine.__dict__.items()) == list(box.__dict__.items()), type(box).__name__
        seen[type(box).__name__] = seen.get(type(box).__name__, 0) + 1

    with weasy_cache.disabled("used lengths"):  # which puts ours back in every place after
        for owner, attr, _ in [
            weasy_cache.patches()["used lengths"],
            *weasy_cache._ALSO["used lengths"],
        ]:
            setattr(owner, attr, both)
        HTML(string=f'<html lang="zh-CN"><body>{CASES}</body></html>').render(
            font_config=font_config()
        )
    for kind in (boxes.PageBox, boxes.MarginBox, boxes.TableCellBox, boxes.InlineBlockBox):
        assert seen.get(kind.__name__), f"no {kind.__name__} was laid out: {seen}"


def test_used_lengths_change_no_byte():
    from weasyprint import HTML

    from toolkit.render import weasy_cache
    from toolkit.render.pdf import font_config

    def render() -> bytes:
        out = io.BytesIO()
        HTML(string=f'<html lang="zh-CN"><body>{CASES}</body></html>').render(
            font_config=font_config()
        ).write_pdf(out)
        return out.getvalue()

    ours = render()
    with weasy_cache.disabled("used lengths"):
        assert render() == ours


# Styles that differ in one of the values a strut depends on, each after a style that shares
# all the others: a key that left one out would give the second the first's line height.
STRUTS = """
<p style="line-height:1.5">甲 a</p><p style="line-height:2">乙 b</p>
<p style="line-height:18px">丙</p><p style="line-height:150%">丁</p>
<p style="line-height:calc(1em + 4px)">戊</p><p style="line-height:normal">己</p>
<p style="font-size:9pt">庚</p><p style="font-size:15pt">辛</p>
<p style="font-family:'Liaison Kai'">壬</p><p style="font-weight:bold">癸</p>
<p style="font-style:italic">子 x</p><p lang="en">丑 y</p><p lang="ja">寅 z</p>
<p style="font-variant-numeric:oldstyle-nums">卯 123</p><p style="font-size:0">辰</p>
<p>巳 <span style="line-height:3;vertical-align:super">午</span> 未</p>
"""


def test_remembered_struts_change_no_byte():
    from weasyprint import HTML

    from toolkit.render import weasy_cache
    from toolkit.render.pdf import font_config

    def render(body: str) -> bytes:
        out = io.BytesIO()
        HTML(string=f'<html lang="zh-CN"><body>{body}</body></html>').render(
            font_config=font_config()
        ).write_pdf(out)
        return out.getvalue()

    cache = weasy_cache.patches()["struts"][0].strut.cache
    cache.clear()
    ours = [render(STRUTS)]
    kept = len(cache)
    assert kept >= 10  # one a distinct line height, font and size above
    # Each document after the others, so its struts are found, not worked out.
    ours.append(render(STRUTS.replace("甲", "一")))
    assert len(cache) == kept
    ours.append(render(CASES))
    documents = [STRUTS, STRUTS.replace("甲", "一"), CASES]
    with weasy_cache.disabled("struts"):
        assert [render(body) for body in documents] == ours


def test_a_strut_is_found_by_every_value_weasyprint_finds_it_by():
    """The shipped fonts draw bold, italic and every language with the same line metrics, so the
    bytes above cannot tell those values apart; the key must still hold each value WeasyPrint's
    own key is written from."""
    from weasyprint.text import line_break

    from toolkit.render.weasy_layout import STRUT_PROPERTIES

    class Reads(dict):
        def __missing__(self, name):
            self.setdefault("read", []).append(name)
            return 1.0

    style = Reads()
    line_break._font_style_cache_key(style, include_size=True)
    assert tuple(style["read"]) == STRUT_PROPERTIES
