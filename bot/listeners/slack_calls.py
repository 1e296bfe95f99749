"""Calling Slack's Web API: what can fail, how to name it in a log line, and telling a person something."""

from __future__ import annotations

from typing import Any

import aiohttp
from slack_bolt.async_app import AsyncBoltContext
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.errors import Cause, UserFacingError
from bot.server.logs import log
from bot.storage.failures import StoreError

# Slack said no (SlackApiError), or never answered: a dropped connection or a timeout.
SLACK_FAILURES: tuple[type[Exception], ...] = (SlackApiError, aiohttp.ClientError, TimeoutError)


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


async def open_view(
    client: AsyncWebClient, trigger_id: str, view: dict[str, Any], *, form: str = "the form", again: str
) -> None:
    """Open a modal; UserFacingError saying how to try again when Slack refuses (an expired trigger_id)."""
    try:
        await client.views_open(trigger_id=trigger_id, view=view)
    except SLACK_FAILURES as error:
        raise UserFacingError(f"Slack didn't let me open {form}; {again}", cause=Cause.SLACK) from error


def cause_of(error: Exception) -> Cause:
    """What kind of failure an exception is, for a UserFacingError raised from it."""
    if isinstance(error, StoreError):
        return Cause.STORAGE
    if isinstance(error, SLACK_FAILURES):
        return Cause.SLACK
    return Cause.BUG


_workspace_urls: dict[str, str] = {}


async def workspace_url(client: AsyncWebClient, context: AsyncBoltContext, team: str) -> str | None:
    """The workspace's https://….slack.com/ address, for links to messages (auth.test once per team)."""
    if context.authorize_result is not None and context.authorize_result.url:
        return str(context.authorize_result.url)
    if team not in _workspace_urls:
        try:
            response = await client.auth_test()
        except SLACK_FAILURES:
            return None
        _workspace_urls[team] = str(response.get("url") or "")
    return _workspace_urls[team] or None
