"""The PDF path's patches of WeasyPrint (render/weasy_cache.py): the one-pass subset gives
WeasyPrint's bytes without a new C type per document, and `liaison doctor` names the patches in
use, or says which are off and why PDFs are slower."""

from __future__ import annotations

import io
import re

from conftest import reception
from toolkit.commands import doctor


def _renderer_and_docs(make_book, count: int):
    from toolkit.commands.build import check
    from toolkit.derive import plan
    from toolkit.forms import load_forms
    from toolkit.model import PlanEnv
    from toolkit.render.registry import Renderers
    from toolkit.rules import load_rules

    # Contents of different lengths: every form's body font uses another number of glyphs.
    rows = [
        reception(code=f"L{i}", content="道路积水需要修复" * (i + 1) + "东南西北" * i)
        for i in range(count)
    ]
    data = check(make_book(rows))
    form = load_forms()["reception_form"]
    docs = list(plan(form, data, PlanEnv(load_rules())))
    return Renderers().get(str(form.folder.parent), form.id, "pdf"), docs


def test_one_pass_subsets_are_weasyprints_bytes_and_parse_no_c_type_per_document(make_book):
    from weasyprint.pdf.fonts import Font
    from weasyprint.text.ffi import ffi

    from toolkit.render import weasy_cache

    renderer, docs = _renderer_and_docs(make_book, 4)

    def render(context) -> bytes:
        stream = io.BytesIO()
        renderer.render(context, stream)
        return stream.getvalue()

    sized = re.compile(r"hb_codepoint_t\[\d+\]")
    before = {t for t in ffi._parsed_types if sized.fullmatch(t)}
    Font.subset.cache.clear()  # type: ignore[attr-defined]
    ours = [render(doc.context) for doc in docs]
    # cffi parses each new type string with pycparser (~20 ms): WeasyPrint's arrays sized in
    # the type made one per glyph count, that is nearly one per document.
    assert {t for t in ffi._parsed_types if sized.fullmatch(t)} == before
    Font.subset.cache.clear()  # type: ignore[attr-defined]
    with weasy_cache.disabled("subset in one pass"):
        theirs = [render(doc.context) for doc in docs]
    assert ours == theirs


def test_doctor_names_the_patches_in_use():
    check = doctor.check_speedups()
    assert check.ok and "PDF 加速补丁 12 项均已启用" in check.text
    assert "字体子集一次完成" in check.text and "同一模板的样式只计算一次" in check.text
    assert "用不到的伪元素样式不再计算" in check.text and "HTML 结构只解析一次" in check.text
    assert "PDF 数据流按 6 级压缩" in check.text
    assert "同样的文字在同样的宽度里只断行一次" in check.text
    assert "同样的一行文字只生成一次字形指令" in check.text


def test_doctor_says_which_patches_are_off_on_another_weasyprint(monkeypatch):
    from toolkit.render import weasy_cache

    installed = weasy_cache.patches()
    # What install() leaves out on a WeasyPrint other than 70: the eight that rewrite its code,
    # build its objects or rely on what its functions read.
    rewritten = (
        "computed styles",
        "subset in one pass",
        "pseudo-element styles",
        "html skeletons",
        "line splits",
        "text drawing",
        "used lengths",
        "struts",
    )
    kept = {k: v for k, v in installed.items() if k not in rewritten}
    monkeypatch.setattr(weasy_cache, "patches", lambda: kept)
    check = doctor.check_speedups()
    assert not check.ok
    off = "字体子集一次完成、同一模板的样式只计算一次、用不到的伪元素样式不再计算、"
    off += "同一模板的 HTML 结构只解析一次、同样的文字在同样的宽度里只断行一次、"
    off += "同样的一行文字只生成一次字形指令、盒子的边距和宽高一次算完、行高按样式直接查到"
    assert f"只启用了 4 项（未启用：{off}）" in check.text
    assert "weasyprint>=70,<71" in str(check)


def test_doctor_says_whether_the_cluster_extra_is_installed(monkeypatch):
    import importlib.metadata

    assert "Dask" in doctor.check_cluster().text

    def missing(name: str) -> str:
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "version", missing)
    check = doctor.check_cluster()
    assert check.ok and '只在使用 --cluster 时需要（pip install -e ".[cluster]"）' in check.text


def _thresholds() -> tuple[int, int, int]:
    import gc

    return gc.get_threshold()


def test_documents_are_made_with_the_collector_tuned_and_the_parent_gets_its_own_back():
    """batch.py raises the collector's young-generation threshold (GC_YOUNG) where documents are
    made, in a worker for its life and in-process for the run only; a build started from a
    program (a test, the web app) leaves that program's collector as it was."""
    import gc
    from concurrent.futures import ProcessPoolExecutor

    from toolkit import batch

    saved = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    try:
        with batch._rendering_gc():
            assert gc.get_threshold() == (batch.GC_YOUNG, 10, 10)
        assert gc.get_threshold() == (700, 10, 10)
        pool = ProcessPoolExecutor(1, initializer=batch._worker_setup)
        with pool:
            assert pool.submit(_thresholds).result() == (batch.GC_YOUNG, 10, 10)
    finally:
        gc.set_threshold(*saved)
