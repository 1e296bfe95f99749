"""Buttons on a posted result: edit answers, new assessment, votes and the decision record export."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot import ids
from bot.errors import Cause, UserFacingError, gone
from bot.listeners.deps import Deps, deps_of
from bot.listeners.permissions import edit_refused, may_edit
from bot.listeners.questionnaire import new_instance, open_questionnaire
from bot.listeners.slack_calls import SLACK_FAILURES, slack_error
from bot.server.logs import log
from bot.storage.models import StoredAssessment
from bot.storage.store import StoreError
from bot.ui.conflicts import rebase
from bot.ui.metadata import QuestionnaireMetadata
from bot.ui.questionnaire import questionnaire_view
from bot.ui.record import decision_record, record_filename, record_text_fallback
from bot.ui.result import result_message

_ASSESSMENT_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


async def load_record(deps: Deps, team: str, assessment_id: str) -> StoredAssessment:
    """The assessment a button belongs to; UserFacingError when it cannot be read or has expired."""
    if not _ASSESSMENT_ID.fullmatch(assessment_id):
        raise gone()  # not an id we ever put on a button
    try:
        record = await deps.store.load_assessment(team, assessment_id)
    except StoreError as error:
        raise UserFacingError("I couldn't load that assessment", cause=Cause.STORAGE) from error
    if record is None:
        raise gone()
    return record


async def on_edit(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    """Open the answers for editing: the person's unfinished edit if they have one, brought up to date
    when a newer version was published since they started it (the form says so)."""
    await ack()
    deps = deps_of(context)
    team, user = str(context.team_id), str(context.user_id)
    record = await load_record(deps, team, str(action.get("value") or ""))
    if not may_edit(record, user):
        raise UserFacingError(edit_refused(record), cause=Cause.NOT_ALLOWED)
    notice = None
    try:
        draft = await deps.store.load_draft(team, user, record.id)
        instance = (draft.instance if draft else None) or new_instance()
        rebased = rebase(draft, record) if draft else None
        if draft is None or rebased is not None:
            answers = rebased.answers if rebased else record.answers
            notice = rebased.note if rebased else None
            await deps.store.replace_draft(
                team,
                user,
                record.id,
                answers,
                page=1,
                channel=record.channel,
                base=record.version,
                instance=instance,
            )
        else:
            answers = draft.answers
    except StoreError as error:
        raise UserFacingError("I couldn't start editing those answers", cause=Cause.STORAGE) from error
    metadata = QuestionnaireMetadata(draft=record.id, channel=record.channel, page=1, instance=instance)
    try:
        await client.views_open(
            trigger_id=body["trigger_id"],
            view=questionnaire_view(metadata, answers, editing=True, notice=notice),
        )
    except SLACK_FAILURES as error:
        raise UserFacingError(
            "Slack didn't let me open the form; press the button again", cause=Cause.SLACK
        ) from error


async def on_new(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
) -> None:
    await ack()
    deps = deps_of(context)
    await open_questionnaire(
        client,
        deps,
        trigger_id=str(body["trigger_id"]),
        team=str(context.team_id),
        user=str(context.user_id),
        channel=str(context.channel_id or ""),
    )


async def on_agree(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    await ack()
    await _vote(body, action, client, context, "agree")


async def on_disagree(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    await ack()
    await _vote(body, action, client, context, "disagree")


async def _vote(
    body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext, vote: str
) -> None:
    deps = deps_of(context)
    team, user, channel = str(context.team_id), str(context.user_id), str(context.channel_id or "")
    message_ts = str((body.get("message") or {}).get("ts") or "")
    assessment_id = str(action.get("value") or "")
    if not _ASSESSMENT_ID.fullmatch(assessment_id):
        raise gone()
    try:
        record, votes = await deps.store.cast_vote(team, assessment_id, user, vote)
    except StoreError as error:
        raise UserFacingError("I couldn't record your vote", cause=Cause.STORAGE) from error
    if record is None:
        raise gone()
    if not message_ts:
        return
    # Votes from several people land at once and their updates can overtake each other; re-render
    # until the message shows the tally that is in Redis now.
    for _ in range(3):
        try:
            await client.chat_update(channel=channel, ts=message_ts, **result_message(record, votes))
            latest = await deps.store.votes(team, record.id)
        except SLACK_FAILURES as error:
            log.warning("vote.update_failed", extra={"slack_error": slack_error(error)})
            return
        except StoreError:
            return  # the vote is recorded; the next update will show it
        if latest == votes:
            break
        votes = latest
    log.info("vote.recorded", extra={"assessment": record.id, "votes": len(votes)})


async def on_export(
    ack: AsyncAck, action: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
) -> None:
    await ack()
    deps = deps_of(context)
    record = await load_record(deps, str(context.team_id), str(action.get("value") or ""))
    if record.ts is None:
        raise gone()
    try:
        votes = await deps.store.votes(record.team, record.id)
    except StoreError as error:
        raise UserFacingError(
            "I couldn't read the votes for the decision record", cause=Cause.STORAGE
        ) from error
    markdown = decision_record(record, votes, {})
    try:
        await client.files_upload_v2(
            channel=record.channel,
            thread_ts=record.ts,
            content=markdown,
            filename=record_filename(record),
            title=f"Decision record: {record.answers.get('project_name', 'project')}",
        )
        return
    except SLACK_FAILURES as error:
        # Without files:write (or with uploads disabled) the record still reaches the thread, as text.
        log.warning("export.upload_failed", extra={"slack_error": slack_error(error)})
    try:
        await client.chat_postMessage(
            channel=record.channel, thread_ts=record.ts, text=record_text_fallback(markdown)
        )
    except SLACK_FAILURES as error:
        raise UserFacingError(
            "I couldn't post the decision record",
            cause=Cause.SLACK,
            channel=record.channel,
            thread_ts=record.ts,
        ) from error


def register(app: AsyncApp) -> None:
    app.action(ids.EDIT_ANSWERS)(on_edit)
    app.action(ids.NEW_ASSESSMENT)(on_new)
    app.action(ids.HOME_NEW_ASSESSMENT)(on_new)
    app.action(ids.HOME_RESUME)(on_new)
    app.action(ids.VOTE_AGREE)(on_agree)
    app.action(ids.VOTE_DISAGREE)(on_disagree)
    app.action(ids.EXPORT_RECORD)(on_export)
