"""`liaison forms check`: find template mistakes before a batch, where a clerk can find them.

For each form: Jinja syntax errors named by template and paragraph (the Word paragraph or HTML
line, with the text around it); field names no record has, with the closest known one
(「{{ 来访人姓名 }}：没有这个字段，是否指 来访人？」); required columns no template uses (a
warning); fields used in the Word template but not the PDF (HTML) one, or the reverse. Tags Word
split over several runs, full-width braces and curly quotes are read as the renderers read them.
"""

from __future__ import annotations

import difflib
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from docxtpl import DocxTemplate
from jinja2 import TemplateSyntaxError, meta

from .. import contract
from ..derive.planners import plan
from ..errors import ERROR, WARNING, UsageError
from ..forms import FormDef, describe_fields
from ..model import PlanEnv
from ..render import HTML_GLOBALS
from ..render.docx import template_source
from ..render.templating import make_env, normalise_tags, syntax_message
from ..rules import load_rules
from .build import check

_TEXT = re.compile(r"<w:t(?: [^>]*)?>([^<]*)</w:t>")
_BUILTINS = {"loop", "range", "true", "false", "none", "True", "False", "None"}


@dataclass(frozen=True)
class Finding:
    form: str
    where: str
    message: str
    severity: str = ERROR

    def __str__(self) -> str:
        text = f"{self.form} {self.where}：{self.message}"
        return text if self.severity == ERROR else "【提醒】" + text


def _docx_sources(path: Path) -> list[tuple[str, str]]:
    """(part name, template source as the renderer compiles it) for each XML part with tags."""
    patcher = DocxTemplate(str(path))
    with zipfile.ZipFile(path) as archive:
        parts = [
            (name, template_source(patcher, name, archive.read(name)))
            for name in archive.namelist()
        ]
    return [(name, source) for name, source in parts if source is not None]


def _paragraph_text(source: str, line: int) -> str:
    lines = source.split("\n")
    if not 1 <= line <= len(lines):
        return ""
    return "".join(_TEXT.findall(lines[line - 1]))[:40]


def _table_cell(source: str, line: int) -> str:
    """'第2个表格第3行第1列' when the paragraph on `line` sits in a table cell, else ''."""
    before = "\n".join(source.split("\n")[: max(line - 1, 0)])
    depth = 0
    table = row = cell = 0
    for match in re.finditer(r"<(/?)w:(tbl|tr|tc)[ >]", before):
        closing, tag = match.group(1), match.group(2)
        if tag == "tbl":
            depth += -1 if closing else 1
            if not closing:
                table, row = table + 1, 0
        elif tag == "tr" and not closing:
            row, cell = row + 1, 0
        elif tag == "tc" and not closing:
            cell += 1
    return f"第{table}个表格第{row}行第{cell}列" if depth > 0 else ""


def _where(kind: str, part: str, line: int, source: str) -> str:
    if kind == "docx":
        text = _paragraph_text(source, line)
        place = "正文" if part.endswith("document.xml") else "页眉页脚"
        cell = _table_cell(source, line)
        spot = f"{cell}的段落" if cell else f"第{max(line - 1, 1)}段"
        return f"template.docx {place}{spot}（“{text}”）"
    return f"template.html 第{line}行"


def _sources(form: FormDef) -> dict[str, list[tuple[str, str]]]:
    found: dict[str, list[tuple[str, str]]] = {}
    for fmt in form.formats:
        path = form.template(fmt)
        if fmt == "docx":
            found["docx"] = _docx_sources(path)
        elif fmt == "pdf":
            found["pdf"] = [("template.html", normalise_tags(path.read_text(encoding="utf-8")))]
    return found


def known_fields(form: FormDef, sample_context: dict[str, object] | None) -> set[str]:
    """Top-level names a template of this form may use."""
    names = {"表单名称", "站点", "代表", "行号", "分段"}  # 分段: parts of a long PDF (render/pdf)
    spec = contract.SHEETS_BY_NAME[form.sheet]
    if form.per == "row":
        names |= {c.field for c in spec.columns}
    else:
        names |= {"联络站", "期间", "记录", "统计", "附加列"}
    if sample_context:
        names |= set(sample_context)
    return names


def _globals(kind: str) -> frozenset[str]:
    """What the renderer of `kind` gives every template besides the fields (the 目录 page)."""
    return HTML_GLOBALS if kind == "pdf" else frozenset()


def check_form(form: FormDef, sample_context: dict[str, object] | None) -> list[Finding]:
    env = make_env()
    findings: list[Finding] = []
    known = known_fields(form, sample_context)
    used: dict[str, set[str]] = {}
    broken: set[str] = set()  # a template that does not parse says nothing about its fields
    for kind, parts in _sources(form).items():
        names: set[str] = set()
        for part, source in parts:
            try:
                ast = env.parse(source)
            except TemplateSyntaxError as exc:
                where = _where(kind, part, exc.lineno or 0, source)
                message = syntax_message(exc.message or "")
                findings.append(Finding(form.id, where, f"模板语法错误：{message}"))
                broken.add(kind)
                continue
            names |= meta.find_undeclared_variables(ast) - _BUILTINS - _globals(kind)
        used[kind] = names
        file = "template.docx" if kind == "docx" else "template.html"
        for name in sorted(names - known):
            close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.4)
            hint = f"，是否指 {close[0]}？" if close else "。"
            findings.append(Finding(form.id, file, f"{{{{ {name} }}}}：没有这个字段{hint}"))
    if broken:
        return findings
    if form.per == "row":
        spec = contract.SHEETS_BY_NAME[form.sheet]
        everything = set().union(*used.values()) if used else set()
        for column in spec.required:
            if column.field not in everything and used:
                findings.append(Finding(form.id, "模板", f"没有用到必填列“{column.name}”", WARNING))
    if "docx" in used and "pdf" in used:
        for name in sorted(used["docx"] - used["pdf"]):
            findings.append(
                Finding(
                    form.id,
                    "模板",
                    f"字段“{name}”只在 Word 模板中，PDF（HTML 模板）"
                    "里没有：PDF 按 template.html 生成",
                    WARNING,
                )
            )
        for name in sorted(used["pdf"] - used["docx"] - {"分段"}):  # 分段: PDF parts only
            findings.append(
                Finding(
                    form.id, "模板", f"字段“{name}”只在 PDF（HTML）模板中，Word 模板里没有", WARNING
                )
            )
    return findings


def check_forms(forms: list[FormDef]) -> list[Finding]:
    """Every finding of every form, with field names taken from the bundled sample."""

    data = check(None, pdf=False)
    rules = load_rules()
    findings: list[Finding] = []
    for form in forms:
        doc = next(plan(form, data, PlanEnv(rules)), None)
        findings.extend(check_form(form, doc.context if doc else None))
    return findings


def form_fields(form: FormDef) -> list[tuple[str, str, str]]:
    """`liaison forms show`: (field as a template writes it, kind, example) of the form's first
    document made from the bundled sample."""

    data = check(None, pdf=False)
    doc = next(plan(form, data, PlanEnv(load_rules())), None)
    if doc is None:
        raise UsageError("示例台账中没有这个表单的记录，无法列出字段")
    return [
        (f"{{{{ {name} }}}}", kind, example) for name, kind, example in describe_fields(doc.context)
    ]
