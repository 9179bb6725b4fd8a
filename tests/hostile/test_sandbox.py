"""Templates a user supplies: what they may cost is bounded (strings, numbers, ranges, widths,
time, memory), and every refusal is said in Chinese, naming the template and its line."""

from __future__ import annotations

import contextlib
import os
import resource
import time
from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from hostile_books import hang_guard

from conftest import reception
from toolkit.cli import cli
from toolkit.paths import FORMS_DIR
from toolkit.render import templating
from toolkit.render.templating import describe_error, make_env

NAME = "reception_form/template.html"


def _refusal(source: str) -> str:
    env = make_env()
    with pytest.raises(Exception) as info:
        env.from_string(source).render(名单=["甲", "乙"])
    return str(describe_error(info.value, NAME))


BIG = "（超过一百万个字符或项），已被阻止（请修改模板）"
FILES = "模板不能引用其他文件（include、extends、import “{}”），已被阻止（请修改模板）"
WIDE = "（超过一万），已被阻止（请修改模板）"


@pytest.mark.parametrize(
    "source, message",
    [
        # The two: 1 GB, and past 90 s.
        ("{{ ('A'*1000000000)|length }}", f"第1行 模板中的字符串或列表过大{BIG}"),
        (
            "\n{{ 10**(10**8) }}",
            "第2行 模板中的数字过大（约 100,000,001 位），已被阻止（请修改模板）",
        ),
        (
            "{{ (10**1000) * (10**1000) }}",
            "第1行 模板中的数字过大（约 2,000 位），已被阻止（请修改模板）",
        ),
        ("{{ 'ab' * 600000 }}", f"第1行 模板中的字符串或列表过大{BIG}"),
        ("{{ (['x'*100000] * 100000)|string }}", f"第1行 模板中的字符串或列表过大{BIG}"),
        (
            "{% set ns = namespace(s='x') %}{% for i in range(40) %}"
            "{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
            f"第1行 模板中的字符串或列表过大{BIG}",
        ),
        (
            "{% set ns = namespace(s='x') %}{% for i in range(40) %}"
            "{% set ns.s = ns.s + ns.s %}{% endfor %}",
            f"第1行 模板中的字符串或列表过大{BIG}",
        ),
        ("{{ 'x'.ljust(1000000000) }}", f"第1行 模板中的宽度或次数过大{WIDE}"),
        ("{{ 'x'.zfill(10**9) }}", f"第1行 模板中的宽度或次数过大{WIDE}"),
        ("{{ '{:>1000000000}'.format(1) }}", f"第1行 模板中的格式宽度过大{WIDE}"),
        ("{{ '%1000000000s' % 'x' }}", f"第1行 模板中的格式宽度过大{WIDE}"),
        ("{{ '%*s'|format(1000000000, 'x') }}", f"第1行 模板中的格式宽度过大{WIDE}"),
        ("{{ 'x'|center(1000000000) }}", f"第1行 模板中的宽度过大{WIDE}"),
        ("{{ 'a\\nb'|indent(1000000000) }}", f"第1行 模板中的缩进过大{BIG}"),
        ("{{ ('a'*10000)|replace('a', 'b'*10000) }}", f"第1行 模板中的替换结果过大{BIG}"),
        ("{{ range(100000)|map('string')|join('x'*20) }}", f"第1行 模板中的拼接结果过大{BIG}"),
        (
            "{% for i in range(10**7) %}{% endfor %}",
            "第1行 模板中的 range() 过大（最多十万项），已被阻止（请修改模板）",
        ),
        # Reaching outside: other files, Python's insides.
        (
            "一\n二\n{% include 'x.html' %}",
            "第3行 " + FILES.format("x.html"),
        ),
        (
            "{% extends '/etc/passwd' %}",
            "第1行 " + FILES.format("/etc/passwd"),
        ),
        (
            "\n{% import 'macros.html' as m %}",
            "第2行 " + FILES.format("macros.html"),
        ),
        (
            "{% from '../../x' import y %}",
            "第1行 " + FILES.format("../../x"),
        ),
        ("{{ ''.__class__.__mro__ }}", "第1行 模板试图访问不允许的内容（__class__），已被阻止"),
        (
            "{{ cycler.__init__.__globals__ }}",
            "第1行 模板试图访问不允许的内容（__init__），已被阻止",
        ),
        ("{{ 名单.append('丙') }}", "第1行 模板试图访问不允许的内容（append），已被阻止"),
        (
            "{{ '{0.__class__}'.format(1) }}",
            "第1行 模板试图访问不允许的内容（__class__），已被阻止",
        ),
        (
            "{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}",
            "第1行 模板中的宏调用自身过多（无穷递归），已停止（请修改模板）",
        ),
        (
            "{{ lipsum(n=1000000000) }}",
            "第1行 模板使用了不存在的字段“lipsum”（字段名即台账的列名，请核对拼写）",
        ),
    ],
)
def test_every_refusal_is_chinese_and_names_the_template_and_line(source, message):
    with hang_guard(30):
        refusal = _refusal(source)
    assert refusal == f"{NAME} {message}"


def test_what_forms_really_do_is_not_refused():
    env = make_env()
    source = (
        "{{ 2**10 }} {{ 'ab'*3 }} {{ 'x'|center(9) }} {{ '%5s'|format('a') }} "
        "{{ 名单|join('、') }} {{ ('a' ~ 1) }} {{ '{:>4}'.format(7) }} "
        "{% for i in range(3) %}{{ i }}{% endfor %} {{ 'a b'|replace(' ', '') }}"
    )
    assert env.from_string(source).render(名单=["甲", "乙"]) == (
        "1024 ababab     x         a 甲、乙 a1    7 012 ab"
    )


def test_a_render_that_runs_too_long_is_stopped(monkeypatch):
    monkeypatch.setattr(templating, "RENDER_SECONDS", 1.0)
    source = "{% for i in range(100000) %}\n{% for j in range(100000) %}{% endfor %}{% endfor %}"
    with hang_guard(30):
        message = _refusal(source)
    assert message.startswith(f"{NAME} 第")  # the line it was on when stopped
    assert message.endswith("模板运行超过 1 秒，已停止（模板中可能有过多的循环或运算，请修改模板）")
    # The watch is over: the next render is not stopped by the last one's deadline.
    time.sleep(1.2)
    assert make_env().from_string("{{ 1 + 1 }}").render() == "2"


GROWS = "{% set big = 'x' * 900000 %}{% for i in range(100000) %}{{ big }}{% endfor %}"
GREW = f"{NAME} 第1行 模板运行占用内存超过 64 MB，已停止（模板中可能生成了过大的内容，请修改模板）"


@contextlib.contextmanager
def memory_guard(more: int = 3 << 30) -> Iterator[None]:
    """If the watch failed, a render that grows would take every byte of the machine (it once
    took 24 GB of CI's and was killed with the test process): at most `more` bytes of address
    space more than now, so it fails with a MemoryError instead."""
    with open("/proc/self/statm") as statm:
        now = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (now + more, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _stopped_for_memory() -> str:
    """GROWS rendered: stopped by the watch (RenderMemory), not by the guard's MemoryError,
    which would read the same to a clerk."""
    with memory_guard(), pytest.raises(templating.RenderMemory) as info:
        make_env().from_string(GROWS).render()
    return str(describe_error(info.value, NAME))


def test_a_render_that_grows_too_big_is_stopped(monkeypatch):
    monkeypatch.setattr(templating, "RENDER_MEMORY", 64 << 20)
    assert _stopped_for_memory() == GREW


def test_a_stream_its_reader_gave_up_on_stops_nothing_later(monkeypatch):
    """A streamed render (a Word register's long part) whose reader stopped halfway, with an
    error, and kept it: once past its deadline it must not be stopped inside what the thread
    does next, nor leave later renders in the thread unwatched (they took it for the render
    they were inside, one that had already been stopped)."""
    monkeypatch.setattr(templating, "RENDER_SECONDS", 0.3)
    monkeypatch.setattr(templating, "RENDER_MEMORY", 64 << 20)
    env = make_env()
    stream = env.from_string("{% for i in range(10) %}<p>{{ i }}</p>{% endfor %}").generate()
    assert next(stream) == "<p>"
    started = time.monotonic()
    while time.monotonic() - started < 0.8:  # other work, past the stream's deadline
        sum(range(1000))
    monkeypatch.setattr(templating, "RENDER_SECONDS", 60.0)
    assert _stopped_for_memory() == GREW
    # Read again, the stream is past its deadline: stopped there, by itself.
    with pytest.raises(templating.RenderTimeout):
        "".join(stream)
    assert not templating._WATCH.active


def test_a_stream_whose_reader_does_most_of_the_work_is_stopped_at_its_deadline(monkeypatch):
    """The watch seldom finds such a stream running: past its deadline while it waited, it is
    stopped as soon as it is read again."""
    monkeypatch.setattr(templating, "RENDER_SECONDS", 0.5)
    source = "{% for i in range(100000) %}<p>{{ i }}</p>{% endfor %}"
    read = 0
    with hang_guard(30), pytest.raises(templating.RenderTimeout):
        for _chunk in make_env().from_string(source).generate():
            read += 1
            time.sleep(0.002)  # the reader's work
    assert 100 < read < 3000  # ~0.5 s of reading, not the whole stream
    assert not templating._WATCH.active


def test_a_stream_closed_inside_another_render_leaves_that_one_watched():
    stream = make_env().from_string("{% for i in range(3) %}{{ i }}{% endfor %}").generate()
    next(stream)
    with templating.watch():
        outer = templating._WATCH.local.render
        stream.close()
        assert templating._WATCH.local.render is outer
        assert outer in templating._WATCH.active
    assert not templating._WATCH.active


def test_a_stream_is_stopped_past_its_deadline_while_it_runs(monkeypatch):
    monkeypatch.setattr(templating, "RENDER_SECONDS", 0.5)
    source = "{% for i in range(100000) %}{% for j in range(1000) %}{% endfor %}{{ i }}{% endfor %}"
    with hang_guard(30), pytest.raises(Exception) as info:
        for _chunk in make_env().from_string(source).generate():
            pass
    assert str(describe_error(info.value, NAME)).endswith(
        "模板运行超过 0.5 秒，已停止（模板中可能有过多的循环或运算，请修改模板）"
    )


def test_one_string_printed_many_times_is_refused_before_it_is_joined():
    env = make_env(autoescape=False)  # unescaped, each piece is the same string: no growth
    source = "{% set big = 'x' * 900000 %}{% for i in range(1000) %}{{ big }}{% endfor %}"
    with pytest.raises(Exception) as info:
        env.from_string(source).render()
    assert str(describe_error(info.value, NAME)) == (
        f"{NAME} 模板中的输出过大（超过两亿个字符），已被阻止（请修改模板）"
    )


def test_a_template_that_reads_past_the_sandbox_stops_a_build_with_one_line(make_book, tmp_path):
    """Through `build --forms-dir`: exit 1, the template and line named, nothing written."""
    folder = tmp_path / "forms" / "reception_form"
    folder.mkdir(parents=True)
    (folder / "form.yaml").write_text(
        (FORMS_DIR / "reception_form" / "form.yaml")
        .read_text(encoding="utf-8")
        .replace("[docx, pdf]", "[pdf]"),
        encoding="utf-8",
    )
    (folder / "template.html").write_text(
        "<p>{{ 反映内容 }}</p>\n<p>{{ ('A'*1000000000)|length }}</p>", encoding="utf-8"
    )
    out = tmp_path / "out"
    args = ["build", str(make_book([reception()])), "--out", str(out), "--only", "reception_form"]
    result = CliRunner().invoke(cli, [*args, "--forms-dir", str(tmp_path / "forms"), "--jobs", "1"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == (
        f"错误：reception_form/template.html 第2行 模板中的字符串或列表过大{BIG}"
    )
    assert not list(out.rglob("*.pdf"))
