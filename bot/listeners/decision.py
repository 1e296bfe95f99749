"""Recording the team's decision, or changing it (the button asks for confirmation first): the form, and
what submitting it does."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot import ids
from bot.errors import Cause, UserFacingError, gone
from bot.listeners.deps import deps_of
from bot.listeners.lookup import load_record
from bot.listeners.permissions import decide_refused, may_decide
from bot.listeners.reviews import after_decision
from bot.listeners.slack_calls import SLACK_FAILURES, open_view
from bot.server.logs import log
from bot.storage.failures import StoreError
from bot.storage.models import Decision, PendingReview, StoredAssessment
from bot.ui.decision import RATIONALE_LIMIT, decision_view
from bot.ui.forms import check_decision, read_values
from bot.ui.metadata import DecisionMetadata
from bot.ui.result import result_message
from bot.ui.review import read_review_choice
from bot.ui.thread import decision_note

STALE_DECISION_FORM = "This form is out of date: close it and press the decision button on the result again."
DECIDED_MEANWHILE = (
    "A decision was recorded while this form was open. Close it and press the decision button again to see "
    "it before you change it."
)


class _FormOutOfDate(Exception):
    """A decision was recorded since the form opened: the person should see it before replacing it."""


async def on_record_decision(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    await ack()
    deps = deps_of(context)
    user = str(context.user_id)
    record = await load_record(deps, str(context.team_id), str(action.get("value") or ""))
    if not may_decide(record, user):
        raise UserFacingError(decide_refused(record), cause=Cause.NOT_ALLOWED)
    policy = deps.reviews
    await open_view(
        client,
        str(body["trigger_id"]),
        decision_view(record, policy.weeks if policy.enabled else (), policy.default),
        form="the decision form",
        again="press the button again",
    )


async def on_decision_submit(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
) -> None:
    """Stored before acknowledging (a compare-and-set that re-checks who may decide against the latest
    record), then announced: the thread never says "recorded" for a decision Redis does not hold."""
    deps = deps_of(context)
    view = body["view"]
    metadata = DecisionMetadata.load(view.get("private_metadata"))
    values = view.get("state", {}).get("values")
    entered = check_decision(values, RATIONALE_LIMIT)
    review_weeks, review_error = (
        read_review_choice(read_values(values).get(ids.DECISION_REVIEW_BLOCK), deps.reviews.weeks)
        if deps.reviews.enabled
        else (None, None)
    )
    if review_error:
        entered.errors[ids.DECISION_REVIEW_BLOCK] = review_error
    if metadata is None:
        await ack(
            response_action="errors",
            errors={ids.DECISION_APPROACH_BLOCK: STALE_DECISION_FORM},
        )
        return
    approach = entered.approach
    if entered.errors or approach is None:
        await ack(response_action="errors", errors=entered.errors)
        return
    team, user = str(context.team_id), str(context.user_id)
    replaced: list[PendingReview] = []

    def decide(latest: StoredAssessment, _: Mapping[str, str]) -> StoredAssessment:
        if not may_decide(latest, user):
            raise UserFacingError(decide_refused(latest), cause=Cause.NOT_ALLOWED)
        if len(latest.decisions) != metadata.seen or latest.ts is None:
            raise _FormOutOfDate
        decision = Decision(
            approach=approach, rationale=entered.rationale, by=user, at=time.time(), review_weeks=review_weeks
        )
        # The review of the decision being replaced goes: the new decision gets its own.
        replaced[:] = [latest.review] if latest.review else []
        return latest.model_copy(update={"decisions": [*latest.decisions, decision], "review": None})

    try:
        stored = await deps.store.update_assessment(
            team, metadata.assessment, decide, actor=user, touch_everyone=True
        )
    except _FormOutOfDate:
        await ack(response_action="errors", errors={ids.DECISION_APPROACH_BLOCK: DECIDED_MEANWHILE})
        return
    except StoreError as error:
        raise UserFacingError("I couldn't record the decision", cause=Cause.STORAGE) from error
    if stored is None:
        raise gone()
    await ack(response_action="clear")
    decided, votes = stored
    assert decided.ts is not None and decided.decision is not None
    try:
        await deps.store.note_decided(decided)
    except StoreError:
        # Recorded all the same: only the workspace's outcome figures miss it until `reindex`.
        log.warning("decision.index_failed", extra={"assessment": decided.id})
    try:
        await client.chat_postMessage(channel=decided.channel, thread_ts=decided.ts, **decision_note(decided))
        await client.chat_update(channel=decided.channel, ts=decided.ts, **result_message(decided, votes))
    except SLACK_FAILURES as error:
        raise UserFacingError(
            "The decision is recorded, but I couldn't show it in the thread",
            cause=Cause.SLACK,
            channel=decided.channel,
            thread_ts=decided.ts,
        ) from error
    finally:
        # Whatever the thread shows, the review follows the decision Redis holds: the replaced one goes.
        await after_decision(client, deps, decided, replaced[0] if replaced else None, user)
    log.info("decision.recorded", extra={"assessment": decided.id, "approach": approach})


def register(app: AsyncApp) -> None:
    app.action(ids.RECORD_DECISION)(on_record_decision)
    app.view_submission(ids.DECISION_CALLBACK)(on_decision_submit)
