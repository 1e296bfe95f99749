"""Events: mentions in a result's thread (what-if, why, compare, help) and the App Home tab."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.deps import Deps
from bot.home import home_unavailable_view, home_view
from bot.logs import log, new_error_id
from bot.messages import error_text
from bot.phrases import parse
from bot.replies import outside_result_reply, reply_to
from bot.slack_errors import SLACK_FAILURES, slack_error
from bot.store import NEW_DRAFT, StoreError


async def on_mention(body: dict[str, Any], event: dict[str, Any], client: AsyncWebClient, deps: Deps) -> None:
    """Bolt has already acknowledged the event; Slack may still deliver it again, to any process."""
    if event.get("bot_id") or event.get("subtype"):
        return
    team = str(body.get("team_id") or "")
    channel = str(event.get("channel") or "")
    thread_ts = event.get("thread_ts")
    try:
        if not await deps.store.claim_event(str(body.get("event_id") or "")):
            log.info("mention.duplicate", extra={"event_id": body.get("event_id")})
            return
        record = await deps.store.find_by_message(team, channel, thread_ts) if thread_ts else None
    except StoreError:
        error_id = new_error_id()
        log.error("mention.store_failed", extra={"error_id": error_id}, exc_info=True)
        await _reply(
            client,
            channel,
            thread_ts or event.get("ts"),
            {"text": error_text("I can't reach my storage", error_id)},
        )
        return
    if thread_ts is None:
        await _reply(client, channel, event.get("ts"), outside_result_reply())
        return
    if record is None:
        return  # a thread that is not one of our results: not ours to join
    intent = parse(str(event.get("text") or ""))
    await _reply(client, channel, thread_ts, reply_to(intent, record, deps.engine))
    log.info("mention.answered", extra={"assessment": record.id, "intent": type(intent).__name__})


async def _reply(
    client: AsyncWebClient, channel: str, thread_ts: str | None, message: dict[str, Any]
) -> None:
    try:
        await client.chat_postMessage(channel=channel, thread_ts=thread_ts, **message)
    except SLACK_FAILURES as error:
        log.warning("mention.reply_failed", extra={"slack_error": slack_error(error)})


async def on_home_opened(
    event: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext, deps: Deps
) -> None:
    if event.get("tab") != "home":
        return
    user = str(event.get("user") or "")
    team = str(context.team_id or "")
    try:
        draft = await deps.store.load_draft(team, user, NEW_DRAFT)
        recent = await deps.store.recent_assessments(team, user)
        decisions = await deps.store.team_decisions(team)
    except StoreError:
        error_id = new_error_id()
        log.error("home.store_failed", extra={"error_id": error_id}, exc_info=True)
        view = home_unavailable_view(error_id)
    else:
        view = home_view(draft, recent, decisions, await _workspace_url(client, context, team))
    try:
        await client.views_publish(user_id=user, view=view)
    except SLACK_FAILURES as error:
        log.warning("home.publish_failed", extra={"slack_error": slack_error(error)})


_workspace_urls: dict[str, str] = {}


async def _workspace_url(client: AsyncWebClient, context: AsyncBoltContext, team: str) -> str | None:
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


def register(app: AsyncApp, deps: Deps) -> None:
    async def mention(body: dict[str, Any], event: dict[str, Any], client: AsyncWebClient) -> None:
        await on_mention(body, event, client, deps)

    async def home(event: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext) -> None:
        await on_home_opened(event, client, context, deps)

    app.event("app_mention")(mention)
    app.event("app_home_opened")(home)
