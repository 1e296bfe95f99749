"""Mentions in a result's thread: what-if, why, compare and help, answered in the thread.

Understanding a mention and scoring its what-ifs is CPU work whose cost depends on what people type. It runs
on one worker thread, off the event loop, so that a long or hostile mention never delays any other request;
one thread (rather than a pool) because Python runs one thread at a time anyway, and every extra busy thread
would make the event loop wait longer for its turn.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.listeners.deps import deps_of
from bot.listeners.slack_calls import SLACK_FAILURES, slack_error
from bot.server.logs import log
from bot.storage.models import StoredAssessment
from bot.ui.phrases import Intent, parse
from bot.ui.replies import outside_result_reply, reply_to
from scoring import Engine

_UNDERSTANDING = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mentions")


def understand(text: str, record: StoredAssessment, engine: Engine) -> tuple[Intent, dict[str, Any]]:
    """What the mention asks and the reply to it. Pure and CPU-bound: call it off the event loop."""
    intent = parse(text)
    return intent, reply_to(intent, record, engine)


async def on_mention(
    body: dict[str, Any], event: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
) -> None:
    """Bolt has already acknowledged the event; Slack may still deliver it again, to any process."""
    if event.get("bot_id") or event.get("subtype"):
        return
    deps = deps_of(context)
    channel = str(event.get("channel") or "")
    thread_ts = event.get("thread_ts")
    if not await deps.store.claim_event(str(body.get("event_id") or "")):
        log.info("mention.duplicate", extra={"event_id": body.get("event_id")})
        return
    if thread_ts is None:
        await _reply(client, channel, event.get("ts"), outside_result_reply())
        return
    record = await deps.store.find_by_message(str(context.team_id), channel, thread_ts)
    if record is None:
        return  # a thread that is not one of our results: not ours to join
    text = str(event.get("text") or "")
    intent, reply = await asyncio.get_running_loop().run_in_executor(
        _UNDERSTANDING, understand, text, record, deps.engine
    )
    await _reply(client, channel, thread_ts, reply)
    log.info("mention.answered", extra={"assessment": record.id, "intent": type(intent).__name__})


async def _reply(
    client: AsyncWebClient, channel: str, thread_ts: str | None, message: dict[str, Any]
) -> None:
    try:
        await client.chat_postMessage(channel=channel, thread_ts=thread_ts, **message)
    except SLACK_FAILURES as error:
        log.warning("mention.reply_failed", extra={"slack_error": slack_error(error)})


def register(app: AsyncApp) -> None:
    app.event("app_mention")(on_mention)
