"""Background work waits while acknowledgements are being prepared, then goes one step per loop turn."""

from __future__ import annotations

import asyncio

from bot.server.priority import Priority


async def _turns(count: int) -> None:
    for _ in range(count):
        await asyncio.sleep(0)


def _started(priority: Priority, order: list[str], name: str) -> asyncio.Task[None]:
    async def step() -> None:
        await priority.turn()
        order.append(name)

    return asyncio.ensure_future(step())


def test_with_no_acknowledgement_pending_a_turn_is_taken_without_waiting() -> None:
    turn = Priority().turn()
    try:
        turn.send(None)
    except StopIteration:
        return  # finished on its first step: it never suspended
    raise AssertionError("turn() waited although nothing was pending")


async def test_background_waits_until_the_acknowledgement_is_sent() -> None:
    priority = Priority()
    order: list[str] = []
    priority.ack_started()
    task = _started(priority, order, "result")
    await _turns(5)
    assert order == []
    priority.ack_sent()
    await task
    assert order == ["result"]


async def test_waiting_steps_go_one_per_turn_in_order_and_stop_when_a_request_arrives() -> None:
    priority = Priority()
    order: list[str] = []
    priority.ack_started()
    tasks = [_started(priority, order, name) for name in ("first", "second", "third")]
    await _turns(2)
    priority.ack_sent()
    await _turns(1)
    assert order == ["first"]  # one step, then the loop reads the network before the next
    priority.ack_started()  # another person's request arrives
    await _turns(5)
    assert order == ["first", "second"]  # the one already let go; the third waits for the reply
    priority.ack_sent()
    await asyncio.gather(*tasks)
    assert order == ["first", "second", "third"]


async def test_a_step_goes_after_the_longest_wait_even_if_requests_never_stop() -> None:
    priority = Priority(longest=0.01)
    order: list[str] = []
    priority.ack_started()  # never sent
    await asyncio.wait_for(_started(priority, order, "result"), timeout=5)
    assert order == ["result"]


async def test_steps_let_go_by_their_deadline_leave_nothing_behind_under_endless_load() -> None:
    priority = Priority(longest=0.001)
    priority.ack_started()  # never sent: the load never pauses
    for _ in range(50):
        await asyncio.wait_for(priority.turn(), timeout=5)
    assert priority.waiting == 0


async def test_a_cancelled_step_does_not_hold_up_the_next() -> None:
    priority = Priority()
    order: list[str] = []
    priority.ack_started()
    cancelled = _started(priority, order, "cancelled")
    waiting = _started(priority, order, "waiting")
    await _turns(2)
    cancelled.cancel()
    await _turns(1)
    assert priority.waiting == 1
    priority.ack_sent()
    await asyncio.wait_for(waiting, timeout=5)
    assert order == ["waiting"]
    assert priority.waiting == 0


async def test_background_slots_are_bounded() -> None:
    priority = Priority(at_once=1)
    inside: list[str] = []
    release = asyncio.Event()

    async def publish(name: str) -> None:
        async with priority.background():
            inside.append(name)
            await release.wait()

    tasks = [asyncio.ensure_future(publish(name)) for name in ("a", "b")]
    await _turns(5)
    assert inside == ["a"]
    release.set()
    await asyncio.gather(*tasks)
    assert inside == ["a", "b"]
