"""The station's books (DESIGN §6 "Registers", "Follow-up"): the congress term a 代表履职档案 and
`score --term` cover, and how a 督办单 reads — local practice in a rules file a district may
replace (default `forms/rules/books.yaml`).

    届期: 2022-2026            # the term: its first and last year (also “2022年至2026年”)
    届次: 第十八届              # optional: how the 档案 names the term
    督办:
      答复期限: 5个工作日       # the unit replies within this, counted from the notice's date
      印来访人: false           # true: it also prints the visitor's name, phone and address
      督办单位: ""              # who issues it (default: the station)
      联系人: ""                # the station's contact (default: its 负责人)
      联系电话: ""              # (default: the station's phone)

`load_book_rules(path=None)` reads it into `BookRules`; a mistake is a `ToolkitError` naming the
file, the line and the key. `chosen_term(option, rules)` is the term `--term` asks for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ToolkitError, UsageError
from ..paths import FORMS_DIR
from ..values import Days, ValueProblem, parse_deadline
from .files import key_node, line_of, read_rules_file
from .kinds import BOOK_KEYS

DEFAULT_BOOK_RULES = FORMS_DIR / "rules" / "books.yaml"
NOTICE_KEYS = ("答复期限", "印来访人", "督办单位", "联系人", "联系电话")
_TERM = re.compile(r"^\s*(\d{4})\s*年?\s*(?:-|—|–|~|～|至|到)\s*(\d{4})\s*年?\s*$")


@dataclass(frozen=True)
class Term:
    """A congress term: the years it covers, both included, and how documents name it."""

    first: int
    last: int
    name: str = ""

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(range(self.first, self.last + 1))

    @property
    def label(self) -> str:
        """第十八届（2022—2026年）, or 2022—2026年 届期 when the rules give no name."""
        span = f"{self.first}—{self.last}年"
        return f"{self.name}（{span}）" if self.name else f"{span}届期"


@dataclass(frozen=True)
class NoticeRules:
    reply_within: Days = field(default_factory=lambda: Days(5, True))
    show_visitor: bool = False  # the visitor's identity stays with the station unless said
    issuer: str = ""
    contact: str = ""
    phone: str = ""


@dataclass(frozen=True)
class BookRules:
    term: Term | None = None
    notice: NoticeRules = NoticeRules()
    source: str = ""


def parse_term(text: str) -> Term:
    """“2022-2026”, “2022至2026”, “2022年—2026年” → Term(2022, 2026); a ValueProblem otherwise."""
    found = _TERM.match(str(text))
    if not found:
        raise ValueProblem(f"“{text}”不是届期", "写成 2022-2026（第一年-最后一年）")
    first, last = int(found.group(1)), int(found.group(2))
    if not 1949 <= first <= last <= 2200 or last - first > 10:
        raise ValueProblem(f"届期“{text}”不合理", "第一年不晚于最后一年，一届不超过 10 年")
    return Term(first, last)


def load_book_rules(path: Path | None = None) -> BookRules:
    path = Path(path) if path else DEFAULT_BOOK_RULES
    data, root = read_rules_file(path)
    if not any(key in data for key in BOOK_KEYS):
        if path != DEFAULT_BOOK_RULES:
            return load_book_rules(DEFAULT_BOOK_RULES)  # a file of other rules: the defaults
        return BookRules(source=str(path))
    term = None
    if data.get("届期") is not None:
        try:
            term = parse_term(str(data["届期"]))
        except ValueProblem as problem:
            raise _fail(path, root, "届期", f"“届期”：{problem.message}", problem.hint) from None
    name = data.get("届次")
    if name is not None:
        if not isinstance(name, str):
            raise _fail(path, root, "届次", "“届次”应为文字，如 第十八届")
        if term is None:
            raise _fail(path, root, "届次", "写了“届次”，还要写“届期”", "如 届期: 2022-2026")
        term = Term(term.first, term.last, name.strip())
    notice = _notice(path, root, data.get("督办"))
    return BookRules(term, notice, str(path))


def _notice(path: Path, root: Any, entry: Any) -> NoticeRules:
    if entry is None:
        return NoticeRules()
    if not isinstance(entry, dict):
        raise _fail(path, root, "督办", "“督办”应写成“键: 值”，如 答复期限: 5个工作日")
    unknown = set(entry) - set(NOTICE_KEYS)
    if unknown:
        raise _fail(
            path,
            root,
            "督办",
            f"“督办”：未知的键“{sorted(unknown)[0]}”",
            f"可用的键：{'、'.join(NOTICE_KEYS)}",
        )
    reply = Days(5, True)
    if entry.get("答复期限") is not None:
        try:
            limit = parse_deadline(str(entry["答复期限"]))
        except ValueProblem as problem:
            raise _fail(path, root, "督办", f"“督办”答复期限：{problem.message}") from None
        if not isinstance(limit, Days):
            raise _fail(
                path, root, "督办", f"“督办”答复期限应为天数，而不是“{entry['答复期限']}”",
                "如 5个工作日、7天",
            )  # fmt: skip
        reply = limit
    show = entry.get("印来访人", False)
    if not isinstance(show, bool):
        raise _fail(path, root, "督办", f"“督办”印来访人应为 true 或 false，而不是“{show}”")
    texts = {}
    for key in ("督办单位", "联系人", "联系电话"):
        value = entry.get(key)
        if value is not None and not isinstance(value, str | int):
            raise _fail(path, root, "督办", f"“督办”{key}应为文字")
        texts[key] = str(value or "").strip()
    return NoticeRules(reply, show, texts["督办单位"], texts["联系人"], texts["联系电话"])


def _fail(path: Path, root: Any, key: str, message: str, hint: str = "") -> ToolkitError:
    return ToolkitError(message, where=f"{path.name}{line_of(key_node(root, key))}", hint=hint)


def chosen_term(option: str | None, rules: BookRules) -> Term | None:
    """The term `--term` asks for: its own years (“2022-2026”), or with no years ("") the rules
    file's 届期 — named by the rules' 届次 when the years are the same. None without --term."""
    if option is None:
        return None
    if not option.strip():
        if rules.term is None:
            raise UsageError(
                "规则文件没有写“届期”，--term 要写明年份",
                hint="如 --term 2022-2026，或在规则文件中写 届期: 2022-2026",
            )
        return rules.term
    try:
        term = parse_term(option)
    except ValueProblem as problem:
        raise UsageError(f"--term：{problem.message}", hint=problem.hint) from None
    if rules.term is not None and rules.term.years == term.years:
        return rules.term
    return term
