"""Word templates of the statistics and plan families, registered in make_templates.py.

- station_stats: 联络站工作统计, the PDF's sections and tables; each chart is a picture whose
  alternative text names it (图表.按月 …). The picture in the template is a placeholder: the
  renderer (toolkit/render/docx.py) replaces it with the chart drawn at the picture's size at
  print resolution (toolkit/render/charts.py). A chart the document leaves out (nothing to plot)
  leaves out its paragraph.
- work_summary: 年度工作总结 in the GB/T 9704 layout (official_docx.py); the figures are
  sentences made by toolkit/derive/summary.py; what only people can write is a highlighted
  【待填写：……】 prompt.
- reception_notice: 接待选民日公告, one A4 page to post at the station.
"""

from __future__ import annotations

import struct
import zlib

from docx.document import Document as DocxDocument
from docx.shared import Emu
from docx.text.paragraph import Paragraph
from make_templates import (
    DATE_BLANK,
    ER,
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
    columns,
    label,
    new_document,
    new_paragraph,
    new_table,
    page_number_footer,
    set_paragraph,
    value,
    w,
)
from official_docx import (
    OFFICIAL_WIDTH,
    keep_with_next,
    new_official_document,
    official_blank_line,
    official_closing,
    official_heading,
    official_paragraph,
    official_table,
    official_title,
)

CHART_RATIO = 7 / 15  # height / width of a chart (render/charts.py WIDTH_CM × HEIGHT_CM)
EMU_PER_TWIP = 635


def placeholder_png(index: int) -> bytes:
    """A white PNG, index+1 pixels wide: each chart's placeholder differs, so python-docx keeps
    one picture part per chart (it shares parts of equal bytes) and each is replaced alone."""
    width, height = index + 1, 1

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    rows = b"".join(b"\x00" + b"\xff" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


class _Charts:
    def __init__(self) -> None:
        self.count = 0

    def add(self, doc: DocxDocument, name: str, width: int = round(PORTRAIT_WIDTH * 0.92)) -> None:
        """The chart `name` as a picture across `width` twips, in a paragraph of its own kept
        only when the document has the chart."""
        import io

        add_run(new_paragraph(doc), f"{{%p if 图表.{name} is defined %}}")
        par = new_paragraph(doc, align="center", before=62, after=119)  # 1.1 mm, 2.1 mm
        run = par.add_run()
        cx = width * EMU_PER_TWIP
        run.add_picture(
            io.BytesIO(placeholder_png(self.count)), Emu(cx), Emu(int(cx * CHART_RATIO))
        )
        self.count += 1
        for element in run._r.iter():
            if element.tag.endswith("}docPr"):
                element.set("name", f"图表 {self.count}")
                element.set("descr", f"图表.{name}")
        add_run(new_paragraph(doc), "{%p endif %}")


# Lines as tall as style.css makes them (its line-height times the type, spacing its margins in
# twips), so Word's pages break where the PDF's do: at Word's single spacing the CJK faces' lines
# differ from CSS's 1.5, and the all-stations document ran to 6 pages in Word, 7 in the PDF.
def _heading(doc: DocxDocument, text: str, level: int = 1) -> None:
    if level == 1:  # h2: 14pt × 1.5, margins 3.5 mm and 1.4 mm
        par = new_paragraph(doc, before=198, after=79, exact=420)
    else:  # h3: 12pt × 1.5, margins 1.8 mm and 1.4 mm
        par = new_paragraph(doc, before=102, after=79, exact=360)
    add_run(par, text, "label" if level == 1 else "kai", SI if level == 1 else XIAO_SI)
    par.paragraph_format.keep_with_next = True


# The <colgroup>s of forms/station_stats/template.html in document order (the shares macro at
# its head comes first): the Word tables take their columns from them (tools/html_columns.py).
SHARES, OVERVIEW, MONTHS, PARTICIPATION, DEPUTIES, ACTIVITIES, MEETINGS, PROPOSALS = range(8)
PROJECTS, RANKING, GAPS = range(8, 11)


def _table(
    doc: DocxDocument,
    heads: tuple[str, ...],
    cells: tuple[str, ...],
    colgroup: int,
    loop: str,
    width: int = PORTRAIT_WIDTH,
    centred: tuple[bool, ...] = (),
    empty: str = "",
    names: int = -1,
    whole: bool = False,
) -> None:
    """A table of a context list: a header row repeated on each page, one row per item; its
    columns are the `colgroup`-th of the HTML template's, across `width`; column `names` holds
    names (the HTML's td.names); `whole`: kept on one page (the CSS's break-inside: avoid)."""
    widths = columns("station_stats", colgroup, width)
    table = new_table(doc, widths, margins=(34, 85), line_height=1.3)
    row = add_row(table, 454, header=True, cant_split=True)
    for cell, head in zip(row.cells, heads, strict=True):
        label(cell, head, WU)
    value(add_row(table).cells[0], f"{{%tr for r in {loop} %}}", WU)
    row = add_row(table, 397, cant_split=True)
    for i, (cell, field) in enumerate(zip(row.cells, cells, strict=True)):
        middle = centred[i] if centred else i > 0
        value(cell, field, WU, align="center" if middle else "left", names=i == names)
    if whole:
        for cell in (*table.rows[0].cells, *row.cells):
            for par in cell.paragraphs:
                par.paragraph_format.keep_with_next = True
    value(add_row(table).cells[0], "{%tr endfor %}", WU)
    if empty:
        value(add_row(table).cells[0], f"{{%tr if not {loop} %}}", WU)
        row = add_row(table, 397, cant_split=True)
        merged = row.cells[0].merge(row.cells[-1])
        value(merged, empty, WU, align="center")
        value(add_row(table).cells[0], "{%tr endif %}", WU)
    new_paragraph(doc, exact=120)


def _text(doc: DocxDocument, text: str, role: str = "body", size: float = XIAO_SI) -> Paragraph:
    """A paragraph of style.css's p (line-height 1.5, 1.4 mm after), or .note (10.5pt, 2 mm)."""
    note = size != XIAO_SI
    par = new_paragraph(doc, after=113 if note else 79, exact=round(size * 30), indent_chars=2)
    add_text(par, text, role, size)
    return par


NARROW = round(PORTRAIT_WIDTH * 0.7)


def station_stats() -> DocxDocument:
    doc = new_document("联络站工作统计")
    page_number_footer(doc.sections[0])
    charts = _Charts()
    for text, after in (("{{ 联络站 }}", 0), ("{{ 表单名称 }}", 113)):  # 20pt × 1.3, 2 mm
        set_paragraph(add_title(doc, text, 20, after=after), after=after, exact=520)
    period = new_paragraph(doc, align="center", after=227, exact=360)  # 12pt × 1.5, 4 mm
    add_text(period, "（{{ 期间 }}：{{ 起止 }}）", "kai", XIAO_SI)
    _heading(doc, "一、总体情况")
    _table(
        doc,
        ("序号", "项目", "数值", "单位"),
        ("{{ r.序号 }}", "{{ r.项目 }}", "{{ r.数值 }}", "{{ r.单位 }}"),
        OVERVIEW,
        "总体",
        centred=(True, False, True, True),
    )
    _text(
        doc,
        "说明：交办事项的办理情况截至{{ 截至 }}；办结率 = 已办结 ÷ 交办件数，群众满意率 = "
        "（满意 + 基本满意）÷ 填有群众满意度的件数，代表进站率 = 参加接待的代表 ÷ 代表人数。"
        "各项口径见 Excel 版“总体情况”表。",
        "kai",
        WU,
    )
    _heading(doc, "二、各月接待选民情况")
    month_fields = ("月份", "接待日数", "接待人次", "收集意见", "按期办结", "逾期办结")
    _table(
        doc,
        (
            "月份",
            "接待日数（天）",
            "接待人次",
            "收集意见（件）",
            "按期办结",
            "逾期办结",
            "正在办理",
            "逾期\n未办结",
        ),
        tuple(f"{{{{ r.{f} }}}}" for f in (*month_fields, "正在办理", "逾期未办结")),
        MONTHS,
        "按月",
        centred=(True,) * 8,
        whole=True,
    )
    charts.add(doc, "按月")
    charts.add(doc, "办理情况")
    _heading(doc, "三、意见建议的类别和处理")
    for title, loop, key, head in (
        ("（一）问题类别", "问题类别", "类别", "问题类别"),
        ("（二）处理方式", "处理方式", "处理方式", "处理方式"),
        ("（三）交办事项办理情况", "办理情况", "状态", "办理情况"),
    ):
        _heading(doc, title, 2)
        _table(
            doc,
            (head, "件数", "占比"),
            (f"{{{{ r.{key} }}}}", "{{ r.件数 }}", "{{ r.占比 }}"),
            SHARES,
            loop,
            width=NARROW,
            empty="（无）",
        )
        if loop == "问题类别":
            charts.add(doc, "问题类别")
    _heading(doc, "四、代表进站接待")
    _text(
        doc,
        "代表 {{ 数字.代表人数 }} 人，参加接待 {{ 数字.接待代表 }} 人，"
        "代表进站率 {{ 数字.进站率 }}。",
    )
    _table(
        doc,
        ("接待次数", "代表人数"),
        ("{{ r.接待次数 }}", "{{ r.代表人数 }}"),
        PARTICIPATION,
        "代表参与",
        width=NARROW,
        centred=(True, True),
    )
    charts.add(doc, "代表参与")
    add_run(new_paragraph(doc), "{%p if 代表 %}")
    _table(
        doc,
        ("序号", "姓名", "代表层级", "接待天数", "接待人次", "收集意见"),
        tuple(
            f"{{{{ r.{f} }}}}"
            for f in ("序号", "姓名", "代表层级", "接待天数", "接待人次", "收集意见")
        ),
        DEPUTIES,
        "代表",
        centred=(True,) * 6,
        names=1,
    )
    add_run(new_paragraph(doc), "{%p endif %}")
    _heading(doc, "五、履职活动和会议")
    for head, loop, colgroup in (("活动类型", "活动", ACTIVITIES), ("会议类型", "会议", MEETINGS)):
        _table(
            doc,
            (head, "次数"),
            ("{{ r.类型 }}", "{{ r.次数 }}"),
            colgroup,
            loop,
            width=NARROW,
            empty="（无）",
        )
    _heading(doc, "六、代表建议和民生实事")
    _table(
        doc,
        ("代表建议、议案", "件数"),
        ("{{ r.项目 }}", "{{ r.件数 }}"),
        PROPOSALS,
        "建议",
        width=NARROW,
    )
    _text(
        doc,
        "代表对办理的满意率 {{ 数字.建议满意率 }}；票决民生实事项目 {{ 数字.票决项目 }} 个，"
        "通过 {{ 数字.通过项目 }} 个。",
    )
    add_run(new_paragraph(doc), "{%p if 民生实事 %}")
    _table(
        doc,
        ("序号", "项目名称", "票决会议", "赞成票", "应到", "结果"),
        tuple(f"{{{{ r.{f} }}}}" for f in ("序号", "项目名称", "会议", "赞成", "应到", "结果")),
        PROJECTS,
        "民生实事",
        centred=(True, False, False, True, True, True),
    )
    add_run(new_paragraph(doc), "{%p endif %}")
    add_run(new_paragraph(doc), "{%p if 全部 %}")
    _heading(doc, "七、各联络站排名")
    _text(doc, "共 {{ 站数 }} 个联络站，按接待人次排列；括号内为该项名次，相同的并列。")
    ranked = ("接待人次", "收集意见", "办结率", "满意率", "进站率")
    _table(
        doc,
        ("序号", "联络站", "接待\n日数", *ranked),
        (
            "{{ r.序号 }}",
            "{{ r.联络站 }}",
            "{{ r.接待日数 }}",
            *(f"{{{{ r.{k} }}}}（{{{{ r.{k}名次 }}}}）" for k in ranked),
        ),
        RANKING,
        "排名",
        centred=(True, False, True, True, True, True, True, True),
    )
    charts.add(doc, "站点")
    _heading(doc, "（一）有月份没有接待的联络站", 2)
    add_run(new_paragraph(doc), "{%p if 无接待 %}")
    _table(
        doc,
        ("联络站", "没有接待选民日的月份"),
        ("{{ r.联络站 }}", "{{ r.无接待月份 }}"),
        GAPS,
        "无接待",
        centred=(False, False),
    )
    add_run(new_paragraph(doc), "{%p else %}")
    # The last words before the 统计日期 stay on its page (style.css: .sign break-before: avoid).
    _text(doc, "各联络站每月都有接待选民日。").paragraph_format.keep_with_next = True
    add_run(new_paragraph(doc), "{%p endif %}")
    add_run(new_paragraph(doc), "{%p endif %}")
    sign = new_paragraph(doc, align="right", before=340, exact=480)  # .sign: 6 mm, line 2
    add_text(sign, "统计日期：{{ 截至 }}")
    return doc


# ── 年度工作总结 and 接待选民日公告 (GB/T 9704) ──────────────────────────────────────────────────


def _tag(doc: DocxDocument, tag: str) -> None:
    """A paragraph holding only a {%p %} tag (docxtpl drops the paragraph itself)."""
    official_paragraph(doc, tag, indent=False)


# pPr children that come after w:shd in the schema's order
_AFTER_SHADING = {
    "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap", "overflowPunct", "topLinePunct",
    "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind",
    "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
    "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr",
    "pPrChange",
}  # fmt: skip


def _prompt(doc: DocxDocument, expr: str) -> None:
    """A 【待填写：……】 prompt in 楷体 on a grey paragraph, so it cannot pass for written text:
    as the PDF's (style.css: background #eee, an outline that takes no room). Shading the
    paragraph, not highlighting the text, gives Word the PDF's box from margin to margin."""
    par = official_paragraph(doc, "", role="kai")
    add_run(par, f"{{{{ {expr} }}}}", "kai", SAN)
    ppr = par._p.get_or_add_pPr()
    shading = w('<w:shd w:val="clear" w:color="auto" w:fill="EEEEEE"/>')
    later = [c for c in ppr if c.tag.rsplit("}", 1)[-1] in _AFTER_SHADING]
    if later:
        later[0].addprevious(shading)
    else:
        ppr.append(shading)


FIGURE_COLUMNS = ("序号", "项目", "数值")


def work_summary() -> DocxDocument:
    doc = new_official_document("年度工作总结")
    title = official_title(doc, "{{ 标题行[0] }}")
    title.add_run().add_break()
    add_text(title, "{{ 标题行[1] }}", "title", ER)
    official_paragraph(doc, "{{ 段落.开头 }}")
    official_heading(doc, "一、主要工作和成效", 1)
    for heading, part in (
        ("（一）接待选民", "接待"),
        ("（二）交办督办", "交办"),
        ("（三）代表履职", "履职"),
        ("（四）代表建议议案", "建议"),
        ("（五）民生实事", "民生"),
    ):
        official_heading(doc, heading, 2)
        official_paragraph(doc, f"{{{{ 段落.{part} }}}}")
    _tag(doc, "{%p for p in 民生实事 %}")
    official_paragraph(doc, "{{ p.序号 }}.{{ p.项目名称 }}（{{ p.结果 }}）")
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p if 民生实事 %}")
    _prompt(doc, "提示.民生成效")
    _tag(doc, "{%p endif %}")
    official_heading(doc, "（六）主要数字", 2)
    table = official_table(doc, columns("work_summary", width=OFFICIAL_WIDTH))
    heads = add_row(table, header=True, cant_split=True)
    for cell, name in zip(heads.cells, FIGURE_COLUMNS, strict=True):
        label(cell, name, XIAO_SI)
    value(add_row(table).cells[0], "{%tr for r in 数字表 %}", XIAO_SI)
    row = add_row(table, cant_split=True)
    value(row.cells[0], "{{ r.序号 }}", XIAO_SI, align="center")
    value(row.cells[1], "{{ r.项目 }}", XIAO_SI)
    value(row.cells[2], "{{ r.数值 }}{{ r.单位 }}", XIAO_SI, align="center")
    value(add_row(table).cells[0], "{%tr endfor %}", XIAO_SI)
    official_blank_line(doc)
    official_heading(doc, "二、典型案例", 1)
    _tag(doc, "{%p if 典型说明 %}")
    _prompt(doc, "典型说明")
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p for c in 典型 %}")
    official_heading(doc, "{{ c.序号 }}.{{ c.标题 }}", 3)
    official_paragraph(doc, "{{ c.内容 }}")
    _tag(doc, "{%p else %}")
    official_paragraph(doc, "本期间台账中没有可列的案例。")
    _tag(doc, "{%p endfor %}")
    _prompt(doc, "提示.典型成效")
    for heading, key in (
        ("三、主要经验和做法", "经验"),
        ("四、存在的问题和不足", "不足"),
        ("五、下一年度工作打算", "打算"),
    ):
        official_heading(doc, heading, 1)
        _prompt(doc, f"提示.{key}")
    keep_with_next(doc.paragraphs[-1])
    official_closing(doc, "{{ 落款 }}", DATE_BLANK)
    return doc


NOTICE_COLUMNS = ("接待日期", "时间", "值班代表")


def reception_notice() -> DocxDocument:
    doc = new_official_document("接待选民日公告")
    title = official_title(doc, "{{ 联络站 }}")
    title.paragraph_format.space_after = 0
    official_title(doc, "{{ 标题 }}")
    official_paragraph(
        doc,
        "为密切人大代表同人民群众的联系，倾听群众呼声，本站{{ 月 }}月开展人大代表接待选民活动，"
        "安排如下：",
    )
    table = official_table(doc, columns("reception_notice", width=OFFICIAL_WIDTH))
    heads = add_row(table, header=True, cant_split=True)
    for cell, name in zip(heads.cells, NOTICE_COLUMNS, strict=True):
        label(cell, name, SI)
    value(add_row(table).cells[0], "{%tr for r in 安排 %}", SI)
    row = add_row(table, cant_split=True)
    date = value(row.cells[0], "{{ r.日期 }}", SI, align="center")
    date.add_run().add_break()
    add_text(date, "{{ r.星期 }}", "body", SI)
    value(row.cells[1], "{{ r.时间 or '—' }}", SI, align="center")
    deputies = value(row.cells[2], "{% for d in r.代表 %}", SI)
    add_names(deputies, "{{ d.姓名 }}", "body", SI)
    add_text(
        deputies,
        "　{{ d.代表层级 }}{% if d.工作单位及职务 %}，{{ d.工作单位及职务 }}{% endif %}",
        "body",
        SI,
    )
    add_text(deputies, "{% if not loop.last %}", "body", SI)
    deputies.add_run().add_break()
    add_text(deputies, "{% endif %}{% endfor %}", "body", SI)
    value(add_row(table).cells[0], "{%tr endfor %}", SI)
    official_blank_line(doc)
    official_paragraph(doc, "接待地点：{{ 地点 }}。")
    _tag(doc, "{%p for note in 顺延 %}")
    official_paragraph(doc, "{{ note }}。")
    _tag(doc, "{%p endfor %}")
    official_paragraph(
        doc,
        "欢迎广大选民届时前来反映意见和建议。"
        "{% if 联系电话 %}联系电话：{{ 联系电话 }}。{% endif %}",
        last=True,
    )
    official_closing(doc, "{{ 落款 }}", DATE_BLANK)
    return doc


BUILDERS = {
    "station_stats": station_stats,
    "work_summary": work_summary,
    "reception_notice": reception_notice,
}
