"""Serving the page on this computer: `serve()` behind `liaison serve`, and `LocalServer`, which
tests start and stop themselves.

The socket is bound before anything is printed, so the address printed is one that answers (a
free port when none is asked for). Only loopback listens unless `--host` names another
address, and then a warning says who else can open the page. uvicorn serves the application
(quiet: its own log lines are not for a clerk); Ctrl-C stops it, ends the builds running and
removes every session's temporary folder.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import socket
import sys
import threading
import time
import webbrowser
from collections.abc import Callable
from pathlib import Path

import uvicorn

from toolkit import UsageError

from .app import MB, Settings, create_app

LOOPBACK_NAMES = ("localhost",)


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _everywhere(host: str) -> bool:
    return host in ("0.0.0.0", "::", "")


def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """The Host headers a browser sends to reach this server, and no others (DNS rebinding)."""
    names = {"127.0.0.1", "localhost", "[::1]"}
    if _everywhere(host):
        hostname = socket.gethostname()
        names |= {hostname, *_addresses(hostname)}
    elif not is_loopback(host):
        names.add(f"[{host}]" if ":" in host else host)
    return frozenset(f"{name.lower()}:{port}" for name in names)


def _addresses(hostname: str) -> set[str]:
    try:
        found = socket.getaddrinfo(hostname, None)
    except OSError:
        return set()
    return {f"[{info[4][0]}]" if info[0] == socket.AF_INET6 else str(info[4][0]) for info in found}


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    if os.name != "nt":  # on Windows this option would let another program take the port
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host.strip("[]"), port))
    except OSError as exc:
        sock.close()
        taken = exc.errno in (98, 48, 10048)  # EADDRINUSE on Linux, macOS, Windows
        reason = "端口已被占用" if taken else (exc.strerror or "无法使用这个地址")
        raise UsageError(
            f"无法在 {host}:{port} 上启动网页：{reason}",
            hint="换一个端口（--port），或不写 --port 自动选择空闲端口",
        ) from None
    sock.listen(128)  # now: a browser opened at the printed address waits, not refused
    return sock


class LocalServer:
    """The page on a bound socket; `run()` serves until `stop()` or Ctrl-C."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        max_upload: int = 50 * MB,
        idle_minutes: float = 120,
        temp_parent: Path | None = None,
    ) -> None:
        self.host = host
        self.sock = _bind(host, port)
        self.port = int(self.sock.getsockname()[1])
        shown = "127.0.0.1" if _everywhere(host) else (f"[{host}]" if ":" in host else host)
        self.url = f"http://{shown}:{self.port}/"
        settings = Settings(
            hosts=allowed_hosts(host, self.port),
            max_upload=max_upload,
            idle_minutes=idle_minutes,
            temp_parent=temp_parent,
        )
        self.app = create_app(settings)
        config = uvicorn.Config(
            self.app,
            log_level="warning",
            access_log=False,
            lifespan="on",
            timeout_graceful_shutdown=3,
        )
        self.server = uvicorn.Server(config)

    def run(self) -> None:
        try:
            self.server.run(sockets=[self.sock])
        finally:
            self.sock.close()

    def wait_started(self, timeout: float = 15) -> bool:
        deadline = time.monotonic() + timeout
        while not self.server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        return bool(self.server.started)

    def stop(self) -> None:
        self.server.should_exit = True


def lan_addresses() -> list[str]:
    return sorted(
        a for a in _addresses(socket.gethostname()) if not a.startswith("[") and not is_loopback(a)
    )


def serve(
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    open_browser: bool = True,
    max_upload: int = 50 * MB,
    idle_minutes: float = 120,
    echo: Callable[[str], None] = print,
) -> None:
    """`liaison serve`: print the address, open the browser where there is one, serve until
    Ctrl-C."""
    server = LocalServer(host, port, max_upload=max_upload, idle_minutes=idle_minutes)
    if not is_loopback(host):
        others = "、".join(f"http://{a}:{server.port}/" for a in lan_addresses())
        where = (others or "本机的网络地址") if _everywhere(host) else server.url
        echo(
            f"【注意】网页监听在 {host}，不只本机：同一网络中的其他电脑也能打开 {where} 并上传、"
            "下载台账和文书。只在本机使用时请不要加 --host。"
        )
    echo(f"liaison 网页已启动：{server.url}")
    echo("请在浏览器中打开上面的地址（360、QQ 浏览器请用极速模式）。按 Ctrl-C 停止。")
    if open_browser:
        threading.Thread(target=_open_when_started, args=(server, echo), daemon=True).start()
    with contextlib.suppress(KeyboardInterrupt):
        server.run()
    echo("已停止，临时文件已删除。")


def _open_when_started(server: LocalServer, echo: Callable[[str], None]) -> None:
    if not server.wait_started():
        return
    headless = sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    )
    # Without a screen, webbrowser would start a text browser in this very terminal.
    opened = False
    if not headless:
        with contextlib.suppress(webbrowser.Error):
            opened = webbrowser.open(server.url)
    if not opened:
        echo("未能自动打开浏览器，请手动打开上面的地址。")
