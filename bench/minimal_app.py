"""The floor: a Bolt app that only acknowledges, served the same way (uvicorn, Bolt's ASGI adapter).

It answers the slash command with an empty 200 and opens a one-page modal, and acks each page submit with
an update to a small view, so the benchmark's requests take the same path through Bolt as ours do. For a
fair floor it gets the process tuning the bot's web process has, from the same code: the GC thresholds, the
GIL switch interval and the frozen start-up objects (``bot.server.runtime``), the SDK loggers' levels
(``bot.server.logs``) and one pooled HTTP session for the Web API (``bot.server.web``). What it keeps of
Bolt's own is what the bot replaces: the listener runner and the body parser (``bot.server.bolt_seam``).
"""

from __future__ import annotations

import os
from typing import Any

import uvicorn
from slack_bolt.adapter.asgi.async_handler import AsyncSlackRequestHandler
from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.server import logs
from bot.server.runtime import freeze_startup_objects, prepare_process
from bot.server.web import Receive, Scope, Send, close_http_session, open_http_session
from bot.ui.metadata import QuestionnaireMetadata
from bot.ui.questionnaire import questionnaire_view

app = AsyncApp(
    client=AsyncWebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"]),
    signing_secret=os.environ["SLACK_SIGNING_SECRET"],
)
bolt_handler = AsyncSlackRequestHandler(app)


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


async def serve(scope: Scope, receive: Receive, send: Send) -> None:
    """Bolt's ASGI adapter, with the bot's pooled Web API session opened at start-up, closed at shutdown."""
    if scope["type"] != "lifespan":
        await bolt_handler(scope, receive, send)
        return
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await open_http_session(app)
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await close_http_session(app)
            await send({"type": "lifespan.shutdown.complete"})
            return


def tune_process() -> None:
    """What ``python -m bot web`` does to its process before serving."""
    prepare_process()
    logs.configure(os.environ.get("LOG_LEVEL", "WARNING"))
    freeze_startup_objects()


if __name__ == "__main__":
    tune_process()
    uvicorn.run(
        serve,
        host="127.0.0.1",
        port=int(os.environ["PORT"]),
        log_config=None,
        access_log=False,
        lifespan="on",
    )
