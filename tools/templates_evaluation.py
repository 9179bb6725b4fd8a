"""Word template of the year-end evaluation family: 代表年度履职考核表 (forms/annual_assessment).

Built with the helpers of make_templates.py (fonts by role, fixed tables, tags in runs of their
own); registered there in BUILDERS, so `python tools/make_templates.py annual_assessment` writes it.
The sheet fits one A4 page; the appendix of records starts on a page of its own.
"""

from __future__ import annotations

from docx.document import Document as DocxDocument
from make_templates import (
    DATE_BLANK,
    SAN,
    SI,
    WU,
    XIAO_SI,
    add_row,
    add_run,
    add_text,
    add_title,
    columns,
    end_after_table,
    form_rows,
    label,
    new_document,
    new_paragraph,
    new_table,
    page_number_footer,
    signature_line,
    span,
    value,
)

ITEM_SIZE = 11  # table.items { font-size: 11pt }
ITEM_HEADS = ("序号", "考核项目", "计分标准", "次数", "得分", "说明")
DETAIL_HEADS = ("序号", "日期", "积分项目", "类型", "内容", "出处")
# The <colgroup>s of template.html, in order (their widths are style.css's <col> classes).
PERSON_GRID, ITEM_GRID, RESULT_GRID, DETAIL_GRID = (
    columns("annual_assessment", table) for table in range(4)
)


def annual_assessment() -> DocxDocument:
    doc = new_document("代表年度履职考核表")
    page_number_footer(doc.sections[0])
    add_title(doc, "{{ 表单名称 }}", after=60)
    year = new_paragraph(doc, align="center", after=120)
    add_text(year, "（{{ 年度 }}）", "kai", SI)
    station = new_paragraph(doc, after=60)
    add_run(station, "联络站：", "label")
    add_text(station, "{{ 代表.所属联络站 }}")
    person = new_table(doc, PERSON_GRID)
    form_rows(
        person,
        [
            ("姓　　名", "{{ 代表.姓名 }}", "性　　别", "{{ 代表.性别 }}"),
            ("代表层级", "{{ 代表.代表层级 }}", "代表证号", "{{ 代表.代表证号 }}"),
            ("选区或代表团", "{{ 代表.选区或代表团 }}", 567),
            ("工作单位及职务", "{{ 代表.工作单位及职务 }}", 567),
        ],
    )
    new_paragraph(doc, exact=120)
    _items_table(doc)
    _result_table(doc)
    note = new_paragraph(doc, before=80, line=1.2)
    add_text(
        note,
        "说明：{% if 评定五星 %}五星为{{ 五星规则 }}；{% else %}{{ 评定说明 }}{% endif %}"
        "站内名次第 {{ 站内名次 }} 名（共 {{ 站内人数 }} 人）。"
        "积分依据《{{ 规则名称 }}》，每项得分的记录见附表。",
        "kai",
        WU,
    )
    signature_line(doc, [("代表签名：", 10), ("日期：", DATE_BLANK)], before=240)
    signature_line(doc, [("联络站（盖章）负责人：", 8), ("日期：", DATE_BLANK)], before=120)
    _appendix(doc)
    return doc


def _items_table(doc: DocxDocument) -> None:
    table = new_table(doc, ITEM_GRID, margins=(45, 85), label_padding=85)  # table.items
    heads = add_row(table, 431, header=True, cant_split=True)
    for cell, name in zip(heads.cells, ITEM_HEADS, strict=True):
        label(cell, name, ITEM_SIZE)
    value(add_row(table).cells[0], "{%tr for i in 项目 %}", ITEM_SIZE)
    row = add_row(table, 431, cant_split=True)
    value(row.cells[0], "{{ i.序号 }}", ITEM_SIZE, align="center")
    name = value(row.cells[1], "{{ i.名称 }}", ITEM_SIZE)
    add_text(name, "{% if i.类别 == '扣分' %}（扣分）{% endif %}", "kai", ITEM_SIZE)
    value(row.cells[2], "{{ i.计分标准 }}", ITEM_SIZE)
    value(row.cells[3], "{{ i.次数 }}", ITEM_SIZE, align="center")
    value(row.cells[4], "{{ i.得分 }}", ITEM_SIZE, align="center")
    value(row.cells[5], "{{ i.说明 }}", ITEM_SIZE, align="center")
    value(add_row(table).cells[0], "{%tr endfor %}", ITEM_SIZE)
    value(add_row(table).cells[0], "{%tr for s in 汇总 %}", ITEM_SIZE)
    row = add_row(table, 431, cant_split=True)
    total = span(row, 0, 3)
    label(
        total,
        "{{ s.名称 }}"
        "{% if s.名称 == '总分' and 总分上限 != '' %}（上限 {{ 总分上限 }} 分）{% endif %}",
        ITEM_SIZE,
    )
    value(row.cells[4], "{{ s.得分 }}", ITEM_SIZE, align="center")
    value(row.cells[5], "{{ s.说明 }}", ITEM_SIZE, align="center")
    value(add_row(table).cells[0], "{%tr endfor %}", ITEM_SIZE)


def _result_table(doc: DocxDocument) -> None:
    table = new_table(doc, RESULT_GRID)
    row = add_row(table, 567, cant_split=True)
    label(row.cells[0], "等次")
    value(row.cells[1], "{{ 等次 }}", align="center")
    label(row.cells[2], "名次")
    value(row.cells[3], "第 {{ 名次 }} 名（共 {{ 参评人数 }} 人）", align="center")
    label(row.cells[4], "五星")
    value(row.cells[5], "{{ 五星 }}", align="center")


def _appendix(doc: DocxDocument) -> None:
    # Lines as tall as .appendix-title and .meta-line (1.5 times their size) and their margins
    # (2 mm, 3 mm): with Word's single spacing the table began 8pt higher than in the PDF.
    # A new page as .appendix's break-before (a break run would leave its line on the sheet's page).
    heading = new_paragraph(doc, align="center", after=113, exact=round(SAN * 1.5 * 20))
    heading.paragraph_format.page_break_before = True
    add_run(heading, "附：积分记录明细", "label", SAN)
    line = new_paragraph(doc, align="center", after=170, exact=round(XIAO_SI * 1.5 * 20))
    add_text(line, "{{ 代表.姓名 }}　{{ 年度 }}　共 {{ 明细|length }} 条", "kai", XIAO_SI)
    table = new_table(doc, DETAIL_GRID, margins=(57, 68), line_height=1.35, label_padding=68)
    heads = add_row(table, header=True, cant_split=True)
    for cell, name in zip(heads.cells, DETAIL_HEADS, strict=True):
        label(cell, name, 10)  # table.details th: 10pt
    value(add_row(table).cells[0], "{%tr for d in 明细 %}", WU)
    row = add_row(table, cant_split=True)  # heights as table.details: its text
    for index, field in enumerate(("序号", "日期", "项目", "类型", "内容", "出处")):
        align = "left" if field in ("项目", "内容") else "center"
        value(row.cells[index], f"{{{{ d.{field} }}}}", 10, align=align)  # as table.details
    value(add_row(table).cells[0], "{%tr endfor %}", WU)
    add_run(new_paragraph(doc), "{%p if not 明细 %}")  # else no paragraph: no blank last page
    none = new_paragraph(doc, align="center", before=240)
    add_text(none, "本年度没有计入积分的记录。", "body", XIAO_SI)
    add_run(new_paragraph(doc), "{%p endif %}")
    end_after_table(doc)
