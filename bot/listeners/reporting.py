"""The one place errors are reported: logged with an id, then told to the person on the surface they used.

Registered as Bolt's error handler, it receives every exception a listener raises, before or after the ack:

- before the ack it answers Slack itself: a view pushed over the modal page (what the person entered stays on
  the page underneath), or the slash command's ephemeral reply;
- after the ack it tells the person where they acted: a view pushed over the modal when Slack still accepts
  one, an ephemeral message in the channel or thread (a DM when that fails), the command's response URL, a
  reply in the result's thread, or the Home tab.
"""

from __future__ import annotations

import json
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext, AsyncRespond
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from bot.errors import Cause, UserFacingError
from bot.listeners.slack_calls import SLACK_FAILURES, slack_error, tell_user
from bot.server.logs import log, new_error_id
from bot.storage.failures import StoreError
from bot.ui.home import home_unavailable_view
from bot.ui.notices import notice_view, problem_text, problem_view


def as_user_facing(error: Exception) -> UserFacingError:
    if isinstance(error, UserFacingError):
        return error
    if isinstance(error, StoreError):
        return UserFacingError("I couldn't do that", cause=Cause.STORAGE)
    if isinstance(error, SLACK_FAILURES):
        return UserFacingError("I couldn't do that", cause=Cause.SLACK)
    return UserFacingError("I couldn't do that", cause=Cause.BUG)


def payload_kind(body: dict[str, Any]) -> str:
    if body.get("command"):
        return "slash_command"
    kind = str(body.get("type") or "unknown")
    if kind == "event_callback":
        return "event:" + str((body.get("event") or {}).get("type") or "unknown")
    return kind


def _log(problem: UserFacingError, error: Exception, kind: str, error_id: str | None) -> None:
    underlying = error.__cause__ or error
    extra = {
        "error_id": error_id,
        "payload_type": kind,
        "cause": problem.cause.value,
        "error_class": type(underlying).__name__,
    }
    if isinstance(underlying, SLACK_FAILURES):
        extra["slack_error"] = slack_error(underlying)
    if problem.cause is Cause.BUG:
        log.error("listener.failed", extra=extra, exc_info=error)
    elif problem.needs_error_id:
        log.error("listener.failed", extra=extra)
    else:
        log.info("listener.refused", extra=extra)


async def report(  # noqa: PLR0917 - Bolt injects an error handler's arguments by (positional) name
    error: Exception,
    body: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
    respond: AsyncRespond | None,
    response: BoltResponse | None,
) -> BoltResponse | None:
    """Bolt's error handler. ``response`` is set only when the listener failed before acknowledging."""
    problem = as_user_facing(error)
    kind = payload_kind(body)
    error_id = new_error_id() if problem.needs_error_id else None
    _log(problem, error, kind, error_id)
    text = problem_text(problem, error_id)
    acknowledged = response is None
    surface = str((body.get("view") or {}).get("type") or "")  # modal or home, for actions in a view
    user = str(context.user_id or "")

    if not acknowledged:
        if kind == "view_submission":
            return _json({"response_action": "push", "view": problem_view(problem, error_id)})
        if kind == "slash_command":
            return _json({"response_type": "ephemeral", "text": text})
        return BoltResponse(status=200, body="")  # Slack retries events otherwise; the person is told below

    if problem.channel:
        await tell_user(client, problem.channel, user, text, problem.thread_ts)
    elif kind == "block_actions" and surface in {"modal", "home"}:
        view = problem_view(problem, error_id) if surface == "modal" else notice_view(problem, error_id)
        trigger = str(body.get("trigger_id") or "")
        await _show_in_modal(client, trigger, view, user, text, over_modal=surface == "modal")
    elif kind == "block_actions":
        message = body.get("message") or {}
        channel = str((body.get("channel") or {}).get("id") or "") or None
        await tell_user(client, channel, user, text, message.get("thread_ts") or message.get("ts"))
    elif kind == "slash_command" and respond is not None:
        await _respond(respond, client, user, text)
    elif kind == "event:app_mention":
        await _reply_in_thread(client, body.get("event") or {}, text)
    elif kind == "event:app_home_opened":
        await _publish_home(client, user, error_id or "")
    elif kind in {"view_submission", "view_closed"}:
        await tell_user(client, None, user, text)
    return None


def _json(payload: dict[str, Any]) -> BoltResponse:
    return BoltResponse(
        status=200, body=json.dumps(payload), headers={"content-type": "application/json;charset=utf-8"}
    )


async def _show_in_modal(
    client: AsyncWebClient, trigger_id: str, view: dict[str, Any], user: str, text: str, *, over_modal: bool
) -> None:
    """Over the open modal (push), or as a new modal from the Home tab (open); a DM when Slack refuses."""
    try:
        if over_modal:
            await client.views_push(trigger_id=trigger_id, view=view)
        else:
            await client.views_open(trigger_id=trigger_id, view=view)
    except SLACK_FAILURES as error:
        log.info("notify.modal_refused", extra={"slack_error": slack_error(error)})
        await tell_user(client, None, user, text)


async def _respond(respond: AsyncRespond, client: AsyncWebClient, user: str, text: str) -> None:
    try:
        await respond(text=text, response_type="ephemeral")
    except Exception:  # the response URL expired or was used up: a DM still reaches the person
        await tell_user(client, None, user, text)


async def _reply_in_thread(client: AsyncWebClient, event: dict[str, Any], text: str) -> None:
    try:
        await client.chat_postMessage(
            channel=str(event.get("channel") or ""),
            thread_ts=event.get("thread_ts") or event.get("ts"),
            text=text,
        )
    except SLACK_FAILURES as error:
        log.warning("notify.failed", extra={"slack_error": slack_error(error)})


async def _publish_home(client: AsyncWebClient, user: str, error_id: str) -> None:
    try:
        await client.views_publish(user_id=user, view=home_unavailable_view(error_id))
    except SLACK_FAILURES as error:
        log.warning("notify.failed", extra={"slack_error": slack_error(error)})


def register(app: AsyncApp) -> None:
    app.error(report)
