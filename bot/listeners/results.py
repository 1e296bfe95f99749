"""Buttons on a posted result: edit answers, new assessment, votes, record a decision, export."""

from __future__ import annotations

import json
import time
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot import ids
from bot.blocks import escape, plain
from bot.deps import Deps
from bot.listeners.common import team_of, user_of
from bot.listeners.questionnaire import open_questionnaire
from bot.logs import log, new_error_id
from bot.messages import error_text, result_message
from bot.publishing import tell_user
from bot.records import decision_record
from bot.slack_errors import SLACK_FAILURES, SLACK_OR_STORE_FAILURES, slack_error
from bot.store import Decision, StoredAssessment, StoreError
from bot.views import ModalMetadata, questionnaire_view
from scoring import Approach
from scoring.models import APPROACHES

RATIONALE_LIMIT = 500
EXPORT_TEXT_LIMIT = 3800  # under chat.postMessage's 4,000-character guidance, with room for the fences
EXPIRED = (
    "That assessment is no longer stored (results are kept for a limited time). Run `/llm-approach` again."
)


def _where(body: dict[str, Any]) -> tuple[str, str | None]:
    channel = body.get("channel") or {}
    message = body.get("message") or {}
    return str(channel.get("id") or ""), message.get("thread_ts") or message.get("ts")


async def _load(
    client: AsyncWebClient, deps: Deps, body: dict[str, Any], assessment_id: str
) -> StoredAssessment | None:
    """The assessment a button belongs to, or None after telling the person why not."""
    channel, thread = _where(body)
    user = user_of(body)
    try:
        record = await deps.store.load_assessment(team_of(body), assessment_id)
    except StoreError:
        error_id = new_error_id()
        log.error("result.load_failed", extra={"error_id": error_id}, exc_info=True)
        await tell_user(client, channel, user, error_text("I can't reach my storage", error_id), thread)
        return None
    if record is None:
        await tell_user(client, channel, user, EXPIRED, thread)
    return record


def _action_value(body: dict[str, Any]) -> str:
    actions = body.get("actions") or [{}]
    return str(actions[0].get("value") or "")


async def on_edit(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, deps: Deps) -> None:
    await ack()
    record = await _load(client, deps, body, _action_value(body))
    if record is None:
        return
    team, user = team_of(body), user_of(body)
    try:
        draft = await deps.store.load_draft(team, user, record.id)
        if draft is None:
            await deps.store.replace_draft(
                team, user, record.id, record.answers, page=1, channel=record.channel
            )
        answers = draft.answers if draft else record.answers
    except StoreError:
        error_id = new_error_id()
        log.error("edit.draft_failed", extra={"error_id": error_id}, exc_info=True)
        await tell_user(
            client, record.channel, user, error_text("I can't reach my storage", error_id), record.ts
        )
        return
    metadata = ModalMetadata(d=record.id, c=record.channel, p=1)
    try:
        await client.views_open(
            trigger_id=body["trigger_id"], view=questionnaire_view(metadata, answers, editing=True)
        )
    except SLACK_FAILURES as error:
        error_id = new_error_id()
        log.error("edit.open_failed", extra={"error_id": error_id, "slack_error": slack_error(error)})
        await tell_user(
            client, record.channel, user, error_text("Slack didn't let me open the form", error_id), record.ts
        )


async def on_new(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, deps: Deps) -> None:
    await ack()
    channel, thread = _where(body)
    error_id = await open_questionnaire(
        client, deps, trigger_id=body["trigger_id"], team=team_of(body), user=user_of(body), channel=channel
    )
    if error_id:
        await tell_user(
            client, channel, user_of(body), error_text("Slack didn't let me open the form", error_id), thread
        )


async def on_vote(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, deps: Deps, vote: str) -> None:
    await ack()
    team, user = team_of(body), user_of(body)
    channel, _ = _where(body)
    message_ts = str((body.get("message") or {}).get("ts") or "")
    try:
        record, votes = await deps.store.cast_vote(team, _action_value(body), user, vote)
    except StoreError:
        error_id = new_error_id()
        log.error("vote.failed", extra={"error_id": error_id}, exc_info=True)
        await tell_user(client, channel, user, error_text("I couldn't record your vote", error_id))
        return
    if record is None:
        await tell_user(client, channel, user, EXPIRED)
        return
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
            return
        if latest == votes:
            break
        votes = latest
    log.info("vote.recorded", extra={"assessment": record.id, "votes": len(votes)})


def decision_view(record: StoredAssessment) -> dict[str, Any]:
    options = [{"text": plain(a.label, 75), "value": a.value} for a in APPROACHES]
    current = record.decision.approach if record.decision else record.result.approach.value
    return {
        "type": "modal",
        "callback_id": ids.DECISION_CALLBACK,
        "private_metadata": json.dumps({"a": record.id}),
        "title": plain("Record decision", 24),
        "submit": plain("Record", 24),
        "close": plain("Cancel", 24),
        "blocks": [
            {
                "type": "section",
                "text": {
                    "type": "mrkdwn",
                    "text": f"Recommended: *{record.result.approach.label}*. Record what the team adopts, "
                    "even if it differs.",
                },
            },
            {
                "type": "input",
                "block_id": ids.DECISION_APPROACH_BLOCK,
                "label": plain("Approach adopted"),
                "element": {
                    "type": "static_select",
                    "action_id": ids.ANSWER,
                    "options": options,
                    "initial_option": next(o for o in options if o["value"] == current),
                },
            },
            {
                "type": "input",
                "block_id": ids.DECISION_RATIONALE_BLOCK,
                "label": plain("Why"),
                "hint": plain("A sentence or two for the record."),
                "element": {
                    "type": "plain_text_input",
                    "action_id": ids.ANSWER,
                    "multiline": True,
                    "max_length": RATIONALE_LIMIT,
                    "initial_value": record.decision.rationale if record.decision else "",
                },
            },
        ],
    }


async def on_record_decision(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, deps: Deps) -> None:
    await ack()
    record = await _load(client, deps, body, _action_value(body))
    if record is None:
        return
    try:
        await client.views_open(trigger_id=body["trigger_id"], view=decision_view(record))
    except SLACK_FAILURES as error:
        error_id = new_error_id()
        log.warning("decision.open_failed", extra={"error_id": error_id, "slack_error": slack_error(error)})
        text = error_text("Slack didn't let me open the decision form; press the button again", error_id)
        await tell_user(client, record.channel, user_of(body), text, record.ts)


async def on_decision_submit(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, deps: Deps) -> None:
    view = body["view"]
    values = view.get("state", {}).get("values", {})
    try:
        assessment_id = str(json.loads(view.get("private_metadata") or "{}")["a"])
        chosen = values[ids.DECISION_APPROACH_BLOCK][ids.ANSWER]["selected_option"]["value"]
        rationale = str(values[ids.DECISION_RATIONALE_BLOCK][ids.ANSWER].get("value") or "").strip()
    except (KeyError, TypeError, ValueError):
        await ack(
            response_action="errors", errors={ids.DECISION_APPROACH_BLOCK: "Choose the approach adopted."}
        )
        return
    if chosen not in {a.value for a in APPROACHES}:
        await ack(
            response_action="errors", errors={ids.DECISION_APPROACH_BLOCK: "Choose one of the options shown."}
        )
        return
    if not rationale or len(rationale) > RATIONALE_LIMIT:
        message = (
            "Please say why, in a sentence or two."
            if not rationale
            else f"At most {RATIONALE_LIMIT} characters."
        )
        await ack(response_action="errors", errors={ids.DECISION_RATIONALE_BLOCK: message})
        return
    team, user = team_of(body), user_of(body)
    try:
        record = await deps.store.load_assessment(team, assessment_id)
    except StoreError:
        error_id = new_error_id()
        await ack(
            response_action="errors",
            errors={
                ids.DECISION_RATIONALE_BLOCK: f"I can't reach my storage (error id {error_id}); try again."
            },
        )
        return
    if record is None or record.ts is None:
        await ack(response_action="errors", errors={ids.DECISION_APPROACH_BLOCK: EXPIRED})
        return
    await ack(response_action="clear")
    decided = record.model_copy(
        update={"decision": Decision(approach=chosen, rationale=rationale, by=user, at=time.time())}
    )
    try:
        await deps.store.save_assessment(decided)
        votes = await deps.store.votes(team, record.id)
        label = Approach(chosen).label
        differs = (
            ""
            if chosen == record.result.approach.value
            else f" (the recommendation was {record.result.approach.label})"
        )
        await client.chat_postMessage(
            channel=record.channel,
            thread_ts=record.ts,
            text=(
                f":white_check_mark: *Decision recorded: {label}*{differs}, by <@{user}>.\n"
                f">{escape(rationale)}"
            ),
        )
        await client.chat_update(channel=record.channel, ts=record.ts, **result_message(decided, votes))
    except SLACK_OR_STORE_FAILURES as error:
        error_id = new_error_id()
        log.error("decision.failed", extra={"error_id": error_id, "error_type": type(error).__name__})
        await tell_user(
            client, record.channel, user, error_text("I couldn't record the decision", error_id), record.ts
        )
        return
    log.info("decision.recorded", extra={"assessment": record.id, "approach": chosen})


async def on_export(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, deps: Deps) -> None:
    await ack()
    record = await _load(client, deps, body, _action_value(body))
    if record is None or record.ts is None:
        return
    try:
        votes = await deps.store.votes(record.team, record.id)
    except StoreError:
        votes = {}
    markdown = decision_record(record, votes, {})
    slug = "".join(
        c if c.isalnum() else "-" for c in record.answers.get("project_name", "project").lower()
    ).strip("-")
    try:
        await client.files_upload_v2(
            channel=record.channel,
            thread_ts=record.ts,
            content=markdown,
            filename=f"decision-record-{slug or 'project'}.md",
            title=f"Decision record: {record.answers.get('project_name', 'project')}",
        )
    except SLACK_FAILURES as error:
        # Without files:write (or with uploads disabled) the record still reaches the thread, as text.
        log.warning("export.upload_failed", extra={"slack_error": slack_error(error)})
        shown = markdown if len(markdown) <= EXPORT_TEXT_LIMIT else markdown[:EXPORT_TEXT_LIMIT] + "\n…"
        try:
            await client.chat_postMessage(channel=record.channel, thread_ts=record.ts, text=f"```{shown}```")
        except SLACK_FAILURES as fallback_error:
            error_id = new_error_id()
            log.error(
                "export.failed", extra={"error_id": error_id, "slack_error": slack_error(fallback_error)}
            )
            text = error_text("I couldn't post the decision record", error_id)
            await tell_user(client, record.channel, user_of(body), text, record.ts)


def register(app: AsyncApp, deps: Deps) -> None:
    async def edit(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await on_edit(ack, body, client, deps)

    async def new(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await on_new(ack, body, client, deps)

    async def agree(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await on_vote(ack, body, client, deps, "agree")

    async def disagree(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await on_vote(ack, body, client, deps, "disagree")

    async def record_decision(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await on_record_decision(ack, body, client, deps)

    async def decision_submit(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await on_decision_submit(ack, body, client, deps)

    async def export(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await on_export(ack, body, client, deps)

    app.action(ids.EDIT_ANSWERS)(edit)
    app.action(ids.NEW_ASSESSMENT)(new)
    app.action(ids.HOME_NEW_ASSESSMENT)(new)
    app.action(ids.HOME_RESUME)(new)
    app.action(ids.VOTE_AGREE)(agree)
    app.action(ids.VOTE_DISAGREE)(disagree)
    app.action(ids.RECORD_DECISION)(record_decision)
    app.view_submission(ids.DECISION_CALLBACK)(decision_submit)
    app.action(ids.EXPORT_RECORD)(export)
