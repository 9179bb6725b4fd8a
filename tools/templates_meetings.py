"""Word templates of the meeting family (issue 6): 会议议程, 签到表, 会议记录, 民生实事项目票决票
and its 计票结果, 满意度测评表 and 满意度测评结果, the pack's placeholder, and the 会议通知 in the
official-text layout of GB/T 9704 (tools/official_docx.py).

Built with the helpers of make_templates.py (fonts by role, fixed tables, tags in runs of their
own) and registered there, so `python tools/make_templates.py sign_in` writes one. Forms are A4
portrait; a table that may run over a page repeats its header row; ballots and 测评表 print
`份数` copies in one file, each on a page of its own.
"""

from __future__ import annotations

from collections.abc import Callable

from docx.document import Document as DocxDocument
from docx.enum.text import WD_BREAK
from docx.shared import Twips
from docx.text.paragraph import Paragraph
from make_templates import (
    BLANK,
    DATE_BLANK,
    PORTRAIT_WIDTH,
    SAN,
    SI,
    WU,
    XIAO_SI,
    add_names,
    add_row,
    add_run,
    add_text,
    add_title,
    bottom_border,
    columns,
    form_rows,
    grid,
    label,
    names,
    new_document,
    new_paragraph,
    new_table,
    page_number_footer,
    signature_line,
    span,
    value,
)
from official_docx import (
    new_official_document,
    official_closing,
    official_heading,
    official_paragraph,
    official_title,
)

# The tables' columns are those of the templates' <colgroup>s (make_templates.columns); the
# 测评结果's tables have none: a fixed-layout table without widths shares its width equally.
COUNT_GRID = grid(1, 1, 1)
BOX = "□"


def meeting_heading(doc: DocxDocument, title: str = "{{ 表单名称 }}") -> None:
    """The meeting's name, then the document's own title under it."""
    add_title(doc, "{{ 会议名称 }}", SAN, after=60)
    add_title(doc, title, 22, after=200)


def meta_line(doc: DocxDocument, items: list[tuple[str, str]]) -> Paragraph:
    """时间 at the left, the next item pushed to the right edge by a tab (base.css's .meta)."""
    par = new_paragraph(doc, after=85, exact=360)
    par.paragraph_format.tab_stops.add_tab_stop(Twips(PORTRAIT_WIDTH), alignment=2)
    for i, (name, expr) in enumerate(items):
        if i:  # the space keeps 地点 off a time that fills the line (the PDF wraps it)
            add_run(par, BLANK + "\t")
        add_run(par, name, "label")
        add_text(par, expr)
    return par


def tag_paragraph(doc: DocxDocument, tag: str) -> None:
    """A paragraph holding only a docxtpl {%p %} tag (it disappears when rendered)."""
    add_run(new_paragraph(doc), tag)


def page_break_unless_last(par: Paragraph) -> None:
    """Ends a copy: a page break after every copy but the last, inside its last paragraph (an
    empty paragraph of its own would print a blank line at the top of the next copy)."""
    add_run(par, "{% if not loop.last %}")
    add_run(par, "")
    par.runs[-1].add_break(WD_BREAK.PAGE)
    add_run(par, "{% endif %}")


def ruled_lines(doc: DocxDocument, n: int) -> None:
    for _ in range(n):
        par = new_paragraph(doc, exact=560)
        bottom_border(par)


# ── 会议议程 ────────────────────────────────────────────────────────────────────────────────


def meeting_agenda() -> DocxDocument:
    doc = new_document("会议议程")
    add_title(doc, "{{ 会议名称 }}", SAN, after=60)
    add_title(doc, "议　　程", 22, after=240)
    meta = new_paragraph(doc, align="center", after=360, line=1.5)
    add_text(meta, "（{{ 会议时间 }}{% if 地点 %}　{{ 地点 }}{% endif %}）", "kai", SAN)
    chair = new_paragraph(doc, align="center", after=360)
    add_text(chair, "{% if 主持人 %}主持人：", "kai", SAN)
    add_names(chair, "{{ 主持人 }}", "kai", SAN)
    add_text(chair, "{% endif %}", "kai", SAN)
    tag_paragraph(doc, "{%p for item in 议程项 %}")
    item = new_paragraph(doc, line=1.8, indent_chars=2)
    add_text(item, "{{ loop.index|序号 }}{{ item }}", "body", SAN)
    tag_paragraph(doc, "{%p endfor %}")
    return doc


# ── 签到表 ──────────────────────────────────────────────────────────────────────────────────


def sign_in() -> DocxDocument:
    doc = new_document("签到表")
    page_number_footer(doc.sections[0])
    meeting_heading(doc)
    meta_line(doc, [("时间：", "{{ 会议时间 }}"), ("地点：", "{{ 地点 }}")])
    # padding and line height as table.sign-in
    table = new_table(doc, columns("sign_in"), margins=(45, 85), line_height=1.25)
    heads = add_row(table, 567, header=True, cant_split=True)
    for cell, name in zip(
        heads.cells, ("序号", "姓名", "代表层级", "工作单位及职务", "签名"), strict=True
    ):
        label(cell, name, WU if name == "序号" else XIAO_SI)
    value(add_row(table).cells[0], "{%tr for r in 签到 %}")
    row = add_row(table, 539, cant_split=True)
    value(row.cells[0], "{{ r.序号 }}", align="center")
    value(row.cells[1], "{{ r.姓名 }}", align="center", names=True)
    value(row.cells[2], "{{ r.代表层级 }}", 10.5, align="center")
    value(row.cells[3], "{{ r.工作单位及职务 }}", 10.5)
    value(row.cells[4], "")
    value(add_row(table).cells[0], "{%tr endfor %}")
    note = new_paragraph(doc, before=113, exact=360, style="Note")  # as .note-line
    add_text(note, "应到{{ 应到 }}人，实到" + BLANK * 3 + "人。空行供列席人员和来宾签到。", "kai")
    return doc


# ── 会议记录 ────────────────────────────────────────────────────────────────────────────────


def meeting_minutes() -> DocxDocument:
    doc = new_document("会议记录")
    page_number_footer(doc.sections[0])
    meeting_heading(doc)
    form_rows(
        new_table(doc, columns("meeting_minutes")),
        [
            ("会议名称", "{{ 会议名称 }}", 567),
            ("时　　间", "{{ 会议时间 }}", "地　　点", "{{ 地点 }}"),
            ("主 持 人", names("{{ 主持人 }}"), "记 录 人", names("{{ 记录人 }}")),
            ("应到人数", "{{ 应到 }}", "实到人数", ""),
            ("出席人员", names("{{ 参会代表名单 }}"), 1134),
            ("缺席人员", "", 680),
            ("列席人员", "", 680),
        ],
    )
    tag_paragraph(doc, "{%p for item in 议程项 %}")
    head = new_paragraph(doc, before=240, after=60)
    add_text(head, "{{ loop.index|序号 }}{{ item }}", "label", SI)
    ruled_lines(doc, 6)
    tag_paragraph(doc, "{%p endfor %}")
    tag_paragraph(doc, "{%p if not 议程项 %}")
    head = new_paragraph(doc, before=240, after=60)
    add_run(head, "会议内容", "label", SI)
    ruled_lines(doc, 14)
    tag_paragraph(doc, "{%p endif %}")
    signature_line(doc, [("主持人签名：", 8), ("记录人签名：", 8)], before=480)
    return doc


# ── 民生实事项目票决票 and 计票结果 ──────────────────────────────────────────────────────────


def vote_ballot() -> DocxDocument:
    doc = new_document("民生实事项目票决票")
    tag_paragraph(doc, "{%p for copy in range(份数) %}")
    meeting_heading(doc)
    rule = new_paragraph(doc, after=160, line=1.4, style="Note")
    add_text(
        rule,
        "填票说明：请对每个候选项目在“赞成”“反对”“弃权”中选择一项，在对应的方框内划“√”；"
        "每个项目只能选一项，多选或不选的，该项目按弃权计。赞成票超过应到代表人数"
        "（{{ 应到 }}人）半数的项目为通过。本票不记名。",
        "kai",
    )
    table = new_table(doc, columns("vote_ballot"))
    heads = add_row(table, 567, header=True, cant_split=True)
    for cell, name in zip(
        heads.cells, ("序号", "项目名称", "主要内容", "赞成", "反对", "弃权"), strict=True
    ):
        label(cell, name, WU if name == "序号" else XIAO_SI)
    value(add_row(table).cells[0], "{%tr for p in 项目 %}")
    row = add_row(table, 850, cant_split=True)
    value(row.cells[0], "{{ p.序号 }}", align="center")
    value(row.cells[1], "{{ p.项目名称 }}")
    value(row.cells[2], "{{ p.项目内容 }}", WU)
    for cell in row.cells[3:]:
        value(cell, BOX, SI, align="center")
    value(add_row(table).cells[0], "{%tr endfor %}")
    end = new_paragraph(doc, align="right", before=360)
    add_text(end, "{{ 会议时间 }}", "body")
    page_break_unless_last(end)
    tag_paragraph(doc, "{%p endfor %}")
    return doc


def vote_tally() -> DocxDocument:
    doc = new_document("民生实事项目票决计票结果")
    meeting_heading(doc)
    meta_line(doc, [("时间：", "{{ 会议时间 }}"), ("应到人数：", "{{ 应到 }}人")])
    rule = new_paragraph(doc, after=160, line=1.4, style="Note")
    add_text(
        rule,
        "赞成票超过应到人数的一半（即{{ 通过票数 }}票及以上）的项目为通过；恰好一半不通过。",
        "kai",
    )
    table = new_table(doc, columns("vote_tally"))
    heads = add_row(table, 567, header=True, cant_split=True)
    for cell, name in zip(
        heads.cells,
        ("序号", "项目名称", "发出票数", "收回票数", "赞成", "反对", "弃权", "结果"),
        strict=True,
    ):
        label(cell, name, WU)
    value(add_row(table).cells[0], "{%tr for p in 项目 %}")
    row = add_row(table, 567, cant_split=True)
    value(row.cells[0], "{{ p.序号 }}", align="center")
    value(row.cells[1], "{{ p.项目名称 }}")
    for cell, field in zip(
        row.cells[2:], ("发出票数", "收回票数", "赞成", "反对", "弃权", "结果"), strict=True
    ):
        value(cell, f"{{{{ p.{field} }}}}", align="center")
    value(add_row(table).cells[0], "{%tr endfor %}")
    summary = new_paragraph(doc, before=200, line=1.5)
    add_text(summary, "共{{ 计票项数 }}个项目计票，{{ 通过项数 }}个项目通过。")
    signature_line(doc, [("计票人：", 8), ("监票人：", 8)], before=480)
    signature_line(doc, [("日期：", DATE_BLANK)], before=240, align="right")
    return doc


# ── 满意度测评表 and 测评结果 ─────────────────────────────────────────────────────────────────


def satisfaction_form() -> DocxDocument:
    doc = new_document("满意度测评表")
    tag_paragraph(doc, "{%p for copy in range(份数) %}")
    meeting_heading(doc)
    meta_line(doc, [("时间：", "{{ 会议时间 }}"), ("地点：", "{{ 地点 }}")])
    rule = new_paragraph(doc, after=160, line=1.4, style="Note")
    add_text(rule, "请在您认为合适的等次下的方框内划“√”，只选一项。本表不记名。", "kai")
    table = new_table(doc, columns("satisfaction_form"))
    heads = add_row(table, 567, cant_split=True)
    for cell, name in zip(heads.cells, ("测评内容", "满意", "基本满意", "不满意"), strict=True):
        label(cell, name)
    row = add_row(table, 1134, cant_split=True)
    value(row.cells[0], "对{{ 测评对象 }}的总体评价")
    for cell in row.cells[1:]:
        value(cell, BOX, SAN, align="center")
    opinions = add_row(table, 4536)
    cell = span(opinions, 0, 3)
    value(cell, "意见和建议：", valign="top")
    end = new_paragraph(doc, align="right", before=360)
    add_text(end, "{{ 落款 }}")
    page_break_unless_last(end)
    tag_paragraph(doc, "{%p endfor %}")
    return doc


def satisfaction_tally() -> DocxDocument:
    doc = new_document("满意度测评结果")
    meeting_heading(doc)
    meta_line(doc, [("时间：", "{{ 会议时间 }}"), ("地点：", "{{ 地点 }}")])
    counts = new_table(doc, COUNT_GRID)
    heads, values = add_row(counts, 567), add_row(counts, 680)
    for i, name in enumerate(("发出票数", "收回票数", "有效票数")):
        label(heads.cells[i], name)
        value(values.cells[i], f"{{{{ {name} }}}}", SI, align="center")
    new_paragraph(doc, after=200)
    table = new_table(doc, COUNT_GRID)
    heads = add_row(table, 567, header=True)
    for cell, name in zip(heads.cells, ("等次", "票数", "占有效票比例"), strict=True):
        label(cell, name)
    value(add_row(table).cells[0], "{%tr for r in 测评 %}")
    row = add_row(table, 567)
    for cell, field in zip(row.cells, ("等次", "票数", "占比"), strict=True):
        value(cell, f"{{{{ r.{field} }}}}", align="center")
    value(add_row(table).cells[0], "{%tr endfor %}")
    summary = new_paragraph(doc, before=240, line=1.5)
    add_text(summary, "满意率（满意与基本满意之和占有效票的比例）：{{ 满意率 }}", "body", SI)
    signature_line(doc, [("计票人：", 8), ("监票人：", 8)], before=480)
    signature_line(doc, [("日期：", DATE_BLANK)], before=240, align="right")
    return doc


def meeting_pack() -> DocxDocument:
    """Never rendered: a pack is joined from its parts' documents (toolkit/combine.py). The
    form needs a template file all the same; this one says so if opened."""
    doc = new_document("会议文书汇编")
    add_title(doc, "{{ 表单名称 }}")
    par = new_paragraph(doc)
    add_text(par, "汇编由会议通知、议程、签到表等各表单的模板依次生成，本模板不直接使用。")
    return doc


# ── 会议通知 (GB/T 9704 layout, tools/official_docx.py) ─────────────────────────────────────


def _tag(doc: DocxDocument, text: str) -> None:
    """A paragraph holding only a docxtpl {%p %} tag (removed when rendered)."""
    add_run(doc.add_paragraph(), text)


def meeting_notice() -> DocxDocument:
    doc = new_official_document("会议通知")
    official_title(doc, "{{ 通知标题 }}")
    _tag(doc, "{%p if 公告 %}")
    official_paragraph(
        doc,
        "为密切人大代表同人民群众的联系，倾听群众呼声，{{ 落款 }}定于{{ 会议时间 }}在"
        "{{ 会议地点 }}开展人大代表接待选民活动。届时，下列人大代表将接待选民，听取意见和建议：",
    )
    _tag(doc, "{%p for d in 接待代表 %}")
    deputy = official_paragraph(doc, "")
    add_names(deputy, "{{ d.姓名 }}", "body", SAN)
    add_text(deputy, "{% if d.代表层级 %}　{{ d.代表层级 }}{% endif %}", "body", SAN)
    _tag(doc, "{%p endfor %}")
    # Either can end the body: both are kept with what follows (the phone is one line).
    official_paragraph(doc, "欢迎广大选民届时前来反映意见和建议。", last=True)
    _tag(doc, "{%p if 站点.联系电话 %}")
    official_paragraph(doc, "联系电话：{{ 站点.联系电话 }}", last=True)
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p else %}")
    official_paragraph(doc, "{{ 主送 }}：", indent=False)
    official_paragraph(
        doc,
        "经研究，定于{{ 会议时间 }}在{{ 会议地点 }}{{ 动词 }}{{ 会议名称 }}。"
        "现将有关事项通知如下：",
    )
    for heading, field in (
        ("一、会议时间：", "{{ 会议时间 }}"),
        ("二、会议地点：", "{{ 会议地点 }}"),
        ("三、参会人员：", "{{ 参会范围 }}"),
    ):
        par = official_paragraph(doc, "")
        add_text(par, heading, "label", SAN)  # a run-in heading: 黑体, then the text
        add_text(par, field, "body", SAN)
    _tag(doc, "{%p if 议程项 %}")
    official_heading(doc, "四、会议议程")
    _tag(doc, "{%p for item in 议程项 %}")
    official_paragraph(doc, "{{ loop.index|括号序号 }}{{ item }}")
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p endif %}")
    official_heading(doc, "{{ (5 if 议程项 else 4)|序号 }}有关要求")
    official_paragraph(
        doc,
        "请参会人员准时出席。因故不能参加的，请提前向{{ 落款 }}请假。"
        "{% if 站点.联系电话 %}联系电话：{{ 站点.联系电话 }}。{% endif %}",
        last=True,
    )
    _tag(doc, "{%p endif %}")
    official_closing(
        doc,
        "{{ 落款 }}",
        "{% if 成文日期 %}{{ 成文日期 }}{% else %}　　　　年　　月　　日{% endif %}",
    )
    return doc


BUILDERS: dict[str, Callable[[], DocxDocument]] = {
    "meeting_notice": meeting_notice,
    "meeting_agenda": meeting_agenda,
    "sign_in": sign_in,
    "meeting_minutes": meeting_minutes,
    "vote_ballot": vote_ballot,
    "vote_tally": vote_tally,
    "satisfaction_form": satisfaction_form,
    "satisfaction_tally": satisfaction_tally,
    "meeting_pack": meeting_pack,
}
