"""The station workbook contract (DESIGN §4): sheets, columns, their kinds and variants.

This is the single description of the input. Reading uses it to find headers, validation to type
values, `liaison init` to write the blank workbook and its 说明 sheet, and the sample generator to
fill it. Column names are the field names templates see; `field_name()` gives the documented
normalised name for a header that is not a valid identifier (投资估算(万元) → 投资估算_万元).
"""

# Long module: the workbook contract of DESIGN §4 as data, one table per sheet; splitting it
# would scatter the one place a clerk's columns are defined.

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

# Kinds of column value. Validation turns each into a typed Python value.
TEXT = "text"  # one line of text, stripped
LONGTEXT = "longtext"  # free text that keeps its line breaks
DATE = "date"
DEADLINE = "deadline"  # a date, or a number of working or calendar days (15个工作日, 30天)
TIME = "time"
INT = "int"  # a count, ≥ 0
NUMBER = "number"
PHONE = "phone"  # digits kept exactly as typed, never a number
CODE = "code"  # an identifier (编号, 证号): kept exactly, never a number
PERSON = "person"  # one deputy, resolved against 代表名册
PEOPLE = "people"  # several deputies, resolved against 代表名册
STATION = "station"  # one station, resolved against 联络站
CHOICE = "choice"  # one of a fixed list
LEVEL = "level"  # 代表层级, normalised to 全国/省/市/县/乡镇
YEAR = "year"
NAME = "name"  # a deputy's own name in 代表名册

TEXT_LIKE_KINDS = frozenset({PHONE, CODE})

LEVELS = ("全国", "省", "市", "县", "乡镇")
LEVEL_VARIANTS = {
    "全国": "全国",
    "全国人大": "全国",
    "全国级": "全国",
    "国家": "全国",
    "国家级": "全国",
    "省": "省",
    "省级": "省",
    "省人大": "省",
    "自治区": "省",
    "直辖市": "省",
    "市": "市",
    "市级": "市",
    "市人大": "市",
    "地市": "市",
    "州": "市",
    "地级市": "市",
    "县": "县",
    "县级": "县",
    "区": "县",
    "区级": "县",
    "县区": "县",
    "区县": "县",
    "县人大": "县",
    "区人大": "县",
    "县(区)": "县",
    "县（区）": "县",
    "旗": "县",
    "县级市": "县",
    "乡镇": "乡镇",
    "乡": "乡镇",
    "乡级": "乡镇",
    "镇": "乡镇",
    "镇级": "乡镇",
    "乡镇级": "乡镇",
    "民族乡": "乡镇",
    "乡(镇)": "乡镇",
    "乡（镇）": "乡镇",
}

ACTIVITY_TYPES = (
    "出席人代会",
    "列席常委会",
    "视察",
    "调研",
    "执法检查",
    "学习培训",
    "进站接待",
    "走访选民",
    "述职",
    "代表议事会",
    "其他",
)
MEETING_TYPES = (
    "接待选民日",
    "代表议事会",
    "述职评议会",
    "民生实事票决会",
    "政府部门进站",
    "学习培训会",
    "其他",
)
PROBLEM_CATEGORIES = (
    "物业管理",
    "供暖供水供电",
    "道路交通",
    "环境卫生",
    "养老服务",
    "医疗卫生",
    "教育",
    "就业社保",
    "住房产权",
    "社会治安",
    "其他",
)
# The default handling routes (DESIGN §6); which of them hand the matter on lives in
# forms/rules/reception.yaml so a district can change it without code.
ROUTES = (
    "当场答复",
    "交社区(村)办理",
    "交街道(乡镇)办理",
    "转交有关部门",
    "形成代表建议",
    "引导通过法定途径解决",
)
SATISFACTION = ("满意", "基本满意", "不满意")
RESULT_CLASSES = ("A", "B", "C", "D")
PROPOSAL_TYPES = ("建议", "议案")
# How a 议案 is handled (地方组织法第二十二条): the 主席团 lists it on the agenda, or first
# refers it to a special committee; one not listed may be handled as a 建议 (then A–D and
# reply deadlines apply).
MOTION_STATES = ("交专门委员会审议", "列入会议议程", "审议通过", "作为建议处理", "不列入会议议程")
GENDERS = ("男", "女")


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = TEXT
    required: bool = False
    aliases: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    hint: str = ""
    example: str = ""
    width: int = 14

    @property
    def field(self) -> str:
        return field_name(self.name)


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple[Column, ...]
    hint: str = ""
    aliases: tuple[str, ...] = ()
    key: str = ""  # ASCII id, for code and file names
    by_name: dict[str, Column] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self.by_name.update({c.name: c for c in self.columns})

    def column(self, name: str) -> Column:
        return self.by_name[name]

    @property
    def required(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.required)


def C(
    name: str,
    kind: str = TEXT,
    *,
    req: bool = False,
    alias: tuple[str, ...] = (),
    choices: tuple[str, ...] = (),
    hint: str = "",
    ex: str = "",
    width: int = 14,
) -> Column:
    return Column(name, kind, req, alias, choices, hint, ex, width)


SHEETS: tuple[Sheet, ...] = (
    Sheet(
        "联络站",
        key="stations",
        aliases=("联络站信息", "站点", "联络站（点）", "联络站点"),
        hint="每行一个联络站（点）。",
        columns=(
            C(
                "站点名称",
                req=True,
                alias=("联络站名称", "名称", "联络站"),
                width=28,
                hint="联络站全称，其他表中的“联络站”须与此一致",
                ex="三元社区人大代表联络站",
            ),
            C("站点编号", CODE, alias=("编号",), width=12, ex="LLZ-01"),
            C("地址", alias=("站点地址",), width=30, ex="三元街道建设路12号"),
            C("接待日", alias=("接待时间", "固定接待日"), hint="如：每月15日", ex="每月15日"),
            C("负责人", alias=("站长",), width=10, ex="张敏"),
            C(
                "联系电话",
                PHONE,
                alias=("联系方式", "电话"),
                width=16,
                hint="联络站的公开电话，会印在接待通知上",
                ex="0571-86001234",
            ),
        ),
    ),
    Sheet(
        "代表名册",
        key="deputies",
        aliases=("代表名单", "代表信息", "人大代表名册"),
        hint="每行一名代表。同名代表请用代表证号区分。",
        columns=(
            C("姓名", NAME, req=True, alias=("代表姓名",), width=10, ex="王伟"),
            C("代表证号", CODE, alias=("代表编号", "代表证编号"), width=14, ex="DB-0012"),
            C(
                "代表层级",
                LEVEL,
                req=True,
                alias=("层级", "代表级别", "级别"),
                choices=LEVELS,
                hint="全国/省/市/县/乡镇（区按县级）",
                ex="县",
                width=10,
            ),
            C(
                "所属联络站",
                STATION,
                req=True,
                alias=("联络站", "进站联络站", "所在联络站"),
                width=28,
                ex="三元社区人大代表联络站",
            ),
            C("性别", CHOICE, choices=GENDERS, width=6, ex="男"),
            C("选区或代表团", alias=("选区", "代表团", "选区(代表团)"), width=16, ex="第三选区"),
            C(
                "工作单位及职务",
                alias=("工作单位", "单位及职务", "工作单位和职务"),
                width=30,
                ex="三元街道社区卫生服务中心主任",
            ),
            C(
                "联系电话",
                PHONE,
                alias=("联系方式", "手机", "手机号码", "电话"),
                width=16,
                ex="13812345678",
            ),
        ),
    ),
    Sheet(
        "接待登记",
        key="receptions",
        aliases=("接待登记表", "接待记录", "选民接待登记", "接待登记簿"),
        hint="每行一次接待（一件反映事项）。",
        columns=(
            C("接待日期", DATE, req=True, alias=("接待时间", "日期"), width=12, ex="2024年3月15日"),
            C(
                "联络站",
                STATION,
                req=True,
                alias=("接待站点", "联络站名称", "站点名称"),
                width=28,
                ex="三元社区人大代表联络站",
            ),
            C(
                "接待代表",
                PEOPLE,
                req=True,
                alias=("值班代表", "接待人大代表", "代表"),
                width=16,
                hint="多名代表用顿号、逗号或空格分隔；同名代表写“姓名（联络站）”或代表证号",
                ex="王伟、李娜",
            ),
            C(
                "反映内容",
                LONGTEXT,
                req=True,
                alias=("反映问题", "反映事项", "意见建议", "主要内容", "反映的问题"),
                width=40,
                ex="小区路面破损，雨天积水严重，希望尽快修复。",
            ),
            C("登记编号", CODE, alias=("编号", "接待编号"), width=14, ex="JD-2024-0012"),
            C(
                "来访人",
                alias=("来访人姓名", "来访群众", "来访者", "选民姓名", "反映人"),
                width=10,
                ex="赵桂兰",
            ),
            C(
                "联系电话",
                PHONE,
                alias=("联系方式", "来访人电话", "电话"),
                width=16,
                ex="13912345678",
            ),
            C(
                "住址",
                alias=("地址", "家庭住址", "来访人住址", "住所"),
                width=24,
                ex="建设路8号院3栋",
            ),
            C("来访人数", INT, alias=("人数",), width=8, ex="1"),
            C(
                "问题类别",
                CHOICE,
                alias=("类别", "问题分类"),
                choices=PROBLEM_CATEGORIES,
                width=12,
                ex="道路交通",
            ),
            C("现场答复", LONGTEXT, alias=("答复情况", "现场答复情况"), width=30),
            C(
                "处理方式",
                CHOICE,
                alias=("处理意见", "办理方式"),
                choices=ROUTES,
                width=18,
                ex="交街道(乡镇)办理",
            ),
            C("承办单位", alias=("交办单位", "办理单位"), width=18, ex="三元街道城建办"),
            C(
                "办理时限",
                DEADLINE,
                alias=("办结时限", "办理期限"),
                width=12,
                ex="2024年4月15日",
                hint="到期日期，或天数如“15个工作日”“30天”；不填按处理方式的默认时限",
            ),
            C("办理结果", LONGTEXT, alias=("办理情况", "处理结果"), width=30),
            C("反馈日期", DATE, alias=("反馈时间", "回复日期"), width=12),
            C("群众满意度", CHOICE, alias=("满意度", "满意程度"), choices=SATISFACTION, width=10),
            # Optional, added in turn 2 (DESIGN §4): the return visit after a matter is closed,
            # and the cases a year-end summary cites. A workbook without them reads as before.
            C(
                "回访日期",
                DATE,
                alias=("回访时间",),
                width=12,
                hint="办结后回访来访人的日期",
            ),
            C(
                "回访方式",
                alias=("回访形式",),
                width=10,
                hint="如：电话回访、上门回访、来站面谈",
                ex="电话回访",
            ),
            C("回访情况", LONGTEXT, alias=("回访结果", "回访意见"), width=30),
            C(
                "典型",
                CHOICE,
                alias=("典型案例", "是否典型"),
                choices=("是", "否"),
                width=8,
                hint="年度工作总结中作为典型案例的填“是”",
            ),
        ),
    ),
    Sheet(
        "履职活动",
        key="activities",
        aliases=("代表活动", "活动记录", "履职活动记录"),
        columns=(
            C("活动日期", DATE, req=True, alias=("日期", "活动时间"), width=12),
            C("活动类型", CHOICE, req=True, alias=("类型",), choices=ACTIVITY_TYPES, width=12),
            C("活动主题", req=True, alias=("主题", "活动内容", "活动名称"), width=30),
            C("参加代表", PEOPLE, req=True, alias=("参加人员", "参与代表"), width=20),
            C("活动编号", CODE, alias=("编号",), width=12),
            C("地点", alias=("活动地点",), width=20),
            C("组织单位", alias=("主办单位",), width=18),
            C("备注", width=16, hint="缺席人代会请写“请假半天”等"),
        ),
    ),
    Sheet(
        "代表建议",
        key="proposals",
        aliases=("建议议案", "代表建议议案", "建议"),
        columns=(
            C("标题", req=True, alias=("建议标题", "题目", "案由标题"), width=36),
            C("领衔代表", PERSON, req=True, alias=("领衔人", "提出代表"), width=10),
            C("类别", CHOICE, req=True, alias=("建议类别",), choices=PROPOSAL_TYPES, width=8),
            C("建议编号", CODE, alias=("编号",), width=12),
            C("附议代表", PEOPLE, alias=("联名代表", "附议人"), width=24),
            C("提出日期", DATE, width=12),
            C("所属领域", alias=("领域",), width=12),
            C("案由", LONGTEXT, width=30),
            C("现状与问题", LONGTEXT, alias=("存在问题",), width=30),
            C("具体建议", LONGTEXT, alias=("建议内容",), width=30),
            C("案据", LONGTEXT, width=30),
            C("方案", LONGTEXT, width=30),
            C("代表证号", CODE, width=12),
            C("建议承办单位", alias=("承办单位",), width=18),
            C("交办日期", DATE, width=12),
            C(
                "复杂件",
                CHOICE,
                alias=("是否复杂件", "复杂案件", "是否复杂"),
                choices=("是", "否"),
                width=8,
                hint="办理复杂、答复期限为6个月的填“是”；不填按一般件（3个月）",
            ),
            C(
                "办理结果类别",
                CHOICE,
                alias=("结果类别",),
                choices=RESULT_CLASSES,
                width=8,
                hint="A 已解决或基本解决 / B 正在解决或列入计划 / C 条件限制以后解决 / D 留作参考",
            ),
            C("答复日期", DATE, width=12),
            C("代表满意度", CHOICE, choices=SATISFACTION, width=10),
            C(
                "议案处理情况",
                CHOICE,
                alias=("议案办理情况", "议案处理结果"),
                choices=MOTION_STATES,
                width=14,
                hint="只对议案填写：主席团决定后的处理情况；作为建议处理的议案再填办理结果类别",
            ),
            C(
                "典型",
                CHOICE,
                alias=("典型案例", "是否典型"),
                choices=("是", "否"),
                width=8,
                hint="年度工作总结中作为典型案例的填“是”",
            ),
        ),
    ),
    Sheet(
        "会议",
        key="meetings",
        aliases=("会议安排", "会议活动"),
        columns=(
            C("会议名称", req=True, alias=("名称",), width=30),
            C("会议类型", CHOICE, req=True, alias=("类型",), choices=MEETING_TYPES, width=14),
            C("日期", DATE, req=True, alias=("会议日期",), width=12),
            C("会议编号", CODE, alias=("编号",), width=12, hint="其他表引用本会议时必填"),
            C("联络站", STATION, width=28),
            C("通知日期", DATE, width=12),
            C("开始时间", TIME, alias=("时间",), width=10, ex="9:00"),
            C("地点", alias=("会议地点",), width=20),
            C("主持人", width=10),
            C("参会人员", alias=("出席人员",), width=24, hint="留空或写“全体进站代表”"),
            C("议程", LONGTEXT, alias=("会议议程",), width=30, hint="每行一项"),
            C("记录人", width=10),
            C("主办单位", width=18),
            C("应到人数", INT, width=8, hint="票决会有表决权的代表人数"),
        ),
    ),
    Sheet(
        "票决项目",
        key="vote_items",
        columns=(
            C("项目名称", req=True, width=30),
            C("会议编号", CODE, req=True, width=12),
            C("项目编号", CODE, width=12),
            C("项目内容", LONGTEXT, width=30),
            C(
                "投资估算(万元)",
                NUMBER,
                alias=("投资估算", "投资估算（万元）", "投资额(万元)"),
                width=12,
            ),
            C("责任单位", width=18),
        ),
    ),
    Sheet(
        "票决结果",
        key="vote_results",
        columns=(
            C("会议编号", CODE, req=True, width=12),
            C("项目编号", CODE, req=True, width=12),
            C("发出票数", INT, width=8),
            C("收回票数", INT, width=8),
            C("赞成", INT, width=8),
            C("反对", INT, width=8),
            C("弃权", INT, width=8),
        ),
    ),
    Sheet(
        "满意度测评",
        key="satisfaction",
        columns=(
            C("会议编号", CODE, req=True, width=12),
            C("发出票数", INT, width=8),
            C("收回票数", INT, width=8),
            C("满意", INT, width=8),
            C("基本满意", INT, width=8),
            C("不满意", INT, width=8),
        ),
    ),
    Sheet(
        "述职测评",
        key="duty_ratings",
        columns=(
            C("代表姓名", PERSON, req=True, alias=("姓名",), width=10),
            C("会议编号", CODE, width=12),
            C("日期", DATE, width=12),
            C("发出票数", INT, width=8),
            C("收回票数", INT, width=8),
            C("有效票数", INT, width=8),
            C("满意", INT, width=8),
            C("基本满意", INT, width=8),
            C("不满意", INT, width=8),
        ),
    ),
    Sheet(
        "述职材料",
        key="duty_texts",
        columns=(
            C("姓名", PERSON, req=True, alias=("代表姓名",), width=10),
            C("年度", YEAR, req=True, alias=("年份",), width=8),
            C("履职情况补充", LONGTEXT, width=40),
            C("存在不足", LONGTEXT, alias=("存在的不足",), width=30),
            C("努力方向", LONGTEXT, alias=("今后努力方向",), width=30),
        ),
    ),
    Sheet(
        "值班安排",
        key="duty_rota",
        aliases=("接待值班安排", "值班表", "接待日值班"),
        hint="可不填：接待选民日由哪些代表值班。未列出的接待日按代表名册轮流安排。",
        columns=(
            C("联络站", STATION, req=True, alias=("站点名称", "联络站名称"), width=28),
            C("日期", DATE, req=True, alias=("接待日期", "值班日期"), width=12),
            C(
                "值班代表",
                PEOPLE,
                alias=("接待代表", "值班人员"),
                width=20,
                hint="多名代表用顿号分隔",
                ex="王伟、李娜",
            ),
            C("备注", width=16),
        ),
    ),
)

SHEETS_BY_NAME: dict[str, Sheet] = {s.name: s for s in SHEETS}

_FULLWIDTH_BRACKETS = str.maketrans({"（": "(", "）": ")", "【": "[", "】": "]", "：": ":"})
_SPACES = re.compile(r"[\s\u3000\u00a0\u200b\ufeff]+")


@lru_cache(maxsize=4096)
def normalise_header(text: str) -> str:
    """The comparison form of a header or sheet name: no spaces, ASCII brackets, no marks."""
    text = unicodedata.normalize("NFKC", str(text)) if text is not None else ""
    text = _SPACES.sub("", text.translate(_FULLWIDTH_BRACKETS))
    return text.strip("*＊:").strip()


@lru_cache(maxsize=4096)
def field_name(header: str) -> str:
    """The template field name for a header: itself if it is an identifier, else normalised.

    投资估算(万元) → 投资估算_万元; 'A-B' → A_B. Documented in README (模板字段名).
    """
    text = normalise_header(header)
    if text.isidentifier():
        return text
    name = re.sub(r"\W+", "_", text).strip("_")
    if not name or not name.isidentifier():
        name = "列_" + name
    return name


_COPY_SUFFIX = re.compile(r"\(\d+\)$")
_YEAR = re.compile(r"(19|20)\d{2}年?度?")
_NOTE = re.compile(r"\([^()]*\)$")


def find_sheet(name: str) -> Sheet | None:
    """The contract sheet a tab is, by name: exact, an alias, or with the decorations clerks
    add — a year (2024年接待登记), Excel's copy suffix (接待登记 (2)), 表/簿 (接待登记表)."""
    key = normalise_header(name)
    for sheet in SHEETS:
        if key in {normalise_header(sheet.name), *(normalise_header(a) for a in sheet.aliases)}:
            return sheet
    bare = _YEAR.sub("", _COPY_SUFFIX.sub("", key)).strip("-_ ")
    for suffix in ("", "表", "簿", "记录", "登记簿", "汇总"):
        stem = bare.removesuffix(suffix) if suffix else bare
        for sheet in SHEETS:
            names = {normalise_header(sheet.name), *(normalise_header(a) for a in sheet.aliases)}
            if stem in names:
                return sheet
    return None


def sheet_by_headers(headers: list[str]) -> Sheet | None:
    """The contract sheet whose required columns all appear among `headers` (for a tab named
    Sheet1 that holds, say, the receptions), if exactly one fits."""
    fits = []
    for sheet in SHEETS:
        matched = {match_column(sheet, h) for h in headers}
        enough = len(matched - {None}) >= max(2, len(sheet.required))
        if sheet.required and enough and all(c in matched for c in sheet.required):
            fits.append((len(matched - {None}), sheet))
    fits.sort(key=lambda item: -item[0])
    if len(fits) == 1 or (len(fits) > 1 and fits[0][0] > fits[1][0]):
        return fits[0][1]
    return None


def match_column(sheet: Sheet, header: str) -> Column | None:
    key = normalise_header(header)
    for candidate in (key, _NOTE.sub("", key)):  # 接待日期（年月日） is 接待日期
        if not candidate:
            continue
        for col in sheet.columns:
            if candidate == normalise_header(col.name):
                return col
        for col in sheet.columns:
            if candidate in {normalise_header(a) for a in col.aliases}:
                return col
    return None
