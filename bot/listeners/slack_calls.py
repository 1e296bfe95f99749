"""Calling Slack's Web API: what can fail, how to name it in a log line, and telling a person something."""

from __future__ import annotations

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.server.logs import log
from bot.storage.store import StoreError

# Slack said no (SlackApiError), or never answered: a dropped connection or a timeout.
SLACK_FAILURES: tuple[type[Exception], ...] = (SlackApiError, aiohttp.ClientError, TimeoutError)
# The same, or Redis failing (for steps that both post and store).
SLACK_OR_STORE_FAILURES: tuple[type[Exception], ...] = (*SLACK_FAILURES, StoreError)


def slack_error(error: Exception) -> str:
    """Slack's error code ("not_in_channel"), or the kind of transport failure ("TimeoutError")."""
    if isinstance(error, SlackApiError):
        data = error.response.data if error.response is not None else None
        # A proxy or an outage can answer with a page of text rather than Slack's JSON.
        return str(data.get("error", "unknown_error")) if isinstance(data, dict) else "unknown_error"
    return type(error).__name__


async def tell_user(
    client: AsyncWebClient, channel: str | None, user: str, text: str, thread_ts: str | None = None
) -> bool:
    """Show one person a message: ephemeral where they are, else a DM. Never raises; False if both failed."""
    if channel:
        try:
            await client.chat_postEphemeral(channel=channel, user=user, text=text, thread_ts=thread_ts)
            return True
        except SLACK_FAILURES as error:
            log.info("notify.ephemeral_refused", extra={"slack_error": slack_error(error)})  # then try a DM
    try:
        await client.chat_postMessage(channel=user, text=text)
        return True
    except SLACK_FAILURES as error:
        log.warning("notify.failed", extra={"slack_error": slack_error(error)})
        return False
