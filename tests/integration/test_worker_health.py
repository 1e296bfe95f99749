"""The Socket Mode worker's /healthz and /metrics (HEALTH_PORT): 503 while its socket or Redis is down, 200
again once it has reconnected. The worker is the real `python -m bot socket` process; the socket server is the
stand-in's own WebSocket server, stopped and started again on the same port."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import time
from collections.abc import AsyncIterator

import aiohttp
import pytest

from bot.devkit.local_redis import free_port
from bot.devkit.standin import SlackStandIn
from tests.conftest import RedisProcess, app_env
from tests.integration.helpers import start_bot

APP_TOKEN = "xapp-1-A0-1-secret"


async def _status_becomes(session: aiohttp.ClientSession, url: str, status: int, within: float) -> str:
    """Poll ``url`` until it answers ``status``; its body then."""
    deadline = time.monotonic() + within
    seen: object = None
    while time.monotonic() < deadline:
        try:
            async with session.get(url) as response:
                seen = response.status
                if response.status == status:
                    return await response.text()
        except aiohttp.ClientConnectionError as error:
            seen = type(error).__name__  # the worker is not listening yet
        await asyncio.sleep(0.1)
    raise AssertionError(f"{url} never answered {status} within {within} s (last: {seen})")


@contextlib.asynccontextmanager
async def _worker(env: dict[str, str]) -> AsyncIterator[str]:
    """`python -m bot socket` with this environment; the base URL of its health port."""
    health_port = free_port()
    environment = {**os.environ, **env, "SLACK_APP_TOKEN": APP_TOKEN, "HEALTH_PORT": str(health_port)}
    del environment["SLACK_SIGNING_SECRET"]
    process = await start_bot("socket", environment)
    try:
        yield f"http://127.0.0.1:{health_port}"
    finally:
        process.terminate()
        await asyncio.wait_for(process.wait(), 10)


def _command(standin: SlackStandIn, trigger: str) -> dict[str, str]:
    return {
        "token": "t",
        "team_id": "T0STANDIN",
        "channel_id": "CPROJ",
        "user_id": "UANA",
        "command": "/llm-approach",
        "text": "",
        "trigger_id": trigger,
        "response_url": standin.response_url(trigger),
    }


async def test_the_worker_is_unhealthy_while_its_socket_is_down_and_recovers_on_reconnect(
    redis_env: dict[str, str], standin: SlackStandIn, redis: object
) -> None:
    async with aiohttp.ClientSession() as session, _worker(app_env(redis_env, standin)) as url:
        assert await _status_becomes(session, url + "/healthz", 200, within=30) == "ok\n"
        async with session.get(url + "/metrics") as response:
            assert response.status == 200
            assert 'llm_approach_requests_total{kind="health",status="200"}' in await response.text()

        await standin.stop_socket_mode()
        body = await _status_becomes(session, url + "/healthz", 503, within=30)
        assert body == "socket mode disconnected\n"

        await standin.start_socket_mode()
        # The SDK retries every ping interval (10 s): recovery takes up to that long.
        assert await _status_becomes(session, url + "/healthz", 200, within=60) == "ok\n"
        assert standin.socket_connections >= 2
        # The new connection carries work again.
        envelope = await standin.push_envelope("slash_commands", _command(standin, "after.reconnect"))
        await standin.wait_until(lambda: envelope in standin.socket_acks, within=30, what="the ack")
        await standin.view_opened_by("after.reconnect", within=10)


@pytest.mark.private_servers
async def test_the_worker_is_unhealthy_while_redis_is_down(
    private_redis: RedisProcess, standin: SlackStandIn
) -> None:
    async with aiohttp.ClientSession() as session, _worker(app_env(private_redis.url, standin)) as url:
        await _status_becomes(session, url + "/healthz", 200, within=30)
        private_redis.stop()
        assert await _status_becomes(session, url + "/healthz", 503, within=30) == "redis unreachable\n"
        private_redis.start()
        await _status_becomes(session, url + "/healthz", 200, within=30)


async def test_a_health_port_in_use_stops_the_worker_with_one_line(
    redis_env: dict[str, str], standin: SlackStandIn
) -> None:
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {**os.environ, **app_env(redis_env, standin), "SLACK_APP_TOKEN": APP_TOKEN}
        env["HEALTH_PORT"] = str(port)
        del env["SLACK_SIGNING_SECRET"]
        process = await start_bot("socket", env, stderr=asyncio.subprocess.PIPE)
        _, stderr = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 1
    assert f"HEALTH_PORT {port}" in stderr.decode()
    assert "Traceback" not in stderr.decode()
