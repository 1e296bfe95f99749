"""Shared fixtures: a real Redis, the stand-in Slack Web API, and the app served on a loopback port."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import pytest
import uvicorn
from redis import Redis

from bot.devkit.blockkit import message_problems, view_problems
from bot.devkit.local_redis import free_port
from bot.devkit.simulator import SlackSimulator
from bot.devkit.standin import SlackStandIn
from bot.server.runtime import build_web_app
from bot.server.web import WebApp
from bot.settings import DEFAULT_REDIS_URL, load_settings
from bot.storage.connection import RedisStatus, probe_redis

SIGNING_SECRET = "test-signing-secret"
BOT_TOKEN = "xoxb-test-token"
TEST_DB = 13


class RedisProcess:
    """A private redis-server the test controls: stop it for an outage, start it again on the same port."""

    def __init__(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.fail("redis-server is not installed; .ci/run installs it")
        self.binary = binary
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="llm-approach-test-redis-")
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        # Append-only with fsync on every write, so answers saved before a restart survive it.
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                self.dir,
                "--save",
                "",
                "--appendonly",
                "yes",
                "--appendfsync",
                "always",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while probe_redis(self.url).status is not RedisStatus.OK:
            if time.monotonic() > deadline:
                raise RuntimeError("private redis-server did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """The shared Redis (REDIS_URL, as CI starts it) on a database of the tests' own."""
    base = os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL
    if probe_redis(base).status is not RedisStatus.OK:
        pytest.fail(f"no Redis answers at {base}: start redis-server or set REDIS_URL (.ci/run does this)")
    yield urlunparse(urlparse(base)._replace(path=f"/{TEST_DB}"))


@pytest.fixture
def redis(redis_url: str) -> Iterator[Redis]:
    client = Redis.from_url(redis_url, decode_responses=True)
    client.flushdb()
    yield client
    client.close()


@pytest.fixture
def private_redis() -> Iterator[RedisProcess]:
    server = RedisProcess()
    server.start()
    yield server
    server.cleanup()


@pytest.fixture
async def standin() -> AsyncIterator[SlackStandIn]:
    server = SlackStandIn()
    await server.start()
    yield server
    await server.stop()
    # Whatever a test did, every view and message the app sent must have been valid Block Kit.
    for call in server.calls:
        if call.method in {"views.open", "views.update", "views.publish"}:
            assert not view_problems(call.args["view"]), (call.method, view_problems(call.args["view"]))
        elif call.method in {"chat.postMessage", "chat.update"}:
            assert not message_problems(call.args), (call.method, message_problems(call.args))


@dataclass
class RunningApp:
    url: str
    web: WebApp
    server: uvicorn.Server
    task: asyncio.Task[None]


async def serve(env: dict[str, str]) -> RunningApp:
    settings = load_settings(env)
    web = build_web_app(settings)
    config = uvicorn.Config(web, host="127.0.0.1", port=settings.port, log_config=None, access_log=False)
    server = uvicorn.Server(config)
    task = asyncio.get_running_loop().create_task(server.serve())
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the app did not start")
        await asyncio.sleep(0.01)
    return RunningApp(f"http://127.0.0.1:{settings.port}", web, server, task)


async def shutdown(app: RunningApp) -> None:
    app.server.should_exit = True
    await asyncio.wait_for(app.task, 10)


def app_env(redis_url: str, standin: SlackStandIn, **extra: str) -> dict[str, str]:
    return {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "REDIS_URL": redis_url,
        "SLACK_API_URL": standin.api_url,
        "PORT": str(free_port()),
        **extra,
    }


@pytest.fixture
async def app(redis: Redis, redis_url: str, standin: SlackStandIn) -> AsyncIterator[RunningApp]:
    running = await serve(app_env(redis_url, standin))
    yield running
    await shutdown(running)


@pytest.fixture
async def slack(app: RunningApp, standin: SlackStandIn) -> AsyncIterator[SlackSimulator]:
    async with SlackSimulator(app.url, SIGNING_SECRET, standin) as simulator:
        yield simulator


REPO = Path(__file__).resolve().parent.parent
