"""Test helpers for driving the app like a person in Slack."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from redis import Redis

from bot import ids
from bot.devkit.simulator import Modal, SlackSimulator
from bot.devkit.standin import SlackStandIn
from tests.scenarios import SCENARIOS

SUPPORT_BOT: dict[str, str] = {
    "project_name": "Support assistant",
    "use_case": "Answer customers from our help-centre articles.",
    **next(s for s in SCENARIOS if s.id == "support_bot_weekly_docs").answers,
}
CANVA: dict[str, str] = {
    "project_name": "Design guidelines",
    **next(s for s in SCENARIOS if s.id == "canva_design_guidelines").answers,
}


async def complete(modal: Modal, answers: dict[str, str]) -> list[str]:
    """Fill and submit every page; the titles seen, page by page."""
    titles = []
    while not modal.closed:
        titles.append(modal.title)
        modal.fill(answers)
        reply = await modal.submit()
        assert reply.status == 200, reply.text
        body = reply.json() or {}
        assert body.get("response_action") != "errors", body
    return titles


REPO = Path(__file__).resolve().parents[2]


def run_bot(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`python -m bot ARGS` as a process with exactly this environment."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def cli_approach(answers: dict[str, str]) -> str:
    """What `python -m scoring assess` recommends for these answers."""
    result = subprocess.run(
        [sys.executable, "-m", "scoring", "assess", "-", "--format", "json"],
        input=json.dumps(answers),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return str(json.loads(result.stdout)["approach"])


def input_blocks(view: dict[str, Any]) -> list[dict[str, Any]]:
    return [b for b in view["blocks"] if b["type"] == "input"]


async def post_result(
    slack: Any, standin: SlackStandIn, answers: dict[str, str], user: str = "UANA", channel: str = "CPROJ"
) -> tuple[str, dict[str, Any], str]:
    """Run the whole questionnaire; the parent message's ts, the message, and the assessment id."""
    before = len([c for c in standin.calls_to("chat.postMessage") if not c.args.get("thread_ts")])
    modal = await slack.open_modal(user, channel)
    await complete(modal, answers)

    def posted() -> bool:
        parents = [c for c in standin.calls_to("chat.postMessage") if not c.args.get("thread_ts")]
        return len(parents) > before and len(standin.calls_to("chat.postMessage")) >= 2 * (before + 1)

    await standin.wait_until(posted, what="the result and its breakdown")
    ts = sorted(ts for (ch, ts), m in standin.messages.items() if ch == channel and "thread_ts" not in m)[-1]
    message = standin.messages[(channel, ts)]
    return ts, message, assessment_of(message)


def assessment_of(message: dict[str, Any]) -> str:
    """The assessment a posted result belongs to, as its decision button carries it."""
    return next(
        e["value"]
        for b in message["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == ids.RECORD_DECISION
    )


def button_value(message: dict[str, Any], action_id: str) -> str:
    return next(
        e["value"]
        for b in message["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == action_id
    )


TEAM = "T0STANDIN"


async def until_stored(redis: Redis, assessment_id: str) -> None:
    """Wait for a just-posted assessment to be stored (it is stored after its messages are posted)."""
    for _ in range(200):
        if redis.exists(f"llm-approach:{{{TEAM}}}:assessment:{assessment_id}"):
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"assessment {assessment_id} was never stored")


def stored(redis: Redis, assessment_id: str) -> dict[str, Any]:
    raw = redis.get(f"llm-approach:{{{TEAM}}}:assessment:{assessment_id}")
    assert raw, "the assessment is gone"
    return dict(json.loads(str(raw)))


def decisions_of(record: dict[str, Any]) -> list[dict[str, Any]]:
    """The decisions a stored record holds, whichever release wrote it."""
    if "decisions" in record:
        return list(record["decisions"])
    return [record["decision"]] if record.get("decision") else []


async def open_edit(slack: SlackSimulator, standin: SlackStandIn, user: str, assessment_id: str) -> Modal:
    """Press Edit answers on a result; the modal it opened."""
    message = {"ts": "0"}
    _, trigger = await slack.press_on_message(
        user, ids.EDIT_ANSWERS, assessment_id, channel="CPROJ", message=message
    )
    return Modal(slack, user, await standin.view_opened_by(trigger))


async def record_decision(
    slack: SlackSimulator, standin: SlackStandIn, user: str, assessment_id: str, approach: str, why: str
) -> dict[str, Any]:
    """Press Record decision, choose, explain and submit; Slack's answer to the submit."""
    _, trigger = await slack.press_on_message(
        user, ids.RECORD_DECISION, assessment_id, channel="CPROJ", message={"ts": "0"}
    )
    form = Modal(slack, user, await standin.view_opened_by(trigger))
    form.entered[ids.DECISION_APPROACH_BLOCK] = {
        ids.ANSWER: {"type": "static_select", "selected_option": {"value": approach}}
    }
    form.fill({ids.DECISION_RATIONALE_BLOCK: why})
    reply = await form.submit()
    assert reply.status == 200
    return dict(reply.json() or {})


async def forget(slack: SlackSimulator, standin: SlackStandIn, user: str, channel: str = "CPROJ") -> str:
    """`/llm-approach forget`, then the confirm button it asks with; what the bot said it did."""
    reply = await slack.slash_command(user, channel, "forget")
    assert reply.status == 200 and "Delete your data?" in reply.text
    seen = len(standin.calls_to("response_url"))
    await slack.block_action(
        user,
        ids.FORGET_CONFIRM,
        value="forget",
        channel=channel,
        message={},
        response_url=standin.response_url(),
    )
    return str((await standin.wait_for("response_url", seen + 1))[-1].args["text"])


# --- team rounds ---------------------------------------------------------------------------------------


def element_of(message: dict[str, Any], action_id: str) -> dict[str, Any]:
    for block in message["blocks"]:
        elements = block.get("elements", []) if block["type"] == "actions" else [block.get("accessory") or {}]
        for element in elements:
            if element.get("action_id") == action_id:
                return dict(element)
    raise AssertionError(f"no {action_id} on the message")


def round_posts(standin: SlackStandIn, thread_ts: str) -> list[Any]:
    return [
        c
        for c in standin.calls_to("chat.postMessage")
        if c.args.get("thread_ts") == thread_ts and ids.ROUND_ANSWER in json.dumps(c.args)
    ]


class Round:
    """A round as the team sees it in the thread."""

    def __init__(self, slack: SlackSimulator, standin: SlackStandIn, ts: str, assessment: str) -> None:
        self.slack, self.standin, self.ts, self.assessment = slack, standin, ts, assessment

    @property
    def message(self) -> dict[str, Any]:
        return self.standin.messages[("CPROJ", self.ts)]

    @property
    def text(self) -> str:
        return json.dumps(self.message.get("blocks", []), ensure_ascii=False)

    async def shows(self, fragment: str) -> None:
        await self.standin.wait_until(lambda: fragment in self.text, what=f"the round to show {fragment!r}")

    async def open_form(self, user: str) -> Modal:
        value = element_of(self.message, ids.ROUND_ANSWER)["value"]
        _, trigger = await self.slack.press_on_message(
            user, ids.ROUND_ANSWER, value, channel="CPROJ", message=self.message
        )
        return Modal(self.slack, user, await self.standin.view_opened_by(trigger))

    async def answer(self, user: str, answers: dict[str, str], count: int) -> None:
        await complete(await self.open_form(user), answers)
        await self.shows(f"{count} answers")

    async def close(self, user: str) -> None:
        value = element_of(self.message, ids.ROUND_CLOSE)["value"]
        reply = await self.slack.block_action(
            user, ids.ROUND_CLOSE, value=value, channel="CPROJ", message=self.message
        )
        assert reply.status == 200


async def ask_team(
    slack: SlackSimulator,
    standin: SlackStandIn,
    result_ts: str,
    assessment: str,
    *,
    user: str = "UANA",
    names: bool = True,
) -> Round:
    """Choose Ask the team on a posted result and post the invitation; the round it opened."""
    message = standin.messages[("CPROJ", result_ts)]
    _, trigger = await slack.choose_on_message(
        user, ids.RESULT_MENU, f"{ids.MENU_ASK_TEAM}:{assessment}", channel="CPROJ", message=message
    )
    form = Modal(slack, user, await standin.view_opened_by(trigger))
    assert form.title == "Ask the team"
    form.fill({ids.ROUND_NAMES_BLOCK: ids.ROUND_SHOW_NAMES if names else ids.ROUND_HIDE_NAMES})
    assert (await form.submit()).status == 200
    await standin.wait_until(lambda: bool(round_posts(standin, result_ts)), what="the invitation")
    round_ts = next(
        ts
        for (channel, ts), posted in standin.messages.items()
        if posted.get("thread_ts") == result_ts and ids.ROUND_ANSWER in json.dumps(posted)
    )
    return Round(slack, standin, str(round_ts), assessment)


async def start_round(
    slack: SlackSimulator, standin: SlackStandIn, *, answers: dict[str, str] = CANVA, names: bool = True
) -> tuple[Round, str]:
    """Ana posts a result and asks the team; the round, and the result's ts."""
    result_ts, _, assessment = await post_result(slack, standin, answers)
    return await ask_team(slack, standin, result_ts, assessment, names=names), result_ts


async def start_bot(
    mode: str, env: dict[str, str], *, stderr: int = asyncio.subprocess.DEVNULL
) -> asyncio.subprocess.Process:
    """``python -m bot MODE`` as the Procfile runs it, started with exactly this environment; the caller
    stops it."""
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", mode, env=env, cwd=REPO, stdout=asyncio.subprocess.DEVNULL, stderr=stderr
    )
