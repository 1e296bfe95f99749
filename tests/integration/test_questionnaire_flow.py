"""The slash command, the four-page modal and the posted result, via signed requests to the real endpoint."""

from __future__ import annotations

import asyncio
import json

import pytest
from redis import Redis

from bot import ids
from bot.devkit.simulator import Modal, SlackSimulator, new_trigger_id
from bot.devkit.standin import SlackStandIn
from bot.storage.keys import draft_key, message_key, submitted_key
from bot.storage.store import NEW_DRAFT
from scoring.questionnaire import QUESTIONS, questions_on_page
from tests.integration.helpers import (
    CANVA,
    SUPPORT_BOT,
    cli_approach,
    complete,
    input_blocks,
)


async def test_four_pages_end_in_one_post_matching_the_cli(
    slack: SlackSimulator, standin: SlackStandIn, redis: Redis
) -> None:
    modal = await slack.open_modal("UANA", "CPROJ")
    titles = await complete(modal, SUPPORT_BOT)
    assert titles == ["Step 1 of 4", "Step 2 of 4", "Step 3 of 4", "Step 4 of 4"]

    posts = await standin.wait_for("chat.postMessage", 2)
    await asyncio.sleep(0.2)
    channel_posts = [c for c in standin.calls_to("chat.postMessage") if not c.args.get("thread_ts")]
    assert len(channel_posts) == 1
    result = channel_posts[0].args
    assert result["channel"] == "CPROJ"
    assert result["text"]  # plain-text fallback
    header = result["blocks"][0]["text"]["text"]
    expected = cli_approach({k: v for k, v in SUPPORT_BOT.items()})
    assert expected == "rag"
    assert header == "Recommended: RAG"
    assert "Support assistant" in json.dumps(result["blocks"])
    assert {"type": "user", "user_id": "UANA"} in result["blocks"][1]["elements"][0]["elements"]

    breakdown = posts[1].args
    parent_ts = next(ts for (channel, ts) in standin.messages if channel == "CPROJ")
    assert breakdown["thread_ts"] == parent_ts
    assert "The detail behind RAG" in json.dumps(breakdown["blocks"])

    # The assessment is stored for the thread features, and the finished draft is gone.
    assert redis.get(message_key("T0STANDIN", "CPROJ", parent_ts))
    assert not redis.exists(draft_key("T0STANDIN", "UANA", NEW_DRAFT))
    assert not redis.exists(submitted_key("T0STANDIN", "UANA", NEW_DRAFT))
    for key in redis.scan_iter("llm-approach:*"):
        assert redis.ttl(key) > 0, f"{key} has no TTL"


async def test_modal_pages_follow_the_questionnaire(slack: SlackSimulator, standin: SlackStandIn) -> None:
    modal = await slack.open_modal("UANA", "CPROJ")
    for page in range(1, 5):
        blocks = input_blocks(modal.view)
        assert [b["block_id"] for b in blocks] == [q.id for q in questions_on_page(page)]
        for block, question in zip(blocks, questions_on_page(page), strict=True):
            # A hint is the question's help line, left out only where it repeats the options.
            assert block.get("hint", {}).get("text") == question.help
            if not question.is_free_text:
                assert [o["value"] for o in block["element"]["options"]] == list(question.option_ids)
        assert json.loads(modal.view["private_metadata"]).keys() == {"d", "c", "p", "i"}
        modal.fill(SUPPORT_BOT)
        if page < 4:
            await modal.submit()
    assert modal.view["submit"]["text"] == "Get recommendation"


async def test_project_name_from_the_command_is_prefilled(slack: SlackSimulator) -> None:
    modal = await slack.open_modal("UANA", "CPROJ", "Ticket triage")
    assert modal.shown("project_name") == "Ticket triage"


async def test_back_keeps_every_answer(slack: SlackSimulator, standin: SlackStandIn) -> None:
    modal = await slack.open_modal("UANA", "CPROJ")
    modal.fill(SUPPORT_BOT)
    await modal.submit()
    modal.fill({"knowledge_need": "fresh_external", "citations_needed": "yes"})  # page 2, not submitted
    await modal.press(ids.BACK)
    assert modal.title == "Step 1 of 4"
    for question in questions_on_page(1):
        assert modal.shown(question.id) == SUPPORT_BOT[question.id]
    await modal.submit()
    assert modal.title == "Step 2 of 4"
    assert modal.shown("knowledge_need") == "fresh_external"
    assert modal.shown("citations_needed") == "yes"
    update = standin.calls_to("views.update")[-1]
    assert update.args["hash"]  # guards against overwriting a newer view


async def test_invalid_answers_come_back_under_their_fields(
    slack: SlackSimulator, standin: SlackStandIn
) -> None:
    modal = await slack.open_modal("UANA", "CPROJ")
    modal.fill({**SUPPORT_BOT, "project_name": "   ", "task_complexity": "extreme"})
    reply = await modal.submit()
    body = reply.json()
    assert body["response_action"] == "errors"
    assert set(body["errors"]) == {"project_name", "task_complexity"}
    assert modal.title == "Step 1 of 4"

    modal.fill({**SUPPORT_BOT, "project_name": "x" * 81})
    body = (await modal.submit()).json()
    assert "80" in body["errors"]["project_name"]

    forged = dict(modal.entered)
    forged["not_a_question"] = {ids.ANSWER: {"type": "plain_text_input", "value": "x"}}
    modal.entered = forged
    modal.fill(SUPPORT_BOT)
    body = (await modal.submit()).json()
    assert body["response_action"] == "errors"
    assert "out of date" in body["errors"]["project_name"]
    assert not standin.calls_to("chat.postMessage")


async def test_closing_keeps_the_draft_and_the_next_command_resumes_it(
    slack: SlackSimulator, standin: SlackStandIn
) -> None:
    modal = await slack.open_modal("UANA", "CPROJ")
    modal.fill(SUPPORT_BOT)
    await modal.submit()
    modal.fill({"knowledge_need": "general"})  # half of page 2, then close
    await modal.close()

    again = await slack.open_modal("UANA", "CPROJ")
    assert again.title == "Step 2 of 4"
    assert again.shown("knowledge_need") == "general"
    assert again.shown("citations_needed") is None
    assert "Picking up your draft" in json.dumps(again.view["blocks"])
    await again.press(ids.BACK)
    assert again.shown("project_name") == "Support assistant"

    await again.press(ids.START_OVER)
    assert again.title == "Step 1 of 4"
    assert again.shown("project_name") is None
    fresh = await slack.open_modal("UANA", "CPROJ")
    assert fresh.title == "Step 1 of 4"
    assert "Picking up" not in json.dumps(fresh.view["blocks"])


async def test_two_people_at_once_never_see_each_others_drafts(
    slack: SlackSimulator, standin: SlackStandIn
) -> None:
    ana, ben = await asyncio.gather(slack.open_modal("UANA", "CPROJ"), slack.open_modal("UBEN", "CPROJ"))
    ana.fill(SUPPORT_BOT)
    ben.fill(CANVA)
    await asyncio.gather(ana.submit(), ben.submit())
    await asyncio.gather(ana.close(), ben.close())
    ana2, ben2 = await asyncio.gather(slack.open_modal("UANA", "CPROJ"), slack.open_modal("UBEN", "CPROJ"))
    await asyncio.gather(ana2.press(ids.BACK), ben2.press(ids.BACK))
    assert ana2.shown("project_name") == "Support assistant"
    assert ben2.shown("project_name") == "Design guidelines"
    assert ana2.shown("task_complexity") == SUPPORT_BOT["task_complexity"]
    assert ben2.shown("task_complexity") == CANVA["task_complexity"]

    await asyncio.gather(complete(ana2, SUPPORT_BOT), complete(ben2, CANVA))
    posts = await standin.wait_for("chat.postMessage", 4)
    headers = sorted(c.args["blocks"][0]["text"]["text"] for c in posts if not c.args.get("thread_ts"))
    assert headers == ["Recommended: Fine-tuning", "Recommended: RAG"]


async def test_a_channel_that_refuses_gets_the_result_by_dm(
    slack: SlackSimulator, standin: SlackStandIn
) -> None:
    standin.refuse_channel("CPRIVATE", "not_in_channel")
    modal = await slack.open_modal("UANA", "CPRIVATE")
    await complete(modal, SUPPORT_BOT)
    posts = await standin.wait_for("chat.postMessage", 3)
    assert posts[0].args["channel"] == "CPRIVATE"
    dm = posts[1].args
    assert dm["channel"] == "UANA"
    note = dm["blocks"][0]["text"]["text"]
    assert "/invite" in note and "<#CPRIVATE>" in note and "can't hear mentions" in note
    assert dm["blocks"][1]["text"]["text"] == "Recommended: RAG"
    assert posts[2].args["channel"] == "DANA"  # the breakdown follows in the DM's thread
    assert posts[2].args["thread_ts"]


async def test_a_start_in_a_dm_asks_which_channel_and_falls_back_to_a_dm_if_refused(
    slack: SlackSimulator, standin: SlackStandIn
) -> None:
    # In a DM, mentions never reach the bot: the last page asks where to post (no channel to default to yet).
    standin.refuse_channel("CSHUT", "not_in_channel")
    modal = await slack.open_modal("UANA", "DSOMEONE")
    while modal.title != "Step 4 of 4":
        modal.fill(SUPPORT_BOT)
        await modal.submit()
    select = next(b for b in modal.view["blocks"] if b.get("block_id") == ids.POST_CHANNEL_BLOCK)
    assert (
        select["element"]["type"] == "conversations_select"
        and "initial_conversation" not in select["element"]
    )
    modal.fill(SUPPORT_BOT)
    refused = (await modal.submit()).json()
    assert refused["errors"] == {ids.POST_CHANNEL_BLOCK: "Choose the channel to post the result in."}
    await complete(modal, {**SUPPORT_BOT, ids.POST_CHANNEL_BLOCK: "CSHUT"})
    posts = await standin.wait_for("chat.postMessage", 2)
    assert posts[0].args["channel"] == "CSHUT" and posts[1].args["channel"] == "UANA"


async def test_expired_trigger_is_told_to_the_user(slack: SlackSimulator, standin: SlackStandIn) -> None:
    standin.fail("views.open", "expired_trigger_id")
    reply = await slack.slash_command("UANA", "CPROJ")
    assert reply.status == 200
    calls = await standin.wait_for("response_url")
    assert "error id" in calls[0].args["text"]
    assert calls[0].args.get("response_type", "ephemeral") == "ephemeral"


async def test_help_answers_at_once(slack: SlackSimulator, standin: SlackStandIn) -> None:
    reply = await slack.slash_command("UANA", "CPROJ", "help")
    assert reply.status == 200
    assert "/llm-approach" in reply.text
    assert not standin.calls_to("views.open")


async def test_every_question_of_the_questionnaire_is_asked_once(slack: SlackSimulator) -> None:
    modal = await slack.open_modal("UANA", "CPROJ")
    seen: list[str] = []
    while not modal.closed:
        seen += [b["block_id"] for b in input_blocks(modal.view)]
        modal.fill(SUPPORT_BOT)
        await modal.submit()
    assert seen == [q.id for q in QUESTIONS]


async def test_a_start_from_home_posts_to_the_channel_chosen_defaulting_to_the_last_used(
    slack: SlackSimulator, standin: SlackStandIn
) -> None:
    first = await slack.open_modal("UANA", "CPROJ")
    await complete(first, SUPPORT_BOT)
    await standin.wait_for("chat.postMessage", 2)

    async def from_home() -> Modal:
        trigger = new_trigger_id()
        home = {"id": "VHOME", "type": "home", "blocks": []}
        await slack.block_action("UANA", ids.HOME_NEW_ASSESSMENT, trigger_id=trigger, view=home)
        return Modal(slack, "UANA", await standin.view_opened_by(trigger))

    modal = await from_home()
    while modal.title != "Step 4 of 4":
        modal.fill(CANVA)
        await modal.submit()
    select = next(b for b in modal.view["blocks"] if b.get("block_id") == ids.POST_CHANNEL_BLOCK)
    assert select["element"]["initial_conversation"] == "CPROJ"  # the channel Ana used last
    await complete(modal, {**CANVA, ids.POST_CHANNEL_BLOCK: "CDESIGN"})
    await standin.wait_for("chat.postMessage", 4)
    parents = [c.args for c in standin.calls_to("chat.postMessage") if not c.args.get("thread_ts")]
    assert [p["channel"] for p in parents] == ["CPROJ", "CDESIGN"]  # never the app's DM
    assert "Mention me there" in json.dumps(parents[-1]["blocks"])


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("project_name", "Support \ud800 bot"),  # a lone surrogate: not text any UTF-8 store can keep
        ("use_case", "Answers \udfff"),
        ("project_name", "Nul\x00byte"),
    ],
)
async def test_text_that_cannot_be_stored_is_shown_under_its_field(
    slack: SlackSimulator, standin: SlackStandIn, redis: Redis, field: str, value: str
) -> None:
    modal = await slack.open_modal("UANA", "CPROJ")
    modal.fill({**SUPPORT_BOT, field: value})
    reply = await modal.submit()
    assert reply.status == 200
    body = reply.json()
    assert body["response_action"] == "errors", body
    assert set(body["errors"]) == {field}
    assert "character" in body["errors"][field]
    assert not modal.closed
    modal.fill(SUPPORT_BOT)  # fixed: saved and on to page 2
    assert (await modal.submit()).json()["response_action"] == "update"
    assert redis.hget("llm-approach:{T0STANDIN}:draft:UANA:new", "q:project_name") == "Support assistant"
