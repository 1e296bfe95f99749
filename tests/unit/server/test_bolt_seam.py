"""The contract with Bolt's internals (bot.server.bolt_seam): every private name, signature and behaviour
the seam relies on, so that a Bolt release which moves one fails here (``make bolt-latest`` runs these
against the newest Bolt 1.x). Then the seam's own behaviour: each acknowledgement is sent when it is given,
Bolt's rules on failures are kept, and lazy listeners and ``process_before_response`` get Bolt's runner."""

from __future__ import annotations

import asyncio
import inspect
import json
import logging
from collections.abc import Sequence
from importlib.metadata import version
from typing import Any
from urllib.parse import urlencode

import pytest
from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from bot.server import bolt_seam, runtime
from bot.server.bolt_seam import PromptAck, PromptListenerRunner, listeners, use_prompt_acks
from bot.server.priority import Priority
from bot.settings import load_settings


async def _authorize(**_: Any) -> AuthorizeResult:
    return AuthorizeResult(
        enterprise_id=None, team_id="T1", bot_token="xoxb-test", bot_user_id="UB", bot_id="B1"
    )


def _app(priority: Priority | None = None) -> AsyncApp:
    app = AsyncApp(
        client=AsyncWebClient(token="xoxb-test"),
        authorize=_authorize,
        signing_secret="unused",
        request_verification_enabled=False,
    )
    use_prompt_acks(app, priority or Priority())
    return app


def _command() -> AsyncBoltRequest:
    body = urlencode({"command": "/x", "team_id": "T1", "user_id": "U1", "channel_id": "C1", "text": ""})
    return AsyncBoltRequest(body=body, headers={"content-type": ["application/x-www-form-urlencoded"]})


def test_the_bolt_under_test_is_named() -> None:
    """So a run's output says which Bolt the contract held for (``make bolt-latest`` prints it too)."""
    assert version("slack-bolt").startswith("1.")


# The contract: what bot.server.bolt_seam takes from Bolt beyond its documented surface.


def test_the_app_keeps_its_runner_where_the_seam_replaces_it() -> None:
    app = AsyncApp(client=AsyncWebClient(token="xoxb-test"), authorize=_authorize, signing_secret="s")
    assert isinstance(app._async_listener_runner, bolt_seam.AsyncioListenerRunner)
    assert app.listener_runner is app._async_listener_runner
    use_prompt_acks(app, Priority())
    assert isinstance(app.listener_runner, PromptListenerRunner)


async def test_dispatch_goes_through_the_replaced_runner() -> None:
    """Bolt reads the runner from the attribute on every request, not from a copy taken when it was built."""
    app = _app()
    runs: list[str] = []
    runner = app.listener_runner
    original = runner.run

    async def spy(*args: Any, **kwargs: Any) -> BoltResponse | None:
        runs.append("ours")
        return await original(*args, **kwargs)

    runner.run = spy  # type: ignore[method-assign]

    @app.command("/x")
    async def listener(ack: AsyncAck) -> None:
        await ack()

    assert (await app.async_dispatch(_command())).status == 200
    assert runs == ["ours"]


def test_the_runner_is_built_from_the_arguments_the_seam_copies() -> None:
    parameters = inspect.signature(bolt_seam.AsyncioListenerRunner.__init__).parameters
    copied = {
        "logger",
        "process_before_response",
        "listener_error_handler",
        "listener_start_handler",
        "listener_completion_handler",
        "lazy_listener_runner",
    }
    assert set(parameters) - {"self"} == copied  # a new argument would be silently left at nothing
    runner = _app().listener_runner
    assert all(getattr(runner, name, None) is not None for name in copied - {"process_before_response"})


def test_the_runner_is_called_with_the_arguments_the_seam_takes() -> None:
    run = inspect.signature(bolt_seam.AsyncioListenerRunner.run).parameters
    ours = inspect.signature(PromptListenerRunner.run).parameters
    assert (
        list(run)
        == list(ours)
        == ["self", "request", "response", "listener_name", "listener", "starting_time"]
    )


async def test_ack_sets_its_response_by_assignment() -> None:
    """The seam's ``PromptAck`` learns of the acknowledgement through the ``response`` attribute's setter."""
    assert "response" in inspect.get_annotations(bolt_seam.AsyncAck)
    ack = PromptAck()
    assert ack.response is None and not ack.given.done()
    await ack("on it")
    assert ack.given.done()
    given = ack.given.result()
    assert given is ack.response and given is not None and given.body == "on it"


def test_listeners_carry_what_the_runner_reads() -> None:
    app = _app()

    @app.command("/x")
    async def listener(ack: AsyncAck) -> None:
        await ack()

    registered = listeners(app)[-1]
    assert isinstance(registered, bolt_seam.AsyncListener)
    assert registered.auto_acknowledgement is False
    assert registered.ack_timeout == 3
    assert list(registered.lazy_functions) == []
    assert {"request", "response"} <= set(inspect.signature(registered.run_ack_function).parameters)


async def test_the_context_holds_bolts_own_unused_ack_when_the_runner_starts() -> None:
    """The seam replaces only an ack Bolt made and nobody used; anything else sends it to Bolt's slow path."""
    app = _app()
    seen: list[object] = []
    runner = app.listener_runner
    original = runner.run

    async def spy(request: AsyncBoltRequest, *args: Any, **kwargs: Any) -> BoltResponse | None:
        ack = request.context.get("ack")
        seen.append((type(ack), getattr(ack, "response", "missing")))
        return await original(request, *args, **kwargs)

    runner.run = spy  # type: ignore[method-assign]

    @app.command("/x")
    async def listener(ack: AsyncAck) -> None:
        await ack()

    await app.async_dispatch(_command())
    assert seen == [(bolt_seam.AsyncAck, None)]


def test_the_missing_ack_warning_names_the_listener() -> None:
    message = bolt_seam.warning_did_not_call_ack("on_command")
    assert "on_command" in message and "ack()" in message


def test_the_request_is_built_as_bolt_builds_it() -> None:
    """``SlackRequest`` repeats the end of ``AsyncBoltRequest.__init__`` with its own parser: same result."""
    assert list(inspect.signature(bolt_seam.build_async_context).parameters) == ["context", "body"]
    assert list(inspect.signature(bolt_seam.bolt_parse_body).parameters) == ["body", "content_type"]
    payload = {
        "type": "block_actions",
        "team": {"id": "T1", "enterprise_id": "E1"},
        "enterprise": {"id": "E1"},
        "is_enterprise_install": True,
        "user": {"id": "U1", "team_id": "T1"},
        "channel": {"id": "C1"},
        "response_url": "https://hooks.slack.test/r",
    }
    body = urlencode({"payload": json.dumps(payload)})
    headers: dict[str, str | Sequence[str]] = {"content-type": "application/x-www-form-urlencoded"}
    ours = bolt_seam.SlackRequest(body=body, query={}, headers=headers)
    bolts = AsyncBoltRequest(body=body, query={}, headers=headers)
    assert (ours.raw_body, ours.body, ours.content_type) == (bolts.raw_body, bolts.body, bolts.content_type)
    assert dict(ours.context) == dict(bolts.context)
    assert (ours.lazy_only, ours.lazy_function_name, ours.mode) == (False, None, "http")


async def test_lazy_listeners_keep_bolts_runner_and_their_work_continues() -> None:
    app = _app()
    worked = asyncio.Event()

    async def acknowledge(ack: AsyncAck) -> None:
        await ack("taken")

    async def work() -> None:
        worked.set()

    app.command("/x")(ack=acknowledge, lazy=[work])
    response = await app.async_dispatch(_command())
    assert (response.status, response.body) == (200, "taken")
    await asyncio.wait_for(worked.wait(), timeout=5)


async def test_process_before_response_keeps_bolts_runner() -> None:
    priority = Priority()
    app = AsyncApp(
        client=AsyncWebClient(token="xoxb-test"),
        authorize=_authorize,
        signing_secret="unused",
        request_verification_enabled=False,
        process_before_response=True,
    )
    use_prompt_acks(app, priority)
    order: list[str] = []

    @app.command("/x")
    async def listener(ack: AsyncAck) -> None:
        await ack("done")
        order.append("after ack")

    response = await app.async_dispatch(_command())
    assert (response.status, response.body) == (200, "done")
    assert order == ["after ack"]  # Bolt's rule: the listener finishes before the reply
    assert priority.preparing == 0


# The seam's behaviour.


async def test_the_acknowledgement_is_sent_before_the_listener_goes_on() -> None:
    """What a listener does after ``ack()`` (scoring and posting a result) never delays the reply to Slack."""
    app = _app()
    finished = asyncio.Event()
    reply_sent_when_ack_returned: list[bool] = []
    dispatch: asyncio.Task[BoltResponse]

    @app.command("/x")
    async def listener(ack: AsyncAck) -> None:
        await ack("on it")
        reply_sent_when_ack_returned.append(dispatch.done())
        finished.set()

    dispatch = asyncio.ensure_future(app.async_dispatch(_command()))
    await finished.wait()
    assert reply_sent_when_ack_returned == [True]
    assert dispatch.result().status == 200
    assert dispatch.result().body == "on it"


async def test_a_failure_before_the_acknowledgement_gets_the_error_handlers_reply() -> None:
    app = _app()

    @app.command("/x")
    async def listener(ack: AsyncAck) -> None:
        raise RuntimeError("broken")

    @app.error
    async def on_error(error: Exception, response: BoltResponse | None) -> BoltResponse:
        assert response is not None  # not acknowledged yet: the handler's reply is the acknowledgement
        return BoltResponse(status=200, body="sorry")

    response = await app.async_dispatch(_command())
    assert (response.status, response.body) == (200, "sorry")


async def test_a_failure_after_the_acknowledgement_keeps_it_and_is_handled() -> None:
    app = _app()
    handled: list[BoltResponse | None] = []

    @app.command("/x")
    async def listener(ack: AsyncAck) -> None:
        await ack("on it")
        raise RuntimeError("broken after acknowledging")

    @app.error
    async def on_error(error: Exception, response: BoltResponse | None) -> None:
        handled.append(response)

    response = await app.async_dispatch(_command())
    assert (response.status, response.body) == (200, "on it")
    for _ in range(5):  # the error handler runs in the listener's task, after the reply
        await asyncio.sleep(0)
    assert handled == [None]  # None: already acknowledged, the person is told another way


async def test_a_listener_that_never_acknowledges_is_reported_after_its_timeout(
    caplog: pytest.LogCaptureFixture,
) -> None:
    app = _app()
    release = asyncio.Event()

    @app.command("/x")
    async def listener(ack: AsyncAck) -> None:
        await release.wait()

    listeners(app)[-1].ack_timeout = 0.05  # Bolt's 3 seconds, shortened for the test
    with caplog.at_level(logging.WARNING):
        response = await app.async_dispatch(_command())
    release.set()
    assert response.status == 404  # no acknowledgement: nothing else handles it
    assert any("ack()" in record.getMessage() for record in caplog.records)


async def test_a_failure_after_the_runner_stopped_waiting_is_told_another_way() -> None:
    """Past ack_timeout Slack has had its reply (none): the error handler gets no response to fill in."""
    app = _app()
    handled: list[BoltResponse | None] = []
    failed = asyncio.Event()

    @app.command("/x")
    async def listener(ack: AsyncAck) -> None:
        await asyncio.sleep(0.1)
        raise RuntimeError("too late")

    @app.error
    async def on_error(error: Exception, response: BoltResponse | None) -> None:
        handled.append(response)
        failed.set()

    listeners(app)[-1].ack_timeout = 0.02
    response = await app.async_dispatch(_command())
    await asyncio.wait_for(failed.wait(), timeout=5)
    assert response.status == 404
    assert handled == [None]


async def test_a_response_prepared_by_middleware_stands_in_for_a_missing_acknowledgement(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """As in Bolt: middleware that calls next() and returns a response has it sent, and nothing is wrong."""
    app = _app()

    @app.middleware
    async def prepared(next: Any) -> BoltResponse:
        await next()
        return BoltResponse(status=200, body="from middleware")

    @app.command("/x")
    async def listener(ack: AsyncAck) -> None:
        return None  # never acknowledges

    listeners(app)[-1].ack_timeout = 0.02
    caplog.clear()  # building the app warns that the token is unused
    with caplog.at_level(logging.WARNING):
        response = await app.async_dispatch(_command())
    assert (response.status, response.body) == (200, "from middleware")
    assert not [record for record in caplog.records if record.levelno >= logging.WARNING]


def test_the_bot_uses_this_runner_on_every_listener() -> None:
    """Lazy listeners or process_before_response would fall back to Bolt's polling runner unnoticed."""
    web = runtime.build_web_app(load_settings({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}))
    assert isinstance(web.bolt.listener_runner, PromptListenerRunner)
    assert not web.bolt.process_before_response
    assert listeners(web.bolt)
    assert all(not listener.lazy_functions for listener in listeners(web.bolt))


async def test_acknowledgements_being_prepared_are_counted_until_sent() -> None:
    priority = Priority()
    app = _app(priority)
    seen: list[int] = []

    @app.command("/x")
    async def listener(ack: AsyncAck) -> None:
        seen.append(priority.preparing)
        await ack()
        seen.append(priority.preparing)

    await app.async_dispatch(_command())
    await asyncio.sleep(0)
    assert seen == [1, 0]  # also proves the fast path was taken: Bolt's own runner counts nothing
    assert priority.preparing == 0
