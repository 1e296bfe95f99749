"""The /llm-approach slash command: open the questionnaire, help, or forget my data (after a confirmation)."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot import ids
from bot.errors import Cause, UserFacingError
from bot.listeners.deps import deps_of
from bot.listeners.questionnaire import open_questionnaire
from bot.listeners.reviews import delete_reviews
from bot.listeners.rounds import repaint
from bot.server.logs import log
from bot.storage.failures import StoreError
from bot.ui.notices import FORGET_CANCELLED, forget_question, forget_text, help_text


async def on_command(
    ack: AsyncAck,
    command: dict[str, Any],
    client: AsyncWebClient,
    respond: AsyncRespond,
    context: AsyncBoltContext,
) -> None:
    text = str(command.get("text") or "").strip()
    team, user = str(context.team_id), str(context.user_id)
    if text.lower() in {"help", "?"}:
        await ack(text=help_text())
        return
    if text.lower() == "forget":
        # Deleting is for good (decisions included): ask first, and delete only on the confirm button.
        await ack(**forget_question())
        return
    await ack()
    await open_questionnaire(
        client,
        deps_of(context),
        trigger_id=str(command["trigger_id"]),
        team=team,
        user=user,
        channel=str(context.channel_id or ""),
        project_name=text,
    )


async def on_forget_confirmed(
    ack: AsyncAck, respond: AsyncRespond, client: AsyncWebClient, context: AsyncBoltContext
) -> None:
    await ack()
    deps = deps_of(context)
    team, user = str(context.team_id), str(context.user_id)
    try:
        done = await deps.store.forget_user(team, user)
    except StoreError as error:
        raise UserFacingError("I couldn't delete all of your data", cause=Cause.STORAGE) from error
    # Reviews Slack holds for what was deleted, or that would mention them, go too.
    reviews = await delete_reviews(client, done.reviews)
    log.info(
        "forget.done",
        extra={
            "drafts": done.drafts,
            "deleted": done.deleted,
            "anonymised": done.anonymised,
            "reviews": reviews,
        },
    )
    text = forget_text(done.drafts, done.deleted, done.anonymised)
    await respond(text=text, replace_original=True, response_type="ephemeral")
    # Team rounds they answered no longer show them (their answers are gone from the comparison too).
    for assessment_id in done.rounds:
        await repaint(client, deps, team, assessment_id)


async def on_forget_cancelled(ack: AsyncAck, respond: AsyncRespond) -> None:
    await ack()
    await respond(text=FORGET_CANCELLED, replace_original=True, response_type="ephemeral")


def register(app: AsyncApp) -> None:
    app.command(ids.COMMAND)(on_command)
    app.action(ids.FORGET_CONFIRM)(on_forget_confirmed)
    app.action(ids.FORGET_CANCEL)(on_forget_cancelled)
