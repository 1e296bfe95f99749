"""Mentions in a result's thread and the App Home tab, through signed Events API requests."""

from __future__ import annotations

import asyncio
import json

from bot import ids
from bot.devkit.simulator import Modal, SlackSimulator
from bot.devkit.standin import Call, SlackStandIn
from bot.ui.blocks import visible_text
from tests.integration.helpers import SUPPORT_BOT, cli_approach, post_result

LABELS = {
    "prompt_engineering": "Prompt engineering",
    "rag": "RAG",
    "fine_tuning": "Fine-tuning",
    "hybrid": "RAG + fine-tuning",
}


async def _thread_replies(standin: SlackStandIn, ts: str, count: int) -> list[Call]:
    def enough() -> bool:
        return (
            len([c for c in standin.calls_to("chat.postMessage") if c.args.get("thread_ts") == ts]) >= count
        )

    await standin.wait_until(enough, what=f"{count} replies in the thread")
    return [c for c in standin.calls_to("chat.postMessage") if c.args.get("thread_ts") == ts]


def _text(call: Call) -> str:
    return json.dumps(call.args, ensure_ascii=False)


async def test_a_what_if_is_answered_once_in_the_thread_and_matches_the_cli(
    slack: SlackSimulator, standin: SlackStandIn
) -> None:
    ts, _, _ = await post_result(slack, standin, SUPPORT_BOT)
    event_id = "Ev0WHATIF1"
    reply = await slack.mention(
        "UBEN", "CPROJ", "what if labeled_examples is 5000_plus", thread_ts=ts, event_id=event_id
    )
    assert reply.status == 200
    replies = await _thread_replies(standin, ts, 2)  # the breakdown, then the answer
    answer = replies[-1]
    assert answer.args["channel"] == "CPROJ" and answer.args["thread_ts"] == ts
    expected = cli_approach({**SUPPORT_BOT, "labeled_examples": "5000_plus"})
    assert expected == "rag"
    # The verdict first, then what changed.
    assert answer.args["blocks"][0]["text"]["text"].startswith("*Still RAG, ")
    assert "Labelled examples: 5,000 or more (now fewer than 50)" in _text(answer)

    retry = await slack.mention(
        "UBEN", "CPROJ", "what if labeled_examples is 5000_plus", thread_ts=ts, event_id=event_id, retry_num=1
    )
    assert retry.status == 200
    await asyncio.sleep(0.5)
    assert len(await _thread_replies(standin, ts, 2)) == 2  # the retry got no second answer


async def test_several_changes_in_words_and_a_flip(slack: SlackSimulator, standin: SlackStandIn) -> None:
    ts, _, _ = await post_result(slack, standin, SUPPORT_BOT)
    text = "what if we had 5,000 labelled examples and failures were both knowledge and behaviour"
    await slack.mention("UBEN", "CPROJ", text, thread_ts=ts)
    answer = (await _thread_replies(standin, ts, 2))[-1]
    changed = {**SUPPORT_BOT, "labeled_examples": "5000_plus", "primary_failure_mode": "both"}
    expected = LABELS[cli_approach(changed)]
    assert answer.args["blocks"][0]["text"]["text"].startswith(f"*Would change to {expected}, ")
    assert "*Scores*: " in _text(answer) and " → " in _text(answer)


async def test_unknown_words_get_the_nearest_questions_not_a_guess(
    slack: SlackSimulator, standin: SlackStandIn
) -> None:
    ts, _, _ = await post_result(slack, standin, SUPPORT_BOT)
    await slack.mention("UBEN", "CPROJ", "what if the laytency were tight", thread_ts=ts)
    await slack.mention("UBEN", "CPROJ", "what if the moon is blue", thread_ts=ts)
    replies = await _thread_replies(standin, ts, 3)
    typo, unknown = sorted(replies[1:], key=lambda c: "moon" in _text(c))
    assert "Latency" in _text(typo)
    assert "couldn't match" in _text(unknown) and "Did you mean" in _text(unknown)
    assert "Try “what if " in _text(unknown) and "_" not in unknown.args["text"]  # words, not ids
    assert "Would change" not in _text(unknown)


async def test_why_explain_compare_and_help(slack: SlackSimulator, standin: SlackStandIn) -> None:
    ts, _, _ = await post_result(slack, standin, SUPPORT_BOT)
    for text in ("why", "explain the knowledge need", "compare rag and fine-tuning", "help"):
        await slack.mention("UBEN", "CPROJ", text, thread_ts=ts)
    replies = await _thread_replies(standin, ts, 5)
    by_kind = {
        k: next(_text(c) for c in replies[1:] if marker in _text(c))
        for k, marker in [
            ("why", "Why RAG"),
            ("explain", "Explain knowledge need"),
            ("compare", "RAG vs Fine-tuning"),
            ("help", "What I understand"),
        ]
    }
    # Why explains the evidence and links it, by title; it does not repeat the channel message.
    assert "|Ovadia et al., Fine-Tuning or Retrieval?" in by_kind["why"] and "OVADIA" not in by_kind["why"]
    assert "Recommended:" not in by_kind["why"] and "Start with" not in by_kind["why"]
    assert "With another answer" in by_kind["explain"] and "RAG +4" in by_kind["explain"]
    assert "For RAG" in by_kind["compare"] and "For Fine-tuning" in by_kind["compare"]
    # Help speaks the team's language: examples in words, no question or option ids.
    assert "what if we had 5,000 labelled examples" in by_kind["help"]
    assert "labeled_examples" not in by_kind["help"] and "5000_plus" not in by_kind["help"]


async def test_the_bot_stays_out_of_threads_that_are_not_its_results(
    slack: SlackSimulator, standin: SlackStandIn
) -> None:
    ts, _, _ = await post_result(slack, standin, SUPPORT_BOT)
    before = len(standin.calls_to("chat.postMessage"))
    await slack.mention("UBEN", "CPROJ", "what if latency is strict", thread_ts="1699999999.000001")
    await slack.event(
        {
            "type": "app_mention",
            "user": "UBOT",
            "bot_id": "BBOT",
            "text": "<@UBOT> why",
            "ts": "1.1",
            "channel": "CPROJ",
            "thread_ts": ts,
        }
    )
    await asyncio.sleep(0.5)
    assert len(standin.calls_to("chat.postMessage")) == before


async def test_a_mention_outside_any_thread_gets_a_pointer_in_a_thread(
    slack: SlackSimulator, standin: SlackStandIn
) -> None:
    await slack.mention("UBEN", "CPROJ", "what should we do?", thread_ts=None)
    calls = await standin.wait_for("chat.postMessage")
    assert calls[0].args["thread_ts"]  # never a new top-level message in the channel
    assert "/llm-approach" in calls[0].args["text"]


async def test_home_tab_shows_draft_recent_assessments_and_team_decisions(
    slack: SlackSimulator, standin: SlackStandIn
) -> None:
    ts, message, assessment_id = await post_result(slack, standin, SUPPORT_BOT)
    _, trigger = await slack.press_on_message(
        "UANA", ids.RECORD_DECISION, assessment_id, channel="CPROJ", message=message
    )
    decision = Modal(slack, "UANA", await standin.view_opened_by(trigger))
    decision.fill({ids.DECISION_RATIONALE_BLOCK: "Docs change weekly."})
    await decision.submit()
    await standin.wait_for("chat.update")
    draft = await slack.open_modal("UANA", "CPROJ")
    draft.fill({"project_name": "Next project"})
    await draft.close()

    await slack.event({"type": "app_home_opened", "user": "UANA", "channel": "DANA", "tab": "home"})
    await standin.wait_for("views.publish")
    home = json.dumps(standin.home_views["UANA"], ensure_ascii=False)
    assert "Resume your draft" in home and "You have a draft: page 1 of 4" in home
    assert "Support assistant" in visible_text(standin.home_views["UANA"])
    assert "decided RAG" in visible_text(standin.home_views["UANA"])
    assert f"/archives/CPROJ/p{ts.replace('.', '')}" in home

    _, trigger = await slack.press_on_message("UANA", ids.HOME_RESUME, "", channel="DANA", message={})
    resumed = await standin.view_opened_by(trigger)
    assert "Next project" in json.dumps(resumed)
