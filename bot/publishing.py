"""Posting results: to the channel, by DM when the channel refuses, and new versions after an edit."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

from slack_sdk.web.async_client import AsyncWebClient

from bot import metrics
from bot.blocks import escape
from bot.logs import log, new_error_id
from bot.messages import Message, breakdown_message, dm_fallback_message, error_text, result_message
from bot.slack_errors import SLACK_FAILURES, SLACK_OR_STORE_FAILURES, slack_error
from bot.store import Store, StoredAssessment, StoreError, Version
from scoring import Answers, Engine
from scoring.questionnaire import QUESTIONS_BY_ID, SCORED_IDS
from scoring.text import answer_label

# Errors after which the channel will not take the message, but a DM to the person will.
CHANNEL_REFUSED = frozenset(
    {"not_in_channel", "channel_not_found", "is_archived", "restricted_action", "team_access_not_granted"}
)


@dataclass(frozen=True)
class Posted:
    channel: str
    ts: str
    by_dm: bool


async def post_to_channel_or_dm(client: AsyncWebClient, channel: str, user: str, message: Message) -> Posted:
    """Post in the channel; if the channel refuses, DM the person with a note. Raises if both fail."""
    try:
        response = await client.chat_postMessage(channel=channel, **message)
        return Posted(str(response["channel"]), str(response["ts"]), by_dm=False)
    except SLACK_FAILURES as error:
        reason = slack_error(error)
        if reason not in CHANNEL_REFUSED:
            raise
        log.info("result.channel_refused", extra={"channel": channel, "slack_error": reason})
    response = await client.chat_postMessage(channel=user, **dm_fallback_message(message, channel))
    return Posted(str(response["channel"]), str(response["ts"]), by_dm=True)


async def tell_user(
    client: AsyncWebClient, channel: str | None, user: str, text: str, thread_ts: str | None = None
) -> None:
    """Best effort to show a person a problem: ephemeral where they are, else a DM. Never raises."""
    if channel:
        try:
            await client.chat_postEphemeral(channel=channel, user=user, text=text, thread_ts=thread_ts)
            return
        except SLACK_FAILURES as error:
            log.info("notify.ephemeral_refused", extra={"slack_error": slack_error(error)})  # then try a DM
    try:
        await client.chat_postMessage(channel=user, text=text)
    except SLACK_FAILURES as error:
        log.warning("notify.failed", extra={"user": user, "slack_error": slack_error(error)})


async def keep_answers(store: Store, team: str, user: str, draft_id: str) -> None:
    """Posting failed: the answers go back to being the person's draft, so nothing is lost."""
    try:
        await store.restore_draft(team, user, draft_id)
    except StoreError:
        log.error("result.restore_failed", exc_info=True)


def new_record(team: str, channel: str, user: str, answers: Answers, engine: Engine) -> StoredAssessment:
    now = time.time()
    flat = answers.as_flat()
    result = engine.assess(answers)
    return StoredAssessment(
        id=uuid.uuid4().hex[:12],
        team=team,
        channel=channel,
        user=user,
        created=now,
        answers=flat,
        result=result,
        versions=[Version(number=1, answers=flat, approach=result.approach.value, by=user, at=now)],
    )


async def publish_new(
    client: AsyncWebClient, store: Store, record: StoredAssessment, *, draft_id: str
) -> StoredAssessment | None:
    """Post a new assessment and its breakdown, then store it (and drop the draft). None if nothing posted."""
    message = result_message(record)
    try:
        posted = await post_to_channel_or_dm(client, record.channel, record.user, message)
    except SLACK_FAILURES as error:
        error_id = new_error_id()
        log.error("result.post_failed", extra={"error_id": error_id, "slack_error": slack_error(error)})
        await keep_answers(store, record.team, record.user, draft_id)
        await tell_user(
            client, None, record.user, error_text("I couldn't post your recommendation", error_id)
        )
        return None
    record = record.model_copy(update={"channel": posted.channel, "ts": posted.ts})
    try:
        await client.chat_postMessage(
            channel=posted.channel, thread_ts=posted.ts, **breakdown_message(record)
        )
    except SLACK_FAILURES as error:
        log.warning(
            "result.breakdown_failed", extra={"slack_error": slack_error(error), "assessment": record.id}
        )
    try:
        await store.save_assessment(record, finished_draft=draft_id)
    except StoreError:
        error_id = new_error_id()
        log.error("result.store_failed", extra={"error_id": error_id, "assessment": record.id}, exc_info=True)
        await tell_user(
            client,
            posted.channel,
            record.user,
            error_text(
                "Your result is posted, but I couldn't save it, so the thread features won't work on it",
                error_id,
            ),
            thread_ts=posted.ts,
        )
        return record
    metrics.assessments_total.inc()
    log.info(
        "result.posted",
        extra={"assessment": record.id, "approach": record.result.approach.value, "by_dm": posted.by_dm},
    )
    return record


def changes_text(before: dict[str, str], after: dict[str, str]) -> list[str]:
    lines = []
    for question_id in ("project_name", *SCORED_IDS):
        old, new = before.get(question_id), after.get(question_id)
        if old == new:
            continue
        short = QUESTIONS_BY_ID[question_id].short
        if question_id == "project_name":
            lines.append(f"• *{short}*: {escape(old or '—')} → {escape(new or '—')}")
        else:
            lines.append(f"• *{short}*: {answer_label(question_id, old)} → {answer_label(question_id, new)}")
    return lines


async def publish_version(
    client: AsyncWebClient,
    store: Store,
    engine: Engine,
    record: StoredAssessment,
    *,
    answers: Answers,
    user: str,
    draft_id: str,
) -> StoredAssessment | None:
    """Re-score edited answers: reply in the thread with what changed, update the parent, keep the history."""
    if record.ts is None:
        await keep_answers(store, record.team, user, draft_id)
        return None
    before = record.result
    result = engine.assess(answers)
    flat = answers.as_flat()
    number = record.version + 1
    updated = record.model_copy(
        update={
            "answers": flat,
            "result": result,
            "versions": [
                *record.versions,
                Version(number=number, answers=flat, approach=result.approach.value, by=user, at=time.time()),
            ],
        }
    )
    changed = changes_text(record.answers, flat) or ["• No answers changed."]
    verdict = (
        f"Recommendation unchanged: *{result.approach.label}*."
        if result.approach is before.approach
        else f"Recommendation changed: *{before.approach.label}* → *{result.approach.label}*."
    )
    moved = " · ".join(
        f"{a.label} {before.scores[a]:+.1f} → {result.scores[a]:+.1f}"
        for a in result.scores
        if result.scores[a] != before.scores[a]
    )
    text = f"*Version {number}*, edited by <@{user}>\n" + "\n".join(changed) + f"\n{verdict}"
    if moved:
        text += f"\nScores: {moved}"
    try:
        votes = await store.votes(record.team, record.id)
        await client.chat_postMessage(channel=record.channel, thread_ts=record.ts, text=text)
        await client.chat_update(channel=record.channel, ts=record.ts, **result_message(updated, votes))
        await store.save_assessment(updated, finished_draft=draft_id)
    except SLACK_OR_STORE_FAILURES as error:
        error_id = new_error_id()
        await keep_answers(store, record.team, user, draft_id)
        log.error(
            "version.failed",
            extra={"error_id": error_id, "assessment": record.id, "error_type": type(error).__name__},
        )
        await tell_user(
            client, record.channel, user, error_text("I couldn't save the new version", error_id), record.ts
        )
        return None
    log.info(
        "version.posted",
        extra={"assessment": record.id, "version": number, "approach": result.approach.value},
    )
    return updated
