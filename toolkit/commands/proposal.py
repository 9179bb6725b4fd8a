"""`liaison proposal new`: a blank 建议 or 议案 draft to fill in, started from a reception when
asked (its date, station and content, never the visitor's identity)."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .. import chinese
from ..errors import UsageError
from ..model import Dataset
from ..read import read_workbook
from ..read.drafts import HINT_PREFIX, HINTS, SECTIONS
from ..rules import load_rules
from ..validate import validate
from ..validate.proposals import SHEET, check_proposals


@dataclass(frozen=True)
class Prefill:
    """What `liaison proposal new` knows before the deputy writes: the lead and a reception."""

    lead: str = ""
    code: str = ""  # 代表证号
    title: str = ""
    field_: str = ""  # 所属领域
    unit: str = ""  # 建议承办单位
    problem: str = ""  # the 现状与问题 text, citing the reception
    reception: str = ""  # 来源接待: its 登记编号


def _scalar(value: str) -> str:
    """A YAML scalar that reads back as exactly `value` (quoted when YAML would read it
    otherwise: a colon, a #, a leading quote, a number, a date, yes/no…)."""
    if not value:
        return ""
    plain = re.fullmatch(r"[\u3000-\u9fff\uff00-\uffef·…\w—－-]+", value) and not value[0].isdigit()
    if plain and yaml.safe_load(value) == value:
        return value
    return json.dumps(value, ensure_ascii=False)


def title_from(content: str, kind: str) -> str:
    """A title to start from: 关于解决<the first clause of what the voter said>问题的建议."""
    clause = next((c for c in re.split(r"[，。；！？,.;!?\n]", content) if c.strip()), "")
    clause = re.sub(r"^(我们|本人|我|希望|建议|反映|要求|群众反映)+", "", clause.strip())
    clause = clause[:20].rstrip("的")
    if not clause:
        return f"关于……的{kind}"
    return f"关于解决{clause}{'' if clause.endswith('问题') else '问题'}的{kind}"


def new_draft(kind: str, prefill: Prefill, today: dt.date) -> str:
    """The text of a blank draft: front matter with a comment on each item, and the sections of
    `kind` (建议 or 议案), each with its one-line hint."""
    title = prefill.title or f"关于……的{kind}"
    cosigners = (
        "[]  # 议案须有联名代表：县级以上共 10 名、乡镇共 5 名（含领衔代表），如 [李娜, 张建国]"
        if kind == "议案"
        else "[]  # 联名提出时填写，如 [李娜, 张建国]"
    )
    front = [
        "---",
        f"# 代表{kind}草稿。填好各项和下面各部分后，"
        "用 liaison build --proposals 文件夹 生成正式文本。",
        f"标题: {_scalar(title)}  # 写成“关于……的{kind}”，一事一议",
        f"类别: {kind}",
        f"领衔代表: {_scalar(prefill.lead)}",
        f"代表证号: {_scalar(prefill.code)}",
        f"附议代表: {cosigners}",
        f"所属领域: {_scalar(prefill.field_)}",
        f"建议承办单位: {_scalar(prefill.unit)}",
        f"提出日期: {today.isoformat()}",
    ]
    if prefill.reception:
        front.append(f"来源接待: {_scalar(prefill.reception)}  # 接待登记的登记编号")
    front.append("---")
    body: list[str] = []
    for part in SECTIONS[kind]:
        body += ["", f"## {part}", "", HINT_PREFIX + HINTS[part]]
        if part == "现状与问题" and prefill.problem:
            body += ["", prefill.problem]
        body.append("")
    return "\n".join(front + body).rstrip("\n") + "\n"


def draft_text(kind: str, items: dict[str, Any], sections: dict[str, str]) -> str:
    """A filled-in draft of `kind` (建议 or 议案), as a deputy would save it after `proposal new`:
    `items` are front-matter items (标题, 领衔代表, 附议代表 as a list of names, 提出日期, …;
    blanks left out), `sections` the text of each part of the type. Read back by `parse_draft`
    to exactly these values, so a form that is not a text editor (the web page's) gets the
    checks and the documents of a draft file."""
    if kind not in SECTIONS:
        raise UsageError(f"类别“{kind}”不是可选值", hint="可选：建议、议案")
    front = ["---", f"类别: {kind}"]
    for key, value in items.items():
        if key == "类别" or value in (None, "", [], ()):
            continue
        if isinstance(value, list | tuple):
            front.append(f"{key}: [{', '.join(_scalar(str(v)) for v in value if v)}]")
        else:
            front.append(f"{key}: {_scalar(str(value))}")
    body: list[str] = []
    for part in SECTIONS[kind]:
        body += ["", f"## {part}", "", (sections.get(part) or "").replace("\r\n", "\n")]
    return "\n".join([*front, "---", *body]).rstrip("\n") + "\n"


def reception_problem(record_values: dict[str, Any]) -> str:
    """The 现状与问题 paragraph a reception gives: when and where, and what was raised. The
    visitor's name, phone and address stay out (a proposal is a public document)."""
    content = " ".join(
        line.strip() for line in str(record_values.get("反映内容") or "").splitlines()
    )
    date = chinese.cn_date(record_values.get("接待日期"))
    station = record_values.get("联络站") or ""
    code = record_values.get("登记编号") or ""
    cite = f"（接待登记编号：{code}）" if code else ""
    return f"{date}，选民在{station}接待活动中反映{cite}：{content}"


def write_new_draft(
    path: Path,
    kind: str = "建议",
    *,
    lead: str | None = None,
    reception: str | None = None,
    workbook: Path | None = None,
    today: dt.date | None = None,
    overwrite: bool = False,
) -> Path:
    """`liaison proposal new`: a draft to fill in at `path`. The workbook (default: the bundled
    sample) is read only to look up the lead (its 代表证号) and the reception (`登记编号`), whose
    content, date and station start the 现状与问题 section and a suggested title."""
    from ..errors import UsageError
    from ..write import write_atomic

    path = Path(path)
    if kind not in SECTIONS:
        raise UsageError(f"--type “{kind}”不是可选值", hint="可选：建议、议案")
    if path.suffix.lower() not in (".md", ".markdown"):
        raise UsageError(f"“{path.name}”的扩展名应为 .md", hint=f"例如：{path.stem}.md")
    if path.exists() and not overwrite:
        raise UsageError(f"文件“{path}”已存在", hint="如需覆盖请加 --force")
    prefill = Prefill()
    if lead or reception:
        prefill = _prefill(kind, lead, reception, workbook)
    text = new_draft(kind, prefill, today or dt.date.today())
    write_atomic(path, lambda stream: stream.write(text.encode("utf-8")))
    return path


def _prefill(kind: str, lead: str | None, code: str | None, workbook: Path | None) -> Prefill:
    from ..errors import UsageError
    from ..values import ValueProblem
    from .build import check

    data = check(workbook, pdf=False)
    found: dict[str, Any] = {}
    if code:
        wanted = code.strip().upper()
        match = next(
            (r for r in data.rows("接待登记") if (r["登记编号"] or "").upper() == wanted), None
        )
        if match is None:
            raise UsageError(
                f"--from-reception 接待登记中找不到登记编号“{code}”",
                hint="请核对登记编号（该行有错误时也找不到，可先运行 liaison check）",
            )
        found = dict(match.values)
    name = lead or next(iter(found.get("接待代表") or ()), "")
    deputy = None
    if name:
        try:
            deputy = data.roster.resolve_one(name)
        except ValueProblem as problem:
            raise UsageError(f"--lead {problem.message}", hint=problem.hint) from None
    content = str(found.get("反映内容") or "")
    return Prefill(
        lead=deputy.display if deputy else "",
        code=deputy.code if deputy else "",
        title=title_from(content, kind) if found else "",
        field_=str(found.get("问题类别") or ""),
        unit=str(found.get("承办单位") or ""),
        problem=reception_problem(found) if found else "",
        reception=str(found.get("登记编号") or ""),
    )


def check_drafts(
    folder: Path,
    workbook: Path | None = None,
    level: str | None = None,
    rules_path: Path | None = None,
) -> Dataset:
    """`liaison proposal check`: the drafts of `folder` checked against the workbook's roster
    (default: the bundled sample); the workbook's own rows are not reported on."""
    from .build import resolve_workbook

    data = validate(read_workbook(resolve_workbook(workbook)), load_rules())
    data.problems.clear()
    data.rejected.clear()
    data.read.clear()
    data.records.pop(SHEET, None)
    check_proposals(data, folder, level, rules_path, glyphs=True)
    return data
