"""The local page's routes and limits, driven directly (Starlette's TestClient, no socket):
only its own page may drive it (Host, Origin, token), uploads are bounded, downloads come only
from the build's own files, two sessions build side by side, a session's folder goes with it,
and what it says is what the CLI says."""

from __future__ import annotations

import io
import re
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

import toolkit
from conftest import reception
from toolkit.cli import cli
from toolkit.web import Settings, create_app
from web_helpers import MESSY_ERRORS, messy_workbook

HOST = "127.0.0.1:8765"
ORIGIN = f"http://{HOST}"
MB = 1024 * 1024


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[TestClient, Any]]:
    temp = tmp_path / "server-tmp"
    temp.mkdir()
    settings = Settings(hosts=frozenset({HOST}), max_upload=1 * MB, temp_parent=temp)
    app = create_app(settings)
    with TestClient(app, base_url=ORIGIN) as client:
        yield client, app.state.site
    assert list(temp.iterdir()) == []  # stopping removes every session's folder


@pytest.fixture
def client(site: tuple[TestClient, Any]) -> TestClient:
    return site[0]


def open_page(client: TestClient) -> str:
    """A page load: a new session; its base path /s/<token>."""
    page = client.get("/")
    assert page.status_code == 200
    found = re.search(r'<meta name="liaison-base" content="(/s/[^"]+)">', page.text)
    assert found
    return found.group(1)


def upload(client: TestClient, base: str, path: Path, name: str | None = None) -> Any:
    with path.open("rb") as handle:
        return client.post(f"{base}/workbook", files={"file": (name or path.name, handle)})


def build(client: TestClient, base: str, **fields: Any) -> str:
    """Start a build and wait for its result; the result's HTML."""
    fields = {"only": ["reception_form"], "format": ["docx"], **fields}
    started = client.post(f"{base}/build", data=fields)
    assert started.status_code == 200, started.text
    number = re.search(r'id="job-(\d+)"', started.text).group(1)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        state = client.get(f"{base}/jobs/{number}")
        if "hx-trigger" not in state.text:
            return state.text
        time.sleep(0.2)
    raise AssertionError("the build did not finish")


def text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


# ── the page is whole and offline ─────────────────────────────────────────────────────────


def test_the_page_uses_nothing_that_is_not_served_here(client):
    page = client.get("/")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"
    links = re.findall(r'(?:src|href)="([^"]*)"', page.text)
    assert links and all(link.startswith("/") for link in links), links
    assert "http://" not in page.text and "https://" not in page.text
    css = client.get("/static/app.css")
    assert re.findall(r"url\(([^)]*)\)", css.text) == ['"/fonts/NotoSansCJKsc-Regular.otf"']
    for path in ("/static/htmx.min.js", "/static/app.js", "/fonts/NotoSansCJKsc-Regular.otf"):
        assert client.get(path).status_code == 200, path
    assert "http" not in client.get("/static/app.js").text


def test_each_page_load_is_a_session_of_its_own(client):
    assert open_page(client) != open_page(client)


# ── only its own page may drive it ────────────────────────────────────────────────────────


@pytest.mark.parametrize("host", ["evil.example", "127.0.0.1.evil.example:8765", "127.0.0.1:80"])
def test_a_foreign_host_is_refused(client, host):
    answer = client.get("/", headers={"host": host})
    assert answer.status_code == 403
    assert "地址不符" in answer.text
    base = open_page(client)
    assert client.post(f"{base}/sample", headers={"host": host}).status_code == 403


def test_a_foreign_origin_is_refused(client):
    base = open_page(client)
    refused = client.post(f"{base}/sample", headers={"origin": "http://evil.example"})
    assert refused.status_code == 403
    assert "请求来自其他网页" in refused.text
    refused = client.post(f"{base}/sample", headers={"sec-fetch-site": "cross-site"})
    assert refused.status_code == 403
    allowed = client.post(f"{base}/sample", headers={"origin": ORIGIN})
    assert allowed.status_code == 200 and "检查通过" in allowed.text
    # Another site may link to the page, not load it as an image (a session each time).
    linked = {"sec-fetch-site": "cross-site", "sec-fetch-dest": "document"}
    assert client.get("/", headers=linked).status_code == 200
    loaded = {"sec-fetch-site": "cross-site", "sec-fetch-dest": "image"}
    assert client.get("/", headers=loaded).status_code == 403


def test_refusals_are_in_chinese_too(client):
    base = open_page(client)
    assert "不支持这种请求" in client.get(f"{base}/build").text  # 405
    assert "没有这个文件或页面" in client.get("/nothing-here").text  # 404
    client.post(f"{base}/sample")
    sneaked = client.post(f"{base}/build", files={"only": ("a.txt", b"x")})  # no file belongs
    assert sneaked.status_code == 400 and "请求有误" in sneaked.text


@pytest.mark.parametrize("path", ["/s/wrong-token/sample", "/s//sample", "/s/"])
def test_a_missing_or_wrong_token_is_refused(client, path):
    answer = client.post(path)
    assert answer.status_code == 403
    assert "页面已过期或无效" in answer.text


# ── uploads ───────────────────────────────────────────────────────────────────────────────


def test_an_oversized_upload_is_refused_before_it_is_kept(site, tmp_path):
    client, server = site
    base = open_page(client)
    big = tmp_path / "大台账.xlsx"
    big.write_bytes(b"0" * (MB + 1))
    answer = upload(client, base, big)
    assert answer.status_code == 413
    assert "错误：文件太大（上限 1 MB）" in answer.text

    def chunks() -> Iterator[bytes]:  # no Content-Length: cut off as it arrives
        yield b'--x\r\nContent-Disposition: form-data; name="file"; filename="a.xlsx"\r\n\r\n'
        for _ in range(20):
            yield b"0" * (MB // 10)

    answer = client.post(
        f"{base}/workbook",
        content=chunks(),
        headers={"content-type": "multipart/form-data; boundary=x"},
    )
    assert answer.status_code == 413
    session = server.sessions.get(base.split("/")[2])
    assert session.workbook is None and not (session.folder / "workbook").exists()


def test_a_bad_file_gets_the_cli_s_one_line_error(client, tmp_path):
    base = open_page(client)
    bad = tmp_path / "台账.xlsx"
    bad.write_text("姓名,电话\n王伟,138\n", encoding="utf-8")
    shown = text(upload(client, base, bad).text)
    cli_says = CliRunner().invoke(cli, ["check", str(bad)]).output.strip()
    assert cli_says.startswith("错误：“台账.xlsx”是 CSV/文本文件")
    assert cli_says in shown
    answer = upload(client, base, bad, name="笔记.txt")
    assert answer.status_code == 400
    assert "“笔记.txt”不是台账工作簿（只接受 .xlsx、.xls、.ods 文件）" in answer.text


def test_a_messy_workbook_shows_every_problem_by_its_cell(client, tmp_path):
    base = open_page(client)
    answer = upload(client, base, messy_workbook(tmp_path / "三元.xlsx"))
    rows = re.findall(r"<tr><td>(.*?)</td></tr>", answer.text.split("提醒 1 条")[0])
    cells = [tuple(re.split(r"</td><td[^>]*>", row)) for row in rows]
    assert [tuple(c.replace("&#34;", '"') for c in row) for row in cells] == MESSY_ERRORS
    assert "检查未通过：共 3 个问题" in answer.text
    # The drafting form now offers this workbook's roster, not the sample's.
    assert 'value="买买提·艾力"' in answer.text and 'value="邓斌"' not in answer.text


def test_upload_names_keep_to_the_session_folder(site, tmp_path):
    client, server = site
    base = open_page(client)
    book = messy_workbook(tmp_path / "x.xlsx")
    upload(client, base, book, name="../../逃出去.xlsx")
    upload(client, base, book, name="C:\\Users\\clerk\\台账 2024.xlsx")
    session = server.sessions.get(base.split("/")[2])
    assert session.workbook == session.folder / "workbook" / "台账 2024.xlsx"
    assert sorted(p.name for p in (session.folder / "workbook").iterdir()) == ["台账 2024.xlsx"]
    assert not (session.folder.parent.parent / "逃出去.xlsx").exists()


# ── builds and downloads ──────────────────────────────────────────────────────────────────


def test_downloads_come_only_from_the_build_s_own_files(client, make_book):
    base = open_page(client)
    upload(client, base, make_book([reception()], name="台账.xlsx"))
    result = build(client, base)
    assert "已完成：1 / 1 份（100%）" in result
    name = re.search(r'/jobs/1/file/([^"]+)"', result).group(1)
    good = client.get(f"{base}/jobs/1/file/{name}")
    assert good.status_code == 200 and good.content[:2] == b"PK"
    for bad in (
        "../../workbook/台账.xlsx",
        "..%2F..%2Fworkbook%2F台账.xlsx",
        "%2E%2E/%2E%2E/workbook/台账.xlsx",
        "/etc/passwd",
        "%2Fetc%2Fpasswd",
        "manifest.json",
        "代表接待选民登记表/../../../workbook/台账.xlsx",
    ):
        answer = client.get(f"{base}/jobs/1/file/{bad}")
        assert answer.status_code == 404, bad
        assert answer.content[:2] != b"PK" and "没有这个文件" in answer.text, answer.text
    assert client.get(f"{base}/jobs/1/preview/{name}").status_code == 404  # not a PDF
    assert client.get(f"{base}/jobs/9/file/{name}").status_code == 404
    other = open_page(client)  # another tab cannot reach this one's files
    assert client.get(f"{other}/jobs/1/file/{name}").status_code == 404


def test_two_tabs_build_at_once_without_disturbing_each_other(client, make_book):
    first, second = open_page(client), open_page(client)
    upload(client, first, make_book([reception(code="JD-A-001")], name="一站.xlsx"))
    two = [reception(code="JD-B-001"), reception(code="JD-B-002")]
    upload(client, second, make_book(two, name="二站.xlsx"))
    for base in (first, second):
        started = client.post(
            f"{base}/build", data={"only": ["reception_form"], "format": ["docx"]}
        )
        assert 'hx-trigger="every 500ms"' in started.text
    results = {base: build_result(client, base) for base in (first, second)}
    assert "已完成：1 / 1 份（100%）" in results[first]
    assert "已完成：2 / 2 份（100%）" in results[second]
    for base, codes, stem in (
        (first, {"JD-A-001"}, "一站"),
        (second, {"JD-B-001", "JD-B-002"}, "二站"),
    ):
        answer = client.get(f"{base}/jobs/1/zip")
        assert f"{stem}_文书_" in unquote(answer.headers["content-disposition"])
        with zipfile.ZipFile(io.BytesIO(answer.content)) as zipped:
            names = zipped.namelist()
        found = {re.search(r"(JD-[AB]-\d+)", n).group(1) for n in names}
        assert found == codes
        assert all(n.startswith("代表接待选民登记表/") for n in names)


def build_result(client: TestClient, base: str) -> str:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        state = client.get(f"{base}/jobs/1")
        if "hx-trigger" not in state.text:
            return state.text
        time.sleep(0.2)
    raise AssertionError("the build did not finish")


def test_a_blocked_build_writes_nothing_and_says_why(client, tmp_path):
    base = open_page(client)
    upload(client, base, messy_workbook(tmp_path / "三元.xlsx"))
    result = build(client, base)
    assert "未生成任何文件" in result and "--keep-going" in result
    assert "“王伍” 不在代表名册中" in result and "/zip" not in result
    result = build(client, base, keep_going="1")
    assert "已完成：2 / 2 份（100%）" in result  # the two good rows


# ── sessions end ──────────────────────────────────────────────────────────────────────────


def test_a_closed_tab_or_an_idle_session_takes_its_folder_with_it(site, make_book):
    client, server = site
    base = open_page(client)
    upload(client, base, make_book([reception()], name="台账.xlsx"))
    folder = server.sessions.get(base.split("/")[2]).folder
    assert folder.exists()
    assert client.post(f"{base}/end").status_code == 204
    assert not folder.exists()
    assert client.post(f"{base}/sample").status_code == 403

    base = open_page(client)
    session = server.sessions.get(base.split("/")[2])
    assert server.sessions.reap(now=time.monotonic() + 60) == []  # not idle long enough
    assert server.sessions.reap(now=time.monotonic() + 121 * 60) == [session.token]
    assert not session.folder.exists()
    assert client.post(f"{base}/sample").status_code == 403


# ── proposals and scores ──────────────────────────────────────────────────────────────────


def test_the_draft_form_is_checked_as_proposal_check_checks_it(client, tmp_path):
    base = open_page(client)
    fields = {
        "类别": "议案",
        "标题": "加装电梯",
        "领衔代表": "邓斌",
        "附议代表": ["陈喆", "邓斌"],
        "案由": "居民上下楼难。",
        "案据": "",
        "方案": "一是制定办法；二是设立补助资金。",
        "提出日期": "2024-03-20",
    }
    answer = client.post(f"{base}/draft/check", data=fields)
    shown = text(answer.text)
    assert "“加装电梯”不是“关于……的议案”的格式" in shown
    assert "领衔代表“邓斌”又列为附议代表" in shown
    assert "联名代表 2 名，需要至少 10 名" in shown
    assert "已选 2 名" in shown
    # Beside each field: the title's message in the title's place, and so on.
    title_box = re.search(r'<div class="field-msg" id="msg-title"[^>]*>(.*?)</div>', answer.text)
    assert "不是“关于……的议案”的格式" in title_box.group(1)
    # The same findings as `liaison proposal check` on the draft the page saved.
    draft = client.get(f"{base}/draft.md")
    assert draft.status_code == 200
    folder = tmp_path / "草稿"
    folder.mkdir()
    (folder / "加装电梯.md").write_bytes(draft.content)
    cli_lines = CliRunner().invoke(cli, ["proposal", "check", str(folder)]).output.splitlines()
    messages = [line.split("：", 1)[1].split("（")[0] for line in cli_lines if " 第" in line]
    assert messages and all(m in shown for m in messages), messages


def test_scores_list_every_deputy_with_each_item(client):
    base = open_page(client)
    answer = client.post(f"{base}/score", data={"year": "2024"})
    _, board = toolkit.score_workbook(None, year=2024)
    expected = toolkit.score_json(board)
    assert toolkit.score_table(board)[0] in answer.text
    assert answer.text.count('class="score-row"') == len(expected["代表"]) == 36
    first = expected["代表"][0]
    items = answer.text.split('class="items"')[1].split("</table>")[0]
    for item in first["项目"]:
        assert f'<td>{item["项目"]}</td><td class="num">{item["次数"]}</td>' in items
    bad = client.post(f"{base}/score", data={"year": "二〇二四"})
    assert bad.status_code == 400 and "年度“二〇二四”不是整数" in bad.text


def test_draft_text_reads_back_as_written():
    from toolkit.read.drafts import parse_draft

    items = {
        "标题": "关于A: B#C的建议",
        "领衔代表": "买买提·艾力",
        "附议代表": ["李娜", "王, 伟"],
        "提出日期": "2024-03-20",
        "所属领域": "",
    }
    sections = {"现状与问题": "第一段。\n\n第二段：有冒号。", "具体建议": "一是修路；\n二是排水。"}
    draft = parse_draft(toolkit.draft_text("建议", items, sections))
    assert not draft.issues
    assert draft.front == {
        "类别": "建议",
        "标题": "关于A: B#C的建议",
        "领衔代表": "买买提·艾力",
        "附议代表": ["李娜", "王, 伟"],
        "提出日期": "2024-03-20",
    }
    assert [b.text for b in draft.sections["现状与问题"].blocks] == ["第一段。", "第二段：有冒号。"]
    assert [b.text for b in draft.sections["具体建议"].blocks] == ["一是修路；", "二是排水。"]
    with pytest.raises(toolkit.UsageError):
        toolkit.draft_text("提案", items, sections)


def test_the_page_s_files_ship_with_the_package():
    import tomllib

    root = Path(toolkit.__file__).resolve().parent.parent
    setuptools = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "setuptools"
    ]
    web = root / "toolkit" / "web"
    files = {p for folder in ("static", "templates") for p in (web / folder).rglob("*")}
    shipped = {
        p
        for folder in ("static", "templates")
        for pattern in setuptools["package-data"][f"toolkit.web.{folder}"]
        for p in (web / folder).glob(pattern)
    }
    assert files and files == shipped  # every file, and no folder the patterns miss
