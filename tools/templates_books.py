"""Word templates of the books family (issue 15): the registers of "六簿一册"
(群众意见建议交办督办簿, 办理反馈簿, 代表活动记录簿, 学习培训记录簿, 会议记录簿), the
群众意见建议督办单 and the 代表履职档案.

Built with the helpers of make_templates.py (fonts by role, fixed tables, tags in runs of their
own) and registered there, so `python tools/make_templates.py handoff_register` writes one. A
register is bound like the 接待选民登记簿: a landscape cover with the station, the period and its
figures, then the register in a section of its own with the running head, page numbers from 1
and the header row repeated on every page. Column widths are those of each form's
template.html <colgroup> (make_templates.columns, read through the form's CSS), so a row wraps
where the PDF's does.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from docx.document import Document as DocxDocument
from docx.enum.text import WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml.ns import qn
from docx.shared import Twips
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from make_templates import (
    BLANK,
    ER,
    LANDSCAPE_WIDTH,
    PORTRAIT_WIDTH,
    SAN,
    SI,
    WU,
    XIAO_SI,
    add_row,
    add_run,
    add_text,
    add_title,
    cell_paragraph,
    columns,
    end_after_table,
    form_rows,
    label,
    names,
    new_document,
    new_paragraph,
    new_table,
    number_line,
    page_number_footer,
    register_header,
    restart_numbering,
    set_page,
    set_paragraph,
    span,
    underline_cell,
    value,
    w,
)

STATION_LINES = (
    ("地　　址", "站点.地址"),
    ("负 责 人", "站点.负责人"),
    ("联系电话", "站点.联系电话"),
)
Column = tuple[str, str, str]  # header, the cell's Jinja text, align
# columns of names (the HTML's td.names): kept whole in Word as in the PDF (make_templates.Names)
NAMED = {"参加代表", "主持人", "记录人", "参会人员"}


# ── a register: cover, then the table ───────────────────────────────────────────────────────


def book_cover(
    doc: DocxDocument, caption: str, figures: Sequence[tuple[str, str]], width: int
) -> None:
    """The station, the book's title and period, the station's lines, and the figures: a row of
    labels over a row of values (as the register CSS's .cover)."""
    add_title(doc, "{{ 联络站 }}", ER, after=360).paragraph_format.space_before = Twips(567)
    big = new_paragraph(doc, style="Title", align="center", after=360)
    add_text(big, "{{ 表单名称 }}", "title", 36, spacing=160)
    period = new_paragraph(doc, align="center", after=480)
    add_text(period, "（{{ 期间 }}）", "kai", SAN)
    station_lines(doc)
    head = new_paragraph(doc, align="center", before=480, after=120)
    add_text(head, caption, "label", SI)
    table = new_table(doc, [width // len(figures)] * len(figures))
    heads, values = add_row(table, 567), add_row(table, 680)
    for i, (name, expr) in enumerate(figures):
        label(heads.cells[i], name)
        value(values.cells[i], f"{{{{ {expr} }}}}", SI, align="center")


def station_lines(doc: DocxDocument) -> None:
    """The station's address, manager and phone: a line each when present."""
    table = new_table(doc, (2000, 6000), borders=False, margins=(85, 113), line_height=1.5)
    for name, expr in STATION_LINES:
        value(add_row(table).cells[0], f"{{%tr if {expr} %}}")
        row = add_row(table, 560)
        name_par = cell_paragraph(row.cells[0], "right", style="TableLabel")
        add_text(name_par, name + "：", "label", SI)
        value(row.cells[1], f"{{{{ {expr} }}}}", SI)
        underline_cell(row.cells[1])
        value(add_row(table).cells[0], "{%tr endif %}")


def kinds_line(doc: DocxDocument) -> None:
    """其中：走访选民40次，视察5次……, under the figures (as .kinds)."""
    add_run(new_paragraph(doc), "{%p if 分类 %}")
    par = new_paragraph(doc, align="center", before=170, line=1.6)
    par.paragraph_format.left_indent = par.paragraph_format.right_indent = Twips(1134)
    add_text(
        par,
        "其中：{% for k in 分类 %}{{ k.类型 }}{{ k.次数 }}次{% if not loop.last %}，{% endif %}"
        "{% endfor %}",
        "kai",
        XIAO_SI,
    )
    add_run(new_paragraph(doc), "{%p endif %}")


def register_section(doc: DocxDocument) -> None:
    """The register's own section: landscape, the running head, page numbers from 1."""
    section = doc.add_section()
    set_page(section, landscape=True)
    restart_numbering(section)
    register_header(section)
    page_number_footer(section)
    anchor = new_paragraph(doc, exact=40)  # LibreOffice hangs the new page style on a paragraph
    add_run(anchor, "", size=2)


def register_table(
    doc: DocxDocument,
    form_id: str,
    cols: Sequence[Column],
    loop: str = "记录",
    group: str = "",
    table_index: int = 0,
) -> Table:
    """The header row repeated on every page, then a row per item of `loop`; with `group`, an
    item whose 组 is true is a heading row across the table reading `group`. The widths are
    those of the form's `table_index`-th <colgroup>."""
    widths = columns(form_id, table_index, width=LANDSCAPE_WIDTH)
    assert len(widths) == len(cols), f"{form_id}: {len(cols)} columns, the HTML has {len(widths)}"
    # as table.register: th 9 mm high, 0.5 mm at the sides; td 1.2 mm × 1 mm, height auto
    table = new_table(doc, widths, margins=(68, 57), line_height=1.35, label_padding=28)
    heads = add_row(table, 510, header=True, cant_split=True)
    for cell, (name, *_) in zip(heads.cells, cols, strict=True):
        label(cell, name, 10)
    value(add_row(table).cells[0], f"{{%tr for r in {loop} %}}", WU)
    if group:
        value(add_row(table).cells[0], "{%tr if r.组 %}", WU)
        heading = span(add_row(table, cant_split=True), 0, len(cols) - 1)
        shade(heading)
        par = set_paragraph(cell_paragraph(heading), align="left", style="TableLabel")
        add_text(par, group, "label", 10)
        _exact(par, 10)
        bookmark(par, "{{ r.锚 }}", "{{ r.锚号 }}", when="r.锚", size=10)
        # with its first matter, as tr.group's break-after: avoid (else a page may end on it)
        par.paragraph_format.keep_with_next = True
        value(add_row(table).cells[0], "{%tr else %}", WU)
    row = add_row(table, cant_split=True)  # as tall as its text (td height auto), on one page
    for cell, (name, text, align) in zip(row.cells, cols, strict=True):
        value(cell, text, 10, align=align, names=name in NAMED)
    if not group:  # the first row of a month: where the 目录 points
        first = row.cells[0].paragraphs[-1]
        bookmark(first, "{{ r.锚 }}", "{{ r.锚号 }}", when="r.锚", size=10)
    if group:
        value(add_row(table).cells[0], "{%tr endif %}", WU)
    value(add_row(table).cells[0], "{%tr endfor %}", WU)
    return table


def _exact(par: Paragraph, size: float) -> None:
    set_paragraph(par, align="left", exact=round(size * 1.35 * 20))


def shade(cell: _Cell, fill: str = "EEEEEE") -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    tc_pr.append(w(f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>'))


def if_empty(doc: DocxDocument, loop: str, text: str) -> None:
    """“本期没有……” under an empty table (as .none); no paragraph at all otherwise."""
    add_run(new_paragraph(doc), f"{{%p if not {loop} %}}")
    none = new_paragraph(doc, align="center", before=567)
    add_text(none, text, "body", XIAO_SI)
    add_run(new_paragraph(doc), "{%p endif %}")


def book(
    form_id: str,
    title: str,
    caption: str,
    figures: Sequence[tuple[str, str]],
    cols: Sequence[Column],
    empty: str,
    *,
    kinds: bool = False,
    figures_width: int = 8000,
) -> DocxDocument:
    doc = new_document(title, landscape=True)
    book_cover(doc, caption, figures, figures_width)
    if kinds:
        kinds_line(doc)
    register_contents(doc)
    register_section(doc)
    register_table(doc, form_id, cols)
    if_empty(doc, "记录", empty)
    end_after_table(doc)
    return doc


# ── the five registers ───────────────────────────────────────────────────────────────────────

MATTER_FIGURES = (
    ("交办件数", "统计.交办件数"),
    ("按期办结", "统计.按期办结"),
    ("逾期办结", "统计.逾期办结"),
    ("正在办理", "统计.正在办理"),
    ("逾期未办结", "统计.逾期未办结"),
)
HANDOFF_COLUMNS: tuple[Column, ...] = (
    ("序号", "{{ r.序号 }}", "center"),
    ("登记编号", "{{ r.登记编号 }}", "center"),
    ("接待日期", "{{ r.接待日期 }}", "center"),
    ("反映内容", "{{ r.反映内容 }}", "left"),
    ("处理方式", "{{ r.处理方式 }}", "left"),
    ("办理时限", "{{ r.办理时限 }}", "center"),
    ("办理结果", "{{ r.办理结果 }}", "left"),
    ("反馈日期", "{{ r.反馈日期 }}", "center"),
    ("办理状态", "{{ r.状态 }}", "center"),
    ("超期天数", "{% if r.超期天数 %}{{ r.超期天数 }}天{% endif %}", "center"),
)


def handoff_register() -> DocxDocument:
    """群众意见建议交办督办簿: the cover, the units' totals on a page of their own, then every
    matter handed on, grouped by 承办单位 under a heading row with the unit's totals."""
    doc = new_document("群众意见建议交办督办簿", landscape=True)
    book_cover(doc, "办理情况（截至{{ 统计日期 }}）", MATTER_FIGURES, 8000)
    register_contents(doc)
    register_section(doc)
    heading = new_paragraph(doc, align="center", after=20)
    add_run(heading, "各承办单位办理情况", "label", SAN)
    note = new_paragraph(doc, align="center", after=113)
    add_text(note, "截至{{ 统计日期 }}，单位：件", "kai", WU)
    units_table(doc)
    page_break(doc)
    group = "承办单位：{{ r.承办单位 }}　{{ r.合计 }}"
    register_table(
        doc, "handoff_register", HANDOFF_COLUMNS, loop="分组", group=group, table_index=1
    )
    if_empty(doc, "分组", "本期没有交办事项。")
    end_after_table(doc)
    return doc


def units_table(doc: DocxDocument) -> None:
    widths = columns("handoff_register", 0, width=LANDSCAPE_WIDTH)  # 序号 承办单位 the figures
    table = new_table(doc, widths, margins=(57, 85))
    heads = add_row(table, 510, header=True, cant_split=True)
    names = ("序号", "承办单位", *(f[0] for f in MATTER_FIGURES))
    for cell, name in zip(heads.cells, names, strict=True):
        label(cell, name, 11)
    value(add_row(table).cells[0], "{%tr for u in 单位 %}", WU)
    row = add_row(table, 454, cant_split=True)
    value(row.cells[0], "{{ u.序号 }}", 11, align="center")
    value(row.cells[1], "{{ u.承办单位 }}", 11)
    for cell, (_, expr) in zip(row.cells[2:], MATTER_FIGURES, strict=True):
        value(cell, "{{ u." + expr.split(".")[1] + " }}", 11, align="center")
    value(add_row(table).cells[0], "{%tr endfor %}", WU)
    total = add_row(table, 454, cant_split=True)
    label(span(total, 0, 1), "合　　计", 11)
    for cell, (_, expr) in zip(total.cells[2:], MATTER_FIGURES, strict=True):
        value(cell, f"{{{{ {expr} }}}}", 11, align="center")


def page_break(doc: DocxDocument) -> None:
    par = new_paragraph(doc, exact=40)
    add_run(par, "", size=2)
    par.runs[-1].add_break(WD_BREAK.PAGE)


FEEDBACK_COLUMNS: tuple[Column, ...] = (
    ("序号", "{{ r.序号 }}", "center"),
    ("登记编号", "{{ r.登记编号 }}", "center"),
    ("接待日期", "{{ r.接待日期 }}", "center"),
    ("反映内容", "{{ r.反映内容 }}", "left"),
    ("承办单位", "{{ r.承办单位 }}", "left"),
    ("办理结果", "{{ r.办理结果 }}", "left"),
    (
        "反馈日期",
        "{{ r.反馈日期 }}\n"
        "{% if r.状态 == '办结逾期' %}超期{{ r.超期天数 }}天{% else %}按期{% endif %}",
        "center",
    ),
    (
        "回访日期",
        "{{ r.回访日期 }}{% if r.回访方式 %}\n{{ r.回访方式 }}{% endif %}",
        "center",
    ),
    ("回访情况", "{{ r.回访情况 }}", "left"),
    ("满意度", "{{ r.群众满意度 }}", "center"),
)


def feedback_register() -> DocxDocument:
    figures = [
        (name, f"统计.{name}")
        for name in ("办结件数", "按期办结", "逾期办结", "回访件数", "满意", "基本满意", "不满意")
    ]
    return book(
        "feedback_register",
        "办理反馈簿",
        "办结和回访情况（截至{{ 统计日期 }}）",
        figures,
        FEEDBACK_COLUMNS,
        "本期没有办结的交办事项。",
        figures_width=11112,  # 196 mm, as its table.figures
    )


def _activity_columns(kind: str) -> tuple[Column, ...]:
    """The columns of table.register of the activity and training registers (their widths are
    each form's own: training_register's kind column is wider, for 学习培训活动)."""
    return (
        ("序号", "{{ r.序号 }}", "center"),
        ("日期", "{{ r.日期 }}", "center"),
        (kind, "{{ r.形式 }}", "center"),
        ("主题", "{{ r.活动主题 }}", "left"),
        ("地点", "{{ r.地点 }}", "left"),
        ("组织单位", "{{ r.组织单位 }}", "left"),
        ("参加代表", "{{ r.参加情况 }}", "left"),
        ("备注", "{{ r.备注 }}", "left"),
    )


ACTIVITY_FIGURES = (("活动次数", "统计.活动次数"), ("参加人次", "统计.参加人次"))


def activity_register() -> DocxDocument:
    return book(
        "activity_register",
        "代表活动记录簿",
        "本期活动情况",
        ACTIVITY_FIGURES,
        _activity_columns("活动类型"),
        "本期没有本站代表参加的履职活动。",
        kinds=True,
        figures_width=4536,
    )


def training_register() -> DocxDocument:
    return book(
        "training_register",
        "学习培训记录簿",
        "本期学习培训情况",
        ACTIVITY_FIGURES,
        _activity_columns("形式"),
        "本期没有学习培训记录。",
        kinds=True,
        figures_width=4536,
    )


MEETING_COLUMNS: tuple[Column, ...] = (
    ("序号", "{{ r.序号 }}", "center"),
    ("日期", "{{ r.日期 }}{% if r.开始时间 %}\n{{ r.开始时间 }}{% endif %}", "center"),
    ("会议名称", "{{ r.会议名称 }}", "left"),
    ("会议类型", "{{ r.会议类型 }}", "center"),
    ("地点", "{{ r.地点 }}", "left"),
    ("主持人", "{{ r.主持人 }}", "center"),
    ("记录人", "{{ r.记录人 }}", "center"),
    ("参会人员", "应到{{ r.应到人数 }}人：{{ r.参会代表 }}", "left"),
    ("会议记录编号", "{{ r.会议编号 }}", "center"),
)


def meeting_register() -> DocxDocument:
    doc = new_document("会议记录簿", landscape=True)
    book_cover(
        doc, "本期会议情况", (("会议次数", "统计.会议次数"), ("应到人次", "统计.应到人次")), 4536
    )
    kinds_line(doc)
    register_contents(doc)
    register_section(doc)
    register_table(doc, "meeting_register", MEETING_COLUMNS)
    if_empty(doc, "记录", "本期没有会议记录。")
    end_after_table(doc)
    return doc


# ── 群众意见建议督办单 ─────────────────────────────────────────────────────────────────────────


def supervision_notice() -> DocxDocument:
    """One A4 portrait page to the 承办单位: a letter, the matter, the dates, the contact."""
    doc = new_document("群众意见建议督办单")
    page_number_footer(doc.sections[0])
    add_title(doc, "{{ 表单名称 }}")
    number_line(doc)
    to = new_paragraph(doc, before=170, after=57, exact=420)  # 14pt × 1.5 (.to)
    add_text(to, "{{ 承办单位 }}：", "body", SI)
    body = new_paragraph(doc, after=227, exact=476, indent_chars=2)  # 14pt × 1.7 (.body)
    body.paragraph_format.first_line_indent = Twips(2 * SI * 20)
    add_text(
        body,
        "{{ 交办日期 }}交你单位办理的群众意见建议，办理时限为{{ 办理时限 }}，截至{{ 督办日期 }}"
        "已超过办理时限{{ 超期天数 }}天，仍未办结。请抓紧办理，并于{{ 答复期限 }}前将办理情况"
        "书面反馈{{ 督办单位 }}。",
        "body",
        SI,
    )
    table = new_table(doc, columns("supervision_notice"))
    form_rows(
        table,
        [
            ("联 络 站", "{{ 联络站 }}", 567),
            ("接待日期", "{{ 接待日期 }}", "接待代表", names("{{ 接待代表 }}")),
            ("问题类别", "{{ 问题类别 }}", "处理方式", "{{ 处理方式 }}"),
        ],
    )
    value(add_row(table).cells[0], "{%tr if 印来访人 %}")
    form_rows(table, [("来 访 人", names("{{ 来访人 }}"), "联系电话", "{{ 来访人电话 }}")])
    form_rows(table, [("住　　址", "{{ 住址 }}", 567)])
    value(add_row(table).cells[0], "{%tr endif %}")
    form_rows(
        table,
        [
            ("反映内容", "{{ 反映内容 }}", 2835),
            ("办理时限", "{{ 办理时限 }}", "超期天数", "{{ 超期天数 }}天"),
            ("答复期限", "{{ 答复期限 }}前（{{ 答复天数 }}）", 567),
            ("联 系 人", names("{{ 联系人 }}"), "联系电话", "{{ 联系电话 }}"),
        ],
    )
    note = new_paragraph(doc, before=283, exact=432, indent_chars=2, style="Note")  # .note
    add_text(
        note,
        "请承办单位于{{ 答复期限 }}前将办理情况及结果书面反馈至{{ 督办单位 }}，并填写"
        "《群众意见建议办理反馈单》一并报送；确有困难不能按期办结的，请说明原因和预计办结时间。",
        "kai",
    )
    stamp = new_paragraph(doc, align="right", before=680, exact=480)  # 12pt × 2 (.stamp)
    add_text(stamp, "{{ 督办单位 }}（盖章）" + BLANK * 2)
    date = new_paragraph(doc, align="right", exact=480)
    add_text(date, "{{ 督办日期 }}" + BLANK * 2)
    return doc


# ── 代表履职档案 ─────────────────────────────────────────────────────────────────────────────

# the lists' <colgroup>s in deputy_file/template.html, in order after 基本情况 and 履职统计
LIST_TABLES = {"接待": 2, "活动": 3, "会议": 4, "建议": 5, "积分": 6, "述职": 7}


def deputy_file() -> DocxDocument:
    """A cover and a contents page (unnumbered), then the eight parts, numbered from 1."""
    doc = new_document("代表履职档案")
    file_cover(doc)
    contents(doc)
    section = doc.add_section()
    set_page(section, landscape=False)
    restart_numbering(section)
    section.header.is_linked_to_previous = False
    head = set_paragraph(section.header.paragraphs[0], align="right", style="Header")
    add_text(head, "{{ 姓名 }}　{{ 表单名称 }}（{{ 期间 }}）", "kai", WU)
    page_number_footer(section)
    anchor = new_paragraph(doc, exact=40)
    add_run(anchor, "", size=2)
    part_heading(doc, 1, "一、基本情况", first=True)
    person = new_table(doc, columns("deputy_file", 0))
    for pair in (
        ("姓　　名", "{{ 代表.姓名 }}", "性　　别", "{{ 代表.性别 }}"),
        ("代表层级", "{{ 代表.代表层级 }}", "代表证号", "{{ 代表.代表证号 }}"),
    ):
        row = add_row(person, 510)  # 9 mm, as table.person td
        for i, text in enumerate(pair):
            if i % 2 == 0:
                label(row.cells[i], text)
            else:
                value(row.cells[i], text, names=text == "{{ 代表.姓名 }}")
    form_rows(
        person,
        [
            ("选区或代表团", "{{ 代表.选区或代表团 }}", 510),
            ("工作单位及职务", "{{ 代表.工作单位及职务 }}", 510),
            ("所属联络站", "{{ 联络站 }}", 510),
        ],
    )
    part_heading(doc, 2, "二、履职统计")
    figures = new_table(doc, columns("deputy_file", 1))
    value(add_row(figures).cells[0], "{%tr for row in 统计项 %}")
    row = add_row(figures, 510, cant_split=True)
    for i in range(3):
        label(row.cells[2 * i], f"{{{{ row[{i}].名称 }}}}")
        value(row.cells[2 * i + 1], f"{{{{ row[{i}].数 }}}}", align="center")
    value(add_row(figures).cells[0], "{%tr endfor %}")
    file_list(
        doc, 3, "三、进站接待", "接待",
        ("序号", "日期", "联络站", "反映内容", "处理方式", "办理情况"),
        ("{{ r.序号 }}", "{{ r.日期 }}",
         "{% if r.联络站 == 联络站 %}本站{% else %}{{ r.联络站 }}{% endif %}",
         "{{ r.反映内容 }}", "{{ r.处理方式 }}", "{{ r.办理情况 }}"),
        "ccclll",
        "本期没有进站接待选民的记录。",
    )  # fmt: skip
    file_list(
        doc, 4, "四、履职活动", "活动",
        ("序号", "日期", "活动类型", "活动主题", "地点"),
        ("{{ r.序号 }}", "{{ r.日期 }}", "{{ r.活动类型 }}", "{{ r.活动主题 }}", "{{ r.地点 }}"),
        "cccll",
        "本期没有参加履职活动的记录。",
    )  # fmt: skip
    file_list(
        doc, 5, "五、参加会议", "会议",
        ("序号", "日期", "会议名称", "会议类型", "联络站或主办单位"),
        ("{{ r.序号 }}", "{{ r.日期 }}", "{{ r.会议名称 }}", "{{ r.会议类型 }}", "{{ r.联络站 }}"),
        "cclcl",
        "本期没有应参加的会议。",
    )  # fmt: skip
    file_list(
        doc, 6, "六、建议议案", "建议",
        ("序号", "日期", "编号", "标题", "角色", "办理情况"),
        ("{{ r.序号 }}", "{{ r.日期 }}", "{{ r.编号 }}", "{{ r.标题 }}",
         "{{ r.角色 }}{{ r.类别 }}", "{{ r.办理情况 }}"),
        "ccclcl",
        "本期没有领衔或附议建议、议案。",
    )  # fmt: skip
    scores = file_list(
        doc, 7, "七、履职积分", "积分",
        ("年度", "总分", "等次", "名次（共计人数）", "站内名次", "五星"),
        ("{{ r.年度 }}", "{{ r.总分 }}", "{{ r.等次 }}", "{{ r.名次 }}", "{{ r.站内名次 }}",
         "{{ r.五星 }}"),
        "cccccc",
        "本期没有计分的记录。",
        close=False,
    )  # fmt: skip
    value(add_row(scores).cells[0], "{%tr if 任期 %}", WU)
    total = add_row(scores, cant_split=True)
    label(total.cells[0], "任期累计积分", 10)
    value(total.cells[1], "{{ 任期累计积分 }}", 10, align="center")
    value(total.cells[2], "", 10)
    value(total.cells[3], "{{ 任期名次 }}", 10, align="center")
    value(total.cells[4], "{{ 任期站内名次 }}", 10, align="center")
    value(total.cells[5], "", 10)
    value(add_row(scores).cells[0], "{%tr endif %}", WU)
    list_end(doc, "本期没有计分的记录。")
    file_list(
        doc, 8, "八、述职评议", "述职",
        ("序号", "日期", "会议", "有效票", "满意", "基本满意", "不满意", "满意及基本满意", "等次"),
        ("{{ r.序号 }}", "{{ r.日期 }}", "{{ r.会议 }}", "{{ r.有效票数 }}", "{{ r.满意 }}",
         "{{ r.基本满意 }}", "{{ r.不满意 }}", "{{ r.满意及基本满意率 }}", "{{ r.等次 }}"),
        "cclcccccc",
        "本期没有述职评议的记录。",
        last=True,
    )  # fmt: skip
    return doc


def file_cover(doc: DocxDocument) -> None:
    """As .cover: the title 40 mm down, the period, the deputy's lines, the station at the foot."""
    big = new_paragraph(doc, style="Title", align="center", before=2268, after=283)
    add_text(big, "{{ 表单名称 }}", "title", 36, spacing=160)
    period = new_paragraph(doc, align="center", after=1701)
    add_text(period, "（{{ 期间 }}）", "kai", SAN)
    table = new_table(doc, (2268, 4819), borders=False, margins=(142, 113), line_height=1.5)
    for name, expr in (
        ("姓　　名", "姓名"),
        ("代表层级", "代表.代表层级"),
        ("选区或代表团", "代表.选区或代表团"),
        ("所属联络站", "联络站"),
    ):
        row = add_row(table)
        par = cell_paragraph(row.cells[0], "right", style="TableLabel")
        add_text(par, name + "：", "label", 15)
        set_paragraph(par, align="right", exact=450)
        value(row.cells[1], f"{{{{ {expr} }}}}", 15, names=expr == "姓名")
        underline_cell(row.cells[1])
    foot = new_paragraph(doc, align="center", before=2835, line=1.8)
    add_text(foot, "{{ 联络站 }}　建档", "kai", SI)
    line = new_paragraph(doc, align="center", line=1.8)
    add_text(line, "统计截至{{ 统计日期 }}", "kai", SI)
    line.runs[-1].add_break(WD_BREAK.PAGE)


FILE_ENTRY = "{{ s.序号 }}{{ s.标题 }}{% if s.条数 %}（{{ s.条数 }}）{% endif %}"
REGISTER_ENTRY = "{{ s.标题 }}（{{ s.条数 }}）"  # a unit or a month of a register, and its count


def contents(
    doc: DocxDocument, text: str = FILE_ENTRY, width: int = PORTRAIT_WIDTH, new_page: bool = False
) -> None:
    """目录 (base.css .contents): each entry of 目录 and its page, by a PAGEREF field to the
    bookmark its 锚 names; `new_page`: on a page of its own (after a cover that does not end
    with a break)."""
    title = new_paragraph(doc, align="center", before=567, after=567)
    if new_page:
        title.paragraph_format.page_break_before = True
    add_run(title, "目　　录", "label", 18)
    add_run(new_paragraph(doc), "{%p for s in 目录 %}")
    entry = new_paragraph(doc, exact=672)  # 14pt at line-height 2.4
    # 15 mm in from either side (as .contents .entry); Word measures tabs from the margin
    entry.paragraph_format.left_indent = entry.paragraph_format.right_indent = Twips(850)
    stops = entry.paragraph_format.tab_stops
    stops.add_tab_stop(Twips(width - 850), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
    add_text(entry, text, "body", SI)
    add_run(entry, "\t", "body", SI)
    page_ref(entry, "{{ s.锚 }}")
    add_run(new_paragraph(doc), "{%p endfor %}")


def register_contents(doc: DocxDocument) -> None:
    """A long register's 目录 (derive/books.py TOC_ROWS) on the page after the cover, in the
    cover's unnumbered section: its units or months, each at the page its first row is on."""
    add_run(new_paragraph(doc), "{%p if 目录 %}")
    contents(doc, REGISTER_ENTRY, LANDSCAPE_WIDTH, new_page=True)
    add_run(new_paragraph(doc), "{%p endif %}")


def bookmark(par: Paragraph, name: str, number: str, when: str = "", size: float = SI) -> None:
    """A bookmark `name` (id `number`; Jinja text allowed) around `par`'s text: where a 目录
    entry's PAGEREF points. With `when`, only where that Jinja expression is true (a row of a
    register that starts a group)."""
    body = [child for child in par._p if child.tag != qn("w:pPr")]

    def tagged(xml: str) -> list[Any]:
        if not when:
            return [w(xml)]
        add_run(par, f"{{% if {when} %}}", "body", size)
        add_run(par, "{% endif %}", "body", size)
        return [par.runs[-2]._r, w(xml), par.runs[-1]._r]

    start = tagged(f'<w:bookmarkStart w:id="{number}" w:name="{name}"/>')
    end = tagged(f'<w:bookmarkEnd w:id="{number}"/>')
    for child in body + start + end:
        if child.getparent() is not None:
            par._p.remove(child)
    for child in start + body + end:
        par._p.append(child)


def page_ref(par: Paragraph, bookmark: str) -> None:
    """The page of `bookmark`: a PAGEREF field marked dirty, so Word works it out on opening and
    LibreOffice on laying out; the 1 stands in until then."""
    for xml in (
        '<w:fldChar w:fldCharType="begin" w:dirty="true"/>',
        f'<w:instrText xml:space="preserve"> PAGEREF {bookmark} \\h </w:instrText>',
        '<w:fldChar w:fldCharType="separate"/>',
        "<w:t>1</w:t>",
        '<w:fldChar w:fldCharType="end"/>',
    ):
        add_run(par, "", "body", SI)
        par.runs[-1]._r.append(w(xml))


def part_heading(doc: DocxDocument, number: int, text: str, first: bool = False) -> None:
    """A part's heading (黑体 四号, kept with its table), holding the bookmark 目录 points to."""
    par = new_paragraph(doc, before=0 if first else 340, after=142, exact=420)  # 14pt × 1.5
    par.paragraph_format.keep_with_next = True
    add_run(par, text, "label", SI)
    bookmark(par, f"s{number}", str(number))


def file_list(
    doc: DocxDocument,
    number: int,
    heading: str,
    loop: str,
    heads: Sequence[str],
    cells: Sequence[str],
    aligns: str,
    empty: str,
    close: bool = True,
    last: bool = False,
) -> Table:
    """A part: its heading, then its table (header repeated, a row per item) when the list has
    items, else a line saying there are none."""
    part_heading(doc, number, heading)
    add_run(new_paragraph(doc), f"{{%p if {loop} %}}")
    widths = columns("deputy_file", LIST_TABLES[loop])
    assert len(widths) == len(heads), f"deputy_file {loop}: {len(heads)} heads, {len(widths)} cols"
    # as table.list: th 8 mm high, 0.5 mm at the sides; td 1.2 mm × 1 mm
    table = new_table(doc, widths, margins=(68, 57), line_height=1.35, label_padding=28)
    top = add_row(table, 454, header=True, cant_split=True)
    for cell, name in zip(top.cells, heads, strict=True):
        label(cell, name, 10)
    value(add_row(table).cells[0], f"{{%tr for r in {loop} %}}", WU)
    row = add_row(table, cant_split=True)
    for cell, text, align in zip(row.cells, cells, aligns, strict=True):
        value(cell, text, 10, align="center" if align == "c" else "left")
    value(add_row(table).cells[0], "{%tr endfor %}", WU)
    if close:
        list_end(doc, empty, last)
    return table


def list_end(doc: DocxDocument, empty: str, last: bool = False) -> None:
    """The line under an empty part's heading; after the last part's table, the paragraph a
    Word body must end with goes in the branch with the table only (a body ending with that
    line needs none, and it would open a page of its own under a full one)."""
    if last:
        end_after_table(doc)
    add_run(new_paragraph(doc), "{%p else %}")
    none = new_paragraph(doc, before=113, exact=360, indent_chars=2)  # 12pt × 1.5 (.none)
    add_text(none, empty, "body", XIAO_SI)
    add_run(new_paragraph(doc), "{%p endif %}")


BUILDERS = {
    "supervision_notice": supervision_notice,
    "handoff_register": handoff_register,
    "feedback_register": feedback_register,
    "activity_register": activity_register,
    "training_register": training_register,
    "meeting_register": meeting_register,
    "deputy_file": deputy_file,
}
