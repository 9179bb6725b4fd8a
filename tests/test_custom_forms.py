"""Users' own forms: export, edit as Word/WPS would, build with --forms-dir (issue 7, part)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from conftest import reception
from toolkit.cli import cli
from toolkit.commands.build import build
from toolkit.errors import TemplateError
from toolkit.model import BuildOptions


@pytest.fixture
def run():
    runner = CliRunner()
    return lambda *args: runner.invoke(cli, list(args), catch_exceptions=False)


def _texts(path: Path) -> str:
    doc = Document(path)
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


def test_forms_show_lists_fields_with_examples(run):
    result = run("forms", "show", "接待选民登记簿")
    assert result.exit_code == 0
    rows = [line.partition("}}") for line in result.output.splitlines()]
    kinds = {name.strip(" {"): rest.split() for name, _, rest in rows if rest.strip()}
    assert kinds["统计.接待次数"][0] == "数字"
    assert kinds["记录[].反映内容"][0] == "文本"
    assert kinds["记录[].接待日期"][0] == "日期"
    assert kinds["记录[].接待日期"][1].startswith("2024年")
    assert kinds["记录[].接待代表"][0] == "名单"


def test_export_edit_in_word_with_chinese_input_and_build(run, make_book, tmp_path):
    mine = tmp_path / "我的表单"
    assert run("forms", "export", "handoff_slip", str(mine)).exit_code == 0
    again = run("forms", "export", "handoff_slip", str(mine))
    assert again.exit_code == 2 and "已存在" in again.output
    template = mine / "handoff_slip" / "template.docx"
    doc = Document(template)
    paragraph = doc.add_paragraph("本区备注：")
    # As Word stores what a clerk typed with a Chinese input method: full-width braces and
    # percent signs, curly quotes, and the tag split over several runs.
    for text in (
        "｛｛ ",
        "来访人",
        " ｝｝；结果：",
        "｛％ if 办理结果 ％｝",
        "有",
        "｛％ else ％｝",
        "｛｛ “暂无” ｝｝",
        "｛％ endif ％｝",
    ):
        paragraph.add_run(text)
    doc.save(template)
    checked = run("forms", "check", str(mine))
    assert "0 个错误" in checked.output, checked.output
    out = tmp_path / "out"
    result = build(
        BuildOptions(
            workbook=make_book([reception(code="A", visitor="钱多多")]),
            out=out,
            formats=("docx",),
            forms_dir=mine,
            jobs=1,
        )
    )
    assert result.exit_code == 0
    slip = next(out.glob("群众意见建议交办单/*.docx"))
    assert "本区备注：钱多多；结果：暂无" in _texts(slip)
    form = next(out.glob("代表接待选民登记表/*.docx"))  # not overridden: ours
    assert "本区备注" not in _texts(form)


def test_a_new_form_by_folder_only(make_book, tmp_path):
    folder = tmp_path / "forms" / "visit_record"
    folder.mkdir(parents=True)
    (folder / "form.yaml").write_text(
        "id: visit_record\ntitle: 代表走访记录表\nsheet: 履职活动\nper: row\nformats: [pdf]\n"
        'filename: "{活动日期}_{活动主题}"\n',
        encoding="utf-8",
    )
    (folder / "template.html").write_text(
        "<html><body><h1 class='title'>{{ 表单名称 }}</h1><p>{{ 活动日期 }} {{ 活动主题 }}"
        "（{{ 参加代表 }}）</p><p>{{ 活动日期|大写日期 }}{% for d in 参加代表 %}[{{ d }}]"
        "{% endfor %}</p></body></html>",
        encoding="utf-8",
    )
    activities = [
        ["活动日期", "活动类型", "活动主题", "参加代表"],
        ["2024-4-2", "走访选民", "走访独居老人", "王伟、李娜"],
    ]
    book = make_book(extra_sheets={"履职活动": activities})
    out = tmp_path / "out"
    result = build(
        BuildOptions(
            workbook=book, out=out, only=("代表走访记录表",), forms_dir=tmp_path / "forms", jobs=1
        )
    )
    assert result.exit_code == 0
    [pdf] = out.rglob("*.pdf")
    assert pdf.name == "代表走访记录表_2024-04-02_走访独居老人.pdf"
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        text = "".join(page.extract_text() or "" for page in document.pages).replace(" ", "")
    assert "代表走访记录表" in text and "2024年4月2日走访独居老人（王伟、李娜）" in text
    assert "二〇二四年四月二日[王伟][李娜]" in text  # a date and a list, not their text


def test_forms_dir_from_environment_and_liaison_toml(make_book, tmp_path, monkeypatch):
    from toolkit.forms import user_forms_dir

    book = make_book(name="台账.xlsx")
    (tmp_path / "liaison.toml").write_text('forms_dir = "区表单"\n', encoding="utf-8")
    assert user_forms_dir(None, book) == (tmp_path / "区表单").resolve()
    monkeypatch.setenv("LIAISON_FORMS_DIR", str(tmp_path / "env"))
    assert user_forms_dir(None, book) == tmp_path / "env"
    assert user_forms_dir(tmp_path / "opt", book) == tmp_path / "opt"


@pytest.mark.parametrize(
    "payload",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ 表单名称.__class__.__init__.__globals__ }}",
        "{% for c in ().__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
    ],
)
def test_a_template_cannot_reach_python_internals(make_book, tmp_path, payload):
    folder = tmp_path / "forms" / "reception_form"
    folder.mkdir(parents=True)
    from toolkit.paths import FORMS_DIR

    (folder / "form.yaml").write_text(
        (FORMS_DIR / "reception_form" / "form.yaml")
        .read_text(encoding="utf-8")
        .replace("[docx, pdf]", "[pdf]"),
        encoding="utf-8",
    )
    (folder / "template.html").write_text(f"<p>{payload}</p>", encoding="utf-8")
    with pytest.raises(TemplateError) as info:
        build(
            BuildOptions(
                workbook=make_book(),
                out=tmp_path / "o",
                only=("reception_form",),
                forms_dir=tmp_path / "forms",
                jobs=1,
            )
        )
    assert "模板试图访问不允许的内容" in str(info.value)


def _exported(run, tmp_path: Path, form: str = "reception_form") -> Path:
    mine = tmp_path / "我的表单"
    assert run("forms", "export", form, str(mine)).exit_code == 0
    return mine


def test_forms_check_names_unknown_fields_with_the_closest_one(run, tmp_path):
    mine = _exported(run, tmp_path)
    doc = Document(mine / "reception_form" / "template.docx")
    paragraph = doc.add_paragraph()
    for text in ("来访人：", "{{ 来访", "人姓名 }}"):  # split over runs, as Word does
        paragraph.add_run(text)
    doc.save(mine / "reception_form" / "template.docx")
    result = run("forms", "check", str(mine))
    assert result.exit_code == 1
    assert (
        "reception_form template.docx：{{ 来访人姓名 }}：没有这个字段，是否指 来访人？"
        in result.output
    )
    assert "【提醒】reception_form 模板：字段“来访人姓名”只在 Word 模板中" in result.output


def test_forms_check_locates_a_syntax_error_by_paragraph(run, tmp_path):
    mine = _exported(run, tmp_path)
    doc = Document(mine / "reception_form" / "template.docx")
    doc.add_paragraph("办理情况：{% if 办理结果 %}已办结")  # no endif
    doc.save(mine / "reception_form" / "template.docx")
    result = run("forms", "check", str(mine))
    assert result.exit_code == 1
    line = next(x for x in result.output.splitlines() if "模板语法错误" in x)
    assert line.startswith("reception_form template.docx 正文第")
    assert "办理情况：" in result.output or "endif" in line


def test_forms_check_passes_on_our_forms(run):
    result = run("forms", "check")
    assert result.exit_code == 0
    assert "0 个错误" in result.output


def test_pdf_from_the_edited_word_template(run, make_book, tmp_path):
    from toolkit.render.docx_pdf import soffice_path

    if soffice_path() is None:
        pytest.skip("LibreOffice is not installed here")
    import pdfplumber

    mine = _exported(run, tmp_path)
    doc = Document(mine / "reception_form" / "template.docx")
    doc.add_paragraph("（本表由三元街道人大工委印制）")
    doc.save(mine / "reception_form" / "template.docx")
    out = tmp_path / "out"
    result = run(
        "build",
        str(make_book()),
        "--out",
        str(out),
        "--only",
        "reception_form",
        "--format",
        "pdf",
        "--pdf-from",
        "docx",
        "--forms-dir",
        str(mine),
    )
    assert result.exit_code == 0, result.output
    with pdfplumber.open(next(out.rglob("*.pdf"))) as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages).replace(" ", "")
    assert "本表由三元街道人大工委印制" in text and "赵桂兰" in text


def test_pdf_from_docx_without_libreoffice_says_what_to_install(
    run, make_book, tmp_path, monkeypatch
):
    import toolkit.render.docx_pdf as docx_pdf

    monkeypatch.setattr(docx_pdf, "soffice_path", lambda: None)
    result = run(
        "build",
        str(make_book()),
        "--out",
        str(tmp_path / "o"),
        "--format",
        "pdf",
        "--pdf-from",
        "docx",
    )
    assert result.exit_code == 2
    assert "--pdf-from docx 需要 LibreOffice，本机未安装" in result.output
    assert "libreoffice-writer-nogui" in result.output


def test_forms_check_warns_about_unused_required_columns(run, tmp_path):
    mine = _exported(run, tmp_path, "handoff_slip")
    html = mine / "handoff_slip" / "template.html"
    html.write_text(
        html.read_text(encoding="utf-8").replace("{{ 反映内容 }}", ""), encoding="utf-8"
    )
    doc = Document(mine / "handoff_slip" / "template.docx")
    for paragraph in [
        *doc.paragraphs,
        *(p for t in doc.tables for r in t.rows for c in r.cells for p in c.paragraphs),
    ]:
        for run_ in paragraph.runs:
            run_.text = run_.text.replace("{{ 反映内容 }}", "")
    doc.save(mine / "handoff_slip" / "template.docx")
    result = run("forms", "check", str(mine))
    assert "【提醒】handoff_slip 模板：没有用到必填列“反映内容”" in result.output
    assert result.exit_code == 0  # a warning, not an error


def test_forms_check_locates_an_error_in_a_table_cell(run, tmp_path):
    mine = _exported(run, tmp_path)
    doc = Document(mine / "reception_form" / "template.docx")
    cell = doc.tables[0].rows[1].cells[1]
    cell.paragraphs[0].add_run("{% for x in %}")
    doc.save(mine / "reception_form" / "template.docx")
    result = run("forms", "check", str(mine))
    assert result.exit_code == 1
    assert "reception_form template.docx 正文第1个表格第2行第2列的段落（“" in result.output


def test_a_changed_stylesheet_rewrites_the_pdf(make_book, tmp_path):
    folder = tmp_path / "forms" / "visit_record"
    folder.mkdir(parents=True)
    (folder / "form.yaml").write_text(
        "id: visit_record\ntitle: 代表走访记录表\nsheet: 履职活动\nper: row\nformats: [pdf]\n"
        'filename: "{活动日期}"\n',
        encoding="utf-8",
    )
    (folder / "template.html").write_text(
        "<html><body><p>{{ 活动主题 }}</p></body></html>", encoding="utf-8"
    )
    (folder / "style.css").write_text("p { font-size: 12pt; }", encoding="utf-8")
    activities = [
        ["活动日期", "活动类型", "活动主题", "参加代表"],
        ["2024-4-2", "走访选民", "走访", "王伟"],
    ]
    book = make_book(extra_sheets={"履职活动": activities})
    options = BuildOptions(
        workbook=book,
        out=tmp_path / "out",
        only=("代表走访记录表",),
        forms_dir=tmp_path / "forms",
        jobs=1,
    )
    assert build(options).written
    assert not build(options).written  # nothing changed: nothing rewritten
    (folder / "style.css").write_text("p { font-size: 16pt; }", encoding="utf-8")
    assert build(options).written


def test_an_exported_form_that_borrows_templates_carries_copies_of_them(run, tmp_path):
    """代表议案 uses 代表建议's templates (templates_from): its exported folder must stand on its
    own, so the clerk edits the copies and the build reads them, not the bundled 代表建议's."""
    from toolkit.forms import load_forms
    from toolkit.paths import FORMS_DIR

    mine = _exported(run, tmp_path, "motion") / "motion"
    assert {p.name for p in mine.iterdir()} >= {
        "form.yaml",
        "template.docx",
        "template.html",
        "style.css",
    }
    proposal = FORMS_DIR / "proposal"
    assert (mine / "template.html").read_bytes() == (proposal / "template.html").read_bytes()
    (mine / "template.html").write_text(
        (mine / "template.html").read_text(encoding="utf-8").replace("领衔代表", "主提代表"),
        encoding="utf-8",
    )
    motion = load_forms(mine.parent)["motion"]
    assert motion.template("pdf") == mine / "template.html"
    assert "主提代表" in motion.template("pdf").read_text(encoding="utf-8")
