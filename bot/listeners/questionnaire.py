"""The questionnaire modal: opening it, page submits, Back, Start over and closing."""

from __future__ import annotations

import time
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot import ids
from bot.deps import Deps
from bot.forms import check_page, first_incomplete_page
from bot.listeners.common import team_of, user_of
from bot.logs import log, new_error_id
from bot.publishing import new_record, publish_new, publish_version
from bot.slack_errors import SLACK_FAILURES, slack_error
from bot.store import NEW_DRAFT, Draft, StoreError
from bot.views import ModalMetadata, message_view, questionnaire_view
from scoring import Answers
from scoring.questionnaire import PAGES, questions_on_page

STALE_FORM = "This form is out of date. Close it and run `/llm-approach` again: your saved answers are kept."


def resumed_note(draft: Draft) -> str:
    answered = sum(1 for key in draft.answers if key != "project_name")
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(draft.updated)) if draft.updated else "earlier"
    return f":floppy_disk: Picking up your draft from {when} ({answered} answers saved)."


async def open_questionnaire(
    client: AsyncWebClient,
    deps: Deps,
    *,
    trigger_id: str,
    team: str,
    user: str,
    channel: str,
    project_name: str = "",
) -> str | None:
    """Open the modal for a new assessment, resuming the person's draft if there is one.

    The trigger_id dies 3 seconds after the click, so this does one Redis read and then views.open.
    Returns an error id when Slack refused to open it (the caller tells the person), else None.
    """
    try:
        draft = await deps.store.load_draft(team, user, NEW_DRAFT)
    except StoreError:
        error_id = new_error_id()
        log.error("questionnaire.draft_unavailable", extra={"error_id": error_id}, exc_info=True)
        view = message_view(
            "Can't start right now",
            ":warning: I can't reach my storage, so I can't load or save answers. "
            "Please try again in a minute.",
            error_id=error_id,
        )
    else:
        answers = dict(draft.answers) if draft else {}
        if project_name:
            answers["project_name"] = project_name[:80]
        metadata = ModalMetadata(d=NEW_DRAFT, c=channel, p=draft.page if draft else PAGES[0])
        view = questionnaire_view(metadata, answers, resumed_note=resumed_note(draft) if draft else None)
    try:
        await client.views_open(trigger_id=trigger_id, view=view)
    except SLACK_FAILURES as error:
        error_id = new_error_id()
        log.error(
            "questionnaire.open_failed", extra={"error_id": error_id, "slack_error": slack_error(error)}
        )
        return error_id
    return None


async def on_submit(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, deps: Deps) -> None:
    view = body["view"]
    metadata = ModalMetadata.load(view.get("private_metadata", ""))
    if metadata is None:
        await ack(response_action="update", view=message_view("Out of date", STALE_FORM))
        return
    page_input = check_page(metadata.page, view.get("state", {}).get("values"))
    if page_input.errors:
        await ack(response_action="errors", errors=page_input.errors)
        return
    team, user = team_of(body), user_of(body)
    last_page = metadata.page == PAGES[-1]
    try:
        draft = await deps.store.save_answers(
            team,
            user,
            metadata.draft,
            page_input.answers,
            page=metadata.page if last_page else metadata.page + 1,
            channel=metadata.channel,
            cleared=tuple(page_input.cleared),
        )
    except StoreError:
        error_id = new_error_id()
        log.error(
            "questionnaire.save_failed", extra={"error_id": error_id, "page": metadata.page}, exc_info=True
        )
        first_block = questions_on_page(metadata.page)[0].id
        message = (
            f"I couldn't save this page (storage unavailable, error id {error_id}). "
            "Nothing is lost: press the button again in a moment."
        )
        await ack(response_action="errors", errors={first_block: message})
        return

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
            resumed_note=":warning: Some answers on this page are missing; please answer them again.",
        )
        await ack(response_action="update", view=back_view)
        return

    answers = Answers.parse(draft.answers)
    try:
        await deps.store.set_aside_draft(team, user, metadata.draft)
    except StoreError:
        error_id = new_error_id()
        log.error("questionnaire.submit_failed", extra={"error_id": error_id}, exc_info=True)
        first_block = questions_on_page(metadata.page)[0].id
        await ack(
            response_action="errors",
            errors={
                first_block: f"I couldn't save your answers (error id {error_id}). Press the button again."
            },
        )
        return
    await ack(response_action="clear")
    if editing:
        record = await deps.store.load_assessment(team, metadata.draft)
        if record is not None:
            await publish_version(
                client, deps.store, deps.engine, record, answers=answers, user=user, draft_id=metadata.draft
            )
            return
    record = new_record(team, metadata.channel or user, user, answers, deps.engine)
    await publish_new(client, deps.store, record, draft_id=metadata.draft)


async def on_back(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, deps: Deps) -> None:
    await ack()
    view = body["view"]
    metadata = ModalMetadata.load(view.get("private_metadata", ""))
    if metadata is None or metadata.page == PAGES[0]:
        return
    page_input = check_page(metadata.page, view.get("state", {}).get("values"), partial=True)
    team, user = team_of(body), user_of(body)
    editing = metadata.draft != NEW_DRAFT
    try:
        draft = await deps.store.save_answers(
            team, user, metadata.draft, page_input.answers, page=metadata.page - 1, channel=metadata.channel
        )
        new_view = questionnaire_view(metadata.on_page(metadata.page - 1), draft.answers, editing=editing)
    except StoreError:
        error_id = new_error_id()
        log.error("questionnaire.back_failed", extra={"error_id": error_id}, exc_info=True)
        # Stay on this page with what the person entered, and say why.
        note = (
            f":warning: I couldn't save or load your answers (error id `{error_id}`). "
            "Try Back again in a moment."
        )
        new_view = questionnaire_view(metadata, page_input.answers, editing=editing, resumed_note=note)
    await _update_view(client, view, new_view)


async def on_start_over(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, deps: Deps) -> None:
    await ack()
    view = body["view"]
    metadata = ModalMetadata.load(view.get("private_metadata", ""))
    if metadata is None:
        return
    try:
        await deps.store.delete_draft(team_of(body), user_of(body), metadata.draft)
    except StoreError:
        error_id = new_error_id()
        log.error("questionnaire.start_over_failed", extra={"error_id": error_id}, exc_info=True)
        await _update_view(
            client,
            view,
            message_view("Can't start over", ":warning: I can't reach my storage.", error_id=error_id),
        )
        return
    await _update_view(client, view, questionnaire_view(metadata.on_page(PAGES[0]), {}))


async def on_close(ack: AsyncAck, body: dict[str, Any], deps: Deps) -> None:
    """Keep what was entered on the open page, so the next /llm-approach resumes it."""
    await ack()
    view = body["view"]
    metadata = ModalMetadata.load(view.get("private_metadata", ""))
    if metadata is None:
        return
    page_input = check_page(metadata.page, view.get("state", {}).get("values"), partial=True)
    try:
        await deps.store.save_answers(
            team_of(body),
            user_of(body),
            metadata.draft,
            page_input.answers,
            page=metadata.page,
            channel=metadata.channel,
        )
    except StoreError:
        log.error("questionnaire.close_save_failed", extra={"error_id": new_error_id()}, exc_info=True)


async def _update_view(client: AsyncWebClient, current: dict[str, Any], new_view: dict[str, Any]) -> None:
    try:
        await client.views_update(view_id=current["id"], hash=current.get("hash"), view=new_view)
    except SLACK_FAILURES as error:
        # hash_conflict: the person clicked twice and a newer view already won; not_found: they closed it.
        log.warning("questionnaire.update_failed", extra={"slack_error": slack_error(error)})


def register(app: AsyncApp, deps: Deps) -> None:
    async def submit(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await on_submit(ack, body, client, deps)

    async def back(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await on_back(ack, body, client, deps)

    async def start_over(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await on_start_over(ack, body, client, deps)

    async def closed(ack: AsyncAck, body: dict[str, Any]) -> None:
        await on_close(ack, body, deps)

    app.view_submission(ids.QUESTIONNAIRE_CALLBACK)(submit)
    app.view_closed(ids.QUESTIONNAIRE_CALLBACK)(closed)
    app.action(ids.BACK)(back)
    app.action(ids.START_OVER)(start_over)
