"""Building the Bolt app: the Web API client, the listeners and their dependencies."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot.deps import Deps
from bot.listeners import register_listeners
from bot.logs import log
from bot.settings import Settings
from bot.store import Store, connect
from scoring import Engine, engine_for
from scoring.ruleset import load_policy


def make_client(settings: Settings) -> AsyncWebClient:
    return AsyncWebClient(
        token=settings.bot_token,
        base_url=settings.slack_api_url,
        timeout=10,
        # Slack asks for a pause on 429 (Retry-After); 5xx and dropped connections get a short retry.
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(max_retry_count=1),
            AsyncRateLimitErrorRetryHandler(max_retry_count=2),
            AsyncServerErrorRetryHandler(max_retry_count=1),
        ],
    )


def make_engine(settings: Settings) -> Engine:
    """The default rules, or the team's policy applied to them (RuleSetError names a bad entry)."""
    if settings.policy_path:
        engine = engine_for(load_policy(settings.policy_path))
        log.info("policy.loaded", extra={"path": settings.policy_path})
        return engine
    return engine_for()


def make_store(settings: Settings) -> Store:
    return Store(connect(settings.redis_url), retention_seconds=settings.retention_seconds)


def build_app(settings: Settings, deps: Deps, client: AsyncWebClient | None = None) -> AsyncApp:
    app = AsyncApp(
        client=client or make_client(settings),
        signing_secret=settings.signing_secret or "",
        # Socket Mode has no signatures to check; HTTP mode always checks them.
        request_verification_enabled=bool(settings.signing_secret),
        # Our own 404 for payloads no listener takes, rather than an exception.
        raise_error_for_unhandled_request=False,
    )
    register_listeners(app, deps)
    return app
