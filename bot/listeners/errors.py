"""The last line of defence: an error no listener handled is logged with an id, never shown as a trace."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.response import BoltResponse

from bot.logs import log, new_error_id


async def on_unhandled_error(error: Exception, body: dict[str, Any]) -> BoltResponse:
    error_id = new_error_id()
    log.error(
        "listener.unhandled_error",
        extra={"error_id": error_id, "payload_type": body.get("type") or body.get("command")},
        exc_info=error,
    )
    # A 200 stops Slack retrying an event we already failed on; the user-facing paths report their own errors.
    return BoltResponse(status=200, body="")


def register(app: AsyncApp) -> None:
    app.error(on_unhandled_error)
