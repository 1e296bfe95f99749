"""Forged or stale requests, a Redis outage, and Slack failures: told clearly, nothing lost, still serving."""

from __future__ import annotations

import json
import re
import time

import aiohttp
from redis import Redis

from bot.devkit.simulator import SlackSimulator
from bot.devkit.standin import SlackStandIn
from bot.storage.keys import draft_key
from bot.storage.store import NEW_DRAFT
from tests.conftest import SIGNING_SECRET, RedisProcess, app_env, serve, shutdown
from tests.integration.helpers import SUPPORT_BOT, complete, open_edit, post_result


async def test_unsigned_forged_and_stale_requests_get_401(
    slack: SlackSimulator, standin: SlackStandIn
) -> None:
    body = "command=%2Fllm-approach&user_id=UANA&team_id=T0STANDIN&trigger_id=1.2.3&channel_id=C1"
    unsigned = await slack.post(body, "application/x-www-form-urlencoded", signed=False)
    assert unsigned.status == 401
    forged = await slack.post(
        body,
        "application/x-www-form-urlencoded",
        signed=False,
        headers={"X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": "v0=" + "0" * 64},
    )
    assert forged.status == 401
    stale = await slack.post(body, "application/x-www-form-urlencoded", timestamp=int(time.time()) - 6 * 60)
    assert stale.status == 401
    assert not standin.calls_to("views.open")


async def test_malformed_bodies_get_4xx_not_5xx(slack: SlackSimulator) -> None:
    for body, content_type in [
        ("payload=%7Bnot-json", "application/x-www-form-urlencoded"),
        ("{not json", "application/json"),
        ("payload=" + json.dumps({"type": "unknown_payload_type"}), "application/x-www-form-urlencoded"),
        ("", "application/x-www-form-urlencoded"),
    ]:
        reply = await slack.post(body, content_type)
        assert 400 <= reply.status < 500, (body, reply.status, reply.text)
    too_big = await slack.post("x" * (2 * 1024 * 1024), "application/x-www-form-urlencoded")
    assert too_big.status == 413


async def test_health_is_200_when_redis_answers(slack: SlackSimulator) -> None:
    async with aiohttp.ClientSession() as session, session.get(slack.app_url + "/healthz") as response:
        assert response.status == 200
    async with aiohttp.ClientSession() as session, session.get(slack.app_url + "/nope") as response:
        assert response.status == 404


async def test_a_redis_outage_is_told_to_the_user_and_loses_nothing(
    private_redis: RedisProcess, standin: SlackStandIn
) -> None:
    app = await serve(app_env(private_redis.url, standin))
    try:
        async with SlackSimulator(app.url, SIGNING_SECRET, standin) as slack:
            modal = await slack.open_modal("UANA", "CPROJ")
            modal.fill(SUPPORT_BOT)
            await modal.submit()  # page 1 saved before the outage
            modal.fill(SUPPORT_BOT)

            private_redis.stop()
            reply = await modal.submit()
            body = reply.json()
            assert reply.status == 200
            # Not an error under one question, as if that answer were wrong: a view over the page says what
            # failed, and closing it shows the page with what the person entered.
            assert body["response_action"] == "push"
            told = json.dumps(modal.pushed[-1])
            assert "error id" in told.lower() and "storage" in told and "still on the page" in told
            assert "answers are saved" not in told  # this page was not saved: never claim it was
            error_id = re.search(r"`([0-9A-F]{8})`", told)
            assert error_id and told.count(error_id.group(1)) == 1  # said once
            modal.close_pushed()
            assert modal.title == "Step 2 of 4"
            assert modal.shown("knowledge_need") == SUPPORT_BOT["knowledge_need"]

            async with aiohttp.ClientSession() as session, session.get(app.url + "/healthz") as health:
                assert health.status == 503

            assert (await slack.slash_command("UBEN", "CPROJ")).status == 200
            told = (await standin.wait_for("response_url"))[0].args
            assert told["response_type"] == "ephemeral"
            assert "storage" in told["text"] and "error id" in told["text"]
            assert len(standin.calls_to("views.open")) == 1  # only the first modal opened

            private_redis.start()
            async with aiohttp.ClientSession() as session, session.get(app.url + "/healthz") as health:
                assert health.status == 200
            reply = await modal.submit()  # the same press again, now that Redis is back
            assert reply.json()["response_action"] == "update"
            await modal.press("llm_approach.back")
            await modal.press("llm_approach.back")
            assert modal.shown("project_name") == "Support assistant"  # saved before the outage
    finally:
        await shutdown(app)


async def test_slack_errors_while_posting_are_reported_and_keep_the_draft(
    slack: SlackSimulator, standin: SlackStandIn, redis: Redis
) -> None:
    standin.fail("chat.postMessage", "fatal_error")
    modal = await slack.open_modal("UANA", "CPROJ")
    await complete(modal, SUPPORT_BOT)
    calls = await standin.wait_for("chat.postMessage", 2)
    assert calls[0].args["channel"] == "CPROJ"
    # Not a channel problem a DM could route around: the person is told, by DM, with an error id.
    assert calls[1].args["channel"] == "UANA"
    assert "error id" in calls[1].args["text"]
    assert "blocks" not in calls[1].args
    assert redis.exists(draft_key("T0STANDIN", "UANA", NEW_DRAFT))  # answers kept for another try


async def test_rate_limited_calls_are_retried_as_slack_asks(
    slack: SlackSimulator, standin: SlackStandIn
) -> None:
    standin.fail("views.open", status=429, headers={"Retry-After": "1"})
    started = time.monotonic()
    modal = await slack.open_modal("UANA", "CPROJ")
    assert modal.title == "Step 1 of 4"
    assert len(standin.calls_to("views.open")) == 2
    assert time.monotonic() - started >= 1.0


async def test_a_slack_timeout_while_posting_is_told_and_keeps_the_answers(
    redis: Redis, redis_env: dict[str, str], standin: SlackStandIn
) -> None:
    app = await serve(app_env(redis_env, standin, SLACK_API_TIMEOUT="1"))
    try:
        async with SlackSimulator(app.url, SIGNING_SECRET, standin) as slack:
            standin.fail("chat.postMessage", "fatal_error", delay=2.5)  # Slack never answers in time
            modal = await slack.open_modal("UANA", "CPROJ")
            await complete(modal, SUPPORT_BOT)
            calls = await standin.wait_for("chat.postMessage", 2, within=10)
            assert calls[1].args["channel"] == "UANA"
            assert "error id" in calls[1].args["text"]
            await standin.wait_until(lambda: bool(redis.exists(draft_key("T0STANDIN", "UANA", NEW_DRAFT))))
            again = await slack.open_modal("UANA", "CPROJ")
            assert again.title == "Step 4 of 4"  # the answers are back as a draft, ready to resend
    finally:
        await shutdown(app)


async def test_home_tab_says_when_storage_is_down(private_redis: RedisProcess, standin: SlackStandIn) -> None:
    app = await serve(app_env(private_redis.url, standin))
    try:
        async with SlackSimulator(app.url, SIGNING_SECRET, standin) as slack:
            private_redis.stop()
            await slack.event({"type": "app_home_opened", "user": "UANA", "channel": "DANA", "tab": "home"})
            await standin.wait_for("views.publish")
            home = json.dumps(standin.home_views["UANA"])
            assert "can't read your assessments" in home and "error id" in home.lower()
            # Starting needs storage too: no button or hint promises that it works.
            assert "New assessment" not in home and "still works" not in home and "won't work either" in home
    finally:
        await shutdown(app)


async def test_a_page_submit_right_after_a_redis_restart_succeeds(
    private_redis: RedisProcess, standin: SlackStandIn
) -> None:
    """The pooled connection died with the old server: the client reconnects and retries, unnoticed."""
    app = await serve(app_env(private_redis.url, standin))
    try:
        async with SlackSimulator(app.url, SIGNING_SECRET, standin) as slack:
            modal = await slack.open_modal("UANA", "CPROJ")
            modal.fill(SUPPORT_BOT)
            assert (await modal.submit()).json()["response_action"] == "update"

            private_redis.stop()
            private_redis.start()
            modal.fill(SUPPORT_BOT)
            reply = await modal.submit()
            assert reply.json()["response_action"] == "update", reply.json()
            assert modal.title == "Step 3 of 4"
            await modal.press("llm_approach.back")
            assert modal.shown("knowledge_need") == SUPPORT_BOT["knowledge_need"]
    finally:
        await shutdown(app)


async def test_a_storage_failure_on_the_last_page_of_an_edit_loses_no_answers(
    private_redis: RedisProcess, standin: SlackStandIn
) -> None:
    """Reading the assessment failed after the ack and stranded the edit: its answers were lost."""
    app = await serve(app_env(private_redis.url, standin))
    admin = Redis.from_url(private_redis.url, decode_responses=True)
    try:
        async with SlackSimulator(app.url, SIGNING_SECRET, standin) as slack:
            _, _, assessment_id = await post_result(slack, standin, SUPPORT_BOT)
            edit = await open_edit(slack, standin, "UBEN", assessment_id)
            changed = {**SUPPORT_BOT, "knowledge_need": "none"}
            for _ in range(3):
                edit.fill(changed)
                await edit.submit()
            admin.acl_setuser("default", commands=["-get"])  # reading an assessment now fails
            edit.fill(changed)
            answer = json.dumps((await edit.submit()).json())

            def told() -> bool:
                said = [answer, *(c.args.get("text", "") for c in standin.calls_to("chat.postMessage"))]
                return any("error id" in text.lower() and "storage" in text for text in said)

            await standin.wait_until(told, what="the person told, with an error id")
            admin.acl_setuser("default", commands=["+get"])

            again = await open_edit(slack, standin, "UBEN", assessment_id)
            await again.submit()
            assert again.shown("knowledge_need") == "none"  # the edit is still his draft
    finally:
        admin.close()
        await shutdown(app)
