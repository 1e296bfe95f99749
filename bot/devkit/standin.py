"""A stand-in for Slack's Web API: a real HTTP server on loopback that records every call.

It answers as Slack's method docs describe (views.*, chat.* with scheduled messages, files upload, auth.test,
users.info), refuses
payloads Slack would refuse (Block Kit limits, stale view hashes, channels the bot is not in), and can be told
to fail a method (an error, a 429 with Retry-After, a 5xx, a slow answer). The demo, the tests and the
benchmarks point SLACK_API_URL at it. Socket Mode has a WebSocket server of its own, on a port of its own
(the URL ``apps.connections.open`` gives), which a test can stop and start again to play an outage.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast
from urllib.parse import parse_qsl

from aiohttp import web

from bot.devkit.blockkit import message_problems, view_problems
from bot.settings import BOT_SCOPES

JSON_FIELDS = ("blocks", "view", "attachments", "metadata")
# chat.scheduleMessage: "You will only be able to schedule a message up to 120 days into the future."
SCHEDULE_LIMIT_DAYS = 120


async def _listen(runner: web.AppRunner, port: int) -> int:
    """Serve ``runner`` on loopback at ``port`` (0: any free one); the port it listens on."""
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    server = cast(asyncio.Server, site._server)
    return int(server.sockets[0].getsockname()[1])


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    token: str | None
    at: float = field(default_factory=time.time)


@dataclass
class Scripted:
    method: str
    error: str | None
    status: int
    headers: dict[str, str]
    delay: float
    times: int
    succeed: bool = False  # answer as usual after the delay (a slow Slack, not a failing one)


class SlackStandIn:
    def __init__(
        self,
        *,
        team_id: str = "T0STANDIN",
        bot_user_id: str = "UBOT",
        bot_id: str = "BBOT",
        check_block_kit: bool = True,
    ) -> None:
        # Benchmarks turn the Block Kit checks off: they cost the load generator CPU the app would miss.
        self.check_block_kit = check_block_kit
        self.team_id = team_id
        self.bot_user_id = bot_user_id
        self.bot_id = bot_id
        self.calls: list[Call] = []
        self.views: dict[str, dict[str, Any]] = {}
        self.home_views: dict[str, dict[str, Any]] = {}
        self.messages: dict[tuple[str, str], dict[str, Any]] = {}
        self.files: dict[str, dict[str, Any]] = {}
        # Messages chat.scheduleMessage holds until deliver_scheduled posts them: id -> the message.
        self.scheduled: dict[str, dict[str, Any]] = {}
        self.refused_channels: dict[str, str] = {}
        # People users.info knows: user id -> (display name, real name). Anyone else is user_not_found.
        self.people: dict[str, tuple[str, str]] = {}
        # Of those, the workspace's admins (users.info says is_admin).
        self.admins: set[str] = set()
        self.opened_by_trigger: dict[str, str] = {}
        self._current_token: str | None = None
        self.sockets: list[web.WebSocketResponse] = []  # the Socket Mode connections open now
        self.socket_connections = 0  # every one ever made: a reconnection counts again
        self.socket_acks: dict[str, dict[str, Any]] = {}
        self._socket_runner: web.AppRunner | None = None
        self.socket_port = 0
        self._scripted: list[Scripted] = []
        self._counter = itertools.count(1)
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0

    # --- control ---------------------------------------------------------------------------------------

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self, name: str = "cmd") -> str:
        return f"http://127.0.0.1:{self.port}/response/{name}"

    def fail(
        self,
        method: str,
        error: str | None = None,
        *,
        status: int = 200,
        headers: dict[str, str] | None = None,
        delay: float = 0.0,
        times: int = 1,
    ) -> None:
        """Make the next `times` calls of `method` fail: ok:false with `error`, or an HTTP `status`."""
        self._scripted.append(Scripted(method, error, status, headers or {}, delay, times))

    def slow_down(self, method: str, delay: float, *, times: int = 1) -> None:
        """Make the next `times` calls of `method` wait `delay` seconds, then succeed as usual."""
        self._scripted.append(Scripted(method, None, 200, {}, delay, times, succeed=True))

    def refuse_channel(self, channel: str, error: str = "not_in_channel") -> None:
        self.refused_channels[channel] = error

    def add_person(self, user: str, display_name: str, real_name: str = "") -> None:
        self.people[user] = (display_name, real_name or display_name)

    def calls_to(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    async def wait_for(self, method: str, count: int = 1, within: float = 5.0) -> list[Call]:
        """Wait until `method` has been called at least `count` times; the calls, oldest first."""

        def enough() -> bool:
            return len(self.calls_to(method)) >= count

        async with self._changed:
            try:
                await asyncio.wait_for(self._changed.wait_for(enough), within)
            except TimeoutError:
                seen = [c.method for c in self.calls]
                raise AssertionError(
                    f"{method} called {len(self.calls_to(method))} times, wanted {count}; saw {seen}"
                ) from None
        return self.calls_to(method)

    async def wait_until(self, condition: Callable[[], bool], within: float = 5.0, what: str = "") -> None:
        async with self._changed:
            try:
                await asyncio.wait_for(self._changed.wait_for(condition), within)
            except TimeoutError:
                raise AssertionError(f"timed out waiting for {what or 'a call'}") from None

    async def view_opened_by(self, trigger_id: str, within: float = 5.0) -> dict[str, Any]:
        """The view a views.open call with this trigger_id opened (waiting for it if need be)."""
        async with self._changed:
            try:
                await asyncio.wait_for(
                    self._changed.wait_for(lambda: trigger_id in self.opened_by_trigger), within
                )
            except TimeoutError:
                raise AssertionError(f"no view was opened with trigger {trigger_id}") from None
        return self.views[self.opened_by_trigger[trigger_id]]

    async def start(self, port: int = 0) -> str:
        app = web.Application(client_max_size=8 * 1024 * 1024)
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)  # the SDK reads some methods (users.info) with GET
        app.router.add_post("/response/{name}", self._response_url)
        app.router.add_post("/upload/{file_id}", self._upload)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        self.port = await _listen(self._runner, port)
        await self.start_socket_mode()
        return self.api_url

    async def stop(self) -> None:
        await self.stop_socket_mode()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def start_socket_mode(self) -> None:
        """Serve Socket Mode (again, on the same port once it has one)."""
        if self._socket_runner is not None:
            return
        app = web.Application()
        app.router.add_get("/link", self._socket_mode_link)
        self._socket_runner = web.AppRunner(app, access_log=None)
        await self._socket_runner.setup()
        self.socket_port = await _listen(self._socket_runner, self.socket_port)

    async def stop_socket_mode(self) -> None:
        """The Socket Mode server goes away: open connections are closed and new ones refused."""
        if self._socket_runner is None:
            return
        for socket in list(self.sockets):
            await socket.close(code=1001, message=b"server going away")
        await self._socket_runner.cleanup()
        self._socket_runner = None
        async with self._changed:
            self.sockets.clear()
            self._changed.notify_all()

    # --- HTTP ------------------------------------------------------------------------------------------

    async def _record(self, call: Call) -> None:
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    @staticmethod
    async def _arguments(request: web.Request) -> dict[str, Any]:
        raw = await request.text()
        if request.content_type == "application/json":
            parsed = json.loads(raw or "{}")
            args: dict[str, Any] = parsed if isinstance(parsed, dict) else {}
        else:
            args = dict(parse_qsl(raw, keep_blank_values=True))
            args.update({k: v for k, v in request.query.items()})
        for name in JSON_FIELDS:
            if isinstance(args.get(name), str):
                with contextlib.suppress(json.JSONDecodeError):
                    args[name] = json.loads(args[name])
        return args

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = await self._arguments(request)
        authorization = request.headers.get("Authorization", "")
        token = authorization.removeprefix("Bearer ") or args.get("token")
        call = Call(method, args, token)
        scripted = next((s for s in self._scripted if s.method == method and s.times > 0), None)
        if scripted is not None:
            scripted.times -= 1
            await self._record(call)  # recorded on arrival, like every call, however late the answer
            if scripted.delay:
                await asyncio.sleep(scripted.delay)
            if scripted.succeed:
                response = self._answer(method, args, token)
                async with self._changed:
                    self._changed.notify_all()  # what the late answer changed (a message) shows now
                return response
            if scripted.status != 200:
                # Slack's 429 says "ratelimited" with the Retry-After header; other statuses are outages.
                error = "ratelimited" if scripted.status == 429 else "fatal_error"
                return web.json_response(
                    {"ok": False, "error": error}, status=scripted.status, headers=scripted.headers
                )
            return web.json_response(
                {"ok": False, "error": scripted.error or "fatal_error"}, headers=scripted.headers
            )
        await self._record(call)
        return self._answer(method, args, token)

    def _answer(self, method: str, args: dict[str, Any], token: str | None) -> web.Response:
        if not token and method not in {"apps.connections.open", "oauth.v2.access"}:
            return web.json_response({"ok": False, "error": "not_authed"})
        handler = getattr(self, "_m_" + method.replace(".", "_"), None)
        if handler is None:
            return web.json_response({"ok": False, "error": "unknown_method"})
        self._current_token = token
        result: dict[str, Any] = handler(args)
        return web.json_response(result)

    # --- Socket Mode ---------------------------------------------------------------------------------

    async def _socket_mode_link(self, request: web.Request) -> web.WebSocketResponse:
        """The WebSocket apps.connections.open points at: hello, then envelopes; the app acks each one."""
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        await socket.send_json({"type": "hello", "num_connections": 1, "debug_info": {"host": "standin"}})
        async with self._changed:
            self.sockets.append(socket)
            self.socket_connections += 1
            self._changed.notify_all()
        try:
            async for message in socket:
                if message.type != web.WSMsgType.TEXT:
                    continue
                ack = json.loads(message.data)
                async with self._changed:
                    self.socket_acks[str(ack.get("envelope_id"))] = ack
                    self._changed.notify_all()
        finally:
            async with self._changed:
                with contextlib.suppress(ValueError):  # already let go by stop_socket_mode
                    self.sockets.remove(socket)
                self._changed.notify_all()
        return socket

    async def push_envelope(self, kind: str, payload: dict[str, Any]) -> str:
        """Deliver a Socket Mode envelope (slash_commands, interactive, events_api) to a connected app."""
        await self.wait_until(lambda: bool(self.sockets), within=30, what="a Socket Mode connection")
        envelope_id = self._next_id("env-")
        await self.sockets[-1].send_json(
            {"envelope_id": envelope_id, "type": kind, "payload": payload, "accepts_response_payload": True}
        )
        return envelope_id

    def _m_apps_connections_open(self, args: dict[str, Any]) -> dict[str, Any]:
        if not str(self._current_token or "").startswith("xapp-"):
            return self._error("invalid_auth")
        # Even while the Socket Mode server is stopped: the app then meets a refused connection, and retries.
        return {"ok": True, "url": f"ws://127.0.0.1:{self.socket_port}/link"}

    async def _response_url(self, request: web.Request) -> web.Response:
        payload = await request.json()
        await self._record(Call("response_url", payload, None))
        return web.Response(text="ok")

    async def _upload(self, request: web.Request) -> web.Response:
        file_id = request.match_info["file_id"]
        content = await request.read()
        if file_id in self.files:
            self.files[file_id]["content"] = content.decode("utf-8", errors="replace")
        await self._record(Call("upload", {"file_id": file_id, "bytes": len(content)}, None))
        return web.Response(text=f"OK - {len(content)}")

    # --- methods ---------------------------------------------------------------------------------------

    def _next_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._counter):08d}"

    def _ts(self) -> str:
        return f"{1_700_000_000 + next(self._counter)}.{next(self._counter):06d}"

    @staticmethod
    def _error(error: str, **extra: Any) -> dict[str, Any]:
        return {"ok": False, "error": error, **extra}

    def _m_auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        return self._auth_for(self._current_token)

    def _auth_for(self, token: str | None) -> dict[str, Any]:
        team = self.team_id
        installed = re.fullmatch(r"(?:xoxe\.)?xoxb-([TE][A-Z0-9]+)-token(?:-\d+)?", token or "")
        if installed:
            team = installed.group(1)
        answer = {
            "ok": True,
            "url": "https://standin.slack.com/",
            "team": "Stand-in",
            "user": "llm-approach",
            "team_id": team,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
        }
        if team.startswith("E"):  # an organisation's token: Slack names the organisation as the team
            answer.update(enterprise_id=team, is_enterprise_install=True)
        return answer

    def _store_view(self, view: Any, view_id: str | None = None) -> dict[str, Any]:
        if not isinstance(view, dict):
            return self._error("invalid_arguments")
        problems = view_problems(view) if self.check_block_kit else []
        if problems:
            return self._error("invalid_arguments", response_metadata={"messages": problems})
        view_id = view_id or self._next_id("V")
        stored = {
            **view,
            "id": view_id,
            "hash": self._next_id("h"),
            "team_id": self.team_id,
            "state": {"values": {}},
        }
        self.views[view_id] = stored
        return {"ok": True, "view": stored}

    def _m_oauth_v2_access(self, args: dict[str, Any]) -> dict[str, Any]:
        """Exchanges an OAuth code for a workspace's bot token. Codes look like `code-<TEAM>`; a team
        whose id ends in ROT gets rotating tokens (access token plus refresh token), as Slack issues them.
        `code-<ENTERPRISE>` (an id starting with E) installs the app for a whole Enterprise Grid organisation
        (no team, ``is_enterprise_install``), and `code-<ENTERPRISE>.<TEAM>` in one workspace of it."""
        if args.get("grant_type") == "refresh_token":
            refresh = str(args.get("refresh_token") or "")
            if not refresh.startswith("xoxe-1-"):
                return self._error("invalid_refresh_token")
            team, generation = refresh.removeprefix("xoxe-1-").rsplit("-", 1)
            following = int(generation) + 1
            return {
                "ok": True,
                "app_id": "A0LLMAPPROACH",
                "token_type": "bot",
                "access_token": f"xoxe.xoxb-{team}-token-{following}",
                "refresh_token": f"xoxe-1-{team}-{following}",
                "expires_in": 43200,
                "bot_user_id": self.bot_user_id,
                "team": {"id": team, "name": f"Workspace {team}"},
                "enterprise": None,
                "is_enterprise_install": False,
                "scope": ",".join(BOT_SCOPES),
            }
        code = str(args.get("code") or "")
        if not code.startswith("code-"):
            return self._error("invalid_code")
        team = code.removeprefix("code-")
        if team.startswith("E"):
            enterprise, _, workspace = team.partition(".")
            return self._grant(workspace, enterprise=enterprise) if workspace else self._org_grant(enterprise)
        if team.endswith("ROT"):
            # Expires within Bolt's 120-minute refresh window, so the next request rotates it.
            return {
                **self._grant(team),
                "access_token": f"xoxe.xoxb-{team}-token-1",
                "refresh_token": f"xoxe-1-{team}-1",
                "expires_in": 3600,
            }
        return self._grant(team)

    def _grant(self, team: str, *, enterprise: str | None = None) -> dict[str, Any]:
        return {
            "ok": True,
            "app_id": "A0LLMAPPROACH",
            "authed_user": {"id": "UINSTALLER"},
            "scope": ",".join(BOT_SCOPES),
            "token_type": "bot",
            "access_token": f"xoxb-{team}-token",
            "bot_user_id": self.bot_user_id,
            "team": {"id": team, "name": f"Workspace {team}"},
            "enterprise": {"id": enterprise, "name": f"Organisation {enterprise}"} if enterprise else None,
            "is_enterprise_install": False,
        }

    def _org_grant(self, enterprise: str) -> dict[str, Any]:
        """An org-wide installation, as Slack's Enterprise Grid reference shows it: no team."""
        return {
            **self._grant(enterprise, enterprise=enterprise),
            "team": None,
            "is_enterprise_install": True,
        }

    def _m_views_open(self, args: dict[str, Any]) -> dict[str, Any]:
        trigger_id = args.get("trigger_id")
        if not trigger_id:
            return self._error("invalid_trigger_id")
        if trigger_id in self.opened_by_trigger:
            return self._error("exchanged_trigger_id")
        result = self._store_view(args.get("view"))
        if result["ok"]:
            self.opened_by_trigger[str(trigger_id)] = result["view"]["id"]
        return result

    def _m_views_update(self, args: dict[str, Any]) -> dict[str, Any]:
        view_id = args.get("view_id")
        if not view_id or view_id not in self.views:
            return self._error("not_found")
        if args.get("hash") and args["hash"] != self.views[view_id]["hash"]:
            return self._error("hash_conflict")
        return self._store_view(args.get("view"), view_id)

    def _m_views_publish(self, args: dict[str, Any]) -> dict[str, Any]:
        view = args.get("view")
        if not isinstance(view, dict):
            return self._error("invalid_arguments")
        problems = view_problems(view) if self.check_block_kit else []
        if problems:
            return self._error("invalid_arguments", response_metadata={"messages": problems})
        self.home_views[str(args.get("user_id"))] = view
        return {"ok": True, "view": {**view, "id": self._next_id("V"), "hash": self._next_id("h")}}

    def _m_chat_postMessage(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = str(args.get("channel") or "")
        if not channel:
            return self._error("channel_not_found")
        if channel in self.refused_channels:
            return self._error(self.refused_channels[channel])
        problems = message_problems(args) if self.check_block_kit else []
        if problems:
            return self._error("invalid_blocks", response_metadata={"messages": problems})
        if channel.startswith(("U", "W")):
            channel = "D" + channel[1:]
        ts = self._ts()
        message = {
            "text": args.get("text", ""),
            "blocks": args.get("blocks", []),
            "ts": ts,
            "user": self.bot_user_id,
        }
        if args.get("thread_ts"):
            message["thread_ts"] = args["thread_ts"]
        self.messages[(channel, ts)] = message
        return {"ok": True, "channel": channel, "ts": ts, "message": message}

    def _m_chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        key = (str(args.get("channel")), str(args.get("ts")))
        if key not in self.messages:
            return self._error("message_not_found")
        problems = message_problems(args) if self.check_block_kit else []
        if problems:
            return self._error("invalid_blocks", response_metadata={"messages": problems})
        self.messages[key].update(text=args.get("text", ""), blocks=args.get("blocks", []))
        return {"ok": True, "channel": key[0], "ts": key[1], "text": args.get("text", "")}

    def _m_chat_postEphemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = str(args.get("channel") or "")
        if channel in self.refused_channels:
            return self._error(self.refused_channels[channel])
        return {"ok": True, "message_ts": self._ts()}

    def _m_chat_scheduleMessage(self, args: dict[str, Any]) -> dict[str, Any]:
        """As Slack's method page describes it: post_at must be in the future and at most 120 days out,
        the channel one the bot can post in; the answer carries the scheduled_message_id."""
        channel = str(args.get("channel") or "")
        if not channel:
            return self._error("channel_not_found")
        if channel in self.refused_channels:
            return self._error(self.refused_channels[channel])
        raw = str(args.get("post_at") or "")
        if not raw.isdigit():
            return self._error("invalid_time")
        post_at, now = int(raw), time.time()
        if post_at <= now:
            return self._error("time_in_past")
        if post_at > now + SCHEDULE_LIMIT_DAYS * 86400:
            return self._error("time_too_far")
        if not args.get("text") and not args.get("blocks"):
            return self._error("no_text")
        problems = message_problems(args) if self.check_block_kit else []
        if problems:
            return self._error("invalid_blocks", response_metadata={"messages": problems})
        scheduled_id = self._next_id("Q")
        message = {"text": args.get("text", ""), "blocks": args.get("blocks", []), "user": self.bot_user_id}
        if args.get("thread_ts"):
            message["thread_ts"] = args["thread_ts"]
        self.scheduled[scheduled_id] = {**message, "channel": channel, "post_at": post_at}
        return {
            "ok": True,
            "channel": channel,
            "scheduled_message_id": scheduled_id,
            "post_at": str(post_at),
            "message": {
                **message,
                "bot_id": self.bot_id,
                "type": "delayed_message",
                "subtype": "bot_message",
            },
        }

    def _m_chat_deleteScheduledMessage(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = str(args.get("channel") or "")
        if not channel or channel in self.refused_channels:
            return self._error("channel_not_found")
        held = self.scheduled.get(str(args.get("scheduled_message_id") or ""))
        if held is None or held["channel"] != channel:
            # An invalid id, or one whose message "has already been sent or deleted".
            return self._error("invalid_scheduled_message_id")
        del self.scheduled[str(args["scheduled_message_id"])]
        return {"ok": True}

    async def deliver_scheduled(self, scheduled_id: str) -> str | None:
        """What Slack does at post_at: post the held message (nothing if the bot can no longer post in the
        channel, as Slack drops it). Its ts, or None."""
        held = dict(self.scheduled.pop(scheduled_id))
        channel = held.pop("channel")
        held.pop("post_at")
        if channel in self.refused_channels:
            return None
        ts = self._ts()
        async with self._changed:
            self.messages[(channel, ts)] = {**held, "ts": ts}
            self._changed.notify_all()
        return ts

    def _m_users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        user = str(args.get("user") or "")
        if user not in self.people:
            return self._error("user_not_found")
        display_name, real_name = self.people[user]
        return {
            "ok": True,
            "user": {
                "id": user,
                "team_id": self.team_id,
                "name": display_name.lower().replace(" ", "."),
                "real_name": real_name,
                "is_admin": user in self.admins,
                "is_owner": False,
                "profile": {"display_name": display_name, "real_name": real_name},
            },
        }

    def _m_files_getUploadURLExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        file_id = self._next_id("F")
        self.files[file_id] = {
            "filename": args.get("filename"),
            "length": args.get("length"),
            "content": None,
        }
        return {
            "ok": True,
            "upload_url": f"http://127.0.0.1:{self.port}/upload/{file_id}",
            "file_id": file_id,
        }

    def _m_files_completeUploadExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        files = args.get("files")
        if isinstance(files, str):
            files = json.loads(files)
        completed = []
        for entry in files or []:
            stored = self.files.get(entry.get("id"))
            if stored is None:
                return self._error("file_not_found")
            stored.update(
                title=entry.get("title"), channel=args.get("channel_id"), thread_ts=args.get("thread_ts")
            )
            completed.append({"id": entry["id"], "title": entry.get("title")})
        return {"ok": True, "files": completed}
