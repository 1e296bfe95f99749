"""Running the bot: HTTP (the Procfile's web:), Socket Mode (worker:), and a private Redis for `make run`."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from urllib.parse import urlparse

import uvicorn
from redis import Redis as SyncRedis
from redis.exceptions import RedisError
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

from bot.app import build_app, make_engine, make_store
from bot.deps import Deps
from bot.installations import RedisInstallationStore, cipher
from bot.logs import log
from bot.settings import Settings
from bot.web import WebApp, close_http_session, open_http_session


def redis_answers(url: str) -> bool:
    try:
        client = SyncRedis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except (RedisError, OSError, ValueError):
        return False


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def private_redis() -> Iterator[str]:
    """A throwaway redis-server on a free loopback port, stopped on exit. Keeps nothing on disk."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise FileNotFoundError("redis-server is not installed")
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="llm-approach-redis-") as workdir:
        process = subprocess.Popen(
            [
                binary,
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                workdir,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        url = f"redis://127.0.0.1:{port}/0"
        try:
            deadline = time.monotonic() + 10
            while not redis_answers(url):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("redis-server did not start")
                time.sleep(0.05)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()


@contextlib.contextmanager
def reachable_redis(url: str) -> Iterator[str]:
    """The configured Redis if it answers; else a private one when redis-server is installed."""
    if redis_answers(url):
        yield url
        return
    if shutil.which("redis-server") is None:
        raise RuntimeError(
            f"Nothing answers at REDIS_URL ({_safe(url)}) and redis-server is not installed. "
            "Start Redis, set REDIS_URL, or install redis-server."
        )
    print(
        f"Nothing answers at {_safe(url)}; starting a private redis-server for this run (data is not kept)."
    )
    with private_redis() as private_url:
        yield private_url


def _safe(url: str) -> str:
    """A Redis URL without its password, for messages."""
    parsed = urlparse(url)
    if parsed.password:
        return url.replace(f":{parsed.password}@", ":***@")
    return url


def build_web_app(settings: Settings) -> WebApp:
    store = make_store(settings)
    deps = Deps(store=store, engine=make_engine(settings))
    return WebApp(build_app(settings, deps), store)


def serve_http(settings: Settings, host: str = "0.0.0.0") -> None:
    web = build_web_app(settings)
    if not redis_answers(settings.redis_url):
        log.warning("startup.redis_unreachable", extra={"redis": _safe(settings.redis_url)})
    log.info("startup.http", extra={"port": settings.port})
    config = uvicorn.Config(
        web, host=host, port=settings.port, log_config=None, access_log=False, lifespan="on"
    )
    uvicorn.Server(config).run()


async def _socket_mode(settings: Settings) -> None:
    store = make_store(settings)
    deps = Deps(store=store, engine=make_engine(settings))
    app = build_app(settings, deps)
    await open_http_session(app)
    handler = AsyncSocketModeHandler(app, settings.app_token)
    log.info("startup.socket_mode")
    try:
        await handler.start_async()  # type: ignore[no-untyped-call]
    finally:
        await close_http_session(app)
        await store.close()


async def rotate_installation_keys(settings: Settings) -> int:
    """Re-encrypt every stored installation with the newest of LLM_APPROACH_ENCRYPTION_KEYS."""
    assert settings.encryption_keys
    store = make_store(settings)
    try:
        return await RedisInstallationStore(store.redis, cipher(settings.encryption_keys)).rotate_keys()
    finally:
        await store.close()


def serve_socket_mode(settings: Settings) -> None:
    asyncio.run(_socket_mode(settings))
