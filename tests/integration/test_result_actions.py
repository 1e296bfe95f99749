"""Buttons on a posted result: edit answers, new assessment, votes, a recorded decision, export."""

from __future__ import annotations

import json

from redis import Redis

from bot import ids
from bot.devkit.simulator import Modal, SlackSimulator
from bot.devkit.standin import SlackStandIn
from bot.storage.keys import assessment_key, votes_key
from tests.integration.helpers import SUPPORT_BOT, complete, post_result


def _texts(message: dict[str, object]) -> str:
    return json.dumps(message, ensure_ascii=False)


async def test_edit_answers_opens_prefilled_and_posts_a_new_version(
    slack: SlackSimulator, standin: SlackStandIn
) -> None:
    ts, message, assessment_id = await post_result(slack, standin, SUPPORT_BOT)
    reply, trigger = await slack.press_on_message(
        "UBEN", ids.EDIT_ANSWERS, assessment_id, channel="CPROJ", message=message
    )
    assert reply.status == 200
    modal = Modal(slack, "UBEN", await standin.view_opened_by(trigger))
    assert modal.title == "Edit · step 1 of 4"
    assert modal.shown("project_name") == "Support assistant"
    assert modal.shown("task_complexity") == SUPPORT_BOT["task_complexity"]
    await modal.submit()
    assert modal.shown("knowledge_need") == SUPPORT_BOT["knowledge_need"]  # page 2 prefilled too

    changed = {
        **SUPPORT_BOT,
        "knowledge_need": "none",
        "primary_failure_mode": "behavior",
        "labeled_examples": "5000_plus",
        "citations_needed": "no",
        "knowledge_change_frequency": "static",
    }
    await complete(modal, changed)
    await standin.wait_for("chat.update")
    thread_replies = [c.args for c in standin.calls_to("chat.postMessage") if c.args.get("thread_ts") == ts]
    version_note = thread_replies[-1]["text"]
    assert "Version 2" in version_note and "<@UBEN>" in version_note
    assert "Knowledge need" in version_note and "Recommendation changed" in version_note
    update = standin.calls_to("chat.update")[-1].args
    assert update["ts"] == ts
    assert update["blocks"][0]["text"]["text"] == "Recommended: Fine-tuning"
    assert "version 2" in _texts(update["blocks"])
    parents = [c for c in standin.calls_to("chat.postMessage") if not c.args.get("thread_ts")]
    assert len(parents) == 1  # an edit never posts a second result to the channel


async def test_new_assessment_button_opens_a_fresh_modal(
    slack: SlackSimulator, standin: SlackStandIn
) -> None:
    _, message, assessment_id = await post_result(slack, standin, SUPPORT_BOT)
    _, trigger = await slack.press_on_message(
        "UBEN", ids.NEW_ASSESSMENT, assessment_id, channel="CPROJ", message=message
    )
    view = await standin.view_opened_by(trigger)
    assert view["title"]["text"] == "Step 1 of 4"
    assert json.loads(view["private_metadata"])["c"] == "CPROJ"


async def test_votes_one_per_person_changeable_and_shown(
    slack: SlackSimulator, standin: SlackStandIn, redis: Redis
) -> None:
    ts, message, assessment_id = await post_result(slack, standin, SUPPORT_BOT)
    for user, action in [
        ("UANA", ids.VOTE_AGREE),
        ("UBEN", ids.VOTE_AGREE),
        ("UCAT", ids.VOTE_DISAGREE),
        ("UBEN", ids.VOTE_DISAGREE),
    ]:
        await slack.press_on_message(user, action, assessment_id, channel="CPROJ", message=message)
    await standin.wait_for("chat.update", 4)
    tally = "👍 1 agree · 👎 2 disagree"
    # Updates can overtake each other; the message must settle on the tally in Redis.
    await standin.wait_until(lambda: tally in _texts(standin.messages[("CPROJ", ts)]["blocks"]), what=tally)
    assert redis.hgetall(votes_key("T0STANDIN", assessment_id)) == {
        "UANA": "agree",
        "UBEN": "disagree",
        "UCAT": "disagree",
    }


async def test_recording_a_decision_posts_it_and_shows_it_on_the_message(
    slack: SlackSimulator, standin: SlackStandIn
) -> None:
    ts, message, assessment_id = await post_result(slack, standin, SUPPORT_BOT)
    _, trigger = await slack.press_on_message(
        "UANA", ids.RECORD_DECISION, assessment_id, channel="CPROJ", message=message
    )
    view = await standin.view_opened_by(trigger)
    decision = Modal(slack, "UANA", view)
    assert decision.shown(ids.DECISION_APPROACH_BLOCK) == "rag"

    decision.fill({ids.DECISION_RATIONALE_BLOCK: ""})
    body = (await decision.submit()).json()
    assert body["response_action"] == "errors" and ids.DECISION_RATIONALE_BLOCK in body["errors"]

    decision.entered[ids.DECISION_APPROACH_BLOCK] = {
        ids.ANSWER: {"type": "static_select", "selected_option": {"value": "hybrid"}}
    }
    decision.fill({ids.DECISION_RATIONALE_BLOCK: "We already fine-tune our <!channel> router model."})
    await decision.submit()
    await standin.wait_for("chat.update")
    note = [c.args for c in standin.calls_to("chat.postMessage") if c.args.get("thread_ts") == ts][-1]["text"]
    assert "Decision recorded: RAG + fine-tuning" in note
    assert "the recommendation was RAG" in note
    assert "<!channel>" not in note and "&lt;!channel&gt;" in note
    assert "Decided: RAG + fine-tuning" in _texts(standin.messages[("CPROJ", ts)]["blocks"])


async def test_export_uploads_a_markdown_decision_record_in_the_thread(
    slack: SlackSimulator, standin: SlackStandIn
) -> None:
    ts, message, assessment_id = await post_result(slack, standin, SUPPORT_BOT)
    await slack.press_on_message("UANA", ids.VOTE_AGREE, assessment_id, channel="CPROJ", message=message)
    await slack.press_on_message("UANA", ids.EXPORT_RECORD, assessment_id, channel="CPROJ", message=message)
    await standin.wait_for("files.completeUploadExternal")
    uploaded = next(iter(standin.files.values()))
    assert uploaded["thread_ts"] == ts and uploaded["channel"] == "CPROJ"
    assert uploaded["filename"].endswith(".md")
    record = uploaded["content"]
    for heading in (
        "# Decision record",
        "## Context",
        "## Answers",
        "## Recommendation",
        "## Alternatives",
        "## Votes",
        "## Decision",
        "## Sources",
    ):
        assert heading in record
    assert "Agree (1)" in record
    assert "OVADIA" in record


async def test_buttons_on_an_expired_assessment_say_so(
    slack: SlackSimulator, standin: SlackStandIn, redis: Redis
) -> None:
    _, message, assessment_id = await post_result(slack, standin, SUPPORT_BOT)
    redis.delete(assessment_key("T0STANDIN", assessment_id))
    await slack.press_on_message("UANA", ids.EDIT_ANSWERS, assessment_id, channel="CPROJ", message=message)
    calls = await standin.wait_for("chat.postEphemeral")
    assert "no longer stored" in calls[0].args["text"]


async def test_a_refused_decision_form_is_told_to_the_person(
    slack: SlackSimulator, standin: SlackStandIn
) -> None:
    _, message, assessment_id = await post_result(slack, standin, SUPPORT_BOT)
    standin.fail("views.open", "expired_trigger_id")
    await slack.press_on_message("UANA", ids.RECORD_DECISION, assessment_id, channel="CPROJ", message=message)
    told = await standin.wait_for("chat.postEphemeral")
    assert "error id" in told[0].args["text"] and told[0].args["user"] == "UANA"


async def test_export_without_file_uploads_posts_the_record_as_text(
    slack: SlackSimulator, standin: SlackStandIn
) -> None:
    ts, message, assessment_id = await post_result(slack, standin, SUPPORT_BOT)
    standin.fail("files.getUploadURLExternal", "missing_scope")
    await slack.press_on_message("UANA", ids.EXPORT_RECORD, assessment_id, channel="CPROJ", message=message)

    def posted_as_text() -> bool:
        return any(
            c.args.get("thread_ts") == ts and "# Decision record" in c.args.get("text", "")
            for c in standin.calls_to("chat.postMessage")
        )

    await standin.wait_until(posted_as_text, what="the record as text in the thread")


async def test_export_that_cannot_reach_the_thread_at_all_is_told(
    slack: SlackSimulator, standin: SlackStandIn
) -> None:
    _, message, assessment_id = await post_result(slack, standin, SUPPORT_BOT)
    standin.fail("files.getUploadURLExternal", "missing_scope")
    standin.fail("chat.postMessage", "fatal_error")
    await slack.press_on_message("UANA", ids.EXPORT_RECORD, assessment_id, channel="CPROJ", message=message)
    told = await standin.wait_for("chat.postEphemeral")
    assert "couldn't post the decision record" in told[0].args["text"]
