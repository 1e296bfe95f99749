"""Installations for many workspaces: a Redis installation store and a signed OAuth state store for Bolt.

Tokens are encrypted at rest (``bot.storage.cipher``). Installations carry no TTL; they go when the app is
uninstalled or its bot token is revoked.

Enterprise Grid: an org-wide installation (``is_enterprise_install``) is stored once for its organisation,
with no workspace, and found for a request from any workspace of it. A workspace installed on its own inside
an organisation has an installation of its own, found first.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import time
from collections.abc import Callable
from typing import Any, cast

from cryptography.fernet import InvalidToken, MultiFernet
from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore

from bot.storage.connection import RedisClient
from bot.storage.keys import bot_key, installations_pattern, installer_key, oauth_state_key

STATE_TTL_SECONDS = 600  # Bolt's default OAuth state lifetime, and how long a used nonce is remembered
_logger = logging.getLogger("llm_approach.installations")


class RedisInstallationStore(AsyncInstallationStore):
    def __init__(self, redis: RedisClient, encryption: MultiFernet) -> None:
        self.redis = redis
        self.encryption = encryption

    @property
    def logger(self) -> logging.Logger:
        return _logger

    def _seal(self, data: dict[str, Any]) -> str:
        return str(self.encryption.encrypt(json.dumps(data).encode()).decode())

    def _open(self, sealed: str | bytes | None) -> dict[str, Any] | None:
        if not sealed:
            return None
        raw = sealed.encode() if isinstance(sealed, str) else sealed
        try:
            return cast(dict[str, Any], json.loads(self.encryption.decrypt(raw)))
        except InvalidToken:
            self.logger.error("installation.undecryptable")
            return None

    async def async_save(self, installation: Installation) -> None:
        scope = (installation.enterprise_id, installation.team_id, installation.is_enterprise_install)
        # Both keys carry the workspace's hash tag, so this transaction is allowed on a cluster.
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.set(installer_key(*scope), self._seal(dict(installation.__dict__)))
            pipe.set(bot_key(*scope), self._seal(dict(installation.to_bot().__dict__)))
            await pipe.execute()

    async def async_save_bot(self, bot: Bot) -> None:
        scope = (bot.enterprise_id, bot.team_id, bot.is_enterprise_install)
        await self.redis.set(bot_key(*scope), self._seal(dict(bot.__dict__)))

    async def _find(
        self,
        key: Callable[[str | None, str | None, bool | None], str],
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None,
    ) -> dict[str, Any] | None:
        """The record for this workspace, or else its organisation's org-wide one."""
        data = self._open(await self.redis.get(key(enterprise_id, team_id, is_enterprise_install)))
        if data is None and enterprise_id and team_id and not is_enterprise_install:
            # A workspace of an organisation that installed the app org-wide: some payloads (events about
            # a workspace, a Slack Connect channel) do not say is_enterprise_install.
            data = self._open(await self.redis.get(key(enterprise_id, None, True)))
        return data

    async def async_find_bot(
        self, *, enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None = False
    ) -> Bot | None:
        data = await self._find(bot_key, enterprise_id, team_id, is_enterprise_install)
        return Bot(**data) if data else None

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        data = await self._find(installer_key, enterprise_id, team_id, is_enterprise_install)
        return Installation(**data) if data else None

    # Deleting names one installation exactly: the organisation's (team_id None, or is_enterprise_install),
    # or one workspace's. Removing a workspace never removes its organisation's installation.

    async def async_delete_bot(
        self, *, enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None = False
    ) -> None:
        await self.redis.delete(bot_key(enterprise_id, team_id, is_enterprise_install))

    async def async_delete_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> None:
        await self.redis.delete(installer_key(enterprise_id, team_id, is_enterprise_install))

    async def async_delete_all(
        self, *, enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None = False
    ) -> None:
        scope = (enterprise_id, team_id, is_enterprise_install)
        await self.redis.delete(bot_key(*scope), installer_key(*scope))

    async def rotate_keys(self) -> int:
        """Re-encrypt every installation with the newest key; the number rewritten."""
        count = 0
        # On a cluster, scan_iter visits every primary: installations live in every slot.
        async for key in self.redis.scan_iter(match=installations_pattern()):
            sealed = await self.redis.get(key)
            if sealed:
                raw = sealed.encode() if isinstance(sealed, str) else sealed
                await self.redis.set(key, self.encryption.rotate(raw).decode())
                count += 1
        return count


class SignedOAuthStateStore(AsyncOAuthStateStore):
    """OAuth states that cost nothing to issue and work once, shared by every web process.

    The install page is public, so issuing a state writes nothing: the state is a random nonce and an expiry,
    signed with HMAC-SHA256 under a server key. Only a callback that brings back a correctly signed, unexpired
    state records its nonce (``SET NX`` until the state would have expired anyway), which is what makes it
    one-time. Anonymous traffic to the install page therefore cannot grow Redis.
    """

    def __init__(self, redis: RedisClient, key: bytes, lifetime_seconds: int = STATE_TTL_SECONDS) -> None:
        self.redis = redis
        self._key = key
        self.lifetime_seconds = lifetime_seconds

    @property
    def logger(self) -> logging.Logger:
        return _logger

    def _signature(self, nonce: str, expires: int) -> str:
        return hmac.new(self._key, f"{nonce}_{expires}".encode(), hashlib.sha256).hexdigest()

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        nonce = secrets.token_hex(16)
        expires = int(time.time()) + self.lifetime_seconds
        # Letters, digits and underscores only: it travels in a URL, a cookie and Slack's redirect.
        return f"{nonce}_{expires}_{self._signature(nonce, expires)}"

    async def async_consume(self, state: str) -> bool:
        parts = state.split("_")
        if len(parts) != 3 or not parts[1].isdigit():
            return False
        nonce, expires, signature = parts[0], int(parts[1]), parts[2]
        if not hmac.compare_digest(signature, self._signature(nonce, expires)):
            return False
        remaining = expires - int(time.time())
        if remaining <= 0:
            return False
        return bool(await self.redis.set(oauth_state_key(nonce), "1", nx=True, ex=remaining))
