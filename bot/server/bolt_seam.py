"""The one module that reaches into Bolt's internals, for two speed-ups Bolt has no public hook for.

Everything else in the app uses Bolt's documented surface only (``tests/unit/test_layout.py`` checks it), and
``tests/unit/server/test_bolt_seam.py`` pins exactly what is relied on here: the names, their signatures and
their behaviour. ``make bolt-latest`` runs those tests against the newest Bolt 1.x, and pyproject bounds Bolt
to the versions they have passed on, so an upgrade that moves any of it fails there, not in production.

1. Sending each acknowledgement the moment a listener gives it. Bolt's asyncio runner starts the listener as
   a task, then polls ``ack.response`` every 10 ms until it is set (slack_bolt/listener/asyncio_runner.py).
   Every acknowledgement therefore waited for the next poll: up to 10 ms on an idle process, longer under
   load, since the poll's timer waits its turn behind whatever the loop is running. And a listener that goes
   on to CPU work after acknowledging (scoring and posting a result) held the acknowledgement until it next
   paused. Here the acknowledgement is a future the runner awaits, and giving it lets the runner send it
   before the listener goes on. Only the path our listeners take changes: acknowledged from a task, without
   lazy listeners, outside ``process_before_response``. Everything else, and every handler Bolt calls (start,
   error, completion), is Bolt's own. Relied on: ``AsyncApp._async_listener_runner`` (Bolt takes no runner
   as an argument), ``AsyncioListenerRunner``'s constructor and ``run``, ``AsyncAck.response`` being set by
   assignment, and ``AsyncListener``'s ``auto_acknowledgement``, ``ack_timeout``, ``lazy_functions`` and
   ``run_ack_function``.
2. Reading interaction payloads in C (``bot.server.requests``). ``SlackRequest`` gives Bolt a request whose
   body is already parsed; relied on: Bolt's ``parse_body`` for every other body and ``build_async_context``
   for the context, as ``AsyncBoltRequest.__init__`` uses them.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.listener.async_listener import AsyncListener
from slack_bolt.listener.asyncio_runner import AsyncioListenerRunner
from slack_bolt.logger.messages import warning_did_not_call_ack
from slack_bolt.request.async_internals import build_async_context
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.request.internals import parse_body as bolt_parse_body
from slack_bolt.response import BoltResponse

from bot.server.priority import Priority
from bot.server.requests import decode_interaction_payload


class PromptAck(AsyncAck):
    """Bolt's ``ack()``, which also resolves ``given`` with the first response it holds."""

    def __init__(self) -> None:
        self.given: asyncio.Future[BoltResponse | None] = asyncio.get_running_loop().create_future()
        self._response: BoltResponse | None = None
        super().__init__()  # type: ignore[no-untyped-call]  # Bolt leaves it unannotated

    @property  # Bolt declares a plain attribute; it is read and set the same way
    def response(self) -> BoltResponse | None:
        return self._response

    @response.setter
    def response(self, value: BoltResponse | None) -> None:
        self._response = value
        if value is not None and not self.given.done():
            self.given.set_result(value)

    async def __call__(self, *args: Any, **kwargs: Any) -> BoltResponse:
        response = await super().__call__(*args, **kwargs)
        # One turn of the loop: the runner, woken by ``given``, sends the response before we go on.
        await asyncio.sleep(0)
        return response


def _expire(given: asyncio.Future[BoltResponse | None]) -> None:
    if not given.done():
        given.set_result(None)


class PromptListenerRunner(AsyncioListenerRunner):
    """Bolt's asyncio listener runner, returning the acknowledgement when it is given, not when polled."""

    def __init__(self, *args: Any, priority: Priority, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.priority = priority
        self._listeners: set[asyncio.Task[None]] = set()  # the loop keeps only weak references to tasks

    @classmethod
    def replacing(cls, runner: AsyncioListenerRunner, priority: Priority) -> PromptListenerRunner:
        return cls(
            priority=priority,
            logger=runner.logger,
            process_before_response=runner.process_before_response,
            listener_error_handler=runner.listener_error_handler,
            listener_start_handler=runner.listener_start_handler,
            listener_completion_handler=runner.listener_completion_handler,
            lazy_listener_runner=runner.lazy_listener_runner,
        )

    async def run(
        self,
        request: AsyncBoltRequest,
        response: BoltResponse,
        listener_name: str,
        listener: AsyncListener,
        starting_time: float | None = None,
    ) -> BoltResponse | None:
        if self.process_before_response or request.lazy_only or listener.lazy_functions:
            return await super().run(request, response, listener_name, listener, starting_time)
        # Bolt creates the context's ack as soon as it builds any middleware's arguments; unused so far, it
        # is replaced. One already used (or not Bolt's) is left to Bolt.
        unused = request.context.get("ack")
        if unused is not None and (type(unused) is not AsyncAck or unused.response is not None):
            return await super().run(request, response, listener_name, listener, starting_time)
        self.priority.ack_started()
        try:
            return await self._acknowledged(request, response, listener_name, listener, starting_time)
        finally:
            self.priority.ack_sent()

    async def _acknowledged(
        self,
        request: AsyncBoltRequest,
        response: BoltResponse,
        listener_name: str,
        listener: AsyncListener,
        starting_time: float | None,
    ) -> BoltResponse | None:
        """Start the listener; its acknowledgement as soon as it is given (None if it never is)."""
        started = starting_time if starting_time is not None else time.time()
        ack = PromptAck()
        request.context["ack"] = ack
        if listener.auto_acknowledgement:
            await ack()
        task = asyncio.ensure_future(self._run_listener(ack, request, response, listener))
        self._listeners.add(task)
        task.add_done_callback(self._listeners.discard)

        remaining = max(0.0, listener.ack_timeout - (time.time() - started))
        deadline = asyncio.get_running_loop().call_later(remaining, _expire, ack.given)
        try:
            acknowledged = await ack.given
        finally:
            deadline.cancel()
        # As Bolt: a response the middleware prepared wins over the ack's, and stands in for a missing one.
        if response is not None:
            return response
        if acknowledged is None:
            self.logger.warning(warning_did_not_call_ack(listener_name))
        return acknowledged

    async def _run_listener(
        self,
        ack: PromptAck,
        request: AsyncBoltRequest,
        response: BoltResponse | None,
        listener: AsyncListener,
    ) -> None:
        """Bolt's ``run_ack_function_asynchronously``: the listener, then the error and completion handler."""
        try:
            await self.listener_start_handler.handle(request=request, response=response)
            await listener.run_ack_function(request=request, response=response)  # type: ignore[arg-type]
        except Exception as error:  # the error handler decides what the person is told
            if response is None:
                response = BoltResponse(status=500)
            response.status = 500
            if ack.given.done():
                # Already answered (acknowledged, or no longer awaited after ack_timeout): Slack has had its
                # reply, so the handler tells the person another way.
                response = None
            await self.listener_error_handler.handle(
                error=error,
                request=request,
                response=response,
            )
            ack.response = response  # the handler's reply, when the listener failed before acknowledging
        finally:
            await self.listener_completion_handler.handle(request=request, response=response)


def use_prompt_acks(app: AsyncApp, priority: Priority) -> None:
    """Give ``app`` this runner. Bolt takes none as an argument, so it replaces the one Bolt built, before
    any handler is registered on it."""
    app._async_listener_runner = PromptListenerRunner.replacing(app.listener_runner, priority)


def listeners(app: AsyncApp) -> Sequence[AsyncListener]:
    """The listeners registered on ``app``, in order (Bolt keeps them in a private list)."""
    return app._async_listeners


def parse_slack_body(body: str, content_type: str | None) -> dict[str, Any]:
    """What Bolt's ``parse_body`` returns for this body, faster for an interaction payload."""
    payload = decode_interaction_payload(body, content_type)
    return payload if payload is not None else bolt_parse_body(body, content_type)


class SlackRequest(AsyncBoltRequest):
    """An HTTP request to Bolt whose body is parsed by ``parse_slack_body``."""

    def __init__(
        self, *, body: str, query: dict[str, Sequence[str]], headers: dict[str, str | Sequence[str]]
    ):
        super().__init__(body="", query=query, headers=headers)
        self.raw_body = body  # what the signature is checked against
        self.body = parse_slack_body(body, self.content_type)
        self.context = build_async_context(AsyncBoltContext({}), self.body)
