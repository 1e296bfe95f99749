"""The App Home tab: start or resume, recent assessments and decisions."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.listeners.deps import deps_of
from bot.listeners.slack_calls import SLACK_FAILURES, slack_error
from bot.server.logs import log
from bot.storage.store import NEW_DRAFT
from bot.ui.home import home_view


async def on_home_opened(event: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext) -> None:
    if event.get("tab") != "home":
        return
    deps = deps_of(context)
    user, team = str(context.user_id), str(context.team_id)
    # A storage failure here propagates: the error handler publishes the Home tab that says so.
    draft = await deps.store.load_draft(team, user, NEW_DRAFT)
    recent = await deps.store.recent_assessments(team, user)
    decisions = await deps.store.team_decisions(team)
    view = home_view(draft, recent, decisions, await _workspace_url(client, context, team))
    try:
        await client.views_publish(user_id=user, view=view)
    except SLACK_FAILURES as error:
        log.warning("home.publish_failed", extra={"slack_error": slack_error(error)})


_workspace_urls: dict[str, str] = {}


async def _workspace_url(client: AsyncWebClient, context: AsyncBoltContext, team: str) -> str | None:
    """The workspace's https://….slack.com/ address, for links to messages (auth.test once per team)."""
    if context.authorize_result is not None and context.authorize_result.url:
        return str(context.authorize_result.url)
    if team not in _workspace_urls:
        try:
            response = await client.auth_test()
        except SLACK_FAILURES:
            return None
        _workspace_urls[team] = str(response.get("url") or "")
    return _workspace_urls[team] or None


def register(app: AsyncApp) -> None:
    app.event("app_home_opened")(on_home_opened)
