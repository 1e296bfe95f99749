"""`make demo`: the whole flow without a Slack workspace.

Starts a stand-in of Slack's Web API, the app's real HTTP endpoint and (if needed) a private Redis, then
plays a person: `/llm-approach`, four modal pages, the posted recommendation, its thread, and a what-if.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import uvicorn

from bot.devkit.local_redis import devkit_redis, free_port
from bot.devkit.simulator import SlackSimulator
from bot.devkit.standin import SlackStandIn
from bot.devkit.textview import render_message, render_view
from bot.server.runtime import build_web_app
from bot.settings import load_settings

DEMO_SECRET = "demo-signing-secret"
DEMO_USER = "UDEMO"
DEMO_CHANNEL = "CDEMO"
DEMO_ANSWERS = {
    "project_name": "Support assistant",
    "use_case": "Answer customers' questions from our help-centre articles, with links.",
    "task_complexity": "medium",
    "accuracy_requirement": "high",
    "distinct_tasks": "few",
    "task_type": "answer_questions",
    "knowledge_need": "proprietary_or_large_corpus",
    "knowledge_change_frequency": "weekly",
    "citations_needed": "yes",
    "domain_specificity": "medium",
    "format_style_consistency_need": "medium",
    "prompt_baseline": "plateaued_below_target",
    "primary_failure_mode": "knowledge",
    "labeled_examples": "lt_50",
    "compute_budget": "medium",
    "ml_expertise": "some",
    "teacher_model": "no",
    "time_to_first_version": "weeks",
    "project_lifetime": "long_term",
    "request_volume": "medium",
    "latency_requirement": "moderate",
    "privacy_self_host": "no",
}


@contextlib.asynccontextmanager
async def app_on_loopback(standin: SlackStandIn, redis_url: str) -> AsyncIterator[SlackSimulator]:
    """The app's real HTTP endpoint on a loopback port, using this stand-in and Redis, and a simulator that
    sends it signed requests."""
    port = free_port()
    env = {
        "SLACK_BOT_TOKEN": "xoxb-demo-token",
        "SLACK_SIGNING_SECRET": DEMO_SECRET,
        "REDIS_URL": redis_url,
        "SLACK_API_URL": standin.api_url,
        "PORT": str(port),
    }
    settings = load_settings(env)
    server = uvicorn.Server(
        uvicorn.Config(
            build_web_app(settings), host="127.0.0.1", port=port, log_config=None, access_log=False
        )
    )
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn has no "listening" event to await
        await asyncio.sleep(0.02)
    try:
        async with SlackSimulator(f"http://127.0.0.1:{port}", DEMO_SECRET, standin) as slack:
            yield slack
    finally:
        server.should_exit = True
        await task


@contextlib.asynccontextmanager
async def local_slack(redis_url: str) -> AsyncIterator[tuple[SlackStandIn, SlackSimulator]]:
    """The stand-in Web API, the app on a loopback port, and a simulator that talks to it."""
    standin = SlackStandIn()
    await standin.start()
    try:
        async with app_on_loopback(standin, redis_url) as slack:
            yield standin, slack
    finally:
        await standin.stop()


def _say(text: str) -> None:
    print(f"\n>>> {text}\n")


async def run_demo(redis_url: str) -> None:
    async with local_slack(redis_url) as (standin, slack):
        _say(f"{DEMO_USER} types `/llm-approach` in #{DEMO_CHANNEL}; the app opens the questionnaire")
        modal = await slack.open_modal(DEMO_USER, DEMO_CHANNEL)
        while not modal.closed:
            modal.fill(DEMO_ANSWERS)
            print(render_view(modal.view, {b: DEMO_ANSWERS[b] for b in modal.input_block_ids}))
            reply = await modal.submit()
            if reply.status != 200 or (reply.json() or {}).get("response_action") == "errors":
                raise SystemExit(f"the app refused the page: {reply.status} {reply.text}")
            _say("Submit" + ("; the recommendation is posted" if modal.closed else "; next page"))
        posts = await standin.wait_for("chat.postMessage", 2)
        result, breakdown = posts[0].args, posts[1].args
        _say(f"The app posts to #{result['channel']} (plain-text fallback: {result['text'][:120]}…)")
        print(render_message(result))
        _say("…and the detail (scores, what would change it, next steps, every answer) as its first reply")
        print(render_message(breakdown))
        if standin.calls_to("chat.postMessage"):
            parent = next(iter(standin.messages))
            await _what_if(slack, standin, parent[0], parent[1])


async def _what_if(slack: SlackSimulator, standin: SlackStandIn, channel: str, ts: str) -> None:
    question = "what if we had 5000 labelled examples and failures were both knowledge and behaviour"
    _say(f"A teammate asks in the thread: @llm-approach {question}")
    before = len(standin.calls_to("chat.postMessage"))
    await slack.mention("UTEAMMATE", channel, question, thread_ts=ts)
    try:
        calls = await standin.wait_for("chat.postMessage", before + 1, within=5)
    except AssertionError:
        return
    print(render_message(calls[-1].args))


def main() -> None:
    with devkit_redis("demo") as redis_url:
        asyncio.run(run_demo(redis_url))
    print(
        "\nThat was the local demo. To run the bot in your workspace, see README.md, 'Create the Slack app'."
    )
