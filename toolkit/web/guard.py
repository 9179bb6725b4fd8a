"""The server answers only its own page: an ASGI middleware in front of every route.

- Host: the request must be addressed to this server by a name it listens on (127.0.0.1:port,
  localhost:port, or the --host given). A web page elsewhere that points its own domain name at
  127.0.0.1 (DNS rebinding) sends its own name, and is refused.
- Origin: a request that carries one must come from this server's own origin; Sec-Fetch-Site,
  where the browser sends it, must not be cross-site for a session's routes, nor for the page
  itself unless the browser is opening it as a page (a link followed), not as an image.
- Token: every route under /s/<token>/ belongs to one session; an unknown token is refused.
  The token is made when the page is loaded and is written only into that page, which another
  site cannot read.
- Size: a request body is cut off at the upload limit, by its Content-Length or, without one,
  as it arrives.
Every answer carries headers that keep the page from being framed or from loading anything that
is not served here (Content-Security-Policy: the page works offline and with no CDN).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from .sessions import Sessions

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        b"connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
        b"form-action 'self'; frame-ancestors 'none'",
    ),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"cache-control", b"no-store"),
]


class UploadTooLarge(Exception):
    """A request body went past the upload limit while it was being read."""


class Guard:
    def __init__(self, app: ASGIApp, *, hosts: set[str], sessions: Sessions, max_body: int) -> None:
        self.app = app
        self.hosts = {h.lower() for h in hosts}
        self.origins = {f"http://{h}" for h in self.hosts}
        self.sessions = sessions
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        path: str = scope["path"]
        refusal = self._refusal(headers, path, scope)
        if refusal:
            await _plain(send, 403, refusal)
            return
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_body:
            await _plain(send, 413, too_large_text(self.max_body))
            return
        await self.app(scope, self._limited(receive), _with_headers(send))

    def _refusal(self, headers: dict[str, str], path: str, scope: Scope) -> str:
        if headers.get("host", "").lower() not in self.hosts:
            return (
                "拒绝访问：请求不是发给本机这个页面的（地址不符）。"
                "请直接打开 liaison serve 给出的地址。"
            )
        origin = headers.get("origin")
        if origin is not None and origin.lower() not in self.origins:
            return "拒绝访问：请求来自其他网页。本页面只接受它自己发出的操作。"
        foreign = headers.get("sec-fetch-site", "same-origin") in ("cross-site", "same-site")
        if not path.startswith("/s/"):
            # Another site may link to the page (a clerk follows the link: a document), but
            # not load it as an image or a script, each load making a session.
            if foreign and path == "/" and headers.get("sec-fetch-dest", "document") != "document":
                return "拒绝访问：请求来自其他网页。本页面只接受它自己发出的操作。"
            return ""
        if foreign:
            return "拒绝访问：请求来自其他网页。本页面只接受它自己发出的操作。"
        token = path[3:].split("/", 1)[0]
        session = self.sessions.get(token) if token else None
        if session is None:
            return (
                "页面已过期或无效（可能已关闭、长时间未用或服务已重启）。请重新打开页面（刷新）。"
            )
        scope.setdefault("state", {})["session"] = session
        return ""

    def _limited(self, receive: Receive) -> Receive:
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise UploadTooLarge
            return message

        return limited


def too_large_text(limit: int) -> str:
    return (
        f"错误：文件太大（上限 {limit // (1024 * 1024)} MB）。请确认选择的是台账工作簿；"
        "确需更大的文件，请用 liaison serve --max-upload 放宽上限。"
    )


def _with_headers(send: Send) -> Send:
    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            present = {k.lower() for k, _ in message.get("headers", [])}
            extra = [(k, v) for k, v in SECURITY_HEADERS if k not in present]
            message["headers"] = [*message.get("headers", []), *extra]
        await send(message)

    return sending


async def _plain(send: Send, status: int, text: str) -> None:
    body = f'<p class="error" role="alert">{text}</p>'.encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/html; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                *SECURITY_HEADERS,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
