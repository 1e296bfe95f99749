"""The listener runner sends each acknowledgement when it is given, and keeps Bolt's rules on failures."""

from __future__ import annotations

import asyncio
import logging
from typing import Any
from urllib.parse import urlencode

import pytest
from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from bot.server import runtime
from bot.server.acks import PromptListenerRunner, use_prompt_acks
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

    app._async_listeners[-1].ack_timeout = 0.05  # Bolt's 3 seconds, shortened for the test
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

    app._async_listeners[-1].ack_timeout = 0.02
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

    app._async_listeners[-1].ack_timeout = 0.02
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
    assert web.bolt._async_listeners
    assert all(not listener.lazy_functions for listener in web.bolt._async_listeners)


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
    assert seen == [1, 0]
    assert priority.preparing == 0
