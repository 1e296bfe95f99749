"""Thin Bolt listeners: acknowledge first, then call the store, the engine and the pure builders.

One module per surface, each with ``register(app)``; ``deps`` puts the store and the engine in Bolt's
context; ``reporting`` is the single error handler that
tells people about every failure. ``publishing`` and ``slack_calls`` are the steps several listeners share;
``permissions`` says who may edit an assessment or record its decision (and its outcome: ``reviews``);
``lookup`` finds the assessment a button belongs to.

May import: ``bot.ui``, ``bot.storage``, ``bot.server.logs``/``metrics``, ``bot.errors``, ``bot.ids``,
``scoring``. Never ``bot.devkit``.
"""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore

from bot.listeners import (
    commands,
    decision,
    home,
    lifecycle,
    mentions,
    questionnaire,
    reporting,
    results,
    reviews,
    rounds,
)
from bot.listeners.deps import Deps, provide


def register_listeners(
    app: AsyncApp, deps: Deps, installations: AsyncInstallationStore | None = None
) -> None:
    provide(app, deps)
    reporting.register(app)
    commands.register(app)
    questionnaire.register(app)
    results.register(app)
    decision.register(app)
    reviews.register(app)
    rounds.register(app)
    mentions.register(app)
    home.register(app)
    lifecycle.register(app, installations)
