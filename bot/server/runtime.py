"""Running the bot: HTTP (the Procfile's web:) and Socket Mode (worker:)."""

from __future__ import annotations

import asyncio
import gc
import sys

import uvicorn
from redis.exceptions import RedisClusterException, RedisError
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

from bot.listeners.deps import Deps
from bot.server.app import build_app, make_engine, make_review_policy, make_store
from bot.server.logs import log
from bot.server.web import WebApp, close_http_session, open_http_session
from bot.server.worker_health import WorkerHealth
from bot.settings import Settings
from bot.storage.cipher import cipher
from bot.storage.connection import RedisStatus, RedisTarget, connect, probe_redis
from bot.storage.installations import RedisInstallationStore
from bot.storage.migration import MigrationReport, earlier_layout_present, migrate_keys
from bot.ui.report import learning, learning_lines, report_csv, report_json, report_row, small_count_note

# CPU work whose cost depends on what people send (understanding a mention) runs on a worker thread
# (bot.listeners.mentions). While it runs, the event loop must wait for the GIL each time it wakes; the
# default 5 ms switch interval would add up to about 5 ms per wake-up to every other request, 1 ms adds 1.
GIL_SWITCH_INTERVAL_SECONDS = 0.001


# Each request allocates thousands of short-lived objects (payload dicts, pydantic models, Block Kit), which
# with CPython's default first threshold (700) start a collection every few hundred microseconds, and the
# older generations then re-walk every long-lived object of Bolt, the SDKs and pydantic: a quarter of the
# web process's CPU under load, and its slowest acknowledgements (README, "Performance"). Collections still
# run, so reference cycles are still freed, just less often; what exists once the app is built is frozen
# out of them.
GC_THRESHOLDS = (20_000, 20, 20)


def prepare_process() -> None:
    """Process-wide settings for a serving process (web or Socket Mode)."""
    sys.setswitchinterval(GIL_SWITCH_INTERVAL_SECONDS)
    gc.set_threshold(*GC_THRESHOLDS)


def freeze_startup_objects() -> None:
    """Everything built so far (modules, the app, compiled schemas) lives as long as the process: keep the
    collector from walking it again on every full collection."""
    gc.collect()
    gc.freeze()


class RedisMisconfigured(RuntimeError):
    """REDIS_URL answers but refuses us: the process stops with one line saying why."""


def check_redis(target: RedisTarget) -> bool:
    """Stop on a Redis that refuses us; only warn on one that is down, since it may come back."""
    probe = probe_redis(target)
    if probe.status is RedisStatus.MISCONFIGURED:
        raise RedisMisconfigured(probe.message)
    if probe.status is RedisStatus.UNREACHABLE:
        log.warning("startup.redis_unreachable", extra={"redis": target.describe()})
        return False
    return True


async def warn_about_earlier_layout(target: RedisTarget) -> None:
    """Keys an earlier version wrote are invisible to this one until `migrate-keys` moves them."""
    redis = connect(target)
    try:
        if await earlier_layout_present(redis):
            log.warning(
                "startup.earlier_key_layout",
                extra={"action": "run `python -m bot migrate-keys` (README: Upgrading from 0.1)"},
            )
    except (RedisError, RedisClusterException, OSError) as error:
        log.warning("startup.layout_check_failed", extra={"error": type(error).__name__})
    finally:
        await redis.aclose()


def build_web_app(settings: Settings) -> WebApp:
    store = make_store(settings)
    deps = Deps(store=store, engine=make_engine(settings), reviews=make_review_policy(settings))
    return WebApp(build_app(settings, deps), store)


def serve_http(settings: Settings, host: str = "0.0.0.0") -> None:
    prepare_process()
    # First, so that a Redis that refuses us is the one line printed.
    if check_redis(settings.redis):
        asyncio.run(warn_about_earlier_layout(settings.redis))
    web = build_web_app(settings)
    freeze_startup_objects()
    log.info("startup.http", extra={"port": settings.port})
    config = uvicorn.Config(
        web, host=host, port=settings.port, log_config=None, access_log=False, lifespan="on"
    )
    uvicorn.Server(config).run()


async def _socket_mode(settings: Settings) -> None:
    if check_redis(settings.redis):
        await warn_about_earlier_layout(settings.redis)
    store = make_store(settings)
    deps = Deps(store=store, engine=make_engine(settings), reviews=make_review_policy(settings))
    app = build_app(settings, deps)
    freeze_startup_objects()
    await open_http_session(app)
    assert settings.app_token
    handler = AsyncSocketModeHandler(app, settings.app_token.get_secret_value())
    health = WorkerHealth(store, handler.client)
    try:
        await health.start(settings.health_port)
    except OSError as error:
        await close_http_session(app)
        await store.close()
        raise RuntimeError(
            f"HEALTH_PORT {settings.health_port}: {error.strerror or error}; set HEALTH_PORT to a free port."
        ) from error
    log.info("startup.socket_mode", extra={"health_port": settings.health_port})
    try:
        await handler.start_async()  # type: ignore[no-untyped-call]
    finally:
        await health.stop()
        await close_http_session(app)
        await store.close()


async def rotate_installation_keys(settings: Settings) -> int:
    """Re-encrypt every stored installation with the newest of LLM_APPROACH_ENCRYPTION_KEYS."""
    assert settings.encryption_keys
    store = make_store(settings)
    try:
        keys = cipher(settings.encryption_keys.get_secret_value())
        return await RedisInstallationStore(store.redis, keys).rotate_keys()
    finally:
        await store.close()


async def reindex_assessments(settings: Settings) -> int:
    """Index every stored assessment for everyone who took part (once, after upgrading)."""
    store = make_store(settings)
    try:
        return await store.reindex()
    finally:
        await store.close()


async def outcome_report(settings: Settings, team: str | None, form: str) -> tuple[str, list[str]]:
    """`python -m bot report`: every assessment of one workspace (or all) as CSV or JSON, and the figures
    of how their decisions turned out (in the JSON, and as lines for the CSV's reader)."""
    store = make_store(settings)
    try:
        records = [record async for record in store.team_assessments(team)]
    finally:
        await store.close()
    records.sort(key=lambda record: (record.team, record.created))
    rows = [report_row(record) for record in records]
    learned = learning([record.facts for record in records if record.facts], assessed=len(records))
    note = small_count_note(learned)
    lines = learning_lines(learned) + ([note] if note else [])
    return (report_json(rows, learned) if form == "json" else report_csv(rows)), lines


async def migrate_key_layout(settings: Settings) -> MigrationReport:
    """Move keys from the layout of earlier versions to the current names (`python -m bot migrate-keys`)."""
    probe = probe_redis(settings.redis)
    if probe.status is not RedisStatus.OK:
        raise RuntimeError(probe.message)
    redis = connect(settings.redis)
    try:
        return await migrate_keys(redis)
    except (RedisError, RedisClusterException, OSError) as error:
        raise RuntimeError(
            f"migrate-keys stopped: {type(error).__name__}: {error}. It is safe to run it again."
        ) from error
    finally:
        await redis.aclose()


def serve_socket_mode(settings: Settings) -> None:
    prepare_process()
    try:
        import uvloop  # noqa: PLC0415 - optional: the C event loop uvicorn also uses for the web process
    except ImportError:
        asyncio.run(_socket_mode(settings))
    else:
        uvloop.run(_socket_mode(settings))
