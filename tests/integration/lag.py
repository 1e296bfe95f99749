"""How long the event loop that serves the app was kept from running: a ticker in the test process."""

from __future__ import annotations

import asyncio
import contextlib
import time
from types import TracebackType

TICK_SECONDS = 0.005


class LoopLag:
    """``async with LoopLag() as lag: ...``, then ``lag.worst``: the longest a tick came late, in seconds.

    The app is served by uvicorn on the test's own event loop, so anything that blocks that loop (CPU work in
    a listener, a synchronous call) delays this ticker by the same amount.
    """

    def __init__(self) -> None:
        self.worst = 0.0
        self._task: asyncio.Task[None] | None = None

    async def _tick(self) -> None:
        while True:
            due = time.perf_counter() + TICK_SECONDS
            await asyncio.sleep(TICK_SECONDS)
            self.worst = max(self.worst, time.perf_counter() - due)

    async def __aenter__(self) -> LoopLag:
        self._task = asyncio.get_running_loop().create_task(self._tick())
        await asyncio.sleep(0)
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        assert self._task is not None
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
