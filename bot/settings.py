"""The bot's configuration, read from the environment and checked once at start."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlparse

from bot.storage.cipher import EncryptionKeyError, cipher

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
DEFAULT_SLACK_API_URL = "https://slack.com/api/"
DEFAULT_PORT = 3000
DEFAULT_RETENTION_DAYS = 90


# The bot scopes the app uses, and no more: manifest.yml and the README list the same (a test keeps them
# equal). users:read names people in the exported decision record.
BOT_SCOPES = ("commands", "chat:write", "app_mentions:read", "files:write", "users:read")


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
    slack_timeout: int = 10
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


def _whole_number(
    env: Mapping[str, str], name: str, *, default: int, low: int, high: int, unit: str, problems: list[str]
) -> int:
    text = _optional(env, name) or str(default)
    if text.isdigit() and low <= int(text) <= high:
        return int(text)
    limit = f"from {low} to {high}" if high < 10**9 else f"{low} or more"
    noun = "a port number" if unit == "port" else f"a whole number of {unit}"
    problems.append(f"{name} must be {noun} {limit} (got {text!r})")
    return default


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

    port = _whole_number(env, "PORT", default=DEFAULT_PORT, low=1, high=65535, unit="port", problems=problems)
    retention_days = _whole_number(
        env,
        "LLM_APPROACH_RETENTION_DAYS",
        default=DEFAULT_RETENTION_DAYS,
        low=1,
        high=10**9,
        unit="days",
        problems=problems,
    )
    slack_timeout = _whole_number(
        env, "SLACK_API_TIMEOUT", default=10, low=1, high=60, unit="seconds", problems=problems
    )

    api_url = _optional(env, "SLACK_API_URL") or DEFAULT_SLACK_API_URL
    if urlparse(api_url).scheme not in {"http", "https"} or not urlparse(api_url).netloc:
        problems.append(
            f"SLACK_API_URL must be an http(s) URL such as {DEFAULT_SLACK_API_URL} (got {api_url!r})"
        )
    if not api_url.endswith("/"):
        api_url += "/"

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
        slack_timeout=slack_timeout,
        client_id=client_id,
        client_secret=client_secret,
        encryption_keys=encryption_keys,
    )
