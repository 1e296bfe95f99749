"""Structured JSON logs. Callers pass ids and counts only: never tokens, secrets or people's answers."""

from __future__ import annotations

import json
import logging
import sys
import uuid
from contextvars import ContextVar
from typing import Any

from bot.server.metrics import ErrorCounter

# Set per HTTP request; listener work started after the ack inherits it (asyncio copies the context).
request_id: ContextVar[str | None] = ContextVar("request_id", default=None)

_RECORD_ATTRIBUTES = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}
# The fields every line has; an `extra` of the same name is kept under "extra_<name>", never in their place.
OWN_FIELDS = frozenset({"time", "level", "logger", "event", "request_id", "error_type"})


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        current_request = request_id.get()
        if current_request:
            entry["request_id"] = current_request
        for key, value in vars(record).items():
            if key not in _RECORD_ATTRIBUTES:
                entry[f"extra_{key}" if key in OWN_FIELDS else key] = value
        if record.exc_info and record.exc_info[0] is not None:
            entry["error_type"] = record.exc_info[0].__name__
        return json.dumps(entry, default=str)


def configure(level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Bolt and the SDK log request bodies (answers, tokens in URLs) at DEBUG: keep them quiet.
    for noisy in ("slack_bolt", "slack_sdk", "aiohttp.access"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    quiet_sdk_clients()


# The SDK's Web API and response_url clients test their logger's *own* level (``logger.level <= DEBUG``),
# not the effective one, before formatting every request and response body into a DEBUG line: with the
# level unset (0) they did that on every call, whole messages included, only for the line to be dropped.
SDK_CLIENT_LOGGERS = (
    "slack_sdk.web.async_base_client",
    "slack_sdk.web.base_client",
    "slack_sdk.webhook.async_client",
    "slack_sdk.webhook.client",
)


def quiet_sdk_clients() -> None:
    for name in SDK_CLIENT_LOGGERS:
        logger = logging.getLogger(name)
        if logger.level == logging.NOTSET:
            logger.setLevel(logging.WARNING)


def new_error_id() -> str:
    """A short id a person can quote, also written to the log."""
    return uuid.uuid4().hex[:8].upper()


log = logging.getLogger("llm_approach")


def count_errors() -> None:
    """Feed every error the app logs into the errors metric (idempotent)."""
    if not any(isinstance(h, ErrorCounter) for h in log.handlers):
        log.addHandler(ErrorCounter())
