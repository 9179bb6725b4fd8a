"""Word templates of the duty-report family, registered in make_templates.py.

- duty_report: 代表述职报告 in the GB/T 9704 official layout (official_docx.py); the figures
  are sentences prepared by toolkit/derive/duty.py, the deputy's own parts loop over paragraphs,
  and where a part is missing the prompt is printed in 楷体, highlighted, so it cannot pass for
  real text.
- duty_ballot: 述职评议测评表, one A4 page per copy (a paragraph loop over 副本 with a page break
  between copies).
"""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.shared import Twips
from make_templates import (
    DATE_BLANK,
    PORTRAIT_WIDTH,
    SAN,
    add_names,
    add_row,
    add_run,
    add_text,
    add_title,
    columns,
    label,
    new_document,
    new_paragraph,
    new_table,
    set_paragraph,
    span,
    value,
    w,
)
from official_docx import (
    OFFICIAL_WIDTH,
    new_official_document,
    official_blank_line,
    official_byline,
    official_closing,
    official_heading,
    official_paragraph,
    official_table,
    official_title,
)

ACTIVITY_HEADS = ("序号", "日期", "类型", "活动主题")  # widths: template.html's <colgroup>


def _tag(doc: DocxDocument, tag: str) -> None:
    """A paragraph holding only a {%p %} tag (docxtpl drops the paragraph itself)."""
    official_paragraph(doc, tag, indent=False)


def _own_part(doc: DocxDocument, part: str) -> None:
    _tag(doc, f"{{%p for text in {part} %}}")
    official_paragraph(doc, "{{ text }}")
    _tag(doc, "{%p else %}")
    prompt = official_paragraph(doc, "", role="kai")
    add_run(prompt, f"{{{{ 提示.{part} }}}}", "kai", SAN)
    for run in prompt.runs:
        if run.text:
            run._r.get_or_add_rPr().append(w('<w:highlight w:val="yellow"/>'))
    _tag(doc, "{%p endfor %}")


def duty_report() -> DocxDocument:
    doc = new_official_document("代表述职报告")
    official_title(doc, "{{ 期间 }}履职情况述职报告")
    official_byline(doc, "{{ 代表层级 }}　{{ 姓名 }}")
    official_paragraph(doc, "{{ 段落.称呼 }}", indent=False)
    official_heading(doc, "一、基本情况", 1)
    official_paragraph(doc, "{{ 段落.基本情况 }}")
    official_heading(doc, "二、履职情况", 1)
    official_heading(doc, "（一）出席会议", 2)
    official_paragraph(doc, "{{ 段落.参加会议 }}")
    official_heading(doc, "（二）联系服务群众", 2)
    official_paragraph(doc, "{{ 段落.联系群众 }}")
    official_heading(doc, "（三）提出建议议案", 2)
    official_paragraph(doc, "{{ 段落.建议议案 }}")
    _tag(doc, "{%p for item in 建议 %}")
    official_paragraph(doc, "{{ item.序号 }}.《{{ item.标题 }}》（{{ item.说明 }}）")
    _tag(doc, "{%p endfor %}")
    official_heading(doc, "（四）参加闭会期间活动", 2)
    official_paragraph(doc, "{{ 段落.闭会活动 }}")
    _tag(doc, "{%p if 活动 %}")
    activity_table(doc)
    official_blank_line(doc)
    _tag(doc, "{%p endif %}")
    official_heading(doc, "（五）其他履职情况", 2)
    _own_part(doc, "履职情况补充")
    official_heading(doc, "三、存在的不足", 1)
    _own_part(doc, "存在不足")
    official_heading(doc, "四、今后努力方向", 1)
    _own_part(doc, "努力方向")
    official_paragraph(doc, "以上报告，请予评议。", last=True)
    official_closing(doc, "述职人：{{ 姓名 }}", DATE_BLANK)
    return doc


def activity_table(doc: DocxDocument) -> None:
    table = official_table(doc, columns("duty_report", width=OFFICIAL_WIDTH))
    heads = add_row(table, header=True, cant_split=True)
    for cell, name in zip(heads.cells, ACTIVITY_HEADS, strict=True):
        label(cell, name)
    value(add_row(table).cells[0], "{%tr for a in 活动 %}")
    row = add_row(table, cant_split=True)  # as tall as its text, as in the PDF
    for cell, field in zip(row.cells, ("序号", "日期", "活动类型", "活动主题"), strict=True):
        value(cell, f"{{{{ a.{field} }}}}", align="left" if field == "活动主题" else "center")
    value(add_row(table).cells[0], "{%tr endfor %}")


# ── 述职评议测评表 ───────────────────────────────────────────────────────────────────────────

BALLOT_HEADS = ("序号", "测评内容", "满意", "基本满意", "不满意")  # widths: its <colgroup>
ITEMS = ("学习宣传法律法规", "出席会议和审议", "闭会期间活动", "联系群众反映民意", "为群众办实事")
NOTE = (
    "说明：1. 本表不记名，请在每项相应栏内的“□”中打“√”，每项只选一项。"
    "2. 总体评价未选或多选的，本票无效。3. 填好后投入票箱。"
)


def duty_ballot() -> DocxDocument:
    doc = new_document("述职评议测评表")
    loop = new_paragraph(doc)
    add_run(loop, "{%p for copy in 副本 %}")
    add_title(doc, "{{ 表单名称 }}")
    meta = new_paragraph(doc, after=120)
    meta.paragraph_format.tab_stops.add_tab_stop(Twips(PORTRAIT_WIDTH), alignment=2)
    add_run(meta, "述职代表：", "label")
    add_names(meta, "{{ 姓名 }}")
    add_text(meta, "（{{ 代表层级 }}）")
    add_run(meta, "\t")
    add_run(meta, "述职日期：", "label")
    add_run(meta, "{% if 日期 %}")
    add_run(meta, "{{ 日期 }}")
    add_run(meta, "{% else %}")
    add_run(meta, DATE_BLANK)
    add_run(meta, "{% endif %}")
    table = new_table(doc, columns("duty_ballot"))
    heads = add_row(table, 600, cant_split=True)
    for cell, name in zip(heads.cells, BALLOT_HEADS, strict=True):
        label(cell, name)
    for index, item in enumerate((*ITEMS, "总体评价"), start=1):
        row = add_row(table, 850 if item != "总体评价" else 1020, cant_split=True)
        value(row.cells[0], "" if item == "总体评价" else str(index), align="center")
        if item == "总体评价":
            label(row.cells[1], item)
        else:
            value(row.cells[1], item)
        for cell in row.cells[2:]:
            value(cell, "□", 18, align="center")
    comments = add_row(table, 3400, cant_split=True)
    label(span(comments, 0, 1), "意见和建议")
    value(span(comments, 2, 4), "", valign="top")
    note = new_paragraph(doc, before=240, line=1.5, style="Note")
    add_run(note, NOTE, "kai")
    breaker = new_paragraph(doc)
    add_run(breaker, "{%p if not loop.last %}")
    page = new_paragraph(doc)
    add_run(page, "")
    page.runs[-1]._r.append(w('<w:br w:type="page"/>'))
    end_if = new_paragraph(doc)
    add_run(end_if, "{%p endif %}")
    end = new_paragraph(doc)
    add_run(end, "{%p endfor %}")
    set_paragraph(end)
    return doc


BUILDERS = {"duty_report": duty_report, "duty_ballot": duty_ballot}
