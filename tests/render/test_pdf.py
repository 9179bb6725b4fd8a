"""PDF: page size, pages, embedded shipped fonts, the text of each field, and the sandbox."""

from __future__ import annotations

import itertools
import logging
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from conftest import build_receptions, reception
from toolkit.commands.build import build
from toolkit.model import BuildOptions

A4 = (595.3, 841.9)


def _fonts(path: Path) -> set[str]:
    names = set()
    for page in PdfReader(path).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names


def _text(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages).replace(" ", "")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pdf")
    long_text = (
        "小区北门至菜市场路段路面破损严重，雨天积水没过脚踝，老人孩子出行困难。" * 4
        + "\n希望尽快修复。"
    )
    rows = [
        reception(code="P1", content=long_text, result="已于4月10日修复路面，并增设排水口。"),
        reception(code="P2", deputies="买买提·艾力", route="当场答复", unit=None, due=None),
    ]
    return build_receptions(tmp, rows, ("pdf",))


def test_reception_form_is_one_a4_page_with_every_field(built):
    pdf = next(built.glob("代表接待选民登记表/*_P1.pdf"))
    reader = PdfReader(pdf)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(A4, abs=1)
    text = _text(pdf)
    for value in (
        "代表接待选民登记表",
        "2024年3月15日",
        "王伟、李娜",
        "赵桂兰",
        "13912345678",
        "三元街道城建办",
        "2024年4月15日",
        "希望尽快修复。",
        "已于4月10日修复路面",
    ):
        assert value in text, value


def test_pdfs_embed_only_the_shipped_fonts(built):
    shipped = {
        "Noto-Serif-CJK-SC",
        "Noto-Serif-CJK-SC-Bold",
        "Noto-Sans-CJK-SC",
        "FandolFang",
        "Liaison-Kai",
        "LiaisonKai-Regular",
        "FandolFang-Regular",
    }
    for pdf in built.rglob("*.pdf"):
        fonts = _fonts(pdf)
        assert fonts, pdf
        assert fonts <= shipped, (pdf.name, fonts - shipped)


def test_handed_on_rows_get_slips_and_others_do_not(built):
    assert [p.name.split("_")[-1] for p in built.glob("群众意见建议交办单/*.pdf")] == ["P1.pdf"]
    assert [p.name.split("_")[-1] for p in built.glob("群众意见建议办理反馈单/*.pdf")] == ["P1.pdf"]
    slip = _text(next(built.glob("群众意见建议交办单/*.pdf")))
    for value in ("群众意见建议交办单", "三元街道城建办", "2024年4月15日", "0571-86001234"):
        assert value in slip, value
    feedback = _text(next(built.glob("群众意见建议办理反馈单/*.pdf")))
    assert "已于4月10日修复路面" in feedback


def test_register_is_landscape_with_cover_and_rows(built):
    pdf = next(built.glob("接待选民登记簿/*.pdf"))
    reader = PdfReader(pdf)
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)
    assert len(reader.pages) >= 2
    text = _text(pdf)
    assert "接待选民登记簿" in text and "三元社区人大代表联络站" in text and "赵桂兰" in text


def test_fetcher_serves_package_assets_only():
    from toolkit.paths import STYLES_DIR
    from toolkit.render.pdf import RefusedURL, fetch_package_asset

    assert fetch_package_asset.fetch((STYLES_DIR / "base.css").as_uri())
    for url in (
        "file:///etc/passwd",
        "http://example.com/x.css",
        "data:text/plain,hi",
        (STYLES_DIR / ".." / ".." / "pyproject.toml").as_uri(),
    ):
        with pytest.raises((RefusedURL, ValueError)):
            fetch_package_asset.fetch(url)


def test_a_character_no_font_has_is_reported_with_its_cell(make_book):
    from toolkit.commands.build import check

    data = check(make_book([reception(content="这个字𠀀印不出来")]))
    assert (
        "接待登记!D2 反映内容：字符 “𠀀”（U+20000） 在 PDF 中无法显示（随附字体不含此字）"
        "（请改用常用字形，或只生成 Word（--format docx））" in [str(p) for p in data.errors]
    )


def test_rare_name_characters_render_without_notdef(make_book, tmp_path, caplog):
    from conftest import DEPUTIES

    deputies = [
        *DEPUTIES,
        ["陈喆", "DB-010", "县", "三元社区人大代表联络站", "男", "", ""],
        ["王堃", "DB-011", "县", "三元社区人大代表联络站", "男", "", ""],
    ]
    book = make_book(
        [reception(deputies="陈喆、王堃", content="赟珺玥琇镕犇彧祎翀曌垚璟旻")], deputies=deputies
    )
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        result = build(
            BuildOptions(
                workbook=book,
                out=tmp_path / "o",
                formats=("pdf",),
                only=("reception_form",),
                jobs=1,
            )
        )
    assert result.exit_code == 0
    assert not [r for r in caplog.records if "notdef" in r.getMessage().lower()]
    assert "陈喆、王堃" in _text(next((tmp_path / "o").rglob("*.pdf")))


def test_a_long_register_is_laid_out_in_parts_and_reads_as_one(make_book, tmp_path, monkeypatch):
    """A register longer than PART_ROWS is rendered part by part (WeasyPrint holds every page
    of a document): the joined PDF has one cover, every row once and in order, full pages up to
    the last, and page numbers that run on across the parts."""
    import datetime as dt
    import re

    from toolkit.render import pdf

    monkeypatch.setattr(pdf, "PART_ROWS", 15)  # about a page and a half
    rows = [
        reception(date=dt.date(2024, 1 + i // 4, 1 + i % 20), code=f"R{i:02d}", route="当场答复")
        for i in range(40)
    ]
    out = tmp_path / "out"
    result = build(
        BuildOptions(
            workbook=make_book(rows),
            out=out,
            only=("reception_register",),
            formats=("pdf",),
            jobs=1,
        )
    )
    assert result.exit_code == 0
    path = next((out / "接待选民登记簿").glob("*.pdf"))
    reader = PdfReader(path)
    texts = [page.extract_text() for page in reader.pages]
    assert sum("本 期 接 待 情 况" in t for t in texts) == 1  # the cover, once
    numbers = [int(m) for t in texts[1:] for m in re.findall(r"—\s*(\d+)\s*—", t)]
    assert numbers == list(range(1, len(texts)))  # 1, 2, 3 … after the cover, no restart
    with pdfplumber.open(path) as doc:
        tables = [page.extract_table() for page in doc.pages[1:]]
    serials = [int(r[0]) for table in tables for r in table if r[0] and r[0].isdigit()]
    assert serials == list(range(1, 41))  # every row once, in order
    per_page = [sum(1 for r in table if r[0] and r[0].isdigit()) for table in tables]
    # Rows are alike, so every page but the last holds as many: no short page where parts meet.
    assert len(per_page) > 3 and len(set(per_page[:-1])) == 1 and per_page[-1] <= per_page[0]
    assert all(table[0][0] == "序号" for table in tables)  # the header on every page


def test_font_subsets_reused_across_documents_give_the_same_bytes(make_book):
    """A form's labels and title are subset once and reused (render/pdf.py): a record rendered
    after others, from the cache, is byte for byte what a cold cache makes."""
    import io

    from weasyprint.pdf.fonts import Font

    from toolkit.render.registry import Renderers

    renderer_for = Renderers().get
    from toolkit.commands.build import check
    from toolkit.derive.planners import plan
    from toolkit.forms import load_forms
    from toolkit.model import PlanEnv
    from toolkit.rules import load_rules

    data = check(make_book([reception(code=f"S{i}", visitor=f"访客{i}") for i in range(3)]))
    form = load_forms()["reception_form"]
    docs = list(plan(form, data, PlanEnv(load_rules())))
    renderer = renderer_for(str(form.folder.parent), "reception_form", "pdf")

    def render(index: int) -> bytes:
        stream = io.BytesIO()
        renderer.render(docs[index].context, stream)
        return stream.getvalue()

    cache = Font.subset.cache  # type: ignore[attr-defined]
    cache.clear()
    cold = render(0)
    render(1), render(2)
    reused = len(cache)
    assert 0 < reused < 3 * 3  # labels and title came from the cache for the later records
    assert render(0) == cold


def test_weasyprint_caches_change_no_byte_of_any_form() -> None:
    """render/weasy_cache.py shares computed styles, font subsets and compressed font files
    between documents. Every PDF form of the bundled sample, rendered after other copies of it
    (from warm caches), is byte for byte what WeasyPrint makes without the caches."""
    import datetime as dt
    import io

    from toolkit.render.registry import Renderers

    renderer_for = Renderers().get
    from toolkit.commands.build import check
    from toolkit.derive.planners import plan
    from toolkit.forms import load_forms
    from toolkit.model import PlanEnv
    from toolkit.render import weasy_cache
    from toolkit.rules import load_rules

    data = check(None)
    env = PlanEnv(load_rules(), today=dt.date(2024, 12, 31))
    compared = []
    for form in load_forms().values():
        if "pdf" not in form.formats:
            continue
        docs = list(itertools.islice(plan(form, data, env), 2))
        if not docs:  # none as of that day (a 督办单 needs a matter overdue)
            continue
        renderer = renderer_for(str(form.folder.parent), form.id, "pdf")

        def render(context: dict, renderer: object = renderer) -> bytes:
            stream = io.BytesIO()
            renderer.render(context, stream)  # type: ignore[attr-defined]
            return stream.getvalue()

        # The last document, rendered after the others filled the caches (or after itself).
        warm = [render(doc.context) for doc in (docs if len(docs) > 1 else docs + docs)][-1]
        with weasy_cache.disabled(*weasy_cache.SAME_BYTES):
            plain = render(docs[-1].context)
        assert warm == plain, form.id
        compared.append(form.id)
    assert {"reception_form", "reception_register", "annual_assessment", "duty_report"} <= set(
        compared
    )
    # The style cache was in use, not silently off or refusing every style.
    assert any(v is not weasy_cache._UNCACHEABLE for v in weasy_cache._STYLES.values())


@pytest.mark.parametrize(
    "body",
    [
        # a style attribute beside lang or id: all of the element's declarations are its key
        '<p lang="en" style="color:{c}">a</p><p id="x{n}" style="width:{w}px">b</p>',
        # inherit from a property WeasyPrint writes during layout (a collapsed table's padding)
        '<table style="border-collapse:collapse;padding:30px"><caption style="padding-left:'
        'inherit">c</caption><tr><td style="margin:40px"><div style="margin-left:inherit">'
        "{n}</div></td></tr></table>",
        # a style attribute WeasyPrint warns about and drops
        '<p style="123; color:{c}">d</p>',
        # a <style> element: new stylesheets in every document
        "<style>p {{ color: {c} }}</style><p>e{n}</p>",
        # pseudo-elements whose styles are made when layout asks (markers, footnote calls)
        '<ul><li style="color:{c}">f{n}</li></ul><ol style="list-style:decimal inside"><li>g'
        '</li></ol><p>h<span style="float:footnote;color:{c}">i{n}</span></p>',
    ],
)
def test_templates_the_style_cache_must_not_change(body):
    """Review cases for render/weasy_cache.py's computed-style cache, each rendered as three
    documents (the cache is used from the second) and compared with WeasyPrint as it ships."""
    import io

    from weasyprint import HTML

    from toolkit.render import weasy_cache
    from toolkit.render.pdf import font_config, stylesheet

    sheets = [stylesheet(Path(__file__).parents[2] / "forms" / "styles" / "base.css")]
    weasy_cache._STYLES.clear()

    def render(n: int) -> bytes:
        html = body.format(c=("red", "blue", "green")[n], n=n, w=100 + 200 * n)
        out = io.BytesIO()
        HTML(string=f"<html><body>{html}</body></html>").render(
            stylesheets=sheets, font_config=font_config()
        ).write_pdf(out)
        return out.getvalue()

    cached = [render(n) for n in range(3)]
    if "<style>" not in body:  # (a <style> element's documents are left to WeasyPrint)
        assert any(v is not weasy_cache._UNCACHEABLE for v in weasy_cache._STYLES.values())
    with weasy_cache.disabled(*weasy_cache.SAME_BYTES):
        plain = [render(n) for n in range(3)]
    assert cached == plain


def test_documents_of_one_shape_follow_one_plan_and_change_no_byte(monkeypatch):
    """render/weasy_cache.py remembers, for a document's shape (tags, attributes, order, which
    elements are empty), the style each element got. Copies of a form that differ only in their
    text follow that plan without matching a selector; each is byte for byte what WeasyPrint
    makes. A copy whose element turns empty (`:empty`), or that gains an element, is a new shape."""
    import io

    from weasyprint import HTML

    from toolkit.render import weasy_cache
    from toolkit.render.pdf import font_config, stylesheet

    sheets = [stylesheet(Path(__file__).parents[2] / "forms" / "styles" / "base.css")]
    followed = []
    original = weasy_cache._follow_plan
    monkeypatch.setattr(weasy_cache, "_follow_plan", lambda *a: followed.append(1) or original(*a))
    texts = ["王明", "李华、张伟", "", "赵<nobr>2024年3月5日</nobr>", "钱"]

    def render(text: str) -> bytes:
        body = (
            f'<h1 class="title" id="t">登记表</h1><table class="form"><tr><td class="label">'
            f'来访人</td><td class="names">{text}</td></tr></table><p class="sign">{text}</p>'
        )
        out = io.BytesIO()
        HTML(string=f"<html><body>{body}</body></html>").render(
            stylesheets=sheets, font_config=font_config()
        ).write_pdf(out)
        return out.getvalue()

    render("预热")  # the sheets' first document is left to WeasyPrint
    weasy_cache._PLANS.clear()
    cached = [render(text) for text in texts]
    # the first text makes the plan, the second and fifth follow it; the empty cells and the
    # extra <nobr> are shapes of their own
    assert len(followed) == 2
    with weasy_cache.disabled(*weasy_cache.SAME_BYTES):
        plain = [render(text) for text in texts]
    assert cached == plain


def test_a_long_document_shares_its_rows_cascades_and_is_not_planned(monkeypatch):
    """A register's rows are matched by the same rules: each row's cascades are looked up, not
    worked out again (render/weasy_cache.py's `_ELEMENT_CASCADES`), also across documents of
    different lengths. A document longer than PLAN_MAX_ELEMENTS is never planned (its shape
    seldom recurs and its plan would be large). Cells that differ in a style attribute or a
    presentational hint, or in the rules that match them (:first-child, ::before, ::marker), each
    get their own; every page is byte for byte WeasyPrint's own."""
    import io

    from weasyprint import CSS, HTML

    from toolkit.render import weasy_cache
    from toolkit.render.pdf import font_config, stylesheet

    sheets = [
        stylesheet(Path(__file__).parents[2] / "forms" / "styles" / "base.css"),
        CSS(
            string="td:first-child { font-weight: bold } td.c::before { content: '#' } "
            "font.x { color: blue } li:nth-child(2)::marker { color: red }",
            font_config=font_config(),
        ),
    ]
    monkeypatch.setattr(weasy_cache, "PLAN_MAX_ELEMENTS", 200)
    row = (
        '<tr><td class="c">{i}</td><td style="color:{c}">王明{i}</td><td>{i}</td></tr>'
        '<tr><td><font class="x" color="red">{i}</font></td><td><font class="x" '
        'style="color:#ff0000">{i}</font></td><td class="names">{i}</td></tr>'
    )

    def render(rows: int, items: int = 0) -> bytes:
        body = "".join(row.format(i=i, c=("red", "blue")[i % 2]) for i in range(rows))
        body = f'<table class="form list">{body}</table>'
        body += "<ol>" + "<li>一</li>" * items + "</ol>"
        out = io.BytesIO()
        HTML(string=f"<html><body>{body}</body></html>").render(
            stylesheets=sheets, font_config=font_config(), presentational_hints=True
        ).write_pdf(out)
        return out.getvalue()

    render(1)  # the sheets' first document is left to WeasyPrint
    weasy_cache._PLANS.clear()
    weasy_cache._ELEMENT_CASCADES.clear()
    first = render(40, 3)
    assert not weasy_cache._PLANS  # ~250 elements: not planned
    # two kinds of row, five kinds of cell, three of list item, and the elements around them
    assert 0 < len(weasy_cache._ELEMENT_CASCADES) < 30
    kept = dict(weasy_cache._ELEMENT_CASCADES)
    cached = [first, render(60), render(5, 2), render(40, 3)]
    assert len(weasy_cache._PLANS) == 1  # the short one
    assert all(weasy_cache._ELEMENT_CASCADES[k] is v for k, v in kept.items())
    with weasy_cache.disabled(*weasy_cache.SAME_BYTES):
        plain = [render(40, 3), render(60), render(5, 2), render(40, 3)]
    assert cached == plain


def test_deflate_level_changes_how_not_what_is_compressed():
    """render/weasy_cache.py has pydyf deflate at level 6, not 9: every stream of the PDF
    inflates to the same bytes as WeasyPrint's own, and the file is no more than 1 % larger."""
    import io

    from pypdf import PdfReader
    from weasyprint import HTML

    from toolkit.render import weasy_cache
    from toolkit.render.pdf import font_config, stylesheet

    sheets = [stylesheet(Path(__file__).parents[2] / "forms" / "styles" / "base.css")]
    body = (
        '<h1 class="title">接待登记</h1><p>来访人：王明，2024年3月5日上午9:30，反映道路积水。</p>'
    )

    def render() -> bytes:
        out = io.BytesIO()
        HTML(string=f"<html><body>{body}</body></html>").render(
            stylesheets=sheets, font_config=font_config()
        ).write_pdf(out)
        return out.getvalue()

    def streams(pdf: bytes) -> list[bytes]:
        """Every stream inflated, but the cross-reference stream (it lists where the objects
        start, which moves when they are compressed differently)."""
        reader = PdfReader(io.BytesIO(pdf))
        found = []
        for number in range(1, int(reader.trailer["/Size"])):
            obj = reader.get_object(number)
            if hasattr(obj, "get_data") and obj.get("/Type") != "/XRef":
                found.append(obj.get_data())
        return sorted(found)

    assert weasy_cache.patches()["deflate level"]
    ours = render()
    with weasy_cache.disabled("deflate level"):
        theirs = render()
    assert ours != theirs  # the patch is in use
    assert streams(ours) == streams(theirs) and len(streams(ours)) >= 4
    assert len(ours) <= len(theirs) * 1.01


def test_the_brief_meta_line_prints_as_the_flex_line():
    """The 登记表's line under the title (.meta.brief in base.css) floats its 编号 instead of
    laying the line out as a flex box, which costs WeasyPrint several layouts: the page is the
    same, pixel for pixel, as with the flex line."""
    import datetime as dt
    import io

    import pypdfium2
    from weasyprint import CSS

    from toolkit.commands.build import check
    from toolkit.derive.planners import plan
    from toolkit.forms import load_forms
    from toolkit.model import PlanEnv
    from toolkit.render.registry import Renderers
    from toolkit.rules import load_rules

    form = load_forms()["reception_form"]
    assert 'class="meta brief"' in form.template("pdf").read_text(encoding="utf-8")
    doc = next(iter(plan(form, check(None), PlanEnv(load_rules(), today=dt.date(2024, 12, 20)))))
    renderer = Renderers().get(str(form.folder.parent), form.id, "pdf")
    shipped = list(renderer.stylesheets)

    def page(*extra: str) -> bytes:
        renderer.stylesheets = shipped + [CSS(string=css) for css in extra]
        try:
            out = io.BytesIO()
            renderer.render(doc.context, out)
        finally:
            renderer.stylesheets = shipped
        pdf = pypdfium2.PdfDocument(out.getvalue())
        return pdf[0].render(scale=100 / 72).to_pil().tobytes()

    flex = ".meta.brief { display: flex } .meta.brief > .right { float: none }"
    assert page() == page(flex)


def test_pseudo_element_styles_are_made_only_when_asked_for(monkeypatch):
    """render/weasy_cache.py makes a pseudo-element's style when layout looks it up: a list's
    ::marker and a footnote's call and marker are made, the six pseudo-elements WeasyPrint's
    own stylesheet gives every other element are not, and the PDF is WeasyPrint's."""
    import io

    from weasyprint import HTML

    from toolkit.render import weasy_cache
    from toolkit.render.pdf import font_config, stylesheet

    sheets = [stylesheet(Path(__file__).parents[2] / "forms" / "styles" / "base.css")]
    made: list[str] = []
    make = weasy_cache._LazyStyles._make

    def counted(self, key):  # type: ignore[no-untyped-def]
        made.append(key[1])
        return make(self, key)

    monkeypatch.setattr(weasy_cache._LazyStyles, "_make", counted)
    html = (
        "<html><body><ul><li>一</li><li>二</li></ul>"
        '<p>正文<span style="float:footnote">脚注</span></p>'
        + "<p>段落</p>" * 20
        + "</body></html>"
    )

    def render() -> bytes:
        out = io.BytesIO()
        HTML(string=html).render(stylesheets=sheets, font_config=font_config()).write_pdf(out)
        return out.getvalue()

    lazy = render()
    assert sorted(set(made)) == ["footnote-call", "footnote-marker", "marker"]
    assert made.count("marker") == 2
    with weasy_cache.disabled("pseudo-element styles"):
        eager = render()
    assert lazy == eager


_CUT = True  # the skeleton cache serves this template (else tinyhtml5 parses it whole)


@pytest.mark.parametrize(
    ("template", "cut"),
    [
        # text in cells, with white space at either end, escaped characters, '>' and newlines
        (
            '<!DOCTYPE html><html><head><meta charset="utf-8"><title>{x}</title></head><body>'
            '<table class="form"><tr><td class="label">甲</td><td>{x}</td></tr>'
            '<tr><td colspan="3">{x}<br>{x}</td></tr></table><p>{x}<span>{x}</span>{x}</p>',
            _CUT,
        ),
        # text where the parser moves it: straight in a table, after </head>, after </body>
        (
            "<html><head><title>t</title>{x}</head><body><table><tr><td>a</td></tr>{x}</table>"
            "<table>{x}<tr><td>b</td></tr></table></body>{x}</html>",
            _CUT,
        ),
        # misnested formatting elements, reopened around the text that follows
        ("<p>{x}<b>{x}<i>{x}</b>{x}</i>{x}</p><p>{x}</p>", _CUT),
        # what is left to tinyhtml5: a reference the cut does not decode, raw text, a comment
        ("<p>&nbsp;{x}</p>", not _CUT),
        ("<pre>\n{x}</pre><p>{x}</p>", not _CUT),
        ("<p>{x}</p><!-- {x} -->", not _CUT),
        ("<style>p {{ color: red }}</style><p>{x}</p>", not _CUT),
    ],
)
def test_html_skeleton_cache_gives_tinyhtml5s_tree(template, cut):
    """render/weasy_cache.py parses a form's HTML skeleton once and fills in each document's
    text: the tree is the one tinyhtml5 builds from the whole document, whatever the text."""
    import io
    import xml.etree.ElementTree as ET

    import tinyhtml5
    from markupsafe import escape

    from toolkit.render import pdf, weasy_cache

    assert pdf.weasy_cache is weasy_cache  # (importing the renderer installs the patches)
    parse = tinyhtml5.parse
    own = weasy_cache.patches()["html skeletons"][2]
    values = ["甲", "  乙 丙\n ", "丁&lt;戊> \"己'&amp;", " ", "", "庚\f辛", "\U000f0001", "\x00壬"]
    served = 0
    for value in values * 2:  # the second time from the cache
        html = template.format(x=escape(value))
        ours = parse(io.StringIO(html), namespace_html_elements=False)
        theirs = own(io.StringIO(html), namespace_html_elements=False)
        assert ET.tostring(ours) == ET.tostring(theirs), (template, value)
        skeleton = weasy_cache._skeleton(html)
        found = parse.cache.get(skeleton[0]) if skeleton else None  # type: ignore[attr-defined]
        served += found is not None and found is not weasy_cache._UNCACHEABLE
    # All but the values with a control or a private-use character (twice each)
    assert served == (12 if cut else 0)
