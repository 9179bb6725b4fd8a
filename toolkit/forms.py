"""The form registry: each folder of `forms/` with a `form.yaml` is one form (house style: forms
are data).

A form says, in a small fixed vocabulary, what one document is made from and when it applies:

  per:   row             a row of `sheet`
         station_period  a station and a period (a register, a station's 公示)
         deputy_year     a deputy and the year (or the --from/--to period)
         meeting         a row of 会议
         proposal        a 建议 or 议案 (a row of 代表建议 or a draft)
         period          the period's rows at once (a tally, a summary table)
         sitting         a deputy's 述职 (a 述职测评 row, or a 述职 activity)
         station_month   a station and a month of the period (a monthly 接待选民日公告)
  when:  conditions a document needs (WHEN below), all of them
  adds:  what the context gains beyond the record (ADDS below)
  binds: the forms whose documents of one meeting make this form's one file (a pack)
  templates_from: the form whose folder holds this form's templates, when they are the same

`family` names the stage-family module that plans it (derive/<family>.py). Adding a form of an
existing kind is a folder and no code. `load_forms()` parses every definition into a typed
`FormDef`; `select_forms()` resolves what a user typed after `--only`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from . import chinese, contract, yamltext
from .errors import TemplateError, UsageError
from .paths import FORMS_DIR

FORMATS = ("docx", "pdf", "xlsx")
TEMPLATE_FILES = {"docx": "template.docx", "pdf": "template.html", "xlsx": "layout.yaml"}
PERS = (
    "row",
    "station_period",
    "deputy_year",
    "meeting",
    "proposal",
    "period",
    "sitting",
    "station_month",
)
WHEN = {
    "handed_on": "处理方式属于交办",
    "has_agenda": "“议程”有内容",
    "vote_with_items": "民生实事票决会，且有票决项目",
    "vote_with_results": "民生实事票决会，且有票决结果",
    "rated": "政府部门进站或代表议事会",
    "rated_with_result": "政府部门进站或代表议事会，且有满意度测评",
    "has_text": "写有正文",
    "kind_suggestion": "类别为建议",
    "kind_motion": "类别为议案",
    "replied": "已答复（作为建议办理）",
    "combined": "加 --combined 时",
    "overdue": "交办事项截至 --as-of 逾期未办结",
    "closed": "交办事项截至 --as-of 已办结",
    "training": "学习培训（活动类型为学习培训，或学习培训会）",
}
ADDS = {
    "notice": "通知：标题、成文日期、主送、张贴公告的接待代表",
    "sign_sheet": "签到表：参会代表和空白签到行",
    "ballot": "票决票：票决项目和份数",
    "tally": "计票结果：各项目的票数和是否通过",
    "rating_form": "满意度测评表：测评对象和份数",
    "rating_result": "满意度测评结果：各等次票数和比例",
    "body": "建议、议案的正文各部分",
}
LEGACY_FILE = FORMS_DIR / "legacy.yaml"  # the older words, and what they mean today


@dataclass(frozen=True)
class FormDef:
    id: str
    title: str
    family: str
    sheet: str  # the records each document is made from
    per: str  # what one document is made from: one of PERS
    formats: tuple[str, ...]
    filename: str  # pattern of contract field names in braces; the title is always prepended
    folder: Path
    when: tuple[str, ...] = ()  # conditions (WHEN) a document needs
    description: str = ""
    landscape: bool = False
    adds: tuple[str, ...] = ()  # what a context gains (ADDS)
    binds: tuple[str, ...] = ()  # a pack: the forms whose documents it binds, in order
    templates_from: str = ""  # the form (a sibling folder) whose templates this form uses

    def template(self, fmt: str) -> Path:
        own = self.folder / TEMPLATE_FILES[fmt]
        if self.templates_from and not own.exists():
            return self.folder.parent / self.templates_from / TEMPLATE_FILES[fmt]
        return own

    def style(self) -> Path:
        """The form's own stylesheet (beside the HTML template it uses)."""
        return self.template("pdf").with_name("style.css")

    def digest(self, fmt: str) -> str:
        """Changes when the template does, so a rerun regenerates what a new template affects;
        for a PDF also when its stylesheets or the renderer's line-keeping pass do."""
        files = [self.folder / "form.yaml", self.template(fmt)]
        if fmt == "pdf":
            styles = [self.style(), *sorted((FORMS_DIR / "styles").glob("*.css"))]
            files += [f for f in styles if f.is_file()]
            files.append(Path(__file__).parent / "render" / "nobreak.py")
        stamps = tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files)
        return _digest(stamps)


@lru_cache(maxsize=256)
def _digest(stamps: tuple[tuple[str, int, int], ...]) -> str:
    """Hash of the files named in `stamps`; cached per (path, mtime, size), not per call."""
    h = hashlib.sha256()
    for path, _, _ in stamps:
        h.update(Path(path).read_bytes())
    return h.hexdigest()


def _fail(path: Path, message: str) -> TemplateError:
    return TemplateError(message, where=str(path))


# Long function: each key of form.yaml checked in turn, each with its own message.
def load_form(folder: Path) -> FormDef:
    path = folder / "form.yaml"
    try:
        data = yamltext.load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise _fail(path, f"无法读取表单定义：{exc}") from None
    if not isinstance(data, dict):
        raise _fail(path, "表单定义应为“键: 值”的形式")
    known = {
        "id",
        "title",
        "family",
        "sheet",
        "per",
        "formats",
        "filename",
        "select",
        "when",
        "adds",
        "binds",
        "templates_from",
        "description",
        "landscape",
    }
    unknown = set(data) - known
    if unknown:
        raise _fail(path, f"未知的键“{sorted(unknown)[0]}”（可用：{'、'.join(sorted(known))}）")
    for key in ("id", "title", "sheet", "formats", "filename"):
        if not data.get(key):
            raise _fail(path, f"缺少“{key}”")
    form_id = str(data["id"])
    if not form_id.isascii() or not form_id.replace("_", "").isalnum():
        raise _fail(path, f"id“{form_id}”只能用英文字母、数字和下划线")
    if data["sheet"] not in contract.SHEETS_BY_NAME:
        raise _fail(path, f"sheet“{data['sheet']}”不是台账中的工作表")
    source = str(data.get("templates_from") or "")
    # The sibling is needed only for a template this folder lacks (an exported copy has its own).
    lacking = any(not (folder / TEMPLATE_FILES.get(f, "")).is_file() for f in data["formats"])
    if source and lacking and not (folder.parent / source / "form.yaml").is_file():
        raise _fail(path, f"templates_from“{source}”不是同一文件夹中的表单")
    formats = tuple(data["formats"])
    for fmt in formats:
        if fmt not in FORMATS:
            raise _fail(path, f"格式“{fmt}”不受支持（可用：{'、'.join(FORMATS)}）")
        here = folder / TEMPLATE_FILES[fmt]
        if not here.exists() and not (source and (folder.parent / source / here.name).exists()):
            raise _fail(path, f"缺少模板文件 {TEMPLATE_FILES[fmt]}")
    per, when, adds, binds = _vocabulary(path, data)
    return FormDef(
        form_id,
        str(data["title"]),
        family_of(data),
        data["sheet"],
        per,
        formats,
        str(data["filename"]),
        folder,
        when,
        str(data.get("description", "")),
        bool(data.get("landscape", False)),
        adds,
        binds,
        source,
    )


def _names(path: Path, data: dict, key: str, allowed: dict[str, str] | None) -> tuple[str, ...]:
    raw = data.get(key) or []
    items = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise _fail(path, f"“{key}”应为名称的列表")
    for item in items:
        if allowed is not None and item not in allowed:
            raise _fail(path, f"{key}“{item}”不受支持（可用：{'、'.join(allowed)}）")
    return tuple(items)


def _vocabulary(
    path: Path, data: dict
) -> tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(per, when, adds, binds) of a definition, older words (legacy.yaml) and `select` read
    as the vocabulary says them today."""
    legacy = _legacy()
    per = str(data.get("per", "row"))
    when = _names(path, data, "when", WHEN)
    adds = _names(path, data, "adds", ADDS)
    binds = _names(path, data, "binds", None)
    select = data.get("select") or ""
    if select:
        if select not in WHEN:
            raise _fail(path, f"select“{select}”不受支持（可用：{'、'.join(WHEN)}）")
        when = (*when, select)
    if per in legacy["per"]:
        meaning = legacy["per"][per]
        per = meaning["per"]
        when = (*meaning.get("when", ()), *when)
        adds = adds or tuple(meaning.get("adds", ()))
        binds = binds or tuple(meaning.get("binds", ()))
    elif per == "meeting" and "adds" not in data and not binds:
        adds = tuple(legacy["meeting_adds"])
    if per not in PERS:
        raise _fail(path, f"per“{per}”不受支持（可用：{'、'.join(PERS)}）")
    return per, tuple(dict.fromkeys(when)), adds, binds


@lru_cache(maxsize=1)
def _legacy() -> dict:
    return yamltext.load(LEGACY_FILE.read_text(encoding="utf-8"))


def family_of(data: dict) -> str:
    family = str(data.get("family", "") or "")
    return _legacy()["family"].get(family, family)


def load_forms(root: Path = FORMS_DIR) -> dict[str, FormDef]:
    forms: dict[str, FormDef] = {}
    for folder in sorted(p for p in root.iterdir() if (p / "form.yaml").is_file()):
        form = load_form(folder)
        forms[form.id] = form
    return forms


FORMS_DIR_ENV = "LIAISON_FORMS_DIR"
CONFIG_FILE = "liaison.toml"


def user_forms_dir(explicit: Path | None, workbook: Path | None) -> Path | None:
    """Where a district keeps its own forms: --forms-dir, else $LIAISON_FORMS_DIR, else
    `forms_dir` in a liaison.toml next to the workbook (relative to that file)."""
    if explicit:
        return Path(explicit)
    if os.environ.get(FORMS_DIR_ENV):
        return Path(os.environ[FORMS_DIR_ENV])
    if workbook is not None:
        config = Path(workbook).parent / CONFIG_FILE
        if config.is_file():
            try:
                data = tomllib.loads(config.read_text(encoding="utf-8"))
            except (OSError, tomllib.TOMLDecodeError) as exc:
                raise UsageError(f"{CONFIG_FILE} 格式有误：{exc}", where=str(config)) from None
            value = data.get("forms_dir")
            if value is not None:
                if not isinstance(value, str):
                    raise UsageError("forms_dir 应为文件夹路径（字符串）", where=str(config))
                return (config.parent / value).resolve()
    return None


def catalogue(user_dir: Path | None = None) -> dict[str, FormDef]:
    """Our forms, with the district's own forms (same id: theirs wins; new ids: added)."""
    found = load_forms(FORMS_DIR)
    if user_dir is not None:
        if not Path(user_dir).is_dir():
            raise UsageError(
                f"表单文件夹“{user_dir}”不存在", hint="请检查 --forms-dir 或 liaison.toml"
            )
        found.update(load_forms(Path(user_dir)))
    return found


def select_forms(forms: dict[str, FormDef], wanted: list[str] | tuple[str, ...]) -> list[FormDef]:
    """Forms named by id or Chinese title; every name must match one form."""
    if not wanted:
        return list(forms.values())
    names = [n.strip() for item in wanted for n in item.replace("，", ",").split(",") if n.strip()]
    chosen: list[FormDef] = []
    by_title = {contract.normalise_header(f.title): f for f in forms.values()}
    for name in names:
        form = forms.get(name) or by_title.get(contract.normalise_header(name))
        if form is None:
            options = "；".join(f"{f.id}（{f.title}）" for f in forms.values())
            raise UsageError(f"没有名为“{name}”的表单", hint=f"可选：{options}")
        if form not in chosen:
            chosen.append(form)
    return chosen


def export_form(form: FormDef, target: Path, *, overwrite: bool = False) -> Path:
    """Copy a form's folder (definition and templates) to `target`/<folder> for editing."""
    destination = Path(target) / form.folder.name
    if destination.exists() and not overwrite:
        raise UsageError(f"“{destination}”已存在", hint="如需覆盖请加 --force")
    Path(target).mkdir(parents=True, exist_ok=True)
    shutil.copytree(form.folder, destination, dirs_exist_ok=True)
    # A form that borrows a sibling's templates gets copies of them: the exported folder is
    # edited and used on its own, where the sibling is not beside it.
    for fmt in form.formats:
        shared = form.template(fmt)
        borrowed = [shared, shared.with_name("style.css")] if fmt == "pdf" else [shared]
        for source in borrowed:
            if source.parent != form.folder and source.exists():
                shutil.copy2(source, destination / source.name)
    return destination


# What a template can do with a field (chinese.typed): a 日期 takes |大写日期, a 名单 a for loop.
_KINDS = {
    chinese.Date: "日期",
    chinese.Time: "时间",
    chinese.Names: "名单",
    chinese.Percent: "比例",
    dt.date: "日期",
}


def describe_fields(context: dict[str, object], prefix: str = "") -> list[tuple[str, str, str]]:
    """(field as written in a template, kind, example) for every value of a context."""
    rows: list[tuple[str, str, str]] = []
    for name, value in context.items():
        path = f"{prefix}{name}"
        if isinstance(value, dict):
            rows.extend(describe_fields(value, path + "."))
        elif isinstance(value, Sequence) and not isinstance(value, str | bytes | tuple):
            rows.append((path, "列表", f"{len(value)} 项"))
            if value and isinstance(value[0], dict):
                rows.extend(describe_fields(value[0], path + "[]."))
        else:
            kind = _KINDS.get(type(value)) or ("数字" if isinstance(value, int | float) else "文本")
            example = str(value).replace("\n", "⏎")
            rows.append((path, kind, example[:40] + ("……" if len(example) > 40 else "")))
    return rows
