"""The local page's routes, each a few lines over the library's public API (`toolkit.__all__`).

    GET  /                      the page, with a new session (its token is written into the page)
    POST /s/<token>/workbook    upload a workbook → the check table (steps 1 and 2)
    POST /s/<token>/sample      use the bundled sample instead
    POST /s/<token>/rules       upload local rules files (used by the check, builds and scores)
    GET  /s/<token>/blank.xlsx, /sample.xlsx          a blank workbook (`init`), the sample
    POST /s/<token>/build       start a build in the background (steps 3 and 4)
    GET  /s/<token>/jobs/<n>    its progress, then its summary and files
    GET  /s/<token>/jobs/<n>/zip, /file/<name>, /preview/<name>   downloads, a PDF's first page
    POST /s/<token>/draft/check, /draft/build; GET /s/<token>/draft.md   a proposal draft
    POST /s/<token>/score       the ranking, each deputy's items on click
    POST /s/<token>/end         the tab is closing: its folder goes

Library calls made in the server process (check, score, the draft check) take turns under one
lock: the library keeps per-dataset caches in its modules and is not written for two at once.
Builds run each in a process of their own (`jobs.py`), so two tabs build side by side.
"""

# Long module: the page's routes, each a few lines over the library; one module keeps the
# session guard and every route that relies on it side by side.

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import importlib.resources
import shutil
import tempfile
import threading
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

import toolkit

from . import pages
from .guard import Guard, UploadTooLarge, too_large_text
from .jobs import Job
from .preview import first_page_png
from .sessions import Session, Sessions

T = TypeVar("T")
MB = 1024 * 1024
DRAFTS = "网页草稿"  # the drafts folder of a session: a draft's problems and files are found by it
DRAFT_FILE = "草稿.md"
FONT = "NotoSansCJKsc-Regular.otf"  # the package's own sans-serif face, for the page's text


@dataclass(frozen=True)
class Settings:
    hosts: frozenset[str]  # Host headers this server answers to, e.g. 127.0.0.1:8765
    max_upload: int = 50 * MB
    idle_minutes: float = 120  # a session unused this long (and building nothing) is removed
    temp_parent: Path | None = None  # where the server's temporary folder goes (default: the OS')
    reap_seconds: float = 60


class Site:
    """One running page: its settings, sessions, templates and the library lock."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        parent = str(settings.temp_parent) if settings.temp_parent else None
        self.root = Path(tempfile.mkdtemp(prefix="liaison-serve-", dir=parent))
        self.sessions = Sessions(self.root, settings.idle_minutes * 60)
        self.env = pages.environment()
        self.library = threading.Lock()
        self._sample_roster: list[Any] | None = None
        self.font = Path(str(importlib.resources.files("liaison_forms") / "fonts" / FONT))

    # ── helpers ─────────────────────────────────────────────────────────────────────────────

    async def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        def locked() -> T:
            with self.library:
                return fn(*args, **kwargs)

        return await run_in_threadpool(locked)

    def render(self, template: str, **context: Any) -> str:
        return self.env.get_template(template).render(**context)

    def html(self, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        return HTMLResponse(self.render(template, **context), status)

    def message(self, text: str, status: int = 200, kind: str = "error") -> HTMLResponse:
        return self.html("message.html", status, text=text, kind=kind)

    def close(self) -> None:
        self.sessions.close_all()
        shutil.rmtree(self.root, ignore_errors=True)

    def roster(self, session: Session) -> tuple[list[Any], bool]:
        """(deputies, from the sample?) for the drafting form's pickers."""
        if session.roster is not None and not session.sample:
            return session.roster, False
        if self._sample_roster is None:
            data = toolkit.check(None, pdf=False)
            self._sample_roster = list(data.roster.deputies)
        return self._sample_roster, True

    def roster_workbook(self, session: Session) -> Path | None:
        """The workbook whose roster drafts are checked against: the session's, once it has
        been read; else the bundled sample (None), as the drafting form says."""
        return session.workbook if session.roster is not None else None

    def reception_rules(self, session: Session) -> Path | None:
        return toolkit.pick_rules(tuple(session.rules)).get("reception")

    # ── the page ────────────────────────────────────────────────────────────────────────────

    async def page(self, request: Request) -> Response:
        session = self.sessions.new()
        roster, from_sample = await self.call(self.roster, session)
        catalogue = await self.call(toolkit.catalogue)
        return self.html(
            "page.html",
            base=f"/s/{session.token}",
            families=pages.families(catalogue),
            formats=pages.FORMAT_LABELS,
            max_upload=self.settings.max_upload,
            max_mb=self.settings.max_upload // MB,
            idle_minutes=int(self.settings.idle_minutes),
            names=[],
            **self._draft_context(session, roster, from_sample),
        )

    async def font_file(self, request: Request) -> Response:
        return FileResponse(self.font, media_type="font/otf")

    # ── steps 1 and 2: the workbook and its check ──────────────────────────────────────────

    async def upload_workbook(self, request: Request) -> Response:
        session: Session = request.state.session
        if session.busy:
            return self.message(_BUSY, 409)
        async with request.form(max_files=1, max_fields=4) as form:
            upload = form.get("file")
            if not isinstance(upload, UploadFile) or not upload.filename:
                return self.message("请选择台账文件（.xlsx、.xls 或 .ods）。", 400)
            name = pages.upload_name(upload.filename, pages.WORKBOOK_SUFFIXES)
            if name is None:
                return self.message(
                    f"错误：“{upload.filename}”不是台账工作簿（只接受 .xlsx、.xls、.ods 文件）。",
                    400,
                )
            folder = session.place("workbook")
            await run_in_threadpool(_replace_with, folder, name, upload)
        session.workbook, session.workbook_name, session.sample = folder / name, name, False
        return HTMLResponse(await self._checked(session))

    async def use_sample(self, request: Request) -> Response:
        session: Session = request.state.session
        if session.busy:
            return self.message(_BUSY, 409)
        session.workbook = Path(toolkit.SAMPLE_WORKBOOK)
        session.workbook_name, session.sample = Path(toolkit.SAMPLE_WORKBOOK).name, True
        return HTMLResponse(await self._checked(session))

    async def upload_rules(self, request: Request) -> Response:
        session: Session = request.state.session
        async with request.form(max_files=8, max_fields=4) as form:
            if form.get("clear"):
                shutil.rmtree(session.folder / "rules", ignore_errors=True)
                session.rules = []
            for upload in form.getlist("rules"):
                if not isinstance(upload, UploadFile) or not upload.filename:
                    continue
                name = pages.upload_name(upload.filename, pages.RULES_SUFFIXES)
                if name is None:
                    return self.message(f"错误：“{upload.filename}”不是规则文件（.yaml）。", 400)
                folder = session.place("rules")
                await run_in_threadpool(_replace_with, folder, name, upload, False)
                if folder / name not in session.rules:
                    session.rules.append(folder / name)
        names = [p.name for p in session.rules]
        listing = self.render("rules.html", base=f"/s/{session.token}", names=names)
        if session.workbook is None:
            return HTMLResponse(listing)
        return HTMLResponse(listing + _oob("check", await self._checked(session)))

    async def _checked(self, session: Session) -> str:
        """The check of the session's workbook, and the page's other panels reset to it."""
        path = session.workbook
        try:
            data = await self.call(toolkit.check, path, self.reception_rules(session))
        except toolkit.ToolkitError as exc:
            session.roster = None
            body = self.render("message.html", text=f"错误：{exc}", kind="error")
            return body + self._panels(session)
        session.roster = list(data.roster.deputies)
        lines = toolkit.check_summary(data, sample=session.sample)
        if session.sample:  # its first and last lines speak of the command line
            lines = lines[1:-1]
        errors, warnings = pages.problem_rows(data.problems)
        body = self.render(
            "check.html",
            name=session.workbook_name,
            sample=session.sample,
            ok=not data.errors,
            lines=lines[len(data.problems) :],
            errors=errors,
            warnings=warnings,
        )
        return body + self._panels(session)

    def _panels(self, session: Session) -> str:
        """Out-of-band: the drafting form with this workbook's roster, the score panel and the
        build result emptied (they were of the workbook before)."""
        roster, from_sample = self.roster(session)
        context = self._draft_context(session, roster, from_sample)
        draft = self.render("draft.html", base=f"/s/{session.token}", **context)
        return (
            _oob("draft-panel", draft)
            + _oob("scores", "")
            + _oob("build", '<p class="muted">选好文书后点“生成文书”。</p>')
        )

    async def blank(self, request: Request) -> Response:
        session: Session = request.state.session
        path = session.place("blank") / "空白台账.xlsx"
        if not path.exists():
            await self.call(toolkit.write_blank_workbook, path)
        return FileResponse(path, filename="空白台账.xlsx")

    async def sample_file(self, request: Request) -> Response:
        return FileResponse(toolkit.SAMPLE_WORKBOOK, filename="示例台账.xlsx")

    # ── steps 3 and 4: build, progress, downloads ──────────────────────────────────────────

    async def start_build(self, request: Request) -> Response:
        session: Session = request.state.session
        if session.workbook is None:
            return self.message("请先在第 1 步选择台账。", 400)
        form = await request.form(max_files=0, max_fields=200)
        try:
            fields = _build_fields(form)
        except pages.FormError as exc:
            return self.message(exc.text, 400)
        return self._start(session, "build", session.workbook, fields)

    def _start(
        self, session: Session, slot: str, workbook: Path | None, fields: dict[str, Any]
    ) -> Response:
        running = session.slots.get(slot)
        if running is not None and (job := session.job(running)) and job.running:
            return self._job_view(session, job, slot)  # a second click: the same progress
        number, out = session.new_job_folder(slot)
        options = toolkit.BuildOptions(
            workbook=workbook, out=out, rules=tuple(session.rules), **fields
        )
        session.jobs[number] = Job(number, options)
        return self._job_view(session, session.jobs[number], slot)

    async def job_state(self, request: Request) -> Response:
        session: Session = request.state.session
        job = session.job(int(request.path_params["number"]))
        if job is None:
            return self.message("这次生成的结果已不在（又生成了一次，或页面已重新打开）。", 404)
        slot = next((s for s, n in session.slots.items() if n == job.number), "build")
        return self._job_view(session, job, slot)

    def _job_view(self, session: Session, job: Job, slot: str) -> Response:
        base = f"/s/{session.token}"
        outcome = job.outcome
        names = job.files
        problems = list(outcome.problems) if outcome else []
        if slot == "draft":  # only the draft's own: the sheet's proposals were built beside it
            names = [n for n in names if _from_drafts(job.sources.get(n, []))]
            problems = [p for p in problems if p.sheet.startswith(f"{DRAFTS}/")]
        errors, warnings = pages.problem_rows(problems)
        lines = [ln for ln in outcome.lines if not ln.startswith("输出位置")] if outcome else []
        return self.html(
            "job.html",
            base=base,
            job=job,
            slot=slot,
            sample=session.sample and slot == "build",  # a draft's words are the clerk's own
            lines=lines,
            errors=errors,
            warnings=warnings,
            groups=pages.file_groups(job.out, names) if not job.running else [],
            count=len(names),
        )

    def _finished(self, request: Request) -> tuple[Session, Job] | None:
        session: Session = request.state.session
        job = session.job(int(request.path_params["number"]))
        if job is None or job.running:
            return None
        return session, job

    async def download_zip(self, request: Request) -> Response:
        found = self._finished(request)
        if found is None:
            return self.message("没有可下载的文件。", 404)
        session, job = found
        slot = next((s for s, n in session.slots.items() if n == job.number), "build")
        if slot == "draft":
            return self.message("草稿的文书请逐个下载。", 404)
        target = job.out.parent / "文书.zip"
        await run_in_threadpool(job.zip, target)
        stamp = dt.date.today().isoformat()
        stem = "示例台账" if session.sample else Path(session.workbook_name).stem
        return FileResponse(target, filename=f"{stem}_文书_{stamp}.zip")

    async def download_file(self, request: Request) -> Response:
        found = self._finished(request)
        path = found[1].path_of(request.path_params["name"]) if found else None
        if path is None:
            return self.message("没有这个文件。", 404)
        return FileResponse(path, filename=path.name)

    async def preview(self, request: Request) -> Response:
        found = self._finished(request)
        name = request.path_params["name"]
        path = found[1].path_of(name) if found else None
        if path is None or path.suffix.lower() != ".pdf" or found is None:
            return self.message("没有这个 PDF 文件。", 404)
        index = found[1].files.index(name)
        cache = found[1].out.parent / "previews" / f"{index}.png"
        png = await run_in_threadpool(first_page_png, path, cache)
        return Response(png, media_type="image/png")

    # ── proposals ───────────────────────────────────────────────────────────────────────────

    def _draft_context(
        self, session: Session, roster: list[Any], from_sample: bool
    ) -> dict[str, Any]:
        stations: dict[str, list[Any]] = {}
        for deputy in roster:
            stations.setdefault(deputy.station or "（未填联络站）", []).append(deputy)
        return {
            "draft": session.draft,
            "kind": session.draft.get("类别", "建议"),
            "sections": _SECTIONS,
            "stations": stations,
            "roster_sample": from_sample,
            "today": dt.date.today().isoformat(),
        }

    async def draft_check(self, request: Request) -> Response:
        session: Session = request.state.session
        form = await request.form(max_files=0, max_fields=400)
        try:
            folder, level = await run_in_threadpool(self._save_draft, session, form)
            workbook = self.roster_workbook(session)
            data = await self.call(toolkit.check_drafts, folder, workbook, level)
        except toolkit.ToolkitError as exc:
            return self.message(f"错误：{exc}")
        return self.html(
            "draft_checks.html",
            problems=data.problems,
            fields=_FIELD_IDS,
            signers=_signers(session.draft),
            kind=session.draft.get("类别", "建议"),
        )

    def _save_draft(self, session: Session, form: FormData) -> tuple[Path, str | None]:
        """The form as a draft file in the session's drafts folder (the library's format)."""
        kind = str(form.get("类别") or "建议")
        values: dict[str, Any] = {key: str(form.get(key) or "") for key in _TEXT_FIELDS}
        values["附议代表"] = [str(v) for v in form.getlist("附议代表") if v]
        values["类别"] = kind
        for part in _ALL_PARTS:
            values[part] = str(form.get(part) or "")
        values["层级"] = str(form.get("层级") or "")
        session.draft.update(values)
        items = {key: values[key] for key in _TEXT_FIELDS if key != "层级"}
        items["附议代表"] = values["附议代表"]
        sections = {part: values[part] for part in _SECTIONS.get(kind, ())}
        text = toolkit.draft_text(kind, items, sections)
        folder = session.place(DRAFTS)
        (folder / DRAFT_FILE).write_text(text, encoding="utf-8")
        return folder, values["层级"] or None

    async def draft_build(self, request: Request) -> Response:
        session: Session = request.state.session
        form = await request.form(max_files=0, max_fields=400)
        try:
            folder, level = await run_in_threadpool(self._save_draft, session, form)
        except toolkit.ToolkitError as exc:
            return self.message(f"错误：{exc}")
        kind = session.draft.get("类别", "建议")
        word = "kind_motion" if kind == "议案" else "kind_suggestion"
        catalogue = await self.call(toolkit.catalogue)
        fields = {
            "only": tuple(f.id for f in catalogue.values() if word in f.when),
            "formats": ("docx", "pdf"),
            "proposals": folder,
            "level": level,
            "keep_going": True,  # the workbook's own rows must not hold back the draft
        }
        return self._start(session, "draft", self.roster_workbook(session), fields)

    async def draft_file(self, request: Request) -> Response:
        session: Session = request.state.session
        path = session.folder / DRAFTS / DRAFT_FILE
        if not path.exists():
            return self.message("还没有草稿。", 404)
        title = str(session.draft.get("标题") or "草稿")
        name = pages.upload_name(f"{title}.md", (".md",)) or DRAFT_FILE
        return FileResponse(path, filename=name, media_type="text/markdown; charset=utf-8")

    # ── scores ──────────────────────────────────────────────────────────────────────────────

    async def scores(self, request: Request) -> Response:
        session: Session = request.state.session
        form = await request.form(max_files=0, max_fields=10)
        try:
            year = pages.parse_whole(form.get("year"), "年度", 1949, 2100)
            quarter = pages.parse_whole(form.get("quarter"), "季度", 1, 4)
        except pages.FormError as exc:
            return self.message(exc.text, 400)
        workbook = None if session.sample else session.workbook
        try:
            data, board = await self.call(
                toolkit.score_workbook, workbook, tuple(session.rules), year=year, quarter=quarter
            )
        except toolkit.ToolkitError as exc:
            return self.message(f"错误：{exc}")
        rejected = sum(len(rows) for rows in data.rejected.values())
        if (rejected or data.errors) and not form.get("keep_going"):
            return self.message(
                f"台账有 {len(data.errors)} 个问题、{rejected} 行被拒绝"
                "（见“生成文书”第 2 步的检查结果），积分会不完整，未计分。"
                "改正后重新上传台账，或勾选“仍按其余的行计分”。"
            )
        return self.html(
            "scores.html",
            caption=toolkit.score_table(board)[0],
            board=toolkit.score_json(board),
            sample=workbook is None,
            partial=bool(rejected or data.errors),
        )

    async def end(self, request: Request) -> Response:
        session: Session = request.state.session
        await run_in_threadpool(self.sessions.end, session.token)
        return Response(status_code=204)


_SECTIONS = {"建议": ("现状与问题", "具体建议"), "议案": ("案由", "案据", "方案")}
_ALL_PARTS = ("现状与问题", "具体建议", "案由", "案据", "方案")
_TEXT_FIELDS = ("标题", "领衔代表", "所属领域", "建议承办单位", "提出日期")
_FIELD_IDS = {  # a problem's column → the element beside that field
    "标题": "title",
    "类别": "kind",
    "领衔代表": "lead",
    "附议代表": "cosigners",
    "所属领域": "area",
    "建议承办单位": "unit",
    "提出日期": "date",
    **{part: f"part-{i}" for i, part in enumerate(_ALL_PARTS)},
}


_BUSY = "正在生成文书，请等生成完成后再换台账。"
_REFUSALS = {  # Starlette's own refusals, in the page's words
    400: "请求有误，无法处理。请刷新页面后再试。",
    404: "没有这个文件或页面。",
    405: "不支持这种请求。",
}


def _signers(draft: dict[str, Any]) -> int:
    """联名 deputies as chosen: the lead and each co-signer once."""
    lead = draft.get("领衔代表") or ""
    others = {c for c in draft.get("附议代表") or [] if c and c != lead}
    return (1 if lead else 0) + len(others)


def _from_drafts(sources: list[str]) -> bool:
    return any(s.startswith(f"{DRAFTS}/") for s in sources)


def _replace_with(folder: Path, name: str, upload: UploadFile, clear: bool = True) -> None:
    """The upload saved as folder/name; with `clear`, in place of what the folder held."""
    if clear:
        for old in folder.iterdir():
            if old.is_file():
                old.unlink()
    with (folder / name).open("wb") as target:
        upload.file.seek(0)
        shutil.copyfileobj(upload.file, target)


def _build_fields(form: FormData) -> dict[str, Any]:
    """The build form as BuildOptions fields; a field that cannot be used is a FormError."""
    only = [str(v) for v in form.getlist("only")]
    formats = [str(v) for v in form.getlist("format")]
    if not only:
        raise pages.FormError("请至少选择一种文书")
    if not formats:
        raise pages.FormError("请至少选择一种格式（Word、PDF 或 Excel）")
    start = pages.parse_day(form.get("from"), "起始日期")
    end = pages.parse_day(form.get("to"), "截止日期")
    if start and end and start > end:
        raise pages.FormError("起始日期晚于截止日期", "请检查日期范围")
    combined = bool(form.get("combined"))
    packs = [f.id for f in toolkit.catalogue().values() if f.binds]  # the meeting packs
    return {
        "only": (*only, *packs) if combined else tuple(only),
        "formats": tuple(formats),
        "date_from": start,
        "date_to": end,
        "year": pages.parse_whole(form.get("year"), "年度", 1949, 2100),
        "quarter": pages.parse_whole(form.get("quarter"), "季度", 1, 4),
        "as_of": pages.parse_day(form.get("as_of"), "截至日期"),
        "copies": pages.parse_whole(form.get("copies"), "份数", 1, 1000) or 1,
        "keep_going": bool(form.get("keep_going")),
        "combined": combined,
    }


def _oob(target: str, html: str) -> str:
    return f'<div id="{target}" hx-swap-oob="innerHTML">{html}</div>'


# Long function: the route table, a line per route, and the guard that wraps them.
def create_app(settings: Settings) -> Starlette:
    """The page as an ASGI application (uvicorn serves it; tests drive it directly)."""
    site = Site(settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async def reap() -> None:
            while True:
                await asyncio.sleep(settings.reap_seconds)
                await run_in_threadpool(site.sessions.reap)

        task = asyncio.create_task(reap())
        try:
            yield
        finally:
            task.cancel()
            await run_in_threadpool(site.close)

    async def too_large(request: Request, exc: Exception) -> Response:
        return site.message(too_large_text(settings.max_upload), 413)

    async def refused(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 400
        return site.message(_REFUSALS.get(status, _REFUSALS[400]), status)

    async def failed(request: Request, exc: Exception) -> Response:
        text = f"程序内部错误（{type(exc).__name__}：{exc}）。请把这条信息发给维护人员。"
        return site.message(text, 500)

    s = "/s/{token}"
    routes = [
        Route("/", site.page),
        Route(f"/fonts/{FONT}", site.font_file),
        Mount("/static", StaticFiles(directory=pages.HERE / "static"), name="static"),
        Route(f"{s}/workbook", site.upload_workbook, methods=["POST"]),
        Route(f"{s}/sample", site.use_sample, methods=["POST"]),
        Route(f"{s}/rules", site.upload_rules, methods=["POST"]),
        Route(f"{s}/blank.xlsx", site.blank),
        Route(f"{s}/sample.xlsx", site.sample_file),
        Route(f"{s}/build", site.start_build, methods=["POST"]),
        Route(f"{s}/jobs/{{number:int}}", site.job_state),
        Route(f"{s}/jobs/{{number:int}}/zip", site.download_zip),
        Route(f"{s}/jobs/{{number:int}}/file/{{name:path}}", site.download_file),
        Route(f"{s}/jobs/{{number:int}}/preview/{{name:path}}", site.preview),
        Route(f"{s}/draft/check", site.draft_check, methods=["POST"]),
        Route(f"{s}/draft/build", site.draft_build, methods=["POST"]),
        Route(f"{s}/draft.md", site.draft_file),
        Route(f"{s}/score", site.scores, methods=["POST"]),
        Route(f"{s}/end", site.end, methods=["POST"]),
    ]
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(
                Guard,
                hosts=set(settings.hosts),
                sessions=site.sessions,
                max_body=settings.max_upload,
            )
        ],
        exception_handlers={UploadTooLarge: too_large, HTTPException: refused, Exception: failed},
        lifespan=lifespan,
    )
    app.state.site = site
    return app
