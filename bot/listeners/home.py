"""The App Home tab: start or resume, the person's recent assessments and the decisions they took part in;
for workspace admins, how the workspace's decisions turned out."""

from __future__ import annotations

import asyncio
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.listeners.deps import deps_of
from bot.listeners.slack_calls import SLACK_FAILURES, slack_error, workspace_url
from bot.server.logs import log
from bot.storage.models import NEW_DRAFT
from bot.ui.home import home_view
from bot.ui.report import home_learning_blocks, learning


async def on_home_opened(event: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext) -> None:
    if event.get("tab") != "home":
        return
    deps = deps_of(context)
    user, team = str(context.user_id), str(context.team_id)
    # A storage failure here propagates: the error handler publishes the Home tab that says so.
    # Redis and Slack at once: the tab is published as soon as the slowest of them answers.
    draft, recent, decisions, admin, url = await asyncio.gather(
        deps.store.load_draft(team, user, NEW_DRAFT),
        deps.store.recent_assessments(team, user),
        deps.store.decisions_involving(team, user),
        is_admin(client, user),
        workspace_url(client, context, team),
    )
    learned = home_learning_blocks(learning(await deps.store.decided_facts(team))) if admin else None
    view = home_view(draft, recent, decisions, url, learned)
    try:
        await client.views_publish(user_id=user, view=view)
    except SLACK_FAILURES as error:
        log.warning("home.publish_failed", extra={"slack_error": slack_error(error)})


async def is_admin(client: AsyncWebClient, user: str) -> bool:
    """Whether Slack says the person administers the workspace (users.info, under users:read)."""
    try:
        response = await client.users_info(user=user)
    except SLACK_FAILURES as error:
        log.info("home.admin_check_failed", extra={"slack_error": slack_error(error)})
        return False
    person = response.get("user") or {}
    return bool(person.get("is_admin") or person.get("is_owner"))


def register(app: AsyncApp) -> None:
    app.event("app_home_opened")(on_home_opened)
