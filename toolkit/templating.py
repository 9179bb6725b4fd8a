"""The one factory for Jinja environments: sandboxed, strict, autoescaped (house style).

Data is data: values are escaped for the target (XML for docx, HTML for pdf), an unknown field
fails with its name instead of printing a blank, and a template that reaches for Python internals
fails in the sandbox. Templates are compiled once per process by the renderers that hold them.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from jinja2 import StrictUndefined, TemplateError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from . import chinese
from .errors import TemplateError as FormTemplateError

FILTERS: dict[str, Any] = {
    "cn_date": chinese.cn_date,
    "中文日期": chinese.cn_date,
    "cn_upper_date": chinese.cn_upper_date,
    "大写日期": chinese.cn_upper_date,
    "cn_month": chinese.cn_month,
    "cn_number": chinese.cn_number,
    "中文数字": chinese.cn_number,
    "cn_index": chinese.cn_index,
    "序号": chinese.cn_index,
    "cn_paren_index": chinese.cn_paren_index,
    "括号序号": chinese.cn_paren_index,
    "mask_phone": chinese.mask_phone,
    "掩码电话": chinese.mask_phone,
    "mask_id": chinese.mask_id,
    "掩码证件": chinese.mask_id,
    "text": chinese.display,
}


_OPEN = re.compile(r"([｛{])((?:<[^>]*>)*)([｛{％%])")
_CLOSE = re.compile(r"([｝}％%])((?:<[^>]*>)*)([｝}])")
_TAG = re.compile(r"\{([{%])(.*?)([}%])\}", re.S)
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "＂": '"', "＇": "'"})


def normalise_tags(text: str) -> str:
    """Tags typed with a Chinese input method work: ｛｛ ｝｝ ｛％ ％｝ become {{ }} {% %}
    (even when Word put run boundaries between the two characters), and curly or full-width
    quotes inside a tag become ASCII quotes. Text outside tags is left alone."""
    text = _OPEN.sub(lambda m: "{" + m.group(2) + ("{" if m.group(3) in "｛{" else "%"), text)
    text = _CLOSE.sub(lambda m: ("}" if m.group(1) in "｝}" else "%") + m.group(2) + "}", text)
    return _TAG.sub(
        lambda m: "{" + m.group(1) + m.group(2).translate(_QUOTES) + m.group(3) + "}", text
    )


def syntax_message(message: str) -> str:
    """Jinja's syntax errors, in words a clerk can act on."""
    block = re.search(r"innermost block that needs to be closed is '(\w+)'", message)
    if block:
        return f"{{% {block.group(1)} %}} 没有配对的 {{% end{block.group(1)} %}}"
    unknown = re.search(r"Encountered unknown tag '(\w+)'", message)
    if unknown:
        return f"不认识的标签“{unknown.group(1)}”（是否写错，或缺少与之配对的开始标签？）"
    got = re.search(r"expected token '([^']+)', got '([^']+)'", message)
    if got:
        return f"标签里有多余或写错的内容“{got.group(2)}”"
    if message.startswith("Expected an expression"):
        return "标签不完整：缺少字段名或表达式（如 {% for 行 in 记录 %} 少写了“记录”）"
    unexpected = re.search(r"unexpected '(.+?)'", message)
    if unexpected:
        return f"多余的“{unexpected.group(1)}”"
    return f"模板写法有误（{message}）"


def make_env(autoescape: bool = True) -> ImmutableSandboxedEnvironment:
    env = ImmutableSandboxedEnvironment(
        undefined=StrictUndefined,
        autoescape=autoescape,
        keep_trailing_newline=True,
        trim_blocks=False,
    )
    env.filters.update(FILTERS)
    # |tojson of a register's rows kept on disk (records.RowStore) lists them, like a list's.
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "default": _json_default}
    return env


def _json_default(value: Any) -> Any:
    from .records import Records

    if isinstance(value, Records):
        return list(value)
    if isinstance(value, dt.date | dt.time):
        return str(value)  # a typed date in |tojson reads as the form prints it: 2024年3月5日
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def describe_error(exc: Exception, template: str) -> FormTemplateError:
    """A Jinja failure as a message naming the template and, for an unknown field, the field."""
    if isinstance(exc, UndefinedError):
        text = str(exc.message or exc)
        attribute = re.match(r"^'(.+?)' has no attribute '(.+?)'$", text)
        plain = re.match(r"^'(.+?)' is undefined$", text)
        field = attribute.group(2) if attribute else plain.group(1) if plain else text
        if field.startswith("_"):  # the sandbox hid a Python internal: say so, not "no such field"
            return FormTemplateError(
                f"模板试图访问不允许的内容（{field}），已被阻止", where=template
            )
        return FormTemplateError(
            f"模板使用了不存在的字段“{field}”",
            where=template,
            hint="字段名即台账的列名，请核对拼写",
        )
    if isinstance(exc, SecurityError):
        return FormTemplateError("模板试图访问不允许的内容，已被阻止", where=template)
    if isinstance(exc, TemplateError):
        line = getattr(exc, "lineno", None)
        where = f"{template} 第{line}行" if line else template
        return FormTemplateError(
            f"模板语法错误：{syntax_message(str(exc.message or exc))}", where=where
        )
    return FormTemplateError(f"模板出错：{exc}", where=template)
