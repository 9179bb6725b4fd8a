"""Word and PDF are the same document: converted by LibreOffice with the shipped fonts
(forms/fonts/fonts.conf maps the fonts Word files name to the faces the CSS uses), the .docx of
every form has as many pages as our PDF of it.

Converted as `--pdf-from docx` converts (render/docx_pdf.convert: with the two Asian-typography
settings LibreOffice's DOCX import loses put back). Run only where LibreOffice (`soffice`) is
installed; `.ci/run` installs it. From the bundled
sample it takes the documents of each form most likely to end near a page boundary: the one with
the most records and the longest text, and the two longest of the official-text forms (述职报告,
通知, 建议, 议案), whose 22-line pages fill up. One LibreOffice run converts them all.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from toolkit.render.docx_pdf import convert, soffice_path

needs_soffice = pytest.mark.skipif(soffice_path() is None, reason="LibreOffice (soffice) 未安装")
slow = pytest.mark.slow  # about 10 s: LibreOffice converts some 30 documents twice

OFFICIAL = {"duty_report", "meeting_notice", "proposal", "motion"}


def _weight(doc: Any) -> tuple[int, int]:
    text = json.dumps(doc.context, ensure_ascii=False, default=str)
    return len(doc.sources), len(text)


CLOSING_RANGE = range(6, 16)  # 议程 items: the notice's closing block crosses page 1's end


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str, Path, Path]]:
    """(form, document, our PDF, LibreOffice's PDF of our .docx) for the chosen documents, and
    ("closing", n, -, LibreOffice's PDF) for a 会议通知 with n agenda items."""
    from toolkit.render.registry import Renderers

    renderer_for = Renderers().get
    from toolkit.commands.build import check
    from toolkit.derive.planners import plan
    from toolkit.forms import load_forms
    from toolkit.model import PlanEnv
    from toolkit.rules import load_rules

    folder = tmp_path_factory.mktemp("word-pages")
    data = check(None)
    env = PlanEnv(load_rules(), today=dt.date(2024, 12, 31))
    chosen = []
    for form in load_forms().values():
        if "docx" not in form.formats or "pdf" not in form.formats:
            continue
        docs = sorted(plan(form, data, env), key=_weight, reverse=True)
        for n, doc in enumerate(docs[: 2 if form.id in OFFICIAL else 1]):
            stem = f"{form.id}-{n}"
            for fmt in ("docx", "pdf"):
                stream = io.BytesIO()
                renderer_for(str(form.folder.parent), form.id, fmt).render(doc.context, stream)
                (folder / f"{stem}.{fmt}").write_bytes(stream.getvalue())
            chosen.append((form.id, "_".join(doc.name_parts), stem))
        if form.id == "meeting_notice":
            notice = next(d.context for d in docs if d.context["议程项"] and not d.context["公告"])
            renderer = renderer_for(str(form.folder.parent), form.id, "docx")
            for n in CLOSING_RANGE:
                stream = io.BytesIO()
                items = [f"审议第{i + 1}项议题" for i in range(n)]
                renderer.render({**notice, "议程项": items}, stream)
                (folder / f"closing-{n}.docx").write_bytes(stream.getvalue())
                chosen.append(("closing", str(n), f"closing-{n}"))
    lo = folder / "lo"
    sources = [folder / f"{stem}.docx" for *_, stem in chosen]
    convert(str(soffice_path()), sources, lo, folder / "profile")
    return [(f, name, folder / f"{stem}.pdf", lo / f"{stem}.pdf") for f, name, stem in chosen]


@needs_soffice
@slow
def test_every_form_has_as_many_pages_in_word_as_in_pdf(converted) -> None:
    forms = {form for form, *_ in converted}
    assert {"duty_report", "meeting_notice", "motion", "reception_register", "sign_in"} <= forms
    differ = []
    for form, name, ours, word in converted:
        if form == "closing":
            continue
        pdf_pages, word_pages = len(PdfReader(ours).pages), len(PdfReader(word).pages)
        if pdf_pages != word_pages:
            differ.append(f"{form} {name}: PDF {pdf_pages} 页，Word {word_pages} 页")
    assert not differ, "\n".join(differ)


@needs_soffice
@slow
def test_libreoffice_draws_word_fonts_with_the_pdf_faces(converted) -> None:
    """仿宋_GB2312, 方正小标宋简体, 黑体 and 楷体_GB2312 become FandolFang, Noto Serif CJK SC Bold,
    Noto Sans CJK SC and Liaison Kai, not a fallback serif for all four."""
    used: set[str] = set()
    for *_, word in converted:
        for page in PdfReader(word).pages:
            for font in (page["/Resources"].get("/Font") or {}).values():
                used.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    faces = " ".join(sorted(used))
    for face in ("FandolFang", "LiaisonKai", "NotoSansCJK", "NotoSerifCJK"):
        assert face in faces, faces
    assert any("Serif" in name and "Bold" in name for name in used), faces


@needs_soffice
@slow
def test_the_closing_block_never_stands_alone_on_a_page_in_word(converted) -> None:
    """落款 and date go over the page with the last lines of the body (keep with next, widow
    control), never alone: in every notice that runs to a second page, that page starts with
    the end of the body's last paragraph (请参会人员……请假。)."""
    overflowing = 0
    for form, n, _, word in converted:
        if form != "closing":
            continue
        pages = ["".join(page.extract_text().split()) for page in PdfReader(word).pages]
        if len(pages) > 1:
            overflowing += 1
            assert "请假" in pages[-1], (n, pages[-1])
            assert "请假" not in pages[-2], (n, pages[-2])
    assert overflowing  # the range of agenda lengths does cross the page end


def test_ci_installs_libreoffice_so_these_tests_run():
    """.ci/run installs writer and calc without GUI or recommends (a test-only need: the user's
    install, scripts/install-system-deps.sh, does not)."""
    root = Path(__file__).resolve().parents[2]
    ci = (root / ".ci" / "run").read_text(encoding="utf-8")
    assert "libreoffice-writer-nogui libreoffice-calc-nogui" in ci
    assert "--no-install-recommends" in ci
    assert "libreoffice" not in (root / "scripts" / "install-system-deps.sh").read_text()
