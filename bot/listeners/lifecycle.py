"""Uninstalls and revoked tokens: the workspace's installation and all its data are deleted."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore

from bot.listeners.deps import deps_of
from bot.server.logs import log


def register(app: AsyncApp, installations: AsyncInstallationStore | None) -> None:
    async def remove_workspace(body: dict[str, Any], context: AsyncBoltContext) -> None:
        team = str(body.get("team_id") or "")
        enterprise = body.get("enterprise_id")
        if installations is not None:
            await installations.async_delete_all(enterprise_id=enterprise, team_id=team)
        deleted = await deps_of(context).store.forget_team(team)
        log.info(
            "workspace.removed",
            extra={"team": team, "keys": deleted, "slack_event": body.get("event", {}).get("type")},
        )

    app.event("app_uninstalled")(remove_workspace)
    app.event("tokens_revoked")(remove_workspace)
