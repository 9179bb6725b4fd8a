"""`liaison serve` as a clerk starts it: the address printed, a free port, Ctrl-C, the warning
when it listens beyond this computer, and a busy port said in Chinese."""

from __future__ import annotations

import re
import socket
import urllib.error
import urllib.request

from click.testing import CliRunner

from toolkit.cli import cli
from toolkit.web import server as web_server
from web_helpers import Served


def test_serve_prints_its_address_answers_only_there_and_stops_on_ctrl_c(tmp_path):
    served = Served(tmp_path / "server-tmp")
    try:
        with urllib.request.urlopen(served.url) as answer:
            assert "人大代表联络站文书工具" in answer.read().decode("utf-8")
        assert list(served.tmp.iterdir())  # the server's folder, while it runs
        foreign = urllib.request.Request(served.url, headers={"Host": "evil.example"})
        try:
            urllib.request.urlopen(foreign)
            raise AssertionError("a foreign Host was answered")
        except urllib.error.HTTPError as refused:
            assert refused.code == 403
    finally:
        printed = served.stop()
    lines = printed.splitlines()
    assert lines[0] == f"liaison 网页已启动：{served.url}"
    assert "按 Ctrl-C 停止" in lines[1]
    assert lines[-1] == "已停止，临时文件已删除。"
    assert all(re.search(r"[\u4e00-\u9fff]", line) for line in lines), lines  # no server log
    assert list(served.tmp.iterdir()) == []
    assert served.process.returncode == 0


def test_a_busy_port_is_said_in_chinese():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", "--no-browser", "--port", str(port)])
    assert result.exit_code == 2
    assert f"无法在 127.0.0.1:{port} 上启动网页：端口已被占用" in result.output


def test_listening_beyond_this_computer_warns_first(monkeypatch):
    class Quiet:
        def __init__(self, host: str, port: int, **_: object) -> None:
            self.port, self.url = 8000, f"http://{host}:8000/"

        def run(self) -> None:
            raise KeyboardInterrupt  # Ctrl-C at once

    monkeypatch.setattr(web_server, "LocalServer", Quiet)
    lines: list[str] = []
    web_server.serve("0.0.0.0", open_browser=False, echo=lines.append)
    assert lines[0].startswith("【注意】网页监听在 0.0.0.0，不只本机：同一网络中的其他电脑也能打开")
    assert lines[-1] == "已停止，临时文件已删除。"
    lines.clear()
    web_server.serve("127.0.0.1", open_browser=False, echo=lines.append)
    assert not any("注意" in line for line in lines)
    assert lines[0] == "liaison 网页已启动：http://127.0.0.1:8000/"


def test_only_the_names_of_this_server_are_answered():
    assert web_server.allowed_hosts("127.0.0.1", 8000) == {
        "127.0.0.1:8000",
        "localhost:8000",
        "[::1]:8000",
    }
    assert "192.168.1.5:8000" in web_server.allowed_hosts("192.168.1.5", 8000)
    everywhere = web_server.allowed_hosts("0.0.0.0", 8000)
    assert f"{socket.gethostname().lower()}:8000" in everywhere
    assert not any(name.startswith("0.0.0.0") for name in everywhere)
