"""The bot's configuration, read from the environment (and a `.env` file) and checked once at start.

Real environment variables win over `.env`, which is for development (`.env.example` documents every
variable). Every token, secret and key is a ``SecretStr``, so neither ``repr(settings)`` nor a log line shows
it; the one place each is handed to a library calls ``get_secret_value()``. A bad configuration raises
``SettingsError`` listing every problem, one line each, and never echoes a secret.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import ContextVar
from enum import StrEnum
from typing import Annotated, Any
from urllib.parse import urlparse

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from bot.storage.cipher import EncryptionKeyError, cipher
from bot.storage.connection import RedisTarget

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
DEFAULT_SLACK_API_URL = "https://slack.com/api/"
DEFAULT_PORT = 3000
DEFAULT_HEALTH_PORT = 8080
DEFAULT_RETENTION_DAYS = 90
DEFAULT_SLACK_TIMEOUT = 10
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


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


class _Problems(Exception):
    """Raised through pydantic (which wraps only ValueError) to carry every problem out at once."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(problems)
        self.problems = problems


def _whole_number(name: str, value: Any, *, low: int, high: int, unit: str) -> int:
    text = str(value).strip()
    if text.isdigit() and low <= int(text) <= high:
        return int(text)
    limit = f"from {low} to {high}" if high < 10**9 else f"{low} or more"
    noun = "a port number" if unit == "port" else f"a whole number of {unit}"
    raise ValueError(f"{name} must be {noun} {limit} (got {text!r})")


def _truth(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE | _FALSE:
        return text in _TRUE
    raise ValueError(f"{name} must be a true or false value such as 1 or 0 (got {text!r})")


def _sentinel_nodes(value: Any) -> tuple[tuple[str, int], ...]:
    if isinstance(value, tuple):
        return value
    nodes = []
    for part in (p.strip() for p in str(value).split(",") if p.strip()):
        host, _, port = part.rpartition(":")
        if not host or not port.isdigit() or not 1 <= int(port) <= 65535:
            raise ValueError(f"REDIS_SENTINELS must be host:port pairs separated by commas (got {part!r})")
        nodes.append((host.strip("[]"), int(port)))
    return tuple(nodes)


class Settings(BaseSettings):
    """Every variable the bot reads; the field's alias is the variable's name."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        case_sensitive=True,
        extra="ignore",
        frozen=True,
    )

    bot_token: SecretStr | None = Field(None, alias="SLACK_BOT_TOKEN")
    signing_secret: SecretStr | None = Field(None, alias="SLACK_SIGNING_SECRET")
    app_token: SecretStr | None = Field(None, alias="SLACK_APP_TOKEN")
    redis_url: SecretStr = Field(SecretStr(DEFAULT_REDIS_URL), alias="REDIS_URL")
    redis_cluster: bool = Field(False, alias="REDIS_CLUSTER")
    redis_sentinels: Annotated[tuple[tuple[str, int], ...], NoDecode] = Field((), alias="REDIS_SENTINELS")
    redis_sentinel_master: str | None = Field(None, alias="REDIS_SENTINEL_MASTER")
    redis_sentinel_password: SecretStr | None = Field(None, alias="REDIS_SENTINEL_PASSWORD")
    port: int = Field(DEFAULT_PORT, alias="PORT")
    # The Socket Mode worker's own port for GET /healthz and /metrics (the web process serves them on PORT).
    health_port: int = Field(DEFAULT_HEALTH_PORT, alias="HEALTH_PORT")
    slack_api_url: str = Field(DEFAULT_SLACK_API_URL, alias="SLACK_API_URL")
    policy_path: str | None = Field(None, alias="LLM_APPROACH_POLICY")
    retention_days: int = Field(DEFAULT_RETENTION_DAYS, alias="LLM_APPROACH_RETENTION_DAYS")
    slack_timeout: int = Field(DEFAULT_SLACK_TIMEOUT, alias="SLACK_API_TIMEOUT")
    client_id: str | None = Field(None, alias="SLACK_CLIENT_ID")
    client_secret: SecretStr | None = Field(None, alias="SLACK_CLIENT_SECRET")
    encryption_keys: SecretStr | None = Field(None, alias="LLM_APPROACH_ENCRYPTION_KEYS")
    log_level: str | None = Field(None, alias="LOG_LEVEL")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        given = _GIVEN_ENVIRONMENT.get()
        if given is not None:
            return (init_settings, _MappingSource(settings_cls, given))
        return (init_settings, env_settings, dotenv_settings)  # the environment wins over .env

    @model_validator(mode="wrap")
    @classmethod
    def _every_problem_at_once(cls, data: Any, handler: Any) -> Settings:
        values = {
            name: value.strip() if isinstance(value, str) else value
            for name, value in dict(data).items()
            if not (isinstance(value, str) and not value.strip())
        }
        problems = _combination_problems(values)
        try:
            settings: Settings = handler(values)
        except ValidationError as error:
            raise _Problems([*_field_problems(error), *problems]) from None
        if problems:
            raise _Problems(problems)
        return settings

    @field_validator("bot_token")
    @classmethod
    def _bot_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value and not value.get_secret_value().startswith(("xoxb-", "xoxe.xoxb-")):
            raise ValueError(
                "SLACK_BOT_TOKEN must be a bot token starting with xoxb- (Slack: OAuth & Permissions)"
            )
        return value

    @field_validator("app_token")
    @classmethod
    def _app_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value and not value.get_secret_value().startswith("xapp-"):
            raise ValueError(
                "SLACK_APP_TOKEN must be an app-level token starting with xapp- (Slack: Basic Information)"
            )
        return value

    @field_validator("redis_url")
    @classmethod
    def _redis_url(cls, value: SecretStr) -> SecretStr:
        scheme = urlparse(value.get_secret_value()).scheme
        if scheme not in {"redis", "rediss", "unix"}:
            raise ValueError(f"REDIS_URL must start with redis://, rediss:// or unix:// (got {scheme!r})")
        return value

    @field_validator("redis_cluster", mode="before")
    @classmethod
    def _redis_cluster(cls, value: Any) -> bool:
        return _truth("REDIS_CLUSTER", value)

    @field_validator("redis_sentinels", mode="before")
    @classmethod
    def _redis_sentinels(cls, value: Any) -> tuple[tuple[str, int], ...]:
        return _sentinel_nodes(value)

    @field_validator("port", mode="before")
    @classmethod
    def _port(cls, value: Any) -> int:
        return _whole_number("PORT", value, low=1, high=65535, unit="port")

    @field_validator("health_port", mode="before")
    @classmethod
    def _health_port(cls, value: Any) -> int:
        return _whole_number("HEALTH_PORT", value, low=1, high=65535, unit="port")

    @field_validator("retention_days", mode="before")
    @classmethod
    def _retention_days(cls, value: Any) -> int:
        return _whole_number("LLM_APPROACH_RETENTION_DAYS", value, low=1, high=10**9, unit="days")

    @field_validator("slack_timeout", mode="before")
    @classmethod
    def _slack_timeout(cls, value: Any) -> int:
        return _whole_number("SLACK_API_TIMEOUT", value, low=1, high=60, unit="seconds")

    @field_validator("slack_api_url")
    @classmethod
    def _slack_api_url(cls, value: str) -> str:
        parsed = urlparse(value)
        if parsed.scheme not in {"http", "https"} or not parsed.netloc:
            raise ValueError(
                f"SLACK_API_URL must be an http(s) URL such as {DEFAULT_SLACK_API_URL} (got {value!r})"
            )
        return value if value.endswith("/") else value + "/"

    @field_validator("encryption_keys")
    @classmethod
    def _encryption_keys(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            try:
                cipher(value.get_secret_value())
            except EncryptionKeyError as error:
                raise ValueError(str(error)) from None
        return value

    @field_validator("log_level")
    @classmethod
    def _log_level(cls, value: str | None) -> str | None:
        if value is not None and value.upper() not in LOG_LEVELS:
            raise ValueError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)} (got {value!r})")
        return value.upper() if value else None

    @property
    def oauth(self) -> bool:
        """Installable in many workspaces (OAuth) rather than one (SLACK_BOT_TOKEN)."""
        return bool(self.client_id)

    @property
    def retention_seconds(self) -> int:
        return self.retention_days * 24 * 3600

    @property
    def redis(self) -> RedisTarget:
        """Where Redis is: the one place its credentials leave their SecretStr."""
        return RedisTarget(
            url=self.redis_url.get_secret_value(),
            cluster=self.redis_cluster,
            sentinels=self.redis_sentinels,
            sentinel_master=self.redis_sentinel_master,
            sentinel_password=(
                self.redis_sentinel_password.get_secret_value() if self.redis_sentinel_password else None
            ),
        )

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


def variable_names() -> list[str]:
    """Every environment variable the bot reads, in the model's order."""
    return [field.alias for field in Settings.model_fields.values() if field.alias]


_GIVEN_ENVIRONMENT: ContextVar[Mapping[str, str] | None] = ContextVar("given_environment", default=None)


class _MappingSource(EnvSettingsSource):
    """The environment source, reading a given mapping instead of os.environ (tests, subcommands)."""

    def __init__(self, settings_cls: type[BaseSettings], environment: Mapping[str, str]) -> None:
        self._given = dict(environment)
        super().__init__(settings_cls)

    def _load_env_vars(self) -> Mapping[str, str | None]:
        return self._given


def _field_problems(error: ValidationError) -> list[str]:
    problems = []
    for detail in error.errors():
        name = str(detail["loc"][0]) if detail["loc"] else "settings"
        if detail["type"] == "value_error":
            problems.append(str(detail["ctx"]["error"]))
        else:  # never the input: it may be a secret
            problems.append(f"{name}: {detail['msg']}")
    return problems


def _combination_problems(values: Mapping[str, Any]) -> list[str]:
    """Variables that are each fine but do not go together."""
    problems = []
    if values.get("SLACK_CLIENT_ID") and not values.get("SLACK_CLIENT_SECRET"):
        problems.append("SLACK_CLIENT_SECRET is needed with SLACK_CLIENT_ID (Slack: Basic Information)")
    if values.get("SLACK_CLIENT_ID") and not values.get("LLM_APPROACH_ENCRYPTION_KEYS"):
        problems.append(
            "LLM_APPROACH_ENCRYPTION_KEYS is needed with SLACK_CLIENT_ID: tokens are stored encrypted"
        )
    if bool(values.get("REDIS_SENTINELS")) != bool(values.get("REDIS_SENTINEL_MASTER")):
        problems.append(
            "REDIS_SENTINELS and REDIS_SENTINEL_MASTER go together: the Sentinels' host:port list "
            "and the name they monitor the primary under"
        )
    cluster = str(values.get("REDIS_CLUSTER", "")).strip().lower() in _TRUE
    if cluster and values.get("REDIS_SENTINELS"):
        problems.append("REDIS_CLUSTER and REDIS_SENTINELS exclude each other: set one")
    url = values.get("REDIS_URL")
    if cluster and isinstance(url, str):
        parsed = urlparse(url)
        if parsed.scheme == "unix":
            problems.append("REDIS_CLUSTER needs a redis:// or rediss:// REDIS_URL naming one of its nodes")
        elif parsed.path.strip("/") not in {"", "0"}:
            problems.append("REDIS_URL must use database 0 with REDIS_CLUSTER (a cluster has no other)")
    return problems


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Read and check every variable; SettingsError lists every problem, one line each.

    With ``env``, exactly that mapping is read (no os.environ, no .env): tests and tools pass their own.
    """
    token = _GIVEN_ENVIRONMENT.set(env)
    try:
        return Settings()
    except _Problems as problems:
        raise SettingsError(problems.problems) from None
    finally:
        _GIVEN_ENVIRONMENT.reset(token)
