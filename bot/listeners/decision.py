"""Recording the team's decision, or changing it (the button asks for confirmation first): the form, and
what submitting it does."""

from __future__ import annotations

import time
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot import ids
from bot.errors import Cause, UserFacingError, gone
from bot.listeners.deps import deps_of
from bot.listeners.results import load_record
from bot.listeners.slack_calls import SLACK_FAILURES, SLACK_OR_STORE_FAILURES
from bot.server.logs import log
from bot.storage.models import Decision
from bot.storage.store import StoreError
from bot.ui.decision import RATIONALE_LIMIT, decision_view
from bot.ui.forms import check_decision
from bot.ui.metadata import DecisionMetadata
from bot.ui.result import result_message
from bot.ui.thread import decision_note

STALE_DECISION_FORM = "This form is out of date: close it and press the decision button on the result again."


async def on_record_decision(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    await ack()
    deps = deps_of(context)
    record = await load_record(deps, str(context.team_id), str(action.get("value") or ""))
    try:
        await client.views_open(trigger_id=body["trigger_id"], view=decision_view(record))
    except SLACK_FAILURES as error:
        raise UserFacingError(
            "Slack didn't let me open the decision form; press the button again", cause=Cause.SLACK
        ) from error


async def on_decision_submit(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
) -> None:
    deps = deps_of(context)
    view = body["view"]
    metadata = DecisionMetadata.load(view.get("private_metadata"))
    entered = check_decision(view.get("state", {}).get("values"), RATIONALE_LIMIT)
    if metadata is None:
        await ack(
            response_action="errors",
            errors={ids.DECISION_APPROACH_BLOCK: STALE_DECISION_FORM},
        )
        return
    if entered.errors or entered.approach is None:
        await ack(response_action="errors", errors=entered.errors)
        return
    team, user = str(context.team_id), str(context.user_id)
    try:
        record = await deps.store.load_assessment(team, metadata.assessment)
    except StoreError as error:
        raise UserFacingError("I couldn't record the decision", cause=Cause.STORAGE) from error
    if record is None or record.ts is None:
        raise gone()
    await ack(response_action="clear")
    decided = record.model_copy(
        update={
            "decision": Decision(
                approach=entered.approach, rationale=entered.rationale, by=user, at=time.time()
            )
        }
    )
    try:
        await deps.store.save_assessment(decided)
        votes = await deps.store.votes(team, record.id)
        await client.chat_postMessage(
            channel=record.channel, thread_ts=record.ts, text=decision_note(decided, record.decision)
        )
        await client.chat_update(channel=record.channel, ts=record.ts, **result_message(decided, votes))
    except SLACK_OR_STORE_FAILURES as error:
        cause = Cause.STORAGE if isinstance(error, StoreError) else Cause.SLACK
        raise UserFacingError(
            "I couldn't record the decision", cause=cause, channel=record.channel, thread_ts=record.ts
        ) from error
    log.info("decision.recorded", extra={"assessment": record.id, "approach": entered.approach})


def register(app: AsyncApp) -> None:
    app.action(ids.RECORD_DECISION)(on_record_decision)
    app.view_submission(ids.DECISION_CALLBACK)(on_decision_submit)
