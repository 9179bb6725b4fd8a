"""`liaison doctor` and `liaison serve`: the machine's checks, and the local web page."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .app import CONTEXT, _echo_lines, cli
from .text import Whole


@cli.command(context_settings=CONTEXT)
@click.option(
    "--out",
    default="outputs",
    show_default=True,
    type=click.Path(path_type=Path),
    help="要检查写入权限的输出文件夹。",
)
def doctor(out: Path) -> None:
    """检查本机环境：Python 和依赖库版本、Pango、HarfBuzz 字体子集、随附字体、输出文件夹。"""
    from ..commands.doctor import run_checks

    checks = run_checks(out)
    _echo_lines([str(c) for c in checks])
    failed = [c for c in checks if not c.ok]
    click.echo("环境正常。" if not failed else f"有 {len(failed)} 项需要处理。")
    if failed:
        sys.exit(1)


@cli.command(context_settings=CONTEXT)
@click.option(
    "--port",
    type=Whole(0, 65535),
    default=0,
    metavar="端口",
    help="端口（默认：自动选一个空闲端口）。",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    metavar="地址",
    help="监听地址。只在本机使用时不要改；改为其他地址时，同一网络的电脑也能打开（会给出提醒）。",
)
@click.option("--no-browser", is_flag=True, help="不自动打开浏览器。")
@click.option(
    "--max-upload",
    type=Whole(1, 4096),
    default=50,
    show_default=True,
    metavar="大小",
    help="上传文件的大小上限，单位为兆字节。",
)
def serve(port: int, host: str, no_browser: bool, max_upload: int) -> None:
    """在浏览器中使用：启动本机网页，选择台账、查看检查结果、生成并下载文书，起草建议议案，
    查看履职积分。默认只有本机能打开；启动后，窗口中写明网页地址和停止的方法。"""
    from ..web import serve as run

    run(
        host,
        port,
        open_browser=not no_browser,
        max_upload=max_upload * 1024 * 1024,
        echo=click.echo,
    )
