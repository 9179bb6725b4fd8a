"""Proposals from the 代表建议 sheet and from drafts (`--proposals DIR`), and their checks.

`check_proposals(data, folder, level, rules_path)` runs once per run, after validation and before
anything is written (build.py and check() call it). It turns every good row of 代表建议 and every
Markdown draft of `folder` into a `Proposal` — one model, so both get the same checks and the
same documents — checks them, adds each problem to `data.problems` (a sheet problem names the
cell, `代表建议!E5`; a draft problem the file and line, `建议草稿/关于….md 第12行`, the drafts'
problems in file-then-line order), rejects the proposals with errors (sheet rows leave
`data.records`; drafts are counted by file in `data.drafts` and `data.rejected_drafts`, never as
rows of a sheet), numbers the rest in a stable order and keeps the result for the planners.

The checks (DESIGN §6):
- the title reads 关于……的建议 / 关于……的议案 and matches its 类别;
- the parts the type requires (建议: 现状与问题, 具体建议; 议案: 案由, 案据, 方案) are there and not
  empty; a part of one short sentence is a warning, "内容过于简单". A sheet row with none of the
  parts filled is a register entry of a proposal written elsewhere (the 代表建议 sheet also serves
  to track filed proposals): it is listed and tracked, its names and title checked, a short 联名
  list only warned about, and no official text is printed for it;
- the lead and every co-signer are in the roster; a deputy listed twice (validation says so for
  a sheet cell) or the lead listed again as a co-signer is an error naming the cell, and does not
  count;
- a 议案 has enough 联名 deputies for its level of congress (the lead's 代表层级, or --level):
  "联名代表 N 名，需要至少 M 名"; the national congress is out of scope and said so;
- 一事一议: a warning when the action part's numbered items name different 承办单位 *and* fall
  in different subject areas, or when the title joins matters of different areas (see `bundled`).
"""

# Long module: every check of a 建议 or 议案, from a sheet row or a draft (one Proposal
# type, one set of messages); DESIGN §3 keeps a family in one module per stage.

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import contract, fonts, values
from ..chinese import cn_date
from ..errors import ERROR, WARNING, Problem, ToolkitError, UsageError, os_reason
from ..model import Dataset, Record
from ..names import Deputy
from ..read.drafts import HINTS, SECTIONS, Block, Draft, blocks, parse_draft
from ..rules.proposals import ProposalRules, load_proposal_rules

SHEET = "代表建议"
SPEC = contract.SHEETS_BY_NAME[SHEET]
ACTION = {"建议": "具体建议", "议案": "方案"}
LEVEL_TEXT = {
    "省": "省、自治区、直辖市",
    "市": "设区的市、自治州",
    "县": "县、自治县、不设区的市、市辖区",
    "乡镇": "乡、民族乡、镇",
}
EXTRA_KEYS = ("来源接待",)
_PLACEHOLDER = "……"


@dataclass
class Proposal:
    """One 建议 or 议案, from a sheet row or a draft, with where each of its parts came from."""

    values: dict[str, Any]  # contract column → typed value (None when blank)
    sections: dict[str, list[Block]]
    label: str  # the sheet's title, or 建议草稿/关于….md
    row: int  # the sheet row; 0 for a draft
    order: tuple[int, str | int]  # source order: sheet rows first, then drafts by file name
    digest: str
    cols: dict[str, int] = field(default_factory=dict)  # sheet: column → its index
    lines: dict[str, int] = field(default_factory=dict)  # draft: key or section → line
    body_line: int = 1  # draft: where a missing section belongs
    reception: str = ""  # 来源接待 (a draft made from a reception)
    extra: dict[str, str] = field(default_factory=dict)
    number: str = ""  # 编号 as printed: the sheet's, or 第0001号
    level: str = ""  # the level of congress the 联名 count was checked against
    failed: bool = False

    def __getitem__(self, name: str) -> Any:
        return self.values.get(name)

    @property
    def is_draft(self) -> bool:
        return self.row == 0

    @property
    def has_text(self) -> bool:
        """A draft, or a row with some of its text: one to check and print. A row with none is
        a register entry of a proposal written elsewhere (listed and tracked, not printed)."""
        return self.is_draft or any(self.sections.values())

    @property
    def kind(self) -> str:
        return self.values.get("类别") or ""

    @property
    def source(self) -> tuple[str, int, str]:
        """(sheet or file, row, digest) for the manifest."""
        return (self.label, self.row or 1, self.digest)

    def where(self, key: str, line: int = 0) -> str:
        """代表建议!E5, or 建议草稿/关于….md 第12行: for messages that name another cell."""
        if self.is_draft:
            return f"{self.label} 第{line or self.lines.get(key, self.body_line)}行"
        col = self.cols.get(key, 0)
        from ..errors import column_letter

        return (
            f"{self.label}!{column_letter(col)}{self.row}"
            if col
            else f"{self.label}!第{self.row}行"
        )

    def problem(
        self, key: str, message: str, hint: str = "", severity: str = ERROR, line: int = 0
    ) -> Problem:
        if self.is_draft:
            line = line or self.lines.get(key, self.body_line)
            return Problem(self.label, 0, message, key, 0, severity, hint, line=line)
        col = self.cols.get(key, 0)
        return Problem(self.label, self.row, message, key if col else "", col, severity, hint)


@dataclass
class ProposalSet:
    """The run's good proposals, numbered, and the rules they were checked by."""

    proposals: list[Proposal]
    rules: ProposalRules
    folder: Path | None = None


# ── from the sheet ───────────────────────────────────────────────────────────────────────────


def from_record(record: Record) -> Proposal:
    sections = {
        part: blocks(record[part]) for part in ("现状与问题", "具体建议", "案由", "案据", "方案")
    }
    return Proposal(
        dict(record.values),
        sections,
        record.title,
        record.row,
        (0, record.row),
        record.digest,
        cols=dict(record.cols),
        extra=dict(record.extra),
    )


# ── from drafts ──────────────────────────────────────────────────────────────────────────────


def read_drafts(folder: Path) -> list[tuple[str, str, str]]:
    """(file name, text, digest) of every Markdown draft in `folder`, by name."""
    if not folder.is_dir():
        raise UsageError(f"--proposals 文件夹“{folder}”不存在或不是文件夹")
    found = []
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in (".md", ".markdown") or not path.is_file():
            continue
        if path.name.startswith((".", "~$")):
            continue  # editors' lock and backup files
        try:
            raw = path.read_bytes()
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ToolkitError(
                "不是 UTF-8 编码的文本",
                where=f"{folder.name}/{path.name}",
                hint="请用“UTF-8”编码另存",
            ) from None
        except OSError as exc:
            raise ToolkitError(
                f"无法读取：{os_reason(exc)}", where=f"{folder.name}/{path.name}"
            ) from None
        found.append((path.name, text, hashlib.sha256(raw).hexdigest()))
    return found


def from_draft(
    data: Dataset, label: str, name: str, text: str, digest: str
) -> tuple[Proposal, list[Problem]]:
    """A draft as a Proposal, with the problems of its form and its values (names unresolved
    here are errors; the rest of the checks are `check_one`'s)."""
    draft = parse_draft(text)
    proposal = Proposal({}, {}, label, 0, (1, name), digest, body_line=draft.body_line)
    problems = [
        Problem(label, 0, i.message, i.key, 0, ERROR if i.error else WARNING, i.hint, line=i.line)
        for i in draft.issues
    ]
    _front_values(data, draft, proposal, problems)
    for part, section in draft.sections.items():
        proposal.sections[part] = section.blocks
        proposal.lines[part] = section.line
    return proposal, problems


def _front_values(data: Dataset, draft: Draft, proposal: Proposal, problems: list[Problem]) -> None:
    known = "、".join([c.name for c in SPEC.columns] + list(EXTRA_KEYS))
    for key, raw in draft.front.items():
        line = draft.lines.get(key, 1)
        column = contract.match_column(SPEC, key)
        name = column.name if column else key
        proposal.lines[name] = line
        if raw is None or (isinstance(raw, str | list) and not raw):
            continue
        if key in EXTRA_KEYS:
            proposal.reception = values.parse_code(raw)
            continue
        if column is None:
            problems.append(
                proposal.problem(
                    key, f"未知的项“{key}”，未使用", f"可用的项：{known}", WARNING, line=line
                )
            )
            continue
        try:
            proposal.values[column.name] = _typed(data, column, raw)
        except values.ValueProblem as problem:
            problems.append(proposal.problem(column.name, problem.message, problem.hint, line=line))
    for column in SPEC.columns:  # the sections may also be written as front-matter items
        if column.name in SECTIONS["建议"] + SECTIONS["议案"] and proposal.values.get(column.name):
            proposal.sections.setdefault(column.name, blocks(proposal.values[column.name]))


def _typed(data: Dataset, column: contract.Column, raw: Any) -> Any:
    if isinstance(raw, list) and column.kind != contract.PEOPLE:
        raw = "、".join(values.cell_text(item) for item in raw)
    if column.kind == contract.PEOPLE:
        items = raw if isinstance(raw, list) else [raw]
        return "、".join(values.cell_text(item) for item in items if item is not None)
    if column.kind == contract.PERSON:
        return values.parse_text(raw)  # resolved against the roster by check_one
    if column.kind == contract.CHOICE:
        return values.parse_choice(raw, column.choices)
    parsers = {
        contract.DATE: values.parse_date,
        contract.CODE: values.parse_code,
        contract.LONGTEXT: values.parse_longtext,
        contract.INT: values.parse_int,
        contract.NUMBER: values.parse_number,
    }
    return parsers.get(column.kind, values.parse_text)(raw)


# ── the checks ───────────────────────────────────────────────────────────────────────────────


def reception_codes(data: Dataset) -> set[str]:
    """Every 登记编号 of 接待登记, upper-cased: what a proposal's 来源接待 may name."""
    return {(r["登记编号"] or "").upper() for r in data.rows("接待登记")}


def check_one(
    data: Dataset,
    proposal: Proposal,
    rules: ProposalRules,
    level: str | None,
    codes: set[str] | None = None,  # reception_codes(data), made once by a caller of many
) -> list[Problem]:
    found: list[Problem] = []
    lead = _resolve_people(data, proposal, found)
    kind = proposal.kind
    if not kind:
        found.append(proposal.problem("类别", "不能为空", "填“建议”或“议案”"))
    found += _title(proposal)
    if kind in SECTIONS and proposal.has_text:
        found += _sections(proposal, rules)
        found += bundled(proposal, rules)
    if kind == "议案":
        found += _signers(proposal, rules, lead, level)
    found += _handling(proposal)
    if proposal.reception:
        if codes is None:
            codes = reception_codes(data)
        if proposal.reception.upper() not in codes:
            found.append(
                proposal.problem(
                    "来源接待",
                    f"接待登记中找不到登记编号“{proposal.reception}”",
                    "请核对登记编号",
                    WARNING,
                )
            )
    replied, handed = proposal["答复日期"], proposal["交办日期"]
    if replied and handed and replied < handed:
        found.append(
            proposal.problem(
                "答复日期",
                f"{cn_date(replied)} 早于交办日期",
                "请核对日期",
                WARNING,
            )
        )
    return found


def _handling(proposal: Proposal) -> list[Problem]:
    """A–D classes are for 建议 (and 议案 handled as 建议); 议案处理情况 is for 议案 only."""
    state, result = proposal["议案处理情况"], proposal["办理结果类别"]
    if proposal.kind == "建议" and state:
        return [proposal.problem("议案处理情况", "只对议案填写", "建议请删去此格", WARNING)]
    if proposal.kind != "议案" or not result:
        return []
    if not state:
        return [
            proposal.problem(
                "办理结果类别",
                f"议案不按 A、B、C、D 分类答复（此格为“{result}”），已按“作为建议处理”计",
                "议案经主席团决定作为建议处理的，请在“议案处理情况”填写“作为建议处理”",
                WARNING,
            )
        ]
    if state != "作为建议处理":
        return [
            proposal.problem(
                "办理结果类别",
                f"议案处理情况为“{state}”，不按 A、B、C、D 分类答复，此格未使用",
                "只有作为建议处理的议案才填写办理结果类别",
                WARNING,
            )
        ]
    return []


def _resolve_people(data: Dataset, proposal: Proposal, found: list[Problem]) -> Deputy | None:
    """The lead's roster entry; a draft's names resolved here (a sheet's were by validation).
    The lead listed again among the co-signers is an error, and is not counted twice."""
    roster = data.roster
    lead_name = proposal["领衔代表"]
    lead: Deputy | None = None
    if not lead_name:
        found.append(proposal.problem("领衔代表", "不能为空", "填写领衔代表的姓名"))
    elif roster.deputies or data.has_roster:
        try:
            lead = roster.resolve_one(lead_name)
            proposal.values["领衔代表"] = lead.display
        except values.ValueProblem as problem:
            found.append(proposal.problem("领衔代表", problem.message, problem.hint))
    cosigners = proposal["附议代表"]
    if proposal.is_draft and isinstance(cosigners, str):
        if roster.deputies or data.has_roster:
            deputies, problems = roster.resolve_many(cosigners)
            for bad in problems:
                found.append(proposal.problem("附议代表", bad.message, bad.hint))
            cosigners = tuple(d.display for d in deputies)
        else:
            cosigners = tuple(values.normalise_name(n) for n in values.split_name_pieces(cosigners))
    cosigners = tuple(cosigners or ())
    if lead is not None and lead.display in cosigners:
        found.append(
            proposal.problem(
                "附议代表",
                f"领衔代表“{lead.display}”又列为附议代表",
                "领衔代表已计入联名人数，每人只计一次；请从附议代表中删去",
            )
        )
        cosigners = tuple(c for c in cosigners if c != lead.display)
    proposal.values["附议代表"] = cosigners
    return lead


def _title(proposal: Proposal) -> list[Problem]:
    title = proposal["标题"] or ""
    kind = proposal.kind
    if not title:
        return [proposal.problem("标题", "不能为空", f"写成“关于……的{kind or '建议'}”")]
    if _PLACEHOLDER in title and title.startswith("关于") and len(title) <= 8:
        return [proposal.problem("标题", f"还是草稿模板中的“{title}”", "请把“……”换成所提的事项")]
    problems = []
    other = {"建议": "议案", "议案": "建议"}.get(kind, "")
    if other and title.endswith(f"的{other}") and title.startswith("关于"):
        problems.append(
            proposal.problem(
                "标题",
                f"“{title}”是{other}的标题，但类别是“{kind}”",
                "请改标题或类别，使两者一致",
            )
        )
    elif kind and not (title.startswith("关于") and title.endswith(f"的{kind}") and len(title) > 5):
        problems.append(
            proposal.problem(
                "标题",
                f"“{title}”不是“关于……的{kind}”的格式",
                f"标题应写成“关于……的{kind}”，如“关于加强社区卫生服务站建设的{kind}”",
            )
        )
    return problems


_SENTENCE_END = re.compile(r"[。！？；!?;\n]+")
_NOT_COUNTED = re.compile(r"[\s\W_]+")


def _sections(proposal: Proposal, rules: ProposalRules) -> list[Problem]:
    problems = []
    kind = proposal.kind
    for part in SECTIONS[kind]:
        found = proposal.sections.get(part)
        present = part in proposal.lines if proposal.is_draft else part in proposal.cols
        if not present and not found:
            what = f"“## {part}”一节" if proposal.is_draft else f"“{part}”"
            problems.append(
                proposal.problem("", f"缺少{what}，{kind}须写明此部分", HINTS[part].rstrip("。"))
            )
            continue
        if not found:
            problems.append(proposal.problem(part, "不能为空", HINTS[part].rstrip("。")))
            continue
        text = "\n".join(b.text for b in found)
        sentences = [s for s in _SENTENCE_END.split(text) if s.strip()]
        chars = len(_NOT_COUNTED.sub("", text))
        if len(sentences) <= 1 and chars < rules.short_chars:
            problems.append(
                proposal.problem(
                    part,
                    f"内容过于简单（只有一句：“{text.strip()}”）",
                    "请写明具体的事实、理由和办法",
                    WARNING,
                )
            )
    return problems


def _signers(
    proposal: Proposal, rules: ProposalRules, lead: Deputy | None, level: str | None
) -> list[Problem]:
    """The 联名 count against the threshold of the level of congress."""
    chosen = level or (lead.level if lead is not None else "")
    proposal.level = chosen
    count = (1 if proposal["领衔代表"] else 0) + len(proposal["附议代表"] or ())
    if chosen == "全国":
        return [
            proposal.problem(
                "领衔代表",
                "全国人民代表大会的议案（一个代表团或三十名以上代表联名）不在本工具的检查范围内，"
                "未检查联名人数",
                "请按全国人大的规定自行核对",
                WARNING,
            )
        ]
    needed = rules.thresholds.get(chosen)
    if needed is None:
        return [
            proposal.problem(
                "领衔代表",
                "无法确定代表大会的层级，未检查联名人数",
                "请在代表名册填写领衔代表的代表层级，或用 --level 指定",
                WARNING,
            )
        ]
    if count < needed:
        return [
            proposal.problem(
                "附议代表",
                f"联名代表 {count} 名，需要至少 {needed} 名",
                f"向{LEVEL_TEXT[chosen]}人民代表大会提出议案，须{needed}名以上代表联名"
                "（领衔代表计算在内，每人只计一次）；请补充附议代表，或改作建议提出",
                # A row without the text records a 议案 filed elsewhere: said, not rejected.
                ERROR if proposal.has_text else WARNING,
            )
        ]
    return []


# ── 一事一议 ─────────────────────────────────────────────────────────────────────────────────

_UNIT = re.compile(
    r"(?:街道|[区县市镇乡])[\u4e00-\u9fff]{1,8}?"
    r"(?:委员会|管委会|办事处|派出所|卫生院|医院|局|委|办|中心|公司|大队|支队)"
)
_ITEM = re.compile(
    r"(?<=[；;。])\s*(?=[一二三四五六七八九十]+[是要]|\d+[、.．]|[（(][一二三四五六七八九十\d]+[）)])"
)
_ITEM_START = re.compile(
    r"^(?:[一二三四五六七八九十]+[是要、．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．）)])"
)
_JOINERS = re.compile(r"以及|和|及|与|、|并")


def _areas(text: str, rules: ProposalRules) -> set[str]:
    return {area for area, words in rules.areas.items() if any(w in text for w in words)}


def items(proposal: Proposal) -> list[tuple[str, int]]:
    """The numbered items of the action part (具体建议 / 方案): (text, line)."""
    found: list[tuple[str, int]] = []
    for block in proposal.sections.get(ACTION.get(proposal.kind, ""), []):
        for piece in _ITEM.split(block.text):
            if piece.strip():
                found.append((piece.strip(), block.line))
    numbered = [(t, line) for t, line in found if _ITEM_START.match(t)]
    return numbered if len(numbered) >= 2 else []


def bundled(proposal: Proposal, rules: ProposalRules) -> list[Problem]:
    """一事一议, by two signals that must agree, so an ordinary proposal (one matter, several
    measures, a lead unit and a partner) is not flagged:

    1. Two numbered items of the action part each name 承办 units (区教育局, 街道城建办, or one
       of the 建议承办单位) with none in common, *and* their subject areas (key words of
       forms/rules/proposals.yaml) are both known and share none — 1. 区教育局 adds school
       buses, 3. 区交通运输局 repairs a road.
    2. The title joins parts (和、及、与、以及) whose areas are both known and share none:
       关于增设学校校车和修复建设路路面的建议.
    """
    found: list[Problem] = []
    declared = [
        u for u in re.split(r"[、，,；;\s]+", proposal["建议承办单位"] or "") if len(u) >= 2
    ]
    listed = []
    for number, (text, line) in enumerate(items(proposal), start=1):
        units = set(_UNIT.findall(text)) | {u for u in declared if u in text}
        listed.append((number, units, _areas(text, rules), line))
    for i, (n1, units1, areas1, _) in enumerate(listed):
        for n2, units2, areas2, line2 in listed[i + 1 :]:
            if units1 and units2 and units1.isdisjoint(units2) and areas1 and areas2:
                if areas1.isdisjoint(areas2):
                    found.append(
                        proposal.problem(
                            ACTION[proposal.kind],
                            f"一事一议：第{n1}条（{'、'.join(sorted(units1))}，"
                            f"{'、'.join(sorted(areas1))}）与第{n2}条（{'、'.join(sorted(units2))}，"
                            f"{'、'.join(sorted(areas2))}）似乎是不相关的两件事",
                            f"一件{proposal.kind}只提一个事项；不相关的事项请分别提出",
                            WARNING,
                            line=line2,
                        )
                    )
                    return found
    title = proposal["标题"] or ""
    core = title.removeprefix("关于").removesuffix(f"的{proposal.kind}")
    parts = [p for p in _JOINERS.split(core) if len(p) >= 2]
    tagged = [(p, _areas(p, rules)) for p in parts]
    for i, (p1, a1) in enumerate(tagged):
        for p2, a2 in tagged[i + 1 :]:
            if a1 and a2 and a1.isdisjoint(a2):
                found.append(
                    proposal.problem(
                        "标题",
                        f"一事一议：标题中的“{p1}”（{'、'.join(sorted(a1))}）和“{p2}”"
                        f"（{'、'.join(sorted(a2))}）似乎是两件事",
                        f"一件{proposal.kind}只提一个事项；不相关的事项请分别提出",
                        WARNING,
                    )
                )
                return found
    return found


# ── the run ──────────────────────────────────────────────────────────────────────────────────


def _glyphs(proposal: Proposal) -> list[Problem]:
    """A draft's characters that no shipped font has (a sheet's are checked with the sheet)."""
    texts: list[tuple[str, str, int]] = []
    for key, value in proposal.values.items():
        for piece in value if isinstance(value, tuple) else (value,):
            if isinstance(piece, str):
                texts.append((key, piece, 0))
    for part, found in proposal.sections.items():
        texts += [(part, b.text, b.line) for b in found]
    problems = []
    for key, text, line in texts:
        missing = fonts.uncovered(text)
        if missing:
            shown = "、".join(f"“{ch}”（U+{ord(ch):04X}）" for ch in dict.fromkeys(missing))
            problems.append(
                proposal.problem(
                    key,
                    f"字符 {shown} 在 PDF 中无法显示（随附字体不含此字）",
                    "请改用常用字形，或只生成 Word（--format docx）",
                    line=line,
                )
            )
    return problems


def parse_level_option(level: str | None) -> str | None:
    if not level:
        return None
    try:
        return values.parse_level(level)
    except values.ValueProblem as problem:
        raise UsageError(f"--level {problem.message}", hint=problem.hint) from None


def check_proposals(
    data: Dataset,
    folder: Path | None = None,
    level: str | None = None,
    rules_path: Path | None = None,
    *,
    glyphs: bool = False,
) -> ProposalSet:
    """Check the sheet's proposals and the drafts of `folder`; reject the bad ones; number the
    rest. Called once per dataset; `proposal_set` gives the planners the result."""
    rules = load_proposal_rules(rules_path)
    chosen_level = parse_level_option(level)
    codes = reception_codes(data)
    proposals: list[Proposal] = []
    rejected_rows: set[int] = set()
    for record in data.rows(SHEET):
        proposal = from_record(record)
        problems = check_one(data, proposal, rules, chosen_level, codes)
        data.problems.extend(problems)
        if any(p.is_error for p in problems):
            rejected_rows.add(record.row)
        else:
            proposals.append(proposal)
    if rejected_rows:
        data.set_rows(SHEET, [r for r in data.rows(SHEET) if r.row not in rejected_rows])
        done = data.rejected.setdefault(SHEET, [])
        done.extend(sorted(rejected_rows - set(done)))
    folder = Path(folder) if folder else None
    if folder is not None:
        drafts = read_drafts(folder)
        name = folder.name or str(folder)
        # Counted apart from the sheets: a folder is not a sheet, and may share a sheet's name.
        data.drafts[name] = len(drafts)
        bad = data.rejected_drafts.setdefault(name, [])
        for file, text, digest in drafts:  # by file name
            proposal, problems = from_draft(data, f"{name}/{file}", file, text, digest)
            problems += check_one(data, proposal, rules, chosen_level, codes)
            if glyphs:
                problems += _glyphs(proposal)
            data.problems.extend(sorted(problems, key=lambda p: p.line))  # a clerk reads down
            if any(p.is_error for p in problems):
                bad.append(file)
            else:
                proposals.append(proposal)
    number(proposals)
    found = ProposalSet(proposals, rules, folder)
    data.cached(("proposals", folder), lambda: found)  # for the planners (proposal_set)
    return found


def proposal_set(data: Dataset, folder: Path | None) -> ProposalSet:
    """The checked proposals of this dataset (checked now if no one has yet)."""
    folder = Path(folder) if folder else None
    return data.cached(("proposals", folder), lambda: check_proposals(data, folder))


_NUMBER = re.compile(r"^第?\s*0*(\d+)\s*号?$")


def proposal_date(proposal: Proposal) -> dt.date | None:
    return proposal["提出日期"] or proposal["交办日期"]


def number(proposals: list[Proposal]) -> None:
    """编号: the sheet's or draft's own, else 第0001号… in a stable order — by 提出日期 (undated
    last), then sheet rows before drafts, then row or file name — skipping numbers already used.
    Sorts `proposals` into that order."""
    proposals.sort(key=lambda p: (proposal_date(p) or dt.date.max, p.order))
    taken = set()
    for proposal in proposals:
        match = _NUMBER.match(proposal["建议编号"] or "")
        if match:
            taken.add(int(match.group(1)))
    next_number = 0
    for proposal in proposals:
        own = proposal["建议编号"]
        if own:
            match = _NUMBER.match(own)
            proposal.number = f"第{int(match.group(1)):04d}号" if match else own
            continue
        next_number += 1
        while next_number in taken:
            next_number += 1
        proposal.number = f"第{next_number:04d}号"
