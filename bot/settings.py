"""The bot's configuration, read from the environment and checked once at start."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlparse

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
DEFAULT_SLACK_API_URL = "https://slack.com/api/"
DEFAULT_PORT = 3000
DRAFT_TTL_SECONDS = 7 * 24 * 3600
DEFAULT_RETENTION_DAYS = 90


# The bot scopes the app uses, and no more (manifest.yml lists the same; a test keeps them equal).
BOT_SCOPES = ("commands", "chat:write", "app_mentions:read", "files:write")


class Mode(StrEnum):
    HTTP = "http"
    SOCKET = "socket"


class SettingsError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Settings:
    bot_token: str | None
    signing_secret: str | None
    app_token: str | None
    redis_url: str
    port: int
    slack_api_url: str
    policy_path: str | None
    retention_days: int
    client_id: str | None = None
    client_secret: str | None = None
    encryption_keys: str | None = None

    @property
    def oauth(self) -> bool:
        """Installable in many workspaces (OAuth) rather than one (SLACK_BOT_TOKEN)."""
        return bool(self.client_id)

    @property
    def retention_seconds(self) -> int:
        return self.retention_days * 24 * 3600

    def missing_for(self, mode: Mode) -> list[str]:
        """The variables a mode needs that are not set."""
        needed: tuple[str, ...] = {
            Mode.HTTP: ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"),
            Mode.SOCKET: ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"),
        }[mode]
        if mode is Mode.HTTP and self.oauth:
            needed = ("SLACK_SIGNING_SECRET",)  # bot tokens come from each workspace's installation
        present = {
            "SLACK_BOT_TOKEN": self.bot_token,
            "SLACK_SIGNING_SECRET": self.signing_secret,
            "SLACK_APP_TOKEN": self.app_token,
        }
        return [name for name in needed if not present[name]]

    def preferred_mode(self) -> Mode | None:
        """Socket Mode when an app token is set, HTTP when a signing secret is; None when neither can run."""
        if not self.missing_for(Mode.SOCKET):
            return Mode.SOCKET
        if not self.missing_for(Mode.HTTP):
            return Mode.HTTP
        return None


def _optional(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name, "").strip()
    return value or None


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Read and check every variable; SettingsError lists every problem, one line each."""
    env = os.environ if env is None else env
    problems: list[str] = []

    bot_token = _optional(env, "SLACK_BOT_TOKEN")
    if bot_token and not bot_token.startswith(("xoxb-", "xoxe.xoxb-")):
        problems.append(
            "SLACK_BOT_TOKEN must be a bot token starting with xoxb- (Slack: OAuth & Permissions)"
        )
    app_token = _optional(env, "SLACK_APP_TOKEN")
    if app_token and not app_token.startswith("xapp-"):
        problems.append(
            "SLACK_APP_TOKEN must be an app-level token starting with xapp- (Slack: Basic Information)"
        )
    signing_secret = _optional(env, "SLACK_SIGNING_SECRET")

    redis_url = _optional(env, "REDIS_URL") or DEFAULT_REDIS_URL
    if urlparse(redis_url).scheme not in {"redis", "rediss", "unix"}:
        problems.append(
            f"REDIS_URL must start with redis://, rediss:// or unix:// (got {urlparse(redis_url).scheme!r})"
        )

    port_text = _optional(env, "PORT") or str(DEFAULT_PORT)
    port = DEFAULT_PORT
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        problems.append(f"PORT must be a number from 1 to 65535 (got {port_text!r})")
    else:
        port = int(port_text)

    api_url = _optional(env, "SLACK_API_URL") or DEFAULT_SLACK_API_URL
    if urlparse(api_url).scheme not in {"http", "https"} or not urlparse(api_url).netloc:
        problems.append(
            f"SLACK_API_URL must be an http(s) URL such as {DEFAULT_SLACK_API_URL} (got {api_url!r})"
        )
    if not api_url.endswith("/"):
        api_url += "/"

    retention_text = _optional(env, "LLM_APPROACH_RETENTION_DAYS") or str(DEFAULT_RETENTION_DAYS)
    retention_days = DEFAULT_RETENTION_DAYS
    if not retention_text.isdigit() or int(retention_text) < 1:
        problems.append(
            f"LLM_APPROACH_RETENTION_DAYS must be a whole number of days, 1 or more (got {retention_text!r})"
        )
    else:
        retention_days = int(retention_text)

    client_id = _optional(env, "SLACK_CLIENT_ID")
    client_secret = _optional(env, "SLACK_CLIENT_SECRET")
    encryption_keys = _optional(env, "LLM_APPROACH_ENCRYPTION_KEYS")
    if client_id and not client_secret:
        problems.append("SLACK_CLIENT_SECRET is needed with SLACK_CLIENT_ID (Slack: Basic Information)")
    if client_id and not encryption_keys:
        problems.append(
            "LLM_APPROACH_ENCRYPTION_KEYS is needed with SLACK_CLIENT_ID: tokens are stored encrypted"
        )
    if encryption_keys:
        from bot.installations import EncryptionKeyError, cipher  # noqa: PLC0415 - only with OAuth

        try:
            cipher(encryption_keys)
        except EncryptionKeyError as error:
            problems.append(str(error))

    if problems:
        raise SettingsError(problems)
    return Settings(
        bot_token=bot_token,
        signing_secret=signing_secret,
        app_token=app_token,
        redis_url=redis_url,
        port=port,
        slack_api_url=api_url,
        policy_path=_optional(env, "LLM_APPROACH_POLICY"),
        retention_days=retention_days,
        client_id=client_id,
        client_secret=client_secret,
        encryption_keys=encryption_keys,
    )
