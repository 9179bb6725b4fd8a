"""The one factory for Jinja environments: sandboxed, strict, autoescaped (house style).

Data is data: values are escaped for the target (XML for docx, HTML for pdf), an unknown field
fails with its name instead of printing a blank, and a template that reaches for Python internals
fails in the sandbox. Templates are compiled once per process by the renderers that hold them.

A template is code a clerk may get from anywhere, so the sandbox also bounds what it costs: a
string, list or number a template makes stays under MAX_SIZE characters or items and MAX_BITS
bits (`'A'*1000000000` and `10**(10**8)` are refused before they are made); ranges stay under
Jinja's 100,000; a render that runs past RENDER_SECONDS, or grows the process by more than
RENDER_MEMORY, is stopped (`watch`). It may not read other files (include, extends, import).
Every refusal is a `TemplateError` in Chinese naming the template and its line.
"""

# Long module: the template sandbox: every bound and every refusal message in one file, so a
# reviewer sees all that a user's template may do

from __future__ import annotations

import ctypes
import datetime as dt
import math
import os
import re
import threading
import time
from collections.abc import Generator
from typing import Any

from jinja2 import BaseLoader, StrictUndefined, TemplateError, UndefinedError
from jinja2 import Template as JinjaTemplate
from jinja2 import filters as jinja_filters
from jinja2.compiler import CodeGenerator
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from .. import chinese
from ..errors import TemplateError as FormTemplateError

MAX_SIZE = 1_000_000  # characters of a string, items of a list, a template makes in one step
MAX_BITS = 4_000  # an integer of about 1,200 digits
MAX_WIDTH = 10_000  # a padding or format width
MAX_OUTPUT = 200_000_000  # characters of one rendered document (a register is a few million)
RENDER_SECONDS = 60.0  # one document's template; the largest register renders in seconds
RENDER_MEMORY = 1 << 30  # what one render may add to the process


class LimitError(SecurityError):
    """A template asked for more than the sandbox gives; the message is the clerk's."""


class RenderTimeout(Exception):
    """Raised inside a render that ran past RENDER_SECONDS (by `watch`)."""


class RenderMemory(Exception):
    """Raised inside a render that grew the process past RENDER_MEMORY (by `watch`)."""


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


def make_env(autoescape: bool = True) -> BoundedEnvironment:
    env = BoundedEnvironment(
        undefined=StrictUndefined,
        autoescape=autoescape,
        keep_trailing_newline=True,
        trim_blocks=False,
        loader=_NoFiles(),
    )
    env.filters.update(FILTERS)
    env.filters.update(_BOUNDED_FILTERS)
    env.globals.pop("lipsum", None)  # lipsum(n=10**9): words by the gigabyte, and no form needs it
    # |tojson of a register's rows kept on disk (records.RowStore) lists them, like a list's.
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "default": _json_default}
    return env


# --- what a template may cost ---------------------------------------------------------------


def _weight(value: Any) -> int:
    """Characters of a string, items of a list (and the characters of the strings in it)."""
    if isinstance(value, str | bytes):
        return len(value)
    if isinstance(value, list | tuple):
        return len(value) + sum(len(v) for v in value if isinstance(v, str | bytes))
    return 0


def _too_big(what: str, limit: str = "一百万个字符或项") -> LimitError:
    return LimitError(f"模板中的{what}过大（超过{limit}），已被阻止")


def _check_size(value: Any) -> Any:
    if _weight(value) > MAX_SIZE:
        raise _too_big("字符串或列表")
    return value


def _check_bits(bits: float) -> None:
    if bits > MAX_BITS:
        raise LimitError(f"模板中的数字过大（约 {int(bits * 0.30103):,} 位），已被阻止")


_PRINTF_WIDTH = re.compile(r"%[-+ #0]*(\d+|\*)?(?:\.(\d+|\*))?")
_FORMAT_WIDTH = re.compile(r"\{[^{}]*?(\d{5,})[^{}]*\}")


def _check_printf(fmt: str, args: Any) -> None:
    for found in _PRINTF_WIDTH.finditer(fmt):
        for part in found.groups():
            if part and part != "*" and int(part) > MAX_WIDTH:
                raise _too_big("格式宽度", "一万")
    if "*" in fmt:
        values = args if isinstance(args, tuple) else (args,)
        if any(isinstance(v, int) and abs(v) > MAX_WIDTH for v in values):
            raise _too_big("格式宽度", "一万")


class _BoundedCodeGenerator(CodeGenerator):
    """`a ~ b` joins in code Jinja writes itself, out of reach of call_binop: check what it made
    (each part is already bounded, so the check comes before anything runs away)."""

    def visit_Concat(self, node: Any, frame: Any) -> None:
        self.write("environment.checked_size(")
        super().visit_Concat(node, frame)
        self.write(")")


class BoundedTemplate(JinjaTemplate):
    """A template whose every render runs under `watch`."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        with watch():
            return super().render(*args, **kwargs)

    def generate(self, *args: Any, **kwargs: Any) -> Generator[str, None, None]:
        """Watched while it runs, not while it waits at a `yield`: a stream its reader gave up
        on halfway (an error in the reader) must neither be stopped later, inside whatever the
        thread does then, nor count as a render every later one in this thread is inside."""
        render = _WATCH.start()
        if render is None:  # inside a render already watched
            yield from super().generate(*args, **kwargs)
            return
        local = _WATCH.local
        try:
            for chunk in super().generate(*args, **kwargs):
                # Plain writes, no lock: ~40 chunks a Word form. Should the watch fire just as
                # the chunk is handed over, its exception reaches the reader, as this render's.
                render.running = False
                local.render = None
                yield chunk
                local.render = render
                render.ident = threading.get_ident()  # a reader in another thread may resume it
                if render.expired is not None:  # past its bound while it waited: not running
                    raise render.expired()  # yet, so the watch does not raise it as well
                render.running = True
        except BaseException:  # an error, or the reader closing the stream (GeneratorExit)
            _stop(render)
            raise
        fired = _stop(render)
        if fired is not None:
            raise fired()  # it fired as the render ended: past the bound all the same


class BoundedEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox with costs bounded: see the module's docstring."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})
    code_generator_class = _BoundedCodeGenerator
    template_class = BoundedTemplate

    @staticmethod
    def checked_size(value: Any) -> Any:
        return _check_size(value)

    @staticmethod
    def concat(pieces: Any) -> str:  # type: ignore[override]
        """A whole rendered document: the pieces may be one string many times over, which
        only the final join would make real, in one step the watch cannot stop."""
        pieces = list(pieces)
        if sum(len(p) for p in pieces) > MAX_OUTPUT:
            raise _too_big("输出", "两亿个字符")
        return "".join(pieces)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(left, int) and isinstance(right, int):
            if right > 0 and abs(left) > 1:
                _check_bits(right * math.log2(abs(left)))
        elif operator == "*":
            if isinstance(left, int) and isinstance(right, int):
                _check_bits(abs(left).bit_length() + abs(right).bit_length())
            else:
                seq, times = (left, right) if isinstance(right, int) else (right, left)
                if isinstance(times, int) and not isinstance(seq, int | float):
                    if _weight(seq) * max(times, 0) > MAX_SIZE:
                        raise _too_big("字符串或列表")
        elif operator == "%" and isinstance(left, str):
            _check_printf(left, right)
        return _check_size(super().call_binop(context, operator, left, right))

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        # A method of a string or list given a huge count (ljust, center, zfill, expandtabs,
        # a format width): refused before it runs; anything it returns is measured after.
        target = getattr(getattr(__obj, "__wrapped__", __obj), "__self__", None)
        if isinstance(target, str | bytes | list | tuple):
            values = [*args, *kwargs.values()]
            if any(isinstance(v, int) and abs(v) > MAX_WIDTH for v in values):
                raise _too_big("宽度或次数", "一万")
            if isinstance(target, str) and any(
                int(n) > MAX_WIDTH for n in _FORMAT_WIDTH.findall(target)
            ):
                raise _too_big("格式宽度", "一万")
        return _check_size(super().call(__context, __obj, *args, **kwargs))


def _center(value: Any, width: int = 80) -> str:
    if width > MAX_WIDTH:
        raise _too_big("宽度", "一万")
    return jinja_filters.do_center(value, width)


def _indent(value: Any, width: int | str = 4, first: bool = False, blank: bool = False) -> str:
    step = len(width) if isinstance(width, str) else width
    if step > MAX_WIDTH or step * (str(value).count("\n") + 1) > MAX_SIZE:
        raise _too_big("缩进")
    return jinja_filters.do_indent(value, width, first, blank)


def _format(value: str, *args: Any, **kwargs: Any) -> str:
    _check_printf(str(value), args or tuple(kwargs.values()))
    return _check_size(jinja_filters.do_format(value, *args, **kwargs))


def _replace(eval_ctx: Any, s: str, old: str, new: str, count: int | None = None) -> str:
    text = str(s)
    times = (len(text) + 1) if count is None else max(count, 0)
    if len(text) + times * max(len(str(new)) - len(str(old)), 0) > MAX_SIZE:
        raise _too_big("替换结果")
    return jinja_filters.do_replace(eval_ctx, s, old, new, count)


def _join(eval_ctx: Any, value: Any, d: str = "", attribute: Any = None) -> str:
    items = list(value)
    if sum(_weight(v) for v in items) + len(d) * len(items) > MAX_SIZE:
        raise _too_big("拼接结果")
    return jinja_filters.do_join(eval_ctx, items, d, attribute)


_replace.jinja_pass_arg = jinja_filters.do_replace.jinja_pass_arg  # type: ignore[attr-defined]
_join.jinja_pass_arg = jinja_filters.do_join.jinja_pass_arg  # type: ignore[attr-defined]
_BOUNDED_FILTERS: dict[str, Any] = {
    "center": _center,
    "indent": _indent,
    "format": _format,
    "replace": _replace,
    "join": _join,
}


class _NoFiles(BaseLoader):
    """include, extends and import reach other files; a form's template has none to reach."""

    def get_source(self, environment: Any, template: str) -> Any:
        raise LimitError(
            f"模板不能引用其他文件（include、extends、import “{str(template)[:60]}”），已被阻止"
        )


# --- how long and how much a render may take ---------------------------------------------------


class _Render:
    """One outermost render being watched."""

    __slots__ = ("deadline", "expired", "fired", "ident", "rss", "running")

    def __init__(self, rss: int) -> None:
        self.ident = threading.get_ident()
        self.deadline = time.monotonic() + RENDER_SECONDS
        self.rss = rss
        self.fired: type[Exception] | None = None  # raised in its thread by the watch
        self.running = True  # False while a streamed render waits at a yield for its reader
        # Past its bound while it waited: raised by the stream itself when it is read again
        # (its reader may do most of the work; the watch would seldom find it running).
        self.expired: type[Exception] | None = None


class _Watch:
    """One thread per process that stops renders running past their deadline or their memory:
    it raises RenderTimeout or RenderMemory inside the rendering thread (an asynchronous
    exception, delivered between two Python operations; a single C operation as big as
    10**(10**8) is refused by the sandbox before it starts, never interrupted here). It fires
    at most once per render, and `stop` withdraws one not yet delivered."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.active: set[_Render] = set()
        self.thread: threading.Thread | None = None
        self.local = threading.local()
        # Kept open and read with pread: opening, reading and closing it for every render
        # cost ~10 µs, a hundredth of a Word form. Each process opens its own (/proc/self is
        # the process that opened it, and a forked worker gets a new _Watch).
        flags = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0)
        try:
            self.statm: int | None = os.open("/proc/self/statm", flags)
        except OSError:
            self.statm = None

    def rss(self) -> int:
        """This process's resident memory in bytes (0 where /proc is not there to ask)."""
        if self.statm is None:
            return 0
        try:
            return int(os.pread(self.statm, 128, 0).split()[1]) * _PAGE
        except (OSError, ValueError, IndexError):
            return 0

    def start(self) -> _Render | None:
        """Watch this thread's render; None when it is inside a render already watched (one
        already stopped, or being stopped, is not one to be inside: should an exception ever
        cut a render's end short, the next render is still watched)."""
        outer = getattr(self.local, "render", None)
        if outer is not None and outer.fired is None and outer in self.active:
            return None
        render = _Render(self.rss())
        with self.lock:
            if self.thread is None:
                self.thread = threading.Thread(target=self._run, name="render-watch", daemon=True)
                self.thread.start()
            self.active.add(render)
        self.local.render = render
        return render

    def stop(self, render: _Render) -> type[Exception] | None:
        """Idempotent, so it can be run again if the exception lands inside it."""
        with self.lock:
            self.active.discard(render)
            if render.fired is not None:  # fired but not yet delivered: taken back
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(render.ident), None)
        if getattr(self.local, "render", None) is render:  # a stream closed inside another
            self.local.render = None  # render leaves that one's mark
        return render.fired or render.expired

    def _run(self) -> None:
        while True:
            time.sleep(0.05)
            with self.lock:
                if not self.active:
                    continue
                now, rss = time.monotonic(), self.rss()
                for render in self.active:
                    if render.fired is not None:
                        continue
                    kind = render.expired
                    if kind is None:
                        if now > render.deadline:
                            kind = RenderTimeout
                        elif rss and render.rss and rss - render.rss > RENDER_MEMORY:
                            kind = RenderMemory
                        else:
                            continue
                    if not render.running:
                        render.expired = kind  # the stream raises it when read again
                        continue
                    render.fired = kind
                    ctypes.pythonapi.PyThreadState_SetAsyncExc(
                        ctypes.c_ulong(render.ident), ctypes.py_object(kind)
                    )


_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


_WATCH = _Watch()


def _new_watch() -> None:
    global _WATCH
    if _WATCH.statm is not None:
        os.close(_WATCH.statm)  # the parent's memory, not this worker's
    _WATCH = _Watch()  # a forked worker has none of its parent's threads: it starts its own


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_new_watch)


class watch:
    """`with watch():` runs a render under the deadline and the memory bound (a render inside
    another shares the outer one's)."""

    def __enter__(self) -> None:
        self.render = _WATCH.start()

    def __exit__(self, kind: Any, exc: Any, tb: Any) -> None:
        if self.render is None:
            return
        fired = _stop(self.render)
        if fired is not None and kind is None:
            raise fired()  # it fired as the render ended: past the bound all the same


def _stop(render: _Render) -> type[Exception] | None:
    """The watch of `render` stopped, whole: if the exception it withdraws lands inside it, it
    is stopped again, which withdraws nothing more. What fired, if anything, for the caller to
    raise."""
    while True:
        try:
            return _WATCH.stop(render)
        except (RenderTimeout, RenderMemory):
            continue


def _json_default(value: Any) -> Any:
    from ..records import Records

    if isinstance(value, Records):
        return list(value)
    if isinstance(value, dt.date | dt.time):
        return str(value)  # a typed date in |tojson reads as the form prints it: 2024年3月5日
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def template_line(exc: BaseException) -> int:
    """The template line a failure happened on (Jinja rewrites tracebacks to template lines;
    a template made from a string is named "<template>"), or 0."""
    line = 0
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename in ("<template>", "<unknown>"):
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def describe_error(exc: BaseException, template: str) -> FormTemplateError:
    """A Jinja failure as a message naming the template (and the line, where known) and, for an
    unknown field, the field. Every refusal of the sandbox is said in Chinese."""
    line = getattr(exc, "lineno", None) or template_line(exc)
    where = f"{template} 第{line}行" if line else template
    if isinstance(exc, UndefinedError):
        text = str(exc.message or exc)
        attribute = re.match(r"^'(.+?)' has no attribute '(.+?)'$", text)
        plain = re.match(r"^'(.+?)' is undefined$", text)
        field = attribute.group(2) if attribute else plain.group(1) if plain else text
        if field.startswith("_"):  # the sandbox hid a Python internal: say so, not "no such field"
            return FormTemplateError(f"模板试图访问不允许的内容（{field}），已被阻止", where=where)
        return FormTemplateError(
            f"模板使用了不存在的字段“{field}”",
            where=where,
            hint="字段名即台账的列名，请核对拼写",
        )
    if isinstance(exc, LimitError):
        return FormTemplateError(str(exc), where=where, hint="请修改模板")
    if isinstance(exc, SecurityError):
        return FormTemplateError(
            f"模板试图访问不允许的内容（{_unsafe_name(str(exc))}），已被阻止", where=where
        )
    if isinstance(exc, RenderTimeout):
        return FormTemplateError(
            f"模板运行超过 {RENDER_SECONDS:g} 秒，已停止",
            where=where,
            hint="模板中可能有过多的循环或运算，请修改模板",
        )
    if isinstance(exc, RenderMemory | MemoryError):
        return FormTemplateError(
            f"模板运行占用内存超过 {RENDER_MEMORY >> 20} MB，已停止",
            where=where,
            hint="模板中可能生成了过大的内容，请修改模板",
        )
    if isinstance(exc, RecursionError):
        return FormTemplateError(
            "模板中的宏调用自身过多（无穷递归），已停止", where=where, hint="请修改模板"
        )
    if isinstance(exc, OverflowError) and "MAX_RANGE" in str(exc):
        return FormTemplateError(
            "模板中的 range() 过大（最多十万项），已被阻止", where=where, hint="请修改模板"
        )
    if isinstance(exc, TemplateError):
        return FormTemplateError(
            f"模板语法错误：{syntax_message(str(exc.message or exc))}", where=where
        )
    return FormTemplateError(
        f"模板运行出错（{type(exc).__name__}：{str(exc)[:200]}）", where=where, hint="请检查模板"
    )


def _unsafe_name(text: str) -> str:
    """What the sandbox refused, from its English message: the attribute or the callable."""
    found = re.search(r"access to attribute '([^']+)'", text) or re.search(
        r"^(.{1,60}?) is not safely callable", text
    )
    return found.group(1) if found else "Python 内部对象"
