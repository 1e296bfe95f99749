"""How long the event loop that serves the app was kept from running: a ticker in the test process."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import time
from types import TracebackType

TICK_SECONDS = 0.005


class LoopLag:
    """``async with LoopLag() as lag: ...``, then ``lag.worst``: the longest this process kept its event loop
    from running, in seconds.

    The app is served by uvicorn on the test's own event loop, so anything that blocks that loop (CPU work in
    a listener, a synchronous call, a worker thread holding the GIL) delays this ticker by the same amount.
    A tick can also come late because the machine gave the CPU to other processes (CI runs Redis servers and
    more on two cores); that is not the app's doing. So a late tick counts only as much as this process used
    the CPU meanwhile: ``min(lateness, process CPU time spent since the tick was scheduled)``.
    ``wall_worst`` keeps the raw lateness, for messages.
    """

    def __init__(self) -> None:
        self.worst = 0.0
        self.wall_worst = 0.0
        self._task: asyncio.Task[None] | None = None

    async def _tick(self) -> None:
        while True:
            due = time.perf_counter() + TICK_SECONDS
            cpu = time.process_time()
            await asyncio.sleep(TICK_SECONDS)
            late = time.perf_counter() - due
            self.wall_worst = max(self.wall_worst, late)
            self.worst = max(self.worst, min(late, time.process_time() - cpu))

    async def __aenter__(self) -> LoopLag:
        # The test process also holds pytest's and hypothesis's objects, many more than the app's: a full
        # garbage collection over them is a stall of the harness, not of the app. Frozen objects are left
        # out of collections while the lag is measured.
        gc.collect()
        gc.freeze()
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
        gc.unfreeze()
