"""Listener registration: one module per surface, each with register(app, deps)."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore

from bot.deps import Deps
from bot.listeners import commands, errors, events, lifecycle, questionnaire, results


def register_listeners(
    app: AsyncApp, deps: Deps, installations: AsyncInstallationStore | None = None
) -> None:
    errors.register(app)
    commands.register(app, deps)
    questionnaire.register(app, deps)
    results.register(app, deps)
    events.register(app, deps)
    lifecycle.register(app, deps, installations)
