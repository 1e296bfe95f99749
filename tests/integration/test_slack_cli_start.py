"""`slack run`'s start hook, run as `.slack/hooks.json` says with only the variables the Slack CLI passes,
serves the app over Socket Mode with the CLI's bot token."""

from __future__ import annotations

import asyncio
import json
import os
import shlex

from bot.devkit.standin import SlackStandIn
from tests.conftest import REPO, app_env

CLI_BOT_TOKEN = "xoxb-from-slack-cli"


async def test_the_start_hook_serves_socket_mode_with_the_clis_tokens(
    redis_env: dict[str, str], standin: SlackStandIn, redis: object
) -> None:
    env = {**os.environ, **app_env(redis_env, standin)}
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"):
        env.pop(name, None)
    env |= {"SLACK_CLI_XOXB": CLI_BOT_TOKEN, "SLACK_CLI_XAPP": "xapp-1-A0CLI-1-secret"}
    command = shlex.split(json.loads((REPO / ".slack" / "hooks.json").read_text())["hooks"]["start"])
    process = await asyncio.create_subprocess_exec(
        *command, env=env, cwd=REPO, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL
    )
    try:
        envelope = await standin.push_envelope(
            "slash_commands",
            {
                "token": "t",
                "team_id": "T0STANDIN",
                "channel_id": "CPROJ",
                "user_id": "UANA",
                "command": "/llm-approach",
                "text": "CLI project",
                "trigger_id": "cli.trigger",
                "response_url": standin.response_url("cli"),
            },
        )
        await standin.wait_until(
            lambda: envelope in standin.socket_acks, within=30, what="the envelope's ack"
        )
        view = await standin.view_opened_by("cli.trigger", within=10)
        assert "CLI project" in json.dumps(view)
        assert {call.token for call in standin.calls_to("views.open")} == {CLI_BOT_TOKEN}
    finally:
        process.terminate()
        await asyncio.wait_for(process.wait(), 10)
