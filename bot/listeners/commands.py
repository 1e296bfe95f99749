"""The /llm-approach slash command."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot import ids
from bot.deps import Deps
from bot.listeners.questionnaire import open_questionnaire
from bot.messages import error_text

HELP = (
    "*/llm-approach* helps your team choose between prompt engineering, RAG, fine-tuning, or RAG with "
    "fine-tuning.\n"
    "• `/llm-approach` opens a short questionnaire (four pages); the recommendation is posted here.\n"
    "• `/llm-approach Project name` does the same with the project name filled in.\n"
    "• Your answers are saved at every step: close the form and run the command again to resume.\n"
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


def register(app: AsyncApp, deps: Deps) -> None:
    async def command(
        ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond
    ) -> None:
        await on_command(ack, body, client, respond, deps)

    app.command(ids.COMMAND)(command)
