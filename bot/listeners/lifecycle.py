"""Uninstalls and a revoked bot token: the workspace's installation and all its data are deleted.

``tokens_revoked`` also arrives when a person revokes their own (user) OAuth token; that is not an uninstall,
so only an event that lists bot tokens removes anything.
"""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.web.async_client import AsyncWebClient

from bot.listeners.deps import deps_of
from bot.listeners.reviews import delete_reviews
from bot.server.logs import log


def bot_token_revoked(event: dict[str, Any]) -> bool:
    """Whether a tokens_revoked event names the bot's token (``tokens.bot``), not only people's."""
    tokens = event.get("tokens")
    return isinstance(tokens, dict) and bool(tokens.get("bot"))


def register(app: AsyncApp, installations: AsyncInstallationStore | None) -> None:
    async def remove_workspace(
        body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
    ) -> None:
        event = body.get("event") or {}
        if event.get("type") == "tokens_revoked" and not bot_token_revoked(event):
            log.info("workspace.user_token_revoked", extra={"team": body.get("team_id")})
            return
        team = str(body.get("team_id") or "")
        enterprise = body.get("enterprise_id")
        store = deps_of(context).store
        # First, while the token may still be accepted: the reviews Slack holds for the workspace. Once
        # Slack has revoked it, it refuses (logged), and what it holds is out of the app's reach.
        pending = [record.review async for record in store.team_assessments(team) if record.review]
        reviews = await delete_reviews(client, pending)
        if installations is not None:
            await installations.async_delete_all(enterprise_id=enterprise, team_id=team)
        deleted = await store.forget_team(team)
        log.info(
            "workspace.removed",
            extra={
                "team": team,
                "keys": deleted,
                "slack_event": event.get("type"),
                "reviews": f"{reviews} of {len(pending)}",
            },
        )

    app.event("app_uninstalled")(remove_workspace)
    app.event("tokens_revoked")(remove_workspace)
