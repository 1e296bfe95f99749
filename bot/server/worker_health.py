"""The Socket Mode worker's health and metrics: GET /healthz and GET /metrics on HEALTH_PORT.

The worker takes no inbound HTTP from Slack, so without this a platform could only tell that the process is
alive, not that it works. ``/healthz`` answers 200 only while Redis answers and the Socket Mode connection
is up; while the SDK reconnects after Slack (or the network) drops the connection, it answers 503 and says
why, so a platform can restart a worker that stays disconnected. ``/metrics`` is the same Prometheus
exposition the web process serves.
"""

from __future__ import annotations

import time
from typing import Protocol

from aiohttp import web

from bot.server import metrics
from bot.server.web import HEALTH_PATH, METRICS_PATH


class Connection(Protocol):
    """What health asks of the Socket Mode client (slack_sdk's ``SocketModeClient`` has it)."""

    async def is_connected(self) -> bool: ...


class Reachable(Protocol):
    """What health asks of the store."""

    async def ping(self) -> bool: ...


class WorkerHealth:
    """A small HTTP server beside the Socket Mode connection, on its own port."""

    def __init__(self, store: Reachable, connection: Connection) -> None:
        self.store = store
        self.connection = connection
        self._runner: web.AppRunner | None = None

    async def problems(self) -> list[str]:
        """What stops the worker from serving now; empty when it can."""
        found = []
        if not await self.store.ping():
            found.append("redis unreachable")
        if not await self.connection.is_connected():
            found.append("socket mode disconnected")
        return found

    async def _health(self, request: web.Request) -> web.Response:
        started = time.perf_counter()
        problems = await self.problems()
        status = 503 if problems else 200
        metrics.observe("health", status, time.perf_counter() - started)
        return web.Response(status=status, text="\n".join(problems or ["ok"]) + "\n")

    async def _metrics(self, request: web.Request) -> web.Response:
        metrics.observe("metrics", 200, 0.0)
        return web.Response(body=metrics.exposition(), headers={"content-type": metrics.CONTENT_TYPE})

    async def start(self, port: int, host: str = "0.0.0.0") -> None:
        app = web.Application()
        app.router.add_get(HEALTH_PATH, self._health)  # aiohttp answers HEAD on a GET route too
        app.router.add_get(METRICS_PATH, self._metrics)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        await web.TCPSite(self._runner, host, port).start()

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
