"""Acknowledgements first: background work takes its turns while none is being prepared.

Posting a result (scoring it, building the message and its thread detail, two Web API calls) is the heaviest
thing the bot does, and it happens after the person's modal has closed: nobody waits on it to the
millisecond. Acknowledgements are waited on, within Slack's 3 seconds, and one process's event loop runs
both. Under a burst (a team finishing the form together) the results' CPU steps queued in front of the next
people's acknowledgements and doubled the slowest of them (README, "Performance").

So the listener runner (bot.server.bolt_seam) counts the acknowledgements being prepared, and background work
calls :meth:`Priority.turn` before it starts (``background()`` does): it goes on at once when none is being
prepared, and otherwise waits until none is, then goes one per turn of the event loop, so that a request
arriving meanwhile is read between two. None waits longer than ``longest``, so that results are still
posted under a load that never pauses. A second turn before a result's thread breakdown made results
slower without making acknowledgements faster (README, "Performance").
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

# Results being posted at once, per process: bounded so that they also leave the HTTP connection pool free
# for acknowledgements and modal openings.
PUBLISHING_AT_ONCE = 16
LONGEST_WAIT_SECONDS = 0.1


def _go(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_result(None)


class Priority:
    def __init__(self, *, at_once: int = PUBLISHING_AT_ONCE, longest: float = LONGEST_WAIT_SECONDS) -> None:
        self.preparing = 0  # acknowledgements being prepared
        self.longest = longest
        self._slots = asyncio.Semaphore(at_once)
        self._waiting: deque[asyncio.Future[None]] = deque()
        self._turn_scheduled = False

    @property
    def waiting(self) -> int:
        """Background steps waiting for their turn."""
        return len(self._waiting)

    def ack_started(self) -> None:
        self.preparing += 1

    def ack_sent(self) -> None:
        self.preparing -= 1
        if self.preparing == 0 and not self._turn_scheduled:
            self._next_turn()

    async def turn(self) -> None:
        """Return when no acknowledgement is being prepared (and those waiting before have had theirs)."""
        if self.preparing == 0 and not self._waiting:
            return
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[None] = loop.create_future()
        self._waiting.append(waiter)
        deadline = loop.call_later(self.longest, _go, waiter)
        if self.preparing == 0:
            self._schedule_turn()
        try:
            await waiter
        finally:
            deadline.cancel()
            # Let go by its deadline, or cancelled: no longer waiting, so it must not hold up later turns.
            with suppress(ValueError):
                self._waiting.remove(waiter)

    @asynccontextmanager
    async def background(self) -> AsyncIterator[None]:
        """One of the PUBLISHING_AT_ONCE slots, entered on a turn."""
        async with self._slots:
            await self.turn()
            yield

    def _schedule_turn(self) -> None:
        if not self._turn_scheduled:
            self._turn_scheduled = True
            asyncio.get_running_loop().call_soon(self._next_turn)

    def _next_turn(self) -> None:
        """Let the first waiter go, and the next one on the loop's next turn if still nothing is pending."""
        self._turn_scheduled = False
        if self.preparing:
            return
        while self._waiting:
            waiter = self._waiting.popleft()
            if not waiter.done():  # not already let go by its deadline, nor cancelled
                waiter.set_result(None)
                break
        if self._waiting:
            self._schedule_turn()
