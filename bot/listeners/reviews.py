"""Reviews and outcomes: scheduling a decision's review with Slack, replacing or deleting it, and recording
the outcome from the review's buttons.

Slack holds the review (chat.scheduleMessage) and posts it in the result's thread when it is due, so nothing
of ours has to run then; the stored record keeps its scheduled_message_id, so a changed decision, `forget`
and uninstalling delete the pending one (chat.deleteScheduledMessage). Anyone may press a review's buttons;
only the people who may change the decision record the outcome (``permissions.may_decide``). An outcome is a
compare-and-set append, so two people recording at once both end up in the history.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot import ids
from bot.errors import Cause, UserFacingError, gone
from bot.listeners.deps import Deps, deps_of
from bot.listeners.lookup import ASSESSMENT_ID
from bot.listeners.permissions import may_decide, outcome_refused
from bot.listeners.slack_calls import SLACK_FAILURES, open_view, slack_error, tell_user
from bot.server.logs import log
from bot.storage.failures import StoreError
from bot.storage.models import Outcome, PendingReview, StoredAssessment
from bot.ui.metadata import OutcomeMetadata
from bot.ui.outcome import check_outcome, outcome_note, outcome_view
from bot.ui.result import result_message
from bot.ui.review import (
    OUTCOME_BY_ACTION,
    read_review_value,
    refusal_reason,
    review_message,
    review_post_at,
    schedule_refused_text,
)

RESULT_DELETED = (
    "This review is closed: the result it was about has been deleted (or its people used "
    "`/llm-approach forget`), so there is nothing to record the outcome on."
)
DECISION_CHANGED = (
    "This review is closed: the decision it was about has been changed since. The new decision has its own "
    "review, if one was asked for."
)
STALE_OUTCOME_FORM = "This form is out of date: close it and press a button on the review again."
DECISION_CHANGED_MEANWHILE = (
    "The decision was changed while this form was open, so this outcome has no decision to go with."
)


class _Superseded(Exception):
    """A newer decision was recorded meanwhile: its own review replaces this one."""


# --- scheduling --------------------------------------------------------------------------------------


async def delete_reviews(client: AsyncWebClient, reviews: Iterable[PendingReview]) -> int:
    """Ask Slack to drop pending reviews; how many it dropped. One already posted, or deleted, is
    invalid_scheduled_message_id to Slack: nothing left to do. Never raises."""
    deleted = 0
    for review in reviews:
        try:
            await client.chat_deleteScheduledMessage(channel=review.channel, scheduled_message_id=review.id)
            deleted += 1
        except SLACK_FAILURES as error:
            reason = slack_error(error)
            # Already posted or deleted, or the channel is gone: nothing is left to delete.
            gone_already = reason in {"invalid_scheduled_message_id", "channel_not_found"}
            (log.info if gone_already else log.warning)(
                "review.delete_refused", extra={"slack_error": reason}
            )
    return deleted


async def after_decision(
    client: AsyncWebClient,
    deps: Deps,
    decided: StoredAssessment,
    replaced: PendingReview | None,
    user: str,
) -> None:
    """The review of a just-recorded decision: the one it replaces is deleted, the new one scheduled and
    kept with the decision. A refusal is told to the person; the decision stands either way."""
    if replaced is not None:
        await delete_reviews(client, [replaced])
    decision = decided.decision
    if decision is None or decision.review_weeks is None or decided.ts is None:
        return
    post_at = review_post_at(decision.at, decision.review_weeks)
    message = review_message(decided)
    try:
        response = await client.chat_scheduleMessage(
            channel=decided.channel, post_at=post_at, thread_ts=decided.ts, **message
        )
    except SLACK_FAILURES as error:
        reason = slack_error(error)
        log.warning("review.schedule_refused", extra={"assessment": decided.id, "slack_error": reason})
        text = schedule_refused_text(decision.review_weeks, refusal_reason(reason))
        await tell_user(client, decided.channel, user, text, thread_ts=decided.ts)
        return
    pending = PendingReview(
        id=str(response["scheduled_message_id"]),
        channel=decided.channel,
        post_at=int(response.get("post_at") or post_at),
        decision=len(decided.decisions),
        by=decision.by,
    )

    def keep(latest: StoredAssessment, _: Mapping[str, str]) -> StoredAssessment:
        if len(latest.decisions) != pending.decision:
            raise _Superseded
        return latest.model_copy(update={"review": pending})

    try:
        stored = await deps.store.update_assessment(decided.team, decided.id, keep, actor=user)
    except _Superseded:
        stored = None
    except StoreError:
        # Unrecorded, it could never be deleted with the decision: better no review than a stray one.
        await delete_reviews(client, [pending])
        await tell_user(
            client,
            decided.channel,
            user,
            schedule_refused_text(decision.review_weeks, "my storage did not answer"),
            thread_ts=decided.ts,
        )
        return
    if stored is None:
        await delete_reviews(client, [pending])
        return
    log.info("review.scheduled", extra={"assessment": decided.id, "weeks": decision.review_weeks})


# --- the review's buttons ----------------------------------------------------------------------------


async def _close_review(respond: AsyncRespond, text: str) -> None:
    """Replace the review message with why it is closed: told once, and no button left to press."""
    try:
        await respond(text=text, replace_original=True)
    except SLACK_FAILURES as error:
        log.info("review.close_failed", extra={"slack_error": slack_error(error)})


async def on_review_pressed(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    context: AsyncBoltContext,
    respond: AsyncRespond,
) -> None:
    await ack()
    deps = deps_of(context)
    team, user = str(context.team_id), str(context.user_id)
    assessment_id, number = read_review_value(str(action.get("value") or ""))
    if not ASSESSMENT_ID.fullmatch(assessment_id) or number is None:
        raise gone()
    try:
        record = await deps.store.load_assessment(team, assessment_id)
    except StoreError as error:
        raise UserFacingError("I couldn't load that assessment", cause=Cause.STORAGE) from error
    if record is None or record.decision is None:
        log.info("review.result_gone", extra={"assessment": assessment_id})
        await _close_review(respond, RESULT_DELETED)
        return
    if number != len(record.decisions):
        await _close_review(respond, DECISION_CHANGED)
        return
    if not may_decide(record, user):
        raise UserFacingError(outcome_refused(record), cause=Cause.NOT_ALLOWED)
    chosen = OUTCOME_BY_ACTION.get(str(action.get("action_id")), "met")
    assert context.client is not None
    await open_view(
        context.client,
        str(body["trigger_id"]),
        outcome_view(record, number, chosen),
        form="the outcome form",
        again="press the button again",
    )


async def on_outcome_submit(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
) -> None:
    """Stored before acknowledging, re-checking who may record against the latest record, then told in
    the thread and on the result."""
    deps = deps_of(context)
    view = body["view"]
    metadata = OutcomeMetadata.load(view.get("private_metadata"))
    if metadata is None:
        await ack(response_action="errors", errors={ids.OUTCOME_MEASURED_BLOCK: STALE_OUTCOME_FORM})
        return
    entered = check_outcome(view.get("state", {}).get("values"))
    if entered.errors or entered.result is None:
        await ack(response_action="errors", errors=entered.errors)
        return
    team, user = str(context.team_id), str(context.user_id)
    outcome = Outcome(
        result=entered.result,
        changed_to=entered.changed_to,
        measured=entered.measured,
        score=entered.score,
        learned=entered.learned,
        by=user,
        at=time.time(),
        decision=metadata.decision,
    )
    corrected: list[bool] = []

    def record_outcome(latest: StoredAssessment, _: Mapping[str, str]) -> StoredAssessment:
        if len(latest.decisions) != metadata.decision:
            raise _Superseded
        if not may_decide(latest, user):
            raise UserFacingError(outcome_refused(latest), cause=Cause.NOT_ALLOWED)
        corrected[:] = [latest.outcome is not None]
        # The review has been posted (it is being answered): nothing is left to delete at Slack.
        review = None if latest.review and latest.review.decision == metadata.decision else latest.review
        return latest.model_copy(update={"outcomes": [*latest.outcomes, outcome], "review": review})

    try:
        stored = await deps.store.update_assessment(team, metadata.assessment, record_outcome, actor=user)
    except _Superseded:
        await ack(response_action="errors", errors={ids.OUTCOME_RESULT_BLOCK: DECISION_CHANGED_MEANWHILE})
        return
    except StoreError as error:
        raise UserFacingError("I couldn't record the outcome", cause=Cause.STORAGE) from error
    if stored is None:
        raise gone()
    await ack(response_action="clear")
    record, votes = stored
    log.info("outcome.recorded", extra={"assessment": record.id, "outcome": outcome.result})
    try:
        await deps.store.note_decided(record)
    except StoreError:
        # Recorded all the same: only the workspace's outcome figures miss it until `reindex`.
        log.warning("outcome.index_failed", extra={"assessment": record.id})
    assert record.ts is not None
    try:
        note = outcome_note(record, outcome, correction=bool(corrected and corrected[0]))
        await client.chat_postMessage(channel=record.channel, thread_ts=record.ts, **note)
        await client.chat_update(channel=record.channel, ts=record.ts, **result_message(record, votes))
    except SLACK_FAILURES as error:
        raise UserFacingError(
            "The outcome is recorded, but I couldn't show it in the thread",
            cause=Cause.SLACK,
            channel=record.channel,
            thread_ts=record.ts,
        ) from error


def register(app: AsyncApp) -> None:
    for action_id in OUTCOME_BY_ACTION:
        app.action(action_id)(on_review_pressed)
    app.view_submission(ids.OUTCOME_CALLBACK)(on_outcome_submit)
