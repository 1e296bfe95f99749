"""Actions on a posted result: votes, the ⋯ menu (edit answers, export), a recorded or changed decision."""

from __future__ import annotations

import copy
import json
from typing import Any

from redis import Redis

from bot import ids
from bot.devkit.simulator import Modal, SlackSimulator
from bot.devkit.standin import SlackStandIn
from bot.storage.keys import assessment_key, votes_key
from bot.ui.blocks import visible_text
from tests.integration.helpers import SUPPORT_BOT, button_value, complete, post_result, until_stored

TO_FINE_TUNING = {
    **SUPPORT_BOT,
    "knowledge_need": "none",
    "primary_failure_mode": "behavior",
    "labeled_examples": "5000_plus",
    "citations_needed": "no",
    "knowledge_change_frequency": "static",
}


def _texts(message: dict[str, object]) -> str:
    return json.dumps(message, ensure_ascii=False)


async def test_edit_answers_opens_prefilled_and_posts_a_new_version(
    slack: SlackSimulator, standin: SlackStandIn
) -> None:
    ts, message, assessment_id = await post_result(slack, standin, SUPPORT_BOT)
    reply, trigger = await slack.choose_on_message(
        "UBEN", ids.RESULT_MENU, f"{ids.MENU_EDIT}:{assessment_id}", channel="CPROJ", message=message
    )
    assert reply.status == 200
    modal = Modal(slack, "UBEN", await standin.view_opened_by(trigger))
    assert modal.title == "Edit · step 1 of 4"
    assert modal.shown("project_name") == "Support assistant"
    assert modal.shown("task_complexity") == SUPPORT_BOT["task_complexity"]
    await modal.submit()
    assert modal.shown("knowledge_need") == SUPPORT_BOT["knowledge_need"]  # page 2 prefilled too

    await complete(modal, TO_FINE_TUNING)
    await standin.wait_for("chat.update")
    thread_replies = [c.args for c in standin.calls_to("chat.postMessage") if c.args.get("thread_ts") == ts]
    version_note = thread_replies[-1]["text"]
    # The verdict first, then what changed: in the thread, where the team will see it.
    assert version_note.startswith("✏️ *Version 2* by <@UBEN>: now *Fine-tuning*")
    assert "the vote starts afresh" in version_note and "*Knowledge need*" in version_note
    update = standin.calls_to("chat.update")[-1].args
    assert update["ts"] == ts
    assert update["blocks"][0]["text"]["text"] == "Recommended: Fine-tuning"
    # ...and on the message itself: who changed it, and what it did.
    assert "version 2" in _texts(update["blocks"])
    assert "<@UBEN> edited it <!date^" in _texts(update["blocks"]) and "(was RAG)" in _texts(update["blocks"])
    parents = [c for c in standin.calls_to("chat.postMessage") if not c.args.get("thread_ts")]
    assert len(parents) == 1  # an edit never posts a second result to the channel


async def test_buttons_of_results_posted_before_the_menu_still_work(
    slack: SlackSimulator, standin: SlackStandIn
) -> None:
    _, message, assessment_id = await post_result(slack, standin, SUPPORT_BOT)
    _, edit = await slack.press_on_message(
        "UBEN", ids.EDIT_ANSWERS, assessment_id, channel="CPROJ", message=message
    )
    assert (await standin.view_opened_by(edit))["title"]["text"] == "Edit · step 1 of 4"
    _, trigger = await slack.press_on_message(
        "UBEN", ids.NEW_ASSESSMENT, assessment_id, channel="CPROJ", message=message
    )
    view = await standin.view_opened_by(trigger)
    assert view["title"]["text"] == "Step 1 of 4"
    assert json.loads(view["private_metadata"])["c"] == "CPROJ"


async def test_votes_one_per_person_changeable_and_shown_by_name(
    slack: SlackSimulator, standin: SlackStandIn, redis: Redis
) -> None:
    ts, message, assessment_id = await post_result(slack, standin, SUPPORT_BOT)
    assert "👍" not in _texts(message["blocks"])  # no "0 agree · 0 disagree" before anyone votes
    for user, action in [
        ("UANA", ids.VOTE_AGREE),
        ("UBEN", ids.VOTE_AGREE),
        ("UCAT", ids.VOTE_DISAGREE),
        ("UBEN", ids.VOTE_DISAGREE),
    ]:
        value = button_value(message, action)
        await slack.press_on_message(user, action, value, channel="CPROJ", message=message)
    await standin.wait_for("chat.update", 4)
    # Voters see their vote counted: the message names them. Updates can overtake each other; the message
    # must settle on the votes in Redis.
    tally = "👍 <@UANA> agrees · 👎 <@UBEN>, <@UCAT> disagree"
    await standin.wait_until(lambda: tally in _texts(standin.messages[("CPROJ", ts)]["blocks"]), what=tally)
    assert redis.hgetall(votes_key("T0STANDIN", assessment_id)) == {
        "UANA": "agree@1",
        "UBEN": "disagree@1",
        "UCAT": "disagree@1",
    }


async def test_a_version_that_changes_the_recommendation_starts_a_fresh_vote(
    slack: SlackSimulator, standin: SlackStandIn
) -> None:
    ts, posted, assessment_id = await post_result(slack, standin, SUPPORT_BOT)
    message = copy.deepcopy(posted)  # the message as version 1 showed it
    await slack.press_on_message(
        "UANA", ids.VOTE_AGREE, button_value(message, ids.VOTE_AGREE), channel="CPROJ", message=message
    )
    await standin.wait_for("chat.update")
    _, trigger = await slack.choose_on_message(
        "UBEN", ids.RESULT_MENU, f"{ids.MENU_EDIT}:{assessment_id}", channel="CPROJ", message=message
    )
    await complete(Modal(slack, "UBEN", await standin.view_opened_by(trigger)), TO_FINE_TUNING)
    await standin.wait_for("chat.update", 2)
    edited = _texts(standin.messages[("CPROJ", ts)]["blocks"])
    assert "<@UANA> agrees" not in edited and "the vote starts afresh" in edited

    # Cat still looks at version 1 (her client had not refreshed): her vote must not count for version 2.
    await slack.press_on_message(
        "UCAT", ids.VOTE_AGREE, button_value(message, ids.VOTE_AGREE), channel="CPROJ", message=message
    )
    told = (await standin.wait_for("chat.postEphemeral"))[0].args
    assert told["user"] == "UCAT" and "doesn't count" in told["text"] and "Fine-tuning" in told["text"]
    await standin.wait_for("chat.update", 3)
    assert "<@UCAT> agrees" not in _texts(standin.messages[("CPROJ", ts)]["blocks"])

    current = standin.messages[("CPROJ", ts)]
    await slack.press_on_message(
        "UCAT", ids.VOTE_AGREE, button_value(current, ids.VOTE_AGREE), channel="CPROJ", message=current
    )
    await standin.wait_until(
        lambda: "👍 <@UCAT> agrees" in _texts(standin.messages[("CPROJ", ts)]["blocks"]), what="Cat's vote"
    )


async def test_recording_a_decision_posts_it_and_leads_the_message(
    slack: SlackSimulator, standin: SlackStandIn
) -> None:
    ts, message, assessment_id = await post_result(slack, standin, SUPPORT_BOT)
    _, trigger = await slack.press_on_message(
        "UCAT", ids.RECORD_DECISION, assessment_id, channel="CPROJ", message=message
    )
    view = await standin.view_opened_by(trigger)
    decision = Modal(slack, "UCAT", view)
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
    assert "It differs from the recommendation, RAG" in note
    assert "<!channel>" not in note and "&lt;!channel&gt;" in note
    decided = standin.messages[("CPROJ", ts)]
    assert decided["blocks"][0]["text"]["text"] == "Decided: RAG + fine-tuning"
    assert "It differs from the recommendation: RAG" in visible_text(decided)

    # Changing it (Ana started the assessment, so she may): the button now says so and asks first; the form
    # shows what it replaces.
    change = next(e for b in decided["blocks"] if b["type"] == "actions" for e in b["elements"])
    assert change["text"]["text"] == "Change decision" and change["confirm"]["confirm"]["text"] == "Change it"
    _, trigger = await slack.press_on_message(
        "UANA", ids.RECORD_DECISION, change["value"], channel="CPROJ", message=decided
    )
    form = Modal(slack, "UANA", await standin.view_opened_by(trigger))
    assert form.title == "Change decision" and "Recorded now: *RAG + fine-tuning*" in _texts(form.view)
    form.entered[ids.DECISION_APPROACH_BLOCK] = {
        ids.ANSWER: {"type": "static_select", "selected_option": {"value": "rag"}}
    }
    form.fill({ids.DECISION_RATIONALE_BLOCK: "Legal needs citations."})
    await form.submit()
    await standin.wait_for("chat.update", 2)
    note = [c.args for c in standin.calls_to("chat.postMessage") if c.args.get("thread_ts") == ts][-1]["text"]
    assert "Decision changed to RAG* by <@UANA> (was RAG + fine-tuning, recorded by <@UCAT>" in note
    assert standin.messages[("CPROJ", ts)]["blocks"][0]["text"]["text"] == "Decided: RAG"


async def test_export_uploads_a_markdown_decision_record_with_names_in_the_thread(
    slack: SlackSimulator, standin: SlackStandIn
) -> None:
    standin.add_person("UANA", "Ana")  # users.info names Ana; Ben is unknown to it, and keeps his id
    ts, message, assessment_id = await post_result(slack, standin, SUPPORT_BOT)
    for user in ("UANA", "UBEN"):
        value = button_value(message, ids.VOTE_AGREE)
        await slack.press_on_message(user, ids.VOTE_AGREE, value, channel="CPROJ", message=message)
    await standin.wait_for("chat.update", 2)
    await slack.choose_on_message(
        "UANA", ids.RESULT_MENU, f"{ids.MENU_EXPORT}:{assessment_id}", channel="CPROJ", message=message
    )
    await standin.wait_for("files.completeUploadExternal")
    uploaded = next(iter(standin.files.values()))
    assert uploaded["thread_ts"] == ts and uploaded["channel"] == "CPROJ"
    assert uploaded["filename"] == "decision-record-support-assistant.md"
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
    assert "Assessed: " in record and " by Ana;" in record
    assert "Agree (2): Ana, UBEN" in record
    assert (
        "[Ovadia et al., Fine-Tuning or Retrieval?" in record
        and "](https://arxiv.org/abs/2312.05934)" in record
    )
    assert "OVADIA" not in record
    assert [c.args["user"] for c in standin.calls_to("users.info")]  # asked Slack for the names


async def test_buttons_on_an_expired_assessment_say_so(
    slack: SlackSimulator, standin: SlackStandIn, redis: Redis
) -> None:
    _, message, assessment_id = await post_result(slack, standin, SUPPORT_BOT)
    await until_stored(redis, assessment_id)
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


async def test_export_without_file_uploads_posts_the_record_as_a_readable_message(
    slack: SlackSimulator, standin: SlackStandIn
) -> None:
    ts, message, assessment_id = await post_result(slack, standin, SUPPORT_BOT)
    standin.fail("files.getUploadURLExternal", "missing_scope")
    await slack.press_on_message("UANA", ids.EXPORT_RECORD, assessment_id, channel="CPROJ", message=message)

    def record_message() -> dict[str, Any] | None:
        return next(
            (
                c.args
                for c in standin.calls_to("chat.postMessage")
                if c.args.get("thread_ts") == ts and c.args.get("text", "").startswith("Decision record")
            ),
            None,
        )

    await standin.wait_until(
        lambda: record_message() is not None, what="the record as a message in the thread"
    )
    posted = record_message()
    assert posted is not None
    shown = _texts(posted["blocks"])
    # Sections Slack shows in full: no code block, nothing cut mid-word, the sources linked.
    assert "```" not in shown and "*Recommendation*: RAG" in shown and "files:write" in shown
    assert "<https://" in shown and "|OpenAI accuracy guide>" in shown
    assert all(len(b["text"]["text"]) <= 3000 for b in posted["blocks"] if b["type"] == "section")


async def test_export_that_cannot_reach_the_thread_at_all_is_told(
    slack: SlackSimulator, standin: SlackStandIn
) -> None:
    _, message, assessment_id = await post_result(slack, standin, SUPPORT_BOT)
    standin.fail("files.getUploadURLExternal", "missing_scope")
    standin.fail("chat.postMessage", "fatal_error")
    await slack.press_on_message("UANA", ids.EXPORT_RECORD, assessment_id, channel="CPROJ", message=message)
    told = await standin.wait_for("chat.postEphemeral")
    assert "couldn't post the decision record" in told[0].args["text"]
