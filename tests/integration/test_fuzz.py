"""Random and hostile input through the real HTTP endpoint: mentions, modal fields, decisions, payloads.

Whatever arrives, nothing answers 5xx, nothing a person typed pings anyone (no `<!channel>`, `<!here>` or
`<@U…>` of theirs reaches a posted message unescaped), what is accepted is stored as typed, and the event
loop that serves the app (the test's own) is never blocked for 100 ms.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from redis import Redis

from bot import ids
from bot.devkit.hostile import MENTION_SHAPES, hostile_mention
from bot.devkit.simulator import Modal, SlackSimulator, text_value
from bot.devkit.standin import SlackStandIn
from bot.devkit.typed_text import misread
from tests.hypothesis_profiles import examples
from tests.integration.helpers import (
    SUPPORT_BOT,
    TEAM,
    assessment_of,
    complete,
    decisions_of,
    post_result,
    stored,
)
from tests.integration.lag import LoopLag

MAX_LOOP_LAG_SECONDS = 0.1
HOSTILE_USER = "UHOSTILE7"
FRAGMENTS = [
    "<!channel>",
    "<!here>",
    "<!everyone>",
    f"<@{HOSTILE_USER}>",
    f"<@{HOSTILE_USER}|boss>",
    "<!subteam^S0HOSTILE>",
    "<#C0HOSTILE>",
    "<https://evil.example|click>",
    "&lt;!channel&gt;",
    "```",
    "*",
    "_",
    "~",
    ">",
    "&",
    "\ud800",
    "\x00",
    "\u202e",
    "🙂",
    "what if",
    "why",
    "compare rag vs",
    "latency is strict",
    "labeled_examples",
    ", and ",
    "5..",
    "\n",
]

pieces = st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12))
SLACK_TEXT_LIMIT = 40_000
hostile_text = st.one_of(
    st.lists(pieces, max_size=25).map("".join),
    st.tuples(st.sampled_from(FRAGMENTS), st.integers(1, 5_000)).map(
        lambda pair: (pair[0] * pair[1])[:SLACK_TEXT_LIMIT]
    ),
)
FUZZ = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

MESSAGE_METHODS = {"chat.postMessage", "chat.update", "chat.postEphemeral", "response_url"}


def assert_nothing_pings(standin: SlackStandIn) -> None:
    """Nothing posted pings, links or alters (people's text sits as typed in plain or rich text elements)."""
    people = {"UANA", "UBEN", "UCAT", standin.bot_user_id}
    for call in standin.calls:
        if call.method in MESSAGE_METHODS:
            found = misread(call.args, people=people)
            assert found == [], (call.method, found, json.dumps(call.args, ensure_ascii=False)[:2000])


async def a_result(slack: SlackSimulator, standin: SlackStandIn) -> tuple[str, str]:
    """The thread ts and assessment id of a posted result (posted by the first example that needs it)."""
    parents = [
        (ts, m)
        for (channel, ts), m in standin.messages.items()
        if channel == "CPROJ" and "thread_ts" not in m and m.get("blocks")
    ]
    if parents:
        ts, message = parents[0]
        actions = next(b for b in message["blocks"] if b["type"] == "actions")
        return ts, str(actions["elements"][0]["value"])
    ts, _, assessment_id = await post_result(slack, standin, SUPPORT_BOT)
    return ts, assessment_id


# The shapes that cost the thread parser most, at Slack's length limit, beside the random ones.
mentions = st.one_of(hostile_text, st.sampled_from(list(MENTION_SHAPES)).map(hostile_mention))


@settings(FUZZ, max_examples=examples(60))
@given(text=mentions)
async def test_hostile_mentions(slack: SlackSimulator, standin: SlackStandIn, text: str) -> None:
    ts, _ = await a_result(slack, standin)
    replies = len(standin.calls_to("chat.postMessage"))
    async with LoopLag() as lag:
        reply = await slack.mention("UCAT", "CPROJ", text, thread_ts=ts)
        assert reply.status < 500, reply.text
        await standin.wait_for("chat.postMessage", replies + 1, within=10)
    assert lag.worst < MAX_LOOP_LAG_SECONDS, f"the event loop stalled for {lag.worst * 1000:.0f} ms"
    assert_nothing_pings(standin)


@settings(FUZZ, max_examples=examples(25))
@given(project=st.lists(pieces, min_size=1, max_size=6).map("".join), use_case=hostile_text)
async def test_hostile_answers_are_refused_under_their_field_or_kept_as_typed(
    slack: SlackSimulator, standin: SlackStandIn, redis: Redis, project: str, use_case: str
) -> None:
    redis.delete(f"llm-approach:{{{TEAM}}}:draft:UANA:new")
    async with LoopLag() as lag:
        modal = await slack.open_modal("UANA", "CPROJ")
        modal.fill({**SUPPORT_BOT, "project_name": project, "use_case": use_case})
        reply = await modal.submit()
        assert reply.status < 500, reply.text
        answer = reply.json() or {}
        if answer.get("response_action") == "errors":
            assert set(answer["errors"]) <= {"project_name", "use_case"}
            return
        assert answer.get("response_action") == "update", answer  # saved, on to page 2
        before = len(standin.calls_to("chat.postMessage"))
        await complete(modal, SUPPORT_BOT)
        await standin.wait_for("chat.postMessage", before + 2)
    assert lag.worst < MAX_LOOP_LAG_SECONDS, f"the event loop stalled for {lag.worst * 1000:.0f} ms"
    assert_nothing_pings(standin)
    posted = standin.calls_to("chat.postMessage")[-2].args
    assessment_id = assessment_of(posted)
    kept = stored(redis, assessment_id)["answers"]
    assert kept["project_name"] == project.strip()  # nothing lost, nothing altered
    assert kept.get("use_case", "") == use_case.strip()


@settings(FUZZ, max_examples=examples(20))
@given(rationale=hostile_text)
async def test_hostile_decision_rationales(
    slack: SlackSimulator, standin: SlackStandIn, redis: Redis, rationale: str
) -> None:
    ts, message, assessment_id = await post_result(slack, standin, SUPPORT_BOT)
    async with LoopLag() as lag:
        _, trigger = await slack.press_on_message(
            "UCAT", ids.RECORD_DECISION, assessment_id, channel="CPROJ", message=message
        )
        form = Modal(slack, "UCAT", await standin.view_opened_by(trigger))
        form.fill({ids.DECISION_RATIONALE_BLOCK: rationale})
        reply = await form.submit()
        assert reply.status < 500, reply.text
    assert lag.worst < MAX_LOOP_LAG_SECONDS, f"the event loop stalled for {lag.worst * 1000:.0f} ms"
    answer = reply.json() or {}
    if answer.get("response_action") == "errors":
        assert set(answer["errors"]) == {ids.DECISION_RATIONALE_BLOCK}
        return
    assert decisions_of(stored(redis, assessment_id))[-1]["rationale"] == rationale.strip()
    await standin.wait_until(
        lambda: any(
            c.args.get("thread_ts") == ts and "Decision recorded" in c.args.get("text", "")
            for c in standin.calls
        ),
        what="the decision in the thread",
    )
    assert_nothing_pings(standin)


json_leaves = st.one_of(st.none(), st.booleans(), st.integers(), hostile_text)
json_values = st.recursive(
    json_leaves,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(hostile_text, children, max_size=3),
    max_leaves=8,
)


@settings(FUZZ, max_examples=examples(60))
@given(
    page=st.integers(1, 4),
    values=st.dictionaries(
        st.sampled_from(["project_name", "use_case", "task_complexity", "knowledge_need", "other"]),
        st.one_of(
            json_values,
            hostile_text.map(lambda t: {ids.ANSWER: text_value(t)}),
            hostile_text.map(lambda t: {ids.ANSWER: {"selected_option": {"value": t}}}),
        ),
        max_size=5,
    ),
    action=st.sampled_from(
        [ids.VOTE_AGREE, ids.EDIT_ANSWERS, ids.RECORD_DECISION, ids.EXPORT_RECORD, ids.BACK, "other"]
    ),
    value=hostile_text,
)
async def test_hostile_payloads_through_the_endpoint(
    slack: SlackSimulator,
    standin: SlackStandIn,
    page: int,
    values: dict[str, Any],
    action: str,
    value: str,
) -> None:
    view = {
        "id": "V0FUZZ",
        "type": "modal",
        "callback_id": ids.QUESTIONNAIRE_CALLBACK,
        "private_metadata": json.dumps({"d": "new", "c": "CPROJ", "p": page}),
    }
    async with LoopLag() as lag:
        submitted = await slack.view_submission("UFUZZ", view, values)
        assert submitted.status < 500, submitted.text
        closed = await slack.view_closed("UFUZZ", view, values)
        assert closed.status < 500, closed.text
        pressed = await slack.block_action(
            "UFUZZ", action, value=value, channel="CPROJ", message={"ts": "1.2", "text": value}
        )
        assert pressed.status < 500, pressed.text
    assert lag.worst < MAX_LOOP_LAG_SECONDS, f"the event loop stalled for {lag.worst * 1000:.0f} ms"
    assert_nothing_pings(standin)
