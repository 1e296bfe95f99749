"""The floor: a Bolt app that only acknowledges, served the same way (uvicorn, Bolt's ASGI adapter).

It answers the slash command with an empty 200 and opens a one-page modal, and acks each page submit with
an update to a small view, so the benchmark's requests take the same path through Bolt as ours do.
"""

from __future__ import annotations

import os
from typing import Any

import uvicorn
from slack_bolt.adapter.asgi.async_handler import AsyncSlackRequestHandler
from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.ui.metadata import QuestionnaireMetadata
from bot.ui.questionnaire import questionnaire_view

app = AsyncApp(
    client=AsyncWebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"]),
    signing_secret=os.environ["SLACK_SIGNING_SECRET"],
)


@app.command("/llm-approach")
async def command(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
    await ack()
    view = questionnaire_view(QuestionnaireMetadata(d="new", c=body["channel_id"], p=1), {})
    await client.views_open(trigger_id=body["trigger_id"], view=view)


@app.view("llm_approach.questionnaire")
async def submit(ack: AsyncAck, body: dict[str, Any]) -> None:
    metadata = QuestionnaireMetadata.load(body["view"]["private_metadata"])
    assert metadata is not None
    if metadata.page < 4:
        await ack(response_action="update", view=questionnaire_view(metadata.on_page(metadata.page + 1), {}))
    else:
        await ack(response_action="clear")


if __name__ == "__main__":
    uvicorn.run(
        AsyncSlackRequestHandler(app), host="127.0.0.1", port=int(os.environ["PORT"]), log_level="warning"
    )
