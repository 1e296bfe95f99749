"""The questionnaire modal: opening it, page submits, Back, Start over and closing."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot import ids
from bot.errors import Cause, UserFacingError
from bot.listeners.deps import Deps, deps_of
from bot.listeners.publishing import new_record, publish_new, publish_version
from bot.listeners.slack_calls import SLACK_FAILURES, slack_error
from bot.server.logs import log
from bot.storage.store import NEW_DRAFT, StoreError
from bot.ui.forms import check_page, chosen_channel, first_incomplete_page
from bot.ui.metadata import QuestionnaireMetadata
from bot.ui.notices import message_view
from bot.ui.questionnaire import questionnaire_view, resumed_note
from scoring import Answers
from scoring.questionnaire import PAGES

STALE_FORM = "This form is out of date. Close it and run `/llm-approach` again: your saved answers are kept."


async def open_questionnaire(
    client: AsyncWebClient,
    deps: Deps,
    *,
    trigger_id: str,
    team: str,
    user: str,
    channel: str,
    project_name: str = "",
) -> None:
    """Open the modal for a new assessment, resuming the person's draft if there is one.

    Started outside a channel (App Home, a DM), the last page asks where to post, defaulting to the channel
    the person last used. The trigger_id dies 3 seconds after the click, so this reads Redis once (twice to
    find that channel) and then calls views.open. UserFacingError when Redis cannot load the draft or Slack
    refuses to open the modal.
    """
    ask_channel = not is_channel(channel)
    try:
        draft = await deps.store.load_draft(team, user, NEW_DRAFT)
        if ask_channel:
            remembered = draft.channel if draft and is_channel(draft.channel) else None
            channel = remembered or await _last_channel(deps, team, user) or ""
    except StoreError as error:
        raise UserFacingError("I can't start the questionnaire right now", cause=Cause.STORAGE) from error
    answers = dict(draft.answers) if draft else {}
    if project_name:
        answers["project_name"] = project_name[:80]
    metadata = QuestionnaireMetadata(
        draft=NEW_DRAFT,
        channel=channel,
        page=draft.page if draft else PAGES[0],
        ask_channel=ask_channel,
    )
    view = questionnaire_view(metadata, answers, resumed_note=resumed_note(draft) if draft else None)
    try:
        await client.views_open(trigger_id=trigger_id, view=view)
    except SLACK_FAILURES as error:
        raise UserFacingError(
            "Slack didn't let me open the form; please run the command again", cause=Cause.SLACK
        ) from error


def is_channel(conversation: str | None) -> bool:
    """A public or private channel (where a result's thread works), not a DM or nothing."""
    return bool(conversation) and str(conversation).startswith(("C", "G"))


async def _last_channel(deps: Deps, team: str, user: str) -> str | None:
    """The channel of the person's most recent result, as the default place to post the next one."""
    recent = await deps.store.recent_assessments(team, user)
    return next((record.channel for record in recent if is_channel(record.channel)), None)


async def on_submit(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
) -> None:
    deps = deps_of(context)
    view = body["view"]
    metadata = QuestionnaireMetadata.load(view.get("private_metadata"))
    if metadata is None:
        await ack(response_action="update", view=message_view("Out of date", STALE_FORM))
        return
    values = view.get("state", {}).get("values")
    page_input = check_page(metadata.page, values)
    last_page = metadata.page == PAGES[-1]
    channel = metadata.channel
    if last_page and metadata.ask_channel:
        channel = chosen_channel(values) or ""
        if not channel:
            page_input.errors[ids.POST_CHANNEL_BLOCK] = "Choose the channel to post the result in."
        metadata = metadata.model_copy(update={"channel": channel})
    if page_input.errors:
        await ack(response_action="errors", errors=page_input.errors)
        return
    team, user = str(context.team_id), str(context.user_id)
    try:
        draft = await deps.store.save_answers(
            team,
            user,
            metadata.draft,
            page_input.answers,
            page=metadata.page if last_page else metadata.page + 1,
            channel=channel,
            cleared=tuple(page_input.cleared),
        )
    except StoreError as error:
        raise UserFacingError("I couldn't save this page", cause=Cause.STORAGE) from error

    editing = metadata.draft != NEW_DRAFT
    if not last_page:
        next_view = questionnaire_view(metadata.on_page(metadata.page + 1), draft.answers, editing=editing)
        await ack(response_action="update", view=next_view)
        return

    incomplete = first_incomplete_page(draft.answers)
    if incomplete is not None:
        # Earlier pages expired or were never saved: send the person back there, with what we have.
        back_view = questionnaire_view(
            metadata.on_page(incomplete),
            draft.answers,
            editing=editing,
            notice=":warning: Some answers on this page are missing; please answer them again.",
        )
        await ack(response_action="update", view=back_view)
        return

    answers = Answers.parse(draft.answers)
    try:
        await deps.store.set_aside_draft(team, user, metadata.draft)
    except StoreError as error:
        raise UserFacingError("I couldn't save your answers", cause=Cause.STORAGE) from error
    await ack(response_action="clear")
    if editing:
        record = await deps.store.load_assessment(team, metadata.draft)
        if record is not None:
            await publish_version(
                client, deps.store, deps.engine, record, answers=answers, user=user, draft_id=metadata.draft
            )
            return
    record = new_record(team, channel or user, user, answers, deps.engine)
    await publish_new(client, deps.store, record, draft_id=metadata.draft)


async def on_back(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
) -> None:
    await ack()
    deps = deps_of(context)
    view = body["view"]
    metadata = QuestionnaireMetadata.load(view.get("private_metadata"))
    if metadata is None or metadata.page == PAGES[0]:
        return
    page_input = check_page(metadata.page, view.get("state", {}).get("values"), partial=True)
    try:
        draft = await deps.store.save_answers(
            str(context.team_id),
            str(context.user_id),
            metadata.draft,
            page_input.answers,
            page=metadata.page - 1,
            channel=metadata.channel,
        )
    except StoreError as error:
        raise UserFacingError("I couldn't save this page to go back", cause=Cause.STORAGE) from error
    editing = metadata.draft != NEW_DRAFT
    await _update_view(
        client, view, questionnaire_view(metadata.on_page(metadata.page - 1), draft.answers, editing=editing)
    )


async def on_start_over(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
) -> None:
    await ack()
    deps = deps_of(context)
    view = body["view"]
    metadata = QuestionnaireMetadata.load(view.get("private_metadata"))
    if metadata is None:
        return
    try:
        await deps.store.delete_draft(str(context.team_id), str(context.user_id), metadata.draft)
    except StoreError as error:
        raise UserFacingError("I couldn't clear your answers to start over", cause=Cause.STORAGE) from error
    await _update_view(client, view, questionnaire_view(metadata.on_page(PAGES[0]), {}))


async def on_close(ack: AsyncAck, body: dict[str, Any], context: AsyncBoltContext) -> None:
    """Keep what was entered on the open page, so the next /llm-approach resumes it."""
    await ack()
    deps = deps_of(context)
    view = body["view"]
    metadata = QuestionnaireMetadata.load(view.get("private_metadata"))
    if metadata is None:
        return
    page_input = check_page(metadata.page, view.get("state", {}).get("values"), partial=True)
    try:
        await deps.store.save_answers(
            str(context.team_id),
            str(context.user_id),
            metadata.draft,
            page_input.answers,
            page=metadata.page,
            channel=metadata.channel,
        )
    except StoreError as error:
        raise UserFacingError(
            "I couldn't keep the answers on the page you closed; answers from earlier pages are kept",
            cause=Cause.STORAGE,
        ) from error


async def _update_view(client: AsyncWebClient, current: dict[str, Any], new_view: dict[str, Any]) -> None:
    try:
        await client.views_update(view_id=current["id"], hash=current.get("hash"), view=new_view)
    except SLACK_FAILURES as error:
        # hash_conflict: the person clicked twice and a newer view already won; not_found: they closed it.
        log.warning("questionnaire.update_failed", extra={"slack_error": slack_error(error)})


def register(app: AsyncApp) -> None:
    app.view_submission(ids.QUESTIONNAIRE_CALLBACK)(on_submit)
    app.view_closed(ids.QUESTIONNAIRE_CALLBACK)(on_close)
    app.action(ids.BACK)(on_back)
    app.action(ids.START_OVER)(on_start_over)
