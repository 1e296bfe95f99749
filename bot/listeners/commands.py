"""The /llm-approach slash command."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot import ids
from bot.deps import Deps
from bot.listeners.questionnaire import open_questionnaire
from bot.logs import log, new_error_id
from bot.messages import error_text
from bot.store import StoreError

HELP = (
    "*/llm-approach* helps your team choose between prompt engineering, RAG, fine-tuning, or RAG with "
    "fine-tuning.\n"
    "• `/llm-approach` opens a short questionnaire (four pages); the recommendation is posted here.\n"
    "• `/llm-approach Project name` does the same with the project name filled in.\n"
    "• Your answers are saved at every step: close the form and run the command again to resume.\n"
    "• `/llm-approach forget` deletes your drafts and the assessments you started.\n"
    "• In the result's thread, mention me: `what if labeled_examples is 5000_plus`, `why`, "
    "`compare rag and fine-tuning`, `help`."
)


async def on_command(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond, deps: Deps
) -> None:
    text = str(body.get("text") or "").strip()
    if text.lower() in {"help", "?"}:
        await ack(text=HELP)
        return
    if text.lower() == "forget":
        await ack()
        await respond(text=await forget(deps, str(body.get("team_id") or ""), str(body.get("user_id") or "")))
        return
    await ack()
    error_id = await open_questionnaire(
        client,
        deps,
        trigger_id=str(body["trigger_id"]),
        team=str(body.get("team_id") or ""),
        user=str(body.get("user_id") or ""),
        channel=str(body.get("channel_id") or ""),
        project_name=text,
    )
    if error_id:
        await respond(
            text=error_text("Slack didn't let me open the form; please run the command again", error_id)
        )


async def forget(deps: Deps, team: str, user: str) -> str:
    try:
        drafts, assessments = await deps.store.forget_user(team, user)
    except StoreError:
        error_id = new_error_id()
        log.error("forget.failed", extra={"error_id": error_id}, exc_info=True)
        return error_text("I couldn't delete your data right now", error_id).replace(
            "Your answers are saved; t", "T"
        )
    log.info("forget.done", extra={"drafts": drafts, "assessments": assessments})
    return (
        f"Deleted {drafts} draft{'s' if drafts != 1 else ''} and {assessments} "
        f"assessment{'s' if assessments != 1 else ''} (with their votes and decisions) that you started. "
        "Messages already posted stay in their channels; delete them in Slack if you need to."
    )


def register(app: AsyncApp, deps: Deps) -> None:
    async def command(
        ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond
    ) -> None:
        await on_command(ack, body, client, respond, deps)

    app.command(ids.COMMAND)(command)
