"""The HTTP process: an ASGI app with POST /slack/events (Bolt) and GET /healthz."""

from __future__ import annotations

import time
import uuid
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from typing import Any
from urllib.parse import parse_qs

import aiohttp
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest

from bot.server import metrics
from bot.server.bolt_seam import SlackRequest
from bot.server.logs import count_errors, log, request_id
from bot.storage.store import Store

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
METRICS_PATH = "/metrics"
MAX_BODY_BYTES = 1024 * 1024  # Slack's payloads are far smaller; anything bigger is not from Slack.


class BodyTooLarge(Exception):
    """A request body over MAX_BODY_BYTES: refused with 413 before it is read further."""


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise BodyTooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _headers(scope: Scope) -> dict[str, str | Sequence[str]]:
    headers: dict[str, str | Sequence[str]] = {}
    for key, value in scope.get("headers", []):
        name = key.decode("latin-1").lower()
        headers[name] = [*headers.get(name, []), value.decode("latin-1")]
    return headers


async def _respond(send: Send, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
    raw_headers = [(b"content-length", str(len(body)).encode())]
    content_type = (headers or {}).get("content-type", "text/plain; charset=utf-8")
    raw_headers.append((b"content-type", content_type.encode()))
    raw_headers += [(k.encode(), v.encode()) for k, v in (headers or {}).items() if k != "content-type"]
    await send({"type": "http.response.start", "status": status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": body})


async def open_http_session(bolt: AsyncApp) -> None:
    """One pooled HTTP session for all Web API calls; without it the SDK opens a connection per call."""
    if bolt.client.session is None:
        bolt.client.session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=bolt.client.timeout))


async def close_http_session(bolt: AsyncApp) -> None:
    if bolt.client.session is not None:
        await bolt.client.session.close()
        bolt.client.session = None


class WebApp:
    """ASGI entry point. Everything a request needs lives in Redis, so any number can run side by side."""

    def __init__(self, bolt: AsyncApp, store: Store) -> None:
        self.bolt = bolt
        self.store = store
        count_errors()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        started = time.perf_counter()
        this_request = uuid.uuid4().hex[:12]
        token = request_id.set(this_request)
        path, method = scope.get("path", ""), scope.get("method", "")
        status, kind = 500, "other"
        try:
            if path == HEALTH_PATH and method in {"GET", "HEAD"}:
                kind = "health"
                status = 200 if await self.store.ping() else 503
                await _respond(send, status, b"ok\n" if status == 200 else b"redis unreachable\n")
            elif path == METRICS_PATH and method == "GET":
                kind, status = "metrics", 200
                await _respond(send, status, metrics.exposition(), {"content-type": metrics.CONTENT_TYPE})
            elif path == EVENTS_PATH and method == "POST":
                status, kind = await self._slack(scope, receive, send)
            elif (
                method == "GET"
                and self.bolt.oauth_flow is not None
                and path
                in {
                    self.bolt.oauth_flow.install_path,
                    self.bolt.oauth_flow.redirect_uri_path,
                }
            ):
                kind = "oauth"
                status = await self._oauth(scope, send, path)
            elif path in {EVENTS_PATH, HEALTH_PATH, METRICS_PATH}:
                status = 405
                await _respond(send, status, b"method not allowed\n")
            else:
                status = 404
                await _respond(send, status, b"not found\n")
        finally:
            elapsed = time.perf_counter() - started
            metrics.observe(kind, status, elapsed)
            log.info(
                "http.request",
                extra={
                    "method": method,
                    "path": path,
                    "kind": kind,
                    "status": status,
                    "duration_ms": round(elapsed * 1000, 2),
                },
            )
            request_id.reset(token)

    async def _slack(self, scope: Scope, receive: Receive, send: Send) -> tuple[int, str]:
        try:
            body = await _read_body(receive)
        except BodyTooLarge:
            await _respond(send, 413, b"request too large\n")
            return 413, "other"
        headers = _headers(scope)
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            await _respond(send, 400, b"body is not UTF-8\n")
            return 400, "other"
        query: dict[str, Sequence[str]] = dict(parse_qs(scope.get("query_string", b"").decode("latin-1")))
        try:
            request = SlackRequest(body=text, query=query, headers=headers)
        except Exception:  # Bolt parses the body here; a signed but malformed body must not become a 500.
            log.warning("http.malformed_body")
            await _respond(send, 400, b"malformed request\n")
            return 400, "other"
        kind = metrics.kind_of(request.body)
        try:
            response = await self.bolt.async_dispatch(request)
        except Exception:  # a payload shape Bolt chokes on: the sender's fault, never a 500 with a trace
            log.warning("http.unprocessable", extra={"kind": kind}, exc_info=True)
            await _respond(send, 400, b"could not process request\n")
            return 400, kind
        out_headers = {k: ", ".join(v) for k, v in response.headers.items()}
        body_bytes = response.body.encode("utf-8") if isinstance(response.body, str) else bytes(response.body)
        await _respond(send, response.status, body_bytes, out_headers)
        return response.status, kind

    async def _oauth(self, scope: Scope, send: Send, path: str) -> int:
        """Bolt's install page and OAuth redirect, for installing the app in another workspace."""
        flow = self.bolt.oauth_flow
        assert flow is not None
        headers = _headers(scope)
        request = AsyncBoltRequest(
            body="", query=scope.get("query_string", b"").decode("latin-1"), headers=headers
        )
        if path == flow.install_path:
            response = await flow.handle_installation(request)
        else:
            response = await flow.handle_callback(request)
        out_headers = {k: ", ".join(v) for k, v in response.headers.items() if k.lower() != "set-cookie"}
        raw = [(k.encode(), v.encode()) for k, v in out_headers.items()]
        raw += [(b"set-cookie", cookie.encode()) for cookie in response.headers.get("set-cookie", [])]
        body = response.body.encode("utf-8") if isinstance(response.body, str) else bytes(response.body)
        raw.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": response.status, "headers": raw})
        await send({"type": "http.response.body", "body": body})
        return response.status

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await open_http_session(self.bolt)
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await close_http_session(self.bolt)
                await self.store.close()
                await send({"type": "lifespan.shutdown.complete"})
                return
