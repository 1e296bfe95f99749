"""Several processes sharing Redis, Slack's failures, forged and random input, forgetting, and metrics."""

from __future__ import annotations

import asyncio
import json

import aiohttp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from redis import Redis

from bot import ids
from bot.devkit.simulator import SlackSimulator
from bot.devkit.standin import SlackStandIn
from bot.storage.keys import team_pattern
from tests.conftest import SIGNING_SECRET, RunningApp, app_env, serve, shutdown
from tests.hypothesis_profiles import examples
from tests.integration.helpers import SUPPORT_BOT, cli_approach, complete, post_result

LABELS = {
    "rag": "RAG",
    "fine_tuning": "Fine-tuning",
    "hybrid": "RAG + fine-tuning",
    "prompt_engineering": "Prompt engineering",
}


async def test_two_processes_share_everything_through_redis(
    app: RunningApp, redis_env: dict[str, str], standin: SlackStandIn
) -> None:
    second = await serve(app_env(redis_env, standin))
    try:
        async with (
            SlackSimulator(app.url, SIGNING_SECRET, standin) as one,
            SlackSimulator(second.url, SIGNING_SECRET, standin) as two,
        ):
            modal = await one.open_modal("UANA", "CPROJ")
            modal.fill(SUPPORT_BOT)
            await modal.submit()  # page 1 to the first process
            modal.slack = two  # the load balancer sends the rest to the second
            await modal.press(ids.BACK)
            assert modal.shown("project_name") == "Support assistant"
            await complete(modal, SUPPORT_BOT)
            ts, _, _ = await post_result(one, standin, SUPPORT_BOT, user="UBEN")

            text = "what if labeled_examples is 5000_plus"
            await two.mention("UCAT", "CPROJ", text, thread_ts=ts, event_id="Ev0SCALE01")
            await one.mention("UCAT", "CPROJ", text, thread_ts=ts, event_id="Ev0SCALE01", retry_num=1)
            await asyncio.sleep(0.5)
            answers = [
                c
                for c in standin.calls_to("chat.postMessage")
                if c.args.get("thread_ts") == ts and "A what-if changes nothing posted" in json.dumps(c.args)
            ]
            assert len(answers) == 1
            expected = LABELS[cli_approach({**SUPPORT_BOT, "labeled_examples": "5000_plus"})]
            assert f"Still {expected}" in json.dumps(answers[0].args, ensure_ascii=False)
    finally:
        await shutdown(second)


async def test_slack_5xx_and_timeouts_are_retried(slack: SlackSimulator, standin: SlackStandIn) -> None:
    standin.fail("views.open", status=503)
    modal = await slack.open_modal("UANA", "CPROJ")
    assert modal.title == "Step 1 of 4"
    assert len(standin.calls_to("views.open")) == 2
    standin.fail("chat.postMessage", status=500)
    await complete(modal, SUPPORT_BOT)
    posts = await standin.wait_for("chat.postMessage", 3)
    assert posts[1].args["channel"] == "CPROJ"  # the retry went through


async def test_a_stale_view_hash_is_not_a_crash(slack: SlackSimulator, standin: SlackStandIn) -> None:
    modal = await slack.open_modal("UANA", "CPROJ")
    modal.fill(SUPPORT_BOT)
    await modal.submit()
    standin.fail("views.update", "hash_conflict")
    reply = await slack.block_action("UANA", ids.BACK, view=modal.view, values=modal.entered)
    assert reply.status == 200
    await standin.wait_for("views.update")
    # The app is still serving and the person's answers are still there.
    await modal.press(ids.BACK)
    assert modal.shown("project_name") == "Support assistant"


async def test_forget_deletes_drafts_and_assessments_and_says_so(
    slack: SlackSimulator, standin: SlackStandIn, redis: Redis
) -> None:
    await post_result(slack, standin, SUPPORT_BOT)
    await post_result(slack, standin, {**SUPPORT_BOT, "project_name": "Second"})
    draft = await slack.open_modal("UANA", "CPROJ")
    draft.fill({"project_name": "Third"})
    await draft.close()
    await post_result(slack, standin, SUPPORT_BOT, user="UBEN")

    before = sorted(redis.scan_iter("llm-approach:*"))
    reply = await slack.slash_command("UANA", "CPROJ", "forget")
    assert reply.status == 200
    # Nothing is deleted until the person confirms: the command asks, with a confirm dialog on the button.
    question = reply.json()
    assert question["response_type"] == "ephemeral" and "Delete your data?" in json.dumps(question)
    delete = next(e for b in question["blocks"] if b["type"] == "actions" for e in b["elements"])
    assert delete["action_id"] == ids.FORGET_CONFIRM and delete["confirm"]["style"] == "danger"
    assert sorted(redis.scan_iter("llm-approach:*")) == before

    await slack.block_action(
        "UANA",
        ids.FORGET_CONFIRM,
        value="forget",
        channel="CPROJ",
        message={},
        response_url=standin.response_url(),
    )
    said = (await standin.wait_for("response_url"))[0].args
    assert "Deleted 1 draft and 2 assessments" in said["text"] and said["replace_original"] is True
    remaining = " ".join(redis.scan_iter(team_pattern("T0STANDIN")))
    assert "UANA" not in remaining
    assert "UBEN" in remaining  # other people's data is untouched


async def test_forget_cancelled_deletes_nothing(
    slack: SlackSimulator, standin: SlackStandIn, redis: Redis
) -> None:
    await post_result(slack, standin, SUPPORT_BOT)
    before = sorted(redis.scan_iter("llm-approach:{T0STANDIN}:*"))
    await slack.slash_command("UANA", "CPROJ", "forget")
    await slack.block_action(
        "UANA",
        ids.FORGET_CANCEL,
        value="keep",
        channel="CPROJ",
        message={},
        response_url=standin.response_url(),
    )
    said = (await standin.wait_for("response_url"))[0].args
    assert said["text"] == "Nothing was deleted." and said["replace_original"] is True
    assert sorted(redis.scan_iter("llm-approach:{T0STANDIN}:*")) == before


async def test_metrics_count_requests_latency_and_assessments(
    slack: SlackSimulator, standin: SlackStandIn
) -> None:
    await post_result(slack, standin, SUPPORT_BOT)
    async with aiohttp.ClientSession() as session, session.get(slack.app_url + "/metrics") as response:
        assert response.status == 200
        text = await response.text()
    assert 'llm_approach_requests_total{kind="view_submission",status="200"}' in text
    assert 'llm_approach_ack_seconds_bucket{kind="slash_command"' in text
    assert "llm_approach_assessments_completed_total" in text


payload_types = st.sampled_from(
    ["view_submission", "block_actions", "view_closed", "shortcut", "nonsense", None]
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3)
    ),
    max_leaves=10,
)


@settings(
    max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    kind=payload_types,
    view=st.dictionaries(
        st.sampled_from(["id", "hash", "private_metadata", "callback_id", "state", "blocks"]),
        json_values,
        max_size=6,
    ),
    extra=st.dictionaries(
        st.sampled_from(["user", "team", "actions", "trigger_id", "channel", "message"]),
        json_values,
        max_size=6,
    ),
    callback=st.sampled_from([ids.QUESTIONNAIRE_CALLBACK, ids.DECISION_CALLBACK, "other"]),
    metadata=st.one_of(st.text(max_size=40), st.just('{"d":"new","c":"C1","p":4}'), st.just('{"a":"zz"}')),
    values=json_values,
)
async def test_random_signed_payloads_never_crash_or_post(
    slack: SlackSimulator,
    standin: SlackStandIn,
    kind: str | None,
    view: dict[str, object],
    extra: dict[str, object],
    callback: str,
    metadata: str,
    values: object,
) -> None:
    payload: dict[str, object] = {
        **extra,
        "view": {**view, "callback_id": callback, "private_metadata": metadata, "state": {"values": values}},
    }
    if kind is not None:
        payload["type"] = kind
    reply = await slack.post_payload(payload)
    assert reply.status < 500, (payload, reply.status, reply.text)
    assert "Traceback" not in reply.text
    assert not standin.calls_to("chat.postMessage")
    assert not standin.calls_to("chat.update")


@settings(
    max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    body=st.text(max_size=200),
    content_type=st.sampled_from(["application/json", "application/x-www-form-urlencoded", "text/plain"]),
)
async def test_random_signed_bodies_get_4xx_at_worst(
    slack: SlackSimulator, standin: SlackStandIn, body: str, content_type: str
) -> None:
    reply = await slack.post(body, content_type)
    assert reply.status < 500, (body, reply.status, reply.text)
    assert not standin.calls_to("chat.postMessage")
