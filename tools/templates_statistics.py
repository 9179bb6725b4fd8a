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
from make_templates import (
    DATE_BLANK,
    ER,
    PORTRAIT_WIDTH,
    SAN,
    SI,
    WU,
    XIAO_SI,
    add_row,
    add_run,
    add_text,
    add_title,
    grid,
    label,
    new_document,
    new_paragraph,
    new_table,
    page_number_footer,
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
        par = new_paragraph(doc, align="center", before=60, after=120)
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


def _heading(doc: DocxDocument, text: str, level: int = 1) -> None:
    par = new_paragraph(doc, before=200 if level == 1 else 100, after=80)
    add_run(par, text, "label" if level == 1 else "kai", SI if level == 1 else XIAO_SI)
    par.paragraph_format.keep_with_next = True


def _table(
    doc: DocxDocument,
    heads: tuple[str, ...],
    cells: tuple[str, ...],
    shares: tuple[float, ...],
    loop: str,
    width: int = PORTRAIT_WIDTH,
    centred: tuple[bool, ...] = (),
    empty: str = "",
) -> None:
    """A table of a context list: a header row repeated on each page, one row per item."""
    widths = grid(*shares, width=width)
    table = new_table(doc, widths, margins=(34, 85), line_height=1.3)
    row = add_row(table, 454, header=True, cant_split=True)
    for cell, head in zip(row.cells, heads, strict=True):
        label(cell, head, WU)
    value(add_row(table).cells[0], f"{{%tr for r in {loop} %}}", WU)
    row = add_row(table, 397, cant_split=True)
    for i, (cell, field) in enumerate(zip(row.cells, cells, strict=True)):
        middle = centred[i] if centred else i > 0
        value(cell, field, WU, align="center" if middle else "left")
    value(add_row(table).cells[0], "{%tr endfor %}", WU)
    if empty:
        value(add_row(table).cells[0], f"{{%tr if not {loop} %}}", WU)
        row = add_row(table, 397, cant_split=True)
        merged = row.cells[0].merge(row.cells[-1])
        value(merged, empty, WU, align="center")
        value(add_row(table).cells[0], "{%tr endif %}", WU)
    new_paragraph(doc, exact=120)


def _text(doc: DocxDocument, text: str, role: str = "body", size: float = XIAO_SI) -> None:
    par = new_paragraph(doc, after=80, line=1.5, indent_chars=2)
    add_text(par, text, role, size)


NARROW = round(PORTRAIT_WIDTH * 0.7)


def station_stats() -> DocxDocument:
    doc = new_document("联络站工作统计")
    page_number_footer(doc.sections[0])
    charts = _Charts()
    add_title(doc, "{{ 联络站 }}", 20, after=0)
    add_title(doc, "{{ 表单名称 }}", 20, after=60)
    period = new_paragraph(doc, align="center", after=160)
    add_text(period, "（{{ 期间 }}：{{ 起止 }}）", "kai", XIAO_SI)
    _heading(doc, "一、总体情况")
    _table(
        doc,
        ("序号", "项目", "数值", "单位"),
        ("{{ r.序号 }}", "{{ r.项目 }}", "{{ r.数值 }}", "{{ r.单位 }}"),
        (8, 52, 22, 18),
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
        (1,) * 8,
        "按月",
        centred=(True,) * 8,
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
            (50, 25, 25),
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
        (50, 50),
        "代表参与",
        width=round(PORTRAIT_WIDTH * 0.7),
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
        (8, 18, 28, 15.3, 15.3, 15.4),
        "代表",
        centred=(True,) * 6,
    )
    add_run(new_paragraph(doc), "{%p endif %}")
    _heading(doc, "五、履职活动和会议")
    for head, loop in (("活动类型", "活动"), ("会议类型", "会议")):
        _table(
            doc,
            (head, "次数"),
            ("{{ r.类型 }}", "{{ r.次数 }}"),
            (50, 25),
            loop,
            width=NARROW,
            empty="（无）",
        )
    _heading(doc, "六、代表建议和民生实事")
    _table(
        doc,
        ("代表建议、议案", "件数"),
        ("{{ r.项目 }}", "{{ r.件数 }}"),
        (50, 25),
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
        (8, 36, 28, 9.3, 9.3, 9.4),
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
        (6, 28, 8, 11.6, 11.6, 11.6, 11.6, 11.6),
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
        (45, 55),
        "无接待",
        centred=(False, False),
    )
    add_run(new_paragraph(doc), "{%p else %}")
    _text(doc, "各联络站每月都有接待选民日。")
    add_run(new_paragraph(doc), "{%p endif %}")
    add_run(new_paragraph(doc), "{%p endif %}")
    sign = new_paragraph(doc, align="right", before=240)
    add_text(sign, "统计日期：{{ 截至 }}")
    return doc


# ── 年度工作总结 and 接待选民日公告 (GB/T 9704) ──────────────────────────────────────────────────


def _tag(doc: DocxDocument, tag: str) -> None:
    """A paragraph holding only a {%p %} tag (docxtpl drops the paragraph itself)."""
    official_paragraph(doc, tag, indent=False)


def _prompt(doc: DocxDocument, expr: str) -> None:
    """A 【待填写：……】 prompt in 楷体, highlighted, so it cannot pass for written text."""
    par = official_paragraph(doc, "", role="kai")
    add_run(par, f"{{{{ {expr} }}}}", "kai", SAN)
    for run in par.runs:
        if run.text:
            run._r.get_or_add_rPr().append(w('<w:highlight w:val="yellow"/>'))


FIGURE_COLUMNS = (("序号", 1061), ("项目", 5130), ("数值", 2653))
assert sum(width for _, width in FIGURE_COLUMNS) == OFFICIAL_WIDTH


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
    table = official_table(doc, [width for _, width in FIGURE_COLUMNS])
    heads = add_row(table, header=True, cant_split=True)
    for cell, (name, _) in zip(heads.cells, FIGURE_COLUMNS, strict=True):
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


NOTICE_COLUMNS = (("接待日期", 2299), ("时间", 1592), ("值班代表", 4953))
assert sum(width for _, width in NOTICE_COLUMNS) == OFFICIAL_WIDTH


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
    table = official_table(doc, [width for _, width in NOTICE_COLUMNS])
    heads = add_row(table, header=True, cant_split=True)
    for cell, (name, _) in zip(heads.cells, NOTICE_COLUMNS, strict=True):
        label(cell, name, SI)
    value(add_row(table).cells[0], "{%tr for r in 安排 %}", SI)
    row = add_row(table, cant_split=True)
    date = value(row.cells[0], "{{ r.日期 }}", SI, align="center")
    date.add_run().add_break()
    add_text(date, "{{ r.星期 }}", "body", SI)
    value(row.cells[1], "{{ r.时间 or '—' }}", SI, align="center")
    deputies = value(row.cells[2], "{% for d in r.代表 %}", SI)
    add_text(
        deputies,
        "{{ d.姓名 }}　{{ d.代表层级 }}"
        "{% if d.工作单位及职务 %}，{{ d.工作单位及职务 }}{% endif %}",
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
