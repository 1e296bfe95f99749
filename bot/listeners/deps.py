"""What listeners need besides Bolt's own arguments, handed to them in Bolt's context."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import cast

from slack_bolt.async_app import AsyncApp, AsyncBoltContext

from bot.review_policy import ReviewPolicy
from bot.server.priority import Priority
from bot.storage.store import Store
from scoring import Engine

_CONTEXT_KEY = "llm_approach.deps"


@dataclass(frozen=True)
class Deps:
    store: Store
    engine: Engine
    reviews: ReviewPolicy = field(default_factory=ReviewPolicy)
    # Shared with the listener runner, which counts the acknowledgements being prepared.
    priority: Priority = field(default_factory=Priority)


def provide(app: AsyncApp, deps: Deps) -> None:
    """Put the store and the engine in every request's context, so listeners are plain functions."""

    async def inject(context: AsyncBoltContext, next: Callable[[], Awaitable[None]]) -> None:
        context[_CONTEXT_KEY] = deps
        await next()

    app.use(inject)


def deps_of(context: AsyncBoltContext) -> Deps:
    return cast(Deps, context[_CONTEXT_KEY])
