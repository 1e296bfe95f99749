"""The questionnaire modal: opening it, page submits, Back, Start over and closing."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot import ids
from bot.errors import Cause, UserFacingError, gone
from bot.listeners.deps import Deps, deps_of
from bot.listeners.permissions import edit_refused, may_edit
from bot.listeners.publishing import (
    announce_version,
    keep_answers,
    new_record,
    next_version,
    not_posted,
    publish_new,
)
from bot.listeners.rounds import submit_round_answers
from bot.listeners.slack_calls import SLACK_FAILURES, cause_of, open_view, slack_error, workspace_url
from bot.server.logs import log
from bot.storage.failures import StoreError
from bot.storage.models import NEW_DRAFT, Draft, StoredAssessment, new_instance
from bot.storage.store import AlreadyPosted, BeingPosted, DraftState, StaleBase
from bot.ui.conflicts import already_posted_view, being_posted_view, draft_gone_view, rebase
from bot.ui.forms import check_page, chosen_channel, first_incomplete_page
from bot.ui.home import permalink
from bot.ui.metadata import QuestionnaireMetadata
from bot.ui.notices import message_view
from bot.ui.questionnaire import questionnaire_view, resumed_note
from scoring import Answers
from scoring.questionnaire import PAGES

STALE_FORM = "This form is out of date. Close it and run `/llm-approach` again: your saved answers are kept."
EDITED_ELSEWHERE = (
    "You are editing these answers in another window too, and that edit is the one kept. "
    "Close this one and press *Edit answers* again to carry on with it."
)


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
        instance=(draft.instance if draft else None) or new_instance(),
    )
    view = questionnaire_view(metadata, answers, resumed_note=resumed_note(draft) if draft else None)
    await open_view(client, trigger_id, view, again="please run the command again")


def is_channel(conversation: str | None) -> bool:
    """A public or private channel (where a result's thread works), not a DM or nothing."""
    return bool(conversation) and str(conversation).startswith(("C", "G"))


async def _last_channel(deps: Deps, team: str, user: str) -> str | None:
    """The channel of the person's most recent result, as the default place to post the next one."""
    recent = await deps.store.recent_assessments(team, user)
    return next((record.channel for record in recent if is_channel(record.channel)), None)


def _with_chosen_channel(
    metadata: QuestionnaireMetadata, values: Any, errors: dict[str, str]
) -> QuestionnaireMetadata:
    """The last page of a start from Home or a DM carries "Post the result in": the channel chosen there."""
    channel = chosen_channel(values) or ""
    if not channel:
        errors[ids.POST_CHANNEL_BLOCK] = "Choose the channel to post the result in."
    return metadata.model_copy(update={"channel": channel})


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
    page_input = check_page(metadata.page, values, teammate=metadata.round is not None)
    last_page = metadata.page == PAGES[-1]
    if last_page and metadata.ask_channel:
        metadata = _with_chosen_channel(metadata, values, page_input.errors)
    channel = metadata.channel
    if page_input.errors:
        await ack(response_action="errors", errors=page_input.errors)
        return
    team, user = str(context.team_id), str(context.user_id)
    try:
        saved = await deps.store.save_answers(
            team,
            user,
            metadata.draft,
            page_input.answers,
            page=metadata.page if last_page else metadata.page + 1,
            channel=channel,
            cleared=tuple(page_input.cleared),
            instance=metadata.instance,
        )
    except StoreError as error:
        raise UserFacingError("I couldn't save this page", cause=Cause.STORAGE) from error
    if not isinstance(saved, Draft):
        await ack(response_action="update", view=await _elsewhere_view(saved, client, context, team))
        return
    draft = saved
    if draft.instance and draft.instance != metadata.instance:
        # Another window started this draft first: from now on this one is the same filling of it.
        metadata = metadata.model_copy(update={"instance": draft.instance})

    editing = metadata.editing
    if not last_page:
        next_view = questionnaire_view(metadata.on_page(metadata.page + 1), draft.answers, editing=editing)
        await ack(response_action="update", view=next_view)
        return

    incomplete = None if metadata.round is not None else first_incomplete_page(draft.answers)
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

    await _submit_answers(ack, client, context, metadata, draft)


async def _submit_answers(
    ack: AsyncAck,
    client: AsyncWebClient,
    context: AsyncBoltContext,
    metadata: QuestionnaireMetadata,
    draft: Draft,
) -> None:
    """Every page is answered: publish the edit as a new version, or post a new assessment."""
    if metadata.round_assessment is not None:
        await submit_round_answers(ack, client, context, metadata, draft)
        return
    deps = deps_of(context)
    team, user = str(context.team_id), str(context.user_id)
    answers = Answers.parse(draft.answers)
    if metadata.draft != NEW_DRAFT:
        record = await _edited_record(deps, team, metadata.draft)
        if record is not None:
            await _publish_edit(
                ack, client, deps, metadata=metadata, draft=draft, record=record, answers=answers, user=user
            )
            return
    try:
        elsewhere = await deps.store.set_aside_draft(team, user, metadata.draft, metadata.instance)
    except StoreError as error:
        raise UserFacingError(
            "I couldn't save your answers", cause=Cause.STORAGE, answers_kept=True
        ) from error
    if elsewhere is not None:
        await ack(response_action="update", view=await _elsewhere_view(elsewhere, client, context, team))
        return
    await ack(response_action="clear")
    try:
        async with deps.priority.background():
            record = new_record(team, metadata.channel or user, user, answers, deps.engine)
            await publish_new(client, deps.store, record, draft_id=metadata.draft, instance=metadata.instance)
    except UserFacingError:
        raise
    except Exception as error:
        # Whatever failed after the ack, the modal is gone: the answers go back to being the draft.
        kept = await keep_answers(deps.store, team, user, metadata.draft, metadata.instance)
        raise UserFacingError(not_posted(kept), cause=cause_of(error), answers_kept=kept) from error


async def _edited_record(deps: Deps, team: str, assessment_id: str) -> StoredAssessment | None:
    """The assessment an edit is for (None when it expired: the answers are then posted as a new one)."""
    try:
        return await deps.store.load_assessment(team, assessment_id)
    except StoreError as error:
        raise UserFacingError(
            "I couldn't load the assessment you are editing", cause=Cause.STORAGE, answers_kept=True
        ) from error


async def _publish_edit(
    ack: AsyncAck,
    client: AsyncWebClient,
    deps: Deps,
    *,
    metadata: QuestionnaireMetadata,
    draft: Draft,
    record: StoredAssessment,
    answers: Answers,
    user: str,
) -> None:
    """Store the edit as the next version before acknowledging, then announce it.

    Stored first so that nothing recorded meanwhile (a vote, a decision) can be overwritten by it, and so
    that an edit started from an older version than the latest is sent back to the form, brought up to
    date, instead of being published over a teammate's version.
    """
    if not may_edit(record, user):
        raise UserFacingError(edit_refused(record), cause=Cause.NOT_ALLOWED)
    if rebase(draft, record) is not None:
        await _ack_brought_up_to_date(ack, deps, metadata, draft, record, user=user)
        return
    version, result = next_version(record, answers, user, deps.engine)
    try:
        stored = await deps.store.add_version(record.team, record.id, version, result, base=record.version)
    except StaleBase as stale:
        await _ack_brought_up_to_date(ack, deps, metadata, draft, stale.latest, user=user)
        return
    except StoreError as error:
        raise UserFacingError(
            "I couldn't save the new version", cause=Cause.STORAGE, answers_kept=True
        ) from error
    if stored is None:
        raise gone()
    latest, votes = stored
    try:
        await deps.store.finish_draft(
            latest.team, user, metadata.draft, metadata.instance, f"{latest.channel} {latest.ts}"
        )
    except StoreError:
        # The version is stored; the draft is left over and the next Edit offers it as out of date.
        log.warning("version.draft_not_finished", extra={"assessment": latest.id})
    await ack(response_action="clear")
    async with deps.priority.background():
        await announce_version(client, record, latest, votes, user=user)


async def _ack_brought_up_to_date(
    ack: AsyncAck,
    deps: Deps,
    metadata: QuestionnaireMetadata,
    draft: Draft,
    latest: StoredAssessment,
    *,
    user: str,
) -> None:
    """A newer version was published since this edit started: the form goes back to page 1 with the
    person's changes applied to the latest answers, saying so. Nothing is published."""
    rebased = rebase(draft, latest)
    assert rebased is not None
    try:
        replaced = await deps.store.replace_draft(
            latest.team,
            user,
            metadata.draft,
            rebased.answers,
            page=PAGES[0],
            channel=latest.channel,
            base=latest.version,
            instance=metadata.instance,
        )
    except StoreError as error:
        raise UserFacingError(
            "I couldn't bring your edit up to date with the latest version", cause=Cause.STORAGE
        ) from error
    if not replaced:
        # Another window's edit of this assessment holds the draft now: it is left as it is.
        await ack(response_action="update", view=message_view("Out of date", EDITED_ELSEWHERE))
        return
    view = questionnaire_view(metadata.on_page(PAGES[0]), rebased.answers, editing=True, notice=rebased.note)
    await ack(response_action="update", view=view)


async def _elsewhere_view(
    state: DraftState, client: AsyncWebClient, context: AsyncBoltContext, team: str
) -> dict[str, Any]:
    """What a submit of answers that were already sent shows: where they went, not an error."""
    if isinstance(state, AlreadyPosted):
        link = permalink(await workspace_url(client, context, team), state.channel, state.ts)
        return already_posted_view(state.channel, link)
    if isinstance(state, BeingPosted):
        return being_posted_view()
    return draft_gone_view()


async def on_back(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
) -> None:
    await ack()
    deps = deps_of(context)
    view = body["view"]
    metadata = QuestionnaireMetadata.load(view.get("private_metadata"))
    if metadata is None or metadata.page == PAGES[0]:
        return
    page_input = check_page(
        metadata.page, view.get("state", {}).get("values"), partial=True, teammate=metadata.round is not None
    )
    try:
        draft = await deps.store.save_answers(
            str(context.team_id),
            str(context.user_id),
            metadata.draft,
            page_input.answers,
            page=metadata.page - 1,
            channel=metadata.channel,
            instance=metadata.instance,
        )
    except StoreError as error:
        raise UserFacingError("I couldn't save this page to go back", cause=Cause.STORAGE) from error
    if not isinstance(draft, Draft):
        await _update_view(client, view, await _elsewhere_view(draft, client, context, str(context.team_id)))
        return
    editing = metadata.editing
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
        # Only this form's own draft: a draft another form started meanwhile stays.
        await deps.store.discard_draft(
            str(context.team_id), str(context.user_id), metadata.draft, metadata.instance
        )
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
    page_input = check_page(
        metadata.page, view.get("state", {}).get("values"), partial=True, teammate=metadata.round is not None
    )
    try:
        await deps.store.save_answers(
            str(context.team_id),
            str(context.user_id),
            metadata.draft,
            page_input.answers,
            page=metadata.page,
            channel=metadata.channel,
            instance=metadata.instance,
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
