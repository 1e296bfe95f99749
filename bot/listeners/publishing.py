"""Posting results: to the channel, by DM when the channel refuses, and new versions after an edit.

A new assessment is posted first (its message's ts is part of the record), then stored. A new version is
stored first, then announced: what Redis holds is never older than what the thread says.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

from slack_sdk.web.async_client import AsyncWebClient

from bot.errors import Cause, UserFacingError
from bot.listeners.slack_calls import SLACK_FAILURES, slack_error
from bot.server import metrics
from bot.server.logs import log
from bot.storage.failures import StoreError
from bot.storage.models import StoredAssessment, Version
from bot.storage.store import Store
from bot.ui.result import result_message
from bot.ui.thread import breakdown_message, version_note
from scoring import Answers, Assessment, Engine

# Errors after which the channel will not take the message, but a DM to the person will.
CHANNEL_REFUSED = frozenset(
    {"not_in_channel", "channel_not_found", "is_archived", "restricted_action", "team_access_not_granted"}
)


@dataclass(frozen=True)
class Posted:
    channel: str
    ts: str
    by_dm: bool


async def post_to_channel_or_dm(client: AsyncWebClient, record: StoredAssessment) -> Posted:
    """Post the result in its channel; if the channel refuses, DM the person, saying why and what needs a
    channel. Raises if both fail."""
    try:
        response = await client.chat_postMessage(channel=record.channel, **result_message(record))
        return Posted(str(response["channel"]), str(response["ts"]), by_dm=False)
    except SLACK_FAILURES as error:
        reason = slack_error(error)
        if reason not in CHANNEL_REFUSED:
            raise
        log.info("result.channel_refused", extra={"channel": record.channel, "slack_error": reason})
    refused = record.channel if record.channel.startswith(("C", "G")) else None
    response = await client.chat_postMessage(
        channel=record.user, **result_message(record, refused_channel=refused)
    )
    return Posted(str(response["channel"]), str(response["ts"]), by_dm=True)


async def keep_answers(store: Store, team: str, user: str, draft_id: str, instance: str | None) -> bool:
    """Posting failed: the answers go back to being the person's draft. False if they could not: the person
    started a newer form meanwhile (whose draft is left alone), or Redis failed."""
    try:
        return await store.restore_draft(team, user, draft_id, instance)
    except StoreError:
        log.error("result.restore_failed", exc_info=True)
        return False


def not_posted(kept: bool) -> str:
    """What a person is told when their result could not be posted, saying when the answers are lost."""
    if kept:
        return "I couldn't post your recommendation"
    return (
        "I couldn't post your recommendation, and I couldn't put its answers back as your draft "
        "(a newer form of yours is there now, or storage failed)"
    )


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
    client: AsyncWebClient,
    store: Store,
    record: StoredAssessment,
    *,
    draft_id: str,
    instance: str | None = None,
) -> StoredAssessment:
    """Post a new assessment, store it (and drop the draft), then post its breakdown in the thread."""
    try:
        posted = await post_to_channel_or_dm(client, record)
    except SLACK_FAILURES as error:
        kept = await keep_answers(store, record.team, record.user, draft_id, instance)
        raise UserFacingError(not_posted(kept), cause=Cause.SLACK, answers_kept=kept) from error
    record = record.model_copy(update={"channel": posted.channel, "ts": posted.ts})
    # Stored as soon as its message exists, so that anything done in its thread or with its buttons finds it.
    try:
        await store.create_assessment(record, finished_draft=draft_id, instance=instance)
    except StoreError as error:
        raise UserFacingError(
            "Your result is posted, but I couldn't save it, so the thread features won't work on it",
            cause=Cause.STORAGE,
            channel=posted.channel,
            thread_ts=posted.ts,
        ) from error
    try:
        await client.chat_postMessage(
            channel=posted.channel, thread_ts=posted.ts, **breakdown_message(record)
        )
    except SLACK_FAILURES as error:
        log.warning(
            "result.breakdown_failed", extra={"slack_error": slack_error(error), "assessment": record.id}
        )
    metrics.assessments_total.inc()
    log.info(
        "result.posted",
        extra={"assessment": record.id, "approach": record.result.approach.value, "by_dm": posted.by_dm},
    )
    return record


def next_version(
    record: StoredAssessment, answers: Answers, user: str, engine: Engine
) -> tuple[Version, Assessment]:
    """Edited answers as the record's next version, and how they score (nothing stored)."""
    result = engine.assess(answers)
    version = Version(
        number=record.version + 1,
        answers=answers.as_flat(),
        approach=result.approach.value,
        by=user,
        at=time.time(),
    )
    return version, result


async def announce_version(
    client: AsyncWebClient,
    before: StoredAssessment,
    stored: StoredAssessment,
    votes: dict[str, str],
    *,
    user: str,
) -> None:
    """The stored version, told in the thread and shown on the parent message."""
    assert stored.ts is not None
    try:
        await client.chat_postMessage(
            channel=stored.channel, thread_ts=stored.ts, **version_note(before, stored, user)
        )
        # The message counts only the votes for this version's recommendation: a changed one starts afresh.
        await client.chat_update(channel=stored.channel, ts=stored.ts, **result_message(stored, votes))
    except SLACK_FAILURES as error:
        raise UserFacingError(
            f"Version {stored.version} is saved, but I couldn't show it in the thread",
            cause=Cause.SLACK,
            answers_kept=True,
            channel=stored.channel,
            thread_ts=stored.ts,
        ) from error
    log.info(
        "version.posted",
        extra={
            "assessment": stored.id,
            "version": stored.version,
            "approach": stored.result.approach.value,
        },
    )
