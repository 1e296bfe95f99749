"""Actions on a posted result: votes, the ⋯ menu (edit answers, export the decision record)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot import ids
from bot.errors import Cause, UserFacingError, gone
from bot.listeners.deps import deps_of
from bot.listeners.lookup import ASSESSMENT_ID, load_record
from bot.listeners.permissions import edit_refused, may_edit
from bot.listeners.questionnaire import open_questionnaire
from bot.listeners.rounds import ask_team
from bot.listeners.slack_calls import SLACK_FAILURES, open_view, slack_error, tell_user
from bot.server.logs import log
from bot.storage.failures import StoreError
from bot.storage.models import new_instance
from bot.ui.conflicts import rebase
from bot.ui.metadata import QuestionnaireMetadata
from bot.ui.questionnaire import questionnaire_view
from bot.ui.record import decision_record, record_filename, record_message, record_title
from bot.ui.result import read_menu_value, read_vote_button, result_message

NAME_LOOKUPS_AT_ONCE = 5  # users.info is Tier 4; a record with many voters asks a few at a time
UPLOAD_REFUSED = (
    "I couldn't upload the record as a Markdown file (that needs the files:write scope, and file uploads "
    "may be off in this workspace), so here it is as a message."
)


async def on_menu(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    """The result's ⋯ menu: the option chosen says what to do and to which assessment."""
    await ack()
    choice, assessment_id = read_menu_value(str((action.get("selected_option") or {}).get("value") or ""))
    if choice == ids.MENU_EDIT:
        await _edit(str(body["trigger_id"]), assessment_id, client, context)
    elif choice == ids.MENU_EXPORT:
        await _export(assessment_id, client, context)
    elif choice == ids.MENU_ASK_TEAM:
        await ask_team(str(body["trigger_id"]), assessment_id, client, context)


async def on_edit(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    """The Edit answers button of results posted before the ⋯ menu."""
    await ack()
    await _edit(str(body["trigger_id"]), str(action.get("value") or ""), client, context)


async def _edit(
    trigger_id: str, assessment_id: str, client: AsyncWebClient, context: AsyncBoltContext
) -> None:
    deps = deps_of(context)
    team, user = str(context.team_id), str(context.user_id)
    record = await load_record(deps, team, assessment_id)
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
            started = await deps.store.replace_draft(
                team,
                user,
                record.id,
                answers,
                page=1,
                channel=record.channel,
                base=record.version,
                instance=instance,
            )
            if not started:
                raise UserFacingError(
                    "You just started editing these answers in another window: carry on there, or press "
                    "Edit answers again",
                    cause=Cause.GONE,
                )
        else:
            answers = draft.answers
    except StoreError as error:
        raise UserFacingError("I couldn't start editing those answers", cause=Cause.STORAGE) from error
    metadata = QuestionnaireMetadata(draft=record.id, channel=record.channel, page=1, instance=instance)
    view = questionnaire_view(metadata, answers, editing=True, notice=notice)
    await open_view(client, trigger_id, view, again="press the button again")


async def on_new(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
) -> None:
    """New assessment (App Home) or Resume (App Home, and results posted before the ⋯ menu)."""
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
    assessment_id, seen = read_vote_button(str(action.get("value") or ""))
    if not ASSESSMENT_ID.fullmatch(assessment_id):
        raise gone()
    if seen is None:  # a button posted before votes belonged to a version: the vote is for the current one
        seen = (await load_record(deps, team, assessment_id)).version
    try:
        record, votes = await deps.store.cast_vote(team, assessment_id, user, vote, version=seen)
    except StoreError as error:
        raise UserFacingError("I couldn't record your vote", cause=Cause.STORAGE) from error
    if record is None:
        raise gone()
    if seen < record.ballot:
        # The voter saw a recommendation that an edit has since replaced: their vote must not count for the
        # new one, and they must not think it did.
        await tell_user(
            client,
            channel or None,
            user,
            f"The recommendation changed to *{record.result.approach.label}* (version {record.version}) "
            "before your vote arrived, so it doesn't count for it. The message shows the new version: "
            "vote again there.",
            message_ts or None,
        )
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
    log.info("vote.recorded", extra={"assessment": record.id, "votes": len(record.counted_votes(votes))})


async def on_export(
    ack: AsyncAck, action: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
) -> None:
    """The Export button of results posted before the ⋯ menu."""
    await ack()
    await _export(str(action.get("value") or ""), client, context)


async def names_of(client: AsyncWebClient, users: Iterable[str]) -> dict[str, str]:
    """The names people go by (users.info, needs users:read); people Slack won't name are left out, and the
    record shows their id instead."""
    wanted = list(dict.fromkeys(users))
    calls = asyncio.Semaphore(NAME_LOOKUPS_AT_ONCE)

    async def name(user: str) -> str | None:
        try:
            async with calls:
                response = await client.users_info(user=user)
        except SLACK_FAILURES as error:
            log.info("export.name_unavailable", extra={"slack_error": slack_error(error)})
            return None
        person = response.get("user") or {}
        profile = person.get("profile") or {}
        found = profile.get("display_name") or profile.get("real_name") or person.get("real_name")
        return str(found) if found else None

    found = await asyncio.gather(*(name(user) for user in wanted))
    return {user: person for user, person in zip(wanted, found, strict=True) if person}


async def _export(assessment_id: str, client: AsyncWebClient, context: AsyncBoltContext) -> None:
    deps = deps_of(context)
    record = await load_record(deps, str(context.team_id), assessment_id)
    if record.ts is None:
        raise gone()
    try:
        votes = record.counted_votes(await deps.store.votes(record.team, record.id))
    except StoreError as error:
        raise UserFacingError(
            "I couldn't read the votes for the decision record", cause=Cause.STORAGE
        ) from error
    people = [record.user, *votes, *([record.decision.by] if record.decision else [])]
    names = await names_of(client, people)
    try:
        await client.files_upload_v2(
            channel=record.channel,
            thread_ts=record.ts,
            content=decision_record(record, votes, names),
            filename=record_filename(record),
            title=record_title(record),
        )
        return
    except SLACK_FAILURES as error:
        # Without files:write (or with uploads disabled) the record still reaches the thread, as a message.
        log.warning("export.upload_failed", extra={"slack_error": slack_error(error)})
    try:
        await client.chat_postMessage(
            channel=record.channel,
            thread_ts=record.ts,
            **record_message(record, votes, names, reason=UPLOAD_REFUSED),
        )
    except SLACK_FAILURES as error:
        raise UserFacingError(
            "I couldn't post the decision record",
            cause=Cause.SLACK,
            channel=record.channel,
            thread_ts=record.ts,
        ) from error


def register(app: AsyncApp) -> None:
    app.action(ids.RESULT_MENU)(on_menu)
    app.action(ids.VOTE_AGREE)(on_agree)
    app.action(ids.VOTE_DISAGREE)(on_disagree)
    app.action(ids.HOME_NEW_ASSESSMENT)(on_new)
    app.action(ids.HOME_RESUME)(on_new)
    # Buttons on results posted before the ⋯ menu: they keep working.
    app.action(ids.EDIT_ANSWERS)(on_edit)
    app.action(ids.EXPORT_RECORD)(on_export)
    app.action(ids.NEW_ASSESSMENT)(on_new)
