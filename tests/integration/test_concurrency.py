"""Two busy teammates at once: no write is lost, no edit reverts another, a second submit is not an error."""

from __future__ import annotations

import asyncio
import json

from redis import Redis

from bot import ids
from bot.devkit.simulator import Modal, SlackSimulator
from bot.devkit.standin import SlackStandIn
from tests.integration.helpers import (
    SUPPORT_BOT,
    TEAM,
    complete,
    decisions_of,
    open_edit,
    post_result,
    record_decision,
    stored,
    until_stored,
)


async def test_a_decision_recorded_while_an_edit_is_publishing_is_kept(
    slack: SlackSimulator, standin: SlackStandIn, redis: Redis
) -> None:
    """The edit used to save a copy it read before its Slack calls, erasing a decision recorded meanwhile."""
    ts, _, assessment_id = await post_result(slack, standin, SUPPORT_BOT)
    edit = await open_edit(slack, standin, "UBEN", assessment_id)
    updates = len(standin.calls_to("chat.update"))
    standin.slow_down("chat.update", 1.5)  # the edit's update of the parent message takes its time
    await complete(edit, {**SUPPORT_BOT, "knowledge_need": "none", "labeled_examples": "5000_plus"})
    await standin.wait_for("chat.update", updates + 1)  # the edit is now waiting on Slack

    answer = await record_decision(slack, standin, "UCAT", assessment_id, "hybrid", "Both, as agreed.")
    assert answer.get("response_action") == "clear"
    await standin.wait_for("chat.update", updates + 2)
    await asyncio.sleep(1.8)  # the slow update returns and the edit finishes whatever it does after it

    record = stored(redis, assessment_id)
    assert [d["approach"] for d in decisions_of(record)] == ["hybrid"]
    assert len(record["versions"]) == 2 and record["answers"]["knowledge_need"] == "none"
    notes = [c.args["text"] for c in standin.calls_to("chat.postMessage") if c.args.get("thread_ts") == ts]
    assert any("Decision recorded" in note for note in notes)


async def test_a_vote_and_a_decision_landing_together_are_both_kept(
    slack: SlackSimulator, standin: SlackStandIn, redis: Redis
) -> None:
    _, message, assessment_id = await post_result(slack, standin, SUPPORT_BOT)
    voters = [f"UV{i:02d}" for i in range(8)]
    await asyncio.gather(
        record_decision(slack, standin, "UCAT", assessment_id, "rag", "Fits."),
        *(
            slack.press_on_message(v, ids.VOTE_AGREE, assessment_id, channel="CPROJ", message=message)
            for v in voters
        ),
    )
    votes = f"llm-approach:{{{TEAM}}}:votes:{assessment_id}"
    for _ in range(200):  # votes are recorded after Slack's ack
        if set(redis.hkeys(votes)) == set(voters):
            break
        await asyncio.sleep(0.01)
    assert set(redis.hkeys(votes)) == set(voters)
    assert [d["approach"] for d in decisions_of(stored(redis, assessment_id))] == ["rag"]
    # The assessment is decided: its votes, and every voter's index of it, outlive the retention period.
    assert redis.ttl(votes) == -1
    for voter in voters:
        assert redis.ttl(f"llm-approach:{{{TEAM}}}:involved:{voter}") == -1, voter


async def test_an_edit_resumed_after_a_newer_version_starts_from_it(
    slack: SlackSimulator, standin: SlackStandIn, redis: Redis
) -> None:
    """Ben's unfinished edit (from version 1) must not revert Cat's version 2 when he comes back to it."""
    _, _, assessment_id = await post_result(slack, standin, SUPPORT_BOT)
    bens = await open_edit(slack, standin, "UBEN", assessment_id)
    bens.fill({"accuracy_requirement": "critical"})
    await bens.submit()  # page 1 saved in his draft
    await bens.close()

    cats = await open_edit(slack, standin, "UCAT", assessment_id)
    await complete(cats, {**SUPPORT_BOT, "knowledge_need": "none"})
    await standin.wait_until(lambda: len(stored(redis, assessment_id)["versions"]) == 2, what="version 2")

    bens = await open_edit(slack, standin, "UBEN", assessment_id)
    shown = json.dumps(bens.view)
    assert "Version 2" in shown and "<@UCAT>" in shown  # the form says why it changed under him
    assert bens.shown("accuracy_requirement") == "critical"  # his own change is kept
    await bens.submit()
    assert bens.shown("knowledge_need") == "none"  # Cat's change is there, not reverted
    await complete(bens, {})

    await standin.wait_until(lambda: len(stored(redis, assessment_id)["versions"]) == 3, what="version 3")
    answers = stored(redis, assessment_id)["answers"]
    assert answers["knowledge_need"] == "none" and answers["accuracy_requirement"] == "critical"


async def test_an_edit_open_while_a_newer_version_is_published_is_sent_back_not_published(
    slack: SlackSimulator, standin: SlackStandIn, redis: Redis
) -> None:
    _, _, assessment_id = await post_result(slack, standin, SUPPORT_BOT)
    bens = await open_edit(slack, standin, "UBEN", assessment_id)
    for _ in range(3):
        bens.fill({"accuracy_requirement": "critical"})
        await bens.submit()
    assert bens.title == "Edit · step 4 of 4"

    cats = await open_edit(slack, standin, "UCAT", assessment_id)
    await complete(cats, {**SUPPORT_BOT, "knowledge_need": "none"})
    await standin.wait_until(lambda: len(stored(redis, assessment_id)["versions"]) == 2, what="version 2")

    reply = await bens.submit()  # the last page, on a form from before version 2
    assert reply.json()["response_action"] == "update"
    assert bens.title == "Edit · step 1 of 4" and "Version 2" in json.dumps(bens.view)
    assert len(stored(redis, assessment_id)["versions"]) == 2  # nothing published over Cat's version
    await complete(bens, {})
    await standin.wait_until(lambda: len(stored(redis, assessment_id)["versions"]) == 3, what="version 3")
    answers = stored(redis, assessment_id)["answers"]
    assert answers["knowledge_need"] == "none" and answers["accuracy_requirement"] == "critical"


async def test_a_second_submit_of_posted_answers_says_where_they_went(
    slack: SlackSimulator, standin: SlackStandIn
) -> None:
    tab = await slack.open_modal("UANA", "CPROJ")
    for _ in range(3):
        tab.fill(SUPPORT_BOT)
        await tab.submit()
    other_tab = Modal(slack, "UANA", dict(tab.view))  # the same form, open in a second window
    other_tab.entered = dict(tab.entered)
    tab.fill(SUPPORT_BOT)
    assert (await tab.submit()).json()["response_action"] == "clear"
    await standin.wait_for("chat.postMessage", 2)
    posted_ts = next(ts for (channel, ts), m in standin.messages.items() if channel == "CPROJ")

    other_tab.fill(SUPPORT_BOT)
    reply = await other_tab.submit()
    body = reply.json()
    assert body["response_action"] == "update", body
    text = json.dumps(body["view"])
    assert "already posted" in text
    assert f"/archives/CPROJ/p{posted_ts.replace('.', '')}" in text  # a link to the result
    assert "error" not in text.lower()
    parents = [c for c in standin.calls_to("chat.postMessage") if not c.args.get("thread_ts")]
    assert len(parents) == 1


async def test_two_tabs_submitting_at_once_post_once_and_neither_sees_an_error(
    slack: SlackSimulator, standin: SlackStandIn
) -> None:
    tab = await slack.open_modal("UANA", "CPROJ")
    for _ in range(3):
        tab.fill(SUPPORT_BOT)
        await tab.submit()
    other_tab = Modal(slack, "UANA", dict(tab.view))
    for modal in (tab, other_tab):
        modal.fill(SUPPORT_BOT)
    replies = await asyncio.gather(tab.submit(), other_tab.submit())
    actions = sorted(r.json()["response_action"] for r in replies)
    assert actions == ["clear", "update"], [r.json() for r in replies]
    shown = json.dumps(next(r.json() for r in replies if r.json()["response_action"] == "update"))
    assert "error" not in shown.lower() and ("posted" in shown or "submitted" in shown)
    await standin.wait_for("chat.postMessage", 2)
    await asyncio.sleep(0.3)
    parents = [c for c in standin.calls_to("chat.postMessage") if not c.args.get("thread_ts")]
    assert len(parents) == 1


async def test_two_windows_opened_before_any_answer_was_saved_post_once(
    slack: SlackSimulator, standin: SlackStandIn
) -> None:
    first, second = await slack.open_modal("UANA", "CPROJ"), await slack.open_modal("UANA", "CPROJ")
    for _ in range(3):
        for window in (first, second):
            window.fill(SUPPORT_BOT)
            await window.submit()
    first.fill(SUPPORT_BOT)
    assert (await first.submit()).json()["response_action"] == "clear"
    await standin.wait_for("chat.postMessage", 2)
    second.fill(SUPPORT_BOT)
    answer = (await second.submit()).json()
    assert answer["response_action"] == "update" and "already posted" in json.dumps(answer)
    parents = [c for c in standin.calls_to("chat.postMessage") if not c.args.get("thread_ts")]
    assert len(parents) == 1


async def test_votes_for_an_assessment_that_does_not_exist_write_nothing(
    slack: SlackSimulator, standin: SlackStandIn, redis: Redis
) -> None:
    _, message, assessment_id = await post_result(slack, standin, SUPPORT_BOT)
    await until_stored(redis, assessment_id)
    redis.delete(f"llm-approach:{{{TEAM}}}:assessment:{assessment_id}")  # expired
    keys_before = set(redis.scan_iter("*"))
    for target in (assessment_id, "0123456789ab", "not an id \ud800"):
        reply, _ = await slack.press_on_message(
            "UANA", ids.VOTE_AGREE, target, channel="CPROJ", message=message
        )
        assert reply.status == 200
    told = await standin.wait_for("chat.postEphemeral", 3)
    assert all("no longer stored" in call.args["text"] for call in told)
    assert set(redis.scan_iter("*")) == keys_before
