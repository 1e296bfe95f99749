"""What can go wrong when calling Slack's Web API, and how to name it in a log line."""

from __future__ import annotations

import aiohttp
from slack_sdk.errors import SlackApiError

from bot.store import StoreError

# Slack said no (SlackApiError), or never answered: a dropped connection or a timeout.
SLACK_FAILURES: tuple[type[Exception], ...] = (SlackApiError, aiohttp.ClientError, TimeoutError)
# The same, or Redis failing (for steps that both post and store).
SLACK_OR_STORE_FAILURES: tuple[type[Exception], ...] = (*SLACK_FAILURES, StoreError)


def slack_error(error: Exception) -> str:
    """Slack's error code ("not_in_channel"), or the kind of transport failure ("TimeoutError")."""
    if isinstance(error, SlackApiError):
        response = error.response
        return str(response.get("error", "unknown_error")) if response is not None else "unknown_error"
    return type(error).__name__
