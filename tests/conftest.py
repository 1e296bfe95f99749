"""Shared fixtures: a real Redis, the stand-in Slack Web API, and the app served on a loopback port.

The shared Redis is one server (``REDIS_URL``, database 13) or, when ``REDIS_CLUSTER`` is true, a Redis
Cluster: the one ``REDIS_URL`` names, or a private 3-primary cluster the session starts from the
redis-server binary when ``REDIS_URL`` is empty. Tests that start servers of their own (outages, Sentinel,
TLS, a private cluster: marked ``private_servers`` or using ``private_redis``) run in the single-server
pass only: the cluster pass would repeat them unchanged.
"""

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
from redis.cluster import RedisCluster

from bot.devkit.blockkit import message_problems, view_problems
from bot.devkit.local_redis import free_port
from bot.devkit.simulator import SlackSimulator
from bot.devkit.standin import SlackStandIn
from bot.server.runtime import build_web_app
from bot.server.web import WebApp
from bot.settings import DEFAULT_REDIS_URL, load_settings
from bot.storage.connection import RedisStatus, RedisTarget, probe_redis
from tests.hypothesis_profiles import PROFILE as HYPOTHESIS_PROFILE
from tests.redis_servers import LocalCluster

SIGNING_SECRET = "test-signing-secret"
BOT_TOKEN = "xoxb-test-token"
TEST_DB = 13
CLUSTER = os.environ.get("REDIS_CLUSTER", "").strip().lower() in {"1", "true", "yes", "on"}


def pytest_report_header() -> str:
    # Importing tests.hypothesis_profiles (above) registered the profiles and loaded this one.
    return f"hypothesis examples: {HYPOTHESIS_PROFILE} profile (HYPOTHESIS_PROFILE=ci for the full search)"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "private_servers: starts Redis servers of its own; runs once, in the single-server pass"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if CLUSTER:
        skip = pytest.mark.skip(reason="starts Redis servers of its own; runs in the single-server pass")
        for item in items:
            if "private_servers" in item.keywords or "private_redis" in getattr(item, "fixturenames", ()):
                item.add_marker(skip)


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
    """The shared Redis (REDIS_URL, as CI starts it): database 13 of one server, or a whole cluster."""
    if CLUSTER:
        given = os.environ.get("REDIS_URL")
        if not given:
            cluster = LocalCluster()
            try:
                yield cluster.url
            finally:
                cluster.stop()
            return
        probe = probe_redis(RedisTarget(given, cluster=True))
        if probe.status is not RedisStatus.OK:
            pytest.fail(f"REDIS_CLUSTER is set but REDIS_URL is no cluster node: {probe.message}")
        yield given
        return
    base = os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL
    if probe_redis(base).status is not RedisStatus.OK:
        pytest.fail(f"no Redis answers at {base}: start redis-server or set REDIS_URL (.ci/run does this)")
    yield urlunparse(urlparse(base)._replace(path=f"/{TEST_DB}"))


@pytest.fixture(scope="session")
def redis_env(redis_url: str) -> dict[str, str]:
    """The variables that point the app at the shared Redis, whichever its topology."""
    return {"REDIS_URL": redis_url, "REDIS_CLUSTER": "1" if CLUSTER else "0"}


@pytest.fixture
def redis(redis_url: str) -> Iterator[Redis]:
    """A client of the shared Redis, emptied first (on a cluster, every primary)."""
    client: Redis = (
        RedisCluster.from_url(redis_url, decode_responses=True)  # type: ignore[assignment]
        if CLUSTER
        else Redis.from_url(redis_url, decode_responses=True)
    )
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
    # The simulator keeps its connection open across waits (a Sentinel failover takes seconds) longer than
    # uvicorn's default keep-alive of 5 s.
    config = uvicorn.Config(
        web, host="127.0.0.1", port=settings.port, log_config=None, access_log=False, timeout_keep_alive=60
    )
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


def app_env(redis: str | dict[str, str], standin: SlackStandIn, **extra: str) -> dict[str, str]:
    """The app's environment; ``redis`` is the ``redis_env`` fixture, or the URL of one private server."""
    return {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        **({"REDIS_URL": redis, "REDIS_CLUSTER": "0"} if isinstance(redis, str) else redis),
        "SLACK_API_URL": standin.api_url,
        "PORT": str(free_port()),
        **extra,
    }


@pytest.fixture
async def app(redis: Redis, redis_env: dict[str, str], standin: SlackStandIn) -> AsyncIterator[RunningApp]:
    running = await serve(app_env(redis_env, standin))
    yield running
    await shutdown(running)


@pytest.fixture
async def slack(app: RunningApp, standin: SlackStandIn) -> AsyncIterator[SlackSimulator]:
    async with SlackSimulator(app.url, SIGNING_SECRET, standin) as simulator:
        yield simulator


REPO = Path(__file__).resolve().parent.parent
