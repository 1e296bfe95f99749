"""Uninstalls and revoked tokens: the workspace's installation and all its data are deleted."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore

from bot.deps import Deps
from bot.logs import log
from bot.store import StoreError


def register(app: AsyncApp, deps: Deps, installations: AsyncInstallationStore | None) -> None:
    async def remove_workspace(body: dict[str, Any]) -> None:
        team = str(body.get("team_id") or "")
        enterprise = body.get("enterprise_id")
        try:
            if installations is not None:
                await installations.async_delete_all(enterprise_id=enterprise, team_id=team)
            deleted = await deps.store.forget_team(team)
        except StoreError:
            log.error("workspace.remove_failed", extra={"team": team}, exc_info=True)
            raise
        log.info(
            "workspace.removed",
            extra={"team": team, "keys": deleted, "event": body.get("event", {}).get("type")},
        )

    app.event("app_uninstalled")(remove_workspace)
    app.event("tokens_revoked")(remove_workspace)
