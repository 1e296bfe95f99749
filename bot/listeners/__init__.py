"""Listener registration: one module per surface, each with register(app, deps)."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.deps import Deps
from bot.listeners import commands, errors, events, questionnaire, results


def register_listeners(app: AsyncApp, deps: Deps) -> None:
    errors.register(app)
    commands.register(app, deps)
    questionnaire.register(app, deps)
    results.register(app, deps)
    events.register(app, deps)
