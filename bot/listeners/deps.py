"""What listeners need besides Bolt's own arguments, handed to them in Bolt's context."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import cast

from slack_bolt.async_app import AsyncApp, AsyncBoltContext

from bot.storage.store import Store
from scoring import Engine

_CONTEXT_KEY = "llm_approach.deps"


# Results being posted at once, per process. Posting a result (scoring it, building the message and its
# thread detail, two Web API calls) is the heaviest thing the bot does, and it happens after the person's
# modal has closed: nobody is waiting on it to the millisecond. Acknowledgements and modal openings are
# waited on, within Slack's 3 seconds; bounding the posts in flight keeps the event loop and the HTTP
# connection pool free for them under load (README, "Performance").
PUBLISHING_AT_ONCE = 16


@dataclass(frozen=True)
class Deps:
    store: Store
    engine: Engine
    publishing: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(PUBLISHING_AT_ONCE))


def provide(app: AsyncApp, deps: Deps) -> None:
    """Put the store and the engine in every request's context, so listeners are plain functions."""

    async def inject(context: AsyncBoltContext, next: Callable[[], Awaitable[None]]) -> None:
        context[_CONTEXT_KEY] = deps
        await next()

    app.use(inject)


def deps_of(context: AsyncBoltContext) -> Deps:
    return cast(Deps, context[_CONTEXT_KEY])
