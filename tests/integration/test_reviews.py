"""Reviews and outcomes through the real endpoint: a decision's review scheduled with Slack (the stand-in
holds it as Slack would), replaced, deleted, refused; the outcome recorded from the review's buttons."""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from redis import Redis
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot import ids
from bot.devkit.simulator import Modal, SlackSimulator
from bot.devkit.standin import SlackStandIn
from bot.listeners.reviews import DECISION_CHANGED, RESULT_DELETED
from bot.storage.keys import team_decided_key
from bot.ui.blocks import rich_text_of
from tests.conftest import BOT_TOKEN, SIGNING_SECRET, RunningApp, app_env, serve, shutdown
from tests.integration.helpers import (
    SUPPORT_BOT,
    TEAM,
    forget,
    post_result,
    record_decision,
    run_bot,
    stored,
    until_stored,
)

WEEK = 7 * 24 * 3600
# What people type, kept exactly: nothing in it may format, link or ping.
MEASURED = "*72%* of <@U0BOSS> answers & <!channel> `correct` on _our_ 200-question set > target 70%"
LEARNED = "Re-index nightly.\nThe *old* docs ~misled~ it."


def _scheduled_for(standin: SlackStandIn, assessment: str) -> list[dict[str, Any]]:
    return [m for m in standin.scheduled.values() if assessment in json.dumps(m)]


async def _decide(
    slack: SlackSimulator,
    standin: SlackStandIn,
    user: str,
    assessment: str,
    review: str = "4",
    *,
    shown: str = "4",
) -> None:
    """Record a decision (RAG) with the review choice ``review`` (weeks, or ids.NO_REVIEW); the form shows
    ``shown`` before the person chooses (the default, or the choice of the decision in force)."""
    _, trigger = await slack.press_on_message(
        user, ids.RECORD_DECISION, assessment, channel="CPROJ", message={"ts": "0"}
    )
    form = Modal(slack, user, await standin.view_opened_by(trigger))
    assert form.shown(ids.DECISION_REVIEW_BLOCK) == shown
    form.fill({ids.DECISION_APPROACH_BLOCK: "rag", ids.DECISION_RATIONALE_BLOCK: "Docs change weekly."})
    form.fill({ids.DECISION_REVIEW_BLOCK: review})
    reply = await form.submit()
    assert reply.status == 200 and (reply.json() or {}).get("response_action") == "clear", reply.text


async def _until(condition: Any, what: str) -> None:
    for _ in range(200):
        if condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


async def _review_due(standin: SlackStandIn, assessment: str) -> dict[str, Any]:
    """Slack posts the held review at its time: here, now. The posted message."""
    await _until(lambda: _scheduled_for(standin, assessment), "the review to be scheduled")
    scheduled_id = next(k for k, m in standin.scheduled.items() if assessment in json.dumps(m))
    held = standin.scheduled[scheduled_id]
    ts = await standin.deliver_scheduled(scheduled_id)
    assert ts is not None
    return standin.messages[(held["channel"], ts)]


async def _press(
    slack: SlackSimulator, standin: SlackStandIn, user: str, review: dict[str, Any], action_id: str
) -> str:
    value = next(
        e["value"]
        for b in review["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == action_id
    )
    trigger = f"trigger-{user}-{time.monotonic_ns()}"
    reply = await slack.block_action(
        user,
        action_id,
        value=value,
        channel="CPROJ",
        message=review,
        trigger_id=trigger,
        response_url=standin.response_url("review"),
    )
    assert reply.status == 200
    return trigger


async def test_a_decision_schedules_its_review_in_the_results_thread_mentioning_the_decider(
    slack: SlackSimulator, standin: SlackStandIn, redis: Redis
) -> None:
    ts, _, assessment = await post_result(slack, standin, SUPPORT_BOT)
    await _decide(slack, standin, "UANA", assessment, review="2")
    call = (await standin.wait_for("chat.scheduleMessage"))[0].args
    assert call["channel"] == "CPROJ" and call["thread_ts"] == ts
    decided_at = stored(redis, assessment)["decisions"][-1]["at"]
    assert int(call["post_at"]) == int(decided_at) + 2 * WEEK
    mention = call["blocks"][0]["elements"][0]["elements"][0]
    assert mention == {"type": "user", "user_id": "UANA"}
    buttons = [e["text"]["text"] for b in call["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert buttons == ["Met the target", "Partly", "Didn't", "We changed approach"]
    await _until(lambda: stored(redis, assessment).get("review"), "the review to be kept")
    review = stored(redis, assessment)["review"]
    assert review["id"] in standin.scheduled and review["decision"] == 1 and review["by"] == "UANA"


async def test_a_changed_decision_replaces_its_review_and_no_review_deletes_it(
    slack: SlackSimulator, standin: SlackStandIn, redis: Redis
) -> None:
    _, _, assessment = await post_result(slack, standin, SUPPORT_BOT)
    await _decide(slack, standin, "UANA", assessment)
    await _until(lambda: stored(redis, assessment).get("review"), "the first review to be kept")
    first = stored(redis, assessment)["review"]["id"]

    await _decide(slack, standin, "UANA", assessment, review="8")
    await _until(
        lambda: (stored(redis, assessment).get("review") or {}).get("id") not in {None, first},
        "the second review to be kept",
    )
    deleted = standin.calls_to("chat.deleteScheduledMessage")[0].args
    assert (deleted["channel"], deleted["scheduled_message_id"]) == ("CPROJ", first)
    assert list(standin.scheduled) == [stored(redis, assessment)["review"]["id"]]

    await _decide(slack, standin, "UANA", assessment, review=ids.NO_REVIEW, shown="8")
    await standin.wait_for("chat.deleteScheduledMessage", 2)
    assert standin.scheduled == {} and stored(redis, assessment).get("review") is None
    assert len(standin.calls_to("chat.scheduleMessage")) == 2


async def test_forget_and_uninstall_delete_pending_reviews(
    slack: SlackSimulator, standin: SlackStandIn, redis: Redis
) -> None:
    _, _, mine = await post_result(slack, standin, SUPPORT_BOT)
    await _decide(slack, standin, "UANA", mine)
    _, _, bens = await post_result(slack, standin, SUPPORT_BOT, user="UBEN")
    await _decide(slack, standin, "UBEN", bens)
    await _until(lambda: len(standin.scheduled) == 2, "both reviews")
    await _until(lambda: stored(redis, bens).get("review"), "Ben's review to be kept")

    told = await forget(slack, standin, "UANA")
    assert "Deleted" in told or "deleted" in told
    assert not _scheduled_for(standin, mine) and _scheduled_for(standin, bens)
    # The workspace's figures no longer count what forget deleted.
    assert not redis.hexists(team_decided_key(TEAM), mine)
    assert redis.hexists(team_decided_key(TEAM), bens)

    reply = await slack.event({"type": "app_uninstalled"})
    assert reply.status == 200
    await _until(lambda: not standin.scheduled, "the uninstall to delete Ben's review")


@pytest.mark.parametrize(
    ("failure", "words"),
    [
        ({"status": 429, "headers": {"Retry-After": "1"}, "times": 3}, "too many requests"),
        ({"error": "channel_not_found"}, "can't find this channel"),
        ({"error": "time_too_far"}, "at most 120 days ahead"),
    ],
)
async def test_slack_refusing_the_review_is_told_and_the_decision_stands(
    slack: SlackSimulator, standin: SlackStandIn, redis: Redis, failure: dict[str, Any], words: str
) -> None:
    ts, _, assessment = await post_result(slack, standin, SUPPORT_BOT)
    standin.fail("chat.scheduleMessage", **failure)
    await _decide(slack, standin, "UANA", assessment)
    # A 429 is retried after its Retry-After twice before the person is told: time for that.
    told = (await standin.wait_for("chat.postEphemeral", within=30))[-1].args
    assert told["user"] == "UANA" and told["thread_ts"] == ts
    assert "Your decision is recorded" in told["text"] and words in told["text"]
    record = stored(redis, assessment)
    assert record["decisions"][-1]["approach"] == "rag" and record.get("review") is None
    assert standin.messages[("CPROJ", ts)]["blocks"][0]["text"]["text"] == "Decided: RAG"


async def test_the_outcome_is_recorded_from_the_review_exactly_as_typed(
    slack: SlackSimulator, standin: SlackStandIn, redis: Redis
) -> None:
    ts, _, assessment = await post_result(slack, standin, SUPPORT_BOT)
    await _decide(slack, standin, "UANA", assessment)
    review = await _review_due(standin, assessment)
    assert review["thread_ts"] == ts

    form = Modal(
        slack,
        "UANA",
        await standin.view_opened_by(await _press(slack, standin, "UANA", review, ids.REVIEW_PARTLY)),
    )
    assert form.title == "Record outcome" and form.shown(ids.OUTCOME_RESULT_BLOCK) == "partly"
    form.fill({ids.OUTCOME_MEASURED_BLOCK: MEASURED, ids.OUTCOME_SCORE_BLOCK: "lots"})
    reply = await form.submit()
    errors = (reply.json() or {}).get("errors", {})
    assert list(errors) == [ids.OUTCOME_SCORE_BLOCK] and "0.82" in errors[ids.OUTCOME_SCORE_BLOCK]

    form.fill({ids.OUTCOME_SCORE_BLOCK: "72%", ids.OUTCOME_LEARNED_BLOCK: LEARNED})
    reply = await form.submit()
    assert (reply.json() or {}).get("response_action") == "clear", reply.text
    outcome = stored(redis, assessment)["outcomes"][-1]
    assert outcome["result"] == "partly" and outcome["measured"] == MEASURED and outcome["learned"] == LEARNED
    assert outcome["score"] == pytest.approx(0.72) and outcome["by"] == "UANA" and outcome["decision"] == 1

    await standin.wait_for("chat.update", 2)
    result = standin.messages[("CPROJ", ts)]
    # The outcome leads beside the decision (after the project line and the decision), the measured text in
    # a rich-text element only, as typed.
    beside = result["blocks"][3]
    assert beside["type"] == "rich_text"
    verdict, measured = beside["elements"]
    assert rich_text_of({"elements": [verdict]}) == "◐ Reviewed: Partly met the target · eval 72%"
    assert {"type": "text", "text": "Partly met the target", "style": {"bold": True}} in verdict["elements"]
    assert {"type": "text", "text": MEASURED} in measured["elements"]
    note = next(
        c.args for c in standin.calls_to("chat.postMessage") if c.args.get("text", "").startswith("Outcome")
    )
    quotes = [e for e in note["blocks"][0]["elements"] if e["type"] == "rich_text_quote"]
    assert [q["elements"][0]["text"] for q in quotes] == [MEASURED, LEARNED]
    mrkdwn = [t["text"] for call in standin.calls for t in _mrkdwn_texts(call.args.get("blocks") or [])]
    assert not [t for t in mrkdwn if "U0BOSS" in t or "question set" in t or "misled" in t]


def _mrkdwn_texts(blocks: list[Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "mrkdwn":
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(blocks)
    return found


async def test_anyone_may_press_only_the_deciders_record_and_a_correction_is_kept_in_history(
    slack: SlackSimulator, standin: SlackStandIn, redis: Redis
) -> None:
    _, _, assessment = await post_result(slack, standin, SUPPORT_BOT)
    await _decide(slack, standin, "UBEN", assessment)  # owners now: Ben (decided), Ana (started)
    review = await _review_due(standin, assessment)

    await _press(slack, standin, "UCAT", review, ids.REVIEW_MET)
    told = (await standin.wait_for("chat.postEphemeral"))[-1].args
    assert told["user"] == "UCAT" and "Only <@UBEN>" in told["text"] and "record how" in told["text"]
    assert not [
        c for c in standin.calls_to("views.open") if c.args["view"]["callback_id"] == ids.OUTCOME_CALLBACK
    ]

    form = Modal(
        slack,
        "UBEN",
        await standin.view_opened_by(await _press(slack, standin, "UBEN", review, ids.REVIEW_CHANGED)),
    )
    form.fill({ids.OUTCOME_MEASURED_BLOCK: "Retrieval missed tables."})
    errors = ((await form.submit()).json() or {}).get("errors", {})
    assert list(errors) == [ids.OUTCOME_CHANGED_TO_BLOCK]
    form.fill({ids.OUTCOME_CHANGED_TO_BLOCK: "fine_tuning"})
    assert ((await form.submit()).json() or {}).get("response_action") == "clear"

    later = Modal(
        slack,
        "UANA",
        await standin.view_opened_by(await _press(slack, standin, "UANA", review, ids.REVIEW_MET)),
    )
    assert (
        later.title == "Correct outcome"
        and later.shown(ids.OUTCOME_MEASURED_BLOCK) == "Retrieval missed tables."
    )
    assert ((await later.submit()).json() or {}).get("response_action") == "clear"
    outcomes = stored(redis, assessment)["outcomes"]
    assert [(o["result"], o["changed_to"], o["by"]) for o in outcomes] == [
        ("changed", "fine_tuning", "UBEN"),
        ("met", None, "UANA"),
    ]


async def test_two_recording_at_once_lose_nothing(
    slack: SlackSimulator, standin: SlackStandIn, redis: Redis
) -> None:
    _, _, assessment = await post_result(slack, standin, SUPPORT_BOT)
    await _decide(slack, standin, "UBEN", assessment)
    review = await _review_due(standin, assessment)
    forms = []
    for user, action in (("UANA", ids.REVIEW_MET), ("UBEN", ids.REVIEW_MISSED)):
        form = Modal(
            slack, user, await standin.view_opened_by(await _press(slack, standin, user, review, action))
        )
        forms.append(form.fill({ids.OUTCOME_MEASURED_BLOCK: f"{user}'s measurement"}))
    replies = await asyncio.gather(*(form.submit() for form in forms))
    assert all((r.json() or {}).get("response_action") == "clear" for r in replies)
    outcomes = stored(redis, assessment)["outcomes"]
    assert sorted((o["by"], o["result"], o["measured"]) for o in outcomes) == [
        ("UANA", "met", "UANA's measurement"),
        ("UBEN", "missed", "UBEN's measurement"),
    ]


async def test_a_review_for_a_deleted_result_or_a_changed_decision_is_told_once_and_dropped(
    slack: SlackSimulator, standin: SlackStandIn, redis: Redis
) -> None:
    _, _, assessment = await post_result(slack, standin, SUPPORT_BOT)
    await _decide(slack, standin, "UANA", assessment)
    review = await _review_due(standin, assessment)
    await forget(slack, standin, "UANA")  # nobody else took part: the assessment is deleted
    seen = len(standin.calls_to("response_url"))
    await _press(slack, standin, "UBEN", review, ids.REVIEW_MET)
    closed = (await standin.wait_for("response_url", seen + 1))[-1].args
    # The review message itself now says why, with no button left: told once, and dropped.
    assert closed == {"text": RESULT_DELETED, "replace_original": True}

    _, _, other = await post_result(slack, standin, SUPPORT_BOT)
    await _decide(slack, standin, "UANA", other)
    old_review = await _review_due(standin, other)
    await _decide(slack, standin, "UANA", other, review=ids.NO_REVIEW)  # prefilled: 4, the one in force
    seen = len(standin.calls_to("response_url"))
    await _press(slack, standin, "UANA", old_review, ids.REVIEW_MET)
    assert (await standin.wait_for("response_url", seen + 1))[-1].args["text"] == DECISION_CHANGED


async def test_a_review_for_a_channel_the_bot_left_is_dropped_by_slack_not_posted(
    slack: SlackSimulator, standin: SlackStandIn
) -> None:
    _, _, assessment = await post_result(slack, standin, SUPPORT_BOT)
    await _decide(slack, standin, "UANA", assessment)
    await _until(lambda: _scheduled_for(standin, assessment), "the review")
    standin.refuse_channel("CPROJ")
    scheduled_id = next(iter(standin.scheduled))
    assert await standin.deliver_scheduled(scheduled_id) is None


@pytest.fixture
async def no_follow_up(
    redis: Redis, redis_env: dict[str, str], standin: SlackStandIn, tmp_path: Path
) -> AsyncIterator[SlackSimulator]:
    policy = tmp_path / "policy.toml"
    policy.write_text("[reviews]\nenabled = false\n", encoding="utf-8")
    running: RunningApp = await serve(app_env(redis_env, standin, LLM_APPROACH_POLICY=str(policy)))
    try:
        async with SlackSimulator(running.url, SIGNING_SECRET, standin) as simulator:
            yield simulator
    finally:
        await shutdown(running)


async def test_a_team_turns_the_follow_up_off_in_its_policy_file(
    no_follow_up: SlackSimulator, standin: SlackStandIn, redis: Redis
) -> None:
    slack = no_follow_up
    _, _, assessment = await post_result(slack, standin, SUPPORT_BOT)
    reply = await record_decision(slack, standin, "UANA", assessment, "rag", "Docs change weekly.")
    assert reply.get("response_action") == "clear"
    form = standin.calls_to("views.open")[-1].args["view"]
    assert ids.DECISION_REVIEW_BLOCK not in json.dumps(form)
    await standin.wait_for("chat.update")
    assert not standin.calls_to("chat.scheduleMessage")
    assert stored(redis, assessment)["decisions"][-1]["review_weeks"] is None


async def _record_outcome(
    slack: SlackSimulator, standin: SlackStandIn, user: str, assessment: str, action: str, measured: str
) -> None:
    review = await _review_due(standin, assessment)
    trigger = await _press(slack, standin, user, review, action)
    form = Modal(slack, user, await standin.view_opened_by(trigger))
    form.fill({ids.OUTCOME_MEASURED_BLOCK: measured})
    assert ((await form.submit()).json() or {}).get("response_action") == "clear"


async def test_the_report_and_an_admins_home_show_how_the_decisions_turned_out(
    slack: SlackSimulator, standin: SlackStandIn, redis: Redis, redis_env: dict[str, str]
) -> None:
    decided = []
    for action in (ids.REVIEW_MET, ids.REVIEW_MET, ids.REVIEW_MISSED):
        _, _, assessment = await post_result(slack, standin, SUPPORT_BOT)
        await _decide(slack, standin, "UANA", assessment)
        await _record_outcome(slack, standin, "UANA", assessment, action, "=1+1 answers right")
        decided.append(assessment)
    _, _, undecided = await post_result(slack, standin, SUPPORT_BOT, user="UBEN")  # never decided
    await until_stored(redis, undecided)

    env = {**os.environ, **redis_env}
    env = {k: v for k, v in env.items() if not k.startswith("SLACK_")}
    result = run_bot("report", "--team", TEAM, "--format", "json", env=env)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert len(report["assessments"]) == 4
    assert sorted(r["outcome"] for r in report["assessments"]) == ["", "met", "met", "missed"]
    summary = report["summary"]
    assert (summary["assessed"], summary["decided"], summary["reviewed"]) == (4, 3, 3)
    assert any("2 of 3 met their target (1 didn't)" in line for line in summary["lines"])
    assert not [line for line in summary["lines"] if "%" in line]  # three reviews: counts, no percentages

    table = run_bot("report", "--team", TEAM, env=env)
    assert table.returncode == 0, table.stderr
    rows = table.stdout.splitlines()
    assert rows[0].startswith("team,assessment,channel") and len(rows) == 5
    assert "'=1+1 answers right" in table.stdout  # no spreadsheet formula out of people's text
    assert "Followed the recommendation: 3 of 3 decisions." in table.stderr

    standin.add_person("UANA", "Ana")
    standin.add_person("UBEN", "Ben")
    standin.admins.add("UANA")
    admin = await _home_of(slack, standin, "UANA")
    assert "How the workspace's decisions turned out" in admin and "2 of 3 met their target" in admin
    assert "How the workspace" not in await _home_of(slack, standin, "UBEN")
    assert "Met the target" in admin or "met the target" in admin  # Ana's own decisions show their outcome


async def _home_of(slack: SlackSimulator, standin: SlackStandIn, user: str) -> str:
    before = len(standin.calls_to("views.publish"))
    await slack.event({"type": "app_home_opened", "user": user, "channel": f"D{user}", "tab": "home"})
    await standin.wait_for("views.publish", before + 1)
    return json.dumps(standin.home_views[user], ensure_ascii=False)


async def test_the_standin_answers_the_schedule_methods_as_slack_documents_them(
    standin: SlackStandIn,
) -> None:
    client = AsyncWebClient(token=BOT_TOKEN, base_url=standin.api_url)
    now = int(time.time())

    async def error_of(method: str, **args: Any) -> str:
        with pytest.raises(SlackApiError) as refused:
            await client.api_call(method, json=args)
        return str(refused.value.response["error"])

    schedule = "chat.scheduleMessage"
    assert await error_of(schedule, channel="C1", post_at=now - 1, text="x") == "time_in_past"
    assert await error_of(schedule, channel="C1", post_at=now + 121 * 24 * 3600, text="x") == "time_too_far"
    assert await error_of(schedule, channel="", post_at=now + 60, text="x") == "channel_not_found"
    answer = await client.chat_scheduleMessage(channel="C1", post_at=now + 120 * 24 * 3600 - 60, text="x")
    assert answer["scheduled_message_id"].startswith("Q") and answer["post_at"] == str(
        now + 120 * 24 * 3600 - 60
    )
    held = answer["scheduled_message_id"]
    delete = "chat.deleteScheduledMessage"
    assert await error_of(delete, channel="C2", scheduled_message_id=held) == "invalid_scheduled_message_id"
    assert (await client.chat_deleteScheduledMessage(channel="C1", scheduled_message_id=held))["ok"]
    assert await error_of(delete, channel="C1", scheduled_message_id=held) == "invalid_scheduled_message_id"
    standin.fail(schedule, status=429, headers={"Retry-After": "7"})
    with pytest.raises(SlackApiError) as limited:
        await client.chat_scheduleMessage(channel="C1", post_at=now + 60, text="x")
    assert limited.value.response.status_code == 429 and limited.value.response.headers["Retry-After"] == "7"
    assert limited.value.response["error"] == "ratelimited"


async def test_forgetting_the_person_who_recorded_an_outcome_keeps_it_without_their_words(
    slack: SlackSimulator, standin: SlackStandIn, redis: Redis
) -> None:
    _, _, assessment = await post_result(slack, standin, SUPPORT_BOT, user="UANA")
    await _decide(slack, standin, "UBEN", assessment)
    await _record_outcome(slack, standin, "UBEN", assessment, ids.REVIEW_MET, "Ben's own words")
    await forget(slack, standin, "UBEN")
    outcome = stored(redis, assessment)["outcomes"][0]
    assert (outcome["result"], outcome["by"], outcome["measured"]) == ("met", "forgotten", "")


async def test_the_review_follows_the_decision_even_when_the_thread_note_fails(
    slack: SlackSimulator, standin: SlackStandIn, redis: Redis
) -> None:
    _, _, assessment = await post_result(slack, standin, SUPPORT_BOT)
    await _decide(slack, standin, "UANA", assessment)
    await _until(lambda: stored(redis, assessment).get("review"), "the first review")
    first = stored(redis, assessment)["review"]["id"]
    standin.fail("chat.postMessage", "fatal_error")  # the changed decision's thread note
    await _decide(slack, standin, "UANA", assessment, review="2")
    await _until(
        lambda: (stored(redis, assessment).get("review") or {}).get("id") not in {None, first},
        "the changed decision's review",
    )
    assert first not in standin.scheduled and len(standin.scheduled) == 1
