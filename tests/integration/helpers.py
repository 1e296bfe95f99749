"""Test helpers for driving the app like a person in Slack."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from bot import ids
from bot.devkit.simulator import Modal
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


def run_bot(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`python -m bot ARGS` as a process with exactly this environment."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env=env,
        cwd=Path(__file__).resolve().parents[2],
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
