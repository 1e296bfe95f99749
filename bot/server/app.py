"""Building the Bolt app: the Web API client, the listeners and their dependencies."""

from __future__ import annotations

import hashlib
import logging
from typing import Any, cast

from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization.async_authorize import AsyncInstallationStoreAuthorize
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot.listeners import register_listeners
from bot.listeners.deps import Deps
from bot.review_policy import ReviewPolicy, read_policy
from bot.server.bolt_seam import use_prompt_acks
from bot.server.logs import log
from bot.settings import BOT_SCOPES, Settings
from bot.storage.cipher import cipher
from bot.storage.connection import connect
from bot.storage.installations import RedisInstallationStore, SignedOAuthStateStore
from bot.storage.store import Store
from scoring import Engine, engine_for
from scoring.ruleset import apply_policy, default_ruleset


def make_client(settings: Settings) -> AsyncWebClient:
    return AsyncWebClient(
        token=settings.bot_token.get_secret_value() if settings.bot_token else None,
        base_url=settings.slack_api_url,
        timeout=settings.slack_timeout,
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
        rules, _ = read_policy(settings.policy_path)
        engine = engine_for(apply_policy(default_ruleset(), rules, settings.policy_path))
        log.info("policy.loaded", extra={"path": settings.policy_path})
        return engine
    return engine_for()


def make_review_policy(settings: Settings) -> ReviewPolicy:
    """The policy file's ``[reviews]`` (RuleSetError names a bad entry), or the defaults."""
    return read_policy(settings.policy_path)[1] if settings.policy_path else ReviewPolicy()


def make_store(settings: Settings) -> Store:
    return Store(connect(settings.redis), retention_seconds=settings.retention_seconds)


def oauth_state_key(client_secret: str) -> bytes:
    """The key that signs OAuth states: derived from the client secret, so there is nothing more to set,
    and the same in every process."""
    return hashlib.sha256(b"llm-approach oauth state\0" + client_secret.encode()).digest()


def oauth_settings(settings: Settings, store: Store) -> AsyncOAuthSettings:
    assert settings.client_id and settings.client_secret and settings.encryption_keys
    return AsyncOAuthSettings(
        client_id=settings.client_id,
        client_secret=settings.client_secret.get_secret_value(),
        scopes=list(BOT_SCOPES),
        installation_store=RedisInstallationStore(
            store.redis, cipher(settings.encryption_keys.get_secret_value())
        ),
        state_store=SignedOAuthStateStore(
            store.redis, oauth_state_key(settings.client_secret.get_secret_value())
        ),
        install_path="/slack/install",
        redirect_uri_path="/slack/oauth_redirect",
        installation_store_bot_only=True,
    )


def build_app(settings: Settings, deps: Deps, client: AsyncWebClient | None = None) -> AsyncApp:
    client = client or make_client(settings)
    oauth = oauth_settings(settings, deps.store) if settings.oauth else None
    authorize = None
    if oauth is not None:
        # Bolt's default authorize refreshes rotating tokens with a client of its own, which would ignore
        # SLACK_API_URL and our retry handlers; this one uses the app's client.
        authorize = AsyncInstallationStoreAuthorize(
            installation_store=oauth.installation_store,
            client_id=oauth.client_id,
            client_secret=oauth.client_secret,
            bot_only=True,
            client=client,
            logger=logging.getLogger("slack_bolt.authorize"),
        )
    app = AsyncApp(
        client=client,
        # Bolt takes an AsyncAuthorize instance here too, though its annotation names only callables.
        authorize=cast(Any, authorize),
        signing_secret=settings.signing_secret.get_secret_value() if settings.signing_secret else "",
        # Socket Mode has no signatures to check; HTTP mode always checks them.
        request_verification_enabled=bool(settings.signing_secret),
        # Our own 404 for payloads no listener takes, rather than an exception.
        raise_error_for_unhandled_request=False,
        oauth_settings=oauth,
    )
    use_prompt_acks(app, deps.priority)
    register_listeners(app, deps, oauth.installation_store if oauth else None)
    return app
