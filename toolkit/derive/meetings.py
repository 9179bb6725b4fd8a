"""The meeting family: the documents of each row of 会议 in the chosen period (`per: meeting`).

A meeting form says in its form.yaml which meetings it is for (`when`: has_agenda,
vote_with_items, vote_with_results, rated, rated_with_result, combined) and what its context
gains (`adds`: notice, sign_sheet, ballot, tally, rating_form, rating_result); a pack (`binds`) is
one file of every document of a meeting, each part as its own form makes it (render/pack.py).

A context carries the meeting's columns (typed values), the station (站点), the expected
deputies (参会代表: name, level, unit — never a personal phone number), the agenda items, and
what each document adds (项目, 计票, 测评). Cross-sheet rules live in validate/meetings.py.
"""

# Long module: the meeting family's eight documents share the meeting context and the
# when/adds vocabulary; DESIGN §3 keeps a family in one module per stage.

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from typing import Any

from .. import chinese
from ..forms import FormDef, load_forms
from ..model import Dataset, Document, PlanEnv, Record
from ..paths import FORMS_DIR
from ..validate.meetings import RATED, VOTE, attendees
from . import fields as derived

GUEST_ROWS = 6  # blank rows under the expected attendees, for guests and voters
WEEKDAYS = "一二三四五六日"
_ITEM_NUMBER = re.compile(
    r"^\s*(?:[(（]?[0-9０-９一二三四五六七八九十]+[)）.．、,，:：]|[(（][0-9一二三四五六七八九十]+[)）]"
    r"|[①-⑳]|[-•·*])\s*"
)


# ── what every meeting document knows ───────────────────────────────────────────────────────


def agenda_items(text: str | None) -> list[str]:
    """The 议程 cell, one item a line, with the clerk's own numbering (1. 一、（1）①) removed."""
    items = []
    for line in (text or "").splitlines():
        item = _ITEM_NUMBER.sub("", line, count=1).strip()
        if item:
            items.append(item)
    return items


def meeting_time(meeting: Record) -> str:
    """2024年3月5日（星期二）上午9:30."""
    day, start = meeting["日期"], meeting["开始时间"]
    text = f"{chinese.cn_date(day)}（星期{WEEKDAYS[day.weekday()]}）" if day else ""
    if isinstance(start, dt.time):
        half = "上午" if start.hour < 12 else "下午"
        hour = start.hour if start.hour <= 12 else start.hour - 12
        text += f"{half}{hour}:{start.minute:02d}"
    return text


def meeting_context(form: FormDef, data: Dataset, meeting: Record) -> dict[str, Any]:
    context: dict[str, Any] = {"表单名称": form.title}
    context.update(derived.record_fields(meeting))
    context["站点"] = derived.station_fields(data, meeting["联络站"] or "")
    people = []
    for i, deputy in enumerate(attendees(data, meeting).deputies, start=1):
        fields = derived.deputy_fields(data, deputy.display)
        people.append(
            {
                "序号": i,
                "姓名": deputy.display,
                "代表层级": fields.get("代表层级", ""),
                "工作单位及职务": fields.get("工作单位及职务", ""),
                "性别": fields.get("性别", ""),
            }
        )
    context["参会代表"] = people
    context["参会代表名单"] = "、".join(p["姓名"] for p in people)
    context["应到"] = meeting["应到人数"] or len(people)
    context["议程项"] = agenda_items(meeting["议程"])
    context["会议时间"] = meeting_time(meeting)
    context["落款"] = meeting["主办单位"] or meeting["联络站"] or ""
    context["行号"] = meeting.row
    return context


def notice_extras(context: dict[str, Any], meeting: Record) -> None:
    """接待选民日 posts a public notice: who receives (name and level only) and the station's
    own phone — the context holds no other number."""
    context["公告"] = meeting["会议类型"] == "接待选民日"
    context["接待代表"] = [
        {"姓名": p["姓名"], "代表层级": p["代表层级"]} for p in context["参会代表"]
    ]
    context["成文日期"] = chinese.cn_date(meeting["通知日期"])
    context["通知标题"] = balanced(notice_title(meeting))
    context["动词"] = _VERBS.get(meeting["会议类型"], "召开")
    context["会议地点"] = meeting["地点"] or "另行通知"
    context["主送"] = f"{meeting['联络站']}各位代表" if meeting["联络站"] else "各位代表"
    people = meeting["参会人员"] or "全体进站代表"
    context["参会范围"] = people if "全体" in people else context["参会代表名单"]


_VERBS = {"学习培训会": "举办", "政府部门进站": "开展"}
TITLE_CHARS = 20  # 2号 characters on a 156 mm line


def balanced(title: str) -> str:
    """A title too long for one line, broken into lines of nearly equal length (GB/T 9704
    wants multi-line titles balanced, not a last line of one character)."""
    lines = -(-len(title) // TITLE_CHARS)
    if lines <= 1:
        return title
    size = -(-len(title) // lines)
    if lines == 2:  # break after a 的 near the middle rather than inside a word
        fits = range(max(size - 3, len(title) - TITLE_CHARS), min(size + 3, TITLE_CHARS + 1))
        near = [p for p in fits if title[p - 1] == "的"]
        if near:
            size = min(near, key=lambda p: abs(p - size))
    return "\n".join(title[i : i + size] for i in range(0, len(title), size))


def notice_title(meeting: Record) -> str:
    """关于召开……的通知 (举办 a training, 开展 a department's visit); a public notice for
    接待选民日."""
    if meeting["会议类型"] == "接待选民日":
        return "人大代表接待选民日公告"
    name = meeting["会议名称"] or ""
    verb = _VERBS.get(meeting["会议类型"], "召开")
    name = name.removeprefix("关于")
    if verb == "开展" and not name.endswith("活动"):
        name += "活动"
    return f"关于{verb}{name}的通知"


def sign_in_extras(context: dict[str, Any]) -> None:
    rows = [dict(p, 签名="", 备注="") for p in context["参会代表"]]
    start = len(rows) + 1
    rows += [
        {"序号": n, "姓名": "", "代表层级": "", "工作单位及职务": "", "签名": "", "备注": ""}
        for n in range(start, start + GUEST_ROWS)
    ]
    context["签到"] = rows
    context["空行数"] = GUEST_ROWS


# ── 票决 and 测评 ───────────────────────────────────────────────────────────────────────────


def _code(value: object) -> str:
    return str(value or "").upper()


def vote_items(data: Dataset, meeting: Record) -> list[Record]:
    return _of_meeting(data, "票决项目", meeting)


def vote_results(data: Dataset, meeting: Record) -> list[Record]:
    return _of_meeting(data, "票决结果", meeting)


def rating(data: Dataset, meeting: Record) -> Record | None:
    return next(iter(_of_meeting(data, "满意度测评", meeting)), None)


def _of_meeting(data: Dataset, sheet: str, meeting: Record) -> list[Record]:
    """A meeting's rows of `sheet`, from an index built once per dataset: each meeting's forms
    asked for them two or three times, and each time the whole sheet was scanned."""
    code = _code(meeting["会议编号"])
    if not code:
        return []

    def make() -> dict[str, list[Record]]:
        index: dict[str, list[Record]] = {}
        for r in data.rows(sheet):
            key = _code(r["会议编号"])
            if key:
                index.setdefault(key, []).append(r)
        return index

    return list(data.cached(("by meeting", sheet), make, (sheet,)).get(code, ()))


def passes(yes: int, entitled: int) -> bool:
    """Adopted when more than half of all deputies entitled to vote say yes: exactly half
    is not more than half."""
    return yes * 2 > entitled


def ballot_extras(context: dict[str, Any], items: list[Record], copies: int) -> None:
    context["项目"] = [
        dict(derived.record_fields(item), 序号=i) for i, item in enumerate(items, start=1)
    ]
    context["份数"] = max(1, copies)


def tally_extras(context: dict[str, Any], items: list[Record], results: list[Record]) -> None:
    entitled = int(context["应到"] or 0)
    by_item = {_code(r["项目编号"]): r for r in results}
    rows, adopted = [], 0
    for i, item in enumerate(items, start=1):
        fields = dict(derived.record_fields(item), 序号=i)
        result = by_item.get(_code(item["项目编号"]))
        if result is None:
            fields.update(发出票数="", 收回票数="", 赞成="", 反对="", 弃权="", 结果="未计票")
        else:
            yes = result["赞成"] or 0
            fields.update(
                发出票数=result["发出票数"] if result["发出票数"] is not None else "",
                收回票数=result["收回票数"] if result["收回票数"] is not None else "",
                赞成=yes,
                反对=result["反对"] or 0,
                弃权=result["弃权"] or 0,
                结果="通过" if passes(yes, entitled) else "未通过",
            )
            adopted += fields["结果"] == "通过"
        rows.append(fields)
    context["项目"] = rows
    context["应到"] = entitled
    context["通过票数"] = entitled // 2 + 1  # the fewest yes votes that are more than half
    context["通过项数"] = adopted
    context["计票项数"] = sum(1 for r in rows if r["结果"] != "未计票")


def _share(part: int, whole: int) -> chinese.Percent | str:
    """part/whole as a share that prints 85.0% and is a number in Excel; "—" with no votes."""
    return chinese.percent(part, whole, digits=1) if whole else "—"


def rating_extras(context: dict[str, Any], record: Record) -> None:
    counts = {k: record[k] or 0 for k in ("满意", "基本满意", "不满意")}
    valid = sum(counts.values())
    context.update(
        发出票数=record["发出票数"] if record["发出票数"] is not None else "",
        收回票数=record["收回票数"] if record["收回票数"] is not None else "",
        有效票数=valid,
        满意率=_share(counts["满意"] + counts["基本满意"], valid),
    )
    context["测评"] = [{"等次": k, "票数": n, "占比": _share(n, valid)} for k, n in counts.items()]
    context.update(counts)


def rating_form_extras(context: dict[str, Any], copies: int) -> None:
    context["份数"] = max(1, copies)
    context["测评对象"] = (
        "本次进站部门对代表和群众所提问题的答复和办理"
        if context["会议类型"] == "政府部门进站"
        else "本次代表议事会的议事过程和形成的意见建议"
    )


# ── planners ────────────────────────────────────────────────────────────────────────────────

Select = Callable[[Dataset, Record], bool]
Extend = Callable[[dict[str, Any], Dataset, Record, PlanEnv], list[Record]]


def _document(
    form: FormDef, context: dict[str, Any], meeting: Record, more: list[Record]
) -> Document:
    parts = derived.fill_pattern(form.filename, {**meeting.values, "行号": meeting.row})
    if len(parts) < len(form.filename.split("_")):
        parts.append(f"第{meeting.row}行")  # a blank 会议编号: the row keeps names apart
    sources = [(r.title, r.row, r.digest) for r in (meeting, *more)]
    return Document(form, parts, context, sources)


def _has_agenda(data: Dataset, meeting: Record) -> bool:
    return bool(agenda_items(meeting["议程"]))


def _vote_with_items(data: Dataset, meeting: Record) -> bool:
    return meeting["会议类型"] == VOTE and bool(vote_items(data, meeting))


def _vote_with_results(data: Dataset, meeting: Record) -> bool:
    return _vote_with_items(data, meeting) and bool(vote_results(data, meeting))


def _rated(data: Dataset, meeting: Record) -> bool:
    return meeting["会议类型"] in RATED


def _rated_with_result(data: Dataset, meeting: Record) -> bool:
    return _rated(data, meeting) and rating(data, meeting) is not None


# The conditions and additions a meeting form names in its form.yaml (`when`, `adds`).
CONDITIONS: dict[str, Select] = {
    "has_agenda": _has_agenda,
    "vote_with_items": _vote_with_items,
    "vote_with_results": _vote_with_results,
    "rated": _rated,
    "rated_with_result": _rated_with_result,
}


def _notice(context: dict[str, Any], data: Dataset, m: Record, env: PlanEnv) -> list[Record]:
    notice_extras(context, m)
    return []


def _sign_in(context: dict[str, Any], data: Dataset, m: Record, env: PlanEnv) -> list[Record]:
    sign_in_extras(context)
    return []


def _ballot(context: dict[str, Any], data: Dataset, m: Record, env: PlanEnv) -> list[Record]:
    items = vote_items(data, m)
    ballot_extras(context, items, env.copies)
    return items


def _tally(context: dict[str, Any], data: Dataset, m: Record, env: PlanEnv) -> list[Record]:
    items, results = vote_items(data, m), vote_results(data, m)
    tally_extras(context, items, results)
    return [*items, *results]


def _rating_form(context: dict[str, Any], data: Dataset, m: Record, env: PlanEnv) -> list[Record]:
    rating_form_extras(context, env.copies)
    return []


def _rating_result(context: dict[str, Any], data: Dataset, m: Record, env: PlanEnv) -> list[Record]:
    record = rating(data, m)
    if record is None:  # a form that adds a result without asking for one (when: rated_with_result)
        return []
    rating_extras(context, record)
    return [record]


EXTRAS: dict[str, Extend] = {
    "notice": _notice,
    "sign_sheet": _sign_in,
    "ballot": _ballot,
    "tally": _tally,
    "rating_form": _rating_form,
    "rating_result": _rating_result,
}


def _applies(form: FormDef, data: Dataset, meeting: Record, env: PlanEnv) -> bool:
    if "combined" in form.when and not env.combined:
        return False
    return all(CONDITIONS[c](data, meeting) for c in form.when if c in CONDITIONS)


def _extend(
    context: dict[str, Any], form: FormDef, data: Dataset, meeting: Record, env: PlanEnv
) -> list[Record]:
    """The form's additions to a meeting's context; the other records they rest on."""
    more: list[Record] = []
    for name in form.adds:
        more += EXTRAS[name](context, data, meeting, env)
    return more


def _chosen(form: FormDef, data: Dataset, env: PlanEnv) -> list[Record]:
    return [
        m
        for m in data.rows("会议")
        if env.period.contains(m["日期"]) and _applies(form, data, m, env)
    ]


def plan_meetings(form: FormDef, data: Dataset, env: PlanEnv) -> Iterator[Document]:
    """One document per meeting of the period the form applies to; a pack (`binds`) holds the
    contexts of every form it binds that applies to the meeting."""
    parts = _part_forms(form) if form.binds else []
    for meeting in _chosen(form, data, env):
        context = meeting_context(form, data, meeting)
        more = _extend(context, form, data, meeting, env)
        if parts:
            context["部分"], bound = _parts(parts, data, meeting, env)
            more += bound  # the parts' records, each once
            more = list({(r.sheet, r.row): r for r in more}.values())
        yield _document(form, context, meeting, more)


def count_meetings(form: FormDef, data: Dataset, env: PlanEnv) -> int:
    return len(_chosen(form, data, env))


def _parts(
    parts: list[FormDef], data: Dataset, meeting: Record, env: PlanEnv
) -> tuple[list[dict[str, Any]], list[Record]]:
    found, more = [], []
    for part in parts:
        if not _applies(part, data, meeting, env):
            continue
        context = meeting_context(part, data, meeting)
        more += _extend(context, part, data, meeting, env)
        found.append(
            {
                "表单": part.id,
                "目录": str(part.folder.parent),
                "格式": list(part.formats),
                "内容": context,
            }
        )
    return found, more


def _part_forms(pack: FormDef) -> list[FormDef]:
    """The forms a pack binds, in its order: those beside the pack's own folder, else ours. A
    pack written before `binds` (“*”) binds what the shipped pack binds."""
    found = load_forms(FORMS_DIR)
    root = pack.folder.parent
    if root.resolve() != FORMS_DIR.resolve():
        found.update(load_forms(root))
    names = pack.binds
    if names == ("*",):
        names = next(f.binds for f in load_forms(FORMS_DIR).values() if f.binds not in ((), ("*",)))
    return [found[n] for n in names if n in found and not found[n].binds]
