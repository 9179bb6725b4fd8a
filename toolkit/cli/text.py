"""Everything click itself would say, in Chinese and laid out for Chinese: help pages, usage lines,
the errors a clerk can cause by typing a command wrong.

- click marks its strings for gettext; `install` puts `translate`/`ntranslate` in place of gettext
  in click's modules, so a string click builds (a path that does not exist, an option that needs a
  value) comes out Chinese. `TEXTS` holds every string click marks (a test reads click's source
  and fails on one missing), values in “”, option names bare, as the rest of the tool writes them.
- Some of click's words are not marked: the colon after a heading, the quotes and full stop
  around a parameter's name, the `1<=x<=256` of a range, the `[a|b]` of a choice. `Command` and
  `Group` write the help page themselves (`HelpFormatter`), `error_text` words click's errors,
  and `Whole`/`OneOf` stand in for click's integer and choice types.
- Widths are display widths (textwidth.py): a Chinese character takes two columns, and help text
  is broken between characters, never in the middle of an option's name.
"""

# Long module: click's words and every one of its messages in Chinese, kept together so a
# click upgrade that adds one is found in one place (tests/cli/test_cli_text.py reads click).

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from typing import Any

import click

from ..textwidth import display_width, wrap

# click's msgid → Chinese. Placeholders are the ones click fills in; `{x!r}` becomes “{x}` for a
# value and a bare {x} for an option's name.
TEXTS = {
    "Usage:": "用法：",
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "参数",
    "Show this message and exit.": "显示此帮助并退出。",
    "Show the version and exit.": "显示版本号并退出。",
    "%(prog)s, version %(version)s": "%(prog)s，版本 %(version)s",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行“{command} {option}”可查看帮助。",
    "No such option {name!r}.": "没有选项 {name}。",
    "No such command {name!r}.": "没有命令“{name}”。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing command.": "缺少命令。",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Missing {param_type}": "缺少{param_type}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "Option {name!r} does not take a value.": "选项 {name} 是开关，后面不能带值。",
    "Invalid start character for option ({option})": "选项（{option}）的开头字符无效",
    "Argument {name!r} takes {nargs} values.": "参数“{name}”需要 {nargs} 个值。",
    "Value must be an iterable.": "值应为多个。",
    "{value!r} is not a valid {number_type}.": "“{value}”不是有效的{number_type}。",
    "{value} is not in the range {range}.": "{value} 不在 {range} 之内。",
    "{value!r} is not a valid boolean. Recognized values: {states}": (
        "“{value}”不是有效的是/否值。可用的值：{states}"
    ),
    "{value!r} is not a valid UUID.": "“{value}”不是有效的 UUID。",
    "{name} {filename!r} does not exist.": "{name}“{filename}”不存在。",
    "{name} {filename!r} is a directory.": "“{filename}”是文件夹，不是文件。",
    "{name} {filename!r} is a file.": "“{filename}”是文件，不是文件夹。",
    "{name} {filename!r} is not readable.": "{name}“{filename}”不可读（没有权限）。",
    "{name} {filename!r} is not writable.": "{name}“{filename}”不可写（没有权限）。",
    "{name} {filename!r} is not executable.": "{name}“{filename}”不可执行。",
    "Could not open file {filename!r}: {message}": "无法打开文件“{filename}”：{message}",
    "unknown error": "未知错误",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "required": "必填",
    "(dynamic)": "（动态）",
    "deprecated": "已停用",
    "Aborted!": "已中止。",
    "Choose from:\n\t{choices}": "可选：{choices}",
    "Choice({choices})": "可选值（{choices}）",
    "integer": "整数",
    "integer range": "整数",
    "float": "数字",
    "float range": "数字",
    "text": "文本",
    "boolean": "是/否",
    "d": "天",
    "Do you want to continue?": "是否继续？",
    "Confirm the action without prompting.": "不询问，直接确认。",
    "Repeat for confirmation": "请再输入一次以确认",
    "Error: The two entered values do not match.": "错误：两次输入的值不一致。",
    "Error: invalid input": "错误：输入无效",
    "Press any key to continue...": "按任意键继续……",
    "Unknown color {colour!r}": "未知的颜色“{colour}”",
    "Unknown standard stream '{name}'": "未知的标准流“{name}”",
    "{editor}: Editing failed": "{editor}：编辑失败",
    "{editor}: Editing failed: {e}": "{editor}：编辑失败：{e}",
    "Windows error: {error}": "Windows 错误：{error}",
    "Shell completion is not supported for Bash versions older than 4.4.": (
        "Bash 4.4 以前的版本不支持命令补全。"
    ),
    "Couldn't detect Bash version, shell completion is not supported.": (
        "无法识别 Bash 的版本，不支持命令补全。"
    ),
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}": (
        "提醒：命令“{name}”已停用。{extra_message}"
    ),
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}": (
        "提醒：{param_type}“{name}”已停用。{extra_message}"
    ),
    # Raised only while the commands are being defined (a programming error, never a clerk's).
    "Name '{name}' defined twice": "名称“{name}”定义了两次",
    "Boolean option {decl!r} cannot use the same flag for true/false.": (
        "是/否选项“{decl}”的“是”和“否”不能用同一个写法。"
    ),
    "Could not determine name for option with declarations {decls!r}": (
        "无法确定选项 {decls} 的名称"
    ),
    "No options defined but a name was passed ({name}). Did you mean to declare an argument "
    "instead? Did you mean to pass '--{name}'?": (
        "没有定义选项却给了名称（{name}）。是要定义参数，还是要写成“--{name}”？"
    ),
    "Arguments take exactly one parameter declaration, got {length}: {decls}.": (
        "参数只能有一个名称，却给了 {length} 个：{decls}。"
    ),
}
# ngettext: the singular msgid → Chinese, which has one form for one and for many.
PLURALS = {
    "Got unexpected extra argument ({args})": (
        "多余的参数：{args}（文件名中有空格时，请用引号把整个文件名括起来）"
    ),
    "Option {name!r} requires an argument.": "选项 {name} 后面要写一个值。",
    "{value!r} is not {choice}.": "“{value}”不是可选的值（可选：{choices}）。",
    "Did you mean {possibility}?": "是否指 {possibilities}？",
    "Takes {nargs} values but 1 was given.": "需要 {nargs} 个值，只给了 {len} 个。",
    "{value!r} does not match the format {format}.": "“{value}”不符合格式 {formats}。",
    "{len_type} values are required, but {len_value} was given.": (
        "需要 {len_type} 个值，给了 {len_value} 个。"
    ),
}


def translate(message: str) -> str:
    return TEXTS.get(message, message)


def ntranslate(singular: str, plural: str, n: int) -> str:
    return PLURALS.get(singular, singular if n == 1 else plural)


def install() -> None:
    """Put the Chinese in place of gettext in click's modules (before any command is defined:
    click translates some strings, such as a path type's name, when the parameter is made)."""
    for name in ("core", "exceptions", "formatting", "parser", "types", "decorators", "termui"):
        module = sys.modules.get(f"click.{name}")
        if module is None:
            continue
        if hasattr(module, "_"):
            module._ = translate  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ntranslate  # type: ignore[attr-defined]


# ── parameter types that say their bounds and choices in Chinese ─────────────────────────────


class Whole(click.ParamType):
    """An integer, optionally bounded; accepts full-width digits (２０２４) as typed by a Chinese
    input method. Its bounds read 1～2000 in help and errors (click's IntRange says 1<=x<=2000)."""

    name = "整数"

    def __init__(self, low: int | None = None, high: int | None = None) -> None:
        self.low, self.high = low, high

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        else:
            try:
                number = int(str(value).strip())
            except ValueError:
                self.fail(f"“{value}”不是整数。", param, ctx)
        if self.low is not None and self.high is not None:
            if not self.low <= number <= self.high:
                self.fail(f"{number} 不在 {self.low}～{self.high} 之内。", param, ctx)
        elif self.low is not None and number < self.low:
            self.fail(f"{number} 小于 {self.low}。", param, ctx)
        elif self.high is not None and number > self.high:
            self.fail(f"{number} 大于 {self.high}。", param, ctx)
        return number

    def describe(self) -> str:
        """The bounds for a help page: 取值 1～2000, 取值不小于 1."""
        if self.low is not None and self.high is not None:
            return f"取值 {self.low}～{self.high}"
        if self.low is not None:
            return f"取值不小于 {self.low}"
        if self.high is not None:
            return f"取值不大于 {self.high}"
        return ""


class OneOf(click.ParamType):
    """One of a few words. Listed as 可选：建议、议案 (click writes [建议|议案] and '建议', '议案');
    Latin words match in any case."""

    name = "取值"

    def __init__(self, choices: Sequence[str]) -> None:
        self.choices = tuple(choices)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = str(value).strip()
        for choice in self.choices:
            if text == choice or text.casefold() == choice.casefold():
                return choice
        self.fail(f"“{value}”不是可选的值（可选：{self.listed()}）。", param, ctx)

    def listed(self) -> str:
        return "、".join(self.choices)

    def describe(self) -> str:
        return f"可选：{self.listed()}"


# ── the help page ────────────────────────────────────────────────────────────────────────────


class HelpFormatter(click.HelpFormatter):
    """click's layout measured in display columns, with Chinese headings (“选项：”)."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        head = " " * self.current_indent + ("用法：" if prefix is None else prefix) + prog
        if not args:
            self.write(head + "\n")
            return
        indent = display_width(head) + 1
        if self.width - indent < 20:  # a long command name: the arguments go below it
            self.write(head + "\n")
            indent = self.current_indent + 4
            head = " " * (indent - 1)
        lines = wrap(args, self.width - indent, words_only=True)
        self.write(f"{head} {lines[0]}\n")
        for line in lines[1:]:
            self.write(" " * indent + line + "\n")

    def write_heading(self, heading: str) -> None:
        self.write(f"{' ' * self.current_indent}{heading}：\n")

    def write_text(self, text: str) -> None:
        for number, (raw, indent, lines) in enumerate(_paragraphs(text)):
            if number:
                self.write("\n")
            margin = " " * (self.current_indent + indent)
            if raw:
                shown = lines
            else:
                shown = wrap(_join(lines), self.width - self.current_indent - indent)
            for line in shown:
                self.write(f"{margin}{line}".rstrip() + "\n")

    def write_dl(
        self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        rows = list(rows)
        if not rows:
            return
        first_col = min(max(display_width(first) for first, _ in rows), col_max) + col_spacing
        margin = " " * self.current_indent
        text_width = max(self.width - self.current_indent - first_col, 10)
        for first, second in rows:
            if not second:
                self.write(f"{margin}{first}\n")
                continue
            if display_width(first) <= first_col - col_spacing:
                lead = margin + first + " " * (first_col - display_width(first))
            else:
                self.write(f"{margin}{first}\n")
                lead = margin + " " * first_col
            for line in wrap(second, text_width):
                self.write(f"{lead}{line}\n")
                lead = margin + " " * first_col


def _paragraphs(text: str) -> list[tuple[bool, int, list[str]]]:
    """(kept as written, indent, lines) of each paragraph; one whose first line is \\b is kept."""
    found: list[tuple[bool, int, list[str]]] = []
    block: list[str] = []
    for line in [*text.expandtabs().splitlines(), ""]:
        if line.strip():
            block.append(line)
            continue
        if block:
            if block[0].strip() == "\b":
                found.append((True, 0, block[1:]))
            else:
                found.append((False, len(block[0]) - len(block[0].lstrip()), block))
            block = []
    return found


def _join(lines: list[str]) -> str:
    """A paragraph's source lines as one: no space where a Chinese line was broken (between two
    Chinese characters, or after Chinese punctuation), a space between Latin words."""
    text = ""
    for line in (line.strip() for line in lines):
        if text:
            wide_end, wide_start = display_width(text[-1]) == 2, display_width(line[0]) == 2
            if not (wide_end and (wide_start or not text[-1].isalnum())):
                text += " "
        text += line
    return text


class Context(click.Context):
    formatter_class = HelpFormatter


def option_record(param: click.Option, ctx: click.Context) -> tuple[str, str]:
    """An option's line on the help page: its spelling, then its help and, in Chinese, what it
    can be and what it is when left out (click adds `[default: 3; 1<=x<=2000]`)."""
    record = param.get_help_record(ctx)
    spec = record[0] if record else "/".join(param.opts)
    notes = []
    describe = getattr(param.type, "describe", None)
    if describe is not None and describe():
        notes.append(describe())
    if param.show_default and param.default not in (None, (), "") and not param.is_flag:
        notes.append(f"默认：{param.default}")
    text = param.help or ""
    if notes:
        text += "；".join(notes) + "。"
    return spec, text


def short_help(command: click.Command, limit: int) -> str:
    """The command's line in its group's list: its own short help, else the first sentence of
    its help; too wide for `limit` columns, the longest run of its clauses (up to a “，”, “；” or
    “：”) that fits, else the start of it and ……."""
    if command.short_help:
        return command.short_help
    lines = (command.help or "").partition("\n\n")[0].splitlines()
    sentence = _join([line for line in lines if line.strip()]).partition("。")[0]
    if display_width(sentence) <= limit:
        return sentence
    clauses = [i for i, ch in enumerate(sentence) if ch in "，；："]
    fitting = [i for i in clauses if display_width(sentence[:i]) <= limit]
    if fitting:
        return sentence[: fitting[-1]]
    return wrap(sentence, limit - 4)[0].rstrip("，、；：") + "……"


class Command(click.Command):
    context_class = Context

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[选项]")
        super().__init__(*args, **kwargs)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        _write_options(self, ctx, formatter)

    def get_short_help_str(self, limit: int = 45) -> str:
        return short_help(self, limit)


class Group(click.Group):
    context_class = Context
    command_class = Command

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[选项]")
        kwargs.setdefault("subcommand_metavar", "命令 [参数]...")
        super().__init__(*args, **kwargs)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        _write_options(self, ctx, formatter)
        self.format_commands(ctx, formatter)

    def get_short_help_str(self, limit: int = 45) -> str:
        return short_help(self, limit)


Group.group_class = Group


def _write_options(command: click.Command, ctx: click.Context, fmt: click.HelpFormatter) -> None:
    rows = [
        option_record(param, ctx)
        for param in command.get_params(ctx)
        if isinstance(param, click.Option) and not param.hidden
    ]
    if rows:
        with fmt.section("选项"):
            fmt.write_dl(rows)


# ── click's errors ───────────────────────────────────────────────────────────────────────────


def _name(param: click.Parameter) -> str:
    """选项 --stations, or 参数“文件夹” (an argument is named by what it stands for)."""
    if isinstance(param, click.Option):
        return "选项 " + "/".join(param.opts)
    return f"参数“{param.human_readable_name.strip('[]')}”"


def _suggest(possibilities: Sequence[str] | None) -> str:
    return f"是否指 {'、'.join(sorted(possibilities))}？" if possibilities else ""


def error_text(exc: click.ClickException) -> str:
    """The one-line Chinese for a click error (without click's quotes, full stops and English)."""
    if isinstance(exc, click.NoSuchOption):
        return f"没有选项 {exc.option_name}。" + _suggest(exc.possibilities)
    if isinstance(exc, getattr(click.exceptions, "NoSuchCommand", ())):  # click 8.4 on
        name, possible = getattr(exc, "command_name", ""), getattr(exc, "possibilities", None)
        return f"没有命令“{name}”。" + _suggest(possible)
    param = getattr(exc, "param", None)
    if isinstance(exc, click.MissingParameter) and param is not None:
        describe = getattr(param.type, "describe", None)
        return f"缺少{_name(param)}。" + (f"{describe()}。" if describe and describe() else "")
    if isinstance(exc, click.BadParameter) and param is not None:
        name = _name(param)
        return f"{name}{' ' if name[-1].isascii() else ''}的值无效：{exc.message}"
    return exc.format_message()


def show_error(exc: click.ClickException) -> None:
    """On stderr: the error, then (for a mistyped command) its usage line and where help is."""
    if isinstance(exc, getattr(click.exceptions, "NoArgsIsHelpError", ())):
        exc.show()  # `liaison forms` alone (click 8.2 on): its help page, in our layout
        return
    click.echo(f"错误：{error_text(exc)}", err=True)
    ctx = getattr(exc, "ctx", None)
    if isinstance(exc, click.UsageError) and ctx is not None:
        click.echo(ctx.get_usage(), err=True)
        if ctx.command.get_help_option(ctx) is not None:
            click.echo(f"运行“{ctx.command_path} --help”可查看全部选项和说明。", err=True)
