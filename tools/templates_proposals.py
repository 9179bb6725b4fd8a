"""Word templates of the proposal family, registered in make_templates.py.

- proposal: 代表建议 and 代表议案 (forms/motion borrows it: `templates_from: proposal`) in the
  GB/T 9704 official layout (official_docx.py): a header block of the particulars (编号, 类别,
  领衔代表 and 代表证号, 附议代表, 所属领域, 提出日期, 建议承办单位) in 4号, the title, then the
  parts the planner gives in order (一、现状与问题 … or 一、案由 …) with their paragraphs and （一）
  sub-headings, and the lead's signature and date. The parts come from the context, and each
  document's title is stamped when it is rendered, so one template serves both forms.
- proposal_feedback: 代表建议办理情况意见反馈表, one A4 page: the proposal and its reply, two
  rows of □满意 □基本满意 □不满意 for the deputy to mark, room for comments, signature and date.
"""

from __future__ import annotations

from collections.abc import Callable

from docx.document import Document as DocxDocument
from make_templates import (
    BLANK,
    DATE_BLANK,
    SATISFACTION,
    SI,
    add_row,
    add_run,
    add_text,
    add_title,
    cell_paragraph,
    columns,
    form_rows,
    label,
    names,
    new_document,
    new_paragraph,
    new_table,
    signature_line,
    span,
    value,
)
from official_docx import (
    OFFICIAL_WIDTH,
    new_official_document,
    official_blank_line,
    official_closing,
    official_heading,
    official_paragraph,
    official_table,
    official_title,
)

NAMED = {"领衔代表", "附议代表"}


def _tag(doc: DocxDocument, tag: str) -> None:
    """A paragraph holding only a {%p %} tag (docxtpl drops the paragraph itself)."""
    official_paragraph(doc, tag, indent=False)


def _pair(row_cells: list, name: str, text: str) -> None:
    label(row_cells[0], name, SI)
    value(row_cells[1], text, SI, names=name in NAMED)  # td.names


def header_block(doc: DocxDocument, form_id: str) -> None:
    # 0.05 mm less padding than the CSS's 1 mm: Word and LibreOffice give the text 22 grid lines
    # (636.9pt), 0.9pt less than the 225 mm the PDF has, and with the block as tall as the
    # PDF's the 22nd line of an 议案 that fills its page did not fit.
    table = official_table(doc, columns(form_id, width=OFFICIAL_WIDTH), padding=54)
    for left, right in (
        (("编　　号", "{{ 编号 }}"), ("类　　别", "{{ 类别 }}")),
        (("领衔代表", "{{ 领衔代表 }}"), ("代表证号", "{{ 代表证号 }}")),
        (("附议代表", "{{ 附议代表 }}{% if 附议人数 %}（{{ 附议人数 }}名）{% endif %}"), None),
        (("所属领域", "{{ 所属领域 }}"), ("提出日期", "{{ 提出日期 }}")),
        (("建议承办单位", "{{ 建议承办单位 }}"), None),
    ):
        row = add_row(table, cant_split=True)  # as tall as its text, as in the PDF
        if right is None:
            _pair([row.cells[0], span(row, 1, 3)], *left)
        else:
            _pair(row.cells[:2], *left)
            _pair(row.cells[2:], *right)
    official_blank_line(doc)


def proposal_text(form_id: str, title: str) -> Callable[[], DocxDocument]:
    def build() -> DocxDocument:
        doc = new_official_document(title)
        header_block(doc, form_id)
        official_title(doc, "{{ 标题 }}")
        _tag(doc, "{%p for part in 正文 %}")
        _tag(doc, "{%p set 末部分 = loop.last %}")
        official_heading(doc, "{{ part.标题 }}", 1)
        _tag(doc, "{%p for p in part.段落 %}")
        _tag(doc, "{%p if p.小标题 %}")
        official_heading(doc, "{{ p.文字 }}", 2)
        _tag(doc, "{%p elif 末部分 and loop.last %}")  # the body's last: kept with the closing
        official_paragraph(doc, "{{ p.文字 }}", last=True)
        _tag(doc, "{%p else %}")
        official_paragraph(doc, "{{ p.文字 }}")
        _tag(doc, "{%p endif %}")
        _tag(doc, "{%p endfor %}")
        _tag(doc, "{%p endfor %}")
        official_closing(
            doc,
            "领衔代表：{{ 领衔代表 }}",
            f"{{% if 提出日期 %}}{{{{ 提出日期 }}}}{{% else %}}{DATE_BLANK}{{% endif %}}",
        )
        return doc

    return build


# ── 代表建议办理情况意见反馈表 ───────────────────────────────────────────────────────────────


def _boxes(cell: object) -> None:
    par = cell_paragraph(cell)  # type: ignore[arg-type]
    for i, option in enumerate(SATISFACTION):
        if i:
            add_run(par, BLANK * 3)
        add_run(par, "□" + option)


def proposal_feedback() -> DocxDocument:
    doc = new_document("代表建议办理情况意见反馈表")
    add_title(doc, "{{ 表单名称 }}")
    number = new_paragraph(doc, align="right", after=80)
    add_run(number, "编号：", "label")
    add_text(number, "{{ 编号 }}")
    form_rows(
        new_table(doc, columns("proposal_feedback")),
        [
            ("{{ 类别 }}标题", "{{ 标题 }}", 900),
            ("领衔代表", names("{{ 领衔代表 }}"), "代表证号", "{{ 代表证号 }}"),
            ("承办单位", "{{ 建议承办单位 }}", 567),
            ("交办日期", "{{ 交办日期 }}", "答复日期", "{{ 答复日期 }}"),
            ("结果类别", "{{ 办理结果 }}", 567),
            ("办理态度", _boxes, 737),
            ("办理结果", _boxes, 737),
            ("意见和建议", "", 4400),
        ],
    )
    signature_line(doc, [("代表签名：", 8), ("日期：", DATE_BLANK)], before=360, align="right")
    note = new_paragraph(doc, before=360, line=1.5, indent_chars=2, style="Note")
    add_run(
        note,
        "说明：请领衔代表对承办单位的办理态度和办理结果分别评价，在相应“□”内打“√”，每项只选一项；"
        "对办理结果不满意的，请在“意见和建议”栏写明理由。填好后请于收到答复之日起一个月内交回"
        "人大常委会代表工作机构。",
        "kai",
    )
    return doc


BUILDERS = {
    "proposal": proposal_text("proposal", "代表建议"),
    "proposal_feedback": proposal_feedback,
}
