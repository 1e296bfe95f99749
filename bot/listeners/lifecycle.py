"""Uninstalls and a revoked bot token: the installation and all the data it covers are deleted.

``tokens_revoked`` also arrives when a person revokes their own (user) OAuth token; that is not an uninstall,
so only an event that lists bot tokens removes anything.

Enterprise Grid: an organisation can install the app once for all its workspaces (``is_enterprise_install``).
Its data stays per workspace, so each request from a workspace of such an installation notes the workspace
in the organisation's list (once per process); uninstalling from the organisation then removes the one
installation and every listed workspace's data, and ``team_access_revoked`` (the organisation took the app
away from some workspaces) removes those workspaces' data and keeps the installation. A workspace installed
on its own, inside an organisation or not, is removed alone.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.web.async_client import AsyncWebClient

from bot.listeners.deps import deps_of
from bot.listeners.reviews import delete_reviews
from bot.server.logs import log
from bot.storage.failures import StoreError
from bot.storage.models import PendingReview

REMOVING_EVENTS = frozenset({"app_uninstalled", "tokens_revoked"})


def bot_token_revoked(event: dict[str, Any]) -> bool:
    """Whether a tokens_revoked event names the bot's token (``tokens.bot``), not only people's."""
    tokens = event.get("tokens")
    return isinstance(tokens, dict) and bool(tokens.get("bot"))


def is_org_wide(context: AsyncBoltContext) -> bool:
    """Whether the request comes under an organisation's installation rather than a workspace's."""
    return bool(context.enterprise_id) and (bool(context.is_enterprise_install) or not context.team_id)


def register(app: AsyncApp, installations: AsyncInstallationStore | None) -> None:
    noted: set[tuple[str, str]] = set()  # (organisation, workspace) pairs this process has listed

    async def note_org_workspace(
        body: dict[str, Any], context: AsyncBoltContext, next: Callable[[], Awaitable[None]]
    ) -> None:
        enterprise, team = context.enterprise_id, context.team_id
        removing = (body.get("event") or {}).get("type") in REMOVING_EVENTS
        pair = (enterprise, team) if enterprise and team and context.is_enterprise_install else None
        if pair and not removing and pair not in noted:
            try:
                await deps_of(context).store.remember_enterprise_team(*pair)
                noted.add(pair)
            except StoreError:  # the listener reports Redis being down; try again next request
                log.warning("workspace.org_listing_failed", extra={"enterprise": enterprise})
        await next()

    async def pending_reviews(teams: list[str], context: AsyncBoltContext) -> list[PendingReview]:
        store = deps_of(context).store
        return [
            record.review for team in teams async for record in store.team_assessments(team) if record.review
        ]

    async def remove_installation(
        body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
    ) -> None:
        event = body.get("event") or {}
        if event.get("type") == "tokens_revoked" and not bot_token_revoked(event):
            log.info("workspace.user_token_revoked", extra={"team": context.team_id})
            return
        store = deps_of(context).store
        enterprise, team = context.enterprise_id, context.team_id
        # First, while the token may still be accepted: the reviews Slack holds for the workspaces. Once
        # Slack has revoked it, it refuses (logged), and what it holds is out of the app's reach.
        if enterprise and is_org_wide(context):
            pending = await pending_reviews(sorted(await store.enterprise_teams(enterprise)), context)
            reviews = await delete_reviews(client, pending)
            if installations is not None:
                await installations.async_delete_all(enterprise_id=enterprise, team_id=None)
            deleted = await store.forget_enterprise(enterprise)
            noted.difference_update({pair for pair in noted if pair[0] == enterprise})
            log.info(
                "organisation.removed",
                extra={
                    "enterprise": enterprise,
                    "keys": deleted,
                    "slack_event": event.get("type"),
                    "reviews": f"{reviews} of {len(pending)}",
                },
            )
            return
        team = str(team or body.get("team_id") or "")
        pending = await pending_reviews([team], context)
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

    async def remove_org_workspaces(event: dict[str, Any], context: AsyncBoltContext) -> None:
        enterprise = context.enterprise_id
        teams = [str(team) for team in event.get("team_ids") or [] if team]
        if not enterprise or not teams:
            return
        deleted = await deps_of(context).store.forget_enterprise_teams(enterprise, teams)
        noted.difference_update({(enterprise, team) for team in teams})
        log.info(
            "organisation.workspaces_removed",
            extra={"enterprise": enterprise, "teams": len(teams), "keys": deleted},
        )

    app.use(note_org_workspace)
    app.event("app_uninstalled")(remove_installation)
    app.event("tokens_revoked")(remove_installation)
    app.event("team_access_revoked")(remove_org_workspaces)
